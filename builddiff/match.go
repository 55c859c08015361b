package builddiff

import (
	"path"
	"regexp"
	"strings"
)

// cloneSuffix matches the suffixes GCC and Clang give compiler-made copies
// of a function or object: ".constprop.N", ".isra.N", ".part.N",
// ".lto_priv.N", ".cold" (and their combinations, e.g.
// ".isra.0.constprop.1"), on both raw and demangled names (demangled C++
// names carry them as " [clone .constprop.0]").
var cloneSuffix = regexp.MustCompile(`(?:\.(?:constprop|isra|part|lto_priv|cold|localalias|llvm)(?:\.[0-9]+)*)+$`)

// demangledClone matches one " [clone .xxx.N]" annotation of a demangled
// name.
var demangledClone = regexp.MustCompile(` \[clone \.[a-z_]+(?:\.[0-9]+)*\]`)

// localLabel matches GCC's numbered local labels for anonymous literals
// (".LC12", ".LANCHOR3"), whose numbers change with any edit.
var localLabel = regexp.MustCompile(`^\.L(C|ANCHOR)[0-9]+$`)

// NormalizeSymbol returns the name a symbol is matched by across builds:
// compiler clones fold into the function they were made from (so a
// renumbered ".constprop.1" matches the old ".constprop.0", and a ".cold"
// part counts with its function), and numbered local literal labels fold
// into one name per kind.
func NormalizeSymbol(name string) string {
	if strings.Contains(name, " [clone .") {
		name = demangledClone.ReplaceAllString(name, "")
	}
	if strings.IndexByte(name, '.') > 0 {
		name = cloneSuffix.ReplaceAllString(name, "")
	}
	if strings.HasPrefix(name, ".L") {
		if m := localLabel.FindStringSubmatch(name); m != nil {
			return ".L" + m[1] + "*"
		}
	}
	return name
}

// unitName is the base name of the object file, or else of the source
// file, a piece came from: what tells apart two static functions of the
// same name, stable across build directories.
func unitName(object, file string) string {
	if object != "" {
		return path.Base(object)
	}
	if file != "" {
		return path.Base(strings.ReplaceAll(file, `\`, "/"))
	}
	return ""
}

// pairPaths pairs names (source or object paths) that exist only in the
// old build with names that exist only in the new one when they share a
// base name and the pairing is unambiguous: the same source built in a
// different directory. It returns old name -> new name.
func pairPaths(oldOnly, newOnly []string) map[string]string {
	byBase := map[string][]string{}
	for _, n := range newOnly {
		b := path.Base(n)
		byBase[b] = append(byBase[b], n)
	}
	oldByBase := map[string]int{}
	for _, o := range oldOnly {
		oldByBase[path.Base(o)]++
	}
	pairs := map[string]string{}
	taken := map[string]bool{}
	for _, o := range oldOnly {
		cands := byBase[path.Base(o)]
		if len(cands) == 0 {
			continue
		}
		if len(cands) == 1 && oldByBase[path.Base(o)] == 1 {
			pairs[o] = cands[0]
			taken[cands[0]] = true
			continue
		}
		// Several candidates, or several old paths of this base name:
		// take the candidate sharing the longest path suffix, if it is
		// the only one that long and shares a directory besides the
		// base name.
		best, bestLen, tie := "", -1, false
		for _, c := range cands {
			if taken[c] {
				continue
			}
			switch l := commonSuffixDirs(o, c); {
			case l > bestLen:
				best, bestLen, tie = c, l, false
			case l == bestLen:
				tie = true
			}
		}
		if best != "" && !tie && bestLen > 1 {
			pairs[o] = best
			taken[best] = true
		}
	}
	return pairs
}

// commonSuffixDirs counts the trailing path elements a and b share.
func commonSuffixDirs(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[len(as)-1-n] == bs[len(bs)-1-n] {
		n++
	}
	return n
}
