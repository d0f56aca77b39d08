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

def MLCDecomposeConcatenationPass
    : Pass<"mlc-decompose-concatenation", "mlir::func::FuncOp"> {
  let summary = "Turns guarded selects along one axis (torch.cat) into "
                "insertions of each input into its slice";
  let description = [{
    A `linalg.generic` on tensors without inputs that computes
    `out[i] = i[a] < b0 ? x0[i] : i[a] < b1 ? x1[i - b0] : ... : xn[i - bn]`
    (the importer's `cat`: a chain of `scf.if` on `linalg.index a <
    constant`, each branch a `tensor.extract` of one input at the loop
    indices, shifted along `a` by where it starts, possibly clamped to it
    by `--tir-check-bounds`) becomes `tensor.insert_slice`s of each input
    into the output's `tensor.empty` at its offset along `a`. The inputs
    must tile the axis exactly (static sizes along it) and have the
    output's element type and other sizes; anything else stays as it is.
    Bufferization writes the slices as copies into views of one buffer
    (`--mlc-strided-copies-to-linalg` makes them `linalg.copy`s, which
    vectorize); the guarded select did not vectorize.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def MLCDecomposePaddingPass
    : Pass<"mlc-decompose-padding", "mlir::func::FuncOp"> {
  let summary = "Turns guarded copies (zero padding) into a copy of the "
                "interior and fills of the border";
  let description = [{
    A `linalg.generic` on tensors that computes
    `out[i] = lo <= i < lo + size(in) ? in[i - lo] : c` (te's padding
    stage: `scf.if` on comparisons of `linalg.index` with constants around
    a `tensor.extract`, the read indices possibly clamped to the input by
    `--tir-check-bounds`) becomes an element-wise copy of `in` into the
    interior (`tensor.extract_slice` at `lo`, `tensor.insert_slice` of the
    copy back) and a `linalg.fill` of `c` for each slab of the border (for
    padded dimension d, the slabs before and after the interior, over the
    interior of the dimensions before d and the whole of those after), so
    each element is written once; bufferization makes it one buffer
    written in place. Both parts vectorize; the guarded gather did not.
    Only a guard that describes exactly the interior matches (anything
    else stays as it is).

    ```mlir
    %p = linalg.generic outs(%e : tensor<8x8xf32>) {
      ... %v = scf.if %in_bounds { tensor.extract %x[%i - 1, %j - 1] }
                     else { %zero } ...
    }
    ```

    becomes a copy of `%x` into `tensor.extract_slice %e[1, 1] [6, 6]
    [1, 1]`, inserted back, then fills of rows 0 and 7 and of columns 0
    and 7 of rows 1 to 6.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def MLCStridedCopiesToLinalgPass
    : Pass<"mlc-strided-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turns memref.copy between strided buffers into linalg.copy";
  let description = [{
    Bufferization writes a tensor inserted into a slice of another
    (`tensor.insert_slice`, the interior of a padded tensor) as
    `memref.copy` into a subview. The LLVM lowering turns a copy between
    contiguous buffers into `memcpy`, but one with a strided side into a
    call of MLIR's runtime library (`memrefCopy`), which mlc neither links
    nor wants (an element-by-element interpreter of the layout). As a
    `linalg.copy`, the copy is a loop nest that the code generator (`--mlc-codegen`) vectorizes
    like any other. Copies between identity layouts stay `memref.copy`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def MLCFuseElementwisePass
    : Pass<"mlc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuses element-wise linalg producers into their consumers, "
                "into reductions only through permutation maps";
  let description = [{
    Upstream's element-wise fusion of `linalg.generic` producers into their
    consumers (`linalg::populateElementwiseOpsFusionPatterns`, with the
    reshape folding and constant folding of `--linalg-fuse-elementwise-ops`),
    with mlc's rule of when: a producer with one use fuses into a consumer
    without reduction loops, or into one with reductions only through a
    permutation map, where each iteration reads its own element (a softmax's
    `exp` into its `sum`). Fused through any other map, the producer would
    be recomputed at every step of the reduction that re-reads its element
    (a `relu` before a matmul, once per output column), and a convolution's
    zero padding (a guarded gather) would move into the convolution's
    body, which then no longer vectorizes: the padding stays a loop nest of
    its own. Into an element-wise consumer that broadcasts the producer
    (reads it through a map that drops loops), fusion repeats the producer
    per broadcast element, as upstream does; it saves the intermediate
    buffer.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::tensor::TensorDialect"];
}

def MLCCollapseShortRowsPass
    : Pass<"mlc-collapse-short-rows", "mlir::func::FuncOp"> {
  let summary = "Merges the two innermost output dimensions of linalg "
                "generics whose rows are short";
  let description = [{
    The code generator vectorizes along the output's last dimension, so a
    row of 7 or 14 pixels fills 7 or 14 of a register's 16 lanes. A
    `linalg.generic` on tensors whose output's last two dimensions are
    static parallel loops, the last shorter than `max-row`, and which every
    operand indexes (if at all) as one contiguous run (a 1x1 convolution's
    `(n, c, h, w)`, an element-wise op; not a window's `h + kh`) gets them
    merged into one loop (upstream `linalg::collapseOpIterationDims`), its
    operands and result reshaped (views once bufferized): a 1x1
    convolution over 7 x 7 pixels computes rows of 49.

    ```mlir
    linalg.generic {indexing_maps = [(n, o, h, w, c) -> (n, c, h, w),
                                     (n, o, h, w, c) -> (o, c),
                                     (n, o, h, w, c) -> (n, o, h, w)], ...}
        ins(%x, %w : tensor<1x512x7x7xf32>, tensor<2048x512xf32>) ...
    ```

    becomes the same over `tensor<1x512x49xf32>` (a `tensor.collapse_shape`
    of `%x`) into `tensor<1x2048x49xf32>`, expanded back to 7 x 7. Not
    merged: a body that reads `linalg.index`, and a result that some user
    reads other than with plain indices (a broadcast's constant index:
    upstream `fold-memref-alias-ops` folds such a read of the expanded view
    into the wrong elements).
  }];
  let options = [
    Option<"maxRow", "max-row", "int64_t", /*default=*/"16",
           "Merge rows shorter than this many elements (16: one AVX-512 "
           "register of f32)">
  ];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def MLCSignlessIntegersPass : Pass<"mlc-signless-integers", "mlir::ModuleOp"> {
  let summary = "Rewrites unsigned integer types (ui8) to signless ones";
  let description = [{
    mlc's tensors keep the signedness torch gives them (a `uint8` tensor is
    `tensor<4xui8>`) in tir and relax, where the runtime reads each
    function's dtypes. The computations on their elements are already
    signless: tir bodies read `i8` values and use the unsigned forms of the
    ops (`arith.divui`, `arith.extui`, `umax` reductions), chosen by te.
    `linalg`, `arith`, `vector` and `memref` lowerings want signless
    element types, so this pass rewrites every type and attribute in the
    module (function signatures, tensor types, constants) from `uiN` to
    `iN` before tir is lowered. It changes no value: the same bits are
    read by the same ops.

    ```mlir
    tir.func @f(%a: tensor<4xui8>) -> tensor<4xui8>
    ```

    becomes `tir.func @f(%a: tensor<4xi8>) -> tensor<4xi8>`.
  }];
}

def MLCExternalizeConstantsPass
    : Pass<"mlc-externalize-constants", "mlir::ModuleOp"> {
  let summary = "Keeps large constant globals (weights) out of LLVM";
  let description = [{
    A model's weights reach the LLVM dialect as constant `llvm.mlir.global`s
    initialized from `dense_resource` blobs. Translated, they become LLVM
    constant arrays that LLVM's optimizer and code generator walk and copy
    byte by byte: for torchvision's resnet18 (45 MB of weights) that was
    nine tenths of the build. This pass turns every constant global of at
    least `min-bytes` bytes whose value is a `dense_resource` blob (element
    types of whole bytes) into an external declaration and records the
    blob under the global's name in the module attribute
    `mlc.external_constants` (a dictionary symbol -> `dense_resource`).
    Whoever links the code defines the symbols: mlc's JIT binds them to the
    blobs' memory (no copy), `export_library` writes them into a data
    object of its own that skips the optimizer. Smaller globals keep their
    initializers, which LLVM may fold into the code.

    ```mlir
    llvm.mlir.global private constant @w(dense_resource<w0> : tensor<512x1000xf32>)
        {alignment = 64 : i64} : !llvm.array<512 x array<1000 x f32>>
    ```

    becomes `llvm.mlir.global external constant @w() {alignment = 64 : i64}
    : !llvm.array<512 x array<1000 x f32>>` and `mlc.external_constants =
    {w = dense_resource<w0> : tensor<512x1000xf32>}` on the module. The
    binding must honour the global's alignment.
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"1024",
           "Externalize constants of at least this many bytes">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def MLCDeduplicateFunctionsPass
    : Pass<"mlc-deduplicate-functions", "mlir::ModuleOp"> {
  let summary = "Keeps one of each set of identical private functions";
  let description = [{
    A model repeats its layers: resnet50's bottlenecks, mobilenet's
    inverted residual blocks. Legalization and fusion give every call its
    own kernel, so the same loop nest was lowered and compiled by LLVM once
    per layer. This pass compares the private `func.func`s with bodies
    (their text with the name left out: signature, attributes, body;
    constants compare by value or, for blobs, by blob) and keeps the first
    of each set of identical ones: calls of the others call it, and it
    records their names in its `mlc.aliases` array, so that a runtime
    that offers each function by name still finds them (mlc's Executable
    does). Public functions are left alone.

    ```mlir
    func.func private @conv_1(...) { A }
    func.func private @conv_2(...) { A }
    ... call @conv_2(...)
    ```

    becomes `func.func private @conv_1(...) attributes {mlc.aliases =
    ["conv_2"]} { A }` and `call @conv_1(...)`.
  }];
}

#endif // MLC_TRANSFORMS_PASSES_TD
