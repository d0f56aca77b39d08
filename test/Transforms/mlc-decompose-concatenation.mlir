// The importer's torch.cat (a chain of guarded reads along one axis, as
// --tir-check-bounds leaves it) becomes insertions of each input into its
// slice of the output; anything else stays a generic.
// RUN: mlc-opt %s --split-input-file --mlc-decompose-concatenation | FileCheck %s

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Three inputs along the last axis, starting at 0, 5 and 22.
// CHECK-LABEL: func.func @three_inputs(
// CHECK-SAME:    %[[A:.*]]: tensor<2x3x5xf32>, %[[B:.*]]: tensor<2x3x17xf32>, %[[C:.*]]: tensor<2x3x1xf32>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2x3x23xf32>
// CHECK:         %[[R0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0, 0] [2, 3, 5] [1, 1, 1]
// CHECK:         %[[R1:.*]] = tensor.insert_slice %[[B]] into %[[R0]][0, 0, 5] [2, 3, 17] [1, 1, 1]
// CHECK:         %[[R2:.*]] = tensor.insert_slice %[[C]] into %[[R1]][0, 0, 22] [2, 3, 1] [1, 1, 1]
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R2]]
func.func @three_inputs(%arg0: tensor<2x3x5xf32>, %arg1: tensor<2x3x17xf32>, %arg2: tensor<2x3x1xf32>) -> tensor<2x3x23xf32> {
  %c22 = arith.constant 22 : index
  %c5 = arith.constant 5 : index
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %0 = tensor.empty() : tensor<2x3x23xf32>
  %1 = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel"]} outs(%0 : tensor<2x3x23xf32>) {
  ^bb0(%out: f32):
    %2 = linalg.index 0 : index
    %3 = linalg.index 1 : index
    %4 = linalg.index 2 : index
    %5 = arith.cmpi slt, %4, %c5 : index
    %6 = scf.if %5 -> (f32) {
      %7 = arith.minsi %4, %c4 : index
      %8 = arith.maxsi %7, %c0 : index
      %e = tensor.extract %arg0[%2, %3, %8] : tensor<2x3x5xf32>
      scf.yield %e : f32
    } else {
      %7 = arith.cmpi slt, %4, %c22 : index
      %8 = scf.if %7 -> (f32) {
        %9 = arith.subi %4, %c5 : index
        %10 = arith.minsi %9, %c16 : index
        %11 = arith.maxsi %10, %c0 : index
        %e = tensor.extract %arg1[%2, %3, %11] : tensor<2x3x17xf32>
        scf.yield %e : f32
      } else {
        %9 = arith.subi %4, %c22 : index
        %10 = arith.minsi %9, %c0 : index
        %11 = arith.maxsi %10, %c0 : index
        %e = tensor.extract %arg2[%2, %3, %11] : tensor<2x3x1xf32>
        scf.yield %e : f32
      }
      scf.yield %8 : f32
    }
    linalg.yield %6 : f32
  } -> tensor<2x3x23xf32>
  return %1 : tensor<2x3x23xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Channels of a batch of one: the batch read at the constant 0.
// CHECK-LABEL: func.func @batch_of_one(
// CHECK:         tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [1, 4] [1, 1]
// CHECK:         tensor.insert_slice %{{.*}} into %{{.*}}[0, 4] [1, 2] [1, 1]
// CHECK-NOT:     linalg.generic
func.func @batch_of_one(%arg0: tensor<1x4xf32>, %arg1: tensor<1x2xf32>) -> tensor<1x6xf32> {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %0 = tensor.empty() : tensor<1x6xf32>
  %1 = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%0 : tensor<1x6xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 1 : index
    %lt = arith.cmpi slt, %i, %c4 : index
    %v = scf.if %lt -> (f32) {
      %m = arith.minsi %i, %c3 : index
      %e = tensor.extract %arg0[%c0, %m] : tensor<1x4xf32>
      scf.yield %e : f32
    } else {
      %s = arith.subi %i, %c4 : index
      %m = arith.minsi %s, %c1 : index
      %e = tensor.extract %arg1[%c0, %m] : tensor<1x2xf32>
      scf.yield %e : f32
    }
    linalg.yield %v : f32
  } -> tensor<1x6xf32>
  return %1 : tensor<1x6xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Left as they are: a read that converts (int32 into a float32 result,
// torch's promotion), and pieces that do not tile the axis (the first
// input has 3 rows, the guard says 2).
// CHECK-LABEL: func.func @converts(
// CHECK:         linalg.generic
// CHECK:           arith.sitofp
// CHECK-NOT:     tensor.insert_slice
func.func @converts(%arg0: tensor<2x3xi32>, %arg1: tensor<1x3xf32>) -> tensor<3x3xf32> {
  %c2 = arith.constant 2 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = tensor.empty() : tensor<3x3xf32>
  %1 = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%0 : tensor<3x3xf32>) {
  ^bb0(%out: f32):
    %2 = linalg.index 0 : index
    %3 = linalg.index 1 : index
    %4 = arith.cmpi slt, %2, %c2 : index
    %5 = scf.if %4 -> (f32) {
      %6 = arith.minsi %2, %c1 : index
      %e = tensor.extract %arg0[%6, %3] : tensor<2x3xi32>
      %f = arith.sitofp %e : i32 to f32
      scf.yield %f : f32
    } else {
      %6 = arith.subi %2, %c2 : index
      %e = tensor.extract %arg1[%6, %3] : tensor<1x3xf32>
      scf.yield %e : f32
    }
    linalg.yield %5 : f32
  } -> tensor<3x3xf32>
  return %1 : tensor<3x3xf32>
}

// CHECK-LABEL: func.func @not_a_tiling(
// CHECK:         linalg.generic
// CHECK-NOT:     tensor.insert_slice
func.func @not_a_tiling(%arg0: tensor<3x3xf32>, %arg1: tensor<1x3xf32>) -> tensor<3x3xf32> {
  %c2 = arith.constant 2 : index
  %0 = tensor.empty() : tensor<3x3xf32>
  %1 = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%0 : tensor<3x3xf32>) {
  ^bb0(%out: f32):
    %2 = linalg.index 0 : index
    %3 = linalg.index 1 : index
    %4 = arith.cmpi slt, %2, %c2 : index
    %5 = scf.if %4 -> (f32) {
      %e = tensor.extract %arg0[%2, %3] : tensor<3x3xf32>
      scf.yield %e : f32
    } else {
      %6 = arith.subi %2, %c2 : index
      %e = tensor.extract %arg1[%6, %3] : tensor<1x3xf32>
      scf.yield %e : f32
    }
    linalg.yield %5 : f32
  } -> tensor<3x3xf32>
  return %1 : tensor<3x3xf32>
}
