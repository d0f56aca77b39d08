"""Every kind of convolution a model brings (1-d, 2-d, 3-d; strides,
paddings, dilations, groups, depthwise; transposed), imported from torch.fx
and built with the code generator on (register blocks, vector code, on one
and two threads), compared with PyTorch in shape, dtype and value. Widths
such as 37 leave partial register blocks (37 = 2 x 16 + 5) so that the
peeled remainders are checked too."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import fx, nn

import mlc
from mlc import relax
from mlc.frontend import from_fx


class Transposed(nn.Module):
    """nn.ConvTranspose{1,2,3}d through its functional form: fx in torch
    1.13 cannot trace the module's forward (it branches on the traced
    input when working out the output padding)."""

    def __init__(self, conv):
        super().__init__()
        self.conv = conv
        self.function = {1: F.conv_transpose1d, 2: F.conv_transpose2d,
                         3: F.conv_transpose3d}[len(conv.kernel_size)]

    def forward(self, x):
        c = self.conv
        return self.function(x, c.weight, c.bias, c.stride, c.padding,
                             c.output_padding, c.groups, c.dilation)

CASES = {
    "conv1d": (lambda: nn.Conv1d(8, 16, 3, padding=1), (2, 8, 37)),
    "conv1d stride 2 dilation 2": (
        lambda: nn.Conv1d(8, 16, 5, stride=2, padding=3, dilation=2),
        (2, 8, 41)),
    "conv1d depthwise": (lambda: nn.Conv1d(8, 8, 3, padding=1, groups=8),
                         (2, 8, 37)),
    "conv2d 3x3": (lambda: nn.Conv2d(8, 16, 3, padding=1), (2, 8, 19, 37)),
    "conv2d 3x3 stride 2": (lambda: nn.Conv2d(8, 16, 3, 2, 1),
                            (2, 8, 19, 37)),
    "conv2d 7x7 stride 2 pad 3": (lambda: nn.Conv2d(3, 16, 7, 2, 3),
                                  (1, 3, 45, 45)),
    "conv2d 1x1": (lambda: nn.Conv2d(16, 32, 1), (2, 16, 9, 37)),
    "conv2d 1x1 stride 2": (lambda: nn.Conv2d(16, 32, 1, 2, bias=False),
                            (2, 16, 18, 36)),
    "conv2d 1x1 stride (3, 2) odd sizes": (
        lambda: nn.Conv2d(8, 16, 1, stride=(3, 2)), (2, 8, 17, 15)),
    # Output rows of at most 8 pixels: the flattened padded-row product.
    "conv2d 3x3 over 7x7": (lambda: nn.Conv2d(16, 32, 3, padding=1),
                            (2, 16, 7, 7)),
    "conv2d 3x2 padding (1, 0) over 6x9": (
        lambda: nn.Conv2d(8, 16, (3, 2), padding=(1, 0)), (1, 8, 6, 9)),
    "conv2d 5x5 padding 2 over 4x3": (
        lambda: nn.Conv2d(4, 8, 5, padding=2, bias=False), (3, 4, 4, 3)),
    "conv2d dilation 2": (lambda: nn.Conv2d(8, 8, 3, padding=2, dilation=2),
                          (2, 8, 21, 37)),
    "conv2d groups 4": (lambda: nn.Conv2d(16, 32, 3, padding=1, groups=4),
                        (2, 16, 13, 37)),
    "conv2d depthwise": (lambda: nn.Conv2d(32, 32, 3, padding=1, groups=32),
                         (2, 32, 15, 37)),
    "conv2d depthwise stride 2": (
        lambda: nn.Conv2d(32, 32, 3, 2, 1, groups=32), (2, 32, 15, 37)),
    # Strided rows of 16 and more lanes, read as whole vectors and
    # shuffled (--mlc-contiguous-strided-reads): stride 3 (three reads
    # per vector) and 4 (four), with remainders.
    "conv2d 3x3 stride 3 wide rows": (
        lambda: nn.Conv2d(4, 8, 3, 3, 1), (1, 4, 10, 98)),
    "conv2d depthwise 5x5 stride 4 wide rows": (
        lambda: nn.Conv2d(8, 8, 5, 4, 2, groups=8), (1, 8, 9, 130)),
    "conv2d 3x1 stride (2, 1) no padding": (
        lambda: nn.Conv2d(8, 16, (3, 1), stride=(2, 1)), (2, 8, 19, 37)),
    "conv2d 5x5 padding (1, 2)": (
        lambda: nn.Conv2d(4, 8, 5, padding=(1, 2)), (2, 4, 17, 37)),
    "conv3d": (lambda: nn.Conv3d(4, 8, 3, padding=1), (2, 4, 6, 9, 37)),
    "conv3d stride 2": (lambda: nn.Conv3d(4, 8, 3, 2, 1, bias=False),
                        (1, 4, 7, 9, 37)),
    "conv_transpose1d stride 2": (
        lambda: Transposed(nn.ConvTranspose1d(8, 4, 4, stride=2, padding=1)),
        (2, 8, 19)),
    "conv_transpose2d stride 2 output padding": (
        lambda: Transposed(nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1,
                                              output_padding=1)),
        (2, 8, 9, 19)),
    "conv_transpose2d groups dilation": (
        lambda: Transposed(nn.ConvTranspose2d(8, 4, 3, padding=1, groups=2,
                                              dilation=2)), (2, 8, 9, 19)),
    "conv_transpose3d": (
        lambda: Transposed(nn.ConvTranspose3d(4, 4, 2, stride=2)),
        (1, 4, 3, 5, 9)),
    # By output phases: taps the stride does not divide (5 = 3 + 2), a
    # padding past the first phase's taps, output padding, one stride 1.
    "conv_transpose2d stride 3 padding 3": (
        lambda: Transposed(nn.ConvTranspose2d(6, 4, 5, stride=3, padding=3,
                                              output_padding=2)),
        (2, 6, 7, 11)),
    "conv_transpose2d padding beyond the kernel": (
        lambda: Transposed(nn.ConvTranspose2d(3, 2, 3, stride=2, padding=4)),
        (1, 3, 9, 11)),
    "conv_transpose2d strides (2, 1) groups": (
        lambda: Transposed(nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 1),
                                              padding=(1, 0), groups=2)),
        (1, 4, 5, 21)),
}


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", list(CASES))
def test_convolution_matches_torch(name, threads):
    make, shape = CASES[name]
    torch.manual_seed(0)
    model = make().eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        expected = model(x).numpy()
    mod = from_fx(fx.symbolic_trace(model), input_shapes=[shape])
    vm = relax.VirtualMachine(relax.vm.build(mod, threads=threads),
                              mlc.cpu())
    got = vm["main"](x.numpy()).numpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    scale = float(np.abs(expected).max())
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.parametrize("name", ["conv2d 3x3", "conv2d depthwise stride 2",
                                  "conv2d 1x1 stride 2", "conv2d 3x3 over 7x7",
                                  "conv_transpose2d stride 2 output padding",
                                  "conv3d"])
def test_convolution_with_a_dynamic_batch_matches_torch(name):
    make, shape = CASES[name]
    torch.manual_seed(0)
    model = make().eval()
    mod = from_fx(fx.symbolic_trace(model),
                  input_shapes=[(None,) + shape[1:]])
    vm = relax.VirtualMachine(relax.vm.build(mod, threads=2), mlc.cpu())
    for batch in (1, 3, 5):
        x = torch.randn(batch, *shape[1:])
        with torch.no_grad():
            expected = model(x).numpy()
        got = vm["main"](x.numpy()).numpy()
        assert got.dtype == expected.dtype and got.shape == expected.shape
        scale = float(np.abs(expected).max())
        np.testing.assert_allclose(got, expected, rtol=1e-4,
                                   atol=1e-5 * scale)
