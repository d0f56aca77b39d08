// The thread stage: ops whose lowering config has `distribute` split into
// per-thread chunks (configs written here by hand).
// RUN: mlc-opt %s --split-input-file --mlc-distribute-to-threads | FileCheck %s

// Rows split in two chunks of 64 (whole blocks of 4): an scf.forall, the
// op's tile inside keeping its config less `distribute`.
// CHECK-LABEL: func.func @rows(
// CHECK:         scf.forall (%[[T:.*]]) = (0) to (128) step (64) {
// CHECK:           memref.subview %{{.*}}[%[[T]], 0] [64, 64] [1, 1]
// CHECK:           linalg.generic {{.*}} outs(%{{.*}} : memref<64x64xf32, {{.*}}>) attrs = {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}}
// CHECK-NOT:     scf.forall
func.func @rows(%x: memref<128x64xf32>, %y: memref<128x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<128x64xf32>) outs(%y : memref<128x64xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 0, 4, 2>, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}

// -----

// A group's fill and bias add are tiled at the matmul's chunk, in the
// same forall body: the columns split in two chunks of 64.
// CHECK-LABEL: func.func @group(
// CHECK:         scf.forall (%[[T:.*]]) = (0) to (128) step (64) {
// CHECK:           linalg.fill {mlc.lowering_config = {group = 0 : i64, {{.*}}} {{.*}} outs(%{{.*}} : memref<64x64xf32, strided<[128, 1], offset: ?>>)
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} outs(%{{.*}} : memref<64x64xf32, strided<[128, 1], offset: ?>>) attrs = {mlc.lowering_config = {group = 0 : i64, interchange
// CHECK:           linalg.generic {{.*}} outs(%{{.*}} : memref<64x64xf32, strided<[128, 1], offset: ?>>) attrs = {mlc.lowering_config = {group = 0 : i64,
// CHECK-NOT:     linalg.{{fill|generic}}
// CHECK:         return
func.func @group(%A: memref<64x64xf32>, %B: memref<64x128xf32>, %bias: memref<128xf32>) -> memref<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %C = memref.alloc() : memref<64x128xf32>
  linalg.fill {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%C : memref<64x128xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<64x64xf32>, memref<64x128xf32>) outs(%C : memref<64x128xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}} {
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

// -----

// A dynamic batch: whether 2 threads pay is decided at run time. Rows x
// 256 >= 65536: chunks of ceil(rows / 8) * 4 rows; else the serial copy,
// whose config no longer asks for threads.
// CHECK-LABEL: func.func @batch(
// CHECK:         %[[WORK:.*]] = arith.muli %{{.*}}, %c256
// CHECK:         %[[ENOUGH:.*]] = arith.cmpi sge, %[[WORK]], %c65536
// CHECK:         scf.if %[[ENOUGH]] {
// CHECK:           scf.forall
// CHECK:             linalg.generic {{.*}}mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}
// CHECK:         } else {
// CHECK-NEXT:      linalg.generic {{.*}} ins(%{{.*}} : memref<?x256xf32>) outs(%{{.*}} : memref<?x256xf32>) attrs = {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}}
func.func @batch(%x: memref<?x256xf32>, %y: memref<?x256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<?x256xf32>) outs(%y : memref<?x256xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 0, 4, 2>, interchange = array<i64: 0, 1>, min_parallel_work = 65536 : i64, register_tile = array<i64: 4, 64>}} {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}
