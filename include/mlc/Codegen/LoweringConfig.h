//===- LoweringConfig.h - what the strategy chose for an op -----*- C++ -*-===//
//
// The `mlc.lowering_config` dictionary that --mlc-select-lowering-config
// records on a linalg op and the later stages read (see Passes.td). It
// survives tiling: upstream's tiled ops are clones with the attributes of
// the op they tile.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_CODEGEN_LOWERINGCONFIG_H
#define MLC_CODEGEN_LOWERINGCONFIG_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include <optional>

namespace mlc::codegen {

inline constexpr llvm::StringLiteral kLoweringConfigAttr =
    "mlc.lowering_config";

/// The register blocks' tiles between --mlc-tile-register-blocks and
/// --mlc-vectorize: one number per group of ops tiled together.
inline constexpr llvm::StringLiteral kRegisterBlockAttr = "mlc.register_block";

/// Split `loop` into `threads` chunks of whole `block`s.
struct Distribution {
  unsigned loop;
  int64_t block;
  unsigned threads;
};

/// A reduction vectorized along its input's contiguous row, `step`
/// elements at a time, one output element per block.
struct RowReduction {
  unsigned loop;
  int64_t step;
};

struct LoweringConfig {
  /// Per loop: the register block's extent (0: not tiled).
  llvm::SmallVector<int64_t> registerTile;
  /// The order of the tile loops (a permutation of the loops).
  llvm::SmallVector<int64_t> interchange;
  std::optional<RowReduction> rowReduction;
  std::optional<Distribution> distribute;
  /// With a dynamic shape, the iteration count below which the split is
  /// skipped at run time.
  std::optional<int64_t> minParallelWork;
  /// The operand whose panels are copied into a dense buffer.
  std::optional<unsigned> packOperand;
  /// The group the op is tiled with (its contraction, the fill before it,
  /// the element-wise ops after it).
  std::optional<int64_t> group;
  /// Tiled only as a member of its group (on its own, its register block
  /// would gain nothing: a fill of a 1 x 512 x 1 x 1 mean): a member that
  /// cannot follow its anchor loses the whole config.
  bool groupOnly = false;

  mlir::DictionaryAttr toAttr(mlir::MLIRContext *ctx) const;
  static std::optional<LoweringConfig> fromAttr(mlir::DictionaryAttr attr);

  /// The config on `op`, if any. Read it only after
  /// verifyLoweringConfigs() accepted it.
  static std::optional<LoweringConfig> get(mlir::Operation *op);
  void set(mlir::Operation *op) const;
};

/// Checks every config under `root` against its op (a linalg op on
/// buffers, or on tensors too for the stages that run before
/// bufferization (`onTensors`), one entry per loop, a permutation for `interchange`, loops
/// and operands that exist, positive sizes); emits an error at each one
/// that is not. The stages that read configs call it first: a config in
/// hand-written IR may be anything.
mlir::LogicalResult verifyLoweringConfigs(mlir::Operation *root,
                                          bool onTensors = false);

} // namespace mlc::codegen

#endif // MLC_CODEGEN_LOWERINGCONFIG_H
