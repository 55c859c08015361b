// Package elfsize attributes every allocated byte of an ELF image (ELF32 or
// ELF64, either byte order) to flash and RAM, by section and by symbol, and
// optionally by source file from DWARF.
//
// Sections are listed the way binutils' `size -A` lists them and summed the
// way `size` (Berkeley format) sums them, so the totals can be checked
// against binutils exactly. Independently, each allocated section is
// classified as costing flash (its contents are stored in a read-only load
// image), RAM (it is writable or has no file contents) or both (.data: its
// initialiser is stored in flash and copied to RAM at start-up).
//
// The result is a report.Report whose pieces cover every allocated byte
// exactly once: symbols claim their bytes (the first claimant of an
// overlapping range wins, aliases at one address count once) and the bytes
// nobody claims get named fallbacks such as "[padding]" or
// "[.rodata: unattributed]".
//
// Reading is built on io.ReaderAt: only headers, the symbol table and (when
// asked) DWARF are read, never the whole file, and every header count and
// offset is checked against the file size before use, so hostile input
// yields a *FormatError rather than a panic or a huge allocation.
package elfsize

import (
	"debug/elf"
	"fmt"
	"io"
	"os"

	"github.com/footprint-dev/footprint/report"
)

// Options selects the optional, costlier parts of the attribution.
type Options struct {
	// Files attributes pieces to source files from DWARF compile units.
	Files bool
	// Demangle turns the C++ names of pieces into readable ones. Without
	// it pieces keep the names the symbol table spells, which Names shows
	// demangled one at a time: most of a large C++ binary's names are never
	// printed, and demangling is most of the cost of attributing them.
	Demangle bool
	// SectionsOnly attributes whole sections only: one piece per allocated
	// section, named "[<section>]", for callers that group by section or
	// region. The symbol table is scanned for embedded models and for the
	// stripped-file warnings only (its string table is not read unless a
	// model is found); with Files, DWARF is only checked for the warning.
	SectionsOnly bool
	// ModelOps, when set, decodes the bytes of an embedded .tflite model
	// and lists its distinct operator names in first-use order (TFLiteOps
	// does, with the tflite package). When nil, models are still found
	// but their op lists are left empty.
	ModelOps func(model []byte) ([]string, error)
}

// FormatError reports a malformed ELF file: what is wrong and where.
type FormatError struct {
	// Offset is the file offset of the bad structure, -1 if unknown.
	Offset int64
	Msg    string
}

func (e *FormatError) Error() string {
	if e.Offset < 0 {
		return "malformed ELF: " + e.Msg
	}
	return fmt.Sprintf("malformed ELF: %s (at offset %#x)", e.Msg, e.Offset)
}

// Open analyses the ELF file at path.
func Open(path string, opts Options) (*report.Report, error) {
	var rep *report.Report
	err := openFile(path, func(r io.ReaderAt, size int64) (err error) {
		rep, err = Analyze(r, size, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	rep.File = path
	return rep, nil
}

// OpenRows is AnalyzeRows on the ELF file at path.
func OpenRows(path string, opts Options) (*report.Report, []report.Row, error) {
	var rep *report.Report
	var rows []report.Row
	err := openFile(path, func(r io.ReaderAt, size int64) (err error) {
		rep, rows, err = AnalyzeRows(r, size, opts)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	rep.File = path
	return rep, rows, nil
}

// openFile calls analyze on the regular file at path, naming the file in
// its error.
func openFile(path string, analyze func(r io.ReaderAt, size int64) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	if err := analyze(f, st.Size()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Analyze reads the ELF image of the given size from r and attributes its
// bytes. The returned report has every key but Object, Archive, Region and
// Component filled in; Component is left for the component rules.
func Analyze(r io.ReaderAt, size int64, opts Options) (*report.Report, error) {
	img, rep, err := begin(r, size)
	if err != nil {
		return nil, err
	}
	if opts.SectionsOnly {
		if err := img.analyzeSections(rep, opts); err != nil {
			return nil, err
		}
		return rep, nil
	}
	syms, err := img.readSymbols()
	if err != nil {
		return nil, err
	}
	rep.Warnings = append(rep.Warnings, syms.warnings()...)
	rep.Pieces = img.attribute(syms, opts.Demangle)
	if opts.Files {
		warn, err := img.attributeFiles(rep.Pieces)
		if err != nil {
			return nil, err
		}
		if warn != "" {
			rep.Warnings = append(rep.Warnings, warn)
		}
	}
	rep.Models = img.findModels(syms, pieceNames(rep.Pieces), opts.ModelOps)
	rep.Totals = report.SumPieces(rep.Pieces)
	return rep, nil
}

// AnalyzeRows is Analyze for a caller that reads the bytes grouped by
// symbol only, not the pieces: on a large binary the pieces are most of
// the memory and much of the time. It returns the report without pieces
// (totals, sections, models and warnings as Analyze gives them) and one
// row per raw (mangled) symbol name or fallback name, holding the flash,
// RAM and piece count of the pieces Analyze would cut with that name.
// Rows are in no particular order, and a name may have several rows (two
// string table entries spelling it, two sections of one name): a caller
// merges them as it merges names that show alike (see
// report.TopNames). Options.Demangle, Files and SectionsOnly do not
// apply.
func AnalyzeRows(r io.ReaderAt, size int64, opts Options) (*report.Report, []report.Row, error) {
	img, rep, err := begin(r, size)
	if err != nil {
		return nil, nil, err
	}
	syms, err := img.readSymbols()
	if err != nil {
		return nil, nil, err
	}
	rep.Warnings = append(rep.Warnings, syms.warnings()...)
	rows := img.symbolRows(syms)
	for i := range rows {
		rep.Totals.Flash += rows[i].Flash
		rep.Totals.RAM += rows[i].RAM
	}
	rep.Models = img.findModels(syms, img.spanNames(syms), opts.ModelOps)
	return rep, rows, nil
}

// begin opens the image and fills in what every analysis reports: the
// file's class, byte order and machine, its sections and their sums.
func begin(r io.ReaderAt, size int64) (*image, *report.Report, error) {
	img, err := openImage(r, size)
	if err != nil {
		return nil, nil, err
	}
	return img, &report.Report{
		Schema:   report.Schema,
		Class:    classNames[img.f.Class],
		Endian:   endianNames[img.f.Data],
		Machine:  img.f.Machine.String(),
		Sections: img.reportSections(),
		Berkeley: img.berkeley(),
		Models:   []report.Model{},
		Warnings: []string{},
	}, nil
}

var classNames = map[elf.Class]string{elf.ELFCLASS32: "ELF32", elf.ELFCLASS64: "ELF64"}

var endianNames = map[elf.Data]string{elf.ELFDATA2LSB: "little", elf.ELFDATA2MSB: "big"}
