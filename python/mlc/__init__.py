"""mlc: an MLIR-based machine-learning compiler.

The Python API mirrors TVM's (``te``, ``topi``, ``relax``, ``ir``) so that
code written for TVM's Relax/TensorIR runs with ``import mlc as tvm``.
"""

from ._ffi import MLCError
from . import ir, te, topi, relax, nd, runtime
from .build_module import build
from .runtime.device import Device, cpu

__all__ = ["MLCError", "ir", "te", "topi", "relax", "nd", "runtime",
           "build", "Device", "cpu"]
# mlc.frontend (torch.fx import) needs torch: import it explicitly.
