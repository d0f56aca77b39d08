// RUN: mlc-opt %s --split-input-file --convert-tir-to-linalg | FileCheck %s

// A reduction: fill with the identity, affine reads as inputs, the body
// accumulates. The temporary flows into the relu generic.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: tir.func @mm_relu(
// CHECK-SAME:    %[[ARG_A:.*]]: tensor<128x128xf32>, %[[ARG_B:.*]]: tensor<128x128xf32>
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<128x128xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<128x128xf32>)
// CHECK:         %[[MM:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[ARG_A]], %[[ARG_B]] : tensor<128x128xf32>, tensor<128x128xf32>) outs(%[[FILL]] : tensor<128x128xf32>)
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:           %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:           %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         %[[RELU:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[MM]] : tensor<128x128xf32>)
// CHECK:           arith.maximumf
// CHECK:         tir.return %[[RELU]]
// CHECK-NOT:     tir.compute
// CHECK-NOT:     tir.read
tir.func @mm_relu(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>)
    -> tensor<128x128xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128) : tensor<128x128xf32> {
    %a = tir.read %A[%i, %k] : tensor<128x128xf32>
    %b = tir.read %B[%k, %j] : tensor<128x128xf32>
    %p = arith.mulf %a, %b : f32
    tir.yield %p : f32
  }
  %D = tir.compute "relu" (%i, %j) : tensor<128x128xf32> {
    %c = tir.read %C[%i, %j] : tensor<128x128xf32>
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %c, %z : f32
    tir.yield %r : f32
  }
  tir.return %D : tensor<128x128xf32>
}

// -----

// Identities of the other kinds, for floats and integers.
// CHECK-LABEL: tir.func @identities(
// CHECK:         arith.constant 0xFF800000 : f32
// CHECK:         linalg.fill
// CHECK:         arith.maximumf
// CHECK:         arith.constant 2147483647 : i32
// CHECK:         linalg.fill
// CHECK:         arith.minsi
// CHECK:         arith.constant 1.000000e+00 : f32
// CHECK:         linalg.fill
// CHECK:         arith.mulf
tir.func @identities(%A: tensor<4x5xf32>, %I: tensor<4x5xi32>)
    -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>) {
  %mx = tir.compute "mx" (%i) reduce max (%k : 5) : tensor<4xf32> {
    %a = tir.read %A[%i, %k] : tensor<4x5xf32>
    tir.yield %a : f32
  }
  %mn = tir.compute "mn" (%i) reduce min (%k : 5) : tensor<4xi32> {
    %a = tir.read %I[%i, %k] : tensor<4x5xi32>
    tir.yield %a : i32
  }
  %pr = tir.compute "pr" (%i) reduce prod (%k : 5) : tensor<4xf32> {
    %a = tir.read %A[%i, %k] : tensor<4x5xf32>
    tir.yield %a : f32
  }
  tir.return %mx, %mn, %pr : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>
}

// -----

// Unsigned orderings (after --mlc-signless-integers): umax starts from 0,
// umin from all ones, and they combine with maxui/minui.
// CHECK-LABEL: tir.func @unsigned_identities(
// CHECK:         arith.constant 0 : i8
// CHECK:         arith.maxui
// CHECK:         arith.constant -1 : i8
// CHECK:         arith.minui
tir.func @unsigned_identities(%A: tensor<4x5xi8>)
    -> (tensor<4xi8>, tensor<4xi8>) {
  %mx = tir.compute "mx" (%i) reduce umax (%k : 5) : tensor<4xi8> {
    %a = tir.read %A[%i, %k] : tensor<4x5xi8>
    tir.yield %a : i8
  }
  %mn = tir.compute "mn" (%i) reduce umin (%k : 5) : tensor<4xi8> {
    %a = tir.read %A[%i, %k] : tensor<4x5xi8>
    tir.yield %a : i8
  }
  tir.return %mx, %mn : tensor<4xi8>, tensor<4xi8>
}

// -----

// Dynamic sizes: value bounds prove that the tensor's dimensions are the
// loop extents, so the read is an input.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: tir.func @rowsum(
// CHECK-SAME:    %[[A:.*]]: tensor<?x?xf32>
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK:         %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction"]} ins(%[[A]] : tensor<?x?xf32>)
// CHECK-NOT:     tensor.extract
tir.func @rowsum(%A: tensor<?x?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %A, %c0 : tensor<?x?xf32>
  %m = tensor.dim %A, %c1 : tensor<?x?xf32>
  %S = tir.compute "rowsum" (%i) sizes(%n) reduce sum (%k : %m) : tensor<?xf32> {
    %a = tir.read %A[%i, %k] : tensor<?x?xf32>
    tir.yield %a : f32
  }
  tir.return %S : tensor<?xf32>
}

// -----

// A reduction over part of a dimension cannot be an input (linalg would
// loop over the whole dimension): the read stays an extract, and a 1-D
// shape-only operand gives linalg the reduction's range.
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: tir.func @prefix_sum(
// CHECK-SAME:    %[[A:.*]]: tensor<4x10xf32>
// CHECK:         %[[RANGE:.*]] = tensor.empty() : tensor<3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[R]], #{{.*}}], iterator_types = ["parallel", "reduction"]} ins(%[[RANGE]] : tensor<3xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[K:.*]] = linalg.index 1 : index
// CHECK:           tensor.extract %[[A]][%[[I]], %[[K]]] : tensor<4x10xf32>
tir.func @prefix_sum(%A: tensor<4x10xf32>) -> tensor<4xf32> {
  %S = tir.compute "s" (%i) reduce sum (%k : 3) : tensor<4xf32> {
    %a = tir.read %A[%i, %k] : tensor<4x10xf32>
    tir.yield %a : f32
  }
  tir.return %S : tensor<4xf32>
}

// -----

// Affine index expressions in bounds are inputs (a shifted window);
// data-dependent and guarded reads are extracts.
// CHECK-DAG: #[[SHIFT:.*]] = affine_map<(d0) -> (d0 + 2)>
// CHECK-LABEL: tir.func @reads(
// CHECK-SAME:    %[[T:.*]]: tensor<10xf32>, %[[IDX:.*]]: tensor<4xi64>
// CHECK:         linalg.generic {indexing_maps = [#[[SHIFT]], #{{.*}}], {{.*}}} ins(%[[T]] : tensor<10xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[IDX]] : tensor<4xi64>)
// CHECK:           arith.index_cast
// CHECK:           tensor.extract %[[T]]
// CHECK:         linalg.generic
// CHECK:           scf.if
// CHECK:             tensor.extract %[[T]]
// CHECK:           } else {
tir.func @reads(%T: tensor<10xf32>, %idx: tensor<4xi64>)
    -> (tensor<8xf32>, tensor<4xf32>, tensor<12xf32>) {
  %W = tir.compute "window" (%i) : tensor<8xf32> {
    %c2 = arith.constant 2 : index
    %j = arith.addi %i, %c2 : index
    %v = tir.read %T[%j] : tensor<10xf32>
    tir.yield %v : f32
  }
  %G = tir.compute "gather" (%i) : tensor<4xf32> {
    %j = tir.read %idx[%i] : tensor<4xi64>
    %ji = arith.index_cast %j : i64 to index
    %v = tir.read %T[%ji] : tensor<10xf32>
    tir.yield %v : f32
  }
  %P = tir.compute "pad" (%i) : tensor<12xf32> {
    %c1 = arith.constant 1 : index
    %c11 = arith.constant 11 : index
    %lo = arith.cmpi sge, %i, %c1 : index
    %hi = arith.cmpi slt, %i, %c11 : index
    %in = arith.andi %lo, %hi : i1
    %v = scf.if %in -> f32 {
      %s = arith.subi %i, %c1 : index
      %x = tir.read %T[%s] : tensor<10xf32>
      scf.yield %x : f32
    } else {
      %z = arith.constant 0.0 : f32
      scf.yield %z : f32
    }
    tir.yield %v : f32
  }
  tir.return %W, %G, %P : tensor<8xf32>, tensor<4xf32>, tensor<12xf32>
}

// -----

// A reversed read is affine and in bounds: an input. A shifted window over
// a dynamic tensor cannot be checked statically: an extract.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0) -> (-d0 + 9)>
// CHECK-LABEL: tir.func @bounds(
// CHECK-SAME:    %[[T:.*]]: tensor<10xf32>, %[[D:.*]]: tensor<?xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[REV]], #{{.*}}], {{.*}}} ins(%[[T]] : tensor<10xf32>)
// CHECK:         linalg.generic
// CHECK-NOT:       ins(
// CHECK:           tensor.extract %[[D]]
tir.func @bounds(%T: tensor<10xf32>, %D: tensor<?xf32>)
    -> (tensor<10xf32>, tensor<?xf32>) {
  %R = tir.compute "reverse" (%i) : tensor<10xf32> {
    %c9 = arith.constant 9 : index
    %j = arith.subi %c9, %i : index
    %v = tir.read %T[%j] : tensor<10xf32>
    tir.yield %v : f32
  }
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %D, %c0 : tensor<?xf32>
  %m = arith.subi %n, %c1 : index
  %W = tir.compute "window" (%i) sizes(%m) : tensor<?xf32> {
    %c1_0 = arith.constant 1 : index
    %j = arith.addi %i, %c1_0 : index
    %v = tir.read %D[%j] : tensor<?xf32>
    tir.yield %v : f32
  }
  tir.return %R, %W : tensor<10xf32>, tensor<?xf32>
}

// -----

// A window over static dimensions of a tensor with a dynamic batch (a
// convolution's rows h + kh): only the loops the index uses need static
// extents, so the read is an input with an affine map, not an extract.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1 + d2)>
// CHECK-LABEL: tir.func @batched_window(
// CHECK-SAME:    %[[X:.*]]: tensor<?x6xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[WIN]], {{.*}}} ins(%[[X]], %{{.*}} : tensor<?x6xf32>, tensor<3xf32>)
// CHECK-NOT:     tensor.extract
tir.func @batched_window(%X: tensor<?x6xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %X, %c0 : tensor<?x6xf32>
  %S = tir.compute "window_sum" (%b, %h) sizes(%n) reduce sum (%k : 3) : tensor<?x4xf32> {
    %j = arith.addi %h, %k : index
    %v = tir.read %X[%b, %j] : tensor<?x6xf32>
    tir.yield %v : f32
  }
  tir.return %S : tensor<?x4xf32>
}
