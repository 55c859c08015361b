// Package tflmarena predicts, byte for byte, the tensor arena that stock
// TensorFlow Lite Micro needs for a model: what to set kTensorArenaSize to
// before flashing, instead of guessing and reading arena_used_bytes() on
// the device.
//
// The model replays MicroInterpreter::AllocateTensors() of one pinned
// tflite-micro commit (TFLMCommit) with the default MicroAllocator, the
// greedy memory planner and the reference kernels, or, for a target built
// with CMSISNN kernels (ABI.WithKernels), TFLM's kernels/cmsis_nn/
// versions with the buffer sizes CMSIS-NN (CMSISNNCommit) asks for on the
// target CPU's code path (plain C, DSP or MVE), allocation by allocation,
// in TFLM's order:
//
//   - the tail (persistent, growing down from the arena's end, each
//     allocation aligned down): the allocator objects, SubgraphAllocations,
//     TfLiteEvalTensor and NodeAndRegistration arrays, each operator's
//     parsed builtin options, each kernel's OpData from Init and the
//     buffers its Prepare allocates (per-channel multipliers and shifts,
//     lookup tables, FFT state), scratch buffer handles, variable tensors'
//     buffers, and the interpreter's input and output TfLiteTensors with
//     their quantisation;
//   - the head (non-persistent, from the arena's start): every planned
//     tensor and every kernel scratch request, placed by tensorplan's
//     replica of TFLM's GreedyMemoryPlanner with TFLM's lifetime rules;
//   - the temporary room setup needs: scratch request records, temporary
//     TfLiteTensors in each Prepare, the AllocationInfo array and the
//     planner's 40 bytes per buffer, all between the head and the tail.
//
// Every check TFLM makes (a temp allocation reaching the tail, the tail
// reaching the head, the planner's room) becomes a lower bound on the arena
// size. Alignment padding in the tail depends on where the arena ends, so
// the bounds are computed for each of the 16 possible end alignments and
// the smallest arena that satisfies its own phase is the minimum; that is
// why the minimum can be smaller than arena_used_bytes(). TFLM lets a
// kernel's persistent buffers reach into its own live temporaries; where
// the bytes the kernel still reads or needs matter (conflicts.go), the
// smallest arena of a phase is the first one, in steps of 16, in which
// none of them lies under the other.
//
// Target ABIs are data (ABI): struct sizes and alignments for cortex-m
// (32-bit pointers, GCC's short enums) and host64, measured with
// sizeof/alignof probes compiled against TFLM's headers by
// arm-none-eabi-g++ and g++ 12.2, the compilers of the oracle. The tests
// compare both numbers, the head, the tail and every RecordingMicroAllocator
// category with real TFLM's measurements in shared/oracle, and, for
// CMSIS-NN on the Cortex-M4 (DSP) and Cortex-M55 (MVE), in
// shared/oracle/cmsis_nn; the other cores (CPUs) follow one of those on
// the same code path or, without DSP or MVE, are modelled from the
// sources alone.
//
// Operators the package does not model make the estimate inexact: it then
// leaves their allocations out, says so in Reasons and its numbers are
// lower bounds.
//
// On top of the estimate: EstimateSplitArena sizes MicroAllocator's
// two-arena form (tail and head in separate buffers); EmbedPlan writes an
// offline plan of tensors and scratch buffers into the model so that stock
// TFLM's head reaches the joint bound where it can; Reorder puts the
// operators in the order with the smallest joint bound; PlanBanks spreads
// the head over several memories.
package tflmarena
