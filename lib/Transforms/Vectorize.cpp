//===- Vectorize.cpp - linalg on buffers to register blocks of vectors ----===//
//
// Upstream tiling (TilingInterface), linalg vectorization and transfer
// hoisting, with mlc's choice of tile sizes and loop order. Working on
// buffers (after bufferization) keeps the tiled loops free of tensor
// iter_args, which bufferization would copy.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlc {
#define GEN_PASS_DEF_MLCVECTORIZEPASS
#define GEN_PASS_DEF_MLCHOISTVECTORTRANSFERSPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct Tiling {
  SmallVector<int64_t> sizes;
  SmallVector<int64_t> interchange;
};

/// A register block: the output's last dimension in up to 64 elements (4
/// AVX-512 registers of f32; a dimension of at most 64 whole), the one
/// before in up to 4 rows, every other
/// loop one step. A dynamic loop (a batch) goes one step at a time, so the
/// tile keeps a static shape. Loop order: the last dimension's blocks outermost, then
/// the rows, then the rest, so that the block of the right operand a row
/// block uses stays in cache across the rows.
Tiling registerBlock(linalg::LinalgOp op, ArrayRef<int64_t> ranges) {
  Tiling tiling;
  tiling.sizes.assign(ranges.size(), 1);
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto loopOf = [&](int64_t result) -> std::optional<unsigned> {
    if (result < 0)
      return std::nullopt;
    auto dim = dyn_cast<AffineDimExpr>(out.getResult(result));
    if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel)
      return std::nullopt;
    return dim.getPosition();
  };
  int64_t rank = out.getNumResults();
  std::optional<unsigned> inner = loopOf(rank - 1);
  std::optional<unsigned> outer = loopOf(rank - 2);
  // A short dimension (<= 64) is one block whatever its length (26 or 10
  // lanes); a long one goes in blocks of 64 and a remainder block (100:
  // 64 + 36), peeled off so that it has a static shape too.
  if (inner && !ShapedType::isDynamic(ranges[*inner]))
    tiling.sizes[*inner] = std::min<int64_t>(ranges[*inner], 64);
  // Rows in blocks of 4 and a peeled remainder, dynamic (a batch) or not.
  if (outer)
    tiling.sizes[*outer] = ShapedType::isDynamic(ranges[*outer])
                               ? 4
                               : std::min<int64_t>(ranges[*outer], 4);
  if (inner)
    tiling.interchange.push_back(*inner);
  if (outer)
    tiling.interchange.push_back(*outer);
  for (unsigned d = 0; d < ranges.size(); ++d)
    if (!llvm::is_contained(tiling.interchange, d))
      tiling.interchange.push_back(d);
  return tiling;
}

/// The loop to split across `threads`: the output's last dimension, or the
/// one before, whichever is static and splits into chunks that are still
/// whole register blocks; failing that, the output's outermost dynamic
/// parallel loop (a batch), in chunks computed at run time.
std::optional<unsigned> parallelLoop(linalg::LinalgOp op,
                                     ArrayRef<int64_t> ranges,
                                     const Tiling &block, unsigned threads) {
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto parallelDim = [&](int64_t result) -> std::optional<unsigned> {
    auto dim = dyn_cast<AffineDimExpr>(out.getResult(result));
    if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel)
      return std::nullopt;
    return dim.getPosition();
  };
  int64_t rank = out.getNumResults();
  for (int64_t result = rank - 1; result >= 0 && result >= rank - 2;
       --result) {
    std::optional<unsigned> dim = parallelDim(result);
    if (!dim)
      continue;
    int64_t extent = ranges[*dim];
    int64_t unit = block.sizes[*dim] * threads;
    if (!ShapedType::isDynamic(extent) && extent % unit == 0)
      return dim;
  }
  for (int64_t result = 0; result < rank; ++result)
    if (std::optional<unsigned> dim = parallelDim(result))
      if (ShapedType::isDynamic(ranges[*dim]))
        return dim;
  return std::nullopt;
}

/// Tiles `op` (upstream scf::tileUsingSCF) and erases it; the tiles and
/// loops replace it.
FailureOr<scf::SCFTilingResult>
tileAndReplace(IRRewriter &rewriter, linalg::LinalgOp op,
               const scf::SCFTilingOptions &options) {
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (succeeded(tiled))
    rewriter.eraseOp(op);
  return tiled;
}

/// Marks the register-block tiles between tiling and vectorization.
constexpr llvm::StringLiteral kTileMarker = "mlc.register_block";

struct MLCVectorizePass : mlc::impl::MLCVectorizePassBase<MLCVectorizePass> {
  using MLCVectorizePassBase::MLCVectorizePassBase;

  /// Splits `op` along `dim` into `threads` chunks run by an scf.forall;
  /// returns the op of one chunk. A dynamic loop's chunk is a whole number
  /// of `block`s, computed at run time.
  FailureOr<linalg::LinalgOp> splitAcrossThreads(IRRewriter &rewriter,
                                                 linalg::LinalgOp op,
                                                 unsigned dim,
                                                 int64_t block) {
    rewriter.setInsertionPoint(op);
    SmallVector<OpFoldResult> sizes(op.getNumLoops(),
                                    rewriter.getIndexAttr(0));
    Range range = op.createLoopRanges(rewriter, op.getLoc())[dim];
    AffineExpr extent = rewriter.getAffineSymbolExpr(0);
    int64_t unit = block * threads;
    sizes[dim] = affine::makeComposedFoldedAffineApply(
        rewriter, op.getLoc(), extent.ceilDiv(unit) * block, {range.size});
    scf::SCFTilingOptions options;
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    options.setTileSizes(sizes);
    FailureOr<scf::SCFTilingResult> split =
        tileAndReplace(rewriter, op, options);
    if (failed(split))
      return failure();
    return cast<linalg::LinalgOp>(split->tiledOps.front());
  }

  /// Whether `op` has work enough to pay for waking the other threads.
  /// Decided here when every loop is static; otherwise `op` is cloned
  /// under an `scf.if` on its iteration count at run time, the serial
  /// clone goes to `serial`, and the one to split is returned.
  std::optional<linalg::LinalgOp>
  guardParallelWork(IRRewriter &rewriter, linalg::LinalgOp op,
                    ArrayRef<int64_t> ranges,
                    SmallVectorImpl<linalg::LinalgOp> &serial) {
    if (!llvm::any_of(ranges, ShapedType::isDynamic)) {
      int64_t work = 1;
      for (int64_t range : ranges)
        work *= range;
      return work >= int64_t(minParallelWork) ? std::optional(op)
                                              : std::nullopt;
    }
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value work = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (Range range : op.createLoopRanges(rewriter, loc))
      work = arith::MulIOp::create(
          rewriter, loc, work,
          getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
    Value enough = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::sge, work,
        arith::ConstantIndexOp::create(rewriter, loc, minParallelWork));
    auto branch = scf::IfOp::create(rewriter, loc, enough,
                                    /*withElseRegion=*/true);
    rewriter.setInsertionPoint(branch.thenBlock()->getTerminator());
    auto parallel = cast<linalg::LinalgOp>(rewriter.clone(*op));
    rewriter.setInsertionPoint(branch.elseBlock()->getTerminator());
    serial.push_back(cast<linalg::LinalgOp>(rewriter.clone(*op)));
    rewriter.eraseOp(op);
    return parallel;
  }

  /// Vectorizes one block of parallel loops: its reduction loops, and the
  /// dynamic ones left in the last, partial block of a dynamic row loop,
  /// go one step at a time around the vectorized tile (the reductions
  /// innermost, so that the accumulator is invariant in them).
  void vectorizeBlock(IRRewriter &rewriter, linalg::LinalgOp block) {
    SmallVector<int64_t> ranges = block.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators =
        block.getIteratorTypesArray();
    SmallVector<int64_t> sizes;
    for (auto [range, iterator] : llvm::zip(ranges, iterators))
      sizes.push_back(ShapedType::isDynamic(range) ||
                              iterator == utils::IteratorType::reduction
                          ? 1
                          : 0);
    SmallVector<Operation *> tiles = {block};
    if (llvm::any_of(sizes, [](int64_t s) { return s != 0; })) {
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      FailureOr<scf::SCFTilingResult> steps =
          tileAndReplace(rewriter, block, options);
      if (failed(steps))
        return;
      tiles = steps->tiledOps;
    }
    for (Operation *tile : tiles) {
      if (auto generic = dyn_cast<linalg::GenericOp>(tile))
        dropUnitLoopsFromWindows(rewriter, generic);
      rewriter.setInsertionPoint(tile);
      if (succeeded(linalg::vectorize(rewriter, tile)))
        rewriter.eraseOp(tile);
    }
  }

  /// In a tile, a sliding-window index such as a convolution's `h + kh`
  /// over a loop stepped one at a time (kh has one value, 0, inside the
  /// tile) is just `h`: rewriting such indexing maps without the unit loops
  /// makes them projected permutations, which linalg vectorizes (upstream
  /// `linalg::dropUnitDims` gives up on such non-permutation maps). Done only
  /// where every loop still appears as a plain index of some operand (the
  /// loop ranges stay defined by the shapes).
  static void dropUnitLoopsFromWindows(IRRewriter &rewriter,
                                       linalg::GenericOp tile) {
    SmallVector<int64_t> ranges = tile.getStaticLoopRanges();
    MLIRContext *ctx = tile.getContext();
    SmallVector<AffineExpr> zeroUnitLoops;
    for (auto [d, range] : llvm::enumerate(ranges))
      zeroUnitLoops.push_back(range == 1 ? getAffineConstantExpr(0, ctx)
                                         : getAffineDimExpr(d, ctx));
    SmallVector<AffineMap> maps = tile.getIndexingMapsArray();
    bool changed = false;
    for (AffineMap &map : maps) {
      if (map.isProjectedPermutation(/*allowZeroInResults=*/true))
        continue;
      AffineMap folded = simplifyAffineMap(
          map.replaceDimsAndSymbols(zeroUnitLoops, {}, map.getNumDims(), 0));
      if (!folded.isProjectedPermutation(/*allowZeroInResults=*/true))
        return;
      map = folded;
      changed = true;
    }
    if (!changed)
      return;
    llvm::SmallBitVector indexed(ranges.size());
    for (AffineMap map : maps)
      for (AffineExpr result : map.getResults())
        if (auto dim = dyn_cast<AffineDimExpr>(result))
          indexed.set(dim.getPosition());
    if (!indexed.all())
      return;
    rewriter.modifyOpInPlace(tile, [&] {
      tile.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::GenericOp, linalg::FillOp>(op) &&
          op.hasPureBufferSemantics() && op.getNumDpsInits() == 1)
        ops.push_back(op);
    });

    // 1. Blocks of the parallel loops (a register block each). A dynamic
    // row loop steps by whole blocks and its last, partial block is peeled
    // off, so that all but that one iteration see blocks of static shape.
    SmallVector<scf::ForOp> peeled;
    // Ops may be split across threads; the serial clones of a run-time
    // choice between the two come back here.
    SmallVector<linalg::LinalgOp> serial;
    auto process = [&](linalg::LinalgOp op, bool mayThread) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (ranges.empty() ||
          llvm::all_of(ranges, [](int64_t r) { return r == 1; }))
        return;
      // Only ops whose body vectorizes (no data-dependent reads); with a
      // dynamic loop, a tile that does not vectorize stays a linalg op.
      if (!llvm::any_of(ranges, ShapedType::isDynamic) &&
          failed(linalg::vectorizeOpPrecondition(op)))
        return;
      Tiling tiling = registerBlock(op, ranges);
      if (llvm::all_of(tiling.sizes, [](int64_t t) { return t == 1; }))
        return; // no vector width to gain
      if (mayThread)
        if (auto dim = parallelLoop(op, ranges, tiling, threads))
          if (std::optional<linalg::LinalgOp> big =
                  guardParallelWork(rewriter, op, ranges, serial))
            if (FailureOr<linalg::LinalgOp> chunk = splitAcrossThreads(
                    rewriter, *big, *dim, tiling.sizes[*dim]);
                succeeded(chunk)) {
              op = *chunk;
              ranges = op.getStaticLoopRanges();
            }
      SmallVector<int64_t> blockSizes = tiling.sizes;
      for (auto [size, iterator] :
           llvm::zip(blockSizes, op.getIteratorTypesArray()))
        if (iterator == utils::IteratorType::reduction)
          size = 0;
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(ctx, blockSizes));
      options.setInterchange(tiling.interchange);
      FailureOr<scf::SCFTilingResult> tiled =
          tileAndReplace(rewriter, op, options);
      if (failed(tiled))
        return;
      for (Operation *tile : tiled->tiledOps)
        tile->setAttr(kTileMarker, UnitAttr::get(ctx));
      // The loops follow the interchange (less the untiled reductions);
      // peel the dynamic row loop.
      unsigned position = 0;
      for (unsigned dim : tiling.interchange) {
        if (blockSizes[dim] == 0)
          continue;
        if (blockSizes[dim] > 1 && (ShapedType::isDynamic(ranges[dim]) ||
                                    ranges[dim] % blockSizes[dim] != 0))
          if (auto loop = dyn_cast<scf::ForOp>(
                  tiled->loops[position].getOperation()))
            peeled.push_back(loop);
        ++position;
      }
    };
    for (linalg::LinalgOp op : ops)
      process(op, threads > 1);
    while (!serial.empty())
      process(serial.pop_back_val(), /*mayThread=*/false);
    for (scf::ForOp loop : peeled) {
      scf::ForOp partial;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
    }

    // 2. The peeled loops' blocks now have constant sizes (but for the
    // remainder of a dynamic loop): fold them into static subviews and
    // tile types.
    if (!peeled.empty()) {
      RewritePatternSet canonicalization(ctx);
      for (Dialect *dialect : ctx->getLoadedDialects())
        dialect->getCanonicalizationPatterns(canonicalization);
      for (RegisteredOperationName name : ctx->getRegisteredOperations())
        name.getCanonicalizationPatterns(canonicalization, ctx);
      if (failed(applyPatternsGreedily(func, std::move(canonicalization))))
        return signalPassFailure();
    }

    // 3. Reductions (and what stayed dynamic) step by step around the
    // vectorized register block.
    SmallVector<linalg::LinalgOp> blocks;
    func.walk([&](linalg::LinalgOp op) {
      if (op->removeAttr(kTileMarker))
        blocks.push_back(op);
    });
    for (linalg::LinalgOp block : blocks)
      vectorizeBlock(rewriter, block);

    // Broadcasts out of the transfers, then a multiply-reduce of broadcast
    // operands into vector.contract (which lowers to outer products).
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

struct MLCHoistVectorTransfersPass
    : mlc::impl::MLCHoistVectorTransfersPassBase<
          MLCHoistVectorTransfersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // One SSA value per index first: an accumulator's read and write pair
    // up only when their indices are the same value, and a thread chunk's
    // offset is recomputed at each use until CSE.
    IRRewriter rewriter(&getContext());
    DominanceInfo dominance;
    eliminateCommonSubExpressions(rewriter, dominance, func);
    func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
    linalg::hoistRedundantVectorTransfers(func, /*verifyNonZeroTrip=*/true);
    // Contractions to outer products to FMAs, now that accumulators are
    // loop-carried values.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    func.walk([](Operation *op) {
      if (!isa<arith::MulFOp, arith::AddFOp>(op) ||
          !isa<VectorType>(op->getResult(0).getType()))
        return;
      auto fm = cast<arith::ArithFastMathInterface>(op);
      op->setAttr(fm.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(
                      op->getContext(), arith::FastMathFlags::contract));
    });
  }
};

} // namespace
