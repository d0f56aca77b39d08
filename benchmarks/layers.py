"""Single layers a CNN or transformer is made of: mlc against PyTorch eager
in the same process, on 1 and 2 threads, with each layer's share of the
machine's FP32 FMA peak (benchmarks/peak_fma.c, measured in this run).

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/layers.py \
        [--layers conv3x3,dw3x3] [--threads 1,2] [--repeats 20]

Each layer is an nn.Module traced with fx, imported with from_fx, built
with relax.vm.build(threads=t) and checked against PyTorch before it is
timed (rtol 1e-3); times are medians. "vs eager" is torch time / mlc time
(above 1: mlc is faster). FLOPs count a multiply-add as two.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import peak_gflops  # noqa: E402
from timing import bench_args, build_checked, median_time  # noqa: E402


def conv_flops(c, o, k, out_hw, groups=1, batch=1):
    return 2 * batch * o * (c // groups) * k * k * out_hw[0] * out_hw[1]


def layers():
    """name -> (module factory, input shape, flops)."""
    from torch import nn

    def conv(c, o, k, hw, stride=1, pad=0, groups=1):
        out = ((hw + 2 * pad - k) // stride + 1,) * 2
        return (lambda: nn.Conv2d(c, o, k, stride, pad, groups=groups,
                                  bias=False),
                (1, c, hw, hw), conv_flops(c, o, k, out, groups))

    table = {
        "conv3x3 64->64 56^2": conv(64, 64, 3, 56, pad=1),
        "conv3x3 128->128 28^2": conv(128, 128, 3, 28, pad=1),
        "conv3x3 256->256 14^2": conv(256, 256, 3, 14, pad=1),
        "conv3x3 s2 64->128 56^2": conv(64, 128, 3, 56, stride=2, pad=1),
        "conv7x7 s2 3->64 224^2": conv(3, 64, 7, 224, stride=2, pad=3),
        "conv1x1 64->256 56^2": conv(64, 256, 1, 56),
        "conv1x1 s2 64->128 56^2": conv(64, 128, 1, 56, stride=2),
        "dw3x3 32 112^2": conv(32, 32, 3, 112, pad=1, groups=32),
        "dw3x3 144 56^2": conv(144, 144, 3, 56, pad=1, groups=144),
        "dw3x3 s2 96 112^2": conv(96, 96, 3, 112, stride=2, pad=1,
                                  groups=96),
    }
    table["linear 768->3072 x128"] = (lambda: nn.Linear(768, 3072),
                                      (128, 768), 2 * 128 * 768 * 3072)
    return table


def main():
    parsed = bench_args(__doc__, "layers", repeats=20)
    if parsed is None:
        return
    args, threads, wanted = parsed
    import torch
    from torch import fx
    from mlc.frontend import from_fx

    peaks = {t: peak_gflops(t) for t in threads}
    print("FP32 FMA peak: " + ", ".join(
        f"{peaks[t]:.0f} GFLOP/s on {t} thread(s)" for t in threads))
    header = (f"{'layer':<26}{'thr':>4}{'mlc':>11}{'eager':>11}"
              f"{'vs eager':>10}{'mlc % peak':>12}{'eager % peak':>14}")
    print(header)
    torch.manual_seed(0)
    for name, (make, shape, flops) in layers().items():
        if wanted and not any(w in name for w in wanted):
            continue
        model = make().eval()
        x = torch.randn(*shape)
        with torch.no_grad():
            expected = model(x).numpy()
        mod = from_fx(fx.symbolic_trace(model), input_shapes=[shape])
        xs = x.numpy()
        for t in threads:
            run, _ = build_checked(mod, xs, expected, t)
            ours = median_time(lambda: run(xs), args.repeats)
            torch.set_num_threads(t)
            with torch.no_grad():
                theirs = median_time(lambda: model(x), args.repeats)
            peak = peaks[t] * 1e9
            print(f"{name:<26}{t:>4}{ours * 1e3:>9.2f}ms{theirs * 1e3:>9.2f}ms"
                  f"{theirs / ours:>10.2f}{100 * flops / ours / peak:>11.1f}%"
                  f"{100 * flops / theirs / peak:>13.1f}%", flush=True)


if __name__ == "__main__":
    main()
