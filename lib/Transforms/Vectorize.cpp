//===- Vectorize.cpp - linalg on buffers to register blocks of vectors ----===//
//
// Upstream tiling (TilingInterface), linalg vectorization and transfer
// hoisting, with mlc's choice of tile sizes and loop order. Working on
// buffers (after bufferization) keeps the tiled loops free of tensor
// iter_args, which bufferization would copy.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/TargetParser/Host.h"
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
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
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

/// A reduction vectorized along the input's contiguous rows, `step`
/// elements at a time (see contiguousReduction()).
struct RowReduction {
  unsigned loop;
  int64_t step;
};

struct Tiling {
  SmallVector<int64_t> sizes;
  SmallVector<int64_t> interchange;
  /// The loop of the output's last dimension, if it is a parallel one.
  std::optional<unsigned> inner;
  /// A reduction vectorized along its row (contiguousReduction()).
  std::optional<RowReduction> rowReduction;
};

/// The vector registers register blocks are sized for: their width and
/// the rows of a block (4 with AVX-512's 32 registers, 3 with AVX2's 16:
/// up to 12 accumulators, which leaves registers for the operands).
struct VectorTarget {
  unsigned bits = 512;
  int64_t rows = 4;

  /// For `bits`-wide vectors (0: the host CPU's widest: AVX-512, AVX2, or
  /// SSE's 128 bits).
  static VectorTarget get(unsigned bits) {
    if (bits == 0) {
      llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
      bits = features.lookup("avx512f") ? 512
             : features.lookup("avx2") ? 256
                                       : 128;
    }
    VectorTarget target;
    target.bits = std::max(bits, 128u);
    target.rows = bits >= 512 ? 4 : 3;
    return target;
  }

  /// Lanes of one register for elements of `type` (f32: 16 with AVX-512;
  /// bool and i8 count as bytes).
  int64_t lanes(Type type) const {
    unsigned width = type.isIntOrFloat() ? type.getIntOrFloatBitWidth() : 32;
    return bits / std::max(width, 8u);
  }
};

/// Lanes of a register block along a static dimension of `extent`: 1, 2
/// or 4 registers of `lanes` lanes (for f32 with AVX-512: 16, 32 or 64
/// lanes; half as many for f64 or i64), chosen so that
/// the peeled remainder is 1 or 2 registers too or fits in one (with
/// AVX-512: 100 = 3 * 32 + 4, 48 = 32 + 16, 26 = 16 + 10, 784 = 12 * 64 +
/// 16); a dimension of at most one register is one block. Rows of other
/// widths (26, 36, 48 lanes) made LLVM keep the n-D accumulators in
/// memory at every step: the CNN's convolution and its 100-wide dense
/// layer ran 6 to 20x slower that way.
int64_t laneBlock(int64_t extent, int64_t lanes) {
  if (extent <= lanes)
    return extent;
  for (int64_t block : {4 * lanes, 2 * lanes}) {
    if (block > extent)
      continue;
    int64_t rest = extent % block;
    if (rest <= lanes || rest == 2 * lanes)
      return block;
  }
  return lanes;
}

/// For a contraction, the rows of a register block that reuse each vector
/// of the operand the columns (`inner`) come from: a static parallel loop of
/// the output that indexes another input but not that one. A matmul's rows
/// (`i` of A, not of B) are the output's second-to-last dimension anyway;
/// a convolution's are its output channels (which index only the weight),
/// not the output rows before the columns: each input vector loaded then
/// serves every output channel of the block (an outer product), where
/// rows of the image needed a load of their own per multiply-add. Of
/// several candidates, the one nearest the columns in the output.
std::optional<unsigned> sharedOperandRows(linalg::LinalgOp op, unsigned inner) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInputs() < 2)
    return std::nullopt;
  SmallVector<AffineMap> inputs;
  AffineMap columns;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.isFunctionOfDim(inner) && !columns)
      columns = map;
    else
      inputs.push_back(map);
  }
  if (!columns)
    return std::nullopt;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t result = int64_t(out.getNumResults()) - 2; result >= 0;
       --result) {
    auto dim = dyn_cast<AffineDimExpr>(out.getResult(result));
    if (!dim)
      continue;
    unsigned d = dim.getPosition();
    if (d == inner || iterators[d] != utils::IteratorType::parallel ||
        ShapedType::isDynamic(ranges[d]) || ranges[d] == 1 ||
        columns.isFunctionOfDim(d))
      continue;
    if (llvm::any_of(inputs,
                     [&](AffineMap map) { return map.isFunctionOfDim(d); }))
      return d;
  }
  return std::nullopt;
}

/// Whether the register-block tiles of `op` vectorize: upstream's
/// precondition holds for `op` itself, or fails only because of sliding
/// windows (a convolution's `h + kh`, a pooling's `2 * h + kh`), which
/// become plain (or strided) indices in a tile where the reduction loops
/// take one value (see dropUnitLoopsFromWindows), in a body of plain
/// arithmetic. A guarded or data-dependent read (a gather, zero padding)
/// keeps the op scalar.
bool vectorizesInTiles(linalg::LinalgOp op) {
  if (succeeded(linalg::vectorizeOpPrecondition(op)))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !op.hasPureBufferSemantics() ||
      llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return false;
  for (Operation &inner : generic.getBody()->without_terminator())
    if (inner.getNumRegions() != 0 || !isPure(&inner) ||
        isa<linalg::IndexOp>(inner))
      return false;
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> zeroReductions;
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    zeroReductions.push_back(iterator == utils::IteratorType::reduction
                                 ? getAffineConstantExpr(0, ctx)
                                 : getAffineDimExpr(d, ctx));
  for (AffineMap map : op.getIndexingMapsArray()) {
    AffineMap tile = simplifyAffineMap(
        map.replaceDimsAndSymbols(zeroReductions, {}, map.getNumDims(), 0));
    SmallVector<AffineExpr> plain;
    for (AffineExpr result : tile.getResults()) {
      auto product = dyn_cast<AffineBinaryOpExpr>(result);
      // A stride (`2 * h`): read through a strided view. Only positive
      // ones; dropUnitLoopsFromWindows makes no view of a reversed read.
      auto factor = product && product.getKind() == AffineExprKind::Mul
                        ? dyn_cast<AffineConstantExpr>(product.getRHS())
                        : AffineConstantExpr();
      if (factor && factor.getValue() > 0 &&
          isa<AffineDimExpr>(product.getLHS()))
        plain.push_back(product.getLHS());
      else
        plain.push_back(result);
    }
    if (!AffineMap::get(tile.getNumDims(), 0, plain, ctx)
             .isProjectedPermutation(/*allowZeroInResults=*/true))
      return false;
  }
  return true;
}

/// A reduction over the contiguous innermost dimension of an input
/// (softmax's or layer norm's sum over the last axis), where the output's
/// lanes would read that input with a stride (one scalar load per lane):
/// vectorized along it instead, one output element per block, in chunks of
/// `step` elements (the whole row when it is at most 4 registers; else 4,
/// 2 or 1 registers that divide it), each reduced across lanes into the
/// accumulator.
std::optional<RowReduction> contiguousReduction(linalg::LinalgOp op,
                                                const VectorTarget &target) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInits() != 1)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  // Not where output lanes read some input contiguously already: a matmul
  // (A along k, but B along the lanes), a convolution or pooling window
  // (`w + kw`: the lanes along the image row).
  if (out.getNumResults() > 0)
    if (auto lanes = dyn_cast<AffineDimExpr>(out.getResults().back());
        lanes && ranges[lanes.getPosition()] != 1)
      if (llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
            AffineMap map = op.getMatchingIndexingMap(input);
            return map.getNumResults() > 0 &&
                   map.getResults().back().isFunctionOfDim(lanes.getPosition());
          }))
        return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      continue;
    auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (!last)
      continue;
    unsigned d = last.getPosition();
    int64_t range = ranges[d];
    if (iterators[d] != utils::IteratorType::reduction ||
        ShapedType::isDynamic(range) || range < 2)
      continue;
    int64_t lanes = target.lanes(getElementTypeOrSelf(input->get()));
    if (range <= 4 * lanes)
      return RowReduction{d, range};
    for (int64_t step : {4 * lanes, 2 * lanes, lanes})
      if (range % step == 0)
        return RowReduction{d, step};
    return std::nullopt;
  }
  return std::nullopt;
}

/// A register block: the output's last dimension in blocks of laneBlock()
/// lanes, the one before (or a contraction's sharedOperandRows()) in up to
/// target.rows rows, every other loop one step. A dynamic row loop (a
/// batch) goes in blocks of that many rows too, its partial last block
/// peeled off later. Loop order of an outer product: the last dimension's
/// blocks outermost, then the rows, then the rest, so that the block of
/// the right operand a row block uses stays in cache across the rows; of
/// anything else, the output's.
Tiling registerBlock(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                     const VectorTarget &target) {
  Tiling tiling;
  tiling.sizes.assign(ranges.size(), 1);
  if ((tiling.rowReduction = contiguousReduction(op, target))) {
    // One output element per block, its reduction vectorized along the
    // row; the output's order.
    for (unsigned d = 0; d < ranges.size(); ++d)
      tiling.interchange.push_back(d);
    return tiling;
  }
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
  std::optional<unsigned> shared;
  if (inner)
    if ((shared = sharedOperandRows(op, *inner)))
      outer = shared;
  if (inner && !ShapedType::isDynamic(ranges[*inner]))
    tiling.sizes[*inner] = laneBlock(
        ranges[*inner],
        target.lanes(getElementTypeOrSelf(op.getDpsInitOperand(0)->get())));
  // Rows in blocks and a peeled remainder, dynamic (a batch) or not.
  if (outer)
    tiling.sizes[*outer] = ShapedType::isDynamic(ranges[*outer])
                               ? target.rows
                               : std::min<int64_t>(ranges[*outer],
                                                   target.rows);
  // A convolution's column block is one or two registers of an image
  // row (56, 28, 14 or 7 pixels), four times fewer accumulators than a
  // matmul's block of 4 x 64: one load of input per 4 multiply-adds, each
  // weight broadcast used once. Image rows (the output's dimension before
  // the columns, when the rows are the output channels) fill the block up
  // to a matmul's accumulator count: with 4 rows of the image, each weight
  // broadcast serves 4 vectors of pixels.
  std::optional<unsigned> imageRows;
  if (shared && *shared != loopOf(rank - 2) &&
      !ShapedType::isDynamic(ranges[*inner]))
    if ((imageRows = loopOf(rank - 2)) && *imageRows != *inner &&
        !ShapedType::isDynamic(ranges[*imageRows])) {
      int64_t lanes =
          target.lanes(getElementTypeOrSelf(op.getDpsInitOperand(0)->get()));
      int64_t registers = llvm::divideCeil(tiling.sizes[*inner], lanes);
      int64_t budget = target.rows * 4;
      int64_t block = budget / (tiling.sizes[*outer] * registers);
      tiling.sizes[*imageRows] =
          std::max<int64_t>(1, std::min(block, ranges[*imageRows]));
    }
  tiling.inner = inner;
  // Only an outer product (rows that share the columns' operand: a matmul,
  // a convolution) gains from column blocks outermost. Any other op (an
  // element-wise one, a depthwise convolution, a pooling window) goes in
  // the output's own order, a sweep over contiguous memory: with column
  // blocks outermost, a ReLU over 144 x 56 x 56 floats stepped through the
  // channels 13 KB apart in its inner loop, at a tenth of memory speed.
  if (shared) {
    tiling.interchange.push_back(*inner);
    tiling.interchange.push_back(*outer);
    if (imageRows && tiling.sizes[*imageRows] > 1)
      tiling.interchange.push_back(*imageRows);
  }
  for (unsigned d = 0; d < ranges.size(); ++d)
    if (!llvm::is_contained(tiling.interchange, d))
      tiling.interchange.push_back(d);
  return tiling;
}

/// The loop to split across `threads`: the output's last dimension, or the
/// one before, whichever is static and splits into chunks that are still
/// whole register blocks, else any other static one that does (outermost
/// first); failing that, the output's outermost dynamic parallel loop (a
/// batch), in chunks computed at run time.
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
  // Any other static dimension that splits evenly, outermost first (a
  // convolution's output channels, when 28 or 14 pixels do not split into
  // whole blocks per thread; an element-wise op's outer dimension).
  for (int64_t result = 0; result < rank - 2; ++result) {
    std::optional<unsigned> dim = parallelDim(result);
    if (!dim || ShapedType::isDynamic(ranges[*dim]) || ranges[*dim] == 1)
      continue;
    if (ranges[*dim] % (block.sizes[*dim] * threads) == 0)
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

/// When the right operand's panel is copied (see packRightPanel): rows of
/// at least 1 KB, at least 256 of them in the panel, and 16 rows of the
/// output or more reusing it.
constexpr int64_t kPackMinRowStride = 1024;
constexpr int64_t kPackMinDepth = 256;
constexpr int64_t kPackMinRows = 16;

/// Marks the register-block tiles between tiling and vectorization.
constexpr llvm::StringLiteral kTileMarker = "mlc.register_block";

/// Ops tiled as one: an anchor (a contraction), the fill of its output
/// just before it and the element-wise ops just after it that update that
/// output in place (a fused dense + bias + relu). Each tile of the anchor
/// gets the matching tile of the others around it, so that the whole
/// epilogue works on the accumulators while they are in registers: store
/// to load forwarding then removes the zero-fill's stores and the
/// accumulator's reload. An op on its own is a group without siblings.
struct Group {
  SmallVector<linalg::LinalgOp> before;
  linalg::LinalgOp anchor;
  SmallVector<linalg::LinalgOp> after;

  SmallVector<linalg::LinalgOp> ops() const {
    SmallVector<linalg::LinalgOp> all(before);
    all.push_back(anchor);
    all.append(after);
    return all;
  }
};

/// `ops` as groups of their own (siblings that did not follow their anchor).
void addSingletons(ArrayRef<linalg::LinalgOp> ops,
                   SmallVectorImpl<Group> &groups) {
  for (linalg::LinalgOp op : ops)
    groups.push_back(Group{{}, op, {}});
}

/// Whether `op` may be tiled together with `anchor`, whose output is
/// `out`: it writes only `out`, over the same elements (identity map, no
/// reduction), and reads `out` only at the element it writes, so that its
/// tile depends on the anchor's tile at the same place and on nothing
/// another tile writes.
bool isTileSibling(linalg::LinalgOp op, Value out) {
  if (op.getNumDpsInits() != 1 || !op.hasPureBufferSemantics() ||
      op.getNumReductionLoops() != 0 ||
      op.getDpsInitOperand(0)->get() != out ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  for (OpOperand *input : op.getDpsInputOperands())
    if (input->get() == out &&
        !op.getMatchingIndexingMap(input).isIdentity())
      return false;
  return true;
}

/// The group `anchor` heads, if it is a contraction whose output is a
/// fresh buffer (nothing else can alias it) filled just before it or
/// updated element-wise just after it.
std::optional<Group> formGroup(linalg::LinalgOp anchor) {
  if (anchor.getNumReductionLoops() == 0 || anchor.getNumDpsInits() != 1 ||
      !anchor.hasPureBufferSemantics())
    return std::nullopt;
  Value out = anchor.getDpsInitOperand(0)->get();
  if (!out.getDefiningOp<memref::AllocOp>() ||
      llvm::is_contained(anchor.getDpsInputs(), out))
    return std::nullopt;
  AffineMap outMap = anchor.getMatchingIndexingMap(anchor.getDpsInitOperand(0));
  if (!outMap.isProjectedPermutation() ||
      outMap.getNumResults() != anchor.getNumParallelLoops())
    return std::nullopt;
  Group group;
  group.anchor = anchor;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(anchor->getPrevNode()))
    if (isTileSibling(fill, out))
      group.before.push_back(fill);
  for (Operation *next = anchor->getNextNode(); next;
       next = next->getNextNode()) {
    auto generic = dyn_cast<linalg::GenericOp>(next);
    if (!generic || !isTileSibling(generic, out))
      break;
    group.after.push_back(generic);
  }
  if (group.before.empty() && group.after.empty())
    return std::nullopt;
  // Every other use of the buffer comes after the group (a return, a
  // dealloc, a reader): no view of it is read or written in between.
  SmallVector<linalg::LinalgOp> members = group.ops();
  Operation *last = members.back();
  for (Operation *user : out.getUsers())
    if (!llvm::is_contained(members, user) &&
        (user->getBlock() != last->getBlock() ||
         !last->isBeforeInBlock(user)))
      return std::nullopt;
  return group;
}

struct MLCVectorizePass : mlc::impl::MLCVectorizePassBase<MLCVectorizePass> {
  using MLCVectorizePassBase::MLCVectorizePassBase;

  /// Tiles the siblings of `group` at the tile of its anchor that
  /// `tiledAnchor` computes, around it (in the same loop body), and erases
  /// the untiled siblings; returns the tiled group. The anchor's output
  /// tile is a subview of the shared buffer, and the siblings (identity
  /// maps over that buffer) iterate over exactly its offsets and sizes.
  /// Siblings that cannot follow stay where they are (before or after the
  /// anchor's loops, still correct) and go to `leftover`.
  Group fuseSiblings(IRRewriter &rewriter, const Group &group,
                     linalg::LinalgOp tiledAnchor,
                     SmallVectorImpl<Group> &leftover) {
    Group tiled;
    tiled.anchor = tiledAnchor;
    auto view = tiledAnchor.getDpsInitOperand(0)
                    ->get()
                    .getDefiningOp<memref::SubViewOp>();
    auto keep = [&](ArrayRef<linalg::LinalgOp> ops) {
      addSingletons(ops, leftover);
    };
    if (!view) {
      keep(group.before);
      keep(group.after);
      return tiled;
    }
    SmallVector<OpFoldResult> offsets = view.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = view.getMixedSizes();
    auto tileAt = [&](linalg::LinalgOp sibling) -> linalg::LinalgOp {
      FailureOr<TilingResult> tile =
          cast<TilingInterface>(sibling.getOperation())
              .getTiledImplementation(rewriter, offsets, sizes);
      if (failed(tile) || tile->tiledOps.size() != 1)
        return nullptr;
      auto op = cast<linalg::LinalgOp>(tile->tiledOps.front());
      return op;
    };
    rewriter.setInsertionPoint(tiledAnchor);
    for (linalg::LinalgOp sibling : group.before) {
      if (linalg::LinalgOp op = tileAt(sibling)) {
        tiled.before.push_back(op);
        rewriter.eraseOp(sibling);
      } else {
        keep(sibling);
      }
    }
    // The views and indices a later sibling's tile uses are made before
    // the anchor too: when the anchor is tiled again, its loops take its
    // place, and the sibling's tiles inside them must see those values.
    Operation *previous = tiledAnchor;
    for (auto [i, sibling] : llvm::enumerate(group.after)) {
      rewriter.setInsertionPoint(tiledAnchor);
      linalg::LinalgOp op = tileAt(sibling);
      if (!op) {
        // Later siblings read what this one writes: they stay too.
        keep(ArrayRef(group.after).drop_front(i));
        break;
      }
      rewriter.moveOpAfter(op, previous);
      previous = op;
      tiled.after.push_back(op);
      rewriter.eraseOp(sibling);
    }
    return tiled;
  }

  /// The right operand of a contraction is read in panels of its rows, one
  /// register block wide (K x 64), each reused by every row block. With a
  /// long row stride (1 KB or more, a power of two at the common sizes) the
  /// panel's rows fall into a few cache sets and evict each other, so the
  /// panel streams from L3 at every row block: sgemm 2048 ran at 40% of
  /// the peak. Here the anchor's column blocks become a loop of their own,
  /// each of which copies its panel into a dense K x 64 buffer (the copy
  /// vectorized like any op) that the block's tiles read instead. Worth it
  /// only where the panel is large and many rows reuse it.
  std::optional<Group> packRightPanel(IRRewriter &rewriter, const Group &group,
                                      const Tiling &tiling,
                                      ArrayRef<int64_t> ranges,
                                      SmallVectorImpl<Group> &leftover,
                                      SmallVectorImpl<Group> &serial) {
    linalg::LinalgOp op = group.anchor;
    if (!tiling.inner || op.getNumReductionLoops() == 0)
      return std::nullopt;
    unsigned column = *tiling.inner;
    int64_t block = tiling.sizes[column];
    if (ShapedType::isDynamic(ranges[column]) || ranges[column] % block != 0)
      return std::nullopt;
    // Rows reusing each panel: every other parallel loop.
    int64_t rows = 1;
    for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
      if (d != column && iterator == utils::IteratorType::parallel)
        rows = ShapedType::isDynamic(ranges[d]) || rows == ShapedType::kDynamic
                   ? ShapedType::kDynamic
                   : rows * ranges[d];
    if (rows != ShapedType::kDynamic && rows < kPackMinRows)
      return std::nullopt;
    std::optional<unsigned> operandNumber;
    int64_t depth = 0;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      auto type = dyn_cast<MemRefType>(input->get().getType());
      if (!type || map.getNumResults() != 2 || !type.hasStaticShape() ||
          map.getResult(1) != getAffineDimExpr(column, op.getContext()))
        continue;
      auto k = dyn_cast<AffineDimExpr>(map.getResult(0));
      if (!k || op.getIteratorTypesArray()[k.getPosition()] !=
                    utils::IteratorType::reduction)
        continue;
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(type.getStridesAndOffset(strides, offset)) ||
          ShapedType::isDynamic(strides[0]) || strides[1] != 1 ||
          strides[0] * type.getElementTypeBitWidth() / 8 < kPackMinRowStride)
        continue;
      depth = ranges[k.getPosition()];
      if (ShapedType::isDynamic(depth) || depth < kPackMinDepth)
        continue;
      operandNumber = input->getOperandNumber();
      break;
    }
    if (!operandNumber)
      return std::nullopt;

    SmallVector<OpFoldResult> sizes(op.getNumLoops(),
                                    rewriter.getIndexAttr(0));
    sizes[column] = rewriter.getIndexAttr(block);
    scf::SCFTilingOptions options;
    options.setTileSizes(sizes);
    Type element =
        cast<MemRefType>(op->getOperand(*operandNumber).getType())
            .getElementType();
    FailureOr<scf::SCFTilingResult> blocks =
        tileAndReplace(rewriter, op, options);
    if (failed(blocks))
      return std::nullopt;
    Group tiled = fuseSiblings(
        rewriter, group, cast<linalg::LinalgOp>(blocks->tiledOps.front()),
        leftover);
    linalg::LinalgOp anchor = tiled.anchor;
    Location loc = anchor.getLoc();
    OpOperand &panel = anchor->getOpOperand(*operandNumber);
    rewriter.setInsertionPoint(anchor);
    auto buffer = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({depth, block}, element),
        rewriter.getI64IntegerAttr(64));
    auto copy = linalg::CopyOp::create(rewriter, loc, panel.get(),
                                       buffer.getResult());
    rewriter.modifyOpInPlace(anchor, [&] { panel.set(buffer); });
    rewriter.setInsertionPointAfter(tiled.ops().back());
    memref::DeallocOp::create(rewriter, loc, buffer);
    // Already inside a thread's chunk: the copy stays on that thread.
    serial.push_back(Group{{}, cast<linalg::LinalgOp>(copy.getOperation()),
                           {}});
    return tiled;
  }

  /// Splits `group` along its anchor's loop `dim` into `threads` chunks
  /// run by an scf.forall; returns the ops of one chunk. A dynamic loop's
  /// chunk is a whole number of `block`s, computed at run time.
  FailureOr<Group> splitAcrossThreads(IRRewriter &rewriter,
                                      const Group &group, unsigned dim,
                                      int64_t block,
                                      SmallVectorImpl<Group> &leftover) {
    linalg::LinalgOp op = group.anchor;
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
    return fuseSiblings(rewriter, group,
                        cast<linalg::LinalgOp>(split->tiledOps.front()),
                        leftover);
  }

  /// Whether `group` has work enough to pay for waking the other threads
  /// (its anchor's iteration count). Decided here when every loop is
  /// static; otherwise the group is cloned under an `scf.if` on that count
  /// at run time, the serial clone goes to `serial`, and the one to split
  /// is returned.
  std::optional<Group> guardParallelWork(IRRewriter &rewriter,
                                         const Group &group,
                                         ArrayRef<int64_t> ranges,
                                         SmallVectorImpl<Group> &serial) {
    if (!llvm::any_of(ranges, ShapedType::isDynamic)) {
      // Saturating: a 2^40 x 2^40 nest has enough work, not a negative one.
      uint64_t work = 1;
      for (int64_t range : ranges)
        work = llvm::SaturatingMultiply(work, uint64_t(range));
      return work >= uint64_t(minParallelWork) ? std::optional(group)
                                              : std::nullopt;
    }
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
        arith::ConstantIndexOp::create(rewriter, loc, minParallelWork));
    auto branch = scf::IfOp::create(rewriter, loc, enough,
                                    /*withElseRegion=*/true);
    auto cloneInto = [&](Block *block) {
      rewriter.setInsertionPoint(block->getTerminator());
      Group copy;
      auto cloneOf = [&](linalg::LinalgOp member) {
        return cast<linalg::LinalgOp>(rewriter.clone(*member));
      };
      for (linalg::LinalgOp member : group.before)
        copy.before.push_back(cloneOf(member));
      copy.anchor = cloneOf(group.anchor);
      for (linalg::LinalgOp member : group.after)
        copy.after.push_back(cloneOf(member));
      return copy;
    };
    Group parallel = cloneInto(branch.thenBlock());
    serial.push_back(cloneInto(branch.elseBlock()));
    for (linalg::LinalgOp member : members)
      rewriter.eraseOp(member);
    return parallel;
  }

  /// Vectorizes the register block of a group: a dynamic parallel loop
  /// left in it (the last, partial block of a dynamic row loop) goes one
  /// step at a time, the siblings with the anchor in each step; then each
  /// op is vectorized.
  void vectorizeBlock(IRRewriter &rewriter, Group group) {
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
    SmallVector<Group> leftover;
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
    for (const Group &single : leftover)
      vectorizeOne(rewriter, single.anchor);
  }

  /// Vectorizes one op of a register block: its reduction loops, and the
  /// dynamic ones left in the last, partial block of a dynamic row loop,
  /// go one step at a time around the vectorized tile (the reductions
  /// innermost, so that the accumulator is invariant in them).
  void vectorizeOne(IRRewriter &rewriter, linalg::LinalgOp block) {
    SmallVector<int64_t> ranges = block.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators =
        block.getIteratorTypesArray();
    std::optional<RowReduction> row =
        contiguousReduction(block, VectorTarget::get(vectorBits));
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
      if (auto generic = dyn_cast<linalg::GenericOp>(tile)) {
        // Upstream vectorization of linalg.index in a tile with unit loops
        // (the last partial block) can write a vector of the wrong rank
        // (vector<5xf32> into a 1x1x1x5 view): leave such tiles scalar.
        if (hasIndexWithUnitLoops(generic) || readsOrWritesBool(generic))
          continue;
        dropUnitLoopsFromWindows(rewriter, generic);
      }
      rewriter.setInsertionPoint(tile);
      if (succeeded(linalg::vectorize(rewriter, tile)))
        rewriter.eraseOp(tile);
    }
  }

  /// LLVM packs a vector of i1 in memory one bit per element, but a bool
  /// tensor holds one byte per element (numpy's and torch's layout): a
  /// vector load or store of a bool buffer would read bits. Such tiles stay
  /// scalar (i1 loads and stores are bytes).
  static bool readsOrWritesBool(linalg::GenericOp tile) {
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
  static void dropUnitLoopsFromWindows(IRRewriter &rewriter,
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
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    VectorTarget target = VectorTarget::get(vectorBits);
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      // A nest with an empty loop runs no iteration: nothing to block (and
      // the block arithmetic below divides by the ranges).
      if (isa<linalg::GenericOp, linalg::FillOp, linalg::CopyOp>(op) &&
          op.hasPureBufferSemantics() && op.getNumDpsInits() == 1 &&
          !llvm::is_contained(op.getStaticLoopRanges(), 0))
        ops.push_back(op);
    });
    SmallVector<Group> groups;
    llvm::SmallPtrSet<Operation *, 8> grouped;
    for (linalg::LinalgOp op : ops)
      if (std::optional<Group> group = formGroup(op)) {
        for (linalg::LinalgOp member : group->ops())
          grouped.insert(member);
        groups.push_back(*group);
      }
    for (linalg::LinalgOp op : ops)
      if (!grouped.contains(op))
        groups.push_back(Group{{}, op, {}});

    // 1. Blocks of the parallel loops (a register block each). A dynamic
    // row loop steps by whole blocks and its last, partial block is peeled
    // off, so that all but that one iteration see blocks of static shape.
    int64_t nextGroupId = 0;
    SmallVector<scf::ForOp> peeled;
    // Groups may be split across threads; the serial clones of a run-time
    // choice between the two come back here, and so do siblings that could
    // not follow their anchor into its tiles.
    SmallVector<Group> serial, leftover;
    auto process = [&](Group group, bool mayThread) {
      linalg::LinalgOp op = group.anchor;
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      // A group that is not tiled leaves its siblings to be tiled alone.
      auto unsplit = [&] {
        addSingletons(group.before, leftover);
        addSingletons(group.after, leftover);
      };
      if (ranges.empty() ||
          llvm::all_of(ranges, [](int64_t r) { return r == 1; }))
        return unsplit();
      // Only ops whose body vectorizes (no data-dependent reads); with a
      // dynamic loop, a tile that does not vectorize stays a linalg op.
      if (!llvm::any_of(ranges, ShapedType::isDynamic) &&
          llvm::any_of(group.ops(), [](linalg::LinalgOp member) {
            return !vectorizesInTiles(member);
          }))
        return unsplit();
      Tiling tiling = registerBlock(op, ranges, target);
      if (!tiling.rowReduction &&
          llvm::all_of(tiling.sizes, [](int64_t t) { return t == 1; }))
        return unsplit(); // no vector width to gain
      if (mayThread)
        if (auto dim = parallelLoop(op, ranges, tiling, threads))
          if (std::optional<Group> big =
                  guardParallelWork(rewriter, group, ranges, serial))
            if (FailureOr<Group> chunk =
                    splitAcrossThreads(rewriter, *big, *dim,
                                       tiling.sizes[*dim], leftover);
                succeeded(chunk)) {
              group = *chunk;
              op = group.anchor;
              ranges = op.getStaticLoopRanges();
            }
      if (std::optional<Group> packed = packRightPanel(
              rewriter, group, tiling, ranges, leftover, serial)) {
        group = *packed;
        op = group.anchor;
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
        return unsplit();
      Group tiles = fuseSiblings(
          rewriter, group, cast<linalg::LinalgOp>(tiled->tiledOps.front()),
          leftover);
      // The group's tiles carry its number: peeling copies them, and each
      // copy (a block of ops) is vectorized as a group again.
      IntegerAttr id = rewriter.getI64IntegerAttr(nextGroupId++);
      for (linalg::LinalgOp tile : tiles.ops())
        tile->setAttr(kTileMarker, id);
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
    for (const Group &group : groups)
      process(group, threads > 1);
    while (!serial.empty() || !leftover.empty()) {
      if (!serial.empty())
        process(serial.pop_back_val(), /*mayThread=*/false);
      else
        process(leftover.pop_back_val(), threads > 1);
    }
    // Inner loops first: peeling an outer loop copies its body, and the
    // copy (the partial column block) then has its rows peeled already.
    for (scf::ForOp loop : llvm::reverse(peeled)) {
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
    llvm::MapVector<std::pair<Block *, int64_t>, SmallVector<linalg::LinalgOp>>
        blocks;
    func.walk([&](linalg::LinalgOp op) {
      if (auto id = op->getAttrOfType<IntegerAttr>(kTileMarker)) {
        op->removeAttr(kTileMarker);
        blocks[{op->getBlock(), id.getInt()}].push_back(op);
      }
    });
    for (auto &[key, members] : blocks) {
      // In program order: the fill, the anchor (the one op with
      // reductions), the element-wise ops after it.
      Group group;
      auto anchor = llvm::find_if(members, [](linalg::LinalgOp op) {
        return op.getNumReductionLoops() > 0;
      });
      if (members.size() == 1 || anchor == members.end()) {
        for (linalg::LinalgOp op : members)
          vectorizeOne(rewriter, op);
        continue;
      }
      group.before.assign(members.begin(), anchor);
      group.anchor = *anchor;
      group.after.assign(std::next(anchor), members.end());
      vectorizeBlock(rewriter, group);
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

/// Whether `op` is element-wise arithmetic in disguise: every reduction
/// dimension has one step, and some parallel dimension indexes both
/// operands (a convolution's block times its weight broadcast over the
/// block). A matmul block (rows from one operand, columns from the other)
/// is not: it lowers to outer products.
bool isElementwiseContraction(vector::ContractionOp op) {
  SmallVector<int64_t> bounds;
  op.getIterationBounds(bounds);
  SmallVector<vector::IteratorType> iterators = op.getIteratorTypesArray();
  for (auto [size, iterator] : llvm::zip(bounds, iterators))
    if (iterator == vector::IteratorType::reduction && size != 1)
      return false;
  AffineMap lhs = op.getIndexingMapsArray()[0];
  AffineMap rhs = op.getIndexingMapsArray()[1];
  for (auto [d, iterator] : llvm::enumerate(iterators))
    if (iterator == vector::IteratorType::parallel && bounds[d] > 1 &&
        lhs.isFunctionOfDim(d) && rhs.isFunctionOfDim(d))
      return true;
  return false;
}

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
    // A tile's epilogue reads the accumulators its contraction just
    // stored, which read the zeros the fill stored: forward the values and
    // drop the stores that are overwritten.
    vector::transferOpflowOpt(rewriter, func);
    // A convolution's block multiplies a block of inputs by one weight
    // broadcast over it (its reductions are one step each): element-wise
    // arithmetic, which the outer-product lowering would unroll element by
    // element.
    SmallVector<Operation *> scaled;
    func.walk([&](vector::ContractionOp op) {
      if (isElementwiseContraction(op))
        scaled.push_back(op);
    });
    if (!scaled.empty()) {
      RewritePatternSet elementwise(&getContext());
      vector::populateVectorContractLoweringPatterns(
          elementwise, vector::VectorContractLowering::ParallelArith);
      GreedyRewriteConfig config;
      config.setStrictness(GreedyRewriteStrictness::ExistingOps);
      if (failed(applyOpPatternsGreedily(scaled, std::move(elementwise),
                                         config)))
        return signalPassFailure();
    }
    // Contractions to outer products to FMAs, now that accumulators are
    // loop-carried values.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    // A reduction vectorized whole (a row of softmax's sum): reduced
    // across the lanes of its innermost dimension.
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerReduction);
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
