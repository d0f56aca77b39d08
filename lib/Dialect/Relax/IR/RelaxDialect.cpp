//===- RelaxDialect.cpp - Relax dialect registration ----------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlc::relax;

#include "mlc/Dialect/Relax/IR/RelaxDialect.cpp.inc"

void RelaxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mlc/Dialect/Relax/IR/RelaxOps.cpp.inc"
      >();
}

Operation *RelaxDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstOp::create(builder, loc, elements);
}

namespace {

/// Checks one node of a result structure (see kResultStructure): a tensor
/// result {"tensor": k}, an integer {"int": k} (result k a 0-d i64
/// tensor), a constant {"value": v} (a number, bool or null, or {"float":
/// "nan"/"inf"/"-inf"}), {"tuple": [...]} / {"list": [...]}, {"dict":
/// [[key, node], ...]} (str keys, in order), {"namedtuple": [name,
/// [fields], [items]]}, or {"size": [...]} (a torch.Size: integers only).
LogicalResult verifyStructure(const llvm::json::Value &node,
                              func::FuncOp func, llvm::SmallBitVector &seen,
                              llvm::function_ref<InFlightDiagnostic()> error) {
  const llvm::json::Object *object = node.getAsObject();
  if (!object || object->size() != 1)
    return error() << "has a node that is not an object with one key";
  auto [key, value] = *object->begin();
  if (key == "size") {
    const llvm::json::Array *items = value.getAsArray();
    if (!items)
      return error() << "has a size that is not an array";
    for (const llvm::json::Value &item : *items) {
      const llvm::json::Object *entry = item.getAsObject();
      bool integer = entry && entry->size() == 1 &&
                     (entry->get("int") ||
                      (entry->get("value") &&
                       entry->get("value")->getAsInteger()));
      if (!integer)
        return error() << "has a size with an item that is not an integer";
      if (failed(verifyStructure(item, func, seen, error)))
        return failure();
    }
    return success();
  }
  if (key == "tuple" || key == "list") {
    const llvm::json::Array *items = value.getAsArray();
    if (!items)
      return error() << "has a " << key.str() << " that is not an array";
    for (const llvm::json::Value &item : *items)
      if (failed(verifyStructure(item, func, seen, error)))
        return failure();
    return success();
  }
  if (key == "dict") {
    const llvm::json::Array *items = value.getAsArray();
    if (!items)
      return error() << "has a dict that is not an array of pairs";
    for (const llvm::json::Value &item : *items) {
      const llvm::json::Array *pair = item.getAsArray();
      if (!pair || pair->size() != 2 || !(*pair)[0].getAsString())
        return error() << "has a dict item that is not a [key, node] pair";
      if (failed(verifyStructure((*pair)[1], func, seen, error)))
        return failure();
    }
    return success();
  }
  if (key == "namedtuple") {
    const llvm::json::Array *parts = value.getAsArray();
    const llvm::json::Array *fields =
        parts && parts->size() == 3 ? (*parts)[1].getAsArray() : nullptr;
    const llvm::json::Array *items =
        fields ? (*parts)[2].getAsArray() : nullptr;
    if (!items || !(*parts)[0].getAsString() ||
        fields->size() != items->size() ||
        llvm::any_of(*fields, [](const llvm::json::Value &f) {
          return !f.getAsString();
        }))
      return error() << "has a namedtuple that is not [name, [fields], "
                        "[items]] with a field per item";
    for (const llvm::json::Value &item : *items)
      if (failed(verifyStructure(item, func, seen, error)))
        return failure();
    return success();
  }
  if (key == "value") {
    if (value.kind() == llvm::json::Value::Array ||
        (value.kind() == llvm::json::Value::Object &&
         !value.getAsObject()->getString("float")))
      return error() << "has a value that is not a number, bool or null";
    return success();
  }
  if (key != "tensor" && key != "int")
    return error() << "has an unknown node '" << key.str() << "'";
  std::optional<int64_t> index = value.getAsInteger();
  unsigned count = func.getNumResults();
  if (!index || *index < 0 || *index >= count)
    return error() << "names result " << (index ? *index : -1)
                   << " of a function with " << count << " results";
  if (seen.test(*index))
    return error() << "names result " << *index << " twice";
  seen.set(*index);
  if (key == "int") {
    // (A tensor, or a memref once bufferized.)
    auto type = dyn_cast<ShapedType>(func.getResultTypes()[*index]);
    if (!type || !type.hasRank() || type.getRank() != 0 ||
        !type.getElementType().isInteger(64))
      return error() << "reads result " << *index
                     << " as an integer, but it is not a 0-d i64 tensor";
  }
  return success();
}

} // namespace

LogicalResult RelaxDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  if (attr.getName() != kResultStructure)
    return op->emitOpError() << "has an unknown relax attribute '"
                             << attr.getName().getValue() << "'";
  auto error = [&] {
    return op->emitOpError() << "attribute '" << kResultStructure << "' ";
  };
  auto func = dyn_cast<func::FuncOp>(op);
  if (!func)
    return error() << "belongs on a func.func";
  auto text = dyn_cast<StringAttr>(attr.getValue());
  if (!text)
    return error() << "must be a string (JSON)";
  llvm::Expected<llvm::json::Value> structure =
      llvm::json::parse(text.getValue());
  if (!structure) {
    std::string why = llvm::toString(structure.takeError());
    return error() << "is not JSON: " << why;
  }
  llvm::SmallBitVector seen(func.getNumResults());
  if (failed(verifyStructure(*structure, func, seen, error)))
    return failure();
  if (!seen.all())
    return error() << "does not place result " << seen.find_first_unset();
  return success();
}
