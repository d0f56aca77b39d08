// RUN: mlc-opt %s --split-input-file --relax-fold-batch-norm | FileCheck %s

// conv2d + bias + batch_norm: one conv2d with scaled weights and an add of
// the folded bias. Channel 0: scale 2 / sqrt(3 + 1) = 1, bias (1 - 1) * 1
// + 0.5 = 0.5 (0x3F000000); channel 1: scale 3 / sqrt(8 + 1) = 1, bias
// (2 - 0) * 1 - 1 = 1 (0x3F800000); the weights 1 and 2 stay. Scales of 1
// keep the bytes readable; other scales are checked against torch in
// test_fx_importer.py.
// CHECK-LABEL: func.func @conv_bias_bn
// CHECK-DAG:     %[[W:.*]] = relax.const dense_resource<folded_weight> : tensor<2x1x1x1xf32>
// CHECK-DAG:     %[[B:.*]] = relax.const dense_resource<folded_bias> : tensor<1x2x1x1xf32>
// CHECK:         %[[C:.*]] = relax.conv2d %arg0, %[[W]] strides [1, 1] padding [0, 0] dilation [1, 1] groups 1
// CHECK:         %[[R:.*]] = relax.add %[[C]], %[[B]]
// CHECK-NOT:     relax.batch_norm
// CHECK:         return %[[R]]
// CHECK:         folded_weight: "0x400000000000803F00000040"
// CHECK:         folded_bias: "0x400000000000003F0000803F"
func.func @conv_bias_bn(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = relax.const dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = relax.const dense<[1.0, 2.0]> : tensor<2xf32>
  %mean = relax.const dense<[1.0, 0.0]> : tensor<2xf32>
  %var = relax.const dense<[3.0, 8.0]> : tensor<2xf32>
  %g = relax.const dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = relax.const dense<[0.5, -1.0]> : tensor<2xf32>
  %c = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x4x4xf32>
  %br = relax.reshape %b : tensor<2xf32> -> tensor<1x2x1x1xf32>
  %cb = relax.add %c, %br : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x4x4xf32>
  %y = relax.batch_norm %cb, %mean, %var, %g, %beta epsilon 1.0 : tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The convolution's result has another use: nothing folds.
// CHECK-LABEL: func.func @conv_used_twice
// CHECK:         relax.conv2d
// CHECK:         relax.batch_norm
func.func @conv_used_twice(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = relax.const dense<1.0> : tensor<2x1x1x1xf32>
  %s = relax.const dense<1.0> : tensor<2xf32>
  %c = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x4x4xf32>
  %y = relax.batch_norm %c, %s, %s, %s, %s epsilon 1.0e-05 : tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32> -> tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A weight that is not a constant (a parameter): nothing folds.
// CHECK-LABEL: func.func @weight_parameter
// CHECK:         relax.batch_norm
func.func @weight_parameter(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %s = relax.const dense<1.0> : tensor<2xf32>
  %c = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x4x4xf32>
  %y = relax.batch_norm %c, %s, %s, %s, %s epsilon 1.0e-05 : tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
