//===- CheckBounds.cpp - Every tir.read in bounds -------------------------===//
//
// --tir-check-bounds: proves each read of a compute in bounds, reports the
// ones that are provably out of bounds, checks the rest at run time
// (tir.assert) or clamps their indices. See Passes.td for the contract.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/TIR/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

#include <map>
#include <type_traits>

namespace mlc::tir {
#define GEN_PASS_DEF_TIRCHECKBOUNDSPASS
#include "mlc/Dialect/TIR/Transforms/Passes.h.inc"
} // namespace mlc::tir

using namespace mlir;
using namespace mlc::tir;

namespace {

/// The values an index takes over a compute's domain lie in [lo, hi]: index
/// values that dominate the compute (constants where everything is static).
struct Interval {
  Value lo, hi;
};

/// Builds the intervals of a compute's index expressions as index
/// arithmetic in front of the compute (folded where constant).
class IntervalBuilder {
public:
  IntervalBuilder(ComputeOp compute)
      : compute(compute), builder(compute), loc(compute.getLoc()) {
    for (OpFoldResult extent : compute.getLoopExtents())
      extents.push_back(materialize(extent));
  }

  Value constant(int64_t v) {
    Value &c = constants[v];
    if (!c)
      c = arith::ConstantIndexOp::create(builder, loc, v);
    return c;
  }
  Value materialize(OpFoldResult ofr) {
    if (auto value = dyn_cast<Value>(ofr))
      return value;
    return constant(cast<IntegerAttr>(cast<Attribute>(ofr)).getInt());
  }
  template <typename OpTy> Value fold(Value a, Value b) {
    // Interval arithmetic that wraps around would bound nothing (the
    // corners of i * c can wrap into range while the middle does not):
    // an overflow on constants, or a factor too large for any real size,
    // abandons the interval (the read is then clamped).
    std::optional<int64_t> x = getConstantIntValue(a),
                           y = getConstantIntValue(b);
    int64_t r;
    if constexpr (std::is_same_v<OpTy, arith::MulIOp>) {
      constexpr int64_t kMaxFactor = int64_t(1) << 32;
      if ((x && (*x > kMaxFactor || *x < -kMaxFactor)) ||
          (y && (*y > kMaxFactor || *y < -kMaxFactor)) ||
          (x && y && __builtin_mul_overflow(*x, *y, &r)))
        overflowed = true;
    } else if constexpr (std::is_same_v<OpTy, arith::AddIOp>) {
      if (x && y && __builtin_add_overflow(*x, *y, &r))
        overflowed = true;
    } else if constexpr (std::is_same_v<OpTy, arith::SubIOp>) {
      if (x && y && __builtin_sub_overflow(*x, *y, &r))
        overflowed = true;
    }
    return builder.createOrFold<OpTy>(loc, a, b);
  }
  Value cmp(arith::CmpIPredicate predicate, Value a, Value b) {
    return builder.createOrFold<arith::CmpIOp>(loc, predicate, a, b);
  }

  /// [op(a.lo, b.lo), op(a.hi, b.hi)]: the interval of an op increasing in
  /// both operands.
  template <typename OpTy> Interval bounds(Interval a, Interval b) {
    return Interval{fold<OpTy>(a.lo, b.lo), fold<OpTy>(a.hi, b.hi)};
  }

  /// Whether some loop of the compute runs no iteration (then no read
  /// happens), as an i1.
  Value emptyDomain() {
    Value empty = arith::ConstantIntOp::create(builder, loc, 0, 1);
    for (Value extent : extents)
      empty = fold<arith::OrIOp>(
          empty, cmp(arith::CmpIPredicate::sle, extent, constant(0)));
    return empty;
  }
  /// Whether every loop runs at least once, known at build time.
  bool provablyNonEmpty() {
    return llvm::all_of(extents, [](Value e) {
      std::optional<int64_t> c = getConstantIntValue(e);
      return c && *c > 0;
    });
  }

  /// The interval of `v`, or nothing for arithmetic this does not follow.
  std::optional<Interval> of(Value v, unsigned depth = 0) {
    if (auto it = memo.find(v); it != memo.end())
      return it->second;
    std::optional<Interval> result = derive(v, depth);
    if (overflowed) {
      // Nothing that used the wrapped values is an interval; keep the
      // flag set so the enclosing expressions give up too.
      return std::nullopt;
    }
    if (result)
      memo[v] = *result;
    return result;
  }

  /// Forgets an overflow before deriving the next index.
  void reset() { overflowed = false; }

  Location getLoc() const { return loc; }
  OpBuilder &getBuilder() { return builder; }

private:
  std::optional<Interval> derive(Value v, unsigned depth) {
    if (!v.getType().isIndex() || depth > 64)
      return std::nullopt;
    Region &body = compute.getBody();
    // Defined outside the compute: one value over the whole domain.
    if (!body.isAncestor(v.getParentRegion()))
      return Interval{v, v};
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != &body.front())
        return std::nullopt;
      Value extent = extents[arg.getArgNumber()];
      return Interval{constant(0), fold<arith::SubIOp>(extent, constant(1))};
    }
    Operation *op = v.getDefiningOp();
    if (std::optional<int64_t> c = getConstantIntValue(v))
      return Interval{constant(*c), constant(*c)};
    auto operand = [&](unsigned i) { return of(op->getOperand(i), depth + 1); };
    if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::MaxSIOp,
            arith::MinSIOp>(op)) {
      std::optional<Interval> a = operand(0), b = operand(1);
      if (!a || !b)
        return std::nullopt;
      // Monotone in both operands: the bounds combine bound by bound.
      if (isa<arith::AddIOp>(op))
        return bounds<arith::AddIOp>(*a, *b);
      if (isa<arith::MaxSIOp>(op))
        return bounds<arith::MaxSIOp>(*a, *b);
      if (isa<arith::MinSIOp>(op))
        return bounds<arith::MinSIOp>(*a, *b);
      if (isa<arith::SubIOp>(op)) // decreasing in the subtrahend
        return bounds<arith::SubIOp>(*a, Interval{b->hi, b->lo});
      // A product: the extremes are among the corners' products.
      Value p[4] = {fold<arith::MulIOp>(a->lo, b->lo),
                    fold<arith::MulIOp>(a->lo, b->hi),
                    fold<arith::MulIOp>(a->hi, b->lo),
                    fold<arith::MulIOp>(a->hi, b->hi)};
      Value lo = p[0], hi = p[0];
      for (Value x : ArrayRef(p).drop_front()) {
        lo = fold<arith::MinSIOp>(lo, x);
        hi = fold<arith::MaxSIOp>(hi, x);
      }
      return Interval{lo, hi};
    }
    if (isa<arith::FloorDivSIOp, arith::DivSIOp, arith::RemSIOp>(op)) {
      std::optional<int64_t> divisor = getConstantIntValue(op->getOperand(1));
      std::optional<Interval> a = operand(0);
      if (!divisor || *divisor <= 0 || !a)
        return std::nullopt;
      Interval c{constant(*divisor), constant(*divisor)};
      // By a positive constant: monotone in the dividend.
      if (isa<arith::FloorDivSIOp>(op))
        return bounds<arith::FloorDivSIOp>(*a, c);
      if (isa<arith::DivSIOp>(op))
        return bounds<arith::DivSIOp>(*a, c);
      // The remainder has the dividend's sign.
      Value nonNegative = cmp(arith::CmpIPredicate::sge, a->lo, constant(0));
      Value lo = builder.createOrFold<arith::SelectOp>(
          loc, nonNegative, constant(0), constant(1 - *divisor));
      return Interval{lo, constant(*divisor - 1)};
    }
    if (auto select = dyn_cast<arith::SelectOp>(op)) {
      std::optional<Interval> t = operand(1), f = operand(2);
      if (!t || !f)
        return std::nullopt;
      return Interval{fold<arith::MinSIOp>(t->lo, f->lo),
                      fold<arith::MaxSIOp>(t->hi, f->hi)};
    }
    return std::nullopt;
  }

  ComputeOp compute;
  OpBuilder builder;
  Location loc;
  SmallVector<Value> extents;
  llvm::DenseMap<Value, Interval> memo;
  // A std::map: DenseMap reserves INT64_MAX and INT64_MAX - 1 as its empty
  // and tombstone keys, and sizes can be anything (a fuzzer found it).
  std::map<int64_t, Value> constants;
  /// Set once interval arithmetic overflowed (for the index being derived;
  /// reset by `reset`).
  bool overflowed = false;
};

/// Whether `lhs cmp rhs` holds, decided on constants or proved by MLIR's
/// value-bounds analysis.
bool provably(Value lhs, ValueBoundsConstraintSet::ComparisonOperator cmp,
              Value rhs) {
  std::optional<int64_t> a = getConstantIntValue(lhs),
                         b = getConstantIntValue(rhs);
  using Cmp = ValueBoundsConstraintSet::ComparisonOperator;
  if (a && b)
    return cmp == Cmp::GE ? *a >= *b : *a < *b;
  if (!isSafeForValueBounds(lhs) || !isSafeForValueBounds(rhs))
    return false;
  return ValueBoundsConstraintSet::compare(lhs, cmp, rhs);
}

/// The name a message gives a tensor: its name (te's placeholder or
/// compute name), else its argument number.
std::string tensorName(Value tensor) {
  if (auto name = dyn_cast<NameLoc>(tensor.getLoc()))
    return "'" + name.getName().str() + "'";
  if (auto compute = tensor.getDefiningOp<ComputeOp>())
    return "'" + compute.getComputeName().str() + "'";
  if (auto arg = dyn_cast<BlockArgument>(tensor))
    return "argument #" + std::to_string(arg.getArgNumber());
  return "a tensor";
}

struct TIRCheckBoundsPass
    : mlc::tir::impl::TIRCheckBoundsPassBase<TIRCheckBoundsPass> {
  void runOnOperation() override {
    SmallVector<ComputeOp> computes;
    getOperation().walk([&](ComputeOp op) { computes.push_back(op); });
    for (ComputeOp compute : computes)
      if (failed(check(compute)))
        return signalPassFailure();
    // The proofs leave index arithmetic nothing uses.
    Block &body = getOperation().getBody().front();
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (isOpTriviallyDead(&op))
        op.erase();
  }

  LogicalResult check(ComputeOp compute) {
    SmallVector<ReadOp> reads;
    compute.getBody().walk([&](ReadOp read) { reads.push_back(read); });
    if (reads.empty())
      return success();
    IntervalBuilder intervals(compute);
    OpBuilder &builder = intervals.getBuilder();
    Location loc = intervals.getLoc();
    using Cmp = ValueBoundsConstraintSet::ComparisonOperator;
    Value empty = intervals.emptyDomain();
    std::string computeName = compute.getComputeName().str();

    // `ok` (already or'ed with the empty domain) must hold: nothing when it
    // folds to true, an error when it folds to false, else a tir.assert.
    auto require = [&](ReadOp read, Value ok, const std::string &message,
                       ValueRange values) -> LogicalResult {
      std::optional<int64_t> known = getConstantIntValue(ok);
      if (known && *known)
        return success();
      if (known) {
        InFlightDiagnostic diag = read.emitOpError() << message << ":";
        for (Value v : values)
          diag << " " << *getConstantIntValue(v);
        return diag;
      }
      AssertOp::create(builder, loc, ok, builder.getStringAttr(message),
                       values);
      return success();
    };

    for (ReadOp read : reads) {
      Value tensor = read.getTensor();
      auto type = cast<RankedTensorType>(tensor.getType());
      bool guarded = read->getBlock() != &compute.getBody().front();
      SmallVector<Value> indices(read.getIndices());
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        sizes.push_back(
            type.isDynamicDim(d)
                ? builder.createOrFold<tensor::DimOp>(loc, tensor, d)
                : intervals.constant(type.getDimSize(d)));
      bool clamped = false;
      for (auto [d, index] : llvm::enumerate(indices)) {
        Value size = sizes[d];
        intervals.reset();
        std::optional<Interval> range = intervals.of(index);
        if (range && provably(range->lo, Cmp::GE, intervals.constant(0)) &&
            provably(range->hi, Cmp::LT, size))
          continue;
        if (!range || guarded) {
          // Clamped into [0, size - 1].
          OpBuilder inside(read);
          Value last = builder.createOrFold<arith::SubIOp>(
              loc, size, intervals.constant(1));
          Value upper = inside.createOrFold<arith::MinSIOp>(loc, index, last);
          index = inside.createOrFold<arith::MaxSIOp>(loc, upper,
                                                      intervals.constant(0));
          clamped = true;
          continue;
        }
        Value inBounds = builder.createOrFold<arith::AndIOp>(
            loc,
            intervals.cmp(arith::CmpIPredicate::sge, range->lo,
                          intervals.constant(0)),
            intervals.cmp(arith::CmpIPredicate::slt, range->hi, size));
        Value ok = builder.createOrFold<arith::OrIOp>(loc, empty, inBounds);
        if (failed(require(read, ok,
                           "compute '" + computeName + "' reads " +
                               tensorName(tensor) +
                               " out of bounds in dimension " +
                               std::to_string(d) +
                               " (lowest and highest index, then size)",
                           {range->lo, range->hi, size})))
          return failure();
      }
      if (!clamped)
        continue;
      read.getIndicesMutable().assign(indices);
      // A clamped read still needs an element to read (a guarded one may
      // never run).
      if (guarded)
        continue;
      for (auto [d, size] : llvm::enumerate(sizes)) {
        Value ok = builder.createOrFold<arith::OrIOp>(
            loc, empty,
            intervals.cmp(arith::CmpIPredicate::sgt, size,
                          intervals.constant(0)));
        if (failed(require(read, ok,
                           "compute '" + computeName + "' reads " +
                               tensorName(tensor) +
                               ", which is empty in dimension " +
                               std::to_string(d) + " (its size)",
                           {size})))
          return failure();
      }
    }
    return success();
  }
};

} // namespace
