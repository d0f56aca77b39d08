//===- Windows.h - Output sizes of sliding windows --------------*- C++ -*-===//
//
// torch's output size of a window (convolution, pooling) along one
// dimension, shared by the relax shape rules and the topi definitions.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_SUPPORT_WINDOWS_H
#define MLC_SUPPORT_WINDOWS_H

#include "llvm/Support/MathExtras.h"

#include <cstdint>

namespace mlc {

/// Windows of `kernel` cells `dilation` apart, every `stride` cells over
/// `size` cells padded by `pad` on both sides. With `ceilMode` a partial
/// last window counts if it starts inside the input or its left padding.
/// Less than 1 when no window fits.
/// Sizes whose arithmetic overflows int64 (an attribute near 2^63) give 0
/// too: such a window is refused, never wrapped around.
inline int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                int64_t pad, int64_t dilation,
                                bool ceilMode = false) {
  int64_t padded, reach, span;
  if (llvm::MulOverflow(pad, int64_t(2), padded) ||
      llvm::AddOverflow(size, padded, padded) ||
      llvm::MulOverflow(dilation, kernel - 1, reach) ||
      llvm::SubOverflow(padded, reach, span) || span < 1)
    return 0;
  span -= 1;
  if (!ceilMode)
    return span / stride + 1;
  // span / stride rounded up, and (out - 1) * stride <= span + stride - 1:
  // no overflow past the checks above.
  int64_t out = span / stride + (span % stride != 0) + 1;
  if ((out - 1) * stride >= size + pad)
    --out;
  return out;
}

} // namespace mlc

#endif // MLC_SUPPORT_WINDOWS_H
