//===- HoistVectorTransfers.cpp - accumulators kept in registers ----------===//
//
// See Passes.td: CSE, loop-invariant code motion, upstream transfer
// hoisting and store-to-load forwarding, so that a register block's
// accumulators are loop-carried vectors.
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlc {
#define GEN_PASS_DEF_MLCHOISTVECTORTRANSFERSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Whether `buffer` or a view of it (transitively) is used inside `loop`
/// by anything but `read` and `write`.
bool usedInLoopBesides(Value buffer, Operation *loop, Operation *read,
                       Operation *write) {
  for (Operation *user : buffer.getUsers()) {
    if (user == read || user == write)
      continue;
    if (loop->isAncestor(user))
      return true;
    if (auto view = dyn_cast<ViewLikeOpInterface>(user))
      if (usedInLoopBesides(view->getResult(0), loop, read, write))
        return true;
  }
  return false;
}

/// Upstream's hoisting refuses a buffer that has views at all (its rule
/// 4): a merged short-row op's accumulators live in a fresh buffer that the
/// function then returns through an expand_shape (a 1x1 convolution over
/// 7 x 7 pixels, rows of 49), so they stayed in memory at every step of
/// the reduction (a third of the peak). Here a read and a write of the
/// same vector of a `memref.alloc` at loop-invariant indices, in a loop
/// that runs at least once and in which nothing else touches the buffer
/// or any view of it, become a loop-carried value: the buffer is fresh,
/// so nothing outside what its uses show can alias it.
bool hoistAccumulatorOfFreshBuffer(RewriterBase &rewriter, scf::ForOp loop,
                                   vector::TransferReadOp read) {
  Value buffer = read.getBase();
  if (!buffer.getDefiningOp<memref::AllocOp>() ||
      !llvm::all_of(read->getOperands(), [&](Value v) {
        return loop.isDefinedOutsideOfLoop(v);
      }))
    return false;
  std::optional<APInt> trips = loop.getStaticTripCount();
  if (!trips || !trips->isStrictlyPositive())
    return false;
  vector::TransferWriteOp write;
  for (Operation *op = read->getNextNode(); op; op = op->getNextNode())
    if (auto candidate = dyn_cast<vector::TransferWriteOp>(op))
      if (candidate.getBase() == buffer) {
        if (write)
          return false; // two writes: not an accumulator
        write = candidate;
      }
  if (!write || write.getIndices() != read.getIndices() ||
      write.getVectorType() != read.getVectorType() ||
      write.getPermutationMap() != read.getPermutationMap() ||
      write.getMask() || read.getMask() ||
      write.getInBoundsValues() != read.getInBoundsValues() ||
      usedInLoopBesides(buffer, loop, read, write))
    return false;
  loop.moveOutOfLoop(read);
  rewriter.moveOpAfter(write, loop);
  FailureOr<LoopLikeOpInterface> widened =
      cast<LoopLikeOpInterface>(loop.getOperation())
          .replaceWithAdditionalYields(
              rewriter, read.getResult(),
              /*replaceInitOperandUsesInLoop=*/true,
              [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
                return SmallVector<Value>{write.getVector()};
              });
  if (failed(widened))
    return false;
  write.getValueToStoreMutable().assign(widened->getLoopResults()->back());
  return true;
}

void hoistAccumulatorsOfFreshBuffers(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  bool changed = true;
  while (changed) {
    changed = false;
    func.walk([&](vector::TransferReadOp read) {
      auto loop = dyn_cast<scf::ForOp>(read->getParentOp());
      if (!loop || !isa<MemRefType>(read.getBase().getType()))
        return WalkResult::advance();
      if (!hoistAccumulatorOfFreshBuffer(rewriter, loop, read))
        return WalkResult::advance();
      changed = true;
      return WalkResult::interrupt(); // the loop was replaced
    });
  }
}

struct MLCHoistVectorTransfersPass
    : mlc::impl::MLCHoistVectorTransfersPassBase<MLCHoistVectorTransfersPass> {
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
    hoistAccumulatorsOfFreshBuffers(func);
    // A tile's epilogue reads the accumulators its contraction just
    // stored, which read the zeros the fill stored: forward the values and
    // drop the stores that are overwritten.
    vector::transferOpflowOpt(rewriter, func);
    // What the hoisted reads feed is invariant now too: a layer norm's
    // 1 / sqrt(var + eps), broadcast over each chunk of its row, was
    // computed again for every chunk (two divisions and a square root per
    // register: layer_norm over 128 x 768 ran 3x slower than PyTorch).
    func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
  }
};

} // namespace
