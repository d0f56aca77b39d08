//===- RelaxBase.td - Relax dialect definition --------------*- tablegen -*-===//
//
// The `relax` dialect: graph-level functions (func.func bodies) that connect
// tensor functions, as TVM's Relax does.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_RELAX_IR_RELAXBASE_TD
#define MLC_DIALECT_RELAX_IR_RELAXBASE_TD

include "mlir/IR/OpBase.td"

def Relax_Dialect : Dialect {
  let name = "relax";
  let cppNamespace = "::mlc::relax";
  let summary = "Relax: the computational graph of a model";
  let description = [{
    Graph-level ops used in `func.func` bodies: dataflow regions, calls of
    `tir.func`s (`relax.call_tir`), constants (weights) and high-level
    operators (`relax.matmul`, `relax.dense`, `relax.add`, ...) whose result
    types follow numpy/torch broadcasting. Relax values are builtin ranked
    tensors; TVM's `DynTensorType(ndim, dtype)` is a tensor with `ndim`
    dynamic dimensions.
  }];
  let dependentDialects = ["::mlc::tir::TIRDialect",
                           "::mlir::func::FuncDialect"];
  let hasConstantMaterializer = 1;
  // relax.result_structure on a func.func: how its results form the
  // Python value it returns (numbers, None, nested tuples and lists).
  let hasOperationAttrVerify = 1;
  // Attributes stay in the attribute dictionary (no properties): the
  // BlockBuilder creates ops by name from Python's attribute values, and
  // infers their result types before the op exists (InferTypeOpInterface's
  // generic entry point then needs no typed property storage).
  let usePropertiesForAttributes = 0;
  let extraClassDeclaration = [{
    /// The attribute naming how a function's results form the value it
    /// returns to Python (docs/frontend.md, "Outputs").
    static constexpr llvm::StringLiteral kResultStructure =
        "relax.result_structure";
  }];
}

class Relax_Op<string mnemonic, list<Trait> traits = []>
    : Op<Relax_Dialect, mnemonic, traits>;

#endif // MLC_DIALECT_RELAX_IR_RELAXBASE_TD
