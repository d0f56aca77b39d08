"""The operator library (TVM's topi): te definitions of the high-level ops.

The same C++ definitions back ``--relax-legalize``.
"""

from .._ffi import lib
from . import nn

add = lib.te.topi.add
subtract = lib.te.topi.subtract
multiply = lib.te.topi.multiply
divide = lib.te.topi.divide
matmul = lib.te.topi.matmul

__all__ = ["nn", "add", "subtract", "multiply", "divide", "matmul"]
