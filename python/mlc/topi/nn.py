"""Neural-network operators of topi: te definitions.

``dense``, ``relu``, ``conv2d_nchw``, ``max_pool2d``, ``avg_pool2d``,
``softmax`` and ``log_softmax`` are the C++ definitions (shared with ``--relax-legalize``);
the others are written here in te.
"""

import math as _math

from .. import te
from .._ffi import lib
from ._util import pair, static
from .reduction import _reduce

dense = lib.te.topi.dense
relu = lib.te.topi.relu


def pool_output_size(size, kernel, stride, pad, dilation=1, ceil_mode=False):
    """torch's output size of a window (convolution, pooling) along one
    dimension; with ceil_mode a last window must start inside the input or
    its left padding."""
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    if ceil_mode:
        out = -(-span // stride) + 1
        if (out - 1) * stride >= size + pad:
            out -= 1
        return out
    return span // stride + 1


def conv2d_nchw(data, weight, stride=1, padding=0, dilation=1, groups=1,
                name="conv2d"):
    """2-D convolution, NCHW data and OIHW weight, as torch.nn.Conv2d (the
    C++ definition --relax-legalize gives relax.conv2d)."""
    return lib.te.topi.conv2d_nchw(data, weight, list(pair(stride)),
                                   list(pair(padding)), list(pair(dilation)),
                                   int(groups), name)


def max_pool2d(data, kernel, stride=None, padding=0, dilation=1,
               ceil_mode=False, name="max_pool2d"):
    """torch.nn.MaxPool2d over NCHW data (the C++ definition
    --relax-legalize gives relax.max_pool2d); `stride` defaults to the
    kernel."""
    stride = kernel if stride is None or stride == [] else stride
    return lib.te.topi.max_pool2d(data, list(pair(kernel)), list(pair(stride)),
                                  list(pair(padding)), list(pair(dilation)),
                                  bool(ceil_mode), name)


def avg_pool2d(data, kernel, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, name="avg_pool2d"):
    """torch.nn.AvgPool2d over float NCHW data, H and W static (the C++
    definition --relax-legalize gives relax.avg_pool2d); `stride` defaults
    to the kernel."""
    stride = kernel if stride is None or stride == [] else stride
    return lib.te.topi.avg_pool2d(data, list(pair(kernel)),
                                  list(pair(stride)), list(pair(padding)),
                                  bool(ceil_mode), bool(count_include_pad),
                                  name)


def adaptive_avg_pool2d(data, output_size, name="adaptive_avg_pool2d"):
    """torch's adaptive average pooling: output cell i averages input rows
    floor(i*H/OH) .. ceil((i+1)*H/OH)."""
    n, c, h, w = data.shape
    h, w = static(h, "adaptive pooling"), static(w, "adaptive pooling")
    oh, ow = pair(output_size if output_size is not None else (h, w))
    oh = h if oh is None else oh
    ow = w if ow is None else ow
    if h % oh == 0 and w % ow == 0:
        return avg_pool2d(data, (h // oh, w // ow), (h // oh, w // ow),
                          name=name)
    kh = max(-(-(i + 1) * h // oh) - (i * h) // oh for i in range(oh))
    kw = max(-(-(j + 1) * w // ow) - (j * w) // ow for j in range(ow))
    ry = te.reduce_axis((0, kh), name="ry")
    rx = te.reduce_axis((0, kw), name="rx")

    def bounds(i, size, out):
        start = (i * size) // out
        end = (i * size + size + out - 1) // out
        return start, end

    def fsum(b, ch, y, x):
        y0, y1 = bounds(y, h, oh)
        x0, x1 = bounds(x, w, ow)
        inside = te.all(y0 + ry < y1, x0 + rx < x1)
        return te.sum(te.if_then_else(inside, data[b, ch, y0 + ry, x0 + rx],
                                      0.0), axis=[ry, rx])

    total = te.compute((n, c, oh, ow), fsum, name=name + "_sum")

    def favg(b, ch, y, x):
        y0, y1 = bounds(y, h, oh)
        x0, x1 = bounds(x, w, ow)
        return total[b, ch, y, x] / te.cast((y1 - y0) * (x1 - x0), "float32")

    return te.compute(total.shape, favg, name=name)


# The C++ definitions that --relax-legalize uses for relax.softmax and
# relax.log_softmax.
softmax = lib.te.topi.softmax
log_softmax = lib.te.topi.log_softmax


def _keep(index, axis):
    """The index into a keepdims reduction over `axis`."""
    return tuple(0 if d == axis else v for d, v in enumerate(index))


def batch_norm_inference(x, mean, var, weight, bias, eps=1e-5,
                         name="batch_norm"):
    """(x - mean) / sqrt(var + eps) * weight + bias over axis 1 (NC...)."""
    return te.compute(
        x.shape,
        lambda *i: (x(*i) - mean[i[1]]) / te.sqrt(var[i[1]] + eps) *
        weight[i[1]] + bias[i[1]], name=name)


def layer_norm(x, weight, bias, normalized_ndim, eps=1e-5, name="layer_norm"):
    """torch.nn.LayerNorm over the last `normalized_ndim` axes (biased
    variance); `weight`/`bias` may be None."""
    ndim = len(x.shape)
    axes = list(range(ndim - normalized_ndim, ndim))
    mean = _reduce(x, axes, True, "mean", name + "_mean")
    centered = te.compute(
        x.shape, lambda *i: x(*i) - mean(*_keep_all(i, axes)),
        name=name + "_centered")
    sq = te.compute(x.shape, lambda *i: centered(*i) * centered(*i),
                    name=name + "_sq")
    var = _reduce(sq, axes, True, "mean", name + "_var")

    def fcompute(*i):
        v = centered(*i) / te.sqrt(var(*_keep_all(i, axes)) + eps)
        inner = i[ndim - normalized_ndim:]
        if weight is not None:
            v = v * weight[inner]
        if bias is not None:
            v = v + bias[inner]
        return v

    return te.compute(x.shape, fcompute, name=name)


def _keep_all(index, axes):
    return tuple(0 if d in axes else v for d, v in enumerate(index))


def gelu(x, approximate="none", name="gelu"):
    """x * Phi(x), exact (erf) or with torch's tanh approximation."""
    if approximate == "tanh":
        c = _math.sqrt(2.0 / _math.pi)
        return te.compute(x.shape, lambda *i: 0.5 * x(*i) * (1.0 + te.tanh(
            c * (x(*i) + 0.044715 * x(*i) * x(*i) * x(*i)))), name=name)
    return te.compute(x.shape, lambda *i: 0.5 * x(*i) * (
        1.0 + te.erf(x(*i) * (1.0 / _math.sqrt(2.0)))), name=name)


__all__ = ["dense", "relu", "conv2d_nchw", "max_pool2d", "avg_pool2d",
           "adaptive_avg_pool2d", "softmax", "log_softmax",
           "batch_norm_inference", "layer_norm", "gelu"]
