"""TVM's ``relax.op.nn``: neural-network operators under TVM's current
names and argument orders, over mlc's relax ops.

Ops the relax dialect has (relu, softmax, conv2d, pooling, norms) are
those ops; the others (gelu, silu, linear, adaptive_avg_pool2d, dropout)
are ``Composite`` calls that ``BlockBuilder.emit`` expands into several
ops. Where TVM's op returns a tuple (batch_norm: the output and the moving
statistics; dropout: the output and its mask) ``emit`` returns a Python
tuple of values, so ``bb.emit(nn.batch_norm(...))[0]`` reads as in TVM.
Inference only: a training-mode flag or a layout other than NCHW is an
error, not ignored.
"""

import math

import numpy as np

from .. import op as _op
from ..expr import const
from . import Composite

__all__ = ["relu", "gelu", "silu", "softmax", "log_softmax", "conv2d",
           "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "batch_norm",
           "layer_norm", "dropout", "linear"]


def _error(op, message):
    from ..._ffi import MLCError
    return MLCError(f"relax.op.nn.{op}: {message}")


def _layout(op, **layouts):
    for name, (value, expected) in layouts.items():
        if value is not None and value != expected:
            raise _error(op, f"{name} {value!r} is not supported (mlc "
                             f"computes {expected})")


def _scalar(value, like):
    """A rank-0 constant of `like`'s dtype."""
    return const(np.asarray(value, dtype=like.dtype))


def relu(data):
    return _op.relu(data)


def softmax(data, axis=-1):
    return _op.softmax(data, axis)


def log_softmax(data, axis=-1):
    return _op.log_softmax(data, axis)


def gelu(data):
    """``x * 0.5 * (1 + erf(x / sqrt(2)))``, torch's exact GELU."""
    def expand(bb):
        scaled = bb.emit(_op.multiply(data, _scalar(1 / math.sqrt(2), data)))
        erf = bb.emit(_op.erf(scaled))
        one_plus = bb.emit(_op.add(erf, _scalar(1.0, data)))
        half = bb.emit(_op.multiply(data, _scalar(0.5, data)))
        return bb.emit(_op.multiply(half, one_plus))
    return Composite("nn.gelu", expand)


def silu(data):
    """``x * sigmoid(x)``."""
    def expand(bb):
        return bb.emit(_op.multiply(data, bb.emit(_op.sigmoid(data))))
    return Composite("nn.silu", expand)


def linear(data, weight, bias=None, out_dtype=None):
    """``data @ weight.T + bias``, weight (out, in) as torch stores it."""
    if out_dtype is not None and out_dtype != getattr(data, "dtype", None):
        raise _error("linear", f"out_dtype {out_dtype!r} differs from the "
                               "data's dtype; mlc computes in the data's")

    def expand(bb):
        out = bb.emit(_op.dense(data, weight))
        return out if bias is None else bb.emit(_op.add(out, bias))
    return Composite("linear", expand)


def conv2d(data, weight, strides=(1, 1), padding=(0, 0), dilation=(1, 1),
           groups=1, data_layout="NCHW", kernel_layout="OIHW",
           out_layout=None, out_dtype=None):
    _layout("conv2d", data_layout=(data_layout, "NCHW"),
            kernel_layout=(kernel_layout, "OIHW"),
            out_layout=(out_layout, "NCHW"))
    if out_dtype is not None and out_dtype != getattr(data, "dtype", None):
        raise _error("conv2d", f"out_dtype {out_dtype!r} is not supported")
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        top, left, bottom, right = padding
        if (top, left) != (bottom, right):
            raise _error("conv2d", f"asymmetric padding {tuple(padding)} is "
                                   "not supported")
        padding = (top, left)
    return _op.conv2d(data, weight, strides, padding, dilation, groups)


def _pool_padding(op, padding):
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        top, left, bottom, right = padding
        if (top, left) != (bottom, right):
            raise _error(op, f"asymmetric padding {tuple(padding)} is not "
                             "supported")
        return (top, left)
    return padding


def max_pool2d(data, pool_size=(1, 1), strides=(1, 1), padding=(0, 0),
               dilation=(1, 1), ceil_mode=False, count_include_pad=False,
               layout="NCHW", out_layout=None):
    _layout("max_pool2d", layout=(layout, "NCHW"),
            out_layout=(out_layout, "NCHW"))
    # count_include_pad means nothing to a maximum (TVM ignores it too).
    return _op.max_pool2d(data, pool_size, strides,
                          _pool_padding("max_pool2d", padding), dilation,
                          ceil_mode)


def avg_pool2d(data, pool_size=(1, 1), strides=(1, 1), padding=(0, 0),
               dilation=(1, 1), ceil_mode=False, count_include_pad=False,
               layout="NCHW", out_layout=None):
    _layout("avg_pool2d", layout=(layout, "NCHW"),
            out_layout=(out_layout, "NCHW"))
    if tuple(np.broadcast_to(dilation, 2)) != (1, 1):
        raise _error("avg_pool2d", f"dilation {dilation} is not supported")
    return _op.avg_pool2d(data, pool_size, strides,
                          _pool_padding("avg_pool2d", padding), ceil_mode,
                          count_include_pad)


def adaptive_avg_pool2d(data, output_size=None, layout="NCHW",
                        out_layout=None):
    """Average pooling to `output_size` (None: the input's size), for
    output sizes that divide the input's: torch's windows are then equal
    and do not overlap, an average pool of kernel = stride = in / out."""
    _layout("adaptive_avg_pool2d", layout=(layout, "NCHW"),
            out_layout=(out_layout, "NCHW"))

    def expand(bb):
        height, width = data.shape[2], data.shape[3]
        if height is None or width is None:
            raise _error("adaptive_avg_pool2d", "needs a static height and "
                                                "width")
        # TVM's output_size: None, one size, or two (None keeps that
        # dimension's size).
        wanted = output_size if isinstance(output_size, (tuple, list)) \
            else (output_size, output_size)
        if len(wanted) != 2:
            raise _error("adaptive_avg_pool2d", f"output_size must be one or "
                                                f"two sizes, got {output_size!r}")
        size = tuple(int(have if want is None else want)
                     for want, have in zip(wanted, (height, width)))
        if min(size) < 1:
            raise _error("adaptive_avg_pool2d", f"output size {size} must be "
                                                "positive")
        if height % size[0] or width % size[1]:
            raise _error("adaptive_avg_pool2d",
                         f"output size {size} does not divide the input's "
                         f"{(height, width)} (windows of unequal size are "
                         "not supported)")
        kernel = (height // size[0], width // size[1])
        return bb.emit(_op.avg_pool2d(data, kernel, kernel))
    return Composite("nn.adaptive_avg_pool2d", expand)


def batch_norm(data, gamma, beta, moving_mean, moving_var, axis=1,
               epsilon=1e-5, center=True, scale=True, momentum=0.1,
               training=False):
    """Inference batch norm with TVM's argument order; emitted, a tuple
    (output, moving_mean, moving_var) as TVM's op returns (the statistics
    unchanged: inference)."""
    if training:
        raise _error("batch_norm", "training mode is not supported")
    if axis != 1:
        raise _error("batch_norm", f"axis {axis}: mlc normalizes over the "
                                   "channel axis 1")
    if not (center and scale):
        raise _error("batch_norm", "center=False or scale=False is not "
                                   "supported")

    def expand(bb):
        out = bb.emit(_op.batch_norm(data, moving_mean, moving_var, gamma,
                                     beta, epsilon))
        return (out, moving_mean, moving_var)
    return Composite("nn.batch_norm", expand)


def layer_norm(data, gamma, beta, axes=-1, epsilon=1e-5, center=True,
               scale=True):
    """Layer norm over `axes`, which must be the data's last
    ``gamma.ndim`` axes (torch's normalized_shape)."""
    if not (center and scale):
        raise _error("layer_norm", "center=False or scale=False is not "
                                   "supported")
    axes = [axes] if isinstance(axes, int) else list(axes)
    rank, count = len(data.shape), len(gamma.shape)
    wanted = list(range(rank - count, rank))
    if sorted(a % rank for a in axes) != wanted:
        raise _error("layer_norm", f"axes {axes} must be the last {count} "
                                   f"axes of the data, {wanted}")
    return _op.layer_norm(data, gamma, beta, epsilon)


def dropout(data, rate=0.5):
    """Inference dropout: emitted, the tuple (data, mask of ones) as TVM's
    op returns (output, mask); the output is the data unchanged."""
    if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise _error("dropout", f"rate must be in [0, 1), got {rate!r}")

    def expand(bb):
        if any(d is None for d in data.shape):
            raise _error("dropout", "the mask needs a static shape")
        mask = const(np.ones(data.shape, dtype=data.dtype))
        return (data, mask)
    return Composite("nn.dropout", expand)

