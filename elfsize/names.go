package elfsize

import (
	"strconv"
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
// hash of old-style Rust names, the leading zeros of numbers, the N ... E
// around a nested name), so that names which differ only there share a
// class; the leading "_Z" and length go too, so "_Z3foo" and "_ZN3fooE"
// share a class with "foo". Names in different classes never demangle
// alike (for names mangled as compilers mangle, and unmangled names that
// are bare identifiers), so only names that share a class need
// demangling to be told apart.
func (Names) Class(raw string) uint64 {
	s := strings.TrimPrefix(raw, "_Z")
	if len(s) < len(raw) {
		// The N and E of a nested name print nothing, nor does an H
		// (explicit object parameter) or L (internal linkage) after N.
		if rest, ok := strings.CutPrefix(s, "N"); ok {
			s = strings.TrimPrefix(strings.TrimPrefix(rest, "H"), "L")
		}
	}
	hashLo, hashHi := rustHash(raw, len(raw)-len(s))
	if strings.HasPrefix(raw, "_ZN") {
		s = strings.TrimSuffix(s, "E")
	}
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	i := 0
	if len(s) > 1 && s[0] == 'L' && isDigit(s[1]) {
		i = 1
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	// skipped is where the last anonymous namespace ended: the byte
	// before it is no code.
	skipped := -1
	for i < len(s) {
		c := s[i]
		if c-'0' >= 10 && c != '_' && c != 'L' && hashHi == 0 { // the common case, first
			h = (h ^ uint64(c)) * prime
			i++
			continue
		}
		if i >= hashLo && i < hashHi {
			i++
			continue
		}
		switch {
		case c == '_' && strings.HasPrefix(s[i:], "_GLOBAL_"): // an anonymous namespace, whatever its name
			// Its length is the digits before it, but those may end an
			// identifier too (6icu_7812_GLOBAL__N_1): GCC and Clang name
			// every anonymous namespace _GLOBAL__N_1, of length 12.
			n, k := 0, i
			for k > 0 && isDigit(s[k-1]) && i-k < 6 {
				k--
			}
			for _, d := range s[k:i] {
				n = n*10 + int(d-'0')
			}
			if strings.HasPrefix(s[i:], anonNamespace) && strings.HasSuffix(s[k:i], "12") {
				n = len(anonNamespace)
			}
			i += max(n, len("_GLOBAL_"))
			skipped = i
		case c == '_': // discriminators (_1, __12_), _GLOBAL__N_1
			i++
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		case c == 'L' && i+1 < len(s) && isDigit(s[i+1]): // internal linkage
			i++
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			prev := s[i-1]
			if i == skipped {
				prev = 0
			}
			if prev == 'C' || prev == 'D' || prev == 'I' && i > 1 && s[i-2] == 'C' {
				i++ // a ctor/dtor variant (C1, D0, CI2)
				continue
			}
			if j == len(s) || s[j] == '.' || s[j] == '_' {
				i = j // discriminators, anonymous namespaces
				continue
			}
			for i < j-1 && s[i] == '0' {
				i++ // 01x is 1x
			}
			for ; i < j; i++ {
				h = (h ^ uint64(s[i])) * prime
			}
		default:
			h = (h ^ uint64(c)) * prime
			i++
		}
	}
	return h
}

// Alike returns a key equal for two mangled names only if both demangle
// to the same string or neither demangles: raw itself, or, for a
// constructor or destructor whose class is a plain nested name, raw with
// the variant digit (C1, C2, ... D0, D1, ...) left out. The demangler
// prints every variant alike (X::X, X::~X), records none, and so goes on
// the same way whichever it read; the keys of such names start with the
// digit's offset, so they never equal a raw name ("_Z...") or a key of a
// digit elsewhere.
func (Names) Alike(raw string) string {
	i := ctorDtorVariant(raw)
	if i < 0 {
		return raw
	}
	return strconv.Itoa(i) + ":" + raw[:i] + raw[i+1:]
}

// ctorDtorVariant returns the offset of the variant digit of a
// constructor or destructor name that ends a nested name ("_ZN" [rVK]*
// [RO]? then the class's name, then C1 ... or D0 ...), read the way the
// demangler reads it; -1 for any other name, including names the
// demangler takes for old-style Rust, and for names with parts
// mangledPrefix does not read.
func ctorDtorVariant(raw string) int {
	const head = "_ZN"
	if !strings.HasPrefix(raw, head) {
		return -1
	}
	if lo, hi := rustHash(raw, 0); hi > lo {
		return -1
	}
	m := mangled(raw)
	i := len(head)
	for i < len(m) && (m[i] == 'r' || m[i] == 'V' || m[i] == 'K') {
		i++
	}
	if i < len(m) && (m[i] == 'R' || m[i] == 'O') {
		i++
	}
	i, names := m.prefix(i, 0)
	if names == 0 || i < 0 || i+1 >= len(m) {
		return -1
	}
	if c, v := m[i], m[i+1]; c == 'C' && strings.IndexByte("12345", v) >= 0 || c == 'D' && strings.IndexByte("01245", v) >= 0 {
		return i + 1
	}
	return -1
}

// mangled reads the plainest parts of a mangled name the way the
// demangler reads them, for ctorDtorVariant: each method returns the
// offset after the part starting at i, or -1 for a part it does not read
// (or a malformed one). depth bounds the nesting of template arguments.
type mangled string

// maxDepth bounds the nesting mangled reads.
const maxDepth = 16

// prefix reads the components of a nested name from i: source names,
// substitutions and template arguments after a name, up to the first
// byte that is none of those, and returns its offset and how many names
// it read.
func (m mangled) prefix(i, depth int) (int, int) {
	names := 0
	for i < len(m) {
		var j int
		switch c := m[i]; {
		case isDigit(c):
			j = m.sourceName(i)
		case c == 'S':
			j = m.substitution(i)
		case c == 'I' && names > 0:
			j = m.templateArgs(i, depth)
		default:
			return i, names
		}
		if j < 0 {
			return -1, names
		}
		i = j
		names++
	}
	return i, names
}

// sourceName reads <length><identifier>, which must not carry an ABI tag.
func (m mangled) sourceName(i int) int {
	n, j := 0, i
	for j < len(m) && isDigit(m[j]) && n <= len(m) {
		n = n*10 + int(m[j]-'0')
		j++
	}
	if n == 0 || n > len(m)-j {
		return -1
	}
	if j += n; j < len(m) && m[j] == 'B' {
		return -1
	}
	return j
}

// substitution reads S_, S<base-36 seq>_, or one of St, Sa, Sb, Ss, Si,
// So, Sd.
func (m mangled) substitution(i int) int {
	if i+1 < len(m) && strings.IndexByte("tabsiod", m[i+1]) >= 0 {
		return i + 2
	}
	j := i + 1
	for j < len(m) && (isDigit(m[j]) || m[j] >= 'A' && m[j] <= 'Z') {
		j++
	}
	if j == len(m) || m[j] != '_' {
		return -1
	}
	return j + 1
}

// templateArgs reads I <type or literal>+ E.
func (m mangled) templateArgs(i, depth int) int {
	if depth >= maxDepth {
		return -1
	}
	i++
	for i < len(m) && m[i] != 'E' {
		if m[i] == 'L' { // a literal: L <type> <value> E
			if i+1 < len(m) && (m[i+1] == '_' || m[i+1] == 'Z') {
				return -1 // an external name
			}
			j := m.typ(i+1, depth+1)
			if j < 0 {
				return -1
			}
			for j < len(m) && m[j] != 'E' {
				j++
			}
			if j == len(m) {
				return -1
			}
			i = j + 1
			continue
		}
		j := m.typ(i, depth+1)
		if j < 0 {
			return -1
		}
		i = j
	}
	if i == len(m) {
		return -1
	}
	return i + 1
}

// typ reads a builtin type, a qualified or pointer type, or a class type:
// a source name, std:: and a source name, a substitution or a nested
// name, each with optional template arguments.
func (m mangled) typ(i, depth int) int {
	if i >= len(m) || depth >= maxDepth {
		return -1
	}
	c := m[i]
	var j int
	switch {
	case strings.IndexByte("abcdefghijlmnostvwxyz", c) >= 0: // builtin types
		return i + 1
	case strings.IndexByte("PROKVr", c) >= 0: // pointers, references, qualifiers
		return m.typ(i+1, depth+1)
	case isDigit(c):
		j = m.sourceName(i)
	case c == 'S' && i+1 < len(m) && m[i+1] == 't':
		j = m.sourceName(i + 2)
	case c == 'S':
		j = m.substitution(i)
	case c == 'N':
		k, names := m.prefix(i+1, depth)
		if names == 0 || k < 0 || k == len(m) || m[k] != 'E' {
			return -1
		}
		return k + 1
	default:
		return -1
	}
	if j >= 0 && j < len(m) && m[j] == 'I' {
		j = m.templateArgs(j, depth)
	}
	return j
}

// anonNamespace is the identifier GCC and Clang give every anonymous
// namespace.
const anonNamespace = "_GLOBAL__N_1"

// rustHash returns the range, in raw[trim:], of an old-style Rust name's
// hash ("17h" and 16 hex digits before the final "E"), which the
// demangler drops; an empty range for other names.
func rustHash(raw string, trim int) (lo, hi int) {
	if !strings.HasPrefix(raw, "_ZN") {
		return 0, 0
	}
	r := raw
	if strings.IndexByte(r, '.') >= 0 {
		if pos := strings.LastIndex(r, "E."); pos > 0 {
			r = r[:pos+1]
		}
	}
	if strings.HasSuffix(r, "E") && len(r) > 23 && r[len(r)-20:len(r)-17] == "17h" {
		return len(r) - 20 - trim, len(r) - 1 - trim
	}
	return 0, 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Contains returns a test reporting whether the demangled form of a
// mangled name, when demangling succeeds, may contain s; false means it
// certainly does not. Demangled text is made of the name's own
// identifiers, numbers, punctuation and the demangler's fixed words
// (demanglerWords), so every run of letters of s must be found in the name
// or in one of those words, or be one of the few runs the two join into
// (see joined). A run found only in words the demangler prints for
// certain codes (codeWords) needs the name to hold one of those.
func (Names) Contains(s string) func(raw string) bool {
	type run struct {
		// alts are w and the text of the name w may be printed from when
		// joined to the demangler's (see joined).
		alts  []string
		codes []string // nil: only the name supplies w
	}
	var need []run
	for w := range letterRuns(s) {
		r := run{alts: joined(w)}
		holders := wordsHolding(w)
		for _, word := range holders {
			c, ok := codeWords[word]
			if !ok {
				r.codes = nil // printed whatever the codes
				break
			}
			r.codes = append(r.codes, c...)
		}
		if len(holders) == 0 || r.codes != nil {
			need = append(need, r)
		}
	}
	// A name holding s holds its runs: the runs alone decide.
	return func(raw string) bool {
		for _, r := range need {
			if !containsAny(raw, r.alts) && !containsAny(raw, r.codes) && !rustEscapes(raw) {
				return false
			}
		}
		return true
	}
}

// codeWords are the words the demangler prints for certain codes of a
// mangled name only, with those codes: "std" for the substitutions St,
// Sa, Sb, Ss, Si, So, Sd and the types Dn and DF16b, "new" for the
// operators nw and na, "delete" for dl and da.
var codeWords = map[string][]string{
	"std":    {"St", "Sa", "Sb", "Ss", "Si", "So", "Sd", "Dn", "DF"},
	"new":    {"nw", "na"},
	"delete": {"dl", "da"},
}

// wordsHolding returns the words of demanglerWords that contain w.
func wordsHolding(w string) []string {
	var out []string
	for _, word := range strings.Fields(demanglerWords) {
		if strings.Contains(word, w) {
			out = append(out, word)
		}
	}
	return out
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// literalSuffixes are the suffixes the demangler prints right after the
// value of an integer literal ("5ul").
var literalSuffixes = []string{"u", "ul", "ull", "l", "ll"}

// joined returns the run of letters w and the text a mangled name must
// hold for the demangler to print w by joining it to text of its own, the
// exceptions to a run being found in one or the other: a literal's value
// before its suffix (the value of LxAE prints as "All"), and the name of
// a vendor operator after "operator" ("operatorFoo").
func joined(w string) []string {
	alts := []string{w}
	for _, suffix := range literalSuffixes {
		if v, ok := strings.CutSuffix(w, suffix); ok && v != "" {
			alts = append(alts, v)
		}
	}
	const op = "operator"
	for k := 1; k <= len(op) && k < len(w); k++ {
		if strings.HasPrefix(w, op[len(op)-k:]) {
			alts = append(alts, w[k:])
		}
	}
	return alts
}

// rustEscapes reports whether an old-style Rust name spells characters
// with $u escapes, which may be any letters.
func rustEscapes(raw string) bool {
	if !strings.Contains(raw, "$u") {
		return false
	}
	lo, hi := rustHash(raw, 0)
	return hi > lo
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
// "_Z3foo", "_ZL3foo", "_ZN3fooE", "_ZNL3fooE", "_ZNH3fooE" (perhaps with
// a discriminator), or an old-style Rust "_ZN3foo17h...E".
func (Names) MayBeIdent(raw string) bool {
	s, ok := strings.CutPrefix(raw, "_Z")
	if !ok {
		return true
	}
	// N, and in a nested name H (an explicit object parameter), and L
	// (internal linkage) print nothing.
	if rest, ok := strings.CutPrefix(s, "N"); ok {
		s = strings.TrimPrefix(rest, "H")
	}
	s = strings.TrimPrefix(s, "L")
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
	// Discriminators (digits and '_') are not printed, nor is the M of a
	// lambda's initializer scope.
	return strings.Trim(rest, "0123456789_M") == "" || strings.HasPrefix(rest, "17h")
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
