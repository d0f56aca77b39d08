//===- Legalize.cpp - relax high-level ops to call_tir --------------------===//

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/Relax/Transforms/Passes.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"
#include "mlc/Topi/Topi.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"

#include <map>

namespace mlc::relax {
#define GEN_PASS_DEF_RELAXLEGALIZEPASS
#include "mlc/Dialect/Relax/Transforms/Passes.h.inc"
} // namespace mlc::relax

using namespace mlir;
using namespace mlc;
using namespace mlc::relax;

namespace {

using te::Expr;

/// The te definition of an op, on placeholders for its operands.
using Definition =
    std::function<te::Tensor(Operation *, ArrayRef<te::Tensor>)>;

template <typename Fn> Definition unary(Fn fn) {
  return [fn](Operation *, ArrayRef<te::Tensor> t) { return fn(t[0]); };
}
template <typename Fn> Definition binary(Fn fn) {
  return [fn](Operation *, ArrayRef<te::Tensor> t) { return fn(t[0], t[1]); };
}
/// An op with an integer attribute `axis`.
template <typename Fn> Definition alongAxis(Fn fn) {
  return [fn](Operation *op, ArrayRef<te::Tensor> t) {
    return fn(t[0], cast<IntegerAttr>(op->getAttr("axis")).getInt());
  };
}

/// An element-wise float function (in float32 for half types): te's
/// function of the op's name (relax.exp: exp).
te::Tensor floatFunction(Operation *op, ArrayRef<te::Tensor> t) {
  StringRef name = op->getName().stripDialect();
  return topi::floatFunction(
      t[0],
      [name](const Expr &x) {
        return name == "sigmoid" ? te::sigmoid(x) : te::callMath(name, {x});
      },
      ("T_" + name).str());
}
/// A reduction with attributes `axes` and `keepdims`.
Definition reduction(StringRef kind) {
  return [kind](Operation *op, ArrayRef<te::Tensor> t) {
    auto axes = cast<DenseI64ArrayAttr>(op->getAttr("axes"));
    bool keepdims = cast<BoolAttr>(op->getAttr("keepdims")).getValue();
    return topi::reduce(t[0], kind, axes.asArrayRef(), keepdims,
                        ("T_" + kind).str());
  };
}

/// One row per high-level op: the op and its topi definition (the op's
/// verifier has checked its operands and attributes).
template <typename Op> std::pair<StringRef, Definition> row(Definition d) {
  return {Op::getOperationName(), std::move(d)};
}
const llvm::StringMap<Definition> &definitions() {
  static const llvm::StringMap<Definition> table = {
      row<AddOp>(binary([](auto a, auto b) { return topi::add(a, b); })),
      row<SubtractOp>(
          binary([](auto a, auto b) { return topi::subtract(a, b); })),
      row<MultiplyOp>(
          binary([](auto a, auto b) { return topi::multiply(a, b); })),
      row<DivideOp>(binary([](auto a, auto b) { return topi::divide(a, b); })),
      row<MatmulOp>(binary([](auto a, auto b) { return topi::matmul(a, b); })),
      row<DenseOp>(binary([](auto a, auto b) { return topi::dense(a, b); })),
      row<ReluOp>(unary([](auto x) { return topi::relu(x); })),
      row<Conv2dOp>([](Operation *op, ArrayRef<te::Tensor> t) {
        auto conv = cast<Conv2dOp>(op);
        return topi::conv2dNCHW(t[0], t[1], conv.getStrides(),
                                conv.getPadding(), conv.getDilation(),
                                static_cast<int64_t>(conv.getGroups()));
      }),
      row<MaxPool2dOp>([](Operation *op, ArrayRef<te::Tensor> t) {
        auto pool = cast<MaxPool2dOp>(op);
        return topi::maxPool2d(t[0], pool.getKernel(), pool.getStrides(),
                               pool.getPadding(), pool.getDilation(),
                               pool.getCeilMode());
      }),
      row<AvgPool2dOp>([](Operation *op, ArrayRef<te::Tensor> t) {
        auto pool = cast<AvgPool2dOp>(op);
        return topi::avgPool2d(t[0], pool.getKernel(), pool.getStrides(),
                               pool.getPadding(), pool.getCeilMode(),
                               pool.getCountIncludePad());
      }),
      row<BatchNormOp>([](Operation *op, ArrayRef<te::Tensor> t) {
        double epsilon = cast<BatchNormOp>(op).getEpsilon().convertToDouble();
        return topi::batchNormInference(t[0], t[1], t[2], t[3], t[4], epsilon);
      }),
      row<LayerNormOp>([](Operation *op, ArrayRef<te::Tensor> t) {
        double epsilon = cast<LayerNormOp>(op).getEpsilon().convertToDouble();
        return topi::layerNorm(t[0], t[1], t[2], epsilon);
      }),
      row<SoftmaxOp>(
          alongAxis([](auto x, int64_t a) { return topi::softmax(x, a); })),
      row<LogSoftmaxOp>(
          alongAxis([](auto x, int64_t a) { return topi::logSoftmax(x, a); })),
      row<ExpOp>(floatFunction),
      row<LogOp>(floatFunction),
      row<SqrtOp>(floatFunction),
      row<RsqrtOp>(floatFunction),
      row<TanhOp>(floatFunction),
      row<SigmoidOp>(floatFunction),
      row<ErfOp>(floatFunction),
      row<SinOp>(floatFunction),
      row<CosOp>(floatFunction),
      row<SumOp>(reduction("sum")),
      row<MeanOp>(reduction("mean")),
      row<MaxOp>(reduction("max")),
      row<MinOp>(reduction("min")),
      row<ProdOp>(reduction("prod")),
  };
  return table;
}

/// The definition of `op`, or null for ops that are not legalized here.
const Definition *definitionOf(Operation *op) {
  auto it = definitions().find(op->getName().getStringRef());
  return it == definitions().end() ? nullptr : &it->second;
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
      os << op->getAttrDictionary();
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
      te::Tensor output = (*definitionOf(op))(op, inputs);
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
