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
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_MLCCOLLAPSESHORTROWSPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Whether result `k` of `map` is a constant 0 into a static unit
/// dimension of `type`: an index that selects nothing (a bias's
/// `(n, c, 0, 0)` over 1 x C x 1 x 1, a 1x1 kernel's `(o, c, 0, 0)`).
bool isUnitIndex(AffineMap map, unsigned k, Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  auto constant = dyn_cast<AffineConstantExpr>(map.getResult(k));
  return shaped && constant && constant.getValue() == 0 &&
         shaped.getDimSize(k) == 1;
}

/// Whether every user of `value` reads it with plain indices: a return,
/// a linalg op whose map of it is a projected permutation, or a reshape
/// (a merged user's collapse of it, which folds with the expansion into
/// one reshape) whose own users do so.
bool readWithPlainIndices(Value value) {
  for (Operation *user : value.getUsers()) {
    if (isa<func::ReturnOp>(user))
      continue;
    if (auto reshape = dyn_cast<tensor::CollapseShapeOp>(user)) {
      if (!readWithPlainIndices(reshape.getResult()))
        return false;
      continue;
    }
    auto consumer = dyn_cast<linalg::LinalgOp>(user);
    if (!consumer)
      return false;
    for (OpOperand &use : consumer->getOpOperands())
      if (use.get() == value &&
          !consumer.getMatchingIndexingMap(&use).isProjectedPermutation())
        return false;
  }
  return true;
}

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
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    // Plain indices only, and inputs' unit indices (`(n, c, 0, 0)` of a
    // 1 x C x 1 x 1 bias), which dropUnitIndices() removes first: upstream's
    // collapse crashes on a constant index.
    llvm::SmallDenseSet<unsigned> seen;
    for (unsigned k = 0; k < map.getNumResults(); ++k) {
      if (op.isDpsInput(&operand) &&
          isUnitIndex(map, k, operand.get().getType()))
        continue;
      auto dim = dyn_cast<AffineDimExpr>(map.getResult(k));
      if (!dim || !seen.insert(dim.getPosition()).second)
        return std::nullopt;
    }
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
  if (!readWithPlainIndices(op->getResult(0)))
    return std::nullopt;
  return ReassociationIndices{int64_t(o), int64_t(i)};
}

/// `op` with the unit indices of its inputs dropped (each such input
/// reshaped without those dimensions, a view once bufferized), so that
/// every map is a projected permutation, which upstream's collapse
/// needs (it crashes on a constant index); `op` itself if it has none or
/// an index is constant otherwise.
linalg::GenericOp dropUnitIndices(linalg::GenericOp op, RewriterBase &rewriter) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Value> inputs(op.getDpsInputs());
  bool changed = false;
  for (auto [n, input] : llvm::enumerate(inputs)) {
    AffineMap map = maps[n];
    SmallVector<unsigned> kept;
    for (unsigned k = 0; k < map.getNumResults(); ++k) {
      if (isUnitIndex(map, k, input.getType()))
        continue;
      if (!isa<AffineDimExpr>(map.getResult(k)))
        return op;
      kept.push_back(k);
    }
    if (kept.size() == map.getNumResults())
      continue;
    // Each kept dimension takes the unit ones before it (the last one
    // also those after it); all-unit inputs become 0-d.
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    for (unsigned k = 0; k < map.getNumResults(); ++k) {
      pending.push_back(k);
      if (llvm::is_contained(kept, k)) {
        groups.push_back(pending);
        pending.clear();
      }
    }
    if (!pending.empty() && !groups.empty())
      groups.back().append(pending.begin(), pending.end());
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> results;
    for (unsigned k : kept) {
      shape.push_back(type.getDimSize(k));
      results.push_back(map.getResult(k));
    }
    rewriter.setInsertionPoint(op);
    inputs[n] = tensor::CollapseShapeOp::create(
        rewriter, op.getLoc(),
        RankedTensorType::get(shape, type.getElementType()), input, groups);
    maps[n] = AffineMap::get(map.getNumDims(), 0, results, op.getContext());
    changed = true;
  }
  if (!changed)
    return op;
  rewriter.setInsertionPoint(op);
  auto rewritten = linalg::GenericOp::create(
      rewriter, op.getLoc(), op.getResultTypes(), inputs, op.getDpsInits(),
      maps, op.getIteratorTypesArray());
  rewriter.inlineRegionBefore(op.getRegion(), rewritten.getRegion(),
                              rewritten.getRegion().end());
  rewriter.replaceOp(op, rewritten->getResults());
  return rewritten;
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
        op = dropUnitIndices(op, rewriter);
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::CollapseResult> collapsed =
            linalg::collapseOpIterationDims(op, {*pair}, rewriter);
        if (failed(collapsed))
          continue;
        rewriter.replaceOp(op, collapsed->results);
        changed = true;
      }
    }
    // A merged op's destination is a reshape of the buffer it filled
    // (collapse_shape(fill(empty))): folded into a fill of a fresh
    // buffer of the merged shape, so that the accumulators are not read
    // through a view, which upstream's transfer hoisting refuses (a 1x1
    // convolution over 7 x 7 pixels kept its accumulators in memory).
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    linalg::FillOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns,
                                                       &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
