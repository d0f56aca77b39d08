//===- Legalize.cpp - relax high-level ops to call_tir --------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"
#include "mlc/Topi/Topi.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <map>

namespace mlc::relax {
#define GEN_PASS_DEF_RELAXLEGALIZEPASS
#include "mlc/Dialect/Relax/Transforms/Passes.h.inc"
} // namespace mlc::relax

using namespace mlir;
using namespace mlc;
using namespace mlc::relax;

namespace {

/// The topi definition of a high-level op, or null for other ops.
using Definition = std::function<te::Tensor(ArrayRef<te::Tensor>)>;
Definition definitionOf(Operation *op) {
  auto binary = [](auto fn) -> Definition {
    return [fn](ArrayRef<te::Tensor> t) { return fn(t[0], t[1]); };
  };
  return llvm::TypeSwitch<Operation *, Definition>(op)
      .Case([&](AddOp) {
        return binary([](auto a, auto b) { return topi::add(a, b); });
      })
      .Case([&](SubtractOp) {
        return binary([](auto a, auto b) { return topi::subtract(a, b); });
      })
      .Case([&](MultiplyOp) {
        return binary([](auto a, auto b) { return topi::multiply(a, b); });
      })
      .Case([&](DivideOp) {
        return binary([](auto a, auto b) { return topi::divide(a, b); });
      })
      .Case([&](MatmulOp) {
        return binary([](auto a, auto b) { return topi::matmul(a, b); });
      })
      .Case([&](DenseOp) {
        return binary([](auto a, auto b) { return topi::dense(a, b); });
      })
      .Case([&](ReluOp) -> Definition {
        return [](ArrayRef<te::Tensor> t) { return topi::relu(t[0]); };
      })
      .Default([](Operation *) { return Definition(); });
}

struct RelaxLegalizePass
    : mlc::relax::impl::RelaxLegalizePassBase<RelaxLegalizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    te::Workspace workspace(&getContext());
    SymbolTable symbols(module);
    // One tir.func per (op name, operand types).
    std::map<std::pair<std::string, std::string>, mlc::tir::FuncOp> cache;

    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (definitionOf(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      std::string opName = op->getName().stripDialect().str();
      std::string key;
      llvm::raw_string_ostream os(key);
      llvm::interleaveComma(op->getOperandTypes(), os);
      mlc::tir::FuncOp &callee = cache[{opName, key}];
      if (!callee) {
        FailureOr<mlc::tir::FuncOp> made = makeFunction(op, opName, symbols);
        if (failed(made))
          return signalPassFailure();
        callee = *made;
      }
      OpBuilder builder(op);
      auto call = CallTIROp::create(
          builder, op->getLoc(), op->getResultTypes(),
          FlatSymbolRefAttr::get(callee.getSymNameAttr()), op->getOperands());
      op->replaceAllUsesWith(call);
      op->erase();
    }
  }

  /// Builds the tir.func of `op` from its topi definition.
  FailureOr<mlc::tir::FuncOp> makeFunction(Operation *op, StringRef name,
                                           SymbolTable &symbols) {
    try {
      std::vector<te::Tensor> inputs;
      for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
        auto type = cast<RankedTensorType>(operand.getType());
        std::vector<te::Expr> shape;
        for (auto [d, size] : llvm::enumerate(type.getShape()))
          shape.push_back(ShapedType::isDynamic(size)
                              ? te::Expr(te::var("n" + std::to_string(i) +
                                                 "_" + std::to_string(d)))
                              : te::Expr(size));
        inputs.push_back(te::placeholder(shape, type.getElementType(),
                                         "x" + std::to_string(i)));
      }
      te::Tensor output = definitionOf(op)(inputs);
      if (output.getType() != op->getResult(0).getType())
        throw mlc::Error("topi computes " +
                         te::dtypeName(output.getElementType()) +
                         " of another shape than the op's result type");
      inputs.push_back(output);
      ModuleOp module = getOperation();
      OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
      mlc::tir::FuncOp func = te::createPrimFunc(builder, inputs, name);
      symbols.insert(func); // renames on a clash: add, add_0, ...
      return func;
    } catch (const mlc::Error &error) {
      op->emitOpError() << "cannot be legalized: " << error.what();
      return failure();
    }
  }
};

} // namespace
