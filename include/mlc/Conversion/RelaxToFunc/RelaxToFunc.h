//===- RelaxToFunc.h - relax graph and tir.func to func ---------*- C++ -*-===//

#ifndef MLC_CONVERSION_RELAXTOFUNC_RELAXTOFUNC_H
#define MLC_CONVERSION_RELAXTOFUNC_RELAXTOFUNC_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlc {

#define GEN_PASS_DECL_CONVERTRELAXTOFUNCPASS
#include "mlc/Conversion/Passes.h.inc"

/// Adds the patterns lowering relax.dataflow, relax.call_tir, relax.const
/// and tir.func/tir.return to the func and arith dialects.
void populateRelaxToFuncPatterns(mlir::RewritePatternSet &patterns);

} // namespace mlc

#endif // MLC_CONVERSION_RELAXTOFUNC_RELAXTOFUNC_H
