//===- Error.cpp - Errors of mlc's builder APIs ---------------------------===//

#include "mlc/Support/Error.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

mlc::DiagnosticCollector::DiagnosticCollector(MLIRContext *context)
    : context(context) {
  handler = context->getDiagEngine().registerHandler([this](Diagnostic &d) {
    llvm::raw_string_ostream os(text);
    if (!text.empty())
      os << '\n';
    if (!isa<UnknownLoc>(d.getLocation()))
      os << d.getLocation() << ": ";
    switch (d.getSeverity()) {
    case DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    case DiagnosticSeverity::Note:
      os << "note: ";
      break;
    case DiagnosticSeverity::Remark:
      os << "remark: ";
      break;
    }
    os << d;
    for (Diagnostic &note : d.getNotes())
      os << "\n  note: " << note;
    return success();
  });
}

mlc::DiagnosticCollector::~DiagnosticCollector() {
  context->getDiagEngine().eraseHandler(handler);
}

void mlc::verifyOrThrow(Operation *op, const std::string &what) {
  DiagnosticCollector diagnostics(op->getContext());
  if (succeeded(verify(op)))
    return;
  throw Error(what + ":\n" + diagnostics.str());
}
