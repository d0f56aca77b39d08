"""High-level relax operators: ``bb.emit(relax.op.add(a, b))``.

Each function returns a call description that ``BlockBuilder.emit`` turns
into the relax op; shape errors surface there as ``MLCError``.
"""

from ..expr import Expr


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


class Composite:
    """An operator mlc's relax dialect spells with several ops (TVM's
    ``nn.gelu``, ``linear``, ...): ``BlockBuilder.emit`` calls ``expand``
    with itself, which emits them and returns the result (a value, or a
    tuple of values where TVM's op returns a tuple)."""

    def __init__(self, name, expand):
        self.op = name
        self.expand = expand

    def __repr__(self):
        return f"relax.op.{self.op}(...)"


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


def conv2d(data, weight, strides=(1, 1), padding=(0, 0), dilation=(1, 1),
           groups=1):
    """``F.conv2d(data, weight, stride=strides, padding=padding,
    dilation=dilation, groups=groups)`` without bias: NCHW data, OIHW
    weight; each of strides, padding and dilation one int or two (H, W)."""
    return Call("conv2d", [data, weight], {
        "strides": _pair(strides, "conv2d", "strides"),
        "padding": _pair(padding, "conv2d", "padding"),
        "dilation": _pair(dilation, "conv2d", "dilation"),
        "groups": _int(groups, "conv2d", "groups")})


def batch_norm(data, mean, var, weight, bias, epsilon=1e-5):
    """Inference ``F.batch_norm(data, mean, var, weight, bias,
    training=False, eps=epsilon)`` over channel dimension 1."""
    return Call("batch_norm", [data, mean, var, weight, bias],
                {"epsilon": _number(epsilon, "batch_norm", "epsilon")})


def max_pool2d(data, kernel, strides=None, padding=(0, 0), dilation=(1, 1),
               ceil_mode=False):
    """``F.max_pool2d(data, kernel, stride=strides, padding=padding,
    dilation=dilation, ceil_mode=ceil_mode)`` of NCHW data; strides default
    to the kernel."""
    attrs = _window("max_pool2d", kernel, strides, padding, ceil_mode=ceil_mode)
    attrs["dilation"] = _pair(dilation, "max_pool2d", "dilation")
    return Call("max_pool2d", [data], attrs)


def avg_pool2d(data, kernel, strides=None, padding=(0, 0), ceil_mode=False,
               count_include_pad=True):
    """``F.avg_pool2d(data, kernel, stride=strides, padding=padding,
    ceil_mode=ceil_mode, count_include_pad=count_include_pad)`` of float
    NCHW data; strides default to the kernel."""
    return Call("avg_pool2d", [data], _window(
        "avg_pool2d", kernel, strides, padding, ceil_mode=ceil_mode,
        count_include_pad=count_include_pad))


def layer_norm(data, weight, bias, epsilon=1e-5):
    """``torch.nn.functional.layer_norm(data, weight.shape, weight, bias,
    eps=epsilon)`` of float tensors, as torch's kernel computes it."""
    return Call("layer_norm", [data, weight, bias],
                {"epsilon": _number(epsilon, "layer_norm", "epsilon")})


def _window(op, kernel, strides, padding, **flags):
    """A pooling window's attributes: kernel, strides (the kernel's when
    None), padding, and the bool `flags`."""
    kernel = _pair(kernel, op, "kernel")
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise TypeError(f"relax.op.{op}: {name} must be a bool, got "
                            f"{flag!r}")
    return {"kernel": kernel,
            "strides": kernel if strides is None else
            _pair(strides, op, "strides"),
            "padding": _pair(padding, op, "padding"), **flags}


def _number(value, op, name):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"relax.op.{op}: {name} must be a number, got "
                        f"{value!r}")
    return float(value)


def _int(value, op, name):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"relax.op.{op}: {name} must be an int, got "
                        f"{value!r}")
    return value


def _pair(value, op, name):
    values = list(value) if isinstance(value, (tuple, list)) else \
        [value, value]
    if len(values) != 2:
        raise TypeError(f"relax.op.{op}: {name} takes one int or two, got "
                        f"{value!r}")
    return [_int(v, op, name) for v in values]


def softmax(data, axis=-1):
    """``torch.softmax(data, axis)`` of a float tensor (summed in float32
    for float16), as torch's CPU kernel computes it."""
    return Call("softmax", [data], {"axis": _int(axis, "softmax", "axis")})


def log_softmax(data, axis=-1):
    """``torch.log_softmax(data, axis)`` of a float tensor."""
    return Call("log_softmax", [data],
                {"axis": _int(axis, "log_softmax", "axis")})


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


# --- element-wise float functions (one category; docs in RelaxOps.td) ------

def _unary_float(name):
    def op(data):
        return Call(name, [data])
    op.__name__ = name
    op.__doc__ = (f"``torch.{name}(data)`` of a float tensor, element-wise "
                  "(in float32 for float16).")
    return op


exp = _unary_float("exp")
log = _unary_float("log")
sqrt = _unary_float("sqrt")
rsqrt = _unary_float("rsqrt")
tanh = _unary_float("tanh")
sigmoid = _unary_float("sigmoid")
erf = _unary_float("erf")
sin = _unary_float("sin")
cos = _unary_float("cos")

UNARY_FLOAT = ("exp", "log", "sqrt", "rsqrt", "tanh", "sigmoid", "erf", "sin",
               "cos")


# --- reductions (one category) ------------------------------------------------

def _reduction(name):
    def op(data, axes=None, keepdims=False):
        if axes is None:
            axes = []
        elif not isinstance(axes, (tuple, list)):
            axes = [axes]
        if not isinstance(keepdims, bool):
            raise TypeError(f"relax.op.{name}: keepdims must be a bool, got "
                            f"{keepdims!r}")
        return Call(name, [data], {"axes": [_int(a, name, "axes")
                                            for a in axes],
                                   "keepdims": keepdims})
    op.__name__ = name
    op.__doc__ = (f"``torch.{name}(data, dim=axes, keepdim=keepdims)`` "
                  "accumulated in the element type; no axes: all.")
    return op


sum = _reduction("sum")  # pylint: disable=redefined-builtin
mean = _reduction("mean")
max = _reduction("max")  # pylint: disable=redefined-builtin
min = _reduction("min")  # pylint: disable=redefined-builtin
prod = _reduction("prod")


def linear(data, weight, bias=None, out_dtype=None):
    """TVM's ``relax.op.linear``: ``data @ weight.T + bias`` (torch's
    ``F.linear``), weight (out, in). ``out_dtype`` other than the data's is
    not supported."""
    from .nn import linear as _linear  # one definition, in relax.op.nn
    return _linear(data, weight, bias, out_dtype)


from . import nn  # noqa: E402  (TVM's relax.op.nn)
