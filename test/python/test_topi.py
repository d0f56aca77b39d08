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
