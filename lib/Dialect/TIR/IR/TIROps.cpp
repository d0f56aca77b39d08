//===- TIROps.cpp - TensorIR operations -----------------------------------===//

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/STLExtras.h"

#include <limits>

using namespace mlir;
using namespace mlc::tir;

Type mlc::tir::getSignlessType(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type);
      intType && !intType.isSignless())
    return IntegerType::get(type.getContext(), intType.getWidth());
  return type;
}

//===----------------------------------------------------------------------===//
// Reduction identities
//===----------------------------------------------------------------------===//

TypedAttr mlc::tir::getReductionIdentity(ReductionKind kind,
                                         Type elementType) {
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    const llvm::fltSemantics &sem = floatType.getFloatSemantics();
    switch (kind) {
    case ReductionKind::Sum:
      return FloatAttr::get(floatType, llvm::APFloat::getZero(sem));
    case ReductionKind::Prod:
      return FloatAttr::get(floatType, llvm::APFloat::getOne(sem));
    case ReductionKind::Max:
      return FloatAttr::get(floatType, llvm::APFloat::getInf(sem, true));
    case ReductionKind::Min:
      return FloatAttr::get(floatType, llvm::APFloat::getInf(sem, false));
    case ReductionKind::UMax:
    case ReductionKind::UMin:
      return {};
    }
  }
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    unsigned width = intType.getWidth();
    // The attribute is signless: it initializes signless accumulators.
    intType = IntegerType::get(elementType.getContext(), width);
    switch (kind) {
    case ReductionKind::Sum:
      return IntegerAttr::get(intType, llvm::APInt::getZero(width));
    case ReductionKind::Prod:
      return IntegerAttr::get(intType, llvm::APInt(width, 1));
    case ReductionKind::Max:
      return IntegerAttr::get(intType, llvm::APInt::getSignedMinValue(width));
    case ReductionKind::Min:
      return IntegerAttr::get(intType, llvm::APInt::getSignedMaxValue(width));
    case ReductionKind::UMax:
      return IntegerAttr::get(intType, llvm::APInt::getZero(width));
    case ReductionKind::UMin:
      return IntegerAttr::get(intType, llvm::APInt::getMaxValue(width));
    }
  }
  return {};
}

//===----------------------------------------------------------------------===//
// FuncOp
//===----------------------------------------------------------------------===//

void FuncOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                   FunctionType type) {
  state.addAttribute(SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name),
                     TypeAttr::get(type));
  state.addRegion();
}

Block *FuncOp::addEntryBlock(Location loc) {
  Block *block = new Block();
  getBody().push_back(block);
  for (Type type : getArgumentTypes())
    block->addArgument(type, loc);
  return block;
}

/// Names arguments after the tensors they stand for, when their location
/// says (te.create_prim_func gives them NameLocs): %A rather than %arg0.
void FuncOp::getAsmBlockArgumentNames(Region &region,
                                      OpAsmSetValueNameFn setNameFn) {
  if (region.empty())
    return;
  for (BlockArgument arg : region.front().getArguments())
    if (auto loc = dyn_cast<NameLoc>(arg.getLoc()))
      setNameFn(arg, loc.getName().getValue());
}

bool FuncOp::isOutputArgument(unsigned index) {
  return static_cast<bool>(
      getArgAttr(index, TIRDialect::getOutputAttrName()));
}

SmallVector<Type> FuncOp::getInputArgumentTypes() {
  SmallVector<Type> types;
  for (auto [index, type] : llvm::enumerate(getArgumentTypes()))
    if (!isOutputArgument(index))
      types.push_back(type);
  return types;
}

ParseResult FuncOp::parse(OpAsmParser &parser, OperationState &result) {
  auto buildFuncType = [](Builder &builder, ArrayRef<Type> argTypes,
                          ArrayRef<Type> results,
                          function_interface_impl::VariadicFlag,
                          std::string &) {
    return builder.getFunctionType(argTypes, results);
  };
  return function_interface_impl::parseFunctionOp(
      parser, result, /*allowVariadic=*/false,
      getFunctionTypeAttrName(result.name), buildFuncType,
      getArgAttrsAttrName(result.name), getResAttrsAttrName(result.name));
}

void FuncOp::print(OpAsmPrinter &p) {
  function_interface_impl::printFunctionOp(
      p, *this, /*isVariadic=*/false, getFunctionTypeAttrName(),
      getArgAttrsAttrName(), getResAttrsAttrName());
}

LogicalResult FuncOp::verify() {
  for (auto [index, type] : llvm::enumerate(getArgumentTypes()))
    if (!isa<RankedTensorType>(type))
      return emitOpError() << "argument #" << index
                           << " must be a ranked tensor, but got " << type;
  for (auto [index, type] : llvm::enumerate(getResultTypes()))
    if (!isa<RankedTensorType>(type))
      return emitOpError() << "result #" << index
                           << " must be a ranked tensor, but got " << type;
  if (isExternal())
    return emitOpError() << "requires a body: a tir.func cannot be external";

  // Output arguments pair with the results, in order.
  SmallVector<unsigned> outputs;
  for (unsigned i = 0, e = getNumArguments(); i < e; ++i)
    if (isOutputArgument(i))
      outputs.push_back(i);
  if (outputs.empty())
    return success();
  if (outputs.size() != getNumResults())
    return emitOpError() << "has " << outputs.size()
                         << " output arguments but " << getNumResults()
                         << " results; they must pair one to one";
  for (auto [result, arg] : llvm::enumerate(outputs)) {
    if (getArgumentTypes()[arg] != getResultTypes()[result])
      return emitOpError() << "output argument #" << arg << " has type "
                           << getArgumentTypes()[arg] << " but the result #"
                           << result << " it holds has type "
                           << getResultTypes()[result];
    if (!getArgument(arg).use_empty())
      return emitOpError() << "output argument #" << arg
                           << " is a destination and must not be used in "
                              "the body";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ReturnOp
//===----------------------------------------------------------------------===//

LogicalResult ReturnOp::verify() {
  auto func = cast<FuncOp>((*this)->getParentOp());
  ArrayRef<Type> expected = func.getResultTypes();
  if (getNumOperands() != expected.size())
    return emitOpError() << "returns " << getNumOperands()
                         << " values but the enclosing tir.func has "
                         << expected.size() << " results";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(getOperandTypes(), expected))) {
    auto [actual, want] = pair;
    if (actual != want)
      return emitOpError() << "type of returned value #" << index << " ("
                           << actual << ") does not match the result type ("
                           << want << ") of the enclosing tir.func";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ComputeOp
//===----------------------------------------------------------------------===//

void ComputeOp::build(OpBuilder &builder, OperationState &state,
                      RankedTensorType type, StringRef name,
                      ValueRange dynamicSizes,
                      ArrayRef<int64_t> reductionExtents,
                      ValueRange dynamicReductionExtents,
                      std::optional<ReductionKind> kind) {
  ReductionKindAttr kindAttr;
  if (kind)
    kindAttr = ReductionKindAttr::get(builder.getContext(), *kind);
  build(builder, state, type, builder.getStringAttr(name), dynamicSizes,
        builder.getDenseI64ArrayAttr(reductionExtents),
        dynamicReductionExtents, kindAttr);
  Region *body = state.regions.front().get();
  Block *block = new Block();
  body->push_back(block);
  unsigned numIndices = type.getRank() + reductionExtents.size();
  for (unsigned i = 0; i < numIndices; ++i)
    block->addArgument(builder.getIndexType(), state.location);
}

Value ComputeOp::getYieldedValue() {
  return cast<YieldOp>(getBody().front().getTerminator()).getValue();
}

SmallVector<OpFoldResult> ComputeOp::getMixedSizes() {
  SmallVector<OpFoldResult> sizes;
  auto dynamic = getDynamicSizes().begin();
  Builder builder(getContext());
  for (int64_t size : getType().getShape())
    sizes.push_back(ShapedType::isDynamic(size)
                        ? OpFoldResult(*dynamic++)
                        : OpFoldResult(builder.getIndexAttr(size)));
  return sizes;
}

SmallVector<OpFoldResult> ComputeOp::getLoopExtents() {
  SmallVector<OpFoldResult> extents = getMixedSizes();
  llvm::append_range(extents, getMixedReductionExtents());
  return extents;
}

/// The result's dimensions are the op's sizes: value-bounds analyses see
/// through a compute (a read of its result over the same sizes is provably
/// in bounds, and spans the whole dimension).
void ComputeOp::populateBoundsForShapedValueDim(
    Value value, int64_t dim, ValueBoundsConstraintSet &cstr) {
  OpFoldResult size = getMixedSizes()[dim];
  if (auto attr = dyn_cast<Attribute>(size))
    cstr.bound(value)[dim] == cast<IntegerAttr>(attr).getInt();
  else
    cstr.bound(value)[dim] == cast<Value>(size);
}

SmallVector<OpFoldResult> ComputeOp::getMixedReductionExtents() {
  SmallVector<OpFoldResult> extents;
  auto dynamic = getDynamicReductionExtents().begin();
  Builder builder(getContext());
  for (int64_t extent : getReductionExtents()) {
    if (ShapedType::isDynamic(extent))
      extents.push_back(*dynamic++);
    else
      extents.push_back(builder.getIndexAttr(extent));
  }
  return extents;
}

/// Names the body's index arguments like the chapter does: i, j for the
/// output dimensions and k for the reduction axes.
void ComputeOp::getAsmBlockArgumentNames(Region &region,
                                         OpAsmSetValueNameFn setNameFn) {
  static const char *const outputNames[] = {"i", "j", "l", "m"};
  unsigned rank = getType().getRank();
  for (BlockArgument arg : region.front().getArguments()) {
    unsigned pos = arg.getArgNumber();
    if (pos < rank)
      setNameFn(arg, pos < 4 ? outputNames[pos] : "i" + std::to_string(pos));
    else
      setNameFn(arg, pos == rank ? std::string("k")
                                 : "k" + std::to_string(pos - rank));
  }
}

/// Names the result after the te name ("matmul" prints as %matmul).
void ComputeOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  if (!getComputeName().empty())
    setNameFn(getResult(), getComputeName());
}

// Assembly:
//   tir.compute "name" (%i, %j) [sizes(%n)]
//       [reduce <kind> (%k : <int or %v>, ...)] attr-dict
//       : tensor<...> { body }
ParseResult ComputeOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  Type indexType = builder.getIndexType();

  StringAttr name;
  if (parser.parseAttribute(name, builder.getNoneType()))
    return failure();
  result.addAttribute(getComputeNameAttrName(result.name), name);

  SmallVector<OpAsmParser::Argument> indices;
  if (parser.parseArgumentList(indices, OpAsmParser::Delimiter::Paren))
    return failure();
  unsigned numOutputIndices = indices.size();

  SmallVector<OpAsmParser::UnresolvedOperand> dynamicSizes;
  if (succeeded(parser.parseOptionalKeyword("sizes")) &&
      parser.parseOperandList(dynamicSizes, OpAsmParser::Delimiter::Paren))
    return failure();

  SmallVector<int64_t> extents;
  SmallVector<OpAsmParser::UnresolvedOperand> dynamicExtents;
  if (succeeded(parser.parseOptionalKeyword("reduce"))) {
    StringRef kindName;
    SMLoc kindLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&kindName))
      return failure();
    std::optional<ReductionKind> kind = symbolizeReductionKind(kindName);
    if (!kind)
      return parser.emitError(kindLoc)
             << "unknown reduction kind '" << kindName
             << "' (expected sum, max, min or prod)";
    result.addAttribute(getReductionKindAttrName(result.name),
                        ReductionKindAttr::get(builder.getContext(), *kind));
    auto parseAxis = [&]() -> ParseResult {
      OpAsmParser::Argument axis;
      if (parser.parseArgument(axis) || parser.parseColon())
        return failure();
      indices.push_back(axis);
      int64_t extent;
      OptionalParseResult intResult = parser.parseOptionalInteger(extent);
      if (intResult.has_value()) {
        if (failed(*intResult))
          return failure();
        extents.push_back(extent);
        return success();
      }
      OpAsmParser::UnresolvedOperand operand;
      if (parser.parseOperand(operand))
        return failure();
      dynamicExtents.push_back(operand);
      extents.push_back(ShapedType::kDynamic);
      return success();
    };
    if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Paren,
                                       parseAxis))
      return failure();
  }
  result.addAttribute(getReductionExtentsAttrName(result.name),
                      builder.getDenseI64ArrayAttr(extents));

  if (parser.parseOptionalAttrDict(result.attributes) || parser.parseColon())
    return failure();
  RankedTensorType type;
  SMLoc typeLoc = parser.getCurrentLocation();
  if (parser.parseType(type))
    return failure();
  if (static_cast<int64_t>(numOutputIndices) != type.getRank())
    return parser.emitError(typeLoc)
           << "expected " << type.getRank()
           << " output indices for a result of rank " << type.getRank()
           << ", but got " << numOutputIndices;
  result.addTypes(type);

  for (OpAsmParser::Argument &index : indices)
    index.type = indexType;
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, indices))
    return failure();

  if (parser.resolveOperands(dynamicSizes, indexType, result.operands) ||
      parser.resolveOperands(dynamicExtents, indexType, result.operands))
    return failure();
  result.getOrAddProperties<Properties>().operandSegmentSizes = {
      static_cast<int32_t>(dynamicSizes.size()),
      static_cast<int32_t>(dynamicExtents.size())};
  return success();
}

void ComputeOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printAttributeWithoutType(getComputeNameAttr());
  p << " (";
  llvm::interleaveComma(getOutputIndices(), p,
                        [&](BlockArgument arg) { p.printOperand(arg); });
  p << ')';
  if (!getDynamicSizes().empty())
    p << " sizes(" << getDynamicSizes() << ')';
  if (getReductionKind()) {
    p << " reduce " << stringifyReductionKind(*getReductionKind()) << " (";
    auto extents = getMixedReductionExtents();
    llvm::interleaveComma(
        llvm::zip(getReductionIndices(), extents), p, [&](auto pair) {
          auto [axis, extent] = pair;
          p.printOperand(axis);
          p << " : ";
          if (auto value = dyn_cast<Value>(extent))
            p.printOperand(value);
          else
            p << cast<IntegerAttr>(cast<Attribute>(extent)).getInt();
        });
    p << ')';
  }
  p.printOptionalAttrDict(
      (*this)->getAttrs(),
      {getComputeNameAttrName(), getReductionExtentsAttrName(),
       getReductionKindAttrName(), getOperandSegmentSizesAttrName()});
  p << " : " << getType() << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false);
}

LogicalResult ComputeOp::verify() {
  RankedTensorType type = getType();
  Type elementType = type.getElementType();
  if (!isa<FloatType, IntegerType>(elementType))
    return emitOpError() << "result element type must be an integer or "
                            "float type, but got "
                         << elementType;
  if (static_cast<int64_t>(getDynamicSizes().size()) !=
      type.getNumDynamicDims())
    return emitOpError() << "expected " << type.getNumDynamicDims()
                         << " dynamic size operands for " << type
                         << ", but got " << getDynamicSizes().size();

  ArrayRef<int64_t> extents = getReductionExtents();
  int64_t numDynamicExtents = 0;
  for (int64_t extent : extents) {
    if (ShapedType::isDynamic(extent))
      ++numDynamicExtents;
    else if (extent < 0)
      return emitOpError() << "reduction extent must be non-negative, but "
                              "got "
                           << extent;
  }
  if (numDynamicExtents !=
      static_cast<int64_t>(getDynamicReductionExtents().size()))
    return emitOpError() << "expected " << numDynamicExtents
                         << " dynamic reduction extent operands, but got "
                         << getDynamicReductionExtents().size();
  if (auto kind = getReductionKind()) {
    bool unsignedKind =
        *kind == ReductionKind::UMax || *kind == ReductionKind::UMin;
    bool isUnsigned = elementType.isUnsignedInteger();
    if (unsignedKind && !isa<IntegerType>(elementType))
      return emitOpError() << "reduction " << stringifyReductionKind(*kind)
                           << " needs an integer element type, but got "
                           << elementType;
    if (isUnsigned &&
        (*kind == ReductionKind::Max || *kind == ReductionKind::Min))
      return emitOpError() << "reduction " << stringifyReductionKind(*kind)
                           << " orders " << elementType << " as signed; use u"
                           << stringifyReductionKind(*kind);
  }
  if (extents.empty() && getReductionKind())
    return emitOpError() << "has a reduction kind but no reduction axes";
  if (!extents.empty() && !getReductionKind())
    return emitOpError() << "has reduction axes but no reduction kind";
  return success();
}

LogicalResult ComputeOp::verifyRegions() {
  Block &block = getBody().front();
  unsigned expected = getType().getRank() + getNumReductionAxes();
  if (block.getNumArguments() != expected)
    return emitOpError() << "body must have " << expected
                         << " index arguments (one per output dimension and "
                            "reduction axis), but has "
                         << block.getNumArguments();
  for (BlockArgument arg : block.getArguments())
    if (!arg.getType().isIndex())
      return emitOpError() << "body argument #" << arg.getArgNumber()
                           << " must be of index type, but got "
                           << arg.getType();
  if (block.empty() || !isa<YieldOp>(block.back()))
    return emitOpError() << "body must end with tir.yield";
  return success();
}

//===----------------------------------------------------------------------===//
// ReadOp
//===----------------------------------------------------------------------===//

LogicalResult ReadOp::verify() {
  auto type = cast<RankedTensorType>(getTensor().getType());
  if (static_cast<int64_t>(getIndices().size()) != type.getRank())
    return emitOpError() << "expected " << type.getRank()
                         << " indices for a tensor of rank " << type.getRank()
                         << ", but got " << getIndices().size();
  auto compute = (*this)->getParentOfType<ComputeOp>();
  if (!compute)
    return emitOpError() << "must be nested in a tir.compute body";
  Region *defRegion = getTensor().getParentRegion();
  if (compute.getBody().isAncestor(defRegion))
    return emitOpError() << "must read a tensor defined outside the "
                            "enclosing tir.compute";
  return success();
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  auto compute = cast<ComputeOp>((*this)->getParentOp());
  Type elementType = compute.getType().getElementType();
  Type valueType = getSignlessType(elementType);
  if (getValue().getType() != valueType) {
    InFlightDiagnostic diag =
        emitOpError() << "yields a value of type " << getValue().getType()
                      << " but the tir.compute element type is " << elementType;
    if (valueType != elementType)
      diag << ", whose values are " << valueType;
    return diag;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// AssertOp
//===----------------------------------------------------------------------===//

LogicalResult AssertOp::verify() {
  if (getMessage().empty())
    return emitOpError() << "needs a message saying what is required";
  if (getValues().size() > kMaxValues)
    return emitOpError() << "reports at most " << kMaxValues
                         << " values, but got " << getValues().size();
  if ((*this)->getParentOfType<ComputeOp>())
    return emitOpError() << "must not be nested in a tir.compute body (it "
                            "states a requirement on sizes, checked once)";
  return success();
}

//===----------------------------------------------------------------------===//
// Utilities
//===----------------------------------------------------------------------===//

bool mlc::tir::isSafeForValueBounds(Value value) {
  SmallVector<Value> work{value};
  llvm::SmallPtrSet<Value, 8> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    Operation *def = v.getDefiningOp();
    if (!def)
      continue;
    if (auto dim = dyn_cast<tensor::DimOp>(def)) {
      std::optional<int64_t> d = getConstantIntValue(dim.getIndex());
      auto shaped = cast<ShapedType>(dim.getSource().getType());
      if (!d || !shaped.hasRank() || *d < 0 || *d >= shaped.getRank())
        return false;
    }
    llvm::append_range(work, def->getOperands());
  }
  return true;
}

#define GET_OP_CLASSES
#include "mlc/Dialect/TIR/IR/TIROps.cpp.inc"
