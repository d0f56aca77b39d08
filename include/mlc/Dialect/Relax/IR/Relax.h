//===- Relax.h - Relax dialect ----------------------------------*- C++ -*-===//
//
// The `relax` dialect: graph-level ops in func.func bodies.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_RELAX_IR_RELAX_H
#define MLC_DIALECT_RELAX_IR_RELAX_H

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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

/// Result type of an element-wise op on `lhs` and `rhs` under numpy/torch
/// broadcasting. On mismatch, emits the reason at `loc` (when given) and
/// fails.
mlir::FailureOr<mlir::RankedTensorType>
inferBroadcastType(std::optional<mlir::Location> loc, mlir::Type lhs,
                   mlir::Type rhs);

/// Result type of torch.matmul(lhs, rhs); emits the reason on mismatch.
mlir::FailureOr<mlir::RankedTensorType>
inferMatmulType(std::optional<mlir::Location> loc, mlir::Type lhs,
                mlir::Type rhs);

/// Result type of dense(data, weight) = data @ weight.T; emits the reason on
/// mismatch.
mlir::FailureOr<mlir::RankedTensorType>
inferDenseType(std::optional<mlir::Location> loc, mlir::Type data,
               mlir::Type weight);

} // namespace mlc::relax

#endif // MLC_DIALECT_RELAX_IR_RELAX_H
