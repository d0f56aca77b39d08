"""Batch norms after the convolutions relax does not fold (1-d, 3-d,
grouped 2-d, transposed) are folded into them at import
(mlc/frontend/fold.py), and the result matches PyTorch."""

import numpy as np
import pytest
import torch
from torch import nn

import mlc
from mlc import relax
from mlc.frontend import from_fx
from mlc.frontend.fx import FxImporter


def with_statistics(model):
    """`model` in eval mode with batch norm statistics that are not the
    identity (fresh ones would make any fold look right)."""
    torch.manual_seed(0)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.uniform_(-1, 1)
                m.running_var.uniform_(0.5, 2)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-1, 1)
    return model.eval()


CASES = {
    "grouped conv2d": (lambda: nn.Sequential(
        nn.Conv2d(8, 12, 3, padding=1, groups=4), nn.BatchNorm2d(12),
        nn.ReLU()), (2, 8, 7, 9)),
    "conv1d": (lambda: nn.Sequential(nn.Conv1d(6, 4, 3, bias=False),
                                     nn.BatchNorm1d(4)), (2, 6, 17)),
    "conv3d": (lambda: nn.Sequential(nn.Conv3d(3, 4, 3, padding=1),
                                     nn.BatchNorm3d(4)), (1, 3, 4, 5, 6)),
    "conv_transpose2d": (lambda: nn.Sequential(
        nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1),
        nn.BatchNorm2d(6)), (1, 4, 5, 5)),
}


def run(module, x):
    vm = relax.VirtualMachine(relax.build(module), mlc.cpu())
    return vm["main"](x.numpy()).numpy()


@pytest.mark.parametrize("name", list(CASES))
def test_folded_batch_norm_matches_torch(name):
    factory, shape = CASES[name]
    model = with_statistics(factory())
    gm = torch.fx.symbolic_trace(model)
    before = [n.target for n in gm.graph.nodes]
    module = from_fx(gm, input_info=[(shape, "float32")])
    assert "batch_norm" not in str(module)  # folded: no normalization stage
    assert [n.target for n in gm.graph.nodes] == before  # gm unchanged
    x = torch.rand(shape)
    got = run(module, x)
    with torch.no_grad():
        expected = model(x).numpy()
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_not_folded_when_weights_stay_inputs_or_a_user_rule_applies():
    factory, shape = CASES["conv1d"]
    gm = torch.fx.symbolic_trace(with_statistics(factory()))
    kept = FxImporter(gm, input_info=[(shape, "float32")],
                      keep_params_as_input=True).import_graph()
    assert "batch_norm" in str(kept)
    calls = []

    def my_batch_norm(bb, node_map, node, module):
        calls.append(node.target)
        return node_map[node.args[0]]  # the user's rule: the identity

    module = from_fx(gm, input_info=[(shape, "float32")],
                     call_module_map={nn.BatchNorm1d: my_batch_norm})
    assert calls == ["1"]
    x = torch.rand(shape)
    with torch.no_grad():
        conv_only = gm.get_submodule("0")(x).numpy()
    np.testing.assert_allclose(run(module, x), conv_only, rtol=1e-5,
                               atol=1e-5)
