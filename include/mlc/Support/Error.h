//===- Error.h - Errors of mlc's builder APIs -------------------*- C++ -*-===//
//
// The builder APIs (te, topi, BlockBuilder) report misuse by throwing
// mlc::Error, whose message carries the MLIR diagnostics that explain it;
// the Python module turns it into mlc.MLCError.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_SUPPORT_ERROR_H
#define MLC_SUPPORT_ERROR_H

#include "mlir/IR/Diagnostics.h"

#include <stdexcept>
#include <string>

namespace mlir {
class Operation;
} // namespace mlir

namespace mlc {

/// A misuse of a builder API, or IR that failed to verify.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Collects the diagnostics emitted while it is alive (instead of printing
/// them), with their locations, for inclusion in an mlc::Error.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext *context);
  ~DiagnosticCollector();

  /// The collected diagnostics, one per line, "location: severity: text".
  const std::string &str() const { return text; }

private:
  mlir::MLIRContext *context;
  mlir::DiagnosticEngine::HandlerID handler;
  std::string text;
};

/// Verifies `op`; throws mlc::Error with `what` and the diagnostics if it
/// does not verify.
void verifyOrThrow(mlir::Operation *op, const std::string &what);

} // namespace mlc

#endif // MLC_SUPPORT_ERROR_H
