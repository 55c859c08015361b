#include "micro_allocator.h"

namespace tflite {
namespace {

uint8_t* AlignUp(uint8_t* p, size_t alignment) {
  uintptr_t v = reinterpret_cast<uintptr_t>(p);
  return reinterpret_cast<uint8_t*>((v + alignment - 1) & ~(alignment - 1));
}

uint8_t* AlignDown(uint8_t* p, size_t alignment) {
  uintptr_t v = reinterpret_cast<uintptr_t>(p);
  return reinterpret_cast<uint8_t*>(v & ~(alignment - 1));
}

}  // namespace

MicroAllocator::MicroAllocator(uint8_t* arena, size_t arena_size)
    : aligned_start_(AlignUp(arena, 16)),
      head_(aligned_start_),
      tail_(arena + arena_size),
      end_(arena + arena_size) {}

void* MicroAllocator::AllocatePersistent(size_t bytes, size_t alignment) {
  uint8_t* p = AlignDown(tail_ - bytes, alignment);
  if (bytes > static_cast<size_t>(tail_ - head_) || p < head_) return nullptr;
  tail_ = p;
  return p;
}

void* MicroAllocator::AllocateHead(size_t bytes, size_t alignment) {
  uint8_t* p = AlignUp(head_, alignment);
  if (p + bytes > tail_) return nullptr;
  head_ = p + bytes;
  return p;
}

size_t MicroAllocator::used_bytes() const {
  return static_cast<size_t>(head_ - aligned_start_) +
         static_cast<size_t>(end_ - tail_);
}

}  // namespace tflite
