// What --convert-relax-to-func rejects.
// RUN: mlc-opt %s --split-input-file --convert-relax-to-func --verify-diagnostics

func.func @not_legalized(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'relax.relu' op must be legalized to call_tir before --convert-relax-to-func (run --relax-legalize)}}
  %y = relax.relu %x : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

tir.func @not_lowered(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op must be lowered before --convert-relax-to-func (run --convert-tir-to-linalg)}}
  %B = tir.compute "b" (%i) : tensor<4xf32> {
    %a = tir.read %A[%i] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf32>
}
