//===- Fuse.cpp - call_tir chains into one tir.func -----------------------===//
//
// TVM's FuseOps + FuseTIR on mlc's IR. The unit is a call_tir with one use
// by a call_tir of an injective function: both bodies are cloned into a new
// tir.func (the first's result becomes a temporary of it) and one call
// replaces the pair. Fusion repeats until no pair is left, so a reduction
// gathers its whole element-wise epilogue.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"

namespace mlc::relax {
#define GEN_PASS_DEF_RELAXFUSEPASS
#include "mlc/Dialect/Relax/Transforms/Passes.h.inc"
} // namespace mlc::relax

using namespace mlir;
using namespace mlc;
using mlc::relax::CallTIROp;
using mlc::tir::FuncOp;

namespace {

/// Injective: every compute is free of reductions (element-wise,
/// broadcast, layout), so it can follow its producer in one function.
bool isInjective(FuncOp func) {
  bool injective = true;
  func.walk([&](tir::ComputeOp op) {
    if (op.getNumReductionAxes() != 0)
      injective = false;
  });
  return injective;
}

/// The symbol's name without the "fused_" prefix, for naming the result.
std::string stem(StringRef name) {
  name.consume_front("fused_");
  return name.str();
}

/// Clones the body of `callee` into `builder`, its input arguments mapped
/// to `inputs`; returns the values it returns.
SmallVector<Value> inlineBody(OpBuilder &builder, FuncOp callee,
                              ValueRange inputs) {
  Block &entry = callee.getBody().front();
  IRMapping mapping;
  unsigned next = 0;
  for (BlockArgument arg : entry.getArguments())
    if (!callee.isOutputArgument(arg.getArgNumber()))
      mapping.map(arg, inputs[next++]);
  for (Operation &op : entry.without_terminator())
    builder.clone(op, mapping);
  SmallVector<Value> results;
  for (Value v : entry.getTerminator()->getOperands())
    results.push_back(mapping.lookup(v));
  return results;
}

struct RelaxFusePass : mlc::relax::impl::RelaxFusePassBase<RelaxFusePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Functions whose calls were fused away; erased if nothing else calls
    // them (a function never called, a prim func on its own, stays).
    llvm::SetVector<Operation *> replaced;
    // One pass in program order: a call fuses with its only consumer, and
    // the fused call goes on with its own consumer (a chain dense -> add
    // -> relu becomes one call). Restarting the walk after each fusion, as
    // this did, was quadratic: 0.53 s of efficientnet_b0's build.
    SmallVector<CallTIROp> calls;
    module.walk([&](CallTIROp call) { calls.push_back(call); });
    llvm::DenseSet<Operation *> erased;
    for (CallTIROp call : calls) {
      if (erased.contains(call))
        continue;
      CallTIROp producer = call;
      while (true) {
        if (producer->getNumResults() != 1 ||
            !producer->getResult(0).hasOneUse())
          break;
        auto consumer =
            dyn_cast<CallTIROp>(*producer->getResult(0).getUsers().begin());
        if (!consumer || consumer->getBlock() != producer->getBlock())
          break;
        auto first = symbols.lookup<FuncOp>(producer.getCallee());
        auto second = symbols.lookup<FuncOp>(consumer.getCallee());
        if (!first || !second || !isInjective(second))
          break;
        erased.insert(producer);
        erased.insert(consumer);
        producer = fuse(producer, consumer, first, second, symbols);
        replaced.insert(first);
        replaced.insert(second);
      }
    }
    // The symbols still called, gathered once (asking per function walked
    // the whole module each time: 0.5 s of efficientnet_b0's build).
    // An op that may use symbols unseen keeps every function.
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(&module.getBodyRegion());
    if (!uses)
      return;
    llvm::DenseSet<StringAttr> used;
    for (const SymbolTable::SymbolUse &use : *uses)
      used.insert(use.getSymbolRef().getRootReference());
    for (Operation *func : replaced)
      if (!used.contains(SymbolTable::getSymbolName(func)))
        func->erase();
  }

  /// Replaces `producer` and `consumer` with a call of a new function
  /// that computes both, and returns that call.
  CallTIROp fuse(CallTIROp producer, CallTIROp consumer, FuncOp first,
                 FuncOp second, SymbolTable &symbols) {
    // Inputs of the fused call: the producer's, then the consumer's other
    // operands, each once.
    SmallVector<Value> inputs;
    auto addInput = [&](Value v) {
      if (!llvm::is_contained(inputs, v))
        inputs.push_back(v);
    };
    for (Value v : producer.getArgs())
      addInput(v);
    Value intermediate = producer->getResult(0);
    for (Value v : consumer.getArgs())
      if (v != intermediate)
        addInput(v);

    // The fused function: inputs, then one output argument per result.
    SmallVector<Type> argTypes(ValueRange(inputs).getTypes());
    TypeRange resultTypes = consumer->getResultTypes();
    argTypes.append(resultTypes.begin(), resultTypes.end());
    OpBuilder builder(first);
    std::string name = "fused_" + stem(first.getSymName()) + "_" +
                       stem(second.getSymName());
    auto fused = FuncOp::create(
        builder, first.getLoc(), name,
        builder.getFunctionType(argTypes, resultTypes));
    // Arguments keep the names they had in the functions fused.
    SmallVector<Location> argLocs;
    auto locOf = [](FuncOp callee, ValueRange args, Value v) {
      Block &b = callee.getBody().front();
      unsigned input = llvm::find(args, v) - args.begin();
      for (BlockArgument arg : b.getArguments())
        if (!callee.isOutputArgument(arg.getArgNumber()) && input-- == 0)
          return arg.getLoc();
      return b.getArgument(0).getLoc();
    };
    for (Value v : inputs)
      argLocs.push_back(llvm::is_contained(producer.getArgs(), v)
                            ? locOf(first, producer.getArgs(), v)
                            : locOf(second, consumer.getArgs(), v));
    for (unsigned i = inputs.size(); i < argTypes.size(); ++i)
      argLocs.push_back(NameLoc::get(builder.getStringAttr("out")));
    Block *entry = new Block();
    fused.getBody().push_back(entry);
    for (auto [type, loc] : llvm::zip(argTypes, argLocs))
      entry->addArgument(type, loc);
    for (unsigned i = inputs.size(); i < argTypes.size(); ++i)
      fused.setArgAttr(i, tir::TIRDialect::getOutputAttrName(),
                       builder.getUnitAttr());
    symbols.insert(fused); // renamed on a clash

    auto argFor = [&](Value v) {
      return entry->getArgument(llvm::find(inputs, v) - inputs.begin());
    };
    OpBuilder body = OpBuilder::atBlockEnd(entry);
    SmallVector<Value> firstInputs;
    for (Value v : producer.getArgs())
      firstInputs.push_back(argFor(v));
    Value temporary = inlineBody(body, first, firstInputs)[0];
    SmallVector<Value> secondInputs;
    for (Value v : consumer.getArgs())
      secondInputs.push_back(v == intermediate ? temporary : argFor(v));
    SmallVector<Value> results = inlineBody(body, second, secondInputs);
    tir::ReturnOp::create(body, consumer.getLoc(), results);

    OpBuilder callBuilder(consumer);
    auto call = CallTIROp::create(
        callBuilder, consumer.getLoc(), consumer->getResultTypes(),
        FlatSymbolRefAttr::get(fused.getSymNameAttr()), inputs);
    consumer->replaceAllUsesWith(call);
    consumer.erase();
    producer.erase();
    return call;
  }
};

} // namespace
