//===- TileGroups.cpp - ops tiled as one ----------------------------------===//

#include "TileGroups.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;

namespace mlc::codegen {

SmallVector<linalg::LinalgOp> Group::ops() const {
  SmallVector<linalg::LinalgOp> all(before);
  all.push_back(anchor);
  all.append(after);
  return all;
}

void ungroup(ArrayRef<linalg::LinalgOp> ops) {
  for (linalg::LinalgOp op : ops)
    if (std::optional<LoweringConfig> config = LoweringConfig::get(op)) {
      if (config->groupOnly) {
        op->removeAttr(kLoweringConfigAttr);
        continue;
      }
      config->group.reset();
      config->set(op);
    }
}

SmallVector<Group> collectGroups(func::FuncOp func) {
  SmallVector<Group> groups;
  // (block, group number) -> members in program order.
  llvm::MapVector<std::pair<Block *, int64_t>, SmallVector<linalg::LinalgOp>>
      members;
  SmallVector<linalg::LinalgOp> order;
  func.walk([&](linalg::LinalgOp op) {
    std::optional<LoweringConfig> config = LoweringConfig::get(op);
    if (!config)
      return;
    order.push_back(op);
    if (config->group)
      members[{op->getBlock(), *config->group}].push_back(op);
  });
  llvm::SmallPtrSet<Operation *, 8> grouped;
  for (auto &[key, ops] : members) {
    // The anchor is the one op with reductions; the fill before it and the
    // element-wise ops after it.
    auto anchor = llvm::find_if(ops, [](linalg::LinalgOp op) {
      return op.getNumReductionLoops() > 0;
    });
    if (ops.size() < 2 || anchor == ops.end()) {
      ungroup(ops);
      continue;
    }
    Group group;
    group.before.assign(ops.begin(), anchor);
    group.anchor = *anchor;
    group.after.assign(std::next(anchor), ops.end());
    for (linalg::LinalgOp op : ops)
      grouped.insert(op);
    groups.push_back(group);
  }
  for (linalg::LinalgOp op : order)
    if (!grouped.contains(op) && op->hasAttr(kLoweringConfigAttr))
      groups.push_back(Group{{}, op, {}});
  return groups;
}

FailureOr<scf::SCFTilingResult>
tileAndReplace(RewriterBase &rewriter, linalg::LinalgOp op,
               const scf::SCFTilingOptions &options) {
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (succeeded(tiled))
    rewriter.eraseOp(op);
  return tiled;
}

Group fuseSiblings(RewriterBase &rewriter, const Group &group,
                   linalg::LinalgOp tiledAnchor,
                   SmallVectorImpl<linalg::LinalgOp> &leftover) {
  Group tiled;
  tiled.anchor = tiledAnchor;
  auto keep = [&](ArrayRef<linalg::LinalgOp> ops) {
    ungroup(ops);
    leftover.append(ops.begin(), ops.end());
  };
  auto view = tiledAnchor.getDpsInitOperand(0)
                  ->get()
                  .getDefiningOp<memref::SubViewOp>();
  if (!view) {
    keep(group.before);
    keep(group.after);
    return tiled;
  }
  SmallVector<OpFoldResult> offsets = view.getMixedOffsets();
  SmallVector<OpFoldResult> sizes = view.getMixedSizes();
  auto tileAt = [&](linalg::LinalgOp sibling) -> linalg::LinalgOp {
    FailureOr<TilingResult> tile =
        cast<TilingInterface>(sibling.getOperation())
            .getTiledImplementation(rewriter, offsets, sizes);
    if (failed(tile) || tile->tiledOps.size() != 1)
      return nullptr;
    return cast<linalg::LinalgOp>(tile->tiledOps.front());
  };
  rewriter.setInsertionPoint(tiledAnchor);
  for (linalg::LinalgOp sibling : group.before) {
    if (linalg::LinalgOp op = tileAt(sibling)) {
      tiled.before.push_back(op);
      rewriter.eraseOp(sibling);
    } else {
      keep(sibling);
    }
  }
  // The views and indices a later sibling's tile uses are made before the
  // anchor too: when the anchor is tiled again, its loops take its place,
  // and the sibling's tiles inside them must see those values.
  Operation *previous = tiledAnchor;
  for (auto [i, sibling] : llvm::enumerate(group.after)) {
    rewriter.setInsertionPoint(tiledAnchor);
    linalg::LinalgOp op = tileAt(sibling);
    if (!op) {
      // Later siblings read what this one writes: they stay too.
      keep(ArrayRef(group.after).drop_front(i));
      break;
    }
    rewriter.moveOpAfter(op, previous);
    previous = op;
    tiled.after.push_back(op);
    rewriter.eraseOp(sibling);
  }
  return tiled;
}

} // namespace mlc::codegen
