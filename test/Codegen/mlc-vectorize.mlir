// The vectorization stage: tiles marked as register blocks become vector
// code (a row reduction 16 lanes at a time along its row); the
// multiply-adds of a reduction's body may contract into FMAs, an
// element-wise op's keep their rounding; an op that is not a register
// block stays scalar; the configs and marks are gone (configs by hand).
// RUN: mlc-opt %s --mlc-vectorize | FileCheck %s
// RUN: mlc-opt %s --mlc-vectorize=contract=false | FileCheck %s --check-prefix=EXACT

// CHECK-LABEL: func.func @blocks(
// CHECK:         %[[X:.*]] = vector.transfer_read %{{.*}} : memref<4x32xf32>, vector<4x32xf32>
// CHECK:         %[[P:.*]] = arith.mulf %[[X]], %{{[a-z0-9_]+}} : vector<4x32xf32>
// CHECK:         %[[S:.*]] = arith.addf %[[P]], %{{[a-z0-9_]+}} : vector<4x32xf32>
// CHECK:         vector.transfer_write %[[S]]
// CHECK:         scf.for %{{.*}} = %c0 to %c64 step %c16 {
// CHECK:           %[[R:.*]] = vector.transfer_read %{{.*}} : memref<4x16xf32, {{.*}}>, vector<4x16xf32>
// CHECK:           %[[RP:.*]] = arith.mulf %[[R]], %{{.*}} fastmath<contract> : vector<4x16xf32>
// CHECK:           %[[RS:.*]] = arith.addf %[[RP]], %{{.*}} fastmath<contract> : vector<4x16xf32>
// CHECK:           vector.multi_reduction <maximumf>, %[[RS]], %{{.*}} [1] : vector<4x16xf32> to vector<4xf32>
// CHECK:         }
// CHECK:         linalg.generic
// CHECK:           arith.negf {{.*}} : f32
// CHECK-NOT:     mlc.
// EXACT-NOT:     fastmath
func.func @blocks(%x: memref<4x32xf32>, %y: memref<4x32xf32>, %r: memref<4x64xf32>, %m: memref<4xf32>) {
  %two = arith.constant 2.0 : f32
  %one = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x32xf32>) outs(%y : memref<4x32xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 32>}, mlc.register_block = 0 : i64} {
  ^bb0(%a: f32, %b: f32):
    %p = arith.mulf %a, %two : f32
    %s = arith.addf %p, %one : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%r : memref<4x64xf32>) outs(%m : memref<4xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 1, 0>, row_reduction = array<i64: 1, 16>}, mlc.register_block = 1 : i64} {
  ^bb0(%a: f32, %acc: f32):
    %p = arith.mulf %a, %two : f32
    %s = arith.addf %p, %one : f32
    %n = arith.maximumf %acc, %s : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x32xf32>) outs(%y : memref<4x32xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 32>}} {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}
