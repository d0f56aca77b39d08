// The register-block stage: tiles by `register_tile` in the order of
// `interchange`, partial blocks peeled (a dynamic batch's last rows, the
// 4 columns left of 100 after 3 blocks of 32), every tile marked with its
// group's register block for --mlc-vectorize (configs by hand).
// RUN: mlc-opt %s --split-input-file --mlc-tile-register-blocks | FileCheck %s

// CHECK-LABEL: func.func @relu(
// CHECK:         %[[ROWS:.*]] = memref.dim %{{.*}}, %c0
// CHECK:         %[[FULL:.*]] = affine.apply #{{.*}}()[%[[ROWS]]]
// CHECK:         scf.for %[[I:.*]] = %c0 to %[[FULL]] step %c4 {
// CHECK:           scf.for %[[J:.*]] = %c0 to %c96 step %c32 {
// CHECK:             linalg.generic {{.*}} outs(%{{.*}} : memref<4x32xf32, {{.*}}>) attrs = {{{.*}}mlc.register_block = 0 : i64}
// CHECK:           }
// CHECK:           linalg.generic {{.*}} outs(%{{.*}} : memref<4x4xf32, {{.*}}>) attrs = {{{.*}}mlc.register_block = 0 : i64}
// CHECK:         }
// CHECK:         scf.for %{{.*}} = %[[FULL]] to %[[ROWS]] step %c4 {
// CHECK:           scf.for
// CHECK:             linalg.generic {{.*}} outs(%{{.*}} : memref<?x32xf32, {{.*}}>) attrs = {{{.*}}mlc.register_block = 0 : i64}
// CHECK:           linalg.generic {{.*}} outs(%{{.*}} : memref<?x4xf32, {{.*}}>) attrs = {{{.*}}mlc.register_block = 0 : i64}
func.func @relu(%x: memref<?x100xf32>, %y: memref<?x100xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<?x100xf32>) outs(%y : memref<?x100xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 32>}} {
  ^bb0(%a: f32, %b: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A group's members are tiled at each tile of its matmul, all marked as
// one register block: 4 x 64 columns outermost, then rows.
// CHECK-LABEL: func.func @group(
// CHECK:         scf.for %[[J:.*]] = %c0 to %c128 step %{{.*}} {
// CHECK:           scf.for %[[I:.*]] = %{{.*}} to %c64 step %c4 {
// CHECK:             linalg.fill {{{.*}}mlc.register_block = 0 : i64} {{.*}} outs(%{{.*}} : memref<4x64xf32, {{.*}}>)
// CHECK:             linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} outs(%{{.*}} : memref<4x64xf32, {{.*}}>) attrs = {{{.*}}mlc.register_block = 0 : i64}
// CHECK:             linalg.generic {{.*}} outs(%{{.*}} : memref<4x64xf32, {{.*}}>) attrs = {{{.*}}mlc.register_block = 0 : i64}
func.func @group(%A: memref<64x64xf32>, %B: memref<64x128xf32>, %bias: memref<128xf32>) -> memref<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %C = memref.alloc() : memref<64x128xf32>
  linalg.fill {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%C : memref<64x128xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<64x64xf32>, memref<64x128xf32>) outs(%C : memref<64x128xf32>)
      attrs = {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<128xf32>) outs(%C : memref<64x128xf32>)
      attrs = {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} {
  ^bb0(%b: f32, %c: f32):
    %s = arith.addf %c, %b : f32
    linalg.yield %s : f32
  }
  return %C : memref<64x128xf32>
}
