// Fuzzer crashers (issue 12): the code generator divided by a zero loop range
// (packRightPanel) and tiled a zero-size dimension (computeTileSizes) for
// nests over memref<?x0xf32>. A nest with an empty loop runs no iteration:
// it is left as it is.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{vector-bits=512},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize))" | FileCheck %s
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{threads=2 vector-bits=512},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize))" | FileCheck %s --check-prefix=THREADS

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @matmul_zero_columns(
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
func.func @matmul_zero_columns(%A: memref<?x512xf32>, %B: memref<512x0xf32>,
                               %C: memref<?x0xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<?x512xf32>, memref<512x0xf32>) outs(%C : memref<?x0xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @copy_zero_columns(
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
func.func @copy_zero_columns(%A: memref<?x0xf32>, %B: memref<?x0xf32>) {
  linalg.generic {indexing_maps = [#id, #id],
                  iterator_types = ["parallel", "parallel"]}
      ins(%A : memref<?x0xf32>) outs(%B : memref<?x0xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// UBSan (issue 12): the work of a 2^40 x 2^40 nest overflowed int64 when
// deciding whether to split it across threads. The count saturates: it has
// work enough, and splits.
#id2 = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @huge_nest(
// THREADS-LABEL: func.func @huge_nest(
// THREADS:         scf.forall
func.func @huge_nest(%A: memref<1099511627776x1099511627776xf32>,
                     %B: memref<1099511627776x1099511627776xf32>) {
  linalg.generic {indexing_maps = [#id2, #id2],
                  iterator_types = ["parallel", "parallel"]}
      ins(%A : memref<1099511627776x1099511627776xf32>)
      outs(%B : memref<1099511627776x1099511627776xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}
