// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(tir.func(tir-check-bounds))" | FileCheck %s

// Reads at the loop indices of a static compute: proved, left alone.
// CHECK-LABEL: tir.func @static_in_bounds(
// CHECK-NOT:     tir.assert
// CHECK-NOT:     arith.minsi
// CHECK:         tir.read %{{.*}}[%{{.*}}, %{{.*}}] : tensor<4x8xf32>
tir.func @static_in_bounds(%A: tensor<4x8xf32>) -> tensor<8x4xf32> {
  %B = tir.compute "transpose" (%i, %j) : tensor<8x4xf32> {
    %a = tir.read %A[%j, %i] : tensor<4x8xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<8x4xf32>
}

// -----

// Over a dynamic size, proved by value-bounds analysis: i < dim(A, 0).
// CHECK-LABEL: tir.func @dynamic_in_bounds(
// CHECK-NOT:     tir.assert
// CHECK:         tir.compute "copy"
// CHECK-NOT:     tir.assert
// CHECK:         tir.compute "relu"
tir.func @dynamic_in_bounds(%A: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %A, %c0 : tensor<?xf32>
  %B = tir.compute "copy" (%i) sizes(%n) : tensor<?xf32> {
    %a = tir.read %A[%i] : tensor<?xf32>
    tir.yield %a : f32
  }
  // A read of a compute's result over its own sizes (the interface model
  // of tir.compute tells the analysis its sizes).
  %C = tir.compute "relu" (%i) sizes(%n) : tensor<?xf32> {
    %b = tir.read %B[%i] : tensor<?xf32>
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %b, %z : f32
    tir.yield %r : f32
  }
  tir.return %C : tensor<?xf32>
}

// -----

// Not provable: A[i + 1] over dim(A, 0) leaves A unless the domain is
// empty. Checked at run time before the compute, reporting the range and
// the size.
// CHECK-LABEL: tir.func @dynamic_shift(
// CHECK-SAME:    %[[A:.*]]: tensor<?xf32>
// CHECK:         %[[N:.*]] = tensor.dim %[[A]]
// CHECK:         %[[EMPTY:.*]] = arith.cmpi sle, %[[N]], %{{.*}} : index
// CHECK:         %[[SIZE:.*]] = tensor.dim %[[A]]
// CHECK:         %[[ONE:.*]] = arith.constant 1 : index
// CHECK:         %[[BELOW:.*]] = arith.cmpi slt, %[[N]], %[[SIZE]] : index
// CHECK:         %[[OK:.*]] = arith.ori %[[EMPTY]], %[[BELOW]] : i1
// CHECK:         tir.assert %[[OK]], "compute 'shift' reads argument #0 out of bounds in dimension 0 (lowest and highest index, then size)" [%[[ONE]], %[[N]], %[[SIZE]]]
// CHECK:         tir.compute "shift"
tir.func @dynamic_shift(%A: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %A, %c0 : tensor<?xf32>
  %B = tir.compute "shift" (%i) sizes(%n) : tensor<?xf32> {
    %c1 = arith.constant 1 : index
    %j = arith.addi %i, %c1 : index
    %a = tir.read %A[%j] : tensor<?xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<?xf32>
}

// -----

// A read under a guard (te.if_then_else: padding) is clamped into
// [0, size - 1], not checked: the guard may keep it from running.
// CHECK-LABEL: tir.func @guarded(
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[LAST:.*]] = arith.constant 3 : index
// CHECK-NOT:     tir.assert
// CHECK:         scf.if
// CHECK:           %[[J:.*]] = arith.minsi %{{.*}}, %[[LAST]] : index
// CHECK:           %[[K:.*]] = arith.maxsi %[[J]], %[[ZERO]] : index
// CHECK:           tir.read %{{.*}}[%[[K]]] : tensor<4xf32>
tir.func @guarded(%A: tensor<4xf32>) -> tensor<6xf32> {
  %B = tir.compute "pad" (%i) : tensor<6xf32> {
    %c1 = arith.constant 1 : index
    %c5 = arith.constant 5 : index
    %j = arith.subi %i, %c1 : index
    %lo = arith.cmpi sge, %i, %c1 : index
    %hi = arith.cmpi slt, %i, %c5 : index
    %in = arith.andi %lo, %hi : i1
    %v = scf.if %in -> f32 {
      %a = tir.read %A[%j] : tensor<4xf32>
      scf.yield %a : f32
    } else {
      %z = arith.constant 0.0 : f32
      scf.yield %z : f32
    }
    tir.yield %v : f32
  }
  tir.return %B : tensor<6xf32>
}

// -----

// An index read from data (a gather) is clamped too; the gathered tensor
// must not be empty, which its dynamic size makes a run-time check.
// CHECK-LABEL: tir.func @gather(
// CHECK:         tir.assert %{{.*}}, "compute 'gather' reads argument #0, which is empty in dimension 0 (its size)" [%{{.*}}]
// CHECK:         tir.compute "gather"
// CHECK:           %[[I:.*]] = arith.index_cast
// CHECK:           %[[J:.*]] = arith.minsi %[[I]], %{{.*}} : index
// CHECK:           %[[K:.*]] = arith.maxsi %[[J]], %{{.*}} : index
// CHECK:           tir.read %{{.*}}[%[[K]]] : tensor<?xf32>
tir.func @gather(%A: tensor<?xf32>, %idx: tensor<3xi64>) -> tensor<3xf32> {
  %B = tir.compute "gather" (%i) : tensor<3xf32> {
    %x = tir.read %idx[%i] : tensor<3xi64>
    %j = arith.index_cast %x : i64 to index
    %a = tir.read %A[%j] : tensor<?xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<3xf32>
}

// -----

// A compute whose domain is empty reads nothing: left alone.
// CHECK-LABEL: tir.func @empty_domain(
// CHECK-NOT:     tir.assert
// CHECK-NOT:     arith.minsi
tir.func @empty_domain(%A: tensor<4xf32>) -> tensor<0xf32> {
  %B = tir.compute "none" (%i) : tensor<0xf32> {
    %c9 = arith.constant 9 : index
    %j = arith.addi %i, %c9 : index
    %a = tir.read %A[%j] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<0xf32>
}

// -----

// Interval arithmetic that would wrap bounds nothing: 7 * c wraps to 1 for
// this c (the inverse of 7 modulo 2^64), so the corners 0 and 7c look in
// bounds while i = 1 is far out. A factor beyond any real size abandons the
// interval and the index is clamped.
// CHECK-LABEL: tir.func @wrapping_factor(
// CHECK:         %[[J:.*]] = arith.muli
// CHECK:         %[[K:.*]] = arith.minsi %[[J]], %{{.*}} : index
// CHECK:         %[[L:.*]] = arith.maxsi %[[K]], %{{.*}} : index
// CHECK:         tir.read %{{.*}}[%[[L]]] : tensor<4xf32>
tir.func @wrapping_factor(%A: tensor<4xf32>) -> tensor<8xf32> {
  %B = tir.compute "wrap" (%i) : tensor<8xf32> {
    %c = arith.constant 7905747460161236407 : index
    %j = arith.muli %i, %c : index
    %a = tir.read %A[%j] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<8xf32>
}
