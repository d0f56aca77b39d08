"""te: expressions, reductions, symbolic sizes, guarded reads, misuse."""

import pytest

import mlc
from mlc import te

from irchecks import check_in_order, check_not


def script(*tensors, name="main"):
    return te.create_prim_func(list(tensors), name=name).script()


def test_symbolic_size_is_a_dynamic_dimension():
    n = te.var("n")
    A = te.placeholder((n, 4), name="A")
    assert A.shape[0] is n
    assert A.shape[1] == 4
    B = te.compute(A.shape, lambda i, j: A[i, j] * 2.0, name="double")
    text = script(A, B)
    check_in_order(text, [
        r"tir\.func @main\(%A: tensor<\?x4xf32>, %double_out: "
        r"tensor<\?x4xf32> \{tir\.output\}\) -> tensor<\?x4xf32>",
        r"(%\w+) = tensor\.dim %A, %c0",
        r"tir\.compute \"double\" \(%i, %j\) sizes\(%\w+\) : "
        r"tensor<\?x4xf32>",
        r"arith\.mulf",
    ])


def test_symbolic_reduction_extent():
    n = te.var("n")
    A = te.placeholder((3, n), name="A")
    k = te.reduce_axis((0, n), name="k")
    S = te.compute((3,), lambda i: te.sum(A[i, k], axis=k), name="rowsum")
    check_in_order(script(A, S), [
        r"(%\w+) = tensor\.dim %A, %c1",
        r"reduce sum \(%k : %\w+\) : tensor<3xf32>",
    ])


@pytest.mark.parametrize("reducer,kind", [
    (te.sum, "sum"), (te.max, "max"), (te.min, "min"), (te.prod, "prod")])
def test_reductions(reducer, kind):
    A = te.placeholder((4, 5, 6), name="A")
    k = te.reduce_axis((0, 5), name="k")
    r = te.reduce_axis((0, 6), name="r")
    R = te.compute((4,), lambda i: reducer(A[i, k, r], axis=[k, r]),
                   name="red")
    check_in_order(script(A, R), [
        r"reduce " + kind + r" \(%k : 5, %k1 : 6\) : tensor<4xf32>",
        r"tir\.read %A\[%i, %k, %k1\]",
    ])


def test_reduction_axes_follow_the_listed_order():
    A = te.placeholder((5, 6), name="A")
    k = te.reduce_axis((0, 5), name="k")
    r = te.reduce_axis((0, 6), name="r")
    # k is used first but r is listed first: the body's arguments follow
    # the list, so the extents print in that order.
    R = te.compute((), lambda: te.sum(A[k, r], axis=[r, k]), name="total")
    check_in_order(script(A, R), [
        r"reduce sum \(%k : 6, %k1 : 5\)",
        r"tir\.read %A\[%k1, %k\]",
    ])


def test_reduce_axis_with_offset():
    A = te.placeholder((10,), name="A")
    k = te.reduce_axis((2, 7), name="k")
    S = te.compute((1,), lambda i: te.sum(A[k], axis=k), name="s")
    check_in_order(script(A, S), [
        r"reduce sum \(%k : 5\)",
        r"arith\.constant 2 : index",
        r"arith\.addi %k, %c2",
    ])


def test_if_then_else_guards_reads_with_scf_if():
    A = te.placeholder((10,), name="A")
    P = te.compute(
        (12,),
        lambda i: te.if_then_else(te.all(i >= 1, i < 11), A[i - 1], 0.0),
        name="pad")
    text = script(A, P)
    check_in_order(text, [
        r"arith\.cmpi sge",
        r"arith\.cmpi slt",
        r"arith\.andi",
        r"scf\.if %\w+ -> \(f32\) \{",
        r"arith\.subi %i",
        r"tir\.read %A\[%\w+\]",
        r"scf\.yield",
        r"\} else \{",
        r"scf\.yield",
    ])
    # The read exists only inside the guarded branch.
    assert text.count("tir.read") == 1


def test_if_then_else_without_reads_is_a_select():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: te.if_then_else(i < 4, 1.0, 2.0) + A[i],
                   name="b")
    text = script(A, B)
    check_in_order(text, [r"arith\.select", r"arith\.addf"])
    check_not(text, r"scf\.if")


def test_math_casts_and_operators():
    A = te.placeholder((8,), name="A")
    I = te.placeholder((8,), name="I", dtype="int32")
    B = te.compute((8,), lambda i: te.exp(A[i]) + te.log(A[i]) +
                   te.sqrt(A[i]) + te.tanh(A[i]) + te.sigmoid(A[i]) +
                   te.erf(A[i]) + te.power(A[i], 2.0) + te.abs(-A[i]) +
                   te.floor(A[i] / 3.0) + te.cast(I[i] % 3, "float32"),
                   name="mix")
    check_in_order(script(A, I, B), [
        r"math\.exp", r"math\.log", r"math\.sqrt", r"math\.tanh",
        r"math\.exp", r"arith\.divf",  # sigmoid
        r"math\.erf", r"math\.powf", r"arith\.negf", r"math\.absf",
        r"arith\.divf", r"math\.floor", r"arith\.remsi", r"arith\.sitofp",
    ])


def test_comparisons_and_logic_on_integers():
    I = te.placeholder((8,), name="I", dtype="int64")
    B = te.compute((8,), lambda i: te.cast(
        te.any(I[i] == 3, ~(I[i] > 5)) & (I[i] != 0), "int32"), name="b")
    check_in_order(script(I, B), [
        r"arith\.cmpi eq", r"arith\.cmpi sgt", r"arith\.xori", r"arith\.ori",
        r"arith\.cmpi ne", r"arith\.andi", r"arith\.extui",
    ])


def test_data_dependent_index_gather():
    T = te.placeholder((10,), name="T")
    idx = te.placeholder((4,), name="idx", dtype="int64")
    G = te.compute((4,), lambda i: T[idx[i]], name="gather")
    check_in_order(script(T, idx, G), [
        r"tir\.read %idx\[%i\] : tensor<4xi64>",
        r"arith\.index_cast %\w+ : i64 to index",
        r"tir\.read %T\[%\w+\]",
    ])


def test_dtypes():
    for dtype, mlir in [("float64", "f64"), ("int32", "i32"),
                        ("int64", "i64"), ("bool", "i1")]:
        A = te.placeholder((3,), name="A", dtype=dtype)
        B = te.compute((3,), lambda i: A[i], name="copy")
        assert B.dtype == dtype
        check_in_order(script(A, B), [r"tensor<3x" + mlir + ">"])


# --- misuse ---------------------------------------------------------------

def test_index_count_must_match_rank():
    A = te.placeholder((4, 4), name="A")
    with pytest.raises(mlc.MLCError,
                       match="tensor 'A' has rank 2 but is indexed with 1"):
        te.compute((4,), lambda i: A[i], name="bad")


def test_lambda_arity_must_match_rank():
    A = te.placeholder((4, 4), name="A")
    with pytest.raises(mlc.MLCError, match="takes 1 indices but the shape "
                                           "has rank 2"):
        te.compute((4, 4), lambda i: A[i, i], name="bad")


def test_indexing_outside_compute():
    A = te.placeholder((4,), name="A")
    with pytest.raises(mlc.MLCError, match="can only be indexed inside"):
        A[0]


def test_reduction_must_be_whole_body():
    A = te.placeholder((4,), name="A")
    k = te.reduce_axis((0, 4), name="k")
    with pytest.raises(mlc.MLCError, match="must be the whole body"):
        te.compute((1,), lambda i: te.sum(A[k], axis=k) * 2.0, name="bad")


def test_reduce_axis_used_without_reduction():
    A = te.placeholder((4,), name="A")
    k = te.reduce_axis((0, 4), name="k")
    with pytest.raises(mlc.MLCError, match="uses reduce axis 'k'"):
        te.compute((1,), lambda i: A[k], name="bad")


def test_reduce_axis_outside_compute():
    k = te.reduce_axis((0, 4), name="k")
    with pytest.raises(mlc.MLCError, match="used outside the body"):
        k + 1


def test_type_mismatch_needs_cast():
    A = te.placeholder((4,), name="A")
    I = te.placeholder((4,), name="I", dtype="int32")
    with pytest.raises(mlc.MLCError, match="different types: float32 and "
                                           "int32"):
        te.compute((4,), lambda i: A[i] + I[i], name="bad")


def test_float_index_rejected():
    A = te.placeholder((4,), name="A")
    with pytest.raises(mlc.MLCError, match="index must be an integer"):
        te.compute((4,), lambda i: A[A[i]], name="bad")


def test_index_of_another_compute():
    A = te.placeholder((4,), name="A")
    saved = []
    te.compute((4,), lambda i: saved.append(i) or A[i], name="first")
    with pytest.raises(mlc.MLCError, match="another te.compute"):
        te.compute((4,), lambda j: A[saved[0]], name="second")


def test_nested_compute_rejected():
    A = te.placeholder((4,), name="A")
    with pytest.raises(mlc.MLCError, match="cannot be called inside"):
        te.compute((4,), lambda i: te.compute((4,), lambda j: A[j])[i],
                   name="outer")


def test_python_errors_in_fcompute_propagate_and_leave_te_usable():
    A = te.placeholder((4,), name="A")
    with pytest.raises(ZeroDivisionError):
        te.compute((4,), lambda i: A[i] + 1 / 0, name="bad")
    B = te.compute((4,), lambda i: A[i] + 1.0, name="ok")
    check_in_order(script(A, B), [r"arith\.addf"])


def test_unlisted_placeholder():
    A = te.placeholder((4,), name="A")
    B = te.placeholder((4,), name="B")
    C = te.compute((4,), lambda i: A[i] + B[i], name="c")
    with pytest.raises(mlc.MLCError, match="placeholder 'B' is read but not "
                                           "listed"):
        te.create_prim_func([A, C])


def test_symbolic_size_not_carried_by_an_input():
    n = te.var("n")
    A = te.placeholder((4,), name="A")
    B = te.compute((n,), lambda i: A[0], name="b")
    with pytest.raises(mlc.MLCError, match="symbolic size 'n' is not a "
                                           "dimension of any listed"):
        te.create_prim_func([A, B])


def test_create_prim_func_needs_tensors():
    with pytest.raises(TypeError, match="not a te.Tensor"):
        te.create_prim_func([1])
    A = te.placeholder((4,), name="A")
    with pytest.raises(mlc.MLCError, match="none of the listed tensors is "
                                           "computed"):
        te.create_prim_func([A])


def test_unknown_dtype():
    with pytest.raises(mlc.MLCError, match="unknown dtype 'float8'"):
        te.placeholder((4,), dtype="float8")


def test_symbolic_condition_has_no_truth_value():
    n, m = te.var("n"), te.var("m")
    assert bool(n == n)
    with pytest.raises(TypeError, match="no truth value"):
        bool(n == m)


def test_select_evaluates_both_sides_once():
    # Twelve chained choices over one read: if_then_else would guard each
    # side (both read A) and clone the chain into every branch.
    A = te.placeholder((8,), name="A", dtype="float64")

    def body(i):
        v = A[i]
        for k in range(12):
            v = te.select(v > float(k), v - 0.5, v + 0.25)
        return te.fma(v, v, 1.0)
    B = te.compute((8,), body, name="B")
    text = script(A, B)
    assert text.count("arith.select") == 12 and "scf.if" not in text
    assert text.count("math.fma") == 1
    import numpy as np
    a = np.linspace(-3, 20, 8)
    b = mlc.nd.empty((8,), "float64")
    mlc.build(te.create_prim_func([A, B]))(mlc.nd.array(a), b)
    expected = a.copy()
    for k in range(12):
        expected = np.where(expected > k, expected - 0.5, expected + 0.25)
    np.testing.assert_allclose(b.numpy(), expected * expected + 1.0,
                               rtol=1e-15)
