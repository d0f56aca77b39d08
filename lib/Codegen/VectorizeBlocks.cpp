//===- VectorizeBlocks.cpp - register blocks to vector code ---------------===//
//
// The tiles --mlc-tile-register-blocks marked become vector code through
// upstream linalg::vectorize, their reductions stepping around them (see
// Passes.td).
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallBitVector.h"

namespace mlc {
#define GEN_PASS_DEF_MLCVECTORIZEPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::codegen;

namespace {

struct MLCVectorizePass : mlc::impl::MLCVectorizePassBase<MLCVectorizePass> {
  using MLCVectorizePassBase::MLCVectorizePassBase;

  /// Vectorizes the register block of a group: a dynamic parallel loop
  /// left in it (the last, partial block of a dynamic row loop) goes one
  /// step at a time, the siblings with the anchor in each step; then each
  /// op is vectorized.
  void vectorizeBlock(RewriterBase &rewriter, Group group) {
    linalg::LinalgOp anchor = group.anchor;
    SmallVector<int64_t> ranges = anchor.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators =
        anchor.getIteratorTypesArray();
    SmallVector<int64_t> sizes;
    for (auto [range, iterator] : llvm::zip(ranges, iterators))
      sizes.push_back(ShapedType::isDynamic(range) &&
                              iterator == utils::IteratorType::parallel
                          ? 1
                          : 0);
    SmallVector<linalg::LinalgOp> leftover;
    if (llvm::is_contained(sizes, 1)) {
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      if (FailureOr<scf::SCFTilingResult> steps =
              tileAndReplace(rewriter, anchor, options);
          succeeded(steps))
        group = fuseSiblings(rewriter, group,
                             cast<linalg::LinalgOp>(steps->tiledOps.front()),
                             leftover);
    }
    for (linalg::LinalgOp op : group.ops())
      vectorizeOne(rewriter, op);
    for (linalg::LinalgOp single : leftover)
      vectorizeOne(rewriter, single);
  }

  /// Vectorizes one op of a register block: its reduction loops, and the
  /// dynamic ones left in the last, partial block of a dynamic row loop,
  /// go one step at a time around the vectorized tile (the reductions
  /// innermost, so that the accumulator is invariant in them).
  void vectorizeOne(RewriterBase &rewriter, linalg::LinalgOp block) {
    SmallVector<int64_t> ranges = block.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators =
        block.getIteratorTypesArray();
    std::optional<LoweringConfig> config = LoweringConfig::get(block);
    std::optional<RowReduction> row =
        config ? config->rowReduction : std::nullopt;
    SmallVector<int64_t> sizes;
    for (auto [d, range, iterator] : llvm::enumerate(ranges, iterators)) {
      if (row && d == row->loop)
        sizes.push_back(row->step == range ? 0 : row->step);
      else
        sizes.push_back(ShapedType::isDynamic(range) ||
                                iterator == utils::IteratorType::reduction
                            ? 1
                            : 0);
    }
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
      // Bool buffers stay scalar, whatever the op: a fill or copy of them
      // (a padded mask) was vectorized, and wrote bits for bytes.
      if (readsOrWritesBool(tile))
        continue;
      if (auto generic = dyn_cast<linalg::GenericOp>(tile)) {
        // Upstream vectorization of linalg.index in a tile with unit loops
        // (the last partial block) can write a vector of the wrong rank
        // (vector<5xf32> into a 1x1x1x5 view): leave such tiles scalar.
        if (hasIndexWithUnitLoops(generic))
          continue;
        dropUnitLoopsFromWindows(rewriter, generic);
        if (contract && generic.getNumReductionLoops() > 0)
          allowContraction(generic);
      }
      rewriter.setInsertionPoint(tile);
      if (succeeded(linalg::vectorize(rewriter, tile)))
        rewriter.eraseOp(tile);
    }
  }

  /// Marks the multiplications and additions of a reduction's body
  /// `fastmath<contract>` (the vector ops made from them keep the flag), so
  /// that LLVM may fuse them into FMAs: the reduction's order of summation
  /// is the code generator's anyway. An element-wise op's arithmetic keeps
  /// the rounding of every step, as PyTorch's does.
  static void allowContraction(linalg::GenericOp tile) {
    tile.getBody()->walk([](Operation *op) {
      if (!isa<arith::MulFOp, arith::AddFOp>(op))
        return;
      auto math = cast<arith::ArithFastMathInterface>(op);
      arith::FastMathFlags flags = math.getFastMathFlagsAttr().getValue() |
                                   arith::FastMathFlags::contract;
      op->setAttr(math.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(op->getContext(), flags));
    });
  }

  /// LLVM packs a vector of i1 in memory one bit per element, but a bool
  /// tensor holds one byte per element (numpy's and torch's layout): a
  /// vector load or store of a bool buffer would read bits. Such tiles stay
  /// scalar (i1 loads and stores are bytes).
  static bool readsOrWritesBool(Operation *tile) {
    return llvm::any_of(tile->getOperands(), [](Value v) {
      auto type = dyn_cast<ShapedType>(v.getType());
      return type && type.getElementType().isInteger(1);
    });
  }

  static bool hasIndexWithUnitLoops(linalg::GenericOp tile) {
    if (tile.getBody()->getOps<linalg::IndexOp>().empty())
      return false;
    SmallVector<int64_t> ranges = tile.getStaticLoopRanges();
    return ranges.size() > 1 && llvm::is_contained(ranges, 1);
  }

  /// In a tile, a sliding-window index such as a convolution's `h + kh`
  /// over a loop stepped one at a time (kh has one value, 0, inside the
  /// tile) is just `h`: rewriting such indexing maps without the unit loops
  /// makes them projected permutations, which linalg vectorizes (upstream
  /// `linalg::dropUnitDims` gives up on such non-permutation maps). A
  /// strided window (`2 * h + kh`, max-pooling's) becomes `h` over a view of
  /// the input with stride 2 along that dimension. Done only where every
  /// loop still appears as a plain index of some operand (the loop ranges
  /// stay defined by the shapes).
  static void dropUnitLoopsFromWindows(RewriterBase &rewriter,
                                       linalg::GenericOp tile) {
    SmallVector<int64_t> ranges = tile.getStaticLoopRanges();
    MLIRContext *ctx = tile.getContext();
    SmallVector<AffineExpr> zeroUnitLoops;
    for (auto [d, range] : llvm::enumerate(ranges))
      zeroUnitLoops.push_back(range == 1 ? getAffineConstantExpr(0, ctx)
                                         : getAffineDimExpr(d, ctx));
    SmallVector<AffineMap> maps = tile.getIndexingMapsArray();
    // Per operand, the strides of the view it is to be read through (empty:
    // read as it is).
    SmallVector<SmallVector<int64_t>> viewStrides(maps.size());
    bool changed = false;
    for (auto [operand, map] : llvm::enumerate(maps)) {
      if (map.isProjectedPermutation(/*allowZeroInResults=*/true))
        continue;
      AffineMap folded = simplifyAffineMap(
          map.replaceDimsAndSymbols(zeroUnitLoops, {}, map.getNumDims(), 0));
      SmallVector<AffineExpr> results;
      SmallVector<int64_t> strides;
      bool strided = false;
      for (AffineExpr result : folded.getResults()) {
        auto product = dyn_cast<AffineBinaryOpExpr>(result);
        if (product && product.getKind() == AffineExprKind::Mul) {
          auto dim = dyn_cast<AffineDimExpr>(product.getLHS());
          auto factor = dyn_cast<AffineConstantExpr>(product.getRHS());
          if (dim && factor && factor.getValue() > 1 &&
              !ShapedType::isDynamic(ranges[dim.getPosition()])) {
            results.push_back(dim);
            strides.push_back(factor.getValue());
            strided = true;
            continue;
          }
        }
        results.push_back(result);
        strides.push_back(1);
      }
      folded = AffineMap::get(folded.getNumDims(), 0, results, ctx);
      if (!folded.isProjectedPermutation(/*allowZeroInResults=*/true))
        return;
      if (strided) {
        // Only inputs on buffers, read through a strided view.
        if (operand >= tile.getNumDpsInputs() ||
            !isa<MemRefType>(tile->getOperand(operand).getType()))
          return;
        viewStrides[operand] = strides;
      }
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
    // The strided views: element i of the view along a dimension is element
    // stride * i of the tile's input, for as many elements as the loop
    // indexing it has (a constant index is one element).
    SmallVector<Value> views(maps.size());
    for (auto [operand, strides] : llvm::enumerate(viewStrides)) {
      if (strides.empty())
        continue;
      SmallVector<OpFoldResult> offsets, sizes, steps;
      for (auto [result, stride] :
           llvm::zip(maps[operand].getResults(), strides)) {
        int64_t size = 1;
        if (auto dim = dyn_cast<AffineDimExpr>(result))
          size = ranges[dim.getPosition()];
        if (auto constant = dyn_cast<AffineConstantExpr>(result))
          offsets.push_back(rewriter.getIndexAttr(constant.getValue()));
        else
          offsets.push_back(rewriter.getIndexAttr(0));
        sizes.push_back(rewriter.getIndexAttr(size));
        steps.push_back(rewriter.getIndexAttr(stride));
      }
      if (llvm::any_of(maps[operand].getResults(), [](AffineExpr e) {
            return isa<AffineConstantExpr>(e);
          })) {
        // The view starts at the constant index; the map reads it at 0.
        SmallVector<AffineExpr> results;
        for (AffineExpr e : maps[operand].getResults())
          results.push_back(isa<AffineConstantExpr>(e)
                                ? getAffineConstantExpr(0, ctx)
                                : e);
        maps[operand] = AffineMap::get(maps[operand].getNumDims(), 0,
                                       results, ctx);
      }
      rewriter.setInsertionPoint(tile);
      views[operand] = memref::SubViewOp::create(
          rewriter, tile.getLoc(), tile->getOperand(operand), offsets, sizes,
          steps);
    }
    rewriter.modifyOpInPlace(tile, [&] {
      tile.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      for (auto [operand, view] : llvm::enumerate(views))
        if (view)
          tile->setOperand(operand, view);
    });
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyLoweringConfigs(func)))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    // The tiles of one register block: the fill, the anchor (the one op
    // with reductions), the element-wise ops after it, in program order.
    llvm::MapVector<std::pair<Block *, int64_t>, SmallVector<linalg::LinalgOp>>
        blocks;
    func.walk([&](linalg::LinalgOp op) {
      if (auto id = op->getAttrOfType<IntegerAttr>(kRegisterBlockAttr)) {
        op->removeAttr(kRegisterBlockAttr);
        blocks[{op->getBlock(), id.getInt()}].push_back(op);
      }
    });
    for (auto &[key, members] : blocks) {
      auto anchor = llvm::find_if(members, [](linalg::LinalgOp op) {
        return op.getNumReductionLoops() > 0;
      });
      if (members.size() == 1 || anchor == members.end()) {
        for (linalg::LinalgOp op : members)
          vectorizeOne(rewriter, op);
        continue;
      }
      Group group;
      group.before.assign(members.begin(), anchor);
      group.anchor = *anchor;
      group.after.assign(std::next(anchor), members.end());
      vectorizeBlock(rewriter, group);
    }
    // The choices are carried out: what stayed a linalg op (scalar code)
    // needs them no more.
    func.walk([](linalg::LinalgOp op) { op->removeAttr(kLoweringConfigAttr); });

    // Broadcasts out of the transfers, then a multiply-reduce of broadcast
    // operands into vector.contract (which lowers to outer products).
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
