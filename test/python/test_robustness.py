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
                           match=r"dimension 0 of the operands' broadcast "
                                 rf"shape must agree.*\(got {rows[0]}, "
                                 rf"{rows[1]}\)"):
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
                       match=r"contracted dimensions must agree \(got 4, 6\)"):
        vm["main"](rand(3, 4), rand(6, 5))
    a, b = rand(3, 4), rand(4, 5)
    np.testing.assert_allclose(vm["main"](a, b).numpy(),
                               np.maximum(a @ b, 0), rtol=1e-5, atol=1e-6)


def test_dense_with_disagreeing_k_raises():
    mod = binary_module(relax.op.dense, (None, None), (7, None))
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    with pytest.raises(mlc.MLCError, match=r"K\) \(got 4, 5\)"):
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
    with pytest.raises(RuntimeError, match=r"must agree.*\(got 3, 5\)"):
        lib["main"](rand(3, 4), rand(5, 4))
    a, b = rand(2, 4), rand(2, 4)
    (out,) = lib["main"](a, b)
    np.testing.assert_allclose(out, np.maximum(a + b, 0), rtol=1e-6)
