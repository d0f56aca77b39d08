// Round trip of every relax op, through the pretty and the generic form.
// RUN: mlc-opt %s | mlc-opt | FileCheck %s
// RUN: mlc-opt %s --mlir-print-op-generic | mlc-opt | FileCheck %s

tir.func @copy(%A: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %A, %c0 : tensor<?x4xf32>
  %B = tir.compute "copy" (%i, %j) sizes(%n) : tensor<?x4xf32> {
    %a = tir.read %A[%i, %j] : tensor<?x4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<?x4xf32>
}

// A static call of a tir.func with a dynamic signature; two dataflow outputs.
// CHECK-LABEL: func.func @dataflow(
// CHECK-SAME:    %[[X:.*]]: tensor<2x4xf32>)
// CHECK:         %[[R:.*]]:2 = relax.dataflow -> tensor<2x4xf32>, tensor<2x4xf32> {
// CHECK:           %[[C:.*]] = relax.call_tir @copy(%[[X]]) : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK:           %[[D:.*]] = relax.relu %[[C]] : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK:           relax.output %[[C]], %[[D]] : tensor<2x4xf32>, tensor<2x4xf32>
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @dataflow(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %r:2 = relax.dataflow -> tensor<2x4xf32>, tensor<2x4xf32> {
    %c = relax.call_tir @copy(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
    %d = relax.relu %c : tensor<2x4xf32> -> tensor<2x4xf32>
    relax.output %c, %d : tensor<2x4xf32>, tensor<2x4xf32>
  }
  return %r#0, %r#1 : tensor<2x4xf32>, tensor<2x4xf32>
}

// Constants: an inline dense value and a dense_resource blob.
// CHECK-LABEL: func.func @constants(
// CHECK:         relax.const dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK:         relax.const dense_resource<w> : tensor<2xf32>
func.func @constants() -> (tensor<2xf32>, tensor<2xf32>) {
  %a = relax.const dense<[1.0, 2.0]> : tensor<2xf32>
  %b = relax.const dense_resource<w> : tensor<2xf32>
  return %a, %b : tensor<2xf32>, tensor<2xf32>
}

// CHECK-LABEL: func.func @elementwise(
// CHECK:         relax.add %{{.*}}, %{{.*}} : tensor<1x128xf32>, tensor<128xf32> -> tensor<1x128xf32>
// CHECK:         relax.subtract %{{.*}}, %{{.*}} : tensor<3x1xf32>, tensor<1x5xf32> -> tensor<3x5xf32>
// CHECK:         relax.multiply %{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK:         relax.divide %{{.*}}, %{{.*}} : tensor<f32>, tensor<2x2xf32> -> tensor<2x2xf32>
// CHECK:         relax.relu %{{.*}} : tensor<7xi32> -> tensor<7xi32>
func.func @elementwise(%a: tensor<1x128xf32>, %b: tensor<128xf32>,
                       %c: tensor<3x1xf32>, %d: tensor<1x5xf32>,
                       %e: tensor<?x4xf32>, %f: tensor<4xf32>,
                       %g: tensor<f32>, %h: tensor<2x2xf32>,
                       %i: tensor<7xi32>) {
  %0 = relax.add %a, %b : tensor<1x128xf32>, tensor<128xf32> -> tensor<1x128xf32>
  %1 = relax.subtract %c, %d : tensor<3x1xf32>, tensor<1x5xf32> -> tensor<3x5xf32>
  %2 = relax.multiply %e, %f : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %3 = relax.divide %g, %h : tensor<f32>, tensor<2x2xf32> -> tensor<2x2xf32>
  %4 = relax.relu %i : tensor<7xi32> -> tensor<7xi32>
  return
}

// matmul follows torch.matmul for 1-D operands and batch broadcasting.
// CHECK-LABEL: func.func @products(
// CHECK:         relax.matmul %{{.*}}, %{{.*}} : tensor<1x128xf32>, tensor<128x64xf32> -> tensor<1x64xf32>
// CHECK:         relax.matmul %{{.*}}, %{{.*}} : tensor<128xf32>, tensor<128x64xf32> -> tensor<64xf32>
// CHECK:         relax.matmul %{{.*}}, %{{.*}} : tensor<1x128xf32>, tensor<128xf32> -> tensor<1xf32>
// CHECK:         relax.matmul %{{.*}}, %{{.*}} : tensor<128xf32>, tensor<128xf32> -> tensor<f32>
// CHECK:         relax.matmul %{{.*}}, %{{.*}} : tensor<5x1x2x3xf32>, tensor<4x3x7xf32> -> tensor<5x4x2x7xf32>
// CHECK:         relax.dense %{{.*}}, %{{.*}} : tensor<1x784xf32>, tensor<128x784xf32> -> tensor<1x128xf32>
// CHECK:         relax.dense %{{.*}}, %{{.*}} : tensor<?x3x784xf32>, tensor<128x784xf32> -> tensor<?x3x128xf32>
func.func @products(%x: tensor<1x128xf32>, %w: tensor<128x64xf32>,
                    %v: tensor<128xf32>, %p: tensor<5x1x2x3xf32>,
                    %q: tensor<4x3x7xf32>, %img: tensor<1x784xf32>,
                    %w0: tensor<128x784xf32>, %seq: tensor<?x3x784xf32>) {
  %0 = relax.matmul %x, %w : tensor<1x128xf32>, tensor<128x64xf32> -> tensor<1x64xf32>
  %1 = relax.matmul %v, %w : tensor<128xf32>, tensor<128x64xf32> -> tensor<64xf32>
  %2 = relax.matmul %x, %v : tensor<1x128xf32>, tensor<128xf32> -> tensor<1xf32>
  %3 = relax.matmul %v, %v : tensor<128xf32>, tensor<128xf32> -> tensor<f32>
  %4 = relax.matmul %p, %q : tensor<5x1x2x3xf32>, tensor<4x3x7xf32> -> tensor<5x4x2x7xf32>
  %5 = relax.dense %img, %w0 : tensor<1x784xf32>, tensor<128x784xf32> -> tensor<1x128xf32>
  %6 = relax.dense %seq, %w0 : tensor<?x3x784xf32>, tensor<128x784xf32> -> tensor<?x3x128xf32>
  return
}

// CHECK-LABEL: func.func @conv2d(
// CHECK:         relax.conv2d %{{.*}}, %{{.*}} strides [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
// CHECK:         relax.conv2d %{{.*}}, %{{.*}} strides [2, 1] padding [1, 0] dilation [1, 2] groups 2 : tensor<?x4x9x7xf32>, tensor<6x2x3x2xf32> -> tensor<?x6x5x5xf32>
// CHECK:         relax.conv2d %{{.*}}, %{{.*}} strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x3x?x8xi64>, tensor<4x3x3x3xi64> -> tensor<2x4x?x6xi64>
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
                  %g: tensor<?x4x9x7xf32>, %gw: tensor<6x2x3x2xf32>,
                  %i: tensor<2x3x?x8xi64>, %iw: tensor<4x3x3x3xi64>) {
  %0 = relax.conv2d %x, %w strides [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
  %1 = relax.conv2d %g, %gw strides [2, 1] padding [1, 0] dilation [1, 2] groups 2 : tensor<?x4x9x7xf32>, tensor<6x2x3x2xf32> -> tensor<?x6x5x5xf32>
  %2 = relax.conv2d %i, %iw strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x3x?x8xi64>, tensor<4x3x3x3xi64> -> tensor<2x4x?x6xi64>
  return
}

// CHECK-LABEL: func.func @max_pool2d(
// CHECK:         relax.max_pool2d %{{.*}} kernel [2, 2] strides [2, 2] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<?x32x26x26xf32> -> tensor<?x32x13x13xf32>
// CHECK:         relax.max_pool2d %{{.*}} kernel [3, 3] strides [2, 2] padding [1, 1] dilation [1, 1] ceil_mode true : tensor<1x2x8x8xi32> -> tensor<1x2x5x5xi32>
func.func @max_pool2d(%x: tensor<?x32x26x26xf32>, %i: tensor<1x2x8x8xi32>) {
  %0 = relax.max_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<?x32x26x26xf32> -> tensor<?x32x13x13xf32>
  %1 = relax.max_pool2d %i kernel [3, 3] strides [2, 2] padding [1, 1] dilation [1, 1] ceil_mode true : tensor<1x2x8x8xi32> -> tensor<1x2x5x5xi32>
  return
}

// CHECK-LABEL: func.func @batch_norm(
// CHECK:         relax.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} epsilon 1.000000e-05 : tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<?x8x4x4xf32>
func.func @batch_norm(%x: tensor<?x8x4x4xf32>, %c: tensor<8xf32>) {
  %0 = relax.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 : tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<?x8x4x4xf32>
  return
}

// CHECK-LABEL: func.func @softmax(
// CHECK:         relax.softmax %{{.*}} axis(-1) : tensor<2x10xf32> -> tensor<2x10xf32>
// CHECK:         relax.log_softmax %{{.*}} axis(0) : tensor<2x10xf32> -> tensor<2x10xf32>
// CHECK:         relax.softmax %{{.*}} axis(0) : tensor<f16> -> tensor<f16>
func.func @softmax(%x: tensor<2x10xf32>, %s: tensor<f16>) {
  %0 = relax.softmax %x axis(-1) : tensor<2x10xf32> -> tensor<2x10xf32>
  %1 = relax.log_softmax %x axis(0) : tensor<2x10xf32> -> tensor<2x10xf32>
  %2 = relax.softmax %s axis(0) : tensor<f16> -> tensor<f16>
  return
}

// CHECK-LABEL: func.func @layer_norm(
// CHECK:         relax.layer_norm %{{.*}}, %{{.*}}, %{{.*}} epsilon 1.000000e-05 : tensor<2x3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32> -> tensor<2x3x8xf32>
func.func @layer_norm(%x: tensor<2x3x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3x8xf32>) {
  %0 = relax.layer_norm %x, %w, %b epsilon 1.0e-05 : tensor<2x3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32> -> tensor<2x3x8xf32>
  return
}

// CHECK-LABEL: func.func @avg_pool2d(
// CHECK:         relax.avg_pool2d %{{.*}} kernel [3, 3] strides [2, 2] padding [1, 1] ceil_mode true count_include_pad false : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
func.func @avg_pool2d(%x: tensor<1x2x6x6xf32>) {
  %0 = relax.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1] ceil_mode true count_include_pad false : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return
}

// CHECK-LABEL: func.func @categories(
// CHECK:         relax.exp %{{.*}} : tensor<2x10xf32> -> tensor<2x10xf32>
// CHECK:         relax.sigmoid %{{.*}} : tensor<f16> -> tensor<f16>
// CHECK:         relax.sum %{{.*}} axes [1] keepdims false : tensor<2x10xf32> -> tensor<2xf32>
// CHECK:         relax.max %{{.*}} axes [] keepdims true : tensor<2x10xf32> -> tensor<1x1xf32>
// CHECK:         relax.prod %{{.*}} axes [0] keepdims false : tensor<f16> -> tensor<f16>
func.func @categories(%x: tensor<2x10xf32>, %s: tensor<f16>) {
  %0 = relax.exp %x : tensor<2x10xf32> -> tensor<2x10xf32>
  %1 = relax.sigmoid %s : tensor<f16> -> tensor<f16>
  %2 = relax.sum %x axes [1] keepdims false : tensor<2x10xf32> -> tensor<2xf32>
  %3 = relax.max %x axes [] keepdims true : tensor<2x10xf32> -> tensor<1x1xf32>
  %4 = relax.prod %s axes [0] keepdims false : tensor<f16> -> tensor<f16>
  return
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}

// CHECK-LABEL: func.func @reshape(
// CHECK:         relax.reshape %{{.*}} : tensor<?x32x13x13xf32> -> tensor<?x5408xf32>
// CHECK:         relax.reshape %{{.*}} : tensor<?x5408xf32> -> tensor<?x32x169xf32>
// CHECK:         relax.reshape %{{.*}} : tensor<6xi32> -> tensor<2x3xi32>
func.func @reshape(%x: tensor<?x32x13x13xf32>, %i: tensor<6xi32>) {
  %0 = relax.reshape %x : tensor<?x32x13x13xf32> -> tensor<?x5408xf32>
  %1 = relax.reshape %0 : tensor<?x5408xf32> -> tensor<?x32x169xf32>
  %2 = relax.reshape %i : tensor<6xi32> -> tensor<2x3xi32>
  return
}

// A result structure: how the results form the Python value returned.
// CHECK-LABEL: func.func @structured(
// CHECK-SAME:    attributes {relax.result_structure = "{\22tuple\22: [{\22tensor\22: 0}, {\22value\22: null}, {\22int\22: 1}]}"}
func.func @structured(%x: tensor<4xf32>, %n: tensor<i64>) -> (tensor<4xf32>, tensor<i64>)
    attributes {relax.result_structure = "{\"tuple\": [{\"tensor\": 0}, {\"value\": null}, {\"int\": 1}]}"} {
  return %x, %n : tensor<4xf32>, tensor<i64>
}

// A torch.Size of a constant and a run-time size; a function of constants
// only has no results.
// CHECK-LABEL: func.func @sizes(
// CHECK-SAME:    attributes {relax.result_structure = "{\22size\22: [{\22value\22: 2}, {\22int\22: 0}]}"}
// CHECK-LABEL: func.func @constants_only()
// CHECK-SAME:    attributes {relax.result_structure = "{\22tuple\22: [{\22value\22: 3}, {\22value\22: null}]}"}
func.func @sizes(%n: tensor<i64>) -> tensor<i64>
    attributes {relax.result_structure = "{\"size\": [{\"value\": 2}, {\"int\": 0}]}"} {
  return %n : tensor<i64>
}
func.func @constants_only()
    attributes {relax.result_structure = "{\"tuple\": [{\"value\": 3}, {\"value\": null}]}"} {
  return
}
