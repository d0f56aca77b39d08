"""relax passes (TVM's ``relax.transform``), each an ``IRModule ->
IRModule`` callable over mlc's MLIR pass of the same job.

TVM splits fusion in two: ``FuseOps`` groups ops into fused relax
functions and ``FuseTIR`` merges each group's PrimFuncs into one. mlc's
``--relax-fuse`` does both at once (a group becomes one ``tir.func``
directly), so ``FuseOps()`` and ``FuseTIR()`` both run it: after
``FuseOps()``, ``FuseTIR()`` finds nothing left to fuse and returns the
module as it is; either alone gives the fused module.
"""

from ..transform import MLIRPass, Sequential

__all__ = ["LegalizeOps", "FuseOps", "FuseTIR", "FoldBatchNorm",
           "TransposeConstantWeights", "default_build_pipeline"]


def LegalizeOps():  # noqa: N802 (TVM's names)
    """High-level relax ops -> call_tir of topi tir.funcs
    (--relax-legalize)."""
    return MLIRPass("relax-legalize", name="LegalizeOps")


def FuseOps(fuse_opt_level=-1):  # noqa: N802
    """Fuses call_tir chains into one tir.func each (--relax-fuse; see the
    module's note). TVM's ``fuse_opt_level`` -1 (the context's level) is
    the only one supported."""
    if fuse_opt_level != -1:
        raise ValueError("FuseOps: fuse_opt_level other than -1 is not "
                         "supported")
    return MLIRPass("relax-fuse", name="FuseOps", opt_level=0)


def FuseTIR():  # noqa: N802
    """Completes fusion (--relax-fuse, which FuseOps already ran: see the
    module's note)."""
    return MLIRPass("relax-fuse", name="FuseTIR", opt_level=0)


def FoldBatchNorm():  # noqa: N802
    """Inference batch norm folded into the convolution before it
    (--relax-fold-batch-norm)."""
    return MLIRPass("relax-fold-batch-norm", name="FoldBatchNorm")


def TransposeConstantWeights():  # noqa: N802
    """dense with a constant weight -> matmul with the weight transposed
    at compile time (--relax-transpose-constant-weights)."""
    return MLIRPass("relax-transpose-constant-weights",
                    name="TransposeConstantWeights")


def default_build_pipeline():
    """The relax passes ``relax.build`` runs before code generation."""
    return Sequential([FoldBatchNorm(), TransposeConstantWeights(),
                       LegalizeOps(), FuseOps()], name="default_build")
