//===- Compute.cpp - Placeholders, axes, compute and reductions -----------===//

#include "Detail.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/BitVector.h"

using namespace mlir;
using namespace mlc::te;
using mlc::tir::ComputeOp;
using mlc::tir::ReadOp;
using mlc::tir::ReductionKind;
using mlc::tir::YieldOp;

//===----------------------------------------------------------------------===//
// Accessors
//===----------------------------------------------------------------------===//

const std::string &IterVar::getName() const { return node->name; }
Expr IterVar::getBegin() const { return node->begin; }
Expr IterVar::getExtent() const { return node->extent; }

const std::string &Tensor::getName() const { return node->name; }
const std::vector<Expr> &Tensor::getShape() const { return node->shape; }
Type Tensor::getElementType() const { return node->elementType; }
RankedTensorType Tensor::getType() const {
  return llvm::cast<RankedTensorType>(node->value.getType());
}
int64_t Tensor::getRank() const { return node->shape.size(); }
Value Tensor::getValue() const { return node->value; }
bool Tensor::isPlaceholder() const { return node->placeholder; }

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

namespace {

/// Splits a te shape into static sizes (kDynamic for the others) and the
/// index values of the dynamic ones, which must live in the staging block.
void splitShape(Workspace &ws, ArrayRef<Expr> shape, StringRef what,
                SmallVectorImpl<int64_t> &sizes,
                SmallVectorImpl<Value> &dynamic,
                std::vector<Expr> &normalized) {
  for (const Expr &dim : shape) {
    if (dim.getReduction() || dim.getFloatLiteral())
      fail(Twine("the shape of ") + what + " must be made of integers");
    if (auto size = dim.getConstantInt()) {
      if (*size < 0)
        fail(Twine("the shape of ") + what + " has a negative size " +
             Twine(*size));
      sizes.push_back(*size);
      normalized.push_back(Expr(*size));
      continue;
    }
    Value value = materializeIndex(ws, dim);
    if (value.getParentBlock() != ws.getImpl().staging)
      fail(Twine("the shape of ") + what +
           " uses a value computed inside a te.compute body");
    sizes.push_back(ShapedType::kDynamic);
    dynamic.push_back(value);
    normalized.push_back(Expr(value));
  }
}

void requireNoFrame(Workspace &ws, StringRef what) {
  if (ws.getImpl().frame)
    fail(Twine(what) + " cannot be called inside the body of te.compute '" +
         ws.getImpl().frame->name + "'");
}

} // namespace

//===----------------------------------------------------------------------===//
// Placeholders, vars and axes
//===----------------------------------------------------------------------===//

Tensor mlc::te::placeholder(ArrayRef<Expr> shape, Type elementType,
                            StringRef name) {
  Workspace &ws = Workspace::current();
  requireNoFrame(ws, "te.placeholder");
  if (!isa<FloatType, IntegerType>(elementType))
    fail("te.placeholder '" + name + "' needs an integer or float dtype");
  SmallVector<int64_t> sizes;
  SmallVector<Value> dynamic;
  std::vector<Expr> normalized;
  splitShape(ws, shape, ("placeholder '" + name + "'").str(), sizes, dynamic,
             normalized);
  auto type = RankedTensorType::get(sizes, elementType);
  Value value = ws.getImpl().staging->addArgument(
      type, nameLoc(ws.getContext(), name));
  ws.getImpl().names[value] = name.str();
  return Tensor(std::make_shared<TensorNode>(TensorNode{
      name.str(), value, std::move(normalized), elementType, true}));
}

Var mlc::te::var(StringRef name) {
  Workspace &ws = Workspace::current();
  requireNoFrame(ws, "te.var");
  Value value = ws.getImpl().staging->addArgument(
      IndexType::get(ws.getContext()), nameLoc(ws.getContext(), name));
  ws.getImpl().names[value] = name.str();
  return Var(value, name.str());
}

IterVar mlc::te::reduceAxis(Expr begin, Expr end, StringRef name) {
  Workspace &ws = Workspace::current();
  auto lo = begin.getConstantInt();
  if (!lo)
    fail("te.reduce_axis '" + name + "' needs a constant lower bound");
  Expr extent = end - Expr(*lo);
  if (auto e = extent.getConstantInt(); e && *e < 0)
    fail("te.reduce_axis '" + name + "' has an empty range");
  if (Value v = extent.getValue();
      v && v.getParentBlock() != ws.getImpl().staging)
    fail("the range of te.reduce_axis '" + name +
         "' must be computed outside te.compute bodies");
  return IterVar(std::make_shared<IterVarNode>(
      IterVarNode{name.str(), Expr(*lo), extent}));
}

/// Binds a reduction axis to an index argument of the compute being built,
/// on its first use there.
Expr::Expr(const IterVar &axis) {
  Workspace &ws = Workspace::current();
  auto &frame = ws.getImpl().frame;
  if (!frame)
    fail("reduce axis '" + axis.getName() +
         "' is used outside the body of te.compute");
  auto it = frame->axes.find(axis.get());
  if (it != frame->axes.end()) {
    data = it->second.second;
    return;
  }
  OpBuilder &b = ws.getBuilder();
  BlockArgument arg = frame->body->addArgument(
      b.getIndexType(), nameLoc(ws.getContext(), axis.getName()));
  Value index = arg;
  int64_t lo = *axis.getBegin().getConstantInt();
  if (lo != 0) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(frame->body);
    Value offset = arith::ConstantIndexOp::create(b, b.getUnknownLoc(), lo);
    index = arith::AddIOp::create(b, b.getUnknownLoc(), arg, offset);
  }
  frame->axes.insert({axis.get(), {arg, index}});
  frame->keepAlive.push_back(axis);
  data = index;
}

//===----------------------------------------------------------------------===//
// Reading tensors
//===----------------------------------------------------------------------===//

Expr Tensor::operator()(ArrayRef<Expr> indices) const {
  if (!node)
    fail("indexing an empty te.Tensor");
  Workspace &ws = Workspace::current();
  if (!ws.getImpl().frame)
    fail("tensor '" + getName() +
         "' can only be indexed inside the body of te.compute");
  if (static_cast<int64_t>(indices.size()) != getRank())
    fail("tensor '" + getName() + "' has rank " + Twine(getRank()) +
         " but is indexed with " + Twine(indices.size()) + " indices");
  SmallVector<Value> values;
  for (const Expr &index : indices)
    values.push_back(materializeIndex(ws, index));
  OpBuilder &b = ws.getBuilder();
  return Expr(ReadOp::create(b, b.getUnknownLoc(), getValue(), values),
              getElementType());
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

namespace {
Expr reduce(ReductionKind kind, const Expr &value, ArrayRef<IterVar> axes,
            StringRef name) {
  if (value.getReduction())
    fail(Twine("te.") + name + " of a reduction: nest reductions by listing "
         "all their axes in one te." + name);
  if (axes.empty())
    fail(Twine("te.") + name + " needs at least one reduce axis");
  if (!Workspace::current().getImpl().frame)
    fail(Twine("te.") + name + " can only be used inside te.compute");
  return value.withReduction(
      Expr::Reduction{kind, std::vector<IterVar>(axes.begin(), axes.end())});
}
} // namespace

Expr mlc::te::sum(const Expr &value, ArrayRef<IterVar> axes) {
  return reduce(ReductionKind::Sum, value, axes, "sum");
}
Expr mlc::te::max(const Expr &value, ArrayRef<IterVar> axes) {
  return reduce(ReductionKind::Max, value, axes, "max");
}
Expr mlc::te::min(const Expr &value, ArrayRef<IterVar> axes) {
  return reduce(ReductionKind::Min, value, axes, "min");
}
Expr mlc::te::prod(const Expr &value, ArrayRef<IterVar> axes) {
  return reduce(ReductionKind::Prod, value, axes, "prod");
}

//===----------------------------------------------------------------------===//
// compute
//===----------------------------------------------------------------------===//

namespace {

/// Builds the body of one compute: owns the detached body block until the
/// op takes it, and restores the workspace if fcompute throws.
class ComputeBuilder {
public:
  ComputeBuilder(Workspace &ws, StringRef name, unsigned rank) : ws(ws) {
    body = new Block();
    for (unsigned i = 0; i < rank; ++i)
      body->addArgument(ws.getBuilder().getIndexType(),
                        ws.getBuilder().getUnknownLoc());
    ws.getImpl().frame = ComputeFrame{name.str(), body, rank, {}, {}};
    ws.getBuilder().setInsertionPointToEnd(body);
  }

  ~ComputeBuilder() {
    ws.getImpl().frame.reset();
    ws.getBuilder().setInsertionPointToEnd(ws.getImpl().staging);
    if (body) { // fcompute failed: throw the partial body away.
      body->dropAllReferences();
      body->dropAllDefinedValueUses();
      delete body;
    }
  }

  /// Hands the body over to its op.
  Block *release() { return std::exchange(body, nullptr); }

  Block *body;

private:
  Workspace &ws;
};

} // namespace

namespace {
Tensor computeImpl(ArrayRef<Expr> shape, const ComputeFn &fcompute,
                   StringRef name) {
  Workspace &ws = Workspace::current();
  requireNoFrame(ws, "te.compute");
  std::string what = ("compute '" + name + "'").str();
  SmallVector<int64_t> sizes;
  SmallVector<Value> dynamicSizes;
  std::vector<Expr> normalized;
  splitShape(ws, shape, what, sizes, dynamicSizes, normalized);

  ComputeBuilder builder(ws, name, shape.size());
  std::vector<Expr> indices;
  for (BlockArgument arg : builder.body->getArguments())
    indices.push_back(Expr(Value(arg)));

  Expr result = fcompute(indices);
  if (result.isNull())
    fail(what + ": fcompute returned no expression");
  Value element = materialize(ws, result);
  // The dtype (uint8 for an unsigned value), not the signless value type.
  Type elementType = result.getValue() ? result.getType() : element.getType();
  if (!isa<FloatType, IntegerType>(elementType))
    fail(what + " yields " + dtypeName(elementType) +
         "; cast it to an integer or float dtype with te.cast");

  // Reduction axes: the body's arguments must be exactly the reduced axes,
  // in the order te.sum lists them.
  ComputeFrame &frame = *ws.getImpl().frame;
  std::optional<ReductionKind> kind;
  SmallVector<int64_t> extents;
  SmallVector<Value> dynamicExtents;
  if (const Expr::Reduction *reduction = result.getReduction()) {
    kind = reduction->kind;
    // Bools would order true < false and sum as xor (and their vectorized
    // reductions store packed bits): refuse them.
    if (elementType.isInteger(1))
      fail(what + " reduces bool values; reduce te.cast(value, \"int8\") "
                  "instead");
    // Unsigned values order as unsigned.
    if (elementType.isUnsignedInteger() && *kind == ReductionKind::Max)
      kind = ReductionKind::UMax;
    if (elementType.isUnsignedInteger() && *kind == ReductionKind::Min)
      kind = ReductionKind::UMin;
    OpBuilder &b = ws.getBuilder();
    llvm::DenseSet<IterVarNode *> reduced;
    for (const IterVar &axis : reduction->axes) {
      if (!reduced.insert(axis.get()).second)
        fail(what + " reduces over axis '" + axis.getName() + "' twice");
      BlockArgument arg =
          builder.body->addArgument(b.getIndexType(), b.getUnknownLoc());
      auto it = frame.axes.find(axis.get());
      if (it != frame.axes.end())
        it->second.first.replaceAllUsesWith(arg);
      Expr extent = axis.getExtent();
      if (auto e = extent.getConstantInt()) {
        extents.push_back(*e);
      } else {
        extents.push_back(ShapedType::kDynamic);
        dynamicExtents.push_back(extent.getValue());
      }
    }
    for (auto &[axis, binding] : frame.axes)
      if (!reduced.contains(axis))
        fail(what + " uses reduce axis '" + axis->name +
             "' without reducing over it (list it in te.sum/max/min/prod)");
  } else if (!frame.axes.empty()) {
    fail(what + " uses reduce axis '" + frame.axes.front().first->name +
         "' but its body is not a reduction (wrap it in te.sum/max/...)");
  }
  // Drop the first-use arguments, now replaced by the ordered ones.
  llvm::BitVector stale(builder.body->getNumArguments());
  stale.set(frame.rank, frame.rank + frame.axes.size());
  builder.body->eraseArguments(stale);

  OpBuilder &b = ws.getBuilder();
  YieldOp::create(b, b.getUnknownLoc(), element);

  b.setInsertionPointToEnd(ws.getImpl().staging);
  mlc::tir::ReductionKindAttr kindAttr;
  if (kind)
    kindAttr = mlc::tir::ReductionKindAttr::get(ws.getContext(), *kind);
  auto op = ComputeOp::create(
      b, nameLoc(ws.getContext(), name),
      RankedTensorType::get(sizes, elementType), b.getStringAttr(name),
      dynamicSizes, b.getDenseI64ArrayAttr(extents), dynamicExtents,
      kindAttr);
  op.getBody().push_back(builder.release());
  // Drop what the result does not need (reads if_then_else moved under its
  // guard, values the DSL built but did not use).
  IRRewriter rewriter(ws.getContext());
  (void)runRegionDCE(rewriter, op->getRegions());
  ws.getImpl().names[op.getResult()] = name.str();
  if (!ws.getImpl().pendingRequirements.empty())
    ws.getImpl().requirements[op] =
        std::move(ws.getImpl().pendingRequirements);
  ws.getImpl().pendingRequirements.clear();
  return Tensor(std::make_shared<TensorNode>(TensorNode{
      name.str(), op.getResult(), std::move(normalized), elementType,
      false}));
}
} // namespace

Tensor mlc::te::compute(ArrayRef<Expr> shape, const ComputeFn &fcompute,
                        StringRef name) {
  try {
    return computeImpl(shape, fcompute, name);
  } catch (...) {
    // The requirements were made for this compute: they must not attach to
    // the next one.
    try {
      Workspace::current().getImpl().pendingRequirements.clear();
    } catch (const mlc::Error &) { // no workspace: nothing is pending
    }
    throw;
  }
}

void mlc::te::requireEqual(const Expr &a, const Expr &b, StringRef message) {
  Workspace &ws = Workspace::current();
  requireNoFrame(ws, "te.require_equal");
  std::optional<int64_t> x = a.getConstantInt(), y = b.getConstantInt();
  if (x && y) {
    if (*x != *y)
      fail(message + " (" + Twine(*x) + " vs " + Twine(*y) + ")");
    return;
  }
  OpBuilder &builder = ws.getBuilder();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(ws.getImpl().staging);
  Value lhs = materializeIndex(ws, a), rhs = materializeIndex(ws, b);
  Location loc = builder.getUnknownLoc();
  Value equal =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq, lhs, rhs);
  auto op = mlc::tir::AssertOp::create(builder, loc, equal,
                                       builder.getStringAttr(message),
                                       ValueRange{lhs, rhs});
  ws.getImpl().pendingRequirements.push_back(op);
}
