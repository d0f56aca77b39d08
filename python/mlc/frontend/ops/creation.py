"""Creation ops whose result depends on a traced tensor (its shape or a
0-d value): fill, *_like, new_*. Creation from constants alone (arange,
zeros(3, 4), eye, linspace) is run by torch at import time."""

import torch

from ... import te
from .common import cast, check_tensor_options, literal, read
from .registry import rule


def filled(ctx, like, value, dtype):
    """A tensor of `like`'s shape filled with `value` (a Python scalar or a
    0-d tensor) in torch dtype `dtype`."""
    if isinstance(value, (int, float, bool)):
        def build(p):
            return te.compute(list(p.shape), lambda *i: literal(value, dtype),
                              name="full")
        return ctx.te(build, like, name="full")

    def build_tensor(p, v):
        return te.compute(list(p.shape), lambda *i: cast(read(v, []), dtype),
                          name="full")
    return ctx.te(build_tensor, like, value, name="full")


@rule("fill.Scalar", "fill.Tensor")
def _fill(ctx, self, value):
    return filled(ctx, self, value, ctx.dtype(self))


@rule("full_like")
def _full_like(ctx, self, fill_value, dtype=None, layout=None, device=None,
               pin_memory=None, memory_format=None):
    check_tensor_options(ctx, layout, device, pin_memory, memory_format)
    return filled(ctx, self, fill_value, dtype or ctx.dtype(self))


def _like(fill_value):
    def apply(ctx, self, dtype=None, layout=None, device=None,
              pin_memory=None, memory_format=None):
        return _full_like(ctx, self, fill_value, dtype, layout, device,
                          pin_memory, memory_format)
    return apply


rule("zeros_like")(_like(0))
rule("ones_like")(_like(1))
# empty_like's contents are unspecified: zeros are one valid choice.
rule("empty_like")(_like(0))


@rule("new_full")
def _new_full(ctx, self, size, fill_value, dtype=None, layout=None,
              device=None, pin_memory=None):
    check_tensor_options(ctx, layout, device, pin_memory)
    shape, _ = ctx.out_meta()
    if None in shape:
        raise ctx.refuse("size", size, "a new tensor of dynamic size")
    return torch.full(tuple(shape), fill_value, dtype=dtype or ctx.dtype(self))


@rule("new_zeros", "new_ones", "new_empty")
def _new_filled(ctx, self, size, dtype=None, layout=None, device=None,
                pin_memory=None):
    value = 1 if ctx.op.overloadpacket is torch.ops.aten.new_ones else 0
    return _new_full(ctx, self, size, value, dtype, layout, device,
                     pin_memory)


@rule("zero")
def _zero(ctx, self):
    return filled(ctx, self, 0, ctx.dtype(self))
