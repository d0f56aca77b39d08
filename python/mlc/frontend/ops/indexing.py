"""Indexing with tensors: index (advanced indexing), index_select,
gather, scatter / scatter_add / scatter_reduce, index_put, embedding
rows. Indices are read at run time; a negative index counts from the end
as in torch, and an index out of range is clamped by the bounds pass
(torch raises there)."""

import torch

from ... import te
from .common import (broadcast_index, broadcast_shape, cast, is_tensor,
                     literal, norm_dim, read)
from .registry import rule


def _wrap(index, size):
    """A run-time index made non-negative (torch's negative indexing)."""
    i = te.cast(index, "int64")
    n = te.cast(size, "int64")
    return te.if_then_else(i < te.cast(0, "int64"), i + n, i)


def take_rows(ctx, weight, indices):
    """weight[indices] along dim 0 (embedding)."""
    rank = len(indices.shape)

    def build(w, idx):
        ws = list(w.shape)

        def element(*i):
            row = _wrap(read(idx, i[:rank]), ws[0])
            return read(w, [row] + list(i[rank:]))
        return te.compute(list(idx.shape) + ws[1:], element, name="take")
    return ctx.te(build, weight, indices, name="embedding")


@rule("index_select")
def _index_select(ctx, self, dim, index):
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)

    def build(p, idx):
        shape = list(p.shape)
        out = list(shape)
        if ndim:
            out[axis] = idx.shape[0] if idx.shape else 1

        def element(*i):
            src = list(i)
            if ndim:
                at = read(idx, [i[axis]] if idx.shape else [])
                src[axis] = _wrap(at, shape[axis])
            return read(p, src)
        return te.compute(out, element, name="index_select")
    return ctx.te(build, self, index)


@rule("gather")
def _gather(ctx, self, dim, index, sparse_grad=False):
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)

    def build(p, idx):
        shape = list(p.shape)

        def element(*i):
            if not ndim:  # a 0-d self: every index (0 or -1) reads it
                return read(p, [])
            src = list(i)
            src[axis] = _wrap(read(idx, i), shape[axis])
            return read(p, src)
        return te.compute(list(idx.shape), element, name="gather")
    return ctx.te(build, self, index)


@rule("index.Tensor")
def _index(ctx, self, indices):
    """x[i0, i1, ...] with index tensors (None: the whole dimension). The
    indexed dimensions are replaced by the broadcast index shape, placed
    first when the index tensors are not adjacent (torch's rule)."""
    ndim = len(self.shape)
    indices = list(indices) + [None] * (ndim - len(indices))
    positions = [k for k, t in enumerate(indices) if t is not None]
    if not positions:
        return self
    tensors = [indices[k] for k in positions]
    # A bool mask selects a number of elements known only at run time.
    for t in tensors:
        if ctx.dtype(t) == torch.bool:
            raise ctx.fail("indexing with a bool mask (its result's shape "
                           "depends on the values)")
    adjacent = positions == list(range(positions[0], positions[-1] + 1))

    def build(p, *idx):
        shape = list(p.shape)
        bshape = broadcast_shape([list(t.shape) for t in idx])
        nb = len(bshape)
        rest = [k for k in range(ndim) if k not in positions]
        if adjacent:
            first = positions[0]
            before = [k for k in rest if k < first]
            after = [k for k in rest if k > first]
            out = [shape[k] for k in before] + bshape + \
                [shape[k] for k in after]
        else:
            before, after = [], rest
            out = bshape + [shape[k] for k in rest]

        def element(*i):
            i = list(i)
            lead = i[:len(before)]
            b = i[len(before):len(before) + nb]
            tail = i[len(before) + nb:]
            src = [None] * ndim
            for k, v in zip(before, lead):
                src[k] = v
            for k, v in zip(after, tail):
                src[k] = v
            for k, t in zip(positions, idx):
                src[k] = _wrap(read(t, broadcast_index(t, b)), shape[k])
            return read(p, src)
        return te.compute(out, element, name="index")
    return ctx.te(build, self, *tensors)


def _scatter(ctx, self, dim, index, src, reduce_kind, include_self=True):
    """out = self; out[..index[i]..] (op)= src[i] along dim. Built as a
    reduction over the index's extent along dim: every output element
    looks for the src elements that land on it (O(n * extent), exact and
    without write conflicts)."""
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)
    dtype = ctx.dtype(self)
    operands = [self, index] + ([src] if is_tensor(src) else [])

    def build(p, idx, *rest):
        shape = list(p.shape)
        ishape = list(idx.shape)
        if not ndim:
            return _scatter_scalar(p, idx, rest, src, dtype, reduce_kind,
                                   include_self)
        r = te.reduce_axis((0, ishape[axis]), name="r")

        def lands(i):
            """The src position of reduction step r for output element i,
            and whether index sends it to i (index may be smaller than
            self in the other dimensions: only read inside it)."""
            j = list(i)
            j[axis] = r
            hit = _wrap(read(idx, j), shape[axis]) == te.cast(i[axis], "int64")
            if ndim > 1:
                inside = te.all(*[i[k] < ishape[k] for k in range(ndim)
                                  if k != axis])
                hit = te.if_then_else(inside, hit, te.cast(0, "bool"))
            return j, hit

        def value(j):
            return cast(read(rest[0], j), dtype) if rest else \
                literal(src, dtype)

        kind = {"sum": "sum", "prod": "prod", "amax": "max", "amin": "min",
                "mean": "sum"}.get(reduce_kind)
        if reduce_kind is None:
            # Plain scatter: the last src element landing wins (torch leaves
            # duplicates unspecified; this is one valid result).
            def last(*i):
                j, hit = lands(i)
                return te.max(te.if_then_else(hit, te.cast(r, "int64"),
                                              te.cast(-1, "int64")), axis=[r])
            where = te.compute(shape, last, name="scatter_last")

            def element(*i):
                w = where(*i)
                j = list(i)
                j[axis] = te.max(w, te.cast(0, "int64"))
                return te.if_then_else(w >= te.cast(0, "int64"), value(j),
                                       read(p, i))
            return te.compute(shape, element, name="scatter")
        # bool accumulates as 0/1 in int8: a sum is an or, a product an and.
        acc = torch.int8 if dtype == torch.bool else dtype
        if dtype == torch.bool:
            kind = {"sum": "max", "prod": "min"}.get(kind, kind)
            lowest, highest = 0, 1
        elif dtype.is_floating_point:
            lowest, highest = -float("inf"), float("inf")
        else:
            lowest, highest = torch.iinfo(dtype).min, torch.iinfo(dtype).max
        neutral = {"sum": 0, "prod": 1, "max": lowest, "min": highest}[kind]
        reducer = {"sum": te.sum, "prod": te.prod, "max": te.max,
                   "min": te.min}[kind]
        combine = {"sum": lambda a, b: a + b, "prod": lambda a, b: a * b,
                   "max": te.max, "min": te.min}[kind]

        def combined(*i):
            j, hit = lands(i)
            return reducer(te.if_then_else(hit, cast(value(j), acc),
                                           literal(neutral, acc)), axis=[r])
        total = te.compute(shape, combined, name="scatter_reduce")

        def count_hits(*i):
            j, hit = lands(i)
            return te.sum(te.if_then_else(hit, te.cast(1, "int64"),
                                          te.cast(0, "int64")), axis=[r])
        counts = te.compute(shape, count_hits, name="scatter_count")

        def element(*i):
            t, old, n = total(*i), cast(read(p, i), acc), counts(*i)
            v = combine(old, t) if include_self else t
            if reduce_kind == "mean":
                denom = n + (te.cast(1, "int64") if include_self else
                             te.cast(0, "int64"))
                d = cast(te.max(denom, te.cast(1, "int64")), acc)
                v = v / d if acc.is_floating_point else v // d
            return cast(te.if_then_else(n > te.cast(0, "int64"), v, old),
                        dtype)
        return te.compute(shape, element, name="scatter")
    return ctx.te(build, *operands, name="scatter")


def _scatter_scalar(p, idx, rest, src, dtype, reduce_kind, include_self):
    """_scatter of a 0-d self: its one element, combined with the one src
    element when the index has one (a 0-d index, or 1-d of size 1)."""
    count = 1
    for size in idx.shape:
        count *= size
    if count == 0:
        return te.compute([], lambda: read(p, []), name="scatter")
    acc = torch.int8 if dtype == torch.bool else dtype

    def element():
        if rest:
            v = cast(read(rest[0], [0] * len(rest[0].shape)), acc)
        else:
            v = literal(src, acc)
        old = cast(read(p, []), acc)
        if reduce_kind is None or not include_self:
            return cast(v, dtype)
        if reduce_kind == "sum":
            out = te.max(old, v) if dtype == torch.bool else old + v
        elif reduce_kind == "prod":
            out = te.min(old, v) if dtype == torch.bool else old * v
        elif reduce_kind == "amax":
            out = te.max(old, v)
        elif reduce_kind == "amin":
            out = te.min(old, v)
        else:  # mean of self and the one src element
            total = old + v
            two = literal(2, acc)
            out = total / two if acc.is_floating_point else total // two
        return cast(out, dtype)
    return te.compute([], element, name="scatter")


def _index_along(ctx, self, dim, index, fill=None, source=None):
    """index_fill (every slice of `self` along `dim` that `index` names
    becomes `fill`) or index_copy (slice index[k] becomes slice k of
    `source`; of duplicate indices the last wins, as torch's CPU loop).
    Each output element looks for the index entries naming it."""
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim) if ndim else 0
    dtype = ctx.dtype(self)
    operands = [self, index] + [t for t in (fill, source) if is_tensor(t)]

    def build(p, idx, *rest):
        shape = list(p.shape)
        count = 1
        for size in idx.shape:
            count *= size
        flat = [0] * len(idx.shape)

        def entry(k):  # index entry k of a 0-d or 1-d index
            return read(idx, [k] if idx.shape else flat)

        def new_value(i, k):
            if source is None:
                return read(rest[0], []) if rest else literal(fill, dtype)
            j = list(i)
            if ndim:
                j[axis] = k
            return cast(read(rest[0], j if rest[0].shape else []), dtype)

        if count == 0:
            return te.compute(shape, lambda *i: read(p, list(i)),
                              name="index_along")
        r = te.reduce_axis((0, count), name="r")
        size = shape[axis] if ndim else 1

        def last(*i):
            position = te.cast(i[axis], "int64") if ndim else \
                te.cast(0, "int64")
            hit = _wrap(entry(r), size) == position
            return te.max(te.if_then_else(hit, te.cast(r, "int64"),
                                          te.cast(-1, "int64")), axis=[r])
        where = te.compute(shape, last, name="index_along_last")

        def element(*i):
            w = where(*i)
            k = te.max(w, te.cast(0, "int64"))
            return te.if_then_else(w >= te.cast(0, "int64"),
                                   cast(new_value(list(i), k), dtype),
                                   read(p, list(i)))
        return te.compute(shape, element, name="index_along")
    return ctx.te(build, *operands, name="index_fill" if source is None
                  else "index_copy")


@rule("index_fill.int_Scalar", "index_fill.int_Tensor")
def _index_fill(ctx, self, dim, index, value):
    return _index_along(ctx, self, dim, index, fill=value)


@rule("index_copy.default")
def _index_copy(ctx, self, dim, index, source):
    return _index_along(ctx, self, dim, index, source=source)


@rule("index_add.default")
def _index_add(ctx, self, dim, index, source, alpha=1):
    """self with alpha * source[k] added to slice index[k] along dim, for
    every k (torch's CPU loop adds them in index order; the sum here is
    over the index entries naming each slice, then scaled). bool adds as
    or (alpha True), or not at all (alpha False)."""
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim) if ndim else 0
    dtype = ctx.dtype(self)
    if dtype == torch.bool and not alpha:
        return self  # adds False * source: nothing
    acc = torch.int8 if dtype == torch.bool else dtype

    def build(p, idx, src):
        shape = list(p.shape)
        count = 1
        for size in idx.shape:
            count *= size
        if count == 0:
            return te.compute(shape, lambda *i: read(p, list(i)),
                              name="index_add")
        r = te.reduce_axis((0, count), name="r")
        flat = [0] * len(idx.shape)
        size = shape[axis] if ndim else 1

        def total(*i):
            position = te.cast(i[axis], "int64") if ndim else \
                te.cast(0, "int64")
            entry = read(idx, [r] if idx.shape else flat)
            hit = _wrap(entry, size) == position
            j = list(i)
            if ndim:
                j[axis] = r
            value = cast(read(src, j if src.shape else []), acc)
            term = te.if_then_else(hit, value, literal(0, acc))
            return te.max(term, axis=[r]) if dtype == torch.bool else \
                te.sum(term, axis=[r])
        sums = te.compute(shape, total, name="index_add_sum")

        def element(*i):
            old = cast(read(p, list(i)), acc)
            if dtype == torch.bool:
                return cast(te.max(old, sums(*i)), dtype)
            added = sums(*i) if alpha == 1 else sums(*i) * literal(alpha, acc)
            return cast(old + added, dtype)
        return te.compute(shape, element, name="index_add")
    return ctx.te(build, self, index, source, name="index_add")


@rule("scatter.src", "scatter.value")
def _scatter_rule(ctx, self, dim, index, src=None, value=None):
    return _scatter(ctx, self, dim, index, src if src is not None else value,
                    None)


@rule("scatter.reduce", "scatter.value_reduce")
def _scatter_reduce_old(ctx, self, dim, index, src=None, value=None,
                        reduce=None):  # pylint: disable=redefined-builtin
    kind = {"add": "sum", "multiply": "prod"}.get(reduce)
    if kind is None:
        raise ctx.refuse("reduce", reduce)
    return _scatter(ctx, self, dim, index, src if src is not None else value,
                    kind)


@rule("scatter_add")
def _scatter_add(ctx, self, dim, index, src):
    return _scatter(ctx, self, dim, index, src, "sum")


@rule("scatter_reduce.two")
def _scatter_reduce(ctx, self, dim, index, src, reduce,  # pylint: disable=redefined-builtin
                    include_self=True):
    if reduce not in ("sum", "prod", "amax", "amin", "mean"):
        raise ctx.refuse("reduce", reduce)
    return _scatter(ctx, self, dim, index, src, reduce, include_self)


@rule("index_put")
def _index_put(ctx, self, indices, values, accumulate=False):
    """x[indices] = values (or +=). Every output element finds the last
    index position that writes it (accumulate: the sum of all)."""
    ndim = len(self.shape)
    indices = list(indices) + [None] * (ndim - len(indices))
    if any(t is None for t in indices) or \
            any(ctx.dtype(t) == torch.bool for t in indices):
        raise ctx.fail("index_put with partial or bool indices")
    dtype = ctx.dtype(self)
    tensors = list(indices)

    def build(p, v, *idx):
        shape = list(p.shape)
        bshape = broadcast_shape([list(t.shape) for t in idx])
        raxes = [te.reduce_axis((0, s), name=f"r{k}")
                 for k, s in enumerate(bshape)]

        def hit(i):
            conds = [_wrap(read(t, broadcast_index(t, raxes)), shape[k]) ==
                     te.cast(i[k], "int64") for k, t in enumerate(idx)]
            return te.all(*conds)

        def flat():
            f = 0
            for r, s in zip(raxes, bshape):
                f = f * s + r
            return te.cast(f, "int64")

        if accumulate:
            total = te.compute(shape, lambda *i: te.sum(te.if_then_else(
                hit(i), cast(read(v, broadcast_index(v, raxes)), dtype),
                literal(0, dtype)), axis=raxes), name="index_put_sum")
            return te.compute(shape, lambda *i: read(p, i) + total(*i),
                              name="index_put")
        last = te.compute(shape, lambda *i: te.max(te.if_then_else(
            hit(i), flat(), te.cast(-1, "int64")), axis=raxes),
            name="index_put_last")

        def element(*i):
            w = last(*i)
            # Unflatten the winning position to read values.
            pos, rem = [], te.max(w, te.cast(0, "int64"))
            for s in reversed(bshape):
                pos.append(rem % s)
                rem = rem // s
            pos = pos[::-1]
            return te.if_then_else(w >= te.cast(0, "int64"),
                                   cast(read(v, broadcast_index(v, pos)),
                                        dtype), read(p, i))
        return te.compute(shape, element, name="index_put")
    return ctx.te(build, self, values, *tensors, name="index_put")


@rule("isin.Tensor_Tensor", "isin.Tensor_Scalar", "isin.Scalar_Tensor")
def _isin(ctx, elements, test_elements, assume_unique=False, invert=False):
    """Whether each element equals one of test_elements (compared in their
    promoted dtype)."""
    del assume_unique  # only a hint to torch's algorithm
    from ..promotion import promote
    compute = promote(elements, test_elements)[0]
    if not is_tensor(test_elements):
        test_value = literal(test_elements, compute)

        def build_scalar(p):
            return te.compute(list(p.shape), lambda *i: (
                cast(read(p, list(i)), compute) != test_value) if invert
                else (cast(read(p, list(i)), compute) == test_value),
                name="isin")
        return ctx.te(build_scalar, elements)
    tensors = [t for t in (elements, test_elements) if is_tensor(t)]

    def build(*placeholders):
        it = iter(placeholders)
        p = next(it) if is_tensor(elements) else None
        q = next(it)
        ndim = len(q.shape)
        axes = [te.reduce_axis((0, q.shape[k]), name=f"t{k}")
                for k in range(ndim)]
        shape = list(p.shape) if p is not None else []

        def element(*i):
            x = cast(read(p, list(i)), compute) if p is not None else \
                literal(elements, compute)
            # A count (a max over no test elements would be its identity).
            hit = cast(x == cast(read(q, axes), compute), torch.int64)
            return te.sum(hit, axis=axes) if axes else hit
        found = te.compute(shape, element, name="isin_any")
        zero = literal(0, torch.int64)
        return te.compute(shape, lambda *i: (found(*i) == zero) if invert
                          else (found(*i) != zero), name="isin")
    return ctx.te(build, *tensors)


def _max_unpool(ctx, x, indices, output_size, spatial):
    """Zeros of output_size (the last `spatial` dims) with each x element
    written where its index (into the flattened output plane) points; the
    last write of an index wins, as in torch's loop."""
    output_size = [ctx.static(s, "output_size") for s in output_size]
    if len(output_size) != spatial:
        raise ctx.refuse("output_size", output_size)
    dtype = ctx.dtype(x)

    def build(p, idx):
        shape = list(p.shape)
        lead = len(shape) - spatial
        inner = shape[lead:]
        axes = [te.reduce_axis((0, s), name=f"k{d}")
                for d, s in enumerate(inner)]
        out = shape[:lead] + output_size

        def linear(values, sizes):
            flat = values[0]
            for v, s in zip(values[1:], sizes[1:]):
                flat = flat * s + v
            return flat

        minus_one = literal(-1, torch.int64)

        def source(*i):
            at = cast(linear(list(i[lead:]), output_size), torch.int64)
            k = cast(linear(axes, inner), torch.int64)
            hit = read(idx, list(i[:lead]) + axes) == at
            return te.max(te.if_then_else(hit, k, minus_one), axis=axes)
        which = te.compute(out, source, name="unpool_source")

        def element(*i):
            k = which(*i)
            safe = te.max(k, literal(0, torch.int64))
            src, rest = [], safe
            for s in reversed(inner):
                src.insert(0, rest % s)
                rest = rest // s
            value = read(p, list(i[:lead]) + src)
            return te.if_then_else(k >= literal(0, torch.int64), value,
                                   literal(0, dtype))
        return te.compute(out, element, name="max_unpool")
    return ctx.te(build, x, indices)


@rule("max_unpool2d")
def _max_unpool2d(ctx, self, indices, output_size):
    return _max_unpool(ctx, self, indices, output_size, 2)


@rule("max_unpool3d")
def _max_unpool3d(ctx, self, indices, output_size, stride, padding):
    del stride, padding  # torch only checks them
    return _max_unpool(ctx, self, indices, output_size, 3)


@rule("masked_scatter")
def _masked_scatter(ctx, self, mask, source):
    """self with its elements where mask holds replaced, in row-major
    order, by source's first elements (O(n^2): each position counts the
    mask's earlier trues)."""
    dtype = ctx.dtype(self)

    def build(x, m, s):
        shape = broadcast_shape([list(x.shape), list(m.shape)])
        axes = [te.reduce_axis((0, n), name=f"q{d}")
                for d, n in enumerate(shape)]

        def linear(index):
            flat = literal(0, torch.int64)
            for v, n in zip(index, shape):
                flat = flat * cast(n, torch.int64) + cast(v, torch.int64)
            return flat

        def truth(index):
            v = read(m, broadcast_index(m, index))
            return v if ctx.dtype(mask) == torch.bool else \
                v != literal(0, ctx.dtype(mask))
        one, zero = literal(1, torch.int64), literal(0, torch.int64)
        before = te.compute(shape, lambda *i: te.sum(te.select(
            linear(axes) < linear(i), te.select(truth(axes), one, zero),
            zero), axis=axes) if axes else zero, name="mask_rank")
        sizes = [n for n in s.shape]

        def element(*i):
            rank = before(*i)
            src, rest = [], rank
            for n in reversed(sizes):
                src.insert(0, rest % cast(n, torch.int64))
                rest = rest // cast(n, torch.int64)
            return te.if_then_else(truth(list(i)), cast(read(s, src), dtype),
                                   read(x, broadcast_index(x, list(i))))
        return te.compute(shape, element, name="masked_scatter")
    return ctx.te(build, self, mask, source)
