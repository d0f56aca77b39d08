//===- IRBindings.cpp - IRModule ------------------------------------------===//

#include "Bindings.h"

#include "mlc/Dialect/Relax/Transforms/PrintGraph.h"
#include "mlc/Dialect/TIR/IR/TIR.h"
#include "mlc/InitAll.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <pybind11/stl.h>

namespace py = pybind11;
using namespace mlir;
using mlc::python::PyModule;

namespace {
std::string printType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}
std::string printAttr(Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << attr;
  return text;
}
} // namespace

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
      .def("clone",
           [](PyModule &self) {
             return std::make_shared<PyModule>(OwningOpRef<ModuleOp>(
                 cast<ModuleOp>(self.get()->clone())));
           })
      .def(
          "run_pipeline",
          [](PyModule &self, const std::string &pipeline) {
            // A new module: passes as TVM's, IRModule -> IRModule.
            static bool registered = (mlc::registerAllPasses(), true);
            (void)registered;
            MLIRContext &ctx = getContext();
            mlc::DiagnosticCollector diagnostics(&ctx);
            auto copy = OwningOpRef<ModuleOp>(
                cast<ModuleOp>(self.get()->clone()));
            // Anchored on the module: `builtin.module(a,b)` or `a,b`.
            PassManager pm(&ctx, ModuleOp::getOperationName());
            StringRef inner(pipeline);
            if (inner.consume_front("builtin.module(") &&
                !inner.consume_back(")"))
              throw mlc::Error("bad pass pipeline '" + pipeline +
                               "': unbalanced parentheses");
            std::string error;
            llvm::raw_string_ostream errorStream(error);
            if (failed(parsePassPipeline(inner, pm, errorStream)))
              throw mlc::Error("bad pass pipeline '" + pipeline +
                               "': " + error);
            if (failed(pm.run(*copy)))
              throw mlc::Error("pass pipeline '" + pipeline +
                               "' failed:\n" + diagnostics.str());
            return std::make_shared<PyModule>(std::move(copy));
          },
          py::arg("pipeline"),
          "Runs an mlc-opt pass pipeline on a copy of the module.")
      .def(
          "function_info",
          [](PyModule &self, const std::string &name) {
            Operation *op = SymbolTable::lookupSymbolIn(self.get(), name);
            if (!op)
              throw py::key_error("no function named '" + name + "'");
            auto tensor = [](Type type) {
              py::dict info;
              auto ranked = dyn_cast<RankedTensorType>(type);
              if (!ranked) {
                info["type"] = printType(type);
                return info;
              }
              py::list shape;
              for (int64_t d : ranked.getShape())
                shape.append(ShapedType::isDynamic(d) ? py::object(py::none())
                                                      : py::int_(d));
              info["shape"] = py::tuple(shape);
              info["dtype"] = mlc::te::dtypeName(ranked.getElementType());
              return info;
            };
            py::dict info;
            FunctionType type;
            if (auto func = dyn_cast<func::FuncOp>(op)) {
              info["kind"] = "relax";
              type = func.getFunctionType();
            } else if (auto prim = dyn_cast<mlc::tir::FuncOp>(op)) {
              info["kind"] = "tir";
              type = prim.getFunctionType();
            } else {
              info["kind"] = op->getName().getStringRef().str();
              info["params"] = py::list();
              info["results"] = py::list();
              info["attrs"] = py::dict();
              return info;
            }
            py::list params, results;
            for (Type t : type.getInputs())
              params.append(tensor(t));
            for (Type t : type.getResults())
              results.append(tensor(t));
            py::dict attrs;
            for (NamedAttribute attr : op->getDiscardableAttrs())
              attrs[py::str(attr.getName().str())] = printAttr(attr.getValue());
            info["params"] = params;
            info["results"] = results;
            info["attrs"] = attrs;
            return info;
          },
          py::arg("name"))
      .def(
          "insert_function",
          [](PyModule &self, PyModule &source, const std::string &sourceName,
             const std::string &name) {
            // The function (renamed) and the functions it calls that this
            // module lacks; a same-named different one is an error.
            ModuleOp into = self.get();
            Operation *func = SymbolTable::lookupSymbolIn(source.get(),
                                                          sourceName);
            if (!func)
              throw py::key_error("no function named '" + sourceName + "'");
            if (&source == &self && sourceName == name)
              return; // mod["f"] = mod["f"]: already there
            SymbolTable table(into);
            if (Operation *old = table.lookup(name))
              table.erase(old);
            SmallVector<Operation *> needed{func};
            for (size_t i = 0; i < needed.size(); ++i)
              if (auto uses = SymbolTable::getSymbolUses(needed[i]))
                for (const SymbolTable::SymbolUse &use : *uses) {
                  StringRef callee =
                      use.getSymbolRef().getRootReference().getValue();
                  Operation *target =
                      SymbolTable::lookupSymbolIn(source.get(), callee);
                  if (!target || llvm::is_contained(needed, target))
                    continue;
                  if (Operation *mine = table.lookup(callee)) {
                    if (printOp(mine, false) != printOp(target, false))
                      throw mlc::Error("cannot add '" + name + "': it calls '" +
                                       callee.str() + "', which this module "
                                       "defines differently");
                    continue;
                  }
                  needed.push_back(target);
                }
            for (Operation *op : needed) {
              Operation *copy = op->clone();
              if (op == func)
                SymbolTable::setSymbolName(copy, name);
              table.insert(copy);
            }
          },
          py::arg("source"), py::arg("source_name"), py::arg("name"))
      .def(
          "graph_dot",
          [](PyModule &self, const std::string &function) {
            MLIRContext &ctx = getContext();
            mlc::DiagnosticCollector diagnostics(&ctx);
            std::string text;
            llvm::raw_string_ostream os(text);
            if (failed(mlc::relax::printGraph(self.get(), function, os)))
              throw mlc::Error(diagnostics.str());
            return text;
          },
          py::arg("function") = "main");
}
