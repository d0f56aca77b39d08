//===- BufferCacheTest.cpp - the runtime's cache of freed buffers --------===//
//
// RuntimeCore.c keeps freed buffers of 64 KiB or more for the next
// allocation they fit (see "Buffer cache" there). These tests call the
// allocation functions the generated code calls, as it calls them.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/RuntimeCore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

// Under AddressSanitizer the cache keeps nothing (RuntimeCore.c).
#if defined(__SANITIZE_ADDRESS__)
#define MLC_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLC_TEST_ASAN 1
#endif
#endif

namespace {

class BufferCacheTest : public ::testing::Test {
protected:
  void SetUp() override { mlc_release_cached_buffers(); }
  void TearDown() override { mlc_release_cached_buffers(); }
};

#ifndef MLC_TEST_ASAN

TEST_F(BufferCacheTest, AFreedBufferServesTheNextAllocationOfItsSize) {
  // The unaligned function (what finalize-memref-to-llvm calls for an
  // aligned memref.alloc, padding the size itself): malloc's alignment is
  // 16 bytes, which is all the cache may ask of a buffer it hands out.
  void *first = _mlir_memref_to_llvm_alloc(1 << 20);
  ASSERT_NE(first, nullptr);
  _mlir_memref_to_llvm_free(first);
  EXPECT_GE(mlc_cached_buffer_bytes(), size_t(1) << 20);
  void *second = _mlir_memref_to_llvm_alloc(1 << 20);
  EXPECT_EQ(second, first);
  EXPECT_EQ(mlc_cached_buffer_bytes(), 0u);
  _mlir_memref_to_llvm_free(second);

  void *aligned = _mlir_memref_to_llvm_aligned_alloc(64, 3 << 20);
  ASSERT_EQ(reinterpret_cast<uintptr_t>(aligned) % 64, 0u);
  _mlir_memref_to_llvm_free(aligned);
  EXPECT_EQ(_mlir_memref_to_llvm_aligned_alloc(64, 3 << 20), aligned);
  _mlir_memref_to_llvm_free(aligned);
}

TEST_F(BufferCacheTest, KeepsNeitherSmallBuffersNorBuffersTooLargeForTheAsk) {
  void *small = _mlir_memref_to_llvm_alloc(4096);
  _mlir_memref_to_llvm_free(small);
  EXPECT_EQ(mlc_cached_buffer_bytes(), 0u);
  // An 8 MiB buffer would waste more than an eighth of itself on a 1 MiB
  // request: a new buffer is allocated, the large one stays cached.
  void *large = _mlir_memref_to_llvm_alloc(8 << 20);
  _mlir_memref_to_llvm_free(large);
  size_t kept = mlc_cached_buffer_bytes();
  void *other = _mlir_memref_to_llvm_alloc(1 << 20);
  EXPECT_NE(other, large);
  EXPECT_EQ(mlc_cached_buffer_bytes(), kept);
  _mlir_memref_to_llvm_free(other);
  mlc_release_cached_buffers();
  EXPECT_EQ(mlc_cached_buffer_bytes(), 0u);
}

TEST_F(BufferCacheTest, AFullCacheGivesItsOldestBuffersBack) {
  // 1025 buffers of 64 KiB: the first one freed is the one given back.
  std::vector<void *> buffers;
  for (int i = 0; i < 1025; ++i)
    buffers.push_back(_mlir_memref_to_llvm_alloc(64 * 1024));
  for (void *p : buffers)
    _mlir_memref_to_llvm_free(p);
  size_t kept = mlc_cached_buffer_bytes();
  EXPECT_GE(kept, 1024u * 64 * 1024);
  EXPECT_LT(kept, 1025u * 64 * 1024 + 1025u * 64);
  // The newest is still there: the next allocation gets one of them, not
  // the oldest (given back to libc).
  void *again = _mlir_memref_to_llvm_alloc(64 * 1024);
  EXPECT_NE(std::find(buffers.begin() + 1, buffers.end(), again),
            buffers.end());
  _mlir_memref_to_llvm_free(again);
}

#endif

} // namespace
