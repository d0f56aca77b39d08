"""Creation ops whose result depends on a traced tensor (its shape or a
0-d value): fill, *_like, new_*. Creation from constants alone (arange,
zeros(3, 4), eye, linspace) is run by torch at import time."""

import torch

from ... import te
from .common import cast, literal, read
from .registry import rule


def _check_options(ctx, layout=None, device=None, pin_memory=None,
                   memory_format=None):
    if device is not None and torch.device(device).type != "cpu":
        raise ctx.refuse("device", device, "mlc compiles for the CPU")
    if layout not in (None, torch.strided):
        raise ctx.refuse("layout", layout)
    if pin_memory:
        raise ctx.refuse("pin_memory", pin_memory)
    if memory_format not in (None, torch.contiguous_format,
                             torch.preserve_format):
        raise ctx.refuse("memory_format", memory_format)


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


def _like(fill_value):
    def apply(ctx, self, dtype=None, layout=None, device=None,
              pin_memory=None, memory_format=None):
        _check_options(ctx, layout, device, pin_memory, memory_format)
        return filled(ctx, self, fill_value, dtype or ctx.dtype(self))
    return apply


rule("zeros_like")(_like(0))
rule("ones_like")(_like(1))
# empty_like's contents are unspecified: zeros are one valid choice.
rule("empty_like")(_like(0))


@rule("full_like")
def _full_like(ctx, self, fill_value, dtype=None, layout=None, device=None,
               pin_memory=None, memory_format=None):
    _check_options(ctx, layout, device, pin_memory, memory_format)
    return filled(ctx, self, fill_value, dtype or ctx.dtype(self))


@rule("new_zeros", "new_ones", "new_empty")
def _new_filled(ctx, self, size, dtype=None, layout=None, device=None,
                pin_memory=None):
    _check_options(ctx, layout, device, pin_memory)
    shape, out_dtype = ctx.out_meta()
    if None in shape:
        raise ctx.refuse("size", size, "a new tensor of dynamic size")
    value = 1 if ctx.op.overloadpacket is torch.ops.aten.new_ones else 0
    return torch.full(tuple(shape), value, dtype=dtype or ctx.dtype(self))


@rule("new_full")
def _new_full(ctx, self, size, fill_value, dtype=None, layout=None,
              device=None, pin_memory=None):
    _check_options(ctx, layout, device, pin_memory)
    shape, _ = ctx.out_meta()
    if None in shape:
        raise ctx.refuse("size", size, "a new tensor of dynamic size")
    return torch.full(tuple(shape), fill_value, dtype=dtype or ctx.dtype(self))
