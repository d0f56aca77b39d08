// The chapter's MyModule: te_matmul fused with te_relu in one tir.func (the
// matmul result a temporary), called from a relax dataflow block.

tir.func @te_matmul_relu(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>,
                         %out: tensor<128x128xf32> {tir.output})
    -> tensor<128x128xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128)
      : tensor<128x128xf32> {
    %a = tir.read %A[%i, %k] : tensor<128x128xf32>
    %b = tir.read %B[%k, %j] : tensor<128x128xf32>
    %p = arith.mulf %a, %b : f32
    tir.yield %p : f32
  }
  %D = tir.compute "relu" (%i, %j) : tensor<128x128xf32> {
    %c = tir.read %C[%i, %j] : tensor<128x128xf32>
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %c, %zero : f32
    tir.yield %r : f32
  }
  tir.return %D : tensor<128x128xf32>
}

func.func @main(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>)
    -> tensor<128x128xf32> {
  %R = relax.dataflow -> tensor<128x128xf32> {
    %lv = relax.call_tir @te_matmul_relu(%A, %B)
        : (tensor<128x128xf32>, tensor<128x128xf32>) -> tensor<128x128xf32>
    relax.output %lv : tensor<128x128xf32>
  }
  return %R : tensor<128x128xf32>
}
