//===- ApproximateVectorMath.cpp - vector exp and erf as polynomials -----===//
//
// See Passes.td: vector math.exp and math.erf of f32 through upstream's
// polynomial approximations instead of a libm call per lane.
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_MLCAPPROXIMATEVECTORMATHPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct ApproximateVectorMathPass
    : mlc::impl::MLCApproximateVectorMathPassBase<ApproximateVectorMathPass> {
  void runOnOperation() override {
    SmallVector<Operation *> exps;
    getOperation().walk([&](Operation *op) {
      if (!isa<math::ExpOp, math::ErfOp>(op))
        return;
      auto type = dyn_cast<VectorType>(op->getResult(0).getType());
      if (type && type.getElementType().isF32())
        exps.push_back(op);
    });
    if (exps.empty())
      return;
    // erf is odd; upstream's approximation of erf(-0.0) is +0.0. The sign
    // of the input restores libm's (and PyTorch's) -0.0 (NaN stays NaN).
    for (Operation *op : exps) {
      auto erf = dyn_cast<math::ErfOp>(op);
      if (!erf)
        continue;
      OpBuilder builder(erf->getContext());
      builder.setInsertionPointAfter(erf);
      auto signed_ = math::CopySignOp::create(builder, erf.getLoc(),
                                              erf.getResult(), erf.getOperand());
      erf.getResult().replaceAllUsesExcept(signed_.getResult(), signed_);
    }
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == "math.exp" || name == "math.erf";
    });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(exps, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
