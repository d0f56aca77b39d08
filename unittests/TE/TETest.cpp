//===- TETest.cpp - Tests of the te DSL and topi --------------------------===//

#include "../TestContext.h"

#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"
#include "mlc/Topi/Topi.h"

using namespace mlc;
using namespace mlir;
using mlc::testing::containsInOrder;
using mlc::testing::print;

namespace {

using TETest = mlc::testing::MLCTest;

te::Tensor teMatmul(const te::Tensor &A, const te::Tensor &B) {
  te::IterVar k = te::reduceAxis(0, A.getShape()[1], "k");
  return te::compute(
      {A.getShape()[0], B.getShape()[1]},
      [&](ArrayRef<te::Expr> i) {
        te::Expr a = A(i[0], k);
        te::Expr b = B(k, i[1]);
        return te::sum(a * b, {k});
      },
      "matmul");
}

te::Tensor teRelu(const te::Tensor &A) {
  return te::compute(
      A.getShape(),
      [&](ArrayRef<te::Expr> i) { return te::max(A(i), te::Expr(0)); },
      "relu");
}

TEST_F(TETest, FusedMatmulReluKeepsTheMatmulTemporary) {
  te::Tensor A = te::placeholder({128, 128}, f32(), "A");
  te::Tensor B = te::placeholder({128, 128}, f32(), "B");
  te::Tensor D = teRelu(teMatmul(A, B));
  auto module = te::createPrimFunc({A, B, D}, "mm_relu");
  std::string text = print(*module);
  EXPECT_TRUE(containsInOrder(
      text, {"tir.func @mm_relu(%A: tensor<128x128xf32>, %B: "
             "tensor<128x128xf32>, %relu_out: tensor<128x128xf32> "
             "{tir.output}) -> tensor<128x128xf32>",
             "%matmul = tir.compute \"matmul\" (%i, %j) reduce sum (%k : 128)",
             "tir.read %A[%i, %k]", "tir.read %B[%k, %j]", "arith.mulf",
             "%relu = tir.compute \"relu\"", "tir.read %matmul[%i, %j]",
             "arith.maximumf", "tir.return %relu : tensor<128x128xf32>"}));
  EXPECT_EQ(text.find("matmul_out"), std::string::npos);
}

TEST_F(TETest, ListedIntermediateIsAnOutputArgument) {
  te::Tensor A = te::placeholder({4, 4}, f32(), "A");
  te::Tensor B = te::placeholder({4, 4}, f32(), "B");
  te::Tensor C = teMatmul(A, B);
  te::Tensor D = teRelu(C);
  auto module = te::createPrimFunc({A, B, C, D}, "f");
  EXPECT_TRUE(containsInOrder(
      print(*module), {"%matmul_out: tensor<4x4xf32> {tir.output}",
                       "%relu_out: tensor<4x4xf32> {tir.output}",
                       "-> (tensor<4x4xf32>, tensor<4x4xf32>)",
                       "tir.return %matmul, %relu"}));
}

TEST_F(TETest, SymbolicSizesBecomeDynamicDimensions) {
  te::Var n = te::var("n");
  te::Tensor A = te::placeholder({n, 3}, f32(), "A");
  te::Tensor B = teRelu(A);
  EXPECT_EQ(B.getType().getShape()[0], ShapedType::kDynamic);
  auto module = te::createPrimFunc({A, B}, "relu_n");
  EXPECT_TRUE(containsInOrder(
      print(*module), {"(%A: tensor<?x3xf32>", "tensor.dim %A, %c0",
                       "tir.compute \"relu\" (%i, %j) sizes(%dim)"}));
}

TEST_F(TETest, IfThenElseGuardsTensorReads) {
  te::Tensor A = te::placeholder({8}, f32(), "A");
  te::Tensor P = te::compute(
      {10},
      [&](ArrayRef<te::Expr> i) {
        te::Expr inside = te::all({i[0] >= te::Expr(1), i[0] < te::Expr(9)});
        return te::ifThenElse(inside, A(i[0] - te::Expr(1)), te::Expr(0.0));
      },
      "pad");
  std::string text = print(*te::createPrimFunc({A, P}, "pad"));
  EXPECT_TRUE(containsInOrder(text, {"scf.if", "tir.read %A", "scf.yield",
                                     "} else {", "scf.yield"}));
  // The unguarded read was erased.
  EXPECT_EQ(text.find("tir.read"), text.rfind("tir.read"));
}

TEST_F(TETest, TopiDenseAndBroadcastAdd) {
  te::Tensor x = te::placeholder({1, 784}, f32(), "x");
  te::Tensor w = te::placeholder({128, 784}, f32(), "w");
  te::Tensor b = te::placeholder({128}, f32(), "b");
  te::Tensor y = topi::add(topi::dense(x, w), b);
  EXPECT_EQ(y.getType(), RankedTensorType::get({1, 128}, f32()));
  std::string text = print(*te::createPrimFunc({x, w, b, y}, "linear"));
  EXPECT_TRUE(containsInOrder(
      text, {"tir.compute \"T_dense\" (%i, %j) reduce sum (%k : 784)",
             "tir.read %x[%i, %k]", "tir.read %w[%j, %k]",
             "tir.compute \"T_add\" (%i, %j)", "tir.read %T_dense[%i, %j]",
             "tir.read %b[%j]", "arith.addf"}));
}

TEST_F(TETest, MisuseThrowsWithAMessage) {
  te::Tensor A = te::placeholder({4, 4}, f32(), "A");
  try {
    te::compute({4}, [&](ArrayRef<te::Expr> i) { return A(i[0]); }, "bad");
    FAIL() << "expected an mlc::Error";
  } catch (const mlc::Error &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "tensor 'A' has rank 2 but is indexed with 1 indices"),
              std::string::npos)
        << e.what();
  }
  // The workspace is usable after the error.
  te::Tensor ok = teRelu(A);
  EXPECT_NO_THROW(te::createPrimFunc({A, ok}, "ok"));

  te::Tensor B = te::placeholder({4, 4}, f32(), "B");
  te::Tensor C = teMatmul(A, B);
  EXPECT_THROW(te::createPrimFunc({A, C}, "missing_b"), mlc::Error);
  EXPECT_THROW(topi::add(A, te::placeholder({3}, f32(), "v")), mlc::Error);
}

} // namespace
