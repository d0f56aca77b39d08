//===- PackPanels.cpp - dense copies of a contraction's panels ------------===//
//
// Each op whose lowering config has `pack_operand` reads that operand's
// panels (K rows by one column block) from a dense copy (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

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
  Location loc = anchor.getLoc();
  OpOperand &panel = anchor->getOpOperand(*config.packOperand);
  rewriter.setInsertionPoint(anchor);
  auto buffer = memref::AllocOp::create(
      rewriter, loc, MemRefType::get({depth, block}, type.getElementType()),
      rewriter.getI64IntegerAttr(64));
  auto copy =
      linalg::CopyOp::create(rewriter, loc, panel.get(), buffer.getResult());
  rewriter.modifyOpInPlace(anchor, [&] { panel.set(buffer); });
  rewriter.setInsertionPointAfter(tiled.ops().back());
  memref::DeallocOp::create(rewriter, loc, buffer);
  // The copy is vectorized in blocks of 4 rows by the column block (whole
  // registers), on the thread of the chunk it is in.
  LoweringConfig copyConfig;
  copyConfig.registerTile = {std::min<int64_t>(4, depth), block};
  copyConfig.interchange = {0, 1};
  copyConfig.set(copy);
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
