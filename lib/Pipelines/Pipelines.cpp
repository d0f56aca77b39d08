//===- Pipelines.cpp - mlc's pass pipelines -------------------------------===//

#include "mlc/Pipelines/Pipelines.h"

#include "mlc/Codegen/Passes.h"
#include "mlc/Conversion/Passes.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"
#include "mlc/Dialect/TIR/Transforms/Passes.h"
#include "mlc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlc::buildLowerToLLVMPipeline(OpPassManager &pm,
                                   const LowerToLLVMOptions &options) {
  buildLowerToFuncPipeline(pm, options);
  buildFuncToLLVMPipeline(pm, options);
}

void mlc::buildLowerToFuncPipeline(OpPassManager &pm,
                                   const LowerToLLVMOptions &options) {
  // Graph and tensor programs to func + linalg on tensors.
  if (options.legalize) {
    // Inference batch norm into the convolution's constant weights.
    pm.addPass(mlc::relax::createRelaxFoldBatchNormPass());
    // Constant weights re-laid out for the vectorized matmul first.
    if (options.vectorize)
      pm.addPass(mlc::relax::createRelaxTransposeConstantWeightsPass());
    pm.addPass(mlc::relax::createRelaxLegalizePass());
  }
  if (options.fuse)
    pm.addPass(mlc::relax::createRelaxFusePass());
  // Reads proved in bounds, or checked at run time, or clamped.
  pm.addNestedPass<mlc::tir::FuncOp>(mlc::tir::createTIRCheckBoundsPass());
  // uint8 tensors become i8 ones: their ops already read them as unsigned.
  pm.addPass(mlc::createMLCSignlessIntegersPass());
  pm.addPass(mlc::createConvertTIRToLinalgPass());
  pm.addPass(mlc::createConvertRelaxToFuncPass());
  pm.addPass(createCanonicalizerPass());
  // Zero padding: a copy of the interior and fills of the border, not
  // guarded reads.
  pm.addNestedPass<func::FuncOp>(mlc::createMLCDecomposePaddingPass());
  // Concatenation (torch.cat): each input copied into its slice.
  pm.addNestedPass<func::FuncOp>(mlc::createMLCDecomposeConcatenationPass());
  if (options.fuse) {
    // Element-wise generics of one function become one loop nest, written
    // over the tensor it consumes.
    pm.addNestedPass<func::FuncOp>(mlc::createMLCFuseElementwisePass());
    pm.addNestedPass<func::FuncOp>(mlc::createMLCElementwiseInPlacePass());
  }
  // Rows of 7 or 14 pixels (a 1x1 convolution, an element-wise op late in
  // a CNN) merged into rows of 49 or 196, which fill the vector registers.
  if (options.vectorize)
    pm.addNestedPass<func::FuncOp>(mlc::createMLCCollapseShortRowsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // A model's repeated layers: one kernel each, compiled once.
  pm.addPass(mlc::createMLCDeduplicateFunctionsPass());
}

void mlc::buildFuncToLLVMPipeline(OpPassManager &pm,
                                  const LowerToLLVMOptions &options) {
  // Tensors to buffers across function boundaries; results are returned
  // as freshly allocated buffers whose ownership passes to the caller.
  // The code generator's stages on tensors: the strategy, and the thread
  // chunks as upstream tile-and-fuse (docs/lowering.md, "Code
  // generation").
  if (options.vectorize)
    buildTensorCodegenPipeline(pm, options);
  // A value computed only to be inserted into a slice (a concatenation's
  // computed input) is computed in that slice: upstream replaces its
  // tensor.empty with the slice, which bufferization then writes in place.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Deallocation clones buffers it must hand over (a returned argument).
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Copies into views (a padded tensor's interior): loops, not calls.
  pm.addNestedPass<func::FuncOp>(mlc::createMLCStridedCopiesToLinalgPass());

  // Ask for C-interface wrappers now, before math-to-libm declares libm
  // functions that must keep their plain C names.
  if (options.cInterface)
    pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());

  // The CPU code generator, one pass per stage (docs/lowering.md, "Code
  // generation"): the strategy records a lowering config on each op, the
  // next stages carry it out (threads, packing, register blocks), then the
  // blocks become vector code with their accumulators in registers.
  if (options.vectorize)
    buildCodegenPipeline(pm, options);
  // Loops: linalg -> affine -> scf -> cf; vector transfers to loads.
  // Passes that convert one function at a time run nested on each, which
  // the pass manager spreads over the cores (the module-level vector
  // conversion alone took 0.6 s of efficientnet_b0's build).
  auto perFunction = [&](std::unique_ptr<Pass> pass) {
    pm.addNestedPass<func::FuncOp>(std::move(pass));
  };
  perFunction(createConvertLinalgToAffineLoopsPass());
  perFunction(createLowerAffinePass());
  if (options.vectorize) {
    VectorTransferToSCFOptions transfers;
    transfers.enableFullUnroll(true);
    perFunction(createConvertVectorToSCFPass(transfers));
    perFunction(createLowerAffinePass());
  }
  if (options.vectorize && options.threads > 1) {
    // Thread chunks: scf.forall -> omp.parallel (no worksharing loop).
    mlc::ConvertForallToOpenMPPassOptions omp;
    omp.threads = options.threads;
    pm.addPass(mlc::createConvertForallToOpenMPPass(omp));
  }
  perFunction(createSCFToControlFlowPass());
  perFunction(memref::createExpandStridedMetadataPass());
  perFunction(createLowerAffinePass());

  // LLVM. Math ops without an LLVM intrinsic (erf, tanh, ...) call libm,
  // one element at a time for vectors; then vectors, whose lowering makes
  // arith ops the later steps convert.
  perFunction(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  if (options.vectorize)
    perFunction(createConvertVectorToLLVMPass());
  // Allocations call mlc's runtime (lib/Runtime/RuntimeCore.c), which
  // turns a failed malloc into an error instead of a null buffer.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  perFunction(createArithToLLVMConversionPass());
  perFunction(createConvertIndexToLLVMPass());
  if (options.vectorize && options.threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (options.externalizeConstants)
    pm.addPass(mlc::createMLCExternalizeConstantsPass());
}

/// The strategy and the thread chunks: on tensors for the ops there, on
/// buffers again for those bufferization made (ops with a config keep it).
static void addStrategyAndThreads(OpPassManager &pm,
                                  const mlc::LowerToLLVMOptions &options) {
  mlc::MLCSelectLoweringConfigPassOptions strategy;
  strategy.threads = options.threads;
  strategy.vectorBits = options.vectorBits;
  pm.addNestedPass<func::FuncOp>(
      mlc::createMLCSelectLoweringConfigPass(strategy));
  pm.addNestedPass<func::FuncOp>(mlc::createMLCDistributeToThreadsPass());
}

void mlc::buildTensorCodegenPipeline(OpPassManager &pm,
                                     const LowerToLLVMOptions &options) {
  addStrategyAndThreads(pm, options);
  pm.addPass(createCanonicalizerPass());
}

void mlc::buildCodegenPipeline(OpPassManager &pm,
                               const LowerToLLVMOptions &options) {
  addStrategyAndThreads(pm, options);
  pm.addNestedPass<func::FuncOp>(mlc::createMLCPackPanelsPass());
  pm.addNestedPass<func::FuncOp>(mlc::createMLCTileRegisterBlocksPass());
  mlc::MLCVectorizePassOptions vectorize;
  vectorize.contract = options.contract;
  pm.addNestedPass<func::FuncOp>(mlc::createMLCVectorizePass(vectorize));
  // Strided windows (stride-2 convolutions): contiguous loads + shuffles.
  pm.addNestedPass<func::FuncOp>(mlc::createMLCContiguousStridedReadsPass());
  // Tile views folded into the transfers, which the hoisting needs.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createFoldMemRefAliasOpsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(mlc::createMLCHoistVectorTransfersPass());
  // Row reductions: across lanes once per row, not once per chunk.
  mlc::MLCDeferLaneReductionsPassOptions lanes;
  lanes.contract = options.contract;
  pm.addNestedPass<func::FuncOp>(mlc::createMLCDeferLaneReductionsPass(lanes));
  mlc::MLCLowerVectorContractionsPassOptions contractions;
  contractions.contract = options.contract;
  pm.addNestedPass<func::FuncOp>(
      mlc::createMLCLowerVectorContractionsPass(contractions));
  // exp on vectors: a polynomial, not a libm call per lane.
  pm.addNestedPass<func::FuncOp>(mlc::createMLCApproximateVectorMathPass());
  pm.addPass(createCanonicalizerPass());
}

void mlc::registerPipelines() {
  PassPipelineRegistration<LowerToLLVMOptions>(
      "mlc-lower-to-llvm",
      "Lowers relax and tir to the LLVM dialect (legalize, tir -> linalg, "
      "relax -> func, bufferization, deallocation, affine loops, LLVM)",
      buildLowerToLLVMPipeline);
  PassPipelineRegistration<LowerToLLVMOptions>(
      "mlc-codegen-tensors",
      "The CPU code generator's stages on linalg on tensors, before "
      "bufferization: the strategy and the thread chunks with their "
      "producers fused (options threads, vector-bits)",
      buildTensorCodegenPipeline);
  PassPipelineRegistration<LowerToLLVMOptions>(
      "mlc-codegen",
      "The CPU code generator's stages from linalg on buffers to vector "
      "code (the part of --mlc-lower-to-llvm after bufferization that "
      "vectorize turns on; options threads, vector-bits, contract)",
      buildCodegenPipeline);
}
