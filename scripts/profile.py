#!/usr/bin/python3
"""Where a model's time goes, kernel by kernel.

    PYTHONPATH=build/python /usr/bin/python3 scripts/profile.py \\
        --model mobilenet_v2 [--batch 1] [--threads 1] [--seconds 5] [--top 25]

Builds a torchvision model (random weights, 224 x 224) or the transformer
block of benchmarks/models.py, writes it with export_library (each fused
kernel is a symbol of its own, `mlc.<name>`, where the JIT's code has
none), runs it for --seconds in a child process under Linux `perf record`
(Debian: linux-perf), and prints each kernel's share of the samples with
its argument and result types, which say which layer it is. The child
loads the library with mlc/runtime/loader.py alone, so no compiler is in
the profile.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

CHILD = r"""
import importlib.util, sys, time
import numpy as np
spec = importlib.util.spec_from_file_location("loader", sys.argv[1])
loader = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loader)
main = loader.load(sys.argv[2])["main"]
x = np.random.default_rng(0).standard_normal(
    [int(v) for v in sys.argv[3].split(",")]).astype(np.float32)
main(x)
start, calls = time.perf_counter(), 0
while time.perf_counter() - start < float(sys.argv[4]):
    main(x)
    calls += 1
print(f"{(time.perf_counter() - start) / calls * 1e3:.3f} ms per call "
      f"({calls} calls)")
"""


def signatures(module):
    """Kernel name -> its tensor types, from the fused module's text."""
    from mlc import relax
    text = relax.transform.Sequential([
        relax.transform.FoldBatchNorm(), relax.transform.LegalizeOps(),
        relax.transform.FuseOps()])(module).script()
    found = {}
    for m in re.finditer(r"tir\.func @([\w.]+)\((.*?)\) ->", text):
        found[m.group(1)] = ", ".join(
            re.findall(r"tensor<[^>]*>", m.group(2)))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if not shutil.which("perf"):
        sys.exit("profile.py needs Linux perf (apt-get install linux-perf)")
    from models import models
    from torch import fx
    import mlc
    from mlc import relax
    from mlc.frontend import from_fx

    table = models()
    if args.model not in table:
        sys.exit(f"unknown model {args.model!r}; one of: "
                 + ", ".join(sorted(table)))
    make, shape = table[args.model]
    shape = (args.batch,) + tuple(shape[1:])
    module = from_fx(fx.symbolic_trace(make().eval()),
                     input_info=[(shape, "float32")])
    kernels = signatures(module)
    loader = os.path.join(os.path.dirname(mlc.__file__), "runtime",
                          "loader.py")
    with tempfile.TemporaryDirectory() as tmp:
        library = os.path.join(tmp, "model.so")
        relax.vm.build(module, threads=args.threads).export_library(library)
        child = os.path.join(tmp, "child.py")
        with open(child, "w") as f:
            f.write(CHILD)
        data = os.path.join(tmp, "perf.data")
        run = subprocess.run(
            ["perf", "record", "-q", "-o", data, sys.executable, child,
             loader, library, ",".join(map(str, shape)), str(args.seconds)],
            capture_output=True, text=True, check=True)
        print(f"{args.model} batch {args.batch}, {args.threads} thread(s): "
              + run.stdout.strip())
        report = subprocess.run(
            ["perf", "report", "-i", data, "--no-children", "--sort", "sym",
             "--stdio"], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(\S+)", line)
        if m:
            rows.append((float(m.group(1)), m.group(3)))
    print(f"{'share':>7}  kernel: argument and result types")
    for share, symbol in rows[:args.top]:
        name = symbol[len("mlc."):] if symbol.startswith("mlc.") else symbol
        types = kernels.get(name, "")
        print(f"{share:6.2f}%  {name}" + (f": {types}" if types else ""))


if __name__ == "__main__":
    main()
