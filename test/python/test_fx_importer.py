"""mlc.frontend.from_fx: every default rule against PyTorch on random
inputs, models that combine them, user maps, and the unsupported-operator
error."""


import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import fx, nn

import mlc
from mlc import relax
from mlc.frontend import UnsupportedOperatorError, from_fx
from programs import Fn

torch.manual_seed(0)


def run_mlc(model, *inputs, input_shapes=None):
    gm = fx.symbolic_trace(model)
    shapes = input_shapes or [tuple(x.shape) for x in inputs]
    mod = from_fx(gm, input_shapes=shapes)
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    out = vm["main"](*[mlc.nd.array(x.numpy()) for x in inputs])
    return out


def check(model, *inputs, rtol=1e-4, atol=1e-5, input_shapes=None):
    model.eval()
    with torch.no_grad():
        expected = model(*inputs)
    got = run_mlc(model, *inputs, input_shapes=input_shapes)
    if isinstance(expected, (tuple, list)):
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=rtol,
                                       atol=atol)
    else:
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=rtol,
                                   atol=atol)


def r(*shape):
    return torch.randn(*shape)


# --- modules ----------------------------------------------------------------

MODULES = [
    ("Linear", nn.Linear(6, 4), [r(3, 6)]),
    ("Linear-nobias-3d", nn.Linear(6, 4, bias=False), [r(2, 3, 6)]),
    ("Conv2d", nn.Conv2d(3, 4, 3), [r(2, 3, 8, 8)]),
    ("Conv2d-stride-pad-dilation", nn.Conv2d(2, 4, 3, stride=2, padding=2,
                                             dilation=2), [r(1, 2, 9, 7)]),
    ("Conv2d-groups", nn.Conv2d(4, 6, (3, 2), padding=(1, 0), groups=2),
     [r(2, 4, 6, 6)]),
    ("ReLU", nn.ReLU(), [r(3, 5)]),
    ("GELU", nn.GELU(), [r(3, 5)]),
    ("GELU-tanh", nn.GELU(approximate="tanh"), [r(3, 5)]),
    ("Sigmoid", nn.Sigmoid(), [r(3, 5)]),
    ("Tanh", nn.Tanh(), [r(3, 5)]),
    ("Softmax", nn.Softmax(dim=1), [r(3, 5)]),
    ("Softmax-dim0", nn.Softmax(dim=0), [r(3, 5)]),
    ("LogSoftmax", nn.LogSoftmax(dim=-1), [r(2, 3, 5)]),
    ("MaxPool2d", nn.MaxPool2d(2), [r(2, 3, 8, 8)]),
    ("MaxPool2d-pad-stride", nn.MaxPool2d(3, stride=2, padding=1),
     [r(1, 2, 7, 9)]),
    ("AvgPool2d", nn.AvgPool2d(2), [r(2, 3, 8, 8)]),
    ("AvgPool2d-pad", nn.AvgPool2d(3, stride=2, padding=1), [r(1, 2, 7, 7)]),
    ("AvgPool2d-pad-exclude", nn.AvgPool2d(3, stride=2, padding=1,
                                           count_include_pad=False),
     [r(1, 2, 7, 7)]),
    ("AdaptiveAvgPool2d-1", nn.AdaptiveAvgPool2d(1), [r(2, 3, 6, 6)]),
    ("AdaptiveAvgPool2d-uneven", nn.AdaptiveAvgPool2d((3, 2)),
     [r(1, 2, 7, 5)]),
    ("LayerNorm", nn.LayerNorm(6), [r(3, 6)]),
    ("LayerNorm-2d", nn.LayerNorm((4, 5)), [r(2, 4, 5)]),
    ("Dropout", nn.Dropout(0.5), [r(3, 4)]),
    ("Flatten", nn.Flatten(), [r(2, 3, 4, 5)]),
    ("Identity", nn.Identity(), [r(3, 4)]),
]


def _batchnorm():
    bn = nn.BatchNorm2d(3)
    bn.running_mean = torch.randn(3)
    bn.running_var = torch.rand(3) + 0.5
    bn.weight.data = torch.randn(3)
    bn.bias.data = torch.randn(3)
    return bn


MODULES.append(("BatchNorm2d", _batchnorm(), [r(2, 3, 4, 4)]))


@pytest.mark.parametrize("name,module,inputs", MODULES,
                         ids=[m[0] for m in MODULES])
def test_module_rule(name, module, inputs):
    # Inside a container the layer is a leaf (call_module); traced as the
    # root, fx would trace into its forward instead.
    check(nn.Sequential(module), *inputs)
    assert any(n.op == "call_module"
               for n in fx.symbolic_trace(nn.Sequential(module)).graph.nodes)


# --- functions and methods --------------------------------------------------

FUNCTIONS = [
    ("matmul", lambda a, b: torch.matmul(a, b), [r(3, 4), r(4, 5)]),
    ("matmul-batched", lambda a, b: torch.matmul(a, b), [r(2, 3, 4), r(4, 5)]),
    ("mm", lambda a, b: torch.mm(a, b), [r(3, 4), r(4, 5)]),
    ("bmm", lambda a, b: torch.bmm(a, b), [r(2, 3, 4), r(2, 4, 5)]),
    ("matmul-operator", lambda a, b: a @ b, [r(3, 4), r(4, 2)]),
    ("add", lambda a, b: torch.add(a, b), [r(3, 4), r(4)]),
    ("add-operator-scalar", lambda a: a + 2.5, [r(3, 4)]),
    ("radd-scalar", lambda a: 1.5 + a, [r(3, 4)]),
    ("sub", lambda a, b: torch.sub(a, b), [r(3, 4), r(3, 1)]),
    ("sub-operator", lambda a, b: a - b, [r(3, 4), r(3, 4)]),
    ("rsub-scalar", lambda a: 1.0 - a, [r(3, 4)]),
    ("mul", lambda a, b: torch.mul(a, b), [r(2, 3), r(2, 3)]),
    ("mul-operator-scalar", lambda a: a * 3.0, [r(2, 3)]),
    ("div", lambda a, b: torch.div(a, b), [r(2, 3), r(2, 3).abs() + 1]),
    ("div-operator-scalar", lambda a: a / 4.0, [r(2, 3)]),
    ("rdiv-scalar", lambda a: 2.0 / a, [r(2, 3).abs() + 1]),
    ("relu", lambda a: torch.relu(a), [r(3, 4)]),
    ("F.relu", lambda a: F.relu(a), [r(3, 4)]),
    ("gelu", lambda a: F.gelu(a), [r(3, 4)]),
    ("sigmoid", lambda a: torch.sigmoid(a), [r(3, 4)]),
    ("tanh", lambda a: torch.tanh(a), [r(3, 4)]),
    ("exp", lambda a: torch.exp(a), [r(3, 4)]),
    ("log", lambda a: torch.log(a), [r(3, 4).abs() + 0.1]),
    ("sqrt", lambda a: torch.sqrt(a), [r(3, 4).abs()]),
    ("neg", lambda a: torch.neg(a), [r(3, 4)]),
    ("neg-operator", lambda a: -a, [r(3, 4)]),
    ("softmax", lambda a: F.softmax(a, dim=-1), [r(3, 4)]),
    ("torch.softmax", lambda a: torch.softmax(a, 0), [r(3, 4)]),
    ("log_softmax", lambda a: F.log_softmax(a, dim=1), [r(3, 4)]),
    ("flatten", lambda a: torch.flatten(a, 1), [r(2, 3, 4)]),
    ("flatten-all", lambda a: torch.flatten(a), [r(2, 3, 4)]),
    ("reshape", lambda a: torch.reshape(a, (4, -1)), [r(2, 3, 4)]),
    ("view", lambda a: a.view(-1, 12), [r(2, 3, 4)]),
    ("view-varargs", lambda a: a.view(6, 4), [r(2, 3, 4)]),
    ("permute", lambda a: a.permute(2, 0, 1), [r(2, 3, 4)]),
    ("torch.permute", lambda a: torch.permute(a, (1, 2, 0)), [r(2, 3, 4)]),
    ("transpose", lambda a: torch.transpose(a, 0, 2), [r(2, 3, 4)]),
    ("transpose-method", lambda a: a.transpose(-1, -2), [r(2, 3, 4)]),
    ("contiguous", lambda a: a.permute(1, 0).contiguous(), [r(2, 3)]),
    ("cat", lambda a, b: torch.cat([a, b], dim=1), [r(2, 3), r(2, 5)]),
    ("cat-dim0", lambda a, b: torch.cat((a, b)), [r(2, 3), r(1, 3)]),
    ("mean", lambda a: a.mean(dim=1), [r(3, 4, 5)]),
    ("mean-keepdim", lambda a: torch.mean(a, dim=(1, 2), keepdim=True),
     [r(3, 4, 5)]),
    ("sum", lambda a: torch.sum(a, 0), [r(3, 4)]),
    ("sum-all", lambda a: a.sum(), [r(3, 4)]),
    ("amax", lambda a: torch.amax(a, dim=1, keepdim=True), [r(3, 4)]),
    ("amax-dims", lambda a: a.amax(dim=(0, 2)), [r(3, 4, 2)]),
    ("unsqueeze", lambda a: a.unsqueeze(1), [r(3, 4)]),
    ("torch.unsqueeze", lambda a: torch.unsqueeze(a, -1), [r(3, 4)]),
    ("squeeze", lambda a: a.squeeze(1), [r(3, 1, 4)]),
    ("squeeze-all", lambda a: torch.squeeze(a), [r(1, 3, 1, 4)]),
    ("size-and-shape", lambda a: a.view(a.size(0), a.shape[1] * a.size(2)),
     [r(2, 3, 4)]),
    ("getitem-slice", lambda a: a[:, 1:3], [r(3, 4)]),
    ("getitem-int-step", lambda a: a[1, ::2], [r(3, 6)]),
    ("getitem-none-ellipsis", lambda a: a[..., None, 0], [r(2, 3, 4)]),
    ("conv2d", lambda a, w: F.conv2d(a, w, padding=1), [r(1, 2, 5, 5),
                                                       r(3, 2, 3, 3)]),
    ("max_pool2d", lambda a: F.max_pool2d(a, 2), [r(1, 2, 6, 6)]),
    ("avg_pool2d", lambda a: F.avg_pool2d(a, 3, 1, 1), [r(1, 2, 5, 5)]),
    ("adaptive_avg_pool2d", lambda a: F.adaptive_avg_pool2d(a, (2, 2)),
     [r(1, 2, 6, 4)]),
    ("linear", lambda a, w, b: F.linear(a, w, b), [r(3, 5), r(4, 5), r(4)]),
    ("layer_norm", lambda a: F.layer_norm(a, (4,)), [r(3, 4)]),
    ("tuple-output", lambda a: (a + 1.0, a * 2.0), [r(2, 2)]),
]


@pytest.mark.parametrize("name,fn,inputs", FUNCTIONS,
                         ids=[f[0] for f in FUNCTIONS])
def test_function_rule(name, fn, inputs):
    check(Fn(fn), *inputs)


# --- models -----------------------------------------------------------------

class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = F.relu(self.conv2(x))
        x = torch.flatten(self.avg(x), 1)
        return F.log_softmax(self.fc(x), dim=1)


class Block(nn.Module):
    """A transformer-style MLP block: LayerNorm, GELU, residual."""

    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(16)
        self.fc1 = nn.Linear(16, 32)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(32, 16)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return x + self.drop(self.fc2(self.act(self.fc1(self.norm(x)))))


def test_mlp():
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 4))
    check(model, r(5, 20))


def test_small_cnn_with_batchnorm_and_pooling():
    model = SmallCNN()
    with torch.no_grad():
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 1.5)
    check(model, r(2, 1, 12, 12))


@pytest.mark.parametrize("bias,groups,stride,dilation", [
    (True, 1, 1, 1), (False, 1, 2, 1), (True, 1, 1, 2), (False, 6, 1, 1),
    (True, 2, 1, 2)])
def test_batch_norm_folds_into_the_convolution(bias, groups, stride,
                                               dilation):
    # --relax-fold-batch-norm: conv (+ bias) + eval batch norm compiles to
    # one convolution and a bias (no batch_norm kernel is left), with the
    # values of torch's unfolded computation; a second use of the
    # convolution keeps the batch norm. A grouped convolution with several
    # channels per group (groups=2 of 6) is imported as views of its
    # groups (not relax.conv2d, whose grouped reads do not vectorize): its
    # batch norm is folded by the importer (mlc/frontend/fold.py) instead.
    torch.manual_seed(1)
    conv = nn.Conv2d(6, 6, 3, padding=1, bias=bias, groups=groups,
                     stride=stride, dilation=dilation)
    bn = nn.BatchNorm2d(6)
    with torch.no_grad():
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.2, 3)
        bn.weight.uniform_(-2, 2)
        bn.bias.uniform_(-1, 1)
    model = nn.Sequential(conv, bn, nn.ReLU()).eval()
    x = r(2, 6, 9, 9)
    exe = relax.vm.build(from_fx(fx.symbolic_trace(model),
                                 input_info=[((2, 6, 9, 9), torch.float32)]))
    assert "batch_norm" not in exe.lowered_text()
    got = relax.VirtualMachine(exe)["main"](mlc.nd.array(x.numpy())).numpy()
    with torch.no_grad():
        np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-4,
                                   atol=1e-5)

    class Both(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.bn = conv, bn

        def forward(self, x):
            c = self.conv(x)
            return self.bn(c), c

    both = Both().eval()
    exe = relax.vm.build(from_fx(fx.symbolic_trace(both),
                                 input_info=[((2, 6, 9, 9), torch.float32)]))
    assert "batch_norm" in exe.lowered_text()
    check(both, x)


def test_layernorm_gelu_block():
    check(Block(), r(2, 5, 16))


def test_dynamic_batch():
    model = nn.Sequential(nn.Linear(6, 3), nn.Softmax(dim=1))
    model.eval()
    gm = fx.symbolic_trace(model)
    vm = relax.VirtualMachine(
        relax.vm.build(from_fx(gm, input_shapes=[(None, 6)])), mlc.cpu())
    for batch in (1, 7):
        x = r(batch, 6)
        np.testing.assert_allclose(vm["main"](x.numpy()).numpy(),
                                   model(x).detach().numpy(), rtol=1e-4,
                                   atol=1e-5)


def check_dynamic_batch(model, item_shape, batches, rtol=1e-4, atol=1e-5):
    """`model` imported with a dynamic batch agrees with PyTorch at each
    batch size."""
    vm = relax.VirtualMachine(
        relax.vm.build(from_fx(fx.symbolic_trace(model),
                               input_shapes=[(None, *item_shape)])),
        mlc.cpu())
    for batch in batches:
        x = r(batch, *item_shape)
        np.testing.assert_allclose(vm["main"](x.numpy()).numpy(),
                                   model(x).detach().numpy(), rtol=rtol,
                                   atol=atol)


def test_dynamic_batch_through_conv_pool_and_flatten():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(4 * 3 * 3, 5)).eval()
    check_dynamic_batch(model, (1, 8, 8), (1, 3))


def test_flatten_is_a_reshape_view():
    # nn.Flatten and torch.flatten become relax.reshape (a view once
    # compiled), not a te compute of index arithmetic; values as PyTorch's.
    model = nn.Sequential(nn.ReLU(), nn.Flatten()).eval()
    mod = from_fx(fx.symbolic_trace(model), input_shapes=[(None, 2, 3, 4)])
    text = mod.script()
    assert "relax.reshape" in text and "flatten" not in text
    check_dynamic_batch(model, (2, 3, 4), (1, 3))
    whole = Fn(lambda a: torch.flatten(a))
    check_dynamic_batch(whole, (2, 3), (1, 4))


@pytest.mark.parametrize("pool", [nn.MaxPool2d(2), nn.MaxPool2d(3, 2),
                                  nn.MaxPool2d(3, 3), nn.MaxPool2d(2, 1),
                                  nn.AvgPool2d(2)],
                         ids=["max2", "max3s2", "max3s3", "max2s1", "avg2"])
def test_dynamic_batch_pooling_windows(pool):
    # Strided windows over a dynamic batch are read through strided views
    # and vectorized; odd extents leave partial blocks.
    check_dynamic_batch(nn.Sequential(pool).eval(), (3, 11, 37), (1, 5),
                        rtol=1e-5, atol=1e-6)


def test_shapes_from_shape_propagation():
    from torch.fx.passes.shape_prop import ShapeProp
    model = nn.Sequential(nn.Linear(3, 2))
    gm = fx.symbolic_trace(model)
    ShapeProp(gm).propagate(r(4, 3))
    # nn.Linear is aten.t of the weight (folded: a transposed constant) and
    # aten.addmm: a relax.matmul with the (3, 2) constant, plus the bias.
    text = str(from_fx(gm))
    assert "relax.matmul" in text and "tensor<3x2xf32>" in text, text


# --- maps and errors --------------------------------------------------------

def test_user_maps_override_the_defaults():
    calls = []

    def my_relu(bb, node_map, node, module):
        calls.append(node.name)
        return bb.emit(relax.op.relu(node_map[node.args[0]]))

    model = nn.Sequential(nn.Linear(3, 3), nn.ReLU())
    mod = from_fx(fx.symbolic_trace(model), input_shapes=[(2, 3)],
                  call_module_map={nn.ReLU: my_relu})
    assert len(calls) == 1
    assert "relax.relu" in str(mod)


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        y = torch.special.i1(self.lin(x))
        z = y.igamma(y)
        return torch.special.zeta(z, y) + torch.special.i0e(y) + y.sum()


def test_one_error_names_every_unsupported_node():
    tracer = fx.Tracer()
    tracer.record_stack_traces = True
    model = Unsupported()
    gm = fx.GraphModule(model, tracer.trace(model))
    with pytest.raises(UnsupportedOperatorError) as info:
        from_fx(gm, input_shapes=[(2, 4)])
    message = str(info.value)
    assert "4 operation(s)" in message
    for piece in ["special_i1: function torch.special.i1",
                  "igamma: method .igamma()",
                  "special_zeta: function torch.special.zeta",
                  "no rule for prims.igamma",
                  "special_i0e: function torch.special.i0e",
                  "test_fx_importer.py:"]:
        assert piece in message, message
    # Nothing was built: the message lists them before any emission.
    assert isinstance(info.value, mlc.MLCError)


def test_unsupported_without_stack_traces_names_traced_lines():
    with pytest.raises(UnsupportedOperatorError,
                       match=r"igamma: function torch\.igamma at line "
                             r"\d+ of the traced code: igamma = "
                             r"torch\.igamma"):
        from_fx(fx.symbolic_trace(Fn(lambda a: torch.igamma(a, a))),
                input_shapes=[(3,)])


def test_training_mode_layers_are_rejected():
    model = nn.Sequential(nn.BatchNorm2d(2))
    model.train()
    with pytest.raises(mlc.MLCError, match="training mode"):
        from_fx(fx.symbolic_trace(model), input_shapes=[(1, 2, 3, 3)])


def test_input_count_must_match():
    with pytest.raises(mlc.MLCError, match="2 inputs but 1 shapes"):
        from_fx(fx.symbolic_trace(Fn(lambda a, b: a + b)),
                input_shapes=[(3,)])


def test_importer_needs_a_graph_module():
    with pytest.raises(TypeError, match="GraphModule"):
        from_fx(nn.ReLU(), input_shapes=[(3,)])


def test_graph_passes_see_the_high_level_ops():
    """Float32 layer norm, float functions and reductions import as the
    relax ops of their category (not anonymous te), with PyTorch's values."""
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm = nn.LayerNorm(6)

        def forward(self, x):
            y = torch.sigmoid(self.norm(x)) + torch.exp(x).mean(dim=1,
                                                                keepdim=True)
            return y.sum(-1), torch.amax(y, dim=(0, 2))

    torch.manual_seed(0)
    model = Block().eval()
    with torch.no_grad():
        model.norm.weight.normal_()
        model.norm.bias.normal_()
    x = torch.randn(2, 4, 6)
    mod = from_fx(fx.symbolic_trace(model), input_info=[((2, 4, 6),
                                                         torch.float32)])
    text = mod.script()
    for op in ("relax.layer_norm", "relax.sigmoid", "relax.exp",
               "relax.mean", "relax.sum", "relax.max"):
        assert op in text, op
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    got = vm["main"](x.numpy())
    with torch.no_grad():
        want = model(x)
    for g, w in zip(got, want):
        assert g.numpy().dtype == np.float32 and g.numpy().shape == w.shape
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-5, atol=1e-5)
