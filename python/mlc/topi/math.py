"""Element-wise math: unary functions and operations with a scalar."""

from .. import te


def _unary(fn, name):
    def op(x, name=name):
        return te.compute(x.shape, lambda *i: fn(x(*i)), name=name)
    op.__name__ = name
    return op


exp = _unary(te.exp, "exp")
log = _unary(te.log, "log")
sqrt = _unary(te.sqrt, "sqrt")
tanh = _unary(te.tanh, "tanh")
sigmoid = _unary(te.sigmoid, "sigmoid")
negative = _unary(lambda v: -v, "negative")
erf = _unary(te.erf, "erf")


def scalar_op(x, scalar, op, reverse=False, name="scalar_op"):
    """``x <op> scalar`` (``scalar <op> x`` when `reverse`), op one of
    add, subtract, multiply, divide, power."""
    fns = {
        "add": lambda a, b: a + b,
        "subtract": lambda a, b: a - b,
        "multiply": lambda a, b: a * b,
        "divide": lambda a, b: a / b,
        "power": te.power,
    }
    fn = fns[op]
    value = float(scalar) if x.dtype.startswith("float") else int(scalar)
    if reverse:
        return te.compute(x.shape, lambda *i: fn(value, x(*i)), name=name)
    return te.compute(x.shape, lambda *i: fn(x(*i), value), name=name)
