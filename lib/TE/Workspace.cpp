//===- Workspace.cpp - The staging area of te programs --------------------===//

#include "Detail.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlc::te;

namespace {
thread_local Workspace *currentWorkspace = nullptr;
} // namespace

void mlc::te::fail(const llvm::Twine &message) {
  throw mlc::Error(message.str());
}

Location mlc::te::nameLoc(MLIRContext *context, StringRef name) {
  return NameLoc::get(StringAttr::get(context, name));
}

Workspace::Workspace(MLIRContext *context)
    : context(context), builder(context), impl(std::make_unique<Impl>()),
      previous(currentWorkspace) {
  context->getOrLoadDialect<mlc::tir::TIRDialect>();
  impl->staging = new Block();
  builder.setInsertionPointToEnd(impl->staging);
  currentWorkspace = this;
}

Workspace::~Workspace() {
  currentWorkspace = previous;
  // Ops of the staging block use its arguments and each other: drop every
  // reference before destroying them.
  impl->staging->dropAllReferences();
  impl->staging->dropAllDefinedValueUses();
  delete impl->staging;
}

Workspace &Workspace::current() {
  if (!currentWorkspace)
    fail("no te workspace: create an mlc::te::Workspace first");
  return *currentWorkspace;
}

Type mlc::te::parseDType(MLIRContext *context, StringRef dtype) {
  Builder b(context);
  Type type = llvm::StringSwitch<Type>(dtype)
                  .Case("float16", b.getF16Type())
                  .Case("bfloat16", b.getBF16Type())
                  .Case("float32", b.getF32Type())
                  .Case("float64", b.getF64Type())
                  .Case("int8", b.getI8Type())
                  .Case("int16", b.getI16Type())
                  .Case("int32", b.getI32Type())
                  .Case("int64", b.getI64Type())
                  .Case("uint8", b.getIntegerType(8, /*isSigned=*/false))
                  .Case("bool", b.getI1Type())
                  .Default(Type());
  if (!type)
    fail("unknown dtype '" + dtype +
         "' (expected float16, bfloat16, float32, float64, int8, int16, "
         "int32, int64, uint8 or bool)");
  return type;
}

std::string mlc::te::dtypeName(Type type) {
  if (type.isF16())
    return "float16";
  if (type.isBF16())
    return "bfloat16";
  if (type.isF32())
    return "float32";
  if (type.isF64())
    return "float64";
  if (type.isInteger(1))
    return "bool";
  if (auto intType = dyn_cast<IntegerType>(type))
    return (intType.isUnsigned() ? "uint" : "int") +
           std::to_string(intType.getWidth());
  if (type.isIndex())
    return "index";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

std::string mlc::te::describeName(Workspace &ws, Value value) {
  auto it = ws.getImpl().names.find(value);
  if (it != ws.getImpl().names.end())
    return "'" + it->second + "'";
  return "a value";
}
