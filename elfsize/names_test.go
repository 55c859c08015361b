package elfsize

import (
	"debug/elf"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// largeCXXELFs are big C++ binaries the name tests also read when present:
// together about 250,000 names from V8, ICU, OpenSSL and LLVM.
var largeCXXELFs = []string{
	largeSystemELF,
	"/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1",
	"/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
}

// symbolNames returns the distinct names of every test ELF's symbols, and
// of the large C++ binaries that are present.
func symbolNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../testdata/firmware/out/*/*.elf")
	require.NoError(t, err)
	more, err := filepath.Glob("../testdata/firmware/out/variants/*/*.elf")
	require.NoError(t, err)
	paths = append(paths, more...)
	for _, p := range largeCXXELFs {
		if _, err := os.Stat(p); err == nil {
			paths = append(paths, p)
		}
	}
	require.NotEmpty(t, paths)
	seen := map[string]bool{}
	var names []string
	for _, p := range paths {
		f, err := elf.Open(p)
		require.NoError(t, err)
		syms, _ := f.Symbols()
		dyn, _ := f.DynamicSymbols()
		for _, s := range append(syms, dyn...) {
			if !seen[s.Name] {
				seen[s.Name] = true
				names = append(names, s.Name)
			}
		}
		f.Close()
	}
	return names
}

// TestNamesAgainstDemangler checks the promises of Names on real names:
// names that demangle alike share a class, and MayContain and MayBeIdent
// never deny what the demangler prints.
func TestNamesAgainstDemangler(t *testing.T) {
	names := symbolNames(t)
	literals := []string{"std::", "tflite::", "flatbuffers::", "operator new", "operator delete", "Register_",
		"__cxa_", "__gnu_cxx::", "vtable for std::", "typeinfo for std::", "_Handler", "v8::internal::", "node::",
		"(anonymous namespace)", "{lambda(", "[clone .cold]", "unsigned long", "str", "exp", "mem", "Heap"}
	var n Names
	contains := make([]func(string) bool, len(literals))
	for i, lit := range literals {
		contains[i] = n.Contains(lit)
	}
	class := map[string]uint64{}
	byClass := map[uint64]int{}
	for _, name := range names {
		d := n.Show(name)
		c := n.Class(name)
		byClass[c]++
		if prev, ok := class[d]; ok {
			require.Equal(t, prev, c, "%q demangles to %q as another name of another class", name, d)
		}
		class[d] = c
		if d == name {
			continue
		}
		require.True(t, n.Mangled(name), name)
		for i, lit := range literals {
			if strings.Contains(d, lit) {
				require.True(t, contains[i](name), "%q demangles to %q, which holds %q", name, d, lit)
			}
		}
		if strings.IndexFunc(d, func(r rune) bool { return r > 127 || !isIdent(byte(r)) }) < 0 {
			require.True(t, n.MayBeIdent(name), "%q demangles to the identifier %q", name, d)
		}
	}
	shared, alike := 0, 0
	byAlike := map[string]string{} // Alike key -> demangled form
	for _, name := range names {
		if byClass[n.Class(name)] > 1 {
			shared++
		}
		if !n.Mangled(name) {
			continue
		}
		key, d := n.Alike(name), n.Show(name)
		if key == name {
			continue
		}
		alike++
		// Every variant of the constructor or destructor demangles alike.
		if i := ctorDtorVariant(name); d != name {
			for _, v := range "0124" {
				other := name[:i] + string(v) + name[i+1:]
				if od := n.Show(other); od != other {
					require.Equal(t, d, od, "%q is %q with another variant", other, name)
				}
			}
		}
		if prev, ok := byAlike[key]; ok && d != name {
			require.Equal(t, prev, d, "%q is alike another name but demangles otherwise", name)
		}
		if d != name {
			byAlike[key] = d
		}
	}
	t.Logf("%d names, %d demangled forms, %d names share a class with another, %d have a key of their variant", len(names), len(class), shared, alike)
}

func TestNamesExamples(t *testing.T) {
	var n Names
	assert.Equal(t, "tflite::Register_CONV_2D()", n.Show("_ZN6tflite16Register_CONV_2DEv"))
	assert.Equal(t, "main", n.Show("main"))
	assert.Equal(t, "_Zbogus", n.Show("_Zbogus"))
	// Constructor variants, discriminators and internal linkage print alike.
	assert.Equal(t, n.Class("_ZN1aC1Ev"), n.Class("_ZN1aC2Ev"))
	assert.Equal(t, n.Class("_ZN1aD0Ev"), n.Class("_ZN1aD2Ev"))
	assert.Equal(t, n.Class("_ZZ4mainE1x"), n.Class("_ZZ4mainE1x_0"))
	assert.Equal(t, n.Class("_ZL3fooi"), n.Class("_Z3fooi"))
	assert.Equal(t, n.Class("foo"), n.Class("_Z3foo"))
	assert.NotEqual(t, n.Class("_ZN1a7Float32Ev"), n.Class("_ZN1a7Float64Ev"))

	assert.True(t, n.Contains("std::")("_ZNSt6vectorIiSaIiEE9push_backEOi"))
	assert.False(t, n.Contains("std::")("_ZN2v88internal4Heap4InitEv"))
	assert.False(t, n.Contains("tflite::")("_ZN2v88internal4Heap4InitEv"))
	assert.True(t, n.Contains("unsigned")("_ZN2v88internal4Heap4InitEv"), "a word of the demangler")
	assert.False(t, n.Contains("operator new")("_ZN2v84Heap4InitEv"), "new is printed for nw and na only")
	assert.True(t, n.Contains("operator new")("_ZN1aIXnwiEEE1fEv"))
	assert.True(t, n.Contains("operator new")("_Znwm"))
	assert.False(t, n.Contains("operator delete")("_Znwm"))
	// Constructor and destructor variants are alike unseen, identifiers
	// that look like them are not.
	assert.Equal(t, n.Alike("_ZN1aC1Ev"), n.Alike("_ZN1aC2Ev"))
	assert.Equal(t, n.Alike("_ZNK2v88internal4HeapD0Ev"), n.Alike("_ZNK2v88internal4HeapD2Ev"))
	assert.Equal(t, n.Alike("_ZNSt6vectorC1Ev"), n.Alike("_ZNSt6vectorC2Ev"))
	assert.Equal(t, "_ZN3AC1fEv", n.Alike("_ZN3AC1fEv"))
	assert.NotEqual(t, n.Alike("_ZN1aC1Ev"), n.Alike("_ZN1aD1Ev"))
	assert.Equal(t, n.Alike("_ZN1aIiEC1Ev"), n.Alike("_ZN1aIiEC2Ev"), "template arguments are read")
	assert.Equal(t, n.Alike("_ZNSt15_Sp_counted_ptrIPN6icu_7818DateIntervalFormatELN9__gnu_cxx12_Lock_policyE2EED0Ev"),
		n.Alike("_ZNSt15_Sp_counted_ptrIPN6icu_7818DateIntervalFormatELN9__gnu_cxx12_Lock_policyE2EED1Ev"))
	assert.Equal(t, "_ZN1aIXplLi1ELi2EEEC1Ev", n.Alike("_ZN1aIXplLi1ELi2EEEC1Ev"), "expressions are not read")
	assert.Equal(t, "_ZN1aI3fooB5cxx11EC1Ev", n.Alike("_ZN1aI3fooB5cxx11EC1Ev"), "ABI tags are not read")
	assert.Equal(t, "_ZN1aC1E17h0123456789abcdefE", n.Alike("_ZN1aC1E17h0123456789abcdefE"), "Rust names are not read")
	assert.True(t, n.MayBeIdent("_Z3foo"))
	assert.True(t, n.MayBeIdent("_ZL6memcpy"))
	assert.False(t, n.MayBeIdent("_Z3fooi"))
	assert.False(t, n.MayBeIdent("_ZN1a1bE"))
}

// FuzzNames checks Names' promises on any pair of names: alike demangled
// forms share a class, names alike by key demangle alike (or not at all),
// and MayContain and MayBeIdent hold for the demangled form.
func FuzzNames(f *testing.F) {
	f.Add("_ZN1aC1Ev", "_ZN1aC2Ev")
	f.Add("_ZZ4mainE1x", "_ZZ4mainE1x_0")
	f.Add("_ZL3fooi", "_Z3fooi")
	f.Add("_Z3foo", "foo")
	f.Add("_ZN12_GLOBAL__N_11fEv", "_ZN12_GLOBAL__N_21fEv")
	f.Add("_ZN4core3fmt5write17h0123456789abcdefE", "_ZN4core3fmt5write17hfedcba9876543210E")
	f.Add("_ZNSt6vectorIiSaIiEE9push_backEOi", "_ZNKSt6vectorIiSaIiEE4sizeEv")
	f.Add("_ZN2v88internal4HeapC1EPNS0_7IsolateE", "_ZN2v88internal4HeapC2EPNS0_7IsolateE")
	f.Add("_ZNKSsD0Ev", "_ZNKSsD1Ev")
	f.Add("_ZNSt6vectorIiSaIiEEC1Ev", "_ZNSt6vectorIiSaIiEEC2Ev")
	f.Add("_ZN1aILi6EED0Ev", "_ZN1aILi6EED2Ev")
	f.Fuzz(func(t *testing.T, a, b string) {
		var n Names
		da, db := n.Show(a), n.Show(b)
		// Unmangled names share classes with the mangled names that show
		// as them when they are bare identifiers.
		comparable := n.Mangled(b) || strings.IndexFunc(b, func(r rune) bool { return r > 127 || !isIdent(byte(r)) }) < 0
		if da == db && comparable && n.Class(a) != n.Class(b) {
			t.Fatalf("%q and %q both demangle to %q but differ in class", a, b, da)
		}
		if n.Mangled(a) && n.Mangled(b) && n.Alike(a) == n.Alike(b) && da != a && da != db {
			t.Fatalf("%q and %q are alike by key but demangle to %q and %q", a, b, da, db)
		}
		if da != a {
			for w := range letterRuns(da) {
				if !n.Contains(w)(a) {
					t.Fatalf("%q demangles to %q, which holds %q", a, da, w)
				}
			}
			if strings.IndexFunc(da, func(r rune) bool { return r > 127 || !isIdent(byte(r)) }) < 0 && !n.MayBeIdent(a) {
				t.Fatalf("%q demangles to the identifier %q", a, da)
			}
		}
	})
}

// TestDemanglerWords checks demanglerWords holds every run of letters of
// the string literals in the demangler's source (all but error messages
// and imports), so an upgrade of the demangler that prints new words fails
// here rather than hiding a component match.
func TestDemanglerWords(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ianlancetaylor/demangle").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	words := map[string]bool{}
	operators := map[string]bool{} // the literals holding "new" or "delete"
	for _, w := range strings.Fields(demanglerWords) {
		words[w] = true
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "c++filt.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		require.NoError(t, err)
		skip := map[*ast.BasicLit]bool{}
		ast.Inspect(af, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				skip[n.Path] = true
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				switch name {
				case "fail", "failEarlier", "New", "Errorf", "panic":
					for _, a := range n.Args {
						if bl, ok := a.(*ast.BasicLit); ok {
							skip[bl] = true
						}
					}
				}
			}
			return true
		})
		ast.Inspect(af, func(n ast.Node) bool {
			bl, ok := n.(*ast.BasicLit)
			if !ok || skip[bl] || (bl.Kind != token.STRING && bl.Kind != token.CHAR) {
				return true
			}
			s, err := strconv.Unquote(bl.Value)
			if err != nil {
				return true
			}
			for w := range letterRuns(s) {
				assert.True(t, words[w], "%s: the demangler may print %q, which demanglerWords lacks", filepath.Base(path), w)
				if w == "new" || w == "delete" {
					operators[s] = true
				}
			}
			return true
		})
	}
	// codeWords: "new" and "delete" are printed by the operators nw, na,
	// dl and da (and new expressions, made of nw and na) only; the
	// printer compares operator names with "delete" and "delete[]".
	assert.Equal(t, map[string]bool{"new": true, "new[]": true, "new ": true, "delete ": true, "delete[] ": true,
		"delete": true, "delete[]": true}, operators)
	var n Names
	for code, want := range map[string]string{"nw": "operator new", "na": "operator new[]", "dl": "operator delete", "da": "operator delete[]"} {
		assert.Equal(t, want+"(unsigned long)", n.Show("_Z"+code+"m"), code)
	}
}
