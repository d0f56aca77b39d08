//===- DistributeToThreads.cpp - thread chunks as the config says ---------===//
//
// Each op (with its group) whose lowering config has `distribute` is split
// into per-thread chunks by an scf.forall: on tensors by upstream
// tile-and-fuse, on buffers by tiling and the group's siblings (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
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

/// The value a chain of destination-style results started from (on
/// tensors, the `tensor.empty` of a group; a buffer is its own).
Value destinationRoot(Value value) {
  while (auto dps = value.getDefiningOp<DestinationStyleOpInterface>())
    value = dps.getTiedOpOperand(cast<OpResult>(value))->get();
  return value;
}

/// The loop extents of `op` from its operands' shapes (upstream's
/// shapes-to-loops map), a destination's taken from where its chain
/// started: on tensors a `tensor.dim` of a member's result would keep the
/// member alive after its tiles replaced it.
SmallVector<OpFoldResult> loopExtents(RewriterBase &rewriter,
                                      linalg::LinalgOp op) {
  Location loc = op.getLoc();
  SmallVector<OpFoldResult> shapes;
  for (OpOperand &operand : op->getOpOperands()) {
    Value source = destinationRoot(operand.get());
    auto type = dyn_cast<ShapedType>(source.getType());
    for (int64_t d = 0; type && d < type.getRank(); ++d)
      shapes.push_back(linalg::createFoldedDimOp(rewriter, loc, source, d));
  }
  return affine::makeComposedFoldedMultiResultAffineApply(
      rewriter, loc, op.getShapesToLoopsMap(), shapes);
}

/// The tile sizes of `split`'s chunks of a loop of `extent` among the
/// `loops` of an op: whole blocks, ceil(extent / (block * threads)) *
/// block, computed at run time when the extent is dynamic.
SmallVector<OpFoldResult> chunkSizes(RewriterBase &rewriter, Location loc,
                                     unsigned loops, unsigned loop,
                                     OpFoldResult extent,
                                     const Distribution &split) {
  SmallVector<OpFoldResult> sizes(loops, rewriter.getIndexAttr(0));
  AffineExpr e = rewriter.getAffineSymbolExpr(0);
  int64_t unit = split.block * split.threads;
  sizes[loop] = affine::makeComposedFoldedAffineApply(
      rewriter, loc, e.ceilDiv(unit) * split.block, {extent});
  return sizes;
}

/// With a dynamic loop, whether the group has work enough to pay for
/// waking the other threads is known only at run time: the group is
/// cloned under an `scf.if` on its anchor's iteration count, a serial copy
/// in the else branch and the one to split (returned) in the then branch.
/// On buffers the `scf.if` takes the group's place; on tensors it goes
/// where the last member was (past what the members read) and yields the
/// chain's result.
Group guardParallelWork(RewriterBase &rewriter, const Group &group,
                        int64_t minWork) {
  SmallVector<linalg::LinalgOp> members = group.ops();
  linalg::LinalgOp op = group.anchor;
  bool onTensors = op.hasPureTensorSemantics();
  Location loc = op.getLoc();
  Operation *last = members.back();
  rewriter.setInsertionPoint(onTensors ? last : members.front().getOperation());
  Value work = arith::ConstantIndexOp::create(rewriter, loc, 1);
  for (OpFoldResult extent : loopExtents(rewriter, op))
    work = arith::MulIOp::create(
        rewriter, loc, work,
        getValueOrCreateConstantIndexOp(rewriter, loc, extent));
  Value enough = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::sge, work,
      arith::ConstantIndexOp::create(rewriter, loc, minWork));
  auto branch = scf::IfOp::create(
      rewriter, loc, last->getResultTypes(), // none on buffers
      enough, /*withElseRegion=*/true);
  auto cloneInto = [&](Block *block) {
    // A branch without results has its terminator already.
    if (block->empty())
      rewriter.setInsertionPointToEnd(block);
    else
      rewriter.setInsertionPoint(block->getTerminator());
    IRMapping mapping;
    auto cloneOf = [&](linalg::LinalgOp member) {
      return cast<linalg::LinalgOp>(rewriter.clone(*member, mapping));
    };
    Group copy;
    for (linalg::LinalgOp member : group.before)
      copy.before.push_back(cloneOf(member));
    copy.anchor = cloneOf(group.anchor);
    for (linalg::LinalgOp member : group.after)
      copy.after.push_back(cloneOf(member));
    if (onTensors)
      scf::YieldOp::create(rewriter, loc, copy.ops().back()->getResults());
    return copy;
  };
  Group parallel = cloneInto(branch.thenBlock());
  keepSerial(cloneInto(branch.elseBlock()).ops());
  for (linalg::LinalgOp member : llvm::reverse(members)) {
    if (onTensors && member == last)
      rewriter.replaceOp(member, branch.getResults());
    else
      rewriter.eraseOp(member);
  }
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
  SmallVector<OpFoldResult> sizes =
      chunkSizes(rewriter, op.getLoc(), op.getNumLoops(), split.loop,
                 loopExtents(rewriter, op)[split.loop], split);
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

/// Whether the members of `group` on tensors form a chain: each one's
/// result used only by the next one, once, as its destination (read as an
/// input too, tile-and-fuse would compute it twice per chunk).
bool isChainOnTensors(const Group &group) {
  SmallVector<linalg::LinalgOp> members = group.ops();
  for (size_t i = 1; i < members.size(); ++i) {
    linalg::LinalgOp producer = members[i - 1], user = members[i];
    if (producer->getNumResults() != 1 || user.getNumDpsInits() != 1 ||
        user.getDpsInitOperand(0)->get() != producer->getResult(0) ||
        !producer->getResult(0).hasOneUse())
      return false;
  }
  return true;
}

/// On tensors the chunks are upstream tile-and-fuse: the group's last op
/// (the epilogue's end, or the anchor) is tiled into an scf.forall, and
/// its producers in the group (the anchor, the epilogue before it, the
/// fill) are fused into each chunk through the slices it reads,
/// destinations included, so that the chunk writes one slice of one
/// `shared_outs` tensor which bufferization keeps in place. Producers
/// outside the group (padding, other kernels) are not fused: each chunk
/// would recompute the part of them that it reads. Members that could
/// not be fused are split alone.
void splitOnTensors(RewriterBase &rewriter, const Group &group,
                    const Distribution &split,
                    SmallVectorImpl<linalg::LinalgOp> &leftover) {
  linalg::LinalgOp anchor = group.anchor;
  linalg::LinalgOp consumer = group.ops().back();
  // The anchor's loop as a loop of the consumer (identity maps over the
  // anchor's output).
  unsigned loop = split.loop;
  if (consumer != anchor) {
    AffineMap out = anchor.getMatchingIndexingMap(anchor.getDpsInitOperand(0));
    std::optional<unsigned> result = out.getResultPosition(
        getAffineDimExpr(split.loop, rewriter.getContext()));
    if (!result) {
      keepSerial(group.ops());
      return;
    }
    loop = *result;
  }
  rewriter.setInsertionPoint(consumer);
  SmallVector<OpFoldResult> sizes =
      chunkSizes(rewriter, consumer.getLoc(), consumer.getNumLoops(), loop,
                 loopExtents(rewriter, consumer)[loop], split);
  llvm::SmallPtrSet<Operation *, 8> members;
  for (linalg::LinalgOp member : group.ops())
    members.insert(member);
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.tilingOptions.setTileSizes(sizes);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!members.contains(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  FailureOr<scf::SCFTileAndFuseResult> chunk =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(consumer.getOperation()), options);
  if (failed(chunk)) {
    keepSerial(group.ops());
    return;
  }
  for (OpResult result : consumer->getResults())
    rewriter.replaceAllUsesWith(result, chunk->replacements.lookup(result));
  SmallVector<linalg::LinalgOp> tiled;
  for (Operation *op : chunk->tiledAndFusedOps)
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      tiled.push_back(linalgOp);
  keepSerial(tiled);
  // The fused members are dead now, but for the sizes of dynamic slices,
  // which tiling takes from the members' results: those are the sizes of
  // the tensor the chain of destinations started from.
  for (linalg::LinalgOp member : group.ops())
    for (Operation *user : llvm::make_early_inc_range(member->getUsers()))
      if (auto dim = dyn_cast<tensor::DimOp>(user)) {
        rewriter.setInsertionPoint(dim);
        rewriter.replaceOpWithNewOp<tensor::DimOp>(
            dim, destinationRoot(dim.getSource()), dim.getIndex());
      }
  // The others keep the chain's order.
  SmallVector<linalg::LinalgOp> apart, chain = group.ops();
  for (linalg::LinalgOp member : llvm::reverse(chain)) {
    if (member->use_empty())
      rewriter.eraseOp(member);
    else
      apart.push_back(member);
  }
  ungroup(apart);
  for (linalg::LinalgOp member : apart)
    if (member->hasAttr(kLoweringConfigAttr))
      leftover.push_back(member);
  if (!apart.empty())
    ungroup(tiled);
}

struct MLCDistributeToThreadsPass
    : mlc::impl::MLCDistributeToThreadsPassBase<MLCDistributeToThreadsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyLoweringConfigs(func, /*onTensors=*/true)))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> leftover;
    auto process = [&](Group group) {
      std::optional<LoweringConfig> config =
          LoweringConfig::get(group.anchor);
      if (!config || !config->distribute)
        return;
      bool onTensors = group.anchor.hasPureTensorSemantics();
      if (onTensors && !isChainOnTensors(group)) {
        // A group written by hand that is not a chain: each op alone.
        SmallVector<linalg::LinalgOp> members = group.ops();
        ungroup(members);
        for (linalg::LinalgOp member : members)
          if (member->hasAttr(kLoweringConfigAttr))
            leftover.push_back(member);
        return;
      }
      Group split = group;
      if (llvm::any_of(group.anchor.getStaticLoopRanges(),
                       ShapedType::isDynamic))
        split = guardParallelWork(rewriter, group,
                                  config->minParallelWork.value_or(0));
      if (onTensors)
        splitOnTensors(rewriter, split, *config->distribute, leftover);
      else
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
