package elfsize

import (
	"debug/elf"

	"github.com/footprint-dev/footprint/report"
)

// analyzeSections fills rep for Options.SectionsOnly: one piece per
// allocated section, and what the symbol table says about the file
// (whether it has symbols, embedded models) read without its string table
// unless a model is found.
func (img *image) analyzeSections(rep *report.Report, opts Options) error {
	tab, err := img.symbolTable()
	if err != nil {
		return err
	}
	rep.Pieces = img.sectionPieces()
	claims, model := false, false
	if tab != nil {
		str := img.secs[tab.Link].Section
		// An untyped symbol claims bytes only when named: read the first
		// byte of its name, until one symbol is known to claim.
		hasName := func(off uint32) bool {
			var b [1]byte
			return str.Type != elf.SHT_NOBITS && uint64(off) < str.Size &&
				fits(str.Offset+uint64(off), 1, img.size) && readOK(img.r.ReadAt(b[:], int64(str.Offset)+int64(off))) && b[0] != 0
		}
		noName := func(uint32) bool { return false }
		err := img.forEntries(tab, func(x entry) bool {
			check := noName
			if !claims {
				check = hasName
			}
			s, ok := img.claimant(x, check)
			claims = claims || ok
			if ok && !model && img.holdsModel(&s) {
				model = true
			}
			return !claims || !model
		})
		if err != nil {
			return err
		}
	}
	switch {
	case !claims:
		rep.Warnings = append(rep.Warnings, "no symbols (stripped): bytes are attributed to sections only")
	case tab.Type == elf.SHT_DYNSYM:
		rep.Warnings = append(rep.Warnings, "no static symbol table (stripped): only exported dynamic symbols name bytes")
	}
	if opts.Files {
		if warn := img.dwarfWarning(); warn != "" {
			rep.Warnings = append(rep.Warnings, warn)
		}
	}
	if model {
		// Name the models as the full attribution does.
		syms, err := img.readSymbols()
		if err != nil {
			return err
		}
		rep.Models = img.findModels(syms, img.spanNames(syms), opts.ModelOps)
	}
	rep.Totals = report.SumPieces(rep.Pieces)
	return nil
}

// readOK reports whether a ReadAt read everything.
func readOK(_ int, err error) bool { return err == nil }

// sectionPieces returns one piece per allocated, non-empty section that
// binutils lists, named "[<section>]".
func (img *image) sectionPieces() []report.Piece {
	var pieces []report.Piece
	for i := range img.secs {
		s := &img.secs[i]
		if !s.listed || !s.alloc || s.Size == 0 {
			continue
		}
		p := report.Piece{Section: s.Name, Symbol: "[" + s.Name + "]", Addr: s.Addr, Size: s.Size}
		p.Flash, p.RAM = s.cost(p.Size)
		pieces = append(pieces, p)
	}
	return pieces
}
