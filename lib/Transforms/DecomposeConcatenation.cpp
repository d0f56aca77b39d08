//===- DecomposeConcatenation.cpp - guarded selects to slice copies ------===//
//
// The importer writes torch.cat as one te compute that picks, by the index
// along the axis, which input to read: out[i] = i < b0 ? x0[i] : i < b1 ?
// x1[i - b0] : ... A linalg.generic whose body is that chain of scf.if
// around tensor.extracts does not vectorize: concatenation ran one element
// at a time (0.3-0.45x PyTorch eager). Here it becomes what it means: each
// input inserted into its slice of the output, which bufferization writes
// as copies into views of one buffer, vectorized like any copy.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "GuardedReads.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_MLCDECOMPOSECONCATENATIONPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::guarded;

namespace {

/// One input of a concatenation and where it starts along the axis.
struct Piece {
  Value input;
  int64_t start;
};

struct Concatenation {
  unsigned axis;
  SmallVector<Piece> pieces;
};

/// Whether `extract` reads `in[i]` with `i`'s index along `axis` shifted
/// by `start`, and every other index the loop of its dimension (the
/// bounds checker's clamps inert over the input's extent), the input
/// having the output's sizes but along the axis.
bool readsShifted(tensor::ExtractOp extract, unsigned axis, int64_t start,
                  RankedTensorType outType) {
  auto inType = cast<RankedTensorType>(extract.getTensor().getType());
  if (inType.getRank() != outType.getRank() ||
      inType.getElementType() != outType.getElementType())
    return false;
  for (auto [d, index] : llvm::enumerate(extract.getIndices())) {
    // A unit dimension read at 0 (a batch of one).
    if (std::optional<int64_t> c = constantIndex(index)) {
      if (*c != 0 || d == axis || inType.getDimSize(d) != 1 ||
          outType.getDimSize(d) != 1)
        return false;
      continue;
    }
    std::optional<ShiftedIndex> read = matchShiftedIndex(index);
    if (!read || read->loop != d || read->floor > 0)
      return false;
    int64_t size = inType.getDimSize(d);
    if (d == axis) {
      if (ShapedType::isDynamic(size) || read->offset != start ||
          read->ceiling < size - 1)
        return false;
      continue;
    }
    // Another dimension: the output's extent, read as it is.
    if (read->offset != 0 || size != outType.getDimSize(d) ||
        (ShapedType::isDynamic(size)
             ? read->ceiling != std::numeric_limits<int64_t>::max()
             : read->ceiling < size - 1))
      return false;
  }
  return true;
}

/// The tensor.extract that `branch` yields, alone with its index
/// arithmetic in the block, reading a tensor from outside the generic.
tensor::ExtractOp yieldedRead(Block *branch, Operation *generic) {
  auto yield = cast<scf::YieldOp>(branch->getTerminator());
  if (yield.getNumOperands() != 1)
    return nullptr;
  auto extract = yield.getOperand(0).getDefiningOp<tensor::ExtractOp>();
  if (!extract || extract->getBlock() != branch ||
      generic->isAncestor(extract.getTensor().getParentBlock()->getParentOp()))
    return nullptr;
  for (Operation &op : branch->without_terminator())
    if (!isa<arith::SubIOp, arith::MinSIOp, arith::MaxSIOp, arith::ConstantOp,
             tensor::ExtractOp>(op))
      return nullptr;
  return extract;
}

/// Reads `generic` as a concatenation along one axis of inputs of the
/// output's element type that tile the output's extent along it, or
/// fails.
FailureOr<Concatenation> matchConcatenation(linalg::GenericOp generic) {
  if (!mlc::guarded::writesEachElementByExtract(generic))
    return failure();
  auto outType = cast<RankedTensorType>(generic.getResult(0).getType());
  // An empty output has nothing to copy (and a slice at offset 0 of an
  // empty dimension does not verify).
  if (llvm::is_contained(outType.getShape(), 0))
    return failure();
  Block *body = generic.getBody();
  for (Operation &op : body->without_terminator())
    if (!isa<linalg::IndexOp, arith::CmpIOp, arith::ConstantOp, scf::IfOp>(op))
      return failure();
  Value value =
      cast<linalg::YieldOp>(body->getTerminator()).getValues().front();
  std::optional<unsigned> axis;
  SmallVector<Piece> pieces;
  int64_t start = 0;
  // The chain: if (i[axis] < bound) { read piece } else { the rest }.
  while (auto branch = value.getDefiningOp<scf::IfOp>()) {
    auto cmp = branch.getCondition().getDefiningOp<arith::CmpIOp>();
    std::optional<unsigned> loop = cmp ? loopOf(cmp.getLhs()) : std::nullopt;
    std::optional<int64_t> bound =
        cmp ? constantIndex(cmp.getRhs()) : std::nullopt;
    if (!loop || !bound || cmp.getPredicate() != arith::CmpIPredicate::slt ||
        (axis && *axis != *loop) || *bound <= start)
      return failure();
    axis = *loop;
    tensor::ExtractOp read = yieldedRead(branch.thenBlock(), generic);
    if (!read || !readsShifted(read, *axis, start, outType) ||
        cast<RankedTensorType>(read.getTensor().getType())
                .getDimSize(*axis) != *bound - start)
      return failure();
    pieces.push_back({read.getTensor(), start});
    start = *bound;
    value = cast<scf::YieldOp>(branch.elseBlock()->getTerminator())
                .getOperand(0);
    if (value.getParentBlock() != branch.elseBlock()) {
      // The else branch yields a value from elsewhere: not a read.
      return failure();
    }
    if (!value.getDefiningOp<scf::IfOp>()) {
      // The last piece: the else branch's read, up to the output's end.
      tensor::ExtractOp last = yieldedRead(branch.elseBlock(), generic);
      int64_t total = outType.getDimSize(*axis);
      if (!last || ShapedType::isDynamic(total) ||
          !readsShifted(last, *axis, start, outType) ||
          cast<RankedTensorType>(last.getTensor().getType())
                  .getDimSize(*axis) != total - start)
        return failure();
      pieces.push_back({last.getTensor(), start});
      return Concatenation{*axis, pieces};
    }
    // An inner if must be alone in the else branch with its own reads.
    for (Operation &op : branch.elseBlock()->without_terminator())
      if (!isa<scf::IfOp, arith::CmpIOp, arith::ConstantOp>(op))
        return failure();
  }
  return failure();
}

struct DecomposeConcatenationPass
    : mlc::impl::MLCDecomposeConcatenationPassBase<DecomposeConcatenationPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : genericsInOrder(getOperation())) {
      FailureOr<Concatenation> match = matchConcatenation(generic);
      if (failed(match))
        continue;
      Location loc = generic.getLoc();
      rewriter.setInsertionPoint(generic);
      Value result = generic.getDpsInitOperand(0)->get();
      int64_t axis = match->axis;
      for (const Piece &piece : match->pieces) {
        auto inType = cast<RankedTensorType>(piece.input.getType());
        SmallVector<OpFoldResult> offsets, sizes, strides;
        for (int64_t d = 0; d < inType.getRank(); ++d) {
          offsets.push_back(
              rewriter.getIndexAttr(d == axis ? piece.start : 0));
          sizes.push_back(tensor::getMixedSize(rewriter, loc, piece.input, d));
          strides.push_back(rewriter.getIndexAttr(1));
        }
        result = tensor::InsertSliceOp::create(rewriter, loc, piece.input,
                                               result, offsets, sizes, strides);
      }
      rewriter.replaceOp(generic, result);
    }
  }
};

} // namespace
