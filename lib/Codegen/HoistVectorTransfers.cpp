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
