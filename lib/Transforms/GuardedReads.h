//===- GuardedReads.h - te's guarded reads, read back ---------*- C++ -*-===//
//
// te writes padding and concatenation as guarded reads: a linalg.generic
// whose body branches (scf.if) on comparisons of its loop indices around
// a tensor.extract at indices offset from them, clamped by the bounds
// checker. --mlc-decompose-padding and --mlc-decompose-concatenation read
// those bodies back with these helpers.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_LIB_TRANSFORMS_GUARDEDREADS_H
#define MLC_LIB_TRANSFORMS_GUARDEDREADS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

#include <limits>
#include <optional>

namespace mlc::guarded {

inline std::optional<int64_t> constantIndex(mlir::Value v) {
  llvm::APInt value;
  if (mlir::matchPattern(v, mlir::m_ConstantInt(&value)))
    return value.getSExtValue();
  return std::nullopt;
}

/// The loop `v` is the index of (linalg.index d), if it is one.
inline std::optional<unsigned> loopOf(mlir::Value v) {
  if (auto index = v.getDefiningOp<mlir::linalg::IndexOp>())
    return index.getDim();
  return std::nullopt;
}

/// A read index `clamp(linalg.index(loop) - offset)`: the loop, the
/// offset (0 without a subtraction) and the clamps' floor and ceiling
/// (the extremes of int64_t without them).
struct ShiftedIndex {
  unsigned loop;
  int64_t offset = 0;
  int64_t floor = std::numeric_limits<int64_t>::min();
  int64_t ceiling = std::numeric_limits<int64_t>::max();
};

inline std::optional<ShiftedIndex> matchShiftedIndex(mlir::Value v) {
  ShiftedIndex index{0};
  while (true) {
    if (auto max = v.getDefiningOp<mlir::arith::MaxSIOp>())
      if (std::optional<int64_t> c = constantIndex(max.getRhs())) {
        index.floor = std::max(index.floor, *c);
        v = max.getLhs();
        continue;
      }
    if (auto min = v.getDefiningOp<mlir::arith::MinSIOp>())
      if (std::optional<int64_t> c = constantIndex(min.getRhs())) {
        index.ceiling = std::min(index.ceiling, *c);
        v = min.getLhs();
        continue;
      }
    break;
  }
  if (auto sub = v.getDefiningOp<mlir::arith::SubIOp>()) {
    std::optional<int64_t> c = constantIndex(sub.getRhs());
    if (!c)
      return std::nullopt;
    index.offset = *c;
    v = sub.getLhs();
  }
  std::optional<unsigned> loop = loopOf(v);
  if (!loop)
    return std::nullopt;
  index.loop = *loop;
  return index;
}

/// Whether `generic` has te's shape of a guarded read: no inputs (it reads
/// with tensor.extract), one output written whole with the identity map,
/// no reduction, on tensors.
inline bool writesEachElementByExtract(mlir::linalg::GenericOp generic) {
  return generic.getNumDpsInits() == 1 && generic.getNumDpsInputs() == 0 &&
         generic.getNumReductionLoops() == 0 &&
         generic.getIndexingMapsArray()[0].isIdentity() &&
         generic.hasPureTensorSemantics();
}

/// The linalg.generics under `root` in program order, to be matched one
/// at a time after the rewrites of those before them: a padding of a
/// padding (or a concatenation of one) reads the first one's result,
/// which the first rewrite replaces; matched all at once, the second kept
/// the erased value (a bool mask padded twice, in MultiheadAttention,
/// came out all false).
inline llvm::SmallVector<mlir::linalg::GenericOp>
genericsInOrder(mlir::Operation *root) {
  llvm::SmallVector<mlir::linalg::GenericOp> generics;
  root->walk([&](mlir::linalg::GenericOp generic) {
    generics.push_back(generic);
  });
  return generics;
}

} // namespace mlc::guarded

#endif // MLC_LIB_TRANSFORMS_GUARDEDREADS_H
