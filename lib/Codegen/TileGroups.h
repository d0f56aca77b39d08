//===- TileGroups.h - ops tiled as one ------------------------*- C++ -*-===//
//
// A group is a contraction (the anchor), the linalg.fill of its fresh
// output buffer just before it and the element-wise ops just after it that
// update that buffer in place: --mlc-select-lowering-config gives them one
// `group` number, and each tiling stage tiles the anchor and gives every
// tile of it the matching tile of the others, so that the epilogue (bias,
// activation) works on the block of accumulators while they are in
// registers.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_LIB_CODEGEN_TILEGROUPS_H
#define MLC_LIB_CODEGEN_TILEGROUPS_H

#include "mlc/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc::codegen {

struct Group {
  llvm::SmallVector<mlir::linalg::LinalgOp> before;
  mlir::linalg::LinalgOp anchor;
  llvm::SmallVector<mlir::linalg::LinalgOp> after;

  llvm::SmallVector<mlir::linalg::LinalgOp> ops() const;
};

/// The ops of `func` that have a lowering config, as groups in program
/// order: the members of a `group` that sit together in one block (the
/// fill, the anchor, the element-wise ops), and every other op as a group
/// of its own. A member found apart from its anchor loses its `group`.
llvm::SmallVector<Group> collectGroups(mlir::func::FuncOp func);

/// Removes `ops`' `group` (each is tiled alone from now on).
void ungroup(llvm::ArrayRef<mlir::linalg::LinalgOp> ops);

/// Tiles `op` (upstream scf::tileUsingSCF) and erases it; the tiles and
/// loops replace it.
mlir::FailureOr<mlir::scf::SCFTilingResult>
tileAndReplace(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
               const mlir::scf::SCFTilingOptions &options);

/// Tiles the other members of `group` at the tile of its anchor that
/// `tiledAnchor` computes, around it (in the same loop body), and erases
/// them; returns the tiled group. The anchor's output tile is a subview of
/// the shared buffer, and the members (identity maps over that buffer)
/// iterate over exactly its offsets and sizes. A member that cannot
/// follow stays where it is (before or after the anchor's loops, still
/// correct), ungrouped, and is appended to `leftover`.
Group fuseSiblings(mlir::RewriterBase &rewriter, const Group &group,
                   mlir::linalg::LinalgOp tiledAnchor,
                   llvm::SmallVectorImpl<mlir::linalg::LinalgOp> &leftover);

} // namespace mlc::codegen

#endif // MLC_LIB_CODEGEN_TILEGROUPS_H
