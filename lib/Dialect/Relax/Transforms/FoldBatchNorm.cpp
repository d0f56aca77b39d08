//===- FoldBatchNorm.cpp - conv2d (+ bias) + batch_norm -> conv2d + bias --===//
//
// Inference batch norm is an affine map per channel; after a convolution
// with constant weights it folds into them (see Passes.td): the model runs
// one convolution and a bias instead of a convolution, a bias, and a
// normalization that reads and writes the whole activation again.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"
#include "mlc/Support/Resources.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include <cstring>

namespace mlc::relax {
#define GEN_PASS_DEF_RELAXFOLDBATCHNORMPASS
#include "mlc/Dialect/Relax/Transforms/Passes.h.inc"
} // namespace mlc::relax

using namespace mlir;
using namespace mlc::relax;

namespace {

/// The elements of a float32/float64 relax.const (seen through a
/// relax.reshape) as doubles, or nothing for anything else.
std::optional<std::vector<double>> constantValues(Value value) {
  if (auto reshape = value.getDefiningOp<ReshapeOp>())
    value = reshape.getData();
  auto constant = value.getDefiningOp<ConstOp>();
  if (!constant)
    return std::nullopt;
  ElementsAttr attr = constant.getValue();
  Type element = cast<ShapedType>(attr.getType()).getElementType();
  if (!element.isF32() && !element.isF64())
    return std::nullopt;
  int64_t count = cast<ShapedType>(attr.getType()).getNumElements();
  std::vector<double> values(count);
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (auto [i, v] : llvm::enumerate(dense.getValues<APFloat>()))
      values[i] = v.convertToDouble();
    return values;
  }
  std::optional<ArrayRef<char>> data = mlc::rawConstantData(attr);
  if (!data)
    return std::nullopt;
  for (int64_t i = 0; i < count; ++i) {
    if (element.isF32()) {
      float f;
      std::memcpy(&f, data->data() + 4 * i, 4);
      values[i] = f;
    } else {
      std::memcpy(&values[i], data->data() + 8 * i, 8);
    }
  }
  return values;
}

/// A blob constant of `type` holding `values` in its element type,
/// released with the model when `like` (the weight it replaces) is.
Value makeConstant(OpBuilder &builder, Location loc, RankedTensorType type,
                   ArrayRef<double> values, Attribute like, StringRef name) {
  std::vector<char> bytes;
  if (type.getElementType().isF32()) {
    bytes.resize(4 * values.size());
    for (auto [i, v] : llvm::enumerate(values)) {
      float f = static_cast<float>(v);
      std::memcpy(&bytes[4 * i], &f, 4);
    }
  } else {
    bytes.resize(8 * values.size());
    std::memcpy(bytes.data(), values.data(), bytes.size());
  }
  return ConstOp::create(builder, loc,
                         mlc::makeReleasableBlobLike(like, type, name, bytes));
}

struct RelaxFoldBatchNormPass
    : mlc::relax::impl::RelaxFoldBatchNormPassBase<RelaxFoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<BatchNormOp> norms;
    getOperation().walk([&](BatchNormOp op) { norms.push_back(op); });
    for (BatchNormOp norm : norms)
      fold(norm);
  }

  void fold(BatchNormOp norm) {
    Value input = norm.getData();
    // An optional bias between the convolution and the normalization.
    AddOp biasAdd = input.getDefiningOp<AddOp>();
    Conv2dOp conv = biasAdd ? biasAdd.getLhs().getDefiningOp<Conv2dOp>()
                            : input.getDefiningOp<Conv2dOp>();
    if (!conv || !conv->hasOneUse() || (biasAdd && !biasAdd->hasOneUse()))
      return;
    auto weightOp = conv.getWeight().getDefiningOp<ConstOp>();
    auto resultType = cast<RankedTensorType>(conv.getType());
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    if (!weightOp || resultType != norm.getType())
      return;
    int64_t channels = weightType.getDimSize(0);
    if (channels == 0 || weightType.getNumElements() == 0)
      return; // nothing to scale
    std::optional<std::vector<double>> weight =
        constantValues(conv.getWeight());
    if (!weight)
      return;
    auto stats = {norm.getMean(), norm.getVar(), norm.getWeight(),
                  norm.getBias()};
    SmallVector<std::vector<double>> per;
    for (Value v : stats) {
      std::optional<std::vector<double>> values = constantValues(v);
      if (!values || int64_t(values->size()) != channels)
        return;
      per.push_back(std::move(*values));
    }
    std::vector<double> oldBias(channels, 0.0);
    if (biasAdd) {
      // One value per output channel, broadcast over (N, O, H, W): a
      // constant of shape (1, O, 1, 1) or (O, 1, 1), possibly reshaped.
      auto biasType = cast<RankedTensorType>(biasAdd.getRhs().getType());
      int64_t rank = biasType.getRank();
      if (rank < 3 || biasType.getDimSize(rank - 3) != channels ||
          biasType.getNumElements() != channels ||
          biasAdd.getType() != resultType)
        return;
      std::optional<std::vector<double>> b =
          constantValues(biasAdd.getRhs());
      if (!b)
        return;
      oldBias = std::move(*b);
    }
    const std::vector<double> &mean = per[0], &var = per[1], &gamma = per[2],
                              &beta = per[3];
    double epsilon = norm.getEpsilon().convertToDouble();
    int64_t perChannel = weightType.getNumElements() / channels;
    std::vector<double> bias(channels);
    for (int64_t o = 0; o < channels; ++o) {
      double scale = gamma[o] / std::sqrt(var[o] + epsilon);
      for (int64_t k = 0; k < perChannel; ++k)
        (*weight)[o * perChannel + k] *= scale;
      bias[o] = (oldBias[o] - mean[o]) * scale + beta[o];
    }

    OpBuilder builder(norm);
    Location loc = norm.getLoc();
    Attribute like = weightOp.getValue();
    Value newWeight = makeConstant(builder, loc, weightType, *weight, like,
                                   "folded_weight");
    auto biasType =
        RankedTensorType::get({1, channels, 1, 1}, weightType.getElementType());
    Value newBias =
        makeConstant(builder, loc, biasType, bias, like, "folded_bias");
    auto newConv = Conv2dOp::create(
        builder, conv.getLoc(), resultType, conv.getData(), newWeight,
        conv.getStridesAttr(), conv.getPaddingAttr(), conv.getDilationAttr(),
        conv.getGroupsAttr());
    auto add = AddOp::create(builder, loc, resultType, newConv, newBias);
    norm.replaceAllUsesWith(add.getResult());

    // The constants (and reshapes of them) the fold made obsolete, users
    // before what they use.
    SmallVector<Value> inputs = {conv.getWeight()};
    llvm::append_range(inputs, stats);
    if (biasAdd)
      inputs.push_back(biasAdd.getRhs());
    SmallVector<Operation *> maybeDead;
    for (Value v : inputs) {
      if (auto reshape = v.getDefiningOp<ReshapeOp>()) {
        maybeDead.push_back(reshape);
        v = reshape.getData();
      }
      maybeDead.push_back(v.getDefiningOp());
    }
    norm->erase();
    if (biasAdd)
      biasAdd->erase();
    conv->erase();
    llvm::SetVector<Operation *> unique(maybeDead.begin(), maybeDead.end());
    for (Operation *op : unique)
      if (op->use_empty())
        op->erase();
  }
};

} // namespace
