//===- ExternalizeConstants.cpp - weights kept out of LLVM ----------------===//
//
// Large constant globals become external declarations whose data the linker
// of the generated code supplies (see Passes.td). LLVM then never sees the
// weights: translation, optimization and code generation stay proportional
// to the code, not to the model's size.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlc {
#define GEN_PASS_DEF_MLCEXTERNALIZECONSTANTSPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct ExternalizeConstantsPass
    : mlc::impl::MLCExternalizeConstantsPassBase<ExternalizeConstantsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<NamedAttribute> external;
    if (auto previous = module->getAttrOfType<DictionaryAttr>(
            mlc::kExternalConstantsAttr))
      llvm::append_range(external, previous.getValue());
    for (auto global : module.getOps<LLVM::GlobalOp>()) {
      if (!global.getConstant() || !global.getInitializer().empty())
        continue;
      auto blob =
          dyn_cast_or_null<DenseResourceElementsAttr>(global.getValueAttr());
      if (!blob)
        continue;
      auto type = cast<ShapedType>(blob.getType());
      // i1 blobs hold a byte per element, as LLVM lays i1 arrays out, but
      // sub-byte types are left to LLVM's own layout rules.
      int64_t bits = type.getElementTypeBitWidth();
      // An empty blob has no data to bind.
      if (bits % 8 != 0 || type.getNumElements() == 0 ||
          type.getNumElements() * (bits / 8) < minBytes)
        continue;
      global.removeValueAttr();
      global.setLinkage(LLVM::Linkage::External);
      global.setUnnamedAddr(std::nullopt);
      external.emplace_back(global.getSymNameAttr(), blob);
    }
    if (!external.empty())
      module->setAttr(mlc::kExternalConstantsAttr,
                      DictionaryAttr::get(&getContext(), external));
  }
};

} // namespace
