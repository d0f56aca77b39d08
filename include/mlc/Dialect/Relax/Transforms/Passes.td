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

#endif // MLC_DIALECT_RELAX_TRANSFORMS_PASSES_TD
