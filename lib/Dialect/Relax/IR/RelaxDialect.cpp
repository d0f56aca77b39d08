//===- RelaxDialect.cpp - Relax dialect registration ----------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"

using namespace mlir;
using namespace mlc::relax;

#include "mlc/Dialect/Relax/IR/RelaxDialect.cpp.inc"

void RelaxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mlc/Dialect/Relax/IR/RelaxOps.cpp.inc"
      >();
}

Operation *RelaxDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstOp::create(builder, loc, elements);
}
