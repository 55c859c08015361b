package stack

// libraryCalls are the possible targets of the indirect calls inside the C
// libraries that firmware links, from their sources: without them every
// such call could reach every address-taken function, and printf would
// appear to call the application's op kernels. They apply only to
// functions the image has, and a calls file overrides them per function.
//
// newlib and newlib-nano: printf's helpers call the output function they
// are passed (__sfputs_r for a stream, __ssputs_r for a string); stdio
// calls a FILE's _read/_write/_seek/_close hooks, which std() and
// fopen() set to __sread/__swrite/__sseek/__sclose; _fwalk_reent applies
// the function it is given (_fflush_r, _fclose_r, __fp_lock, __fp_unlock).
// crtstuff's deregister_tm_clones and register_tm_clones call weak
// transactional-memory hooks that bare-metal images leave undefined.
var libraryCalls = map[string][]string{
	"_printf_i":            printfOutputs,
	"_printf_common":       printfOutputs,
	"_printf_float":        printfOutputs,
	"__sflush_r":           stdioHooks,
	"__srefill_r":          stdioHooks,
	"_fclose_r":            stdioHooks,
	"__sfvwrite_r":         stdioHooks,
	"_fseeko_r":            stdioHooks,
	"_fseek_r":             stdioHooks,
	"_ftello_r":            stdioHooks,
	"_ftell_r":             stdioHooks,
	"__srget_r":            stdioHooks,
	"_fwalk_reent":         {"_fflush_r", "_fclose_r", "__fp_lock", "__fp_unlock"},
	"_fwalk":               {"_fflush_r", "_fclose_r", "__fp_lock", "__fp_unlock"},
	"deregister_tm_clones": {},
	"register_tm_clones":   {},
}

// printfOutputs are the output functions newlib's printf helpers are
// passed: each call reaches the one its caller took the address of
// (_vfprintf_r passes __sfputs_r, _svfprintf_r __ssputs_r), see passedBy.
var printfOutputs = []string{"__sfputs_r", "__ssputs_r"}

// passedBy are the library functions whose indirect calls go through a
// function pointer their caller passes: of their candidates, a call
// reaches those whose address the nearest function up the call path that
// takes any of them takes.
var passedBy = []string{"_printf_i", "_printf_common", "_printf_float"}

// signalCallers are newlib's callers of signal handlers. The handlers are
// what the program gave signal(); a program that never calls signal() (it
// is linked along with abort's raise) has none, and raise() then only
// takes the default action.
var signalCallers = []string{"raise", "_raise_r"}

// signalSetters are the functions that register a handler.
var signalSetters = []string{"signal", "_signal_r"}

var stdioHooks = []string{"__sread", "__swrite", "__sseek", "__sclose", "__seofread"}

// libraryRecursion bounds the recursion newlib's stdio set-up has: __sfp
// calls __sinit when stdio is not yet initialised, and __sinit (with
// _REENT_SMALL) allocates the standard streams with __sfp, which then finds
// it initialised.
var libraryRecursion = map[string]int{"__sfp": 2, "__sinit": 2, "__sinit.part.0": 2}
