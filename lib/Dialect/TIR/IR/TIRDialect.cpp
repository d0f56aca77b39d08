//===- TIRDialect.cpp - TensorIR dialect registration ---------------------===//

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlc::tir;

#include "mlc/Dialect/TIR/IR/TIRDialect.cpp.inc"
#include "mlc/Dialect/TIR/IR/TIREnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mlc/Dialect/TIR/IR/TIRAttrs.cpp.inc"

void TIRDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mlc/Dialect/TIR/IR/TIRAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "mlc/Dialect/TIR/IR/TIROps.cpp.inc"
      >();
}

LogicalResult TIRDialect::verifyRegionArgAttribute(Operation *op,
                                                   unsigned regionIndex,
                                                   unsigned argIndex,
                                                   NamedAttribute attr) {
  if (attr.getName() != getOutputAttrName())
    return op->emitError() << "unknown tir argument attribute '"
                           << attr.getName().getValue() << "'";
  if (!isa<UnitAttr>(attr.getValue()))
    return op->emitError() << "'" << getOutputAttrName()
                           << "' is a unit attribute";
  if (!isa<FuncOp>(op))
    return op->emitError() << "'" << getOutputAttrName()
                           << "' marks arguments of a tir.func only";
  return success();
}
