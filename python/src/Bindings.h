//===- Bindings.h - Shared state of the mlc._mlc extension ------*- C++ -*-===//

#ifndef MLC_PYTHON_BINDINGS_H
#define MLC_PYTHON_BINDINGS_H

#include "mlc/Support/Resources.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <pybind11/pybind11.h>

#include <memory>
#include <string>

namespace mlc::python {

/// The context every object of the extension lives in.
mlir::MLIRContext &getContext();

/// A module shared between Python objects (IRModule, executables). It
/// holds the releasable constant blobs it names (mlc/Support/Resources.h),
/// so that dropping the last Python object that uses a weight frees it.
struct PyModule {
  explicit PyModule(mlir::OwningOpRef<mlir::ModuleOp> module)
      : module(std::move(module)), hold(this->module.get()) {}
  mlir::ModuleOp get() { return *module; }
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlc::ResourceHold hold;
};

/// Prints `op`; with `elide`, large constants are elided (IRModule.show).
std::string printOp(mlir::Operation *op, bool elide);

void registerIR(pybind11::module_ &m);
void registerTE(pybind11::module_ &m);
void registerRelax(pybind11::module_ &m);
void registerRuntime(pybind11::module_ &m);

} // namespace mlc::python

#endif // MLC_PYTHON_BINDINGS_H
