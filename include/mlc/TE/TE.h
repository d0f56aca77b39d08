//===- TE.h - Tensor-expression DSL that emits tir ops ----------*- C++ -*-===//
//
// mlc's counterpart of TVM's `te`: placeholders, compute, reductions and
// scalar expressions, written as C++ (or Python, through the bindings) and
// emitted directly as MLIR operations.
//
// How it stays MLIR-only: a te program is built before the tir.func that
// will hold it exists (create_prim_func decides later which tensors are
// arguments). So te emits into a staging block owned by a Workspace:
// placeholders and symbolic sizes are block arguments of that block, every
// te.compute is a real tir.compute op in it, and scalar expressions are real
// arith/math/tir ops in the compute body being built. An Expr is only a
// handle on an mlir::Value, or a numeric literal whose type the context
// decides (as `0` in `te.max(x, 0)`). createPrimFunc clones the ops a
// function needs from the staging block into a fresh tir.func.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_TE_TE_H
#define MLC_TE_TE_H

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mlc::te {

class IterVar;
struct IterVarNode;
struct TensorNode;

/// A scalar expression: an MLIR value (index, integer, float or i1), or a
/// numeric literal not yet given a type. A reduction (te.sum, ...) is an
/// Expr that must be the whole body of a compute.
class Expr {
public:
  Expr() = default;
  Expr(mlir::Value value) : data(value) {}
  /// A value of dtype `dtype`: the value itself is signless (arith computes
  /// on signless integers); an unsigned `dtype` (uint8) marks it unsigned,
  /// which decides the ops later expressions choose (divui, extui, ...).
  Expr(mlir::Value value, mlir::Type dtype);
  Expr(int value) : data(static_cast<int64_t>(value)) {}
  Expr(int64_t value) : data(value) {}
  Expr(double value) : data(value) {}
  Expr(const IterVar &axis);

  bool isNull() const { return std::holds_alternative<std::monostate>(data); }
  /// The value, or null for a literal.
  mlir::Value getValue() const;
  /// The dtype: the value's type, its unsigned form for an unsigned value
  /// (ui8 for an i8 value), or null for a literal.
  mlir::Type getType() const;
  bool isUnsigned() const { return unsignedValue; }
  std::optional<int64_t> getIntLiteral() const;
  std::optional<double> getFloatLiteral() const;
  /// The integer this expression is known to be: an integer literal or an
  /// integer constant op.
  std::optional<int64_t> getConstantInt() const;

  /// Reduction information, set by te::sum/max/min/prod.
  struct Reduction {
    mlc::tir::ReductionKind kind;
    std::vector<IterVar> axes;
  };
  const Reduction *getReduction() const { return reduction.get(); }
  Expr withReduction(Reduction r) const;

private:
  std::variant<std::monostate, mlir::Value, int64_t, double> data;
  bool unsignedValue = false;
  std::shared_ptr<Reduction> reduction;
};

/// A symbolic size (TVM's te.var): an index value that create_prim_func
/// reads from the shape of an argument that has it.
class Var : public Expr {
public:
  Var(mlir::Value value, std::string name)
      : Expr(value), name(std::move(name)) {}
  const std::string &getName() const { return name; }

private:
  std::string name;
};

/// A reduction axis (TVM's te.reduce_axis). Each compute that uses it binds
/// it to an index argument of its body.
class IterVar {
public:
  explicit IterVar(std::shared_ptr<IterVarNode> node) : node(std::move(node)) {}
  const std::string &getName() const;
  Expr getBegin() const;
  Expr getExtent() const;
  IterVarNode *get() const { return node.get(); }

private:
  std::shared_ptr<IterVarNode> node;
};

/// A tensor: a placeholder (an input) or the result of a compute.
class Tensor {
public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorNode> node) : node(std::move(node)) {}

  const std::string &getName() const;
  /// Static sizes as integer literals, dynamic ones as index values.
  const std::vector<Expr> &getShape() const;
  mlir::Type getElementType() const;
  mlir::RankedTensorType getType() const;
  int64_t getRank() const;
  mlir::Value getValue() const;
  bool isPlaceholder() const;
  TensorNode *get() const { return node.get(); }
  explicit operator bool() const { return static_cast<bool>(node); }

  /// Reads the element at `indices` (tir.read); only inside a compute body.
  Expr operator()(llvm::ArrayRef<Expr> indices) const;
  Expr operator()(const std::vector<Expr> &indices) const {
    return (*this)(llvm::ArrayRef<Expr>(indices));
  }
  template <typename... Ts> Expr operator()(Ts... indices) const {
    return (*this)(llvm::ArrayRef<Expr>{Expr(indices)...});
  }

private:
  std::shared_ptr<TensorNode> node;
};

/// Owns the staging block te programs are emitted into. Constructing one
/// makes it current for this thread until it is destroyed; every te
/// function uses the current workspace.
class Workspace {
public:
  explicit Workspace(mlir::MLIRContext *context);
  ~Workspace();
  Workspace(const Workspace &) = delete;
  Workspace &operator=(const Workspace &) = delete;

  /// The current workspace; throws mlc::Error when there is none.
  static Workspace &current();

  mlir::MLIRContext *getContext() const { return context; }
  /// Builder positioned where te emits now: the end of the compute body
  /// being built, or the end of the staging block.
  mlir::OpBuilder &getBuilder() { return builder; }

  struct Impl;
  Impl &getImpl() { return *impl; }

private:
  mlir::MLIRContext *context;
  mlir::OpBuilder builder;
  std::unique_ptr<Impl> impl;
  Workspace *previous;
};

/// Element type for a dtype name ("float32", "float64", "int32", "int64",
/// "uint8" (ui8), "bool", ...); throws on an unknown name.
mlir::Type parseDType(mlir::MLIRContext *context, llvm::StringRef dtype);
/// The dtype name of an element type.
std::string dtypeName(mlir::Type type);

//===----------------------------------------------------------------------===//
// Tensors and axes
//===----------------------------------------------------------------------===//

Tensor placeholder(llvm::ArrayRef<Expr> shape, mlir::Type elementType,
                   llvm::StringRef name = "placeholder");
Var var(llvm::StringRef name = "n");
IterVar reduceAxis(Expr begin, Expr end, llvm::StringRef name = "k");

/// fcompute receives one index per output dimension.
using ComputeFn = std::function<Expr(llvm::ArrayRef<Expr>)>;
Tensor compute(llvm::ArrayRef<Expr> shape, const ComputeFn &fcompute,
               llvm::StringRef name = "compute");

/// States that sizes `a` and `b` must be equal at run time for the next
/// te.compute to be defined (topi's broadcasting and contractions assume
/// two dynamic sizes they meet are equal). create_prim_func turns it into a
/// `tir.assert` of every function holding that compute: a call whose
/// arguments break it raises an error with `message` and both sizes. Does
/// nothing when both are the same constant; throws when they are different
/// constants (the shapes can never agree).
void requireEqual(const Expr &a, const Expr &b, llvm::StringRef message);

//===----------------------------------------------------------------------===//
// Reductions (the whole body of a compute)
//===----------------------------------------------------------------------===//

Expr sum(const Expr &value, llvm::ArrayRef<IterVar> axes);
Expr max(const Expr &value, llvm::ArrayRef<IterVar> axes);
Expr min(const Expr &value, llvm::ArrayRef<IterVar> axes);
Expr prod(const Expr &value, llvm::ArrayRef<IterVar> axes);

//===----------------------------------------------------------------------===//
// Scalar expressions
//===----------------------------------------------------------------------===//

Expr operator+(const Expr &a, const Expr &b);
Expr operator-(const Expr &a, const Expr &b);
Expr operator*(const Expr &a, const Expr &b);
/// Division: floating-point, or truncating for integers.
Expr operator/(const Expr &a, const Expr &b);
/// Remainder with the sign of the dividend (indices are non-negative, where
/// this is also te's floormod).
Expr operator%(const Expr &a, const Expr &b);
Expr floordiv(const Expr &a, const Expr &b);
Expr operator-(const Expr &a);
Expr operator<(const Expr &a, const Expr &b);
Expr operator<=(const Expr &a, const Expr &b);
Expr operator>(const Expr &a, const Expr &b);
Expr operator>=(const Expr &a, const Expr &b);
Expr operator==(const Expr &a, const Expr &b);
Expr operator!=(const Expr &a, const Expr &b);
Expr operator&&(const Expr &a, const Expr &b);
Expr operator||(const Expr &a, const Expr &b);
Expr operator!(const Expr &a);

/// Element-wise maximum / minimum (NaN-propagating for floats).
Expr max(const Expr &a, const Expr &b);
Expr min(const Expr &a, const Expr &b);
/// `cond ? t : f`. Only the taken side is evaluated: a side that reads a
/// tensor (padding, say) is guarded by an scf.if, so it may index out of
/// bounds when not taken.
Expr ifThenElse(const Expr &cond, const Expr &t, const Expr &f);
/// `cond ? t : f` with both sides evaluated (arith.select): for sides that
/// are safe to compute anyway, such as the branches of a math function,
/// where chained guards would copy the shared computation into each.
Expr select(const Expr &cond, const Expr &t, const Expr &f);
Expr all(llvm::ArrayRef<Expr> conditions);
Expr any(llvm::ArrayRef<Expr> conditions);
Expr cast(mlir::Type type, const Expr &value);

Expr exp(const Expr &x);
Expr log(const Expr &x);
Expr sqrt(const Expr &x);
Expr tanh(const Expr &x);
Expr sigmoid(const Expr &x);
Expr erf(const Expr &x);
Expr pow(const Expr &x, const Expr &y);
Expr abs(const Expr &x);
Expr floor(const Expr &x);

/// A float math function by name: one `math` dialect op (sin, cos, tan,
/// asin, acos, atan, sinh, cosh, asinh, acosh, atanh, exp2, expm1, log2,
/// log10, log1p, rsqrt, cbrt, erfc, ceil, round (half to even), trunc, and
/// the two-operand atan2 and copysign, the three-operand fma: a * b + c
/// rounded once). Literals become f32; throws on an
/// unknown name or a non-float operand.
Expr callMath(llvm::StringRef name, llvm::ArrayRef<Expr> operands);

/// Bitwise and, or, xor (integers and bool), shift left, arithmetic shift
/// right (integers) by name: "and", "or", "xor", "shl", "shr".
Expr bitwise(llvm::StringRef name, const Expr &a, const Expr &b);
/// Bitwise not (logical not for bool).
Expr bitwiseNot(const Expr &x);

/// Whether `e` is known to be true (a true constant, or the comparison of a
/// value with itself); nullopt when it cannot be decided statically.
std::optional<bool> evaluateBool(const Expr &e);

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

/// Creates a tir.func named `name` at the builder's insertion point. The
/// listed tensors are its arguments, in order: placeholders are inputs,
/// computed tensors are output arguments ({tir.output}) whose values it
/// returns, in order. A computed tensor that is not listed is a temporary.
/// Throws mlc::Error on misuse (a placeholder that is needed but not listed,
/// a symbolic size no input carries, ...).
mlc::tir::FuncOp createPrimFunc(mlir::OpBuilder &builder,
                                llvm::ArrayRef<Tensor> args,
                                llvm::StringRef name = "main");

/// The same, in a module of its own.
mlir::OwningOpRef<mlir::ModuleOp>
createPrimFunc(llvm::ArrayRef<Tensor> args, llvm::StringRef name = "main");

} // namespace mlc::te

#endif // MLC_TE_TE_H
