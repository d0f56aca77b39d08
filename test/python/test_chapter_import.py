"""The chapter's sections "Import Model From PyTorch", "Coming back to
FashionMNIST Example" and "Remark: Translating into High-level Operators",
code block by code block as printed (imports renamed to mlc; the
matplotlib and wget blocks left out). The blocks run one after the other in
one namespace, as in the notebook; checks between them look at what each
printed and computed. The dataset "download" is satisfied
from local copies of the test set laid out as torchvision expects, and the
weights come from ../shared/data."""

import gzip
import os
import shutil

import numpy as np
import pytest

import re

from irchecks import check_in_order

SHARED = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..",
                                       "..", "shared", "data"))
DEBIAN = "/usr/share/datasets/fashion-mnist"


def _dataset_file(name):
    for directory in (DEBIAN, SHARED):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    return None


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A working directory holding what the chapter downloads: the weights,
    and data/FashionMNIST/raw/ with the uncompressed IDX files."""
    weights = os.path.join(SHARED, "fasionmnist_mlp_params.pkl")
    if not os.path.exists(weights) or not _dataset_file(
            "t10k-images-idx3-ubyte.gz"):
        pytest.skip("needs ../shared/data (weights and test set)")
    shutil.copy(weights, tmp_path)
    raw = tmp_path / "data" / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                 "train-images-idx3-ubyte", "train-labels-idx1-ubyte"]:
        source = _dataset_file(name + ".gz")
        if source is None:
            # torchvision checks that the training files exist even for
            # the test split; an empty stand-in is never read.
            (raw / name).write_bytes(b"")
            continue
        with gzip.open(source) as f:
            (raw / name).write_bytes(f.read())
    monkeypatch.chdir(tmp_path)
    return tmp_path



# The chapter's preparations and the te functions of its first section.
PREPARATIONS = """
import mlc as tvm
from mlc.ir.module import IRModule
from mlc import relax
import numpy as np
import torch
import torch.nn as nn
from torch import fx
from torch.nn import functional as F
from mlc import te

def te_matmul(A: te.Tensor, B: te.Tensor) -> te.Tensor:
    assert A.shape[1] == B.shape[0]
    n = A.shape[0]
    m = B.shape[1]
    k = te.reduce_axis((0, A.shape[1]), name="k")
    return te.compute((n, m), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="matmul")

def te_relu(A: te.Tensor) -> te.Tensor:
    return te.compute(A.shape, lambda *i: te.max(A(*i), 0), name="relu")
"""

IMPORT_FROM_PYTORCH = [
"""
class MyModel(nn.Module):
    def __init__(self):
        super(MyModel, self).__init__()
        self.weight = nn.Parameter(torch.randn(128, 128))

    def forward(self, x):
        x = torch.matmul(x, self.weight)
        x = torch.relu(x)
        return x
""",
"""
model = MyModel()
fx_module = fx.symbolic_trace(model)
type(fx_module)
""",
"""
fx_module.graph.print_tabular()
""",
"""
def map_param(param: nn.Parameter):
    ndim = len(param.data.shape)
    return relax.const(
        param.data.cpu().numpy(), relax.DynTensorType(ndim, "float32")
    )

def fetch_attr(fx_mod, target: str):
    \"\"\"Helper function to fetch an attr\"\"\"
    target_atoms = target.split('.')
    attr_itr = fx_mod
    for i, atom in enumerate(target_atoms):
        if not hasattr(attr_itr, atom):
            raise RuntimeError(f"Node referenced nonexistant target {'.'.join(target_atoms[:i])}")
        attr_itr = getattr(attr_itr, atom)
    return attr_itr

def from_fx(fx_mod, input_shapes, call_function_map, call_module_map):
    input_index = 0
    node_map = {}
    named_modules = dict(fx_mod.named_modules())

    bb = relax.BlockBuilder()

    fn_inputs = []
    fn_output = None
    with bb.function("main"):
        with bb.dataflow():
            for node in fx_mod.graph.nodes:
                if node.op == "placeholder":
                    # create input placeholder
                    shape = input_shapes[input_index]
                    input_index += 1
                    input_var = relax.Var(
                        node.target, shape, relax.DynTensorType(len(shape), "float32")
                    )
                    fn_inputs.append(input_var)
                    node_map[node] = input_var
                elif node.op == "get_attr":
                    node_map[node] = map_param(fetch_attr(fx_mod, node.target))
                elif node.op == "call_function":
                    node_map[node] = call_function_map[node.target](bb, node_map, node)
                elif node.op == "call_module":
                    named_module = named_modules[node.target]
                    node_map[node] = call_module_map[type(named_module)](bb, node_map, node, named_module)
                elif node.op == "output":
                    output = node_map[node.args[0]]
                    assert fn_output is None
                    fn_output = bb.emit_output(output)
        # output and finalize the function
        bb.emit_func_output(output, fn_inputs)
    return bb.get()
""",
"""
def map_matmul(bb, node_map, node: fx.Node):
    A = node_map[node.args[0]]
    B = node_map[node.args[1]]
    return bb.emit_te(te_matmul, A, B)

def map_relu(bb, node_map, node: fx.Node):
    A = node_map[node.args[0]]
    return bb.emit_te(te_relu, A)

MyModule = from_fx(
    fx_module,
    input_shapes = [(1, 128)],
    call_function_map = {
      torch.matmul: map_matmul,
      torch.relu: map_relu,
    },
    call_module_map={},
)

MyModule.show()
""",
]

FASHION_MNIST = [
"""
import torch
import torchvision

test_data = torchvision.datasets.FashionMNIST(
    root="data",
    train=False,
    download=True,
    transform=torchvision.transforms.ToTensor()
)
test_loader = torch.utils.data.DataLoader(test_data, batch_size=1, shuffle=True)
class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

img, label = next(iter(test_loader))
img = img.reshape(1, 28, 28).numpy()
""",
"""
class MLP(nn.Module):
    def __init__(self):
        super(MLP, self).__init__()
        self.linear0 = nn.Linear(784, 128, bias=True)
        self.relu = nn.ReLU()
        self.linear1 = nn.Linear(128, 10, bias=True)

    def forward(self, x):
        x = self.linear0(x)
        x = self.relu(x)
        x = self.linear1(x)
        return x
""",
"""
import pickle as pkl
mlp_model = MLP()

mlp_params = pkl.load(open("fasionmnist_mlp_params.pkl", "rb"))
mlp_model.linear0.weight.data = torch.from_numpy(mlp_params["w0"])
mlp_model.linear0.bias.data = torch.from_numpy(mlp_params["b0"])
mlp_model.linear1.weight.data = torch.from_numpy(mlp_params["w1"])
mlp_model.linear1.bias.data = torch.from_numpy(mlp_params["b1"])
""",
"""
torch_res = mlp_model(torch.from_numpy(img.reshape(1, 784)))

pred_kind = np.argmax(torch_res.detach().numpy(), axis=1)
print("Torch Prediction:", class_names[pred_kind[0]])
""",
"""
from mlc import topi

def map_nn_linear(bb, node_map, node, nn_mod):
    x = node_map[node.args[0]]
    w = map_param(nn_mod.weight)
    if nn_mod.bias is not None:
        b = map_param(nn_mod.bias)
    y = bb.emit_te(topi.nn.dense, x, w)
    return bb.emit_te(topi.add, y, b)

def map_nn_relu(bb, node_map, node, nn_mod):
    return map_relu(bb, node_map, node)


MLPModule = from_fx(
    fx.symbolic_trace(mlp_model),
    input_shapes = [(1, 784)],
    call_function_map={
    },
    call_module_map={
        torch.nn.Linear: map_nn_linear,
        torch.nn.ReLU: map_nn_relu,
    },
)

MLPModule.show()
""",
"""
ex = relax.vm.build(MLPModule, target="llvm")
vm = relax.VirtualMachine(ex, tvm.cpu())
data_nd = tvm.nd.array(img.reshape(1, 784))

nd_res = vm["main"](data_nd)

pred_kind = np.argmax(nd_res.numpy(), axis=1)
print("MLPModule Prediction:", class_names[pred_kind[0]])
""",
]

HIGH_LEVEL = [
"""
def map_nn_relu_op(bb, node_map, node, nn_mod):
    A = node_map[node.args[0]]
    return bb.emit(relax.op.relu(A))

def map_nn_linear_op(bb, node_map, node, nn_mod):
    x = node_map[node.args[0]]
    w = map_param(nn_mod.weight)
    if nn_mod.bias is not None:
        b = map_param(nn_mod.bias)
    y = bb.emit(relax.op.dense(x, w))
    return bb.emit(relax.op.add(y, b))

MLPModuleHighLevel = from_fx(
    fx.symbolic_trace(mlp_model),
    input_shapes = [(1, 784)],
    call_function_map={
    },
    call_module_map={
        torch.nn.Linear: map_nn_linear_op,
        torch.nn.ReLU: map_nn_relu_op,
    },
)

MLPModuleHighLevel.show()
""",
]


def run_blocks(blocks, namespace):
    for block in blocks:
        exec(compile(block, "<chapter>", "exec"), namespace)


def test_chapter_import_sections(workdir, capsys):
    ns = {"__name__": "chapter"}
    run_blocks([PREPARATIONS], ns)
    import numpy as np
    import torch

    # --- Import Model From PyTorch
    run_blocks(IMPORT_FROM_PYTORCH, ns)
    out = capsys.readouterr().out
    check_in_order(out, [
        r"placeholder\s+x", r"get_attr\s+weight",
        r"call_function\s+matmul", r"call_function\s+relu",
        r"tir\.func @te_matmul\(%x: tensor<1x128xf32>, %\w+: "
        r"tensor<128x128xf32>, %matmul_out: tensor<1x128xf32> "
        r"\{tir\.output\}\)",
        r"tir\.func @te_relu\(",
        r"func\.func @main\(%\w+: tensor<1x128xf32>\) -> tensor<1x128xf32>",
        r"relax\.const dense_resource<\w+> : tensor<128x128xf32>",
        r"relax\.call_tir @te_matmul\(",
        r"relax\.call_tir @te_relu\(",
    ])
    # The imported module computes what the model does.
    relax, tvm = ns["relax"], ns["tvm"]
    x = torch.randn(1, 128)
    vm = relax.VirtualMachine(relax.vm.build(ns["MyModule"]), tvm.cpu())
    np.testing.assert_allclose(vm["main"](tvm.nd.array(x.numpy())).numpy(),
                               ns["model"](x).detach().numpy(), rtol=1e-4,
                               atol=1e-4)

    # --- Coming back to FashionMNIST Example
    run_blocks(FASHION_MNIST, ns)
    out = capsys.readouterr().out
    torch_pred = re.search(r"Torch Prediction: (.*)", out).group(1)
    mlc_pred = re.search(r"MLPModule Prediction: (.*)", out).group(1)
    assert mlc_pred == torch_pred
    check_in_order(out, [
        r"tir\.func @dense\(", r"tir\.func @add\(", r"tir\.func @te_relu\(",
        r"tir\.func @dense1\(", r"tir\.func @add1\(",
        r"func\.func @main\(%\w+: tensor<1x784xf32>\) -> tensor<1x10xf32>",
    ])
    np.testing.assert_allclose(ns["nd_res"].numpy(),
                               ns["torch_res"].detach().numpy(), rtol=1e-4,
                               atol=1e-4)

    # --- Remark: Translating into High-level Operators
    run_blocks(HIGH_LEVEL, ns)
    out = capsys.readouterr().out
    check_in_order(out, [
        r"relax\.dense %\w+, %\w+ : tensor<1x784xf32>, tensor<128x784xf32>",
        r"relax\.add", r"relax\.relu", r"relax\.dense", r"relax\.add",
    ])
    # The high-level module, legalized at build time, predicts the same.
    vm = relax.VirtualMachine(relax.vm.build(ns["MLPModuleHighLevel"]),
                              tvm.cpu())
    np.testing.assert_allclose(vm["main"](ns["data_nd"]).numpy(),
                               ns["nd_res"].numpy(), rtol=1e-5, atol=1e-5)
