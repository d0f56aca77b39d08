//===- BlockBuilder.cpp - Builds relax graph functions --------------------===//

#include "mlc/Builder/BlockBuilder.h"

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Support/Error.h"
#include "mlc/Support/Resources.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/BitVector.h"

#include <atomic>
#include <variant>
#include <exception>

using namespace mlir;
using namespace mlc::relax;

namespace {
[[noreturn]] void fail(const llvm::Twine &message) {
  throw mlc::Error(message.str());
}

/// A unique id for each function and dataflow block any builder opens, so a
/// variable knows where it is visible. Unique across builders, not per
/// builder: a variable of one builder's function must never pass for one of
/// another builder's (its Value may belong to a module already destroyed).
using ScopeId = uint64_t;
constexpr ScopeId kNoScope = 0;
ScopeId freshScopeId() {
  static std::atomic<ScopeId> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}
} // namespace

struct mlc::relax::VarNode {
  std::string name;
  RankedTensorType type;
  /// Set for constants.
  ElementsAttr constant;
  /// For emitted variables: the function and dataflow block defining them,
  /// and the value once it exists. Parameters and constants are bound per
  /// function, in the function's state.
  ScopeId function = kNoScope;
  ScopeId dataflow = kNoScope;
  Value value;
  /// For a dataflow variable passed to emit_output: the variable visible
  /// after the block. TVM lets the dataflow variable itself be used there
  /// too (the chapter's from_fx returns it), meaning that output.
  std::weak_ptr<VarNode> output;
  /// Keeps a releasable constant's blob while the variable lives.
  mlc::ResourceHold hold;
};

const std::string &Var::getName() const { return node->name; }
RankedTensorType Var::getType() const { return node->type; }
bool Var::isDataflow() const { return node->dataflow != kNoScope; }
bool Var::isConstant() const { return static_cast<bool>(node->constant); }

Var mlc::relax::makeVar(StringRef name, RankedTensorType type) {
  if (!type)
    fail("relax.Var '" + name + "' needs a tensor type");
  auto node = std::make_shared<VarNode>();
  node->name = name.str();
  node->type = type;
  return Var(node);
}

Var mlc::relax::makeConstant(ElementsAttr value, StringRef name) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    fail("relax.const needs a ranked tensor value");
  auto node = std::make_shared<VarNode>();
  node->name = name.str();
  node->type = type;
  node->constant = value;
  node->hold = mlc::ResourceHold(value);
  return Var(node);
}

ElementsAttr mlc::relax::makeConstantData(RankedTensorType type,
                                          ArrayRef<char> data,
                                          StringRef name, bool releasable) {
  int64_t bits = type.getElementTypeBitWidth();
  int64_t expected = type.getNumElements() * ((bits + 7) / 8);
  if (!type.hasStaticShape())
    fail("relax.const needs a static shape");
  if (static_cast<int64_t>(data.size()) != expected)
    fail("relax.const: " + Twine(data.size()) + " bytes do not fill " +
         Twine(type.getNumElements()) + " elements");
  // Small constants print inline; large ones stay out of the printed IR as
  // blobs (the printer elides them unless asked for the full text).
  constexpr int64_t inlineLimit = 16;
  if (type.getNumElements() <= inlineLimit && bits > 1)
    return DenseElementsAttr::getFromRawBuffer(type, data);
  if (releasable)
    return mlc::makeReleasableBlob(type, name, data);
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(data, mlc::kBlobAlignment));
}

RankedTensorType mlc::relax::tensorType(MLIRContext *context,
                                        std::optional<ArrayRef<int64_t>> shape,
                                        int64_t ndim, Type elementType) {
  if (shape) {
    if (ndim >= 0 && static_cast<int64_t>(shape->size()) != ndim)
      fail("shape has " + Twine(shape->size()) + " dimensions but the type "
           "says ndim = " + Twine(ndim));
    for (int64_t size : *shape)
      if (size < 0 && !ShapedType::isDynamic(size))
        fail("negative size in a tensor shape");
    return RankedTensorType::get(*shape, elementType);
  }
  if (ndim < 0)
    fail("a tensor type needs a shape or ndim");
  return RankedTensorType::get(SmallVector<int64_t>(ndim, ShapedType::kDynamic),
                               elementType);
}

//===----------------------------------------------------------------------===//
// Builder state
//===----------------------------------------------------------------------===//

namespace {

struct FunctionState {
  std::string name;
  ScopeId id;
  func::FuncOp func;
  Block *entry;
  /// Parameters given to beginFunction, if any.
  std::optional<std::vector<Var>> params;
  /// Parameters and constants bound in this function.
  llvm::DenseMap<VarNode *, Value> bound;
  /// Keeps every variable in `bound` alive, so that no other variable can
  /// reuse its address while the function is built.
  std::vector<Var> keepAlive;
  /// Parameters bound on first use, in that order (when the parameter list
  /// comes with emitFuncOutput).
  std::vector<Var> usedParams;
  /// The last relax.const materialized at the top of the function; the
  /// next one goes after it, so constants appear in order of first use.
  Operation *lastConstant = nullptr;
  bool returned = false;
};

struct DataflowState {
  ScopeId id;
  mlc::relax::DataflowOp op;
  std::vector<std::pair<Var, Var>> outputs; // (inner value, outer variable)
};

} // namespace

struct BlockBuilder::Impl {
  explicit Impl(MLIRContext *context)
      : context(context), builder(context),
        module(ModuleOp::create(UnknownLoc::get(context))) {
    context->getOrLoadDialect<RelaxDialect>();
    context->getOrLoadDialect<func::FuncDialect>();
  }

  MLIRContext *context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  /// Holds on the releasable constants the module uses.
  std::vector<mlc::ResourceHold> constantHolds;
  std::optional<FunctionState> function;
  std::optional<DataflowState> dataflow;
  unsigned nextVar = 0;

  Location loc(StringRef name) {
    return NameLoc::get(StringAttr::get(context, name));
  }

  FunctionState &requireFunction(StringRef what) {
    if (!function)
      fail(what + " called outside a function scope (open one with "
                  "BlockBuilder.function)");
    return *function;
  }

  /// A fresh name for an emitted variable: lv, lv1, ... inside dataflow
  /// blocks and gv, gv1, ... outside, as TVM prints them.
  std::string freshName(bool inDataflow) {
    unsigned n = nextVar++;
    std::string base = inDataflow ? "lv" : "gv";
    return n == 0 ? base : base + std::to_string(n);
  }

  /// The value of `var` in the open function.
  Value resolve(const Var &var, StringRef what) {
    if (!var)
      fail(what + ": an empty variable");
    FunctionState &fn = requireFunction(what);
    VarNode *node = var.get();
    if (auto it = fn.bound.find(node); it != fn.bound.end())
      return it->second;

    if (node->constant) {
      // One relax.const per constant and function, at the function's top
      // so that it dominates every use.
      OpBuilder::InsertionGuard guard(builder);
      if (fn.lastConstant)
        builder.setInsertionPointAfter(fn.lastConstant);
      else
        builder.setInsertionPointToStart(fn.entry);
      auto op = ConstOp::create(builder, loc(node->name), node->constant);
      fn.lastConstant = op;
      Value value = op;
      fn.bound[node] = value;
      fn.keepAlive.push_back(var);
      // The module keeps the constant's blob until the caller takes it
      // (and holds it: mlc/Support/Resources.h).
      constantHolds.push_back(node->hold);
      return value;
    }
    if (node->function == kNoScope) {
      // A parameter.
      if (fn.params)
        fail("variable '" + node->name + "' is used in function '" + fn.name +
             "' but is not one of its parameters");
      Value arg = fn.entry->addArgument(node->type, loc(node->name));
      fn.bound[node] = arg;
      fn.keepAlive.push_back(var);
      fn.usedParams.push_back(var);
      return arg;
    }
    if (node->function != fn.id)
      fail("variable '" + node->name + "' belongs to another function; it "
           "cannot be used in function '" + fn.name + "'");
    if (!node->value)
      fail("variable '" + node->name + "' is the output of the dataflow "
           "block still open; use it after the block");
    if (node->dataflow != kNoScope &&
        (!dataflow || dataflow->id != node->dataflow)) {
      if (auto output = node->output.lock(); output && output->value)
        return output->value;
      fail("dataflow variable '" + node->name + "' is not visible outside "
           "its dataflow block (pass it to emit_output)");
    }
    return node->value;
  }

  /// Wraps the result of an emitted op as a variable of the current scope.
  Var bindResult(Value value) {
    bool inDataflow = dataflow.has_value();
    auto node = std::make_shared<VarNode>();
    node->name = freshName(inDataflow);
    node->type = cast<RankedTensorType>(value.getType());
    node->function = function->id;
    node->dataflow = inDataflow ? dataflow->id : kNoScope;
    node->value = value;
    return Var(node);
  }

  /// A symbol name not yet used in the module: hint, hint1, hint2, ...
  std::string uniqueSymbol(StringRef hint) {
    std::string base = hint.empty() ? "func" : hint.str();
    std::string name = base;
    for (unsigned i = 1; SymbolTable::lookupSymbolIn(*module, name); ++i)
      name = base + std::to_string(i);
    return name;
  }
};

BlockBuilder::BlockBuilder(MLIRContext *context)
    : impl(std::make_unique<Impl>(context)) {}

BlockBuilder::~BlockBuilder() = default;

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

void BlockBuilder::beginFunction(StringRef name,
                                 std::optional<std::vector<Var>> params) {
  if (impl->function)
    fail("function '" + name + "' opened inside function '" +
         impl->function->name + "'; functions do not nest");
  if (SymbolTable::lookupSymbolIn(*impl->module, name))
    fail("the module already has a function named '" + name + "'");
  OpBuilder &b = impl->builder;
  b.setInsertionPointToEnd(impl->module->getBody());
  auto func = func::FuncOp::create(b, impl->loc(name), name,
                                   b.getFunctionType({}, {}));
  FunctionState state;
  state.name = name.str();
  state.id = freshScopeId();
  state.func = func;
  state.entry = func.addEntryBlock();
  if (params) {
    for (const Var &param : *params) {
      if (!param || param.isConstant() || param.get()->function != kNoScope)
        fail("parameters of function '" + name +
             "' must be relax.Var objects made for parameters");
      if (state.bound.count(param.get()))
        fail("parameter '" + param.getName() + "' is listed twice");
      state.bound[param.get()] = state.entry->addArgument(
          param.getType(), impl->loc(param.getName()));
      state.keepAlive.push_back(param);
    }
    state.params = std::move(params);
  }
  b.setInsertionPointToEnd(state.entry);
  impl->function = std::move(state);
}

void BlockBuilder::endFunction(bool abandon) {
  if (!impl->function)
    fail("endFunction without an open function");
  if (impl->dataflow)
    endDataflow(/*abandon=*/true);
  FunctionState fn = std::move(*impl->function);
  impl->function.reset();
  if (abandon || !fn.returned) {
    fn.func.erase();
    if (!abandon)
      fail("function '" + fn.name + "' ended without emit_func_output");
    return;
  }
  verifyOrThrow(*impl->module,
                "function '" + fn.name + "' does not verify");
}

BlockBuilder::FunctionScope::FunctionScope(BlockBuilder *builder)
    : builder(builder), uncaught(std::uncaught_exceptions()) {}
BlockBuilder::FunctionScope::FunctionScope(FunctionScope &&other) noexcept
    : builder(std::exchange(other.builder, nullptr)),
      uncaught(other.uncaught) {}
BlockBuilder::FunctionScope::~FunctionScope() noexcept(false) {
  if (builder)
    builder->endFunction(std::uncaught_exceptions() > uncaught);
}

BlockBuilder::DataflowScope::DataflowScope(BlockBuilder *builder)
    : builder(builder), uncaught(std::uncaught_exceptions()) {}
BlockBuilder::DataflowScope::DataflowScope(DataflowScope &&other) noexcept
    : builder(std::exchange(other.builder, nullptr)),
      uncaught(other.uncaught) {}
BlockBuilder::DataflowScope::~DataflowScope() noexcept(false) {
  if (builder)
    builder->endDataflow(std::uncaught_exceptions() > uncaught);
}

BlockBuilder::FunctionScope
BlockBuilder::function(StringRef name, std::optional<std::vector<Var>> params) {
  beginFunction(name, std::move(params));
  return FunctionScope(this);
}

BlockBuilder::DataflowScope BlockBuilder::dataflow() {
  beginDataflow();
  return DataflowScope(this);
}

void BlockBuilder::emitFuncOutput(ArrayRef<Var> outputs,
                                  std::optional<std::vector<Var>> params,
                                  StringRef resultStructure) {
  FunctionState &fn = impl->requireFunction("emit_func_output");
  if (fn.returned)
    fail("emit_func_output called twice in function '" + fn.name +
         "'; a function has one output");
  if (impl->dataflow)
    fail("emit_func_output called inside a dataflow block of function '" +
         fn.name + "'; call it after the block");
  if (outputs.empty() && resultStructure.empty())
    fail("emit_func_output needs at least one output (or a result "
         "structure of constants only)");
  if (params && fn.params)
    fail("the parameters of function '" + fn.name +
         "' were already given to BlockBuilder.function");

  SmallVector<Value> values;
  for (const Var &output : outputs)
    values.push_back(impl->resolve(output, "emit_func_output"));

  Block *entry = fn.entry;
  if (params) {
    // The parameters come last: order the arguments bound on first use as
    // listed, adding those not used yet.
    llvm::DenseSet<VarNode *> listed;
    for (const Var &param : *params) {
      if (!param || param.isConstant() || param.get()->function != kNoScope)
        fail("params of function '" + fn.name +
             "' must be relax.Var objects made for parameters");
      if (!listed.insert(param.get()).second)
        fail("parameter '" + param.getName() + "' is listed twice");
    }
    for (const Var &used : fn.usedParams)
      if (!listed.contains(used.get()))
        fail("variable '" + used.getName() + "' is used in function '" +
             fn.name + "' but is not in its params");
    unsigned numOld = entry->getNumArguments();
    for (const Var &param : *params) {
      BlockArgument arg =
          entry->addArgument(param.getType(), impl->loc(param.getName()));
      if (auto it = fn.bound.find(param.get()); it != fn.bound.end())
        it->second.replaceAllUsesWith(arg);
      fn.bound[param.get()] = arg;
      fn.keepAlive.push_back(param);
    }
    llvm::BitVector stale(entry->getNumArguments());
    stale.set(0, numOld);
    entry->eraseArguments(stale);
    fn.params = *params;
  } else if (!fn.params && !fn.usedParams.empty()) {
    fail("function '" + fn.name + "' uses variable '" +
         fn.usedParams.front().getName() +
         "' but no params were given (pass params to function() or "
         "emit_func_output())");
  }

  OpBuilder &b = impl->builder;
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b, impl->loc(fn.name), values);
  fn.func.setFunctionType(
      b.getFunctionType(entry->getArgumentTypes(), ValueRange(values).getTypes()));
  if (!resultStructure.empty()) {
    auto attr = b.getNamedAttr(RelaxDialect::kResultStructure,
                               b.getStringAttr(resultStructure));
    mlc::DiagnosticCollector diagnostics(impl->context);
    auto *dialect = impl->context->getLoadedDialect<RelaxDialect>();
    if (failed(dialect->verifyOperationAttribute(fn.func, attr)))
      fail("emit_func_output: " + diagnostics.str());
    fn.func->setAttr(attr.getName(), attr.getValue());
  }
  fn.returned = true;
}

//===----------------------------------------------------------------------===//
// Dataflow blocks
//===----------------------------------------------------------------------===//

void BlockBuilder::beginDataflow() {
  FunctionState &fn = impl->requireFunction("dataflow");
  if (impl->dataflow)
    fail("dataflow blocks do not nest (function '" + fn.name + "')");
  if (fn.returned)
    fail("function '" + fn.name + "' already has its output");
  OpBuilder &b = impl->builder;
  // The block is built without results; endDataflow rebuilds it with the
  // outputs once they are known.
  auto op = DataflowOp::create(b, impl->loc("dataflow"), TypeRange{});
  Block *body = new Block();
  op.getBody().push_back(body);
  b.setInsertionPointToEnd(body);
  impl->dataflow = DataflowState{freshScopeId(), op, {}};
}

void BlockBuilder::endDataflow(bool abandon) {
  if (!impl->dataflow)
    fail("endDataflow without an open dataflow block");
  DataflowState state = std::move(*impl->dataflow);
  impl->dataflow.reset();
  OpBuilder &b = impl->builder;
  if (abandon) {
    state.op->dropAllReferences();
    state.op.erase();
    if (impl->function)
      b.setInsertionPointToEnd(impl->function->entry);
    return;
  }
  SmallVector<Value> inner;
  SmallVector<Type> types;
  for (auto &[value, outer] : state.outputs) {
    inner.push_back(value.get()->value);
    types.push_back(value.getType());
  }
  b.setInsertionPoint(state.op);
  auto op = DataflowOp::create(b, state.op.getLoc(), types);
  op.getBody().takeBody(state.op.getBody());
  state.op.erase();
  b.setInsertionPointToEnd(&op.getBody().front());
  OutputOp::create(b, impl->loc("output"), inner);
  for (auto [index, pair] : llvm::enumerate(state.outputs))
    pair.second.get()->value = op.getResult(index);
  b.setInsertionPointAfter(op);
}

Var BlockBuilder::emitOutput(const Var &value) {
  if (!impl->dataflow)
    fail("emit_output called outside a dataflow block");
  Value v = impl->resolve(value, "emit_output");
  auto node = std::make_shared<VarNode>();
  node->name = impl->freshName(false);
  node->type = cast<RankedTensorType>(v.getType());
  node->function = impl->function->id;
  // Bind the inner value now; the outer variable is bound at endDataflow.
  Var inner = value;
  if (!value.get()->value || value.isConstant() ||
      value.get()->function == kNoScope) {
    // A parameter or constant: output the value it has in this function.
    auto wrapped = std::make_shared<VarNode>(*value.get());
    wrapped->value = v;
    inner = Var(wrapped);
  }
  Var outer(node);
  value.get()->output = node;
  impl->dataflow->outputs.push_back({inner, outer});
  return outer;
}

//===----------------------------------------------------------------------===//
// Emitting ops
//===----------------------------------------------------------------------===//

namespace {
/// The MLIR attribute of an op attribute's value from a front end.
Attribute toAttribute(MLIRContext *context, const OpAttribute &value) {
  Builder b(context);
  return std::visit(
      [&](const auto &v) -> Attribute {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>)
          return b.getBoolAttr(v);
        else if constexpr (std::is_same_v<T, int64_t>)
          return b.getI64IntegerAttr(v);
        else if constexpr (std::is_same_v<T, double>)
          return b.getF64FloatAttr(v);
        else if constexpr (std::is_same_v<T, std::string>)
          return b.getStringAttr(v);
        else
          return b.getDenseI64ArrayAttr(v);
      },
      value);
}
} // namespace

Var BlockBuilder::emitOp(StringRef opName, ArrayRef<Var> args,
                         ArrayRef<std::pair<std::string, OpAttribute>> attrs) {
  StringRef name = opName;
  name.consume_front("relax.");
  std::string full = ("relax." + name).str();
  impl->requireFunction("emit(" + full + ")");
  MLIRContext *context = impl->module->getContext();
  // Any high-level op of the dialect, by name: those whose result type
  // their shape rule gives (InferTypeOpInterface).
  std::optional<RegisteredOperationName> info =
      RegisteredOperationName::lookup(full, context);
  if (!info || !info->hasInterface<InferTypeOpInterface>())
    fail("unknown relax op '" + opName + "'" +
         (info ? " (not an operator: use its own builder method)" : ""));
  SmallVector<Value> values;
  for (const Var &arg : args)
    values.push_back(impl->resolve(arg, full));
  NamedAttrList attributes;
  for (const auto &[key, value] : attrs)
    attributes.set(key, toAttribute(context, value));
  Location loc = impl->loc(name);

  SmallVector<Type> types;
  {
    DiagnosticCollector diagnostics(context);
    if (failed(info->getInterface<InferTypeOpInterface>()->inferReturnTypes(
            context, loc, values, attributes.getDictionary(context),
            OpaqueProperties(nullptr), RegionRange(), types)))
      fail(full + " does not accept its operands:\n" + diagnostics.str());
  }
  OperationState state(loc, *info);
  state.addOperands(values);
  state.addAttributes(attributes);
  state.addTypes(types);
  Operation *op = impl->builder.create(state);
  try {
    verifyOrThrow(op, full + " does not accept its operands");
  } catch (...) {
    op->erase();
    throw;
  }
  return impl->bindResult(op->getResult(0));
}

Var BlockBuilder::emitReshape(const Var &data, ArrayRef<int64_t> shape) {
  impl->requireFunction("emit(relax.reshape)");
  Value value = impl->resolve(data, "relax.reshape");
  auto type = cast<RankedTensorType>(value.getType());
  OpBuilder &b = impl->builder;
  auto op = ReshapeOp::create(
      b, impl->loc("reshape"),
      RankedTensorType::get(shape, type.getElementType()), value);
  try {
    verifyOrThrow(op, "relax.reshape does not accept its operand");
  } catch (...) {
    op->erase();
    throw;
  }
  return impl->bindResult(op.getResult());
}

std::vector<mlc::te::Tensor>
BlockBuilder::makePlaceholders(ArrayRef<Var> args) {
  std::vector<te::Tensor> placeholders;
  for (const Var &arg : args) {
    if (!arg)
      fail("emit_te: an empty variable");
    std::vector<te::Expr> shape;
    for (auto [d, size] : llvm::enumerate(arg.getType().getShape())) {
      if (ShapedType::isDynamic(size))
        shape.push_back(te::var(arg.getName() + "_dim" + std::to_string(d)));
      else
        shape.push_back(te::Expr(size));
    }
    placeholders.push_back(te::placeholder(
        shape, arg.getType().getElementType(), arg.getName()));
  }
  return placeholders;
}

Var BlockBuilder::emitPrimFuncCall(ArrayRef<Var> args,
                                   ArrayRef<te::Tensor> placeholders,
                                   const te::Tensor &output,
                                   StringRef nameHint) {
  FunctionState &fn = impl->requireFunction("emit_te");
  if (args.size() != placeholders.size())
    fail("emit_te: " + Twine(args.size()) + " arguments but " +
         Twine(placeholders.size()) + " placeholders");
  SmallVector<Value> values;
  for (const Var &arg : args)
    values.push_back(impl->resolve(arg, "emit_te"));
  if (!output)
    fail("emit_te: the te function returned no tensor");
  if (output.isPlaceholder())
    fail("emit_te: the te function returned one of its inputs; it must "
         "return a te.compute result");

  // The tir.func goes before the graph function that calls it.
  std::string symbol = impl->uniqueSymbol(nameHint);
  OpBuilder &b = impl->builder;
  mlc::tir::FuncOp callee;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(fn.func);
    std::vector<te::Tensor> list(placeholders.begin(), placeholders.end());
    list.push_back(output);
    callee = te::createPrimFunc(b, list, symbol);
  }
  auto call = CallTIROp::create(b, impl->loc(symbol),
                                callee.getFunctionType().getResults(),
                                FlatSymbolRefAttr::get(callee.getSymNameAttr()),
                                values);
  try {
    verifyOrThrow(call, "call of " + symbol + " does not verify");
  } catch (...) {
    call.erase();
    callee.erase();
    throw;
  }
  return impl->bindResult(call.getResult(0));
}

Var BlockBuilder::emitTe(
    const std::function<te::Tensor(ArrayRef<te::Tensor>)> &fn,
    ArrayRef<Var> args, StringRef nameHint) {
  impl->requireFunction("emit_te");
  std::vector<te::Tensor> placeholders = makePlaceholders(args);
  te::Tensor output = fn(placeholders);
  return emitPrimFuncCall(args, placeholders, output, nameHint);
}

OwningOpRef<ModuleOp> BlockBuilder::get() {
  if (impl->function)
    fail("BlockBuilder.get() called while function '" +
         impl->function->name + "' is still open");
  return cast<ModuleOp>(impl->module->clone());
}
