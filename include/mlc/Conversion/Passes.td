//===- Passes.td - mlc's conversion passes ------------------*- tablegen -*-===//

#ifndef MLC_CONVERSION_PASSES_TD
#define MLC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTIRToLinalgPass : Pass<"convert-tir-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers te-style tir.compute ops to linalg.generic on tensors";
  let description = [{
    Each `tir.compute` becomes one `linalg.generic` on tensors with one loop
    per output dimension (parallel) and per reduction axis (reduction). A
    `tir.read` whose indices are affine in the loop indices becomes an input
    operand with that indexing map, when the loop ranges linalg infers from
    the operand shapes are provably the compute's (MLIR's value-bounds
    analysis decides). Any other read (data-dependent, guarded by an
    `scf.if`, or not provably in range) stays a `tensor.extract` in the
    body, indexed with `linalg.index`. A reduction initialises its `outs`
    with `linalg.fill` of the kind's identity and combines in the body.
    `tir.func`s stay; `--convert-relax-to-func` turns them into `func.func`.

    Example: the matmul of the chapter,

    ```mlir
    %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128) : tensor<128x128xf32> {
      %a = tir.read %A[%i, %k] : tensor<128x128xf32>
      %b = tir.read %B[%k, %j] : tensor<128x128xf32>
      %p = arith.mulf %a, %b : f32
      tir.yield %p : f32
    }
    ```

    becomes `linalg.fill` of 0.0 and a `linalg.generic` with maps
    `(i, j, k) -> (i, k)`, `(i, j, k) -> (k, j)`, `(i, j, k) -> (i, j)` and
    iterators `[parallel, parallel, reduction]` whose body adds the product
    to the accumulator.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
}

def ConvertRelaxToFuncPass : Pass<"convert-relax-to-func", "mlir::ModuleOp"> {
  let summary = "Lowers the relax graph and tir.funcs to func.func and calls";
  let description = [{
    Inlines `relax.dataflow` regions, turns `relax.call_tir` into
    `func.call`, `relax.const` into `arith.constant` (a `tensor.empty` when
    it has no elements), and every `tir.func`
    into a private `func.func` that returns its results, and
    `relax.reshape` into `tensor.collapse_shape`/`tensor.expand_shape`
    (views once bufferized). A tir.func's output
    arguments (`{tir.output}`) are dropped: they are never used in the body,
    and after this pass results are plain return values, so a caller needs
    no destination (and no result shape) before the call. High-level relax
    ops must have been legalized (`--relax-legalize`) first; the pass fails
    on any that remain.

    A `tir.assert` becomes `scf.if` on its negated condition around a call
    of the run-time function `mlc_check_failed(message, count, v0, v1, v2,
    v3)` (an `llvm.call`; the message an internal global string), which
    raises the error and does not return to the generated code.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
}

def ConvertForallToOpenMPPass
    : Pass<"convert-forall-to-openmp", "mlir::ModuleOp"> {
  let summary = "Lowers one-chunk-per-thread scf.forall loops to OpenMP "
                "parallel regions";
  let description = [{
    Each one-dimensional `scf.forall` on buffers (what `--mlc-distribute-to-threads`
    makes of a thread split) becomes an `omp.parallel` in which every thread
    runs the forall's iterations `thread, thread + nthreads, ...` as an
    `scf.for`, with its number from libomp (`__kmpc_bound_thread_num`,
    `__kmpc_bound_num_threads`, declared in the module: `omp_get_thread_num`
    may resolve to libgomp in a process that loaded both).
    Unlike the upstream `scf.forall -> scf.parallel -> omp.wsloop` route, no
    worksharing loop is scheduled: with one iteration per thread the static
    schedule only adds a runtime call per thread and region. The pass fails
    on a forall it cannot lower (several dimensions, shared outputs, a
    device mapping).
  }];
  let options = [
    Option<"threads", "num-threads", "unsigned", /*default=*/"0",
           "Threads of each parallel region (0: the OpenMP runtime's "
           "default)">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::omp::OpenMPDialect",
                           "mlir::scf::SCFDialect"];
}

#endif // MLC_CONVERSION_PASSES_TD
