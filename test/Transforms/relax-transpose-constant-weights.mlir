// RUN: mlc-opt %s --split-input-file --relax-transpose-constant-weights | FileCheck %s

// The weight is transposed at compile time: [[1, 2, 3], [4, 5, 6]] becomes
// [[1, 4], [2, 5], [3, 6]] (the blob: an 8-byte alignment header, then
// the IEEE bytes of 1, 4, 2, 5, 3, 6), the dense a
// matmul, and the original constant is gone.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME:    %[[X:.*]]: tensor<?x3xf32>
// CHECK:         %[[WT:.*]] = relax.const dense_resource<weight_t> : tensor<3x2xf32>
// CHECK:         relax.matmul %[[X]], %[[WT]] : tensor<?x3xf32>, tensor<3x2xf32> -> tensor<?x2xf32>
// CHECK-NOT:     relax.dense
// CHECK-NOT:     tensor<2x3xf32>
// CHECK:         weight_t: "0x40000000{{0000803F00008040000000400000A040000040400000C040}}"
func.func @linear(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = relax.const dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %y = relax.dense %x, %w : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A weight that is an argument is left alone.
// CHECK-LABEL: func.func @argument_weight(
// CHECK:         relax.dense
func.func @argument_weight(%x: tensor<1x3xf32>, %w: tensor<2x3xf32>) -> tensor<1x2xf32> {
  %y = relax.dense %x, %w : tensor<1x3xf32>, tensor<2x3xf32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A weight without elements is left alone (nothing to transpose; UBSan
// reported the copy from its null data pointer, issue 12).
// CHECK-LABEL: func.func @empty_weight(
// CHECK:         relax.dense
// CHECK-NOT:     relax.matmul
func.func @empty_weight(%x: tensor<1x0xf32>) -> tensor<1x4xf32> {
  %w = relax.const dense<> : tensor<4x0xf32>
  %y = relax.dense %x, %w : tensor<1x0xf32>, tensor<4x0xf32> -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
