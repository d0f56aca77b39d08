"""Layout ops: views and copies that move elements without arithmetic
(reshape, permute, expand, squeeze, cat, slice, select, flip, roll, repeat,
pads, as_strided, diagonal, tril/triu, the scatter-back ops of
functionalized writes)."""

import torch

from ... import relax, te, topi
from ..._ffi import MLCError
from ..trace import DynSize
from .common import (cast, check_tensor_options, literal, map_tensor,
                     norm_dim, read)
from .registry import rule


def remap(ctx, x, out_shape, source, name=None):
    """A compute of `out_shape` (a function of x's te shape) whose element
    at index i is x[source(i, shape)]."""
    def build(p):
        shape = list(p.shape)
        return te.compute(out_shape(shape), lambda *i: read(
            p, source(list(i), shape)), name=name or ctx.op_name())
    return ctx.te(build, x, name=name)


# --- reshape --------------------------------------------------------------

@rule("view", "_unsafe_view", "reshape", "_reshape_alias", "view_copy",
      "_reshape_alias_copy")
def _view(ctx, self, size, stride=None):
    meta = ctx.out_meta()
    target = list(meta[0])
    if sum(d is None for d in target) > 1:
        raise ctx.fail("a reshape whose result has more than one dynamic "
                       "size")
    return reshape(ctx, self, target)


def reshape(ctx, x, target):
    """x with shape `target` (torch's, None for a dynamic size)."""
    source = list(x.shape)
    if source == target:
        return x
    if 0 not in source:
        # relax.reshape (a view once compiled) merges or splits adjacent
        # dimensions; its verifier decides, and other reshapes copy.
        try:
            return ctx.emit(relax.op.reshape(ctx.expr(x), tuple(target)))
        except MLCError:
            pass
    if None in source or None in target:
        raise ctx.fail(f"reshape of {source} to {target} with dynamic sizes "
                       "that is not a merge or split of dimensions")
    return ctx.te(topi.reshape, x, tuple(target), name="reshape")


@rule("alias", "lift_fresh_copy", "detach", "clone", "lift_fresh",
      "alias_copy", "detach_copy")
def _identity(ctx, self, memory_format=None):
    check_tensor_options(ctx, memory_format=memory_format)
    return self


@rule("_to_copy")
def _to_copy(ctx, self, dtype=None, layout=None, device=None,
             pin_memory=None, non_blocking=False, memory_format=None):
    # non_blocking only matters for copies between devices.
    check_tensor_options(ctx, layout, device, pin_memory, memory_format)
    if dtype is None or dtype == ctx.dtype(self):
        return self
    return convert(ctx, self, dtype)


def convert(ctx, x, dtype):
    """x converted to torch dtype `dtype` as torch converts (te.cast: float
    to integer truncates, to bool tests != 0)."""
    return map_tensor(ctx, x, lambda v: v, dtype=dtype, name="convert")


# --- permutations ---------------------------------------------------------

def permute(ctx, x, dims):
    ndim = len(x.shape)
    dims = [norm_dim(d, ndim) for d in dims]
    if dims == list(range(ndim)):
        return x
    inverse = [dims.index(k) for k in range(ndim)]
    return remap(ctx, x, lambda s: [s[d] for d in dims],
                 lambda i, s: [i[inverse[k]] for k in range(ndim)],
                 name="permute")


@rule("permute", "permute_copy")
def _permute(ctx, self, dims):
    return permute(ctx, self, dims)


@rule("t", "t_copy")
def _t(ctx, self):
    if len(self.shape) < 2:
        return self
    return permute(ctx, self, [1, 0])


@rule("transpose.int", "transpose_copy.int")
def _transpose(ctx, self, dim0, dim1):
    ndim = len(self.shape)
    dims = list(range(ndim))
    if ndim == 0:
        return self
    a, b = norm_dim(dim0, ndim), norm_dim(dim1, ndim)
    dims[a], dims[b] = dims[b], dims[a]
    return permute(ctx, self, dims)


# --- expand / squeeze -------------------------------------------------------

@rule("expand", "expand_copy")
def _expand(ctx, self, size, implicit=False):
    meta = ctx.out_meta()
    target = list(meta[0])
    ndim = len(self.shape)
    lead = len(target) - ndim
    in_shape = list(self.shape)
    if target == in_shape:
        return self

    def out_shape(s):
        out = []
        for k, d in enumerate(target):
            if d is None:
                if k < lead or in_shape[k - lead] is not None:
                    raise ctx.refuse("size", size, "an expansion to a dynamic "
                                     "size")
                out.append(s[k - lead])
            else:
                out.append(d)
        return out

    def source(i, s):
        return [0 if (isinstance(s[k], int) and s[k] == 1 and
                      target[lead + k] != 1) else i[lead + k]
                for k in range(ndim)]
    return remap(ctx, self, out_shape, source, name="expand")


@rule("squeeze.default", "squeeze.dim", "squeeze.dims", "squeeze_copy.default",
      "squeeze_copy.dim")
def _squeeze(ctx, self, dim=None):
    target = list(ctx.out_meta()[0])
    if target == list(self.shape):
        return self
    return reshape(ctx, self, target)


@rule("unsqueeze", "unsqueeze_copy")
def _unsqueeze(ctx, self, dim):
    return reshape(ctx, self, list(ctx.out_meta()[0]))


# --- concatenation and splitting -----------------------------------------

@rule("cat")
def _cat(ctx, tensors, dim=0):
    from ..promotion import result_type
    tensors = [t for t in tensors if not (len(t.shape) == 1 and
                                          t.shape[0] == 0)] or tensors[:1]
    out_dtype = result_type(*tensors)
    ndim = len(tensors[0].shape)
    axis = norm_dim(dim, ndim)
    if len(tensors) == 1:
        return _to_copy(ctx, tensors[0], dtype=out_dtype)

    def build(*ps):
        sizes = [p.shape[axis] for p in ps]
        for s in sizes:
            if not isinstance(s, int):
                raise ctx.refuse("tensors", "...", "concatenation along a "
                                 "dynamic size")
        shape = list(ps[0].shape)
        shape[axis] = sum(sizes)
        # The other sizes must agree (torch raises otherwise); a dynamic one
        # is checked at run time: the reads would clamp, not fail.
        for p in ps[1:]:
            for d, (size, other) in enumerate(zip(shape, p.shape)):
                if d != axis and not (isinstance(size, int) and
                                      isinstance(other, int)):
                    te.require_equal(other, size, "concatenated tensors "
                                     "differ in a dimension other than the "
                                     "concatenation's")

        def element(*i):
            offsets = []
            total = 0
            for s in sizes:
                offsets.append(total)
                total += s
            value = None
            for p, start, s in reversed(list(zip(ps, offsets, sizes))):
                src = list(i)
                src[axis] = i[axis] - start
                v = cast(read(p, src), out_dtype)
                value = v if value is None else te.if_then_else(
                    i[axis] < start + s, v, value)
            return value
        return te.compute(shape, element, name="cat")
    return ctx.te(build, *tensors, name="cat")


@rule("stack")
def _stack(ctx, tensors, dim=0):
    ndim = len(tensors[0].shape) + 1
    axis = norm_dim(dim, ndim)
    expanded = [remap(ctx, t, lambda s, a=axis: s[:a] + [1] + s[a:],
                      lambda i, s, a=axis: i[:a] + i[a + 1:],
                      name="unsqueeze") for t in tensors]
    return _cat(ctx, expanded, axis)


def slice_tensor(ctx, x, dim, start, end, step):
    ndim = len(x.shape)
    axis = norm_dim(dim, ndim)
    size = x.shape[axis]
    start = ctx.static(start, "start")
    end = ctx.static(end, "end")
    if size is None:
        if (start in (None, 0)) and (end is None or end >= 2 ** 62) and \
                step == 1:
            return x
        raise ctx.fail("slicing a dynamic dimension")
    start = 0 if start is None else start
    end = size if end is None else end
    start = max(0, min(size, start + size if start < 0 else start))
    end = max(start, min(size, end + size if end < 0 else end))
    count = (end - start + step - 1) // step
    if start == 0 and count == size and step == 1:
        return x

    def out_shape(s):
        s = list(s)
        s[axis] = count
        return s

    def source(i, s):
        i = list(i)
        i[axis] = i[axis] * step + start
        return i
    return remap(ctx, x, out_shape, source, name="slice")


@rule("slice.Tensor", "slice_copy.Tensor")
def _slice(ctx, self, dim=0, start=None, end=None, step=1):
    return slice_tensor(ctx, self, dim, start, end, step)


@rule("select.int", "select_copy.int")
def _select(ctx, self, dim, index):
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)
    size = self.shape[axis]
    index = ctx.static(index, "index")
    if size is None:
        if index < 0:
            raise ctx.fail("a negative index into a dynamic dimension")
    elif index < 0:
        index += size
    return remap(ctx, self, lambda s: s[:axis] + s[axis + 1:],
                 lambda i, s: i[:axis] + [index] + i[axis:], name="select")


@rule("split.Tensor", "split_with_sizes", "split_copy.Tensor",
      "split_with_sizes_copy", "unsafe_split.Tensor",
      "unsafe_split_with_sizes")
def _split(ctx, self, split_size=None, split_sizes=None, dim=0):
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)
    size = self.shape[axis]
    if size is None:
        raise ctx.fail("splitting a dynamic dimension")
    if split_sizes is None:
        step = split_size
        split_sizes = [min(step, size - s) for s in range(0, size, step)] \
            if step else [0]
        if size == 0:
            split_sizes = [0]
    outputs, start = [], 0
    for s in split_sizes:
        outputs.append(slice_tensor(ctx, self, axis, start, start + s, 1))
        start += s
    return outputs


@rule("unbind.int", "unbind_copy.int")
def _unbind(ctx, self, dim=0):
    axis = norm_dim(dim, len(self.shape))
    size = ctx.static(self.shape[axis], "dim")
    if size is None:
        raise ctx.fail("unbinding a dynamic dimension")
    return [_select(ctx, self, axis, k) for k in range(size)]


@rule("flip")
def _flip(ctx, self, dims):
    ndim = len(self.shape)
    axes = {norm_dim(d, ndim) for d in dims}

    def source(i, s):
        return [s[k] - 1 - i[k] if k in axes else i[k] for k in range(ndim)]
    return remap(ctx, self, lambda s: s, source, name="flip")


@rule("roll")
def _roll(ctx, self, shifts, dims=()):
    ndim = len(self.shape)
    if not dims:
        flat = _view_flat(ctx, self)
        rolled = _roll(ctx, flat, shifts, [0])
        return reshape(ctx, rolled, list(self.shape))
    pairs = list(zip(dims, shifts))

    def source(i, s):
        i = list(i)
        for d, sh in pairs:
            k = norm_dim(d, ndim)
            n = s[k]
            if isinstance(n, int) and n == 0:
                continue  # nothing to roll in an empty dimension
            i[k] = (i[k] + (n - sh % n if isinstance(n, int) else n - sh)) % n
        return i
    return remap(ctx, self, lambda s: s, source, name="roll")


def _view_flat(ctx, x):
    n = 1
    for d in x.shape:
        if d is None:
            raise ctx.fail("flattening a tensor with dynamic sizes")
        n *= d
    return reshape(ctx, x, [n])


@rule("repeat")
def _repeat(ctx, self, repeats):
    ndim = len(self.shape)
    lead = len(repeats) - ndim
    target = list(ctx.out_meta()[0])
    if None in target:
        raise ctx.fail("repeat of a dynamic dimension")

    def source(i, s):
        return [i[lead + k] % s[k] for k in range(ndim)]
    return remap(ctx, self, lambda s: target, source, name="repeat")


@rule("constant_pad_nd")
def _constant_pad(ctx, self, pad, value=0):
    ndim = len(self.shape)
    pairs = [(pad[2 * k], pad[2 * k + 1]) for k in range(len(pad) // 2)]
    dtype = ctx.dtype(self)
    target = list(ctx.out_meta()[0])

    def build(p):
        shape = list(p.shape)

        def element(*i):
            src, inside = list(i), []
            for k, (lo, hi) in enumerate(pairs):
                d = ndim - 1 - k
                src[d] = i[d] - lo
                inside.append(src[d] < shape[d])
                inside.append(src[d] >= 0)
            return te.if_then_else(te.all(*inside), read(p, src),
                                   literal(value, dtype))
        out = [target[k] if target[k] is not None else shape[k]
               for k in range(ndim)]
        return te.compute(out, element, name="pad")
    return ctx.te(build, self, name="pad")


def _pad_index(kind, i, lo, size):
    """Source index of padded position i (reflect or replicate)."""
    j = i - lo
    if kind == "replicate":
        return te.min(te.max(j, 0), size - 1)
    # reflect: -1 -> 1, size -> size - 2 (in int64: te.abs takes no index
    # operands, and the bounds check knows |v| >= 0)
    j = te.abs(te.cast(j, "int64"))
    last = te.cast(size - 1, "int64")
    return last - te.abs(last - j)


def _pad_rule(kind, nd):
    def apply(ctx, self, padding):
        ndim = len(self.shape)
        pairs = [(padding[2 * k], padding[2 * k + 1]) for k in range(nd)]

        def out_shape(s):
            s = list(s)
            for k, (lo, hi) in enumerate(pairs):
                d = ndim - 1 - k
                s[d] = s[d] + lo + hi
            return s

        def source(i, s):
            src = list(i)
            for k, (lo, _) in enumerate(pairs):
                d = ndim - 1 - k
                src[d] = _pad_index(kind, i[d], lo, s[d])
            return src
        return remap(ctx, self, out_shape, source, name=kind + "_pad")
    return apply


for _nd in (1, 2, 3):
    rule(f"reflection_pad{_nd}d")(_pad_rule("reflect", _nd))
    rule(f"replication_pad{_nd}d")(_pad_rule("replicate", _nd))


@rule("as_strided", "as_strided_copy")
def _as_strided(ctx, self, size, stride, storage_offset=None):
    in_shape = _strided_storage(ctx, self, size, stride)
    return _strided_view(ctx, self, size, stride, storage_offset or 0,
                         in_shape)


def _strided_storage(ctx, self, size, stride):
    """The static shape of self, whose storage an as_strided view or
    scatter addresses: mlc's tensors are contiguous, so only an input torch
    also holds contiguously, not a view of another tensor's storage, means
    the same elements."""
    if any(isinstance(v, DynSize) for v in list(size) + list(stride)):
        raise ctx.fail(f"{ctx.op_name()} with dynamic sizes")
    in_shape = list(self.shape)
    if None in in_shape:
        raise ctx.fail(f"{ctx.op_name()} of a tensor with dynamic sizes")
    producer = ctx.node.args[0]
    meta = producer.meta.get("tensor_meta")
    contiguous = []
    step = 1
    for d in reversed(in_shape):
        contiguous.insert(0, step)
        step *= d
    is_view = producer.op == "call_function" and isinstance(
        producer.target, torch._ops.OpOverload) and \
        producer.target._schema.returns[0].alias_info is not None
    if meta is None or is_view or (
            [st for st, d in zip(meta.stride, in_shape) if d != 1] !=
            [st for st, d in zip(contiguous, in_shape) if d != 1]):
        raise ctx.fail("as_strided of a view or non-contiguous tensor")
    return in_shape


@rule("as_strided_scatter")
def _as_strided_scatter(ctx, self, src, size, stride, storage_offset=None):
    """self with src written at the positions as_strided(size, stride)
    views (a later src element wins where they overlap, as torch's copy
    in order)."""
    in_shape = _strided_storage(ctx, self, size, stride)
    offset = storage_offset or 0
    size = list(size)
    dtype = ctx.dtype(self)

    def build(x, y):
        axes = [te.reduce_axis((0, n), name=f"s{d}")
                for d, n in enumerate(size)]
        minus_one = literal(-1, torch.int64)

        def flat_of(index, sizes):
            flat = literal(0, torch.int64)
            for v, n in zip(index, sizes):
                flat = flat * n + cast(v, torch.int64)
            return flat

        def writer(*i):
            if not axes:
                target = literal(offset, torch.int64)
                return te.select(flat_of(i, in_shape) == target,
                                 literal(0, torch.int64), minus_one)
            target = literal(offset, torch.int64)
            for a, st in zip(axes, stride):
                target = target + cast(a, torch.int64) * st
            return te.max(te.select(flat_of(i, in_shape) == target,
                                    flat_of(axes, size), minus_one),
                          axis=axes)
        which = te.compute(in_shape, writer, name="scatter_source")

        def element(*i):
            k = which(*i)
            src, rest = [], te.max(k, literal(0, torch.int64))
            for n in reversed(size):
                src.insert(0, rest % n)
                rest = rest // n
            return te.if_then_else(k >= literal(0, torch.int64),
                                   cast(read(y, src), dtype),
                                   read(x, list(i)))
        return te.compute(in_shape, element, name="as_strided_scatter")
    return ctx.te(build, self, src)


def _strided_view(ctx, self, size, stride, offset, in_shape):
    def source(i, s):
        flat = offset
        for k, st in enumerate(stride):
            flat = flat + i[k] * st
        index = []
        for d in reversed(in_shape):
            index.append(flat % d)
            flat = flat // d
        return index[::-1]
    return remap(ctx, self, lambda s: list(size), source, name="as_strided")


@rule("diagonal", "diagonal_copy")
def _diagonal(ctx, self, offset=0, dim1=0, dim2=1):
    ndim = len(self.shape)
    a, b = norm_dim(dim1, ndim), norm_dim(dim2, ndim)
    target = list(ctx.out_meta()[0])
    rest = [k for k in range(ndim) if k not in (a, b)]

    def source(i, s):
        src = [None] * ndim
        for pos, k in enumerate(rest):
            src[k] = i[pos]
        d = i[-1]
        src[a] = d + max(-offset, 0)
        src[b] = d + max(offset, 0)
        return src
    return remap(ctx, self, lambda s: [s[k] for k in rest] + [target[-1]],
                 source, name="diagonal")


@rule("tril", "triu")
def _tri(ctx, self, diagonal=0):
    lower = ctx.op.overloadpacket is torch.ops.aten.tril
    dtype = ctx.dtype(self)

    def build(p):
        def element(*i):
            r, c = i[-2], i[-1]
            keep = (c - r <= diagonal) if lower else (c - r >= diagonal)
            return te.if_then_else(keep, read(p, i), literal(0, dtype))
        return te.compute(list(p.shape), element, name="tri")
    return ctx.te(build, self)


# --- writes into views, functionalized --------------------------------------

@rule("slice_scatter")
def _slice_scatter(ctx, self, src, dim=0, start=None, end=None, step=1):
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)
    size = ctx.static(self.shape[axis], "dim")
    start = 0 if start is None else start
    end = size if end is None else end
    start = max(0, min(size, start + size if start < 0 else start))
    end = max(start, min(size, end + size if end < 0 else end))
    dtype = ctx.dtype(self)

    def build(p, q):
        def element(*i):
            k = i[axis] - start
            inside = te.all(i[axis] >= start, i[axis] < end,
                            k % step == 0)
            src = list(i)
            src[axis] = k // step
            return te.if_then_else(inside, cast(read(q, src), dtype),
                                   read(p, i))
        return te.compute(list(p.shape), element, name="slice_scatter")
    return ctx.te(build, self, src)


@rule("select_scatter")
def _select_scatter(ctx, self, src, dim, index):
    ndim = len(self.shape)
    axis = norm_dim(dim, ndim)
    size = self.shape[axis]
    if index < 0:
        index += ctx.static(size, "dim")
    dtype = ctx.dtype(self)

    def build(p, q):
        def element(*i):
            src_index = list(i[:axis]) + list(i[axis + 1:])
            return te.if_then_else(i[axis] == index,
                                   cast(read(q, src_index), dtype),
                                   read(p, i))
        return te.compute(list(p.shape), element, name="select_scatter")
    return ctx.te(build, self, src)


@rule("copy.default")
def _copy(ctx, self, src, non_blocking=False):
    from .common import broadcast_index
    dtype = ctx.dtype(self)

    def build(p, q):
        def element(*i):
            return cast(read(q, broadcast_index(q, i)), dtype)
        return te.compute(list(p.shape), element, name="copy")
    if not isinstance(src, (relax.Expr, torch.Tensor)):
        raise ctx.fail("copy from a non-tensor")
    return ctx.te(build, self, src)


# --- more views and copies -------------------------------------------------

@rule("narrow_copy", "narrow.default")
def _narrow(ctx, self, dim, start, length):
    dim = norm_dim(dim, len(self.shape))
    size = ctx.static(self.shape[dim], "self")
    start = ctx.static(start, "start")
    length = ctx.static(length, "length")
    start = start + size if start < 0 else start
    return remap(ctx, self, lambda s: s[:dim] + [length] + s[dim + 1:],
                 lambda i, s: i[:dim] + [i[dim] + start] + i[dim + 1:])


@rule("unfold")
def _unfold(ctx, self, dimension, size, step):
    """Windows of `size` elements every `step` along `dimension`, as a new
    last dimension."""
    rank = len(self.shape)
    if rank == 0:
        return remap(ctx, self, lambda s: [size], lambda i, s: [])
    dim = norm_dim(dimension, rank)
    extent = ctx.static(self.shape[dim], "self")
    count = (extent - size) // step + 1

    def source(i, s):
        return i[:dim] + [i[dim] * step + i[-1]] + i[dim + 1:-1]
    return remap(ctx, self, lambda s: s[:dim] + [count] + s[dim + 1:] +
                 [size], source)


@rule("diag")
def _diag(ctx, self, diagonal=0):
    """A 1-D tensor's diagonal matrix, or a matrix's diagonal."""
    if len(self.shape) == 1:
        n = ctx.static(self.shape[0], "self")
        side = n + abs(diagonal)
        dtype = ctx.dtype(self)

        def build(p):
            def element(i, j):
                k = i if diagonal >= 0 else j
                on = (j - i) == diagonal
                return te.if_then_else(on, read(p, [te.min(k, n - 1)]),
                                       literal(0, dtype))
            return te.compute([side, side], element, name="diag")
        return ctx.te(build, self)
    rows, cols = [ctx.static(s, "self") for s in self.shape]
    length = max(0, min(rows + min(diagonal, 0), cols - max(diagonal, 0)))
    return remap(ctx, self, lambda s: [length],
                 lambda i, s: [i[0] - min(diagonal, 0),
                               i[0] + max(diagonal, 0)])


@rule("diagonal_scatter")
def _diagonal_scatter(ctx, self, src, offset=0, dim1=0, dim2=1):
    rank = len(self.shape)
    d1, d2 = norm_dim(dim1, rank), norm_dim(dim2, rank)
    rest = [d for d in range(rank) if d not in (d1, d2)]
    dtype = ctx.dtype(self)

    def build(p, q):
        def element(*i):
            row, col = i[d1], i[d2]
            k = col if offset < 0 else row
            on = (col - row) == offset
            at = [i[d] for d in rest] + [k]
            # The index is clamped where it is not on the diagonal (unread).
            safe = [te.min(te.max(v, 0), (q.shape[n] - 1))
                    for n, v in enumerate(at)]
            return te.if_then_else(on, cast(read(q, safe), dtype),
                                   read(p, list(i)))
        return te.compute(list(p.shape), element, name="diagonal_scatter")
    return ctx.te(build, self, src)


@rule("linalg_cross")
def _cross(ctx, self, other, dim=-1):
    from .common import broadcast_index, broadcast_shape
    from ..promotion import result_type
    dtype = result_type(self, other)
    if ctx.dtype(self) != ctx.dtype(other):
        raise ctx.fail("cross of two dtypes (torch refuses them too)")

    def build(p, q):
        shape = broadcast_shape([list(p.shape), list(q.shape)])
        d = norm_dim(dim, len(shape))

        def element(*i):
            def at(t, k):
                index = list(i)
                index[d] = k
                return read(t, broadcast_index(t, index))
            c = i[d]
            a1 = te.if_then_else(c == 0, at(p, 1), te.if_then_else(
                c == 1, at(p, 2), at(p, 0)))
            a2 = te.if_then_else(c == 0, at(p, 2), te.if_then_else(
                c == 1, at(p, 0), at(p, 1)))
            b1 = te.if_then_else(c == 0, at(q, 1), te.if_then_else(
                c == 1, at(q, 2), at(q, 0)))
            b2 = te.if_then_else(c == 0, at(q, 2), te.if_then_else(
                c == 1, at(q, 0), at(q, 1)))
            return a1 * b2 - a2 * b1
        return te.compute(shape, element, name="cross")
    del dtype
    return ctx.te(build, self, other)


@rule("block_diag")
def _block_diag(ctx, tensors):
    """The tensors (0-d, 1-d as a row, 2-d) along the diagonal of a
    matrix, zeros elsewhere, in their promoted dtype."""
    from ..promotion import result_type
    dtype = result_type(*tensors)
    blocks = []
    for t in tensors:
        shape = [ctx.static(s, "tensors") for s in t.shape]
        blocks.append([1, 1] if len(shape) == 0 else
                      [1, shape[0]] if len(shape) == 1 else shape)
    rows = sum(b[0] for b in blocks)
    cols = sum(b[1] for b in blocks)

    def build(*ps):
        def element(i, j):
            value = literal(0, dtype)
            r = c = 0
            for p, (h, w) in zip(ps, blocks):
                if h and w:
                    rank = len(p.shape)
                    at = [] if rank == 0 else [j - c] if rank == 1 else \
                        [i - r, j - c]
                    safe = [te.min(te.max(v, 0), s - 1)
                            for v, s in zip(at, p.shape)]
                    inside = te.if_then_else(
                        te.if_then_else(i >= r, i < r + h, i < 0),
                        te.if_then_else(j >= c, j < c + w, j < 0), i < 0)
                    value = te.if_then_else(inside, cast(read(p, safe), dtype),
                                            value)
                r, c = r + h, c + w
            return value
        return te.compute([rows, cols], element, name="block_diag")
    return ctx.te(build, *tensors)
