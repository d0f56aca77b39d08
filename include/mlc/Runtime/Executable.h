//===- Executable.h - JIT-compiled mlc modules ------------------*- C++ -*-===//
//
// Compiles a module of relax graph functions and tir.funcs for the host CPU
// (mlc-lower-to-llvm, then MLIR's ExecutionEngine) and calls its functions
// on caller memory.
//
// Calling convention: every function takes its tensor inputs as memref
// descriptors over the caller's memory (no copy) and returns each result in
// a buffer it allocated with malloc, whose ownership passes to the caller
// (free it with std::free, from `allocated`).
//
//===----------------------------------------------------------------------===//

#ifndef MLC_RUNTIME_EXECUTABLE_H
#define MLC_RUNTIME_EXECUTABLE_H

#include "mlc/Runtime/PartitionedJIT.h"
#include "mlc/Support/Resources.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlc::runtime {

/// Element types the runtime passes: float16/32/64, int8/16/32/64, uint8, bool.
struct TensorInfo {
  std::string name;
  std::string dtype;
  /// -1 for a dynamic dimension.
  std::vector<int64_t> shape;
  /// For a tir.func argument: whether it is an output (destination).
  bool isOutput = false;

  size_t elementSize() const;
};

struct FunctionInfo {
  std::string name;
  /// The function whose code a call runs: `name`, or the identical
  /// function --mlc-deduplicate-functions kept in its place.
  std::string compiledName;
  /// Every argument in order (a tir.func's output arguments included).
  std::vector<TensorInfo> params;
  std::vector<TensorInfo> results;
  /// Whether it is a tir.func (callable TVM-style with its outputs).
  bool isPrimFunc = false;
  /// How the results form the returned Python value (JSON of
  /// relax.result_structure), or empty: a tensor, or a tuple of them.
  std::string resultStructure;

  /// The arguments a call passes (params less the outputs).
  const std::vector<TensorInfo> &inputs() const { return inputParams; }

  /// Fills inputParams from params (done once, when the signature is read).
  void collectInputs();

private:
  std::vector<TensorInfo> inputParams;
};

/// A strided view of caller memory (strides in elements).
struct BufferView {
  void *data = nullptr;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

/// A result buffer; `allocated` is what std::free releases, `data` the
/// first element.
struct OwnedBuffer {
  /// What to free(); null when an earlier result of the same call owns
  /// the memory (a function returning one buffer twice, `return y, y`):
  /// then `sharedWith` is that result's index.
  void *allocated = nullptr;
  int sharedWith = -1;
  void *data = nullptr;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

struct CompileOptions {
  /// LLVM optimization level of the generated code (0-3).
  unsigned optLevel = 3;
  /// Fuse call_tir chains and element-wise ops (mlc-lower-to-llvm's fuse).
  bool fuse = true;
  /// Threads the vectorized loop nests are split across (OpenMP, libomp
  /// from LLVM 22); 0, the default, means every core of the machine.
  /// Loop nests with too little work stay on one thread (see
  /// docs/lowering.md).
  unsigned threads = 0;
  /// Threads LLVM optimizes and compiles the code on: the kernels are
  /// split into this many parts (lib/Runtime/PartitionedJIT.cpp); 0, the
  /// default, means every core.
  unsigned compileThreads = 0;
};

class Executable {
public:
  ~Executable();

  /// Lowers a copy of `module` to LLVM and JIT-compiles it. Throws
  /// mlc::Error with the diagnostics when a step fails.
  static std::unique_ptr<Executable> compile(mlir::ModuleOp module,
                                             const CompileOptions &options = {});

  const std::vector<FunctionInfo> &functions() const { return infos; }
  /// Throws mlc::Error naming the available functions if there is none
  /// named `name`.
  const FunctionInfo &function(const std::string &name) const;

  /// Calls `name` on `inputs` (one per input, checked against the
  /// signature: count, rank, static sizes; dtypes are the caller's job as
  /// views are untyped). Returns one buffer per result. Throws mlc::Error.
  std::vector<OwnedBuffer> call(const std::string &name,
                                const std::vector<BufferView> &inputs);
  /// The same for a function found with function() (no lookup by name).
  std::vector<OwnedBuffer> call(const FunctionInfo &info,
                                const std::vector<BufferView> &inputs);

  /// The symbol the function `name` has in compiled code: `mlc.<name>`.
  /// Generated functions are named after ops ("cos", "exp", "memcpy"),
  /// and a definition named like a C library function captures the calls
  /// LLVM makes to it (cos of f64 calling the kernel "cos" recursively);
  /// no C symbol contains a dot.
  static std::string symbolOf(llvm::StringRef name) {
    return ("mlc." + name).str();
  }

  /// The packed entry point of `name` in compiled code (the JIT's and an
  /// exported library's `_mlir__mlir_ciface_<symbol>`).
  static std::string packedEntryOf(llvm::StringRef name) {
    return "_mlir__mlir_ciface_" + symbolOf(name);
  }

  /// The module in the LLVM dialect, as compiled.
  mlir::ModuleOp getLoweredModule() { return *lowered; }

  /// Writes a shared library of the compiled functions that a process
  /// without MLIR can load: position-independent code for the host CPU,
  /// linked with the system C compiler (and LLVM's libomp when it runs
  /// loops in parallel), the functions' C interfaces
  /// (`_mlir_ciface_mlc.<name>`) exported, and a JSON description of their
  /// signatures in the string `mlc_metadata` (mlc/runtime/loader.py reads
  /// it). Throws mlc::Error.
  void exportLibrary(const std::string &path) const;

private:
  Executable() = default;
  CompileOptions options;
  /// The compiled code: entry points in `engines.callers`.
  PartitionedEngine engines;
  std::vector<FunctionInfo> infos;
  /// The packed entry point (packedEntryOf) of each of
  /// `infos`, looked up once at compile time: a JIT symbol lookup per call
  /// costs more than a small kernel.
  std::vector<void (*)(void **)> entryPoints;
  mlir::OwningOpRef<mlir::ModuleOp> lowered;
  /// The data of the globals --mlc-externalize-constants made external
  /// (the weights), which the JIT binds and export_library writes: the
  /// blob's memory, or an aligned copy of it when the blob is not aligned
  /// as the global requires.
  struct ExternalConstant {
    std::string symbol;
    const char *data;
    size_t size;
    uint64_t alignment;
  };
  std::vector<ExternalConstant> externalConstants;
  struct FreeAligned {
    void operator()(char *p) const { std::free(p); }
  };
  std::vector<std::unique_ptr<char, FreeAligned>> alignedCopies;
  /// Fills externalConstants from `lowered`'s mlc.external_constants.
  void collectExternalConstants();
  /// The releasable constant blobs `lowered` names (export_library
  /// translates it again).
  mlc::ResourceHold resources;
};

} // namespace mlc::runtime

#endif // MLC_RUNTIME_EXECUTABLE_H
