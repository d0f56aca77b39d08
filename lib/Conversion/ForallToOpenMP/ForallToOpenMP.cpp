//===- ForallToOpenMP.cpp - thread chunks to OpenMP parallel regions ------===//
//
// mlc splits work across threads as a one-dimensional scf.forall with one
// iteration per thread. Upstream lowers that through scf.parallel to an
// omp.parallel around an omp.wsloop, whose static schedule costs a call to
// __kmpc_for_static_init per thread and region; in Debian's libomp (built
// with KMP_DEBUG) that call formats a trace string every time, about 0.7 us
// of a 1.3 us region. Here each thread instead steps through the forall's
// iterations from its own thread number, which is all a one-chunk-per-
// thread loop needs. The numbers come from libomp's
// __kmpc_bound_thread_num and __kmpc_bound_num_threads (its own entry points,
// like the __kmpc_fork_call the region becomes), not omp_get_thread_num: a
// process that has loaded libgomp too (PyTorch does) may resolve that name
// to libgomp, which knows nothing of libomp's team and answers 0 of 1.
//
//===----------------------------------------------------------------------===//

#include "mlc/Conversion/ForallToOpenMP/ForallToOpenMP.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlc {
#define GEN_PASS_DEF_CONVERTFORALLTOOPENMPPASS
#include "mlc/Conversion/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// The declaration of libomp's `kmp_int32 name(ident_t *)` (the source
/// location argument is unused, and passed null).
func::FuncOp declareRuntimeQuery(ModuleOp module, StringRef name) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  auto type = builder.getFunctionType(
      {LLVM::LLVMPointerType::get(builder.getContext())},
      {builder.getI32Type()});
  auto func = func::FuncOp::create(builder, module.getLoc(), name, type);
  func.setPrivate();
  return func;
}

struct ConvertForallToOpenMPPass
    : mlc::impl::ConvertForallToOpenMPPassBase<ConvertForallToOpenMPPass> {
  using ConvertForallToOpenMPPassBase::ConvertForallToOpenMPPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ForallOp> foralls;
    module.walk([&](scf::ForallOp op) { foralls.push_back(op); });
    if (foralls.empty())
      return;
    for (scf::ForallOp forall : foralls)
      if (forall.getRank() != 1 || !forall.getOutputs().empty() ||
          forall.getMapping()) {
        forall.emitOpError("must be one-dimensional, on buffers (no shared "
                           "outputs) and without a device mapping to become "
                           "an OpenMP parallel region");
        return signalPassFailure();
      }
    func::FuncOp threadNum =
        declareRuntimeQuery(module, "__kmpc_bound_thread_num");
    func::FuncOp numThreads =
        declareRuntimeQuery(module, "__kmpc_bound_num_threads");
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp forall : foralls)
      convert(rewriter, forall, threadNum, numThreads);
  }

  /// forall (%i) = (lb) to (ub) step (s) { body }  becomes
  ///   omp.parallel num_threads(threads) {
  ///     scf.for %i = lb + s * thread to ub step s * nthreads { body }
  ///   }
  void convert(IRRewriter &rewriter, scf::ForallOp forall,
               func::FuncOp threadNum, func::FuncOp numThreads) {
    Location loc = forall.getLoc();
    rewriter.setInsertionPoint(forall);
    Value lb = getValueOrCreateConstantIndexOp(
        rewriter, loc, forall.getMixedLowerBound().front());
    Value ub = getValueOrCreateConstantIndexOp(
        rewriter, loc, forall.getMixedUpperBound().front());
    Value step = getValueOrCreateConstantIndexOp(
        rewriter, loc, forall.getMixedStep().front());
    omp::ParallelOperands clauses;
    if (threads > 0)
      clauses.numThreads = arith::ConstantIntOp::create(
          rewriter, loc, rewriter.getI32Type(), threads);
    auto parallel = omp::ParallelOp::create(rewriter, loc, clauses);
    Block *region = rewriter.createBlock(&parallel.getRegion());
    rewriter.setInsertionPointToStart(region);
    Value noLocation = LLVM::ZeroOp::create(
        rewriter, loc, LLVM::LLVMPointerType::get(rewriter.getContext()));
    auto indexOf = [&](func::FuncOp query) -> Value {
      Value value = func::CallOp::create(rewriter, loc, query, noLocation)
                        .getResult(0);
      return arith::IndexCastOp::create(rewriter, loc,
                                        rewriter.getIndexType(), value);
    };
    Value thread = indexOf(threadNum);
    Value count = indexOf(numThreads);
    Value first = arith::AddIOp::create(
        rewriter, loc, lb, arith::MulIOp::create(rewriter, loc, step, thread));
    Value stride = arith::MulIOp::create(rewriter, loc, step, count);
    auto loop = scf::ForOp::create(rewriter, loc, first, ub, stride);
    omp::TerminatorOp::create(rewriter, loc);

    // The chunk's body, less its (empty) in_parallel terminator.
    Block *body = forall.getBody();
    rewriter.eraseOp(body->getTerminator());
    rewriter.inlineBlockBefore(body, loop.getBody()->getTerminator(),
                               {loop.getInductionVar()});
    rewriter.eraseOp(forall);
  }
};

} // namespace
