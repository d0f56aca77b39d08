// mlc-run compiles and runs a function on .npy inputs. The expected numbers
// are worked out by hand: A @ B = [[5, -1], [11, -3]], relu keeps the
// positive entries.
// RUN: %PYTHON -c "import numpy as np; np.save('%t.a.npy', np.array([[1, 2], [3, 4]], 'float32')); np.save('%t.b.npy', np.array([[1, -1], [2, 0]], 'float32'))"
// RUN: mlc-run %s --input=%t.a.npy --input=%t.b.npy | FileCheck %s
// RUN: mlc-run %s --input=%t.a.npy --input=%t.b.npy --output=%t.out --quiet
// RUN: %PYTHON -c "import numpy as np; print(np.load('%t.out0.npy').tolist())" | FileCheck %s --check-prefix=SAVED
// RUN: mlc-run %s --random-inputs --seed=1 --time --repeat=3 --quiet | FileCheck %s --check-prefix=TIME
// RUN: not mlc-run %s --input=%t.a.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not mlc-run %s --function=nope --random-inputs 2>&1 | FileCheck %s --check-prefix=NAME

// CHECK: result #0: float32 (2, 2)
// CHECK-NEXT: {{\[\[}}5, 0],
// CHECK-NEXT: {{ \[}}11, 0]]
// SAVED: {{\[\[}}5.0, 0.0], [11.0, 0.0]]
// TIME: main: median {{[0-9.]+}} ms, min {{[0-9.]+}} ms over 3 calls
// COUNT: mlc-run: error: main takes 2 inputs, got 1 --input files
// NAME: mlc-run: error: no function named 'nope' (the executable has: mm_relu, main)

tir.func @mm_relu(%A: tensor<2x2xf32>, %B: tensor<2x2xf32>)
    -> tensor<2x2xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 2) : tensor<2x2xf32> {
    %a = tir.read %A[%i, %k] : tensor<2x2xf32>
    %b = tir.read %B[%k, %j] : tensor<2x2xf32>
    %p = arith.mulf %a, %b : f32
    tir.yield %p : f32
  }
  %D = tir.compute "relu" (%i, %j) : tensor<2x2xf32> {
    %c = tir.read %C[%i, %j] : tensor<2x2xf32>
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %c, %z : f32
    tir.yield %r : f32
  }
  tir.return %D : tensor<2x2xf32>
}

func.func @main(%A: tensor<2x2xf32>, %B: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %R = relax.dataflow -> tensor<2x2xf32> {
    %x = relax.call_tir @mm_relu(%A, %B)
        : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    relax.output %x : tensor<2x2xf32>
  }
  return %R : tensor<2x2xf32>
}
