"""export_library: a shared object that a process without MLIR loads."""

import os
import subprocess
import sys

import numpy as np

import mlc
from mlc import relax, te
from programs import te_matmul, te_relu

LOADER = os.path.join(os.path.dirname(mlc.__file__), "runtime", "loader.py")

# Runs in a fresh interpreter: loads loader.py by path (not the mlc package),
# calls the library, and checks that no MLIR library entered the process.
CHILD = r"""
import importlib.util, sys
import numpy as np
spec = importlib.util.spec_from_file_location("loader", sys.argv[1])
loader = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loader)
lib = loader.load(sys.argv[2])
a, b = np.load(sys.argv[3]), np.load(sys.argv[4])
(out,) = lib["main"](a, b)
np.save(sys.argv[5], out)
maps = open("/proc/self/maps").read()
assert "libMLIR" not in maps and "libLLVM" not in maps, "MLIR was loaded"
assert not any(name.startswith("mlc") for name in sys.modules), sys.modules
try:
    lib["main"](a)
except TypeError as error:
    print("count error:", error)
print("ok", out.shape)
"""


def run_child(library, a, b, tmp_path):
    """Calls `library`'s main on a and b in a fresh interpreter (CHILD);
    returns the finished process and the result it saved."""
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, LOADER, str(library),
         str(tmp_path / "a.npy"), str(tmp_path / "b.npy"),
         str(tmp_path / "out.npy")],
        capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert child.returncode == 0, child.stderr
    return child, np.load(tmp_path / "out.npy")


def test_exported_library_runs_without_mlir(tmp_path):
    A = relax.Var("A", (16, 8), relax.DynTensorType(2, "float32"))
    B = relax.Var("B", (8, 4), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[A, B]):
        with bb.dataflow():
            C = bb.emit_te(te_matmul, A, B)
            R = bb.emit_output(bb.emit_te(te_relu, C))
        bb.emit_func_output(R)
    ex = relax.vm.build(bb.get())
    library = tmp_path / "model.so"
    ex.export_library(library)
    assert library.stat().st_size > 0

    rng = np.random.default_rng(3)
    a = rng.standard_normal((16, 8)).astype("float32")
    b = rng.standard_normal((8, 4)).astype("float32")
    child, out = run_child(library, a, b, tmp_path)
    assert "ok (16, 4)" in child.stdout
    assert "main takes 2 inputs, got 1" in child.stdout
    np.testing.assert_allclose(out, np.maximum(a @ b, 0), rtol=1e-5,
                               atol=1e-5)


def test_loader_in_process_matches_the_jit(tmp_path):
    from mlc.runtime.loader import load
    n = te.var("n")
    X = te.placeholder((n,), name="X")
    Y = te.compute((n,), lambda i: te.exp(X[i]) * 2.0, name="Y")
    mod = mlc.build(te.create_prim_func([X, Y], name="scale"))
    mod.export_library(tmp_path / "scale.so")
    lib = load(tmp_path / "scale.so")
    x = np.linspace(-1, 1, 7, dtype="float32")
    (y,) = lib["scale"](x)
    np.testing.assert_allclose(y, np.exp(x) * 2, rtol=1e-6)
    assert lib.signature("scale")["params"][1]["is_output"]


def test_parallel_library_loads_without_mlir(tmp_path):
    # A library with OpenMP loops links LLVM's libomp; still no MLIR. The
    # matmul has work enough (64 * 64 * 128 iterations) to be split.
    A = te.placeholder((64, 64), name="A")
    B = te.placeholder((64, 128), name="B")
    C = te_matmul(A, B)
    mod = mlc.build(te.create_prim_func([A, B, C]), threads=2)
    assert "omp.parallel" in mod._exe.lowered_text()
    mod.export_library(tmp_path / "mm.so")
    rng = np.random.default_rng(5)
    a = rng.standard_normal((64, 64)).astype("float32")
    b = rng.standard_normal((64, 128)).astype("float32")
    _, out = run_child(tmp_path / "mm.so", a, b, tmp_path)
    np.testing.assert_allclose(out, a @ b, rtol=1e-4, atol=1e-4)


def test_a_result_returned_twice_is_freed_once(tmp_path):
    # `return y, y`: two results over one allocation. The JIT's arrays and
    # the loader's share it (freed once, when the last one dies).
    from mlc.runtime.loader import load
    x = relax.Var("x", (64,), relax.DynTensorType(1, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", [x]):
        with bb.dataflow():
            y = bb.emit_output(bb.emit_te(te_relu, x))
        bb.emit_func_output([y, y])
    exe = relax.vm.build(bb.get())
    exe.export_library(tmp_path / "twice.so")
    a = np.linspace(-1, 1, 64, dtype="float32")
    for call in (relax.VirtualMachine(exe)["main"],
                 load(tmp_path / "twice.so")["main"]):
        for _ in range(3):
            first, second = call(a)
            first = np.asarray(first.numpy() if hasattr(first, "numpy")
                               else first)
            second = second.numpy() if hasattr(second, "numpy") else second
            del first
            np.testing.assert_array_equal(second, np.maximum(a, 0))


def test_uint8_library_round_trips(tmp_path):
    """uint8 in the exported signature: the loader takes and gives uint8
    arrays, with unsigned division and ordering inside."""
    from mlc.runtime.loader import load
    A = te.placeholder((6,), name="A", dtype="uint8")
    B = te.placeholder((6,), name="B", dtype="uint8")
    C = te.compute((6,), lambda i: te.max(A[i] // (B[i] + 1), B[i]), name="C")
    mlc.build(te.create_prim_func([A, B, C])).export_library(
        tmp_path / "u8.so")
    lib = load(tmp_path / "u8.so")
    assert lib.signature("main")["params"][0]["dtype"] == "uint8"
    a = np.array([0, 255, 200, 17, 128, 9], np.uint8)
    b = np.array([0, 1, 254, 255, 3, 100], np.uint8)
    (c,) = lib["main"](a, b)
    assert c.dtype == np.uint8
    d = b + np.uint8(1)  # 255 wraps to 0, and x // 0 is 0
    q = np.where(d == 0, 0, a // np.maximum(d, 1)).astype(np.uint8)
    np.testing.assert_array_equal(c, np.maximum(q, b))


def test_weights_are_linked_into_the_code_not_compiled(tmp_path):
    """Constants of 1 KB or more reach LLVM as external globals
    (--mlc-externalize-constants): the JIT binds them to the weights'
    memory, export_library writes them into the library as data. Both
    read the same values as numpy; smaller constants stay initializers."""
    from mlc.runtime.loader import load
    rng = np.random.default_rng(11)
    w = rng.standard_normal((64, 32)).astype("float32")        # 8 KB
    bias = rng.standard_normal((32,)).astype("float32")        # 128 B
    table = np.arange(-1024, 1024, dtype=np.int16).reshape(64, 32)  # 4 KB
    x = relax.Var("x", (8, 64), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", [x]):
        with bb.dataflow():
            c = bb.emit_te(te_matmul, x, relax.const(w))
            d = bb.emit_te(lambda c, b: te.compute(
                c.shape, lambda i, j: c[i, j] + b[j], name="bias"),
                c, relax.const(bias))
            t = bb.emit_te(lambda t, c: te.compute(
                (8, 32), lambda i, j: te.cast(t[i * 8, j], "float32")
                + c[i, j], name="lookup"), relax.const(table), d)
            out = bb.emit_output(t)
        bb.emit_func_output(out)
    exe = relax.vm.build(bb.get(), threads=1)
    lowered = exe.lowered_text()
    assert lowered.count("llvm.mlir.global external constant") == 2
    assert "mlc.external_constants" in lowered
    a = rng.standard_normal((8, 64)).astype("float32")
    expected = table[::8].astype("float32") + (a @ w + bias)
    got = relax.VirtualMachine(exe)["main"](mlc.nd.array(a)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)
    exe.export_library(tmp_path / "weights.so")
    (loaded,) = load(tmp_path / "weights.so")["main"](a)
    np.testing.assert_allclose(loaded, expected, rtol=1e-5, atol=1e-4)
