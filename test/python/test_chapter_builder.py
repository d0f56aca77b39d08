"""The chapter's section "Build an IRModule Through a Builder", code block by
code block, with only the import lines changed; each block's printed IR is
checked for its structure."""

import mlc as tvm
from mlc import te, relax

from irchecks import check_in_order, check_not, function_body, functions

F32_128 = r"tensor<128x128xf32>"


def test_chapter_builder_section(capsys):
    # --- Tensor Expression for TensorIR Creation
    A = te.placeholder((128, 128), name="A", dtype="float32")
    B = te.placeholder((128, 128), name="B", dtype="float32")

    assert type(A) is te.Tensor
    assert A.shape == [128, 128]
    assert A.dtype == "float32"

    def te_matmul(A: te.Tensor, B: te.Tensor) -> te.Tensor:
        assert A.shape[1] == B.shape[0]
        n = A.shape[0]
        m = B.shape[1]
        k = te.reduce_axis((0, A.shape[1]), name="k")
        return te.compute((n, m), lambda i, j: te.sum(A[i, k] * B[k, j], axis=k), name="matmul")

    C = te_matmul(A, B)

    te.create_prim_func([A, B, C]).show()
    out = capsys.readouterr().out
    check_in_order(out, [
        r"tir\.func @main\(%A: " + F32_128 + r", %B: " + F32_128 +
        r", %matmul_out: " + F32_128 + r" \{tir\.output\}\) -> " + F32_128,
        r"%matmul = tir\.compute \"matmul\" \(%i, %j\) reduce sum \(%k : 128\)",
        r"tir\.read %A\[%i, %k\]",
        r"tir\.read %B\[%k, %j\]",
        r"arith\.mulf",
        r"tir\.yield",
        r"tir\.return %matmul",
    ])

    def te_relu(A: te.Tensor) -> te.Tensor:
        return te.compute(A.shape, lambda *i: te.max(A(*i), 0), name="relu")

    X1 = te.placeholder((10,), name="X1", dtype="float32")
    Y1 = te_relu(X1)
    te.create_prim_func([X1, Y1]).show()
    out = capsys.readouterr().out
    check_in_order(out, [
        r"tir\.func @main\(%X1: tensor<10xf32>, %relu_out: tensor<10xf32> "
        r"\{tir\.output\}\) -> tensor<10xf32>",
        r"tir\.compute \"relu\" \(%i\) : tensor<10xf32>",
        r"tir\.read %X1\[%i\]",
        r"arith\.constant 0\.0+e\+00 : f32",
        r"arith\.maximumf",
    ])

    X2 = te.placeholder((10, 20), name="X1", dtype="float32")
    Y2 = te_relu(X2)
    te.create_prim_func([X2, Y2]).show()
    out = capsys.readouterr().out
    check_in_order(out, [
        r"tir\.func @main\(%X1: tensor<10x20xf32>, %relu_out: "
        r"tensor<10x20xf32> \{tir\.output\}\)",
        r"tir\.compute \"relu\" \(%i, %j\) : tensor<10x20xf32>",
        r"tir\.read %X1\[%i, %j\]",
    ])

    C = te_matmul(A, B)
    D = te_relu(C)

    # Only A, B and D listed: the matmul is a temporary.
    te.create_prim_func([A, B, D]).show()
    out = capsys.readouterr().out
    check_in_order(out, [
        r"tir\.func @main\(%A: " + F32_128 + r", %B: " + F32_128 +
        r", %relu_out: " + F32_128 + r" \{tir\.output\}\) -> " + F32_128 +
        r" \{",
        r"%matmul = tir\.compute \"matmul\"",
        r"%relu = tir\.compute \"relu\"",
        r"tir\.read %matmul\[%i, %j\]",
        r"tir\.return %relu : " + F32_128 + r"\n",
    ])
    check_not(out, r"matmul_out")

    # C listed too: the caller passes it, and gets the matmul in it.
    te.create_prim_func([A, B, C, D]).show()
    out = capsys.readouterr().out
    check_in_order(out, [
        r"tir\.func @main\(%A: " + F32_128 + r", %B: " + F32_128 +
        r", %matmul_out: " + F32_128 + r" \{tir\.output\}, %relu_out: " +
        F32_128 + r" \{tir\.output\}\) -> \(" + F32_128 + ", " + F32_128 +
        r"\)",
        r"%matmul = tir\.compute \"matmul\"",
        r"%relu = tir\.compute \"relu\"",
        r"tir\.return %matmul, %relu",
    ])

    # --- Use BlockBuilder to Create an IRModule
    A = relax.Var("A", (128, 128), relax.DynTensorType(2, "float32"))
    B = relax.Var("B", (128, 128), relax.DynTensorType(2, "float32"))

    bb = relax.BlockBuilder()

    with bb.function("main"):
        with bb.dataflow():
            C = bb.emit_te(te_matmul, A, B)
            D = bb.emit_te(te_relu, C)
            R = bb.emit_output(D)
        bb.emit_func_output(R, params=[A, B])

    MyModule = bb.get()
    MyModule.show()
    out = capsys.readouterr().out
    assert functions(out) == ["te_matmul", "te_relu", "main"]
    check_in_order(function_body(out, "te_matmul"), [
        r"tir\.func @te_matmul\(%A: " + F32_128 + r", %B: " + F32_128 +
        r", %matmul_out: " + F32_128 + r" \{tir\.output\}\)",
        r"reduce sum \(%k : 128\)",
    ])
    check_in_order(function_body(out, "te_relu"), [
        r"tir\.func @te_relu\(%\w+: " + F32_128 + r", %relu_out: " + F32_128 +
        r" \{tir\.output\}\)",
        r"arith\.maximumf",
    ])
    main = function_body(out, "main")
    (header, dataflow, mm, relu, output, ret) = check_in_order(main, [
        r"func\.func @main\((%\w+): " + F32_128 + r", (%\w+): " + F32_128 +
        r"\) -> " + F32_128,
        r"(%\w+) = relax\.dataflow -> " + F32_128 + r" \{",
        r"(%\w+) = relax\.call_tir @te_matmul\((%\w+), (%\w+)\) : \(" +
        F32_128 + ", " + F32_128 + r"\) -> " + F32_128,
        r"(%\w+) = relax\.call_tir @te_relu\((%\w+)\)",
        r"relax\.output (%\w+) : " + F32_128,
        r"return (%\w+) : " + F32_128,
    ])
    # The dataflow chains A, B -> matmul -> relu -> output -> return.
    assert mm.group(2, 3) == header.group(1, 2)
    assert relu.group(2) == mm.group(1)
    assert output.group(1) == relu.group(1)
    assert ret.group(1) == dataflow.group(1)

    # --- Deep Dive into Block Builder APIs
    assert type(C) is relax.DataflowVar
    assert isinstance(C, relax.Var)
    assert type(R) is relax.Var

    # Parameters given at the start of the function scope instead.
    bb = relax.BlockBuilder()
    with bb.function("main", params=[A, B]):
        with bb.dataflow():
            C = bb.emit_te(te_matmul, A, B)
            D = bb.emit_te(te_relu, C)
            R = bb.emit_output(D)
        bb.emit_func_output(R)
    early = bb.get()
    # Both ways give the same module.
    assert str(early) == str(MyModule)
