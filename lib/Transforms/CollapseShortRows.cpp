//===- CollapseShortRows.cpp - short innermost rows merged ----------------===//
//
// See Passes.td: the output's two innermost parallel dimensions of a
// linalg.generic become one when its rows are short and every operand
// reads them contiguously (a 1x1 convolution over 7 x 7 pixels computes
// rows of 49, not 7, lanes).
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_MLCCOLLAPSESHORTROWSPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// The two loops to merge: those of the output's last two dimensions, when
/// both are static parallel loops, the last shorter than `maxRow`, and
/// every operand indexes them (if at all) as one contiguous run.
std::optional<ReassociationIndices> shortRows(linalg::GenericOp op,
                                              int64_t maxRow) {
  // A body that reads its indices (linalg.index) would get them back by
  // division and remainder of the merged one: left as it is.
  if (op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      !op.getBody()->getOps<linalg::IndexOp>().empty())
    return std::nullopt;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  int64_t rank = out.getNumResults();
  if (rank < 2)
    return std::nullopt;
  auto outer = dyn_cast<AffineDimExpr>(out.getResult(rank - 2));
  auto inner = dyn_cast<AffineDimExpr>(out.getResult(rank - 1));
  if (!outer || !inner || inner.getPosition() != outer.getPosition() + 1)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned o = outer.getPosition(), i = inner.getPosition();
  for (unsigned d : {o, i})
    if (iterators[d] != utils::IteratorType::parallel ||
        ShapedType::isDynamic(ranges[d]) || ranges[d] < 2)
      return std::nullopt;
  if (ranges[i] >= maxRow)
    return std::nullopt;
  // Each map reads the pair as two consecutive indices (o, i), or not at
  // all. (Upstream's areDimSequencesPreserved looks only at plain indices:
  // it would merge a window's `h + kh`.)
  for (AffineMap map : op.getIndexingMapsArray()) {
    // Plain indices only: upstream's collapse crashes on a broadcast's
    // constant index (`(n, c, 0, 0)` of a 1 x C x 1 x 1 bias).
    if (!map.isProjectedPermutation())
      return std::nullopt;
    ArrayRef<AffineExpr> results = map.getResults();
    for (size_t k = 0; k < results.size(); ++k) {
      if (!results[k].isFunctionOfDim(o) && !results[k].isFunctionOfDim(i))
        continue;
      auto first = dyn_cast<AffineDimExpr>(results[k]);
      if (!first || first.getPosition() != o || k + 1 == results.size())
        return std::nullopt;
      auto second = dyn_cast<AffineDimExpr>(results[k + 1]);
      if (!second || second.getPosition() != i)
        return std::nullopt;
      ++k; // the pair, read once; another read of o or i fails above
    }
  }
  // The result is expanded back for its users: only for users that read it
  // with plain indices too. Upstream fold-memref-alias-ops folds a read of
  // the expanded view at a constant index (a broadcast's `(0, l, s)`) into
  // the wrong element of the buffer: a MultiheadAttention's averaged
  // weights read rows past the end.
  for (Operation *user : op->getResult(0).getUsers()) {
    if (isa<func::ReturnOp>(user))
      continue;
    auto consumer = dyn_cast<linalg::LinalgOp>(user);
    if (!consumer)
      return std::nullopt;
    for (OpOperand &use : consumer->getOpOperands())
      if (use.get() == op->getResult(0) &&
          !consumer.getMatchingIndexingMap(&use).isProjectedPermutation())
        return std::nullopt;
  }
  return ReassociationIndices{int64_t(o), int64_t(i)};
}

struct MLCCollapseShortRowsPass
    : mlc::impl::MLCCollapseShortRowsPassBase<MLCCollapseShortRowsPass> {
  using MLCCollapseShortRowsPassBase::MLCCollapseShortRowsPassBase;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Until no op has short rows left: a 3-d output's rows merge twice.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<linalg::GenericOp> ops;
      getOperation().walk([&](linalg::GenericOp op) { ops.push_back(op); });
      for (linalg::GenericOp op : ops) {
        std::optional<ReassociationIndices> pair = shortRows(op, maxRow);
        if (!pair)
          continue;
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::CollapseResult> collapsed =
            linalg::collapseOpIterationDims(op, {*pair}, rewriter);
        if (failed(collapsed))
          continue;
        rewriter.replaceOp(op, collapsed->results);
        changed = true;
      }
    }
  }
};

} // namespace
