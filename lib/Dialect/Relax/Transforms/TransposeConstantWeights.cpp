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
        std::optional<ArrayRef<char>> data =
            mlc::rawConstantData(weight.getValue());
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
