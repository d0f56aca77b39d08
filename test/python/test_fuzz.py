"""scripts/fuzz.py: its crash detection and triage, on real runs of mlc-opt."""

import os

import pytest

from scripts import load_script

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
BIN = os.path.join(os.environ.get("MLC_BUILD_DIR", os.path.join(ROOT, "build")),
                   "bin")


fuzz = load_script("fuzz")
OPT = [os.path.join(BIN, "mlc-opt")]


def test_valid_and_invalid_input_are_not_findings():
    ok = "func.func @f() {\n  return\n}\n"
    assert fuzz.run_tool(OPT, ok, timeout=60)[0] is None
    bad = "func.func @f() {\n  %x = arith.addi %y, %y : i32\n}\n"
    kind, output = fuzz.run_tool(OPT, bad, timeout=60)
    assert kind is None and "error" in output


@pytest.mark.skipif(bool(os.environ.get("MLC_SANITIZE")),
                    reason="the crash is reported by ASan, not LLVM's handler")
def test_known_mlir_parser_crash_is_triaged_upstream():
    # MLIR 22's parser segfaults on a dense array of index: not mlc's bug.
    text = ("tir.func @f(%A: tensor<4xf32>) -> tensor<4xf32> attributes "
            "{a = array<index: 0>} {\n  tir.return %A : tensor<4xf32>\n}\n")
    kind, output = fuzz.run_tool(OPT, text, timeout=60)
    assert kind is not None
    assert fuzz.is_upstream(output)


def test_a_crash_in_mlc_code_is_mlc_s():
    stack = (" #0 0x00007f llvm::sys::PrintStackTrace(llvm::raw_ostream&, int)"
             " (/usr/lib/llvm-22/lib/libLLVM.so.22.1+0x4eb8786)\n"
             " #4 0x00007f mlir::ValueBoundsConstraintSet::getExpr(mlir::Value,"
             " std::optional<long>) (/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x1)\n"
             " #5 0x000055 (anonymous namespace)::provablyEqualSize(mlir::Value)"
             " (/work/main/build/bin/mlc-opt+0x5f2a1)\n"
             " #9 0x000055 main (/work/main/build/bin/mlc-opt+0x627ee)\n")
    assert not fuzz.is_upstream(stack)


def test_mutations_change_the_text():
    import random
    corpus = fuzz.load_corpus()
    assert len(corpus) > 50
    mutator = fuzz.Mutator(corpus, random.Random(1))
    text = corpus[0][0]
    assert any(mutator.mutate(text) != text for _ in range(10))


def test_a_symbolized_frame_of_this_tree_is_mlc_s():
    # Sanitizer builds print source paths instead of binary offsets.
    frame = ("#7 0x55883b (anonymous namespace)::safeRange(mlir::Value) "
             + os.path.join(fuzz.ROOT, "lib", "Dialect", "TIR", "Transforms",
                            "CheckBounds.cpp") + ":42:3")
    stack = (" #5 0x7f69a58db7d8 mlir::FloatType::getWidth() "
             "(/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x60db7d8)\n " + frame +
             "\n#23 0x55883b7f15be main " +
             os.path.join(fuzz.ROOT, "tools", "mlc-opt", "mlc-opt.cpp") +
             ":18:32\n")
    assert not fuzz.is_upstream(stack)
