//===- mlc-run.cpp - Runs a function of an mlc module ---------------------===//
//
//   mlc-run model.mlir --function=main --input=x.npy --input=w.npy
//   mlc-run model.mlir --random-inputs --seed=3 --time --repeat=100
//
// Compiles the module (mlc-lower-to-llvm + JIT), calls the function on the
// inputs (.npy files, or random data for --random-inputs: uniform in
// [-1, 1), dynamic sizes from --dynamic-size), and prints the results, saves
// them (--output=prefix writes prefix0.npy, ...) or times the call.
//
//===----------------------------------------------------------------------===//

#include "mlc/InitAll.h"
#include "mlc/Runtime/Executable.h"
#include "mlc/Runtime/Npy.h"
#include "mlc/Support/Error.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>

#include <unistd.h>

namespace cl = llvm::cl;
using namespace mlc::runtime;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<module.mlir>"),
                                      cl::Required);
static cl::opt<std::string> functionName("function",
                                         cl::desc("Function to run"),
                                         cl::init("main"));
static cl::list<std::string> inputs("input",
                                    cl::desc("An input .npy file, in order"));
static cl::opt<bool> randomInputs(
    "random-inputs", cl::desc("Run on random inputs in [-1, 1)"));
static cl::opt<unsigned> seed("seed", cl::desc("Seed of --random-inputs"),
                              cl::init(0));
static cl::opt<int64_t> dynamicSize(
    "dynamic-size", cl::desc("Size of dynamic dimensions for random inputs"),
    cl::init(8));
static cl::opt<std::string> outputPrefix(
    "output", cl::desc("Save result i as <prefix><i>.npy"));
static cl::opt<bool> timeIt("time", cl::desc("Time the call"));
static cl::opt<unsigned> repeat("repeat", cl::desc("Timed calls (--time)"),
                                cl::init(10));
static cl::opt<bool> quiet("quiet", cl::desc("Do not print the results"));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3));
static cl::opt<unsigned> numThreads(
    "num-threads",
    cl::desc("Threads for parallel loops (0, the default: every core)"),
    cl::init(0));

namespace {

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

double elementAt(const HostArray &a, int64_t i) {
  const char *p = a.bytes.data();
  if (a.dtype == "float32")
    return reinterpret_cast<const float *>(p)[i];
  if (a.dtype == "float64")
    return reinterpret_cast<const double *>(p)[i];
  if (a.dtype == "int32")
    return reinterpret_cast<const int32_t *>(p)[i];
  if (a.dtype == "int64")
    return double(reinterpret_cast<const int64_t *>(p)[i]);
  if (a.dtype == "int16")
    return reinterpret_cast<const int16_t *>(p)[i];
  if (a.dtype == "uint8")
    return reinterpret_cast<const uint8_t *>(p)[i];
  return reinterpret_cast<const int8_t *>(p)[i];
}

/// Prints like numpy: nested brackets, six significant digits.
void printArray(llvm::raw_ostream &os, const HostArray &a, size_t dim,
                int64_t &index, int indent) {
  if (dim == a.shape.size()) {
    double v = elementAt(a, index++);
    if (a.dtype.rfind("float", 0) == 0)
      os << llvm::format("%.6g", v);
    else
      os << static_cast<int64_t>(v);
    return;
  }
  os << '[';
  for (int64_t i = 0; i < a.shape[dim]; ++i) {
    if (i) {
      os << ',';
      if (dim + 1 < a.shape.size())
        os << '\n' << std::string(indent + 1, ' ');
      else
        os << ' ';
    }
    printArray(os, a, dim + 1, index, indent + 1);
  }
  os << ']';
}

HostArray randomArray(const TensorInfo &info, std::mt19937 &rng) {
  HostArray a;
  a.dtype = info.dtype;
  for (int64_t size : info.shape)
    a.shape.push_back(size < 0 ? dynamicSize.getValue() : size);
  uint64_t bytes = info.elementSize();
  for (int64_t size : a.shape)
    if (__builtin_mul_overflow(bytes, uint64_t(size), &bytes))
      throw mlc::Error("--random-inputs: argument '" + info.name +
                       "' has more than 2^64 bytes");
  // Refused rather than attempted: more than the machine's memory.
  uint64_t memory = uint64_t(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
  if (bytes > memory)
    throw mlc::Error("--random-inputs: argument '" + info.name + "' needs " +
                     std::to_string(bytes) + " bytes, more than the " +
                     std::to_string(memory) + " of this machine");
  a.bytes.resize(bytes);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  for (int64_t i = 0; i < a.numElements(); ++i) {
    double v = dist(rng);
    char *p = a.bytes.data();
    if (a.dtype == "float32")
      reinterpret_cast<float *>(p)[i] = float(v);
    else if (a.dtype == "float64")
      reinterpret_cast<double *>(p)[i] = v;
    else if (a.dtype == "int32")
      reinterpret_cast<int32_t *>(p)[i] = int32_t(v * 100);
    else if (a.dtype == "int64")
      reinterpret_cast<int64_t *>(p)[i] = int64_t(v * 100);
    else
      throw mlc::Error("--random-inputs: dtype " + a.dtype +
                       " is not supported");
  }
  return a;
}

BufferView viewOf(HostArray &a) {
  BufferView v;
  v.data = a.bytes.data();
  v.shape = a.shape;
  v.strides.assign(a.shape.size(), 1);
  for (int d = int(a.shape.size()) - 2; d >= 0; --d)
    v.strides[d] = v.strides[d + 1] * a.shape[d + 1];
  return v;
}

HostArray take(OwnedBuffer &buffer, const TensorInfo &info) {
  HostArray a;
  a.dtype = info.dtype;
  a.shape = buffer.shape;
  size_t bytes = a.numElements() * info.elementSize();
  a.bytes.resize(bytes);
  if (bytes)
    std::memcpy(a.bytes.data(), buffer.data, bytes);
  return a;
}

int run() {
  mlir::DialectRegistry registry;
  mlc::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();

  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  if (!file) {
    llvm::errs() << "mlc-run: " << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  CompileOptions options;
  options.optLevel = optLevel;
  options.threads = numThreads;
  auto exe = Executable::compile(*module, options);
  const FunctionInfo &info = exe->function(functionName);
  std::vector<TensorInfo> params = info.inputs();

  std::vector<HostArray> arrays;
  if (randomInputs) {
    if (!inputs.empty())
      throw mlc::Error("give --input files or --random-inputs, not both");
    std::mt19937 rng(seed);
    for (const TensorInfo &param : params)
      arrays.push_back(randomArray(param, rng));
  } else {
    if (inputs.size() != params.size())
      throw mlc::Error(functionName + " takes " +
                       std::to_string(params.size()) + " inputs, got " +
                       std::to_string(inputs.size()) + " --input files");
    for (size_t i = 0; i < inputs.size(); ++i) {
      arrays.push_back(readNpy(inputs[i]));
      if (arrays.back().dtype != params[i].dtype)
        throw mlc::Error(inputs[i] + " holds " + arrays.back().dtype +
                         " but argument #" + std::to_string(i) + " '" +
                         params[i].name + "' is " + params[i].dtype);
    }
  }
  std::vector<BufferView> views;
  for (HostArray &a : arrays)
    views.push_back(viewOf(a));

  std::vector<OwnedBuffer> buffers = exe->call(functionName, views);
  std::vector<HostArray> results;
  for (size_t i = 0; i < buffers.size(); ++i)
    results.push_back(take(buffers[i], info.results[i]));
  // Freed after every copy: a result returned twice has one allocation.
  for (OwnedBuffer &buffer : buffers)
    std::free(buffer.allocated);

  if (timeIt) {
    std::vector<double> times;
    for (unsigned r = 0; r < std::max(1u, repeat.getValue()); ++r) {
      auto start = std::chrono::steady_clock::now();
      std::vector<OwnedBuffer> out = exe->call(functionName, views);
      auto stop = std::chrono::steady_clock::now();
      for (OwnedBuffer &b : out)
        std::free(b.allocated);
      times.push_back(std::chrono::duration<double, std::milli>(stop - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    llvm::outs() << llvm::format(
        "%s: median %.4f ms, min %.4f ms over %zu calls\n",
        functionName.c_str(), times[times.size() / 2], times.front(),
        times.size());
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (!outputPrefix.empty())
      writeNpy(outputPrefix + std::to_string(i) + ".npy", results[i]);
    if (quiet)
      continue;
    llvm::outs() << "result #" << i << ": " << results[i].dtype << " "
                 << shapeText(results[i].shape) << "\n";
    int64_t index = 0;
    printArray(llvm::outs(), results[i], 0, index, 0);
    llvm::outs() << "\n";
  }
  return 0;
}

} // namespace

#if defined(__SANITIZE_ADDRESS__)
// Under ASan (scripts/sanitize): LeakSanitizer's tracer crashes at exit on
// the OpenMP worker threads of the JIT's parallel loops, so mlc-run does not
// check for leaks (mlc-opt does). ASAN_OPTIONS still overrides this.
extern "C" const char *__asan_default_options() { return "detect_leaks=0"; }
#endif

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "mlc-run: compile and run a function of an mlc "
                              "module\n");
  try {
    return run();
  } catch (const mlc::Error &e) {
    llvm::errs() << "mlc-run: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc &) {
    llvm::errs() << "mlc-run: error: out of memory\n";
    return 1;
  }
}
