//===- Executable.cpp - JIT-compiled mlc modules --------------------------===//

#include "mlc/Runtime/Executable.h"
#include "mlc/Runtime/PartitionedJIT.h"

#include "mlc/Dialect/Relax/IR/Relax.h"
#include "mlc/Dialect/TIR/IR/TIR.h"
#include "mlc/Pipelines/Pipelines.h"
#include "mlc/Runtime/RuntimeCore.h"
#include "mlc/Support/Error.h"
#include "mlc/TE/TE.h"

#include "mlc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/TargetSelect.h"

#include <cstring>
#include <limits>
#include <mutex>
#include <thread>

using namespace mlir;
using namespace mlc::runtime;

// libgcc's run-time helpers that LLVM's code may call. Declared without
// their real types (_Float16 has none in C++17): only their addresses are
// taken, for the JIT's symbol table.
extern "C" {
void __truncdfhf2();
void __truncsfhf2();
void __extendhfsf2();
void __extendhfdf2();
void __powisf2();
void __powidf2();
}

namespace {

[[noreturn]] void fail(const llvm::Twine &message) {
  throw mlc::Error(message.str());
}

TensorInfo describe(Type type, std::string name, bool isOutput = false) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    fail("the runtime passes ranked tensors only, not " +
         [&] {
           std::string s;
           llvm::raw_string_ostream os(s);
           os << type;
           return s;
         }());
  TensorInfo info;
  info.name = std::move(name);
  info.dtype = mlc::te::dtypeName(tensor.getElementType());
  for (int64_t size : tensor.getShape())
    info.shape.push_back(ShapedType::isDynamic(size) ? -1 : size);
  info.isOutput = isOutput;
  return info;
}

std::string argName(Block &entry, unsigned i) {
  if (auto loc = dyn_cast<NameLoc>(entry.getArgument(i).getLoc()))
    return loc.getName().str();
  return "arg" + std::to_string(i);
}

/// The signatures of the functions a caller can call: graph functions and
/// tir.funcs, as written (before lowering).
std::vector<FunctionInfo> collectSignatures(ModuleOp module) {
  std::vector<FunctionInfo> infos;
  for (Operation &op : *module.getBody()) {
    FunctionInfo info;
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      if (func.isExternal())
        continue;
      info.name = func.getSymName().str();
      for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
        info.params.push_back(describe(type, argName(func.front(), i)));
      for (Type type : func.getResultTypes())
        info.results.push_back(describe(type, "result"));
      if (auto structure = func->getAttrOfType<StringAttr>(
              mlc::relax::RelaxDialect::kResultStructure))
        info.resultStructure = structure.str();
    } else if (auto func = dyn_cast<mlc::tir::FuncOp>(op)) {
      info.name = func.getSymName().str();
      info.isPrimFunc = true;
      for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
        info.params.push_back(describe(type, argName(func.getBody().front(), i),
                                       func.isOutputArgument(i)));
      for (Type type : func.getResultTypes())
        info.results.push_back(describe(type, "result"));
    } else {
      continue;
    }
    info.compiledName = info.name;
    info.collectInputs();
    infos.push_back(std::move(info));
  }
  return infos;
}

/// Whether `type` has a static shape whose byte size does not fit in
/// int64: the generated code's size arithmetic would wrap (a buffer of a
/// few bytes for a tensor of 2^67).
bool overflowsBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank() || !shaped.getElementType().isIntOrFloat())
    return false;
  uint64_t bytes = (shaped.getElementTypeBitWidth() + 7) / 8;
  for (int64_t size : shaped.getShape())
    if (!ShapedType::isDynamic(size) &&
        __builtin_mul_overflow(bytes, uint64_t(size), &bytes))
      return true;
  return bytes > uint64_t(std::numeric_limits<int64_t>::max());
}

/// Refuses values whose static size cannot be allocated at all, naming the
/// op that makes them.
void checkStaticSizes(ModuleOp module) {
  module.walk([](Operation *op) {
    for (Type type : op->getResultTypes())
      if (overflowsBytes(type)) {
        std::string text;
        llvm::raw_string_ostream os(text);
        os << "'" << op->getName() << "' at " << op->getLoc() << " makes a "
           << type << " of 2^63 bytes or more, which no buffer can hold";
        fail(text);
      }
  });
}

void initializeLLVM() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// A ranked memref descriptor: allocated, aligned, offset, sizes, strides.
size_t descriptorWords(size_t rank) { return 3 + 2 * rank; }

} // namespace

size_t TensorInfo::elementSize() const {
  if (dtype == "bool" || dtype == "int8" || dtype == "uint8")
    return 1;
  if (dtype == "int16" || dtype == "float16" || dtype == "bfloat16")
    return 2;
  if (dtype == "int32" || dtype == "float32")
    return 4;
  return 8;
}

void FunctionInfo::collectInputs() {
  inputParams.clear();
  for (const TensorInfo &param : params)
    if (!param.isOutput)
      inputParams.push_back(param);
}

Executable::~Executable() = default;

std::unique_ptr<Executable> Executable::compile(ModuleOp module,
                                                const CompileOptions &options) {
  MLIRContext *ctx = module.getContext();
  mlc::DiagnosticCollector diagnostics(ctx);
  mlc::verifyOrThrow(module, "the module does not verify");
  checkStaticSizes(module);
  if (failed(mlc::checkResourcesPresent(module)))
    fail("the module's constants are incomplete:\n" + diagnostics.str());
  std::unique_ptr<Executable> exe(new Executable());
  exe->infos = collectSignatures(module);
  if (exe->infos.empty())
    fail("the module has no function to compile");

  OwningOpRef<ModuleOp> work(cast<ModuleOp>(module->clone()));
  // Read into the signatures; lowering keeps discardable attributes on
  // ops that no longer are what the attribute describes.
  for (auto func : work->getOps<func::FuncOp>())
    func->removeAttr(mlc::relax::RelaxDialect::kResultStructure);
  mlc::LowerToLLVMOptions pipelineOptions;
  pipelineOptions.fuse = options.fuse;
  unsigned threads = options.threads ? options.threads
                                     : std::max(1u, std::thread::hardware_concurrency());
  pipelineOptions.threads = threads;
  // Weights stay out of LLVM: the JIT binds their globals to the blobs.
  pipelineOptions.externalizeConstants = true;
  PassManager toFunc(ctx);
  mlc::buildLowerToFuncPipeline(toFunc, pipelineOptions);
  if (failed(toFunc.run(*work)))
    fail("lowering to func failed:\n" + diagnostics.str());
  // Every function stays callable (tir.funcs became private), under its
  // symbol in compiled code (symbolOf: never a C library function's name);
  // one that was identical to another runs the other's code.
  llvm::StringMap<std::string> keptFor;
  for (auto func : work->getOps<func::FuncOp>())
    if (auto aliases = func->getAttrOfType<ArrayAttr>(mlc::kAliasesAttr))
      for (Attribute alias : aliases)
        keptFor[cast<StringAttr>(alias).getValue()] = func.getName().str();
  for (FunctionInfo &info : exe->infos) {
    auto kept = keptFor.find(info.name);
    info.compiledName = kept == keptFor.end() ? info.name : kept->second;
  }
  SymbolTable symbols(*work);
  for (auto func : llvm::make_early_inc_range(work->getOps<func::FuncOp>())) {
    func.setPublic();
    if (func.isDeclaration())
      continue;
    auto symbol = StringAttr::get(ctx, Executable::symbolOf(func.getName()));
    if (failed(symbols.rename(func, symbol)))
      fail("cannot rename function '" + func.getName().str() + "'");
  }
  PassManager toLLVM(ctx);
  mlc::buildFuncToLLVMPipeline(toLLVM, pipelineOptions);
  if (failed(toLLVM.run(*work)))
    fail("lowering to LLVM failed:\n" + diagnostics.str());

  exe->lowered = std::move(work);
  exe->collectExternalConstants();

  initializeLLVM();
  registerBuiltinDialectTranslation(*ctx);
  registerLLVMDialectTranslation(*ctx);
  registerOpenMPDialectTranslation(*ctx);
  ExecutionEngineOptions engineOptions;
  // Parallel loops call the OpenMP runtime.
  std::vector<llvm::StringRef> libraries;
  if (threads > 1)
    libraries.push_back(MLC_LIBOMP_PATH);
  engineOptions.sharedLibPaths = libraries;
  // engineOptions.transformer is a function_ref: the std::function it
  // refers to must outlive ExecutionEngine::create.
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0,
                                /*targetMachine=*/nullptr);
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(std::min(options.optLevel, 3u));
  // What the generated code calls: run-time requirements and allocation
  // (lib/Runtime/RuntimeCore.c, linked into this library), and the
  // weights.
  auto bind = [&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("mlc_check_failed", &mlc_check_failed);
    add("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
    add("_mlir_memref_to_llvm_aligned_alloc",
        &_mlir_memref_to_llvm_aligned_alloc);
    add("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
    // libgcc's helpers for what x86 has no instruction for (f64 -> f16).
    // The process has libgcc_s, but loaded locally, out of the JIT's sight.
    add("__truncdfhf2", &__truncdfhf2);
    add("__truncsfhf2", &__truncsfhf2);
    add("__extendhfsf2", &__extendhfsf2);
    add("__extendhfdf2", &__extendhfdf2);
    add("__powisf2", &__powisf2);
    add("__powidf2", &__powidf2);
    for (const ExternalConstant &constant : exe->externalConstants)
      symbols[interner(constant.symbol)] = {
          llvm::orc::ExecutorAddr::fromPtr(constant.data),
          llvm::JITSymbolFlags::Exported};
    return symbols;
  };
  // LLVM's optimization and code generation on every core, the kernels
  // split into parts (lib/Runtime/PartitionedJIT.cpp).
  unsigned parts =
      options.compileThreads
          ? options.compileThreads
          : std::max(1u, std::thread::hardware_concurrency());
  auto engines =
      compilePartitioned(*exe->lowered, engineOptions, bind, parts);
  if (!engines)
    fail("JIT compilation failed: " + llvm::toString(engines.takeError()) +
         "\n" + diagnostics.str());
  exe->engines = std::move(*engines);
  ExecutionEngine *engine = exe->engines.callers.get();
  // A tir.func that fusion folded into its callers has no entry point: it
  // is not a function of the executable.
  std::vector<FunctionInfo> compiled;
  for (FunctionInfo &info : exe->infos) {
    std::string symbol = symbolOf(info.compiledName);
    if (!exe->lowered->lookupSymbol("_mlir_ciface_" + symbol))
      continue;
    auto entry = engine->lookupPacked("_mlir_ciface_" + symbol);
    if (!entry)
      fail("JIT compilation of '" + info.name +
           "' failed: " + llvm::toString(entry.takeError()));
    exe->entryPoints.push_back(*entry);
    compiled.push_back(std::move(info));
  }
  exe->infos = std::move(compiled);
  exe->resources = mlc::ResourceHold(exe->lowered.get());
  exe->options = options;
  exe->options.threads = threads;
  return exe;
}

void Executable::collectExternalConstants() {
  auto blobs = (*lowered)->getAttrOfType<DictionaryAttr>(
      mlc::kExternalConstantsAttr);
  if (!blobs)
    return;
  for (NamedAttribute entry : blobs) {
    auto resource = cast<DenseResourceElementsAttr>(entry.getValue());
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    auto global = lowered->lookupSymbol<LLVM::GlobalOp>(entry.getName());
    if (!blob || !global)
      fail("the external constant '" + entry.getName().str() +
           "' has no data or no global");
    ArrayRef<char> data = blob->getData();
    // LLVM may give loads of the global its declared alignment.
    uint64_t alignment = std::max<uint64_t>(global.getAlignment().value_or(1),
                                            alignof(std::max_align_t));
    const char *bytes = data.data();
    if (reinterpret_cast<uintptr_t>(bytes) % alignment != 0) {
      size_t rounded = (data.size() + alignment - 1) / alignment * alignment;
      char *copy = static_cast<char *>(std::aligned_alloc(alignment, rounded));
      if (!copy)
        fail("out of memory copying the constant '" + entry.getName().str() +
             "'");
      std::memcpy(copy, bytes, data.size());
      alignedCopies.emplace_back(copy);
      bytes = copy;
    }
    externalConstants.push_back(
        {entry.getName().str(), bytes, data.size(), alignment});
  }
}

const FunctionInfo &Executable::function(const std::string &name) const {
  for (const FunctionInfo &info : infos)
    if (info.name == name)
      return info;
  std::string names;
  for (const FunctionInfo &info : infos)
    names += (names.empty() ? "" : ", ") + info.name;
  fail("no function named '" + name + "' (the executable has: " + names +
       ")");
}

std::vector<OwnedBuffer> Executable::call(const std::string &name,
                                          const std::vector<BufferView> &args) {
  return call(function(name), args);
}

std::vector<OwnedBuffer> Executable::call(const FunctionInfo &info,
                                          const std::vector<BufferView> &args) {
  if (&info < infos.data() || &info >= infos.data() + infos.size())
    fail("calling " + info.name + ": not a function of this executable");
  const std::string &name = info.name;
  const std::vector<TensorInfo> &inputs = info.inputs();
  if (args.size() != inputs.size())
    fail(name + " takes " + llvm::Twine(inputs.size()) + " inputs, got " +
         llvm::Twine(args.size()));

  // Input descriptors over the caller's memory (small vectors: no heap
  // allocation on the latency path of small ranks).
  llvm::SmallVector<llvm::SmallVector<int64_t, 11>, 4> descriptors;
  for (auto [i, arg] : llvm::enumerate(args)) {
    const TensorInfo &param = inputs[i];
    if (arg.shape.size() != param.shape.size())
      fail(name + ": argument #" + llvm::Twine(i) + " '" + param.name +
           "' has rank " + llvm::Twine(arg.shape.size()) +
           " but the function takes rank " + llvm::Twine(param.shape.size()));
    for (size_t d = 0; d < arg.shape.size(); ++d)
      if (param.shape[d] >= 0 && param.shape[d] != arg.shape[d])
        fail(name + ": argument #" + llvm::Twine(i) + " '" + param.name +
             "' has size " + llvm::Twine(arg.shape[d]) + " in dimension " +
             llvm::Twine(d) + " but the function takes " +
             llvm::Twine(param.shape[d]));
    llvm::SmallVector<int64_t, 11> desc;
    desc.push_back(reinterpret_cast<int64_t>(arg.data));
    desc.push_back(reinterpret_cast<int64_t>(arg.data));
    desc.push_back(0);
    desc.insert(desc.end(), arg.shape.begin(), arg.shape.end());
    desc.insert(desc.end(), arg.strides.begin(), arg.strides.end());
    descriptors.push_back(std::move(desc));
  }

  // Results: consecutive descriptors in one struct, passed first.
  size_t resultWords = 0;
  for (const TensorInfo &result : info.results)
    resultWords += descriptorWords(result.shape.size());
  llvm::SmallVector<int64_t, 16> resultStorage(
      std::max<size_t>(resultWords, 1), 0);

  llvm::SmallVector<void *, 8> pointers;
  if (!info.results.empty())
    pointers.push_back(resultStorage.data());
  for (auto &desc : descriptors)
    pointers.push_back(desc.data());
  llvm::SmallVector<void *, 8> packed;
  for (void *&pointer : pointers)
    packed.push_back(&pointer);
  if (mlc_invoke(entryPoints[&info - infos.data()], packed.data()) != 0)
    fail(name + ": " + mlc_last_error());

  std::vector<OwnedBuffer> results;
  const int64_t *word = resultStorage.data();
  for (const TensorInfo &result : info.results) {
    size_t rank = result.shape.size();
    OwnedBuffer buffer;
    buffer.allocated = reinterpret_cast<void *>(word[0]);
    auto *aligned = reinterpret_cast<char *>(word[1]);
    buffer.data = aligned + word[2] * result.elementSize();
    buffer.shape.assign(word + 3, word + 3 + rank);
    buffer.strides.assign(word + 3 + rank, word + 3 + 2 * rank);
    for (auto [j, earlier] : llvm::enumerate(results))
      if (buffer.allocated && earlier.allocated == buffer.allocated) {
        buffer.allocated = nullptr; // freed once, by its first owner
        buffer.sharedWith = int(j);
        break;
      }
    results.push_back(std::move(buffer));
    word += descriptorWords(rank);
  }
  return results;
}
