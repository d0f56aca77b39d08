//===- RelaxOps.td - Relax operations -----------------------*- tablegen -*-===//

#ifndef MLC_DIALECT_RELAX_IR_RELAXOPS_TD
#define MLC_DIALECT_RELAX_IR_RELAXOPS_TD

include "mlc/Dialect/Relax/IR/RelaxBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Structure: dataflow regions and calls of tensor functions
//===----------------------------------------------------------------------===//

def Relax_DataflowOp : Relax_Op<"dataflow", [
    RecursiveMemoryEffects, SingleBlock, NoRegionArguments]> {
  let summary = "a dataflow block: a side-effect-free region of the graph";
  let description = [{
    The values defined inside a dataflow block are internal to it (TVM's
    dataflow vars). `relax.output` ends the block and names the values that
    are visible after it; they become the op's results. Only ops without
    side effects may appear inside.

    ```mlir
    %R = relax.dataflow -> tensor<128x128xf32> {
      %C = relax.call_tir @matmul(%A, %B)
          : (tensor<128x128xf32>, tensor<128x128xf32>) -> tensor<128x128xf32>
      %D = relax.call_tir @relu(%C)
          : (tensor<128x128xf32>) -> tensor<128x128xf32>
      relax.output %D : tensor<128x128xf32>
    }
    ```
  }];
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "(`->` type($results)^)? attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def Relax_OutputOp : Relax_Op<"output", [Pure, HasParent<"DataflowOp">,
                                         ReturnLike, Terminator]> {
  let summary = "ends a dataflow block, naming the values visible after it";
  let description = [{
    The operands become the results of the enclosing `relax.dataflow`, in
    order, with the same types.

    ```mlir
    relax.output %D : tensor<128x128xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let hasVerifier = 1;
}

def Relax_CallTIROp : Relax_Op<"call_tir", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "calls a tir.func of the same module";
  let description = [{
    TVM's `R.call_tir(f, args, shape, dtype)`. The callee must be a
    `tir.func` in the nearest symbol table; the arguments and results must
    agree with its signature in number, element type and shape (a dynamic
    dimension on either side agrees with any size).

    ```mlir
    %C = relax.call_tir @te_matmul(%A, %B)
        : (tensor<128x128xf32>, tensor<128x128xf32>) -> tensor<128x128xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<AnyRankedTensor>:$args);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat =
      "$callee `(` $args `)` attr-dict `:` functional-type($args, $results)";
}

def Relax_ConstOp : Relax_Op<"const", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "a constant tensor (a weight)";
  let description = [{
    The constant `value` as a tensor. Large weights are best held as
    `dense_resource` blobs: the IR stays readable and parses fast.

    ```mlir
    %b = relax.const dense<[1.0, 2.0]> : tensor<2xf32>
    %w = relax.const dense_resource<linear0_weight> : tensor<128x784xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// High-level operators
//===----------------------------------------------------------------------===//
//
// An operator that graph passes and the code generator see by name. Adding
// one takes: its definition here (operands, attributes, assembly), its shape
// rule (`inferReturnTypes`, in RelaxShapeInference.cpp: InferTypeOpInterface
// then gives the verifier and the builders without a result type), and one
// line naming its te definition in Legalize.cpp. The BlockBuilder and Python's
// `relax.op` create any of them by name (docs/frontend.md, "Adding an op").

class Relax_TensorOp<string mnemonic, list<Trait> traits = []>
    : Relax_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor]> {
  let results = (outs AnyRankedTensor:$result);
}

class Relax_BroadcastBinaryOp<string mnemonic, string what>
    : Relax_TensorOp<mnemonic> {
  let summary = "element-wise " # what # " with numpy/torch broadcasting";
  let description = [{
    Element-wise }] # what # [{ of two tensors of the same element type. The
    shapes broadcast as in numpy and torch: aligned from the right, a
    dimension of size 1 stretches to the other, and the result has the larger
    rank.

    ```mlir
    %y = relax.}] # mnemonic # [{ %x, %b : tensor<1x128xf32>, tensor<128xf32>
        -> tensor<1x128xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def Relax_AddOp : Relax_BroadcastBinaryOp<"add", "addition">;
def Relax_SubtractOp : Relax_BroadcastBinaryOp<"subtract", "subtraction">;
def Relax_MultiplyOp : Relax_BroadcastBinaryOp<"multiply", "multiplication">;
def Relax_DivideOp : Relax_BroadcastBinaryOp<"divide", "division">;

def Relax_MatmulOp : Relax_TensorOp<"matmul"> {
  let summary = "matrix product with numpy/torch matmul semantics";
  let description = [{
    `torch.matmul` / `numpy.matmul`: 1-D operands are promoted to a matrix
    (and the added dimension removed from the result), leading (batch)
    dimensions broadcast, and the contracted dimensions must agree.

    ```mlir
    %y = relax.matmul %x, %w : tensor<1x128xf32>, tensor<128x64xf32>
        -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def Relax_DenseOp : Relax_TensorOp<"dense"> {
  let summary = "x · wᵀ, the product of nn.Linear (TVM's nn.dense)";
  let description = [{
    `dense(x, w) = x @ w.T` for `x` of shape `(..., K)` and a weight `w` of
    shape `(N, K)` (PyTorch's `nn.Linear` layout); the result has shape
    `(..., N)`.

    ```mlir
    %y = relax.dense %x, %w : tensor<1x784xf32>, tensor<128x784xf32>
        -> tensor<1x128xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$weight);
  let assemblyFormat = [{
    $data `,` $weight attr-dict `:` type($data) `,` type($weight) `->`
    type($result)
  }];
}

def Relax_ReluOp : Relax_TensorOp<"relu"> {
  let summary = "element-wise max(x, 0)";
  let description = [{
    The rectified linear unit of a tensor of integers or floats; the result
    has the operand's type.

    ```mlir
    %y = relax.relu %x : tensor<1x128xf32> -> tensor<1x128xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Relax_Conv2dOp : Relax_TensorOp<"conv2d"> {
  let summary = "2-D convolution of NCHW data with an OIHW weight";
  let description = [{
    `torch.nn.functional.conv2d(data, weight, stride=strides,
    padding=padding, dilation=dilation, groups=groups)` without bias:
    `data` is `(N, C, H, W)`, `weight` `(O, C / groups, KH, KW)` with `O` a
    multiple of `groups`, both of one element type; `padding` pads both
    sides of H and W with zeros. C and the weight's sizes must be static;
    the result is `(N, O, OH, OW)` with torch's output sizes (dynamic when H
    or W is).

    ```mlir
    %y = relax.conv2d %x, %w strides [1, 1] padding [1, 1] dilation [1, 1]
        groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
        -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$weight,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let assemblyFormat = [{
    $data `,` $weight `strides` $strides `padding` $padding `dilation`
    $dilation `groups` $groups attr-dict `:` type($data) `,` type($weight)
    `->` type($result)
  }];
}

def Relax_MaxPool2dOp : Relax_TensorOp<"max_pool2d"> {
  let summary = "2-D max pooling of NCHW data";
  let description = [{
    `torch.nn.functional.max_pool2d(data, kernel, stride=strides,
    padding=padding, dilation=dilation, ceil_mode=ceil_mode)`: the maximum of
    each window (a NaN wins, as in torch); padded positions never do. H and W
    must be static; padding is at most half the dilated kernel, as torch
    requires. The result is `(N, C, OH, OW)` with torch's output sizes.

    ```mlir
    %y = relax.max_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0]
        dilation [1, 1] ceil_mode false : tensor<1x32x26x26xf32>
        -> tensor<1x32x13x13xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode);
  let assemblyFormat = [{
    $data `kernel` $kernel `strides` $strides `padding` $padding `dilation`
    $dilation `ceil_mode` $ceil_mode attr-dict `:` type($data) `->`
    type($result)
  }];
}

def Relax_AvgPool2dOp : Relax_TensorOp<"avg_pool2d"> {
  let summary = "2-D average pooling of float NCHW data";
  let description = [{
    `torch.nn.functional.avg_pool2d(data, kernel, stride=strides,
    padding=padding, ceil_mode=ceil_mode,
    count_include_pad=count_include_pad)`: each window's sum (in float32 for
    float16 data) over the number of its positions, padding included when
    `count_include_pad` (a window that ceil_mode lets past the padded edge
    counts only up to it, as torch). H and W must be static; padding is at
    most half the kernel. The result is `(N, C, OH, OW)`.

    ```mlir
    %y = relax.avg_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0]
        ceil_mode false count_include_pad true : tensor<1x8x6x6xf32>
        -> tensor<1x8x3x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       BoolAttr:$ceil_mode, BoolAttr:$count_include_pad);
  let assemblyFormat = [{
    $data `kernel` $kernel `strides` $strides `padding` $padding `ceil_mode`
    $ceil_mode `count_include_pad` $count_include_pad attr-dict `:`
    type($data) `->` type($result)
  }];
}

def Relax_BatchNormOp : Relax_TensorOp<"batch_norm"> {
  let summary = "inference batch normalization over channel dimension 1";
  let description = [{
    `torch.nn.functional.batch_norm(data, mean, var, weight, bias,
    training=False, eps=epsilon)`: `(x - mean[c]) / sqrt(var[c] + epsilon)
    * weight[c] + bias[c]` for `c` the index in dimension 1, computed in
    float32 for float16 data, as torch's kernel does. `mean`, `var`,
    `weight` and `bias` have rank 1 and the data's channel count; all share
    one float element type. The result has the data's type.

    ```mlir
    %y = relax.batch_norm %x, %mean, %var, %w, %b epsilon 1.0e-05
        : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
          tensor<8xf32> -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$mean,
                       AnyRankedTensor:$var, AnyRankedTensor:$weight,
                       AnyRankedTensor:$bias, F64Attr:$epsilon);
  let assemblyFormat = [{
    $data `,` $mean `,` $var `,` $weight `,` $bias `epsilon` $epsilon attr-dict
    `:` type($data) `,` type($mean) `,` type($var) `,` type($weight) `,`
    type($bias) `->` type($result)
  }];
}

def Relax_LayerNormOp : Relax_TensorOp<"layer_norm"> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    `torch.nn.functional.layer_norm(data, weight.shape, weight, bias,
    eps=epsilon)`: each row over the last `k` dimensions (`k` the rank of
    `weight`) is normalized with its mean and biased variance, as torch's
    kernel computes it (`x * rstd + (-rstd * mean)` in one fma, float32 for
    float16 data), then scaled by `weight` and shifted by `bias`, which have
    the shape of those dimensions. All three share one float element type;
    the result has the data's type.

    ```mlir
    %y = relax.layer_norm %x, %w, %b epsilon 1.0e-05 : tensor<2x8xf32>,
        tensor<8xf32>, tensor<8xf32> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$weight,
                       AnyRankedTensor:$bias, F64Attr:$epsilon);
  let assemblyFormat = [{
    $data `,` $weight `,` $bias `epsilon` $epsilon attr-dict `:` type($data)
    `,` type($weight) `,` type($bias) `->` type($result)
  }];
}

class Relax_SoftmaxBase<string mnemonic, string formula>
    : Relax_TensorOp<mnemonic> {
  let summary = formula # " along `axis`";
  let description = [{
    `torch.}] # mnemonic # [{(x, axis)` of a float tensor: }] # formula #
    [{ with `m` the maximum along `axis` (so that `exp` cannot overflow),
    summed in float32 for float16 and bfloat16 operands, as torch's CPU
    kernel does. `axis` may be negative (counted from the end); a rank-0
    tensor has the one axis 0 (or -1). The result has the operand's type.

    ```mlir
    %y = relax.}] # mnemonic # [{ %x axis(-1) : tensor<1x10xf32> -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, I64Attr:$axis);
  let assemblyFormat = [{
    $data `axis` `(` $axis `)` attr-dict `:` type($data) `->` type($result)
  }];
}

def Relax_SoftmaxOp
    : Relax_SoftmaxBase<"softmax", "exp(x - m) / sum(exp(x - m))">;
def Relax_LogSoftmaxOp
    : Relax_SoftmaxBase<"log_softmax", "x - m - log(sum(exp(x - m)))">;

// Element-wise float functions, one category: each is a line here and a
// row in Legalize.cpp; they share one shape rule.
class Relax_UnaryFloatOp<string mnemonic, string what>
    : Relax_TensorOp<mnemonic> {
  let summary = "element-wise " # what # " of a float tensor";
  let description = [{
    `torch.}] # mnemonic # [{(x)` of a float16, bfloat16, float32 or float64
    tensor, element by element (the importer passes other dtypes through
    torch's promotion first). The result has the operand's type.

    ```mlir
    %y = relax.}] # mnemonic # [{ %x : tensor<2x3xf32> -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Relax_ExpOp : Relax_UnaryFloatOp<"exp", "e^x">;
def Relax_LogOp : Relax_UnaryFloatOp<"log", "natural logarithm">;
def Relax_SqrtOp : Relax_UnaryFloatOp<"sqrt", "square root">;
def Relax_RsqrtOp : Relax_UnaryFloatOp<"rsqrt", "reciprocal square root">;
def Relax_TanhOp : Relax_UnaryFloatOp<"tanh", "hyperbolic tangent">;
def Relax_SigmoidOp : Relax_UnaryFloatOp<"sigmoid", "1 / (1 + e^-x)">;
def Relax_ErfOp : Relax_UnaryFloatOp<"erf", "error function">;
def Relax_SinOp : Relax_UnaryFloatOp<"sin", "sine">;
def Relax_CosOp : Relax_UnaryFloatOp<"cos", "cosine">;

// Reductions, one category: sum, mean, max, min and prod over `axes`.
class Relax_ReduceOp<string mnemonic, string what>
    : Relax_TensorOp<mnemonic> {
  let summary = what # " over `axes`";
  let description = [{
    `torch.}] # mnemonic # [{(x, dim=axes, keepdim=keepdims)` for integer
    and float tensors (`mean`: float only), accumulated in the element type
    (the importer casts first where torch accumulates in another). `axes`
    lists distinct dimensions, negative ones counted from the end; an empty
    list reduces over every dimension. The reduced dimensions are dropped,
    or kept with size 1 when `keepdims` is true. `max` and `min` propagate
    NaN, as torch's `amax`/`amin`; the `mean` of no elements is NaN.

    ```mlir
    %y = relax.}] # mnemonic # [{ %x axes [1] keepdims false : tensor<2x3xf32>
        -> tensor<2xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let assemblyFormat = [{
    $data `axes` $axes `keepdims` $keepdims attr-dict `:` type($data) `->`
    type($result)
  }];
}

def Relax_SumOp : Relax_ReduceOp<"sum", "the sum">;
def Relax_MeanOp : Relax_ReduceOp<"mean", "the arithmetic mean">;
def Relax_MaxOp : Relax_ReduceOp<"max", "the maximum">;
def Relax_MinOp : Relax_ReduceOp<"min", "the minimum">;
def Relax_ProdOp : Relax_ReduceOp<"prod", "the product">;

def Relax_ReshapeOp : Relax_Op<"reshape", [Pure]> {
  let summary = "merges or splits adjacent dimensions (a view, no copy)";
  let description = [{
    The same elements in the same order under another shape whose
    dimensions merge adjacent dimensions of the operand (`flatten`) or split
    one into several: a reshape that a collapse or an expansion of
    dimensions expresses, which lowers to `tensor.collapse_shape` or
    `tensor.expand_shape` and bufferizes to a view of the operand's buffer.
    Merged dimensions with a dynamic size give a dynamic one; a dynamic
    dimension splits into at most one dynamic dimension (the others' sizes
    determine it).

    ```mlir
    %y = relax.reshape %x : tensor<?x32x13x13xf32> -> tensor<?x5408xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$data attr-dict `:` type($data) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Which operand dimensions each result dimension (collapse) or each
    /// operand dimension splits into (expansion); nullopt when none does.
    std::optional<llvm::SmallVector<mlir::ReassociationIndices>>
    getReassociation();
  }];
}

#endif // MLC_DIALECT_RELAX_IR_RELAXOPS_TD
