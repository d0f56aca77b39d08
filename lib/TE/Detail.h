//===- Detail.h - Internals shared by the te implementation ----*- C++ -*-===//

#ifndef MLC_LIB_TE_DETAIL_H
#define MLC_LIB_TE_DETAIL_H

#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"

#include "llvm/ADT/MapVector.h"

namespace mlc::te {

struct IterVarNode {
  std::string name;
  Expr begin, extent;
};

struct TensorNode {
  std::string name;
  mlir::Value value;
  std::vector<Expr> shape;
  mlir::Type elementType;
  bool placeholder;
};

/// The compute whose body is being built (fcompute is running).
struct ComputeFrame {
  std::string name;
  mlir::Block *body;
  unsigned rank;
  /// Reduction axes in order of first use, with their block argument and
  /// the index value (the argument plus the axis' begin) that uses see.
  llvm::MapVector<IterVarNode *, std::pair<mlir::BlockArgument, mlir::Value>>
      axes;
  /// Keeps the axes in `axes` alive while the body is built, so that no
  /// other axis can take the address of one the body already uses.
  std::vector<IterVar> keepAlive;
};

struct Workspace::Impl {
  /// The staging block; ops in it have no parent op.
  mlir::Block *staging = nullptr;
  std::optional<ComputeFrame> frame;
  /// Names of placeholders, symbolic sizes and compute results, for
  /// messages.
  llvm::DenseMap<mlir::Value, std::string> names;
  /// tir.asserts made by requireEqual since the last compute, and the
  /// ones each compute needs (create_prim_func takes them along).
  std::vector<mlir::Operation *> pendingRequirements;
  llvm::DenseMap<mlir::Operation *, std::vector<mlir::Operation *>>
      requirements;
};

/// Throws mlc::Error(message).
[[noreturn]] void fail(const llvm::Twine &message);

/// A location naming `name` (shown as the SSA name of function arguments).
mlir::Location nameLoc(mlir::MLIRContext *context, llvm::StringRef name);

/// Materializes `e` as a value of `type` (a literal becomes a constant; a
/// null `type` keeps a value's own type and gives literals i32 or f32).
/// Checks that a value is visible where te emits now.
mlir::Value materialize(Workspace &ws, const Expr &e, mlir::Type type = {});

/// Materializes `e` as an index (integers are index_cast).
mlir::Value materializeIndex(Workspace &ws, const Expr &e);

/// A readable description of where te emits ("compute 'matmul'" or "the
/// staging area"), for messages.
std::string describeName(Workspace &ws, mlir::Value value);

} // namespace mlc::te

#endif // MLC_LIB_TE_DETAIL_H
