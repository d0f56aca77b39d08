//===- SignlessIntegers.cpp - unsigned integer types to signless ----------===//
//
// The lowering's last use of signedness is te's choice of ops; after it,
// every `uiN` in the module (types of values, block arguments, function
// signatures, and the types inside attributes such as constants) becomes
// `iN`, which the upstream lowerings expect.
//
//===----------------------------------------------------------------------===//

#include "mlc/Transforms/Passes.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlc {
#define GEN_PASS_DEF_MLCSIGNLESSINTEGERSPASS
#include "mlc/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct SignlessIntegersPass
    : mlc::impl::MLCSignlessIntegersPassBase<SignlessIntegersPass> {
  void runOnOperation() override {
    AttrTypeReplacer replacer;
    replacer.addReplacement([](IntegerType type) -> std::optional<Type> {
      if (type.isSignless())
        return std::nullopt;
      return IntegerType::get(type.getContext(), type.getWidth());
    });
    // Elements attributes keep their type as raw storage, which the
    // generic walk does not rebuild: give them the signless type of the
    // same bits.
    auto signless = [&](ShapedType type) {
      return cast<ShapedType>(replacer.replace(type));
    };
    replacer.addReplacement(
        [&](DenseElementsAttr attr) -> std::optional<Attribute> {
          ShapedType type = signless(attr.getType());
          if (type == attr.getType())
            return std::nullopt;
          return attr.bitcast(type.getElementType());
        });
    replacer.addReplacement(
        [&](DenseResourceElementsAttr attr) -> std::optional<Attribute> {
          ShapedType type = signless(attr.getType());
          if (type == attr.getType())
            return std::nullopt;
          return DenseResourceElementsAttr::get(type, attr.getRawHandle());
        });
    replacer.recursivelyReplaceElementsIn(getOperation(),
                                          /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
  }
};

} // namespace
