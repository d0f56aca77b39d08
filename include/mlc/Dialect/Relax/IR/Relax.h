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
/// which case the rule fails silently. (The rules themselves are the ops'
/// inferReturnTypes, in RelaxShapeInference.cpp.)
using ErrorEmitter = llvm::function_ref<mlir::InFlightDiagnostic()>;

} // namespace mlc::relax

#endif // MLC_DIALECT_RELAX_IR_RELAX_H
