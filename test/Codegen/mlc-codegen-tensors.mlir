// The stages on tensors together (--mlc-codegen-tensors: strategy, thread
// chunks by tile-and-fuse), then bufferization as --mlc-lower-to-llvm
// runs it: the chunk writes a view of the one output buffer (no buffer of
// its own), and the configs the buffer stages read survive bufferization.
// The chunk's parallel_insert_slice becomes a copy of that view onto
// itself, which CSE and canonicalization (in the deallocation pipeline)
// remove.
// RUN: mlc-opt %s --mlc-codegen-tensors="threads=2 vector-bits=512" --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --cse --canonicalize | FileCheck %s

// A dense layer with bias and ReLU, 256 x 512 x 1024 (the right operand's
// rows 4 KB apart: packed, decided on tensors).
// CHECK-LABEL: func.func @dense_bias_relu(
// CHECK:         %[[OUT:.*]] = memref.alloc() {{.*}} : memref<256x1024xf32>
// CHECK-NOT:     memref.alloc
// CHECK:         scf.forall (%[[T:.*]]) = (0) to (1024) step (512) {
// CHECK-NOT:       memref.alloc
// CHECK:           %[[VIEW:.*]] = memref.subview %[[OUT]][0, %[[T]]] [256, 512] [1, 1]
// CHECK-NOT:       memref.alloc
// CHECK:           linalg.fill {mlc.lowering_config = {group = 0 : i64, {{.*}}} ins(%{{.*}} : f32) outs(%[[VIEW]] :
// CHECK-NEXT:      linalg.generic {{.*}} outs(%[[VIEW]] : {{.*}}) attrs = {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 1, 0, 2>, pack_operand = 1 : i64, register_tile = array<i64: 4, 64, 0>}}
// CHECK:           linalg.generic {{.*}} outs(%[[VIEW]] : {{.*}}) attrs = {mlc.lowering_config = {group = 0 : i64,
// CHECK-NOT:       memref.copy
// CHECK:         return %[[OUT]]
func.func @dense_bias_relu(%A: tensor<256x512xf32>, %B: tensor<512x1024xf32>, %bias: tensor<1024xf32>) -> tensor<256x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x1024xf32>
  %C = linalg.fill ins(%zero : f32) outs(%e : tensor<256x1024xf32>) -> tensor<256x1024xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<256x512xf32>, tensor<512x1024xf32>) outs(%C : tensor<256x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<256x1024xf32>
  %E = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<1024xf32>) outs(%D : tensor<256x1024xf32>) {
  ^bb0(%b: f32, %c: f32):
    %s = arith.addf %c, %b : f32
    %zero2 = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %zero2 : f32
    linalg.yield %r : f32
  } -> tensor<256x1024xf32>
  return %E : tensor<256x1024xf32>
}
