// What --relax-legalize rejects: ops the verifier accepts but topi has no
// definition for.
// RUN: mlc-opt %s --split-input-file --relax-legalize --verify-diagnostics

func.func @index_elements(%a: tensor<4xindex>) -> tensor<4xindex> {
  // expected-error @+1 {{'relax.add' op cannot be legalized: te.placeholder 'x0' needs an integer or float dtype}}
  %0 = relax.add %a, %a : tensor<4xindex>, tensor<4xindex> -> tensor<4xindex>
  return %0 : tensor<4xindex>
}

// -----

func.func @conv2d_dynamic_height(%x: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  // expected-error @+1 {{'relax.conv2d' op cannot be legalized: topi conv2d: needs a static height}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}
