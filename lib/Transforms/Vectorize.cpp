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

/// The largest of `choices` dividing `extent` (choices in decreasing order).
int64_t largestDivisor(int64_t extent, ArrayRef<int64_t> choices) {
  for (int64_t c : choices)
    if (extent % c == 0)
      return c;
  return 1;
}

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
  // lanes); a long one takes the largest power-of-two block dividing it.
  if (inner && !ShapedType::isDynamic(ranges[*inner]))
    tiling.sizes[*inner] =
        ranges[*inner] <= 64
            ? ranges[*inner]
            : largestDivisor(ranges[*inner], {64, 32, 16, 8, 4, 2});
  if (outer && !ShapedType::isDynamic(ranges[*outer]))
    tiling.sizes[*outer] = largestDivisor(ranges[*outer], {4, 2});
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
/// whole register blocks.
std::optional<unsigned> parallelLoop(linalg::LinalgOp op,
                                     ArrayRef<int64_t> ranges,
                                     const Tiling &block, unsigned threads) {
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t result = out.getNumResults() - 1;
       result >= 0 && result >= int64_t(out.getNumResults()) - 2; --result) {
    auto dim = dyn_cast<AffineDimExpr>(out.getResult(result));
    if (!dim || iterators[dim.getPosition()] != utils::IteratorType::parallel)
      continue;
    int64_t extent = ranges[dim.getPosition()];
    int64_t unit = block.sizes[dim.getPosition()] * threads;
    if (!ShapedType::isDynamic(extent) && extent % unit == 0)
      return dim.getPosition();
  }
  return std::nullopt;
}

struct MLCVectorizePass : mlc::impl::MLCVectorizePassBase<MLCVectorizePass> {
  using MLCVectorizePassBase::MLCVectorizePassBase;

  /// Splits `op` along `dim` into `threads` chunks run by an scf.forall;
  /// returns the op of one chunk.
  FailureOr<linalg::LinalgOp> splitAcrossThreads(IRRewriter &rewriter,
                                                 linalg::LinalgOp op,
                                                 ArrayRef<int64_t> ranges,
                                                 unsigned dim) {
    SmallVector<int64_t> sizes(ranges.size(), 0);
    sizes[dim] = ranges[dim] / threads;
    scf::SCFTilingOptions options;
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> split = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(split) || split->tiledOps.size() != 1)
      return failure();
    rewriter.eraseOp(op);
    return cast<linalg::LinalgOp>(split->tiledOps.front());
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::GenericOp, linalg::FillOp>(op) &&
          op.hasPureBufferSemantics() && op.getNumDpsInits() == 1)
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (ranges.empty() ||
          llvm::all_of(ranges, [](int64_t r) { return r == 1; }))
        continue;
      // Only ops whose body vectorizes (no data-dependent reads); checked
      // on a static stand-in of the shape when some loop is dynamic.
      if (!llvm::any_of(ranges, ShapedType::isDynamic) &&
          failed(linalg::vectorizeOpPrecondition(op)))
        continue;
      Tiling tiling = registerBlock(op, ranges);
      if (llvm::all_of(tiling.sizes, [](int64_t t) { return t == 1; }))
        continue; // no vector width to gain
      if (threads > 1)
        if (auto dim = parallelLoop(op, ranges, tiling, threads))
          if (FailureOr<linalg::LinalgOp> chunk =
                  splitAcrossThreads(rewriter, op, ranges, *dim);
              succeeded(chunk)) {
            op = *chunk;
            ranges = op.getStaticLoopRanges();
          }
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(),
                                                  tiling.sizes));
      options.setInterchange(tiling.interchange);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue;
      rewriter.eraseOp(op);
      for (Operation *tile : tiled->tiledOps) {
        rewriter.setInsertionPoint(tile);
        FailureOr<linalg::VectorizationResult> vectorized =
            linalg::vectorize(rewriter, tile);
        if (succeeded(vectorized))
          rewriter.eraseOp(tile);
      }
    }
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
