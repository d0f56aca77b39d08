"""TVM's API beyond the chapter (issue 15), written as a TVM user writes it:
``import mlc as tvm`` and TVM's names and call shapes, numbers checked
against PyTorch and numpy."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

import mlc as tvm
from mlc import relax, te

from_fx = tvm.relax.frontend.torch.from_fx


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8 * 14 * 14, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.bn(self.conv(x))), 2)
        return (self.fc(x.flatten(1)),)


def torch_of(model, *xs):
    with torch.no_grad():
        return model(*[torch.from_numpy(x) for x in xs])


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(
        "float32")


# --- 1. from_fx with TVM's signature ----------------------------------------

def test_from_fx_positional_input_info_and_attribute_access():
    model = MLP().eval()
    mod = from_fx(torch.fx.symbolic_trace(model), [((1, 784), "float32")])
    ex = relax.build(mod, target="llvm")
    vm = relax.VirtualMachine(ex, tvm.cpu())
    x = rand(1, 784)
    out = vm["main"](tvm.nd.array(x))
    expected = torch_of(model, x).numpy()
    assert out.numpy().shape == expected.shape
    assert out.numpy().dtype == expected.dtype
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)


def test_import_mlc_is_light_and_frontends_are_lazy_attributes():
    code = ("import sys, time; t = time.perf_counter(); import mlc; "
            "dt = time.perf_counter() - t; "
            "assert 'torch' not in sys.modules, 'torch imported'; "
            "assert dt < 0.5, dt; "
            "mlc.frontend.from_fx; mlc.relax.frontend.torch.from_fx; "
            "assert 'torch' in sys.modules")
    env = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(tvm.__file__))
    env["PYTHONPATH"] = os.pathsep.join(
        [package_root] + [p for p in [env.get("PYTHONPATH")] if p])
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_keep_params_as_input_runs_with_other_weights():
    model = CNN().eval()
    mod = from_fx(torch.fx.symbolic_trace(model), [((2, 1, 28, 28),
                                                    "float32")],
                  keep_params_as_input=True, unwrap_unit_return_tuple=True)
    assert "params" in mod["main"].attrs
    mod, params = relax.frontend.detach_params(mod)
    assert "params" not in mod["main"].attrs
    names = [n for n, _ in list(model.named_parameters()) +
             list(model.named_buffers()) if n != "bn.num_batches_tracked"]
    assert len(params["main"]) == len(names)
    # 1 input + the weights, in the model's order.
    assert len(mod["main"].params) == 1 + len(names)
    vm = relax.VirtualMachine(relax.build(mod), tvm.cpu())
    x = rand(2, 1, 28, 28)
    out = vm["main"](x, *params["main"])
    # unwrap_unit_return_tuple: the tensor, not a 1-tuple.
    np.testing.assert_allclose(out.numpy(), torch_of(model, x)[0].numpy(),
                               rtol=1e-4, atol=1e-4)
    # The same compiled module with another model's weights.
    other = CNN().eval()
    with torch.no_grad():
        other.bn.running_mean.uniform_(-1, 1)
        other.bn.running_var.uniform_(0.5, 2)
    weights = [t.detach().numpy() for n, t in
               list(other.named_parameters()) + list(other.named_buffers())
               if n != "bn.num_batches_tracked"]
    out = vm["main"](x, *weights)
    np.testing.assert_allclose(out.numpy(), torch_of(other, x)[0].numpy(),
                               rtol=1e-4, atol=1e-4)


def test_unit_tuple_kept_without_unwrap():
    model = CNN().eval()
    mod = from_fx(torch.fx.symbolic_trace(model), [((1, 1, 28, 28),
                                                    "float32")])
    out = relax.VirtualMachine(relax.build(mod), tvm.cpu())["main"](
        rand(1, 1, 28, 28))
    assert isinstance(out, tuple) and len(out) == 1


def test_custom_convert_map_takes_precedence():
    model = MLP().eval()
    calls = []

    def relu_as_sigmoid(node, importer):
        calls.append(node.name)
        x = importer.env[node.args[0]]
        return importer.block_builder.emit(relax.op.sigmoid(x))

    mod = from_fx(torch.fx.symbolic_trace(model), [((3, 784), "float32")],
                  custom_convert_map={"relu": relu_as_sigmoid},
                  no_bind_return_tuple=True)
    assert calls == ["relu"]
    x = rand(3, 784)
    out = relax.VirtualMachine(relax.build(mod), tvm.cpu())["main"](x)
    with torch.no_grad():
        expected = model.fc2(torch.sigmoid(model.fc1(torch.from_numpy(x))))
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5,
                               atol=1e-5)


def test_from_fx_rejects_a_bad_input_info():
    gm = torch.fx.symbolic_trace(MLP())
    with pytest.raises(TypeError, match="input_info is a list of"):
        from_fx(gm, [(1, 784)])
    with pytest.raises(TypeError):
        from_fx(gm, [((1, 784), "float32")], keep_params=True)


# --- 2. passes as Python objects ---------------------------------------------

def chapter_module():
    x = relax.Var("x", relax.TensorStructInfo((4, 16), "float32"))
    w = relax.const(rand(8, 16))
    b = relax.const(rand(8, seed=1))
    bb = relax.BlockBuilder()
    with bb.function("main", [x]):
        with bb.dataflow():
            h = bb.emit(relax.op.linear(x, w, b))
            y = bb.emit(relax.op.nn.relu(h))
            out = bb.emit_output(y)
        bb.emit_func_output(out)
    return bb.get(), w, b


def test_passes_sequential_and_print_ir(capsys):
    mod, _, _ = chapter_module()
    legal = relax.transform.LegalizeOps()(mod)
    assert "relax.call_tir" in str(legal) and "relax.call_tir" not in str(mod)
    seq = tvm.transform.Sequential([
        relax.transform.LegalizeOps(),
        tvm.transform.PrintIR("after legalize"),
        relax.transform.FuseOps(),
        relax.transform.FuseTIR()])
    with tvm.transform.PassContext(opt_level=3):
        fused = seq(mod)
    printed = capsys.readouterr().out
    assert "PrintIR(after legalize):" in printed and "tir.func" in printed
    with tvm.transform.PassContext(
            instruments=[tvm.ir.instrument.PrintAfterAll()]):
        relax.transform.LegalizeOps()(mod)
    printed = capsys.readouterr().out
    assert "After Running Pass: LegalizeOps" in printed
    # mlc's whole lowering is a pass too: LLVM dialect at the end.
    lowered = tvm.transform.MLIRPass("mlc-lower-to-llvm")(mod)
    assert "llvm.func" in str(lowered)
    kernels = [n for n in fused.function_names() if n != "main"]
    assert len(kernels) == 1 and kernels[0].startswith("fused_")
    # FuseTIR after FuseOps has nothing left (mlc fuses in one step).
    assert str(relax.transform.FuseTIR()(fused)) == str(fused)
    x = rand(4, 16, seed=3)
    out = relax.VirtualMachine(relax.build(fused), tvm.cpu())["main"](x)
    np.testing.assert_allclose(
        out.numpy(), np.maximum(x @ rand(8, 16).T + rand(8, seed=1), 0),
        rtol=1e-5, atol=1e-5)


def test_pass_context_levels_and_disabled_passes():
    mod, _, _ = chapter_module()
    heavy = tvm.transform.MLIRPass("relax-legalize", name="Heavy",
                                   opt_level=3)
    seq = tvm.transform.Sequential([heavy])
    with tvm.transform.PassContext(opt_level=2):
        assert str(seq(mod)) == str(mod)  # above the level: skipped
    with tvm.transform.PassContext(opt_level=3, disabled_pass=["Heavy"]):
        assert str(seq(mod)) == str(mod)
    with tvm.transform.PassContext(opt_level=3):
        assert "relax.call_tir" in str(seq(mod))
    seen = []

    class Recorder(tvm.ir.instrument.PassInstrument):
        def run_after_pass(self, mod, info):
            seen.append((info.name, "relax.call_tir" in str(mod)))

    with tvm.transform.PassContext(opt_level=3, instruments=[Recorder()]):
        tvm.transform.Sequential([relax.transform.LegalizeOps(),
                                  relax.transform.FuseOps()])(mod)
    assert seen == [("LegalizeOps", True), ("FuseOps", True)]
    with pytest.raises(TypeError, match="config is not supported"):
        tvm.transform.PassContext(config={"relax.x": 1})
    with pytest.raises(tvm.MLCError, match="bad pass pipeline"):
        tvm.transform.MLIRPass("no-such-pass")(mod)
    with pytest.raises(TypeError, match="takes an IRModule"):
        relax.transform.LegalizeOps()("not a module")


# --- 3. time_evaluator --------------------------------------------------------

def test_time_evaluator_on_vm_and_prim_func_modules():
    mod, _, _ = chapter_module()
    vm = relax.VirtualMachine(relax.build(mod), tvm.cpu())
    x = rand(4, 16)
    timer = vm.module.time_evaluator("main", tvm.cpu(), number=5, repeat=3)
    result = timer(tvm.nd.array(x))
    assert len(result.results) == 3
    assert result.min <= result.median <= result.max
    assert result.min <= result.mean <= result.max and result.std >= 0
    assert 0 < result.mean < 1.0
    grown = vm.time_evaluator("main", tvm.cpu(), number=1, repeat=1,
                              min_repeat_ms=20)(x)
    assert grown.mean > 0
    with pytest.raises(TypeError, match="cache_flush_bytes"):
        vm.time_evaluator("main", tvm.cpu(), cache_flush_bytes=1024)
    with pytest.raises(tvm.MLCError, match="must be >= 1"):
        vm.time_evaluator("main", tvm.cpu(), number=0)(x)
    # A clock reading 0 is retried limit_zero_time_iterations times, not
    # for ever (here the calls always take time: one measurement).
    assert vm.time_evaluator("main", tvm.cpu(), number=1,
                             limit_zero_time_iterations=1)(x).mean > 0

    A = te.placeholder((64, 64), name="A")
    B = te.compute((64, 64), lambda i, j: A[i, j] * 2.0, name="B")
    rt = tvm.build(te.create_prim_func([A, B], name="double"),
                   target="llvm")
    a = tvm.nd.array(rand(64, 64))
    b = tvm.nd.empty((64, 64))
    result = rt.time_evaluator(rt.entry_name, tvm.cpu(), number=3)(a, b)
    assert rt.entry_name == "double" and result.mean > 0
    rt["double"](a, b)
    np.testing.assert_allclose(b.numpy(), a.numpy() * 2)


# --- 4. deploy round trip -----------------------------------------------------

def test_load_module_runs_in_a_virtual_machine(tmp_path):
    model = MLP().eval()
    mod = from_fx(torch.fx.symbolic_trace(model), [((2, 784), "float32")])
    relax.build(mod).export_library(tmp_path / "mlp.so")
    loaded = tvm.runtime.load_module(str(tmp_path / "mlp.so"))
    vm = relax.VirtualMachine(loaded, tvm.cpu())
    x = rand(2, 784)
    out = vm["main"](tvm.nd.array(x))
    np.testing.assert_allclose(out.numpy(), torch_of(model, x).numpy(),
                               rtol=1e-5, atol=1e-5)
    assert loaded.time_evaluator("main", number=2)(x).mean > 0
    assert vm.time_evaluator("main", tvm.cpu(), number=2)(x).mean > 0
    with pytest.raises(TypeError, match="dev must be"):
        loaded.time_evaluator("main", "cpu")
    with pytest.raises(FileNotFoundError):
        tvm.runtime.load_module(str(tmp_path / "missing.so"))


# --- 5. IRModule as TVM's ----------------------------------------------------

def test_irmodule_is_a_mapping_of_global_vars():
    mod, _, _ = chapter_module()
    mod = relax.transform.LegalizeOps()(mod)
    main = mod["main"]
    assert [p.struct_info for p in main.params] == \
        [relax.TensorStructInfo((4, 16), "float32")]
    assert main.ret_struct_info == relax.TensorStructInfo((4, 8), "float32")
    assert main.attrs["global_symbol"] == "main"
    gvs = mod.get_global_vars()
    assert tvm.ir.module.GlobalVar("main") in gvs
    assert [gv.name_hint for gv in mod.functions] == \
        [gv.name_hint for gv in gvs]
    for gv, func in mod.functions.items():
        assert func.kind == ("relax" if gv.name_hint == "main" else "tir")
    assert mod[mod.get_global_var("main")].name == "main"
    # A function added under another name, with what it calls.
    other = tvm.IRModule.from_expr(mod["main"])
    other["forward"] = mod["main"]
    assert "forward" in other and "main" in other
    x = rand(4, 16)
    expected = np.maximum(x @ rand(8, 16).T + rand(8, seed=1), 0)
    vm = relax.VirtualMachine(relax.build(other), tvm.cpu())
    for name in ("forward", "main"):
        np.testing.assert_allclose(vm[name](x).numpy(), expected, rtol=1e-5,
                                   atol=1e-5)
    with pytest.raises(KeyError):
        mod["nope"]
    # Assigning a function to its own name, or over a function that calls
    # it (replaced by a copy of the callee), keeps the module valid.
    other["main"] = other["main"]
    other["main"] = other["forward"]
    assert other.function_names().count("main") == 1
    np.testing.assert_allclose(
        relax.VirtualMachine(relax.build(other), tvm.cpu())["main"](x).numpy(),
        expected, rtol=1e-5, atol=1e-5)


# --- 6. current TVM names -----------------------------------------------------

def test_current_names_of_ops_vars_and_build():
    x = relax.Var("x", relax.TensorStructInfo((2, 3, 8, 8), "float32"))
    weight = rand(4, 3, 3, 3, seed=5)
    w = relax.const(weight)
    bb = relax.BlockBuilder()
    with bb.function("main", [x]):
        with bb.dataflow():
            c = bb.emit(relax.op.nn.conv2d(x, w, padding=(1, 1)))
            g = bb.emit(relax.op.nn.gelu(c))
            s = bb.emit(relax.op.nn.silu(g))
            p = bb.emit(relax.op.nn.max_pool2d(s, pool_size=(2, 2),
                                               strides=(2, 2)))
            a = bb.emit(relax.op.nn.avg_pool2d(p, pool_size=(2, 2),
                                               strides=(2, 2)))
            a = bb.emit(relax.op.nn.adaptive_avg_pool2d(a, (None, 1)))
            q = bb.emit(relax.op.nn.adaptive_avg_pool2d(a, output_size=1))
            d, _ = bb.emit(relax.op.nn.dropout(q, rate=0.1))
            sm = bb.emit(relax.op.nn.softmax(d, axis=1))
            lsm = bb.emit(relax.op.nn.log_softmax(sm, axis=1))
            out = bb.emit_output(lsm)
        bb.emit_func_output(out)
    ex = tvm.compile(bb.get(), target=tvm.target.Target("llvm"))
    data = rand(2, 3, 8, 8)
    got = relax.VirtualMachine(ex, tvm.cpu())["main"](
        tvm.runtime.tensor(data)).numpy()
    t = torch.nn.functional.conv2d(torch.from_numpy(data),
                                   torch.from_numpy(weight), padding=1)
    t = torch.nn.functional.silu(torch.nn.functional.gelu(t))
    t = torch.nn.functional.avg_pool2d(torch.max_pool2d(t, 2), 2)
    t = torch.nn.functional.adaptive_avg_pool2d(t, 1)
    t = torch.log_softmax(torch.softmax(t, 1), 1)
    assert got.shape == tuple(t.shape) and got.dtype == np.float32
    np.testing.assert_allclose(got, t.numpy(), rtol=1e-4, atol=1e-5)


def test_batch_norm_layer_norm_and_linear_in_tvm_argument_order():
    x = relax.Var("x", relax.TensorStructInfo((2, 4, 3, 3), "float32"))
    gamma, beta = rand(4, seed=1), rand(4, seed=2)
    mean, var = rand(4, seed=3), np.abs(rand(4, seed=4)) + 0.5
    bb = relax.BlockBuilder()
    with bb.function("main", [x]):
        with bb.dataflow():
            bn = bb.emit(relax.op.nn.batch_norm(
                x, relax.const(gamma), relax.const(beta), relax.const(mean),
                relax.const(var), axis=1, epsilon=1e-5))[0]
            ln = bb.emit(relax.op.nn.layer_norm(
                bn, relax.const(np.ones(3, "float32")),
                relax.const(np.zeros(3, "float32")), axes=[-1]))
            out = bb.emit_output(ln)
        bb.emit_func_output(out)
    data = rand(2, 4, 3, 3)
    got = relax.VirtualMachine(relax.build(bb.get()), tvm.cpu())["main"](
        data).numpy()
    t = torch.nn.functional.batch_norm(
        torch.from_numpy(data), torch.from_numpy(mean), torch.from_numpy(var),
        torch.from_numpy(gamma), torch.from_numpy(beta), eps=1e-5)
    t = torch.nn.functional.layer_norm(t, (3,))
    np.testing.assert_allclose(got, t.numpy(), rtol=1e-4, atol=1e-5)
    with pytest.raises(tvm.MLCError, match="axis 2"):
        relax.op.nn.batch_norm(x, x, x, x, x, axis=2)
    with pytest.raises(tvm.MLCError, match="data_layout 'NHWC'"):
        relax.op.nn.conv2d(x, x, data_layout="NHWC")


def test_const_defaults_and_struct_info():
    c = relax.const(1.0)
    assert c.shape == () and c.dtype == "float32"
    assert relax.const(3).dtype == "int32"
    big = relax.const(2**40)  # does not fit int32: kept, not wrapped
    assert big.dtype == "int64"
    assert relax.const(True).dtype == "bool"
    assert relax.const([1.5, 2.5]).dtype == "float32"
    assert relax.const(np.float64(1.0)).dtype == "float64"  # numpy kept
    assert relax.const(np.zeros(2, "int64")).dtype == "int64"
    assert c.struct_info == relax.TensorStructInfo((), "float32")
    v = relax.Var("v", relax.TensorStructInfo((None, 3), "int64"))
    assert v.shape == [None, 3] or tuple(v.shape) == (None, 3)
    assert v.dtype == "int64"
    with pytest.raises(TypeError, match="vdevice"):
        relax.TensorStructInfo((1,), "float32", vdevice="cuda")
    with pytest.raises(ValueError, match="mlc compiles for 'llvm'"):
        tvm.target.Target("cuda")


def test_nd_array_copies_like_tvm():
    a = rand(3, 3)
    nd = tvm.nd.array(a)
    a[:] = 0
    assert np.abs(nd.numpy()).sum() > 0
    t = tvm.runtime.tensor(a)
    assert not np.shares_memory(t.numpy(), a)


# --- 7. a picture of the graph ----------------------------------------------

def test_graph_as_dot_rendered_by_graphviz(tmp_path):
    mod, _, _ = chapter_module()
    fused = relax.transform.FuseOps()(relax.transform.LegalizeOps()(mod))
    dot = fused.show(format="dot")
    assert dot.startswith('digraph "main"')
    assert "4x16xf32" in dot and "4x8xf32" in dot  # types on edges
    assert "subgraph cluster_" in dot and "fused_" in dot
    assert 'label="dataflow"' in dot
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    svg = tvm.ir.graph.graph_svg(fused, path=tmp_path / "main.svg")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert (tmp_path / "main.svg").stat().st_size > 0
    with pytest.raises(tvm.MLCError, match="no graph function named"):
        fused.show(format="dot", function="missing")
