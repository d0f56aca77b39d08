//===- Passes.h - tir transformations ---------------------------*- C++ -*-===//

#ifndef MLC_DIALECT_TIR_TRANSFORMS_PASSES_H
#define MLC_DIALECT_TIR_TRANSFORMS_PASSES_H

#include "mlc/Dialect/TIR/IR/TIR.h"

#include "mlir/Pass/Pass.h"

namespace mlc::tir {

#define GEN_PASS_DECL
#include "mlc/Dialect/TIR/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mlc/Dialect/TIR/Transforms/Passes.h.inc"

} // namespace mlc::tir

#endif // MLC_DIALECT_TIR_TRANSFORMS_PASSES_H
