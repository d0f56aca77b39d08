"""High-level relax operators: ``bb.emit(relax.op.add(a, b))``.

Each function returns a call description that ``BlockBuilder.emit`` turns
into the relax op; shape errors surface there as ``MLCError``.
"""

from .expr import Expr


class Call:
    """A relax operator applied to arguments, not yet emitted."""

    def __init__(self, op, args, attrs=None):
        for i, arg in enumerate(args):
            if not isinstance(arg, Expr):
                raise TypeError(f"relax.op.{op}: argument #{i} is a "
                                f"{type(arg).__name__}, not a relax value "
                                "(use relax.const for arrays)")
        self.op = op
        self.args = list(args)
        self.attrs = dict(attrs or {})

    def __repr__(self):
        return f"relax.op.{self.op}({', '.join(map(repr, self.args))})"


def add(lhs, rhs):
    return Call("add", [lhs, rhs])


def subtract(lhs, rhs):
    return Call("subtract", [lhs, rhs])


def multiply(lhs, rhs):
    return Call("multiply", [lhs, rhs])


def divide(lhs, rhs):
    return Call("divide", [lhs, rhs])


def matmul(lhs, rhs):
    return Call("matmul", [lhs, rhs])


def dense(data, weight):
    return Call("dense", [data, weight])


def relu(data):
    return Call("relu", [data])


def softmax(data, axis=-1):
    """``torch.softmax(data, axis)`` of a float tensor (summed in float32
    for float16), as torch's CPU kernel computes it."""
    return Call("softmax", [data], {"axis": _axis(axis, "softmax")})


def log_softmax(data, axis=-1):
    """``torch.log_softmax(data, axis)`` of a float tensor."""
    return Call("log_softmax", [data], {"axis": _axis(axis, "log_softmax")})


def _axis(axis, op):
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"relax.op.{op}: axis must be an int, got {axis!r}")
    return axis


def reshape(data, shape):
    """``data`` under ``shape`` (a tuple of sizes, None for a dynamic one),
    which must merge or split adjacent dimensions of ``data``: flatten,
    unflatten. Compiled, it is a view of ``data``'s buffer (no copy)."""
    if not isinstance(shape, (tuple, list)) or not all(
            s is None or (isinstance(s, int) and not isinstance(s, bool))
            for s in shape):
        raise TypeError("relax.op.reshape: shape must be a tuple of ints "
                        f"and None, got {shape!r}")
    return Call("reshape", [data], {"shape": tuple(shape)})
