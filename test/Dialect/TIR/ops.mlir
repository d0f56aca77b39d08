// Round trip of every tir op, through the pretty and the generic form.
// RUN: mlc-opt %s | mlc-opt | FileCheck %s
// RUN: mlc-opt %s --mlir-print-op-generic | mlc-opt | FileCheck %s

// CHECK-LABEL: tir.func @mm_relu(
// CHECK-SAME:    %[[A:.*]]: tensor<128x128xf32>, %[[B:.*]]: tensor<128x128xf32>) -> tensor<128x128xf32>
// CHECK:         %[[C:.*]] = tir.compute "matmul" (%[[I:.*]], %[[J:.*]]) reduce sum (%[[K:.*]] : 128) : tensor<128x128xf32> {
// CHECK:           %[[X:.*]] = tir.read %[[A]][%[[I]], %[[K]]] : tensor<128x128xf32>
// CHECK:           %[[Y:.*]] = tir.read %[[B]][%[[K]], %[[J]]] : tensor<128x128xf32>
// CHECK:           %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:           tir.yield %[[P]] : f32
// CHECK:         %[[D:.*]] = tir.compute "relu" (%{{.*}}, %{{.*}}) : tensor<128x128xf32> {
// CHECK:           tir.read %[[C]]
// CHECK:         tir.return %[[D]] : tensor<128x128xf32>
tir.func @mm_relu(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>)
    -> tensor<128x128xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128)
      : tensor<128x128xf32> {
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

// Dynamic output sizes and a dynamic reduction extent are index operands,
// here taken from the argument with tensor.dim.
// CHECK-LABEL: tir.func @dynamic(
// CHECK-SAME:    %[[A:.*]]: tensor<?x?xf32>) -> tensor<?xf32>
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK:         %[[K:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK:         tir.compute "rowsum" (%{{.*}}) sizes(%[[N]]) reduce sum (%{{.*}} : %[[K]]) : tensor<?xf32>
tir.func @dynamic(%A: tensor<?x?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %A, %c0 : tensor<?x?xf32>
  %kext = tensor.dim %A, %c1 : tensor<?x?xf32>
  %S = tir.compute "rowsum" (%i) sizes(%n) reduce sum (%k : %kext)
      : tensor<?xf32> {
    %a = tir.read %A[%i, %k] : tensor<?x?xf32>
    tir.yield %a : f32
  }
  tir.return %S : tensor<?xf32>
}

// Every reduction kind, integer elements, several reduction axes.
// CHECK-LABEL: tir.func @kinds(
// CHECK:         tir.compute "mx" (%{{.*}}) reduce max (%{{.*}} : 4, %{{.*}} : 5) : tensor<3xi32>
// CHECK:         tir.compute "mn" (%{{.*}}) reduce min (%{{.*}} : 4) : tensor<3xi32>
// CHECK:         tir.compute "pr" () reduce prod (%{{.*}} : 3) : tensor<i32>
tir.func @kinds(%A: tensor<3x4x5xi32>) -> (tensor<3xi32>, tensor<3xi32>, tensor<i32>) {
  %M = tir.compute "mx" (%i) reduce max (%k : 4, %l : 5) : tensor<3xi32> {
    %a = tir.read %A[%i, %k, %l] : tensor<3x4x5xi32>
    tir.yield %a : i32
  }
  %N = tir.compute "mn" (%i) reduce min (%k : 4) : tensor<3xi32> {
    %c0 = arith.constant 0 : index
    %a = tir.read %A[%i, %k, %c0] : tensor<3x4x5xi32>
    tir.yield %a : i32
  }
  %P = tir.compute "pr" () reduce prod (%k : 3) : tensor<i32> {
    %a = tir.read %M[%k] : tensor<3xi32>
    tir.yield %a : i32
  }
  tir.return %M, %N, %P : tensor<3xi32>, tensor<3xi32>, tensor<i32>
}

// Unsigned tensors: reads give the signless value; umax/umin order it as
// unsigned.
// CHECK-LABEL: tir.func @unsigned(
// CHECK:         tir.compute "umx" (%{{.*}}) reduce umax (%{{.*}} : 4) : tensor<3xui8>
// CHECK:           %[[V:.*]] = tir.read %{{.*}} : tensor<3x4xui8>
// CHECK:           tir.yield %[[V]] : i8
// CHECK:         tir.compute "umn" (%{{.*}}) reduce umin (%{{.*}} : 4) : tensor<3xui8>
tir.func @unsigned(%A: tensor<3x4xui8>) -> (tensor<3xui8>, tensor<3xui8>) {
  %M = tir.compute "umx" (%i) reduce umax (%k : 4) : tensor<3xui8> {
    %a = tir.read %A[%i, %k] : tensor<3x4xui8>
    tir.yield %a : i8
  }
  %N = tir.compute "umn" (%i) reduce umin (%k : 4) : tensor<3xui8> {
    %a = tir.read %A[%i, %k] : tensor<3x4xui8>
    tir.yield %a : i8
  }
  tir.return %M, %N : tensor<3xui8>, tensor<3xui8>
}

// Index expressions may be any integer arithmetic, including data-dependent
// ones (a gather) and guarded reads (padding).
// CHECK-LABEL: tir.func @gather_pad(
// CHECK:         tir.compute "gather"
// CHECK:           arith.index_cast
// CHECK:         tir.compute "pad"
// CHECK:           scf.if
tir.func @gather_pad(%T: tensor<10xf32>, %idx: tensor<4xi64>)
    -> (tensor<4xf32>, tensor<12xf32>) {
  %G = tir.compute "gather" (%i) : tensor<4xf32> {
    %j = tir.read %idx[%i] : tensor<4xi64>
    %ji = arith.index_cast %j : i64 to index
    %v = tir.read %T[%ji] : tensor<10xf32>
    tir.yield %v : f32
  }
  %P = tir.compute "pad" (%i) : tensor<12xf32> {
    %c1 = arith.constant 1 : index
    %c11 = arith.constant 11 : index
    %lo = arith.cmpi uge, %i, %c1 : index
    %hi = arith.cmpi ult, %i, %c11 : index
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
  tir.return %G, %P : tensor<4xf32>, tensor<12xf32>
}

// Output arguments: TVM's create_prim_func([A, B, C, D]) with the
// intermediate C passed by the caller; each output pairs with a result.
// CHECK-LABEL: tir.func @outputs(
// CHECK-SAME:    %{{.*}}: tensor<8xf32>, %{{.*}}: tensor<8xf32> {tir.output}, %{{.*}}: tensor<8xf32> {tir.output}) -> (tensor<8xf32>, tensor<8xf32>)
tir.func @outputs(%A: tensor<8xf32>, %C: tensor<8xf32> {tir.output},
                  %D: tensor<8xf32> {tir.output})
    -> (tensor<8xf32>, tensor<8xf32>) {
  %c = tir.compute "double" (%i) : tensor<8xf32> {
    %a = tir.read %A[%i] : tensor<8xf32>
    %s = arith.addf %a, %a : f32
    tir.yield %s : f32
  }
  %d = tir.compute "neg" (%i) : tensor<8xf32> {
    %x = tir.read %c[%i] : tensor<8xf32>
    %n = arith.negf %x : f32
    tir.yield %n : f32
  }
  tir.return %c, %d : tensor<8xf32>, tensor<8xf32>
}

// A requirement on sizes, with and without reported values.
// CHECK-LABEL: tir.func @asserts(
// CHECK:         %[[N:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?x4xf32>
// CHECK:         %[[M:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?x4xf32>
// CHECK:         %[[EQ:.*]] = arith.cmpi eq, %[[N]], %[[M]] : index
// CHECK:         tir.assert %[[EQ]], "dimension 0 differs" [%[[N]], %[[M]]]
// CHECK:         tir.assert %[[EQ]], "no values"{{$}}
tir.func @asserts(%A: tensor<?x4xf32>, %B: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %A, %c0 : tensor<?x4xf32>
  %m = tensor.dim %B, %c0 : tensor<?x4xf32>
  %eq = arith.cmpi eq, %n, %m : index
  tir.assert %eq, "dimension 0 differs" [%n, %m]
  tir.assert %eq, "no values"
  tir.return %A : tensor<?x4xf32>
}
