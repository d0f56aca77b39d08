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
      llvm::cl::desc("Tile static-shape linalg ops to register blocks and "
                     "vectorize them (--mlc-vectorize)"),
      llvm::cl::init(true)};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads vectorized loop nests split across (OpenMP); "
                     "1 runs everything on the calling thread"),
      llvm::cl::init(1)};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector width register blocks are sized for (512, "
                     "256); 0 asks the host CPU (--mlc-vectorize)"),
      llvm::cl::init(0)};
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

/// Registers --mlc-lower-to-llvm.
void registerPipelines();

} // namespace mlc

#endif // MLC_PIPELINES_PIPELINES_H
