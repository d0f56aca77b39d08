//===- Relax.h - Relax dialect ----------------------------------*- C++ -*-===//
//
// The `relax` dialect: graph-level ops in func.func bodies.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_RELAX_IR_RELAX_H
#define MLC_DIALECT_RELAX_IR_RELAX_H

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "mlc/Dialect/Relax/IR/RelaxDialect.h.inc"

#define GET_OP_CLASSES
#include "mlc/Dialect/Relax/IR/RelaxOps.h.inc"

namespace mlc::relax {

/// Emits a diagnostic explaining why a shape rule failed; may be null, in
/// which case the rule fails silently.
using ErrorEmitter = llvm::function_ref<mlir::InFlightDiagnostic()>;

/// Result type of an element-wise op on `lhs` and `rhs` under numpy/torch
/// broadcasting.
mlir::FailureOr<mlir::RankedTensorType>
inferBroadcastType(mlir::Type lhs, mlir::Type rhs, ErrorEmitter emitError = {});

/// Result type of torch.matmul(lhs, rhs).
mlir::FailureOr<mlir::RankedTensorType>
inferMatmulType(mlir::Type lhs, mlir::Type rhs, ErrorEmitter emitError = {});

/// Result type of dense(data, weight) = data @ weight.T.
mlir::FailureOr<mlir::RankedTensorType>
inferDenseType(mlir::Type data, mlir::Type weight,
               ErrorEmitter emitError = {});

/// Result type of relu(input): the input's, for integer or float elements.
mlir::FailureOr<mlir::RankedTensorType>
inferReluType(mlir::Type input, ErrorEmitter emitError = {});

/// Result type of conv2d(data, weight) (NCHW, OIHW) with torch's output
/// sizes.
mlir::FailureOr<mlir::RankedTensorType>
inferConv2dType(mlir::Type data, mlir::Type weight,
                llvm::ArrayRef<int64_t> strides,
                llvm::ArrayRef<int64_t> padding,
                llvm::ArrayRef<int64_t> dilation, int64_t groups,
                ErrorEmitter emitError = {});

/// Result type of max_pool2d(data) (NCHW) with torch's output sizes.
mlir::FailureOr<mlir::RankedTensorType>
inferMaxPool2dType(mlir::Type data, llvm::ArrayRef<int64_t> kernel,
                   llvm::ArrayRef<int64_t> strides,
                   llvm::ArrayRef<int64_t> padding,
                   llvm::ArrayRef<int64_t> dilation, bool ceilMode,
                   ErrorEmitter emitError = {});

/// Result type of batch_norm(data, mean, var, weight, bias): the data's.
mlir::FailureOr<mlir::RankedTensorType>
inferBatchNormType(mlir::Type data, llvm::ArrayRef<mlir::Type> parameters,
                   double epsilon, ErrorEmitter emitError = {});

/// Result type of softmax / log_softmax of `data` along `axis`: the data's,
/// for floats and an axis in range.
mlir::FailureOr<mlir::RankedTensorType>
inferSoftmaxType(mlir::Type data, int64_t axis, ErrorEmitter emitError = {});

} // namespace mlc::relax

#endif // MLC_DIALECT_RELAX_IR_RELAX_H
