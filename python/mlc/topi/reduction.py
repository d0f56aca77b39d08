"""Reductions over axes: sum, mean, max."""

from .. import te
from ._util import normalize_axis, static


def _reduce(x, axis, keepdims, kind, name):
    ndim = len(x.shape)
    if axis is None:
        axes = list(range(ndim))
    elif isinstance(axis, int):
        axes = [normalize_axis(axis, ndim)]
    else:
        axes = sorted(normalize_axis(a, ndim) for a in axis)
    raxes = [te.reduce_axis((0, x.shape[a]), name=f"r{a}") for a in axes]
    out_shape = []
    for d in range(ndim):
        if d in axes:
            if keepdims:
                out_shape.append(1)
        else:
            out_shape.append(x.shape[d])

    def fcompute(*i):
        i = list(i)
        index = []
        for d in range(ndim):
            if d in axes:
                index.append(raxes[axes.index(d)])
                if keepdims:
                    i.pop(0)
            else:
                index.append(i.pop(0))
        value = x[tuple(index)]
        if kind == "max":
            return te.max(value, axis=raxes)
        return te.sum(value, axis=raxes)

    out = te.compute(out_shape, fcompute, name=name)
    if kind != "mean":
        return out
    count = 1
    for a in axes:
        count *= static(x.shape[a], "mean")
    return te.compute(out.shape, lambda *i: out(*i) / float(count),
                      name=name)


def sum(x, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    return _reduce(x, axis, keepdims, "sum", "sum")


def mean(x, axis=None, keepdims=False):
    return _reduce(x, axis, keepdims, "mean", "mean")


def max(x, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    return _reduce(x, axis, keepdims, "max", "max")
