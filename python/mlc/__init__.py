"""mlc: an MLIR-based machine-learning compiler.

The Python API mirrors TVM's (``te``, ``topi``, ``relax``, ``ir``) so that
code written for TVM's Relax/TensorIR runs with ``import mlc as tvm``.
"""

from ._ffi import MLCError
from . import ir, te, topi, relax

__all__ = ["MLCError", "ir", "te", "topi", "relax"]
