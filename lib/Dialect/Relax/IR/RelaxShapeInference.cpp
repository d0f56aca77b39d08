//===- RelaxShapeInference.cpp - Result types of high-level relax ops -----===//
//
// The shape rule of each high-level op: its `inferReturnTypes`
// (InferTypeOpInterface), which the verifier, the builders without a result
// type and the BlockBuilder's creation by name all use. A rule reports why
// the operands do not fit at the op's location, as the op's error. It reads
// attributes with dyn_cast: the BlockBuilder runs it before the op exists,
// so before ODS has checked the attributes' kinds.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Support/Windows.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

using namespace mlir;
using namespace mlc::relax;

namespace {

/// Streams `args` into a diagnostic when there is an emitter; always fails.
template <typename... Args>
FailureOr<RankedTensorType> fail(ErrorEmitter emitError, Args &&...args) {
  if (emitError)
    (emitError() << ... << std::forward<Args>(args));
  return failure();
}

/// Checks that both operands are ranked tensors of one element type.
LogicalResult checkOperands(Type lhs, Type rhs, ErrorEmitter emitError,
                            RankedTensorType &lhsType,
                            RankedTensorType &rhsType) {
  lhsType = dyn_cast<RankedTensorType>(lhs);
  rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return fail(emitError, "operands must be ranked tensors");
  if (lhsType.getElementType() != rhsType.getElementType())
    return fail(emitError, "operand element types differ: ",
                lhsType.getElementType(), " vs ", rhsType.getElementType());
  return success();
}

/// Two sizes of a contracted dimension agree unless both are static and
/// different.
bool contractedSizesAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Reports at `location` (when there is one) as an error of op `name`;
/// must outlive the emitters it gives.
struct OpError {
  std::optional<Location> location;
  StringRef name;
  InFlightDiagnostic operator()() const {
    return emitError(*location) << "'" << name << "' op ";
  }
  ErrorEmitter emitter() const {
    return location ? ErrorEmitter(*this) : ErrorEmitter();
  }
};

/// Attribute `name` of an op that may not exist yet, or null when it is
/// missing or of another kind (ODS has not checked it yet).
template <typename T> T attribute(DictionaryAttr attributes, StringRef name) {
  return dyn_cast_or_null<T>(attributes.get(name));
}

/// The rule's type as the op's only result.
LogicalResult resultOf(FailureOr<RankedTensorType> type,
                       SmallVectorImpl<Type> &results) {
  if (failed(type))
    return failure();
  results.push_back(*type);
  return success();
}


FailureOr<RankedTensorType> inferBroadcastType(Type lhs, Type rhs, ErrorEmitter emitError) {
  RankedTensorType lhsType, rhsType;
  if (failed(checkOperands(lhs, rhs, emitError, lhsType, rhsType)))
    return failure();
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    return fail(emitError, "shapes ", lhsType, " and ", rhsType,
                " are not broadcast-compatible");
  return RankedTensorType::get(shape, lhsType.getElementType());
}

FailureOr<RankedTensorType> inferMatmulType(Type lhs, Type rhs, ErrorEmitter emitError) {
  RankedTensorType lhsType, rhsType;
  if (failed(checkOperands(lhs, rhs, emitError, lhsType, rhsType)))
    return failure();
  if (lhsType.getRank() == 0 || rhsType.getRank() == 0)
    return fail(emitError, "operands must have rank >= 1");

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
    return fail(emitError, "contracted dimensions differ: ", k1, " vs ", k2,
                " (", lhsType, " @ ", rhsType, ")");

  SmallVector<int64_t> batch;
  ArrayRef<int64_t> batchA = ArrayRef(a).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef(b).drop_back(2);
  if (!OpTrait::util::getBroadcastedShape(batchA, batchB, batch))
    return fail(emitError, "batch dimensions of ", lhsType, " and ", rhsType,
                " are not broadcast-compatible");
  SmallVector<int64_t> shape(batch);
  if (!lhsVector)
    shape.push_back(a[a.size() - 2]);
  if (!rhsVector)
    shape.push_back(b.back());
  return RankedTensorType::get(shape, lhsType.getElementType());
}

FailureOr<RankedTensorType> inferDenseType(Type data, Type weight, ErrorEmitter emitError) {
  RankedTensorType dataType, weightType;
  if (failed(checkOperands(data, weight, emitError, dataType, weightType)))
    return failure();
  if (weightType.getRank() != 2)
    return fail(emitError, "weight must have rank 2 (N x K), but has type ",
                weightType);
  if (dataType.getRank() < 1)
    return fail(emitError, "data must have rank >= 1");
  int64_t k1 = dataType.getShape().back(), k2 = weightType.getDimSize(1);
  if (!contractedSizesAgree(k1, k2))
    return fail(emitError, "reduces data's last dimension (", k1,
                ") against weight dimension 1 (", k2, ")");
  SmallVector<int64_t> shape(dataType.getShape().drop_back());
  shape.push_back(weightType.getDimSize(0));
  return RankedTensorType::get(shape, dataType.getElementType());
}

FailureOr<RankedTensorType> inferReluType(Type input,
                                                      ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(input);
  if (!type || !isa<FloatType, IntegerType>(type.getElementType()))
    return fail(emitError, "needs a tensor of integers or floats, but got ",
                input);
  return type;
}

FailureOr<RankedTensorType> inferSoftmaxType(Type data, int64_t axis, ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(data);
  if (!type || !isa<FloatType>(type.getElementType()))
    return fail(emitError, "needs a tensor of floats, but got ", data);
  int64_t rank = std::max<int64_t>(type.getRank(), 1); // 0-d: one axis
  if (axis < -rank || axis >= rank)
    return fail(emitError, "axis ", axis, " is out of range for ", data,
                " (expected [", -rank, ", ", rank - 1, "])");
  return type;
}

FailureOr<RankedTensorType> inferConv2dType(
    Type data, Type weight, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation, int64_t groups,
    ErrorEmitter emitError) {
  RankedTensorType dataType, weightType;
  if (failed(checkOperands(data, weight, emitError, dataType, weightType)))
    return failure();
  if (dataType.getRank() != 4 || weightType.getRank() != 4)
    return fail(emitError, "needs NCHW data and an OIHW weight (rank 4), got ",
                data, " and ", weight);
  if (strides.size() != 2 || padding.size() != 2 || dilation.size() != 2)
    return fail(emitError,
                "strides, padding and dilation take two values (H, W) each");
  for (int k = 0; k < 2; ++k)
    if (strides[k] < 1 || dilation[k] < 1 || padding[k] < 0)
      return fail(emitError, "strides and dilation must be >= 1 and padding "
                             ">= 0");
  ArrayRef<int64_t> ws = weightType.getShape();
  if (!weightType.hasStaticShape() || dataType.isDynamicDim(1))
    return fail(emitError, "needs static channels and weight sizes, got ",
                data, " and ", weight);
  int64_t channels = dataType.getDimSize(1);
  if (groups < 1 || channels != ws[1] * groups || ws[0] % groups)
    return fail(emitError, channels, " input channels and ", ws[0],
                " output channels do not fit groups = ", groups,
                " with a weight of ", ws[1], " channels per group");
  SmallVector<int64_t> shape = {dataType.getDimSize(0), ws[0]};
  for (int k = 0; k < 2; ++k) {
    int64_t size = dataType.getDimSize(2 + k);
    if (ShapedType::isDynamic(size)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out = mlc::windowOutputSize(size, ws[2 + k], strides[k],
                                        padding[k], dilation[k]);
    if (out < 1)
      return fail(emitError, "the kernel ", ws[2 + k], " (dilation ",
                  dilation[k], ") does not fit the size ", size,
                  " padded by ", padding[k], " on each side");
    shape.push_back(out);
  }
  return RankedTensorType::get(shape, dataType.getElementType());
}

FailureOr<RankedTensorType> inferMaxPool2dType(
    Type data, ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation, bool ceilMode,
    ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(data);
  if (!type || type.getRank() != 4 ||
      !isa<FloatType, IntegerType>(type.getElementType()))
    return fail(emitError, "needs NCHW data (rank 4) of integers or floats, "
                           "got ", data);
  if (kernel.size() != 2 || strides.size() != 2 || padding.size() != 2 ||
      dilation.size() != 2)
    return fail(emitError, "kernel, strides, padding and dilation take two "
                           "values (H, W) each");
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (int k = 0; k < 2; ++k) {
    if (kernel[k] < 1 || strides[k] < 1 || dilation[k] < 1 || padding[k] < 0)
      return fail(emitError, "kernel, strides and dilation must be >= 1 and "
                             "padding >= 0");
    // torch: pad <= ((kernel - 1) * dilation + 1) / 2.
    int64_t reach;
    if (llvm::MulOverflow(kernel[k] - 1, dilation[k], reach) ||
        reach == std::numeric_limits<int64_t>::max())
      return fail(emitError, "the window ", kernel[k], " with dilation ",
                  dilation[k], " is too large");
    if (padding[k] > (reach + 1) / 2)
      return fail(emitError, "padding ", padding[k],
                  " is more than half the dilated kernel ", kernel[k]);
    int64_t size = type.getDimSize(2 + k);
    if (ShapedType::isDynamic(size))
      return fail(emitError, "needs a static height and width, got ", data);
    int64_t out = mlc::windowOutputSize(size, kernel[k], strides[k],
                                        padding[k], dilation[k], ceilMode);
    if (out < 1)
      return fail(emitError, "the window ", kernel[k], " (dilation ",
                  dilation[k], ") does not fit the size ", size,
                  " padded by ", padding[k], " on each side");
    shape.push_back(out);
  }
  return RankedTensorType::get(shape, type.getElementType());
}

/// A 2-d pool op's window attributes read (`dilation` only when the op has
/// one, 1 otherwise), then inferMaxPool2dType.
FailureOr<RankedTensorType> inferPool2dType(Type data, DictionaryAttr attrs,
                                            bool dilated,
                                            ErrorEmitter emitError) {
  auto array = [&](StringRef name) {
    return attribute<DenseI64ArrayAttr>(attrs, name);
  };
  DenseI64ArrayAttr kernel = array("kernel"), strides = array("strides"),
                    padding = array("padding");
  DenseI64ArrayAttr dilation = dilated ? array("dilation") : nullptr;
  auto ceilMode = attribute<BoolAttr>(attrs, "ceil_mode");
  if (!kernel || !strides || !padding || (dilated && !dilation) || !ceilMode)
    return fail(emitError, "needs i64 array attributes 'kernel', 'strides', "
                           "'padding'",
                dilated ? ", 'dilation'" : "", " and a bool 'ceil_mode'");
  int64_t noDilation[] = {1, 1};
  return inferMaxPool2dType(
      data, kernel.asArrayRef(), strides.asArrayRef(), padding.asArrayRef(),
      dilated ? dilation.asArrayRef() : ArrayRef<int64_t>(noDilation),
      ceilMode.getValue(), emitError);
}

FailureOr<RankedTensorType> inferBatchNormType(Type data, ArrayRef<Type> parameters,
                               double epsilon, ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(data);
  if (!type || type.getRank() < 2 || !isa<FloatType>(type.getElementType()))
    return fail(emitError, "needs float data with a channel dimension (rank "
                           ">= 2), got ", data);
  static constexpr const char *names[] = {"mean", "var", "weight", "bias"};
  int64_t channels = type.getDimSize(1);
  for (auto [k, parameter] : llvm::enumerate(parameters)) {
    auto p = dyn_cast<RankedTensorType>(parameter);
    if (!p || p.getRank() != 1 ||
        p.getElementType() != type.getElementType())
      return fail(emitError, names[k], " must be a rank-1 tensor of ",
                  type.getElementType(), ", got ", parameter);
    if (!contractedSizesAgree(p.getDimSize(0), channels))
      return fail(emitError, names[k], " has ", p.getDimSize(0),
                  " values but the data has ", channels, " channels");
  }
  if (!(epsilon >= 0))
    return fail(emitError, "epsilon must be >= 0, got ", epsilon);
  return type;
}

/// Layer norm: float data whose trailing dimensions weight and bias have.
FailureOr<RankedTensorType> inferLayerNormType(Type data, Type weight,
                                               Type bias, double epsilon,
                                               ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(data);
  if (!type || !isa<FloatType>(type.getElementType()))
    return fail(emitError, "data must be a ranked tensor of floats, got ",
                data);
  const char *names[] = {"weight", "bias"};
  Type parameters[] = {weight, bias};
  for (int k = 0; k < 2; ++k) {
    auto p = dyn_cast<RankedTensorType>(parameters[k]);
    if (!p || p.getElementType() != type.getElementType() || p.getRank() < 1 ||
        p.getRank() > type.getRank())
      return fail(emitError, names[k], " must be a tensor of ",
                  type.getElementType(), " with rank 1 to ", type.getRank(),
                  ", got ", parameters[k]);
    int64_t first = type.getRank() - p.getRank();
    for (int64_t d = 0; d < p.getRank(); ++d)
      if (!contractedSizesAgree(p.getDimSize(d), type.getDimSize(first + d)))
        return fail(emitError, names[k], " ", p,
                    " is not the shape of the last dimensions of ", data);
  }
  if (cast<RankedTensorType>(weight).getShape() !=
      cast<RankedTensorType>(bias).getShape())
    return fail(emitError, "weight ", weight, " and bias ", bias,
                " differ in shape");
  (void)epsilon; // any value: torch takes a negative one too (NaN rows)
  return type;
}

/// Element-wise float functions: a float tensor, whose type the result has.
FailureOr<RankedTensorType> inferUnaryFloatType(Type input,
                                                ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(input);
  if (!type || !isa<FloatType>(type.getElementType()))
    return fail(emitError, "operand must be a ranked tensor of floats, got ",
                input);
  return type;
}

/// Reductions: distinct axes in range (negative from the end; none: all),
/// dropped or kept with size 1.
FailureOr<RankedTensorType> inferReduceType(Type data, ArrayRef<int64_t> axes,
                                            bool keepdims, bool floatOnly,
                                            ErrorEmitter emitError) {
  auto type = dyn_cast<RankedTensorType>(data);
  if (!type || !isa<FloatType, IntegerType>(type.getElementType()))
    return fail(emitError,
                "operand must be a ranked tensor of integers or floats, got ",
                data);
  if (floatOnly && !isa<FloatType>(type.getElementType()))
    return fail(emitError, "operand must be a tensor of floats, got ", data);
  // A bool would sum as xor: cast first (torch sums bools to int64).
  if (type.getElementType().isInteger(1))
    return fail(emitError, "operand must not be a tensor of bools, got ", data,
                " (cast it first)");
  int64_t rank = type.getRank();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    int64_t k = axis < 0 ? axis + rank : axis;
    // A rank-0 tensor has the one axis 0 (or -1), as in torch.
    if (rank == 0 && (axis == 0 || axis == -1))
      continue;
    if (k < 0 || k >= rank)
      return fail(emitError, "axis ", axis, " is out of range for rank ", rank);
    if (reduced[k])
      return fail(emitError, "axis ", axis, " is listed twice");
    reduced[k] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t k = 0; k < rank; ++k) {
    if (!reduced[k])
      shape.push_back(type.getDimSize(k));
    else if (keepdims)
      shape.push_back(1);
  }
  return RankedTensorType::get(shape, type.getElementType());
}

} // namespace

//===----------------------------------------------------------------------===//
// inferReturnTypes of each op
//===----------------------------------------------------------------------===//

#define MLC_RELAX_BINARY_RULE(OP, RULE)                                        \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> l, \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &results) {         \
    OpError error{l, getOperationName()};                                      \
    return resultOf(RULE(adaptor.getOperands()[0].getType(),                   \
                         adaptor.getOperands()[1].getType(), error.emitter()), \
                    results);                                                  \
  }
MLC_RELAX_BINARY_RULE(AddOp, inferBroadcastType)
MLC_RELAX_BINARY_RULE(SubtractOp, inferBroadcastType)
MLC_RELAX_BINARY_RULE(MultiplyOp, inferBroadcastType)
MLC_RELAX_BINARY_RULE(DivideOp, inferBroadcastType)
MLC_RELAX_BINARY_RULE(MatmulOp, inferMatmulType)
MLC_RELAX_BINARY_RULE(DenseOp, inferDenseType)
#undef MLC_RELAX_BINARY_RULE

LogicalResult ReluOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  OpError error{location, getOperationName()};
  return resultOf(inferReluType(adaptor.getInput().getType(), error.emitter()),
                  results);
}

#define MLC_RELAX_SOFTMAX_RULE(OP)                                             \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> location,         \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &results) {         \
    OpError error{location, getOperationName()};                               \
    ErrorEmitter emitError = error.emitter();                                  \
    auto axis = attribute<IntegerAttr>(adaptor.getAttributes(), "axis");       \
    if (!axis)                                                                 \
      return fail(emitError, "needs an integer attribute 'axis'");             \
    return resultOf(inferSoftmaxType(adaptor.getData().getType(),              \
                                     axis.getInt(), emitError),                \
                    results);                                                  \
  }
MLC_RELAX_SOFTMAX_RULE(SoftmaxOp)
MLC_RELAX_SOFTMAX_RULE(LogSoftmaxOp)
#undef MLC_RELAX_SOFTMAX_RULE

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpError error{location, getOperationName()};
  ErrorEmitter emitError = error.emitter();
  DictionaryAttr attrs = adaptor.getAttributes();
  auto array = [&](StringRef name) {
    return attribute<DenseI64ArrayAttr>(attrs, name);
  };
  DenseI64ArrayAttr strides = array("strides"), padding = array("padding"),
                    dilation = array("dilation");
  auto groups = attribute<IntegerAttr>(attrs, "groups");
  if (!strides || !padding || !dilation || !groups)
    return fail(emitError, "needs i64 array attributes 'strides', 'padding', "
                           "'dilation' and an integer attribute 'groups'");
  return resultOf(inferConv2dType(adaptor.getData().getType(),
                                  adaptor.getWeight().getType(),
                                  strides.asArrayRef(), padding.asArrayRef(),
                                  dilation.asArrayRef(), groups.getInt(),
                                  emitError),
                  results);
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpError error{location, getOperationName()};
  return resultOf(inferPool2dType(adaptor.getData().getType(),
                                  adaptor.getAttributes(), /*dilated=*/true,
                                  error.emitter()),
                  results);
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpError error{location, getOperationName()};
  ErrorEmitter emitError = error.emitter();
  auto epsilon = attribute<FloatAttr>(adaptor.getAttributes(), "epsilon");
  if (!epsilon)
    return fail(emitError, "needs a float attribute 'epsilon'");
  Type parameters[] = {adaptor.getMean().getType(), adaptor.getVar().getType(),
                       adaptor.getWeight().getType(),
                       adaptor.getBias().getType()};
  return resultOf(inferBatchNormType(adaptor.getData().getType(), parameters,
                                     epsilon.getValueAsDouble(), emitError),
                  results);
}

#define MLC_RELAX_UNARY_FLOAT_RULE(OP)                                         \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> location, Adaptor adaptor,        \
      SmallVectorImpl<Type> &results) {                                        \
    OpError error{location, getOperationName()};                               \
    return resultOf(                                                           \
        inferUnaryFloatType(adaptor.getInput().getType(), error.emitter()),    \
        results);                                                              \
  }
MLC_RELAX_UNARY_FLOAT_RULE(ExpOp)
MLC_RELAX_UNARY_FLOAT_RULE(LogOp)
MLC_RELAX_UNARY_FLOAT_RULE(SqrtOp)
MLC_RELAX_UNARY_FLOAT_RULE(RsqrtOp)
MLC_RELAX_UNARY_FLOAT_RULE(TanhOp)
MLC_RELAX_UNARY_FLOAT_RULE(SigmoidOp)
MLC_RELAX_UNARY_FLOAT_RULE(ErfOp)
MLC_RELAX_UNARY_FLOAT_RULE(SinOp)
MLC_RELAX_UNARY_FLOAT_RULE(CosOp)
#undef MLC_RELAX_UNARY_FLOAT_RULE

#define MLC_RELAX_REDUCE_RULE(OP, FLOAT_ONLY)                                  \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> location, Adaptor adaptor,        \
      SmallVectorImpl<Type> &results) {                                        \
    OpError error{location, getOperationName()};                               \
    ErrorEmitter emitError = error.emitter();                                  \
    DictionaryAttr attrs = adaptor.getAttributes();                            \
    auto axes = attribute<DenseI64ArrayAttr>(attrs, "axes");                   \
    auto keepdims = attribute<BoolAttr>(attrs, "keepdims");                    \
    if (!axes || !keepdims)                                                    \
      return fail(emitError, "needs an i64 array attribute 'axes' and a "      \
                             "bool 'keepdims'");                               \
    return resultOf(inferReduceType(adaptor.getData().getType(),               \
                                    axes.asArrayRef(), keepdims.getValue(),    \
                                    FLOAT_ONLY, emitError),                    \
                    results);                                                  \
  }
MLC_RELAX_REDUCE_RULE(SumOp, false)
MLC_RELAX_REDUCE_RULE(MeanOp, true)
MLC_RELAX_REDUCE_RULE(MaxOp, false)
MLC_RELAX_REDUCE_RULE(MinOp, false)
MLC_RELAX_REDUCE_RULE(ProdOp, false)
#undef MLC_RELAX_REDUCE_RULE

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpError error{location, getOperationName()};
  ErrorEmitter emitError = error.emitter();
  auto epsilon = attribute<FloatAttr>(adaptor.getAttributes(), "epsilon");
  if (!epsilon)
    return fail(emitError, "needs a float attribute 'epsilon'");
  return resultOf(inferLayerNormType(adaptor.getData().getType(),
                                     adaptor.getWeight().getType(),
                                     adaptor.getBias().getType(),
                                     epsilon.getValueAsDouble(), emitError),
                  results);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpError error{location, getOperationName()};
  ErrorEmitter emitError = error.emitter();
  if (!attribute<BoolAttr>(adaptor.getAttributes(), "count_include_pad"))
    return fail(emitError, "needs a bool 'count_include_pad'");
  auto type = dyn_cast<RankedTensorType>(adaptor.getData().getType());
  if (type && !isa<FloatType>(type.getElementType()))
    return fail(emitError, "needs float data, got ", type);
  // The windows are max pooling's without dilation.
  return resultOf(inferPool2dType(adaptor.getData().getType(),
                                  adaptor.getAttributes(), /*dilated=*/false,
                                  emitError),
                  results);
}
