// RUN: mlc-opt %s --mlc-approximate-vector-math | FileCheck %s

// Vector exp of f32 becomes arithmetic (no math.exp left, hence no libm
// call per lane); scalar exp and f64 vectors keep math.exp (libm).
// CHECK-LABEL: func.func @vector_f32(
// CHECK-NOT:     math.exp
// CHECK:         arith.mulf
// CHECK:         return
func.func @vector_f32(%x: vector<4x16xf32>) -> vector<4x16xf32> {
  %e = math.exp %x : vector<4x16xf32>
  return %e : vector<4x16xf32>
}

// CHECK-LABEL: func.func @left_to_libm(
// CHECK:         math.exp %{{.*}} : f32
// CHECK:         math.exp %{{.*}} : vector<8xf64>
func.func @left_to_libm(%s: f32, %d: vector<8xf64>) -> (f32, vector<8xf64>) {
  %a = math.exp %s : f32
  %b = math.exp %d : vector<8xf64>
  return %a, %b : f32, vector<8xf64>
}
