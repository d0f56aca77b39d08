"""Reductions: sum, mean, prod, amax/amin, max/min with indices,
argmax/argmin, any/all, var/std, logsumexp, cumulative sums and products.
Accumulation dtypes are torch's: integers and bool sum in int64, float16 in
float32."""

import math

import torch

from ... import relax, te
from ..promotion import is_float
from .common import cast, literal, norm_dim, norm_dims, read
from .registry import rule

_REDUCERS = {"sum": te.sum, "prod": te.prod, "max": te.max, "min": te.min}


def _out_shape(shape, axes, keepdim):
    if keepdim:
        return [1 if k in axes else s for k, s in enumerate(shape)]
    return [s for k, s in enumerate(shape) if k not in axes]


def _kept_index(index, axes, rank, keepdim):
    """The keepdim-shaped index (0 on the reduced axes) of an output index."""
    if keepdim:
        return list(index)
    it = iter(index)
    return [0 if k in axes else next(it) for k in range(rank)]


def _statistic_index(index, axes):
    """The index into a keepdim statistic of an input index."""
    return [0 if k in axes else v for k, v in enumerate(index)]


def _full_index(index, axes, raxes, rank, keepdim):
    """Input index from an output index and the reduction axes."""
    full, it, r = [], iter(index), iter(raxes)
    for k in range(rank):
        if k in axes:
            if keepdim:
                next(it)
            full.append(next(r))
        else:
            full.append(next(it))
    return full


def _relax_reduction(ctx, x, dims, keepdim, kind):
    """The relax op of a float32/float64 reduction accumulated in its own
    dtype (graph passes see it; topi.reduce computes what `reduce` would)."""
    ndim = len(x.shape)
    axes = norm_dims(dims, ndim) if ndim else []
    return ctx.emit(getattr(relax.op, kind)(ctx.expr(x), list(axes),
                                            bool(keepdim)))


def _relax_reducible(ctx, x, acc, out):
    return acc == out and out in (torch.float32, torch.float64) and \
        ctx.dtype(x) == out


def reduce(ctx, x, dims, keepdim, kind, acc, out, pre=None, post=None,
           name=None):
    """Reduces x over `dims` with `kind` ("sum", "prod", "max", "min")
    accumulating in torch dtype `acc`; pre(v) maps each element (already in
    acc), post(r, count) the result, which is converted to `out`."""
    if pre is None and post is None and _relax_reducible(ctx, x, acc, out):
        return _relax_reduction(ctx, x, dims, keepdim, kind)
    ndim = len(x.shape)
    axes = norm_dims(dims, ndim)

    def build(p):
        shape = list(p.shape)
        out_shape = _out_shape(shape, axes, keepdim)
        raxes = [te.reduce_axis((0, shape[k]), name=f"r{k}") for k in axes]

        def element(*index):
            v = cast(read(p, _full_index(index, axes, raxes, ndim, keepdim)),
                     acc)
            if pre is not None:
                v = pre(v)
            return _REDUCERS[kind](v, axis=raxes) if raxes else v

        reduced = te.compute(out_shape, element, name=name or ctx.op_name())
        count = 1
        for k in axes:
            count = count * shape[k]

        def finish(*index):
            r = reduced(*index)
            if post is not None:
                r = post(r, count)
            return cast(r, out)
        return te.compute(out_shape, finish, name=(name or ctx.op_name()) +
                          "_out")
    return ctx.te(build, x, name=name)


def _sum_dtypes(ctx, x, dtype):
    src = ctx.dtype(x)
    if dtype is not None:
        out = dtype
    elif is_float(src):
        out = src
    else:
        out = torch.int64
    acc = torch.float32 if out in (torch.float16, torch.bfloat16) else out
    return acc, out


@rule("sum.default", "sum.dim_IntList")
def _sum(ctx, self, dim=None, keepdim=False, dtype=None):
    acc, out = _sum_dtypes(ctx, self, dtype)
    if acc == torch.bool:
        return reduce(ctx, self, dim, keepdim, "max", torch.int8, out)
    return reduce(ctx, self, dim, keepdim, "sum", acc, out)


@rule("prod.default", "prod.dim_int")
def _prod(ctx, self, dim=None, keepdim=False, dtype=None):
    acc, out = _sum_dtypes(ctx, self, dtype)
    if acc == torch.bool:
        return reduce(ctx, self, dim, keepdim, "min", torch.int8, out)
    return reduce(ctx, self, [dim] if dim is not None else None, keepdim,
                  "prod", acc, out)


@rule("mean.default", "mean.dim")
def _mean(ctx, self, dim=None, keepdim=False, dtype=None):
    out = dtype or ctx.dtype(self)
    if not is_float(out):
        raise ctx.fail(f"mean of {out} (torch needs a float dtype)")
    acc = torch.float32 if out in (torch.float16, torch.bfloat16) else out
    if _relax_reducible(ctx, self, acc, out):
        return _relax_reduction(ctx, self, dim, keepdim, "mean")
    # The mean of no elements is 0 / 0: NaN, as torch gives.
    return reduce(ctx, self, dim, keepdim, "sum", acc, out,
                  post=lambda r, n: r / cast(n, acc))


def _minmax_acc(dtype):
    return torch.int8 if dtype == torch.bool else dtype


@rule("amax", "amin")
def _amax(ctx, self, dim, keepdim):
    kind = "max" if ctx.op.overloadpacket is torch.ops.aten.amax else "min"
    dtype = ctx.dtype(self)
    return reduce(ctx, self, dim, keepdim, kind, _minmax_acc(dtype), dtype)


@rule("max.default", "min.default")
def _max_all(ctx, self):
    kind = "max" if ctx.op.overloadpacket is torch.ops.aten.max else "min"
    dtype = ctx.dtype(self)
    return reduce(ctx, self, None, False, kind, _minmax_acc(dtype), dtype)


def _arg_extreme(ctx, x, dim, keepdim, kind):
    """Index of the first maximum (minimum) along dim; a NaN counts as the
    extreme, as in torch."""
    dtype = ctx.dtype(x)
    acc = _minmax_acc(dtype)
    flat = dim is None
    ndim = len(x.shape)

    if flat:
        axes = list(range(ndim))
    else:
        axes = [norm_dim(dim, ndim)] if ndim else []

    def build(p):
        shape = list(p.shape)
        out_shape = _out_shape(shape, axes, keepdim)
        raxes = [te.reduce_axis((0, shape[k]), name=f"r{k}") for k in axes]

        def extreme(*index):
            full = _full_index(index, axes, raxes, ndim, keepdim)
            v = cast(read(p, full), acc)
            return _REDUCERS[kind](v, axis=raxes) if raxes else v

        best = te.compute(out_shape, extreme, name="extreme")

        def position(*index):
            full = _full_index(index, axes, raxes, ndim, keepdim)
            v = cast(read(p, full), acc)
            b = best(*index)
            hit = v == b
            if is_float(acc):
                hit = te.any(hit, te.all(v != v, b != b))
            linear = 0
            for k, r in zip(axes, raxes):
                linear = linear * shape[k] + r
            big = literal(2 ** 62, torch.int64)
            value = te.if_then_else(hit, te.cast(linear, "int64"), big)
            return te.min(value, axis=raxes) if raxes else \
                te.cast(0, "int64")

        return te.compute(out_shape, position, name="position")

    return ctx.te(build, x)


@rule("max.dim", "min.dim")
def _max_dim(ctx, self, dim, keepdim):
    kind = "max" if ctx.op.overloadpacket is torch.ops.aten.max else "min"
    dtype = ctx.dtype(self)
    values = reduce(ctx, self, [dim], keepdim, kind, _minmax_acc(dtype), dtype)
    return values, ctx.lazy(lambda: _arg_extreme(ctx, self, dim, keepdim,
                                                 kind))


@rule("argmax", "argmin")
def _argmax(ctx, self, dim=None, keepdim=False):
    kind = "max" if ctx.op.overloadpacket is torch.ops.aten.argmax else "min"
    return _arg_extreme(ctx, self, dim, keepdim, kind)


@rule("any.default", "any.dim", "all.default", "all.dim")
def _any_all(ctx, self, dim=None, keepdim=False):
    kind = "max" if ctx.op.overloadpacket is torch.ops.aten.any else "min"
    dtype = ctx.dtype(self)
    out = torch.uint8 if dtype == torch.uint8 else torch.bool

    def build(p):
        ndim = len(p.shape)
        axes = norm_dims(None if dim is None else [dim], ndim)
        shape = list(p.shape)
        out_shape = _out_shape(shape, axes, keepdim)
        raxes = [te.reduce_axis((0, shape[k]), name=f"r{k}") for k in axes]

        def element(*index):
            v = read(p, _full_index(index, axes, raxes, ndim, keepdim))
            truth = v if dtype == torch.bool else v != literal(0, dtype)
            t = te.cast(truth, "int8")
            return _REDUCERS[kind](t, axis=raxes) if raxes else t
        reduced = te.compute(out_shape, element, name=ctx.op_name())
        return te.compute(out_shape, lambda *i: cast(
            reduced(*i) != te.cast(0, "int8"), out), name="truth")
    return ctx.te(build, self)


def variance(ctx, x, dims, correction, keepdim, take_sqrt):
    dtype = ctx.dtype(x)
    if not is_float(dtype):
        raise ctx.fail(f"var/std of {dtype} (torch needs a float dtype)")
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    ndim = len(x.shape)
    axes = norm_dims(dims, ndim)

    def build(p):
        shape = list(p.shape)
        ra = [te.reduce_axis((0, shape[k]), name=f"a{k}") for k in axes]
        keep_shape = _out_shape(shape, axes, True)
        out_shape = _out_shape(shape, axes, keepdim)
        count = 1
        for k in axes:
            count = count * shape[k]

        def total(*index):
            v = cast(read(p, _full_index(index, axes, ra, ndim, True)), acc)
            return te.sum(v, axis=ra) if ra else v
        s = te.compute(keep_shape, total, name="var_sum")
        n = cast(count, acc) if not isinstance(count, int) else \
            literal(float(count), acc)
        mean = te.compute(keep_shape, lambda *i: s(*i) / n, name="var_mean")
        rb = [te.reduce_axis((0, shape[k]), name=f"b{k}") for k in axes]

        def squares(*index):
            full = _full_index(index, axes, rb, ndim, True)
            d = cast(read(p, full), acc) - mean(*_statistic_index(index, axes))
            return te.sum(d * d, axis=rb) if rb else d * d
        sq = te.compute(keep_shape, squares, name="var_squares")

        def finish(*index):
            keep_index = _kept_index(index, axes, ndim, keepdim)
            denom = n - literal(float(correction), acc)
            zero = literal(0.0, acc)
            value = sq(*keep_index) / te.max(denom, zero)
            if take_sqrt:
                value = te.sqrt(value)
            return cast(value, dtype)
        return te.compute(out_shape, finish, name="var")
    return ctx.te(build, x)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased in (None, True) else 0


@rule("var.correction", "var.dim", "var.default", "std.correction",
      "std.dim", "std.default")
def _var(ctx, self, dim=None, unbiased=None, correction=None, keepdim=False):
    take_sqrt = ctx.op.overloadpacket is torch.ops.aten.std
    return variance(ctx, self, dim, _correction(unbiased, correction),
                     keepdim, take_sqrt)


@rule("logsumexp")
def _logsumexp(ctx, self, dim, keepdim):
    dtype = ctx.dtype(self)
    out = dtype if is_float(dtype) else torch.get_default_dtype()
    acc = torch.float32 if out in (torch.float16, torch.bfloat16) else out
    ndim = len(self.shape)
    axes = norm_dims(dim, ndim)

    def build(p):
        shape = list(p.shape)
        keep_shape = _out_shape(shape, axes, True)
        out_shape = _out_shape(shape, axes, keepdim)
        ra = [te.reduce_axis((0, shape[k]), name=f"a{k}") for k in axes]
        m = te.compute(keep_shape, lambda *i: te.max(cast(read(
            p, _full_index(i, axes, ra, ndim, True)), acc), axis=ra)
            if ra else cast(read(p, i), acc), name="lse_max")

        def shift(*i):
            v = m(*i)
            return te.if_then_else(te.abs(v) == literal(math.inf, acc),
                                   literal(0.0, acc), v)
        sh = te.compute(keep_shape, shift, name="lse_shift")
        rb = [te.reduce_axis((0, shape[k]), name=f"b{k}") for k in axes]

        def total(*i):
            full = _full_index(i, axes, rb, ndim, True)
            v = te.exp(cast(read(p, full), acc) - sh(*_statistic_index(i, axes)))
            return te.sum(v, axis=rb) if rb else v
        s = te.compute(keep_shape, total, name="lse_sum")

        def finish(*index):
            k_index = _kept_index(index, axes, ndim, keepdim)
            return cast(te.log(s(*k_index)) + sh(*k_index), out)
        return te.compute(out_shape, finish, name="logsumexp")
    return ctx.te(build, self)


def _cumulative(ctx, x, dim, dtype, kind):
    """cumsum/cumprod as a reduction over the prefix (masked with the
    neutral element): O(n^2) along dim."""
    acc, out = _sum_dtypes(ctx, x, dtype)
    if acc == torch.bool:
        acc = torch.int64
    ndim = len(x.shape)
    axis = norm_dim(dim, ndim)

    def build(p):
        shape = list(p.shape)
        if ndim == 0:
            return te.compute([], lambda: cast(read(p, []), out), name=kind)
        r = te.reduce_axis((0, shape[axis]), name="r")

        def element(*index):
            src = list(index)
            src[axis] = r
            v = cast(read(p, src), acc)
            neutral = literal(0 if kind == "cumsum" else 1, acc)
            v = te.if_then_else(r <= index[axis], v, neutral)
            return te.sum(v, axis=[r]) if kind == "cumsum" else \
                te.prod(v, axis=[r])
        c = te.compute(shape, element, name=kind)
        return te.compute(shape, lambda *i: cast(c(*i), out), name=kind +
                          "_out")
    return ctx.te(build, x)


@rule("cumsum")
def _cumsum(ctx, self, dim, dtype=None):
    return _cumulative(ctx, self, dim, dtype, "cumsum")


@rule("cumprod")
def _cumprod(ctx, self, dim, dtype=None):
    return _cumulative(ctx, self, dim, dtype, "cumprod")


# --- more reductions ---------------------------------------------------------

@rule("nansum")
def _nansum(ctx, self, dim=None, keepdim=False, dtype=None):
    acc, out = _sum_dtypes(ctx, self, dtype)
    if not is_float(ctx.dtype(self)):
        return _sum(ctx, self, dim, keepdim, dtype)
    zero = literal(0.0, acc)
    return reduce(ctx, self, dim, keepdim, "sum", acc, out,
                  pre=lambda v: te.if_then_else(v != v, zero, v))


@rule("count_nonzero.dim_IntList", "count_nonzero.default")
def _count_nonzero(ctx, self, dim=None):
    from .common import map_tensor
    if isinstance(dim, int):
        dim = [dim]
    dtype = ctx.dtype(self)
    zero = literal(0, torch.int8 if dtype == torch.bool else dtype)
    nonzero = map_tensor(ctx, self, lambda v: v != zero if dtype != torch.bool
                         else v, dtype=torch.bool, name="nonzero")
    return reduce(ctx, nonzero, dim, False, "sum", torch.int64, torch.int64)


@rule("aminmax")
def _aminmax(ctx, self, dim=None, keepdim=False):
    dims = None if dim is None else [dim]
    dtype = ctx.dtype(self)
    acc = torch.int8 if dtype == torch.bool else dtype
    results = [reduce(ctx, self, dims, keepdim, kind, acc, dtype, name=kind)
               for kind in ("min", "max")]
    if not self.shape and dims is not None and keepdim:
        # torch keeps a dimension of 1 for a 0-d input reduced over dim 0.
        from .shape import reshape
        results = [reshape(ctx, r, [1]) for r in results]
    return tuple(results)


@rule("smooth_l1_loss")
def _smooth_l1_loss(ctx, self, target, reduction=1, beta=1.0):
    from .common import elementwise

    def element(dt, x, y):
        d = te.abs(x - y)
        if beta == 0:
            return d
        b = literal(beta, dt)
        return te.if_then_else(d < b, literal(0.5, dt) * d * d / b,
                               d - literal(0.5 * beta, dt))
    loss = elementwise(ctx, element, self, target, name="smooth_l1")
    return _loss_reduction(ctx, loss, reduction)


def _loss_reduction(ctx, loss, reduction):
    """torch's Reduction enum: 0 none, 1 mean, 2 sum."""
    if reduction == 0:
        return loss
    if reduction not in (1, 2):
        raise ctx.refuse("reduction", reduction)
    dtype = ctx.dtype(loss)
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    return reduce(ctx, loss, None, False, "sum", acc, dtype,
                  post=(lambda r, n: r / cast(n, acc)) if reduction == 1
                  else None, name="loss")


@rule("cummax", "cummin")
def _cummax(ctx, self, dim):
    """The running max (min) and the last index where it occurs (torch
    takes later equal elements, and NaN as the extreme)."""
    kind = "max" if ctx.op.overloadpacket is torch.ops.aten.cummax else "min"
    dtype = ctx.dtype(self)
    acc = torch.int8 if dtype == torch.bool else dtype
    ndim = len(self.shape)
    axis = norm_dim(dim, max(ndim, 1))
    floating = is_float(dtype)
    extreme_of = te.max if kind == "max" else te.min
    minus_one = literal(-1, torch.int64)

    def at(p, index, k):
        src = list(index)
        src[axis] = k
        return cast(read(p, src), acc)

    def build_values(p):
        shape = list(p.shape)
        if ndim == 0:
            return te.compute([], lambda: read(p, []), name=kind)
        r = te.reduce_axis((0, shape[axis]), name="r")
        # Past the prefix, element 0 (in every prefix) stands in.
        extreme = te.compute(shape, lambda *i: extreme_of(te.if_then_else(
            r <= i[axis], at(p, i, r), at(p, i, 0)), axis=[r]),
            name=kind + "_run")
        if floating:
            n = te.reduce_axis((0, shape[axis]), name="n")
            nan_seen = te.compute(shape, lambda *i: te.max(te.if_then_else(
                n <= i[axis], cast(at(p, i, n) != at(p, i, n), torch.int8),
                literal(0, torch.int8)), axis=[n]), name=kind + "_nan")
            values = te.compute(shape, lambda *i: te.if_then_else(
                nan_seen(*i) != literal(0, torch.int8),
                literal(math.nan, acc), extreme(*i)), name=kind + "_values")
        else:
            values = extreme
        return te.compute(shape, lambda *i: cast(values(*i), dtype),
                          name=kind + "_out")

    def build_indices(p, values):
        shape = list(p.shape)
        if ndim == 0:
            return te.compute([], lambda: literal(0, torch.int64),
                              name=kind + "_index")
        q = te.reduce_axis((0, shape[axis]), name="q")

        def last_index(*i):
            x, v = at(p, i, q), cast(read(values, list(i)), acc)
            same = te.if_then_else(v != v, x != x, x == v) if floating \
                else x == v
            return te.max(te.if_then_else(q <= i[axis], te.if_then_else(
                same, cast(q, torch.int64), minus_one), minus_one), axis=[q])
        return te.compute(shape, last_index, name=kind + "_index")
    values = ctx.te(build_values, self, name=kind)
    return values, ctx.te(build_indices, self, values, name=kind + "_index")


@rule("logcumsumexp")
def _logcumsumexp(ctx, self, dim):
    dtype = ctx.dtype(self)
    if not is_float(dtype):
        raise ctx.fail(f"logcumsumexp of {dtype} (torch needs a float dtype)")
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    ndim = len(self.shape)
    axis = norm_dim(dim, max(ndim, 1))

    def build(p):
        shape = list(p.shape)
        if ndim == 0:
            return te.compute([], lambda: read(p, []), name="logcumsumexp")

        def at(index, k):
            src = list(index)
            src[axis] = k
            return cast(read(p, src), acc)
        r = te.reduce_axis((0, shape[axis]), name="r")
        top = te.compute(shape, lambda *i: te.max(te.if_then_else(
            r <= i[axis], at(i, r), at(i, 0)), axis=[r]), name="lcse_max")
        q = te.reduce_axis((0, shape[axis]), name="q")
        zero = literal(0.0, acc)
        total = te.compute(shape, lambda *i: te.sum(te.if_then_else(
            q <= i[axis], te.exp(at(i, q) - top(*i)), zero), axis=[q]),
            name="lcse_sum")
        inf = literal(math.inf, acc)

        def element(*i):
            m = top(*i)
            # An infinite running max is the result (inf - inf is NaN).
            v = te.if_then_else(te.abs(m) == inf, m, m + te.log(total(*i)))
            return cast(v, dtype)
        return te.compute(shape, element, name="logcumsumexp")
    return ctx.te(build, self)


def _p_norm_parts(p, acc):
    """(element map of |d|, reducer, finish) of the p-norm."""
    if p == math.inf:
        return (lambda a: a), "max", (lambda r: r)
    if p == -math.inf:
        return (lambda a: a), "min", (lambda r: r)
    if p == 0:
        return (lambda a: cast(a != literal(0.0, acc), acc)), "sum", \
            (lambda r: r)
    if p == 1:
        return (lambda a: a), "sum", (lambda r: r)
    if p == 2:
        return (lambda a: a * a), "sum", te.sqrt
    return (lambda a: te.pow(a, literal(float(p), acc))), "sum", \
        (lambda r: te.pow(r, literal(1.0 / p, acc)))


@rule("dist")
def _dist(ctx, self, other, p=2):
    from .common import elementwise
    difference = elementwise(ctx, lambda dt, a, b: te.abs(a - b), self,
                             other, name="dist_abs")
    dtype = ctx.dtype(difference)
    if not is_float(dtype):
        raise ctx.fail(f"dist of {dtype} (torch needs a float dtype)")
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    element, kind, finish = _p_norm_parts(float(p), acc)
    return reduce(ctx, difference, None, False, kind, acc, dtype,
                  pre=element, post=lambda r, n: finish(r), name="dist")


@rule("_cdist_forward")
def _cdist(ctx, x1, x2, p, compute_mode=None):
    """Distances between the rows of x1 and x2 (batched), computed
    directly; torch's matrix-product form of p = 2 (compute_mode 1, or
    more than 25 rows) rounds otherwise and is refused."""
    rows1, rows2 = x1.shape[-2], x2.shape[-2]
    matrix_form = p == 2 and (compute_mode == 1 or (
        compute_mode in (None, 0) and (rows1 is None or rows2 is None or
                                       rows1 > 25 or rows2 > 25)))
    dtype = ctx.dtype(x1)
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    element, kind, finish = _p_norm_parts(float(p), acc)

    def build(a, b):
        from .common import broadcast_shape
        sa, sb = list(a.shape), list(b.shape)
        batch = broadcast_shape([sa[:-2], sb[:-2]])
        k = te.reduce_axis((0, sa[-1]), name="k")

        def lead_of(shape, lead):
            # The batch index of a tensor with batch dims shape[:-2]
            # (broadcast: fewer dims, or 1s).
            dims = shape[:-2]
            mine = lead[len(lead) - len(dims):] if dims else []
            return [0 if s == 1 else v for s, v in zip(dims, mine)]

        def distance(*i):
            lead = list(i[:-2])
            d = te.abs(cast(read(a, lead_of(sa, lead) + [i[-2], k]), acc) -
                       cast(read(b, lead_of(sb, lead) + [i[-1], k]), acc))
            return _REDUCERS[kind](element(d), axis=[k])
        out = batch + [sa[-2], sb[-2]]
        if matrix_form:
            return _euclidean_by_products(a, b, sa, sb, batch, lead_of, acc,
                                          dtype, out)
        total = te.compute(out, distance, name="cdist_sum")
        return te.compute(total.shape, lambda *i: cast(finish(total(*i)),
                                                       dtype), name="cdist")
    return ctx.te(build, x1, x2)


def _euclidean_by_products(a, b, sa, sb, batch, lead_of, acc, dtype, out):
    """torch's matrix-product form of euclidean distances:
    sqrt(max(|x|^2 + |y|^2 - 2 x.y, 1e-30)), the square norms summed
    first."""
    k1 = te.reduce_axis((0, sa[-1]), name="k1")
    k2 = te.reduce_axis((0, sb[-1]), name="k2")
    norm1 = te.compute(sa[:-1], lambda *i: te.sum(
        cast(read(a, list(i) + [k1]), acc) * cast(read(a, list(i) + [k1]),
                                                  acc), axis=[k1]),
        name="cdist_norm1")
    norm2 = te.compute(sb[:-1], lambda *i: te.sum(
        cast(read(b, list(i) + [k2]), acc) * cast(read(b, list(i) + [k2]),
                                                  acc), axis=[k2]),
        name="cdist_norm2")
    k = te.reduce_axis((0, sa[-1]), name="k")
    minus_two = literal(-2.0, acc)
    product = te.compute(out, lambda *i: te.sum(
        minus_two * cast(read(a, lead_of(sa, list(i[:-2])) + [i[-2], k]),
                         acc) *
        cast(read(b, lead_of(sb, list(i[:-2])) + [i[-1], k]), acc),
        axis=[k]), name="cdist_products")

    def element(*i):
        lead = list(i[:-2])
        v = product(*i) + read(norm1, lead_of(sa, lead) + [i[-2]]) + \
            read(norm2, lead_of(sb, lead) + [i[-1]])
        return cast(te.sqrt(te.max(v, literal(1e-30, acc))), dtype)
    del batch
    return te.compute(out, element, name="cdist")
