//===- Resources.h - Constant blobs released when unused --------*- C++ -*-===//
//
// Weights live in `dense_resource` blobs of the context's resource manager,
// which keeps every blob for the life of the context: a process that builds
// and drops models grew without bound. mlc's *releasable* blobs instead
// count their holds — a relax.Var constant, a module held by the Python
// package, an executable's lowered module — and free their data when the
// last hold goes (the key stays, with an empty blob).
//
// A blob is releasable only if made so (makeReleasableBlob, or derived from
// one by a pass with makeReleasableBlobLike): anything parsed or made by a
// C++ user who does not hold modules keeps the context's lifetime. A module
// that still names a released blob is refused by Executable::compile
// (checkResourcesPresent) rather than read.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_SUPPORT_RESOURCES_H
#define MLC_SUPPORT_RESOURCES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include <optional>
#include <vector>

namespace mlc {

/// The alignment of mlc's constant blobs: that of the globals the lowering
/// makes of constants (64, a cache line), so that the JIT binds those
/// globals to the blobs themselves (--mlc-externalize-constants).
inline constexpr size_t kBlobAlignment = 64;

/// A dense_resource constant of `type` holding a copy of `data`, released
/// once no ResourceHold holds it (the first hold must come before any
/// other hold of its users is dropped).
mlir::DenseResourceElementsAttr
makeReleasableBlob(mlir::ShapedType type, llvm::StringRef name,
                   llvm::ArrayRef<char> data);

/// The same for a blob derived from `source` (a pass's re-laid-out
/// weight): releasable when `source` is, else kept for the context's life.
mlir::DenseResourceElementsAttr
makeReleasableBlobLike(mlir::Attribute source, mlir::ShapedType type,
                       llvm::StringRef name, llvm::ArrayRef<char> data);

/// The bytes of a constant's elements in row-major order, or nothing for
/// layouts a pass cannot read in place (splats, sub-byte elements), for
/// constants without elements and for blobs whose size disagrees with
/// their type.
std::optional<llvm::ArrayRef<char>> rawConstantData(mlir::ElementsAttr value);

/// Holds the releasable blobs that an attribute or the attributes of an op
/// tree name; a copy holds them once more.
class ResourceHold {
public:
  ResourceHold() = default;
  explicit ResourceHold(mlir::Attribute attr);
  explicit ResourceHold(mlir::Operation *root);
  ResourceHold(ResourceHold &&other) noexcept;
  ResourceHold &operator=(ResourceHold &&other) noexcept;
  ResourceHold(const ResourceHold &other);
  ResourceHold &operator=(const ResourceHold &other);
  ~ResourceHold();

  /// How many releasable blobs it holds.
  size_t size() const { return entries.size(); }

private:
  void add(mlir::Attribute attr);
  void drop();
  std::vector<void *> entries;
};

/// Fails with a located diagnostic if an op of `root` names a dense_resource
/// blob that has no data of the size its type needs (released, or never
/// given).
mlir::LogicalResult checkResourcesPresent(mlir::Operation *root);

} // namespace mlc

#endif // MLC_SUPPORT_RESOURCES_H
