// Rows shorter than a register (7 or 14 pixels) merged with the dimension
// before them when every operand reads the two as consecutive plain
// indices: a 1x1 convolution over 7 x 7 computes rows of 49; a 3-d
// element-wise op merges 6 x 7 into 42 (then long enough); a window
// (h + kh), long rows and a transposed read stay as they are. An input's
// constant index into a unit dimension (a bias's (n, c, 0, 0), a 1x1
// kernel's (o, c, 0, 0)) is dropped first (the input reshaped without it).
// RUN: mlc-opt %s --mlc-collapse-short-rows | FileCheck %s
// RUN: mlc-opt %s --mlc-collapse-short-rows=max-row=8 | FileCheck %s --check-prefix=SHORT

// CHECK-LABEL: func.func @conv1x1(
// CHECK:         %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x512x7x7xf32> into tensor<1x512x49xf32>
// CHECK:         %[[INIT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x2048x7x7xf32> into tensor<1x2048x49xf32>
// CHECK:         %[[R:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}} ins(%[[X]], %{{.*}} : tensor<1x512x49xf32>, tensor<2048x512xf32>) outs(%[[INIT]] : tensor<1x2048x49xf32>)
// CHECK:         tensor.expand_shape %[[R]] {{\[\[}}0], [1], [2, 3]] output_shape [1, 2048, 7, 7]
// CHECK-LABEL: func.func @bias_relu_3d(
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] : tensor<2x8x4x6x7xf32> into tensor<2x8x4x42xf32>
// CHECK:         } -> tensor<2x8x4x42xf32>
// CHECK-NOT:     tensor.collapse_shape
// CHECK-LABEL: func.func @window(
// CHECK-NOT:     tensor.collapse_shape
// CHECK-LABEL: func.func @long_rows(
// CHECK-NOT:     tensor.collapse_shape
// CHECK-LABEL: func.func @transposed(
// CHECK-NOT:     tensor.collapse_shape
// CHECK-LABEL: func.func @broadcast_bias(
// CHECK:         %[[B:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<1x8x1x1xf32> into tensor<1x8xf32>
// CHECK:         %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x8x7x7xf32> into tensor<1x8x49xf32>
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[B]] : tensor<1x8xf32>) outs(%[[X]] : tensor<1x8x49xf32>)
// CHECK-LABEL: func.func @conv1x1_kernel(
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] : tensor<16x8x1x1xf32> into tensor<16x8xf32>
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x8x7x7xf32> into tensor<1x8x49xf32>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<1x16x49xf32>
// CHECK:         %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x16x49xf32>)
// CHECK:         linalg.generic {{.*}} outs(%[[F]] : tensor<1x16x49xf32>)
// CHECK:         tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 16, 7, 7]
// Rows of 7 are short for max-row=8; the merged 42 is not.
// SHORT-LABEL: func.func @conv1x1(
// SHORT:         tensor<1x512x49xf32>
func.func @conv1x1(%x: tensor<1x512x7x7xf32>, %w: tensor<2048x512xf32>, %init: tensor<1x2048x7x7xf32>) -> tensor<1x2048x7x7xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(n, o, h, w, c) -> (n, c, h, w)>, affine_map<(n, o, h, w, c) -> (o, c)>, affine_map<(n, o, h, w, c) -> (n, o, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x512x7x7xf32>, tensor<2048x512xf32>) outs(%init : tensor<1x2048x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x2048x7x7xf32>
  return %r : tensor<1x2048x7x7xf32>
}
func.func @bias_relu_3d(%x: tensor<2x8x4x6x7xf32>, %b: tensor<8xf32>) -> tensor<2x8x4x6x7xf32> {
  %e = tensor.empty() : tensor<2x8x4x6x7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, d, h, w) -> (n, c, d, h, w)>, affine_map<(n, c, d, h, w) -> (c)>, affine_map<(n, c, d, h, w) -> (n, c, d, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %b : tensor<2x8x4x6x7xf32>, tensor<8xf32>) outs(%e : tensor<2x8x4x6x7xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<2x8x4x6x7xf32>
  return %r : tensor<2x8x4x6x7xf32>
}
func.func @window(%x: tensor<1x8x9x9xf32>, %w: tensor<8x8x3x3xf32>, %init: tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(n, o, h, w, c, kh, kw) -> (n, c, h + kh, w + kw)>, affine_map<(n, o, h, w, c, kh, kw) -> (o, c, kh, kw)>, affine_map<(n, o, h, w, c, kh, kw) -> (n, o, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x8x9x9xf32>, tensor<8x8x3x3xf32>) outs(%init : tensor<1x8x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}
func.func @long_rows(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %e = tensor.empty() : tensor<4x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x64xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x64xf32>
  return %r : tensor<4x64xf32>
}
func.func @transposed(%x: tensor<7x7xf32>) -> tensor<7x7xf32> {
  %e = tensor.empty() : tensor<7x7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<7x7xf32>) outs(%e : tensor<7x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<7x7xf32>
  return %r : tensor<7x7xf32>
}
func.func @broadcast_bias(%x: tensor<1x8x7x7xf32>, %b: tensor<1x8x1x1xf32>) -> tensor<1x8x7x7xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, 0, 0)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<1x8x1x1xf32>) outs(%x : tensor<1x8x7x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}

// A 1x1 convolution as topi writes it: the kernel read at (o, c, 0, 0).
// The merged op's destination folds to a fill of a fresh 1 x 16 x 49
// tensor (not a reshape of the 4-d one), so that its accumulators are not
// read through a view after bufferization.
func.func @conv1x1_kernel(%x: tensor<1x8x7x7xf32>, %w: tensor<16x8x1x1xf32>) -> tensor<1x16x7x7xf32> {
  %e = tensor.empty() : tensor<1x16x7x7xf32>
  %zero = arith.constant 0.0 : f32
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, o, h, w, c) -> (o, c, 0, 0)>, affine_map<(n, o, h, w, c) -> (n, c, h, w)>, affine_map<(n, o, h, w, c) -> (n, o, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8x1x1xf32>, tensor<1x8x7x7xf32>) outs(%init : tensor<1x16x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x16x7x7xf32>
  return %r : tensor<1x16x7x7xf32>
}

// A body reading its indices keeps them (merged, they would come back by
// division and remainder).
// CHECK-LABEL: func.func @reads_indices(
// CHECK-NOT:     tensor.collapse_shape
func.func @reads_indices(%x: tensor<4x7xf32>) -> tensor<4x7xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      outs(%x : tensor<4x7xf32>) {
  ^bb0(%o: f32):
    %j = linalg.index 1 : index
    %k = arith.index_cast %j : index to i32
    %f = arith.sitofp %k : i32 to f32
    %s = arith.addf %o, %f : f32
    linalg.yield %s : f32
  } -> tensor<4x7xf32>
  return %r : tensor<4x7xf32>
}

// A result read by a user at a constant index (a broadcast of a unit
// dimension) that stays as it is (here: its body reads its indices) is not
// merged: upstream fold-memref-alias-ops folds such a read of the expanded
// view into the wrong elements.
// CHECK-LABEL: func.func @broadcast_user(
// CHECK-NOT:     tensor.collapse_shape
// CHECK-NOT:     tensor.expand_shape
func.func @broadcast_user(%x: tensor<1x3x5xf32>) -> tensor<1x3x5xf32> {
  %e = tensor.empty() : tensor<1x3x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, l, s) -> (n, l, s)>, affine_map<(n, l, s) -> (n, l, s)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x3x5xf32>) outs(%e : tensor<1x3x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<1x3x5xf32>
  %e2 = tensor.empty() : tensor<1x3x5xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(n, l, s) -> (0, l, s)>, affine_map<(n, l, s) -> (n, l, s)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r : tensor<1x3x5xf32>) outs(%e2 : tensor<1x3x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 2 : index
    %k = arith.index_cast %i : index to i32
    %f = arith.sitofp %k : i32 to f32
    %n = arith.addf %a, %f : f32
    linalg.yield %n : f32
  } -> tensor<1x3x5xf32>
  return %d : tensor<1x3x5xf32>
}

// Such a user that is merged itself drops its constant index (it reads a
// collapse of the result); then the result is merged too, its expansion
// folding with that collapse: no read of an expanded view is left, and
// none at a constant index.
// CHECK-LABEL: func.func @broadcast_user_merged(
// CHECK:         %[[R:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x15xf32>)
// CHECK:         %[[C:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1]] : tensor<1x15xf32> into tensor<15xf32>
// CHECK:         linalg.generic {{.*}} ins(%[[C]] : tensor<15xf32>)
// CHECK:         tensor.expand_shape
// CHECK-NEXT:    return
func.func @broadcast_user_merged(%x: tensor<1x3x5xf32>) -> tensor<1x3x5xf32> {
  %e = tensor.empty() : tensor<1x3x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, l, s) -> (n, l, s)>, affine_map<(n, l, s) -> (n, l, s)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x3x5xf32>) outs(%e : tensor<1x3x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<1x3x5xf32>
  %e2 = tensor.empty() : tensor<1x3x5xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(n, l, s) -> (0, l, s)>, affine_map<(n, l, s) -> (n, l, s)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r : tensor<1x3x5xf32>) outs(%e2 : tensor<1x3x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<1x3x5xf32>
  return %d : tensor<1x3x5xf32>
}

// Likewise through a reshape: the result's collapse is read at a constant
// index by an op that stays as it is, so the result is not merged either.
// CHECK-LABEL: func.func @broadcast_user_of_a_reshape(
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<1x3x5xf32>)
// CHECK-NOT:     tensor.expand_shape
func.func @broadcast_user_of_a_reshape(%x: tensor<1x3x5xf32>) -> tensor<1x15xf32> {
  %e = tensor.empty() : tensor<1x3x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, l, s) -> (n, l, s)>, affine_map<(n, l, s) -> (n, l, s)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x3x5xf32>) outs(%e : tensor<1x3x5xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<1x3x5xf32>
  %c = tensor.collapse_shape %r [[0], [1, 2]] : tensor<1x3x5xf32> into tensor<1x15xf32>
  %e2 = tensor.empty() : tensor<1x15xf32>
  %d = linalg.generic {indexing_maps = [affine_map<(n, s) -> (0, s)>, affine_map<(n, s) -> (n, s)>], iterator_types = ["parallel", "parallel"]}
      ins(%c : tensor<1x15xf32>) outs(%e2 : tensor<1x15xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 1 : index
    %k = arith.index_cast %i : index to i32
    %f = arith.sitofp %k : i32 to f32
    %n = arith.addf %a, %f : f32
    linalg.yield %n : f32
  } -> tensor<1x15xf32>
  return %d : tensor<1x15xf32>
}
