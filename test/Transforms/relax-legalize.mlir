// RUN: mlc-opt %s --split-input-file --relax-legalize | FileCheck %s

// The chapter's high-level MLP layer: dense, add, relu become call_tir of
// topi functions; ops of one kind on one signature share a function.
// CHECK-LABEL: tir.func @relu(
// CHECK-SAME:    %{{.*}}: tensor<1x128xf32>, %{{.*}}: tensor<1x128xf32> {tir.output}) -> tensor<1x128xf32>
// CHECK:         tir.compute "T_relu"
// CHECK-LABEL: tir.func @add(
// CHECK-SAME:    %{{.*}}: tensor<1x128xf32>, %{{.*}}: tensor<128xf32>, %{{.*}}: tensor<1x128xf32> {tir.output})
// CHECK:         tir.compute "T_add"
// CHECK-LABEL: tir.func @dense(
// CHECK:         tir.compute "T_dense" (%i, %j) reduce sum (%k : 784)
// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %[[X:.*]]: tensor<1x784xf32>, %[[W:.*]]: tensor<128x784xf32>, %[[B:.*]]: tensor<128xf32>)
// CHECK:         %[[D:.*]] = relax.call_tir @dense(%[[X]], %[[W]])
// CHECK:         %[[A:.*]] = relax.call_tir @add(%[[D]], %[[B]])
// CHECK:         %[[R:.*]] = relax.call_tir @relu(%[[A]])
// CHECK:         %[[R2:.*]] = relax.call_tir @relu(%[[R]])
// CHECK-NOT:     relax.dense
// CHECK-NOT:     relax.add
// CHECK-NOT:     relax.relu
func.func @main(%x: tensor<1x784xf32>, %w: tensor<128x784xf32>,
                %b: tensor<128xf32>) -> tensor<1x128xf32> {
  %r = relax.dataflow -> tensor<1x128xf32> {
    %0 = relax.dense %x, %w : tensor<1x784xf32>, tensor<128x784xf32> -> tensor<1x128xf32>
    %1 = relax.add %0, %b : tensor<1x128xf32>, tensor<128xf32> -> tensor<1x128xf32>
    %2 = relax.relu %1 : tensor<1x128xf32> -> tensor<1x128xf32>
    %3 = relax.relu %2 : tensor<1x128xf32> -> tensor<1x128xf32>
    relax.output %3 : tensor<1x128xf32>
  }
  return %r : tensor<1x128xf32>
}

// -----

// Other types get their own function; dynamic sizes become tensor.dim.
// CHECK-LABEL: tir.func @multiply_0(
// CHECK-SAME:    %{{.*}}: tensor<?x4xf32>
// CHECK:         tensor.dim
// CHECK-LABEL: tir.func @multiply(
// CHECK-SAME:    %{{.*}}: tensor<4xf32>
// CHECK-LABEL: func.func @types(
// CHECK:         relax.call_tir @multiply(
// CHECK:         relax.call_tir @multiply_0(
// CHECK:         relax.call_tir @matmul(
// CHECK:         relax.call_tir @subtract(
// CHECK:         relax.call_tir @divide(
func.func @types(%a: tensor<4xf32>, %d: tensor<?x4xf32>, %m: tensor<4x4xf32>) {
  %0 = relax.multiply %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = relax.multiply %d, %a : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %2 = relax.matmul %d, %m : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %3 = relax.subtract %m, %a : tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
  %4 = relax.divide %m, %m : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  return
}
