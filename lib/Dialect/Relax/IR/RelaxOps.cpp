//===- RelaxOps.cpp - Relax operations ------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
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
  // A call passes the inputs; the callee's output arguments are destinations
  // that the lowering allocates.
  SmallVector<Type> params = callee.getInputArgumentTypes();
  ArrayRef<Type> results = callee.getResultTypes();
  if (getArgs().size() != params.size())
    return emitOpError() << "passes " << getArgs().size()
                         << " arguments but " << getCalleeAttr() << " takes "
                         << params.size() << " inputs";
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

//===----------------------------------------------------------------------===//
// High-level operators
//===----------------------------------------------------------------------===//

// Reshape's result type is given, not inferred; the other high-level ops'
// verifiers and builders come from their shape rules
// (RelaxShapeInference.cpp) through InferTypeOpInterface.

std::optional<SmallVector<ReassociationIndices>>
ReshapeOp::getReassociation() {
  auto source = cast<RankedTensorType>(getData().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (source.getRank() == result.getRank())
    return source.getShape() == result.getShape()
               ? std::optional(SmallVector<ReassociationIndices>())
               : std::nullopt;
  return getReassociationIndicesForReshape(source, result);
}

LogicalResult ReshapeOp::verify() {
  auto source = cast<RankedTensorType>(getData().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (source.getElementType() != result.getElementType())
    return emitOpError() << "changes the element type (" << source
                         << " to " << result << ")";
  std::optional<SmallVector<ReassociationIndices>> groups =
      getReassociation();
  if (!groups)
    return emitOpError()
           << "cannot reshape " << source << " to " << result
           << ": the result must merge or split adjacent dimensions, with "
              "matching sizes";
  // A dynamic size split into several must leave one of them dynamic:
  // the others' sizes then determine it.
  if (source.getRank() < result.getRank())
    for (const ReassociationIndices &group : *groups)
      if (llvm::count_if(group, [&](int64_t d) {
            return result.isDynamicDim(d);
          }) > 1)
        return emitOpError() << "cannot split a dimension of " << source
                             << " into several dynamic ones of " << result;
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getData().getType() == getResult().getType())
    return getData();
  return {};
}

#define GET_OP_CLASSES
#include "mlc/Dialect/Relax/IR/RelaxOps.cpp.inc"
