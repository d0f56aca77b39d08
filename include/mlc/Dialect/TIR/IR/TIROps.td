//===- TIROps.td - TensorIR operations ----------------------*- tablegen -*-===//

#ifndef MLC_DIALECT_TIR_IR_TIROPS_TD
#define MLC_DIALECT_TIR_IR_TIROPS_TD

include "mlc/Dialect/TIR/IR/TIRBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/CallInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ValueBoundsOpInterface.td"

//===----------------------------------------------------------------------===//
// tir.func
//===----------------------------------------------------------------------===//

def TIR_FuncOp : TIR_Op<"func", [
    AffineScope, AutomaticAllocationScope, FunctionOpInterface,
    IsolatedFromAbove,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>
    ]> {
  let summary = "a tensor-level function (TensorIR PrimFunc)";
  let description = [{
    A `tir.func` is a symbol holding tensor-level code: a sequence of
    `tir.compute` ops ended by `tir.return`. Arguments and results are ranked
    tensors whose dimensions may be static or dynamic (`?`). It is isolated
    from above: everything it reads comes in as an argument.

    A tensor computed in the body and not returned is a temporary (TVM's
    "allocated as a temp space"); bufferization decides where it lives.

    Output arguments (destination passing, as TVM's output buffers): an
    argument marked `{tir.output}` is a destination the caller passes. Either
    no argument is an output, or there is one output argument per result,
    paired in order and of the same type; the returned value is what the
    caller finds in that destination. The body never uses an output
    argument. `relax.call_tir` passes only the other (input) arguments.

    Example (the chapter's fused matmul + relu, the matmul a temporary,
    the result written into the caller's `%D`):

    ```mlir
    tir.func @mm_relu(%A: tensor<128x128xf32>, %B: tensor<128x128xf32>,
                      %D: tensor<128x128xf32> {tir.output})
        -> tensor<128x128xf32> {
      %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128)
          : tensor<128x128xf32> {
        %a = tir.read %A[%i, %k] : tensor<128x128xf32>
        %b = tir.read %B[%k, %j] : tensor<128x128xf32>
        %p = arith.mulf %a, %b : f32
        tir.yield %p : f32
      }
      %R = tir.compute "relu" (%i, %j) : tensor<128x128xf32> {
        %c = tir.read %C[%i, %j] : tensor<128x128xf32>
        %z = arith.constant 0.0 : f32
        %r = arith.maximumf %c, %z : f32
        tir.yield %r : f32
      }
      tir.return %R : tensor<128x128xf32>
    }
    ```
  }];

  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       OptionalAttr<StrAttr>:$sym_visibility,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs);
  let regions = (region AnyRegion:$body);

  let builders = [OpBuilder<(ins "::llvm::StringRef":$name,
                                 "::mlir::FunctionType":$type)>];

  let extraClassDeclaration = [{
    //===------------------------------------------------------------------===//
    // FunctionOpInterface
    //===------------------------------------------------------------------===//

    /// Returns the argument types of this function.
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    /// Returns the result types of this function.
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }
    /// Returns the region on the current operation that is callable.
    ::mlir::Region *getCallableRegion() { return &getBody(); }

    /// Adds the entry block with one argument per input, at `loc`.
    ::mlir::Block *addEntryBlock(::mlir::Location loc);

    /// Whether argument `index` is an output (destination) argument.
    bool isOutputArgument(unsigned index);
    /// Types of the arguments that are not outputs: what a call passes.
    ::llvm::SmallVector<::mlir::Type> getInputArgumentTypes();
  }];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def TIR_ReturnOp : TIR_Op<"return", [Pure, HasParent<"FuncOp">, ReturnLike,
                                     Terminator]> {
  let summary = "returns the result tensors of a tir.func";
  let description = [{
    Ends a `tir.func`. The operand types must equal the function's result
    types.

    ```mlir
    tir.return %D : tensor<128x128xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$operands);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($operands^ `:` type($operands))?";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// tir.compute
//===----------------------------------------------------------------------===//

def TIR_ComputeOp : TIR_Op<"compute", [
    RecursiveMemoryEffects, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<ValueBoundsOpInterface,
        ["populateBoundsForShapedValueDim"]>,
    DeclareOpInterfaceMethods<OpAsmOpInterface,
        ["getAsmResultNames", "getAsmBlockArgumentNames"]>]> {
  let summary = "te-style compute: defines a tensor element by element";
  let description = [{
    `tir.compute` is TVM's `te.compute(shape, fcompute, name)` as an MLIR op.
    It produces one tensor, the `result` type giving its shape and element
    type. Dynamic output dimensions (`?`) take their size from the
    `dynamic_sizes` index operands, in order.

    The body is one block whose arguments are one `index` per output
    dimension followed by one `index` per reduction axis. It reads elements
    of tensors defined outside the op with `tir.read %T[indices]`, where the
    indices may be any `arith` integer arithmetic on the block arguments and
    constants; scalar math uses `arith` and `math`. `tir.yield` returns the
    element's value.

    With reduction axes (`reduce <kind> (%k : extent, ...)`), the yielded
    value is combined over every point of the reduction domain with `sum`,
    `max`, `min` or `prod`, starting from the kind's identity for the element
    type (0, -inf / the smallest integer, +inf / the largest integer, 1).
    An extent is a constant or an `index` SSA value. `compute_name` is the
    te name (kept for printing and for naming generated functions).

    ```mlir
    %C = tir.compute "matmul" (%i, %j) reduce sum (%k : 128)
        : tensor<?x128xf32> sizes(%n) {
      %a = tir.read %A[%i, %k] : tensor<?x128xf32>
      %b = tir.read %B[%k, %j] : tensor<128x128xf32>
      %p = arith.mulf %a, %b : f32
      tir.yield %p : f32
    }
    ```
  }];

  let arguments = (ins StrAttr:$compute_name,
                       Variadic<Index>:$dynamic_sizes,
                       DenseI64ArrayAttr:$reduction_extents,
                       Variadic<Index>:$dynamic_reduction_extents,
                       OptionalAttr<TIR_ReductionKindAttr>:$reduction_kind);
  let results = (outs AnyRankedTensor:$result);
  let regions = (region SizedRegion<1>:$body);

  let builders = [
    /// Builds the op with an empty body block holding the index arguments.
    OpBuilder<(ins "::mlir::RankedTensorType":$type,
                   "::llvm::StringRef":$name,
                   "::mlir::ValueRange":$dynamicSizes,
                   "::llvm::ArrayRef<int64_t>":$reductionExtents,
                   "::mlir::ValueRange":$dynamicReductionExtents,
                   "std::optional<ReductionKind>":$kind)>
  ];

  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getResult().getType());
    }
    /// Number of reduction axes.
    unsigned getNumReductionAxes() { return getReductionExtents().size(); }
    /// Block arguments indexing the output dimensions.
    ::mlir::Block::BlockArgListType getOutputIndices() {
      return getBody().front().getArguments().take_front(getType().getRank());
    }
    /// Block arguments indexing the reduction axes.
    ::mlir::Block::BlockArgListType getReductionIndices() {
      return getBody().front().getArguments().drop_front(getType().getRank());
    }
    /// Value of the terminator of the body.
    ::mlir::Value getYieldedValue();
    /// The extent of every reduction axis as an OpFoldResult.
    ::llvm::SmallVector<::mlir::OpFoldResult> getMixedReductionExtents();
    /// The size of every output dimension as an OpFoldResult.
    ::llvm::SmallVector<::mlir::OpFoldResult> getMixedSizes();
    /// The extent of every body argument: the sizes, then the reduction
    /// extents.
    ::llvm::SmallVector<::mlir::OpFoldResult> getLoopExtents();
  }];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def TIR_ReadOp : TIR_Op<"read", [Pure,
    TypesMatchWith<"result type is the signless form of the tensor's "
                   "element type", "tensor", "result",
                   "::mlc::tir::getSignlessType(::llvm::cast<::mlir::TensorType>"
                   "($_self).getElementType())">]> {
  let summary = "reads one element of a tensor inside a tir.compute body";
  let description = [{
    Reads `tensor[indices]` from a tensor defined outside the enclosing
    `tir.compute`. There must be one index per dimension of the tensor.
    The value has the signless form of the element type (`i8` for a `ui8`
    tensor): `arith` computes on signless integers, and the ops the body
    uses (`arith.divui`, `arith.extui`, ...) carry the signedness.
    Indices may be arbitrary `index` arithmetic: the lowering turns a read
    whose indices are affine in the body's arguments into a `linalg.generic`
    input with an indexing map, and keeps any other read as a
    `tensor.extract`.

    ```mlir
    %a = tir.read %A[%i, %k] : tensor<128x128xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$tensor, Variadic<Index>:$indices);
  let results = (outs AnyType:$result);
  let assemblyFormat =
      "$tensor `[` $indices `]` attr-dict `:` type($tensor)";
  let hasVerifier = 1;
}

def TIR_YieldOp : TIR_Op<"yield", [Pure, HasParent<"ComputeOp">, ReturnLike,
                                   Terminator]> {
  let summary = "yields the element value of a tir.compute body";
  let description = [{
    Ends the body of a `tir.compute`. Its one operand has the element type of
    the compute's result; for a reduction it is the value combined over the
    reduction axes.

    ```mlir
    tir.yield %p : f32
    ```
  }];
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// tir.assert
//===----------------------------------------------------------------------===//

def TIR_AssertOp : TIR_Op<"assert", [
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a run-time requirement on sizes (TVM's AssertStmt)";
  let description = [{
    States a condition the arguments of the enclosing `tir.func` must meet
    for its computes to be defined: two dynamic sizes that broadcasting or a
    contraction needs equal, a symbolic size shared by two arguments, a read
    that must stay in bounds. The condition is `i1` index arithmetic on the
    arguments' sizes, evaluated before the computes that follow it.

    When the condition is false at run time, the call stops before those
    computes run and raises an error with `message` and the reported
    `values` (up to four sizes, printed after the message); compiled code
    never reads out of bounds or returns a result for inputs that break the
    requirement. `tir.assert` has effects, so it is never dropped as dead.

    ```mlir
    %n = tensor.dim %A, %c0 : tensor<?x4xf32>
    %m = tensor.dim %B, %c0 : tensor<?x4xf32>
    %eq = arith.cmpi eq, %n, %m : index
    tir.assert %eq, "add: dimension 0 of the operands differs" [%n, %m]
    ```
  }];
  let arguments = (ins I1:$condition, StrAttr:$message,
                       Variadic<Index>:$values);
  let assemblyFormat =
      "$condition `,` $message (` ` `[` $values^ `]`)? attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The most sizes a message reports.
    static constexpr unsigned kMaxValues = 4;
  }];
}

#endif // MLC_DIALECT_TIR_IR_TIROPS_TD
