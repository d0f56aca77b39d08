// RUN: mlc-opt %s --split-input-file --mlc-fuse-elementwise | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// An element-wise chain becomes one loop nest.
// CHECK-LABEL: func.func @chain(
// CHECK:         linalg.generic
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK-NOT:     linalg.generic
func.func @chain(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#rows = affine_map<(d0, d1) -> (d0)>

// exp into the sum over its rows: each element is read once, so the exp
// moves into the reduction.
// CHECK-LABEL: func.func @exp_into_sum(
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:           math.exp
// CHECK:           arith.addf
// CHECK-NOT:     linalg.generic
func.func @exp_into_sum(%a: tensor<4x8xf32>, %acc: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %x = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #rows], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %o, %v : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#lhs = affine_map<(i, j, k) -> (i, k)>
#rhs = affine_map<(i, j, k) -> (k, j)>
#out = affine_map<(i, j, k) -> (i, j)>

// A relu before a matmul stays on its own: fused, it would run once per
// output column.
// CHECK-LABEL: func.func @relu_before_matmul(
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK:           arith.maximumf
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[R]],
// CHECK-NOT:       arith.maximumf
func.func @relu_before_matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                              %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %m = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%r, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %m : tensor<4x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#window = affine_map<(h, w, kh, kw) -> (h + kh, w + kw)>
#weight = affine_map<(h, w, kh, kw) -> (kh, kw)>
#image = affine_map<(h, w, kh, kw) -> (h, w)>

// A convolution's zero padding (a guarded gather) stays out of the
// convolution, whose body then still vectorizes.
// CHECK-LABEL: func.func @padding_before_convolution(
// CHECK:         %[[P:.*]] = linalg.generic
// CHECK:           scf.if
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[P]],
// CHECK-NOT:       scf.if
func.func @padding_before_convolution(%x: tensor<6x6xf32>, %k: tensor<3x3xf32>,
                                      %acc: tensor<6x6xf32>) -> tensor<6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %e = tensor.empty() : tensor<8x8xf32>
  %p = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%e : tensor<8x8xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %i0 = arith.cmpi sge, %i, %c1 : index
    %i1 = arith.cmpi slt, %i, %c7 : index
    %j0 = arith.cmpi sge, %j, %c1 : index
    %j1 = arith.cmpi slt, %j, %c7 : index
    %a = arith.andi %i0, %i1 : i1
    %b = arith.andi %j0, %j1 : i1
    %in = arith.andi %a, %b : i1
    %v = scf.if %in -> (f32) {
      %ii = arith.subi %i, %c1 : index
      %jj = arith.subi %j, %c1 : index
      %l = tensor.extract %x[%ii, %jj] : tensor<6x6xf32>
      scf.yield %l : f32
    } else {
      scf.yield %zero : f32
    }
    linalg.yield %v : f32
  } -> tensor<8x8xf32>
  %c = linalg.generic {indexing_maps = [#window, #weight, #image], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%p, %k : tensor<8x8xf32>, tensor<3x3xf32>) outs(%acc : tensor<6x6xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %m = arith.mulf %v, %w : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x6xf32>
  return %c : tensor<6x6xf32>
}
