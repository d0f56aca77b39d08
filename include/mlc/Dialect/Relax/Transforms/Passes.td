//===- Passes.td - relax transformations --------------------*- tablegen -*-===//

#ifndef MLC_DIALECT_RELAX_TRANSFORMS_PASSES_TD
#define MLC_DIALECT_RELAX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def RelaxLegalizePass : Pass<"relax-legalize", "mlir::ModuleOp"> {
  let summary = "Turns high-level relax ops into call_tir of topi functions";
  let description = [{
    TVM's LegalizeOps: every `relax.add`, `subtract`, `multiply`, `divide`,
    `matmul`, `dense` and `relu` becomes a `relax.call_tir` of a `tir.func`
    built from mlc's operator library (the same te definitions as
    `mlc.topi`). Ops of one kind on the same operand types share one
    function, named after the op (`add`, `add1`, ... for other types).

    ```mlir
    %y = relax.relu %x : tensor<1x128xf32> -> tensor<1x128xf32>
    ```

    becomes

    ```mlir
    %y = relax.call_tir @relu(%x) : (tensor<1x128xf32>) -> tensor<1x128xf32>
    ```

    with `tir.func @relu` holding the `T_relu` compute.
  }];
  let dependentDialects = ["mlc::tir::TIRDialect"];
}

def RelaxFusePass : Pass<"relax-fuse", "mlir::ModuleOp"> {
  let summary = "Fuses call_tir chains into one tir.func (FuseOps + FuseTIR)";
  let description = [{
    A `relax.call_tir` whose only use is a `relax.call_tir` of an injective
    tensor function (no reduction: element-wise and broadcast ops) in the
    same block is merged with it: one `tir.func` holds both bodies, the
    intermediate becoming a temporary of that function, and one call
    replaces the two. Repeated, `dense -> add -> relu` becomes one
    `fused_dense_add_relu`. After `--convert-tir-to-linalg`, upstream
    elementwise fusion merges the injective generics, and their result is
    written over the reduction's, so no intermediate buffer remains.
    Functions no longer called are erased.

    ```mlir
    %0 = relax.call_tir @dense(%x, %w) : ...
    %1 = relax.call_tir @add(%0, %b) : ...
    %2 = relax.call_tir @relu(%1) : ...
    ```

    becomes `%2 = relax.call_tir @fused_dense_add_relu(%x, %w, %b) : ...`.
  }];
  let dependentDialects = ["mlc::tir::TIRDialect"];
}

#endif // MLC_DIALECT_RELAX_TRANSFORMS_PASSES_TD
