//===- TIRToLinalg.cpp - tir.compute to linalg.generic --------------------===//
//
// One linalg.generic per tir.compute. The work is deciding, read by read,
// whether a tir.read can be an input operand with an affine indexing map:
// linalg infers loop ranges from operand shapes, so an input is only sound
// when its shape provably agrees with the compute's loop extents. Reads
// that are not provably sound stay tensor.extract: slower, never wrong.
//
//===----------------------------------------------------------------------===//

#include "mlc/Conversion/TIRToLinalg/TIRToLinalg.h"

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_CONVERTTIRTOLINALGPASS
#include "mlc/Conversion/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc::tir;

namespace {

/// The affine expression of the index `value` in the compute's loop indices
/// (the arguments of `body`), or null when it is not affine: it depends on
/// a tensor read, on a value from outside the body, or multiplies indices.
AffineExpr toAffine(Value value, Block &body) {
  MLIRContext *ctx = value.getContext();
  if (auto arg = dyn_cast<BlockArgument>(value))
    return arg.getOwner() == &body
               ? getAffineDimExpr(arg.getArgNumber(), ctx)
               : AffineExpr();
  APInt constant;
  if (matchPattern(value, m_ConstantInt(&constant)))
    return getAffineConstantExpr(constant.getSExtValue(), ctx);
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != &body || def->getNumOperands() != 2)
    return {};
  AffineExpr lhs = toAffine(def->getOperand(0), body);
  AffineExpr rhs = toAffine(def->getOperand(1), body);
  if (!lhs || !rhs)
    return {};
  if (isa<arith::AddIOp>(def))
    return lhs + rhs;
  if (isa<arith::SubIOp>(def))
    return lhs - rhs;
  if (isa<arith::MulIOp>(def) &&
      (lhs.isSymbolicOrConstant() || rhs.isSymbolicOrConstant()))
    return lhs * rhs;
  if (isa<arith::FloorDivSIOp>(def))
    if (auto c = dyn_cast<AffineConstantExpr>(rhs); c && c.getValue() > 0)
      return lhs.floorDiv(c);
  return {};
}

/// Whether `expr`, over loop ranges [0, extents), stays in [0, size). Needs
/// static extents for the loops `expr` uses (others may be dynamic: a
/// batch); affine expressions are monotone in each index, so the corners of
/// the box bound them.
bool staysInBounds(AffineExpr expr, ArrayRef<int64_t> extents, int64_t size) {
  SmallVector<unsigned> dims;
  expr.walk([&](AffineExpr e) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      if (!llvm::is_contained(dims, d.getPosition()))
        dims.push_back(d.getPosition());
  });
  if (dims.size() > 8)
    return false;
  for (unsigned d : dims)
    if (ShapedType::isDynamic(extents[d]) || extents[d] <= 0)
      return false;
  AffineMap map = AffineMap::get(extents.size(), 0, expr);
  SmallVector<int64_t> point(extents.size(), 0);
  for (unsigned corner = 0; corner < (1u << dims.size()); ++corner) {
    for (auto [bit, d] : llvm::enumerate(dims))
      point[d] = (corner >> bit) & 1 ? extents[d] - 1 : 0;
    int64_t value = map.compose(point)[0];
    if (value < 0 || value >= size)
      return false;
  }
  return true;
}

/// Whether dimension `dim` of `tensor` provably has size `extent`.
bool provablyEqualSize(Value tensor, int64_t dim, OpFoldResult extent) {
  auto type = cast<RankedTensorType>(tensor.getType());
  std::optional<int64_t> staticExtent = getConstantIntValue(extent);
  if (!type.isDynamicDim(dim) && staticExtent)
    return type.getDimSize(dim) == *staticExtent;
  if (auto value = dyn_cast<Value>(extent);
      value && !mlc::tir::isSafeForValueBounds(value))
    return false;
  FailureOr<bool> equal = ValueBoundsConstraintSet::areEqual(
      ValueBoundsConstraintSet::Variable(tensor, dim),
      ValueBoundsConstraintSet::Variable(extent));
  return succeeded(equal) && *equal;
}

/// The indexing map of `read` if it can be a linalg input: affine indices,
/// and a shape that agrees with the loops (a plain loop index must span the
/// whole dimension, any other index must stay in bounds).
std::optional<AffineMap> inputMap(ReadOp read, Block &body,
                                  ArrayRef<OpFoldResult> extents) {
  if (read->getBlock() != &body)
    return std::nullopt; // nested under an scf.if: only read when guarded
  SmallVector<AffineExpr> results;
  for (Value index : read.getIndices()) {
    AffineExpr expr = toAffine(index, body);
    if (!expr)
      return std::nullopt;
    results.push_back(expr);
  }
  auto type = cast<RankedTensorType>(read.getTensor().getType());
  SmallVector<int64_t> staticExtents;
  for (OpFoldResult extent : extents)
    staticExtents.push_back(
        getConstantIntValue(extent).value_or(ShapedType::kDynamic));
  for (auto [position, expr] : llvm::enumerate(results)) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (!provablyEqualSize(read.getTensor(), position,
                             extents[dim.getPosition()]))
        return std::nullopt;
      continue;
    }
    if (type.isDynamicDim(position) ||
        !staysInBounds(expr, staticExtents, type.getDimSize(position)))
      return std::nullopt;
  }
  return AffineMap::get(extents.size(), 0, results, read.getContext());
}

/// Combines the accumulator with a new value for reduction `kind`.
Value combine(OpBuilder &b, Location loc, ReductionKind kind, Value acc,
              Value value) {
  bool isFloat = isa<FloatType>(acc.getType());
  switch (kind) {
  case ReductionKind::Sum:
    return isFloat ? Value(arith::AddFOp::create(b, loc, acc, value))
                   : Value(arith::AddIOp::create(b, loc, acc, value));
  case ReductionKind::Prod:
    return isFloat ? Value(arith::MulFOp::create(b, loc, acc, value))
                   : Value(arith::MulIOp::create(b, loc, acc, value));
  case ReductionKind::Max:
    return isFloat ? Value(arith::MaximumFOp::create(b, loc, acc, value))
                   : Value(arith::MaxSIOp::create(b, loc, acc, value));
  case ReductionKind::Min:
    return isFloat ? Value(arith::MinimumFOp::create(b, loc, acc, value))
                   : Value(arith::MinSIOp::create(b, loc, acc, value));
  case ReductionKind::UMax:
    return arith::MaxUIOp::create(b, loc, acc, value);
  case ReductionKind::UMin:
    return arith::MinUIOp::create(b, loc, acc, value);
  }
  llvm_unreachable("unknown reduction kind");
}

struct ComputeToGeneric : OpRewritePattern<ComputeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ComputeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    unsigned rank = type.getRank();
    unsigned numLoops = rank + op.getNumReductionAxes();
    Block &body = op.getBody().front();
    for (Operation &nested : body.without_terminator())
      if (!isMemoryEffectFree(&nested))
        return rewriter.notifyMatchFailure(op, "body op has side effects");

    // Loop extents: the output shape, then the reduction extents.
    SmallVector<OpFoldResult> extents;
    auto dynamicSize = op.getDynamicSizes().begin();
    for (int64_t size : type.getShape())
      extents.push_back(ShapedType::isDynamic(size)
                            ? OpFoldResult(*dynamicSize++)
                            : OpFoldResult(rewriter.getIndexAttr(size)));
    llvm::append_range(extents, op.getMixedReductionExtents());

    // Inputs: reads that can be operands, one operand per (tensor, map).
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    llvm::DenseMap<Operation *, unsigned> readInput;
    for (ReadOp read : body.getOps<ReadOp>()) {
      std::optional<AffineMap> map = inputMap(read, body, extents);
      if (!map)
        continue;
      unsigned index = inputs.size();
      for (unsigned i = 0; i < inputs.size(); ++i)
        if (inputs[i] == read.getTensor() && maps[i] == *map)
          index = i;
      if (index == inputs.size()) {
        inputs.push_back(read.getTensor());
        maps.push_back(*map);
      }
      readInput[read] = index;
    }
    // linalg needs every loop's range from some operand: the output gives
    // the parallel ones; a reduction no input spans gets a 1-D shape-only
    // operand (never read).
    for (unsigned d = rank; d < numLoops; ++d) {
      bool spanned = llvm::any_of(maps, [&](AffineMap map) {
        return llvm::is_contained(map.getResults(),
                                  rewriter.getAffineDimExpr(d));
      });
      if (spanned)
        continue;
      inputs.push_back(tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<OpFoldResult>{extents[d]},
          type.getElementType()));
      maps.push_back(AffineMap::get(numLoops, 0, rewriter.getAffineDimExpr(d)));
    }
    SmallVector<AffineExpr> outputDims;
    for (unsigned d = 0; d < rank; ++d)
      outputDims.push_back(rewriter.getAffineDimExpr(d));
    maps.push_back(AffineMap::get(numLoops, 0, outputDims, getContext()));

    // The destination: a fresh tensor, filled with the identity for a
    // reduction.
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType(),
                                         op.getDynamicSizes());
    std::optional<ReductionKind> kind = op.getReductionKind();
    if (kind) {
      TypedAttr identity =
          getReductionIdentity(*kind, type.getElementType());
      Value cst = arith::ConstantOp::create(rewriter, loc, identity);
      init = linalg::FillOp::create(rewriter, loc, cst, init).getResult(0);
    }
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.append(op.getNumReductionAxes(),
                     utils::IteratorType::reduction);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
        iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          IRMapping mapping;
          for (unsigned d = 0; d < numLoops; ++d)
            mapping.map(body.getArgument(d), linalg::IndexOp::create(b, l, d));
          for (Operation &nested : body.without_terminator()) {
            auto it = readInput.find(&nested);
            if (it != readInput.end()) {
              mapping.map(nested.getResult(0), args[it->second]);
              continue;
            }
            b.clone(nested, mapping);
          }
          Value value = mapping.lookupOrDefault(op.getYieldedValue());
          if (kind)
            value = combine(b, l, *kind, args.back(), value);
          linalg::YieldOp::create(b, l, value);
        });

    // The remaining reads become tensor.extract; index arithmetic that only
    // fed the operand reads is dead.
    SmallVector<ReadOp> remaining;
    generic.getRegion().walk([&](ReadOp read) { remaining.push_back(read); });
    for (ReadOp read : remaining) {
      rewriter.setInsertionPoint(read);
      rewriter.replaceOpWithNewOp<tensor::ExtractOp>(read, read.getTensor(),
                                                     read.getIndices());
    }
    (void)runRegionDCE(rewriter, generic->getRegions());

    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ConvertTIRToLinalgPass
    : mlc::impl::ConvertTIRToLinalgPassBase<ConvertTIRToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    mlc::populateTIRToLinalgPatterns(patterns);
    // One walk in program order: a compute's inputs are already lowered
    // when it is, so value bounds see through them.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    WalkResult left = getOperation()->walk([](ComputeOp op) {
      op.emitOpError() << "could not be lowered to linalg: its body has "
                          "ops with side effects";
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void mlc::populateTIRToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ComputeToGeneric>(patterns.getContext());
}
