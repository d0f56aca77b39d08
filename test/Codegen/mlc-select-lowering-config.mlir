// The strategy stage: the lowering config chosen for each op (register
// block, loop order, row reduction, thread split, packing, groups), for
// AVX-512's 32 registers of 16 floats, AVX2's 16 of 8, and two threads.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{vector-bits=512}))" | FileCheck %s
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{vector-bits=256}))" | FileCheck %s --check-prefix=AVX2
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{threads=2 vector-bits=512}))" | FileCheck %s --check-prefix=THREADS

// A matmul's block: 32 of the 100 columns (100 = 3 x 32 + 4, the rest fits
// in one register), 4 rows, column blocks outermost (an outer product). With
// for AVX2 3 rows of 32. On two threads the columns do not split into whole
// blocks (100 / 2 / 32), the rows do: 2 chunks of 64 rows.
// CHECK-LABEL: func.func @matmul
// CHECK: mlc.lowering_config = {interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 32, 0>}
// AVX2-LABEL: func.func @matmul
// AVX2: mlc.lowering_config = {interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 3, 32, 0>}
// THREADS-LABEL: func.func @matmul
// THREADS: mlc.lowering_config = {distribute = array<i64: 0, 4, 2>, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 32, 0>}
#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
func.func @matmul(%A: memref<128x96xf32>, %B: memref<96x100xf32>, %C: memref<128x100xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<128x96xf32>, memref<96x100xf32>) outs(%C : memref<128x100xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A 3x3 convolution: 16 pixels of a row (56 = 3 x 16 + 8), 4 output
// channels (which share each input vector: an outer product), and 4 rows
// of the image to fill AVX-512's 16 accumulators (with AVX2 3 x 2 x 16 lanes in
// 2 registers, 12 accumulators). Two threads split the image rows (56 / 2
// is 7 blocks of 4).
// CHECK-LABEL: func.func @conv
// CHECK: mlc.lowering_config = {interchange = array<i64: 3, 1, 2, 0, 4, 5, 6>, register_tile = array<i64: 1, 4, 4, 16, 0, 0, 0>}
// AVX2-LABEL: func.func @conv
// AVX2: mlc.lowering_config = {interchange = array<i64: 3, 1, 2, 0, 4, 5, 6>, register_tile = array<i64: 1, 3, 2, 16, 0, 0, 0>}
// THREADS-LABEL: func.func @conv
// THREADS: mlc.lowering_config = {distribute = array<i64: 2, 4, 2>, interchange = array<i64: 3, 1, 2, 0, 4, 5, 6>, register_tile = array<i64: 1, 4, 4, 16, 0, 0, 0>}
#in = affine_map<(n, o, h, w, c, kh, kw) -> (n, c, h + kh, w + kw)>
#wt = affine_map<(n, o, h, w, c, kh, kw) -> (o, c, kh, kw)>
#out = affine_map<(n, o, h, w, c, kh, kw) -> (n, o, h, w)>
func.func @conv(%x: memref<1x64x58x58xf32>, %w: memref<64x64x3x3xf32>, %y: memref<1x64x56x56xf32>) {
  linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x64x58x58xf32>, memref<64x64x3x3xf32>) outs(%y : memref<1x64x56x56xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A sum over rows of 1000: with AVX2, along the row 8 lanes at a time (1000
// = 125 x 8), one output element per block; with AVX-512 no chunk of 16,
// 32 or 64 lanes divides the row, so the 8 outputs are the lanes (strided
// reads). 8000 iterations are too few to wake a second thread.
// CHECK-LABEL: func.func @softmax_sum
// CHECK: mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 8, 0>}
// AVX2-LABEL: func.func @softmax_sum
// AVX2: mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 1, 0>, row_reduction = array<i64: 1, 8>}
// THREADS-LABEL: func.func @softmax_sum
// THREADS-NOT: distribute
func.func @softmax_sum(%x: memref<8x1000xf32>, %y: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<8x1000xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A dynamic batch: blocks of 4 rows (the last one peeled later); the split
// across threads is decided at run time against min_parallel_work.
// CHECK-LABEL: func.func @relu_dynamic
// CHECK: mlc.lowering_config = {interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}
// THREADS-LABEL: func.func @relu_dynamic
// THREADS: mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, interchange = array<i64: 0, 1>, min_parallel_work = 65536 : i64, register_tile = array<i64: 4, 64>}
func.func @relu_dynamic(%x: memref<?x256xf32>, %y: memref<?x256xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<?x256xf32>) outs(%y : memref<?x256xf32>) {
  ^bb0(%a: f32, %b: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A data-dependent read does not vectorize: no config, scalar code.
// CHECK-LABEL: func.func @gather
// CHECK-NOT: mlc.lowering_config
func.func @gather(%x: memref<16xf32>, %i: memref<64xindex>, %y: memref<64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(j) -> (j)>, affine_map<(j) -> (j)>], iterator_types = ["parallel"]}
      ins(%i : memref<64xindex>) outs(%y : memref<64xf32>) {
  ^bb0(%k: index, %b: f32):
    %v = memref.load %x[%k] : memref<16xf32>
    linalg.yield %v : f32
  }
  return
}

// -----

// A dense layer's fill, matmul and bias add form group 0, tiled as one.
// CHECK-LABEL: func.func @dense_bias
// CHECK: linalg.fill {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 32>}
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 32, 0>}
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 32>}
func.func @dense_bias(%A: memref<4x64xf32>, %B: memref<64x32xf32>, %bias: memref<32xf32>) -> memref<4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %C = memref.alloc() : memref<4x32xf32>
  linalg.fill ins(%zero : f32) outs(%C : memref<4x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<4x64xf32>, memref<64x32xf32>) outs(%C : memref<4x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<32xf32>) outs(%C : memref<4x32xf32>) {
  ^bb0(%b: f32, %c: f32):
    %s = arith.addf %c, %b : f32
    linalg.yield %s : f32
  }
  return %C : memref<4x32xf32>
}

// -----

// sgemm 1024: the right operand's rows are 4 KB apart, its panels 1024
// deep, reused by 1024 rows: packed. On two threads the columns split
// (512 each, still whole blocks of 64).
// CHECK-LABEL: func.func @sgemm
// CHECK: mlc.lowering_config = {interchange = array<i64: 1, 0, 2>, pack_operand = 1 : i64, register_tile = array<i64: 4, 64, 0>}
// THREADS-LABEL: func.func @sgemm
// THREADS: mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, interchange = array<i64: 1, 0, 2>, pack_operand = 1 : i64, register_tile = array<i64: 4, 64, 0>}
func.func @sgemm(%A: memref<1024x1024xf32>, %B: memref<1024x1024xf32>, %C: memref<1024x1024xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<1024x1024xf32>, memref<1024x1024xf32>) outs(%C : memref<1024x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A mean over 7 x 7 into 1 x 512 x 1 x 1: the fill and the division alone
// would gain nothing from register blocks (one lane), so they are tiled
// only with the sum (group_only), which reads its rows of 7 whole.
// CHECK-LABEL: func.func @mean
// CHECK: linalg.fill {{.*}}mlc.lowering_config = {group = 0 : i64, group_only, interchange = array<i64: 0, 1, 2, 3>, register_tile = array<i64: 1, 1, 1, 1>}
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1, 2, 3, 4, 5>, register_tile = array<i64: 1, 1, 1, 1, 0, 0>, row_reduction = array<i64: 5, 7>}
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {group = 0 : i64, group_only, interchange = array<i64: 0, 1, 2, 3>, register_tile = array<i64: 1, 1, 1, 1>}
func.func @mean(%arg0: memref<1x512x7x7xf32>) -> memref<1x512x1x1xf32> {
  %cst = arith.constant 4.900000e+01 : f32
  %cst_0 = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<1x512x1x1xf32>
  linalg.fill ins(%cst_0 : f32) outs(%alloc : memref<1x512x1x1xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : memref<1x512x7x7xf32>) outs(%alloc : memref<1x512x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %out, %in : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%alloc : memref<1x512x1x1xf32>) {
  ^bb0(%out: f32):
    %0 = arith.divf %out, %cst : f32
    linalg.yield %0 : f32
  }
  return %alloc : memref<1x512x1x1xf32>
}

// -----

// A config already there (chosen by hand) is kept; an empty loop gets none.
// CHECK-LABEL: func.func @chosen
// CHECK: mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8>}
// CHECK-LABEL: func.func @empty
// CHECK-NOT: mlc.lowering_config
func.func @chosen(%x: memref<64xf32>, %y: memref<64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<64xf32>) outs(%y : memref<64xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}
func.func @empty(%x: memref<?x0xf32>, %y: memref<?x0xf32>) {
  linalg.copy ins(%x : memref<?x0xf32>) outs(%y : memref<?x0xf32>)
  return
}

// -----

// A stride-2 convolution reads each vector of inputs with a shuffle: the
// block is one register of pixels by as many output channels as there are
// accumulators (16 with AVX-512, 12 with AVX2), no rows of the image
// (pixel blocks outermost, then channels, then the rest in order).
// CHECK-LABEL: func.func @conv_stride_2
// CHECK: mlc.lowering_config = {interchange = array<i64: 3, 1, 0, 2, 4, 5, 6>, register_tile = array<i64: 1, 16, 1, 16, 0, 0, 0>}
// AVX2-LABEL: func.func @conv_stride_2
// AVX2: mlc.lowering_config = {interchange = array<i64: 3, 1, 0, 2, 4, 5, 6>, register_tile = array<i64: 1, 12, 1, 8, 0, 0, 0>}
#in2 = affine_map<(n, o, h, w, c, kh, kw) -> (n, c, 2 * h + kh, 2 * w + kw)>
#wt2 = affine_map<(n, o, h, w, c, kh, kw) -> (o, c, kh, kw)>
#out2 = affine_map<(n, o, h, w, c, kh, kw) -> (n, o, h, w)>
func.func @conv_stride_2(%x: memref<1x64x57x57xf32>, %w: memref<128x64x3x3xf32>, %y: memref<1x128x28x28xf32>) {
  linalg.generic {indexing_maps = [#in2, #wt2, #out2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x64x57x57xf32>, memref<128x64x3x3xf32>) outs(%y : memref<1x128x28x28xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A matmul one register of columns wide but longer than one (a 1x1
// convolution over 7 x 7 pixels merged into rows of 49: blocks of 16, the
// last column peeled) takes twice the rows (8), so that a block has as many
// accumulators as a wider one. AVX2's block of 16 lanes is two registers:
// 3 rows as usual. On two threads the output channels split. (Row blocks
// go outermost: the weights outweigh the pixels, see weights_stationary.)
// CHECK-LABEL: func.func @narrow_matmul
// CHECK: mlc.lowering_config = {interchange = array<i64: 1, 2, 0, 3>, register_tile = array<i64: 1, 8, 16, 0>}
// AVX2-LABEL: func.func @narrow_matmul
// AVX2: mlc.lowering_config = {interchange = array<i64: 1, 2, 0, 3>, register_tile = array<i64: 1, 3, 16, 0>}
// THREADS-LABEL: func.func @narrow_matmul
// THREADS: mlc.lowering_config = {distribute = array<i64: 1, 8, 2>, interchange = array<i64: 1, 2, 0, 3>, register_tile = array<i64: 1, 8, 16, 0>}
func.func @narrow_matmul(%w: memref<512x256xf32>, %x: memref<1x256x49xf32>, %y: memref<1x512x49xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, o, p, c) -> (o, c)>, affine_map<(n, o, p, c) -> (n, c, p)>, affine_map<(n, o, p, c) -> (n, o, p)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<512x256xf32>, memref<1x256x49xf32>) outs(%y : memref<1x512x49xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Parallel loops outside an outer product's block (a batch of 8 images)
// go outermost, so that the panel of pixels the blocks of output channels
// share is one image's: a 1x1 convolution, 64 -> 256 over 56 x 56.
// CHECK-LABEL: func.func @batched_outer_product
// CHECK: mlc.lowering_config = {interchange = array<i64: 0, 3, 1, 2, 4>, register_tile = array<i64: 1, 4, 4, 16, 0>}
// AVX2-LABEL: func.func @batched_outer_product
// AVX2: interchange = array<i64: 0, 3, 1, 2, 4>
// THREADS-LABEL: func.func @batched_outer_product
// THREADS: interchange = array<i64: 0, 3, 1, 2, 4>
func.func @batched_outer_product(%w: memref<256x64xf32>, %x: memref<8x64x56x56xf32>, %y: memref<8x256x56x56xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, o, h, v, c) -> (o, c)>, affine_map<(n, o, h, v, c) -> (n, c, h, v)>, affine_map<(n, o, h, v, c) -> (n, o, h, v)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<256x64xf32>, memref<8x64x56x56xf32>) outs(%y : memref<8x256x56x56xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Row blocks outermost when the rows' operand (a 1x1 convolution's 885 KB
// of weights, 192 -> 1152 over 7 x 7) does not fit 256 KB of cache and
// the columns' does (37 KB of pixels, which stay in cache across all row
// blocks): each block of
// weights is read once, not once per block of columns.
// CHECK-LABEL: func.func @weights_stationary
// CHECK: mlc.lowering_config = {interchange = array<i64: 1, 2, 0, 3>, register_tile = array<i64: 1, 8, 16, 0>}
// AVX2-LABEL: func.func @weights_stationary
// AVX2: interchange = array<i64: 1, 2, 0, 3>
// THREADS-LABEL: func.func @weights_stationary
// THREADS: interchange = array<i64: 1, 2, 0, 3>
func.func @weights_stationary(%w: memref<1152x192xf32>, %x: memref<1x192x49xf32>, %y: memref<1x1152x49xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, o, p, c) -> (o, c)>, affine_map<(n, o, p, c) -> (n, c, p)>, affine_map<(n, o, p, c) -> (n, o, p)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<1152x192xf32>, memref<1x192x49xf32>) outs(%y : memref<1x1152x49xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// On tensors (where the pipeline runs the strategy): the group is the
// chain of destinations, fill of a tensor.empty -> matmul -> bias add.
// The sgemm-sized right operand is packed as on buffers (its tensor's
// rows are 4 KB apart in the identity layout it bufferizes to).
// CHECK-LABEL: func.func @dense_bias_on_tensors
// CHECK: linalg.fill {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 1, 0, 2>, pack_operand = 1 : i64, register_tile = array<i64: 4, 64, 0>}
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}
// THREADS-LABEL: func.func @dense_bias_on_tensors
// THREADS: linalg.generic {{.*}}mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64,
func.func @dense_bias_on_tensors(%A: tensor<1024x1024xf32>, %B: tensor<1024x1024xf32>, %bias: tensor<1024xf32>) -> tensor<1024x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x1024xf32>
  %C = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%C : tensor<1024x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  %E = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<1024xf32>) outs(%D : tensor<1024x1024xf32>) {
  ^bb0(%b: f32, %c: f32):
    %s = arith.addf %c, %b : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %E : tensor<1024x1024xf32>
}

// -----

// An epilogue that reads a value made after the matmul (%scaled) is not in
// the group: the later stages tile members at the contraction's place,
// where that value does not exist yet. Nor is a fill whose result has
// another use.
// CHECK-LABEL: func.func @no_group_on_tensors
// CHECK: linalg.fill {{.*}}mlc.lowering_config = {interchange
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}mlc.lowering_config = {interchange
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {interchange
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {interchange
func.func @no_group_on_tensors(%A: tensor<4x64xf32>, %B: tensor<64x32xf32>, %bias: tensor<32xf32>) -> (tensor<4x32xf32>, tensor<4x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %C = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<4x64xf32>, tensor<64x32xf32>) outs(%C : tensor<4x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %eb = tensor.empty() : tensor<32xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(j) -> (j)>, affine_map<(j) -> (j)>], iterator_types = ["parallel"]}
      ins(%bias : tensor<32xf32>) outs(%eb : tensor<32xf32>) {
  ^bb0(%b: f32, %o: f32):
    %s = arith.mulf %b, %b : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  %E = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%scaled : tensor<32xf32>) outs(%D : tensor<4x32xf32>) {
  ^bb0(%b: f32, %c: f32):
    %s = arith.addf %c, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %F = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%C : tensor<4x32xf32>) outs(%e : tensor<4x32xf32>) {
  ^bb0(%c: f32, %o: f32):
    linalg.yield %c : f32
  } -> tensor<4x32xf32>
  return %E, %F : tensor<4x32xf32>, tensor<4x32xf32>
}

// -----

// An epilogue that reads the matmul's result as an input as well as its
// destination joins no group on tensors (fused through both slices, the
// matmul would be computed twice per thread chunk).
// CHECK-LABEL: func.func @read_twice_on_tensors
// CHECK: linalg.fill {{.*}}mlc.lowering_config = {group = 0 : i64,
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}mlc.lowering_config = {group = 0 : i64,
// CHECK: linalg.generic {{.*}}mlc.lowering_config = {interchange
func.func @read_twice_on_tensors(%A: tensor<4x64xf32>, %B: tensor<64x32xf32>) -> tensor<4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32xf32>
  %C = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<4x64xf32>, tensor<64x32xf32>) outs(%C : tensor<4x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  %E = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%D : tensor<4x32xf32>) outs(%D : tensor<4x32xf32>) {
  ^bb0(%b: f32, %c: f32):
    %s = arith.mulf %c, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x32xf32>
  return %E : tensor<4x32xf32>
}
