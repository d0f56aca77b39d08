//===- TestContext.h - A context with mlc's dialects for gtests -*- C++ -*-===//

#ifndef MLC_UNITTESTS_TESTCONTEXT_H
#define MLC_UNITTESTS_TESTCONTEXT_H

#include "mlc/InitAll.h"
#include "mlc/TE/TE.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>

namespace mlc::testing {

inline mlir::DialectRegistry makeRegistry() {
  mlir::DialectRegistry registry;
  mlc::registerAllDialects(registry);
  return registry;
}

/// A context with mlc's dialects loaded and a te workspace on it.
class MLCTest : public ::testing::Test {
protected:
  MLCTest() : context(makeRegistry()), workspace(&context) {
    context.loadAllAvailableDialects();
  }
  mlir::Type f32() { return mlir::Float32Type::get(&context); }

  mlir::MLIRContext context;
  mlc::te::Workspace workspace;
};

/// Prints `op` in the pretty form.
inline std::string print(mlir::Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  op->print(os);
  return s;
}

/// Whether `needles` occur in `text` in order.
inline ::testing::AssertionResult
containsInOrder(const std::string &text,
                std::initializer_list<std::string> needles) {
  size_t pos = 0;
  for (const std::string &needle : needles) {
    size_t found = text.find(needle, pos);
    if (found == std::string::npos)
      return ::testing::AssertionFailure()
             << "'" << needle << "' not found after offset " << pos
             << " in:\n"
             << text;
    pos = found + needle.size();
  }
  return ::testing::AssertionSuccess();
}

} // namespace mlc::testing

#endif // MLC_UNITTESTS_TESTCONTEXT_H
