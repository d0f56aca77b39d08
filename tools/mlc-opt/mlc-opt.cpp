//===- mlc-opt.cpp - mlc's optimizer driver -------------------------------===//
//
// mlir-opt with mlc's dialects and passes: parses, verifies, runs passes and
// prints. All of MLIR's standard flags apply (--split-input-file,
// --verify-diagnostics, --mlir-print-op-generic, --pass-pipeline, ...).
//
//===----------------------------------------------------------------------===//

#include "mlc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlc::registerAllDialects(registry);
  mlc::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mlc optimizer driver\n", registry));
}
