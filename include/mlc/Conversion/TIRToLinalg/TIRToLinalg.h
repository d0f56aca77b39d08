//===- TIRToLinalg.h - tir.compute to linalg.generic ------------*- C++ -*-===//

#ifndef MLC_CONVERSION_TIRTOLINALG_TIRTOLINALG_H
#define MLC_CONVERSION_TIRTOLINALG_TIRTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlc {

#define GEN_PASS_DECL_CONVERTTIRTOLINALGPASS
#include "mlc/Conversion/Passes.h.inc"

/// Adds the pattern lowering tir.compute to linalg.generic.
void populateTIRToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace mlc

#endif // MLC_CONVERSION_TIRTOLINALG_TIRTOLINALG_H
