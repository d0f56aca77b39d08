//===- Topi.h - te definitions of the high-level operators ------*- C++ -*-===//
//
// mlc's operator library (TVM's topi): one te definition per relax
// high-level op. The Python package binds them as mlc.topi, and
// --relax-legalize turns relax ops into call_tir of functions built from
// the same definitions.
//
// Broadcasting follows numpy: shapes align from the right and a size-1
// dimension stretches. A dynamic dimension is assumed to equal the size it
// meets (only a static 1 stretches).
//
//===----------------------------------------------------------------------===//

#ifndef MLC_TOPI_TOPI_H
#define MLC_TOPI_TOPI_H

#include "mlc/TE/TE.h"

#include <functional>

namespace mlc::topi {

/// dense(data, weight) = data @ weight.T, data (..., K), weight (N, K).
te::Tensor dense(const te::Tensor &data, const te::Tensor &weight,
                 llvm::StringRef name = "T_dense");

/// torch.matmul / numpy.matmul: 1-D promotion, batch broadcasting.
te::Tensor matmul(const te::Tensor &a, const te::Tensor &b,
                  llvm::StringRef name = "T_matmul");

te::Tensor add(const te::Tensor &a, const te::Tensor &b,
               llvm::StringRef name = "T_add");
te::Tensor subtract(const te::Tensor &a, const te::Tensor &b,
                    llvm::StringRef name = "T_subtract");
te::Tensor multiply(const te::Tensor &a, const te::Tensor &b,
                    llvm::StringRef name = "T_multiply");
te::Tensor divide(const te::Tensor &a, const te::Tensor &b,
                  llvm::StringRef name = "T_divide");

/// max(x, 0), element-wise.
te::Tensor relu(const te::Tensor &x, llvm::StringRef name = "T_relu");

/// fn of every element, computed in float32 for float16 and bfloat16 (as
/// torch's CPU kernels do) and rounded back: float functions by category.
te::Tensor floatFunction(const te::Tensor &x,
                         const std::function<te::Expr(const te::Expr &)> &fn,
                         llvm::StringRef name);

/// Reductions over `axes` (distinct; negative from the end; none: all),
/// dropped or kept with size 1, accumulated in the element type. `kind` is
/// "sum", "mean", "max", "min" or "prod"; max/min propagate NaN.
te::Tensor reduce(const te::Tensor &x, llvm::StringRef kind,
                  llvm::ArrayRef<int64_t> axes, bool keepdims,
                  llvm::StringRef name);

/// torch.nn.functional.layer_norm over the last weight.rank dimensions:
/// mean and biased variance of each row, then x * rstd + (-rstd * mean)
/// (one fma, as torch's kernel computes it) times weight plus bias, in
/// float32 for float16 and bfloat16. weight and bias have the shape of
/// data's last dimensions.
te::Tensor layerNorm(const te::Tensor &data, const te::Tensor &weight,
                     const te::Tensor &bias, double epsilon,
                     llvm::StringRef name = "T_layer_norm");

/// torch.softmax / torch.log_softmax along `axis` (negative: from the end),
/// as torch's CPU kernel computes them (docs in RelaxOps.td).
te::Tensor softmax(const te::Tensor &x, int64_t axis,
                   llvm::StringRef name = "T_softmax");
te::Tensor logSoftmax(const te::Tensor &x, int64_t axis,
                      llvm::StringRef name = "T_log_softmax");

/// 2-D convolution as torch.nn.Conv2d: NCHW data, OIHW weight (I = C /
/// groups), symmetric zero padding (ph, pw), strides and dilations (h, w).
/// C, H, W and the weight's sizes must be static; N may be dynamic.
te::Tensor conv2dNCHW(const te::Tensor &data, const te::Tensor &weight,
                      llvm::ArrayRef<int64_t> stride,
                      llvm::ArrayRef<int64_t> padding,
                      llvm::ArrayRef<int64_t> dilation, int64_t groups,
                      llvm::StringRef name = "conv2d");

/// torch.nn.AvgPool2d over float NCHW data (H and W static, no divisor
/// override): the window's sum (in float32 for half types) over its count,
/// padding counted when countIncludePad (never past the padded edge).
te::Tensor avgPool2d(const te::Tensor &data, llvm::ArrayRef<int64_t> kernel,
                     llvm::ArrayRef<int64_t> stride,
                     llvm::ArrayRef<int64_t> padding, bool ceilMode,
                     bool countIncludePad, llvm::StringRef name = "avg_pool2d");

/// torch.nn.MaxPool2d over NCHW data (H and W static): the maximum of each
/// window, positions outside the input never chosen.
te::Tensor maxPool2d(const te::Tensor &data, llvm::ArrayRef<int64_t> kernel,
                     llvm::ArrayRef<int64_t> stride,
                     llvm::ArrayRef<int64_t> padding,
                     llvm::ArrayRef<int64_t> dilation, bool ceilMode,
                     llvm::StringRef name = "max_pool2d");

/// Inference batch norm over channel dimension 1: (x - mean) / sqrt(var +
/// eps) * weight + bias, the statistics and affine parameters of rank 1
/// (float16 computed in float32).
te::Tensor batchNormInference(const te::Tensor &data, const te::Tensor &mean,
                              const te::Tensor &var, const te::Tensor &weight,
                              const te::Tensor &bias, double epsilon,
                              llvm::StringRef name = "batch_norm");

/// The broadcast shape of two te shapes; throws mlc::Error when they do
/// not broadcast. A dynamic size is not stretched: where it meets another
/// size that is not a static 1, the two must be equal, which the next
/// te.compute requires at run time (te::requireEqual; the message names
/// the op and the operands `aName` and `bName`).
std::vector<te::Expr> broadcastShape(llvm::ArrayRef<te::Expr> a,
                                     llvm::ArrayRef<te::Expr> b,
                                     llvm::StringRef op = "broadcast",
                                     llvm::StringRef aName = "lhs",
                                     llvm::StringRef bName = "rhs");

} // namespace mlc::topi

#endif // MLC_TOPI_TOPI_H
