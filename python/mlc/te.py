"""Tensor expressions (TVM's ``te``), emitted as ``tir`` dialect ops.

A te program is built with placeholders, ``compute`` and reductions, then
``create_prim_func`` turns the tensors it lists into a ``tir.func``. Python
numbers mix with expressions (``A[i] * 2``, ``te.max(x, 0)``).
"""

import builtins
import inspect

from ._ffi import lib
from .ir.module import IRModule

Tensor = lib.te.Tensor
Expr = lib.te.Expr
Var = lib.te.Var
IterVar = lib.te.IterVar


def _shape(shape):
    if isinstance(shape, (tuple, list)):
        return list(shape)
    return [shape]


def placeholder(shape, dtype="float32", name="placeholder"):
    """An input tensor of ``shape`` (ints or ``te.var`` sizes)."""
    return lib.te.placeholder(_shape(shape), dtype, name)


def var(name="n", dtype="int32"):
    """A symbolic size. ``dtype`` is accepted for TVM compatibility; sizes
    are MLIR ``index`` values."""
    if dtype not in ("int32", "int64"):
        raise TypeError(f"te.var is a size: dtype must be int32 or int64, "
                        f"got {dtype}")
    return lib.te.var(name)


def reduce_axis(dom, name="rv"):
    """A reduction axis over ``range(begin, end)`` for ``dom = (begin, end)``."""
    if not isinstance(dom, (tuple, list)) or len(dom) != 2:
        raise TypeError("te.reduce_axis takes a (begin, end) range")
    return lib.te.reduce_axis(dom[0], dom[1], name)


def _check_arity(fcompute, rank, name):
    try:
        params = inspect.signature(fcompute).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return
    if builtins.any(p.kind == p.VAR_POSITIONAL for p in params):
        return
    positional = [p for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty]
    if len(positional) != rank:
        raise lib.MLCError(
            f"fcompute of '{name}' takes {len(positional)} indices but the "
            f"shape has rank {rank}")


def compute(shape, fcompute, name="compute"):
    """The tensor of ``shape`` whose element at index ``i...`` is
    ``fcompute(i...)``."""
    shape = _shape(shape)
    _check_arity(fcompute, len(shape), name)
    return lib.te.compute(shape, fcompute, name)


def _is_axes(value):
    if isinstance(value, IterVar):
        return True
    return (isinstance(value, (tuple, list)) and len(value) > 0
            and builtins.all(isinstance(v, IterVar) for v in value))


def sum(expr, axis):  # pylint: disable=redefined-builtin
    """Sum of ``expr`` over the reduction ``axis`` (one axis or a list)."""
    return lib.te.sum(expr, axis)


def prod(expr, axis):
    """Product of ``expr`` over ``axis``."""
    return lib.te.prod(expr, axis)


def _reduce_or_elementwise(elementwise, reduction, name):
    """te.max/te.min: element-wise with a second operand, a reduction with
    an axis (given as `axis=` or as the second argument)."""

    def op(expr, b=None, axis=None):
        if axis is None and _is_axes(b):
            axis, b = b, None
        if axis is not None:
            return reduction(expr, axis)
        if b is None:
            raise TypeError(f"te.{name} takes a second operand or an axis")
        return elementwise(expr, b)

    op.__name__ = name
    op.__doc__ = (f"``te.{name}(a, b)``: element-wise {name}imum; "
                  f"``te.{name}(expr, axis=k)``: {name}imum over reduction "
                  "axes.")
    return op


max = _reduce_or_elementwise(lib.te.max, lib.te.reduce_max, "max")  # pylint: disable=redefined-builtin
min = _reduce_or_elementwise(lib.te.min, lib.te.reduce_min, "min")  # pylint: disable=redefined-builtin


def if_then_else(cond, then_value, else_value):
    """``then_value`` where ``cond`` holds, else ``else_value``; only the
    chosen side is evaluated (a tensor read there may be out of bounds when
    the side is not chosen, as in padding)."""
    return lib.te.if_then_else(cond, then_value, else_value)


def select(cond, then_value, else_value):
    """``then_value`` where ``cond`` holds, else ``else_value``, both
    evaluated (for sides safe to compute either way: math, not reads)."""
    return lib.te.select(cond, then_value, else_value)


def all(*conds):  # pylint: disable=redefined-builtin
    """Logical and of conditions."""
    return lib.te.all(*conds)


def any(*conds):  # pylint: disable=redefined-builtin
    """Logical or of conditions."""
    return lib.te.any(*conds)


def cast(value, dtype):
    """``value`` converted to ``dtype``."""
    return lib.te.cast(dtype, value)


exp = lib.te.exp
log = lib.te.log
sqrt = lib.te.sqrt
tanh = lib.te.tanh
sigmoid = lib.te.sigmoid
erf = lib.te.erf
abs = lib.te.abs  # pylint: disable=redefined-builtin
floor = lib.te.floor
power = lib.te.pow
pow = lib.te.pow  # pylint: disable=redefined-builtin



def _math(name):
    def fn(*operands):
        return lib.te.math(name, *operands)
    fn.__name__ = name
    fn.__doc__ = f"``{name}`` of float operands (a ``math`` dialect op)."
    return fn


sin, cos, tan = _math("sin"), _math("cos"), _math("tan")
asin, acos, atan = _math("asin"), _math("acos"), _math("atan")
sinh, cosh = _math("sinh"), _math("cosh")
asinh, acosh, atanh = _math("asinh"), _math("acosh"), _math("atanh")
exp2, expm1 = _math("exp2"), _math("expm1")
log2, log10, log1p = _math("log2"), _math("log10"), _math("log1p")
rsqrt, cbrt, erfc = _math("rsqrt"), _math("cbrt"), _math("erfc")
ceil, trunc = _math("ceil"), _math("trunc")
round = _math("round")  # pylint: disable=redefined-builtin
round.__doc__ = "Rounds half to even, as torch.round and numpy.round."
atan2, copysign = _math("atan2"), _math("copysign")
fma = _math("fma")


def bitwise_and(a, b):
    """Bitwise and of integers (logical for bool)."""
    return lib.te.bitwise("and", a, b)


def bitwise_or(a, b):
    """Bitwise or of integers (logical for bool)."""
    return lib.te.bitwise("or", a, b)


def bitwise_xor(a, b):
    """Bitwise xor of integers (logical for bool)."""
    return lib.te.bitwise("xor", a, b)


def left_shift(a, b):
    """``a << b``; a shift by the width or more gives 0."""
    return lib.te.bitwise("shl", a, b)


def right_shift(a, b):
    """Arithmetic ``a >> b``; a shift by the width or more gives the sign."""
    return lib.te.bitwise("shr", a, b)


bitwise_not = lib.te.bitwise_not


def require_equal(a, b, message):
    """States that sizes ``a`` and ``b`` are equal at run time for the next
    ``te.compute`` (a ``tir.assert`` in every function holding it)."""
    lib.te.require_equal(a, b, message)


Expr.astype = lambda self, dtype: cast(self, dtype)


class PrimFunc(IRModule):
    """A tensor function made by ``create_prim_func``: a module holding one
    ``tir.func``."""

    def __init__(self, handle, name):
        super().__init__(handle)
        self.name = name

    def show(self):
        print(self.script())

    def script(self, show_large_constants=False):
        return self._handle.function_text(self.name,
                                          show_large_constants is False)


def create_prim_func(ops, name="main"):
    """A ``tir.func`` whose arguments are the tensors ``ops``, in order:
    placeholders are inputs, computed tensors are outputs the caller passes
    (marked ``{tir.output}``) and the function returns. A computed tensor
    that is not listed is a temporary."""
    ops = list(ops)
    for i, t in enumerate(ops):
        if not isinstance(t, Tensor):
            raise TypeError(f"te.create_prim_func: argument #{i} is a "
                            f"{type(t).__name__}, not a te.Tensor")
    return PrimFunc(lib.te.create_prim_func(ops, name), name)
