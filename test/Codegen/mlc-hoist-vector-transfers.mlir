// The accumulator stage: a reduction loop's accumulator block becomes a
// loop-carried vector (read once before the loop, written once after it),
// and the zeros stored before the loop are forwarded into it, their store
// dropped.
// RUN: mlc-opt %s --split-input-file --mlc-hoist-vector-transfers | FileCheck %s

// CHECK-LABEL: func.func @accumulate(
// CHECK:         %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4x16xf32>
// CHECK-NOT:     vector.transfer_write
// CHECK:         %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (vector<4x16xf32>) {
// CHECK-NOT:       vector.transfer_write
// CHECK:           %[[R:.*]] = vector.contract {{.*}}, %[[ACC]] : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// CHECK:           scf.yield %[[R]]
// CHECK:         vector.transfer_write %[[SUM]], %{{.*}} : vector<4x16xf32>, memref<4x16xf32>
// CHECK-NEXT:    return
func.func @accumulate(%A: memref<4x64xf32>, %B: memref<64x16xf32>, %C: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = ub.poison : f32
  %zero = arith.constant dense<0.0> : vector<4x16xf32>
  vector.transfer_write %zero, %C[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %a = vector.transfer_read %A[%c0, %k], %pad {in_bounds = [true, true]} : memref<4x64xf32>, vector<4x1xf32>
    %b = vector.transfer_read %B[%k, %c0], %pad {in_bounds = [true, true]} : memref<64x16xf32>, vector<1x16xf32>
    %acc = vector.transfer_read %C[%c0, %c0], %pad {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
    %r = vector.contract {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
    vector.transfer_write %r, %C[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  }
  return
}

// -----

// A read of a buffer the loop does not write is taken out of the loop, and
// then what it feeds (the square root of a layer norm's variance, over a
// chunk of the row), which the first invariant code motion could not move.
// CHECK-LABEL: func.func @invariant_after_hoisting(
// CHECK:         %[[V:.*]] = vector.transfer_read %{{.*}} : memref<4x1xf32>, vector<4x16xf32>
// CHECK:         %[[S:.*]] = math.sqrt %[[V]] : vector<4x16xf32>
// CHECK:         scf.for
// CHECK-NOT:       math.sqrt
// CHECK:           arith.mulf %{{.*}}, %[[S]] : vector<4x16xf32>
func.func @invariant_after_hoisting(%v: memref<4x1xf32>, %x: memref<4x64xf32>, %y: memref<4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %pad = ub.poison : f32
  scf.for %k = %c0 to %c64 step %c16 {
    %r = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d0, 0)>} : memref<4x1xf32>, vector<4x16xf32>
    %s = math.sqrt %r : vector<4x16xf32>
    %a = vector.transfer_read %x[%c0, %k], %pad {in_bounds = [true, true]} : memref<4x64xf32>, vector<4x16xf32>
    %m = arith.mulf %a, %s : vector<4x16xf32>
    vector.transfer_write %m, %y[%c0, %k] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x64xf32>
  }
  return
}
