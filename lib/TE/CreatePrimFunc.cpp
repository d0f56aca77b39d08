//===- CreatePrimFunc.cpp - te program -> tir.func ------------------------===//
//
// Clones the part of the staging block that the listed tensors need into a
// new tir.func: placeholders become input arguments, listed computed tensors
// output arguments returned in order, symbolic sizes tensor.dim of an input
// that carries them.
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlc::te;

namespace {

/// The staging ops and block arguments that `roots` depend on.
struct Slice {
  llvm::SetVector<Operation *> ops;
  llvm::SetVector<Value> arguments;
};

Slice computeSlice(Block *staging, ArrayRef<Value> roots) {
  Slice slice;
  SmallVector<Value> worklist(roots.begin(), roots.end());
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (v.getParentBlock() != staging)
      continue; // defined inside a compute body
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      slice.arguments.insert(v);
      continue;
    }
    Operation *op = v.getDefiningOp();
    if (!slice.ops.insert(op))
      continue;
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        worklist.push_back(operand);
    });
  }
  return slice;
}

/// Where a symbolic size can be read: input argument `arg`, dimension `dim`.
struct SizeSource {
  unsigned arg;
  int64_t dim;
};

} // namespace

mlc::tir::FuncOp mlc::te::createPrimFunc(OpBuilder &builder,
                                         ArrayRef<Tensor> args,
                                         StringRef name) {
  Workspace &ws = Workspace::current();
  if (ws.getImpl().frame)
    fail("te.create_prim_func cannot be called inside te.compute");
  MLIRContext *ctx = ws.getContext();
  Block *staging = ws.getImpl().staging;

  // Classify the listed tensors.
  SmallVector<Type> argTypes, resultTypes;
  SmallVector<Value> outputs;
  llvm::DenseMap<Value, unsigned> argIndex;
  for (auto [i, tensor] : llvm::enumerate(args)) {
    if (!tensor)
      fail("te.create_prim_func: argument #" + Twine(i) + " is empty");
    if (!argIndex.try_emplace(tensor.getValue(), i).second)
      fail("te.create_prim_func: tensor '" + tensor.getName() +
           "' is listed twice");
    argTypes.push_back(tensor.getType());
    if (!tensor.isPlaceholder()) {
      resultTypes.push_back(tensor.getType());
      outputs.push_back(tensor.getValue());
    }
  }
  if (outputs.empty())
    fail("te.create_prim_func: none of the listed tensors is computed; "
         "list at least one te.compute result");

  // Every placeholder the outputs need must be listed; every symbolic size
  // must be a dimension of a listed placeholder.
  Slice slice = computeSlice(staging, outputs);
  // The requirements of every compute the outputs need come along (they
  // read only sizes, so they add no tensor to the slice).
  SmallVector<Operation *> assertions;
  SmallVector<Value> assertionOperands;
  for (Operation *op : slice.ops)
    if (auto it = ws.getImpl().requirements.find(op);
        it != ws.getImpl().requirements.end())
      for (Operation *assertion : it->second) {
        assertions.push_back(assertion);
        llvm::append_range(assertionOperands, assertion->getOperands());
      }
  Slice more = computeSlice(staging, assertionOperands);
  slice.ops.insert(more.ops.begin(), more.ops.end());
  slice.ops.insert(assertions.begin(), assertions.end());
  slice.arguments.insert(more.arguments.begin(), more.arguments.end());
  llvm::DenseMap<Value, SizeSource> sizeSources;
  for (auto [i, tensor] : llvm::enumerate(args)) {
    if (!tensor.isPlaceholder())
      continue;
    for (auto [d, dim] : llvm::enumerate(tensor.getShape()))
      if (Value v = dim.getValue(); v && isa<BlockArgument>(v))
        sizeSources.try_emplace(v, SizeSource{static_cast<unsigned>(i),
                                              static_cast<int64_t>(d)});
  }
  for (Value v : slice.arguments) {
    if (isa<RankedTensorType>(v.getType())) {
      if (!argIndex.count(v))
        fail("te.create_prim_func: placeholder " + describeName(ws, v) +
             " is read but not listed among the arguments");
    } else if (!sizeSources.count(v)) {
      fail("te.create_prim_func: symbolic size " + describeName(ws, v) +
           " is not a dimension of any listed placeholder");
    }
  }

  // The function, with named arguments.
  auto func = mlc::tir::FuncOp::create(
      builder, nameLoc(ctx, name), name,
      FunctionType::get(ctx, argTypes, resultTypes));
  Block *entry = new Block();
  func.getBody().push_back(entry);
  for (auto [i, tensor] : llvm::enumerate(args)) {
    // An output argument is the destination of the compute of the same
    // name: "<name>_out" keeps the two apart in the printed IR.
    std::string argName = tensor.isPlaceholder()
                              ? tensor.getName()
                              : tensor.getName() + "_out";
    entry->addArgument(tensor.getType(), nameLoc(ctx, argName));
    if (!tensor.isPlaceholder())
      func.setArgAttr(i, mlc::tir::TIRDialect::getOutputAttrName(),
                      UnitAttr::get(ctx));
  }

  OpBuilder body = OpBuilder::atBlockEnd(entry);
  IRMapping mapping;
  SmallVector<Value> sizes;
  for (Value v : slice.arguments) {
    if (isa<RankedTensorType>(v.getType()))
      mapping.map(v, entry->getArgument(argIndex.lookup(v)));
    else
      sizes.push_back(v);
  }
  // Read symbolic sizes in argument and dimension order.
  llvm::sort(sizes, [&](Value a, Value b) {
    SizeSource x = sizeSources.lookup(a), y = sizeSources.lookup(b);
    return std::tie(x.arg, x.dim) < std::tie(y.arg, y.dim);
  });
  for (Value v : sizes) {
    SizeSource source = sizeSources.lookup(v);
    Value dim = tensor::DimOp::create(body, nameLoc(ctx, describeName(ws, v)),
                                      entry->getArgument(source.arg),
                                      source.dim);
    mapping.map(v, dim);
  }
  // A symbolic size shared by several placeholders is read from the first;
  // the others must have the same size at run time (TVM's MakePackedAPI
  // asserts it too).
  for (auto [i, tensor] : llvm::enumerate(args)) {
    if (!tensor.isPlaceholder())
      continue;
    for (auto [d, dim] : llvm::enumerate(tensor.getShape())) {
      Value v = dim.getValue();
      auto source = sizeSources.find(v);
      if (!static_cast<bool>(v) || source == sizeSources.end() || !mapping.contains(v) ||
          (source->second.arg == i && source->second.dim == int64_t(d)))
        continue;
      Location loc = nameLoc(ctx, tensor.getName());
      Value size = tensor::DimOp::create(body, loc, entry->getArgument(i), d);
      Value symbol = mapping.lookup(v);
      Value equal = arith::CmpIOp::create(body, loc, arith::CmpIPredicate::eq,
                                          size, symbol);
      mlc::tir::AssertOp::create(
          body, loc, equal,
          body.getStringAttr("argument '" + tensor.getName() +
                             "' must have size " + describeName(ws, v) +
                             " in dimension " + Twine(d) + ", as '" +
                             args[source->second.arg].getName() +
                             "' has (its size, then " + describeName(ws, v) +
                             ")"),
          ValueRange{size, symbol});
    }
  }
  for (Operation &op : *staging)
    if (slice.ops.contains(&op))
      body.clone(op, mapping);

  SmallVector<Value> returned;
  for (Value output : outputs)
    returned.push_back(mapping.lookup(output));
  mlc::tir::ReturnOp::create(body, nameLoc(ctx, name), returned);

  IRRewriter rewriter(ctx);
  (void)runRegionDCE(rewriter, func->getRegions());
  verifyOrThrow(func, "te.create_prim_func built an invalid tir.func '" +
                          name.str() + "'");
  return func;
}

OwningOpRef<ModuleOp> mlc::te::createPrimFunc(ArrayRef<Tensor> args,
                                              StringRef name) {
  Workspace &ws = Workspace::current();
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(UnknownLoc::get(ws.getContext()));
  OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
  createPrimFunc(builder, args, name);
  return module;
}
