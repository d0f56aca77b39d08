//===- InitAll.h - Registration of everything mlc uses ----------*- C++ -*-===//
//
// One place that lists the dialects, interface implementations and passes
// mlc needs, shared by mlc-opt and the Python module so that both accept the
// same IR and pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_INITALL_H
#define MLC_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlc {

/// Adds mlc's dialects, the upstream dialects the lowering uses, and their
/// external interface models (bufferization, tiling, conversion to LLVM).
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers mlc's passes and the upstream passes of the lowering pipeline
/// with the global pass registry (for textual pipelines and mlc-opt flags).
void registerAllPasses();

} // namespace mlc

#endif // MLC_INITALL_H
