// RUN: mlc-opt %s --mlc-signless-integers | FileCheck %s

// Signatures, tensor types and block arguments lose their signedness; the
// ops (divui) and the signless values in bodies are unchanged.
// CHECK-LABEL: tir.func @div(
// CHECK-SAME:      %{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK:         tir.compute "q" (%{{.*}}) : tensor<4xi8>
// CHECK:           tir.read %{{.*}} : tensor<4xi8>
// CHECK:           arith.divui %{{.*}}, %{{.*}} : i8
// CHECK-NOT:     ui8
tir.func @div(%A: tensor<4xui8>, %B: tensor<4xui8>) -> tensor<4xui8> {
  %Q = tir.compute "q" (%i) : tensor<4xui8> {
    %a = tir.read %A[%i] : tensor<4xui8>
    %b = tir.read %B[%i] : tensor<4xui8>
    %q = arith.divui %a, %b : i8
    tir.yield %q : i8
  }
  tir.return %Q : tensor<4xui8>
}

// Constants' types too; signless and other types stay.
// CHECK-LABEL: func.func @constant(
// CHECK-SAME:      %{{.*}}: tensor<2xf32>) -> (tensor<2xi8>, tensor<2xi32>)
// CHECK:         arith.constant dense<[1, -1]> : tensor<2xi8>
// CHECK:         arith.constant dense<[1, 2]> : tensor<2xi32>
func.func @constant(%x: tensor<2xf32>) -> (tensor<2xui8>, tensor<2xi32>) {
  %c = arith.constant dense<[1, 255]> : tensor<2xui8>
  %d = arith.constant dense<[1, 2]> : tensor<2xi32>
  return %c, %d : tensor<2xui8>, tensor<2xi32>
}

// Weights kept as resources keep their blob.
// CHECK-LABEL: func.func @resource(
// CHECK:         arith.constant dense_resource<weights> : tensor<2xi8>
func.func @resource() -> tensor<2xui8> {
  %c = arith.constant dense_resource<weights> : tensor<2xui8>
  return %c : tensor<2xui8>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x0100000001FF"
    }
  }
#-}
