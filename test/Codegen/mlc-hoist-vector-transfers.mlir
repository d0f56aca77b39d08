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

// -----

// Accumulators in a fresh buffer that has a view (a merged short-row op's
// result, expanded back for the function's result): upstream's hoisting
// refuses any buffer with views, mlc's takes a fresh buffer whose views
// are not used inside the loop.
// CHECK-LABEL: func.func @fresh_buffer_with_a_view(
// CHECK:         %[[BUF:.*]] = memref.alloc() : memref<1x8x49xf32>
// CHECK:         scf.for
// CHECK:           %[[INIT:.*]] = vector.transfer_read %[[BUF]]
// CHECK:           %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (vector<1x4x16xf32>) {
// CHECK-NOT:         vector.transfer_write
// CHECK:             vector.contract {{.*}}, %[[ACC]]
// CHECK:           vector.transfer_write %[[SUM]], %[[BUF]]
// CHECK:         memref.expand_shape %[[BUF]]
func.func @fresh_buffer_with_a_view(%x: memref<1x8x49xf32>, %w: memref<8x8xf32>) -> memref<1x8x7x7xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %pad = ub.poison : f32
  %buf = memref.alloc() : memref<1x8x49xf32>
  scf.for %o = %c0 to %c8 step %c4 {
    scf.for %c = %c0 to %c8 step %c1 {
      %a = vector.transfer_read %w[%o, %c], %pad {in_bounds = [true, true]} : memref<8x8xf32>, vector<4x1xf32>
      %b = vector.transfer_read %x[%c0, %c, %c0], %pad {in_bounds = [true, true, true]} : memref<1x8x49xf32>, vector<1x1x16xf32>
      %acc = vector.transfer_read %buf[%c0, %o, %c0], %pad {in_bounds = [true, true, true]} : memref<1x8x49xf32>, vector<1x4x16xf32>
      %r = vector.contract {indexing_maps = [affine_map<(n, i, j, k) -> (i, k)>, affine_map<(n, i, j, k) -> (n, k, j)>, affine_map<(n, i, j, k) -> (n, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<4x1xf32>, vector<1x1x16xf32> into vector<1x4x16xf32>
      vector.transfer_write %r, %buf[%c0, %o, %c0] {in_bounds = [true, true, true]} : vector<1x4x16xf32>, memref<1x8x49xf32>
    }
  }
  %e = memref.expand_shape %buf [[0], [1], [2, 3]] output_shape [1, 8, 7, 7] : memref<1x8x49xf32> into memref<1x8x7x7xf32>
  return %e : memref<1x8x7x7xf32>
}

// -----

// Not when a view of the buffer is read inside the loop (it may see the
// accumulators), nor in a loop that may not run.
// CHECK-LABEL: func.func @not_hoisted(
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32) {
// CHECK-NEXT:      vector.transfer_read
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      vector.transfer_read
// CHECK-NEXT:      arith.addf
// CHECK-NEXT:      vector.transfer_write
func.func @not_hoisted(%n: index) -> (memref<1x8x49xf32>, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %pad = ub.poison : f32
  %buf = memref.alloc() : memref<1x8x49xf32>
  %view = memref.collapse_shape %buf [[0, 1, 2]] : memref<1x8x49xf32> into memref<392xf32>
  %f = scf.for %c = %c0 to %c8 step %c1 iter_args(%s = %pad) -> (f32) {
    %acc = vector.transfer_read %buf[%c0, %c0, %c0], %pad {in_bounds = [true, true, true]} : memref<1x8x49xf32>, vector<1x4x16xf32>
    %r = arith.addf %acc, %acc : vector<1x4x16xf32>
    vector.transfer_write %r, %buf[%c0, %c0, %c0] {in_bounds = [true, true, true]} : vector<1x4x16xf32>, memref<1x8x49xf32>
    %v = memref.load %view[%c0] : memref<392xf32>
    scf.yield %v : f32
  }
  scf.for %c = %c0 to %n step %c1 {
    %acc = vector.transfer_read %buf[%c0, %c1, %c0], %pad {in_bounds = [true, true, true]} : memref<1x8x49xf32>, vector<1x4x16xf32>
    %r = arith.addf %acc, %acc : vector<1x4x16xf32>
    vector.transfer_write %r, %buf[%c0, %c1, %c0] {in_bounds = [true, true, true]} : vector<1x4x16xf32>, memref<1x8x49xf32>
  }
  return %buf, %f : memref<1x8x49xf32>, f32
}
