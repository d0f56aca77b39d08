// The lane-reduction stage: a loop that folds each chunk of a row into a
// loop-carried accumulator carries the chunk-wide partial results instead
// (from the kind's neutral element), reduced across lanes once after the
// loop; a dot product along the row (a variance) is first a
// multiplication and a multi_reduction. An accumulator used otherwise in
// the loop keeps its per-chunk reduction.
// RUN: mlc-opt %s --mlc-defer-lane-reductions | FileCheck %s
// RUN: mlc-opt %s --mlc-defer-lane-reductions=contract=false | FileCheck %s --check-prefix=EXACT

// CHECK-LABEL: func.func @row_sum(
// CHECK:         %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : vector<4x64xf32>
// CHECK:         %[[INIT:.*]] = vector.transfer_read
// CHECK:         %[[LOOP:.*]]:2 = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]], %[[PART:.*]] = %[[ZEROS]]) -> (vector<4xf32>, vector<4x64xf32>) {
// CHECK:           %[[CHUNK:.*]] = vector.transfer_read
// CHECK-NOT:       vector.multi_reduction
// CHECK:           %[[NEXT:.*]] = arith.addf %[[CHUNK]], %[[PART]] fastmath<contract> : vector<4x64xf32>
// CHECK:           scf.yield %[[ACC]], %[[NEXT]]
// CHECK:         %[[SUM:.*]] = vector.multi_reduction <add>, %[[LOOP]]#1, %[[LOOP]]#0 [1] : vector<4x64xf32> to vector<4xf32>
// CHECK:         vector.transfer_write %[[SUM]]
// CHECK-LABEL: func.func @row_max(
// CHECK:         %[[NEG:.*]] = arith.constant dense<0xFF800000> : vector<64xf32>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %[[PART:.*]] = %[[NEG]]) -> (f32, vector<64xf32>)
// CHECK:           arith.maximumf %{{.*}}, %[[PART]] : vector<64xf32>
// CHECK:         vector.multi_reduction <maximumf>, {{.*}} [0] : vector<64xf32> to f32
// CHECK-LABEL: func.func @variance(
// CHECK:         scf.for
// CHECK:           %[[D:.*]] = arith.subf
// CHECK:           %[[SQ:.*]] = arith.mulf %[[D]], %[[D]] fastmath<contract> : vector<1x64xf32>
// CHECK:           arith.addf %[[SQ]], %{{.*}} fastmath<contract> : vector<1x64xf32>
// CHECK-NOT:       vector.contract
// CHECK:         vector.multi_reduction <add>, {{.*}} [1] : vector<1x64xf32> to vector<1xf32>
// CHECK-LABEL: func.func @kept(
// CHECK:         scf.for {{.*}} -> (f32) {
// CHECK:           vector.multi_reduction <add>, %{{.*}}, %{{.*}} [0] : vector<64xf32> to f32
// CHECK:           memref.store
// CHECK-LABEL: func.func @row_maxnum(
// CHECK:         %[[NAN:.*]] = arith.constant dense<0x7FC00000> : vector<64xf32>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %[[NAN]]) -> (f32, vector<64xf32>)
// CHECK-LABEL: func.func @row_max_i32(
// CHECK:         arith.constant dense<-2147483648> : vector<64xi32>
// EXACT-NOT:     fastmath
func.func @row_sum(%x: memref<4x768xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c768 = arith.constant 768 : index
  %pad = ub.poison : f32
  %init = vector.transfer_read %out[%c0], %pad {in_bounds = [true]} : memref<4xf32>, vector<4xf32>
  %sum = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (vector<4xf32>) {
    %chunk = vector.transfer_read %x[%c0, %k], %pad {in_bounds = [true, true]} : memref<4x768xf32>, vector<4x64xf32>
    %r = vector.multi_reduction <add>, %chunk, %acc [1] : vector<4x64xf32> to vector<4xf32>
    scf.yield %r : vector<4xf32>
  }
  vector.transfer_write %sum, %out[%c0] {in_bounds = [true]} : vector<4xf32>, memref<4xf32>
  return
}
func.func @row_max(%x: memref<768xf32>, %init: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c768 = arith.constant 768 : index
  %pad = ub.poison : f32
  %m = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (f32) {
    %chunk = vector.transfer_read %x[%k], %pad {in_bounds = [true]} : memref<768xf32>, vector<64xf32>
    %r = vector.multi_reduction <maximumf>, %chunk, %acc [0] : vector<64xf32> to f32
    scf.yield %r : f32
  }
  return %m : f32
}
func.func @variance(%x: memref<1x768xf32>, %mean: vector<1x64xf32>, %init: vector<1xf32>) -> vector<1xf32> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c768 = arith.constant 768 : index
  %pad = ub.poison : f32
  %v = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (vector<1xf32>) {
    %chunk = vector.transfer_read %x[%c0, %k], %pad {in_bounds = [true, true]} : memref<1x768xf32>, vector<1x64xf32>
    %d = arith.subf %chunk, %mean : vector<1x64xf32>
    %r = vector.contract {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"], kind = #vector.kind<add>} %d, %d, %acc : vector<1x64xf32>, vector<1x64xf32> into vector<1xf32>
    scf.yield %r : vector<1xf32>
  }
  return %v : vector<1xf32>
}
func.func @kept(%x: memref<768xf32>, %init: f32, %y: memref<12xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c768 = arith.constant 768 : index
  %pad = ub.poison : f32
  %m = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (f32) {
    %chunk = vector.transfer_read %x[%k], %pad {in_bounds = [true]} : memref<768xf32>, vector<64xf32>
    %r = vector.multi_reduction <add>, %chunk, %acc [0] : vector<64xf32> to f32
    %i = arith.divui %k, %c64 : index
    memref.store %r, %y[%i] : memref<12xf32>
    scf.yield %r : f32
  }
  return %m : f32
}
func.func @row_maxnum(%x: memref<768xf32>, %init: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c768 = arith.constant 768 : index
  %pad = ub.poison : f32
  %m = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (f32) {
    %chunk = vector.transfer_read %x[%k], %pad {in_bounds = [true]} : memref<768xf32>, vector<64xf32>
    %r = vector.multi_reduction <maxnumf>, %chunk, %acc [0] : vector<64xf32> to f32
    scf.yield %r : f32
  }
  return %m : f32
}
func.func @row_max_i32(%x: memref<768xi32>, %init: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c768 = arith.constant 768 : index
  %pad = ub.poison : i32
  %m = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (i32) {
    %chunk = vector.transfer_read %x[%k], %pad {in_bounds = [true]} : memref<768xi32>, vector<64xi32>
    %r = vector.multi_reduction <maxsi>, %chunk, %acc [0] : vector<64xi32> to i32
    scf.yield %r : i32
  }
  return %m : i32
}
