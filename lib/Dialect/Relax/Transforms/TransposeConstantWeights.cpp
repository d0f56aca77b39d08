//===- TransposeConstantWeights.cpp - dense(x, const w) -> matmul ---------===//
//
// Re-lays out constant weights at compile time: nn.Linear stores its
// weight as (out, in), which makes the vector dimension of x @ w.T a
// strided one. Transposing the constant once gives a matmul whose right
// operand is read row by row.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"
#include "mlc/Support/Resources.h"

#include <cstring>

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlc::relax {
#define GEN_PASS_DEF_RELAXTRANSPOSECONSTANTWEIGHTSPASS
#include "mlc/Dialect/Relax/Transforms/Passes.h.inc"
} // namespace mlc::relax

using namespace mlir;
using namespace mlc::relax;

namespace {

/// The bytes of a constant's elements in row-major order, or nothing for
/// layouts this pass does not read (splats, sub-byte elements) and for
/// constants without elements (nothing to gain; an empty blob has no data
/// pointer to copy from).
std::optional<ArrayRef<char>> rawData(ElementsAttr value) {
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

/// The (cols, rows) transpose of a (rows, cols) constant, as a blob.
ElementsAttr transposed(ElementsAttr value, ArrayRef<char> data,
                        StringRef name) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  size_t width = type.getElementTypeBitWidth() / 8;
  std::vector<char> out(data.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&out[(c * rows + r) * width], &data[(r * cols + c) * width],
                  width);
  auto newType = RankedTensorType::get({cols, rows}, type.getElementType());
  // Released with the models that use it when the original weight is.
  return mlc::makeReleasableBlobLike(value, newType, name, out);
}

struct RelaxTransposeConstantWeightsPass
    : mlc::relax::impl::RelaxTransposeConstantWeightsPassBase<
          RelaxTransposeConstantWeightsPass> {
  void runOnOperation() override {
    SmallVector<DenseOp> denses;
    getOperation().walk([&](DenseOp op) { denses.push_back(op); });
    // One transposed constant per original, however many ops use it.
    llvm::DenseMap<Operation *, Value> done;
    for (DenseOp op : denses) {
      auto weight = op.getWeight().getDefiningOp<ConstOp>();
      if (!weight)
        continue;
      Value &wt = done[weight];
      if (!wt) {
        std::optional<ArrayRef<char>> data = rawData(weight.getValue());
        if (!data)
          continue;
        OpBuilder builder(weight);
        builder.setInsertionPointAfter(weight);
        wt = ConstOp::create(builder, weight.getLoc(),
                             transposed(weight.getValue(), *data, "weight_t"));
      }
      OpBuilder builder(op);
      auto matmul = MatmulOp::create(builder, op.getLoc(), op.getData(), wt);
      op.replaceAllUsesWith(matmul.getResult());
      op.erase();
    }
    for (auto [weight, wt] : done)
      if (weight->use_empty())
        weight->erase();
  }
};

} // namespace
