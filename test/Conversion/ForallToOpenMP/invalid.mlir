// What --convert-forall-to-openmp rejects.
// RUN: mlc-opt %s --split-input-file --convert-forall-to-openmp --verify-diagnostics

func.func @two_dims(%x: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{'scf.forall' op must be one-dimensional, on buffers (no shared outputs) and without a device mapping to become an OpenMP parallel region}}
  scf.forall (%i, %j) in (8, 8) {
    memref.store %zero, %x[%i, %j] : memref<8x8xf32>
  }
  return
}

// -----

func.func @shared_outputs(%t: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'scf.forall' op must be one-dimensional}}
  %r = scf.forall (%i) in (8) shared_outs(%o = %t) -> (tensor<8xf32>) {
    %e = tensor.extract_slice %o[%i] [1] [1] : tensor<8xf32> to tensor<1xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %e into %o[%i] [1] [1] : tensor<1xf32> into tensor<8xf32>
    }
  }
  return %r : tensor<8xf32>
}
