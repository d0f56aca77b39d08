//===- Expr.cpp - Scalar expressions of te --------------------------------===//
//
// Every operation emits the arith/math op it stands for at the workspace's
// insertion point (the compute body being built, or the staging block for
// size arithmetic). Literals stay untyped until they meet a typed operand.
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlc::te;

//===----------------------------------------------------------------------===//
// Expr
//===----------------------------------------------------------------------===//

Value Expr::getValue() const {
  if (auto *value = std::get_if<Value>(&data))
    return *value;
  return {};
}

Expr::Expr(Value value, Type dtype) : data(value) {
  unsignedValue = dtype && dtype.isUnsignedInteger();
  if (unsignedValue && mlc::tir::getSignlessType(dtype) != value.getType())
    fail("a " + dtypeName(dtype) +
         " expression needs a value of its "
         "signless type, got " +
         dtypeName(value.getType()));
}

Type Expr::getType() const {
  Value value = getValue();
  if (value == nullptr)
    return {};
  if (unsignedValue)
    return IntegerType::get(value.getContext(),
                            value.getType().getIntOrFloatBitWidth(),
                            IntegerType::Unsigned);
  return value.getType();
}

std::optional<int64_t> Expr::getIntLiteral() const {
  if (auto *i = std::get_if<int64_t>(&data))
    return *i;
  return std::nullopt;
}

std::optional<double> Expr::getFloatLiteral() const {
  if (auto *d = std::get_if<double>(&data))
    return *d;
  return std::nullopt;
}

std::optional<int64_t> Expr::getConstantInt() const {
  if (auto literal = getIntLiteral())
    return literal;
  APInt constant;
  if (Value value = getValue();
      value && matchPattern(value, m_ConstantInt(&constant)))
    return unsignedValue ? static_cast<int64_t>(constant.getZExtValue())
                         : constant.getSExtValue();
  return std::nullopt;
}

Expr Expr::withReduction(Reduction r) const {
  Expr result = *this;
  result.reduction = std::make_shared<Reduction>(std::move(r));
  return result;
}

//===----------------------------------------------------------------------===//
// Materialization
//===----------------------------------------------------------------------===//

namespace {

/// Whether `value` may be used at the workspace's insertion point: it is
/// defined in the staging block, or inside the compute body being built.
bool isVisible(Workspace &ws, Value value) {
  Workspace::Impl &impl = ws.getImpl();
  Block *block = value.getParentBlock();
  if (block == impl.staging)
    return true;
  if (!impl.frame)
    return false;
  for (; block; block = block->getParentOp() ? block->getParentOp()->getBlock()
                                             : nullptr)
    if (block == impl.frame->body)
      return true;
  return false;
}

void rejectReduction(const Expr &e, StringRef what) {
  if (e.getReduction())
    fail("a reduction (te.sum/max/min/prod) must be the whole body of "
         "te.compute; it cannot be an operand of " +
         what);
}

bool isFloat(Type t) { return isa<FloatType>(t); }
bool isIntegerLike(Type t) { return isa<IntegerType, IndexType>(t); }

std::string typeName(Type t) { return dtypeName(t); }

} // namespace

Value mlc::te::materialize(Workspace &ws, const Expr &e, Type type) {
  OpBuilder &b = ws.getBuilder();
  Location loc = b.getUnknownLoc();
  if (e.isNull())
    fail("use of an empty te expression");
  if (Value value = e.getValue()) {
    if (!isVisible(ws, value))
      fail("an expression of another te.compute (or an index of a finished "
           "compute) is used here; each compute must build its own "
           "expressions");
    if (type && e.getType() != type)
      fail("type mismatch: expected " + typeName(type) + ", got " +
           typeName(e.getType()) + " (use te.cast)");
    return value;
  }
  // Constants are signless, as the values they stand for.
  if (type)
    type = mlc::tir::getSignlessType(type);
  if (auto i = e.getIntLiteral()) {
    if (!type)
      type = b.getI32Type();
    if (isFloat(type))
      return arith::ConstantOp::create(
          b, loc, b.getFloatAttr(type, static_cast<double>(*i)));
    if (type.isIndex())
      return arith::ConstantIndexOp::create(b, loc, *i);
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, *i));
  }
  double d = *e.getFloatLiteral();
  if (!type)
    type = b.getF32Type();
  if (!isFloat(type))
    fail("the float literal " + std::to_string(d) +
         " cannot be used as " + typeName(type) + " (use te.cast)");
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, d));
}

Value mlc::te::materializeIndex(Workspace &ws, const Expr &e) {
  rejectReduction(e, "an index");
  if (e.getFloatLiteral())
    fail("a tensor index must be an integer, got a float literal");
  if (e.getValue() == nullptr)
    return materialize(ws, e, ws.getBuilder().getIndexType());
  Value value = materialize(ws, e);
  if (value.getType().isIndex())
    return value;
  if (!isa<IntegerType>(value.getType()))
    fail("a tensor index must be an integer, got " +
         typeName(value.getType()));
  OpBuilder &b = ws.getBuilder();
  if (e.isUnsigned())
    return arith::IndexCastUIOp::create(b, b.getUnknownLoc(), b.getIndexType(),
                                        value);
  return arith::IndexCastOp::create(b, b.getUnknownLoc(), b.getIndexType(),
                                    value);
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

namespace {

enum class Binary { Add, Sub, Mul, Div, Rem, FloorDiv, Max, Min };
enum class Compare { LT, LE, GT, GE, EQ, NE };

const char *binaryName(Binary kind) {
  switch (kind) {
  case Binary::Add:
    return "+";
  case Binary::Sub:
    return "-";
  case Binary::Mul:
    return "*";
  case Binary::Div:
    return "/";
  case Binary::Rem:
    return "%";
  case Binary::FloorDiv:
    return "//";
  case Binary::Max:
    return "max";
  case Binary::Min:
    return "min";
  }
  return "?";
}

/// Folds an operation on two integer literals, with C++ (truncating)
/// division except for floordiv.
std::optional<Expr> foldIntegers(Binary kind, int64_t a, int64_t b) {
  // Two's-complement wrapping, as the generated code computes (signed
  // overflow is undefined in C++).
  auto wrap = [](uint64_t v) { return Expr(static_cast<int64_t>(v)); };
  switch (kind) {
  case Binary::Add:
    return wrap(uint64_t(a) + uint64_t(b));
  case Binary::Sub:
    return wrap(uint64_t(a) - uint64_t(b));
  case Binary::Mul:
    return wrap(uint64_t(a) * uint64_t(b));
  case Binary::Div:
  case Binary::Rem:
  case Binary::FloorDiv:
    if (b == 0)
      fail("division by the literal 0");
    if (b == -1) // INT64_MIN / -1 wraps, as at run time
      return kind == Binary::Rem ? Expr(int64_t(0)) : wrap(-uint64_t(a));
    if (kind == Binary::Div)
      return Expr(a / b);
    if (kind == Binary::Rem)
      return Expr(a % b);
    return Expr(a / b - ((a % b != 0) && ((a < 0) != (b < 0))));
  case Binary::Max:
    return Expr(std::max(a, b));
  case Binary::Min:
    return Expr(std::min(a, b));
  }
  return std::nullopt;
}

std::optional<Expr> foldFloats(Binary kind, double a, double b) {
  switch (kind) {
  case Binary::Add:
    return Expr(a + b);
  case Binary::Sub:
    return Expr(a - b);
  case Binary::Mul:
    return Expr(a * b);
  case Binary::Div:
    return Expr(a / b);
  case Binary::Max:
    return Expr(std::max(a, b));
  case Binary::Min:
    return Expr(std::min(a, b));
  default:
    return std::nullopt;
  }
}

/// The common type of two operands: the type of the one that has a value;
/// both must agree when both do.
Type commonType(const Expr &a, const Expr &b, StringRef what) {
  Type ta = a.getType(), tb = b.getType();
  if (ta && tb && ta != tb)
    fail(Twine("operands of ") + what + " have different types: " +
         typeName(ta) + " and " + typeName(tb) + " (use te.cast)");
  return ta ? ta : tb;
}

/// x / y, x % y or x // y on integers, never trapping: a literal divisor
/// other than 0 and -1 divides as it is (and stays affine for the
/// lowering); any other follows numpy's rule for division by zero (the
/// quotient and the remainder are 0) and wraps INT_MIN / -1 to INT_MIN
/// (remainder 0), where the hardware would raise SIGFPE.
Value integerDivision(Binary kind, Value x, Value y,
                      std::optional<int64_t> literal, bool isUnsigned) {
  OpBuilder &bld = Workspace::current().getBuilder();
  Location loc = bld.getUnknownLoc();
  auto divide = [&](Value divisor) -> Value {
    // Unsigned division floors and truncates alike.
    if (isUnsigned && kind == Binary::Rem)
      return arith::RemUIOp::create(bld, loc, x, divisor);
    if (isUnsigned)
      return arith::DivUIOp::create(bld, loc, x, divisor);
    if (kind == Binary::Div)
      return arith::DivSIOp::create(bld, loc, x, divisor);
    if (kind == Binary::Rem)
      return arith::RemSIOp::create(bld, loc, x, divisor);
    return arith::FloorDivSIOp::create(bld, loc, x, divisor);
  };
  if (literal && *literal != 0 && (*literal != -1 || isUnsigned))
    return divide(y);
  Type type = x.getType();
  auto constant = [&](int64_t v) -> Value {
    if (type.isIndex())
      return arith::ConstantIndexOp::create(bld, loc, v);
    return arith::ConstantIntOp::create(bld, loc, type, v);
  };
  Value zero = constant(0), one = constant(1), minusOne = constant(-1);
  Value isZero =
      arith::CmpIOp::create(bld, loc, arith::CmpIPredicate::eq, y, zero);
  if (isUnsigned) // no -1 among unsigned divisors: only 0 is special
    return arith::SelectOp::create(
        bld, loc, isZero, zero,
        divide(arith::SelectOp::create(bld, loc, isZero, one, y)));
  Value isMinusOne =
      arith::CmpIOp::create(bld, loc, arith::CmpIPredicate::eq, y, minusOne);
  Value special = arith::OrIOp::create(bld, loc, isZero, isMinusOne);
  Value quotient =
      divide(arith::SelectOp::create(bld, loc, special, one, y));
  // By -1: the negation (wrapping), remainder 0.
  Value byMinusOne = kind == Binary::Rem
                         ? zero
                         : Value(arith::SubIOp::create(bld, loc, zero, x));
  Value result =
      arith::SelectOp::create(bld, loc, isMinusOne, byMinusOne, quotient);
  return arith::SelectOp::create(bld, loc, isZero, zero, result);
}

/// The op for `kind` on two values of the same signless type; `isUnsigned`
/// says how integers are read.
Value binaryOp(Binary kind, Value x, Value y, std::optional<int64_t> literal,
               bool isUnsigned);

Expr binary(Binary kind, const Expr &a, const Expr &b) {
  rejectReduction(a, binaryName(kind));
  rejectReduction(b, binaryName(kind));
  // Two literals fold.
  if (a.getValue() == nullptr && b.getValue() == nullptr) {
    auto ia = a.getIntLiteral(), ib = b.getIntLiteral();
    if (ia && ib)
      return *foldIntegers(kind, *ia, *ib);
    double fa = ia ? static_cast<double>(*ia) : *a.getFloatLiteral();
    double fb = ib ? static_cast<double>(*ib) : *b.getFloatLiteral();
    if (auto folded = foldFloats(kind, fa, fb))
      return *folded;
  }
  Workspace &ws = Workspace::current();
  Type dtype = commonType(a, b, binaryName(kind));
  Value x = materialize(ws, a, dtype), y = materialize(ws, b, dtype);
  Value result = binaryOp(kind, x, y, b.getIntLiteral(),
                          dtype && dtype.isUnsignedInteger());
  return Expr(result, dtype);
}

Value binaryOp(Binary kind, Value x, Value y, std::optional<int64_t> literal,
               bool isUnsigned) {
  Type type = x.getType();
  OpBuilder &bld = Workspace::current().getBuilder();
  Location loc = bld.getUnknownLoc();
  if (isFloat(type)) {
    switch (kind) {
    case Binary::Add:
      return Value(arith::AddFOp::create(bld, loc, x, y));
    case Binary::Sub:
      return Value(arith::SubFOp::create(bld, loc, x, y));
    case Binary::Mul:
      return Value(arith::MulFOp::create(bld, loc, x, y));
    case Binary::Div:
      return Value(arith::DivFOp::create(bld, loc, x, y));
    case Binary::Rem:
      return Value(arith::RemFOp::create(bld, loc, x, y));
    case Binary::FloorDiv:
      return Value(math::FloorOp::create(
          bld, loc, arith::DivFOp::create(bld, loc, x, y)));
    case Binary::Max:
      return Value(arith::MaximumFOp::create(bld, loc, x, y));
    case Binary::Min:
      return Value(arith::MinimumFOp::create(bld, loc, x, y));
    }
  }
  if (!isIntegerLike(type))
    fail(Twine("operator ") + binaryName(kind) + " does not apply to " +
         typeName(type));
  switch (kind) {
  case Binary::Add:
    return Value(arith::AddIOp::create(bld, loc, x, y));
  case Binary::Sub:
    return Value(arith::SubIOp::create(bld, loc, x, y));
  case Binary::Mul:
    return Value(arith::MulIOp::create(bld, loc, x, y));
  case Binary::Div:
  case Binary::Rem:
  case Binary::FloorDiv:
    return integerDivision(kind, x, y, literal, isUnsigned);
  case Binary::Max:
    if (type.isInteger(1) || isUnsigned) // bools order false < true
      return Value(arith::MaxUIOp::create(bld, loc, x, y));
    return Value(arith::MaxSIOp::create(bld, loc, x, y));
  case Binary::Min:
    if (type.isInteger(1) || isUnsigned)
      return Value(arith::MinUIOp::create(bld, loc, x, y));
    return Value(arith::MinSIOp::create(bld, loc, x, y));
  }
  llvm_unreachable("unknown binary kind");
}

Expr compare(Compare kind, const Expr &a, const Expr &b) {
  rejectReduction(a, "a comparison");
  rejectReduction(b, "a comparison");
  Workspace &ws = Workspace::current();
  OpBuilder &bld = ws.getBuilder();
  Location loc = bld.getUnknownLoc();
  Type type = commonType(a, b, "a comparison");
  if (!type) // Two literals: compare as integers or, if either is a float,
             // as f64.
    type = (a.getFloatLiteral() || b.getFloatLiteral()) ? Type(bld.getF64Type())
                                                        : Type(bld.getI64Type());
  Value x = materialize(ws, a, type), y = materialize(ws, b, type);
  if (isFloat(type)) {
    static const arith::CmpFPredicate preds[] = {
        arith::CmpFPredicate::OLT, arith::CmpFPredicate::OLE,
        arith::CmpFPredicate::OGT, arith::CmpFPredicate::OGE,
        arith::CmpFPredicate::OEQ, arith::CmpFPredicate::UNE};
    return Value(arith::CmpFOp::create(bld, loc,
                                       preds[static_cast<int>(kind)], x, y));
  }
  static const arith::CmpIPredicate preds[] = {
      arith::CmpIPredicate::slt, arith::CmpIPredicate::sle,
      arith::CmpIPredicate::sgt, arith::CmpIPredicate::sge,
      arith::CmpIPredicate::eq,  arith::CmpIPredicate::ne};
  // A bool is 0 or 1, not 0 or -1 as a signed i1: false < true.
  static const arith::CmpIPredicate boolPreds[] = {
      arith::CmpIPredicate::ult, arith::CmpIPredicate::ule,
      arith::CmpIPredicate::ugt, arith::CmpIPredicate::uge,
      arith::CmpIPredicate::eq,  arith::CmpIPredicate::ne};
  const arith::CmpIPredicate *table =
      type.isInteger(1) || type.isUnsignedInteger() ? boolPreds : preds;
  return Value(
      arith::CmpIOp::create(bld, loc, table[static_cast<int>(kind)], x, y));
}

Value materializeBool(Workspace &ws, const Expr &e, StringRef what) {
  rejectReduction(e, what);
  if (auto i = e.getIntLiteral())
    return materialize(ws, Expr(static_cast<int64_t>(*i != 0)),
                       ws.getBuilder().getI1Type());
  Value v = materialize(ws, e);
  if (!v.getType().isInteger(1))
    fail(Twine(what) + " needs a boolean (a comparison), got " +
         typeName(v.getType()));
  return v;
}

Expr logical(bool isAnd, const Expr &a, const Expr &b) {
  Workspace &ws = Workspace::current();
  const char *what = isAnd ? "logical and" : "logical or";
  Value x = materializeBool(ws, a, what), y = materializeBool(ws, b, what);
  OpBuilder &bld = ws.getBuilder();
  if (isAnd)
    return Value(arith::AndIOp::create(bld, bld.getUnknownLoc(), x, y));
  return Value(arith::OrIOp::create(bld, bld.getUnknownLoc(), x, y));
}

} // namespace

Expr mlc::te::operator+(const Expr &a, const Expr &b) {
  return binary(Binary::Add, a, b);
}
Expr mlc::te::operator-(const Expr &a, const Expr &b) {
  return binary(Binary::Sub, a, b);
}
Expr mlc::te::operator*(const Expr &a, const Expr &b) {
  return binary(Binary::Mul, a, b);
}
Expr mlc::te::operator/(const Expr &a, const Expr &b) {
  return binary(Binary::Div, a, b);
}
Expr mlc::te::operator%(const Expr &a, const Expr &b) {
  return binary(Binary::Rem, a, b);
}
Expr mlc::te::floordiv(const Expr &a, const Expr &b) {
  return binary(Binary::FloorDiv, a, b);
}
Expr mlc::te::max(const Expr &a, const Expr &b) {
  return binary(Binary::Max, a, b);
}
Expr mlc::te::min(const Expr &a, const Expr &b) {
  return binary(Binary::Min, a, b);
}

Expr mlc::te::operator-(const Expr &a) {
  rejectReduction(a, "unary minus");
  if (auto i = a.getIntLiteral())
    return Expr(-*i);
  if (auto d = a.getFloatLiteral())
    return Expr(-*d);
  Workspace &ws = Workspace::current();
  Value x = materialize(ws, a);
  OpBuilder &bld = ws.getBuilder();
  if (isFloat(x.getType()))
    return Value(arith::NegFOp::create(bld, bld.getUnknownLoc(), x));
  return binary(Binary::Sub, Expr(0), a);
}

Expr mlc::te::operator<(const Expr &a, const Expr &b) {
  return compare(Compare::LT, a, b);
}
Expr mlc::te::operator<=(const Expr &a, const Expr &b) {
  return compare(Compare::LE, a, b);
}
Expr mlc::te::operator>(const Expr &a, const Expr &b) {
  return compare(Compare::GT, a, b);
}
Expr mlc::te::operator>=(const Expr &a, const Expr &b) {
  return compare(Compare::GE, a, b);
}
Expr mlc::te::operator==(const Expr &a, const Expr &b) {
  return compare(Compare::EQ, a, b);
}
Expr mlc::te::operator!=(const Expr &a, const Expr &b) {
  return compare(Compare::NE, a, b);
}
Expr mlc::te::operator&&(const Expr &a, const Expr &b) {
  return logical(true, a, b);
}
Expr mlc::te::operator||(const Expr &a, const Expr &b) {
  return logical(false, a, b);
}

Expr mlc::te::operator!(const Expr &a) {
  Workspace &ws = Workspace::current();
  Value x = materializeBool(ws, a, "logical not");
  OpBuilder &bld = ws.getBuilder();
  Value one = arith::ConstantOp::create(bld, bld.getUnknownLoc(),
                                        bld.getBoolAttr(true));
  return Value(arith::XOrIOp::create(bld, bld.getUnknownLoc(), x, one));
}

Expr mlc::te::all(ArrayRef<Expr> conditions) {
  if (conditions.empty())
    fail("te.all needs at least one condition");
  Expr result = conditions.front();
  for (const Expr &c : conditions.drop_front())
    result = result && c;
  return Value(materializeBool(Workspace::current(), result, "te.all"));
}

Expr mlc::te::any(ArrayRef<Expr> conditions) {
  if (conditions.empty())
    fail("te.any needs at least one condition");
  Expr result = conditions.front();
  for (const Expr &c : conditions.drop_front())
    result = result || c;
  return Value(materializeBool(Workspace::current(), result, "te.any"));
}

std::optional<bool> mlc::te::evaluateBool(const Expr &e) {
  if (auto i = e.getConstantInt())
    return *i != 0;
  Value v = e.getValue();
  if (v == nullptr)
    return std::nullopt;
  if (auto cmp = v.getDefiningOp<arith::CmpIOp>();
      cmp && cmp.getLhs() == cmp.getRhs()) {
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::eq:
    case arith::CmpIPredicate::sle:
    case arith::CmpIPredicate::sge:
    case arith::CmpIPredicate::ule:
    case arith::CmpIPredicate::uge:
      return true;
    default:
      return false;
    }
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Casts and math
//===----------------------------------------------------------------------===//

Expr mlc::te::cast(Type type, const Expr &value) {
  rejectReduction(value, "te.cast");
  Workspace &ws = Workspace::current();
  if (value.getValue() == nullptr) {
    if (auto d = value.getFloatLiteral(); d && !isFloat(type))
      return Expr(materialize(ws, Expr(static_cast<int64_t>(*d)), type), type);
    return Expr(materialize(ws, value, type), type);
  }
  Value x = materialize(ws, value);
  Type from = value.getType();
  if (from == type)
    return value;
  // Ops make signless values; the dtype of the result says how to read it.
  Type to = mlc::tir::getSignlessType(type);
  bool fromUnsigned = from.isUnsignedInteger();
  OpBuilder &bld = ws.getBuilder();
  Location loc = bld.getUnknownLoc();
  auto result = [&](Value v) { return Expr(v, type); };
  if (isFloat(from) && isFloat(type)) {
    if (llvm::cast<FloatType>(from).getWidth() < llvm::cast<FloatType>(type).getWidth())
      return result(arith::ExtFOp::create(bld, loc, type, x));
    return result(arith::TruncFOp::create(bld, loc, type, x));
  }
  // index converts to and from floats through i64.
  if (from.isIndex() && isFloat(type))
    return result(arith::SIToFPOp::create(
        bld, loc, type,
        arith::IndexCastOp::create(bld, loc, bld.getI64Type(), x)));
  if (isFloat(from) && type.isIndex())
    return result(arith::IndexCastOp::create(
        bld, loc, type,
        arith::FPToSIOp::create(bld, loc, bld.getI64Type(), x)));
  if (from.isIndex() || type.isIndex()) {
    if (fromUnsigned)
      return result(arith::IndexCastUIOp::create(bld, loc, to, x));
    return result(arith::IndexCastOp::create(bld, loc, to, x));
  }
  if (isa<IntegerType>(from) && isFloat(type)) {
    if (from.isInteger(1) || fromUnsigned)
      return result(arith::UIToFPOp::create(bld, loc, type, x));
    return result(arith::SIToFPOp::create(bld, loc, type, x));
  }
  if (isFloat(from) && isa<IntegerType>(type)) {
    if (type.isInteger(1))
      return compare(Compare::NE, Expr(x), Expr(0.0));
    if (type.isUnsignedInteger()) {
      // As C++'s conversion to uint8_t compiles on x86 (and torch gives):
      // through a 32-bit signed integer, keeping its low bits, so -1.0
      // becomes 255. fptoui would make negative values poison.
      Type wide = bld.getI32Type();
      if (to.getIntOrFloatBitWidth() > 32)
        wide = bld.getI64Type();
      Value i = arith::FPToSIOp::create(bld, loc, wide, x);
      if (wide == to)
        return result(i);
      return result(arith::TruncIOp::create(bld, loc, to, i));
    }
    return result(arith::FPToSIOp::create(bld, loc, type, x));
  }
  unsigned fw = llvm::cast<IntegerType>(from).getWidth();
  unsigned tw = llvm::cast<IntegerType>(type).getWidth();
  if (tw == 1)
    return compare(Compare::NE, Expr(x), Expr(0));
  if (fw == tw) // int8 <-> uint8: the same bits, read another way
    return result(x);
  if (fw < tw) {
    if (fw == 1 || fromUnsigned)
      return result(arith::ExtUIOp::create(bld, loc, to, x));
    return result(arith::ExtSIOp::create(bld, loc, to, x));
  }
  return result(arith::TruncIOp::create(bld, loc, to, x));
}

namespace {
/// Applies a unary math op to a float expression (literals become f32).
template <typename OpTy> Expr unaryMath(const Expr &x, StringRef name) {
  rejectReduction(x, name);
  Workspace &ws = Workspace::current();
  Value v = materialize(
      ws, x, x.getValue() ? Type() : Type(ws.getBuilder().getF32Type()));
  if (!isFloat(v.getType()))
    fail(Twine("te.") + name + " needs a float operand, got " +
         typeName(v.getType()) + " (use te.cast)");
  OpBuilder &bld = ws.getBuilder();
  return Value(OpTy::create(bld, bld.getUnknownLoc(), v));
}
} // namespace

Expr mlc::te::exp(const Expr &x) { return unaryMath<math::ExpOp>(x, "exp"); }
Expr mlc::te::log(const Expr &x) { return unaryMath<math::LogOp>(x, "log"); }
Expr mlc::te::sqrt(const Expr &x) {
  return unaryMath<math::SqrtOp>(x, "sqrt");
}
Expr mlc::te::tanh(const Expr &x) {
  return unaryMath<math::TanhOp>(x, "tanh");
}
Expr mlc::te::erf(const Expr &x) { return unaryMath<math::ErfOp>(x, "erf"); }
Expr mlc::te::floor(const Expr &x) {
  return unaryMath<math::FloorOp>(x, "floor");
}

Expr mlc::te::sigmoid(const Expr &x) {
  // 1 / (1 + exp(-x)).
  Expr e = exp(-x);
  return Expr(1.0) / (Expr(1.0) + e);
}

Expr mlc::te::abs(const Expr &x) {
  rejectReduction(x, "te.abs");
  if (auto i = x.getIntLiteral())
    return Expr(*i < 0 ? -*i : *i);
  if (auto d = x.getFloatLiteral())
    return Expr(*d < 0 ? -*d : *d);
  if (x.isUnsigned())
    return x;
  Workspace &ws = Workspace::current();
  Value v = materialize(ws, x);
  OpBuilder &bld = ws.getBuilder();
  if (isFloat(v.getType()))
    return Value(math::AbsFOp::create(bld, bld.getUnknownLoc(), v));
  if (isa<IntegerType>(v.getType())) {
    // select(v < 0, -v, v): math.absi has no lowering for vectors.
    Location loc = bld.getUnknownLoc();
    Value zero = arith::ConstantIntOp::create(bld, loc, v.getType(), 0);
    Value negative =
        arith::CmpIOp::create(bld, loc, arith::CmpIPredicate::slt, v, zero);
    Value negated = arith::SubIOp::create(bld, loc, zero, v);
    return Value(arith::SelectOp::create(bld, loc, negative, negated, v));
  }
  fail("te.abs needs an integer or float operand, got " +
       typeName(v.getType()));
}

Expr mlc::te::pow(const Expr &x, const Expr &y) {
  rejectReduction(x, "te.pow");
  rejectReduction(y, "te.pow");
  Workspace &ws = Workspace::current();
  Type type = commonType(x, y, "te.pow");
  if (!type)
    type = ws.getBuilder().getF32Type();
  Value a = materialize(ws, x, type), b = materialize(ws, y, type);
  OpBuilder &bld = ws.getBuilder();
  if (isFloat(type))
    return Value(math::PowFOp::create(bld, bld.getUnknownLoc(), a, b));
  if (type.isUnsignedInteger()) {
    // ipowi reads its exponent as signed (200 as -56): raise in 32 bits,
    // whose low bits are those of the narrow product.
    Location loc = bld.getUnknownLoc();
    Type wide = bld.getI32Type();
    Value p = math::IPowIOp::create(bld, loc,
                                    arith::ExtUIOp::create(bld, loc, wide, a),
                                    arith::ExtUIOp::create(bld, loc, wide, b));
    return Expr(Value(arith::TruncIOp::create(bld, loc, a.getType(), p)), type);
  }
  if (isa<IntegerType>(type))
    return Value(math::IPowIOp::create(bld, bld.getUnknownLoc(), a, b));
  fail("te.pow needs integer or float operands, got " + typeName(type));
}

//===----------------------------------------------------------------------===//
// if_then_else
//===----------------------------------------------------------------------===//

namespace {

/// The ops of `block` (at its top level) that `value` depends on, in block
/// order, following values used inside nested regions too.
SmallVector<Operation *> sliceInBlock(Value value, Block *block) {
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != block || slice.contains(def))
      continue;
    slice.insert(def);
    def->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        worklist.push_back(operand);
    });
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  return ordered;
}

/// Whether evaluating the slice could fault or read memory when its
/// condition is false: it reads a tensor or divides.
bool needsGuard(ArrayRef<Operation *> slice) {
  for (Operation *op : slice) {
    bool unsafe = false;
    op->walk([&](Operation *nested) {
      if (isa<mlc::tir::ReadOp, arith::DivSIOp, arith::DivUIOp,
              arith::RemSIOp, arith::RemUIOp, arith::FloorDivSIOp,
              arith::CeilDivSIOp>(nested))
        unsafe = true;
    });
    if (unsafe)
      return true;
  }
  return false;
}

/// Clones the slice computing `value` into `builder`'s block and returns the
/// clone of `value`.
Value cloneSlice(OpBuilder &builder, Value value, Block *block) {
  IRMapping mapping;
  for (Operation *op : sliceInBlock(value, block))
    builder.clone(*op, mapping);
  return mapping.lookupOrDefault(value);
}

} // namespace

Expr mlc::te::ifThenElse(const Expr &cond, const Expr &t, const Expr &f) {
  rejectReduction(t, "te.if_then_else");
  rejectReduction(f, "te.if_then_else");
  Workspace &ws = Workspace::current();
  Value c = materializeBool(ws, cond, "te.if_then_else");
  Type dtype = commonType(t, f, "te.if_then_else");
  Value tv = materialize(ws, t, dtype), fv = materialize(ws, f, dtype);
  Type type = tv.getType();
  OpBuilder &bld = ws.getBuilder();
  Location loc = bld.getUnknownLoc();
  Block *block = bld.getInsertionBlock();

  SmallVector<Operation *> thenSlice = sliceInBlock(tv, block);
  SmallVector<Operation *> elseSlice = sliceInBlock(fv, block);
  if (!needsGuard(thenSlice) && !needsGuard(elseSlice))
    return Expr(arith::SelectOp::create(bld, loc, c, tv, fv), dtype);

  // Move each side under the condition: clone its slice into the branch;
  // the unguarded originals become dead and are erased when the compute is
  // finished.
  auto ifOp = scf::IfOp::create(bld, loc, TypeRange{type}, c,
                                /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(bld);
    bld.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(bld, loc, cloneSlice(bld, tv, block));
    bld.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(bld, loc, cloneSlice(bld, fv, block));
  }
  return Expr(ifOp.getResult(0), dtype);
}

Expr mlc::te::select(const Expr &cond, const Expr &t, const Expr &f) {
  rejectReduction(t, "te.select");
  rejectReduction(f, "te.select");
  Workspace &ws = Workspace::current();
  Value c = materializeBool(ws, cond, "te.select");
  Type type = commonType(t, f, "te.select");
  Value tv = materialize(ws, t, type), fv = materialize(ws, f, type);
  OpBuilder &bld = ws.getBuilder();
  return Expr(arith::SelectOp::create(bld, bld.getUnknownLoc(), c, tv, fv),
              type);
}

//===----------------------------------------------------------------------===//
// Math by name, bitwise operations
//===----------------------------------------------------------------------===//

namespace {
using UnaryBuilder = Value (*)(OpBuilder &, Location, Value);
template <typename OpTy> Value buildUnary(OpBuilder &b, Location l, Value x) {
  return OpTy::create(b, l, x);
}
Value buildRound(OpBuilder &b, Location l, Value x) {
  return math::RoundEvenOp::create(b, l, x);
}
} // namespace

Expr mlc::te::callMath(StringRef name, ArrayRef<Expr> operands) {
  static const llvm::StringMap<UnaryBuilder> unary = {
      {"sin", buildUnary<math::SinOp>},     {"cos", buildUnary<math::CosOp>},
      {"tan", buildUnary<math::TanOp>},     {"asin", buildUnary<math::AsinOp>},
      {"acos", buildUnary<math::AcosOp>},   {"atan", buildUnary<math::AtanOp>},
      {"sinh", buildUnary<math::SinhOp>},   {"cosh", buildUnary<math::CoshOp>},
      {"asinh", buildUnary<math::AsinhOp>}, {"acosh", buildUnary<math::AcoshOp>},
      {"atanh", buildUnary<math::AtanhOp>}, {"exp2", buildUnary<math::Exp2Op>},
      {"expm1", buildUnary<math::ExpM1Op>}, {"log2", buildUnary<math::Log2Op>},
      {"log10", buildUnary<math::Log10Op>}, {"log1p", buildUnary<math::Log1pOp>},
      {"rsqrt", buildUnary<math::RsqrtOp>}, {"cbrt", buildUnary<math::CbrtOp>},
      {"erfc", buildUnary<math::ErfcOp>},   {"ceil", buildUnary<math::CeilOp>},
      {"trunc", buildUnary<math::TruncOp>}, {"round", buildRound},
      {"exp", buildUnary<math::ExpOp>},     {"log", buildUnary<math::LogOp>},
      {"sqrt", buildUnary<math::SqrtOp>},   {"tanh", buildUnary<math::TanhOp>},
      {"erf", buildUnary<math::ErfOp>},     {"floor", buildUnary<math::FloorOp>}};
  for (const Expr &e : operands)
    rejectReduction(e, name);
  Workspace &ws = Workspace::current();
  OpBuilder &bld = ws.getBuilder();
  Location loc = bld.getUnknownLoc();
  auto operand = [&](const Expr &e, Type type) {
    Value v = materialize(
        ws, e, type ? type : (e.getValue() ? Type() : Type(bld.getF32Type())));
    if (!isFloat(v.getType()))
      fail(Twine("te.") + name + " needs float operands, got " +
           typeName(v.getType()) + " (use te.cast)");
    return v;
  };
  if (auto it = unary.find(name); it != unary.end()) {
    if (operands.size() != 1)
      fail(Twine("te.") + name + " takes one operand");
    return it->second(bld, loc, operand(operands[0], Type()));
  }
  if (name == "atan2" || name == "copysign") {
    if (operands.size() != 2)
      fail(Twine("te.") + name + " takes two operands");
    Type type = commonType(operands[0], operands[1], name);
    Value a = operand(operands[0], type), b = operand(operands[1], type);
    if (name == "atan2")
      return Value(math::Atan2Op::create(bld, loc, a, b));
    return Value(math::CopySignOp::create(bld, loc, a, b));
  }
  if (name == "fma") {
    // a * b + c rounded once (what C++ kernels compiled with contraction,
    // such as torch's, compute for x * scale + bias).
    if (operands.size() != 3)
      fail("te.fma takes three operands");
    Type ab = commonType(operands[0], operands[1], name);
    Type type = ab ? commonType(Expr(operand(operands[0], ab)), operands[2],
                                name)
                   : operands[2].getType();
    Value a = operand(operands[0], type), b = operand(operands[1], type),
          c = operand(operands[2], type);
    return Value(math::FmaOp::create(bld, loc, a, b, c));
  }
  fail(Twine("te: unknown math function '") + name + "'");
}

Expr mlc::te::bitwise(StringRef name, const Expr &a, const Expr &b) {
  rejectReduction(a, name);
  rejectReduction(b, name);
  Workspace &ws = Workspace::current();
  Type type = commonType(a, b, name);
  if (!type)
    type = ws.getBuilder().getI64Type();
  Value x = materialize(ws, a, type), y = materialize(ws, b, type);
  if (!isa<IntegerType>(type))
    fail(Twine("bitwise ") + name + " needs integer or bool operands, got " +
         typeName(type));
  OpBuilder &bld = ws.getBuilder();
  Location loc = bld.getUnknownLoc();
  auto result = [&](Value v) { return Expr(v, type); };
  if (name == "and")
    return result(arith::AndIOp::create(bld, loc, x, y));
  if (name == "or")
    return result(arith::OrIOp::create(bld, loc, x, y));
  if (name == "xor")
    return result(arith::XOrIOp::create(bld, loc, x, y));
  if (type.isInteger(1))
    fail(Twine("shift ") + name + " does not apply to bool");
  // Shifting by the width or more is poison in LLVM: clamp the amount to
  // width - 1 and give what the wider computation would (0 to the left,
  // the sign to the right, 0 for unsigned).
  unsigned width = llvm::cast<IntegerType>(type).getWidth();
  Value limit = arith::ConstantIntOp::create(bld, loc, x.getType(), width - 1);
  Value zero = arith::ConstantIntOp::create(bld, loc, x.getType(), 0);
  Value tooFar = arith::CmpIOp::create(bld, loc, arith::CmpIPredicate::ugt,
                                       y, limit);
  Value amount = arith::SelectOp::create(bld, loc, tooFar, limit, y);
  if (name == "shl" || (name == "shr" && type.isUnsignedInteger())) {
    Value shifted = name == "shl"
                        ? Value(arith::ShLIOp::create(bld, loc, x, amount))
                        : Value(arith::ShRUIOp::create(bld, loc, x, amount));
    return result(arith::SelectOp::create(bld, loc, tooFar, zero, shifted));
  }
  if (name == "shr")
    return result(arith::ShRSIOp::create(bld, loc, x, amount));
  fail(Twine("unknown bitwise operation '") + name + "'");
}

Expr mlc::te::bitwiseNot(const Expr &x) {
  rejectReduction(x, "bitwise not");
  Workspace &ws = Workspace::current();
  Value v = materialize(ws, x, x.getValue() ? Type()
                                            : Type(ws.getBuilder().getI64Type()));
  if (!isa<IntegerType>(v.getType()))
    fail("bitwise not needs an integer or bool operand, got " +
         typeName(v.getType()));
  OpBuilder &bld = ws.getBuilder();
  Value ones = arith::ConstantIntOp::create(bld, bld.getUnknownLoc(),
                                            v.getType(), -1);
  return Expr(arith::XOrIOp::create(bld, bld.getUnknownLoc(), v, ones),
              x.getType() ? x.getType() : v.getType());
}
