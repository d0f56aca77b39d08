//===- RelaxOps.cpp - Relax operations ------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"

#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlc::relax;

//===----------------------------------------------------------------------===//
// DataflowOp / OutputOp
//===----------------------------------------------------------------------===//

LogicalResult DataflowOp::verifyRegions() {
  Block &block = getBody().front();
  if (block.empty() || !isa<OutputOp>(block.back()))
    return emitOpError() << "body must end with relax.output";
  for (Operation &op : block.without_terminator())
    if (!isMemoryEffectFree(&op))
      return op.emitOpError()
             << "has side effects, which a relax.dataflow block forbids";
  return success();
}

LogicalResult OutputOp::verify() {
  auto dataflow = cast<DataflowOp>((*this)->getParentOp());
  if (getNumOperands() != dataflow.getNumResults())
    return emitOpError() << "outputs " << getNumOperands()
                         << " values but the enclosing relax.dataflow has "
                         << dataflow.getNumResults() << " results";
  for (auto [index, pair] : llvm::enumerate(
           llvm::zip(getOperandTypes(), dataflow.getResultTypes()))) {
    auto [actual, want] = pair;
    if (actual != want)
      return emitOpError() << "type of output #" << index << " (" << actual
                           << ") does not match the relax.dataflow result ("
                           << want << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// CallTIROp
//===----------------------------------------------------------------------===//

namespace {
/// A call type agrees with a callee type when element types are equal, ranks
/// are equal and every pair of static sizes is equal.
bool callTypeAgrees(Type actual, Type declared) {
  auto a = dyn_cast<RankedTensorType>(actual);
  auto d = dyn_cast<RankedTensorType>(declared);
  return a && d && a.getElementType() == d.getElementType() &&
         succeeded(verifyCompatibleShape(a, d));
}
} // namespace

LogicalResult
CallTIROp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *symbol =
      symbolTable.lookupNearestSymbolFrom(*this, getCalleeAttr());
  if (!symbol)
    return emitOpError() << "callee " << getCalleeAttr()
                         << " does not exist";
  auto callee = dyn_cast<mlc::tir::FuncOp>(symbol);
  if (!callee)
    return emitOpError() << "callee " << getCalleeAttr()
                         << " must be a tir.func, but is a '"
                         << symbol->getName() << "'";
  ArrayRef<Type> params = callee.getArgumentTypes();
  ArrayRef<Type> results = callee.getResultTypes();
  if (getArgs().size() != params.size())
    return emitOpError() << "passes " << getArgs().size()
                         << " arguments but " << getCalleeAttr() << " takes "
                         << params.size();
  if (getNumResults() != results.size())
    return emitOpError() << "expects " << getNumResults() << " results but "
                         << getCalleeAttr() << " returns " << results.size();
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(getArgs().getTypes(), params))) {
    auto [actual, declared] = pair;
    if (!callTypeAgrees(actual, declared))
      return emitOpError() << "argument #" << index << " has type " << actual
                           << " but " << getCalleeAttr() << " expects "
                           << declared;
  }
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(getResultTypes(), results))) {
    auto [actual, declared] = pair;
    if (!callTypeAgrees(actual, declared))
      return emitOpError() << "result #" << index << " has type " << actual
                           << " but " << getCalleeAttr() << " returns "
                           << declared;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConstOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstOp::verify() {
  if (!isa<RankedTensorType>(getValue().getType()))
    return emitOpError() << "value must be a ranked tensor, but has type "
                         << getValue().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// High-level operators: verification through type inference
//===----------------------------------------------------------------------===//

namespace {
LogicalResult pushInferred(FailureOr<RankedTensorType> type,
                           SmallVectorImpl<Type> &inferred) {
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}
} // namespace

#define MLC_RELAX_BROADCAST_INFER(OP)                                          \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &inferred) {        \
    return pushInferred(inferBroadcastType(loc, adaptor.getLhs().getType(),    \
                                           adaptor.getRhs().getType()),        \
                        inferred);                                             \
  }
MLC_RELAX_BROADCAST_INFER(AddOp)
MLC_RELAX_BROADCAST_INFER(SubtractOp)
MLC_RELAX_BROADCAST_INFER(MultiplyOp)
MLC_RELAX_BROADCAST_INFER(DivideOp)
#undef MLC_RELAX_BROADCAST_INFER

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return pushInferred(inferMatmulType(loc, adaptor.getLhs().getType(),
                                      adaptor.getRhs().getType()),
                      inferred);
}

LogicalResult DenseOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  return pushInferred(inferDenseType(loc, adaptor.getData().getType(),
                                     adaptor.getWeight().getType()),
                      inferred);
}

LogicalResult ReluOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!type || !isa<FloatType, IntegerType>(type.getElementType()))
    return emitOptionalError(loc, "relu needs a tensor of integers or "
                                  "floats, but got ",
                             adaptor.getInput().getType());
  inferred.push_back(type);
  return success();
}

#define GET_OP_CLASSES
#include "mlc/Dialect/Relax/IR/RelaxOps.cpp.inc"
