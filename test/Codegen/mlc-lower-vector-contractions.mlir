// The contraction stage: a matmul block becomes outer products (one FMA
// per row), a block scaled by a broadcast weight (one-step reductions, a
// dimension indexing both operands) element-wise FMAs, a dot product a
// multiply and a lane reduction, a row reduction one lane reduction per
// row. The multiplications and additions this makes may contract into
// FMAs; the model's own (`x * s + b`) keep their rounding.
// RUN: mlc-opt %s --split-input-file --mlc-lower-vector-contractions | FileCheck %s
// RUN: mlc-opt %s --split-input-file --mlc-lower-vector-contractions=contract=false | FileCheck %s --check-prefix=EXACT

// CHECK-LABEL: func.func @matmul_block(
// CHECK-COUNT-4: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT:     vector.contract
// CHECK-LABEL: func.func @scaled_block(
// CHECK:         vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NEXT:    return
// CHECK-LABEL: func.func @dot(
// CHECK:         %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : vector<16xf32>
// CHECK:         vector.reduction <add>, %[[P]], %{{.*}} : vector<16xf32> into f32
// CHECK-LABEL: func.func @own(
// CHECK:         arith.mulf %{{.*}}, %{{[a-z0-9]+}} : vector<16xf32>
// CHECK:         arith.addf %{{.*}}, %{{[a-z0-9]+}} : vector<16xf32>
// CHECK-NOT:     mlc.own_rounding
// CHECK-LABEL: func.func @row_max(
// CHECK-COUNT-4: vector.reduction <maximumf>, %{{.*}}, %{{.*}} : vector<16xf32> into f32
// EXACT-NOT:     fastmath
func.func @matmul_block(%a: vector<4x1xf32>, %b: vector<1x16xf32>, %acc: vector<4x16xf32>) -> vector<4x16xf32> {
  %r = vector.contract {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
  return %r : vector<4x16xf32>
}
func.func @scaled_block(%x: vector<1x16xf32>, %w: vector<1x16xf32>, %acc: vector<16xf32>) -> vector<16xf32> {
  %r = vector.contract {indexing_maps = [affine_map<(w, c) -> (c, w)>, affine_map<(w, c) -> (c, w)>, affine_map<(w, c) -> (w)>], iterator_types = ["parallel", "reduction"], kind = #vector.kind<add>} %x, %w, %acc : vector<1x16xf32>, vector<1x16xf32> into vector<16xf32>
  return %r : vector<16xf32>
}
func.func @dot(%x: vector<16xf32>, %y: vector<16xf32>, %acc: f32) -> f32 {
  %r = vector.contract {indexing_maps = [affine_map<(k) -> (k)>, affine_map<(k) -> (k)>, affine_map<(k) -> ()>], iterator_types = ["reduction"], kind = #vector.kind<add>} %x, %y, %acc : vector<16xf32>, vector<16xf32> into f32
  return %r : f32
}
func.func @own(%x: vector<16xf32>, %s: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %p = arith.mulf %x, %s : vector<16xf32>
  %r = arith.addf %p, %b : vector<16xf32>
  return %r : vector<16xf32>
}
func.func @row_max(%x: vector<4x16xf32>, %acc: vector<4xf32>) -> vector<4xf32> {
  %r = vector.multi_reduction <maximumf>, %x, %acc [1] : vector<4x16xf32> to vector<4xf32>
  return %r : vector<4xf32>
}
