//===- RelaxToFunc.cpp - relax graph and tir.func to func -----------------===//
//
// After this pass a module is plain func/arith/tensor/linalg: graph
// functions call tensor functions with func.call, and every function returns
// its results (no destination arguments). The patterns are one-to-one op
// replacements, run by a partial conversion so that anything relax left
// behind is reported.
//
//===----------------------------------------------------------------------===//

#include "mlc/Conversion/RelaxToFunc/RelaxToFunc.h"

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/BitVector.h"

namespace mlc {
#define GEN_PASS_DEF_CONVERTRELAXTOFUNCPASS
#include "mlc/Conversion/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Moves the dataflow body in front of the op; its outputs replace its
/// results.
struct InlineDataflow : OpRewritePattern<mlc::relax::DataflowOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::relax::DataflowOp op,
                                PatternRewriter &rewriter) const override {
    Block &body = op.getBody().front();
    auto output = cast<mlc::relax::OutputOp>(body.getTerminator());
    SmallVector<Value> values(output.getValues());
    rewriter.eraseOp(output);
    rewriter.inlineBlockBefore(&body, op);
    rewriter.replaceOp(op, values);
    return success();
  }
};

struct CallTIRToCall : OpRewritePattern<mlc::relax::CallTIROp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::relax::CallTIROp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<func::CallOp>(op, op.getCallee(),
                                              op.getResultTypes(),
                                              op.getArgs());
    return success();
  }
};

struct ConstToArith : OpRewritePattern<mlc::relax::ConstOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::relax::ConstOp op,
                                PatternRewriter &rewriter) const override {
    // A constant without elements holds no data: an empty tensor says as
    // much, and LLVM's translation of a zero-size global divides by its
    // element count.
    auto type = cast<RankedTensorType>(op.getType());
    if (type.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(),
                                                   type.getElementType());
      return success();
    }
    ElementsAttr value = op.getValue();
    // A bool blob holds a byte per element, but LLVM cannot translate a
    // resource of i1 elements: dense bools (one byte each in memory) can.
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value);
        resource && type.getElementType().isInteger(1)) {
      AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return rewriter.notifyMatchFailure(op, "constant without data");
      ArrayRef<char> bytes = blob->getData();
      SmallVector<bool> bits(bytes.size());
      for (auto [bit, byte] : llvm::zip_equal(bits, bytes))
        bit = byte != 0;
      value = DenseElementsAttr::get(type, ArrayRef<bool>(bits));
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// relax.reshape -> tensor.collapse_shape or tensor.expand_shape, which
/// bufferization turns into views of the operand's buffer.
struct ReshapeToTensor : OpRewritePattern<mlc::relax::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::relax::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<ReassociationIndices>> groups =
        op.getReassociation();
    if (!groups)
      return rewriter.notifyMatchFailure(op, "not a collapse or expansion");
    auto source = cast<RankedTensorType>(op.getData().getType());
    auto result = cast<RankedTensorType>(op.getType());
    if (source == result)
      rewriter.replaceOp(op, op.getData());
    else if (source.getRank() > result.getRank())
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, result, op.getData(), *groups);
    else
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          op, result, op.getData(), *groups);
    return success();
  }
};

/// tir.func -> private func.func without its output arguments (unused by
/// construction: the verifier forbids uses).
struct TIRFuncToFunc : OpRewritePattern<mlc::tir::FuncOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::tir::FuncOp op,
                                PatternRewriter &rewriter) const override {
    auto func = func::FuncOp::create(
        rewriter, op.getLoc(), op.getSymName(),
        rewriter.getFunctionType(op.getInputArgumentTypes(),
                                 op.getResultTypes()));
    func.setPrivate();
    rewriter.inlineRegionBefore(op.getBody(), func.getBody(), func.end());
    Block &entry = func.getBody().front();
    llvm::BitVector outputs(entry.getNumArguments());
    for (unsigned i = 0; i < entry.getNumArguments(); ++i)
      if (op.isOutputArgument(i))
        outputs.set(i);
    entry.eraseArguments(outputs);
    rewriter.eraseOp(op);
    return success();
  }
};

struct TIRReturnToReturn : OpRewritePattern<mlc::tir::ReturnOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::tir::ReturnOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<func::ReturnOp>(op, op.getOperands());
    return success();
  }
};

/// The run-time function a violated tir.assert calls (lib/Runtime/
/// RuntimeCore.c): the message, how many values it reports, and four
/// values. It does not return to the generated code.
constexpr llvm::StringLiteral kCheckFailed = "mlc_check_failed";

/// tir.assert -> `scf.if !cond { llvm.call @mlc_check_failed(...) }`. The
/// call is an LLVM-dialect call to a plain C symbol: a func.call would get
/// a C-interface wrapper from the pipeline's llvm-request-c-wrappers.
struct AssertToRuntimeCall : OpRewritePattern<mlc::tir::AssertOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlc::tir::AssertOp op,
                                PatternRewriter &rewriter) const override {
    auto module = op->getParentOfType<ModuleOp>();
    if (!module)
      return rewriter.notifyMatchFailure(op, "not in a module");
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = rewriter.getI64Type();
    SmallVector<Type> params = {ptr};
    params.append(1 + mlc::tir::AssertOp::kMaxValues, i64);
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(kCheckFailed);
    if (!callee) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(module.getBody());
      callee = LLVM::LLVMFuncOp::create(
          rewriter, loc, kCheckFailed,
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), params));
    }
    Value ok = op.getCondition();
    Value one = arith::ConstantIntOp::create(rewriter, loc, 1, 1);
    Value failed = arith::XOrIOp::create(rewriter, loc, ok, one);
    auto branch = scf::IfOp::create(rewriter, loc, failed);
    rewriter.setInsertionPointToStart(&branch.getThenRegion().front());
    // One global per message, null-terminated, named after its position.
    unsigned id = 0;
    std::string name;
    do
      name = "__mlc_assert_" + std::to_string(id++);
    while (module.lookupSymbol(name));
    std::string text = op.getMessage().str();
    text.push_back('\0');
    SmallVector<Value> args = {LLVM::createGlobalString(
        loc, rewriter, name, text, LLVM::Linkage::Internal)};
    args.push_back(arith::ConstantIntOp::create(rewriter, loc, i64,
                                                op.getValues().size()));
    for (unsigned i = 0; i < mlc::tir::AssertOp::kMaxValues; ++i)
      args.push_back(
          i < op.getValues().size()
              ? Value(arith::IndexCastOp::create(rewriter, loc, i64,
                                                 op.getValues()[i]))
              : Value(arith::ConstantIntOp::create(rewriter, loc, i64, 0)));
    LLVM::CallOp::create(rewriter, loc, callee, args);
    rewriter.eraseOp(op);
    return success();
  }
};

struct ConvertRelaxToFuncPass
    : mlc::impl::ConvertRelaxToFuncPassBase<ConvertRelaxToFuncPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // High-level ops have no lowering of their own: they go through
    // --relax-legalize. Report every one left.
    bool highLevel = false;
    module.walk([&](Operation *op) {
      if (isa<mlc::relax::RelaxDialect>(op->getDialect()) &&
          !isa<mlc::relax::DataflowOp, mlc::relax::OutputOp,
               mlc::relax::CallTIROp, mlc::relax::ConstOp,
               mlc::relax::ReshapeOp>(op)) {
        op->emitOpError() << "must be legalized to call_tir before "
                             "--convert-relax-to-func (run --relax-legalize)";
        highLevel = true;
      }
    });
    if (highLevel)
      return signalPassFailure();
    module.walk([&](mlc::tir::ComputeOp op) {
      op.emitOpError() << "must be lowered before --convert-relax-to-func "
                          "(run --convert-tir-to-linalg)";
      highLevel = true;
    });
    if (highLevel)
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalDialect<mlc::relax::RelaxDialect,
                             mlc::tir::TIRDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    mlc::populateRelaxToFuncPatterns(patterns);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlc::populateRelaxToFuncPatterns(RewritePatternSet &patterns) {
  patterns.add<InlineDataflow, CallTIRToCall, ConstToArith, ReshapeToTensor,
               TIRFuncToFunc, TIRReturnToReturn, AssertToRuntimeCall>(
      patterns.getContext());
}
