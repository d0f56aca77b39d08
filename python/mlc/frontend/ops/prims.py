"""The prims torch's reference decompositions (torch._refs) leave, such as
var_mean's or normalize's: operands already promoted to one dtype, and
broadcasting made explicit (broadcast_in_dim). Most are the aten rule of
the same computation."""

import torch

from .reduction import reduce, variance
from .registry import delegate, rule
from .shape import convert, remap

for _name in ("sqrt", "rsqrt", "exp", "log", "sin", "cos", "tanh", "abs",
              "neg", "floor", "ceil", "erf", "sign", "log1p", "expm1",
              "reciprocal", "sigmoid"):
    delegate(f"prims.{_name}", _name)
for _name, _target in (("add", "add.Tensor"), ("sub", "sub.Tensor"),
                       ("mul", "mul.Tensor"), ("ne", "ne.Tensor"),
                       ("eq", "eq.Tensor"), ("lt", "lt.Tensor"),
                       ("le", "le.Tensor"), ("gt", "gt.Tensor"),
                       ("ge", "ge.Tensor"), ("maximum", "maximum"),
                       ("minimum", "minimum"), ("pow", "pow.Tensor_Tensor"),
                       ("atan2", "atan2"), ("fmod", "fmod.Tensor"),
                       ("remainder", "remainder.Tensor")):
    delegate(f"prims.{_name}", _target,
             {"other": "exponent"} if _name == "pow" else None)
delegate("prims.where", "where.self",
         {"pred": "condition", "a": "self", "b": "other"})


@rule("prims.convert_element_type", "prims.to_dtype")
def _convert(ctx, a, dtype):
    return convert(ctx, a, dtype)


@rule("prims.div")
def _div(ctx, self, other):
    # prims.div truncates integers (torch.div(rounding_mode="trunc")).
    from .registry import lookup
    if ctx.dtype(self).is_floating_point:
        return lookup(torch.ops.aten.div.Tensor)(ctx, self=self, other=other)
    return lookup(torch.ops.aten.div.Tensor_mode)(
        ctx, self=self, other=other, rounding_mode="trunc")


def _accumulator(dtype):
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) \
        else dtype


@rule("prims.sum")
def _sum(ctx, inp, dims, output_dtype=None):
    out = output_dtype or ctx.dtype(inp)
    if out == torch.bool:  # a sum of bools in bool is an or
        return reduce(ctx, inp, dims, False, "max", torch.int8, out)
    return reduce(ctx, inp, dims, False, "sum", _accumulator(out), out)


@rule("prims.amax", "prims.amin")
def _amax(ctx, inp, dims, output_dtype=None):
    out = output_dtype or ctx.dtype(inp)
    kind = "max" if ctx.op.overloadpacket is torch.ops.prims.amax else "min"
    acc = torch.int8 if ctx.dtype(inp) == torch.bool else ctx.dtype(inp)
    return reduce(ctx, inp, dims, False, kind, acc, out)


@rule("prims.var")
def _var(ctx, inp, dims, correction, output_dtype=None):
    if output_dtype not in (None, ctx.dtype(inp)):
        raise ctx.refuse("output_dtype", output_dtype)
    return variance(ctx, inp, dims, correction, False, False)


@rule("prims.broadcast_in_dim")
def _broadcast_in_dim(ctx, a, shape, broadcast_dimensions):
    """Dimension k of `a` becomes dimension broadcast_dimensions[k] of
    `shape`; a size 1 there is stretched."""
    shape = [ctx.static(s, "shape") for s in shape]
    dims = list(broadcast_dimensions)

    def source(index, in_shape):
        return [0 if in_shape[k] == 1 and shape[d] != 1 else index[d]
                for k, d in enumerate(dims)]
    return remap(ctx, a, lambda _: shape, source)


@rule("prims.copy_to")
def _copy_to(ctx, a, b):
    """b copied into a, which is returned: torch's refs write into a fresh
    allocation used nowhere else (the importer checks), so the result is
    aten.copy's."""
    from .registry import lookup
    return lookup(torch.ops.aten.copy.default)(ctx, self=a, src=b)
