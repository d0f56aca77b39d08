// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-vectorize))" | FileCheck %s
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-vectorize),canonicalize,fold-memref-alias-ops,canonicalize,func.func(mlc-hoist-vector-transfers),canonicalize)" | FileCheck %s --check-prefix=HOIST
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-vectorize{threads=2}))" | FileCheck %s --check-prefix=THREADS
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-vectorize{threads=2}),canonicalize,fold-memref-alias-ops,canonicalize,func.func(mlc-hoist-vector-transfers),canonicalize)" | FileCheck %s --check-prefix=THREADS-HOIST

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

// A last dimension of at most 64 is one block whatever its length (24
// lanes here); a longer one goes in blocks of 64 and a remainder (96: 64 +
// 32), rows in blocks of 4 and a remainder (6: 4 + 2). Remainders are
// peeled off, so every tile has a static shape (and single-iteration loops
// fold away).
// CHECK-LABEL: func.func @odd_shape(
// CHECK:         vector.transfer_read {{.*}} vector<4x24xf32>
// CHECK:         math.exp {{.*}} : vector<4x24xf32>
// CHECK:         vector.transfer_read {{.*}} vector<2x24xf32>
// CHECK:         vector.transfer_read {{.*}} vector<3x64xf32>
// CHECK:         vector.transfer_read {{.*}} vector<3x32xf32>
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

// -----

// A dynamic batch goes in blocks of 4 rows; the last, partial block is
// peeled off and goes one row at a time. Every tile has a static shape.
// CHECK-LABEL: func.func @dynamic_batch(
// CHECK:         scf.for {{.*}} step %[[C64:.*]] {
// CHECK:           %[[FULL:.*]] = affine.apply #{{.*}}()[%[[N:.*]]]
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[FULL]] step %[[C4:.*]] {
// CHECK:             vector.transfer_read {{.*}} vector<4x64xf32>
// CHECK:           scf.for %{{.*}} = %[[FULL]] to %[[N]] step %[[C4]] {
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

// Too little work to split (8*96*128 iterations, under min-parallel-work):
// no scf.forall even with threads.
// THREADS-LABEL: func.func @small(
// THREADS-NOT:     scf.forall
// THREADS:         vector.contract
// THREADS-NOT:     scf.forall
#sa = affine_map<(i, j, k) -> (i, k)>
#sb = affine_map<(i, j, k) -> (k, j)>
#sc = affine_map<(i, j, k) -> (i, j)>
func.func @small(%A: memref<8x96xf32>, %B: memref<96x128xf32>, %C: memref<8x128xf32>) {
  linalg.generic {indexing_maps = [#sa, #sb, #sc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<8x96xf32>, memref<96x128xf32>) outs(%C : memref<8x128xf32>) {
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
// vectorizes (4 output rows of 6 at once).
// CHECK-LABEL: func.func @conv(
// CHECK:         scf.for
// CHECK:           vector.transfer_read {{.*}} vector<1x1x4x6xf32>
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
