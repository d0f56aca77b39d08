//===- Passes.h - mlc's transformations of upstream IR ----------*- C++ -*-===//

#ifndef MLC_TRANSFORMS_PASSES_H
#define MLC_TRANSFORMS_PASSES_H

// Only what the declarations need: each pass's .cpp includes the dialects
// it works on (Linalg's headers alone cost every includer ~20 s to compile).
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlc {

#define GEN_PASS_DECL
#include "mlc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mlc/Transforms/Passes.h.inc"

/// The module attribute in which --mlc-externalize-constants records the
/// blobs of the globals it made external (symbol -> dense_resource).
inline constexpr llvm::StringLiteral kExternalConstantsAttr =
    "mlc.external_constants";

/// The attribute of a function naming the identical functions that
/// --mlc-deduplicate-functions replaced with it.
inline constexpr llvm::StringLiteral kAliasesAttr = "mlc.aliases";

/// Adds the pattern of --mlc-elementwise-in-place.
void populateElementwiseInPlacePatterns(mlir::RewritePatternSet &patterns);

} // namespace mlc

#endif // MLC_TRANSFORMS_PASSES_H
