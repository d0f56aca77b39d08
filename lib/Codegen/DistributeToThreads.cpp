//===- DistributeToThreads.cpp - thread chunks as the config says ---------===//
//
// Each op (with its group) whose lowering config has `distribute` is split
// into per-thread chunks by an scf.forall (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace mlc {
#define GEN_PASS_DEF_MLCDISTRIBUTETOTHREADSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::codegen;

namespace {

/// Drops `distribute` from the configs of `ops` (a serial copy).
void keepSerial(ArrayRef<linalg::LinalgOp> ops) {
  for (linalg::LinalgOp op : ops)
    if (std::optional<LoweringConfig> config = LoweringConfig::get(op)) {
      config->distribute.reset();
      config->minParallelWork.reset();
      config->set(op);
    }
}

/// With a dynamic loop, whether the group has work enough to pay for
/// waking the other threads is known only at run time: the group is
/// cloned under an `scf.if` on its anchor's iteration count, a serial copy
/// in the else branch and the one to split (returned) in the then branch.
Group guardParallelWork(RewriterBase &rewriter, const Group &group,
                        int64_t minWork) {
  SmallVector<linalg::LinalgOp> members = group.ops();
  linalg::LinalgOp op = group.anchor;
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(members.front());
  Value work = arith::ConstantIndexOp::create(rewriter, loc, 1);
  for (Range range : op.createLoopRanges(rewriter, loc))
    work = arith::MulIOp::create(
        rewriter, loc, work,
        getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  Value enough = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::sge, work,
      arith::ConstantIndexOp::create(rewriter, loc, minWork));
  auto branch = scf::IfOp::create(rewriter, loc, enough,
                                  /*withElseRegion=*/true);
  auto cloneInto = [&](Block *block) {
    rewriter.setInsertionPoint(block->getTerminator());
    auto cloneOf = [&](linalg::LinalgOp member) {
      return cast<linalg::LinalgOp>(rewriter.clone(*member));
    };
    Group copy;
    for (linalg::LinalgOp member : group.before)
      copy.before.push_back(cloneOf(member));
    copy.anchor = cloneOf(group.anchor);
    for (linalg::LinalgOp member : group.after)
      copy.after.push_back(cloneOf(member));
    return copy;
  };
  Group parallel = cloneInto(branch.thenBlock());
  keepSerial(cloneInto(branch.elseBlock()).ops());
  for (linalg::LinalgOp member : members)
    rewriter.eraseOp(member);
  return parallel;
}

/// Splits `group` along its anchor's loop `split.loop` into `split.threads`
/// chunks run by an scf.forall. A dynamic loop's chunk is a whole number
/// of blocks, computed at run time.
void splitAcrossThreads(RewriterBase &rewriter, const Group &group,
                        const Distribution &split,
                        SmallVectorImpl<linalg::LinalgOp> &leftover) {
  linalg::LinalgOp op = group.anchor;
  rewriter.setInsertionPoint(op);
  SmallVector<OpFoldResult> sizes(op.getNumLoops(), rewriter.getIndexAttr(0));
  Range range = op.createLoopRanges(rewriter, op.getLoc())[split.loop];
  AffineExpr extent = rewriter.getAffineSymbolExpr(0);
  int64_t unit = split.block * split.threads;
  sizes[split.loop] = affine::makeComposedFoldedAffineApply(
      rewriter, op.getLoc(), extent.ceilDiv(unit) * split.block,
      {range.size});
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setTileSizes(sizes);
  FailureOr<scf::SCFTilingResult> chunk =
      tileAndReplace(rewriter, op, options);
  if (failed(chunk)) {
    // Left on one thread, the rest of its config still holds.
    keepSerial(group.ops());
    return;
  }
  auto tiled = cast<linalg::LinalgOp>(chunk->tiledOps.front());
  Group inChunk = fuseSiblings(rewriter, group, tiled, leftover);
  keepSerial(inChunk.ops());
}

struct MLCDistributeToThreadsPass
    : mlc::impl::MLCDistributeToThreadsPassBase<MLCDistributeToThreadsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyLoweringConfigs(func)))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> leftover;
    auto process = [&](Group group) {
      std::optional<LoweringConfig> config =
          LoweringConfig::get(group.anchor);
      if (!config || !config->distribute)
        return;
      Group split = group;
      if (llvm::any_of(group.anchor.getStaticLoopRanges(),
                       ShapedType::isDynamic))
        split = guardParallelWork(
            rewriter, group, config->minParallelWork.value_or(0));
      splitAcrossThreads(rewriter, split, *config->distribute, leftover);
    };
    for (const Group &group : collectGroups(func))
      process(group);
    // Members that could not follow their anchor go on their own.
    while (!leftover.empty())
      process(Group{{}, leftover.pop_back_val(), {}});
  }
};

} // namespace
