// The whole pipeline: relax + tir to the LLVM dialect, with C interfaces.
// RUN: mlc-opt %S/../../examples/chapter_module.mlir --mlc-lower-to-llvm=vector-bits=512 | FileCheck %s
// RUN: mlc-opt %S/../../examples/chapter_module.mlir --mlc-lower-to-llvm="vectorize=false vector-bits=512" | FileCheck %s --check-prefix=SCALAR
// RUN: mlc-opt %s --mlc-lower-to-llvm=vector-bits=512 | FileCheck %s --check-prefix=HIGH
// RUN: mlc-opt %S/../../examples/chapter_module.mlir --mlc-lower-to-llvm="threads=2 vector-bits=512" | FileCheck %s --check-prefix=THREADS
// RUN: mlc-opt %S/../../examples/chapter_module.mlir --mlc-lower-to-llvm="threads=2 vector-bits=512" | FileCheck %s --check-prefix=NO-WSLOOP

// Vectorized: the matmul accumulates a 4x64 block with vector FMAs, the
// relu takes the maximum of 64 lanes at a time. Buffers come from mlc's
// runtime allocator (which checks what malloc returns), never malloc itself.
// CHECK-LABEL: llvm.func @te_matmul_relu(
// CHECK-NOT:     llvm.call @malloc
// CHECK:         llvm.call @_mlir_memref_to_llvm_alloc
// CHECK:         llvm.intr.fmuladd({{.*}}) : (vector<64xf32>, vector<64xf32>, vector<64xf32>)
// CHECK:         llvm.intr.maximum({{.*}}) : (vector<64xf32>, vector<64xf32>)
// CHECK-LABEL: llvm.func @main(
// CHECK:         llvm.call @te_matmul_relu(
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK-NOT:     tir.
// CHECK-NOT:     relax.
// CHECK-NOT:     linalg.
// CHECK-NOT:     memref.
// CHECK-NOT:     unrealized_conversion_cast

// On two threads (128 x 128 x 128 iterations: enough work to split): the
// column blocks go to two threads of an OpenMP region, each finding its chunk
// from libomp's thread number; the epilogue (relu) is applied in registers,
// so the region stores each block once.
// THREADS:       llvm.func @__kmpc_bound_thread_num(!llvm.ptr) -> i32
// THREADS-LABEL: llvm.func @te_matmul_relu(
// THREADS:         omp.parallel num_threads(%{{.*}} : i32) {
// THREADS:           llvm.call @__kmpc_bound_thread_num(
// THREADS:           llvm.call @__kmpc_bound_num_threads(
// THREADS:           llvm.intr.fmuladd
// THREADS:           llvm.intr.maximum
// THREADS:           omp.terminator
// NO-WSLOOP-NOT: omp.wsloop
// NO-WSLOOP-NOT: __kmpc_for_static_init

// Without vectorization: scalar loops.
// SCALAR-LABEL: llvm.func @te_matmul_relu(
// SCALAR:         llvm.fmul %{{.*}}, %{{.*}} : f32
// SCALAR:         llvm.fadd %{{.*}}, %{{.*}} : f32
// SCALAR:         llvm.intr.maximum(%{{.*}}, %{{.*}}) : (f32, f32)
// SCALAR-NOT:     vector<

// High-level ops are legalized on the way.
// HIGH-LABEL: llvm.func @dense(
// HIGH-LABEL: llvm.func @main(
// HIGH:         llvm.call @dense(
// HIGH-NOT:     relax.
func.func @main(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) -> tensor<2x4xf32> {
  %y = relax.dense %x, %w : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
