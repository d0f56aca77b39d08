//===- Passes.td - mlc's transformations of upstream IR ----*- tablegen -*-===//

#ifndef MLC_TRANSFORMS_PASSES_TD
#define MLC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MLCElementwiseInPlacePass
    : Pass<"mlc-elementwise-in-place", "mlir::func::FuncOp"> {
  let summary = "Lets element-wise linalg ops write over a dead input";
  let description = [{
    An all-parallel `linalg.generic` whose destination is a `tensor.empty`
    and which reads, with the identity map, a tensor of the result's type
    that nothing else uses, writes its result over that tensor instead: the
    input becomes the `outs` operand (its element read from the output block
    argument). One-shot bufferization then reuses the input's buffer, so an
    element-wise epilogue (bias, activation) after a reduction needs no
    buffer of its own.

    ```mlir
    %r = linalg.generic {maps = [id, id]} ins(%t) outs(%empty) { ... }
    ```

    becomes `linalg.generic {maps = [id]} outs(%t) { ... }` when `%t` has
    no other use.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // MLC_TRANSFORMS_PASSES_TD
