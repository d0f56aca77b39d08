//===- IRBindings.cpp - IRModule ------------------------------------------===//

#include "Bindings.h"

#include "mlc/Support/Error.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <pybind11/stl.h>

namespace py = pybind11;
using namespace mlir;
using mlc::python::PyModule;

void mlc::python::registerIR(py::module_ &m) {
  py::class_<PyModule, std::shared_ptr<PyModule>>(m, "Module")
      .def_static(
          "parse",
          [](const std::string &text) {
            MLIRContext &ctx = getContext();
            mlc::DiagnosticCollector diagnostics(&ctx);
            OwningOpRef<ModuleOp> module =
                parseSourceString<ModuleOp>(text, &ctx, "<text>");
            if (!module)
              throw mlc::Error("could not parse the module:\n" +
                               diagnostics.str());
            return std::make_shared<PyModule>(std::move(module));
          },
          py::arg("text"), "Parses (and verifies) a module from MLIR text.")
      .def(
          "text",
          [](PyModule &self, bool elide) { return printOp(self.get(), elide); },
          py::arg("elide_large_constants") = false)
      .def("functions",
           [](PyModule &self) {
             std::vector<std::string> names;
             for (Operation &op : *self.get().getBody())
               if (auto name = op.getAttrOfType<StringAttr>(
                       SymbolTable::getSymbolAttrName()))
                 names.push_back(name.str());
             return names;
           })
      .def(
          "function_text",
          [](PyModule &self, const std::string &name, bool elide) {
            Operation *op = SymbolTable::lookupSymbolIn(self.get(), name);
            if (!op)
              throw py::key_error("no function named '" + name + "'");
            return printOp(op, elide);
          },
          py::arg("name"), py::arg("elide_large_constants") = true)
      .def("verify",
           [](PyModule &self) {
             mlc::verifyOrThrow(self.get(), "the module does not verify");
           })
      .def("clone", [](PyModule &self) {
        return std::make_shared<PyModule>(
            OwningOpRef<ModuleOp>(cast<ModuleOp>(self.get()->clone())));
      });
}
