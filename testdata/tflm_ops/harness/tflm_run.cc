// tflm_run: runs one .tflite model with TFLM's reference kernels and prints
// one JSON object: status, arena figures, output bytes.
//
//   tflm_run MODEL [INPUT]     INPUT: all inputs' raw bytes, concatenated;
//                              default: byte i of each input = (i*7+3)%256.
//
// An INPUT holding k rounds of inputs (k times their total size) invokes
// the model k times, one round each, and prints the outputs of the last:
// that is how stateful kernels (Delay, Framer, CIRCULAR_BUFFER) are
// checked. An invocation a kernel ends early on purpose (kTfLiteAbort, as
// CIRCULAR_BUFFER does between its strides) is not a failure: the next
// round goes on, and "aborted" says the last one ended so.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

// On a bare-metal target (arm-none-eabi: a Cortex-M run under qemu-arm
// with semihosting) there is no fork: the bisection's attempts run in this
// process, one after the other.
#if defined(__arm__) && !defined(__linux__)
#define TFLM_RUN_NO_FORK 1
#else
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "tensorflow/lite/micro/arena_allocator/single_arena_buffer_allocator.h"
#include "tensorflow/lite/micro/memory_planner/greedy_memory_planner.h"
#include "tensorflow/lite/micro/micro_allocator.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/micro/micro_resource_variable.h"
#include "tensorflow/lite/schema/schema_generated.h"

static bool g_quiet = false;
static std::string g_log;

extern "C" void DebugLog(const char* format, va_list args) {
  if (g_quiet) return;
  char buf[2048];
  vsnprintf(buf, sizeof(buf), format, args);
  g_log += buf;
}
extern "C" int DebugVsnprintf(char* buffer, size_t buf_size,
                              const char* format, va_list vlist) {
  return vsnprintf(buffer, buf_size, format, vlist);
}

using Resolver = tflite::MicroMutableOpResolver<160>;

static void AddAll(Resolver& r) {
  r.AddAbs(); r.AddAdd(); r.AddAddN(); r.AddArgMax(); r.AddArgMin();
  r.AddAssignVariable(); r.AddAveragePool2D(); r.AddBatchMatMul();
  r.AddBatchToSpaceNd(); r.AddBroadcastArgs(); r.AddBroadcastTo();
  r.AddCallOnce(); r.AddCast(); r.AddCeil(); r.AddCircularBuffer();
  r.AddConcatenation(); r.AddConv2D(); r.AddCos(); r.AddCumSum();
  r.AddDecode(); r.AddDelay(); r.AddDepthToSpace(); r.AddDepthwiseConv2D();
  r.AddDequantize(); r.AddDetectionPostprocess(); r.AddDiv();
  r.AddDynamicUpdateSlice(); r.AddEmbeddingLookup(); r.AddEnergy();
  r.AddElu(); r.AddEqual(); r.AddExp(); r.AddExpandDims();
  r.AddFftAutoScale(); r.AddFill(); r.AddFilterBank(); r.AddFilterBankLog();
  r.AddFilterBankSquareRoot(); r.AddFilterBankSpectralSubtraction();
  r.AddFloor(); r.AddFloorDiv(); r.AddFloorMod(); r.AddFramer();
  r.AddFullyConnected(); r.AddGather(); r.AddGatherNd(); r.AddGreater();
  r.AddGreaterEqual(); r.AddHardSwish(); r.AddIf(); r.AddIrfft();
  r.AddL2Normalization(); r.AddL2Pool2D(); r.AddLeakyRelu(); r.AddLess();
  r.AddLessEqual(); r.AddLog(); r.AddLogicalAnd(); r.AddLogicalNot();
  r.AddLogicalOr(); r.AddLogistic(); r.AddLogSoftmax(); r.AddMaximum();
  r.AddMaxPool2D(); r.AddMirrorPad(); r.AddMean(); r.AddMinimum();
  r.AddMul(); r.AddNeg(); r.AddNotEqual(); r.AddOverlapAdd(); r.AddPack();
  r.AddPad(); r.AddPadV2(); r.AddPCAN(); r.AddPrelu(); r.AddQuantize();
  r.AddReadVariable(); r.AddReduceAll(); r.AddReduceMax(); r.AddReduceMin();
  r.AddRelu(); r.AddRelu6(); r.AddReshape(); r.AddResizeBilinear();
  r.AddResizeNearestNeighbor(); r.AddReverseV2(); r.AddRfft(); r.AddRound();
  r.AddRsqrt(); r.AddSelectV2(); r.AddShape(); r.AddSin(); r.AddSlice();
  r.AddSoftmax(); r.AddSpaceToBatchNd(); r.AddSpaceToDepth(); r.AddSplit();
  r.AddSplitV(); r.AddSqueeze(); r.AddSqrt(); r.AddSquare();
  r.AddSquaredDifference(); r.AddStridedSlice(); r.AddStacker(); r.AddSub();
  r.AddSum(); r.AddSvdf(); r.AddTanh(); r.AddTransposeConv();
  r.AddTranspose(); r.AddUnpack(); r.AddUnidirectionalSequenceLSTM();
  r.AddVarHandle(); r.AddWhile(); r.AddWindow(); r.AddZerosLike();
}

struct Result {
  int stage = 0;  // 0 ok, 1 allocate failed, 2 invoke failed, 3 inputs
  bool aborted = false;  // the last invocation ended early (kTfLiteAbort)
  size_t used = 0, head = 0, tail = 0;
  std::vector<std::string> outputs;
};

static bool UsesResourceVariables(const tflite::Model* model) {
  auto* codes = model->operator_codes();
  if (codes == nullptr) return false;
  for (auto* c : *codes) {
    int b = std::max<int>(c->deprecated_builtin_code(), c->builtin_code());
    if (b == tflite::BuiltinOperator_VAR_HANDLE) return true;
  }
  return false;
}

// Run builds an interpreter in an arena of size bytes (16-byte aligned
// start) and runs it once, or once per round of inputs in input.
static Result Run(const tflite::Model* model, const Resolver& resolver,
                  size_t size, const std::vector<uint8_t>* input,
                  bool want_outputs) {
  Result res;
  std::vector<uint8_t> storage(size + 16);
  uint8_t* arena = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(storage.data()) + 15) & ~uintptr_t(15));
  auto* mem = tflite::SingleArenaBufferAllocator::Create(arena, size);
  auto* planner_buf = mem->AllocatePersistentBuffer(
      sizeof(tflite::GreedyMemoryPlanner), alignof(tflite::GreedyMemoryPlanner));
  if (planner_buf == nullptr) {
    res.stage = 1;
    return res;
  }
  auto* planner = new (planner_buf) tflite::GreedyMemoryPlanner();
  auto* allocator = tflite::MicroAllocator::Create(mem, planner);
  if (allocator == nullptr) {
    res.stage = 1;
    return res;
  }
  tflite::MicroResourceVariables* vars = nullptr;
  if (UsesResourceVariables(model)) {
    vars = tflite::MicroResourceVariables::Create(allocator, 16);
    if (vars == nullptr) {
      res.stage = 1;
      return res;
    }
  }
  tflite::MicroInterpreter interp(model, resolver, allocator, vars);
  if (interp.AllocateTensors() != kTfLiteOk) {
    res.stage = 1;
    return res;
  }
  res.used = mem->GetUsedBytes();
  res.head = mem->GetNonPersistentUsedBytes();
  res.tail = mem->GetPersistentUsedBytes();
  size_t round = 0;
  for (size_t i = 0; i < interp.inputs_size(); i++) round += interp.input(i)->bytes;
  size_t rounds = 1;
  if (input != nullptr) {
    if (round == 0 ? !input->empty() : input->empty() || input->size() % round != 0) {
      res.stage = 3;
      return res;
    }
    if (round > 0) rounds = input->size() / round;
  }
  size_t pos = 0;
  for (size_t k = 0; k < rounds; k++) {
    for (size_t i = 0; i < interp.inputs_size(); i++) {
      TfLiteTensor* t = interp.input(i);
      if (input != nullptr) {
        memcpy(t->data.raw, input->data() + pos, t->bytes);
        pos += t->bytes;
      } else {
        for (size_t b = 0; b < t->bytes; b++) t->data.uint8[b] = uint8_t(b * 7 + 3);
      }
    }
    // tflite::kTfLiteAbort is a kernel ending the invocation early on purpose
    // (CIRCULAR_BUFFER between its strides): the next round goes on.
    TfLiteStatus status = interp.Invoke();
    res.aborted = status == tflite::kTfLiteAbort;
    if (status != kTfLiteOk && !res.aborted) {
      res.stage = 2;
      return res;
    }
  }
  if (want_outputs) {
    for (size_t i = 0; i < interp.outputs_size(); i++) {
      TfLiteTensor* t = interp.output(i);
      std::string hex;
      char b[3];
      for (size_t k = 0; k < t->bytes; k++) {
        snprintf(b, sizeof(b), "%02x", t->data.uint8[k]);
        hex += b;
      }
      res.outputs.push_back(hex);
    }
  }
  return res;
}

// Fits reports whether the model allocates and runs in an arena of size
// bytes. Each attempt runs in a child process: with too small an arena
// some kernels' Prepare aborts (an LSTM deallocating a temporary it failed
// to allocate) instead of failing.
static bool Fits(const tflite::Model* model, const Resolver& resolver,
                 size_t size, const std::vector<uint8_t>* input) {
#ifdef TFLM_RUN_NO_FORK
  return Run(model, resolver, size, input, false).stage == 0;
#else
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    _exit(Run(model, resolver, size, input, false).stage);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#endif
}

static void JSONString(const std::string& s) {
  putchar('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      putchar('\\');
      putchar(c);
    } else if (c == '\n') {
      fputs("\\n", stdout);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      printf("\\u%04x", c);
    } else {
      putchar(c);
    }
  }
  putchar('"');
}

static bool ReadFile(const char* path, std::vector<uint8_t>* out) {
  FILE* f = fopen(path, "rb");
  if (f == nullptr) return false;
  uint8_t buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out->insert(out->end(), buf, buf + n);
  fclose(f);
  return true;
}

int main(int argc, char** argv) {
  // -nomin skips the bisection (no min_arena_bytes): without fork, a kernel
  // that crashes in a too small arena ends the whole run. -fits SIZE only
  // tries an arena of SIZE bytes and exits with 0 if the model allocates
  // and runs in it: measure.sh bisects with it, one process per attempt.
  bool want_min = true;
  long fits_size = -1;
  if (argc > 1 && strcmp(argv[1], "-nomin") == 0) {
    want_min = false;
    argc--;
    argv++;
  } else if (argc > 2 && strcmp(argv[1], "-fits") == 0) {
    fits_size = atol(argv[2]);
    argc -= 2;
    argv += 2;
  }
  if (argc < 2 || fits_size < -1) {
    fprintf(stderr, "usage: tflm_run [-nomin | -fits SIZE] MODEL [INPUT]\n");
    return 2;
  }
  // The flatbuffer must be aligned as a converter's output would be.
  std::vector<uint8_t> raw;
  if (!ReadFile(argv[1], &raw)) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  alignas(16) static uint8_t model_data[8 << 20];
  if (raw.size() > sizeof(model_data)) return 2;
  memcpy(model_data, raw.data(), raw.size());
  std::vector<uint8_t> input;
  std::vector<uint8_t>* in = nullptr;
  if (argc > 2) {
    if (!ReadFile(argv[2], &input)) return 2;
    in = &input;
  }
  const tflite::Model* model = tflite::GetModel(model_data);
  static Resolver resolver;
  AddAll(resolver);

  if (fits_size >= 0) {
    g_quiet = true;
    return Run(model, resolver, fits_size, in, false).stage == 0 ? 0 : 1;
  }
  const size_t big = 4 << 20;
  Result r = Run(model, resolver, big, in, true);
  printf("{\"status\":");
  static const char* status[] = {"ok", "allocate_failed", "invoke_failed", "bad_input"};
  JSONString(status[r.stage]);
  if (r.stage == 0 || r.stage == 2) {
    // %lu, not %zu: newlib's printf for arm-none-eabi lacks C99's z.
    printf(",\"arena_used_bytes\":%lu,\"arena_head_bytes\":%lu,\"arena_tail_bytes\":%lu",
           static_cast<unsigned long>(r.used), static_cast<unsigned long>(r.head),
           static_cast<unsigned long>(r.tail));
  }
  if (r.stage == 0 && want_min) {
    // The smallest arena with which allocation and invocation succeed.
    g_quiet = true;
    size_t lo = 0, hi = r.used + 4096;
    while (!Fits(model, resolver, hi, in) && hi < big) hi *= 2;
    while (lo + 1 < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (Fits(model, resolver, mid, in)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    g_quiet = false;
    printf(",\"min_arena_bytes\":%lu", static_cast<unsigned long>(hi));
  }
  if (r.stage == 0) {
    if (r.aborted) printf(",\"aborted\":true");
    printf(",\"outputs\":[");
    for (size_t i = 0; i < r.outputs.size(); i++) {
      if (i > 0) putchar(',');
      JSONString(r.outputs[i]);
    }
    putchar(']');
  }
  printf(",\"log\":");
  JSONString(g_log);
  printf("}\n");
  return 0;
}
