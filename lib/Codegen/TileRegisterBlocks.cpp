//===- TileRegisterBlocks.cpp - register blocks as the config says --------===//
//
// Each op with a lowering config is tiled into register blocks (with its
// group), partial blocks peeled, and the tiles marked for --mlc-vectorize
// (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_MLCTILEREGISTERBLOCKSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::codegen;

namespace {

struct MLCTileRegisterBlocksPass
    : mlc::impl::MLCTileRegisterBlocksPassBase<MLCTileRegisterBlocksPass> {

  /// Tiles `group` by its anchor's register tile; marks the tiles with
  /// `id` and adds the loops whose last block is partial to `peel`.
  void tile(RewriterBase &rewriter, const Group &group, int64_t id,
            SmallVectorImpl<scf::ForOp> &peel,
            SmallVectorImpl<linalg::LinalgOp> &leftover) {
    linalg::LinalgOp op = group.anchor;
    std::optional<LoweringConfig> config = LoweringConfig::get(op);
    if (!config)
      return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<int64_t> sizes = config->registerTile;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    options.setInterchange(config->interchange);
    FailureOr<scf::SCFTilingResult> tiled =
        tileAndReplace(rewriter, op, options);
    if (failed(tiled)) {
      // Not tiled: the members go on their own.
      SmallVector<linalg::LinalgOp> members = group.ops();
      ungroup(members);
      llvm::append_range(leftover, ArrayRef(members).drop_front(
                                       group.before.size() + 1));
      llvm::append_range(leftover, group.before);
      return;
    }
    Group tiles = fuseSiblings(
        rewriter, group, cast<linalg::LinalgOp>(tiled->tiledOps.front()),
        leftover);
    // Peeling copies the tiles: each copy (a block of ops in a loop body
    // of its own) is vectorized as a group again.
    for (linalg::LinalgOp member : tiles.ops())
      member->setAttr(kRegisterBlockAttr, rewriter.getI64IntegerAttr(id));
    // The loops follow the interchange, less the untiled loops.
    unsigned position = 0;
    for (int64_t dim : config->interchange) {
      if (sizes[dim] == 0)
        continue;
      if (sizes[dim] > 1 && (ShapedType::isDynamic(ranges[dim]) ||
                             ranges[dim] % sizes[dim] != 0))
        if (auto loop =
                dyn_cast<scf::ForOp>(tiled->loops[position].getOperation()))
          peel.push_back(loop);
      ++position;
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    if (failed(verifyLoweringConfigs(func)))
      return signalPassFailure();
    IRRewriter rewriter(ctx);
    SmallVector<scf::ForOp> peel;
    SmallVector<linalg::LinalgOp> leftover;
    int64_t id = 0;
    for (const Group &group : collectGroups(func))
      tile(rewriter, group, id++, peel, leftover);
    while (!leftover.empty())
      tile(rewriter, Group{{}, leftover.pop_back_val(), {}}, id++, peel,
           leftover);
    if (peel.empty())
      return;
    // Inner loops first: peeling an outer loop copies its body, and the
    // copy (the partial column block) then has its rows peeled already.
    for (scf::ForOp loop : llvm::reverse(peel)) {
      scf::ForOp partial;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
    }
    // The peeled loops' blocks now have constant sizes (but for the
    // remainder of a dynamic loop): fold them into static subviews and
    // tile types.
    RewritePatternSet canonicalization(ctx);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(canonicalization);
    for (RegisteredOperationName name : ctx->getRegisteredOperations())
      name.getCanonicalizationPatterns(canonicalization, ctx);
    if (failed(applyPatternsGreedily(func, std::move(canonicalization))))
      return signalPassFailure();
  }
};

} // namespace
