//===- LowerVectorContractions.cpp - contractions to FMAs -----------------===//
//
// See Passes.td: vector.contract to element-wise arithmetic or outer
// products (FMAs), multi-reductions across lanes, and fastmath<contract>
// on the multiply-adds this lowering makes.
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_MLCLOWERVECTORCONTRACTIONSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

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

/// Vector float multiplications and additions.
bool isVectorMulAdd(Operation *op) {
  return isa<arith::MulFOp, arith::AddFOp>(op) &&
         isa<VectorType>(op->getResult(0).getType());
}

struct MLCLowerVectorContractionsPass
    : mlc::impl::MLCLowerVectorContractionsPassBase<
          MLCLowerVectorContractionsPass> {
  using MLCLowerVectorContractionsPassBase::MLCLowerVectorContractionsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // The model's own vector arithmetic keeps its rounding: marked until
    // the new multiply-adds are told apart from it (an erased op's memory
    // may hold a new one, so no set of pointers).
    constexpr llvm::StringLiteral kOwn = "mlc.own_rounding";
    func.walk([&](Operation *op) {
      if (isVectorMulAdd(op))
        op->setAttr(kOwn, UnitAttr::get(op->getContext()));
    });
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
    func.walk([&](Operation *op) {
      if (!isVectorMulAdd(op) || op->removeAttr(kOwn) || !contract)
        return;
      auto fm = cast<arith::ArithFastMathInterface>(op);
      op->setAttr(fm.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(
                      op->getContext(), arith::FastMathFlags::contract));
    });
  }
};

} // namespace
