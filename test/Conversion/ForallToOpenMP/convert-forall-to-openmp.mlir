// RUN: mlc-opt %s --split-input-file --convert-forall-to-openmp="num-threads=2" | FileCheck %s
// RUN: mlc-opt %s --split-input-file --convert-forall-to-openmp | FileCheck %s --check-prefix=DEFAULT

// A thread split: one chunk of 64 columns per thread. Each thread of the
// region starts at its own chunk and strides by the team's size.
// CHECK:       func.func private @__kmpc_bound_num_threads(!llvm.ptr) -> i32
// CHECK:       func.func private @__kmpc_bound_thread_num(!llvm.ptr) -> i32
// CHECK-LABEL: func.func @chunks(
// CHECK-SAME:      %[[X:.*]]: memref<128xf32>
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2 : i32
// CHECK:         omp.parallel num_threads(%[[TWO]] : i32) {
// CHECK:           %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK:           %[[T:.*]] = func.call @__kmpc_bound_thread_num(%[[NULL]])
// CHECK:           %[[TI:.*]] = arith.index_cast %[[T]] : i32 to index
// CHECK:           %[[N:.*]] = func.call @__kmpc_bound_num_threads(%[[NULL]])
// CHECK:           %[[NI:.*]] = arith.index_cast %[[N]] : i32 to index
// CHECK:           %[[OFFSET:.*]] = arith.muli %[[C64]], %[[TI]]
// CHECK:           %[[FIRST:.*]] = arith.addi %[[C0]], %[[OFFSET]]
// CHECK:           %[[STRIDE:.*]] = arith.muli %[[C64]], %[[NI]]
// CHECK:           scf.for %[[I:.*]] = %[[FIRST]] to %[[C128]] step %[[STRIDE]] {
// CHECK:             memref.subview %[[X]][%[[I]]] [64] [1]
// CHECK:           }
// CHECK:           omp.terminator
// CHECK:         }
// CHECK-NOT:     scf.forall
// DEFAULT-LABEL: func.func @chunks(
// DEFAULT:         omp.parallel {
func.func @chunks(%x: memref<128xf32>) {
  %zero = arith.constant 0.0 : f32
  scf.forall (%i) = (0) to (128) step (64) {
    %chunk = memref.subview %x[%i] [64] [1] : memref<128xf32> to memref<64xf32, strided<[1], offset: ?>>
    linalg.fill ins(%zero : f32) outs(%chunk : memref<64xf32, strided<[1], offset: ?>>)
  }
  return
}

// -----

// Dynamic bounds, as a split along a batch has them; a function without a
// forall is left as it is.
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME:      %[[N:.*]]: index, %[[STEP:.*]]: index
// CHECK:         omp.parallel
// CHECK:           arith.muli %[[STEP]]
// CHECK:           scf.for {{.*}} to %[[N]] step
// CHECK-LABEL: func.func @serial(
// CHECK-NOT:     omp.parallel
func.func @dynamic(%n: index, %step: index, %x: memref<?xf32>) {
  %zero = arith.constant 0.0 : f32
  scf.forall (%i) = (0) to (%n) step (%step) {
    memref.store %zero, %x[%i] : memref<?xf32>
  }
  return
}
func.func @serial(%x: memref<?xf32>) {
  return
}
