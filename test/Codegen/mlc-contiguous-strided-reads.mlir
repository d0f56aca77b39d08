// RUN: mlc-opt %s --split-input-file --mlc-contiguous-strided-reads | FileCheck %s

// Every second element of a row: one read of the 31 elements spanned and
// a shuffle of the even lanes.
// CHECK-LABEL: func.func @stride_two(
// CHECK-SAME:    %[[X:.*]]: memref<4x58xf32>, %[[R:.*]]: index
// CHECK:         %[[SPAN:.*]] = memref.subview %[[X]][%[[R]], 3] [1, 31] [1, 1]
// CHECK:         %[[WIDE:.*]] = vector.transfer_read %[[SPAN]][%{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<1x31xf32, strided<[58, 1], offset: ?>>, vector<31xf32>
// CHECK:         %[[EVEN:.*]] = vector.shuffle %[[WIDE]], %[[WIDE]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
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
// rows keep their step, each row is read whole and shuffled.
// CHECK-LABEL: func.func @rows(
// CHECK:         %[[SPAN:.*]] = memref.subview %{{.*}}[0, 0] [2, 7] [2, 1]
// CHECK:         %[[WIDE:.*]] = vector.transfer_read %[[SPAN]]{{.*}} vector<2x7xf32>
// CHECK:         %[[R0:.*]] = vector.extract %[[WIDE]][0]
// CHECK:         vector.shuffle %[[R0]], %[[R0]] [0, 2, 4, 6]
// CHECK:         %[[R1:.*]] = vector.extract %[[WIDE]][1]
// CHECK:         vector.shuffle %[[R1]], %[[R1]] [0, 2, 4, 6]
// CHECK-NOT:     vector.transfer_read
func.func @rows(%x: memref<8x8xf32>) -> vector<2x4xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = memref.subview %x[0, 0] [2, 4] [2, 2] : memref<8x8xf32> to memref<2x4xf32, strided<[16, 2]>>
  %e = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x4xf32, strided<[16, 2]>>, vector<2x4xf32>
  return %e : vector<2x4xf32>
}
