package elfsize

import (
	"strings"

	"github.com/ianlancetaylor/demangle"
)

// Demangle returns the name footprint shows for a symbol-table name: a
// C++ (or old-style Rust) name starting with "_Z" demangled, anything else
// unchanged, as is a "_Z" name the demangler refuses.
func Demangle(name string) string {
	if !strings.HasPrefix(name, "_Z") {
		return name
	}
	return demangle.Filter(name)
}

// Names shows ELF symbol names demangled, and answers the questions that
// let grouping and component rules run on the names as the symbol table
// spells them, demangling only what is shown or what a rule cannot decide
// otherwise (see report.Names). Demangling is most of the cost of
// attributing a large C++ binary; most of its names are never printed.
type Names struct{}

// Show returns Demangle(raw).
func (Names) Show(raw string) string { return Demangle(raw) }

// Mangled reports whether Show may change raw: it starts with "_Z".
func (Names) Mangled(raw string) bool { return strings.HasPrefix(raw, "_Z") }

// Class returns a hash equal for any two names whose demangled forms are
// equal. It is the name with what the demangler does not print left out
// (constructor and destructor variants C1/C2/D0/D1/D2, discriminators,
// the L of internal linkage, the numbers of anonymous namespaces, the
// hash of old-style Rust names), so that names which differ only there
// share a class; the leading "_Z" and length go too, so "_Z3foo" shares a
// class with "foo". Names in different classes never demangle alike, so
// only names that share a class need demangling to be told apart.
func (Names) Class(raw string) uint64 {
	s := strings.TrimPrefix(raw, "_Z")
	hashLo, hashHi := rustHash(raw, len(raw)-len(s))
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	i := 0
	if len(s) > 1 && s[0] == 'L' && isDigit(s[1]) {
		i = 1
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	for i < len(s) {
		c := s[i]
		switch {
		case i >= hashLo && i < hashHi:
			i++
			continue
		case strings.HasPrefix(s[i:], "_GLOBAL_"): // an anonymous namespace, whatever its name
			n, k := 0, i
			for k > 0 && isDigit(s[k-1]) && i-k < 6 {
				k--
			}
			for _, d := range s[k:i] {
				n = n*10 + int(d-'0')
			}
			i += max(n, len("_GLOBAL_"))
			continue
		case c == '_': // discriminators (_1, __12_), _GLOBAL__N_1
			i++
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			continue
		case c == 'L' && i+1 < len(s) && isDigit(s[i+1]): // internal linkage
			i++
			continue
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			prev := s[i-1]
			if prev == 'C' || prev == 'D' || prev == 'I' || j == len(s) || s[j] == '.' || s[j] == '_' {
				i = j // ctor/dtor variants, discriminators, anonymous namespaces
				continue
			}
			for ; i < j; i++ {
				h = (h ^ uint64(s[i])) * prime
			}
			continue
		}
		h = (h ^ uint64(c)) * prime
		i++
	}
	return h
}

// rustHash returns the range, in raw[trim:], of the 16 hex digits of an
// old-style Rust name's hash ("...17h<16 hex digits>E"), which the
// demangler drops; an empty range for other names.
func rustHash(raw string, trim int) (lo, hi int) {
	if !strings.HasPrefix(raw, "_ZN") {
		return 0, 0
	}
	r := raw
	if pos := strings.LastIndex(r, "E."); pos > 0 {
		r = r[:pos+1]
	}
	if strings.HasSuffix(r, "E") && len(r) > 23 && r[len(r)-20:len(r)-17] == "17h" {
		return len(r) - 17 - trim, len(r) - 1 - trim
	}
	return 0, 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Contains returns a test reporting whether the demangled form of a
// mangled name, when demangling succeeds, may contain s; false means it
// certainly does not. Demangled text is made of the name's own
// identifiers, numbers, punctuation and the demangler's fixed words
// (demanglerWords), so every run of letters of s must be found in the name
// or in one of those words. "std" is printed for the substitutions St, Sa,
// Sb, Ss, Si, So, Sd and the types Dn and DF16b only.
func (Names) Contains(s string) func(raw string) bool {
	var need []string // runs only the name can supply
	std := false
	for w := range letterRuns(s) {
		switch {
		case w == "std": // no other word holds "std"
			std = true
		case !strings.Contains(demanglerWords, w):
			need = append(need, w)
		}
	}
	return func(raw string) bool {
		if strings.Contains(raw, s) {
			return true
		}
		for _, w := range need {
			if !strings.Contains(raw, w) {
				return false
			}
		}
		return !std || strings.Contains(raw, "std") || stdCodes(raw)
	}
}

// stdCodes reports whether a mangled name holds a code the demangler
// prints as "std".
func stdCodes(raw string) bool {
	for _, code := range []string{"St", "Sa", "Sb", "Ss", "Si", "So", "Sd", "Dn", "DF"} {
		if strings.Contains(raw, code) {
			return true
		}
	}
	return false
}

// letterRuns yields the maximal runs of letters, '_' and '$' in s.
func letterRuns(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		start := -1
		for i := 0; i <= len(s); i++ {
			if i < len(s) && isLetter(s[i]) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				if !yield(s[start:i]) {
					return
				}
				start = -1
			}
		}
	}
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func isIdent(c byte) bool { return isLetter(c) || isDigit(c) }

// MayBeIdent reports whether the demangled form of a mangled name, when
// demangling succeeds, may be a bare identifier (letters, digits, '_',
// '$'); false means it certainly holds other characters. Only a name at
// global scope with nothing after it demangles to a bare identifier:
// "_Z3foo", "_ZL3foo", "_ZN3fooE" (perhaps with a discriminator), or an
// old-style Rust "_ZN3foo17h...E".
func (Names) MayBeIdent(raw string) bool {
	s, ok := strings.CutPrefix(raw, "_Z")
	if !ok {
		return true
	}
	if len(s) > 0 && (s[0] == 'L' || s[0] == 'N') {
		s = s[1:]
	}
	n, j := 0, 0
	for j < len(s) && isDigit(s[j]) && n < 1<<20 {
		n = n*10 + int(s[j]-'0')
		j++
	}
	if j == 0 || n > len(s)-j {
		return false
	}
	for k := j; k < j+n; k++ {
		if !isIdent(s[k]) {
			return false
		}
	}
	rest := strings.TrimSuffix(s[j+n:], "E")
	// Discriminators (digits and '_') are not printed.
	return strings.Trim(rest, "0123456789_") == "" || strings.HasPrefix(rest, "17h")
}

// demanglerWords lists the runs of letters of every string the demangler
// (github.com/ianlancetaylor/demangle) may print that does not come from
// the mangled name itself; TestDemanglerWords checks it against the
// demangler's source.
const demanglerWords = " " +
	"$ $N $T $TT A ABCDEF Accum Arg B BP Base Bits C CallConstraint Class Constraint Ctor D Dimension E " +
	"Element Expr Exprs F First ForLocalName ForTemplateArgs G GT H I Index Init IsPartition J K Key " +
	"Kind L LP LT Left LocalName M Member Method Module N Name Neg Noexcept Num O Op P Pack Param Parent " +
	"Place Prefix Q Qualifier Qualifiers R RF RP RefQualifier Requires Return Right S SP Sat Scope " +
	"Second Signed Size SizeofType SubExpr Suffix T TLS Tag Template TemplateArgsConstraint Third To " +
	"Type TypeReq U Ua Underlying V VTT Val W X Y Z _ _$ _Accum _BitInt _Complex _Float _Fract _GLOBAL_ " +
	"_Imaginary _R _Sat _Z _ZN ___Z __alignof__ __alloc_token_ __float __int __uuidof __vector " +
	"_block_invoke _t a aN aS aa abi ad alias alignof alloc_token allocator an anonymous arg arguments " +
	"as at auto aw az b basic_iostream basic_istream basic_ostream basic_string bfloat block bool c cast " +
	"cc char char_traits cl class clone closure cm co co_await const const_cast construction " +
	"constructors covariant cp cv d dV dX da dc de decimal decltype default delete destructors di dl dn " +
	"double ds dt dv dx dyn dynamic_cast e eO enable_if enable_ifI enum eo eq expected extern f fL fR " +
	"false fl float fn for fp fr friend function g ge global gs gt guard h half hidden i in index init " +
	"initialization initializer int invocation iostream is isize istream ix j java k keyed l lS lambda " +
	"le level li literal ll local long ls lt m mI mL mi ml mm module mut n na name namespace ne new ng " +
	"nil noexcept non not nt nullptr nullptr_t number nw nx o oR object of offset on oo operator or " +
	"ostream out p pL parameter parm pl pm pp ps pt q qu r rM rS range rc reference reinterpret_cast " +
	"requires resource restrict return rm routine rs s sArgs sArgumentPack sArrayType sBinary sBinaryFP " +
	"sBitIntType sBuiltinType sCast sClone sClosure sComplexType sConstrainedTypeTemplateParam " +
	"sConstraint sConstructor sDecltype sDefaultArg sDestructor sElaboratedtype sEnableIf " +
	"sExplicitObjectParameter sExprList sExprRequirement sFixedType sFold sFriend sFunctionParam " +
	"sFunctionType sGlobalCDtor sImaginaryType sInit sInitializerList sLambdaAuto sLambdaExpr sLiteral " +
	"sMethodWithQualifiers sMiddle sModuleEntity sModuleName sNestedRequirement sNew " +
	"sNonTypeTemplateParam sNullary sOffset sOperator sP sPackExpansion sParams sParent sPastEnd sPlace " +
	"sPointerType sPtrMem sPtrMemCast sQualified sReferenceType sRequirements sReturn " +
	"sRvalueReferenceType sSelectors sSizeofArgs sSizeofPack sSpecial sStringLiteral sStructuredBinding " +
	"sSubobject sSuffixType sTaggedName sTemplate sTemplateArgs sTemplateParam sTemplateParamName " +
	"sTemplateParamPack sTemplateParamQualifiedArg sTemplateTemplateParam sTransformedType sTrinary " +
	"sType sTypeRequirement sTypeTemplateParam sTypeWithQualifiers sTyped sTypes sUnary sUnnamedEnum " +
	"sUnnamedType sVal sVectorType sVendorQualifier sZ sc scope shim short signed sizeof sr ss st " +
	"static_cast std str string struct substituted substitution sz t te template template_template " +
	"temporary this thread throw thunk ti to tr transaction transaction_safe true tw type typeid " +
	"typeinfo typename u ul ull union unnamed unsafe unsigned unsupported usize v variable vector " +
	"virtual void volatile vtable w wchar_t wrapper x y z "
