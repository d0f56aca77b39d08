"""relax.BlockBuilder: emit, emit_te, dataflow, high-level ops, constants,
and every misuse the chapter's API allows."""

import re

import numpy as np
import pytest

import mlc
from mlc import relax, te, topi
from mlc.ir import IRModule

from irchecks import check_in_order, check_not, function_body


def var(name, shape, dtype="float32"):
    return relax.Var(name, shape, relax.DynTensorType(len(shape), dtype))


def te_relu(A):
    return te.compute(A.shape, lambda *i: te.max(A(*i), 0), name="relu")


def test_high_level_ops_and_constants():
    x = var("x", (1, 784))
    w = relax.const(np.random.rand(128, 784).astype("float32"),
                    relax.DynTensorType(2, "float32"))
    b = relax.const(np.arange(128, dtype="float32"),
                    relax.DynTensorType(1, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            y = bb.emit(relax.op.dense(x, w))
            z = bb.emit(relax.op.add(y, b))
            r = bb.emit(relax.op.relu(z))
            out = bb.emit_output(r)
        bb.emit_func_output(out)
    module = bb.get()
    assert y.shape == (1, 128) and type(y) is relax.DataflowVar
    shown = module.script()
    check_in_order(shown, [
        r"func\.func @main\((%\w+): tensor<1x784xf32>\) -> tensor<1x128xf32>",
        r"relax\.const dense_resource<const\d+> : tensor<128x784xf32>",
        r"relax\.const dense_resource<const\d+> : tensor<128xf32>",
        r"relax\.dense %\w+, %\w+ : tensor<1x784xf32>, tensor<128x784xf32> "
        r"-> tensor<1x128xf32>",
        r"relax\.add %\w+, %\w+ : tensor<1x128xf32>, tensor<128xf32> -> "
        r"tensor<1x128xf32>",
        r"relax\.relu",
    ])
    # show() elides the weight blobs; str() keeps them, and parses back.
    assert len(shown) < 4000
    full = str(module)
    assert len(full) > 128 * 784 * 8
    again = IRModule.from_text(full)
    # Parsing in the same context renames the blobs (the originals are
    # alive): compare up to the blob keys.
    def unkeyed(text):
        return re.sub(r"\bconst\d+(_\d+)?\b", "KEY", text)
    assert unkeyed(str(again)) == unkeyed(full)


def test_small_constants_print_inline():
    x = var("x", (3,))
    c = relax.const(np.array([1.0, 2.0, 3.0], dtype="float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        y = bb.emit(relax.op.multiply(x, c))
        bb.emit_func_output(y)
    check_in_order(bb.get().script(), [
        r"relax\.const dense<\[1\.0+e\+00, 2\.0+e\+00, 3\.0+e\+00\]> : "
        r"tensor<3xf32>",
        r"relax\.multiply",
    ])


def test_emit_te_with_topi_and_unique_names():
    x = var("x", (2, 4))
    w = var("w", (3, 4))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, w]):
        with bb.dataflow():
            a = bb.emit_te(topi.nn.dense, x, w)
            b = bb.emit_te(te_relu, a)
            c = bb.emit_te(te_relu, b)
            out = bb.emit_output(c)
        bb.emit_func_output(out)
    module = bb.get()
    assert module.function_names() == ["dense", "te_relu", "te_relu1", "main"]
    check_in_order(function_body(str(module), "main"), [
        r"relax\.call_tir @dense\(",
        r"relax\.call_tir @te_relu\(",
        r"relax\.call_tir @te_relu1\(",
    ])


def test_emit_te_passes_plain_arguments_through():
    x = var("x", (4,))

    def scale(A, factor):
        return te.compute(A.shape, lambda i: A[i] * factor, name="scale")

    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        y = bb.emit_te(scale, x, 3.0)
        bb.emit_func_output(y)
    check_in_order(str(bb.get()), [r"arith\.constant 3\.0+e\+00 : f32",
                                   r"arith\.mulf"])


def test_dynamic_shapes_flow_into_te():
    x = relax.Var("x", None, relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        y = bb.emit_te(te_relu, x)
        bb.emit_func_output(y)
    text = str(bb.get())
    check_in_order(text, [
        r"tir\.func @te_relu\(%x: tensor<\?x\?xf32>",
        r"tensor\.dim %x, %c0",
        r"tensor\.dim %x, %c1",
        r"tir\.compute \"relu\" \(%i, %j\) sizes\(",
        r"func\.func @main\(%\w+: tensor<\?x\?xf32>\) -> tensor<\?x\?xf32>",
    ])


def test_emit_outside_dataflow_and_several_outputs():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        a = bb.emit(relax.op.relu(x))
        b = bb.emit(relax.op.add(a, x))
        assert type(a) is relax.Var
        bb.emit_func_output([a, b])
    check_in_order(str(bb.get()), [
        r"func\.func @main\(%\w+: tensor<4xf32>\) -> \(tensor<4xf32>, "
        r"tensor<4xf32>\)",
        r"relax\.relu", r"relax\.add", r"return %\w+, %\w+",
    ])
    check_not(str(bb.get()), "relax.dataflow")


def test_two_functions_in_one_module():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    for name in ["f", "g"]:
        with bb.function(name, params=[x]):
            bb.emit_func_output(bb.emit(relax.op.relu(x)))
    assert bb.get().function_names() == ["f", "g"]


# --- misuse ---------------------------------------------------------------

def test_emit_outside_function():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="outside a function scope"):
        bb.emit(relax.op.relu(x))
    with pytest.raises(mlc.MLCError, match="outside a function scope"):
        bb.emit_te(te_relu, x)


def test_emit_func_output_twice():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="emit_func_output called twice"):
        with bb.function("main", params=[x]):
            y = bb.emit(relax.op.relu(x))
            bb.emit_func_output(y)
            bb.emit_func_output(y)
    # The failed function is dropped; the builder stays usable.
    with bb.function("main", params=[x]):
        bb.emit_func_output(bb.emit(relax.op.relu(x)))
    assert bb.get().function_names() == ["main"]


def test_missing_emit_func_output():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="ended without emit_func_output"):
        with bb.function("main", params=[x]):
            bb.emit(relax.op.relu(x))


def test_var_from_another_function():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with bb.function("f", params=[x]):
        y = bb.emit(relax.op.relu(x))
        bb.emit_func_output(y)
    with pytest.raises(mlc.MLCError, match="belongs to another function"):
        with bb.function("g", params=[x]):
            bb.emit(relax.op.relu(y))


def test_dataflow_var_used_after_its_block():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="not visible outside its dataflow "
                                           "block"):
        with bb.function("main", params=[x]):
            with bb.dataflow():
                lv = bb.emit(relax.op.relu(x))
                bb.emit_output(lv)
            bb.emit_func_output(lv)


def test_output_of_open_block_used_inside_it():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="still open"):
        with bb.function("main", params=[x]):
            with bb.dataflow():
                gv = bb.emit_output(bb.emit(relax.op.relu(x)))
                bb.emit(relax.op.relu(gv))


def test_non_tensor_argument_to_emit_te():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with pytest.raises(TypeError, match="argument #0 is a ndarray"):
            bb.emit_te(te_relu, np.zeros(4, dtype="float32"))
        with pytest.raises(TypeError, match="needs at least one relax value"):
            bb.emit_te(te_relu, 3)
        with pytest.raises(TypeError, match="returned a int, not a "
                                            "te.Tensor"):
            bb.emit_te(lambda A: 1, x)
        bb.emit_func_output(x)


def test_unlisted_parameter():
    x, y = var("x", (4,)), var("y", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="variable 'y' is used in function "
                                           "'main' but is not in its params"):
        with bb.function("main"):
            z = bb.emit(relax.op.add(x, y))
            bb.emit_func_output(z, params=[x])
    with pytest.raises(mlc.MLCError, match="is not one of its parameters"):
        with bb.function("main", params=[x]):
            bb.emit(relax.op.add(x, y))


def test_shape_errors_carry_the_diagnostic():
    a, b = var("a", (3, 4)), var("b", (5,))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[a, b]):
        with pytest.raises(mlc.MLCError,
                           match=r"'relax.add' op shapes 'tensor<3x4xf32>' "
                                 r"and 'tensor<5xf32>' are not "
                                 r"broadcast-compatible"):
            bb.emit(relax.op.add(a, b))
        with pytest.raises(mlc.MLCError, match="contracted dimensions differ"):
            bb.emit(relax.op.matmul(a, a))
        bb.emit_func_output(a)


def test_emit_func_output_inside_dataflow():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with pytest.raises(mlc.MLCError, match="inside a dataflow block"):
        with bb.function("main", params=[x]):
            with bb.dataflow():
                bb.emit_func_output(bb.emit(relax.op.relu(x)))


def test_get_while_function_open():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with pytest.raises(mlc.MLCError, match="still open"):
            bb.get()
        bb.emit_func_output(x)


def test_nested_scopes_rejected():
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with pytest.raises(mlc.MLCError, match="do not nest"):
            with bb.function("inner"):
                pass
        with bb.dataflow():
            with pytest.raises(mlc.MLCError, match="do not nest"):
                with bb.dataflow():
                    pass
            out = bb.emit_output(x)
        bb.emit_func_output(out)


def test_relax_op_argument_types():
    with pytest.raises(TypeError, match="not a relax value"):
        relax.op.add(np.zeros(3), var("x", (3,)))
    with pytest.raises(TypeError, match="emit takes a relax.op call"):
        relax.BlockBuilder().emit(var("x", (3,)))


def test_const_checks_its_type():
    with pytest.raises(mlc.MLCError, match="2 dimensions but the type says 1"):
        relax.const(np.zeros((2, 2), "float32"),
                    relax.DynTensorType(1, "float32"))


def test_parse_errors_raise():
    with pytest.raises(mlc.MLCError, match="could not parse"):
        IRModule.from_text("func.func @f( {")
    with pytest.raises(mlc.MLCError, match="callee @nowhere does not exist"):
        IRModule.from_text("""
          func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
            %y = relax.call_tir @nowhere(%x) : (tensor<4xf32>) -> tensor<4xf32>
            return %y : tensor<4xf32>
          }""")


def test_temporary_constants_are_not_confused():
    # Each relax.const below dies right after its emit; a later one may get
    # its address. Every constant must still be its own.
    x = var("x", (2, 3))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        y = x
        for i in range(20):
            y = bb.emit(relax.op.add(y, relax.const(
                np.full((3,), i, "float32"))))
        bb.emit_func_output(y)
    text = str(bb.get())
    assert text.count("relax.const") == 20
    for i in range(20):
        assert f"dense<{float(i):.6e}>" in text


def test_output_dataflow_var_stands_for_its_output_after_the_block():
    # The chapter's from_fx passes the dataflow variable itself to
    # emit_func_output after emit_output; TVM accepts that, and it means the
    # block's output.
    x = var("x", (4,))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            lv = bb.emit(relax.op.relu(x))
            gv = bb.emit_output(lv)
        bb.emit_func_output(lv)
    text = str(bb.get())
    block, relu, output, ret = check_in_order(text, [
        r"(%\w+) = relax\.dataflow", r"(%\w+) = relax\.relu",
        r"relax\.output (%\w+)", r"return (%\w+)"])
    assert output.group(1) == relu.group(1)
    assert ret.group(1) == block.group(1)  # the output, not the inner value


def test_reshape_merges_and_splits_dimensions_without_copies():
    # flatten then unflatten over a dynamic batch: the compiled code passes
    # views (memref.collapse_shape / expand_shape), and the values are
    # numpy's reshape of the input.
    x = relax.Var("x", (None, 2, 3, 4), relax.DynTensorType(4, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            flat = bb.emit(relax.op.reshape(x, (None, 24)))
            y = bb.emit(relax.op.relu(flat))
            out = bb.emit_output(bb.emit(relax.op.reshape(y, (None, 4, 6))))
        bb.emit_func_output(out)
    mod = bb.get()
    check_in_order(mod.script(), [
        re.escape("relax.reshape %arg0 : tensor<?x2x3x4xf32> -> "
                  "tensor<?x24xf32>"),
        re.escape(": tensor<?x24xf32> -> tensor<?x4x6xf32>")])
    exe = relax.vm.build(mod)
    lowered = exe.lowered_text()
    # Views, not copies: no call copies memory between the kernels.
    assert "memcpy" not in lowered and "memrefCopy" not in lowered
    vm = relax.VirtualMachine(exe, mlc.cpu())
    for batch in (1, 3):
        data = np.random.default_rng(batch).standard_normal(
            (batch, 2, 3, 4)).astype("float32")
        np.testing.assert_array_equal(vm["main"](data).numpy(),
                                      np.maximum(data, 0).reshape(-1, 4, 6))


def test_reshape_errors():
    x = var("x", (2, 3, 4))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with pytest.raises(mlc.MLCError,
                           match=r"cannot reshape 'tensor<2x3x4xf32>' to "
                                 r"'tensor<4x6xf32>': the result must merge "
                                 r"or split adjacent dimensions"):
            bb.emit(relax.op.reshape(x, (4, 6)))
        with pytest.raises(mlc.MLCError, match="use None for a dynamic"):
            bb.emit(relax.op.reshape(x, (-1, 4)))
        bb.emit_func_output(x)
    with pytest.raises(TypeError, match="shape must be a tuple of ints"):
        relax.op.reshape(x, 24)
    with pytest.raises(TypeError, match="shape must be a tuple of ints"):
        relax.op.reshape(x, (2.0, 12))


def test_result_structure_is_verified_and_rebuilt():
    x = relax.Var("x", (4,), relax.DynTensorType(1, "float32"))

    def build(structure):
        bb = relax.BlockBuilder()
        with bb.function("main", [x]):
            with bb.dataflow():
                y = bb.emit_output(bb.emit_te(topi.nn.relu, x))
            bb.emit_func_output([y, y], structure=structure)
        return bb.get()

    with pytest.raises(mlc.MLCError, match="names result 2 of a function "
                                           "with 2 results"):
        build({"tuple": [{"tensor": 0}, {"tensor": 2}]})
    with pytest.raises(mlc.MLCError, match="does not place result 1"):
        build({"tensor": 0})
    mod = build({"list": [{"value": None}, {"tensor": 1},
                          {"tuple": [{"tensor": 0}]}]})
    assert "relax.result_structure" in mod.script()
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    a = np.array([-1.0, 2.0, -3.0, 4.0], dtype="float32")
    none, first, (second,) = vm["main"](a)
    assert none is None
    np.testing.assert_array_equal(first.numpy(), np.maximum(a, 0))
    np.testing.assert_array_equal(second.numpy(), np.maximum(a, 0))


def _softmax_reference(x, axis, log):
    x64 = x.astype(np.float64)
    shifted = x64 - x64.max(axis=axis, keepdims=True)
    total = np.exp(shifted).sum(axis=axis, keepdims=True)
    return shifted - np.log(total) if log else np.exp(shifted) / total


def test_softmax_ops_build_and_match_numpy():
    # Ops with attributes are emitted by name; --relax-legalize gives them
    # topi's definition (the same one mlc.topi.nn.softmax binds).
    x = relax.Var("x", (None, 10), relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            s = bb.emit(relax.op.softmax(x, axis=-1))
            l = bb.emit(relax.op.log_softmax(x, axis=0))
            out = bb.emit_output(bb.emit(relax.op.add(s, l)))
        bb.emit_func_output(out)
    mod = bb.get()
    check_in_order(mod.script(), [
        re.escape("relax.softmax %arg0 axis(-1) : tensor<?x10xf32> -> "
                  "tensor<?x10xf32>"),
        re.escape("relax.log_softmax %arg0 axis(0) : tensor<?x10xf32>")])
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    data = np.random.default_rng(0).standard_normal((3, 10)).astype("float32")
    got = vm["main"](data).numpy()
    want = _softmax_reference(data, -1, False) + \
        _softmax_reference(data, 0, True)
    assert got.dtype == np.float32 and got.shape == (3, 10)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_softmax_of_rank_0_and_float16():
    h = var("h", (4,), "float16")
    z = var("z", ())
    bb = relax.BlockBuilder()
    with bb.function("main", params=[h, z]):
        a = bb.emit(relax.op.softmax(h, 0))
        b = bb.emit(relax.op.log_softmax(z, -1))
        bb.emit_func_output([a, b])
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    data = np.array([1, 2, 3, 60000], np.float16)
    got_h, got_z = vm["main"](data, np.array(5.0, np.float32))
    assert got_h.numpy().dtype == np.float16
    np.testing.assert_allclose(got_h.numpy().astype(np.float64),
                               _softmax_reference(data, 0, False), atol=1e-3)
    assert got_z.numpy().shape == () and got_z.numpy() == 0.0


def test_ops_by_name_are_checked():
    x, i = var("x", (2, 3)), var("i", (3,), "int32")
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, i]):
        with pytest.raises(mlc.MLCError,
                           match=r"'relax.softmax' op axis 2 is out of range "
                                 r"for 'tensor<2x3xf32>' \(expected \[-2, 1\]\)"):
            bb.emit(relax.op.softmax(x, 2))
        with pytest.raises(mlc.MLCError, match="needs a tensor of floats"):
            bb.emit(relax.op.softmax(i, 0))
        with pytest.raises(TypeError, match="axis must be an int"):
            relax.op.softmax(x, 1.5)
        with pytest.raises(mlc.MLCError, match="unknown relax op 'gelu'"):
            bb.emit(relax.op.Call("gelu", [x]))
        with pytest.raises(mlc.MLCError, match="not an operator"):
            bb.emit(relax.op.Call("call_tir", [x]))
        with pytest.raises(mlc.MLCError,
                           match="needs an integer attribute 'axis'"):
            bb.emit(relax.op.Call("softmax", [x]))
        bb.emit_func_output(x)


def test_op_attribute_of_the_wrong_kind():
    x = var("x", (2, 3))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        for bad in ("a", 1.5, [1, 2]):
            with pytest.raises(mlc.MLCError,
                               match="needs an integer attribute 'axis'"):
                bb.emit(relax.op.Call("softmax", [x], {"axis": bad}))
        # A bool is an i1 integer: the op's verifier wants an i64.
        with pytest.raises(mlc.MLCError, match="'axis' failed to satisfy "
                                               "constraint: 64-bit signless"):
            bb.emit(relax.op.Call("softmax", [x], {"axis": True}))
        bb.emit_func_output(x)


@pytest.mark.parametrize("stride,padding,dilation,groups,dtype", [
    (1, 1, 1, 1, "float32"),
    ((2, 1), (1, 0), (1, 2), 2, "float32"),
    (1, 0, 1, 4, "float64"),  # depthwise
    (2, 1, 1, 1, "int64"),
])
def test_conv2d_op_matches_torch(stride, padding, dilation, groups, dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    data = rng.integers(-4, 5, (2, 4, 9, 7)).astype(dtype)
    weight = rng.integers(-3, 4, (8, 4 // groups, 3, 2)).astype(dtype)
    x = relax.Var("x", (None, 4, 9, 7), relax.DynTensorType(4, dtype))
    w = var("w", weight.shape, dtype)
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, w]):
        y = bb.emit(relax.op.conv2d(x, w, stride, padding, dilation, groups))
        bb.emit_func_output(y)
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    got = vm["main"](data, weight).numpy()
    want = torch.nn.functional.conv2d(
        torch.from_numpy(data), torch.from_numpy(weight), stride=stride,
        padding=padding, dilation=dilation, groups=groups).numpy()
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)  # small integers: exact


def test_conv2d_op_argument_errors():
    x, w = var("x", (1, 4, 8, 8)), var("w", (6, 4, 3, 3))
    with pytest.raises(TypeError, match="strides takes one int or two"):
        relax.op.conv2d(x, w, strides=(1, 1, 1))
    with pytest.raises(TypeError, match="groups must be an int"):
        relax.op.conv2d(x, w, groups=1.0)
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, w]):
        with pytest.raises(mlc.MLCError, match="do not fit groups = 2"):
            bb.emit(relax.op.conv2d(x, w, groups=2))
        bb.emit_func_output(x)


@pytest.mark.parametrize("kernel,strides,padding,dilation,ceil_mode,dtype", [
    (2, None, 0, 1, False, "float32"),
    (3, 2, 1, 1, True, "float32"),
    ((3, 2), (2, 1), (1, 0), (1, 2), False, "float64"),
    (3, 2, 1, 1, True, "int32"),
])
def test_max_pool2d_op_matches_torch(kernel, strides, padding, dilation,
                                     ceil_mode, dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    data = rng.integers(-50, 50, (2, 3, 9, 8)).astype(dtype)
    x = relax.Var("x", (None, 3, 9, 8), relax.DynTensorType(4, dtype))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        y = bb.emit(relax.op.max_pool2d(x, kernel, strides, padding,
                                        dilation, ceil_mode))
        bb.emit_func_output(y)
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    got = vm["main"](data).numpy()
    source = torch.from_numpy(data)
    if dtype == "int32":  # torch pools floats only; these ints are exact
        source = source.double()
    want = torch.nn.functional.max_pool2d(
        source, kernel, strides, padding, dilation,
        ceil_mode=ceil_mode).numpy().astype(dtype)
    assert got.dtype == np.dtype(dtype) and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_max_pool2d_op_argument_errors():
    x = var("x", (1, 2, 8, 8))
    with pytest.raises(TypeError, match="ceil_mode must be a bool"):
        relax.op.max_pool2d(x, 2, ceil_mode=1)
    with pytest.raises(TypeError, match="kernel takes one int or two"):
        relax.op.max_pool2d(x, (2, 2, 2))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with pytest.raises(mlc.MLCError, match="more than half the dilated"):
            bb.emit(relax.op.max_pool2d(x, 3, 1, 2))
        bb.emit_func_output(x)


@pytest.mark.parametrize("dtype,shape", [("float32", (2, 3, 4, 5)),
                                         ("float64", (4, 3)),
                                         ("float16", (1, 3, 6))])
def test_batch_norm_op_matches_torch(dtype, shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    data = rng.standard_normal(shape).astype(dtype)
    mean, weight, bias = (rng.standard_normal(3).astype(dtype)
                          for _ in range(3))
    var_ = rng.uniform(0.5, 2.0, 3).astype(dtype)
    x = var("x", shape, dtype)
    params = [var(n, (3,), dtype) for n in ("m", "v", "w", "b")]
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x] + params):
        y = bb.emit(relax.op.batch_norm(x, *params, epsilon=1e-3))
        bb.emit_func_output(y)
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    got = vm["main"](data, mean, var_, weight, bias).numpy()
    if dtype == "float16":  # torch's CPU kernel widens float16 likewise
        t = [torch.from_numpy(a).float() for a in (data, mean, var_,
                                                   weight, bias)]
    else:
        t = [torch.from_numpy(a) for a in (data, mean, var_, weight, bias)]
    want = torch.nn.functional.batch_norm(t[0], t[1], t[2], t[3], t[4],
                                          training=False, eps=1e-3)
    want = want.numpy().astype(dtype)
    assert got.dtype == np.dtype(dtype) and got.shape == shape
    np.testing.assert_allclose(got, want, rtol=1e-3 if dtype == "float16"
                               else 1e-6, atol=1e-3 if dtype == "float16"
                               else 1e-6)


# --- element-wise float functions and reductions by category ------------------

def test_unary_float_category_matches_numpy():
    x = var("x", (None, 5))
    h = var("h", (5,), "float16")
    bb = relax.BlockBuilder()
    names = relax.op.UNARY_FLOAT
    with bb.function("main", params=[x, h]):
        outs = [bb.emit(getattr(relax.op, n)(x)) for n in names]
        outs.append(bb.emit(relax.op.exp(h)))
        bb.emit_func_output(outs)
    mod = bb.get()
    check_in_order(mod.script(), [re.escape(f"relax.{n} %arg0 : tensor<?x5xf32>")
                                  for n in names])
    vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    data = np.random.default_rng(1).uniform(0.1, 2.0, (3, 5)).astype("float32")
    half = np.array([0, 1, 2, 5, 10], np.float16)
    got = vm["main"](data, half)
    import math
    ref = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt,
           "rsqrt": lambda v: 1 / np.sqrt(v), "tanh": np.tanh,
           "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
           "erf": np.vectorize(math.erf), "sin": np.sin, "cos": np.cos}
    for name, out in zip(names, got):
        assert out.numpy().dtype == np.float32 and out.numpy().shape == (3, 5)
        np.testing.assert_allclose(out.numpy(), ref[name](
            data.astype(np.float64)), rtol=2e-6, atol=1e-6, err_msg=name)
    # float16 computes in float32 and rounds once, as torch's kernel.
    assert got[-1].numpy().dtype == np.float16
    np.testing.assert_array_equal(got[-1].numpy(),
                                  np.exp(half.astype(np.float32)).astype(
                                      np.float16))


@pytest.mark.parametrize("axes,keepdims", [(None, False), ([1], False),
                                           ([0, -1], True), ([-2], True)])
def test_reduction_category_matches_numpy(axes, keepdims):
    x = var("x", (3, 4, 5))
    i = var("i", (3, 4, 5), "int32")
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, i]):
        outs = [bb.emit(getattr(relax.op, n)(x, axes, keepdims))
                for n in ("sum", "mean", "max", "min", "prod")]
        outs.append(bb.emit(relax.op.max(i, axes, keepdims)))
        bb.emit_func_output(outs)
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    rng = np.random.default_rng(2)
    data = rng.uniform(0.5, 1.5, (3, 4, 5)).astype("float32")
    data[1, 2, 3] = np.nan
    ints = rng.integers(-100, 100, (3, 4, 5)).astype("int32")
    got = [o.numpy() for o in vm["main"](data, ints)]
    ax = None if axes is None else tuple(axes)
    want = [np.sum(data, ax, keepdims=keepdims),
            np.mean(data, ax, keepdims=keepdims),
            np.max(data, ax, keepdims=keepdims),   # NaN propagates
            np.min(data, ax, keepdims=keepdims),
            np.prod(data, ax, keepdims=keepdims),
            np.max(ints, ax, keepdims=keepdims)]
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == np.shape(w)
        np.testing.assert_allclose(g, w, rtol=1e-5)


def test_reduction_and_unary_rules_are_checked():
    x, i = var("x", (2, 3)), var("i", (3,), "int32")
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, i]):
        with pytest.raises(mlc.MLCError, match=r"'relax.sum' op axis 2 is out "
                                               r"of range for rank 2"):
            bb.emit(relax.op.sum(x, [2]))
        with pytest.raises(mlc.MLCError, match="axis -1 is listed twice"):
            bb.emit(relax.op.max(x, [1, -1]))
        with pytest.raises(mlc.MLCError, match="'relax.mean' op operand must "
                                               "be a tensor of floats"):
            bb.emit(relax.op.mean(i))
        with pytest.raises(mlc.MLCError, match="'relax.exp' op operand must "
                                               "be a ranked tensor of floats"):
            bb.emit(relax.op.exp(i))
        with pytest.raises(TypeError, match="keepdims must be a bool"):
            relax.op.sum(x, [0], keepdims=1)
        with pytest.raises(mlc.MLCError, match="needs an i64 array attribute "
                                               "'axes'"):
            bb.emit(relax.op.Call("sum", [x]))
        bb.emit_func_output(x)


def test_layer_norm_op_matches_torch():
    import torch
    x, w, b = var("x", (None, 3, 8)), var("w", (3, 8)), var("b", (3, 8))
    h, hw = var("h", (4, 8), "float16"), var("hw", (8,), "float16")
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, w, b, h, hw]):
        y = bb.emit(relax.op.layer_norm(x, w, b, 1e-5))
        z = bb.emit(relax.op.layer_norm(h, hw, hw, 1e-3))
        bb.emit_func_output([y, z])
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    g = torch.Generator().manual_seed(4)
    tx, tw, tb = (torch.randn(s, generator=g) for s in ((5, 3, 8), (3, 8),
                                                        (3, 8)))
    th = (torch.randn(4, 8, generator=g) * 4).half()
    thw = torch.randn(8, generator=g).half()
    got_y, got_z = vm["main"](tx.numpy(), tw.numpy(), tb.numpy(), th.numpy(),
                              thw.numpy())
    want_y = torch.nn.functional.layer_norm(tx, (3, 8), tw, tb, 1e-5)
    want_z = torch.nn.functional.layer_norm(th.float(), (8,), thw.float(),
                                            thw.float(), 1e-3).half()
    assert got_y.numpy().dtype == np.float32 and got_y.numpy().shape == (5, 3, 8)
    np.testing.assert_allclose(got_y.numpy(), want_y.numpy(), rtol=1e-5,
                               atol=1e-6)
    assert got_z.numpy().dtype == np.float16
    np.testing.assert_allclose(got_z.numpy().astype(np.float32),
                               want_z.numpy().astype(np.float32), atol=2e-3)
    for bad in (True, "1e-5"):
        with pytest.raises(TypeError, match="epsilon must be a number"):
            relax.op.layer_norm(x, w, w, bad)
    v = var("v", (4,))
    bb2 = relax.BlockBuilder()
    with bb2.function("f", params=[x, v]):
        with pytest.raises(mlc.MLCError, match="is not the shape of the last "
                                               "dimensions"):
            bb2.emit(relax.op.layer_norm(x, v, v))
        bb2.emit_func_output(x)


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("count_include_pad", [False, True])
def test_avg_pool2d_op_matches_torch(ceil_mode, count_include_pad):
    import torch
    x = var("x", (2, 3, 7, 6))
    h = var("h", (1, 2, 5, 5), "float16")
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x, h]):
        y = bb.emit(relax.op.avg_pool2d(x, 3, 2, 1, ceil_mode,
                                        count_include_pad))
        z = bb.emit(relax.op.avg_pool2d(h, 2, 2, 0, ceil_mode,
                                        count_include_pad))
        bb.emit_func_output([y, z])
    vm = relax.VirtualMachine(relax.vm.build(bb.get()), mlc.cpu())
    g = torch.Generator().manual_seed(7)
    tx, th = torch.randn(2, 3, 7, 6, generator=g), \
        torch.randn(1, 2, 5, 5, generator=g).half()
    got_y, got_z = vm["main"](tx.numpy(), th.numpy())
    F = torch.nn.functional
    want_y = F.avg_pool2d(tx, 3, 2, 1, ceil_mode, count_include_pad)
    want_z = F.avg_pool2d(th.float(), 2, 2, 0, ceil_mode,
                          count_include_pad).half()
    assert got_y.numpy().shape == tuple(want_y.shape)
    np.testing.assert_allclose(got_y.numpy(), want_y.numpy(), rtol=1e-6,
                               atol=1e-6)
    assert got_z.numpy().dtype == np.float16
    np.testing.assert_allclose(got_z.numpy().astype(np.float32),
                               want_z.numpy().astype(np.float32), atol=1e-3)
    with pytest.raises(TypeError, match="count_include_pad must be a bool"):
        relax.op.avg_pool2d(x, 2, count_include_pad=1)
