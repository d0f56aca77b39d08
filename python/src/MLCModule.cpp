//===- MLCModule.cpp - The mlc._mlc Python extension ----------------------===//
//
// One extension over mlc's C++ builder and runtime; everything else in the
// mlc package is plain Python. The extension owns the MLIRContext and the
// te workspace for the life of the process.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "mlc/InitAll.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"

#include <pthread.h>

namespace py = pybind11;
using namespace mlir;

namespace {
struct Session;
Session &session();

/// The process's context, with a thread pool of its own rather than the
/// context's: after fork() only the forking thread exists in the child, so
/// the pool's workers are gone and the first parallel step of a pass
/// manager (verification) would wait for them for ever. The child drops
/// that pool (leaked: its threads cannot be joined there) and gets a fresh
/// one, whose workers start on first use.
struct Session {
  Session()
      : pool(new llvm::DefaultThreadPool()),
        context(makeRegistry(), MLIRContext::Threading::DISABLED),
        workspace(&context) {
    context.setThreadPool(*pool);
    context.loadAllAvailableDialects();
    pthread_atfork(nullptr, nullptr, [] { session().renewThreadPool(); });
  }
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    mlc::registerAllDialects(registry);
    return registry;
  }
  void renewThreadPool() {
    context.disableMultithreading();
    (void)pool.release();
    pool.reset(new llvm::DefaultThreadPool());
    context.setThreadPool(*pool);
  }
  /// Outlives the context (declared first).
  std::unique_ptr<llvm::DefaultThreadPool> pool;
  MLIRContext context;
  mlc::te::Workspace workspace;
};

Session &session() {
  // Never destroyed: Python objects holding IR handles may outlive module
  // teardown at interpreter exit.
  static Session *s = new Session();
  return *s;
}
} // namespace

MLIRContext &mlc::python::getContext() { return session().context; }

std::string mlc::python::printOp(Operation *op, bool elide) {
  OpPrintingFlags flags;
  if (elide)
    flags.elideLargeElementsAttrs(16).elideLargeResourceString(64);
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os, flags);
  return text;
}

PYBIND11_MODULE(_mlc, m) {
  m.doc() = "mlc: an MLIR-based machine-learning compiler (native part)";
  session();
  py::register_exception<mlc::Error>(m, "MLCError", PyExc_RuntimeError);

  py::module_ ir = m.def_submodule("ir", "IR modules");
  mlc::python::registerIR(ir);
  py::module_ te = m.def_submodule("te", "tensor expressions");
  mlc::python::registerTE(te);
  py::module_ relax = m.def_submodule("relax", "graph builder");
  mlc::python::registerRelax(relax);
  py::module_ runtime = m.def_submodule("runtime", "compiled executables");
  mlc::python::registerRuntime(runtime);
}
