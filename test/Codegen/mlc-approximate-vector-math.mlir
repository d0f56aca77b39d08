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

// Vector erf of f32 (GELU's) likewise: upstream's rational approximation,
// with the input's sign (erf(-0.0) is -0.0).
// CHECK-LABEL: func.func @vector_erf_f32(
// CHECK-SAME:    %[[X:.*]]: vector<4x16xf32>
// CHECK-NOT:     math.erf
// CHECK:         arith.divf
// CHECK:         %[[R:.*]] = math.copysign %{{.*}}, %[[X]] : vector<4x16xf32>
// CHECK:         return %[[R]]
func.func @vector_erf_f32(%x: vector<4x16xf32>) -> vector<4x16xf32> {
  %e = math.erf %x : vector<4x16xf32>
  return %e : vector<4x16xf32>
}

// CHECK-LABEL: func.func @left_to_libm(
// CHECK:         math.exp %{{.*}} : f32
// CHECK:         math.exp %{{.*}} : vector<8xf64>
// CHECK:         math.erf %{{.*}} : f32
// CHECK:         math.tanh %{{.*}} : vector<16xf32>
func.func @left_to_libm(%s: f32, %d: vector<8xf64>, %v: vector<16xf32>) -> (f32, vector<8xf64>, f32, vector<16xf32>) {
  %a = math.exp %s : f32
  %b = math.exp %d : vector<8xf64>
  %c = math.erf %s : f32
  %t = math.tanh %v : vector<16xf32>
  return %a, %b, %c, %t : f32, vector<8xf64>, f32, vector<16xf32>
}
