// Found importing avg_pool2d (issue 13): upstream linalg vectorization of
// an op reading linalg.index, in the last partial register block (a tile
// with unit loops), wrote a vector<5xf32> into a 1x1x1x5 view ("requires a
// permutation_map with result dims of the same rank as the vector type").
// mlc-vectorize leaves such tiles scalar; the full blocks stay vectorized.
// RUN: mlc-opt --mlc-lower-to-llvm="vectorize=true vector-bits=512" %s | FileCheck %s
// CHECK: llvm.func @avg_pool
// CHECK: llvm.fdiv
module {
  tir.func @avg_pool(%input: tensor<1x2x5x5xf32>, %avg_pool_out: tensor<1x2x5x5xf32> {tir.output}) -> tensor<1x2x5x5xf32> {
    %avg_pool_sum = tir.compute "avg_pool_sum" (%i, %j, %l, %m) reduce sum (%k : 3, %k1 : 3) : tensor<1x2x5x5xf32> {
      %c1 = arith.constant 1 : index
      %0 = arith.muli %l, %c1 : index
      %1 = arith.addi %0, %k : index
      %c1_0 = arith.constant 1 : index
      %2 = arith.subi %1, %c1_0 : index
      %c1_1 = arith.constant 1 : index
      %3 = arith.muli %m, %c1_1 : index
      %4 = arith.addi %3, %k1 : index
      %c1_2 = arith.constant 1 : index
      %5 = arith.subi %4, %c1_2 : index
      %c0 = arith.constant 0 : index
      %6 = arith.cmpi sge, %2, %c0 : index
      %c5 = arith.constant 5 : index
      %7 = arith.cmpi slt, %2, %c5 : index
      %c0_3 = arith.constant 0 : index
      %8 = arith.cmpi sge, %5, %c0_3 : index
      %c5_4 = arith.constant 5 : index
      %9 = arith.cmpi slt, %5, %c5_4 : index
      %10 = arith.andi %6, %7 : i1
      %11 = arith.andi %10, %8 : i1
      %12 = arith.andi %11, %9 : i1
      %13 = scf.if %12 -> (f32) {
        %c1_5 = arith.constant 1 : index
        %14 = arith.muli %l, %c1_5 : index
        %15 = arith.addi %14, %k : index
        %c1_6 = arith.constant 1 : index
        %16 = arith.subi %15, %c1_6 : index
        %c1_7 = arith.constant 1 : index
        %17 = arith.muli %m, %c1_7 : index
        %18 = arith.addi %17, %k1 : index
        %c1_8 = arith.constant 1 : index
        %19 = arith.subi %18, %c1_8 : index
        %20 = tir.read %input[%i, %j, %16, %19] : tensor<1x2x5x5xf32>
        scf.yield %20 : f32
      } else {
        %cst = arith.constant 0.000000e+00 : f32
        scf.yield %cst : f32
      }
      tir.yield %13 : f32
    }
    %avg_pool = tir.compute "avg_pool" (%i, %j, %l, %m) : tensor<1x2x5x5xf32> {
      %c1 = arith.constant 1 : index
      %0 = arith.muli %l, %c1 : index
      %c1_0 = arith.constant 1 : index
      %1 = arith.subi %0, %c1_0 : index
      %c3 = arith.constant 3 : index
      %2 = arith.addi %1, %c3 : index
      %c6 = arith.constant 6 : index
      %3 = arith.minsi %2, %c6 : index
      %4 = arith.subi %3, %1 : index
      %c1_1 = arith.constant 1 : index
      %5 = arith.muli %m, %c1_1 : index
      %c1_2 = arith.constant 1 : index
      %6 = arith.subi %5, %c1_2 : index
      %c3_3 = arith.constant 3 : index
      %7 = arith.addi %6, %c3_3 : index
      %c6_4 = arith.constant 6 : index
      %8 = arith.minsi %7, %c6_4 : index
      %9 = arith.subi %8, %6 : index
      %10 = arith.muli %4, %9 : index
      %11 = tir.read %avg_pool_sum[%i, %j, %l, %m] : tensor<1x2x5x5xf32>
      %12 = arith.index_cast %10 : index to i64
      %13 = arith.sitofp %12 : i64 to f32
      %14 = arith.divf %11, %13 : f32
      tir.yield %14 : f32
    }
    tir.return %avg_pool : tensor<1x2x5x5xf32>
  }
  func.func @main(%arg0: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> {
    %0 = relax.dataflow -> tensor<1x2x5x5xf32> {
      %1 = relax.call_tir @avg_pool(%arg0) : (tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
      relax.output %1 : tensor<1x2x5x5xf32>
    }
    return %0 : tensor<1x2x5x5xf32>
  }
}
