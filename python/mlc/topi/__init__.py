"""The operator library (TVM's topi): te definitions of operators.

``dense``, ``matmul``, ``relu`` and the broadcasting ``add``, ``subtract``,
``multiply``, ``divide`` are C++ definitions, the same that back
``--relax-legalize``; the others are te written in Python.
"""

from .._ffi import lib
from . import math, nn, reduction, transform
from .math import exp, log, sqrt, tanh, sigmoid, negative, erf, scalar_op
from .reduction import sum, mean, max  # pylint: disable=redefined-builtin
from .transform import (concatenate, expand_dims, flatten, reshape, squeeze,
                        strided_slice, transpose)

add = lib.te.topi.add
subtract = lib.te.topi.subtract
multiply = lib.te.topi.multiply
divide = lib.te.topi.divide
matmul = lib.te.topi.matmul
