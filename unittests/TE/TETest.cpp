//===- TETest.cpp - Tests of the te DSL -----------------------------------===//

#include "mlc/InitAll.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlc;
using namespace mlir;

namespace {

class TETest : public ::testing::Test {
protected:
  TETest() : context(makeRegistry()), workspace(&context) {
    context.loadAllAvailableDialects();
  }

  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    mlc::registerAllDialects(registry);
    return registry;
  }

  static std::string print(Operation *op) {
    std::string s;
    llvm::raw_string_ostream os(s);
    op->print(os);
    return s;
  }

  Type f32() { return Float32Type::get(&context); }

  MLIRContext context;
  te::Workspace workspace;
};

te::Tensor teMatmul(const te::Tensor &A, const te::Tensor &B) {
  te::IterVar k = te::reduceAxis(0, A.getShape()[1], "k");
  return te::compute(
      {A.getShape()[0], B.getShape()[1]},
      [&](ArrayRef<te::Expr> i) {
        return te::sum(A(i[0], k) * B(k, i[1]), {k});
      },
      "matmul");
}

te::Tensor teRelu(const te::Tensor &A) {
  return te::compute(
      A.getShape(),
      [&](ArrayRef<te::Expr> i) { return te::max(A(i), te::Expr(0)); },
      "relu");
}

TEST_F(TETest, FusedMatmulReluKeepsTemporary) {
  te::Tensor A = te::placeholder({128, 128}, f32(), "A");
  te::Tensor B = te::placeholder({128, 128}, f32(), "B");
  te::Tensor C = teMatmul(A, B);
  te::Tensor D = teRelu(C);
  auto module = te::createPrimFunc({A, B, D}, "mm_relu");
  std::string text = print(*module);
  llvm::errs() << text;
  EXPECT_NE(text.find("tir.compute \"matmul\""), std::string::npos);
}

} // namespace
