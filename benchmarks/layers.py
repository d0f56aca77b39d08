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

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import peak_gflops  # noqa: E402
from timing import bench_args, build_checked, median_time  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "test", "python"))
from test_convolutions import Transposed  # noqa: E402


def conv_flops(c, o, k, out_hw, groups=1, batch=1):
    return 2 * batch * o * (c // groups) * k * k * out_hw[0] * out_hw[1]


def layers():
    """name -> (module factory, input shape, flops or None)."""

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
    # The other convolutions a model brings (issue 14, part 2).
    table["conv1d k3 64->64 4096"] = (
        lambda: nn.Conv1d(64, 64, 3, padding=1, bias=False), (1, 64, 4096),
        2 * 64 * 64 * 3 * 4096)
    table["conv3d 3^3 32->32 8x28^2"] = (
        lambda: nn.Conv3d(32, 32, 3, padding=1, bias=False),
        (1, 32, 8, 28, 28), 2 * 32 * 32 * 27 * 8 * 28 * 28)
    table["conv3x3 dil2 64->64 56^2"] = (
        lambda: nn.Conv2d(64, 64, 3, padding=2, dilation=2, bias=False),
        (1, 64, 56, 56), conv_flops(64, 64, 3, (56, 56)))
    table["conv3x3 g32 128 28^2"] = conv(128, 128, 3, 28, pad=1, groups=32)
    table["deconv4x4 s2 64->32 28^2"] = (
        lambda: Transposed(nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False)),
        (1, 64, 28, 28), 2 * 64 * 32 * 16 * 28 * 28)
    # Attention's batched matmuls (4 heads, 128 tokens, 64 per head), and
    # ops whose work is memory, not FLOPs ("-" for % of peak).
    table["q @ k^T 4x128x64"] = (
        lambda: MatMul(transpose=True), (4, 128, 64), 2 * 4 * 128 * 128 * 64)
    table["att @ v 4x128x128"] = (
        lambda: MatMul(transpose=False), (4, 128, 128),
        2 * 4 * 128 * 128 * 128)
    table["softmax 4x128x128"] = (lambda: nn.Softmax(-1), (4, 128, 128), None)
    table["layer_norm 128x768"] = (lambda: nn.LayerNorm(768), (128, 768),
                                   None)
    table["maxpool3x3 s2 64 112^2"] = (lambda: nn.MaxPool2d(3, 2, 1),
                                       (1, 64, 112, 112), None)
    table["avgpool global 512 7^2"] = (lambda: nn.AdaptiveAvgPool2d(1),
                                       (1, 512, 7, 7), None)
    table["transpose 4x128x64"] = (lambda: Permute(), (4, 128, 64), None)
    # torch.cat (DenseNet, Inception, SqueezeNet): a guarded read per
    # element, scalar (docs/lowering.md, "Measured").
    table["cat 2x64 56^2"] = (lambda: SelfConcat(), (1, 64, 56, 56), None)
    return table


class MatMul(nn.Module):
    """x @ x^T (scores of attention) or x @ x (weights times values)."""

    def __init__(self, transpose):
        super().__init__()
        self.transpose = transpose

    def forward(self, x):
        return x @ (x.transpose(-2, -1) if self.transpose else x)


class SelfConcat(nn.Module):
    """x and its ReLU concatenated along the channels."""

    def forward(self, x):
        return torch.cat([x, torch.relu(x)], 1)


class Permute(nn.Module):
    """(heads, tokens, dim) -> (tokens, heads, dim), made contiguous."""

    def forward(self, x):
        return x.permute(1, 0, 2).contiguous()


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
            shares = (f"{100 * flops / ours / peak:>11.1f}%"
                      f"{100 * flops / theirs / peak:>13.1f}%" if flops
                      else f"{'-':>12}{'-':>14}")
            print(f"{name:<26}{t:>4}{ours * 1e3:>9.3f}ms"
                  f"{theirs * 1e3:>9.3f}ms{theirs / ours:>10.2f}" + shares,
                  flush=True)


if __name__ == "__main__":
    main()
