#ifndef FOOTPRINT_FW_TFLITE_MICRO_ALLOCATOR_H_
#define FOOTPRINT_FW_TFLITE_MICRO_ALLOCATOR_H_

#include <stddef.h>
#include <stdint.h>

namespace tflite {

// MicroAllocator hands out memory from a caller-provided arena: persistent
// buffers from the tail, per-inference (planned) buffers from the head.
class MicroAllocator {
 public:
  MicroAllocator(uint8_t* arena, size_t arena_size);

  void* AllocatePersistent(size_t bytes, size_t alignment);
  void* AllocateHead(size_t bytes, size_t alignment);
  void ResetHead() { head_ = aligned_start_; }
  size_t used_bytes() const;

  template <typename T>
  T* AllocateArray(size_t count) {
    return static_cast<T*>(AllocatePersistent(sizeof(T) * count, alignof(T)));
  }

 private:
  uint8_t* aligned_start_;
  uint8_t* head_;
  uint8_t* tail_;
  uint8_t* end_;
};

}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_MICRO_ALLOCATOR_H_
