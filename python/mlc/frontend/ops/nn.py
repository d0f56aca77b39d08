"""Neural-network ATen ops: convolutions (1-3 d, transposed, groups,
dilation), pooling (max with indices, average with ceil_mode /
count_include_pad / divisor_override, adaptive), batch / layer / group
norm, softmax, upsampling, embedding, pixel and channel shuffles."""

import math

import torch

from ... import relax, te
from ..promotion import is_float
from ...topi.nn import pool_output_size
from .common import cast, literal, norm_dim, read
from .registry import decomposition, rule


def _tuple(value, n):
    if isinstance(value, int):
        return [value] * n
    value = list(value)
    return value * n if len(value) == 1 else value


def _static_dims(ctx, x, dims, what):
    for k in dims:
        if x.shape[k] is None:
            raise ctx.fail(f"{what} over a dynamic spatial size")


# --- convolution --------------------------------------------------------------

def _bias_add(ctx, y, bias):
    dtype = ctx.dtype(y)

    def build(p, b):
        return te.compute(list(p.shape), lambda n, c, *s: p(n, c, *s) +
                          cast(b[c], dtype), name="bias_add")
    return ctx.te(build, y, bias, name="bias_add")


@rule("convolution", "_convolution")
def _convolution(ctx, input, weight, bias, stride, padding, dilation,  # pylint: disable=redefined-builtin
                 transposed, output_padding, groups, benchmark=None,
                 deterministic=None, cudnn_enabled=None, allow_tf32=None):
    nd = len(weight.shape) - 2
    dtype = ctx.dtype(input)
    if dtype == torch.bool or dtype != ctx.dtype(weight):
        raise ctx.fail(f"convolution of {dtype} and {ctx.dtype(weight)} "
                       "tensors")
    if isinstance(padding, str):
        raise ctx.refuse("padding", padding)
    stride, padding, dilation = (_tuple(v, nd) for v in
                                 (stride, padding, dilation))
    output_padding = _tuple(output_padding, nd)
    _static_dims(ctx, input, range(1, nd + 2), "convolution")
    # conv2d of floats without groups or one channel per group (depthwise)
    # is relax.conv2d (whose batch norm --relax-fold-batch-norm folds);
    # grouped ones read their channels as (group, channel) views.
    if not transposed and nd == 2 and dtype == torch.float32 and \
            ctx.dtype(weight) == torch.float32 and \
            (groups == 1 or weight.shape[1] == 1):
        y = ctx.emit(relax.op.conv2d(ctx.expr(input), ctx.expr(weight),
                                     stride, padding, dilation, groups))
        if bias is None:
            return y
        if ctx.dtype(bias) != torch.float32:
            return _bias_add(ctx, y, bias)
        # A relax add of the bias as (1, O, 1, 1), which graph passes see
        # (--relax-fold-batch-norm folds a batch norm after it).
        channels = weight.shape[0]
        b = ctx.emit(relax.op.reshape(ctx.expr(bias), (1, channels, 1, 1)))
        return ctx.emit(relax.op.add(y, b))
    return _grouped_convolution(ctx, input, weight, bias, nd, stride,
                                padding, dilation, transposed,
                                output_padding, groups)


def _grouped_convolution(ctx, input, weight, bias, nd, stride, padding,  # pylint: disable=redefined-builtin
                         dilation, transposed, output_padding, groups):
    """Any convolution (1-3 d, groups, transposed) as a zero-padded input,
    a convolution with stride and dilation whose reads are all affine
    projections, and views, so that the code generator blocks and
    vectorizes it like conv2d (a guarded read in the convolution itself
    kept it scalar: conv1d 64 -> 64 over 4096 ran 140x slower than PyTorch).

    Channels are split into (group, channel in group) by reshapes of the
    input, the weight and the result (views, no copies): each group's
    convolution then reads plain indices. A transposed convolution is the
    convolution, stride 1, of the input with stride - 1 zeros inserted
    between its elements (and dilation * (k - 1) - padding of padding; more
    on the high side for output_padding) with the flipped, transposed
    kernel."""
    dtype = ctx.dtype(input)
    out_shape = list(ctx.out_meta()[0])
    xs, ws = list(input.shape), list(weight.shape)
    ksize = ws[2:]
    if transposed:
        icg, ocg = xs[1] // groups, ws[1]
    else:
        icg, ocg = ws[1], ws[0] // groups
    spatial_in, spatial_out = xs[2:], out_shape[2:]
    x = ctx.emit(relax.op.reshape(ctx.expr(input),
                                  (xs[0], groups, icg, *spatial_in)))
    if transposed:
        w = ctx.emit(relax.op.reshape(ctx.expr(weight),
                                      (groups, icg, ocg, *ksize)))
        low = [dilation[i] * (ksize[i] - 1) - padding[i] for i in range(nd)]
        span = [spatial_out[i] + dilation[i] * (ksize[i] - 1)
                for i in range(nd)]
        step = [1] * nd
    else:
        w = ctx.emit(relax.op.reshape(ctx.expr(weight),
                                      (groups, ocg, icg, *ksize)))
        low, span, step = padding, [spatial_in[i] + 2 * padding[i]
                                    for i in range(nd)], stride
    zero = literal(0.0 if is_float(dtype) else 0, dtype)
    if transposed and any(st > 1 for st in stride) and \
            all(d == 1 for d in dilation):
        y = _transposed_by_phases(ctx, x, w, nd, stride, padding, ksize,
                                  (xs[0], groups, icg, ocg), spatial_in,
                                  spatial_out, zero)
        return y if bias is None else _bias_add(ctx, y, bias)

    def widen(v):
        """The input as the convolution reads it: zero padding around it
        (and zeros between its elements, for a transposed convolution)."""
        if not transposed:
            return _zero_padded(v, low, span, spatial_in, zero)

        def element(n, g, c, *p):
            q = [p[i] - low[i] for i in range(nd)]
            if transposed:
                inside = [cond for i in range(nd) for cond in
                          (q[i] >= 0, q[i] % stride[i] == 0,
                           q[i] // stride[i] < spatial_in[i])]
                at = [q[i] // stride[i] for i in range(nd)]
            else:
                inside = [cond for i in range(nd) for cond in
                          (q[i] >= 0, q[i] < spatial_in[i])]
                at = q
            return te.if_then_else(te.all(*inside), read(v, [n, g, c] + at),
                                   zero)
        return te.compute(list(v.shape[:3]) + span, element, name="pad")

    def kernel(v):
        """The weight as (group, output channel, input channel, window):
        flipped and transposed for a transposed convolution."""
        if not transposed:
            return v
        return te.compute(
            [groups, ocg, icg] + ksize,
            lambda g, o, c, *k: v(g, c, o, *[ksize[i] - 1 - k[i]
                                             for i in range(nd)]),
            name="flip")

    def build(v, u):
        xp, wk = widen(v), kernel(u)
        rc = te.reduce_axis((0, icg), name="rc")
        rk = [te.reduce_axis((0, k), name=f"rk{i}") for i, k in
              enumerate(ksize)]
        return te.compute(
            [v.shape[0], groups, ocg] + spatial_out,
            lambda n, g, o, *s: te.sum(
                read(xp, [n, g, rc] + [s[i] * step[i] + rk[i] * dilation[i]
                                       for i in range(nd)]) *
                read(wk, [g, o, rc] + rk), axis=[rc] + rk),
            name="convolution")
    y = ctx.emit(relax.op.reshape(
        ctx.te(build, x, w, name="convolution"),
        (xs[0], groups * ocg, *spatial_out)))
    return y if bias is None else _bias_add(ctx, y, bias)


def _zero_padded(v, low, span, spatial_in, zero):
    """(n, group, channel, *spatial) `v` in planes of `span` whose position
    m holds v[m - low] (zero outside the input): the padding stage that
    --mlc-decompose-padding turns into a copy and border fills. `v` itself
    when that is the identity."""
    nd = len(span)
    if all(low[i] == 0 and span[i] == spatial_in[i] for i in range(nd)):
        return v

    def element(n, g, c, *m):
        q = [m[i] - low[i] for i in range(nd)]
        inside = [cond for i in range(nd)
                  for cond in (q[i] >= 0, q[i] < spatial_in[i])]
        return te.if_then_else(te.all(*inside), read(v, [n, g, c] + q), zero)
    return te.compute(list(v.shape[:3]) + list(span), element, name="pad")


def _transposed_by_phases(ctx, x, w, nd, stride, padding, ksize, sizes,
                          spatial_in, spatial_out, zero):
    """A transposed convolution with stride s (dilation 1) as s^nd
    ordinary convolutions, one per output phase, without the zeros the
    stride would insert (3/4 of a stride-2 2-d one's products are with
    them): output position y, with y + padding = q*s + phase, is
    sum_t x[q - t] * w[phase + s*t], a convolution of the input with the
    kernel's taps phase, phase + s, ... flipped. The phases' results,
    computed as (phase, q) planes, are interleaved by a permuting copy
    into (q, phase) order, whose flattening is the output shifted by
    padding mod s (a view, and a slice when that is not 0)."""
    batch, groups, icg, ocg = sizes
    taps = [-(-ksize[i] // stride[i]) for i in range(nd)]
    # The first q computed: the one of output 0, or earlier (rows the
    # slice below drops) when a padding beyond the kernel would otherwise
    # start the planes inside the input, a padding stage that is not one.
    first = [min(padding[i] // stride[i], taps[i] - 1) for i in range(nd)]
    count = [(spatial_out[i] - 1 + padding[i]) // stride[i] - first[i] + 1
             for i in range(nd)]
    shift = [padding[i] - first[i] * stride[i] for i in range(nd)]
    # The input as the phases read it: plane position m holds
    # x[m - low] (zeros outside), m in [0, span).
    # (Covering the whole input, read or not, keeps it a padding stage.)
    low = [taps[i] - 1 - first[i] for i in range(nd)]
    span = [max(count[i] + taps[i] - 1, low[i] + spatial_in[i])
            for i in range(nd)]

    def phase_kernel(u):
        """(group, out channel, in channel, phases, taps): tap t of phase
        f is the weight's f + s*(taps - 1 - t), zero past the kernel."""
        def element(g, o, c, *index):
            phase, tap = index[:nd], index[nd:]
            at = [phase[i] + stride[i] * (taps[i] - 1 - tap[i])
                  for i in range(nd)]
            short = [i for i in range(nd) if ksize[i] % stride[i]]
            value = read(u, [g, c, o] + at)
            if not short:
                return value
            return te.if_then_else(
                te.all(*[at[i] < ksize[i] for i in short]), value, zero)
        return te.compute([groups, ocg, icg] + list(stride) + taps, element,
                          name="phase_kernel")

    def phases(v, u):
        xp, wk = _zero_padded(v, low, span, spatial_in, zero), phase_kernel(u)
        rc = te.reduce_axis((0, icg), name="rc")
        rt = [te.reduce_axis((0, t), name=f"rt{i}")
              for i, t in enumerate(taps)]
        return te.compute(
            [v.shape[0], groups, ocg] + list(stride) + count,
            lambda n, g, o, *r: te.sum(
                read(xp, [n, g, rc] + [r[nd + i] + rt[i] for i in range(nd)]) *
                read(wk, [g, o, rc] + list(r[:nd]) + rt), axis=[rc] + rt),
            name="convolution")

    def interleave(p):
        """(phase, q) planes to (q, phase) order: a permuting copy."""
        shape = [p.shape[0], groups, ocg]
        for i in range(nd):
            shape += [count[i], stride[i]]
        return te.compute(
            shape,
            lambda n, g, o, *qf: read(
                p, [n, g, o] + [qf[2 * i + 1] for i in range(nd)] +
                [qf[2 * i] for i in range(nd)]),
            name="interleave")

    planes = ctx.te(phases, x, w, name="convolution")
    woven = ctx.te(interleave, planes, name="interleave")
    full = [count[i] * stride[i] for i in range(nd)]
    y = ctx.emit(relax.op.reshape(woven, (batch, groups * ocg, *full)))
    if full != list(spatial_out) or any(shift):
        y = ctx.te(lambda t: te.compute(
            [t.shape[0], groups * ocg] + list(spatial_out),
            lambda n, c, *o: read(t, [n, c] + [o[i] + shift[i]
                                               for i in range(nd)]),
            name="slice"), y, name="slice")
    return y


# --- pooling ------------------------------------------------------------------

def _pool_params(nd, kernel_size, stride, padding, dilation):
    kernel = _tuple(kernel_size, nd)
    stride = _tuple(stride, nd) if stride not in (None, []) else kernel
    return kernel, stride, _tuple(padding, nd), _tuple(dilation, nd)


def _max_pool(ctx, x, nd, kernel_size, stride, padding, dilation, ceil_mode):
    """(values, lazy indices) of max pooling over the last `nd` dims;
    an index is the first maximum's flat position in its input plane (a NaN
    counts as the maximum, as in torch)."""
    kernel, stride, padding, dilation = _pool_params(
        nd, kernel_size, stride, padding, dilation)
    dtype = ctx.dtype(x)
    rank = len(x.shape)
    spatial = list(range(rank - nd, rank))
    _static_dims(ctx, x, spatial, "pooling")
    sizes = [x.shape[k] for k in spatial]
    outs = [pool_output_size(sizes[k], kernel[k], stride[k], padding[k],
                             dilation[k], ceil_mode) for k in range(nd)]
    low = -math.inf if is_float(dtype) else torch.iinfo(dtype).min

    def window(p, i):
        """For output element i of input p: the window's reduction axes,
        the input position, whether it is inside the input, and the value
        there (the lowest value outside)."""
        rk = [te.reduce_axis((0, kernel[k]), name=f"rk{k}")
              for k in range(nd)]
        s = i[rank - nd:]
        pos = [s[k] * stride[k] + rk[k] * dilation[k] - padding[k]
               for k in range(nd)]
        inside = te.all(*[c for k in range(nd) for c in
                          (pos[k] >= 0, pos[k] < sizes[k])])
        value = te.if_then_else(inside, read(p, list(i[:rank - nd]) + pos),
                                literal(low, dtype))
        return rk, pos, inside, value

    def build_values(p):
        def element(*i):
            rk, _, _, value = window(p, i)
            return te.max(value, axis=rk)
        return te.compute(list(p.shape[:rank - nd]) + outs, element,
                          name="max_pool")

    def build_indices(p, m):
        def element(*i):
            rk, pos, inside, value = window(p, i)
            flat = 0
            for k in range(nd):
                flat = flat * sizes[k] + pos[k]
            hit = te.all(inside, te.any(value == m(*i), value != value))
            return te.min(te.if_then_else(hit, te.cast(flat, "int64"),
                                          te.cast(2 ** 62, "int64")), axis=rk)
        return te.compute(list(p.shape[:rank - nd]) + outs, element,
                          name="max_pool_indices")

    if nd == 2 and dtype == torch.float32 and rank == 4:
        # relax.max_pool2d, legalized to topi's max pool: the definition
        # the code generator is tuned for.
        values = ctx.emit(relax.op.max_pool2d(
            ctx.expr(x), list(kernel), list(stride), list(padding),
            list(dilation), bool(ceil_mode)))
    else:
        values = ctx.te(build_values, x, name="max_pool")
    return values, ctx.lazy(lambda: ctx.te(build_indices, x, values,
                                           name="max_pool_indices"))


def _max_pool_rule(nd, with_indices):
    def apply(ctx, self, kernel_size, stride=(), padding=0, dilation=1,
              ceil_mode=False):
        result = _max_pool(ctx, self, nd, kernel_size, stride, padding,
                           dilation, ceil_mode)
        return result if with_indices else result[0]
    return apply


for _nd in (1, 2, 3):
    rule(f"max_pool{_nd}d_with_indices")(_max_pool_rule(_nd, True))
    rule(f"max_pool{_nd}d")(_max_pool_rule(_nd, False))


def _avg_pool(nd):
    def apply(ctx, self, kernel_size, stride=(), padding=0, ceil_mode=False,
              count_include_pad=True, divisor_override=None):
        kernel, stride_, padding_, _ = _pool_params(
            nd, kernel_size, stride, padding, 1)
        dtype = ctx.dtype(self)
        acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) \
            else dtype
        rank = len(self.shape)
        spatial = list(range(rank - nd, rank))
        _static_dims(ctx, self, spatial, "pooling")

        def build(p):
            shape = list(p.shape)
            sizes = [shape[k] for k in spatial]
            outs = [pool_output_size(sizes[i], kernel[i], stride_[i],
                                     padding_[i], 1, ceil_mode)
                    for i in range(nd)]
            rk = [te.reduce_axis((0, kernel[i]), name=f"rk{i}")
                  for i in range(nd)]
            out = shape[:rank - nd] + outs

            def total(*i):
                lead, s = list(i[:rank - nd]), i[rank - nd:]
                pos = [s[k] * stride_[k] + rk[k] - padding_[k]
                       for k in range(nd)]
                inside = [c for k in range(nd) for c in
                          (pos[k] >= 0, pos[k] < sizes[k])]
                return te.sum(te.if_then_else(
                    te.all(*inside), cast(read(p, lead + pos), acc),
                    literal(0, acc)), axis=rk)
            summed = te.compute(out, total, name="avg_pool_sum")

            def divide(*i):
                s = i[rank - nd:]
                if divisor_override is not None:
                    return cast(summed(*i) / literal(divisor_override, acc),
                                dtype)
                count = None
                for k in range(nd):
                    start = s[k] * stride_[k] - padding_[k]
                    end = te.min(start + kernel[k], sizes[k] + padding_[k])
                    if not count_include_pad:
                        start, end = te.max(start, 0), te.min(end, sizes[k])
                    span = end - start
                    count = span if count is None else count * span
                value = summed(*i) / te.cast(count, _name(acc))
                return cast(value, dtype)
            return te.compute(out, divide, name="avg_pool")
        if not is_float(dtype) and divisor_override is None:
            raise ctx.fail(f"average pooling of {dtype} tensors")
        if nd == 2 and rank == 4 and divisor_override is None and \
                dtype in (torch.float16, torch.float32, torch.float64):
            # The relax op, which graph passes see (the computation above).
            return ctx.emit(relax.op.avg_pool2d(
                ctx.expr(self), kernel, stride_, padding_, bool(ceil_mode),
                bool(count_include_pad)))
        return ctx.te(build, self, name="avg_pool")
    return apply


def _name(dtype):
    from ..promotion import dtype_name
    return dtype_name(dtype)


for _nd in (1, 2, 3):
    rule(f"avg_pool{_nd}d")(_avg_pool(_nd))


def _adaptive(nd, kind):
    """Adaptive pooling (torch's windows: output cell i covers input cells
    floor(i*In/Out) .. ceil((i+1)*In/Out)), as a reduction over the widest
    window with the cells beyond each window masked."""
    def apply(ctx, self, output_size):
        dtype = ctx.dtype(self)
        acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) \
            else dtype
        rank = len(self.shape)
        _static_dims(ctx, self, range(rank - nd, rank), "adaptive pooling")
        sizes = list(self.shape[rank - nd:])
        outs = [sizes[k] if o is None else o
                for k, o in enumerate(_tuple(output_size, nd))]
        widths = [max(-(-((i + 1) * n) // o) - (i * n) // o
                      for i in range(o)) if o else 1
                  for n, o in zip(sizes, outs)]
        low = -math.inf if is_float(dtype) else torch.iinfo(dtype).min

        def window(p, i):
            """Reduction axes, input position (kept in bounds), whether it
            is in the window, and the value there, for output element i."""
            rk = [te.reduce_axis((0, w), name=f"rk{k}")
                  for k, w in enumerate(widths)]
            s = i[rank - nd:]
            pos, inside = [], []
            for k in range(nd):
                start = (s[k] * sizes[k]) // outs[k]
                end = ((s[k] + 1) * sizes[k] + outs[k] - 1) // outs[k]
                pos.append(te.min(start + rk[k], sizes[k] - 1))
                inside.append(start + rk[k] < end)
            return rk, pos, te.all(*inside), read(p, list(i[:rank - nd]) + pos)

        def out_shape(p):
            return list(p.shape[:rank - nd]) + outs

        def build(p):
            def element(*i):
                rk, _, inside, v = window(p, i)
                v = cast(v, acc)
                if kind == "max":
                    return te.max(te.if_then_else(inside, v, literal(low, acc)),
                                  axis=rk)
                return te.sum(te.if_then_else(inside, v, literal(0, acc)),
                              axis=rk)
            reduced = te.compute(out_shape(p), element, name="adaptive_pool")
            if kind == "max":
                return reduced

            def average(*i):
                count = 1
                for k, c in enumerate(i[rank - nd:]):
                    count = count * (((c + 1) * sizes[k] + outs[k] - 1) //
                                     outs[k] - (c * sizes[k]) // outs[k])
                return cast(reduced(*i) / te.cast(count, _name(acc)), dtype)
            return te.compute(out_shape(p), average, name="adaptive_avg_pool")

        def build_indices(p, m):
            def element(*i):
                rk, pos, inside, v = window(p, i)
                flat = 0
                for k in range(nd):
                    flat = flat * sizes[k] + pos[k]
                best = te.any(v == m(*i), v != v) if is_float(dtype) else \
                    v == m(*i)
                return te.min(te.if_then_else(te.all(inside, best),
                                              te.cast(flat, "int64"),
                                              te.cast(2 ** 62, "int64")),
                              axis=rk)
            return te.compute(out_shape(p), element,
                              name="adaptive_max_indices")

        values = ctx.te(build, self, name="adaptive_pool")
        if kind == "max":
            return values, ctx.lazy(lambda: ctx.te(
                build_indices, self, values, name="adaptive_max_indices"))
        return values
    return apply


rule("_adaptive_avg_pool2d")(_adaptive(2, "avg"))
rule("_adaptive_avg_pool3d")(_adaptive(3, "avg"))
rule("adaptive_avg_pool1d")(_adaptive(1, "avg"))
rule("adaptive_max_pool1d")(_adaptive(1, "max"))
rule("adaptive_max_pool2d")(_adaptive(2, "max"))
rule("adaptive_max_pool3d")(_adaptive(3, "max"))


# --- normalization ----------------------------------------------------------------

def _normalize(ctx, x, axes, weight, bias, eps, channel_axis, mean=None,
               var=None, groups=None, scaled_form=False):
    """(x - mean) / sqrt(var + eps) * weight + bias: statistics over `axes`
    (biased variance) unless `mean`/`var` tensors are given (indexed by the
    channel); weight/bias indexed by `channel_axis`."""
    dtype = ctx.dtype(x)
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    rank = len(x.shape)
    operands = [x] + [t for t in (weight, bias, mean, var) if t is not None]

    def build(p, *rest):
        rest = list(rest)
        w = rest.pop(0) if weight is not None else None
        b = rest.pop(0) if bias is not None else None
        m_in = rest.pop(0) if mean is not None else None
        v_in = rest.pop(0) if var is not None else None
        shape = list(p.shape)
        keep = [1 if k in axes else s for k, s in enumerate(shape)]

        def stat_index(i):
            return [0 if k in axes else i[k] for k in range(rank)]

        if m_in is None:
            count = 1
            for k in axes:
                count = count * shape[k]
            n = te.cast(count, _name(acc)) if not isinstance(count, int) \
                else literal(float(count), acc)
            ra = [te.reduce_axis((0, shape[k]), name=f"a{k}") for k in axes]

            def full(i, raxes):
                it = iter(raxes)
                return [next(it) if k in axes else i[k] for k in range(rank)]
            total = te.compute(keep, lambda *i: te.sum(cast(read(
                p, full(i, ra)), acc), axis=ra), name="norm_sum")
            mean_t = te.compute(keep, lambda *i: total(*i) / n,
                                name="norm_mean")
            rb = [te.reduce_axis((0, shape[k]), name=f"b{k}") for k in axes]

            def sq(*i):
                d = cast(read(p, full(i, rb)), acc) - mean_t(*i)
                return te.sum(d * d, axis=rb)
            sqs = te.compute(keep, sq, name="norm_squares")
            var_t = te.compute(keep, lambda *i: sqs(*i) / n, name="norm_var")

            def get_mean(i):
                return mean_t(*stat_index(i))

            def get_var(i):
                return var_t(*stat_index(i))
        else:
            def get_mean(i):
                return cast(m_in[i[channel_axis]], acc)

            def get_var(i):
                return cast(v_in[i[channel_axis]], acc)

        def element(*i):
            if scaled_form:
                # torch's layer norm kernel: x * rstd + (-rstd * mean),
                # contracted to an fma by its compiler; its rounding differs
                # from (x - mean) * rstd where rstd is big.
                rstd = literal(1.0, acc) / te.sqrt(get_var(i) +
                                                   literal(eps, acc))
                value = te.fma(cast(read(p, i), acc), rstd, (
                    literal(0.0, acc) - rstd) * get_mean(i))
            else:
                value = (cast(read(p, i), acc) - get_mean(i)) / te.sqrt(
                    get_var(i) + literal(eps, acc))
            if w is not None:
                value = value * cast(_channel(w, i, channel_axis), acc)
            if b is not None:
                value = value + cast(_channel(b, i, channel_axis), acc)
            return cast(value, dtype)
        return te.compute(shape, element, name="normalize")
    return ctx.te(build, *operands, name="normalize")


def _channel(t, i, channel_axis):
    if isinstance(channel_axis, list):
        return t(*[i[k] for k in channel_axis])
    return t[i[channel_axis]]


@rule("native_batch_norm", "_native_batch_norm_legit",
      "_native_batch_norm_legit.no_stats")
def _batch_norm(ctx, input, weight, bias, running_mean=None,  # pylint: disable=redefined-builtin
                running_var=None, training=False, momentum=0.1, eps=1e-5):
    rank = len(input.shape)
    if training and running_mean is not None:
        raise ctx.fail("batch norm in training mode updates its running "
                       "statistics; import the model after model.eval()")
    if training or running_mean is None:
        axes = [k for k in range(rank) if k != 1]
        out = _normalize(ctx, input, axes, weight, bias, eps, 1)
        if training:
            # save_mean and save_invstd: per channel.
            def per_channel(keep):
                return [keep[1]]
            return out, ctx.lazy(lambda: _statistic(
                ctx, input, axes, eps, "mean", per_channel)), \
                ctx.lazy(lambda: _statistic(ctx, input, axes, eps, "rstd",
                                            per_channel))
    elif weight is not None and bias is not None and rank >= 2 and \
            is_float(ctx.dtype(input)) and len({ctx.dtype(t) for t in (
                input, weight, bias, running_mean, running_var)}) == 1:
        # The relax op, which graph passes see (the computation below).
        out = ctx.emit(relax.op.batch_norm(*[ctx.expr(t) for t in (
            input, running_mean, running_var, weight, bias)], float(eps)))
    else:
        out = _normalize(ctx, input, [], weight, bias, eps, 1,
                         mean=running_mean, var=running_var)
    return out, ctx.lazy(lambda: _refuse_stat(ctx, "save_mean")), \
        ctx.lazy(lambda: _refuse_stat(ctx, "save_invstd"))


def _statistic(ctx, x, axes, eps, which, shape_of):
    """The mean, or 1 / sqrt(biased var + eps) ("rstd"), of x over
    `axes`, in x's dtype, shaped by shape_of(keepdim shape)."""
    dtype = ctx.dtype(x)
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    rank = len(x.shape)

    def build(p):
        shape = list(p.shape)
        keep = [1 if k in axes else s for k, s in enumerate(shape)]
        count = 1
        for k in axes:
            count = count * shape[k]
        n = te.cast(count, _name(acc)) if not isinstance(count, int) \
            else literal(float(count), acc)

        def full(i, raxes):
            it = iter(raxes)
            return [next(it) if k in axes else i[k] for k in range(rank)]
        ra = [te.reduce_axis((0, shape[k]), name=f"a{k}") for k in axes]
        total = te.compute(keep, lambda *i: te.sum(cast(read(
            p, full(i, ra)), acc), axis=ra), name="stat_sum")
        mean = te.compute(keep, lambda *i: total(*i) / n, name="stat_mean")
        if which == "mean":
            result = mean
        else:
            rb = [te.reduce_axis((0, shape[k]), name=f"b{k}") for k in axes]

            def sq(*i):
                d = cast(read(p, full(i, rb)), acc) - mean(*i)
                return te.sum(d * d, axis=rb)
            sqs = te.compute(keep, sq, name="stat_squares")
            result = te.compute(keep, lambda *i: literal(1.0, acc) / te.sqrt(
                sqs(*i) / n + literal(eps, acc)), name="stat_rstd")
        out = shape_of(keep)

        kept = [k for k in range(rank) if k not in axes]

        def element(*i):
            # `out` keeps the reduced dims as 1s, or drops them.
            src = [0] * rank
            for k, v in zip(range(rank) if len(out) == rank else kept, i):
                src[k] = 0 if k in axes else v
            return cast(result(*src), dtype)
        return te.compute(out, element, name=f"stat_{which}")
    return ctx.te(build, x, name=f"{which}")


def _refuse_stat(ctx, name):
    raise ctx.fail(f"the {name} output of batch norm is not implemented")


@rule("native_layer_norm")
def _layer_norm(ctx, input, normalized_shape, weight, bias, eps):  # pylint: disable=redefined-builtin
    rank = len(input.shape)
    k = len(normalized_shape)
    axes = list(range(rank - k, rank))
    dtype = ctx.dtype(input)
    if weight is not None and bias is not None and k >= 1 and \
            dtype in (torch.float16, torch.float32, torch.float64) and \
            ctx.dtype(weight) == dtype and ctx.dtype(bias) == dtype:
        # The relax op, which graph passes see (the computation below).
        out = ctx.emit(relax.op.layer_norm(
            ctx.expr(input), ctx.expr(weight), ctx.expr(bias), eps))
    else:
        out = _normalize(ctx, input, axes, weight, bias, eps,
                         list(range(rank - k, rank)), scaled_form=True)
    # mean and rstd keep the normalized dims as 1s.
    return out, ctx.lazy(lambda: _statistic(
        ctx, input, axes, eps, "mean", lambda keep: keep)), \
        ctx.lazy(lambda: _statistic(ctx, input, axes, eps, "rstd",
                                    lambda keep: keep))


@rule("native_group_norm")
def _group_norm(ctx, input, weight, bias, N, C, HxW, group, eps):  # pylint: disable=redefined-builtin,invalid-name
    from ... import relax
    shape = list(input.shape)
    if None in shape[1:]:
        raise ctx.fail("group norm over dynamic sizes")
    lead = shape[0]
    grouped = ctx.emit(relax.op.reshape(
        ctx.expr(input), (lead, group, C // group, HxW)))
    normed = _normalize(ctx, grouped, [2, 3], None, None, eps, 1)
    back = ctx.emit(relax.op.reshape(normed, tuple(shape)))
    if weight is not None or bias is not None:
        dtype = ctx.dtype(input)
        operands = [back] + [t for t in (weight, bias) if t is not None]

        def build(p, *wb):
            wb = list(wb)
            w = wb.pop(0) if weight is not None else None
            b = wb.pop(0) if bias is not None else None

            def element(*i):
                v = read(p, i)
                if w is not None:
                    v = v * cast(w[i[1]], dtype)
                if b is not None:
                    v = v + cast(b[i[1]], dtype)
                return v
            return te.compute(list(p.shape), element, name="group_affine")
        back = ctx.te(build, *operands, name="group_affine")
    return back, ctx.lazy(lambda: _refuse_stat(ctx, "mean")), \
        ctx.lazy(lambda: _refuse_stat(ctx, "rstd"))


# --- softmax ------------------------------------------------------------------------

def softmax(ctx, x, dim, log, out_dtype):
    dtype = ctx.dtype(x)
    if out_dtype == dtype and dtype in (torch.float16, torch.float32,
                                        torch.float64):
        # The relax op, which graph passes see (same computation as below).
        op = relax.op.log_softmax if log else relax.op.softmax
        return ctx.emit(op(ctx.expr(x), dim))
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    rank = len(x.shape)
    axis = norm_dim(dim, rank)

    def build(p):
        shape = list(p.shape)
        if rank == 0:
            return te.compute([], lambda: cast(literal(0.0 if log else 1.0,
                                                       acc), out_dtype),
                              name="softmax")
        keep = [1 if k == axis else s for k, s in enumerate(shape)]
        r1 = te.reduce_axis((0, shape[axis]), name="r1")
        r2 = te.reduce_axis((0, shape[axis]), name="r2")

        def at(i, r):
            i = list(i)
            i[axis] = r
            return cast(read(p, i), acc)
        m = te.compute(keep, lambda *i: te.max(at(i, r1), axis=[r1]),
                       name="softmax_max")
        s = te.compute(keep, lambda *i: te.sum(te.exp(at(i, r2) - m(*i)),
                                               axis=[r2]), name="softmax_sum")

        def element(*i):
            k = list(i)
            k[axis] = 0
            shifted = cast(read(p, i), acc) - m(*k)
            if log:
                return cast(shifted - te.log(s(*k)), out_dtype)
            return cast(te.exp(shifted) / s(*k), out_dtype)
        return te.compute(shape, element, name="softmax")
    return ctx.te(build, x, name="log_softmax" if log else "softmax")


@rule("_softmax")
def _softmax(ctx, self, dim, half_to_float):
    out = torch.float32 if half_to_float else ctx.dtype(self)
    return softmax(ctx, self, dim, False, out)


@rule("_log_softmax")
def _log_softmax(ctx, self, dim, half_to_float):
    out = torch.float32 if half_to_float else ctx.dtype(self)
    return softmax(ctx, self, dim, True, out)


@decomposition("_scaled_dot_product_attention_forward.default")
def _attention(query, key, value, attn_mask=None, dropout_p=0.0,
               need_attn_weights=False, is_causal=False):
    """torch 1.13's _scaled_dot_product_attention_math: softmax(q / sqrt(E)
    @ kᵀ + mask) @ v and the attention weights (returned whether or not
    need_attn_weights asks); a bool mask (or is_causal's lower triangle)
    masks out with -inf."""
    del need_attn_weights  # torch's math kernel returns the weights anyway
    if dropout_p != 0:
        raise NotImplementedError(
            "_scaled_dot_product_attention with dropout_p != 0 is random")
    query = query * (1.0 / math.sqrt(query.shape[-1]))
    if is_causal:
        if attn_mask is not None:
            raise NotImplementedError("is_causal with an attn_mask")
        attn_mask = torch.ones(query.shape[-2], key.shape[-2],
                               dtype=torch.bool).tril()
    if attn_mask is not None and attn_mask.dtype == torch.bool:
        attn_mask = torch.zeros_like(attn_mask, dtype=query.dtype).masked_fill(
            attn_mask.logical_not(), float("-inf"))
    attn = torch.matmul(query, key.transpose(-2, -1))
    if attn_mask is not None:
        attn = attn + attn_mask
    attn = attn.softmax(-1)
    return torch.matmul(attn, value), attn


# --- resampling ------------------------------------------------------------------

def _scales(sizes, outs, scales):
    """torch's source-index scale per dimension: 1/scale_factor when the
    caller gave one, else in/out."""
    result = []
    for k, (n, o) in enumerate(zip(sizes, outs)):
        s = scales[k] if scales is not None and k < len(scales) else None
        result.append(1.0 / s if s is not None and s > 0 else n / o)
    return result


def _resample_params(ctx, x, nd, output_size, scale_factors, scales):
    """Input sizes, output sizes and the scale factors the caller gave (the
    .vec overloads' scale_factors, or the per-dimension scales_* of the
    others; None where not given)."""
    rank = len(x.shape)
    sizes = [x.shape[k] for k in range(rank - nd, rank)]
    if None in sizes:
        raise ctx.fail("resampling a dynamic spatial size")
    given = [v for v in scales if v is not None]
    factors = list(scale_factors) if scale_factors is not None else \
        (list(scales[-nd:]) if given else None)
    if output_size is not None:
        outs = list(output_size)
    else:
        outs = [int(math.floor(n * f)) for n, f in zip(sizes, factors)]
    return sizes, outs, factors


def _nearest(nd, exact):
    def apply(ctx, self=None, output_size=None, scale_factors=None,
              input=None, scales_d=None, scales_h=None, scales_w=None,  # pylint: disable=redefined-builtin
              scales=None):
        self = input if self is None else self
        rank = len(self.shape)
        sizes, outs, factors = _resample_params(
            ctx, self, nd, output_size, scale_factors,
            [scales_d, scales_h, scales_w] if scales is None else [scales])
        ratio = _scales(sizes, outs, factors)

        def source(i, s):
            src = list(i[:rank - nd])
            for k in range(nd):
                o = i[rank - nd + k]
                # torch computes the source index in float.
                real = te.cast(o, "float32") + (0.5 if exact else 0.0)
                pos = te.cast(te.floor(real * ratio[k]), "int64")
                src.append(te.min(pos, te.cast(sizes[k] - 1, "int64")))
            return src
        from .shape import remap
        return remap(ctx, self, lambda s: s[:rank - nd] + outs, source,
                     name="upsample_nearest")
    return apply


for _nd, _suffix in ((1, "1d"), (2, "2d"), (3, "3d")):
    rule(f"upsample_nearest{_suffix}.vec", f"upsample_nearest{_suffix}.default")(
        _nearest(_nd, False))
    rule(f"_upsample_nearest_exact{_suffix}.vec",
         f"_upsample_nearest_exact{_suffix}.default")(_nearest(_nd, True))


def _linear_interp(nd, name):
    def apply(ctx, self=None, output_size=None, align_corners=False,
              scale_factors=None, input=None, scales_d=None,  # pylint: disable=redefined-builtin
              scales_h=None, scales_w=None, scales=None):
        self = input if self is None else self
        rank = len(self.shape)
        dtype = ctx.dtype(self)
        sizes, outs, factors = _resample_params(
            ctx, self, nd, output_size, scale_factors,
            [scales_d, scales_h, scales_w] if scales is None else [scales])
        if align_corners:
            ratio = [(n - 1) / (o - 1) if o > 1 else 0.0
                     for n, o in zip(sizes, outs)]
        else:
            ratio = _scales(sizes, outs, factors)
        acc = torch.float32 if dtype != torch.float64 else torch.float64

        def build(p):
            shape = list(p.shape)

            def element(*i):
                lead = list(i[:rank - nd])
                corners = []
                for k in range(nd):
                    o = te.cast(i[rank - nd + k], _name(acc))
                    if align_corners:
                        real = o * literal(ratio[k], acc)
                    else:
                        real = te.max((o + literal(0.5, acc)) *
                                      literal(ratio[k], acc) -
                                      literal(0.5, acc), literal(0.0, acc))
                    lo = te.min(te.cast(te.floor(real), "int64"),
                                te.cast(sizes[k] - 1, "int64"))
                    hi = te.min(lo + te.cast(1, "int64"),
                                te.cast(sizes[k] - 1, "int64"))
                    frac = real - te.cast(lo, _name(acc))
                    corners.append((lo, hi, frac))
                total = None
                for mask in range(2 ** nd):
                    index, weight = [], None
                    for k in range(nd):
                        lo, hi, frac = corners[k]
                        if mask >> (nd - 1 - k) & 1:
                            index.append(hi)
                            w = frac
                        else:
                            index.append(lo)
                            w = literal(1.0, acc) - frac
                        weight = w if weight is None else weight * w
                    term = cast(read(p, lead + index), acc) * weight
                    total = term if total is None else total + term
                return cast(total, dtype)
            return te.compute(shape[:rank - nd] + outs, element, name=name)
        return ctx.te(build, self, name=name)
    return apply


rule("upsample_linear1d.vec", "upsample_linear1d.default")(
    _linear_interp(1, "upsample_linear"))
rule("upsample_bilinear2d.vec", "upsample_bilinear2d.default")(
    _linear_interp(2, "upsample_bilinear"))
rule("upsample_trilinear3d.vec", "upsample_trilinear3d.default")(
    _linear_interp(3, "upsample_trilinear"))


def _cubic_coefficients(t, acc):
    """torch's get_cubic_upsample_coefficients (A = -0.75) at offset t."""
    a = literal(-0.75, acc)
    one = literal(1.0, acc)

    def near(x):  # cubic_convolution1: |x| <= 1
        return ((a + literal(2.0, acc)) * x - (a + literal(3.0, acc))) * \
            x * x + one

    def far(x):  # cubic_convolution2: 1 < |x| < 2
        return ((a * x - literal(5.0, acc) * a) * x +
                literal(8.0, acc) * a) * x - literal(4.0, acc) * a
    u = one - t
    return [far(t + one), near(t), near(u), far(u + one)]


@rule("upsample_bicubic2d.vec", "upsample_bicubic2d.default")
def _bicubic(ctx, self=None, output_size=None, align_corners=False,
             scale_factors=None, input=None, scales_h=None, scales_w=None):  # pylint: disable=redefined-builtin
    """torch's CPU kernel (upsample_bicubic2d_out_frame): per output cell,
    4 cubic interpolations along x (rows y-1 .. y+2, reads clamped into the
    input), then one along y, in float64 for float64 and float32
    otherwise (torch's decomposition computes the offsets in float32)."""
    self = input if self is None else self
    rank = len(self.shape)
    dtype = ctx.dtype(self)
    if not is_float(dtype):
        raise ctx.fail(f"bicubic upsampling of {dtype} tensors")
    sizes, outs, factors = _resample_params(
        ctx, self, 2, output_size, scale_factors, [scales_h, scales_w])
    if align_corners:
        ratio = [(n - 1) / (o - 1) if o > 1 else 0.0
                 for n, o in zip(sizes, outs)]
    else:
        ratio = _scales(sizes, outs, factors)
    acc = torch.float64 if dtype == torch.float64 else torch.float32

    def build(p):
        shape = list(p.shape)

        def element(*i):
            lead = list(i[:rank - 2])
            taps = []
            for k in range(2):
                o = te.cast(i[rank - 2 + k], _name(acc))
                if align_corners:
                    real = o * literal(ratio[k], acc)
                else:
                    real = (o + literal(0.5, acc)) * literal(ratio[k], acc) \
                        - literal(0.5, acc)
                # guard_index_and_lambda: the index at most size - 1, the
                # offset within [0, 1]; floorf rounds to float first.
                index = te.min(te.cast(te.floor(te.cast(real, "float32")),
                                       "int64"),
                               te.cast(sizes[k] - 1, "int64"))
                t = te.min(te.max(real - te.cast(index, _name(acc)),
                                  literal(0.0, acc)), literal(1.0, acc))
                taps.append((index, _cubic_coefficients(t, acc)))

            def at(axis, index, d):
                q = index + te.cast(d - 1, "int64")
                return te.min(te.max(q, te.cast(0, "int64")),
                              te.cast(sizes[axis] - 1, "int64"))
            (iy, cy), (ix, cx) = taps
            rows = []
            for dy in range(4):
                y = at(0, iy, dy)
                row = None
                for dx in range(4):
                    term = cast(read(p, lead + [y, at(1, ix, dx)]), acc) * \
                        cx[dx]
                    row = term if row is None else row + term
                rows.append(row)
            total = None
            for dy in range(4):
                term = rows[dy] * cy[dy]
                total = term if total is None else total + term
            return cast(total, dtype)
        return te.compute(shape[:rank - 2] + outs, element,
                          name="upsample_bicubic")
    return ctx.te(build, self, name="upsample_bicubic")


# --- shuffles and embedding ----------------------------------------------------------

@rule("pixel_shuffle")
def _pixel_shuffle(ctx, self, upscale_factor):
    r = upscale_factor
    rank = len(self.shape)
    from .shape import remap

    def out_shape(s):
        return s[:rank - 3] + [s[-3] // (r * r), s[-2] * r, s[-1] * r]

    def source(i, s):
        c, h, w = i[-3], i[-2], i[-1]
        return list(i[:rank - 3]) + [c * r * r + (h % r) * r + w % r,
                                     h // r, w // r]
    return remap(ctx, self, out_shape, source, name="pixel_shuffle")


@rule("pixel_unshuffle")
def _pixel_unshuffle(ctx, self, downscale_factor):
    r = downscale_factor
    rank = len(self.shape)
    from .shape import remap

    def out_shape(s):
        return s[:rank - 3] + [s[-3] * r * r, s[-2] // r, s[-1] // r]

    def source(i, s):
        c, h, w = i[-3], i[-2], i[-1]
        base = c // (r * r)
        off = c % (r * r)
        return list(i[:rank - 3]) + [base, h * r + off // r, w * r + off % r]
    return remap(ctx, self, out_shape, source, name="pixel_unshuffle")


@rule("channel_shuffle", "native_channel_shuffle")
def _channel_shuffle(ctx, self, groups):
    from .shape import remap
    channels = ctx.static(self.shape[1], "channels")
    per = channels // groups

    def source(i, s):
        c = i[1]
        return [i[0], (c % groups) * per + c // groups] + list(i[2:])
    return remap(ctx, self, lambda s: s, source, name="channel_shuffle")


@rule("embedding")
def _embedding(ctx, weight, indices, padding_idx=-1,
               scale_grad_by_freq=False, sparse=False):
    from .indexing import take_rows
    return take_rows(ctx, weight, indices)


@rule("renorm")
def _renorm(ctx, self, p, dim, maxnorm):
    """Each slice along `dim` whose p-norm exceeds maxnorm scaled by
    maxnorm / (norm + 1e-7), as torch does."""
    from .reduction import _REDUCERS, _p_norm_parts
    dtype = ctx.dtype(self)
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    rank = len(self.shape)
    axis = norm_dim(dim, rank)
    element, kind, finish = _p_norm_parts(float(p), acc)

    def build(x):
        shape = list(x.shape)
        others = [k for k in range(rank) if k != axis]
        ra = [te.reduce_axis((0, shape[k]), name=f"r{k}") for k in others]

        def full(c):
            it = iter(ra)
            return [c if k == axis else next(it) for k in range(rank)]
        total = te.compute([shape[axis]], lambda c: _REDUCERS[kind](element(
            te.abs(cast(read(x, full(c)), acc))), axis=ra), name="renorm_sum")
        limit = literal(float(maxnorm), acc)

        def scaled(*i):
            norm = finish(total(i[axis]))
            factor = te.if_then_else(norm > limit, limit / (
                norm + literal(1e-7, acc)), literal(1.0, acc))
            return cast(cast(read(x, list(i)), acc) * factor, dtype)
        return te.compute(shape, scaled, name="renorm")
    return ctx.te(build, self)


# --- margin losses -------------------------------------------------------------

def _mean_or_sum(ctx, loss, reduction):
    from .reduction import _loss_reduction
    return _loss_reduction(ctx, loss, reduction)


@decomposition("nll_loss2d_forward.default")
def _nll_loss2d_forward(self, target, weight, reduction, ignore_index):
    """nll_loss over (N, C, d1, d2) as nll_loss over (N*d1*d2, C), which
    torch decomposes."""
    classes = self.shape[1]
    flat = self.movedim(1, -1).reshape(-1, classes)
    out, total = torch.ops.aten.nll_loss_forward(
        flat, target.reshape(-1), weight, reduction, ignore_index)
    if reduction == 0:  # Reduction::None
        out = out.reshape(target.shape)
    return out, total


@decomposition("_pdist_forward.default")
def _pdist_forward(self, p=2.0):
    """The p-norm distances of the rows i < j (row-major), as vector norms
    of row differences picked by constant index pairs."""
    n = self.shape[0]
    pairs = torch.triu_indices(n, n, 1)
    return torch.linalg.vector_norm(self[pairs[0]] - self[pairs[1]], p,
                                    dim=-1)


@rule("multi_margin_loss")
def _multi_margin_loss(ctx, self, target, p=1, margin=1, weight=None,
                       reduction=1):
    """Per sample: sum over classes j != y of max(0, margin - x[y] + x[j])
    ** p (times weight[y]), over the class count."""
    if p not in (1, 2):
        raise ctx.refuse("p", p, "torch takes 1 or 2")
    dtype = ctx.dtype(self)
    one_row = len(self.shape) == 1
    operands = [self, target] + ([weight] if weight is not None else [])

    scalar = len(self.shape) == 0  # one sample of one class

    def build(x, y, *w):
        classes = 1 if scalar else x.shape[-1]
        j = te.reduce_axis((0, classes), name="j")
        shape = [] if one_row or scalar else [x.shape[0]]

        def row(i):
            return [] if one_row or scalar else [i[0]]

        def at(column):
            return read(x, [] if scalar else row(i_now[0]) + [column])
        i_now = [None]

        def element(*i):
            i_now[0] = i
            label = read(y, [] if not y.shape else [0] if one_row or scalar
                         else [i[0]])
            picked = at(label)
            z = literal(float(margin), dtype) - picked + at(j)
            h = z if p == 1 else z * z
            if w:
                h = h * cast(read(w[0], [label]), dtype)
            keep = te.select(cast(j, torch.int64) != cast(label, torch.int64),
                             te.select(z > literal(0.0, dtype), h,
                                       literal(0.0, dtype)),
                             literal(0.0, dtype))
            return te.sum(keep, axis=[j])
        total = te.compute(shape, element, name="multi_margin_sum")
        count = literal(float(ctx.static(classes, "self")), dtype)
        return te.compute(shape, lambda *i: total(*i) / count,
                          name="multi_margin")
    loss = ctx.te(build, *operands, name="multi_margin_loss")
    return _mean_or_sum(ctx, loss, reduction)


@rule("multilabel_margin_loss_forward")
def _multilabel_margin_loss(ctx, self, target, reduction):
    """Per sample: the target labels are target's entries before its first
    -1; sum over them (t) and over the other classes (j) of
    max(0, 1 - (x[t] - x[j])), over the class count. Also is_target."""
    if len(self.shape) == 0:  # one class: as a row of one
        from .shape import reshape
        loss, is_target = _multilabel_margin_loss(
            ctx, reshape(ctx, self, [1]), reshape(ctx, target, [1]),
            reduction)
        return loss, reshape(ctx, is_target, [])
    dtype = ctx.dtype(self)
    one_row = len(self.shape) == 1

    def row(i):
        return [] if one_row else [i[0]]

    def build_valid(y):
        width = y.shape[-1]
        m = te.reduce_axis((0, width), name="m")
        # valid[k]: no -1 at or before k.
        return te.compute(list(y.shape), lambda *i: te.min(te.select(
            m <= i[-1], cast(read(y, row(i) + [m]) >= literal(0, torch.int64),
                             torch.int8), literal(1, torch.int8)), axis=[m]),
            name="label_valid")
    valid = ctx.te(build_valid, target, name="label_valid")

    def build_is_target(x, y, v):
        k = te.reduce_axis((0, y.shape[-1]), name="k")

        def element(*i):
            hit = te.select(read(v, row(i) + [k]) != literal(0, torch.int8),
                            cast(cast(read(y, row(i) + [k]), torch.int64) ==
                                 cast(i[-1], torch.int64), torch.int8),
                            literal(0, torch.int8))
            return te.max(hit, axis=[k])
        found = te.compute(list(x.shape), element, name="is_target_any")
        return te.compute(list(x.shape), lambda *i: cast(found(*i), dtype),
                          name="is_target")
    is_target = ctx.te(build_is_target, self, target, valid,
                       name="is_target")

    def build_loss(x, y, v, t):
        classes = x.shape[-1]
        k = te.reduce_axis((0, y.shape[-1]), name="k")
        j = te.reduce_axis((0, classes), name="j")
        shape = [] if one_row else [x.shape[0]]

        def element(*i):
            label = read(y, row(i) + [k])
            safe = te.max(label, literal(0, torch.int64))
            z = literal(1.0, dtype) - read(x, row(i) + [safe]) + \
                read(x, row(i) + [j])
            term = te.select(z > literal(0.0, dtype), z, literal(0.0, dtype))
            other = read(t, row(i) + [j])
            # (other != other: false, is_target is never NaN)
            use = te.select(read(v, row(i) + [k]) != literal(0, torch.int8),
                            other == literal(0.0, dtype), other != other)
            return te.sum(te.select(use, term, literal(0.0, dtype)),
                          axis=[k, j])
        total = te.compute(shape, element, name="multilabel_sum")
        count = literal(float(ctx.static(classes, "self")), dtype)
        return te.compute(shape, lambda *i: total(*i) / count,
                          name="multilabel_margin")
    loss = ctx.te(build_loss, self, target, valid, is_target,
                  name="multilabel_margin_loss")
    return _mean_or_sum(ctx, loss, reduction), is_target
