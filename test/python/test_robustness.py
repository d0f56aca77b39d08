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
