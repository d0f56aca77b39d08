//===- TIRBase.td - TensorIR dialect definition -------------*- tablegen -*-===//
//
// The `tir` dialect holds tensor-level functions written in the style of
// TVM's tensor expressions (te): each `tir.compute` defines one tensor by a
// scalar body evaluated at every output index.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_TIR_IR_TIRBASE_TD
#define MLC_DIALECT_TIR_IR_TIRBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def TIR_Dialect : Dialect {
  let name = "tir";
  let cppNamespace = "::mlc::tir";
  let summary = "TensorIR: tensor functions made of te-style compute ops";
  let description = [{
    The `tir` dialect is mlc's counterpart of TVM's TensorIR `PrimFunc`s as
    produced by `te.create_prim_func`. A `tir.func` holds a sequence of
    `tir.compute` ops; each defines one tensor element-wise or as a reduction
    over extra axes. Values are tensors (SSA, no buffers): an intermediate
    that is not returned is a temporary, and bufferization later decides
    where it lives.
  }];
  // Bodies use arith/math for scalars, scf.if for guarded reads and
  // tensor.dim for symbolic sizes.
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the unit argument attribute marking a tir.func output
    /// argument (a destination the caller passes, TVM's output buffer).
    static ::llvm::StringRef getOutputAttrName() { return "tir.output"; }
  }];
}

class TIR_Op<string mnemonic, list<Trait> traits = []>
    : Op<TIR_Dialect, mnemonic, traits>;

def TIR_ReductionKind : I32EnumAttr<"ReductionKind",
    "how a tir.compute combines the values of its reduction axes", [
      I32EnumAttrCase<"Sum", 0, "sum">,
      I32EnumAttrCase<"Max", 1, "max">,
      I32EnumAttrCase<"Min", 2, "min">,
      I32EnumAttrCase<"Prod", 3, "prod">,
      // Unsigned integers order differently from signed ones of the same
      // (signless) bits: their max/min say so.
      I32EnumAttrCase<"UMax", 4, "umax">,
      I32EnumAttrCase<"UMin", 5, "umin">
    ]> {
  let cppNamespace = "::mlc::tir";
  let genSpecializedAttr = 0;
}

def TIR_ReductionKindAttr : EnumAttr<TIR_Dialect, TIR_ReductionKind, "reduction">;

#endif // MLC_DIALECT_TIR_IR_TIRBASE_TD
