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

// -----

// softmax and log_softmax: the maximum along the axis, the sum of exp(x - m),
// then the quotient (or difference of logs); float16 sums in float32. The
// axis attribute tells functions of one signature apart.
// CHECK-LABEL: tir.func @softmax_1(
// CHECK-SAME:    %{{.*}}: tensor<?x3xf16>
// CHECK:         tir.compute "T_softmax_max" (%i, %j) sizes(%{{.*}}) reduce max (%k : 3) : tensor<?x1xf32>
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:         tir.compute "T_softmax_sum" (%i, %j) sizes(%{{.*}}) reduce sum (%k : 3) : tensor<?x1xf32>
// CHECK:           math.exp
// CHECK:         tir.compute "T_softmax" (%i, %j) sizes(%{{.*}}) : tensor<?x3xf16>
// CHECK:           arith.divf
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK-LABEL: tir.func @log_softmax(
// CHECK:         tir.compute "T_log_softmax_max" (%i, %j) reduce max (%k : 2) : tensor<1x10xf32>
// CHECK:           tir.read %{{.*}}[%k, %j] : tensor<2x10xf32>
// CHECK:         tir.compute "T_log_softmax" (%i, %j) : tensor<2x10xf32>
// CHECK:           math.log
// CHECK:           arith.subf
// CHECK-LABEL: tir.func @softmax_0(
// CHECK:         reduce max (%k : 10) : tensor<2x1xf32>
// CHECK-LABEL: func.func @softmax(
// CHECK:         relax.call_tir @softmax_0(
// CHECK:         relax.call_tir @log_softmax(
// CHECK:         relax.call_tir @softmax_1(
// CHECK:         relax.call_tir @softmax_0(
func.func @softmax(%x: tensor<2x10xf32>, %h: tensor<?x3xf16>) -> (tensor<2x10xf32>, tensor<2x10xf32>, tensor<?x3xf16>, tensor<2x10xf32>) {
  %0 = relax.softmax %x axis(-1) : tensor<2x10xf32> -> tensor<2x10xf32>
  %1 = relax.log_softmax %x axis(0) : tensor<2x10xf32> -> tensor<2x10xf32>
  %2 = relax.softmax %h axis(1) : tensor<?x3xf16> -> tensor<?x3xf16>
  %3 = relax.softmax %x axis(-1) : tensor<2x10xf32> -> tensor<2x10xf32>
  return %0, %1, %2, %3 : tensor<2x10xf32>, tensor<2x10xf32>, tensor<?x3xf16>, tensor<2x10xf32>
}

// -----

// conv2d: a zero-padding stage (guarded reads), then the product summed
// over input channels of the group and the kernel window.
// (The function is conv2d_0: the graph function holds the name conv2d.)
// CHECK-LABEL: tir.func @conv2d_0(
// CHECK-SAME:    %{{.*}}: tensor<?x4x9x7xf32>, %{{.*}}: tensor<6x2x3x2xf32>, %{{.*}}: tensor<?x6x5x5xf32> {tir.output})
// CHECK:         %[[PAD:.*]] = tir.compute "pad" (%i, %j, %l, %m) sizes(%{{.*}}) : tensor<?x4x11x7xf32>
// CHECK:           scf.if
// CHECK:         tir.compute "conv2d" (%i, %j, %l, %m) sizes(%{{.*}}) reduce sum (%k : 2, %k1 : 3, %k2 : 2) : tensor<?x6x5x5xf32>
// CHECK:           arith.floordivsi %j, %c3
// CHECK:           tir.read %[[PAD]]
// CHECK:           arith.mulf
// CHECK-LABEL: func.func @conv2d(
// CHECK:         relax.call_tir @conv2d_0(
func.func @conv2d(%x: tensor<?x4x9x7xf32>, %w: tensor<6x2x3x2xf32>) -> tensor<?x6x5x5xf32> {
  %0 = relax.conv2d %x, %w strides [2, 1] padding [1, 0] dilation [1, 2] groups 2 : tensor<?x4x9x7xf32>, tensor<6x2x3x2xf32> -> tensor<?x6x5x5xf32>
  return %0 : tensor<?x6x5x5xf32>
}

// -----

// A strided 1x1 conv2d without padding: the sampled pixels first (a dense
// stage), then a 1x1 convolution with stride 1 over them, no padding stage,
// whose only loop of reduction is the channels' (the kernel read at 0, 0:
// plain indices, which --mlc-collapse-short-rows can merge).
// CHECK-LABEL: tir.func @conv2d_0(
// CHECK-SAME:    %{{.*}}: tensor<2x8x17x15xf32>, %{{.*}}: tensor<16x8x1x1xf32>, %{{.*}}: tensor<2x16x6x8xf32> {tir.output})
// CHECK-NOT:     "pad"
// CHECK:         %[[SAMPLE:.*]] = tir.compute "sample" (%i, %j, %l, %m) : tensor<2x8x6x8xf32>
// CHECK:           arith.muli %l, %c3
// CHECK:           arith.muli %m, %c2
// CHECK:           tir.read %x0[%i, %j, %{{.*}}, %{{.*}}] : tensor<2x8x17x15xf32>
// CHECK:         tir.compute "conv2d" (%i, %j, %l, %m) reduce sum (%k : 8) : tensor<2x16x6x8xf32>
// CHECK:           tir.read %[[SAMPLE]][%i, %k, %l, %m] : tensor<2x8x6x8xf32>
// CHECK:           tir.read %x1[%j, %k, %c0, %c0{{.*}}] : tensor<16x8x1x1xf32>
func.func @conv2d(%x: tensor<2x8x17x15xf32>, %w: tensor<16x8x1x1xf32>) -> tensor<2x16x6x8xf32> {
  %0 = relax.conv2d %x, %w strides [3, 2] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x8x17x15xf32>, tensor<16x8x1x1xf32> -> tensor<2x16x6x8xf32>
  return %0 : tensor<2x16x6x8xf32>
}

// -----

// A conv2d whose output rows are at most 8 pixels (here 7): the padded
// image flattened row after row (a guarded read by division), the product
// over the flat index in rows of 7 * 9 = 63 rounded up to 64, each window
// a run of it (p + ky * 9 + kx; the flat image is 64 + 2 * 9 + 2 = 84
// long), then the unused columns dropped.
// CHECK-LABEL: tir.func @conv2d_0(
// CHECK:         %[[FLAT:.*]] = tir.compute "flat_pad" (%i, %j, %l) : tensor<1x4x84xf32>
// CHECK:           arith.floordivsi
// CHECK:           scf.if
// CHECK:         %[[ROWS:.*]] = tir.compute "conv2d_rows" (%i, %j, %l) reduce sum (%k : 4, %k1 : 3, %k2 : 3) : tensor<1x8x64xf32>
// CHECK:           tir.read %x1[%j, %k, %k1, %k2]
// CHECK:           tir.read %[[FLAT]][%i, %k, %{{.*}}]
// CHECK:         tir.compute "conv2d" (%i, %j, %l, %m) : tensor<1x8x7x7xf32>
// CHECK:           tir.read %[[ROWS]][%i, %j, %{{.*}}]
func.func @conv2d(%x: tensor<1x4x7x7xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x7x7xf32> {
  %0 = relax.conv2d %x, %w strides [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<1x4x7x7xf32>, tensor<8x4x3x3xf32> -> tensor<1x8x7x7xf32>
  return %0 : tensor<1x8x7x7xf32>
}

// -----

// max_pool2d: the maximum over the window; with padding, the window reads
// a padding stage of -inf (never the maximum) that covers every window:
// ceil mode's last one ends 2 past the input and its padding (11 > 8 + 1).
// CHECK-LABEL: tir.func @max_pool2d_0(
// CHECK:         tir.compute "pad" (%i, %j, %l, %m) : tensor<1x2x11x11xf32>
// CHECK:           scf.if
// CHECK:           arith.constant 0xFF800000 : f32
// CHECK:         tir.compute "max_pool2d" (%i, %j, %l, %m) reduce max (%k : 3, %k1 : 3) : tensor<1x2x5x5xf32>
// CHECK-NOT:       scf.if
// CHECK:           tir.read %pad
// CHECK-LABEL: tir.func @max_pool2d(
// CHECK:         tir.compute "max_pool2d" (%i, %j, %l, %m) sizes(%{{.*}}) reduce max (%k : 2, %k1 : 2) : tensor<?x32x13x13xf32>
// CHECK-NOT:       scf.if
// CHECK:         tir.return
// CHECK-LABEL: func.func @pools(
func.func @pools(%x: tensor<?x32x26x26xf32>, %p: tensor<1x2x8x8xf32>) -> (tensor<?x32x13x13xf32>, tensor<1x2x5x5xf32>) {
  %0 = relax.max_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<?x32x26x26xf32> -> tensor<?x32x13x13xf32>
  %1 = relax.max_pool2d %p kernel [3, 3] strides [2, 2] padding [1, 1] dilation [1, 1] ceil_mode true : tensor<1x2x8x8xf32> -> tensor<1x2x5x5xf32>
  return %0, %1 : tensor<?x32x13x13xf32>, tensor<1x2x5x5xf32>
}

// -----

// batch_norm: one element-wise stage reading the channel's statistics;
// float16 is widened to float32 and narrowed back.
// CHECK-LABEL: tir.func @batch_norm(
// CHECK:         tir.compute "batch_norm" (%i, %j, %l, %m) : tensor<2x3x4x4xf16>
// CHECK:           tir.read %{{.*}}[%j] : tensor<3xf16>
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.subf
// CHECK:           math.sqrt
// CHECK:           arith.divf
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK-LABEL: func.func @norm(
// CHECK:         relax.call_tir @batch_norm(
func.func @norm(%x: tensor<2x3x4x4xf16>, %c: tensor<3xf16>) -> tensor<2x3x4x4xf16> {
  %0 = relax.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-03 : tensor<2x3x4x4xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16> -> tensor<2x3x4x4xf16>
  return %0 : tensor<2x3x4x4xf16>
}

// -----

// Float functions by category compute in float32 for float16; reductions
// reduce over their axes (kept with size 1 under keepdims), the mean then
// divides by the count.
// CHECK-LABEL: tir.func @mean(
// CHECK:         tir.compute "T_mean" (%i, %j) reduce sum (%k : 4) : tensor<2x1xf32>
// CHECK:         tir.compute "T_mean_mean" (%i, %j) : tensor<2x1xf32>
// CHECK:           arith.divf
// CHECK-LABEL: tir.func @max(
// CHECK:         tir.compute "T_max" () reduce max (%k : 2, %k1 : 4) : tensor<f32>
// CHECK-LABEL: tir.func @exp(
// CHECK:         tir.compute "T_exp" (%i) : tensor<3xf16>
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           math.exp
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK-LABEL: func.func @categories(
// CHECK:         relax.call_tir @exp(
// CHECK:         relax.call_tir @max(
// CHECK:         relax.call_tir @mean(
func.func @categories(%x: tensor<2x4xf32>, %h: tensor<3xf16>) -> (tensor<3xf16>, tensor<f32>, tensor<2x1xf32>) {
  %0 = relax.exp %h : tensor<3xf16> -> tensor<3xf16>
  %1 = relax.max %x axes [] keepdims false : tensor<2x4xf32> -> tensor<f32>
  %2 = relax.mean %x axes [-1] keepdims true : tensor<2x4xf32> -> tensor<2x1xf32>
  return %0, %1, %2 : tensor<3xf16>, tensor<f32>, tensor<2x1xf32>
}

// -----

// layer_norm: row sums of x and of (x - mean)^2 over the weight's
// dimensions, then x * rstd + (-rstd * mean) as one fma, times weight plus
// bias.
// CHECK-LABEL: tir.func @layer_norm(
// CHECK:         tir.compute "T_layer_norm_a" (%i, %j) reduce sum (%k : 8) : tensor<2x1xf32>
// CHECK:         tir.compute "T_layer_norm_mean"
// CHECK:         tir.compute "T_layer_norm_b" (%i, %j) reduce sum (%k : 8) : tensor<2x1xf32>
// CHECK:           arith.subf
// CHECK:           arith.mulf
// CHECK:         tir.compute "T_layer_norm_var"
// CHECK:         tir.compute "T_layer_norm" (%i, %j) : tensor<2x8xf32>
// CHECK:           math.sqrt
// CHECK:           math.fma
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @normalize(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %0 = relax.layer_norm %x, %w, %b epsilon 1.0e-05 : tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// avg_pool2d: the window sum over a zero padding stage, then the division
// by each window's count (its clamped span when padding does not count).
// CHECK-LABEL: tir.func @avg_pool2d(
// CHECK:         tir.compute "pad" (%i, %j, %l, %m) : tensor<1x2x9x9xf32>
// CHECK:           scf.if
// CHECK:         tir.compute "avg_pool2d_sum" (%i, %j, %l, %m) reduce sum (%k : 3, %k1 : 3) : tensor<1x2x4x4xf32>
// CHECK-NOT:       scf.if
// CHECK:         tir.compute "avg_pool2d" (%i, %j, %l, %m) : tensor<1x2x4x4xf32>
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
// CHECK:           arith.divf
func.func @pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %0 = relax.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1] ceil_mode true count_include_pad false : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}
