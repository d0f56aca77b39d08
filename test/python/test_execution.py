"""Compiled te programs and relax modules against numpy."""

import numpy as np
import pytest

import mlc
from mlc import relax, te, topi
from programs import te_matmul, te_relu

RTOL = 1e-5


def rand(*shape, dtype="float32", seed=[0]):
    seed[0] += 1
    return np.random.default_rng(seed[0]).standard_normal(shape).astype(dtype)


def run(tensors, *inputs):
    """Builds create_prim_func(tensors), calls it TVM-style with outputs
    passed as arguments, returns the outputs as numpy."""
    f = mlc.build(te.create_prim_func(tensors))
    outs = [mlc.nd.empty(t.shape, t.dtype) for t in tensors
            if not t.is_placeholder]
    f(*[mlc.nd.array(x) for x in inputs], *outs)
    return [o.numpy() for o in outs]


@pytest.mark.parametrize("m,k,n", [(128, 128, 128), (37, 53, 29)])
def test_matmul(m, k, n):
    A = te.placeholder((m, k), name="A")
    B = te.placeholder((k, n), name="B")
    a, b = rand(m, k), rand(k, n)
    (c,) = run([A, B, te_matmul(A, B)], a, b)
    np.testing.assert_allclose(c, a @ b, rtol=RTOL, atol=1e-5)


@pytest.mark.parametrize("shape", [(10,), (10, 20)])
def test_relu(shape):
    X = te.placeholder(shape, name="X")
    x = rand(*shape)
    (y,) = run([X, te_relu(X)], x)
    np.testing.assert_array_equal(y, np.maximum(x, 0))


def test_fused_matmul_relu_with_temporary():
    A = te.placeholder((64, 32), name="A")
    B = te.placeholder((32, 48), name="B")
    D = te_relu(te_matmul(A, B))
    func = te.create_prim_func([A, B, D])
    assert "matmul_out" not in func.script()  # the matmul is a temporary
    a, b = rand(64, 32), rand(32, 48)
    (d,) = run([A, B, D], a, b)
    np.testing.assert_allclose(d, np.maximum(a @ b, 0), rtol=RTOL, atol=1e-5)


def test_listed_intermediate_is_written_too():
    A = te.placeholder((8, 8), name="A")
    B = te.placeholder((8, 8), name="B")
    C = te_matmul(A, B)
    D = te_relu(C)
    a, b = rand(8, 8), rand(8, 8)
    c, d = run([A, B, C, D], a, b)
    np.testing.assert_allclose(c, a @ b, rtol=RTOL, atol=1e-5)
    np.testing.assert_allclose(d, np.maximum(a @ b, 0), rtol=RTOL, atol=1e-5)


def conv2d_nchw(data, weight, pad):
    """te conv2d with if_then_else zero padding, stride 1."""
    n, c, h, w = data.shape
    f, _, kh, kw = weight.shape
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    padded = te.compute(
        (n, c, h + 2 * pad, w + 2 * pad),
        lambda b, ch, y, x: te.if_then_else(
            te.all(y >= pad, y < h + pad, x >= pad, x < w + pad),
            data[b, ch, y - pad, x - pad], 0.0),
        name="pad")
    rc = te.reduce_axis((0, c), name="rc")
    ry = te.reduce_axis((0, kh), name="ry")
    rx = te.reduce_axis((0, kw), name="rx")
    return te.compute(
        (n, f, oh, ow),
        lambda b, o, y, x: te.sum(
            padded[b, rc, y + ry, x + rx] * weight[o, rc, ry, rx],
            axis=[rc, ry, rx]),
        name="conv")


def test_conv2d_with_zero_padding():
    import torch
    D = te.placeholder((2, 3, 9, 7), name="D")
    W = te.placeholder((4, 3, 3, 3), name="W")
    out = conv2d_nchw(D, W, pad=1)
    d, w = rand(2, 3, 9, 7), rand(4, 3, 3, 3)
    (o,) = run([D, W, out], d, w)
    ref = torch.nn.functional.conv2d(torch.from_numpy(d), torch.from_numpy(w),
                                     padding=1).numpy()
    np.testing.assert_allclose(o, ref, rtol=1e-4, atol=1e-5)


def test_row_max():
    A = te.placeholder((7, 13), name="A")
    k = te.reduce_axis((0, 13), name="k")
    M = te.compute((7,), lambda i: te.max(A[i, k], axis=k), name="rowmax")
    a = rand(7, 13)
    (m,) = run([A, M], a)
    np.testing.assert_array_equal(m, a.max(axis=1))


def test_softmax():
    A = te.placeholder((5, 11), name="A")
    k = te.reduce_axis((0, 11), name="k")
    mx = te.compute((5,), lambda i: te.max(A[i, k], axis=k), name="mx")
    e = te.compute((5, 11), lambda i, j: te.exp(A[i, j] - mx[i]), name="e")
    k2 = te.reduce_axis((0, 11), name="k2")
    s = te.compute((5,), lambda i: te.sum(e[i, k2], axis=k2), name="s")
    sm = te.compute((5, 11), lambda i, j: e[i, j] / s[i], name="softmax")
    a = rand(5, 11)
    (y,) = run([A, sm], a)
    ref = np.exp(a - a.max(1, keepdims=True))
    np.testing.assert_allclose(y, ref / ref.sum(1, keepdims=True), rtol=RTOL)


def test_transpose():
    A = te.placeholder((6, 9), name="A")
    T = te.compute((9, 6), lambda i, j: A[j, i], name="T")
    a = rand(6, 9)
    (t,) = run([A, T], a)
    np.testing.assert_array_equal(t, a.T)


def test_symbolic_size_at_two_sizes():
    n = te.var("n")
    A = te.placeholder((n, 4), name="A")
    B = te.compute((n, 4), lambda i, j: A[i, j] * 2.0 + 1.0, name="B")
    f = mlc.build(te.create_prim_func([A, B]))
    for rows in (3, 17):
        a = rand(rows, 4)
        b = mlc.nd.empty((rows, 4))
        f(mlc.nd.array(a), b)
        np.testing.assert_allclose(b.numpy(), a * 2 + 1, rtol=RTOL)


def test_math_and_integer_programs():
    A = te.placeholder((16,), name="A")
    I = te.placeholder((16,), name="I", dtype="int32")
    M = te.compute((16,), lambda i: te.sigmoid(A[i]) + te.tanh(A[i]) +
                   te.erf(A[i]) + te.abs(A[i]), name="M")
    Q = te.compute((16,), lambda i: I[i] * I[i] % 7 + te.max(I[i], 3),
                   name="Q")
    a = rand(16)
    i = np.arange(-8, 8, dtype="int32")
    m, q = run([A, I, M, Q], a, i)
    import math
    erf = np.vectorize(math.erf)(a.astype("float64"))
    ref = 1 / (1 + np.exp(-a)) + np.tanh(a) + erf + np.abs(a)
    np.testing.assert_allclose(m, ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(q, np.fmod(i * i, 7) + np.maximum(i, 3))


def my_module():
    A = relax.Var("A", (128, 128), relax.DynTensorType(2, "float32"))
    B = relax.Var("B", (128, 128), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main"):
        with bb.dataflow():
            C = bb.emit_te(te_matmul, A, B)
            D = bb.emit_te(te_relu, C)
            R = bb.emit_output(D)
        bb.emit_func_output(R, params=[A, B])
    return bb.get()


def test_chapter_module_on_the_vm():
    ex = relax.vm.build(my_module(), target="llvm")
    vm = relax.VirtualMachine(ex, mlc.cpu())
    a, b = rand(128, 128), rand(128, 128)
    res = vm["main"](mlc.nd.array(a), mlc.nd.array(b))
    assert isinstance(res, mlc.nd.NDArray)
    np.testing.assert_allclose(res.numpy(), np.maximum(a @ b, 0), rtol=RTOL,
                               atol=1e-5)


def test_high_level_ops_are_legalized_and_run():
    w = rand(128, 784)
    bias = rand(128)
    x = relax.Var("x", (1, 784), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            y = bb.emit(relax.op.dense(x, relax.const(w)))
            y = bb.emit(relax.op.add(y, relax.const(bias)))
            y = bb.emit(relax.op.relu(y))
            z = bb.emit(relax.op.multiply(y, relax.const(np.float32([2.0]))))
            z = bb.emit(relax.op.subtract(z, y))
            z = bb.emit(relax.op.divide(z, relax.const(np.float32([4.0]))))
            out = bb.emit_output(z)
        bb.emit_func_output(out)
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    data = rand(1, 784)
    got = vm["main"](mlc.nd.array(data)).numpy()
    h = np.maximum(data @ w.T + bias, 0)
    np.testing.assert_allclose(got, (h * 2 - h) / 4, rtol=1e-4, atol=1e-5)


def test_matmul_op_with_batches_runs():
    a = relax.Var("a", (2, 3, 4), relax.DynTensorType(3, "float32"))
    b = relax.Var("b", (4, 5), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[a, b]):
        bb.emit_func_output(bb.emit(relax.op.matmul(a, b)))
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    x, y = rand(2, 3, 4), rand(4, 5)
    np.testing.assert_allclose(vm["main"](x, y).numpy(), x @ y, rtol=RTOL,
                               atol=1e-5)


def test_returning_a_parameter_and_several_results():
    x = relax.Var("x", (4,), relax.DynTensorType(1, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        r = bb.emit(relax.op.relu(x))
        bb.emit_func_output([x, r])
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    data = rand(4)
    same, relu = vm["main"](data)
    np.testing.assert_array_equal(same.numpy(), data)
    np.testing.assert_array_equal(relu.numpy(), np.maximum(data, 0))
    data[0] = 100.0  # the result is a copy the caller owns
    assert same.numpy()[0] != 100.0


def test_nd_array_copies_and_from_dlpack_shares_memory():
    # TVM's tvm.nd.array copies; from_dlpack is the zero-copy path.
    a = rand(3, 4)
    nd = mlc.nd.array(a)
    assert not np.shares_memory(nd.numpy(), a)
    a[0, 0] = 42.0
    assert nd.numpy()[0, 0] != 42.0
    assert nd.shape == (3, 4) and nd.dtype == "float32"
    t = mlc.nd.array(a.T)  # not contiguous: the copy is
    assert t.numpy().flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(t.numpy(), a.T)
    shared = mlc.nd.from_dlpack(a)
    assert np.shares_memory(shared.numpy(), a)
    torch = pytest.importorskip("torch")
    x = torch.arange(6.0).reshape(2, 3)
    view = mlc.nd.from_dlpack(x)
    x[0, 0] = 7.0
    assert view.numpy()[0, 0] == 7.0 and view.dtype == "float32"
    with pytest.raises(TypeError, match="has no __dlpack__"):
        mlc.nd.from_dlpack([1, 2])


# --- errors ---------------------------------------------------------------

def test_call_errors_name_the_argument():
    vm = relax.VirtualMachine(relax.vm.build(my_module()), mlc.cpu())
    a = rand(128, 128)
    with pytest.raises(mlc.MLCError, match="main takes 2 inputs, got 1"):
        vm["main"](a)
    with pytest.raises(mlc.MLCError, match=r"argument #1 'B' has shape "
                                           r"\(128, 64\)"):
        vm["main"](a, rand(128, 64))
    with pytest.raises(mlc.MLCError, match=r"argument #0 'A' has dtype "
                                           r"float64 but the function takes "
                                           r"float32"):
        vm["main"](a.astype("float64"), a)
    with pytest.raises(mlc.MLCError, match="argument #1 'B' has rank 1"):
        vm["main"](a, rand(128))
    with pytest.raises(TypeError, match="argument #1 is a list"):
        vm["main"](a, [1.0])
    with pytest.raises(KeyError, match="no function named 'nope'"):
        vm["nope"]


def test_build_errors():
    A = te.placeholder((4,), name="A")
    f = mlc.build(te.create_prim_func([A, te_relu(A)]))
    with pytest.raises(TypeError, match=r"main takes 2 arguments \(A, "
                                        r"relu_out\), got 1"):
        f(mlc.nd.array(rand(4)))
    with pytest.raises(ValueError, match="output #1 'relu_out' has shape"):
        f(mlc.nd.array(rand(4)), mlc.nd.empty((5,)))
    with pytest.raises(ValueError, match="compiles for target 'llvm'"):
        mlc.build(te.create_prim_func([A, te_relu(A)]), target="cuda")
    with pytest.raises(TypeError, match="takes a te.create_prim_func"):
        mlc.build("not a module")


def test_fused_and_unfused_builds_agree():
    w, bias = rand(16, 8), rand(16)
    x = relax.Var("x", (None, 8), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            y = bb.emit(relax.op.dense(x, relax.const(w)))
            y = bb.emit(relax.op.add(y, relax.const(bias)))
            out = bb.emit_output(bb.emit(relax.op.relu(y)))
        bb.emit_func_output(out)
    mod = bb.get()
    data = rand(5, 8)
    ref = np.maximum(data @ w.T + bias, 0)
    for fuse in (True, False):
        vm = relax.VirtualMachine(relax.vm.build(mod, fuse=fuse), mlc.cpu())
        np.testing.assert_allclose(vm["main"](data).numpy(), ref, rtol=1e-5,
                                   atol=1e-5)
    lowered = relax.vm.build(mod).lowered_text()
    # dense with a constant weight became matmul (weight re-laid out).
    assert "fused_matmul_add_relu" in lowered
    assert "fused" not in relax.vm.build(mod, fuse=False).lowered_text()


@pytest.mark.parametrize("threads", [1, 2])
def test_parallel_loops_compute_the_same(threads):
    # Vectorized loop nests split across OpenMP threads.
    A = te.placeholder((64, 96), name="A")
    B = te.placeholder((96, 128), name="B")
    C = te_relu(te_matmul(A, B))
    f = mlc.build(te.create_prim_func([A, B, C]), threads=threads)
    a, b = rand(64, 96), rand(96, 128)
    c = mlc.nd.empty((64, 128))
    f(mlc.nd.array(a), mlc.nd.array(b), c)
    np.testing.assert_allclose(c.numpy(), np.maximum(a @ b, 0), rtol=1e-4,
                               atol=1e-4)
    lowered = f._exe.lowered_text()
    assert ("omp.parallel" in lowered) == (threads > 1)


def dense_bias_relu_then(shape, w, bias, tail):
    """main(x) = tail(relu(dense(x, w) + bias)) over x of `shape`."""
    x = relax.Var("x", shape, relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            y = bb.emit(relax.op.dense(x, relax.const(w)))
            y = bb.emit(relax.op.relu(bb.emit(relax.op.add(
                y, relax.const(bias)))))
            out = bb.emit_output(bb.emit(tail(bb, y)))
        bb.emit_func_output(out)
    return bb.get()


@pytest.mark.parametrize("threads", [1, 2])
def test_dynamic_batch_blocks_and_remainders(threads):
    # Rows go in blocks of 4 with a peeled remainder; with two threads a
    # batch of 2 rows or more (2 * 128 * 256 iterations, min-parallel-work)
    # splits at run time and a single row stays serial. Every batch size is
    # checked, both sides of the run-time choice and every remainder length.
    w, bias = rand(128, 256), rand(128)
    w2 = rand(10, 128)
    mod = dense_bias_relu_then((None, 256), w, bias,
                               lambda bb, y: relax.op.dense(y, relax.const(w2)))
    exe = relax.vm.build(mod, threads=threads)
    # With two threads the big layer has a parallel copy of its loops.
    assert ("omp.parallel" in exe.lowered_text()) == (threads > 1)
    vm = relax.VirtualMachine(exe, mlc.cpu())
    for batch in (1, 2, 3, 4, 5, 7, 8, 9, 13, 64, 130):
        data = rand(batch, 256)
        ref = np.maximum(data @ w.T + bias, 0) @ w2.T
        np.testing.assert_allclose(vm["main"](data).numpy(), ref,
                                   rtol=1e-4, atol=1e-4)


def test_functions_folded_by_fusion_are_not_listed():
    # te_matmul and te_relu become one fused kernel; what remains callable
    # is what was compiled.
    fused = relax.vm.build(my_module())
    names = fused.function_names()
    assert "main" in names and "te_matmul" not in names
    with pytest.raises(KeyError, match="te_matmul"):
        fused.signature("te_matmul")
    unfused = relax.vm.build(my_module(), fuse=False)
    assert "te_matmul" in unfused.function_names()
    a, b = rand(128, 128), rand(128, 128)
    (c,) = unfused.call("te_matmul", [a, b])
    np.testing.assert_allclose(c, a @ b, rtol=RTOL, atol=1e-4)


def test_identical_kernels_are_compiled_once_and_stay_callable(tmp_path):
    # Two relus of one shape (separate emit_te calls, as a model's repeated
    # layers) and an exp: the second relu's code is the first's
    # (--mlc-deduplicate-functions), yet each kernel is callable by name,
    # in the JIT and in an exported library.
    from mlc.runtime.loader import load

    def te_exp(t):
        return te.compute(t.shape, lambda i, j: te.exp(t[i, j]), name="e")

    x = relax.Var("x", (4, 8), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", [x]):
        with bb.dataflow():
            a = bb.emit_te(te_relu, x)
            b = bb.emit_te(te_exp, a)
            c = bb.emit_output(bb.emit_te(te_relu, b))
        bb.emit_func_output(c)
    mod = bb.get()
    kernels = [n for n in mod.function_names() if n != "main"]
    assert sorted(kernels) == ["te_exp", "te_relu", "te_relu1"]
    exe = relax.vm.build(mod, fuse=False)
    lowered = exe.lowered_text()
    assert "llvm.func @mlc.te_relu(" in lowered
    assert "llvm.func @mlc.te_relu1(" not in lowered
    v = np.linspace(-2, 2, 32, dtype="float32").reshape(4, 8)
    library = tmp_path / "dedup.so"
    exe.export_library(library)
    for call in (exe.call, lambda name, args: load(library)[name](*args)):
        for name in kernels:
            (out,) = call(name, [v])
            want = np.exp(v) if name == "te_exp" else np.maximum(v, 0)
            np.testing.assert_allclose(out, want, rtol=1e-6)
    got = relax.VirtualMachine(exe)["main"](mlc.nd.array(v)).numpy()
    np.testing.assert_allclose(got, np.maximum(np.exp(np.maximum(v, 0)), 0),
                               rtol=1e-6)


@pytest.mark.parametrize("threads", [1, 2])
def test_epilogue_in_register_blocks_with_column_remainder(threads):
    # dense + bias + relu + another elementwise op, 100 output columns
    # (32-wide blocks and a peeled 4-wide one), 37 rows (4-row blocks and a
    # remainder of one): the fill, the matmul and the epilogue share every
    # register block.
    w, bias = rand(100, 300), rand(100)
    mod = dense_bias_relu_then((37, 300), w, bias,
                               lambda bb, y: relax.op.multiply(y, y))
    vm = relax.VirtualMachine(relax.vm.build(mod, threads=threads),
                              mlc.cpu())
    data = rand(37, 300)
    ref = np.maximum(data @ w.T + bias, 0) ** 2
    np.testing.assert_allclose(vm["main"](data).numpy(), ref, rtol=1e-4,
                               atol=1e-4)


def test_strided_numpy_inputs_are_made_contiguous():
    # A transposed view goes to the compiled code as a dense copy; the
    # caller's array is left as it was.
    w = rand(16, 8)
    x = relax.Var("x", (None, 8), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            out = bb.emit_output(bb.emit(relax.op.dense(x, relax.const(w))))
        bb.emit_func_output(out)
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    base = rand(8, 5)
    data = base.T
    assert not data.flags.c_contiguous
    np.testing.assert_allclose(vm["main"](data).numpy(), data @ w.T,
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(data, base.T)


@pytest.mark.parametrize("threads", [1, 2])
def test_packed_right_panels_over_a_dynamic_batch(threads):
    # A runtime right operand with 1.25 KB rows and a dynamic number of
    # rows (counted as many): the panels are copied, row remainders and the
    # run-time thread choice included.
    x = relax.Var("x", (None, 260), relax.DynTensorType(2, "float32"))
    w = relax.Var("w", (260, 320), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, w]):
        with bb.dataflow():
            out = bb.emit_output(bb.emit(relax.op.matmul(x, w)))
        bb.emit_func_output(out)
    vm = relax.VirtualMachine(relax.vm.build(bb.get(), threads=threads),
                              mlc.cpu())
    b = rand(260, 320)
    for batch in (1, 6, 37):
        a = rand(batch, 260)
        np.testing.assert_allclose(vm["main"](a, b).numpy(), a @ b,
                                   rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("m,k,n,threads", [(37, 260, 320, 1),
                                           (20, 300, 256, 2)])
def test_matmul_with_packed_right_panels(m, k, n, threads):
    # Rows of the right operand of 1 KB or more are copied panel by panel
    # into dense buffers before the register blocks read them (remainder
    # rows, and thread chunks of two panels, included).
    A = te.placeholder((m, k), name="A")
    B = te.placeholder((k, n), name="B")
    f = mlc.build(te.create_prim_func([A, B, te_matmul(A, B)]),
                  threads=threads)
    a, b = rand(m, k), rand(k, n)
    c = mlc.nd.empty((m, n))
    f(mlc.nd.array(a), mlc.nd.array(b), c)
    np.testing.assert_allclose(c.numpy(), a @ b, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("name", ["cos", "acos", "exp", "memcpy", "malloc"])
def test_kernels_named_like_c_library_functions(name):
    # A kernel's symbol used to be its name: "cos" of f64 then captured
    # LLVM's call to libm's cos (infinite recursion), "malloc" the
    # runtime's allocation.
    A = te.placeholder((37,), name="A", dtype="float64")
    B = te.compute((37,), lambda i: te.cos(A[i]) * 2.0, name=name)
    a = rand(37, dtype="float64")
    (b,) = run([A, B], a)
    assert b.dtype == np.float64
    np.testing.assert_allclose(b, np.cos(a) * 2.0, rtol=1e-12)


def test_float64_to_float16_and_bool_constants_on_the_vm():
    # f64 -> f16 has no x86 instruction: LLVM calls libgcc's __truncdfhf2,
    # which the JIT must find. A bool constant is a blob of bytes.
    x = relax.Var("x", (5,), relax.DynTensorType(1, "float64"))
    m = relax.Var("m", (5,), relax.DynTensorType(1, "bool"))
    bb = relax.BlockBuilder()
    mask = np.array([True, False, True, True, False])
    with bb.function("main", [x, m]):
        with bb.dataflow():
            h = bb.emit_te(lambda t: te.compute(
                t.shape, lambda i: t[i].astype("float16"), name="half"), x)
            c = relax.const(mask)
            both = bb.emit_te(lambda a, b: te.compute(
                a.shape, lambda i: a[i] & b[i], name="both"), m, c)
            h, both = bb.emit_output(h), bb.emit_output(both)
        bb.emit_func_output([h, both])
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    xs = np.array([0.1, 65504.0, 1e-8, -3.3333333333, 70000.0])
    ms = np.array([True, True, False, True, True])
    h, both = vm["main"](xs, ms)
    # numpy rounds f64 -> f16 directly (no double rounding via f32).
    with np.errstate(over="ignore"):  # 70000 is inf in f16, as intended
        expected = xs.astype(np.float16)
    np.testing.assert_array_equal(h.numpy(), expected)
    assert h.numpy().dtype == np.float16
    np.testing.assert_array_equal(both.numpy(), ms & mask)
    assert both.numpy().dtype == np.bool_


# --- uint8: signless values, unsigned ops ----------------------------------

def test_uint8_operations_match_numpy_on_every_pair():
    """Every pair of uint8 values through each op te reads as unsigned
    (division, remainder, ordering, shifts, casts, max/min), against numpy's
    uint8 arithmetic."""
    a = np.repeat(np.arange(256, dtype=np.uint8), 256)
    b = np.tile(np.arange(256, dtype=np.uint8), 256)
    n = a.size
    A = te.placeholder((n,), name="A", dtype="uint8")
    B = te.placeholder((n,), name="B", dtype="uint8")
    ops = {
        "add": (lambda i: A[i] + B[i], a + b),
        "sub": (lambda i: A[i] - B[i], a - b),
        "mul": (lambda i: A[i] * B[i], a * b),
        # numpy: x // 0 == 0 and x % 0 == 0 for integers, as te gives.
        "div": (lambda i: A[i] // B[i],
                np.where(b == 0, 0, a // np.maximum(b, 1)).astype(np.uint8)),
        "rem": (lambda i: A[i] % B[i],
                np.where(b == 0, 0, a % np.maximum(b, 1)).astype(np.uint8)),
        "max": (lambda i: te.max(A[i], B[i]), np.maximum(a, b)),
        "min": (lambda i: te.min(A[i], B[i]), np.minimum(a, b)),
        "lt": (lambda i: A[i] < B[i], a < b),
        "ge": (lambda i: A[i] >= B[i], a >= b),
        "shr": (lambda i: te.right_shift(A[i], B[i] % 10),
                np.where(b % 10 >= 8, 0, a >> (b % 10 % 8)).astype(np.uint8)),
        "neg": (lambda i: -A[i], (-a.astype(np.int64)).astype(np.uint8)),
        "abs": (lambda i: te.abs(A[i]), a),
        "f32": (lambda i: te.cast(A[i], "float32"), a.astype(np.float32)),
        "i64": (lambda i: te.cast(A[i], "int64"), a.astype(np.int64)),
        "i8": (lambda i: te.cast(A[i], "int8"), a.astype(np.int8)),
        "idx": (lambda i: B[te.cast(A[i], "int32") * 256 + 1], np.full(
            n, 1, np.uint8)),
        # A uint8 index is read as 0..255 (index_castui), not -128..127.
        "uidx": (lambda i: B[A[i]], a),
    }
    outs = [te.compute((n,), f, name=k) for k, (f, _) in ops.items()]
    results = run([A, B] + outs, a, b)
    for (name, (_, want)), got in zip(ops.items(), results):
        assert got.dtype == want.dtype, name
        np.testing.assert_array_equal(got, want, err_msg=name)


def test_uint8_reductions_order_unsigned():
    x = np.array([3, 200, 0, 255, 17, 128], dtype=np.uint8)
    X = te.placeholder((6,), name="X", dtype="uint8")
    k = te.reduce_axis((0, 6), name="k")
    mx = te.compute((1,), lambda i: te.max(X[k], axis=k), name="mx")
    k2 = te.reduce_axis((0, 6), name="k2")
    mn = te.compute((1,), lambda i: te.min(X[k2], axis=k2), name="mn")
    k3 = te.reduce_axis((0, 6), name="k3")
    sm = te.compute((1,), lambda i: te.sum(te.cast(X[k3], "int64"), axis=k3),
                    name="sm")
    got_max, got_min, got_sum = run([X, mx, mn, sm], x)
    assert got_max.dtype == np.uint8 and got_max[0] == 255
    assert got_min.dtype == np.uint8 and got_min[0] == 0
    assert got_sum.dtype == np.int64 and got_sum[0] == int(x.astype(int).sum())


def test_uint8_from_float_wraps_as_torch():
    import torch
    x = np.array([-1.0, -200.5, 0.0, 1.9, 255.0, 300.0, 511.0], np.float32)
    X = te.placeholder((7,), name="X")
    Y = te.compute((7,), lambda i: te.cast(X[i], "uint8"), name="y")
    (y,) = run([X, Y], x)
    want = torch.from_numpy(x).to(torch.uint8).numpy()
    assert y.dtype == np.uint8
    np.testing.assert_array_equal(y, want)


def test_bool_reductions_are_refused():
    # Bools would order true < false and sum as xor: te asks for int8.
    X = te.placeholder((2, 3), name="X", dtype="bool")
    k = te.reduce_axis((0, 3), name="k")
    with pytest.raises(mlc.MLCError, match="compute 'mx' reduces bool "
                                           "values; reduce te.cast"):
        te.compute((2,), lambda i: te.max(X[i, k], axis=k), name="mx")
    mx = te.compute((2,), lambda i: te.max(te.cast(X[i, k], "int8"), axis=k),
                    name="mx8")
    x = np.array([[False, True, False], [False, False, False]])
    (got,) = run([X, mx], x)
    np.testing.assert_array_equal(got, x.any(axis=1).astype(np.int8))
