"""mlc: an MLIR-based machine-learning compiler.

The Python API mirrors TVM's (``te``, ``topi``, ``relax``, ``ir``,
``transform``, ``runtime``) so that code written for TVM's Relax/TensorIR
runs with ``import mlc as tvm`` (docs/coming-from-tvm.md).
"""

import importlib

from ._ffi import MLCError
from . import ir, te, topi, relax, nd, runtime, transform, target
from .build_module import build
from .ir.module import IRModule
from .runtime.device import Device, cpu

__all__ = ["MLCError", "ir", "te", "topi", "relax", "nd", "runtime",
           "transform", "target", "frontend", "build", "compile", "IRModule",
           "Device", "cpu"]


def compile(mod, target="llvm", **options):  # noqa: A001 (TVM's name)
    """TVM's ``tvm.compile``: a module with graph functions builds as
    ``relax.build`` does (run it with ``relax.VirtualMachine``), one of
    tensor functions only as ``mlc.build``."""
    if not isinstance(mod, IRModule):
        raise TypeError(f"compile takes an IRModule, not "
                        f"{type(mod).__name__}")
    kinds = {mod[name].kind for name in mod.function_names()}
    if "relax" in kinds:
        return relax.build(mod, target, **options)
    return build(mod, target, **options)


def __getattr__(name):
    # mlc.frontend (the torch.fx importer) imports torch: loaded on first
    # use, so that `import mlc` stays light.
    if name == "frontend":
        return importlib.import_module(".frontend", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
