//===- TIR.h - TensorIR dialect ---------------------------------*- C++ -*-===//
//
// The `tir` dialect: tensor-level functions made of te-style compute ops.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_TIR_IR_TIR_H
#define MLC_DIALECT_TIR_IR_TIR_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

namespace mlc::tir {
/// The signless integer of the same width for a signed or unsigned integer
/// type (ui8 -> i8); any other type as it is. Values in tir bodies are
/// signless, as arith wants; tensors keep their declared signedness.
mlir::Type getSignlessType(mlir::Type type);
} // namespace mlc::tir

#include "mlc/Dialect/TIR/IR/TIRDialect.h.inc"
#include "mlc/Dialect/TIR/IR/TIREnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mlc/Dialect/TIR/IR/TIRAttrs.h.inc"

#define GET_OP_CLASSES
#include "mlc/Dialect/TIR/IR/TIROps.h.inc"

namespace mlc::tir {

/// Whether MLIR's value-bounds analysis may look at `value`: MLIR 22's
/// analysis of `tensor.dim` indexes the shape with a constant dimension
/// operand unchecked, so a dimension out of range (valid IR, undefined at
/// run time) crashes it. Such a value is simply not provable.
bool isSafeForValueBounds(mlir::Value value);

} // namespace mlc::tir

namespace mlc::tir {

/// Returns the identity of reduction `kind` for `elementType` (an integer or
/// float type): 0 for sum, 1 for prod, -inf / the smallest signed integer for
/// max, +inf / the largest signed integer for min, 0 for umax, all ones
/// for umin. Returns a null attribute
/// for any other element type.
mlir::TypedAttr getReductionIdentity(ReductionKind kind,
                                     mlir::Type elementType);

} // namespace mlc::tir

#endif // MLC_DIALECT_TIR_IR_TIR_H
