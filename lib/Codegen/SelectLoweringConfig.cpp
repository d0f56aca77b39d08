//===- SelectLoweringConfig.cpp - the strategy stage ----------------------===//
//
// Chooses, for each linalg op on tensors or buffers whose register-block tiles
// vectorize, the register block, the loop order, the thread split and the
// packing, and records them as `mlc.lowering_config` (see Passes.td). The
// later stages only carry the choice out.
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "TileGroups.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/TargetParser/Host.h"

namespace mlc {
#define GEN_PASS_DEF_MLCSELECTLOWERINGCONFIGPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::codegen;

namespace {

/// The register block and loop order of one op.
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

/// Whether an input of `op` is read along the column loop `inner` with a
/// stride (`2 * w + kw`): a window whose vectors of inputs each need a
/// shuffle (--mlc-contiguous-strided-reads).
bool stridedColumns(linalg::LinalgOp op, unsigned inner) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      continue;
    bool strided = false;
    map.getResults().back().walk([&](AffineExpr e) {
      auto product = dyn_cast<AffineBinaryOpExpr>(e);
      if (!product || product.getKind() != AffineExprKind::Mul)
        return;
      auto dim = dyn_cast<AffineDimExpr>(product.getLHS());
      auto factor = dyn_cast<AffineConstantExpr>(product.getRHS());
      strided |= dim && dim.getPosition() == inner && factor &&
                 factor.getValue() > 1;
    });
    if (strided)
      return true;
  }
  return false;
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
  if (!generic ||
      !(op.hasPureBufferSemantics() || op.hasPureTensorSemantics()) ||
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

/// The bytes of the inputs of `op` that `dim` indexes (static shapes;
/// nullopt if one is dynamic).
std::optional<int64_t> inputBytesIndexedBy(linalg::LinalgOp op, unsigned dim) {
  int64_t bytes = 0;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!op.getMatchingIndexingMap(input).isFunctionOfDim(dim))
      continue;
    auto type = dyn_cast<ShapedType>(input->get().getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
      return std::nullopt;
    bytes += type.getNumElements() * type.getElementTypeBitWidth() / 8;
  }
  return bytes;
}

/// The L2 share the columns' operand of an outer product may take to stay
/// cached across all row blocks.
constexpr int64_t kColumnsInCacheBytes = 256 * 1024;

/// Whether an outer product should go row blocks outermost: the operand
/// the rows come from (a 1x1 convolution's weights) does not fit the cache
/// share, the one the columns come from does, and so stays in cache across
/// every row block. Column blocks outermost stream the rows' operand once
/// per column block: a 1x1 convolution 192 -> 1152 over 7 x 7 read its
/// 885 KB of weights four times per call, from L3 inside a model (where
/// the kernels before it evicted them), and ran at 2/3 of its speed alone.
bool rowsOperandOutweighsColumns(linalg::LinalgOp op, unsigned inner,
                                 unsigned outer) {
  std::optional<int64_t> columns = inputBytesIndexedBy(op, inner);
  std::optional<int64_t> rows = inputBytesIndexedBy(op, outer);
  return columns && rows && *columns <= kColumnsInCacheBytes &&
         *rows > kColumnsInCacheBytes;
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
  int64_t lanes =
      target.lanes(getElementTypeOrSelf(op.getDpsInitOperand(0)->get()));
  // A strided window along the columns (a stride-2 convolution's `2 * w +
  // kw`) costs a shuffle per vector of inputs read: each one then serves
  // as many output channels as there are accumulators, one register of
  // columns wide (measured on conv3x3 s2 64->128 at 28^2: 4 channels x 4
  // image rows 2.95 ms, 16 channels x 1 row 1.25 ms; conv7x7 s2 3->64
  // 3.9 -> 2.2 ms).
  bool strided = shared && stridedColumns(op, *inner);
  if (inner && !ShapedType::isDynamic(ranges[*inner]))
    tiling.sizes[*inner] =
        strided ? std::min(ranges[*inner], lanes)
                : laneBlock(ranges[*inner], lanes);
  // Rows in blocks and a peeled remainder, dynamic (a batch) or not.
  int64_t rows = strided ? target.rows * 4 : target.rows;
  // A matmul whose columns are one register wide but longer than one (a
  // 1x1 convolution over 7 x 7 pixels merged into rows of 49: blocks of
  // 16 and a peeled column) would have 4 accumulators per block: twice
  // the rows instead, each broadcast weight then serving one register
  // (512 -> 2048 over 7 x 7 on one core: 76 -> 98 GFLOP/s; 12 or 16 rows
  // made the 2048 -> 512 one slower, its weight rows 8 KB apart).
  if (shared && *shared == loopOf(rank - 2) && inner &&
      !ShapedType::isDynamic(ranges[*inner]) &&
      tiling.sizes[*inner] <= lanes && ranges[*inner] > lanes)
    rows = 2 * target.rows;
  if (outer)
    tiling.sizes[*outer] = ShapedType::isDynamic(ranges[*outer])
                               ? rows
                               : std::min<int64_t>(ranges[*outer], rows);
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
    // Parallel loops outside the block (a batch, a batched matmul's heads)
    // are independent problems: outermost, so that the columns' panel the
    // row blocks share is one image's, as at batch 1. Inside the column
    // blocks, a 1x1 convolution's panel at batch 8 (8 images x 64 channels
    // x 56 rows x 16 pixels, 1.8 MB) outgrew L2 and streamed from L3 for
    // every block of output channels: 64 -> 256 over 56 x 56 at batch 8,
    // 17.0 -> 10.6 ms on one core.
    for (unsigned d = 0; d < ranges.size(); ++d)
      if (d != *inner && d != *outer && (!imageRows || d != *imageRows) &&
          iterators[d] == utils::IteratorType::parallel && ranges[d] != 1)
        tiling.interchange.push_back(d);
    if (!imageRows && rowsOperandOutweighsColumns(op, *inner, *outer)) {
      tiling.interchange.push_back(*outer);
      tiling.interchange.push_back(*inner);
    } else {
      tiling.interchange.push_back(*inner);
      tiling.interchange.push_back(*outer);
    }
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

/// When the right operand's panel is copied (see Passes.td,
/// --mlc-pack-panels): rows of at least 1 KB, at least 256 of them in the
/// panel, and 16 rows of the output or more reusing it.
constexpr int64_t kPackMinRowStride = 1024;
constexpr int64_t kPackMinDepth = 256;
constexpr int64_t kPackMinRows = 16;

/// The row stride of a static 2-d operand whose rows are contiguous: a
/// buffer's from its layout; a tensor's from its shape, the identity
/// layout its buffer gets (function arguments and constants bufferize so).
std::optional<int64_t> contiguousRowStride(ShapedType type) {
  if (isa<RankedTensorType>(type))
    return type.getDimSize(1);
  auto memref = dyn_cast<MemRefType>(type);
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!memref || failed(memref.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(strides[0]) || strides[1] != 1)
    return std::nullopt;
  return strides[0];
}

/// The right operand of a contraction is read in panels of its rows, one
/// register block wide (K x 64), each reused by every row block. With a
/// long row stride (1 KB or more, a power of two at the common sizes) the
/// panel's rows fall into a few cache sets and evict each other, so the
/// panel streams from L3 at every row block: sgemm 2048 ran at 40% of
/// the peak. The operand to copy panel by panel, if the panel is large and
/// many rows reuse it; `ranges` are those of a thread's chunk.
std::optional<unsigned> packedOperand(linalg::LinalgOp op,
                                      const Tiling &tiling,
                                      ArrayRef<int64_t> ranges) {
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
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    auto type = dyn_cast<ShapedType>(input->get().getType());
    if (!type || map.getNumResults() != 2 || !type.hasStaticShape() ||
        map.getResult(1) != getAffineDimExpr(column, op.getContext()))
      continue;
    auto k = dyn_cast<AffineDimExpr>(map.getResult(0));
    if (!k || op.getIteratorTypesArray()[k.getPosition()] !=
                  utils::IteratorType::reduction)
      continue;
    std::optional<int64_t> rowStride = contiguousRowStride(type);
    if (!rowStride ||
        *rowStride * type.getElementTypeBitWidth() / 8 < kPackMinRowStride)
      continue;
    int64_t depth = ranges[k.getPosition()];
    if (ShapedType::isDynamic(depth) || depth < kPackMinDepth)
      continue;
    return input->getOperandNumber();
  }
  return std::nullopt;
}

/// Whether `op` may be tiled together with `anchor`, whose output is
/// `out`: it writes only `out`, over the same elements (identity map, no
/// reduction), and reads `out` only at the element it writes, so that its
/// tile depends on the anchor's tile at the same place and on nothing
/// another tile writes. On tensors `out` is the value the previous member
/// returns, which only `op` may use, as its destination (it is then dead,
/// as a buffer would be overwritten).
bool isTileSibling(linalg::LinalgOp op, Value out) {
  bool onTensors = isa<RankedTensorType>(out.getType());
  if (op.getNumDpsInits() != 1 ||
      !(onTensors ? op.hasPureTensorSemantics()
                  : op.hasPureBufferSemantics()) ||
      op.getNumReductionLoops() != 0 ||
      op.getDpsInitOperand(0)->get() != out ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  for (OpOperand *input : op.getDpsInputOperands())
    if (input->get() == out &&
        !op.getMatchingIndexingMap(input).isIdentity())
      return false;
  // On tensors, only as its destination: tile-and-fuse would fuse the
  // producer once per slice read, computing it twice in each chunk.
  return !onTensors || out.hasOneUse();
}

/// On tensors: the members after `anchor`, each writing over the result
/// of the one before (`--mlc-elementwise-in-place` made them so), and the
/// fill of a `tensor.empty` that the anchor accumulates into. SSA use-def
/// chains say what the buffer version must check by program order.
std::optional<Group> formGroupOnTensors(linalg::LinalgOp anchor) {
  Value init = anchor.getDpsInitOperand(0)->get();
  Group group;
  group.anchor = anchor;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    if (fill.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>() &&
        fill->getResult(0).hasOneUse() && isTileSibling(fill, fill.output()))
      group.before.push_back(fill);
  // The later stages tile the members at the anchor's place: what else a
  // member reads must be there already.
  auto availableAtAnchor = [&](Value value) {
    Operation *def = value.getDefiningOp();
    return !def || def->getBlock() != anchor->getBlock() ||
           def->isBeforeInBlock(anchor);
  };
  Value out = anchor->getResult(0);
  while (!out.use_empty()) {
    auto generic = dyn_cast<linalg::GenericOp>(*out.getUsers().begin());
    if (!generic || !isTileSibling(generic, out) ||
        generic->getBlock() != anchor->getBlock() ||
        !llvm::all_of(generic->getOperands(), [&](Value operand) {
          return operand == out || availableAtAnchor(operand);
        }))
      break;
    group.after.push_back(generic);
    out = generic->getResult(0);
  }
  if (group.before.empty() && group.after.empty())
    return std::nullopt;
  return group;
}

/// The group `anchor` heads, if it is a contraction whose output is a
/// fresh buffer (nothing else can alias it) filled just before it or
/// updated element-wise just after it.
std::optional<Group> formGroup(linalg::LinalgOp anchor) {
  if (anchor.getNumReductionLoops() == 0 || anchor.getNumDpsInits() != 1 ||
      !(anchor.hasPureBufferSemantics() || anchor.hasPureTensorSemantics()))
    return std::nullopt;
  Value out = anchor.getDpsInitOperand(0)->get();
  if (llvm::is_contained(anchor.getDpsInputs(), out))
    return std::nullopt;
  AffineMap outMap = anchor.getMatchingIndexingMap(anchor.getDpsInitOperand(0));
  if (!outMap.isProjectedPermutation() ||
      outMap.getNumResults() != anchor.getNumParallelLoops())
    return std::nullopt;
  if (anchor.hasPureTensorSemantics())
    return formGroupOnTensors(anchor);
  if (!out.getDefiningOp<memref::AllocOp>())
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

struct MLCSelectLoweringConfigPass
    : mlc::impl::MLCSelectLoweringConfigPassBase<MLCSelectLoweringConfigPass> {
  using MLCSelectLoweringConfigPassBase::MLCSelectLoweringConfigPassBase;

  /// The config of `op` on its own, or none if its register blocks would
  /// not vectorize or gain nothing.
  std::optional<LoweringConfig> select(linalg::LinalgOp op,
                                       const VectorTarget &target) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ranges.empty() ||
        llvm::all_of(ranges, [](int64_t r) { return r == 1; }))
      return std::nullopt;
    // Only ops whose body vectorizes (no data-dependent reads); with a
    // dynamic loop, a tile that does not vectorize stays a linalg op.
    if (!llvm::any_of(ranges, ShapedType::isDynamic) &&
        !vectorizesInTiles(op))
      return std::nullopt;
    Tiling tiling = registerBlock(op, ranges, target);
    if (!tiling.rowReduction &&
        llvm::all_of(tiling.sizes, [](int64_t t) { return t == 1; }))
      return std::nullopt; // no vector width to gain
    LoweringConfig config;
    config.interchange = tiling.interchange;
    config.rowReduction = tiling.rowReduction;
    config.registerTile = tiling.sizes;
    for (auto [size, iterator] :
         llvm::zip(config.registerTile, op.getIteratorTypesArray()))
      if (iterator == utils::IteratorType::reduction)
        size = 0;
    // The thread split: decided here when every loop is static, at run
    // time otherwise (the iteration count against minParallelWork).
    SmallVector<int64_t> chunk(ranges);
    if (threads > 1)
      if (std::optional<unsigned> dim =
              parallelLoop(op, ranges, tiling, threads)) {
        bool dynamic = llvm::any_of(ranges, ShapedType::isDynamic);
        // Saturating: a 2^40 x 2^40 nest has enough work, not a negative
        // one.
        uint64_t work = 1;
        for (int64_t range : ranges)
          if (!ShapedType::isDynamic(range))
            work = llvm::SaturatingMultiply(work, uint64_t(range));
        if (dynamic || work >= uint64_t(minParallelWork)) {
          config.distribute =
              Distribution{*dim, tiling.sizes[*dim], unsigned(threads)};
          if (dynamic)
            config.minParallelWork = minParallelWork;
          if (!ShapedType::isDynamic(chunk[*dim]))
            chunk[*dim] /= threads;
        }
      }
    config.packOperand = packedOperand(op, tiling, chunk);
    return config;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    VectorTarget target = VectorTarget::get(vectorBits);
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      // A config chosen earlier (or written by hand) stays.
      if (op->hasAttr(kLoweringConfigAttr))
        return;
      // A nest with an empty loop runs no iteration: nothing to block (and
      // the block arithmetic divides by the ranges).
      if (isa<linalg::GenericOp, linalg::FillOp, linalg::CopyOp>(op) &&
          (op.hasPureBufferSemantics() || op.hasPureTensorSemantics()) &&
          op.getNumDpsInits() == 1 &&
          !llvm::is_contained(op.getStaticLoopRanges(), 0))
        ops.push_back(op);
    });
    llvm::DenseMap<Operation *, LoweringConfig> configs;
    for (linalg::LinalgOp op : ops)
      if (std::optional<LoweringConfig> config = select(op, target))
        configs[op] = *config;
    // Groups headed by a contraction with a config. Each member keeps a
    // config of its own, used if it cannot follow the anchor into its
    // tiles; one that would gain nothing alone (the fill of a 1 x 512 x 1
    // x 1 mean) is tiled only with the group, if its tiles vectorize.
    auto inNoGroup = [&](linalg::LinalgOp op) {
      auto it = configs.find(op);
      return it == configs.end() || !it->second.group;
    };
    int64_t nextGroup = 0;
    for (linalg::LinalgOp op : ops) {
      std::optional<Group> group = formGroup(op);
      if (!group || !configs.count(op) ||
          !llvm::all_of(group->ops(), inNoGroup))
        continue;
      bool dynamic =
          llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic);
      if (!dynamic && !llvm::all_of(group->ops(), vectorizesInTiles))
        continue;
      for (linalg::LinalgOp member : group->ops()) {
        auto [it, alone] = configs.try_emplace(member);
        if (alone) {
          int64_t loops = member.getNumLoops();
          it->second.registerTile.assign(loops, 1);
          for (int64_t d = 0; d < loops; ++d)
            it->second.interchange.push_back(d);
          it->second.groupOnly = true;
        }
        it->second.group = nextGroup;
      }
      ++nextGroup;
    }
    for (linalg::LinalgOp op : ops)
      if (auto it = configs.find(op); it != configs.end())
        it->second.set(op);
  }
};

} // namespace
