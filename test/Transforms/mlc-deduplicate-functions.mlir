// RUN: mlc-opt %s --mlc-deduplicate-functions | FileCheck %s

// @add_2 is @add_1 under another name: its call goes to @add_1, which
// names it in mlc.aliases. @mul differs in one op, @add_public is public
// and @add_3 reads another constant blob: all three stay.
// CHECK-LABEL: func.func private @add_1
// CHECK-SAME:    attributes {mlc.aliases = ["add_2"]}
// CHECK-NOT:   func.func private @add_2
// CHECK-LABEL: func.func private @mul
// CHECK-LABEL: func.func @add_public
// CHECK-LABEL: func.func private @add_3
// CHECK-LABEL: func.func @main
// CHECK:         call @add_1
// CHECK:         call @add_1
// CHECK:         call @mul
// CHECK:         call @add_3
func.func private @add_1(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense_resource<blob_a> : tensor<4xf32>
  %r = arith.addf %a, %c : tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func private @add_2(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense_resource<blob_a> : tensor<4xf32>
  %r = arith.addf %a, %c : tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func private @mul(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense_resource<blob_a> : tensor<4xf32>
  %r = arith.mulf %a, %c : tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @add_public(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense_resource<blob_a> : tensor<4xf32>
  %r = arith.addf %a, %c : tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func private @add_3(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense_resource<blob_b> : tensor<4xf32>
  %r = arith.addf %a, %c : tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @add_1(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = call @add_2(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = call @mul(%1) : (tensor<4xf32>) -> tensor<4xf32>
  %3 = call @add_3(%2) : (tensor<4xf32>) -> tensor<4xf32>
  return %3 : tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob_a: "0x040000000000803F0000803F0000803F0000803F",
      blob_b: "0x040000000000803F0000803F0000803F0000803F"
    }
  }
#-}
