//===- ExportLibrary.cpp - Compiled modules as shared libraries -----------===//
//
// The JIT's module, compiled ahead of time: LLVM IR from the LLVM dialect,
// optimized for the host CPU, emitted as a position-independent object and
// linked by the system C compiler (cc) into a shared library that needs
// only libc and libm.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Executable.h"

#include "mlc/Support/Error.h"

#include "RuntimeCoreSource.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlc::runtime;

namespace {

[[noreturn]] void fail(const llvm::Twine &message) {
  throw mlc::Error(message.str());
}

llvm::json::Object tensorJson(const TensorInfo &t) {
  return llvm::json::Object{{"name", t.name},
                            {"dtype", t.dtype},
                            {"shape", llvm::json::Array(t.shape)},
                            {"is_output", t.isOutput}};
}

/// The signatures, as the loader reads them.
std::string metadataJson(const std::vector<FunctionInfo> &functions) {
  llvm::json::Array list;
  for (const FunctionInfo &info : functions) {
    llvm::json::Array params, results;
    for (const TensorInfo &p : info.params)
      params.push_back(tensorJson(p));
    for (const TensorInfo &r : info.results)
      results.push_back(tensorJson(r));
    list.push_back(llvm::json::Object{{"name", info.name},
                                      {"entry", Executable::packedEntryOf(info.compiledName)},
                                      {"is_prim_func", info.isPrimFunc},
                                      {"result_structure", info.resultStructure},
                                      {"params", std::move(params)},
                                      {"results", std::move(results)}});
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(
      llvm::json::Object{{"format", 2}, {"functions", std::move(list)}});
  return text;
}

/// A new temporary file `<prefix>-*.<suffix>` that `write` filled (removed
/// again if writing fails).
llvm::SmallString<128>
writeTemporary(llvm::StringRef prefix, llvm::StringRef suffix,
               llvm::function_ref<void(llvm::raw_fd_ostream &)> write) {
  llvm::SmallString<128> path;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile(prefix, suffix, path))
    fail("export_library: cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeOnError(path);
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
    if (ec)
      fail("export_library: " + ec.message());
    write(out);
  }
  removeOnError.releaseFile();
  return path;
}

/// Adds `void _mlir_<f>(void **args)` for each C interface `f`
/// (`_mlir_ciface_<name>`), as MLIR's ExecutionEngine does for the JIT:
/// mlc_invoke calls entry points of this one shape, whatever their arity.
void addPackedWrappers(llvm::Module &module) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  std::vector<llvm::Function *> interfaces;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && f.getName().starts_with("_mlir_ciface_"))
      interfaces.push_back(&f);
  for (llvm::Function *f : interfaces) {
    auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr},
                                         /*isVarArg=*/false);
    auto *wrapper =
        llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                               "_mlir_" + f->getName(), module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
    llvm::Value *args = wrapper->getArg(0);
    std::vector<llvm::Value *> operands;
    for (auto [i, param] : llvm::enumerate(f->args())) {
      llvm::Value *slot = b.CreateLoad(
          ptr, b.CreateConstGEP1_64(ptr, args, i));
      operands.push_back(b.CreateLoad(param.getType(), slot));
    }
    llvm::Value *result = b.CreateCall(f, operands);
    if (!f->getReturnType()->isVoidTy())
      b.CreateStore(result,
                    b.CreateLoad(ptr, b.CreateConstGEP1_64(
                                          ptr, args, f->arg_size())));
    b.CreateRetVoid();
  }
}

} // namespace

void Executable::exportLibrary(const std::string &path) const {
  mlir::ModuleOp module = *lowered;
  mlir::registerBuiltinDialectTranslation(*module.getContext());
  mlir::registerLLVMDialectTranslation(*module.getContext());
  mlir::registerOpenMPDialectTranslation(*module.getContext());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, llvmContext, "mlc");
  if (!llvmModule)
    fail("export_library: translation to LLVM IR failed");

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    fail("export_library: " + llvm::toString(builder.takeError()));
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeGenOptLevel(
      static_cast<llvm::CodeGenOptLevel>(std::min(options.optLevel, 3u)));
  auto machine = builder->createTargetMachine();
  if (!machine)
    fail("export_library: " + llvm::toString(machine.takeError()));
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  addPackedWrappers(*llvmModule);
  if (llvm::Error error = mlir::makeOptimizingTransformer(
          options.optLevel, 0, machine->get())(llvmModule.get()))
    fail("export_library: " + llvm::toString(std::move(error)));

  // const char *mlc_metadata = "<json>";
  llvm::Constant *text = llvm::ConstantDataArray::getString(
      llvmContext, metadataJson(infos), /*AddNull=*/true);
  auto *data = new llvm::GlobalVariable(
      *llvmModule, text->getType(), /*isConstant=*/true,
      llvm::GlobalValue::PrivateLinkage, text, "mlc_metadata_text");
  auto *pointerType = llvm::PointerType::getUnqual(llvmContext);
  new llvm::GlobalVariable(*llvmModule, pointerType, /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, data,
                           "mlc_metadata");

  // An object file of `m` for the host, in a temporary file.
  auto emitObject = [&](llvm::Module &m, llvm::StringRef stem) {
    return writeTemporary(stem, "o", [&](llvm::raw_fd_ostream &out) {
      llvm::legacy::PassManager pm;
      if ((*machine)->addPassesToEmitFile(pm, out, nullptr,
                                          llvm::CodeGenFileType::ObjectFile))
        fail("export_library: the target cannot emit object files");
      pm.run(m);
    });
  };
  llvm::SmallString<128> object = emitObject(*llvmModule, "mlc-export");
  llvm::FileRemover removeObject(object);
  // The weights (--mlc-externalize-constants) in an object of their own,
  // emitted as bytes without passing through the optimizer.
  llvm::Module constants("mlc-constants", llvmContext);
  constants.setDataLayout((*machine)->createDataLayout());
  constants.setTargetTriple((*machine)->getTargetTriple());
  for (const ExternalConstant &constant : externalConstants) {
    llvm::Constant *bytes = llvm::ConstantDataArray::getRaw(
        llvm::StringRef(constant.data, constant.size), constant.size,
        llvm::Type::getInt8Ty(llvmContext));
    auto *global = new llvm::GlobalVariable(
        constants, bytes->getType(), /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, bytes, constant.symbol);
    global->setAlignment(llvm::Align(constant.alignment));
    global->setVisibility(llvm::GlobalValue::HiddenVisibility);
  }
  llvm::SmallString<128> constantsObject =
      emitObject(constants, "mlc-constants");
  llvm::FileRemover removeConstantsObject(constantsObject);
  // The run-time core (mlc_invoke, checks, allocation), compiled into the
  // library from the text embedded in mlc.
  llvm::SmallString<128> core = writeTemporary(
      "mlc-runtime", "c", [](llvm::raw_fd_ostream &out) { out << kEmbeddedText; });
  llvm::FileRemover removeCore(core);

  llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    fail("export_library: no C compiler (cc) on PATH to link the library");
  std::string message;
  llvm::SmallVector<llvm::StringRef> args = {
      *cc, "-shared", "-fPIC", "-O2", "-std=c11", "-o", path, object, constantsObject, core,
      "-lm"};
  // Parallel loops need LLVM's OpenMP runtime, found where it is installed.
  std::string rpath;
  if (options.threads > 1) {
    llvm::StringRef dir = llvm::sys::path::parent_path(MLC_LIBOMP_PATH);
    rpath = ("-Wl,-rpath," + dir).str();
    args.push_back(MLC_LIBOMP_PATH);
    args.push_back(rpath);
  }
  int status = llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0,
                                         &message);
  if (status != 0)
    fail("export_library: linking " + path + " failed (" + *cc +
         " exited with " + llvm::Twine(status) + ") " + message);
}
