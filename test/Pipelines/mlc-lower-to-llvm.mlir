// The whole pipeline: relax + tir to the LLVM dialect, with C interfaces.
// RUN: mlc-opt %S/../../examples/chapter_module.mlir --mlc-lower-to-llvm | FileCheck %s
// RUN: mlc-opt %s --mlc-lower-to-llvm | FileCheck %s --check-prefix=HIGH

// CHECK-LABEL: llvm.func @te_matmul_relu(
// CHECK:         llvm.call @malloc
// CHECK:         llvm.fmul
// CHECK:         llvm.fadd
// CHECK:         llvm.intr.maximum
// CHECK-LABEL: llvm.func @main(
// CHECK:         llvm.call @te_matmul_relu(
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK-NOT:     tir.
// CHECK-NOT:     relax.
// CHECK-NOT:     linalg.
// CHECK-NOT:     memref.
// CHECK-NOT:     unrealized_conversion_cast

// High-level ops are legalized on the way.
// HIGH-LABEL: llvm.func @dense(
// HIGH-LABEL: llvm.func @main(
// HIGH:         llvm.call @dense(
// HIGH-NOT:     relax.
func.func @main(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) -> tensor<2x4xf32> {
  %y = relax.dense %x, %w : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
