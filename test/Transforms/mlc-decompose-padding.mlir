// RUN: mlc-opt %s --split-input-file --mlc-decompose-padding | FileCheck %s

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>

// A convolution's zero padding, as te writes it and --tir-check-bounds
// clamps it: a copy of the input into the interior, then fills of the
// border slab by slab (rows 0 and 7 whole, columns 0 and 7 over the
// interior rows), each element written once.
// CHECK-LABEL: func.func @pad(
// CHECK-SAME:    %[[X:.*]]: tensor<1x3x6x6xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<1x3x8x8xf32>
// CHECK:         %[[S:.*]] = tensor.extract_slice %[[E]][0, 0, 1, 1] [1, 3, 6, 6] [1, 1, 1, 1]
// CHECK:         %[[C:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<1x3x6x6xf32>) outs(%[[S]] : tensor<1x3x6x6xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]]
// CHECK:         %[[R0:.*]] = tensor.insert_slice %[[C]] into %[[E]][0, 0, 1, 1] [1, 3, 6, 6] [1, 1, 1, 1]
// CHECK:         %[[T:.*]] = tensor.extract_slice %[[R0]][0, 0, 0, 0] [1, 3, 1, 8] [1, 1, 1, 1]
// CHECK:         %[[FT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[T]] : tensor<1x3x1x8xf32>)
// CHECK:         %[[R1:.*]] = tensor.insert_slice %[[FT]] into %[[R0]][0, 0, 0, 0] [1, 3, 1, 8] [1, 1, 1, 1]
// CHECK:         %[[B:.*]] = tensor.extract_slice %[[R1]][0, 0, 7, 0] [1, 3, 1, 8] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[B]] : tensor<1x3x1x8xf32>)
// CHECK:         %[[R2:.*]] = tensor.insert_slice %{{.*}} into %[[R1]][0, 0, 7, 0] [1, 3, 1, 8] [1, 1, 1, 1]
// CHECK:         %[[L:.*]] = tensor.extract_slice %[[R2]][0, 0, 1, 0] [1, 3, 6, 1] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[L]] : tensor<1x3x6x1xf32>)
// CHECK:         %[[R3:.*]] = tensor.insert_slice %{{.*}} into %[[R2]][0, 0, 1, 0] [1, 3, 6, 1] [1, 1, 1, 1]
// CHECK:         %[[RT:.*]] = tensor.extract_slice %[[R3]][0, 0, 1, 7] [1, 3, 6, 1] [1, 1, 1, 1]
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[RT]] : tensor<1x3x6x1xf32>)
// CHECK:         %[[R:.*]] = tensor.insert_slice %{{.*}} into %[[R3]][0, 0, 1, 7] [1, 3, 6, 1] [1, 1, 1, 1]
// CHECK-NOT:     linalg.fill
// CHECK:         return %[[R]]
func.func @pad(%x: tensor<1x3x6x6xf32>) -> tensor<1x3x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %e = tensor.empty() : tensor<1x3x8x8xf32>
  %p = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%e : tensor<1x3x8x8xf32>) {
  ^bb0(%o: f32):
    %c = linalg.index 1 : index
    %h = linalg.index 2 : index
    %w = linalg.index 3 : index
    %h0 = arith.cmpi sge, %h, %c1 : index
    %h1 = arith.cmpi slt, %h, %c7 : index
    %w0 = arith.cmpi sge, %w, %c1 : index
    %w1 = arith.cmpi slt, %w, %c7 : index
    %a = arith.andi %h0, %h1 : i1
    %b = arith.andi %a, %w0 : i1
    %in = arith.andi %b, %w1 : i1
    %v = scf.if %in -> (f32) {
      %hh = arith.subi %h, %c1 : index
      %ww = arith.subi %w, %c1 : index
      %hc = arith.minsi %hh, %c5 : index
      %hd = arith.maxsi %hc, %c0 : index
      %wc = arith.minsi %ww, %c5 : index
      %wd = arith.maxsi %wc, %c0 : index
      %l = tensor.extract %x[%c0, %c, %hd, %wd] : tensor<1x3x6x6xf32>
      scf.yield %l : f32
    } else {
      scf.yield %zero : f32
    }
    linalg.yield %v : f32
  } -> tensor<1x3x8x8xf32>
  return %p : tensor<1x3x8x8xf32>
}

// -----

#id = affine_map<(n, h) -> (n, h)>

// A dynamic batch is copied over the output's extent, as the loop nest
// read it (the input may have more rows); the value outside may be any
// constant (max pooling pads with -inf).
// CHECK-LABEL: func.func @dynamic_batch(
// CHECK-SAME:    %[[X:.*]]: tensor<?x4xf32>, %[[E:.*]]: tensor<?x8xf32>
// CHECK:         %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[N:.*]] = tensor.dim %[[E]]
// CHECK:         %[[ROWS:.*]] = tensor.extract_slice %[[X]][0, 0] [%[[N]], 4] [1, 1]
// CHECK:         %[[S:.*]] = tensor.extract_slice %[[E]][0, 2] [%[[N]], 4] [1, 1]
// CHECK:         linalg.generic {{.*}} ins(%[[ROWS]] : tensor<?x4xf32>) outs(%[[S]] : tensor<?x4xf32>)
// CHECK:         %[[R0:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 2] [%[[N]], 4] [1, 1]
// CHECK:         %[[LO:.*]] = tensor.extract_slice %[[R0]][0, 0] [%[[N]], 2] [1, 1]
// CHECK:         linalg.fill ins(%[[NINF]] : f32) outs(%[[LO]] : tensor<?x2xf32>)
// CHECK:         %[[R1:.*]] = tensor.insert_slice %{{.*}} into %[[R0]][0, 0] [%[[N]], 2] [1, 1]
// CHECK:         %[[HI:.*]] = tensor.extract_slice %[[R1]][0, 6] [%[[N]], 2] [1, 1]
// CHECK:         linalg.fill ins(%[[NINF]] : f32) outs(%[[HI]] : tensor<?x2xf32>)
func.func @dynamic_batch(%x: tensor<?x4xf32>, %e: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %c2 = arith.constant 2 : index
  %c6 = arith.constant 6 : index
  %p = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%e : tensor<?x8xf32>) {
  ^bb0(%o: f32):
    %n = linalg.index 0 : index
    %h = linalg.index 1 : index
    %h0 = arith.cmpi sge, %h, %c2 : index
    %h1 = arith.cmpi slt, %h, %c6 : index
    %in = arith.andi %h0, %h1 : i1
    %v = scf.if %in -> (f32) {
      %hh = arith.subi %h, %c2 : index
      %l = tensor.extract %x[%n, %hh] : tensor<?x4xf32>
      scf.yield %l : f32
    } else {
      scf.yield %ninf : f32
    }
    linalg.yield %v : f32
  } -> tensor<?x8xf32>
  return %p : tensor<?x8xf32>
}

// -----

#id = affine_map<(h) -> (h)>

// A guard that is not the interior (one element short of it) is not
// padding: left as it is.
// CHECK-LABEL: func.func @not_the_interior(
// CHECK-NOT:     linalg.fill
// CHECK:         scf.if
func.func @not_the_interior(%x: tensor<4xf32>) -> tensor<8xf32> {
  %zero = arith.constant 0.0 : f32
  %c2 = arith.constant 2 : index
  %c5 = arith.constant 5 : index
  %e = tensor.empty() : tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel"]}
      outs(%e : tensor<8xf32>) {
  ^bb0(%o: f32):
    %h = linalg.index 0 : index
    %h0 = arith.cmpi sge, %h, %c2 : index
    %h1 = arith.cmpi slt, %h, %c5 : index
    %in = arith.andi %h0, %h1 : i1
    %v = scf.if %in -> (f32) {
      %hh = arith.subi %h, %c2 : index
      %l = tensor.extract %x[%hh] : tensor<4xf32>
      scf.yield %l : f32
    } else {
      scf.yield %zero : f32
    }
    linalg.yield %v : f32
  } -> tensor<8xf32>
  return %p : tensor<8xf32>
}

// -----

#id = affine_map<(h) -> (h)>

// A strided read (a transposed convolution's zero insertion) is not a
// copy of the interior either.
// CHECK-LABEL: func.func @strided(
// CHECK-NOT:     linalg.fill
// CHECK:         scf.if
func.func @strided(%x: tensor<4xf32>) -> tensor<8xf32> {
  %zero = arith.constant 0.0 : f32
  %c2 = arith.constant 2 : index
  %c6 = arith.constant 6 : index
  %e = tensor.empty() : tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel"]}
      outs(%e : tensor<8xf32>) {
  ^bb0(%o: f32):
    %h = linalg.index 0 : index
    %h0 = arith.cmpi sge, %h, %c2 : index
    %h1 = arith.cmpi slt, %h, %c6 : index
    %in = arith.andi %h0, %h1 : i1
    %v = scf.if %in -> (f32) {
      %hh = arith.divui %h, %c2 : index
      %l = tensor.extract %x[%hh] : tensor<4xf32>
      scf.yield %l : f32
    } else {
      scf.yield %zero : f32
    }
    linalg.yield %v : f32
  } -> tensor<8xf32>
  return %p : tensor<8xf32>
}

// -----

#id3 = affine_map<(i, j, l) -> (i, j, l)>

// A padding of a padding (a bool mask padded twice, in MultiheadAttention):
// the second copies the first's result into its interior, [3, 3, 4] of
// [3, 3, 5]. (Both were matched before either was rewritten, and the
// second kept the first's erased result: the mask came out all false.)
// CHECK-LABEL: func.func @padded_twice(
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<3x3x4xi1>
// CHECK:         %[[I1:.*]] = tensor.insert_slice %{{.*}} into %[[E1]][0, 0, 0] [3, 3, 3] [1, 1, 1]
// CHECK:         linalg.fill ins(%{{.*}} : i1) outs(%{{.*}} : tensor<3x3x1xi1>)
// CHECK:         %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %[[I1]][0, 0, 3] [3, 3, 1] [1, 1, 1]
// CHECK:         %[[E2:.*]] = tensor.empty() : tensor<3x3x5xi1>
// CHECK:         %[[INTERIOR:.*]] = tensor.extract_slice %[[E2]][0, 0, 0] [3, 3, 4] [1, 1, 1]
// CHECK:         %[[COPY:.*]] = linalg.generic {{.*}} ins(%[[FIRST]] : tensor<3x3x4xi1>) outs(%[[INTERIOR]] : tensor<3x3x4xi1>)
// CHECK:         %[[I2:.*]] = tensor.insert_slice %[[COPY]] into %[[E2]][0, 0, 0] [3, 3, 4] [1, 1, 1]
// CHECK:         linalg.fill ins(%{{.*}} : i1) outs(%{{.*}} : tensor<3x3x1xi1>)
// CHECK:         tensor.insert_slice %{{.*}} into %[[I2]][0, 0, 4] [3, 3, 1] [1, 1, 1]
func.func @padded_twice(%arg0: tensor<3x3x3xi1>) -> tensor<3x3x5xi1> {
  %false = arith.constant false
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %0 = tensor.empty() : tensor<3x3x4xi1>
  %1 = linalg.generic {indexing_maps = [#id3], iterator_types = ["parallel", "parallel", "parallel"]} outs(%0 : tensor<3x3x4xi1>) {
  ^bb0(%out: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %l = linalg.index 2 : index
    %lt = arith.cmpi slt, %l, %c3 : index
    %ge = arith.cmpi sge, %l, %c0 : index
    %in = arith.andi %lt, %ge : i1
    %v = scf.if %in -> (i1) {
      %m = arith.minsi %l, %c2 : index
      %k = arith.maxsi %m, %c0 : index
      %e = tensor.extract %arg0[%i, %j, %k] : tensor<3x3x3xi1>
      scf.yield %e : i1
    } else {
      scf.yield %false : i1
    }
    linalg.yield %v : i1
  } -> tensor<3x3x4xi1>
  %2 = tensor.empty() : tensor<3x3x5xi1>
  %3 = linalg.generic {indexing_maps = [#id3], iterator_types = ["parallel", "parallel", "parallel"]} outs(%2 : tensor<3x3x5xi1>) {
  ^bb0(%out: i1):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %l = linalg.index 2 : index
    %lt = arith.cmpi slt, %l, %c4 : index
    %ge = arith.cmpi sge, %l, %c0 : index
    %in = arith.andi %lt, %ge : i1
    %v = scf.if %in -> (i1) {
      %m = arith.minsi %l, %c3 : index
      %k = arith.maxsi %m, %c0 : index
      %e = tensor.extract %1[%i, %j, %k] : tensor<3x3x4xi1>
      scf.yield %e : i1
    } else {
      scf.yield %false : i1
    }
    linalg.yield %v : i1
  } -> tensor<3x3x5xi1>
  return %3 : tensor<3x3x5xi1>
}
