"""Models a user brings, batch 1: mlc against PyTorch eager and
torch.jit.optimize_for_inference in the same process, on 1 and 2 threads,
with mlc's build time.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/models.py \
        [--models resnet18,mobilenet_v2] [--threads 1,2] [--repeats 10]

torchvision models at 224 x 224 with random weights (fixed seed), and the
transformer encoder block of test/python/test_models.py (sequence 128,
width 256). Each is checked against PyTorch (rtol 1e-3 of the output's
scale) before it is timed; times are medians. "vs eager" and "vs jit" are
torch time / mlc time (above 1: mlc is faster).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "test", "python"))
from timing import bench_args, build_checked, median_time  # noqa: E402


def models():
    import torch
    import torchvision
    from test_models import EncoderBlock

    def vision(name):
        return lambda: getattr(torchvision.models, name)(), (1, 3, 224, 224)

    table = {name: vision(name) for name in
             ("resnet18", "resnet50", "mobilenet_v2", "efficientnet_b0")}
    table["transformer block"] = (
        lambda: EncoderBlock(dim=256, heads=8, hidden=1024), (1, 128, 256))
    del torch
    return table


def main():
    parsed = bench_args(__doc__, "models", repeats=10)
    if parsed is None:
        return
    args, threads, wanted = parsed
    import torch
    from torch import fx
    from mlc.frontend import from_fx

    print(f"{'model':<20}{'thr':>4}{'build':>8}{'mlc':>11}{'eager':>11}"
          f"{'jit':>11}{'vs eager':>10}{'vs jit':>8}")
    for name, (make, shape) in models().items():
        if wanted and not any(w in name for w in wanted):
            continue
        torch.manual_seed(0)
        model = make().eval()
        x = torch.randn(*shape)
        with torch.no_grad():
            expected = model(x).numpy()
            jit = torch.jit.optimize_for_inference(torch.jit.trace(model, x))
        mod = from_fx(fx.symbolic_trace(model), input_shapes=[shape])
        xs = x.numpy()
        for t in threads:
            run, build = build_checked(mod, xs, expected, t)
            ours = median_time(lambda: run(xs), args.repeats)
            torch.set_num_threads(t)
            with torch.no_grad():
                eager = median_time(lambda: model(x), args.repeats)
                traced = median_time(lambda: jit(x), args.repeats)
            print(f"{name:<20}{t:>4}{build:>7.1f}s{ours * 1e3:>9.1f}ms"
                  f"{eager * 1e3:>9.1f}ms{traced * 1e3:>9.1f}ms"
                  f"{eager / ours:>10.2f}{traced / ours:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
