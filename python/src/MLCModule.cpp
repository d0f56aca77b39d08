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
#include "llvm/Support/raw_ostream.h"

namespace py = pybind11;
using namespace mlir;

namespace {
struct Session {
  Session() : context(makeRegistry()), workspace(&context) {
    context.loadAllAvailableDialects();
  }
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    mlc::registerAllDialects(registry);
    return registry;
  }
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
