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
  SmallVector<int64_t> wideShape(type.getShape());
  wideShape.back() = span;
  Value wide = vector::TransferReadOp::create(
      rewriter, loc, VectorType::get(wideShape, type.getElementType()),
      contiguous, read.getIndices(), read.getPermutationMapAttr(),
      read.getPadding(), /*mask=*/Value(), read.getInBoundsAttr());
  SmallVector<int64_t> every;
  for (int64_t lane = 0; lane < lanes; ++lane)
    every.push_back(lane * step);
  if (type.getRank() == 1) {
    rewriter.replaceOpWithNewOp<vector::ShuffleOp>(read, wide, wide, every);
    return success();
  }
  // vector.shuffle permutes the leading dimension only: row by row.
  Value result = arith::ConstantOp::create(rewriter, loc, type,
                                           rewriter.getZeroAttr(type));
  ArrayRef<int64_t> rows = type.getShape().drop_back();
  SmallVector<int64_t> position(rows.size(), 0);
  for (int64_t row = 0, count = ShapedType::getNumElements(rows); row < count;
       ++row) {
    Value line = vector::ExtractOp::create(rewriter, loc, wide, position);
    Value kept = vector::ShuffleOp::create(rewriter, loc, line, line, every);
    result = vector::InsertOp::create(rewriter, loc, kept, result, position);
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
