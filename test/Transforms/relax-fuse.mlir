// RUN: mlc-opt %s --split-input-file --relax-legalize --relax-fuse | FileCheck %s

// dense -> add -> relu becomes one function: the dense result and the sum
// are temporaries of it; the unfused functions are gone.
// CHECK-LABEL: tir.func @fused_dense_add_relu(
// CHECK-SAME:    %[[X:.*]]: tensor<1x784xf32>, %[[W:.*]]: tensor<128x784xf32>, %[[B:.*]]: tensor<128xf32>, %{{.*}}: tensor<1x128xf32> {tir.output}) -> tensor<1x128xf32>
// CHECK:         %[[D:.*]] = tir.compute "T_dense" {{.*}} reduce sum
// CHECK:           tir.read %[[X]]
// CHECK:         %[[A:.*]] = tir.compute "T_add"
// CHECK:           tir.read %[[D]]
// CHECK:           tir.read %[[B]]
// CHECK:         %[[R:.*]] = tir.compute "T_relu"
// CHECK:           tir.read %[[A]]
// CHECK:         tir.return %[[R]]
// CHECK-NOT:   tir.func @dense(
// CHECK-NOT:   tir.func @add(
// CHECK-LABEL: func.func @mlp(
// CHECK:         relax.call_tir @fused_dense_add_relu(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<1x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<1x128xf32>
// CHECK-NOT:     relax.call_tir
func.func @mlp(%x: tensor<1x784xf32>, %w: tensor<128x784xf32>,
               %b: tensor<128xf32>) -> tensor<1x128xf32> {
  %r = relax.dataflow -> tensor<1x128xf32> {
    %0 = relax.dense %x, %w : tensor<1x784xf32>, tensor<128x784xf32> -> tensor<1x128xf32>
    %1 = relax.add %0, %b : tensor<1x128xf32>, tensor<128xf32> -> tensor<1x128xf32>
    %2 = relax.relu %1 : tensor<1x128xf32> -> tensor<1x128xf32>
    relax.output %2 : tensor<1x128xf32>
  }
  return %r : tensor<1x128xf32>
}

// -----

// Not fused: a value with two uses, and a reduction consumer (matmul after
// relu). relu -> add fuses (both injective).
// CHECK-LABEL: tir.func @fused_relu_add(
// CHECK-LABEL: func.func @kept(
// CHECK:         %[[R:.*]] = relax.call_tir @relu(
// CHECK:         relax.call_tir @matmul(%[[R]], %[[R]])
// CHECK:         relax.call_tir @fused_relu_add(
func.func @kept(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = relax.relu %x : tensor<4x4xf32> -> tensor<4x4xf32>
  %1 = relax.matmul %0, %0 : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %2 = relax.relu %1 : tensor<4x4xf32> -> tensor<4x4xf32>
  %3 = relax.add %2, %x : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  return %1, %3 : tensor<4x4xf32>, tensor<4x4xf32>
}
