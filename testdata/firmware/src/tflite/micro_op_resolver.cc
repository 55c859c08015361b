#include "micro_op_resolver.h"

namespace tflite {

// Out-of-line virtual destructor: anchors the vtable (and, through the
// deleting destructor, libstdc++'s sized operator delete) in this file.
MicroOpResolver::~MicroOpResolver() {}

size_t TfLiteTypeSize(TfLiteType type) {
  switch (type) {
    case kTfLiteFloat32:
    case kTfLiteInt32:
      return 4;
    case kTfLiteInt64:
      return 8;
    case kTfLiteInt16:
      return 2;
    case kTfLiteInt8:
    case kTfLiteUInt8:
      return 1;
    default:
      return 0;
  }
}

}  // namespace tflite
