"""Matrix products: mm, bmm, addmm, baddbmm, dot, mv, and the batched
matmul torch's decompositions leave. Float operands of one dtype go to
relax.matmul (the code generator's packed GEMM); others are a te
reduction in torch's accumulation dtype."""

import torch

from ... import relax, te
from ..promotion import is_float, result_type
from .common import cast, is_tensor, literal, read
from .registry import rule


def _te_matmul(ctx, a, b, out_dtype):
    acc = torch.float32 if out_dtype in (torch.float16, torch.bfloat16) \
        else out_dtype
    ra, rb = len(a.shape), len(b.shape)

    def build(p, q):
        ps, qs = list(p.shape), list(q.shape)
        k = te.reduce_axis((0, ps[-1]), name="k")
        if ra == 1 and rb == 1:
            shape = []
        elif ra == 1:
            shape = qs[:-2] + [qs[-1]]
        elif rb == 1:
            shape = ps[:-1]
        else:
            shape = ps[:-1] + [qs[-1]]

        def element(*i):
            if ra == 1 and rb == 1:
                x, y = read(p, [k]), read(q, [k])
            elif ra == 1:
                x, y = read(p, [k]), read(q, list(i[:-1]) + [k, i[-1]])
            elif rb == 1:
                x, y = read(p, list(i) + [k]), read(q, [k])
            else:
                x = read(p, list(i[:-1]) + [k])
                y = read(q, list(i[:-2]) + [k, i[-1]])
            if out_dtype == torch.bool:
                return te.max(te.cast(te.bitwise_and(x, y), "int8"), axis=[k])
            return te.sum(cast(x, acc) * cast(y, acc), axis=[k])
        product = te.compute(shape, element, name="matmul")
        return te.compute(shape, lambda *i: cast(product(*i), out_dtype),
                          name="matmul_out")
    return ctx.te(build, a, b, name="matmul")


def matmul(ctx, a, b):
    dtype = result_type(a, b)
    if ctx.dtype(a) != ctx.dtype(b):
        raise ctx.fail(f"matmul of {ctx.dtype(a)} and {ctx.dtype(b)} "
                       "(torch refuses mixed dtypes too)")
    if is_float(dtype) and dtype != torch.float16 and len(a.shape) >= 2 and \
            len(b.shape) >= 2 and None not in b.shape[-2:] and \
            a.shape[-1] is not None:
        return ctx.emit(relax.op.matmul(ctx.expr(a), ctx.expr(b)))
    return _te_matmul(ctx, a, b, dtype)


@rule("mm", "bmm", "dot", "mv", "vdot", "matmul")
def _mm(ctx, self, other=None, mat2=None, vec=None, tensor=None):
    right = next(v for v in (other, mat2, vec, tensor) if v is not None)
    return matmul(ctx, self, right)


def _scaled_sum(ctx, product, bias, beta, alpha):
    dtype = ctx.dtype(product)
    if beta == 1 and alpha == 1 and is_tensor(bias) and \
            ctx.dtype(bias) == dtype and is_float(dtype):
        return ctx.emit(relax.op.add(product, ctx.expr(bias)))
    from .common import elementwise

    def fn(dt, p, b):
        scaled = p if alpha == 1 else p * literal(alpha, dt)
        if beta == 0:
            return scaled
        return scaled + (b if beta == 1 else b * literal(beta, dt))
    return elementwise(ctx, fn, product, bias, result=dtype)


@rule("addmm", "baddbmm", "addmv")
def _addmm(ctx, self, mat1=None, mat2=None, batch1=None, batch2=None,
           mat=None, vec=None, beta=1, alpha=1):
    left = next(v for v in (mat1, batch1, mat) if v is not None)
    right = next(v for v in (mat2, batch2, vec) if v is not None)
    return _scaled_sum(ctx, matmul(ctx, left, right), self, beta, alpha)


@rule("_trilinear")
def _trilinear(ctx, i1, i2, i3, expand1, expand2, expand3, sumdim,
               unroll_dim=1):
    """sum over `sumdim` of i1 * i2 * i3, each unsqueezed at its expand
    dims to a common rank (nn.Bilinear's kernel). unroll_dim only chooses
    torch's loop order."""
    del unroll_dim
    dtype = result_type(i1, i2, i3)
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) \
        else dtype
    expands = [sorted(expand1), sorted(expand2), sorted(expand3)]
    rank = len(i1.shape) + len(expand1)

    def unsqueezed(shape, expand):
        dims = iter(shape)
        return [1 if d in expand else next(dims) for d in range(rank)]

    shapes = [unsqueezed(list(t.shape), e)
              for t, e in zip((i1, i2, i3), expands)]
    if any(s is None for shape in shapes for s in shape):
        raise ctx.fail("a dynamic size (sizes are read statically)")
    # Broadcast: a size 1 stretches to the others (which may be 0).
    full = [next((s for s in sizes if s != 1), 1) for sizes in zip(*shapes)]
    sums = sorted(set(sumdim))

    def build(a, b, c):
        axes = {d: te.reduce_axis((0, full[d]), name=f"k{d}") for d in sums}
        kept = [d for d in range(rank) if d not in axes]

        def element(*i):
            index = dict(zip(kept, i))
            index.update(axes)
            value = None
            for t, shape, expand in zip((a, b, c), shapes, expands):
                at = [index[d] if shape[d] != 1 else 0
                      for d in range(rank) if d not in expand]
                v = cast(read(t, at), acc)
                value = v if value is None else value * v
            return te.sum(value, axis=list(axes.values())) if axes else value
        total = te.compute([full[d] for d in kept], element, name="trilinear")
        return te.compute(total.shape, lambda *i: cast(total(*i), dtype),
                          name="trilinear_out")
    return ctx.te(build, i1, i2, i3, name="trilinear")


@rule("addbmm")
def _addbmm(ctx, self, batch1, batch2, beta=1, alpha=1):
    """beta * self + alpha * the sum over the batch of batch1 @ batch2."""
    dtype = result_type(batch1, batch2)
    if ctx.dtype(batch1) != ctx.dtype(batch2):
        raise ctx.fail("addbmm of two dtypes (torch refuses them too)")
    acc = torch.float32 if dtype in (torch.float16, torch.bfloat16) \
        else dtype

    def build(p, q):
        b = te.reduce_axis((0, p.shape[0]), name="b")
        k = te.reduce_axis((0, p.shape[2]), name="k")
        product = te.compute(
            [p.shape[1], q.shape[2]], lambda i, j: te.sum(
                cast(p(b, i, k), acc) * cast(q(b, k, j), acc), axis=[b, k]),
            name="addbmm_sum")
        return te.compute(product.shape, lambda i, j: cast(product(i, j),
                                                           dtype),
                          name="addbmm_out")
    total = ctx.te(build, batch1, batch2, name="addbmm")
    return _scaled_sum(ctx, total, self, beta, alpha)
