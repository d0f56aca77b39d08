//===- DeduplicateFunctions.cpp - one copy of each identical kernel -------===//
//
// Identical private functions (a model's repeated layers) are compiled
// once: the others' calls go to the first, which records their names.
// Functions compare by their printed text without the name, which is
// exact (the printer's text round-trips) and cheap next to lowering them.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"

namespace mlc {
#define GEN_PASS_DEF_MLCDEDUPLICATEFUNCTIONSPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// `func` as text, its name replaced by a placeholder.
std::string textWithoutName(func::FuncOp func) {
  std::string text;
  llvm::raw_string_ostream os(text);
  func->print(os, OpPrintingFlags().useLocalScope());
  std::string name = "@" + func.getSymName().str() + "(";
  size_t at = text.find(name);
  if (at != std::string::npos)
    text.replace(at, name.size(), "@(");
  return text;
}

struct DeduplicateFunctionsPass
    : mlc::impl::MLCDeduplicateFunctionsPassBase<DeduplicateFunctionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringMap<func::FuncOp> first;
    SmallVector<std::pair<func::FuncOp, func::FuncOp>> duplicates;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (!func.isPrivate() || func.isDeclaration())
        continue;
      auto [it, inserted] = first.try_emplace(textWithoutName(func), func);
      if (!inserted)
        duplicates.emplace_back(func, it->second);
    }
    for (auto [duplicate, kept] : duplicates) {
      if (failed(SymbolTable::replaceAllSymbolUses(
              duplicate, kept.getSymNameAttr(), module)))
        return signalPassFailure();
      SmallVector<Attribute> aliases;
      if (auto previous = kept->getAttrOfType<ArrayAttr>(mlc::kAliasesAttr))
        llvm::append_range(aliases, previous.getValue());
      aliases.push_back(duplicate.getSymNameAttr());
      if (auto inherited =
              duplicate->getAttrOfType<ArrayAttr>(mlc::kAliasesAttr))
        llvm::append_range(aliases, inherited.getValue());
      kept->setAttr(mlc::kAliasesAttr,
                    ArrayAttr::get(&getContext(), aliases));
      duplicate.erase();
    }
  }
};

} // namespace
