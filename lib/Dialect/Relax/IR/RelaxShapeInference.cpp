//===- RelaxShapeInference.cpp - Result types of high-level relax ops -----===//
//
// numpy/torch shape rules shared by the ops' InferTypeOpInterface and by
// anyone who needs a result type before creating an op (the importer).
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlc::relax;

namespace {

/// Checks that both operands are ranked tensors of one element type.
LogicalResult checkOperands(std::optional<Location> loc, Type lhs, Type rhs,
                            RankedTensorType &lhsType,
                            RankedTensorType &rhsType) {
  lhsType = dyn_cast<RankedTensorType>(lhs);
  rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return emitOptionalError(loc, "operands must be ranked tensors");
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             lhsType.getElementType(), " vs ",
                             rhsType.getElementType());
  return success();
}

/// Two sizes of a contracted dimension agree unless both are static and
/// different.
bool contractedSizesAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

} // namespace

FailureOr<RankedTensorType>
mlc::relax::inferBroadcastType(std::optional<Location> loc, Type lhs,
                               Type rhs) {
  RankedTensorType lhsType, rhsType;
  if (failed(checkOperands(loc, lhs, rhs, lhsType, rhsType)))
    return failure();
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    return emitOptionalError(loc, "shapes ", lhsType, " and ", rhsType,
                             " are not broadcast-compatible");
  return RankedTensorType::get(shape, lhsType.getElementType());
}

FailureOr<RankedTensorType>
mlc::relax::inferMatmulType(std::optional<Location> loc, Type lhs, Type rhs) {
  RankedTensorType lhsType, rhsType;
  if (failed(checkOperands(loc, lhs, rhs, lhsType, rhsType)))
    return failure();
  if (lhsType.getRank() == 0 || rhsType.getRank() == 0)
    return emitOptionalError(loc, "matmul operands must have rank >= 1");

  // Promote 1-D operands to matrices as numpy does; the added unit dimension
  // is dropped from the result below.
  SmallVector<int64_t> a(lhsType.getShape()), b(rhsType.getShape());
  bool lhsVector = a.size() == 1, rhsVector = b.size() == 1;
  if (lhsVector)
    a.insert(a.begin(), 1);
  if (rhsVector)
    b.push_back(1);

  int64_t k1 = a.back(), k2 = b[b.size() - 2];
  if (!contractedSizesAgree(k1, k2))
    return emitOptionalError(loc, "contracted dimensions differ: ", k1,
                             " vs ", k2, " (", lhsType, " @ ", rhsType, ")");

  SmallVector<int64_t> batch;
  ArrayRef<int64_t> batchA = ArrayRef(a).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef(b).drop_back(2);
  if (!OpTrait::util::getBroadcastedShape(batchA, batchB, batch))
    return emitOptionalError(loc, "batch dimensions of ", lhsType, " and ",
                             rhsType, " are not broadcast-compatible");
  SmallVector<int64_t> shape(batch);
  if (!lhsVector)
    shape.push_back(a[a.size() - 2]);
  if (!rhsVector)
    shape.push_back(b.back());
  return RankedTensorType::get(shape, lhsType.getElementType());
}

FailureOr<RankedTensorType>
mlc::relax::inferDenseType(std::optional<Location> loc, Type data,
                           Type weight) {
  RankedTensorType dataType, weightType;
  if (failed(checkOperands(loc, data, weight, dataType, weightType)))
    return failure();
  if (weightType.getRank() != 2)
    return emitOptionalError(loc, "dense weight must have rank 2 (N x K), "
                                  "but has type ",
                             weightType);
  if (dataType.getRank() < 1)
    return emitOptionalError(loc, "dense data must have rank >= 1");
  int64_t k1 = dataType.getShape().back(), k2 = weightType.getDimSize(1);
  if (!contractedSizesAgree(k1, k2))
    return emitOptionalError(loc, "dense reduces data's last dimension (",
                             k1, ") against weight dimension 1 (", k2, ")");
  SmallVector<int64_t> shape(dataType.getShape().drop_back());
  shape.push_back(weightType.getDimSize(0));
  return RankedTensorType::get(shape, dataType.getElementType());
}
