// The packing stage: a contraction whose lowering config has
// `pack_operand` reads that operand's K x 64 panels from a dense, 64-byte
// aligned copy made in a loop over its column blocks (config by hand).
// RUN: mlc-opt %s --mlc-pack-panels | FileCheck %s

// CHECK-LABEL: func.func @sgemm(
// CHECK:         scf.for %[[J:.*]] = %c0 to %c1024 step %c64 {
// CHECK:           %[[PANEL:.*]] = memref.subview %{{.*}}[0, %[[J]]] [512, 64] [1, 1] : memref<512x1024xf32> to memref<512x64xf32, strided<[1024, 1], offset: ?>>
// CHECK:           %[[DENSE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<512x64xf32>
// CHECK:           linalg.copy {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%[[PANEL]] : {{.*}}) outs(%[[DENSE]] : memref<512x64xf32>)
// CHECK:           linalg.generic {{.*}} ins(%{{.*}}, %[[DENSE]] : memref<32x512xf32, strided<[512, 1]>>, memref<512x64xf32>) outs(%{{.*}} : memref<32x64xf32, {{.*}}>) attrs = {mlc.lowering_config = {interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}}
// CHECK:           memref.dealloc %[[DENSE]]
func.func @sgemm(%A: memref<32x512xf32>, %B: memref<512x1024xf32>, %C: memref<32x1024xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<32x512xf32>, memref<512x1024xf32>) outs(%C : memref<32x1024xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 1, 0, 2>, pack_operand = 1 : i64, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
