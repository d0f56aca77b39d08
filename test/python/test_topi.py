"""topi: the te definitions of the high-level ops, and their shape rules."""

import pytest

import mlc
from mlc import te, topi

from irchecks import check_in_order


def script(*tensors):
    return te.create_prim_func(list(tensors)).script()


def test_dense_reduces_over_the_last_dimension():
    x = te.placeholder((2, 8), name="x")
    w = te.placeholder((3, 8), name="w")
    y = topi.nn.dense(x, w)
    assert y.shape == [2, 3]
    check_in_order(script(x, w, y), [
        r"tir\.compute \"T_dense\" \(%i, %j\) reduce sum \(%k : 8\) : "
        r"tensor<2x3xf32>",
        r"tir\.read %x\[%i, %k\]",
        r"tir\.read %w\[%j, %k\]",
        r"arith\.mulf",
    ])


def test_broadcast_add_reads_size_one_dimensions_at_zero():
    a = te.placeholder((4, 1), name="a")
    b = te.placeholder((3,), name="b")
    c = topi.add(a, b)
    assert c.shape == [4, 3]
    check_in_order(script(a, b, c), [
        r"tir\.compute \"T_add\" \(%i, %j\) : tensor<4x3xf32>",
        r"tir\.read %a\[%i, %c0\]",
        r"tir\.read %b\[%j\]",
        r"arith\.addf",
    ])


@pytest.mark.parametrize("fn,op", [(topi.subtract, "subf"),
                                   (topi.multiply, "mulf"),
                                   (topi.divide, "divf")])
def test_other_broadcast_ops(fn, op):
    a = te.placeholder((2, 3), name="a")
    b = te.placeholder((2, 3), name="b")
    check_in_order(script(a, b, fn(a, b)), [r"arith\." + op])


def test_matmul_batches_and_vectors():
    a = te.placeholder((5, 1, 2, 3), name="a")
    b = te.placeholder((4, 3, 7), name="b")
    assert topi.matmul(a, b).shape == [5, 4, 2, 7]
    v = te.placeholder((3,), name="v")
    assert topi.matmul(v, b).shape == [4, 7]
    assert topi.matmul(a, v).shape == [5, 1, 2]
    m = topi.matmul(a, b)
    check_in_order(script(a, b, m), [
        r"reduce sum \(%k : 3\) : tensor<5x4x2x7xf32>",
        r"tir\.read %a\[%i, %c0, %l, %k\]",
        r"tir\.read %b\[%j, %k, %m\]",
    ])


def test_relu_keeps_the_shape():
    x = te.placeholder((2, 3, 4), name="x")
    y = topi.nn.relu(x)
    assert y.shape == [2, 3, 4]
    check_in_order(script(x, y), [r"arith\.maximumf"])


def test_shape_errors():
    with pytest.raises(mlc.MLCError, match=r"shapes \(4, 2\) and \(3\) do "
                                           r"not broadcast"):
        topi.add(te.placeholder((4, 2)), te.placeholder((3,)))
    with pytest.raises(mlc.MLCError, match="data has K = 8 but weight has "
                                           "K = 9"):
        topi.nn.dense(te.placeholder((2, 8)), te.placeholder((3, 9)))
    with pytest.raises(mlc.MLCError, match="contracted dimensions differ"):
        topi.matmul(te.placeholder((2, 8)), te.placeholder((7, 3)))
    with pytest.raises(mlc.MLCError, match="dtypes differ"):
        topi.add(te.placeholder((2,)), te.placeholder((2,), dtype="int32"))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("ceil_mode,count_include_pad,padding", [
    (True, True, 0), (True, True, 1), (True, False, 1), (False, True, 1),
    (False, False, 0)])
def test_avg_pool2d_matches_torch(dtype, ceil_mode, count_include_pad,
                                  padding):
    # 7x5 in windows of 2 (stride 2): with ceil_mode the last window runs
    # past the input, and torch divides by the cells inside input +
    # padding (not by 4) when it counts the padding.
    import numpy as np
    import torch
    import torch.nn.functional as F
    X = te.placeholder((2, 3, 7, 5), name="X", dtype=dtype)
    Y = topi.nn.avg_pool2d(X, 2, 2, padding, ceil_mode, count_include_pad)
    x = np.random.default_rng(4).standard_normal((2, 3, 7, 5)).astype(dtype)
    f = mlc.build(te.create_prim_func([X, Y]))
    y = mlc.nd.empty(Y.shape, dtype)
    f(mlc.nd.array(x), y)
    want = F.avg_pool2d(torch.from_numpy(x), 2, 2, padding, ceil_mode,
                        count_include_pad).numpy()
    assert y.numpy().dtype == want.dtype and y.numpy().shape == want.shape
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-6)


@pytest.mark.parametrize("pool", ["max_pool2d", "avg_pool2d"])
@pytest.mark.parametrize("kwargs,message", [
    ({"stride": 0}, "must be >= 1"), ({"padding": -1}, "padding >= 0"),
    ({"padding": 2}, "more than half"), ({"kernel": 9}, "does not fit")])
def test_pooling_arguments_are_checked(pool, kwargs, message):
    # What torch refuses is an error, not a division by zero or a window
    # outside the input.
    X = te.placeholder((1, 1, 4, 4), name="X")
    args = {"kernel": 2, **kwargs}
    with pytest.raises(mlc.MLCError, match=message):
        getattr(topi.nn, pool)(X, **args)
