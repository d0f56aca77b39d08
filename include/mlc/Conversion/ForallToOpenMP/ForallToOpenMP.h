//===- ForallToOpenMP.h - thread chunks to OpenMP parallel regions -*- C++ -*-===//

#ifndef MLC_CONVERSION_FORALLTOOPENMP_FORALLTOOPENMP_H
#define MLC_CONVERSION_FORALLTOOPENMP_FORALLTOOPENMP_H

#include "mlir/Pass/Pass.h"

namespace mlc {

#define GEN_PASS_DECL_CONVERTFORALLTOOPENMPPASS
#include "mlc/Conversion/Passes.h.inc"

} // namespace mlc

#endif // MLC_CONVERSION_FORALLTOOPENMP_FORALLTOOPENMP_H
