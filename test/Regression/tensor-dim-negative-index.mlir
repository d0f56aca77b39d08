// Fuzzer crasher (issue 12): a tensor.dim whose constant dimension is out of
// range (valid IR, undefined at run time) crashed the value-bounds analysis
// behind --convert-tir-to-linalg. Such a size is simply not provably the
// read tensor's, so the read stays a tensor.extract.
// RUN: mlc-opt %s --convert-tir-to-linalg | FileCheck %s
// RUN: mlc-opt %s --mlc-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: tir.func @negative_dim(
// CHECK:         %[[N:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?xf32>
// CHECK:         linalg.generic
// CHECK:           tensor.extract
// LLVM-LABEL: llvm.func @negative_dim(
tir.func @negative_dim(%A: tensor<?xf32>) -> tensor<?xf32> {
  %c = arith.constant -1 : index
  %n = tensor.dim %A, %c : tensor<?xf32>
  %B = tir.compute "copy" (%i) sizes(%n) : tensor<?xf32> {
    %a = tir.read %A[%i] : tensor<?xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<?xf32>
}
