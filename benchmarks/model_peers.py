"""ONNX Runtime and Apache TVM on one model of models.py, printed as JSON.

Run by models.py with the peers' virtual environment's Python (made by
scripts/benchmark: `python3 -m venv --system-site-packages`, so Debian's
torch builds and exports the same model), in a process of its own per
thread count. Usage:

    model_peers.py MODEL BATCH THREADS REPEATS

Prints {"onnxruntime": R, "tvm": R} where R is {"seconds": median,
"build": seconds} or {"error": why}. Each peer's output is checked
against PyTorch (as models.py checks mlc's) before it is timed.
"""

import io
import json
import os
import sys
import time
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from timing import check_close, median_time  # noqa: E402


def onnxruntime_peer(model, x, expected, threads, repeats):
    import onnxruntime as ort
    import torch
    start = time.perf_counter()
    blob = io.BytesIO()
    torch.onnx.export(model, x, blob, input_names=["x"], output_names=["y"],
                      opset_version=13)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(blob.getvalue(), options,
                                   providers=["CPUExecutionProvider"])
    build = time.perf_counter() - start
    feed = {"x": x.numpy()}
    check_close(session.run(None, feed)[0], expected)
    seconds = median_time(lambda: session.run(None, feed), repeats)
    return {"seconds": seconds, "build": build}


def host_cpu():
    """LLVM's name of this CPU (e.g. "rocketlake"), asked of TVM's own LLVM:
    TVM 0.2x rejects "native" for its default (conda) target triple."""
    from tvm.target import codegen
    return codegen.llvm_get_system_cpu()


def tvm_peer(model, x, expected, threads, repeats):
    import torch
    # TVM 0.2x's torch frontend package imports its torch.export importer,
    # whose annotations name torch.export.ExportedProgram; torch 1.13 has
    # no torch.export. The fx importer used here does not touch it.
    if not hasattr(torch, "export"):
        torch.export = types.SimpleNamespace(ExportedProgram=object)
    import tvm
    from tvm import relax
    from tvm.relax.frontend.torch import from_fx
    from torch import fx
    start = time.perf_counter()
    with torch.no_grad():
        mod = from_fx(fx.symbolic_trace(model),
                      [(tuple(x.shape), "float32")])
    # Inference-mode batch norm (TVM's batch_norm otherwise normalizes
    # with the batch's statistics), as TVM's tutorials do before build.
    mod = relax.transform.DecomposeOpsForInference()(mod)
    target = tvm.target.Target({"kind": "llvm", "mtriple": "x86_64-linux-gnu",
                                "mcpu": host_cpu(), "num-cores": threads})
    vm = relax.VirtualMachine(tvm.compile(mod, target=target), tvm.cpu())
    build = time.perf_counter() - start
    arg = tvm.runtime.tensor(x.numpy())
    start = time.perf_counter()
    check_close(vm["main"](arg).numpy(), expected)
    # Untuned, a call of a large model takes seconds: then one more call
    # (the first was a warm-up) is the figure.
    if time.perf_counter() - start > 1.0:
        repeats = 1
    seconds = median_time(lambda: vm["main"](arg), repeats, warmup=False)
    return {"seconds": seconds, "build": build}


def main():
    name, batch, threads, repeats = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), int(sys.argv[4])
    import torch
    from models import models
    torch.set_num_threads(threads)
    make, shape = models()[name]
    torch.manual_seed(0)
    model = make().eval()
    x = torch.randn(batch, *shape[1:])
    with torch.no_grad():
        expected = model(x).numpy()
    out = {}
    for peer, run in (("onnxruntime", onnxruntime_peer), ("tvm", tvm_peer)):
        try:
            out[peer] = run(model, x, expected, threads, repeats)
        except Exception as e:  # the table says why a peer did not run
            line = str(e).strip().splitlines()
            out[peer] = {"error": f"{type(e).__name__}: "
                         f"{line[-1] if line else ''}"[:120]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
