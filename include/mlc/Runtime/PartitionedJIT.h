//===- PartitionedJIT.h - JIT compilation on every core ---------*- C++ -*-===//
//
// MLIR's ExecutionEngine optimizes and compiles a module as one LLVM
// module, on one thread: most of a model's build. Here the kernels (the
// functions that call no other function of the module) are split into
// parts of about equal size, each compiled by an engine of its own on a
// thread of its own, and the callers (the graph functions and the C
// interface wrappers) by one more engine that binds the kernels' symbols
// to the code the others made.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_RUNTIME_PARTITIONEDJIT_H
#define MLC_RUNTIME_PARTITIONEDJIT_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <memory>
#include <vector>

namespace mlc::runtime {

/// The engines of one compiled module: `callers` holds the functions that
/// call others (look entry points up there), `kernels` the rest. All stay
/// alive together.
struct PartitionedEngine {
  std::unique_ptr<mlir::ExecutionEngine> callers;
  std::vector<std::unique_ptr<mlir::ExecutionEngine>> kernels;
};

/// Symbols every engine binds (the runtime's functions, the weights).
using SymbolBinder =
    std::function<llvm::orc::SymbolMap(llvm::orc::MangleAndInterner)>;

/// JIT-compiles `module` (LLVM dialect, every function public) in up to
/// `parts` kernel parts on as many threads (1: one engine, as
/// ExecutionEngine::create alone). `options` are each engine's; `bind`
/// gives the symbols the code refers to outside the module.
llvm::Expected<PartitionedEngine>
compilePartitioned(mlir::ModuleOp module,
                   const mlir::ExecutionEngineOptions &options,
                   const SymbolBinder &bind, unsigned parts);

} // namespace mlc::runtime

#endif // MLC_RUNTIME_PARTITIONEDJIT_H
