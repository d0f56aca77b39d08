"""Whether convolution weights re-laid out at build time would pay: the
same convolution with its weights as PyTorch stores them (OIHW) and in a
layout blocked over output channels (O/b x I x H x W x b, the b weights a
register block of b output channels broadcasts at each step adjacent in
memory), both compiled by mlc's code generator, one thread.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/weight_layout.py \\
        [--repeats 40]

The blocked kernels are written with te (a 5-d output [N, O/b, b, H, W],
which is the NCHW result's memory) and checked against PyTorch's
convolution, as the OIHW ones are; times are the best of --repeats calls,
in GFLOP/s and % of the FP32 FMA peak (benchmarks/peak_fma.c). issue 14
part 3 asked for such a layout; measured, it gains 0-5% (docs/lowering.md,
"Build-time layout"), so mlc does not re-lay out convolution weights.
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import peak_gflops  # noqa: E402

# (input channels, output channels, image size, kernel, block of output
# channels): resnet's 3x3 shapes (direct convolution, blocks of 4 output
# channels) and 1x1 ones (GEMM-shaped after short rows merge, blocks of 8).
SHAPES = [(64, 64, 56, 3, 4), (128, 128, 28, 3, 4), (256, 256, 14, 3, 4),
          (512, 512, 7, 3, 4), (64, 256, 56, 1, 8), (256, 1024, 14, 1, 8),
          (1024, 256, 14, 1, 8), (2048, 512, 7, 1, 8), (960, 160, 7, 1, 8)]


def best_time(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def kernels(c, o, hw, k, b):
    """The OIHW and the blocked kernel (built), and their output shapes."""
    import mlc
    from mlc import te, topi
    pad = k // 2
    x = te.placeholder((1, c, hw, hw), name="x")
    w = te.placeholder((o, c, k, k), name="w")
    y = topi.nn.conv2d_nchw(x, w, 1, pad)
    plain = mlc.build(te.create_prim_func([x, w, y]), threads=1)
    wb = te.placeholder((o // b, c, k, k, b), name="wb")
    rc = te.reduce_axis((0, c), "rc")
    if k == 1:
        yb = te.compute(
            (1, o // b, b, hw, hw),
            lambda n, ob, oi, h, v: te.sum(wb[ob, rc, 0, 0, oi] * x[n, rc, h, v],
                                           axis=[rc]), name="conv")
    else:
        size = hw + 2 * pad
        xp = te.compute(
            (1, c, size, size),
            lambda n, ci, h, v: te.if_then_else(
                te.all(h >= pad, h < hw + pad, v >= pad, v < hw + pad),
                x[n, ci, h - pad, v - pad], 0.0), name="pad")
        ry = te.reduce_axis((0, k), "ry")
        rx = te.reduce_axis((0, k), "rx")
        yb = te.compute(
            (1, o // b, b, hw, hw),
            lambda n, ob, oi, h, v: te.sum(
                xp[n, rc, h + ry, v + rx] * wb[ob, rc, ry, rx, oi],
                axis=[rc, ry, rx]), name="conv")
    blocked = mlc.build(te.create_prim_func([x, wb, yb]), threads=1)
    return plain, blocked


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    import torch
    torch.set_num_threads(1)
    peak = peak_gflops(1)
    print(f"FP32 FMA peak: {peak:.0f} GFLOP/s on 1 thread")
    print(f"{'convolution':<28}{'OIHW':>12}{'blocked':>12}"
          f"{'OIHW % peak':>13}{'blocked % peak':>16}{'blocked / OIHW':>16}")
    rng = np.random.default_rng(0)
    for c, o, hw, k, b in SHAPES:
        plain, blocked = kernels(c, o, hw, k, b)
        x = rng.standard_normal((1, c, hw, hw), np.float32)
        w = rng.standard_normal((o, c, k, k), np.float32)
        wb = np.ascontiguousarray(
            w.reshape(o // b, b, c, k, k).transpose(0, 2, 3, 4, 1))
        want = torch.nn.functional.conv2d(
            torch.from_numpy(x), torch.from_numpy(w), padding=k // 2).numpy()
        y = np.empty((1, o, hw, hw), np.float32)
        yb = np.empty((1, o // b, b, hw, hw), np.float32)
        plain(x, w, y)
        blocked(x, wb, yb)
        scale = float(np.abs(want).max())
        for got in (y, yb.reshape(want.shape)):
            np.testing.assert_allclose(got, want, rtol=1e-4,
                                       atol=1e-5 * scale)
        flops = 2 * o * c * k * k * hw * hw
        t_plain = best_time(lambda: plain(x, w, y), args.repeats)
        t_blocked = best_time(lambda: blocked(x, wb, yb), args.repeats)
        name = f"{k}x{k} {c}->{o} {hw}^2 (b={b})"
        print(f"{name:<28}{t_plain * 1e3:>10.3f}ms{t_blocked * 1e3:>10.3f}ms"
              f"{100 * flops / t_plain / 1e9 / peak:>12.1f}%"
              f"{100 * flops / t_blocked / 1e9 / peak:>15.1f}%"
              f"{t_plain / t_blocked:>16.2f}", flush=True)


if __name__ == "__main__":
    main()
