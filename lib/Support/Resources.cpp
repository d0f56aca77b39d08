//===- Resources.cpp - Constant blobs released when unused ----------------===//

#include "mlc/Support/Resources.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"

#include <mutex>

using namespace mlir;

namespace {

using BlobEntry = DialectResourceBlobManager::BlobEntry;

/// The hold count of every releasable blob, by its (stable) entry.
struct Registry {
  std::mutex mutex;
  llvm::DenseMap<BlobEntry *, int64_t> holds;
};

Registry &registry() {
  // Never destroyed: holds may be dropped during static destruction.
  static Registry *r = new Registry();
  return *r;
}

BlobEntry *entryOf(DenseResourceElementsAttr attr) {
  return attr.getRawHandle().getResource();
}

} // namespace

DenseResourceElementsAttr mlc::makeReleasableBlob(ShapedType type,
                                                  StringRef name,
                                                  ArrayRef<char> data) {
  auto attr = DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(data, mlc::kBlobAlignment));
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.holds.try_emplace(entryOf(attr), 0);
  return attr;
}

DenseResourceElementsAttr
mlc::makeReleasableBlobLike(Attribute source, ShapedType type, StringRef name,
                            ArrayRef<char> data) {
  bool releasable = false;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(source)) {
    Registry &r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    releasable = r.holds.count(entryOf(resource));
  }
  if (releasable)
    return makeReleasableBlob(type, name, data);
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(data, mlc::kBlobAlignment));
}

mlc::ResourceHold::ResourceHold(Attribute attr) { add(attr); }

mlc::ResourceHold::ResourceHold(Operation *root) {
  root->walk([&](Operation *op) {
    add(op->getAttrDictionary());
    if (Attribute properties = op->getPropertiesAsAttribute())
      add(properties);
  });
}

void mlc::ResourceHold::add(Attribute attr) {
  if (!attr)
    return;
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (r.holds.empty())
    return;
  attr.walk([&](DenseResourceElementsAttr resource) {
    BlobEntry *entry = entryOf(resource);
    auto it = r.holds.find(entry);
    if (it == r.holds.end() || llvm::is_contained(entries, entry))
      return;
    ++it->second;
    entries.push_back(entry);
  });
}

void mlc::ResourceHold::drop() {
  if (entries.empty())
    return;
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (void *p : entries) {
    auto *entry = static_cast<BlobEntry *>(p);
    auto it = r.holds.find(entry);
    if (it == r.holds.end() || --it->second > 0)
      continue;
    // The last hold: free the data; the key stays with an empty blob, and
    // is no longer releasable (nothing can hold it again).
    entry->setBlob(AsmResourceBlob());
    r.holds.erase(it);
  }
  entries.clear();
}

mlc::ResourceHold::ResourceHold(const ResourceHold &other) {
  *this = other;
}

mlc::ResourceHold &mlc::ResourceHold::operator=(const ResourceHold &other) {
  if (this == &other)
    return *this;
  drop();
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (void *p : other.entries) {
    auto it = r.holds.find(static_cast<BlobEntry *>(p));
    if (it == r.holds.end())
      continue;
    ++it->second;
    entries.push_back(p);
  }
  return *this;
}

mlc::ResourceHold::ResourceHold(ResourceHold &&other) noexcept
    : entries(std::move(other.entries)) {
  other.entries.clear();
}

mlc::ResourceHold &mlc::ResourceHold::operator=(ResourceHold &&other) noexcept {
  if (this != &other) {
    drop();
    entries = std::move(other.entries);
    other.entries.clear();
  }
  return *this;
}

mlc::ResourceHold::~ResourceHold() { drop(); }

LogicalResult mlc::checkResourcesPresent(Operation *root) {
  WalkResult result = root->walk([&](Operation *op) {
    auto check = [&](Attribute attr) {
      if (!attr)
        return WalkResult::advance();
      WalkResult inner = attr.walk([&](DenseResourceElementsAttr resource) {
        auto type = cast<ShapedType>(resource.getType());
        AsmResourceBlob *blob = resource.getRawHandle().getBlob();
        int64_t bits = type.getElementTypeBitWidth();
        // i1 blobs hold a byte per element.
        int64_t bytes = type.getNumElements() * ((bits + 7) / 8);
        if (!blob || int64_t(blob->getData().size()) != bytes) {
          op->emitOpError() << "uses the constant blob '"
                            << resource.getRawHandle().getKey() << "', which "
                            << (blob ? "holds " + std::to_string(
                                                      blob->getData().size()) +
                                           " bytes where its type needs " +
                                           std::to_string(bytes)
                                     : std::string("has no data"))
                            << " (released with the model that made it, or "
                               "never given)";
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      return inner;
    };
    if (check(op->getAttrDictionary()).wasInterrupted() ||
        check(op->getPropertiesAsAttribute()).wasInterrupted())
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

std::optional<ArrayRef<char>> mlc::rawConstantData(ElementsAttr value) {
  auto type = cast<ShapedType>(value.getType());
  if (type.getNumElements() == 0 || type.getElementTypeBitWidth() % 8)
    return std::nullopt;
  std::optional<ArrayRef<char>> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (!dense.isSplat())
      data = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      data = blob->getData();
  }
  // A blob of another size than its type says is not read either.
  size_t bytes = type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  if (data && data->size() != bytes)
    return std::nullopt;
  return data;
}

