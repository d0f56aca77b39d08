//===- PrintGraph.h - relax functions as Graphviz graphs --------*- C++ -*-===//

#ifndef MLC_DIALECT_RELAX_TRANSFORMS_PRINTGRAPH_H
#define MLC_DIALECT_RELAX_TRANSFORMS_PRINTGRAPH_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlc::relax {

/// Writes graph function `function` of `module` as a DOT graph (see
/// --relax-print-graph); fails with a diagnostic when there is no such
/// graph function.
mlir::LogicalResult printGraph(mlir::ModuleOp module, llvm::StringRef function,
                               llvm::raw_ostream &os);

} // namespace mlc::relax

#endif // MLC_DIALECT_RELAX_TRANSFORMS_PRINTGRAPH_H
