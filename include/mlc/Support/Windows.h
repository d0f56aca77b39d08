//===- Windows.h - Output sizes of sliding windows --------------*- C++ -*-===//
//
// torch's output size of a window (convolution, pooling) along one
// dimension, shared by the relax shape rules and the topi definitions.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_SUPPORT_WINDOWS_H
#define MLC_SUPPORT_WINDOWS_H

#include <cstdint>

namespace mlc {

/// Windows of `kernel` cells `dilation` apart, every `stride` cells over
/// `size` cells padded by `pad` on both sides. With `ceilMode` a partial
/// last window counts if it starts inside the input or its left padding.
/// Less than 1 when no window fits.
inline int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                                int64_t pad, int64_t dilation,
                                bool ceilMode = false) {
  int64_t span = size + 2 * pad - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  if (!ceilMode)
    return span / stride + 1;
  int64_t out = (span + stride - 1) / stride + 1;
  if ((out - 1) * stride >= size + pad)
    --out;
  return out;
}

} // namespace mlc

#endif // MLC_SUPPORT_WINDOWS_H
