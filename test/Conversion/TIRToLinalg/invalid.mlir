// What --convert-tir-to-linalg rejects.
// RUN: mlc-opt %s --split-input-file --convert-tir-to-linalg --verify-diagnostics

// A body runs once per element in any order: side effects cannot be lowered.
tir.func @side_effect(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op could not be lowered to linalg: its body has ops with side effects}}
  %B = tir.compute "b" (%i) : tensor<4xf32> {
    %m = memref.alloc() : memref<4xf32>
    %a = tir.read %A[%i] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf32>
}
