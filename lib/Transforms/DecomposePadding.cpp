//===- DecomposePadding.cpp - guarded copies to fill + interior copy -----===//
//
// te writes zero padding (topi's `pad` stage of a convolution or pooling)
// as a guarded read: out[i] = in bounds ? in[i - lo] : c, which becomes a
// linalg.generic whose body branches (scf.if) around a tensor.extract. Such
// a body does not vectorize, and the padding ran one element at a time: as
// long as the depthwise convolution after it. Here it becomes what it
// means: an element-wise copy of the input into the interior slice and
// fills of the border with `c` (each element written once), which
// vectorize.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "GuardedReads.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

namespace mlc {
#define GEN_PASS_DEF_MLCDECOMPOSEPADDINGPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// A half-open interval of index values, [lo, hi).
struct Interval {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
};

using mlc::guarded::constantIndex;
using mlc::guarded::loopOf;

/// Narrows `bounds` by `cond`, a conjunction (arith.andi) of comparisons
/// of loop indices with constants; fails on anything else.
LogicalResult collectBounds(Value cond, SmallVectorImpl<Interval> &bounds) {
  if (auto conj = cond.getDefiningOp<arith::AndIOp>())
    return success(succeeded(collectBounds(conj.getLhs(), bounds)) &&
                   succeeded(collectBounds(conj.getRhs(), bounds)));
  auto cmp = cond.getDefiningOp<arith::CmpIOp>();
  if (!cmp)
    return failure();
  std::optional<unsigned> loop = loopOf(cmp.getLhs());
  std::optional<int64_t> bound = constantIndex(cmp.getRhs());
  if (!loop || !bound || *loop >= bounds.size())
    return failure();
  Interval &range = bounds[*loop];
  switch (cmp.getPredicate()) {
  case arith::CmpIPredicate::sge:
    range.lo = std::max(range.lo, *bound);
    return success();
  case arith::CmpIPredicate::sgt:
    range.lo = std::max(range.lo, *bound + 1);
    return success();
  case arith::CmpIPredicate::slt:
    range.hi = std::min(range.hi, *bound);
    return success();
  case arith::CmpIPredicate::sle:
    range.hi = std::min(range.hi, *bound + 1);
    return success();
  default:
    return failure();
  }
}

/// The pieces of a guarded copy.
struct GuardedCopy {
  Value input;                 // the tensor read in bounds
  Value padding;               // the value outside
  SmallVector<int64_t> offset; // where the input starts in the output
};

/// Reads `generic` as out[i] = (offset <= i < offset + size(in)) ?
/// in[i - offset] : padding, over loops matching the output's dimensions
/// one to one, or fails. The clamps the bounds checker puts on each read
/// index (min/max with constants) are no-ops inside the guard and are
/// checked to be.
FailureOr<GuardedCopy> matchGuardedCopy(linalg::GenericOp generic) {
  if (!mlc::guarded::writesEachElementByExtract(generic))
    return failure();
  Block *body = generic.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto branch = yield.getValues().front().getDefiningOp<scf::IfOp>();
  if (!branch || branch->getNumResults() != 1 || branch->getBlock() != body)
    return failure();
  auto outside =
      cast<scf::YieldOp>(branch.elseBlock()->getTerminator()).getOperand(0);
  Attribute padValue;
  if (!matchPattern(outside, m_Constant(&padValue)))
    return failure();
  auto inside = cast<scf::YieldOp>(branch.thenBlock()->getTerminator());
  auto extract = inside.getOperand(0).getDefiningOp<tensor::ExtractOp>();
  auto outType = cast<RankedTensorType>(generic.getResult(0).getType());
  int64_t rank = outType.getRank();
  if (!extract || extract->getBlock() != branch.thenBlock() ||
      extract.getTensor().getParentBlock() == body ||
      extract.getTensor().getParentBlock() == branch.thenBlock())
    return failure();
  auto inType = cast<RankedTensorType>(extract.getTensor().getType());
  if (inType.getRank() != rank)
    return failure();
  SmallVector<Interval> bounds(rank);
  if (failed(collectBounds(branch.getCondition(), bounds)))
    return failure();

  GuardedCopy copy;
  copy.input = extract.getTensor();
  for (auto [d, index] : llvm::enumerate(extract.getIndices())) {
    int64_t inSize = inType.getDimSize(d), outSize = outType.getDimSize(d);
    // A unit dimension read at 0.
    if (std::optional<int64_t> c = constantIndex(index)) {
      if (*c != 0 || inSize != 1 || outSize != 1 || bounds[d].lo > 0 ||
          bounds[d].hi < 1)
        return failure();
      copy.offset.push_back(0);
      continue;
    }
    // The bounds checker's clamps, remembered.
    std::optional<mlc::guarded::ShiftedIndex> shifted =
        mlc::guarded::matchShiftedIndex(index);
    if (!shifted || shifted->loop != d)
      return failure();
    int64_t offset = shifted->offset, floor = shifted->floor,
            ceiling = shifted->ceiling;
    if (offset == 0 && bounds[d].lo <= 0 &&
        bounds[d].hi == std::numeric_limits<int64_t>::max() &&
        inSize == outSize && floor <= 0 &&
        ceiling == std::numeric_limits<int64_t>::max()) {
      // Not padded: read as it is (a dynamic batch, the channels).
      copy.offset.push_back(0);
      continue;
    }
    // Padded: a static interior that the guard describes exactly, the
    // clamps inert in it.
    if (ShapedType::isDynamic(inSize) || ShapedType::isDynamic(outSize) ||
        offset < 0 || offset + inSize > outSize || bounds[d].lo != offset ||
        bounds[d].hi != offset + inSize || floor > 0 || ceiling < inSize - 1)
      return failure();
    copy.offset.push_back(offset);
  }
  // Nothing else in the body or the branch: indices, comparisons and the
  // index arithmetic matched above.
  for (Operation &op : body->without_terminator())
    if (!isa<linalg::IndexOp, arith::CmpIOp, arith::AndIOp, arith::ConstantOp,
             scf::IfOp>(op))
      return failure();
  for (Operation &op : branch.thenBlock()->without_terminator())
    if (!isa<arith::SubIOp, arith::MinSIOp, arith::MaxSIOp, arith::ConstantOp,
             tensor::ExtractOp>(op))
      return failure();
  copy.padding = outside;
  return copy;
}

struct DecomposePaddingPass
    : mlc::impl::MLCDecomposePaddingPassBase<DecomposePaddingPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic :
         mlc::guarded::genericsInOrder(getOperation())) {
      FailureOr<GuardedCopy> match = matchGuardedCopy(generic);
      if (failed(match))
        continue;
      GuardedCopy &copy = *match;
      Location loc = generic.getLoc();
      rewriter.setInsertionPoint(generic);
      // The padding value, made outside the body if it is inside.
      Value padding = copy.padding;
      if (generic->isAncestor(padding.getParentBlock()->getParentOp()))
        padding = rewriter.clone(*padding.getDefiningOp())->getResult(0);
      Value init = generic.getDpsInitOperand(0)->get();
      // A padded dimension is static (matchGuardedCopy); an unpadded
      // dynamic one (a batch) is read over the output's extent, as the
      // original loop nest did, which may be less than the input's.
      auto inType = cast<RankedTensorType>(copy.input.getType());
      auto outType = cast<RankedTensorType>(init.getType());
      SmallVector<OpFoldResult> offsets, sizes, strides, extents;
      bool partial = false;
      for (auto [d, offset] : llvm::enumerate(copy.offset)) {
        offsets.push_back(rewriter.getIndexAttr(offset));
        partial |= inType.isDynamicDim(d);
        sizes.push_back(tensor::getMixedSize(
            rewriter, loc, inType.isDynamicDim(d) ? init : copy.input, d));
        strides.push_back(rewriter.getIndexAttr(1));
        extents.push_back(tensor::getMixedSize(rewriter, loc, init, d));
      }
      Value input = copy.input;
      if (partial)
        input = tensor::ExtractSliceOp::create(
            rewriter, loc, input,
            SmallVector<OpFoldResult>(offsets.size(), rewriter.getIndexAttr(0)),
            sizes, strides);
      Value interior = tensor::ExtractSliceOp::create(rewriter, loc, init,
                                                      offsets, sizes, strides);
      int64_t rank = copy.offset.size();
      AffineMap id = rewriter.getMultiDimIdentityMap(rank);
      SmallVector<utils::IteratorType> parallel(rank,
                                                utils::IteratorType::parallel);
      auto copied = linalg::GenericOp::create(
          rewriter, loc, interior.getType(), ValueRange{input},
          ValueRange{interior}, ArrayRef<AffineMap>{id, id}, parallel,
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, args.front());
          });
      Value result = tensor::InsertSliceOp::create(
          rewriter, loc, copied.getResult(0), init, offsets, sizes, strides);
      // Then the border, slab by slab: for padded dimension d, the rows
      // before and after the input, over the interior of the dimensions
      // before d (their borders are filled already) and the whole of those
      // after. Each element is written once, where a fill of the whole
      // tensor wrote the interior twice (a stride-2 depthwise
      // convolution's padding stage is as long as the convolution).
      for (int64_t d = 0; d < rank; ++d) {
        if (outType.isDynamicDim(d))
          continue; // not padded (matchGuardedCopy)
        int64_t low = copy.offset[d], size = inType.getDimSize(d),
                total = outType.getDimSize(d);
        for (auto [start, length] :
             {std::pair<int64_t, int64_t>{0, low},
              std::pair<int64_t, int64_t>{low + size, total - low - size}}) {
          if (length <= 0)
            continue;
          SmallVector<OpFoldResult> slabOffsets, slabSizes;
          for (int64_t e = 0; e < rank; ++e) {
            if (e < d) {
              slabOffsets.push_back(offsets[e]);
              slabSizes.push_back(sizes[e]);
            } else if (e == d) {
              slabOffsets.push_back(rewriter.getIndexAttr(start));
              slabSizes.push_back(rewriter.getIndexAttr(length));
            } else {
              slabOffsets.push_back(rewriter.getIndexAttr(0));
              slabSizes.push_back(extents[e]);
            }
          }
          Value slab = tensor::ExtractSliceOp::create(
              rewriter, loc, result, slabOffsets, slabSizes, strides);
          Value filled =
              linalg::FillOp::create(rewriter, loc, padding, slab).getResult(0);
          result = tensor::InsertSliceOp::create(rewriter, loc, filled, result,
                                                 slabOffsets, slabSizes,
                                                 strides);
        }
      }
      rewriter.replaceOp(generic, result);
    }
  }
};

} // namespace
