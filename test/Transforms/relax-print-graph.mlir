// RUN: mlc-opt %s --relax-legalize --relax-fuse --relax-print-graph -o /dev/null | FileCheck %s

// The graph of main after fusion: parameters and constants as nodes, the
// dataflow block as a cluster, the fused function's call in a cluster with
// its compute stages in order, tensor types on the edges.
// CHECK-LABEL: digraph "main" {
// CHECK:         arg0 [shape=ellipse, label="%arg0"];
// CHECK:         n0 [shape=note, label="const"];
// CHECK:         subgraph cluster_0 {
// CHECK-NEXT:      label="dataflow"; style=dashed;
// CHECK:           subgraph cluster_1 {
// CHECK-NEXT:        label="fused_dense_add_relu"; style=filled; color=lightgrey;
// CHECK-NEXT:        n{{[0-9]+}}_0 [shape=plaintext, label="T_dense"];
// CHECK:             n{{[0-9]+}}_1 [shape=plaintext, label="T_add"];
// CHECK:             [[CALL:n[0-9]+]] [label="call_tir @fused_dense_add_relu"];
// CHECK:         [[RET:n[0-9]+]] [shape=ellipse, label="return"];
// CHECK-DAG:     arg0 -> [[CALL]] [label="4x16xf32"];
// CHECK-DAG:     n0 -> [[CALL]] [label="8x16xf32"];
// CHECK-DAG:     [[CALL]] -> [[RET]] [label="4x8xf32"];
// CHECK:       }
module {
  func.func @main(%x: tensor<4x16xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
    %w = relax.const dense<1.0> : tensor<8x16xf32>
    %r = relax.dataflow -> tensor<4x8xf32> {
      %0 = relax.dense %x, %w : tensor<4x16xf32>, tensor<8x16xf32> -> tensor<4x8xf32>
      %1 = relax.add %0, %b : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
      %2 = relax.relu %1 : tensor<4x8xf32> -> tensor<4x8xf32>
      relax.output %2 : tensor<4x8xf32>
    }
    return %r : tensor<4x8xf32>
  }
}
