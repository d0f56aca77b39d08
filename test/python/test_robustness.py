"""Bad input and awkward processes get an error or the right answer, never a
crash, a hang or a wrong result (issue 12)."""

import multiprocessing
import os

import numpy as np
import pytest

import mlc
from mlc import relax


def relu_module(shape):
    x = relax.Var("x", shape, relax.DynTensorType(len(shape), "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            out = bb.emit_output(bb.emit(relax.op.relu(x)))
        bb.emit_func_output(out)
    return bb.get()


def build_and_run_in_child(queue):
    vm = relax.VirtualMachine(relax.vm.build(relu_module((2, 3))), mlc.cpu())
    x = np.arange(-3, 3, dtype="float32").reshape(2, 3)
    queue.put(vm["main"](x).numpy().tolist())


def test_build_in_forked_child():
    # Building after fork() hung for ever: the context's thread pool had no
    # workers in the child. Build once in the parent first, so the pool's
    # threads exist before the fork.
    relax.vm.build(relu_module((4,)))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=build_and_run_in_child, args=(queue,))
    child.start()
    child.join(timeout=120)
    if child.is_alive():
        child.kill()
        pytest.fail("building in a forked child hung")
    assert child.exitcode == 0
    assert queue.get(timeout=5) == [[0, 0, 0], [0, 1, 2]]


def test_big_endian_input_is_refused():
    vm = relax.VirtualMachine(relax.vm.build(relu_module((2, 2))), mlc.cpu())
    x = np.array([[1, -2], [3, -4]], dtype=">f4")
    with pytest.raises(mlc.MLCError, match=r"dtype >f4 \(big-endian\)"):
        vm["main"](x)
    # The same values in the host's order run.
    np.testing.assert_array_equal(vm["main"](x.astype("<f4")).numpy(),
                                  [[1, 0], [3, 0]])


def binary_module(op, a_shape, b_shape):
    a = relax.Var("a", a_shape, relax.DynTensorType(len(a_shape), "float32"))
    b = relax.Var("b", b_shape, relax.DynTensorType(len(b_shape), "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[a, b]):
        with bb.dataflow():
            y = bb.emit(op(a, b))
            out = bb.emit_output(bb.emit(relax.op.relu(y)))
        bb.emit_func_output(out)
    return bb.get()


def rand(*shape):
    return np.random.default_rng(sum(shape)).standard_normal(shape).astype(
        "float32")


@pytest.mark.parametrize("fuse", [True, False])
def test_dynamic_sizes_that_disagree_raise(fuse):
    # (3,4)+(5,4) returned (3,4), (5,4)+(3,4) read out of bounds: dynamic
    # sizes were assumed equal and never checked.
    mod = binary_module(relax.op.add, (None, 4), (None, 4))
    vm = relax.VirtualMachine(relax.vm.build(mod, fuse=fuse), mlc.cpu())
    for rows in [(3, 5), (5, 3)]:
        with pytest.raises(mlc.MLCError,
                           match=r"'x0' and 'x1' must have the same size in "
                                 r"dimension 0 of their broadcast shape.*"
                                 rf"\(got {rows[0]}, {rows[1]}\)"):
            vm["main"](rand(rows[0], 4), rand(rows[1], 4))
    # Sizes that agree give torch's answer.
    a, b = rand(5, 4), rand(5, 4)
    np.testing.assert_allclose(vm["main"](a, b).numpy(),
                               np.maximum(a + b, 0), rtol=1e-6)


def test_dynamic_size_one_is_not_stretched():
    # A dynamic size of 1 would broadcast in torch; mlc's kernels do not
    # stretch dynamic sizes, so it is refused rather than misread.
    mod = binary_module(relax.op.add, (None, 4), (None, 4))
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    with pytest.raises(mlc.MLCError, match=r"\(got 3, 1\)"):
        vm["main"](rand(3, 4), rand(1, 4))


def test_matmul_with_disagreeing_contraction_raises():
    mod = binary_module(relax.op.matmul, (None, None), (None, None))
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    with pytest.raises(mlc.MLCError,
                       match=r"contracted dimensions of 'x0' and 'x1' must "
                             r"agree \(got 4, 6\)"):
        vm["main"](rand(3, 4), rand(6, 5))
    a, b = rand(3, 4), rand(4, 5)
    np.testing.assert_allclose(vm["main"](a, b).numpy(),
                               np.maximum(a @ b, 0), rtol=1e-5, atol=1e-6)


def test_dense_with_disagreeing_k_raises():
    mod = binary_module(relax.op.dense, (None, None), (7, None))
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    with pytest.raises(mlc.MLCError,
                       match=r"the last dimension of 'x0' must equal dimension "
                             r"1 \(K\) of the weight 'x1' \(got 4, 5\)"):
        vm["main"](rand(3, 4), rand(7, 5))


def test_shared_symbolic_size_is_checked():
    from mlc import te
    n = te.var("n")
    A = te.placeholder((n, 4), name="A")
    B = te.placeholder((n, 4), name="B")
    C = te.compute((n, 4), lambda i, j: A[i, j] + B[i, j], name="C")
    f = mlc.build(te.create_prim_func([A, B, C]))
    a, b = rand(3, 4), rand(5, 4)
    out = mlc.nd.empty((3, 4), "float32")
    with pytest.raises(mlc.MLCError,
                       match=r"argument 'B' must have size 'n' in dimension "
                             r"0.*\(got 5, 3\)"):
        f(mlc.nd.array(a), mlc.nd.array(b), out)
    f(mlc.nd.array(a), mlc.nd.array(a), out)
    np.testing.assert_allclose(out.numpy(), a + a)


def test_exported_library_raises_too(tmp_path):
    from mlc.runtime.loader import load
    mod = binary_module(relax.op.add, (None, 4), (None, 4))
    path = str(tmp_path / "add.so")
    relax.vm.build(mod).export_library(path)
    lib = load(path)
    with pytest.raises(RuntimeError,
                       match=r"must have the same size.*\(got 3, 5\)"):
        lib["main"](rand(3, 4), rand(5, 4))
    a, b = rand(2, 4), rand(2, 4)
    (out,) = lib["main"](a, b)
    np.testing.assert_allclose(out, np.maximum(a + b, 0), rtol=1e-6)


def wrap32(v):
    return (v + 2**31) % 2**32 - 2**31


def reference_division(kind, a, b):
    """numpy's rule for integer division by zero (quotient and remainder
    0), and INT_MIN / -1 wrapping, computed with Python's exact integers."""
    if b == 0:
        return 0
    if kind == "floordiv":
        return wrap32(a // b)
    quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    return wrap32(quotient) if kind == "div" else a - b * quotient


@pytest.mark.parametrize("kind", ["div", "floordiv", "rem"])
def test_integer_division_never_traps(kind):
    # `//` by zero gave garbage or SIGFPE; INT_MIN / -1 traps on x86.
    from mlc import te
    A = te.placeholder((6,), "int32", name="A")
    B = te.placeholder((6,), "int32", name="B")
    ops = {"div": lambda x, y: x / y, "floordiv": lambda x, y: x // y,
           "rem": lambda x, y: x % y}
    C = te.compute((6,), lambda i: ops[kind](A[i], B[i]), name="C")
    f = mlc.build(te.create_prim_func([A, B, C]))
    a = np.array([7, -7, 5, -2**31, -2**31, 9], "int32")
    b = np.array([0, 2, -1, -1, 0, -4], "int32")
    out = mlc.nd.empty((6,), "int32")
    f(mlc.nd.array(a), mlc.nd.array(b), out)
    expected = [reference_division(kind, int(x), int(y)) for x, y in zip(a, b)]
    assert out.numpy().dtype == np.int32
    assert out.numpy().tolist() == expected


def te_build_error(make):
    from mlc import te
    A = te.placeholder((4,), name="A")
    B = make(te, A)
    with pytest.raises(mlc.MLCError) as info:
        mlc.build(te.create_prim_func([A, B]))
    return str(info.value)


def test_te_read_past_the_end_is_a_build_error():
    # te programs read out of bounds silently (issue 12).
    message = te_build_error(lambda te, A: te.compute(
        (4,), lambda i: A[i + 1], name="shift"))
    assert "compute 'shift' reads 'A' out of bounds in dimension 0" in message
    assert "1 4 4" in message  # indices 1..4 of a size-4 dimension


def test_te_constant_index_out_of_range_is_a_build_error():
    message = te_build_error(lambda te, A: te.compute(
        (2,), lambda i: A[7], name="seven"))
    assert "reads 'A' out of bounds in dimension 0" in message
    assert "7 7 4" in message


def test_te_negative_reduce_axis_is_a_build_error():
    def make(te, A):
        k = te.reduce_axis((-3, 2), name="k")
        return te.compute((1,), lambda i: te.sum(A[k], axis=k), name="s")
    message = te_build_error(make)
    assert "reads 'A' out of bounds" in message and "-3 1 4" in message


def test_te_dynamic_read_out_of_bounds_raises_at_call():
    from mlc import te
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n - 1,), lambda i: A[i + 1] - A[i], name="diff")
    f = mlc.build(te.create_prim_func([A, B]))
    a = rand(5)
    out = mlc.nd.empty((4,), "float32")
    f(mlc.nd.array(a), out)  # in bounds: indices 0..4 of 5
    np.testing.assert_allclose(out.numpy(), np.diff(a), rtol=1e-6)
    C = te.compute((n,), lambda i: A[i + 1], name="past")
    g = mlc.build(te.create_prim_func([A, C]))
    with pytest.raises(mlc.MLCError,
                       match=r"compute 'past' reads 'A' out of bounds in "
                             r"dimension 0.*\(got 1, 5, 5\)"):
        g(mlc.nd.array(a), mlc.nd.empty((5,), "float32"))


def test_te_padding_reads_stay_right():
    # A guarded read (if_then_else) is clamped, not refused: padding gives
    # numpy's zero padding.
    from mlc import te
    A = te.placeholder((4,), name="A")
    P = te.compute((6,), lambda i: te.if_then_else(
        te.all(i >= 1, i < 5), A[i - 1], 0.0), name="pad")
    f = mlc.build(te.create_prim_func([A, P]))
    a = rand(4)
    out = mlc.nd.empty((6,), "float32")
    f(mlc.nd.array(a), out)
    np.testing.assert_array_equal(out.numpy(), np.pad(a, 1))


def test_huge_temporary_is_an_error_not_a_crash():
    # malloc's NULL was unchecked in generated code: a 4 TiB temporary
    # segfaulted.
    from mlc import te
    A = te.placeholder((1,), name="A")
    C = te.compute((2**40,), lambda i: A[0] + 1.0, name="C")
    D = te.compute((1,), lambda i: C[i] * 2.0, name="D")
    f = mlc.build(te.create_prim_func([A, D]))
    with pytest.raises(mlc.MLCError,
                       match=r"out of memory: cannot allocate \d+ bytes"):
        f(mlc.nd.array(np.ones(1, "float32")), mlc.nd.empty((1,), "float32"))


def test_byte_size_that_wraps_is_refused_at_build():
    # 2^62 x 8 float32 is 2^67 bytes: the size arithmetic wrapped to a few
    # bytes and the compute wrote past them.
    from mlc import te
    A = te.placeholder((1,), name="A")
    W = te.compute((2**62, 8), lambda i, j: A[0], name="W")
    E = te.compute((1,), lambda i: W[i, 0], name="E")
    with pytest.raises(mlc.MLCError,
                       match=r"'tir.compute' at loc\(\"W\"\) makes a "
                             r"tensor<4611686018427387904x8xf32> of 2\^63 "
                             r"bytes or more"):
        mlc.build(te.create_prim_func([A, E]))


def test_failed_topi_call_leaves_no_requirement_behind():
    # broadcastShape recorded the requirement of a dynamic dimension, then
    # failed on a static one; the requirement attached to the next compute,
    # whose function then named sizes it does not have.
    from mlc import te, topi
    n, m = te.var("n"), te.var("m")
    A = te.placeholder((n, 3), name="A")
    B = te.placeholder((m, 4), name="B")
    with pytest.raises(mlc.MLCError, match="do not broadcast"):
        topi.add(A, B)
    X = te.placeholder((4,), name="X")
    Y = te.compute((4,), lambda i: X[i] * 2.0, name="Y")
    f = mlc.build(te.create_prim_func([X, Y]))
    x = rand(4)
    out = mlc.nd.empty((4,), "float32")
    f(mlc.nd.array(x), out)
    np.testing.assert_allclose(out.numpy(), x * 2)
