//===- Passes.td - mlc's staged CPU code generator ---------*- tablegen -*-===//
//
// The stages from linalg on tensors (the strategy and the thread chunks)
// and on buffers (the rest) to vector code, one pass each, in the
// order --mlc-lower-to-llvm runs them (docs/lowering.md, "Code
// generation"). The first stage chooses; every later one only carries out
// what the `mlc.lowering_config` attribute it left on each op says.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_CODEGEN_PASSES_TD
#define MLC_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def MLCSelectLoweringConfigPass
    : Pass<"mlc-select-lowering-config", "mlir::func::FuncOp"> {
  let summary = "Chooses each linalg op's tiles, loop order, thread split "
                "and packing, recorded as an attribute";
  let description = [{
    The strategy stage. For each `linalg.generic`, `linalg.fill` and
    `linalg.copy` on tensors or buffers (without a config yet) whose
    register-block tiles vectorize, records
    a `mlc.lowering_config` dictionary on the op:

    - `register_tile`: the register block, per loop (0 for reductions and
      for loops not tiled): 1, 2 or 4 vector registers of the output's last
      dimension (16, 32 or 64 f32 lanes with AVX-512, 8, 16 or 32 with
      AVX2; lanes scale with the element width; chosen so that the
      remainder is whole registers or fits in one), up to 4 rows (AVX-512's
      32 registers) or 3 (AVX2's 16) of the one before, or of a
      contraction's loop that indexes the other operand (a convolution's
      output channels: an outer product), plus image rows up to 16
      accumulators for a convolution; every other parallel loop one step;
    - `interchange`: the order of the tile loops (column blocks outermost
      for an outer product, the output's order otherwise);
    - `row_reduction = [loop, step]`: a reduction over an input's contiguous
      last axis (softmax's sum) vectorized along the row, `step` elements
      at a time, one output element per block;
    - `distribute = [loop, block, threads]`: split `loop` into `threads`
      chunks of whole `block`s (with `threads` > 1 and at least
      `min-parallel-work` iterations; for a dynamic shape that is checked
      at run time and `min_parallel_work` is recorded);
    - `pack_operand`: copy this operand's K x block panels into a dense
      buffer (right operands with rows of 1 KB or more, 256 rows deep,
      reused by 16 rows or more: cache-set conflicts);
    - `group`: the op is tiled with the contraction of the same group, the
      `linalg.fill` of its fresh output buffer just before it and the
      element-wise ops just after it that update that buffer in place
      (bias, activation); on tensors, the fill of a `tensor.empty` the
      contraction accumulates into and the chain of element-wise ops each
      writing over the one before's result: each tile of the contraction
      gets theirs alongside. The members also keep a config of their own, used if
      they cannot follow.

    Ops whose tiles would not vectorize (guarded or data-dependent reads)
    get no config and keep the scalar path.
  }];
  let options = [
    Option<"threads", "threads", "unsigned", /*default=*/"1",
           "Split the work into this many parallel chunks (an scf.forall "
           "over one parallel loop, outside the register blocks)">,
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "Size register blocks for vectors of this many bits (512: "
           "AVX-512's 32 registers, blocks of 4 rows; 256: AVX2's 16, 3 "
           "rows); 0 asks the host CPU">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"65536",
           "Split only ops of at least this many loop iterations (all "
           "loops' extents multiplied; checked at run time when some are "
           "dynamic): waking the other threads costs about a microsecond">
  ];
}

def MLCDistributeToThreadsPass
    : Pass<"mlc-distribute-to-threads", "mlir::func::FuncOp"> {
  let summary = "Splits ops across threads as their lowering config says";
  let description = [{
    For each op (with its group) whose `mlc.lowering_config` has
    `distribute = [loop, block, threads]`: tiles `loop` into `threads`
    chunks of whole `block`s with an `scf.forall`.

    On tensors (where the pipeline runs it, before bufferization) this is
    upstream tile-and-fuse (`scf::tileConsumerAndFuseProducersUsingSCF`):
    the group's last op is tiled and the other members (the contraction,
    the fill of its `tensor.empty`) are fused into each chunk through its
    destination, so the chunk writes one slice of the forall's
    `shared_outs`; producers outside the group are not fused. A group
    whose members are not a chain of destinations is split op by op. On
    buffers (ops bufferization made) the op is tiled with
    `scf::tileUsingSCF` and the group's fill and epilogue tiled at the same
    chunk.

    When some loop is dynamic, the group is first cloned under an `scf.if`
    on its iteration count against `min_parallel_work` (yielding the
    chain's result on tensors): the split copy and a serial one (whose
    config loses `distribute`). `--convert-forall-to-openmp` later runs the
    chunks on an OpenMP team.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::affine::AffineDialect"];
}

def MLCPackPanelsPass : Pass<"mlc-pack-panels", "mlir::func::FuncOp"> {
  let summary = "Copies a contraction's right-operand panels into dense "
                "buffers";
  let description = [{
    For each op whose `mlc.lowering_config` has `pack_operand`: the column
    blocks of the op (the register tile of its last output dimension)
    become a loop of their own (upstream `scf::tileUsingSCF`), in which
    that operand's K x block panel is promoted (upstream
    `linalg::promoteSubViews`) into a 64-byte aligned buffer that the
    block's tiles read, copied in by a `linalg.copy` vectorized like any
    op. Rows 1 KB apart fall into a few
    cache sets and evict each other: sgemm 2048 ran at 40% of the peak
    before. The copy gets a config of its own.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::memref::MemRefDialect"];
}

def MLCTileRegisterBlocksPass
    : Pass<"mlc-tile-register-blocks", "mlir::func::FuncOp"> {
  let summary = "Tiles ops into register blocks as their lowering config "
                "says, peeling partial blocks";
  let description = [{
    For each op with a `mlc.lowering_config`: tiles its parallel loops by
    `register_tile` in the order `interchange` (upstream
    `scf::tileUsingSCF`), the members of its `group` tiled at each tile.
    A loop the block does not divide (a dynamic batch, 100 columns) is
    peeled (`scf::peelForLoopAndSimplifyBounds`, inner loops first, so that
    the partial column block has its rows blocked too) and the blocks'
    sizes folded into static views. Each tile is marked
    `mlc.register_block = N` (one N per group) for `--mlc-vectorize`.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::affine::AffineDialect"];
}

def MLCVectorizePass : Pass<"mlc-vectorize", "mlir::func::FuncOp"> {
  let summary = "Vectorizes the register blocks (linalg::vectorize)";
  let description = [{
    For each group of tiles marked `mlc.register_block`: a dynamic parallel
    loop left in a block (the last, partial block of a dynamic batch) steps
    one at a time, the group's ops with it; each op's reduction loops step
    one at a time around the block (or `step` elements at a time along
    the row, for a `row_reduction`), the reductions innermost; then
    upstream `linalg::vectorize` turns the block into vector code. In a
    convolution's block the window indices (`h + kh`, with `kh` fixed) are
    rewritten without the unit loops, and a strided one (`2 * h + kh`)
    becomes a strided view of the input, which makes the maps projections
    (upstream's precondition rejects sliding windows). Broadcasts are
    taken out of the transfers and multiply-reduce chains become
    `vector.contract`. Tiles reading or writing bool buffers stay scalar
    (LLVM packs vectors of i1 as bits). The configs and marks are removed.
    With `contract`, the multiplications and additions of a reduction's
    body are marked `fastmath<contract>` (LLVM may fuse them into FMAs; the
    order of summation is the code generator's anyway); an element-wise
    op's arithmetic keeps the rounding of each step, as in PyTorch.
  }];
  let options = [
    Option<"contract", "contract", "bool", /*default=*/"true",
           "Let LLVM fuse a reduction's multiply-adds into FMAs "
           "(fastmath<contract>)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect"];
}

def MLCHoistVectorTransfersPass
    : Pass<"mlc-hoist-vector-transfers", "mlir::func::FuncOp"> {
  let summary = "Keeps vector accumulators in registers across loops";
  let description = [{
    After `--mlc-vectorize`, canonicalization and `fold-memref-alias-ops`:
    CSE (a read and a write pair up only when their indices are the same
    value; a thread chunk's offset is recomputed per use until then),
    loop-invariant code motion, upstream
    `linalg::hoistRedundantVectorTransfers` (a reduction loop's accumulator
    block read once before the loop and written once after it), then
    upstream `vector::transferOpflowOpt`: a store followed by a load of the
    same block (a fill's zeros, the accumulators the epilogue reads)
    forwards its value, and a store overwritten before any load goes;
    then loop-invariant code motion again, for what the hoisted reads feed
    (a layer norm's `1 / sqrt(var + eps)` over each chunk of its row).
  }];
  let dependentDialects = ["mlir::vector::VectorDialect"];
}

def MLCDeferLaneReductionsPass
    : Pass<"mlc-defer-lane-reductions", "mlir::func::FuncOp"> {
  let summary = "Reduces a row across lanes once, after its loop";
  let description = [{
    A row reduction vectorized in chunks (`row_reduction` with a step
    shorter than the row: a layer norm's mean over 768 floats in chunks of
    64) folds each chunk into its scalar accumulator with a
    `vector.multi_reduction`, a reduction across the lanes per chunk whose
    latency chains through the accumulator. Here such a loop (the
    accumulator loop-carried, after `--mlc-hoist-vector-transfers`) carries
    the chunk-wide partial results instead, combined lane by lane with each
    chunk, and reduces them across lanes once after the loop. For additions
    this sums in another order (as any vectorized sum does); maxima and
    minima are exact.

    ```mlir
    %r = scf.for %k = %c0 to %c768 step %c64 iter_args(%acc = %init) -> (vector<1xf32>) {
      %chunk = vector.transfer_read ... : vector<1x64xf32>
      %s = vector.multi_reduction <add>, %chunk, %acc [1] : vector<1x64xf32> to vector<1xf32>
      scf.yield %s : vector<1xf32>
    }
    ```

    becomes a loop carrying a `vector<1x64xf32>` of partial sums (from
    zeros, `arith.addf` with each chunk) and one `vector.multi_reduction`
    of them into `%init` after it. A dot product along the row
    (`vector.contract` of two chunks of one shape into the accumulator: a
    variance) is first split into its multiplication and multi_reduction.
    With `contract`, those multiplications and additions may fuse into
    FMAs.
  }];
  let options = [
    Option<"contract", "contract", "bool", /*default=*/"true",
           "Let LLVM fuse the multiply-adds of the deferred reductions into "
           "FMAs (fastmath<contract>)">
  ];
  let dependentDialects = ["mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect"];
}

def MLCLowerVectorContractionsPass
    : Pass<"mlc-lower-vector-contractions", "mlir::func::FuncOp"> {
  let summary = "Lowers vector.contract to FMAs and whole-row reductions "
                "to lane reductions";
  let description = [{
    A contraction whose reductions are one step each and some of whose
    parallel dimensions index both operands (a convolution's block times a
    weight broadcast over it) is element-wise arithmetic (upstream's
    `ParallelArith` lowering); any other (a matmul block) becomes outer
    products and FMAs. Multi-reductions (a row of softmax's sum) reduce
    across the lanes of their innermost dimension. With `contract`, the
    vector `arith.mulf` and `arith.addf` that this lowering makes (the
    multiply-adds of a reduction, whose order of summation is the code
    generator's anyway) are marked `fastmath<contract>` so that LLVM may
    fuse them into FMAs; the model's own element-wise arithmetic (`x * w +
    b` written out) is left as it is, rounded twice as PyTorch rounds it.
  }];
  let options = [
    Option<"contract", "contract", "bool", /*default=*/"true",
           "Mark the multiplications and additions that contractions lower "
           "to fastmath<contract>, so that LLVM may fuse them into FMAs">
  ];
  let dependentDialects = ["mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect"];
}

def MLCContiguousStridedReadsPass
    : Pass<"mlc-contiguous-strided-reads", "mlir::func::FuncOp"> {
  let summary = "Reads strided vectors as one contiguous load and a shuffle";
  let description = [{
    A strided window (a stride-2 convolution's or pooling's `2 * w + kw`)
    is vectorized by `--mlc-vectorize` as a `vector.transfer_read` of a
    `memref.subview` with an innermost step `s` > 1, which the vector
    lowering turns into one scalar load and insert per lane. Such a read of
    `n` lanes at the start of the view becomes reads of the `(n - 1) * s +
    1` contiguous elements it spans (a subview with unit steps of the same
    buffer), as whole vectors of `n` lanes (the last one ending at the
    span's end, overlapping the one before) and `vector.shuffle`s that keep
    every `s`-th element: one two-source shuffle at stride 2 (AVX-512's
    `vpermt2ps`), one more per further vector. (A read of the span itself,
    31 lanes for 16 at stride 2, became a register and pieces of 8, 4, 2
    and 1 lanes.) An n-D read (a block of a stride-2 window's rows)
    reads each row so and shuffles it. Only in-bounds reads
    along the innermost dimensions, starting at the first element of the
    view's rows, over a buffer with unit innermost stride.

    ```mlir
    %v = memref.subview %x[0, 0] [1, 16] [1, 2] : ... to memref<1x16xf32, strided<[58, 2]>>
    %r = vector.transfer_read %v[%c0, %c0], %pad {in_bounds = [true]} : ..., vector<16xf32>
    ```

    becomes `vector<16xf32>` reads at 0 and 15 of `memref.subview %x[0, 0]
    [1, 31] [1, 1]` and a `vector.shuffle` of their lanes 0, 2, ..., 14,
    17, 19, ..., 31.
  }];
  let dependentDialects = ["mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect"];
}

def MLCApproximateVectorMathPass
    : Pass<"mlc-approximate-vector-math", "mlir::func::FuncOp"> {
  let summary = "Computes math.exp and math.erf on vectors with upstream's polynomials";
  let description = [{
    LLVM has no vector `exp` of its own: `llvm.exp` on a vector becomes one
    call of libm's `expf` per lane, which made every sigmoid, SiLU and
    softmax an element-at-a-time loop. Here `math.exp` on vectors of f32
    becomes upstream's polynomial approximation
    (`populateMathPolynomialApproximationPatterns`: range reduction to
    [-ln 2 / 2, ln 2 / 2] and a polynomial, with overflow to inf, underflow
    to 0 and NaN kept), a few ulp from libm and within PyTorch's own
    float32 tolerance (checked against PyTorch in test_torch_semantics and
    by the OpInfo conformance run). `math.erf` on vectors of f32 (GELU's)
    likewise becomes upstream's rational approximation (2e-7 relative to
    PyTorch's erf; GELU's erf was a libm `erff` call per element, 15% of
    the transformer block at batch 8). Scalar `math.exp` and `math.erf`
    and every other function stay libm calls.
  }];
  let dependentDialects = ["mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect"];
}

#endif // MLC_CODEGEN_PASSES_TD
