// The code generator's stages together (the register blocks they make for
// matmuls, convolutions, pooling, reductions, fused epilogues, dynamic
// batches, on one and two threads, for AVX-512 and AVX2), up to vector
// code (CHECK, AVX2, THREADS) and after the accumulator and contraction
// stages (HOIST, THREADS-HOIST; --mlc-codegen is all of them).
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{vector-bits=512},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize))" | FileCheck %s
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{vector-bits=512},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize),canonicalize,fold-memref-alias-ops,canonicalize,func.func(mlc-hoist-vector-transfers,mlc-lower-vector-contractions),canonicalize)" | FileCheck %s --check-prefix=HOIST
// RUN: mlc-opt %s --split-input-file --mlc-codegen="vector-bits=512" | FileCheck %s --check-prefix=HOIST
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{vector-bits=256},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize))" | FileCheck %s --check-prefix=AVX2
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{threads=2 vector-bits=512},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize))" | FileCheck %s --check-prefix=THREADS
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-select-lowering-config{threads=2 vector-bits=512},mlc-distribute-to-threads,mlc-pack-panels,mlc-tile-register-blocks,mlc-vectorize),canonicalize,fold-memref-alias-ops,canonicalize,func.func(mlc-hoist-vector-transfers,mlc-lower-vector-contractions),canonicalize)" | FileCheck %s --check-prefix=THREADS-HOIST

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

// A matmul on buffers: 64-wide column blocks outermost, 4-row blocks, then
// k; the tile is a vector.contract of a 4x1 and a 1x64 block.
// CHECK-LABEL: func.func @matmul(
// CHECK:         scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C64:.*]] {
// CHECK:           scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C4:.*]] {
// CHECK:             scf.for %[[K:.*]] =
// CHECK:               vector.transfer_read {{.*}} : memref<4x1xf32, {{.*}}>, vector<4x1xf32>
// CHECK:               vector.transfer_read {{.*}} : memref<1x64xf32, {{.*}}>, vector<1x64xf32>
// CHECK:               vector.contract
// CHECK:               vector.transfer_write {{.*}} : vector<4x64xf32>
// CHECK-NOT:     linalg.generic
// After hoisting, the 4x64 accumulator is a loop-carried vector and the
// contraction FMAs.
// HOIST-LABEL: func.func @matmul(
// HOIST:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<4x64xf32>) {
// HOIST:           vector.fma
// HOIST:           scf.yield
// HOIST:         vector.transfer_write {{.*}} : vector<4x64xf32>, memref<128x128xf32>
// For AVX2's 16 registers of 8 lanes: 32-wide column blocks (4 registers)
// of 3 rows, 12 accumulators (128 rows = 42 * 3 + 2, peeled).
// AVX2-LABEL: func.func @matmul(
// AVX2:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32:.*]] {
// AVX2:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C3:.*]] {
// AVX2:             vector.transfer_read {{.*}} : memref<3x1xf32, {{.*}}>, vector<3x1xf32>
// AVX2:             vector.transfer_read {{.*}} : memref<1x32xf32, {{.*}}>, vector<1x32xf32>
// AVX2:             vector.transfer_write {{.*}} : vector<3x32xf32>
// AVX2:             vector.transfer_write {{.*}} : vector<2x32xf32>
// With two threads, the columns split in two chunks of 64 run by an
// scf.forall, the register blocks inside.
// THREADS-LABEL: func.func @matmul(
// THREADS:         scf.forall (%{{.*}}) = (0) to (128) step (64) {
// THREADS:           scf.for
// THREADS:             vector.contract
func.func @matmul(%A: memref<128x96xf32>, %B: memref<96x128xf32>, %C: memref<128x128xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<128x96xf32>, memref<96x128xf32>) outs(%C : memref<128x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Inside a thread's chunk of several column blocks (64*256*16 iterations:
// as many as min-parallel-work asks for) the accumulator is hoisted too, though the chunk offset makes the read's and the write's
// column index two values until the hoisting pass's CSE.
// THREADS-HOIST-LABEL: func.func @matmul_chunks(
// THREADS-HOIST:         scf.forall
// THREADS-HOIST:           scf.for
// THREADS-HOIST:             scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<4x64xf32>) {
// THREADS-HOIST-NOT:           vector.transfer_write
// THREADS-HOIST:               vector.fma
// THREADS-HOIST:               scf.yield
// THREADS-HOIST:             vector.transfer_write {{.*}} : vector<4x64xf32>, memref<64x256xf32>
#ma = affine_map<(i, j, k) -> (i, k)>
#mb = affine_map<(i, j, k) -> (k, j)>
#mc = affine_map<(i, j, k) -> (i, j)>
func.func @matmul_chunks(%A: memref<64x16xf32>, %B: memref<16x256xf32>, %C: memref<64x256xf32>) {
  linalg.generic {indexing_maps = [#ma, #mb, #mc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<64x16xf32>, memref<16x256xf32>) outs(%C : memref<64x256xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A last dimension of at most 64 lanes is one block if it is whole
// registers of 16 or fits one; otherwise (24 here) it goes in whole
// registers and a remainder (16 + 8). A longer one goes in blocks of 64 and
// a remainder (96: 64 + 32); rows in blocks of 4 and a remainder (6: 4 +
// 2). Remainders are peeled off, so every tile has a static shape (and
// single-iteration loops fold away).
// CHECK-LABEL: func.func @odd_shape(
// An element-wise op goes in the output's order: the row blocks
// outermost, the columns inside each.
// CHECK:         vector.transfer_read {{.*}} vector<4x16xf32>
// CHECK:         math.exp {{.*}} : vector<4x16xf32>
// CHECK:         vector.transfer_read {{.*}} vector<4x8xf32>
// CHECK:         vector.transfer_read {{.*}} vector<2x16xf32>
// CHECK:         vector.transfer_read {{.*}} vector<2x8xf32>
// CHECK:         vector.transfer_read {{.*}} vector<3x64xf32>
// CHECK:         vector.transfer_read {{.*}} vector<3x32xf32>
// CHECK-NOT:     linalg.generic
// 100 lanes: blocks of 32 and 4 (64 would leave 36, registers and a piece).
// CHECK-LABEL: func.func @hundred_lanes(
// CHECK:         scf.for %{{.*}} = %c0 to %c96 step %c32
// CHECK:           vector.transfer_read {{.*}} vector<3x32xf32>
// CHECK:         vector.transfer_read {{.*}} vector<3x4xf32>
// CHECK-NOT:     linalg.generic
#id = affine_map<(i, j) -> (i, j)>
func.func @odd_shape(%X: memref<6x24xf32>, %Y: memref<6x24xf32>,
                     %U: memref<3x96xf32>, %V: memref<3x96xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%X : memref<6x24xf32>) outs(%Y : memref<6x24xf32>) {
  ^bb0(%x: f32, %o: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%U : memref<3x96xf32>) outs(%V : memref<3x96xf32>) {
  ^bb0(%x: f32, %o: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}
func.func @hundred_lanes(%X: memref<3x100xf32>, %Y: memref<3x100xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%X : memref<3x100xf32>) outs(%Y : memref<3x100xf32>) {
  ^bb0(%x: f32, %o: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// A dynamic batch goes in blocks of 4 rows; the last, partial block is
// peeled off and goes one row at a time. Every tile has a static shape.
// CHECK-LABEL: func.func @dynamic_batch(
// CHECK:         %[[FULL:.*]] = affine.apply #{{.*}}()[%[[N:.*]]]
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[FULL]] step %[[C4:.*]] {
// CHECK:           scf.for {{.*}} step %[[C64:.*]] {
// CHECK:             vector.transfer_read {{.*}} vector<4x64xf32>
// CHECK:         scf.for %{{.*}} = %[[FULL]] to %[[N]] step %[[C4]] {
// CHECK:           scf.for {{.*}} step %[[C64]] {
// CHECK:             scf.for
// CHECK:               vector.transfer_read {{.*}} vector<1x64xf32>
// With threads, the static columns split in two, but only when the op
// has work enough: with a dynamic loop, an scf.if on its iteration count
// chooses at run time between the split and the serial loops.
// THREADS-LABEL: func.func @dynamic_batch(
// THREADS:         %[[WORK:.*]] = arith.muli
// THREADS:         %[[BIG:.*]] = arith.cmpi sge, %[[WORK]], %{{.*}}
// THREADS:         scf.if %[[BIG]] {
// THREADS:           scf.forall (%{{.*}}) = (0) to (128) step (64) {
// THREADS:             vector.transfer_read {{.*}} vector<4x64xf32>
// THREADS:         } else {
// THREADS-NOT:       scf.forall
// THREADS:           vector.transfer_read {{.*}} vector<4x64xf32>
#id2 = affine_map<(i, j) -> (i, j)>
func.func @dynamic_batch(%X: memref<?x128xf32>, %Y: memref<?x128xf32>) {
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%X : memref<?x128xf32>) outs(%Y : memref<?x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %x, %z : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Columns that do not split (10): the dynamic rows split instead, in
// run-time chunks of whole 4-row blocks (ceil(N / 8) * 4 rows).
// THREADS-LABEL: func.func @dynamic_rows_split(
// THREADS:         scf.if
// THREADS:           %[[N:.*]] = memref.dim
// THREADS:           %[[CHUNK:.*]] = affine.apply #{{.*}}()[%[[N]]]
// THREADS:           scf.forall (%{{.*}}) = (0) to (%{{.*}}) step (%[[CHUNK]]) {
// THREADS:             vector.transfer_read {{.*}} vector<4x10xf32>
// THREADS:         } else {
#id3 = affine_map<(i, j) -> (i, j)>
func.func @dynamic_rows_split(%X: memref<?x10xf32>, %Y: memref<?x10xf32>) {
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%X : memref<?x10xf32>) outs(%Y : memref<?x10xf32>) {
  ^bb0(%x: f32, %o: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// Too little work to split (4*96*128 iterations, under min-parallel-work):
// no scf.forall even with threads.
// THREADS-LABEL: func.func @small(
// THREADS-NOT:     scf.forall
// THREADS:         vector.contract
// THREADS-NOT:     scf.forall
#sa = affine_map<(i, j, k) -> (i, k)>
#sb = affine_map<(i, j, k) -> (k, j)>
#sc = affine_map<(i, j, k) -> (i, j)>
func.func @small(%A: memref<4x96xf32>, %B: memref<96x128xf32>, %C: memref<4x128xf32>) {
  linalg.generic {indexing_maps = [#sa, #sb, #sc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<4x96xf32>, memref<96x128xf32>) outs(%C : memref<4x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A convolution (rows h + kh, columns w + kw): inside a tile kh and kw
// take one value, so the window maps become plain indices and the tile
// vectorizes. The block's rows are 4 output channels (f indexes the weight,
// not the input): each vector of 6 input columns serves all four, an outer
// product with a column of 4 weights. Its columns being one register, 4
// rows of the image fill it to 16 accumulators (6 = 4 + 2 peeled).
// CHECK-LABEL: func.func @conv(
// CHECK:         scf.for
// CHECK:           vector.transfer_read {{.*}} vector<4x6xf32>
// CHECK:           vector.transfer_read {{.*}} vector<4x1x1x1xf32>
// CHECK:           vector.transfer_read {{.*}} vector<1x4x4x6xf32>
// CHECK:           vector.contract
// CHECK-SAME:        into vector<1x4x4x6xf32>
// CHECK:           vector.contract
// CHECK-SAME:        into vector<1x4x2x6xf32>
// CHECK-NOT:     linalg.generic
// With threads, the batch splits (no static output dimension divides).
// THREADS-LABEL: func.func @conv(
// THREADS:         scf.if
// THREADS:           scf.forall
#in = affine_map<(n, f, h, w, c, kh, kw) -> (n, c, h + kh, w + kw)>
#wt = affine_map<(n, f, h, w, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, h, w, c, kh, kw) -> (n, f, h, w)>
func.func @conv(%X: memref<?x1x8x8xf32>, %W: memref<4x1x3x3xf32>, %Y: memref<?x4x6x6xf32>) {
  linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%X, %W : memref<?x1x8x8xf32>, memref<4x1x3x3xf32>) outs(%Y : memref<?x4x6x6xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The same with static shapes, which upstream's vectorization precondition
// rejects for the whole op (its window maps are not permutations); its
// tiles vectorize all the same. 8 output channels in 2 blocks of 4.
// CHECK-LABEL: func.func @static_conv(
// CHECK:         scf.for {{.*}} to %c8 step %c4
// CHECK:           vector.contract
// CHECK-SAME:        into vector<1x4x4x6xf32>
// CHECK:           vector.contract
// CHECK-SAME:        into vector<1x4x2x6xf32>
// CHECK-NOT:     linalg.generic
#in = affine_map<(n, f, h, w, c, kh, kw) -> (n, c, h + kh, w + kw)>
#wt = affine_map<(n, f, h, w, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, h, w, c, kh, kw) -> (n, f, h, w)>
func.func @static_conv(%X: memref<1x2x8x8xf32>, %W: memref<8x2x3x3xf32>) -> memref<1x8x6x6xf32> {
  %Y = memref.alloc() : memref<1x8x6x6xf32>
  linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%X, %W : memref<1x2x8x8xf32>, memref<8x2x3x3xf32>) outs(%Y : memref<1x8x6x6xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %Y : memref<1x8x6x6xf32>
}

// -----

// A read guarded by a condition (zero padding) keeps the op scalar.
// CHECK-LABEL: func.func @guarded(
// CHECK-NOT:     vector.transfer_read
// CHECK:         linalg.generic
#id2 = affine_map<(i, j) -> (i, j)>
func.func @guarded(%X: memref<6x6xf32>) -> memref<8x8xf32> {
  %Y = memref.alloc() : memref<8x8xf32>
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%Y : memref<8x8xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %i0 = arith.cmpi sge, %i, %c1 : index
    %i1 = arith.cmpi slt, %i, %c7 : index
    %a = arith.andi %i0, %i1 : i1
    %v = scf.if %a -> (f32) {
      %ii = arith.subi %i, %c1 : index
      %l = memref.load %X[%ii, %j] : memref<6x6xf32>
      scf.yield %l : f32
    } else {
      scf.yield %zero : f32
    }
    linalg.yield %v : f32
  }
  return %Y : memref<8x8xf32>
}

// -----

// Left alone: no static dimension to vectorize, and data-dependent reads.
// CHECK-LABEL: func.func @kept(
// CHECK:         linalg.generic
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
#id1 = affine_map<(i) -> (i)>
func.func @kept(%X: memref<?xf32>, %Y: memref<?xf32>, %T: memref<10xf32>,
                %I: memref<4xindex>, %Z: memref<4xf32>) {
  linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%X : memref<?xf32>) outs(%Y : memref<?xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%I : memref<4xindex>) outs(%Z : memref<4xf32>) {
  ^bb0(%i: index, %o: f32):
    %v = memref.load %T[%i] : memref<10xf32>
    linalg.yield %v : f32
  }
  return
}

// -----

// dense + bias + relu as fusion leaves it on buffers: a fill, the matmul,
// the epilogue in place. They are tiled as one group: each register block
// starts from zero accumulators and applies bias and relu to them before
// its single store (no store of zeros, no reload of the accumulators).
#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
#bias = affine_map<(i, j) -> (j)>
#id = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @dense_bias_relu(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             vector.transfer_write {{.*}} : vector<4x64xf32>
// CHECK:             scf.for
// CHECK:               vector.contract
// CHECK:             arith.maximumf {{.*}} : vector<4x64xf32>
// CHECK:             vector.transfer_write
// CHECK-NOT:     linalg.
// HOIST-LABEL: func.func @dense_bias_relu(
// HOIST:         %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4x64xf32>
// HOIST:         scf.for %[[J:.*]] =
// HOIST-NEXT:      %[[BIAS:.*]] = vector.transfer_read %{{.*}}[%[[J]]]
// HOIST-NEXT:      %[[BROADCAST:.*]] = vector.broadcast %[[BIAS]]
// HOIST-NEXT:      scf.for %[[I:.*]] =
// HOIST-NEXT:        %[[ACC:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]])
// HOIST-COUNT-4:       vector.fma {{.*}} : vector<64xf32>
// HOIST:             }
// HOIST-NEXT:        %[[SUM:.*]] = arith.addf %[[ACC]], %[[BROADCAST]]
// HOIST-NEXT:        %[[RELU:.*]] = arith.maximumf %[[SUM]], %[[ZERO]]
// HOIST-NEXT:        vector.transfer_write %[[RELU]], %{{.*}}[%[[I]], %[[J]]] {{.*}}
// HOIST-NEXT:      }
// HOIST-NEXT:    }
// HOIST-NOT:     vector.transfer_write
// HOIST:         return
func.func @dense_bias_relu(%A: memref<128x96xf32>, %B: memref<96x128xf32>, %b: memref<128xf32>) -> memref<128x128xf32> {
  %zero = arith.constant 0.0 : f32
  %C = memref.alloc() : memref<128x128xf32>
  linalg.fill ins(%zero : f32) outs(%C : memref<128x128xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<128x96xf32>, memref<96x128xf32>) outs(%C : memref<128x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<128xf32>) outs(%C : memref<128x128xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return %C : memref<128x128xf32>
}

// -----

// The same over a dynamic batch, on two threads: each thread's chunk, and
// the rows of its last partial 4-row block one at a time, keep the
// epilogue in registers.
#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
#bias = affine_map<(i, j) -> (j)>
#id = affine_map<(i, j) -> (i, j)>
// THREADS-HOIST-LABEL: func.func @dense_bias_dynamic(
// THREADS-HOIST:         scf.forall
// THREADS-HOIST:           scf.for {{.*}} step %c4
// THREADS-HOIST:             scf.for {{.*}} -> (vector<4x64xf32>)
// THREADS-HOIST:             arith.addf {{.*}} : vector<4x64xf32>
// THREADS-HOIST-NEXT:        vector.transfer_write
// THREADS-HOIST:           scf.for {{.*}} step %c4
// THREADS-HOIST:             scf.for {{.*}} step %c1
// THREADS-HOIST:               scf.for {{.*}} -> (vector<1x64xf32>)
// THREADS-HOIST:               arith.addf {{.*}} : vector<1x64xf32>
// THREADS-HOIST-NEXT:          vector.transfer_write
// THREADS-HOIST-NOT:     vector.transfer_write %cst
// THREADS-HOIST:         return
func.func @dense_bias_dynamic(%A: memref<?x784xf32>, %B: memref<784x128xf32>, %b: memref<128xf32>) -> memref<?x128xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = memref.dim %A, %c0 : memref<?x784xf32>
  %C = memref.alloc(%n) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%C : memref<?x128xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<?x784xf32>, memref<784x128xf32>) outs(%C : memref<?x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<128xf32>) outs(%C : memref<?x128xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return %C : memref<?x128xf32>
}

// -----

// Not one group: a consumer that reads the matmul's result transposed (its
// tile depends on other tiles) gets loops of its own (the fill still joins
// the matmul's); so do the fill and the matmul of a caller's buffer (it may
// alias the inputs).
#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
#t = affine_map<(i, j) -> (j, i)>
#id = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @transposed_consumer(
// CHECK:         scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK:           vector.transfer_write %cst
// CHECK:           vector.contract
// CHECK:         scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK:           vector.transpose
// CHECK-LABEL: func.func @caller_buffer(
// CHECK:         scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK-NOT:       vector.contract
// CHECK:           vector.transfer_write %cst
// CHECK:         scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK:           vector.contract
func.func @transposed_consumer(%A: memref<128x96xf32>, %B: memref<96x128xf32>, %D: memref<128x128xf32>) -> memref<128x128xf32> {
  %zero = arith.constant 0.0 : f32
  %C = memref.alloc() : memref<128x128xf32>
  linalg.fill ins(%zero : f32) outs(%C : memref<128x128xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<128x96xf32>, memref<96x128xf32>) outs(%C : memref<128x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%C : memref<128x128xf32>) outs(%C : memref<128x128xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return %C : memref<128x128xf32>
}
func.func @caller_buffer(%A: memref<128x96xf32>, %B: memref<96x128xf32>, %C: memref<128x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%C : memref<128x128xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<128x96xf32>, memref<96x128xf32>) outs(%C : memref<128x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A long row stride (4 KB) in the right operand: each 64-column panel is
// copied into a dense 512x64 buffer (the copy vectorized in 4x64 blocks),
// which the column block's register tiles read.
#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @packed_panel(
// CHECK-SAME:      %[[B:[a-z0-9]+]]: memref<512x1024xf32>
// CHECK:         scf.for %[[J:.*]] = %c0 to %c1024 step %c64 {
// CHECK:           %[[PANEL:.*]] = memref.subview %[[B]][0, %[[J]]] [512, 64] [1, 1]
// CHECK:           %[[PACKED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<512x64xf32>
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               %[[SRC:.*]] = memref.subview %[[PANEL]]
// CHECK:               %[[DST:.*]] = memref.subview %[[PACKED]]
// CHECK:               vector.transfer_read %[[SRC]]{{.*}} vector<4x64xf32>
// CHECK:               vector.transfer_write {{.*}}, %[[DST]]
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               memref.subview %[[PACKED]]
// CHECK:               vector.contract
// CHECK:           memref.dealloc %[[PACKED]]
// CHECK-LABEL: func.func @short_rows(
// CHECK-NOT:     memref.alloc
// CHECK:         return
// CHECK-LABEL: func.func @few_rows(
// CHECK-NOT:     memref.alloc
// CHECK:         return
func.func @packed_panel(%A: memref<64x512xf32>, %B: memref<512x1024xf32>, %C: memref<64x1024xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<64x512xf32>, memref<512x1024xf32>) outs(%C : memref<64x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
// Rows of 512 bytes (the MLP's 784x128 weight): no set conflicts, no copy.
func.func @short_rows(%A: memref<64x784xf32>, %B: memref<784x128xf32>, %C: memref<64x128xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<64x784xf32>, memref<784x128xf32>) outs(%C : memref<64x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
// 8 rows reuse each panel: copying it would cost as much as it saves.
func.func @few_rows(%A: memref<8x512xf32>, %B: memref<512x1024xf32>, %C: memref<8x1024xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<8x512xf32>, memref<512x1024xf32>) outs(%C : memref<8x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Max-pooling's strided window (2h + kh): with kh and kw one step each, the
// block reads a view of the input with stride 2 along h and w, and
// vectorizes.
#in = affine_map<(n, c, h, w, kh, kw) -> (n, c, h * 2 + kh, w * 2 + kw)>
#win = affine_map<(n, c, h, w, kh, kw) -> (kh)>
#win2 = affine_map<(n, c, h, w, kh, kw) -> (kw)>
#out = affine_map<(n, c, h, w, kh, kw) -> (n, c, h, w)>
// CHECK-LABEL: func.func @max_pool(
// CHECK:         scf.for
// CHECK:           %[[VIEW:.*]] = memref.subview %{{.*}}[0, 0, 0, 0] [1, 1, 4, 4] [1, 1, 2, 2]
// CHECK-SAME:        to memref<1x1x4x4xf32, strided<[256, 64, 16, 2], offset: ?>>
// CHECK:           vector.transfer_read %[[VIEW]]{{.*}} : memref<1x1x4x4xf32, strided<[256, 64, 16, 2], offset: ?>>, vector<4x4xf32>
// CHECK:           vector.multi_reduction <maximumf>
// CHECK-NOT:     linalg.generic
func.func @max_pool(%X: memref<?x4x8x8xf32>, %Y: memref<?x4x4x4xf32>, %K: memref<2xf32>) {
  linalg.generic {indexing_maps = [#in, #win, #win2, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%X, %K, %K : memref<?x4x8x8xf32>, memref<2xf32>, memref<2xf32>) outs(%Y : memref<?x4x4x4xf32>) {
  ^bb0(%x: f32, %a: f32, %b: f32, %acc: f32):
    %m = arith.maximumf %acc, %x : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// Register blocks count lanes of the output's element type: f64 has half
// as many per register as f32 (4 with AVX2), so 100 columns go in blocks of
// 16 (4 registers; 100 = 6 * 16 + 4) of 3 rows.
// AVX2-LABEL: func.func @add_f64(
// AVX2:         vector.transfer_write {{.*}} : vector<3x16xf64>
// AVX2:         vector.transfer_write {{.*}} : vector<3x4xf64>
// With AVX-512's 8 lanes: 32 columns (100 = 3 * 32 + 4) of 4 rows.
// CHECK-LABEL: func.func @add_f64(
// CHECK:         vector.transfer_write {{.*}} : vector<4x32xf64>
// CHECK:         vector.transfer_write {{.*}} : vector<4x4xf64>
#id = affine_map<(i, j) -> (i, j)>
func.func @add_f64(%A: memref<12x100xf64>, %B: memref<12x100xf64>, %C: memref<12x100xf64>) {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%A, %B : memref<12x100xf64>, memref<12x100xf64>) outs(%C : memref<12x100xf64>) {
  ^bb0(%x: f64, %y: f64, %z: f64):
    %s = arith.addf %x, %y : f64
    linalg.yield %s : f64
  }
  return
}

// -----

// With threads, a convolution whose image (14 x 14) does not split into
// whole blocks per thread splits its output channels (8 = 2 x 4).
// THREADS-LABEL: func.func @conv_channels_split(
// THREADS:         scf.forall (%{{.*}}) = (0) to (8) step (4) {
// THREADS:           vector.contract
#in = affine_map<(n, f, h, w, c, kh, kw) -> (n, c, h + kh, w + kw)>
#wt = affine_map<(n, f, h, w, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, h, w, c, kh, kw) -> (n, f, h, w)>
func.func @conv_channels_split(%X: memref<1x8x16x16xf32>, %W: memref<8x8x3x3xf32>) -> memref<1x8x14x14xf32> {
  %Y = memref.alloc() : memref<1x8x14x14xf32>
  linalg.generic {indexing_maps = [#in, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%X, %W : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>) outs(%Y : memref<1x8x14x14xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %Y : memref<1x8x14x14xf32>
}

// -----

// A sum over the contiguous last axis (softmax's, layer norm's): one
// output element per block, its whole row of 56 read as one vector and
// reduced across lanes, not 16 outputs read with a stride of 56.
// CHECK-LABEL: func.func @row_sum(
// CHECK:         scf.for {{.*}} to %c8 step %c1
// CHECK-NOT:       scf.for
// CHECK:           vector.transfer_read {{.*}} vector<1x56xf32>
// CHECK:           vector.multi_reduction <add>
// CHECK-NOT:     linalg.generic
#x = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
func.func @row_sum(%X: memref<8x56xf32>, %S: memref<8xf32>) {
  linalg.generic {indexing_maps = [#x, #row], iterator_types = ["parallel", "reduction"]}
      ins(%X : memref<8x56xf32>) outs(%S : memref<8xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A longer row goes in chunks of 4 registers that divide it (1024 = 16 x
// 64), each reduced into the accumulator: no vector longer than 4
// registers.
// CHECK-LABEL: func.func @long_row_sum(
// CHECK:         scf.for {{.*}} to %c1024 step %c64
// CHECK:           vector.transfer_read {{.*}} vector<1x64xf32>
// CHECK:           vector.multi_reduction <add>
// CHECK-NOT:     vector<1x1024xf32>
#x = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
func.func @long_row_sum(%X: memref<2x1024xf32>, %S: memref<2xf32>) {
  linalg.generic {indexing_maps = [#x, #row], iterator_types = ["parallel", "reduction"]}
      ins(%X : memref<2x1024xf32>) outs(%S : memref<2xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}
