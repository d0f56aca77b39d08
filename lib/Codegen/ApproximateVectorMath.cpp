//===- ApproximateVectorMath.cpp - vector exp as a polynomial ------------===//
//
// See Passes.td: vector math.exp of f32 through upstream's polynomial
// approximation instead of a libm call per lane.
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
    getOperation().walk([&](math::ExpOp op) {
      auto type = dyn_cast<VectorType>(op.getType());
      if (type && type.getElementType().isF32())
        exps.push_back(op);
    });
    if (exps.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) { return name == "math.exp"; });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(exps, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
