//===- DeferLaneReductions.cpp - reduce across lanes once per row ---------===//
//
// See Passes.td: a loop that folds each chunk of a row into a scalar
// accumulator (vector.multi_reduction into a loop-carried value) carries
// the chunk-wide partial results instead, reduced across lanes once after
// the loop.
//
//===----------------------------------------------------------------------===//

#include "mlc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_MLCDEFERLANEREDUCTIONSPASS
#include "mlc/Codegen/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// The element `kind` leaves unchanged, for elements of `type`; none for
/// the kinds not deferred. (Upstream's arith::getNeutralElement, asked of
/// the combining op, knows only additions and multiplications here.)
std::optional<TypedAttr> neutral(vector::CombiningKind kind, Type type) {
  using Kind = vector::CombiningKind;
  if (auto f = dyn_cast<FloatType>(type)) {
    const llvm::fltSemantics &sem = f.getFloatSemantics();
    switch (kind) {
    case Kind::ADD:
      return FloatAttr::get(f, llvm::APFloat::getZero(sem));
    case Kind::MUL:
      return FloatAttr::get(f, llvm::APFloat::getOne(sem));
    case Kind::MAXIMUMF:
      return FloatAttr::get(f, llvm::APFloat::getInf(sem, /*Negative=*/true));
    case Kind::MINIMUMF:
      return FloatAttr::get(f, llvm::APFloat::getInf(sem));
    // maxnum/minnum ignore a NaN operand: NaN is what they leave unchanged
    // (from -inf, a row of NaN would reduce to -inf, not NaN).
    case Kind::MAXNUMF:
    case Kind::MINNUMF:
      return FloatAttr::get(f, llvm::APFloat::getNaN(sem));
    default:
      return std::nullopt;
    }
  }
  auto i = dyn_cast<IntegerType>(type);
  if (!i)
    return std::nullopt;
  unsigned bits = i.getWidth();
  switch (kind) {
  case Kind::ADD:
  case Kind::OR:
  case Kind::XOR:
  case Kind::MAXUI:
    return IntegerAttr::get(i, llvm::APInt::getZero(bits));
  case Kind::MUL:
    return IntegerAttr::get(i, llvm::APInt(bits, 1));
  case Kind::AND:
  case Kind::MINUI:
    return IntegerAttr::get(i, llvm::APInt::getAllOnes(bits));
  case Kind::MAXSI:
    return IntegerAttr::get(i, llvm::APInt::getSignedMinValue(bits));
  case Kind::MINSI:
    return IntegerAttr::get(i, llvm::APInt::getSignedMaxValue(bits));
  default:
    return std::nullopt;
  }
}

/// scf.for ... iter_args(%acc = %init) { %r = vector.multi_reduction
/// <kind>, %chunk, %acc [dims]; ...; scf.yield %r } becomes a loop that
/// also carries %partial (the chunk's shape, starting at the neutral
/// element) and yields `%partial <kind> %chunk` while %acc passes through;
/// after the loop, one multi_reduction of the last partial into %init.
struct DeferReduction : OpRewritePattern<scf::ForOp> {
  DeferReduction(MLIRContext *ctx, bool contract)
      : OpRewritePattern(ctx), contract(contract) {}

  LogicalResult matchAndRewrite(scf::ForOp loop,
                                PatternRewriter &rewriter) const override {
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (auto [index, acc] : llvm::enumerate(loop.getRegionIterArgs())) {
      if (!acc.hasOneUse())
        continue;
      auto reduction =
          dyn_cast<vector::MultiDimReductionOp>(*acc.getUsers().begin());
      if (!reduction || reduction.getAcc() != acc ||
          reduction->getBlock() != loop.getBody() ||
          !reduction.getResult().hasOneUse() ||
          yield.getOperand(index) != reduction.getResult())
        continue;
      auto chunkType = cast<VectorType>(reduction.getSource().getType());
      std::optional<TypedAttr> identity =
          neutral(reduction.getKind(), chunkType.getElementType());
      if (!identity || chunkType.isScalable())
        continue;
      rewriter.setInsertionPoint(loop);
      Value start = arith::ConstantOp::create(
          rewriter, loop.getLoc(), chunkType,
          DenseElementsAttr::get(chunkType, cast<Attribute>(*identity)));
      vector::CombiningKind kind = reduction.getKind();
      Value chunk = reduction.getSource();
      // The chunk is defined in the loop body; the partial combines with
      // it where the reduction was.
      FailureOr<LoopLikeOpInterface> widened =
          cast<LoopLikeOpInterface>(loop.getOperation())
              .replaceWithAdditionalYields(
                  rewriter, start, /*replaceInitOperandUsesInLoop=*/false,
                  [&](OpBuilder &b, Location loc,
                      ArrayRef<BlockArgument> partial) -> SmallVector<Value> {
                    b.setInsertionPoint(reduction);
                    // With `contract`, a product the chunk is (a dot's)
                    // and this addition may fuse into FMAs.
                    bool fuse = contract &&
                                kind == vector::CombiningKind::ADD;
                    auto flags = arith::FastMathFlagsAttr::get(
                        b.getContext(), fuse ? arith::FastMathFlags::contract
                                             : arith::FastMathFlags::none);
                    return {vector::makeArithReduction(
                        b, loc, kind, chunk, partial.front(), flags)};
                  });
      if (failed(widened))
        return failure();
      auto newLoop = cast<scf::ForOp>(widened->getOperation());
      // The scalar accumulator passes through the loop unchanged now.
      rewriter.replaceOp(reduction, newLoop.getRegionIterArgs()[index]);
      rewriter.setInsertionPointAfter(newLoop);
      Value partial = newLoop.getResults().back();
      Value result = newLoop.getResult(index);
      auto total = vector::MultiDimReductionOp::create(
          rewriter, newLoop.getLoc(), kind, partial, result,
          reduction.getReductionDims());
      rewriter.replaceAllUsesExcept(result, total.getResult(), total);
      return success();
    }
    return failure();
  }

  bool contract;
};

/// A dot product along a row, `vector.contract` of two chunks of the same
/// shape (a variance's (x - mean)^2 summed) into a loop-carried
/// accumulator, as the multiplication and the multi_reduction it stands
/// for, which DeferReduction then defers.
struct SplitLoopCarriedDot : OpRewritePattern<vector::ContractionOp> {
  SplitLoopCarriedDot(MLIRContext *ctx, bool contract)
      : OpRewritePattern(ctx), contract(contract) {}

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    auto acc = dyn_cast<BlockArgument>(op.getAcc());
    auto loop = acc ? dyn_cast<scf::ForOp>(acc.getOwner()->getParentOp())
                    : scf::ForOp();
    if (!loop || op.getKind() != vector::CombiningKind::ADD ||
        op.getLhsType() != op.getRhsType() ||
        !isa<FloatType>(op.getLhsType().getElementType()) ||
        !isa<VectorType>(op.getAccType()))
      return rewriter.notifyMatchFailure(op, "not a loop-carried float dot");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (!maps[0].isIdentity() || !maps[1].isIdentity())
      return rewriter.notifyMatchFailure(op, "operands not read in order");
    // The accumulator keeps the parallel dimensions, in order.
    SmallVector<int64_t> reduced;
    SmallVector<AffineExpr> kept;
    for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
      if (iterator == vector::IteratorType::reduction)
        reduced.push_back(d);
      else
        kept.push_back(rewriter.getAffineDimExpr(d));
    }
    if (maps[2] != AffineMap::get(maps[2].getNumDims(), 0, kept,
                                  op.getContext()))
      return rewriter.notifyMatchFailure(op, "accumulator map");
    auto flags = arith::FastMathFlagsAttr::get(
        op.getContext(), contract ? arith::FastMathFlags::contract
                                  : arith::FastMathFlags::none);
    Value product = arith::MulFOp::create(rewriter, op.getLoc(), op.getLhs(),
                                          op.getRhs(), flags);
    rewriter.replaceOpWithNewOp<vector::MultiDimReductionOp>(
        op, vector::CombiningKind::ADD, product, op.getAcc(), reduced);
    return success();
  }

  bool contract;
};

struct MLCDeferLaneReductionsPass
    : mlc::impl::MLCDeferLaneReductionsPassBase<MLCDeferLaneReductionsPass> {
  using MLCDeferLaneReductionsPassBase::MLCDeferLaneReductionsPassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DeferReduction>(&getContext(), contract);
    patterns.add<SplitLoopCarriedDot>(&getContext(), contract);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
