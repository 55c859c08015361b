// The qemu build's error-path probe (only linked into qemu-mps2-an386).
//
// Before main runs, a static constructor builds an interpreter with no
// kernels registered: its AllocateTensors() fails and logs "no kernel for
// builtin operator N" through MicroPrintf. That log is the deepest path a
// static stack analysis of this program finds, so running it once makes
// the painted-stack measurement cover it.
#include "../tflite/micro_interpreter.h"
#include "../tflite/micro_log.h"
#include "../tflite/micro_op_resolver.h"
#include "model_data.h"

namespace {

uint8_t probe_arena[1200];

__attribute__((constructor)) void RunErrorPathProbe() {
  static tflite::MicroMutableOpResolver<1> no_kernels;
  tflite::MicroInterpreter probe(g_model, g_model_len, no_kernels, probe_arena, sizeof(probe_arena));
  if (probe.AllocateTensors() == tflite::kTfLiteOk) {
    tflite::MicroPrintf("probe: AllocateTensors() unexpectedly succeeded");
  }
}

}  // namespace
