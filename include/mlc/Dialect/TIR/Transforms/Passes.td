//===- Passes.td - tir transformations ----------------------*- tablegen -*-===//

#ifndef MLC_DIALECT_TIR_TRANSFORMS_PASSES_TD
#define MLC_DIALECT_TIR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TIRCheckBoundsPass : Pass<"tir-check-bounds", "mlc::tir::FuncOp"> {
  let summary = "Proves every tir.read in bounds, or checks or clamps it";
  let description = [{
    A te program may index past a tensor's end (`A[i + 1]`, `A[7]` on
    shape (4,), a reduce axis starting at -3); compiled code must never
    read there. For each `tir.read` directly in a compute's body whose
    indices are integer arithmetic of the body's indices, constants and
    sizes (`+`, `-`, `*`, `min`, `max`, division and remainder by a
    positive constant), the pass computes each index's range over the
    compute's domain (interval arithmetic, emitted as index arithmetic
    before the compute) and then:

    - when the range provably lies within the dimension (static shapes, or
      value-bounds analysis on dynamic ones): nothing;
    - when everything is static and the range leaves the dimension (and the
      domain is not empty): an error at the read's location, naming the
      tensor, the dimension, the range and the size;
    - otherwise: a `tir.assert` before the compute, checked at run time
      (a call with sizes that make the read leave the tensor raises).

    Any other read — under an `if_then_else` guard, or at an index computed
    from data or by arithmetic outside the list — has each index clamped
    to `[0, size - 1]` (TVM leaves such reads unchecked): it never leaves
    the tensor, and a guarded read whose guard holds reads what it did.

    ```mlir
    %B = tir.compute "shift" (%i) : tensor<4xf32> {
      %c1 = arith.constant 1 : index
      %j = arith.addi %i, %c1 : index
      %a = tir.read %A[%j] : tensor<4xf32>   // error: index spans [1, 4]
      tir.yield %a : f32
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // MLC_DIALECT_TIR_TRANSFORMS_PASSES_TD
