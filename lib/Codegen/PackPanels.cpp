//===- PackPanels.cpp - dense copies of a contraction's panels ------------===//
//
// Each op whose lowering config has `pack_operand` reads that operand's
// panels (K rows by one column block) from a dense copy (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlc {
#define GEN_PASS_DEF_MLCPACKPANELSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::codegen;

namespace {

/// The loop of `op`'s output's last dimension, if it is a parallel loop.
std::optional<unsigned> columnLoop(linalg::LinalgOp op) {
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (out.getNumResults() == 0)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(out.getResults().back());
  if (!dim || op.getIteratorTypesArray()[dim.getPosition()] !=
                  utils::IteratorType::parallel)
    return std::nullopt;
  return dim.getPosition();
}

/// Makes the anchor's column blocks a loop of their own, in which the
/// panel of operand `operand` (K x block, indexed (k, column)) is copied
/// into a 64-byte aligned buffer that the block reads. Returns false (and
/// changes nothing) where the config does not fit the op.
bool packPanels(RewriterBase &rewriter, const Group &group,
                const LoweringConfig &config,
                SmallVectorImpl<linalg::LinalgOp> &leftover) {
  linalg::LinalgOp op = group.anchor;
  std::optional<unsigned> column = columnLoop(op);
  if (!column)
    return false;
  int64_t block = config.registerTile[*column];
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  OpOperand &panelOperand = op->getOpOperand(*config.packOperand);
  AffineMap map = op.getMatchingIndexingMap(&panelOperand);
  auto type = dyn_cast<MemRefType>(panelOperand.get().getType());
  if (block < 1 || ShapedType::isDynamic(ranges[*column]) ||
      ranges[*column] % block != 0 || !type || map.getNumResults() != 2 ||
      map.getResult(1) != getAffineDimExpr(*column, op.getContext()))
    return false;
  auto k = dyn_cast<AffineDimExpr>(map.getResult(0));
  if (!k || ShapedType::isDynamic(ranges[k.getPosition()]))
    return false;
  int64_t depth = ranges[k.getPosition()];

  SmallVector<OpFoldResult> sizes(op.getNumLoops(), rewriter.getIndexAttr(0));
  sizes[*column] = rewriter.getIndexAttr(block);
  scf::SCFTilingOptions options;
  options.setTileSizes(sizes);
  FailureOr<scf::SCFTilingResult> blocks =
      tileAndReplace(rewriter, op, options);
  if (failed(blocks))
    return false;
  Group tiled = fuseSiblings(
      rewriter, group, cast<linalg::LinalgOp>(blocks->tiledOps.front()),
      leftover);
  linalg::LinalgOp anchor = tiled.anchor;
  // The panel (now a view of the block's columns) promoted by upstream
  // linalg::promoteSubViews into a 64-byte aligned depth x block buffer
  // of its own, freed after the anchor; the copy in is a linalg.copy
  // vectorized in blocks of 4 rows by the column block (whole registers),
  // on the thread of the chunk it is in. Nothing is copied out: the panel
  // is an input.
  auto view = anchor->getOpOperand(*config.packOperand)
                  .get()
                  .getDefiningOp<memref::SubViewOp>();
  linalg::LinalgPromotionOptions promotion;
  // The allocation callback makes the buffer 64-byte aligned itself.
  promotion.setOperandsToPromote({int64_t(*config.packOperand)})
      .setAllocationDeallocationFns(
          [&](OpBuilder &b, memref::SubViewOp subView, ArrayRef<Value>,
              DataLayout &) -> std::optional<Value> {
            return memref::AllocOp::create(
                       b, subView.getLoc(),
                       MemRefType::get({depth, block}, type.getElementType()),
                       b.getI64IntegerAttr(64))
                .getResult();
          },
          [](OpBuilder &b, Value buffer) {
            memref::DeallocOp::create(b, buffer.getLoc(), buffer);
            return success();
          })
      .setCopyInOutFns(
          [&](OpBuilder &b, Value from, Value to) {
            auto copy = linalg::CopyOp::create(b, from.getLoc(), from, to);
            LoweringConfig copyConfig;
            copyConfig.registerTile = {std::min<int64_t>(4, depth), block};
            copyConfig.interchange = {0, 1};
            copyConfig.set(copy);
            return success();
          },
          [](OpBuilder &, Value, Value) { return success(); });
  // (A single column block reads the operand itself, no view: left so.)
  if (view && succeeded(linalg::promoteSubviewsPrecondition(anchor, promotion))) {
    rewriter.setInsertionPoint(anchor);
    FailureOr<linalg::LinalgOp> promoted =
        linalg::promoteSubViews(rewriter, anchor, promotion);
    if (succeeded(promoted))
      anchor = *promoted;
    // Promotion reads and writes the buffer through a view of the
    // panel's size in SSA values (a dynamic shape); the panel is the whole
    // buffer, so the copy and the anchor take the buffer itself, whose
    // static shape the register stage tiles.
    OpOperand &packed = anchor->getOpOperand(*config.packOperand);
    if (auto partial = packed.get().getDefiningOp<memref::SubViewOp>())
      if (auto buffer = partial.getSource().getDefiningOp<memref::AllocOp>())
        if (partial.getSourceType().getShape() ==
                ArrayRef<int64_t>{depth, block} &&
            llvm::all_of(partial.getMixedOffsets(), isZeroInteger) &&
            getConstantIntValue(partial.getMixedSizes()[0]) == depth &&
            getConstantIntValue(partial.getMixedSizes()[1]) == block) {
          for (OpOperand &use : llvm::make_early_inc_range(partial->getUses()))
            rewriter.modifyOpInPlace(use.getOwner(),
                                     [&] { use.set(buffer.getResult()); });
          rewriter.eraseOp(partial);
        }
  }
  // Packed once: the anchor's config no longer asks for it.
  LoweringConfig anchorConfig = config;
  anchorConfig.packOperand.reset();
  anchorConfig.set(anchor);
  return true;
}

struct MLCPackPanelsPass
    : mlc::impl::MLCPackPanelsPassBase<MLCPackPanelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyLoweringConfigs(func)))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> leftover;
    for (const Group &group : collectGroups(func)) {
      std::optional<LoweringConfig> config =
          LoweringConfig::get(group.anchor);
      if (config && config->packOperand)
        (void)packPanels(rewriter, group, *config, leftover);
    }
  }
};

} // namespace
