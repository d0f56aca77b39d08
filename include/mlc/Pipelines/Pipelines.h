//===- Pipelines.h - mlc's pass pipelines -----------------------*- C++ -*-===//

#ifndef MLC_PIPELINES_PIPELINES_H
#define MLC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlc {

struct LowerToLLVMOptions
    : public mlir::PassPipelineOptions<LowerToLLVMOptions> {
  Option<bool> legalize{*this, "legalize",
                        llvm::cl::desc("Legalize high-level relax ops first"),
                        llvm::cl::init(true)};
  Option<bool> fuse{
      *this, "fuse",
      llvm::cl::desc("Fuse call_tir chains (--relax-fuse), then element-wise "
                     "linalg ops, written in place"),
      llvm::cl::init(true)};
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Run the CPU code generator (--mlc-codegen): register "
                     "blocks, threads and vector code"),
      llvm::cl::init(true)};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads vectorized loop nests split across (OpenMP); "
                     "1 runs everything on the calling thread"),
      llvm::cl::init(1)};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector width register blocks are sized for (512, "
                     "256); 0 asks the host CPU "
                     "(--mlc-select-lowering-config)"),
      llvm::cl::init(0)};
  Option<bool> contract{
      *this, "contract",
      llvm::cl::desc("Let LLVM fuse the multiply-adds of reductions into "
                     "FMAs (fastmath<contract>; element-wise arithmetic "
                     "keeps PyTorch's rounding either way)"),
      llvm::cl::init(true)};
  Option<bool> cInterface{
      *this, "c-interface",
      llvm::cl::desc("Emit _mlir_ciface_ wrappers taking memref descriptors "
                     "by pointer (what the runtime calls)"),
      llvm::cl::init(true)};
  Option<bool> externalizeConstants{
      *this, "externalize-constants",
      llvm::cl::desc("Make constant globals of 1 KB or more external "
                     "declarations (--mlc-externalize-constants): whoever "
                     "links the code supplies their data, which LLVM then "
                     "never processes (what mlc's JIT and export_library "
                     "do)"),
      llvm::cl::init(false)};
};

/// relax + tir -> LLVM dialect: buildLowerToFuncPipeline, then
/// buildFuncToLLVMPipeline.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options);

/// The first half: legalize, tir -> linalg, relax -> func. The result is
/// func.func on tensors with linalg bodies.
void buildLowerToFuncPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options);

/// The second half: one-shot bufferization across functions, ownership-
/// based deallocation, linalg -> affine loops -> scf -> cf, and LLVM.
void buildFuncToLLVMPipeline(mlir::OpPassManager &pm,
                             const LowerToLLVMOptions &options);

/// The CPU code generator's stages on tensors, before bufferization (part
/// of buildFuncToLLVMPipeline when `vectorize` is on):
/// --mlc-select-lowering-config, then --mlc-distribute-to-threads, which
/// tiles each op into thread chunks with its group's producers fused
/// (upstream tile-and-fuse), and canonicalization.
void buildTensorCodegenPipeline(mlir::OpPassManager &pm,
                                const LowerToLLVMOptions &options);

/// The CPU code generator on buffers (part of buildFuncToLLVMPipeline
/// when `vectorize` is on): --mlc-select-lowering-config and
/// --mlc-distribute-to-threads for the ops bufferization created (copies;
/// the others have their configs and chunks from the tensor stages
/// already), --mlc-pack-panels,
/// --mlc-tile-register-blocks, --mlc-vectorize,
/// --mlc-contiguous-strided-reads, --mlc-hoist-vector-transfers,
/// --mlc-defer-lane-reductions, --mlc-lower-vector-contractions, --mlc-approximate-vector-math, with
/// canonicalization between them.
void buildCodegenPipeline(mlir::OpPassManager &pm,
                          const LowerToLLVMOptions &options);

/// Registers --mlc-lower-to-llvm, --mlc-codegen-tensors and --mlc-codegen.
void registerPipelines();

} // namespace mlc

#endif // MLC_PIPELINES_PIPELINES_H
