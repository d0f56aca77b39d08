//===- Passes.h - mlc's staged CPU code generator ---------------*- C++ -*-===//

#ifndef MLC_CODEGEN_PASSES_H
#define MLC_CODEGEN_PASSES_H

// Only what the declarations need (see mlc/Transforms/Passes.h).
#include "mlir/Pass/Pass.h"

namespace mlc {

#define GEN_PASS_DECL
#include "mlc/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mlc/Codegen/Passes.h.inc"

} // namespace mlc

#endif // MLC_CODEGEN_PASSES_H
