// RUN: mlc-opt %s --split-input-file --convert-relax-to-func | FileCheck %s

// tir.func -> private func.func without its output argument; the dataflow
// block is inlined; call_tir -> func.call passing the inputs; relax.const ->
// arith.constant.
// CHECK-LABEL: func.func private @double(
// CHECK-SAME:    %[[A:.*]]: tensor<4xf32>) -> tensor<4xf32> {
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         return %[[E]] : tensor<4xf32>
// CHECK-LABEL: func.func @main(
// CHECK-SAME:    %[[X:.*]]: tensor<4xf32>) -> tensor<4xf32> {
// CHECK:         %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK:         %[[R:.*]] = call @double(%[[X]]) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK:         %[[S:.*]] = call @double(%[[C]]) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK:         return %[[S]] : tensor<4xf32>
// CHECK-NOT:     relax.
// CHECK-NOT:     tir.
tir.func @double(%A: tensor<4xf32>, %out: tensor<4xf32> {tir.output})
    -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  tir.return %e : tensor<4xf32>
}

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = relax.const dense<1.0> : tensor<4xf32>
  %r = relax.dataflow -> tensor<4xf32> {
    %a = relax.call_tir @double(%x) : (tensor<4xf32>) -> tensor<4xf32>
    %b = relax.call_tir @double(%c) : (tensor<4xf32>) -> tensor<4xf32>
    relax.output %b : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// Several outputs of one dataflow block replace its results.
// CHECK-LABEL: func.func @two_outputs(
// CHECK-SAME:    %[[X:.*]]: tensor<2xf32>
// CHECK-NOT:     relax.dataflow
// CHECK:         return %[[X]], %[[X]] : tensor<2xf32>, tensor<2xf32>
func.func @two_outputs(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %r:2 = relax.dataflow -> tensor<2xf32>, tensor<2xf32> {
    relax.output %x, %x : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// relax.reshape: merging dimensions is a tensor.collapse_shape, splitting
// one a tensor.expand_shape (views once bufferized); the same shape is the
// operand itself.
// CHECK-LABEL: func.func @reshape(
// CHECK-SAME:      %[[X:.*]]: tensor<?x32x13x13xf32>
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<?x32x13x13xf32> into tensor<?x5408xf32>
// CHECK:         %[[SPLIT:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 32, 169] : tensor<?x5408xf32> into tensor<?x32x169xf32>
// CHECK:         return %[[SPLIT]], %[[X]]
func.func @reshape(%x: tensor<?x32x13x13xf32>) -> (tensor<?x32x169xf32>, tensor<?x32x13x13xf32>) {
  %r:2 = relax.dataflow -> tensor<?x32x169xf32>, tensor<?x32x13x13xf32> {
    %0 = relax.reshape %x : tensor<?x32x13x13xf32> -> tensor<?x5408xf32>
    %1 = relax.reshape %0 : tensor<?x5408xf32> -> tensor<?x32x169xf32>
    %2 = relax.reshape %x : tensor<?x32x13x13xf32> -> tensor<?x32x13x13xf32>
    relax.output %1, %2 : tensor<?x32x169xf32>, tensor<?x32x13x13xf32>
  }
  return %r#0, %r#1 : tensor<?x32x169xf32>, tensor<?x32x13x13xf32>
}

// -----

// tir.assert: a call of the runtime's mlc_check_failed when the condition
// is false, with the message as a null-terminated global and the reported
// sizes as i64 (unused slots zero).
// CHECK-DAG:   llvm.mlir.global internal constant @[[MSG:__mlc_assert_[0-9]+]]("rows differ\00")
// CHECK-DAG:   llvm.func @mlc_check_failed(!llvm.ptr, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func private @rows(
// CHECK:         %[[N:.*]] = tensor.dim
// CHECK:         %[[M:.*]] = tensor.dim
// CHECK:         %[[EQ:.*]] = arith.cmpi eq, %[[N]], %[[M]] : index
// CHECK:         %[[BAD:.*]] = arith.xori %[[EQ]], %{{.*}} : i1
// CHECK:         scf.if %[[BAD]] {
// CHECK:           %[[ADDR:.*]] = llvm.mlir.addressof @[[MSG]] : !llvm.ptr
// CHECK:           %[[PTR:.*]] = llvm.getelementptr %[[ADDR]][0, 0]
// CHECK:           %[[COUNT:.*]] = arith.constant 2 : i64
// CHECK:           %[[N64:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK:           %[[M64:.*]] = arith.index_cast %[[M]] : index to i64
// CHECK:           llvm.call @mlc_check_failed(%[[PTR]], %[[COUNT]], %[[N64]], %[[M64]], %{{.*}}, %{{.*}})
// CHECK:         }
// CHECK-NOT:     tir.assert
tir.func @rows(%A: tensor<?xf32>, %B: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %A, %c0 : tensor<?xf32>
  %m = tensor.dim %B, %c0 : tensor<?xf32>
  %eq = arith.cmpi eq, %n, %m : index
  tir.assert %eq, "rows differ" [%n, %m]
  tir.return %A : tensor<?xf32>
}

// -----

// A bool blob (a byte per element) becomes a dense bool constant: LLVM
// cannot translate a resource of i1 elements.
// CHECK-LABEL: func.func @bool_blob(
// CHECK:         arith.constant dense<[true, false, false, true]> : tensor<4xi1>
func.func @bool_blob() -> tensor<4xi1> {
  %c = relax.const dense_resource<mask> : tensor<4xi1>
  return %c : tensor<4xi1>
}

{-#
  dialect_resources: {
    builtin: {
      mask: "0x0400000001000007"
    }
  }
#-}
