"""High-level relax operators: ``bb.emit(relax.op.add(a, b))``.

Each function returns a call description that ``BlockBuilder.emit`` turns
into the relax op; shape errors surface there as ``MLCError``.
"""

from .expr import Expr


class Call:
    """A relax operator applied to arguments, not yet emitted."""

    def __init__(self, op, args):
        for i, arg in enumerate(args):
            if not isinstance(arg, Expr):
                raise TypeError(f"relax.op.{op}: argument #{i} is a "
                                f"{type(arg).__name__}, not a relax value "
                                "(use relax.const for arrays)")
        self.op = op
        self.args = list(args)

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
