"""Models a user brings: mlc against PyTorch eager,
torch.jit.optimize_for_inference, ONNX Runtime and Apache TVM in the same
run, at batch 1 and 8, on 1 and 2 threads, with each one's build time.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/models.py \\
        [--models resnet18,mobilenet_v2] [--batch 1,8] [--threads 1,2] \\
        [--repeats 10] [--peers-python build/peers-venv/bin/python]

torchvision models at 224 x 224 with random weights (fixed seed), the
transformer encoder block of test/python/test_models.py (sequence 128,
width 256, 4 heads, feed-forward 1024) and the FashionMNIST MLP and CNN.
Each is checked against PyTorch (rtol 1e-3 of the output's scale) before
it is timed; times are medians. "vs X" is X's time / mlc's time (above 1:
mlc is faster).

ONNX Runtime (the model exported with torch.onnx.export) and TVM
(relax.frontend.torch.from_fx, tvm.compile for this CPU with TVM's default
pipeline: no MetaSchedule tuning, which takes hours per model) run in
benchmarks/model_peers.py under the peers' virtual environment that
scripts/benchmark makes; a peer that is missing or fails shows "-" and a
note says why. TVM is timed with a third of the repeats (it is slow
untuned).
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "test", "python"))
from timing import bench_args, build_checked, median_time  # noqa: E402

PEERS_PYTHON = os.path.join(HERE, "..", "build", "peers-venv", "bin",
                            "python")


def models():
    """name -> (module factory, input shape at batch 1)."""
    import torchvision
    from mlc.examples.fashion_mnist import CNN, MLP
    from test_models import EncoderBlock

    def vision(name):
        return lambda: getattr(torchvision.models, name)(), (1, 3, 224, 224)

    table = {name: vision(name) for name in
             ("resnet18", "resnet50", "mobilenet_v2", "efficientnet_b0")}
    table["transformer block"] = (
        lambda: EncoderBlock(dim=256, heads=4, hidden=1024,
                             scale_from_shape=False), (1, 128, 256))
    table["fashion-mnist mlp"] = (MLP, (1, 784))
    table["fashion-mnist cnn"] = (CNN, (1, 1, 28, 28))
    return table


def milliseconds(seconds):
    """Three significant digits, never an exponent (0.0123, 1.87, 1870)."""
    ms = seconds * 1e3
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.3g}"


def peers(python, name, batch, threads, repeats):
    """ONNX Runtime's and TVM's results for one model (model_peers.py in
    the peers' environment), or the reason they are missing."""
    if not os.path.exists(python):
        why = f"no {python} (scripts/benchmark makes it)"
        return {"onnxruntime": {"error": why}, "tvm": {"error": why}}
    proc = subprocess.run(
        [python, os.path.join(HERE, "model_peers.py"), name, str(batch),
         str(threads), str(max(1, repeats // 3))],
        capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {p: {"error": f"model_peers.py failed: {tail}"[:120]}
                for p in ("onnxruntime", "tvm")}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    def options(parser):
        parser.add_argument("--batch", default="1,8")
        parser.add_argument("--peers-python", default=PEERS_PYTHON)
    parsed = bench_args(__doc__, "models", repeats=10, options=options)
    if parsed is None:
        return
    args, threads, wanted = parsed
    import torch
    from torch import fx
    from mlc.frontend import from_fx

    columns = ("mlc", "eager", "jit", "ort", "tvm")
    print(f"{'model':<19}{'b':>3}{'thr':>4}{'build':>7}{'tvm build':>10}"
          + "".join(f"{c:>10}" for c in columns)
          + "".join(f"{'vs ' + c:>9}" for c in columns[1:]))
    notes = []
    for name, (make, shape) in models().items():
        if wanted and not any(w in name for w in wanted):
            continue
        for batch in (int(b) for b in args.batch.split(",")):
            torch.manual_seed(0)
            model = make().eval()
            x = torch.randn(batch, *shape[1:])
            with torch.no_grad():
                expected = model(x).numpy()
                jit = torch.jit.optimize_for_inference(
                    torch.jit.trace(model, x))
            mod = from_fx(fx.symbolic_trace(model), input_shapes=[x.shape])
            xs = x.numpy()
            for t in threads:
                run, build = build_checked(mod, xs, expected, t)
                times = {"mlc": median_time(lambda: run(xs), args.repeats)}
                torch.set_num_threads(t)
                with torch.no_grad():
                    times["eager"] = median_time(lambda: model(x),
                                                 args.repeats)
                    times["jit"] = median_time(lambda: jit(x), args.repeats)
                others = peers(args.peers_python, name, batch, t,
                               args.repeats)
                for peer, key in (("onnxruntime", "ort"), ("tvm", "tvm")):
                    if "error" in others[peer]:
                        notes.append(f"{name} b{batch} {t}t {peer}: "
                                     f"{others[peer]['error']}")
                    else:
                        times[key] = others[peer]["seconds"]
                tvm = others["tvm"].get("build")
                cells = "".join(f"{milliseconds(times[c]):>8}ms" if c in times
                                else f"{'-':>10}" for c in columns)
                ratios = "".join(f"{times[c] / times['mlc']:>9.2f}"
                                 if c in times else f"{'-':>9}"
                                 for c in columns[1:])
                print(f"{name:<19}{batch:>3}{t:>4}{build:>6.1f}s"
                      + (f"{tvm:>9.1f}s" if tvm else f"{'-':>10}")
                      + cells + ratios, flush=True)
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    main()
