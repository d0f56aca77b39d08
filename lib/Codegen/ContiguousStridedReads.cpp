//===- ContiguousStridedReads.cpp - strided vector reads as shuffles -----===//
//
// See Passes.td: a vector read through a view with an innermost step of s
// becomes one contiguous read of the span and a shuffle of every s-th lane
// (a stride-2 convolution's input), instead of a scalar load per lane.
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_MLCCONTIGUOUSSTRIDEDREADSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Strides of at most this many elements: a wider step reads more than it
/// keeps, and a gather of scalar loads is as good.
constexpr int64_t kMaxStep = 4;

LogicalResult rewriteRead(IRRewriter &rewriter, vector::TransferReadOp read) {
  auto view = read.getBase().getDefiningOp<memref::SubViewOp>();
  VectorType type = read.getVectorType();
  if (!view || type.getRank() == 0 || read.getMask() ||
      !read.getPermutationMap().isMinorIdentity() ||
      llvm::is_contained(read.getInBoundsValues(), false))
    return failure();
  auto sourceType = cast<MemRefType>(view.getSource().getType());
  auto viewType = cast<MemRefType>(view.getType());
  int64_t rank = viewType.getRank();
  if (rank == 0 || sourceType.getRank() != rank)
    return failure();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(sourceType.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1)
    return failure();
  ArrayRef<int64_t> steps = view.getStaticStrides();
  ArrayRef<int64_t> sizes = view.getStaticSizes();
  int64_t step = steps.back(), lanes = type.getShape().back();
  if (ShapedType::isDynamic(step) || step <= 1 || step > kMaxStep ||
      sizes.back() != lanes)
    return failure();
  APInt start;
  if (!matchPattern(read.getIndices().back(), m_ConstantInt(&start)) ||
      !start.isZero())
    return failure();

  Location loc = read.getLoc();
  rewriter.setInsertionPoint(read);
  int64_t span = (lanes - 1) * step + 1;
  SmallVector<OpFoldResult> spanSizes = view.getMixedSizes();
  spanSizes.back() = rewriter.getIndexAttr(span);
  // The outer dimensions keep their steps (a stride-2 window's rows).
  SmallVector<OpFoldResult> spanSteps = view.getMixedStrides();
  spanSteps.back() = rewriter.getIndexAttr(1);
  auto contiguous =
      memref::SubViewOp::create(rewriter, loc, view.getSource(),
                                view.getMixedOffsets(), spanSizes, spanSteps);
  // The span read as whole vectors of `lanes`, the last one ending at the
  // span's end (overlapping the one before): a read of the span itself,
  // (lanes - 1) * step + 1 wide (31 lanes for 16 at stride 2), became a
  // register and pieces of 8, 4, 2 and 1 lanes. Every chunk stays inside
  // the span, so inside what the strided read read.
  SmallVector<int64_t> chunkShape(type.getShape());
  SmallVector<int64_t> offsets;
  for (int64_t at = 0; at + lanes < span; at += lanes)
    offsets.push_back(at);
  offsets.push_back(span - lanes);
  SmallVector<Value> chunks;
  for (int64_t at : offsets) {
    SmallVector<Value> indices(read.getIndices());
    indices.back() = arith::ConstantIndexOp::create(rewriter, loc, at);
    chunks.push_back(vector::TransferReadOp::create(
        rewriter, loc, type, contiguous, indices,
        read.getPermutationMapAttr(), read.getPadding(), /*mask=*/Value(),
        read.getInBoundsAttr()));
  }
  // Lane l keeps element l * step, found in the first chunk that holds it:
  // the first two chunks by one two-source shuffle, each further chunk by
  // one more shuffle of the lanes gathered so far with it.
  auto chunkOf = [&](int64_t lane) {
    int64_t element = lane * step;
    for (auto [k, at] : llvm::enumerate(offsets))
      if (element < at + lanes)
        return std::make_pair(int64_t(k), element - at);
    llvm_unreachable("every element of the span is in a chunk");
  };
  auto gather = [&](ArrayRef<Value> lines) -> Value {
    if (lines.size() == 1) {
      SmallVector<int64_t> mask;
      for (int64_t lane = 0; lane < lanes; ++lane)
        mask.push_back(chunkOf(lane).second);
      return vector::ShuffleOp::create(rewriter, loc, lines[0], lines[0], mask);
    }
    SmallVector<int64_t> mask;
    for (int64_t lane = 0; lane < lanes; ++lane) {
      auto [k, at] = chunkOf(lane);
      mask.push_back(k == 0 ? at : k == 1 ? lanes + at : 0);
    }
    Value kept =
        vector::ShuffleOp::create(rewriter, loc, lines[0], lines[1], mask);
    for (size_t next = 2; next < lines.size(); ++next) {
      SmallVector<int64_t> more;
      for (int64_t lane = 0; lane < lanes; ++lane) {
        auto [k, at] = chunkOf(lane);
        more.push_back(k == int64_t(next) ? lanes + at : lane);
      }
      kept = vector::ShuffleOp::create(rewriter, loc, kept, lines[next], more);
    }
    return kept;
  };
  if (type.getRank() == 1) {
    rewriter.replaceOp(read, gather(chunks));
    return success();
  }
  // vector.shuffle permutes the leading dimension only: row by row.
  Value result = arith::ConstantOp::create(rewriter, loc, type,
                                           rewriter.getZeroAttr(type));
  ArrayRef<int64_t> rows = type.getShape().drop_back();
  SmallVector<int64_t> position(rows.size(), 0);
  for (int64_t row = 0, count = ShapedType::getNumElements(rows); row < count;
       ++row) {
    SmallVector<Value> lines;
    for (Value chunk : chunks)
      lines.push_back(vector::ExtractOp::create(rewriter, loc, chunk, position));
    result = vector::InsertOp::create(rewriter, loc, gather(lines), result,
                                      position);
    for (int64_t d = position.size() - 1; d >= 0; --d) {
      if (++position[d] < rows[d])
        break;
      position[d] = 0;
    }
  }
  rewriter.replaceOp(read, result);
  return success();
}

struct ContiguousStridedReadsPass
    : mlc::impl::MLCContiguousStridedReadsPassBase<ContiguousStridedReadsPass> {
  void runOnOperation() override {
    SmallVector<vector::TransferReadOp> reads;
    getOperation().walk(
        [&](vector::TransferReadOp read) { reads.push_back(read); });
    IRRewriter rewriter(&getContext());
    for (vector::TransferReadOp read : reads)
      (void)rewriteRead(rewriter, read);
  }
};

} // namespace
