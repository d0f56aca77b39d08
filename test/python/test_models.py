"""Models a user brings, imported from torch.fx, built and compared with
PyTorch (fixed seeds, random weights, rtol 1e-3 scaled to the output's
magnitude): torchvision's resnet18, mobilenet_v2, mobilenet_v3_small and
efficientnet_b0, a transformer encoder block, and the FashionMNIST MLP and
CNN. Skipped under the sanitizer build (MLC_SANITIZED), where building
them takes minutes and the fuzzer covers the compiler."""

import math
import os

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import fx, nn

import mlc
from mlc import relax
from mlc.frontend import from_fx

pytestmark = pytest.mark.skipif(os.environ.get("MLC_SANITIZED") == "1",
                                reason="large models are not built under "
                                       "the sanitizers")


def check_model(model, x, dynamic_batch=False):
    model.eval()
    shape = (None,) + tuple(x.shape[1:]) if dynamic_batch else tuple(x.shape)
    mod = from_fx(fx.symbolic_trace(model), input_shapes=[shape])
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    with torch.no_grad():
        expected = model(x).numpy()
    got = vm["main"](x.numpy()).numpy()
    assert got.shape == expected.shape and got.dtype == expected.dtype
    scale = float(np.abs(expected).max())
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-3 * scale)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v2",
                                  "mobilenet_v3_small", "efficientnet_b0"])
def test_torchvision_model(name):
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)()
    check_model(model, torch.randn(1, 3, 64, 64))


class EncoderBlock(nn.Module):
    """nn.TransformerEncoderLayer (post-norm, GELU) written out: fx in
    torch 1.13 cannot trace the layer itself (its fast path branches on
    tensor properties). The attention's scale is computed from the traced
    input's shape (`math.sqrt` of a shape node, which mlc's importer folds)
    unless `scale_from_shape` is false: then it is a Python float fixed at
    construction, as in the benchmark's model (TVM's from_fx cannot take
    the square root of a shape)."""

    def __init__(self, dim=32, heads=4, hidden=64, scale_from_shape=True):
        super().__init__()
        self.heads = heads
        self.scale = None if scale_from_shape else math.sqrt(dim // heads)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.ff1 = nn.Linear(dim, hidden)
        self.ff2 = nn.Linear(hidden, dim)
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x):
        b, t, d = x.shape[0], x.shape[1], x.shape[2]
        parts = self.qkv(x).chunk(3, dim=-1)
        q, k, v = parts[0], parts[1], parts[2]
        q = q.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        scale = self.scale or math.sqrt(d // self.heads)
        scores = q @ k.transpose(-2, -1) / scale
        attn = torch.softmax(scores, dim=-1) @ v
        attn = attn.transpose(1, 2).reshape(b, t, d)
        x = self.norm1(x + self.proj(attn))
        return self.norm2(x + self.ff2(F.gelu(self.ff1(x))))


@pytest.mark.parametrize("scale_from_shape", [True, False])
def test_transformer_encoder_block(scale_from_shape):
    torch.manual_seed(0)
    check_model(EncoderBlock(scale_from_shape=scale_from_shape),
                torch.randn(2, 7, 32))


def test_fashion_mnist_models():
    from mlc.examples.fashion_mnist import CNN, MLP
    torch.manual_seed(0)
    check_model(MLP(), torch.randn(5, 784), dynamic_batch=True)
    check_model(CNN(), torch.randn(3, 1, 28, 28), dynamic_batch=True)
