// RUN: mlc-opt %s --split-input-file --mlc-contiguous-strided-reads | FileCheck %s

// Every second element of a row: the 31 elements spanned read as two
// whole vectors of 16, at 0 and at 15 (the last one ending at the span's
// end), and one two-source shuffle of the even elements.
// CHECK-LABEL: func.func @stride_two(
// CHECK-SAME:    %[[X:.*]]: memref<4x58xf32>, %[[R:.*]]: index
// CHECK:         %[[SPAN:.*]] = memref.subview %[[X]][%[[R]], 3] [1, 31] [1, 1]
// CHECK:         %[[LO:.*]] = vector.transfer_read %[[SPAN]][%{{.*}}, %c0{{.*}}], %{{.*}} {in_bounds = [true]} : memref<1x31xf32, strided<[58, 1], offset: ?>>, vector<16xf32>
// CHECK:         %[[HI:.*]] = vector.transfer_read %[[SPAN]][%{{.*}}, %c15], %{{.*}} {in_bounds = [true]} : memref<1x31xf32, strided<[58, 1], offset: ?>>, vector<16xf32>
// CHECK:         %[[EVEN:.*]] = vector.shuffle %[[LO]], %[[HI]] [0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK:         return %[[EVEN]]
func.func @stride_two(%x: memref<4x58xf32>, %r: index) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = memref.subview %x[%r, 3] [1, 16] [1, 2] : memref<4x58xf32> to memref<1x16xf32, strided<[58, 2], offset: ?>>
  %e = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [true]} : memref<1x16xf32, strided<[58, 2], offset: ?>>, vector<16xf32>
  return %e : vector<16xf32>
}

// -----

// Not rewritten: a read that may run past the view (in_bounds false), one
// that starts inside it, and a step wider than 4.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT:     vector.shuffle
func.func @left_alone(%x: memref<4x90xf32>, %i: index) -> (vector<16xf32>, vector<8xf32>, vector<8xf32>) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = memref.subview %x[0, 0] [1, 16] [1, 2] : memref<4x90xf32> to memref<1x16xf32, strided<[90, 2]>>
  %a = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [false]} : memref<1x16xf32, strided<[90, 2]>>, vector<16xf32>
  %b = vector.transfer_read %v[%c0, %i], %pad {in_bounds = [true]} : memref<1x16xf32, strided<[90, 2]>>, vector<8xf32>
  %w = memref.subview %x[0, 0] [1, 8] [1, 8] : memref<4x90xf32> to memref<1x8xf32, strided<[90, 8]>>
  %c = vector.transfer_read %w[%c0, %c0], %pad {in_bounds = [true]} : memref<1x8xf32, strided<[90, 8]>>, vector<8xf32>
  return %a, %b, %c : vector<16xf32>, vector<8xf32>, vector<8xf32>
}

// -----

// A block of rows of a stride-2 window (a depthwise convolution's): the
// rows keep their step, each row's chunks are extracted and shuffled.
// CHECK-LABEL: func.func @rows(
// CHECK:         %[[SPAN:.*]] = memref.subview %{{.*}}[0, 0] [2, 7] [2, 1]
// CHECK:         %[[LO:.*]] = vector.transfer_read %[[SPAN]]{{.*}} vector<2x4xf32>
// CHECK:         %[[HI:.*]] = vector.transfer_read %[[SPAN]][%{{.*}}, %c3]{{.*}} vector<2x4xf32>
// CHECK:         %[[L0:.*]] = vector.extract %[[LO]][0]
// CHECK:         %[[H0:.*]] = vector.extract %[[HI]][0]
// CHECK:         vector.shuffle %[[L0]], %[[H0]] [0, 2, 5, 7]
// CHECK:         %[[L1:.*]] = vector.extract %[[LO]][1]
// CHECK:         %[[H1:.*]] = vector.extract %[[HI]][1]
// CHECK:         vector.shuffle %[[L1]], %[[H1]] [0, 2, 5, 7]
// CHECK-NOT:     vector.transfer_read
func.func @rows(%x: memref<8x8xf32>) -> vector<2x4xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = memref.subview %x[0, 0] [2, 4] [2, 2] : memref<8x8xf32> to memref<2x4xf32, strided<[16, 2]>>
  %e = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x4xf32, strided<[16, 2]>>, vector<2x4xf32>
  return %e : vector<2x4xf32>
}

// -----

// Stride 3, 8 lanes: the 22 elements spanned as chunks at 0, 8 and 14; the
// first shuffle takes lanes 0-5 from the first two, the second the last
// two lanes (elements 18 and 21) from the third and keeps the rest.
// CHECK-LABEL: func.func @stride_three(
// CHECK:         %[[A:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %c0{{.*}}]{{.*}} vector<8xf32>
// CHECK:         %[[B:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %c8]{{.*}} vector<8xf32>
// CHECK:         %[[C:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %c14]{{.*}} vector<8xf32>
// CHECK:         %[[AB:.*]] = vector.shuffle %[[A]], %[[B]] [0, 3, 6, 9, 12, 15, 0, 0]
// CHECK:         %[[ABC:.*]] = vector.shuffle %[[AB]], %[[C]] [0, 1, 2, 3, 4, 5, 12, 15]
// CHECK:         return %[[ABC]]
func.func @stride_three(%x: memref<2x40xf32>) -> vector<8xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = memref.subview %x[1, 2] [1, 8] [1, 3] : memref<2x40xf32> to memref<1x8xf32, strided<[40, 3], offset: 42>>
  %e = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [true]} : memref<1x8xf32, strided<[40, 3], offset: 42>>, vector<8xf32>
  return %e : vector<8xf32>
}
