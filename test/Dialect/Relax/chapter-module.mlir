// The chapter's MyModule: a tir.func holding the fused matmul + relu (two
// compute ops, the matmul result a temporary, the result written into the
// caller's destination %out) and a relax graph function whose dataflow block
// calls it through call_tir, passing the inputs only. It must parse, verify and
// print, and print the same through the generic form.
// RUN: mlc-opt %s | FileCheck %s
// RUN: mlc-opt %s --mlir-print-op-generic | mlc-opt | FileCheck %s

// CHECK-LABEL: tir.func @te_matmul_relu(
// CHECK-SAME:    %[[A:.*]]: tensor<128x128xf32>, %[[B:.*]]: tensor<128x128xf32>, %{{.*}}: tensor<128x128xf32> {tir.output}) -> tensor<128x128xf32> {
// CHECK:         %[[MM:.*]] = tir.compute "matmul" (%[[I:.*]], %[[J:.*]]) reduce sum (%[[K:.*]] : 128) : tensor<128x128xf32> {
// CHECK:           tir.read %[[A]][%[[I]], %[[K]]]
// CHECK:           tir.read %[[B]][%[[K]], %[[J]]]
// CHECK:           arith.mulf
// CHECK:           tir.yield
// CHECK:         %[[RELU:.*]] = tir.compute "relu" (%[[I2:.*]], %[[J2:.*]]) : tensor<128x128xf32> {
// CHECK:           tir.read %[[MM]][%[[I2]], %[[J2]]]
// CHECK:           arith.maximumf
// The temporary is not returned: only the relu result leaves the function.
// CHECK:         tir.return %[[RELU]] : tensor<128x128xf32>
// CHECK-NEXT:  }
tir.func @te_matmul_relu(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>,
                         %out: tensor<128x128xf32> {tir.output})
    -> tensor<128x128xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128)
      : tensor<128x128xf32> {
    %a = tir.read %A[%i, %k] : tensor<128x128xf32>
    %b = tir.read %B[%k, %j] : tensor<128x128xf32>
    %p = arith.mulf %a, %b : f32
    tir.yield %p : f32
  }
  %D = tir.compute "relu" (%i, %j) : tensor<128x128xf32> {
    %c = tir.read %C[%i, %j] : tensor<128x128xf32>
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %c, %zero : f32
    tir.yield %r : f32
  }
  tir.return %D : tensor<128x128xf32>
}

// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %[[A:.*]]: tensor<128x128xf32>, %[[B:.*]]: tensor<128x128xf32>) -> tensor<128x128xf32> {
// CHECK:         %[[R:.*]] = relax.dataflow -> tensor<128x128xf32> {
// CHECK:           %[[LV:.*]] = relax.call_tir @te_matmul_relu(%[[A]], %[[B]]) : (tensor<128x128xf32>, tensor<128x128xf32>) -> tensor<128x128xf32>
// CHECK:           relax.output %[[LV]] : tensor<128x128xf32>
// CHECK:         return %[[R]] : tensor<128x128xf32>
func.func @main(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>)
    -> tensor<128x128xf32> {
  %R = relax.dataflow -> tensor<128x128xf32> {
    %lv = relax.call_tir @te_matmul_relu(%A, %B)
        : (tensor<128x128xf32>, tensor<128x128xf32>) -> tensor<128x128xf32>
    relax.output %lv : tensor<128x128xf32>
  }
  return %R : tensor<128x128xf32>
}
