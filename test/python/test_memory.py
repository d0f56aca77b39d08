"""Building and dropping models leaves memory flat (issue 12): weights live
in blobs that are freed with the last model that uses them."""

import gc
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import mlc
from mlc import relax

# Runs in a child process: the growth measured is this loop's alone.
CYCLES = textwrap.dedent("""
    import gc, sys
    sys.path[:0] = {path!r}
    import numpy as np
    import torch
    import torch.fx as fx
    import mlc
    from mlc import relax
    from mlc.frontend import from_fx
    from mlc.examples.fashion_mnist import MLP

    import ctypes
    malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim

    def rss_mb():
        # Freed memory back to the system first: what is measured is what
        # is still in use, not the allocator's free lists.
        gc.collect()
        malloc_trim(0)
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024

    x = np.random.default_rng(0).standard_normal((1, 784)).astype("float32")
    def cycle(seed):
        torch.manual_seed(seed)
        model = MLP().eval()
        mod = from_fx(fx.symbolic_trace(model), input_shapes=[(1, 784)])
        vm = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
        got = vm["main"](x).numpy()
        want = model(torch.from_numpy(x)).detach().numpy()
        assert np.allclose(got, want, rtol=1e-4, atol=1e-5)

    for seed in range(10):  # caches, allocator pools, lazily loaded code
        cycle(seed)
    gc.collect()
    before = rss_mb()
    for seed in range({count}):
        cycle(seed)
    gc.collect()
    print(rss_mb() - before)
""")


@pytest.mark.skipif(bool(os.environ.get("MLC_SANITIZE")),
                    reason="a sanitizer's quarantine keeps freed memory")
def test_build_and_drop_100_mlps_keeps_rss_flat():
    code = CYCLES.format(path=list(sys.path), count=100)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    growth = float(out.stdout.strip().splitlines()[-1])
    # Each MLP holds 0.4 MB of weights (and was kept twice, transposed):
    # 100 kept would add about 80 MB.
    assert growth < 5, f"RSS grew by {growth:.1f} MB over 100 builds"


def big_constant_module():
    x = relax.Var("x", (1, 512), relax.DynTensorType(2, "float32"))
    w = relax.const(np.ones((256, 512), "float32"),
                    relax.DynTensorType(2, "float32"))
    bb = relax.BlockBuilder()
    with bb.function("main", params=[x]):
        with bb.dataflow():
            out = bb.emit_output(bb.emit(relax.op.dense(x, w)))
        bb.emit_func_output(out)
    return bb.get()


def test_weights_outlive_what_made_them_while_a_model_uses_them():
    # The Var and the builder are gone; the module, then the executable
    # alone, keep the weight alive.
    mod = big_constant_module()
    gc.collect()
    exe = relax.vm.build(mod)
    del mod
    gc.collect()
    vm = relax.VirtualMachine(exe, mlc.cpu())
    np.testing.assert_allclose(
        vm["main"](np.ones((1, 512), "float32")).numpy(),
        np.full((1, 256), 512.0), rtol=1e-6)
    # Another model with the same weights builds on its own.
    again = relax.vm.build(big_constant_module())
    np.testing.assert_allclose(
        relax.VirtualMachine(again, mlc.cpu())["main"](
            np.ones((1, 512), "float32")).numpy(),
        np.full((1, 256), 512.0), rtol=1e-6)
