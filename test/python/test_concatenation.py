"""torch.cat through --mlc-decompose-concatenation (each input copied into
its slice of the output, vectorized) and the cases it leaves to the
guarded select (mixed dtypes), against PyTorch in shape, dtype and value,
on one and two threads."""

import numpy as np
import pytest
import torch
from torch import fx, nn

import mlc
from mlc import relax
from mlc.frontend import from_fx


class Cat(nn.Module):
    """torch.cat of two inputs (fx traces no *args)."""

    def __init__(self, dim, relu=False):
        super().__init__()
        self.dim, self.relu = dim, relu

    def forward(self, a, b):
        if self.relu:  # cat of computed values, in one fused kernel
            a, b = torch.relu(a), torch.relu(b)
        return torch.cat([a, b], self.dim)


class Cat3(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, a, b, c):
        return torch.cat([a, b, c], self.dim)


CASES = {
    "channels, batch of one": (Cat(1), [(1, 64, 7, 9), (1, 32, 7, 9)]),
    "three inputs, last axis": (Cat3(-1), [(2, 3, 5), (2, 3, 17), (2, 3, 1)]),
    "first axis": (Cat(0), [(3, 37), (5, 37)]),
    "three inputs, negative dim": (Cat3(-2), [(4, 16), (1, 16), (11, 16)]),
    "of computed values": (Cat(1, relu=True), [(2, 8, 13), (2, 24, 13)]),
    # Empty: left to the select (a slice of an empty dimension does not
    # verify), which writes nothing.
    "empty rows": (Cat(0), [(2, 0), (3, 0)]),
}


def run(model, shapes, dtype=torch.float32, threads=1, dynamic_batch=False):
    torch.manual_seed(0)
    inputs = [(torch.randn(*s) * 10).to(dtype) for s in shapes]
    info = [(((None,) + tuple(s[1:])) if dynamic_batch else tuple(s), dtype)
            for s in shapes]
    mod = from_fx(fx.symbolic_trace(model), input_info=info)
    vm = relax.VirtualMachine(relax.vm.build(mod, threads=threads), mlc.cpu())
    got = vm["main"](*[t.numpy() for t in inputs]).numpy()
    expected = model(*inputs).numpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", list(CASES))
def test_cat_matches_torch(name, threads):
    model, shapes = CASES[name]
    run(model, shapes, threads=threads)


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.bool,
                                   torch.float64])
def test_cat_of_other_dtypes(dtype):
    run(Cat(1), [(2, 3, 4), (2, 5, 4)], dtype=dtype)


def test_cat_with_a_dynamic_batch():
    model = Cat(1)
    mod = from_fx(fx.symbolic_trace(model),
                  input_info=[((None, 3, 4), torch.float32),
                              ((None, 5, 4), torch.float32)])
    vm = relax.VirtualMachine(relax.vm.build(mod, threads=2), mlc.cpu())
    for batch in (1, 3):
        a, b = torch.randn(batch, 3, 4), torch.randn(batch, 5, 4)
        got = vm["main"](a.numpy(), b.numpy()).numpy()
        np.testing.assert_array_equal(got, model(a, b).numpy())


def test_cat_of_mixed_dtypes_promotes():
    """int32 with float32: the result is float32 (torch's promotion); the
    read converts, which the decomposition leaves to the select."""
    model = Cat(0)
    a = torch.arange(6, dtype=torch.int32).reshape(2, 3)
    b = torch.randn(1, 3)
    mod = from_fx(fx.symbolic_trace(model),
                  input_info=[((2, 3), torch.int32), ((1, 3), torch.float32)])
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    got = vm["main"](a.numpy(), b.numpy()).numpy()
    expected = model(a, b).numpy()
    assert got.dtype == expected.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


def test_cat_of_disagreeing_dynamic_sizes_is_an_error():
    """torch raises when the sizes off the axis differ; with dynamic
    batches the reads would clamp (a silently wrong result), so the
    compiled function checks them at run time."""
    mod = from_fx(fx.symbolic_trace(Cat(1)),
                  input_info=[((None, 3, 4), torch.float32),
                              ((None, 5, 4), torch.float32)])
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    a, b = np.ones((2, 3, 4), np.float32), np.ones((3, 5, 4), np.float32)
    with pytest.raises(Exception, match="concatenated tensors differ"):
        vm["main"](a, b)
