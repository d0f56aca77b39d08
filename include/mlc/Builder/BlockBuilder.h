//===- BlockBuilder.h - Builds relax graph functions ------------*- C++ -*-===//
//
// TVM's relax.BlockBuilder for mlc: builds an MLIR module of func.func graph
// functions (relax ops, dataflow blocks) and the tir.funcs they call.
//
// Relax variables are handles (Var) because TVM's API names values before
// they exist: a parameter is created before its function, and the value
// that emit_output returns exists only once the dataflow block closes. A
// Var is bound to an mlir::Value when that value exists; it holds no
// expression of its own.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_BUILDER_BLOCKBUILDER_H
#define MLC_BUILDER_BLOCKBUILDER_H

#include "mlc/TE/TE.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mlc::relax {

struct VarNode;

/// A relax variable: a function parameter (TVM's relax.Var), a constant
/// (relax.const), or the result of an emit (a DataflowVar inside a dataflow
/// block, a Var outside).
class Var {
public:
  Var() = default;
  explicit Var(std::shared_ptr<VarNode> node) : node(std::move(node)) {}

  const std::string &getName() const;
  mlir::RankedTensorType getType() const;
  bool isDataflow() const;
  bool isConstant() const;
  VarNode *get() const { return node.get(); }
  explicit operator bool() const { return static_cast<bool>(node); }

private:
  std::shared_ptr<VarNode> node;
};

/// A parameter to be bound by the function that uses it.
Var makeVar(llvm::StringRef name, mlir::RankedTensorType type);

/// A constant (a weight). Values with more than `inlineLimit` elements are
/// kept as dense_resource blobs; smaller ones print inline.
Var makeConstant(mlir::ElementsAttr value, llvm::StringRef name = "const");

/// A dense_resource constant holding a copy of `data` (the bytes of the
/// elements of `type`, in row-major order). With `releasable`, its blob is
/// freed once nothing holds it (mlc/Support/Resources.h: the Var made of
/// it, and the modules and executables a caller holds); else it lives as
/// long as the context.
mlir::ElementsAttr makeConstantData(mlir::RankedTensorType type,
                                    llvm::ArrayRef<char> data,
                                    llvm::StringRef name = "const",
                                    bool releasable = false);

/// TVM's DynTensorType(ndim, dtype) with an optional shape: the shape when
/// given, else `ndim` dynamic dimensions.
mlir::RankedTensorType
tensorType(mlir::MLIRContext *context,
           std::optional<llvm::ArrayRef<int64_t>> shape, int64_t ndim,
           mlir::Type elementType);

/// The value of an attribute of a high-level op, as a front end gives it:
/// i1, i64, f64, a string or an array of i64 in the op.
using OpAttribute =
    std::variant<bool, int64_t, double, std::string, std::vector<int64_t>>;

class BlockBuilder {
public:
  explicit BlockBuilder(mlir::MLIRContext *context);
  ~BlockBuilder();
  BlockBuilder(const BlockBuilder &) = delete;
  BlockBuilder &operator=(const BlockBuilder &) = delete;

  /// Starts function `name`. Parameters are given here or to
  /// emitFuncOutput. Throws if a function is already open.
  void beginFunction(llvm::StringRef name,
                     std::optional<std::vector<Var>> params = std::nullopt);
  /// Ends the open function, which must have had its emitFuncOutput. With
  /// `abandon`, discards it instead (an error is unwinding the scope).
  void endFunction(bool abandon = false);
  void beginDataflow();
  void endDataflow(bool abandon = false);

  /// RAII scopes: the destructor ends the scope (abandoning it when an
  /// exception is unwinding).
  class FunctionScope {
  public:
    ~FunctionScope() noexcept(false);
    FunctionScope(FunctionScope &&other) noexcept;

  private:
    friend class BlockBuilder;
    explicit FunctionScope(BlockBuilder *builder);
    BlockBuilder *builder;
    int uncaught;
  };
  class DataflowScope {
  public:
    ~DataflowScope() noexcept(false);
    DataflowScope(DataflowScope &&other) noexcept;

  private:
    friend class BlockBuilder;
    explicit DataflowScope(BlockBuilder *builder);
    BlockBuilder *builder;
    int uncaught;
  };
  [[nodiscard]] FunctionScope
  function(llvm::StringRef name,
           std::optional<std::vector<Var>> params = std::nullopt);
  [[nodiscard]] DataflowScope dataflow();

  /// Emits the high-level relax op `opName` (any op of the dialect with a
  /// shape rule: "add", "matmul", "softmax", ...; a "relax." prefix is
  /// accepted) on `args` with attributes `attrs`, its result type inferred.
  /// Throws with the op's diagnostic when it does not verify.
  Var emitOp(llvm::StringRef opName, llvm::ArrayRef<Var> args,
             llvm::ArrayRef<std::pair<std::string, OpAttribute>> attrs = {});

  /// Emits relax.reshape of `data` to `shape` (ShapedType::kDynamic for a
  /// dynamic size): merging or splitting adjacent dimensions, a view once
  /// compiled. Throws with the op's diagnostic when it does not verify.
  Var emitReshape(const Var &data, llvm::ArrayRef<int64_t> shape);

  /// emit_te in two steps, for front ends that run the te function
  /// themselves (Python): placeholders for `args`, then the call of the
  /// tir.func made from `output` (its inputs being `placeholders`).
  std::vector<te::Tensor> makePlaceholders(llvm::ArrayRef<Var> args);
  Var emitPrimFuncCall(llvm::ArrayRef<Var> args,
                       llvm::ArrayRef<te::Tensor> placeholders,
                       const te::Tensor &output, llvm::StringRef nameHint);
  /// emit_te: runs `fn` on placeholders for `args`, creates a uniquely
  /// named tir.func from its result and emits a call_tir to it.
  Var emitTe(const std::function<te::Tensor(llvm::ArrayRef<te::Tensor>)> &fn,
             llvm::ArrayRef<Var> args, llvm::StringRef nameHint);

  /// Makes `value` visible after the open dataflow block; the returned Var
  /// is bound when the block ends.
  Var emitOutput(const Var &value);
  /// Returns `outputs` from the open function; `params` lists its
  /// parameters if beginFunction did not. A non-empty `resultStructure`
  /// (JSON, see RelaxDialect::kResultStructure) says how the results form
  /// the value the function returns to Python; the function is verified
  /// with it.
  void emitFuncOutput(llvm::ArrayRef<Var> outputs,
                      std::optional<std::vector<Var>> params = std::nullopt,
                      llvm::StringRef resultStructure = "");

  /// A copy of the module built so far; throws while a function is open.
  mlir::OwningOpRef<mlir::ModuleOp> get();

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace mlc::relax

#endif // MLC_BUILDER_BLOCKBUILDER_H
