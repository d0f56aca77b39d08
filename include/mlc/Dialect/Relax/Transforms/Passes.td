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

def RelaxTransposeConstantWeightsPass
    : Pass<"relax-transpose-constant-weights", "mlir::ModuleOp"> {
  let summary = "Turns dense with a constant weight into matmul with the "
                "weight transposed at compile time";
  let description = [{
    `relax.dense %x, %w` reads `w` as (N, K) and computes `x @ w.T`: the
    vectorized code would read a column of `w` for every row block. When
    `w` is a `relax.const`, the weight is transposed once here (a new
    (K, N) constant, kept as a `dense_resource` blob) and the op becomes
    `relax.matmul %x, %wT`, whose rows are contiguous in the vector
    dimension. Constants of any element type; the original constant is
    erased when nothing else uses it.

    ```mlir
    %w = relax.const dense_resource<w> : tensor<128x784xf32>
    %y = relax.dense %x, %w : tensor<?x784xf32>, tensor<128x784xf32> -> tensor<?x128xf32>
    ```

    becomes

    ```mlir
    %wt = relax.const dense_resource<w_t> : tensor<784x128xf32>
    %y = relax.matmul %x, %wt : tensor<?x784xf32>, tensor<784x128xf32> -> tensor<?x128xf32>
    ```
  }];
}

def RelaxFoldBatchNormPass : Pass<"relax-fold-batch-norm", "mlir::ModuleOp"> {
  let summary = "Folds inference batch norm into the convolution before it";
  let description = [{
    `relax.batch_norm` of a `relax.conv2d` whose weight, bias (a
    `relax.add` of the convolution and a constant with one value per
    output channel, or its `relax.reshape`) and the batch norm's statistics
    and affine parameters are all constants, with the convolution's (and
    the bias's) result used only there, becomes one convolution with
    scaled weights and a bias, computed here in double precision:

        s = weight / sqrt(var + epsilon)
        conv(x, w) * s + ((b - mean) * s + bias)   (b: the old bias, or 0)

    as `relax.conv2d %x, %w'` and `relax.add` of a `1 x O x 1 x 1`
    constant. It is exact up to rounding (the products are rounded once,
    in the weights, rather than per output). float32 and float64. The
    constants the fold made obsolete are erased when nothing else uses
    them. Inference only: the importer refuses training-mode batch norm.

    ```mlir
    %c = relax.conv2d %x, %w ... : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
    %y = relax.batch_norm %c, %mean, %var, %g, %b epsilon 1.0e-05 : ...
    ```

    becomes `relax.add (relax.conv2d %x, %w2 ...), %b2` with the constants
    `%w2 : tensor<4x3x3x3xf32>` and `%b2 : tensor<1x4x1x1xf32>`.
  }];
}

def RelaxPrintGraphPass : Pass<"relax-print-graph", "mlir::ModuleOp"> {
  let summary = "Prints a graph function as a Graphviz DOT graph";
  let description = [{
    Writes the graph of function `function` (default `main`) to standard
    output in Graphviz's DOT language and leaves the module unchanged:
    one node per parameter, constant and op (a `relax.call_tir` shows its
    callee), an edge per value labelled with its tensor type, the dataflow
    block as a cluster, and each call of a fused `tir.func` as a cluster
    holding the call and the function's compute stages in order.
    `dot -Tsvg` renders it. Python's `IRModule.show(format="dot")` prints
    the same text.
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"main\"",
           "The graph function to draw">
  ];
}

#endif // MLC_DIALECT_RELAX_TRANSFORMS_PASSES_TD
