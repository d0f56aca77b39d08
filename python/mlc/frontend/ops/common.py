"""te building blocks the rules share: broadcasting element-wise computes
with torch's promotion, casts, literals, dimension arguments."""

import torch

from ... import relax, te
from .. import promotion
from ..promotion import DEFAULT, dtype_name


def is_tensor(value):
    return isinstance(value, (relax.Expr, torch.Tensor))


def rank(value):
    return len(value.shape)


def norm_dim(dim, ndim):
    """A dimension index in [0, ndim) (rank 0 takes 0 and -1)."""
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(f"dimension {dim} out of range for rank {ndim}")
    return dim % size


def norm_dims(dims, ndim):
    """Reduction dims: None or [] mean all."""
    if dims is None or (isinstance(dims, (list, tuple)) and len(dims) == 0):
        return list(range(ndim))
    if isinstance(dims, int):
        dims = [dims]
    return sorted({norm_dim(d, ndim) for d in dims}) if ndim else []


def check_tensor_options(ctx, layout=None, device=None, pin_memory=None,
                         memory_format=None):
    """Refuses tensor options mlc does not implement: devices other than the
    CPU, non-strided layouts, pinned memory. Every memory format is
    implemented: it chooses torch's strides, and mlc's results are
    contiguous arrays with torch's values, shape and dtype (mlc chooses its
    own layouts)."""
    if device is not None and torch.device(device).type != "cpu":
        raise ctx.refuse("device", device, "mlc compiles for the CPU")
    if layout not in (None, torch.strided):
        raise ctx.refuse("layout", layout)
    if pin_memory:
        raise ctx.refuse("pin_memory", pin_memory)
    if memory_format not in (None, torch.contiguous_format,
                             torch.preserve_format, torch.channels_last,
                             torch.channels_last_3d):
        raise ctx.refuse("memory_format", memory_format)


def cast(value, dtype):
    """A te expression converted to the torch dtype `dtype`."""
    return te.cast(value, dtype_name(dtype))


def literal(value, dtype):
    """A Python scalar as a te literal of torch dtype `dtype`."""
    if isinstance(value, bool):
        value = int(value)
    if dtype.is_floating_point:
        return te.cast(float(value), dtype_name(dtype))
    if dtype == torch.bool:
        return te.cast(int(value != 0), "bool")
    if isinstance(value, float):
        return te.cast(int(value), dtype_name(dtype))
    return te.cast(int(value), dtype_name(dtype))


def broadcast_shape(shapes):
    """torch's broadcast of te shapes (ints and te size expressions): a
    dynamic size meeting another size is assumed equal to it (checked at
    run time by a te requirement)."""
    out_rank = max((len(s) for s in shapes), default=0)
    out = []
    for k in range(out_rank):
        dims = [s[len(s) - out_rank + k] for s in shapes
                if len(s) - out_rank + k >= 0]
        static = [d for d in dims if isinstance(d, int)]
        non_one = [d for d in static if d != 1]
        if non_one:
            size = non_one[0]
        elif len(static) < len(dims):
            size = next(d for d in dims if not isinstance(d, int))
        else:
            size = 1
        for d in dims:
            if not isinstance(d, int) and d is not size:
                te.require_equal(d, size, "broadcast sizes differ")
        out.append(size)
    return out


def broadcast_index(tensor, index, out_shape=None):
    """The index into `tensor` of output element `index` under broadcast.
    A size-1 dimension reads index 0 where it is stretched; where the
    output's dimension (`out_shape`, when given) is 1 too it reads the
    output's index, a plain one, so that the read is an identity the code
    generator can merge, write in place and group (a batch of one)."""
    shape = tensor.shape
    offset = len(index) - len(shape)

    def stretched(k, d):
        if not (isinstance(d, int) and d == 1):
            return False
        out = None if out_shape is None else out_shape[offset + k]
        return not (isinstance(out, int) and out == 1)
    return [0 if stretched(k, d) else index[offset + k]
            for k, d in enumerate(shape)]


def read(tensor, index):
    """tensor[index] (a rank-0 tensor is read with no index)."""
    return tensor(*index)


def elementwise(ctx, fn, *operands, kind=DEFAULT, compute=None, result=None,
                name=None):
    """An element-wise op over tensors and Python scalars with broadcasting.

    Operands are promoted as torch does for `kind` (computation and result
    dtypes, overridable); fn(dt, *values) gets te values already converted
    to the computation dtype dt and returns the element, which is converted
    to the result dtype."""
    comp, res = promotion.promote(*operands, kind=kind)
    compute = compute or comp
    result = result or res
    tensors = [v for v in operands if is_tensor(v)]

    def build(*placeholders):
        shape = broadcast_shape([list(p.shape) for p in placeholders])

        def element(*index):
            values, it = [], iter(placeholders)
            for v in operands:
                if is_tensor(v):
                    p = next(it)
                    values.append(cast(read(p, broadcast_index(p, index,
                                                               shape)),
                                       compute))
                elif v is None:
                    values.append(None)
                else:
                    values.append(literal(v, compute))
            return cast(fn(compute, *values), result)

        return te.compute(shape, element, name=name or ctx.op_name())

    if not tensors:
        raise ctx.fail("an element-wise op needs a tensor operand")
    return ctx.te(build, *tensors, name=name)


def map_tensor(ctx, x, fn, dtype=None, name=None):
    """A compute of x's shape whose element is fn(x[i]) (no promotion;
    result converted to `dtype` when given)."""
    def build(p):
        def element(*index):
            value = fn(read(p, index))
            return value if dtype is None else cast(value, dtype)
        return te.compute(list(p.shape), element, name=name or ctx.op_name())
    return ctx.te(build, x, name=name)
