// Fuzzer crasher (issue 12): a constant without elements reached LLVM's
// translation as a zero-size global, whose element count it divides by.
// --convert-relax-to-func makes it an empty tensor; it compiles and runs.
// RUN: mlc-opt %s --relax-legalize --convert-tir-to-linalg --convert-relax-to-func | FileCheck %s
// RUN: mlc-run %s --random-inputs | FileCheck %s --check-prefix=OUT

// CHECK-LABEL: func.func @main(
// CHECK:         tensor.empty() : tensor<4x0xf32>
// CHECK-NOT:     arith.constant dense<>
// A product over an empty dimension: zeros, as numpy's (2, 0) @ (0, 4).
// OUT:      result #0: float32 (2, 4)
// OUT-NEXT: {{\[\[}}0, 0, 0, 0],
// OUT-NEXT:  [0, 0, 0, 0]]
func.func @main(%x: tensor<2x0xf32>) -> tensor<2x4xf32> {
  %w = relax.const dense<> : tensor<4x0xf32>
  %y = relax.dense %x, %w : tensor<2x0xf32>, tensor<4x0xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
