//===- ElementwiseInPlace.cpp - element-wise ops over dead inputs ---------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_MLCELEMENTWISEINPLACEPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct WriteOverDeadInput : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() != 0)
      return rewriter.notifyMatchFailure(op, "not a one-result map");
    OpOperand *init = op.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        !op.getMatchingBlockArgument(init).use_empty())
      return rewriter.notifyMatchFailure(op, "destination is read or kept");
    if (!op.getMatchingIndexingMap(init).isIdentity())
      return rewriter.notifyMatchFailure(op, "destination not identity");

    // An input of the result's type, read with the identity map, used by
    // this op alone.
    OpOperand *reuse = nullptr;
    for (OpOperand *input : op.getDpsInputOperands())
      if (input->get().getType() == init->get().getType() &&
          op.getMatchingIndexingMap(input).isIdentity() &&
          input->get().hasOneUse() &&
          !isa<BlockArgument>(input->get())) {
        reuse = input;
        break;
      }
    if (!reuse)
      return rewriter.notifyMatchFailure(op, "no dead input to write over");

    // Rebuild: the reused input becomes the destination; its element is
    // the output block argument.
    unsigned reusedArg = op.getMatchingBlockArgument(reuse).getArgNumber();
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : op.getDpsInputOperands())
      if (input != reuse) {
        inputs.push_back(input->get());
        maps.push_back(op.getMatchingIndexingMap(input));
      }
    maps.push_back(op.getMatchingIndexingMap(init));
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), op->getResultTypes(), inputs,
        ValueRange{reuse->get()}, maps, op.getIteratorTypesArray());
    Region &region = generic.getRegion();
    rewriter.inlineRegionBefore(op.getRegion(), region, region.end());
    Block &body = region.front();
    unsigned outArg = body.getNumArguments() - 1;
    // Uses of the reused input now read the destination's element.
    body.getArgument(reusedArg).replaceAllUsesWith(body.getArgument(outArg));
    body.eraseArgument(reusedArg);
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

struct MLCElementwiseInPlacePass
    : mlc::impl::MLCElementwiseInPlacePassBase<MLCElementwiseInPlacePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mlc::populateElementwiseInPlacePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlc::populateElementwiseInPlacePatterns(RewritePatternSet &patterns) {
  patterns.add<WriteOverDeadInput>(patterns.getContext());
}
