//===- PartitionedJIT.cpp - JIT compilation on every core -----------------===//

#include "mlc/Runtime/PartitionedJIT.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <thread>

using namespace mlir;

namespace mlc::runtime {
namespace {

/// Whether `func` calls a function the module defines.
bool callsDefined(LLVM::LLVMFuncOp func,
                  const llvm::DenseSet<StringAttr> &defined) {
  bool calls = false;
  func.walk([&](LLVM::CallOp call) {
    if (FlatSymbolRefAttr callee = call.getCalleeAttr())
      calls |= defined.contains(callee.getAttr());
  });
  return calls;
}

/// A copy of `module` that defines only the functions named in `keep`; the
/// others become external declarations, bound by the JIT. Built op by op:
/// copying the whole module and erasing the bodies not kept cost a tenth
/// of resnet18's build.
OwningOpRef<ModuleOp> partOf(ModuleOp module,
                             const llvm::DenseSet<StringAttr> &keep) {
  OwningOpRef<ModuleOp> part(ModuleOp::create(module.getLoc()));
  (*part)->setAttrs(module->getAttrs());
  OpBuilder builder = OpBuilder::atBlockEnd(part->getBody());
  for (Operation &op : *module.getBody()) {
    auto func = dyn_cast<LLVM::LLVMFuncOp>(op);
    if (!func || func.isExternal()) {
      builder.clone(op);
      continue;
    }
    if (keep.contains(func.getSymNameAttr())) {
      auto copy = cast<LLVM::LLVMFuncOp>(builder.clone(op));
      // Found by the other parts' engines.
      if (copy.getLinkage() == LLVM::Linkage::Private ||
          copy.getLinkage() == LLVM::Linkage::Internal)
        copy.setLinkage(LLVM::Linkage::External);
      continue;
    }
    auto declaration = cast<LLVM::LLVMFuncOp>(
        builder.insert(op.cloneWithoutRegions()));
    declaration.setLinkage(LLVM::Linkage::External);
  }
  return part;
}

} // namespace

llvm::Expected<PartitionedEngine>
compilePartitioned(ModuleOp module, const ExecutionEngineOptions &options,
                   const SymbolBinder &bind, unsigned parts) {
  PartitionedEngine result;
  llvm::DenseSet<StringAttr> defined;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal())
      defined.insert(func.getSymNameAttr());
  // Kernels by size, largest first, each into the lightest part so far.
  SmallVector<std::pair<int64_t, StringAttr>> kernels;
  llvm::DenseSet<StringAttr> callers;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    if (func.isExternal())
      continue;
    if (callsDefined(func, defined)) {
      callers.insert(func.getSymNameAttr());
      continue;
    }
    int64_t size = 0;
    func.walk([&](Operation *) { ++size; });
    kernels.push_back({size, func.getSymNameAttr()});
  }
  // Each part holds a copy of the module's globals: only constant ones
  // may be copied. A few parts suffice (an engine each costs its setup).
  bool mutableGlobals = llvm::any_of(
      module.getOps<LLVM::GlobalOp>(), [](LLVM::GlobalOp global) {
        return !global.getConstant() &&
               (global.getValueOrNull() ||
                !global.getInitializerRegion().empty());
      });
  if (mutableGlobals)
    parts = 1;
  parts = std::min<unsigned>({parts, unsigned(kernels.size()), 8u});
  if (parts <= 1) {
    auto engine = ExecutionEngine::create(module, options);
    if (!engine)
      return engine.takeError();
    (*engine)->registerSymbols(bind);
    result.callers = std::move(*engine);
    return result;
  }
  llvm::sort(kernels, [](auto &a, auto &b) { return a.first > b.first; });
  std::vector<llvm::DenseSet<StringAttr>> members(parts);
  std::vector<int64_t> load(parts, 0);
  for (auto [size, name] : kernels) {
    unsigned lightest = std::min_element(load.begin(), load.end()) -
                        load.begin();
    members[lightest].insert(name);
    load[lightest] += size;
  }
  // Each part on a thread of its own: an engine (with its own LLVM
  // context), then a lookup of one of its functions, which optimizes and
  // compiles the whole part.
  std::vector<OwningOpRef<ModuleOp>> modules;
  for (const auto &names : members)
    modules.push_back(partOf(module, names));
  result.kernels.resize(parts);
  std::vector<std::string> errors(parts);
  std::vector<std::thread> workers;
  for (unsigned p = 0; p < parts; ++p)
    workers.emplace_back([&, p] {
      auto engine = ExecutionEngine::create(*modules[p], options);
      if (!engine) {
        errors[p] = llvm::toString(engine.takeError());
        return;
      }
      (*engine)->registerSymbols(bind);
      auto any = (*engine)->lookup(members[p].begin()->getValue());
      if (!any) {
        errors[p] = llvm::toString(any.takeError());
        return;
      }
      result.kernels[p] = std::move(*engine);
    });
  for (std::thread &worker : workers)
    worker.join();
  for (const std::string &error : errors)
    if (!error.empty())
      return llvm::createStringError(error);
  // The kernels' addresses, for the callers' engine.
  std::vector<std::pair<std::string, void *>> addresses;
  for (unsigned p = 0; p < parts; ++p)
    for (StringAttr name : members[p]) {
      auto address = result.kernels[p]->lookup(name.getValue());
      if (!address)
        return address.takeError();
      addresses.push_back({name.str(), *address});
    }
  OwningOpRef<ModuleOp> top = partOf(module, callers);
  auto engine = ExecutionEngine::create(*top, options);
  if (!engine)
    return engine.takeError();
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols = bind(interner);
    for (auto &[name, address] : addresses)
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  result.callers = std::move(*engine);
  return result;
}

} // namespace mlc::runtime
