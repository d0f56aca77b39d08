//===- Passes.h - mlc's conversion passes -----------------------*- C++ -*-===//

#ifndef MLC_CONVERSION_PASSES_H
#define MLC_CONVERSION_PASSES_H

#include "mlc/Conversion/ForallToOpenMP/ForallToOpenMP.h"
#include "mlc/Conversion/RelaxToFunc/RelaxToFunc.h"
#include "mlc/Conversion/TIRToLinalg/TIRToLinalg.h"

namespace mlc {

#define GEN_PASS_REGISTRATION
#include "mlc/Conversion/Passes.h.inc"

} // namespace mlc

#endif // MLC_CONVERSION_PASSES_H
