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

// Four kernels (two of them fused with their consumers) and a graph
// function calling them, compiled as one LLVM module and split into two
// and three parts compiled on threads of their own: the same numbers.
constexpr const char *kKernels = R"mlir(
tir.func @scale(%A: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %C = tir.compute "scale" (%i, %j) : tensor<16x16xf32> {
    %a = tir.read %A[%i, %j] : tensor<16x16xf32>
    %two = arith.constant 2.0 : f32
    %p = arith.mulf %a, %two : f32
    tir.yield %p : f32
  }
  tir.return %C : tensor<16x16xf32>
}
tir.func @matmul(%A: tensor<16x16xf32>, %B: tensor<16x16xf32>)
    -> tensor<16x16xf32> {
  %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 16) : tensor<16x16xf32> {
    %a = tir.read %A[%i, %k] : tensor<16x16xf32>
    %b = tir.read %B[%k, %j] : tensor<16x16xf32>
    %p = arith.mulf %a, %b : f32
    tir.yield %p : f32
  }
  tir.return %C : tensor<16x16xf32>
}
tir.func @shift(%A: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %C = tir.compute "shift" (%i, %j) : tensor<16x16xf32> {
    %a = tir.read %A[%i, %j] : tensor<16x16xf32>
    %one = arith.constant 1.0 : f32
    %p = arith.subf %a, %one : f32
    tir.yield %p : f32
  }
  tir.return %C : tensor<16x16xf32>
}
tir.func @rowsum(%A: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %C = tir.compute "rowsum" (%i, %j) reduce sum (%k : 16) : tensor<16x16xf32> {
    %a = tir.read %A[%i, %k] : tensor<16x16xf32>
    tir.yield %a : f32
  }
  tir.return %C : tensor<16x16xf32>
}
func.func @main(%A: tensor<16x16xf32>, %B: tensor<16x16xf32>)
    -> tensor<16x16xf32> {
  %R = relax.dataflow -> tensor<16x16xf32> {
    %x = relax.call_tir @matmul(%A, %B)
        : (tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<16x16xf32>
    %y = relax.call_tir @scale(%x) : (tensor<16x16xf32>) -> tensor<16x16xf32>
    %z = relax.call_tir @rowsum(%y) : (tensor<16x16xf32>) -> tensor<16x16xf32>
    %w = relax.call_tir @shift(%z) : (tensor<16x16xf32>) -> tensor<16x16xf32>
    %v = relax.call_tir @matmul(%w, %A)
        : (tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<16x16xf32>
    relax.output %v : tensor<16x16xf32>
  }
  return %R : tensor<16x16xf32>
}
)mlir";

TEST_F(ExecutableTest, KernelsCompiledInPartsGiveTheSameResults) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kKernels, &context);
  ASSERT_TRUE(module);
  const int n = 16;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> a(n * n), b(n * n);
  for (float &x : a)
    x = dist(rng);
  for (float &x : b)
    x = dist(rng);
  // (rowsum(2 * (a @ b)) - 1) @ a, by hand in double.
  std::vector<double> x(n * n), w(n * n), expected(n * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        x[i * n + j] += double(a[i * n + k]) * b[k * n + j];
  for (int i = 0; i < n; ++i) {
    double row = 0;
    for (int k = 0; k < n; ++k)
      row += 2 * x[i * n + k];
    for (int j = 0; j < n; ++j)
      w[i * n + j] = row - 1;
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        expected[i * n + j] += w[i * n + k] * a[k * n + j];
  runtime::BufferView va{a.data(), {n, n}, {n, 1}};
  runtime::BufferView vb{b.data(), {n, n}, {n, 1}};
  for (unsigned parts : {1u, 2u, 3u}) {
    runtime::CompileOptions options;
    options.compileThreads = parts;
    auto exe = runtime::Executable::compile(*module, options);
    auto results = exe->call("main", {va, vb});
    ASSERT_EQ(results.size(), 1u);
    auto *got = static_cast<float *>(results[0].data);
    for (int i = 0; i < n * n; ++i)
      ASSERT_NEAR(got[i], expected[i], 1e-3 * (1 + std::abs(expected[i])))
          << "in " << parts << " parts, element " << i;
    std::free(results[0].allocated);
  }
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

// Dynamic sizes that must agree: the relu runs (and allocates) before the
// add finds that its operands' rows differ.
constexpr const char *kDynamicModule = R"mlir(
func.func @main(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = relax.relu %a : tensor<?x4xf32> -> tensor<?x4xf32>
  %y = relax.add %r, %b : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
)mlir";

TEST_F(ExecutableTest, DisagreeingDynamicSizesThrowAndFreeWhatTheCallMade) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kDynamicModule, &context);
  ASSERT_TRUE(module);
  runtime::CompileOptions options;
  options.fuse = false; // the relu's buffer exists when the add checks
  auto exe = runtime::Executable::compile(*module, options);
  std::vector<float> a(3 * 4, -1.0f), b(5 * 4, 2.0f);
  runtime::BufferView va{a.data(), {3, 4}, {4, 1}};
  runtime::BufferView vb{b.data(), {5, 4}, {4, 1}};
  auto failingCall = [&] {
    try {
      exe->call("main", {va, vb});
      return std::string("no error");
    } catch (const mlc::Error &e) {
      return std::string(e.what());
    }
  };
  EXPECT_NE(failingCall().find("must have the same size in dimension 0 of "
                               "their broadcast shape (a dynamic size is not "
                               "broadcast) (got 3, 5)"),
            std::string::npos)
      << failingCall();
  for (int i = 0; i < 10; ++i)
    failingCall();
  size_t before = mallinfo2().uordblks;
  for (int i = 0; i < 1000; ++i)
    failingCall();
  size_t after = mallinfo2().uordblks;
  EXPECT_LT(after, before + 64 * 1024)
      << "heap grew by " << (after - before) << " bytes over 1000 failed calls";
  // Sizes that agree: relu(a) + b = 0 + 2.
  runtime::BufferView vb3{b.data(), {3, 4}, {4, 1}};
  auto results = exe->call("main", {va, vb3});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].shape, (std::vector<int64_t>{3, 4}));
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(static_cast<float *>(results[0].data)[i], 2.0f);
  std::free(results[0].allocated);
}

} // namespace
