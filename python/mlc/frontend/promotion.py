"""torch's type promotion, in one place.

Every rule that combines operands asks ``promote`` for the dtype it
computes in and the dtype it returns. The answer is torch's own: the
operands are stood in for by meta tensors of the same dtype and rank class
(a dimensioned tensor, a 0-d tensor, a Python scalar) and handed to
``torch._prims_common.elementwise_dtypes``, the function torch's reference
implementations promote with. So tensor-tensor promotion, Python scalars
counted by category only, 0-d tensors losing to dimensioned ones of the
same category, true division of integers giving the default float,
comparisons giving bool, and float16 computing in float32 (torch's "opmath")
all come out as torch has them, and the import-time check compares the
result with torch's actual dtypes.
"""

import torch
import torch._prims_common as prims_common

from .. import relax
from .._ffi import MLCError

KIND = prims_common.ELEMENTWISE_TYPE_PROMOTION_KIND
DEFAULT = KIND.DEFAULT
INT_TO_FLOAT = KIND.INT_TO_FLOAT
ALWAYS_BOOL = KIND.ALWAYS_BOOL
BOOL_TO_LONG = KIND.BOOL_TO_LONG
NO_OPMATH = KIND.NO_OPMATH
COMPLEX_TO_FLOAT = KIND.COMPLEX_TO_FLOAT

TORCH_DTYPES = {
    "float16": torch.float16, "float32": torch.float32,
    "float64": torch.float64, "bfloat16": torch.bfloat16,
    "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
    "int64": torch.int64, "uint8": torch.uint8, "bool": torch.bool,
}
DTYPE_NAMES = {v: k for k, v in TORCH_DTYPES.items()}


def dtype_name(dtype):
    """mlc's dtype name of a torch dtype; raises for dtypes mlc lacks."""
    if dtype not in DTYPE_NAMES or dtype == torch.bfloat16:
        raise MLCError(f"mlc does not support tensors of {dtype}")
    return DTYPE_NAMES[dtype]


def torch_dtype(value):
    """The torch dtype of a relax value, constant tensor or Python scalar."""
    if isinstance(value, torch.Tensor):
        return value.dtype
    if isinstance(value, relax.Expr):
        return TORCH_DTYPES[value.dtype]
    if isinstance(value, bool):
        return torch.bool
    if isinstance(value, int):
        return torch.int64
    if isinstance(value, float):
        return torch.get_default_dtype()
    raise TypeError(f"no dtype for {type(value).__name__}")


def _stand_in(value):
    if isinstance(value, (relax.Expr, torch.Tensor)):
        rank = len(value.shape)
        return torch.empty((1,) * rank, dtype=torch_dtype(value),
                           device="meta")
    return value


def promote(*operands, kind=DEFAULT):
    """(computation dtype, result dtype) of an element-wise op on
    `operands` (relax values, constant tensors, Python numbers; None is
    skipped) under torch's promotion `kind`."""
    present = [_stand_in(v) for v in operands if v is not None]
    return prims_common.elementwise_dtypes(*present, type_promotion_kind=kind)


def result_type(*operands):
    """torch.result_type of several operands."""
    return promote(*operands, kind=NO_OPMATH)[1]


def is_float(dtype):
    return dtype.is_floating_point


def is_integer(dtype):
    return not dtype.is_floating_point and dtype != torch.bool and \
        not dtype.is_complex
