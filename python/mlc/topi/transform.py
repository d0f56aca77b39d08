"""Layout transformations: reshape, transpose, concatenate, slicing."""

from .. import te
from ._util import normalize_axis, static


def reshape(x, newshape, name="reshape"):
    """numpy reshape (C order); one size may be -1. Every size but a
    leading dynamic one (a batch, the same in input and output) must be
    static."""
    shape = list(x.shape)
    lead_dynamic = not isinstance(shape[0], int)
    inner = shape[1:] if lead_dynamic else shape
    inner_count = 1
    for s in inner:
        inner_count *= static(s, "reshape")
    newshape = [int(s) if isinstance(s, int) else s for s in newshape]
    if lead_dynamic:
        first = newshape[0] if newshape else None
        keeps_batch = (isinstance(first, int) and first == -1) or \
            (isinstance(first, te.Expr) and first.same_as(shape[0]))
        if not keeps_batch:
            raise ValueError("reshape of a dynamic batch must keep it as the "
                             "first dimension")
        out_inner = list(newshape[1:])
        out = [shape[0]]
    else:
        out_inner = list(newshape)
        out = []
    if out_inner.count(-1) > 1:
        raise ValueError("reshape: at most one size may be -1")
    known = 1
    for s in out_inner:
        if s != -1:
            known *= s
    if -1 in out_inner:
        if known == 0 or inner_count % known:
            raise ValueError(f"cannot reshape {shape} into {newshape}")
        out_inner[out_inner.index(-1)] = inner_count // known
    elif known != inner_count:
        raise ValueError(f"cannot reshape {shape} into {newshape}")
    out += out_inner
    in_inner = inner

    def fcompute(*i):
        i = list(i)
        prefix = [i.pop(0)] if lead_dynamic else []
        flat = 0
        for idx, size in zip(i, out_inner):
            flat = flat * size + idx
        index = []
        for size in reversed(in_inner):
            index.append(flat % size)
            flat = flat // size
        return x[tuple(prefix + index[::-1])]

    return te.compute(out, fcompute, name=name)


def flatten(x, start_dim=1, end_dim=-1, name="flatten"):
    ndim = len(x.shape)
    start = normalize_axis(start_dim, ndim)
    end = normalize_axis(end_dim, ndim)
    shape = list(x.shape)
    merged = 1
    for s in shape[start:end + 1]:
        merged *= static(s, "flatten")
    return reshape(x, shape[:start] + [merged] + shape[end + 1:], name=name)


def transpose(x, axes=None, name="transpose"):
    ndim = len(x.shape)
    axes = list(reversed(range(ndim))) if axes is None else \
        [normalize_axis(a, ndim) for a in axes]
    if sorted(axes) != list(range(ndim)):
        raise ValueError(f"{axes} is not a permutation of the axes")
    out_shape = [x.shape[a] for a in axes]

    def fcompute(*i):
        index = [None] * ndim
        for out_dim, a in enumerate(axes):
            index[a] = i[out_dim]
        return x[tuple(index)]

    return te.compute(out_shape, fcompute, name=name)


def expand_dims(x, axis, name="expand_dims"):
    ndim = len(x.shape) + 1
    axis = normalize_axis(axis, ndim)
    out_shape = list(x.shape[:axis]) + [1] + list(x.shape[axis:])
    return te.compute(out_shape,
                      lambda *i: x[tuple(i[:axis] + i[axis + 1:])],
                      name=name)


def squeeze(x, axis=None, name="squeeze"):
    ndim = len(x.shape)
    def is_one(size):  # a symbolic size is never known to be 1
        return isinstance(size, int) and size == 1

    if axis is None:
        axes = [d for d, s in enumerate(x.shape) if is_one(s)]
    else:
        axes = [normalize_axis(a, ndim) for a in
                (axis if isinstance(axis, (list, tuple)) else [axis])]
        axes = [a for a in axes if is_one(x.shape[a])]
    out_shape = [s for d, s in enumerate(x.shape) if d not in axes]

    def fcompute(*i):
        i = list(i)
        return x[tuple(0 if d in axes else i.pop(0) for d in range(ndim))]

    return te.compute(out_shape, fcompute, name=name)


def concatenate(tensors, axis=0, name="concatenate"):
    ndim = len(tensors[0].shape)
    axis = normalize_axis(axis, ndim)
    sizes = [static(t.shape[axis], "concatenate") for t in tensors]
    out_shape = list(tensors[0].shape)
    out_shape[axis] = sum(sizes)

    offsets = [0]
    for s in sizes:
        offsets.append(offsets[-1] + s)

    def fcompute(*i):
        # Last tensor unguarded; each earlier one takes over below its end.
        value = None
        for t, start, end in reversed(list(zip(tensors, offsets,
                                               offsets[1:]))):
            index = list(i)
            index[axis] = i[axis] - start
            read = t[tuple(index)]
            value = read if value is None else \
                te.if_then_else(i[axis] < end, read, value)
        return value

    return te.compute(out_shape, fcompute, name=name)


def strided_slice(x, begin, end, strides, name="strided_slice"):
    """x[begin:end:stride] per axis (positive strides, static sizes)."""
    out_shape, starts, steps = [], [], []
    for d, size in enumerate(x.shape):
        b, e, s = begin[d], end[d], strides[d]
        if s <= 0:
            raise ValueError("strided_slice supports positive steps only")
        if not isinstance(size, int):
            if (b, e, s) != (0, None, 1):
                raise ValueError("a dynamic dimension can only be taken whole")
            out_shape.append(size)
        else:
            b, e, _ = slice(b, e, s).indices(size)
            out_shape.append(max(0, (e - b + s - 1) // s))
        starts.append(b)
        steps.append(s)
    return te.compute(
        out_shape,
        lambda *i: x[tuple(starts[d] + i[d] * steps[d] for d in range(len(i)))],
        name=name)
