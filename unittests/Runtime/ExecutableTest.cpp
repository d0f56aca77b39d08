//===- ExecutableTest.cpp - Tests of the JIT runtime ----------------------===//

#include "../TestContext.h"

#include "mlc/Runtime/Executable.h"
#include "mlc/Support/Error.h"

#include "mlir/Parser/Parser.h"

#include <malloc.h>

#include <cstdlib>
#include <random>

using namespace mlc;
using namespace mlir;

namespace {

// The chapter's module with one temporary inside the tensor function and
// one between the graph's two calls: every run allocates and must free.
constexpr const char *kModule = R"mlir(
tir.func @mm_relu(%A: tensor<64x64xf32>, %B: tensor<64x64xf32>)
    -> tensor<64x64xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 64) : tensor<64x64xf32> {
    %a = tir.read %A[%i, %k] : tensor<64x64xf32>
    %b = tir.read %B[%k, %j] : tensor<64x64xf32>
    %p = arith.mulf %a, %b : f32
    tir.yield %p : f32
  }
  %D = tir.compute "relu" (%i, %j) : tensor<64x64xf32> {
    %c = tir.read %C[%i, %j] : tensor<64x64xf32>
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %c, %z : f32
    tir.yield %r : f32
  }
  tir.return %D : tensor<64x64xf32>
}
func.func @main(%A: tensor<64x64xf32>, %B: tensor<64x64xf32>)
    -> tensor<64x64xf32> {
  %R = relax.dataflow -> tensor<64x64xf32> {
    %x = relax.call_tir @mm_relu(%A, %B)
        : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
    %y = relax.call_tir @mm_relu(%x, %B)
        : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
    relax.output %y : tensor<64x64xf32>
  }
  return %R : tensor<64x64xf32>
}
)mlir";

using ExecutableTest = mlc::testing::MLCTest;

std::vector<float> reference(const std::vector<float> &a,
                             const std::vector<float> &b, int n) {
  std::vector<float> c(n * n, 0.0f);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int k = 0; k < n; ++k)
        s += double(a[i * n + k]) * b[k * n + j];
      c[i * n + j] = s > 0 ? float(s) : 0.0f;
    }
  return c;
}

TEST_F(ExecutableTest, RunsAThousandTimesWithoutLeaking) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &context);
  ASSERT_TRUE(module);
  auto exe = runtime::Executable::compile(*module);

  const int n = 64;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> a(n * n), b(n * n);
  for (float &x : a)
    x = dist(rng);
  for (float &x : b)
    x = dist(rng);
  runtime::BufferView va{a.data(), {n, n}, {n, 1}};
  runtime::BufferView vb{b.data(), {n, n}, {n, 1}};

  // Check the numbers once: relu(relu(a @ b) @ b).
  std::vector<float> expected = reference(reference(a, b, n), b, n);
  {
    auto results = exe->call("main", {va, vb});
    ASSERT_EQ(results.size(), 1u);
    ASSERT_EQ(results[0].shape, (std::vector<int64_t>{n, n}));
    auto *got = static_cast<float *>(results[0].data);
    for (int i = 0; i < n * n; ++i)
      ASSERT_NEAR(got[i], expected[i], 1e-3f * (1 + std::abs(expected[i])));
    std::free(results[0].allocated);
  }

  // Warm up, then 1,000 runs must not grow the heap: each run allocates
  // three 16 KiB buffers, so a leak would show as ~48 MiB.
  for (int i = 0; i < 10; ++i)
    for (auto &r : exe->call("main", {va, vb}))
      std::free(r.allocated);
  size_t before = mallinfo2().uordblks;
  for (int i = 0; i < 1000; ++i)
    for (auto &r : exe->call("main", {va, vb}))
      std::free(r.allocated);
  size_t after = mallinfo2().uordblks;
  EXPECT_LT(after, before + 64 * 1024)
      << "heap grew by " << (after - before) << " bytes over 1000 runs";
}

TEST_F(ExecutableTest, SignaturesAndCallErrors) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &context);
  auto exe = runtime::Executable::compile(*module);
  const runtime::FunctionInfo &main = exe->function("main");
  EXPECT_FALSE(main.isPrimFunc);
  EXPECT_EQ(main.params.size(), 2u);
  EXPECT_TRUE(exe->function("mm_relu").isPrimFunc);
  EXPECT_THROW(exe->function("nope"), mlc::Error);

  std::vector<float> a(64 * 64);
  runtime::BufferView good{a.data(), {64, 64}, {64, 1}};
  runtime::BufferView bad{a.data(), {32, 64}, {64, 1}};
  EXPECT_THROW(exe->call("main", {good}), mlc::Error);
  try {
    exe->call("main", {good, bad});
    FAIL() << "expected an error";
  } catch (const mlc::Error &e) {
    EXPECT_NE(std::string(e.what()).find("argument #1"), std::string::npos)
        << e.what();
  }
}

} // namespace
