//===- BlockBuilderTest.cpp - Tests of relax::BlockBuilder ----------------===//

#include "../TestContext.h"

#include "mlc/Builder/BlockBuilder.h"
#include "mlc/Support/Error.h"
#include "mlc/Topi/Topi.h"

using namespace mlc;
using namespace mlir;
using mlc::testing::containsInOrder;
using mlc::testing::print;

namespace {

class BlockBuilderTest : public mlc::testing::MLCTest {
protected:
  RankedTensorType type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, f32());
  }
};

TEST_F(BlockBuilderTest, ChapterModuleWithRAIIScopes) {
  relax::Var A = relax::makeVar("A", type({128, 128}));
  relax::Var B = relax::makeVar("B", type({128, 128}));
  relax::BlockBuilder bb(&context);
  {
    auto function = bb.function("main", std::vector<relax::Var>{A, B});
    relax::Var R;
    {
      auto dataflow = bb.dataflow();
      relax::Var C = bb.emitTe(
          [](ArrayRef<te::Tensor> t) { return topi::matmul(t[0], t[1]); },
          {A, B}, "te_matmul");
      EXPECT_TRUE(C.isDataflow());
      relax::Var D = bb.emitTe(
          [](ArrayRef<te::Tensor> t) { return topi::relu(t[0]); }, {C},
          "te_relu");
      R = bb.emitOutput(D);
    }
    EXPECT_FALSE(R.isDataflow());
    bb.emitFuncOutput({R});
  }
  auto module = bb.get();
  EXPECT_TRUE(containsInOrder(
      print(*module),
      {"tir.func @te_matmul(", "tir.func @te_relu(", "func.func @main(",
       "relax.dataflow -> tensor<128x128xf32>", "relax.call_tir @te_matmul(",
       "relax.call_tir @te_relu(", "relax.output", "return"}));
}

TEST_F(BlockBuilderTest, HighLevelOpsInferTheirTypes) {
  relax::Var x = relax::makeVar("x", type({2, 3}));
  relax::Var b = relax::makeVar("b", type({3}));
  relax::BlockBuilder bb(&context);
  bb.beginFunction("main", std::vector<relax::Var>{x, b});
  relax::Var y = bb.emitOp("add", {x, b});
  EXPECT_EQ(y.getType(), type({2, 3}));
  relax::Var z = bb.emitOp("relax.relu", {y});
  bb.emitFuncOutput({z});
  bb.endFunction();
  EXPECT_TRUE(containsInOrder(print(*bb.get()),
                              {"relax.add", "relax.relu", "return"}));
}

TEST_F(BlockBuilderTest, MisuseThrows) {
  relax::Var x = relax::makeVar("x", type({4}));
  relax::Var y = relax::makeVar("y", type({5}));
  relax::BlockBuilder bb(&context);
  EXPECT_THROW(bb.emitOp("relu", {x}), mlc::Error); // outside a function
  bb.beginFunction("main", std::vector<relax::Var>{x, y});
  EXPECT_THROW(bb.emitOp("add", {x, y}), mlc::Error); // shapes
  EXPECT_THROW(bb.emitOp("softmax", {x}), mlc::Error); // unknown op
  EXPECT_THROW(bb.emitOutput(x), mlc::Error);          // no dataflow block
  bb.emitFuncOutput({x});
  EXPECT_THROW(bb.emitFuncOutput({x}), mlc::Error); // twice
  bb.endFunction();
  EXPECT_THROW(bb.endFunction(), mlc::Error); // nothing open
}

// Scope ids were per builder: the first function of a second builder had the
// id of the first builder's, so a variable emitted by one passed for the
// other's and its (dangling) Value was used. Regression of issue 12.
TEST_F(BlockBuilderTest, VariableOfAnotherBuilderIsRejected) {
  relax::Var x = relax::makeVar("x", type({4}));
  relax::Var foreign;
  {
    relax::BlockBuilder first(&context);
    first.beginFunction("main", std::vector<relax::Var>{x});
    foreign = first.emitOp("relu", {x});
    first.emitFuncOutput({foreign});
    first.endFunction();
  } // the first builder and its module are gone
  relax::BlockBuilder second(&context);
  second.beginFunction("main", std::vector<relax::Var>{x});
  try {
    second.emitOp("relu", {foreign});
    FAIL() << "a variable of another builder was accepted";
  } catch (const mlc::Error &e) {
    EXPECT_NE(std::string(e.what()).find("belongs to another function"),
              std::string::npos)
        << e.what();
  }
  second.emitFuncOutput({x});
  second.endFunction();
}

TEST_F(BlockBuilderTest, ScopeAbandonsTheFunctionOnException) {
  relax::Var x = relax::makeVar("x", type({4}));
  relax::BlockBuilder bb(&context);
  try {
    auto function = bb.function("main", std::vector<relax::Var>{x});
    auto dataflow = bb.dataflow();
    bb.emitOp("relu", {x});
    throw std::runtime_error("user error");
  } catch (const std::runtime_error &) {
  }
  EXPECT_TRUE(bb.get()->getBody()->empty());
}

} // namespace
