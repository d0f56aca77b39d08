"""mlc's benchmarks: one run, one table of ratios against numpy and PyTorch.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/run.py [--quick]

Every peer is measured in the same run. numpy and PyTorch run in
subprocesses whose dynamic loader path selects the BLAS: Debian's reference
BLAS (libblas3, what the packages use as shipped) and OpenBLAS
(libopenblas0-pthread, with its AVX-512 kernels: OPENBLAS_CORETYPE is
removed from the peers' environment), each on 1 and 2 threads. Times are
medians of repeated runs; ratios are peer time / mlc time (above 1: mlc is
faster). The FP32 FMA peak comes from peak_fma.c, compiled here.
"""

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time

import numpy as np

from timing import median_time

HERE = os.path.dirname(os.path.abspath(__file__))
LIBDIR = "/usr/lib/x86_64-linux-gnu"
BLAS = {
    "reference": os.path.join(LIBDIR, "blas"),
    "openblas": os.path.join(LIBDIR, "openblas-pthread"),
}


def peak_gflops(threads):
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "peak_fma")
        # -funroll-loops keeps the 16 chains in registers.
        subprocess.run(["cc", "-O3", "-march=native", "-funroll-loops",
                        "-pthread", os.path.join(HERE, "peak_fma.c"), "-o",
                        exe], check=True)
        # The best of three: the machine is shared.
        return max(float(subprocess.run([exe, str(threads)], check=True,
                                        capture_output=True,
                                        text=True).stdout)
                   for _ in range(3))


def peer(what, size, threads, blas, repeats):
    """Times `what` in a subprocess on the given BLAS and thread count."""
    if not os.path.isdir(BLAS[blas]):
        return None
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "LD_LIBRARY_PATH")}
    env.update(LD_LIBRARY_PATH=BLAS[blas], OPENBLAS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    run = subprocess.run(
        [sys.executable, os.path.join(HERE, "peers.py"), what, str(size),
         str(threads), str(repeats)], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        return None
    return json.loads(run.stdout)["seconds"]


def fmt_time(seconds):
    if seconds is None:
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def row(name, mlc_seconds, peers, flops=None, peak=None):
    """One line: mlc's time (and GFLOP/s, % of peak), then each peer's time
    and the ratio peer / mlc."""
    text = f"{name:<34} mlc {fmt_time(mlc_seconds):>10}"
    if flops:
        gf = flops / mlc_seconds / 1e9
        text += f" {gf:7.1f} GFLOP/s ({100 * gf / peak:4.1f}% of 1-core peak)"
    print(text)
    for label, seconds in peers:
        if seconds is None:
            print(f"{'':<36}{label:<28} n/a")
            continue
        extra = ""
        if flops:
            extra = f" {flops / seconds / 1e9:7.1f} GFLOP/s"
        print(f"{'':<36}{label:<28} {fmt_time(seconds):>10}{extra}"
              f"   ratio {seconds / mlc_seconds:8.3f}")


def sgemm_section(sizes, peak1, quick):
    import mlc
    from mlc import te
    from mlc.runtime import Executable
    print("\n== sgemm C = A @ B (float32); mlc: te matmul, mlc.build")
    for n in sizes:
        A = te.placeholder((n, n), name="A")
        B = te.placeholder((n, n), name="B")
        k = te.reduce_axis((0, n), name="k")
        C = te.compute((n, n), lambda i, j: te.sum(A[i, k] * B[k, j],
                                                   axis=k), name="matmul")
        exe = Executable(te.create_prim_func([A, B, C]))
        exe2 = Executable(te.create_prim_func([A, B, C]), threads=2)
        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        (c,) = exe.call("main", [a, b])
        assert np.allclose(c, a @ b, rtol=1e-3, atol=1e-2), "wrong sgemm"
        big = n >= 1024
        t_mlc = median_time(lambda: exe.call("main", [a, b]),
                            1 if big else 3, warmup=not big)
        reps = 3 if big else 10
        peers = [("mlc 2 threads (OpenMP)",
                  median_time(lambda: exe2.call("main", [a, b]),
                              1 if big else 3, warmup=not big))]
        for lib in ("numpy", "torch"):
            peers.append((f"{lib} reference BLAS 1t",
                          None if (quick and n > 512) else
                          peer(f"{lib}-sgemm", n, 1, "reference",
                               1 if n >= 1024 else reps)))
            for threads in (1, 2):
                peers.append((f"{lib} OpenBLAS {threads}t",
                              peer(f"{lib}-sgemm", n, threads, "openblas",
                                   reps)))
        row(f"sgemm {n}", t_mlc, peers, flops=2.0 * n ** 3, peak=peak1)


def mlp_model(params):
    import torch
    from torch import nn
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    model[0].weight.data = torch.from_numpy(params["w0"])
    model[0].bias.data = torch.from_numpy(params["b0"])
    model[2].weight.data = torch.from_numpy(params["w1"])
    model[2].bias.data = torch.from_numpy(params["b1"])
    return model.eval()


def model_sections(data_dir):
    import torch
    from torch import fx
    import mlc
    from mlc import relax
    from mlc.frontend import from_fx
    from mlc.examples.fashion_mnist import CNN

    with open(os.path.join(data_dir, "fasionmnist_mlp_params.pkl"), "rb") as f:
        mlp = mlp_model(pickle.load(f))
    with open(os.path.join(data_dir,
                           "fasionmnist_mlp_assignment_params.pkl"),
              "rb") as f:
        cnn = CNN()
        cnn.load(pickle.load(f))
        cnn.eval()

    print("\n== import + build (trace, from_fx, relax.vm.build)")
    for name, model, shape in (("MLP", mlp, (None, 784)),
                               ("CNN", cnn, (None, 1, 28, 28))):
        t = time.perf_counter()
        relax.vm.build(from_fx(fx.symbolic_trace(model),
                               input_shapes=[shape]))
        print(f"{name:<34} {fmt_time(time.perf_counter() - t):>10}")

    gm = fx.symbolic_trace(mlp)
    mod = from_fx(gm, input_shapes=[(None, 784)])
    fused = relax.VirtualMachine(relax.vm.build(mod), mlc.cpu())
    unfused = relax.VirtualMachine(relax.vm.build(mod, fuse=False), mlc.cpu())
    rng = np.random.default_rng(0)

    print("\n== FashionMNIST MLP (784-128-10); mlc 1 thread; PyTorch eager "
          "on OpenBLAS (subprocess)")
    for batch, label in ((1, "batch 1 latency"), (1024, "batch 1024"),
                         (10000, "batch 10000")):
        x = rng.random((batch, 784), dtype=np.float32)
        got = fused["main"](x).numpy()
        with torch.no_grad():
            assert np.allclose(got, mlp(torch.from_numpy(x)).numpy(),
                               rtol=1e-4, atol=1e-4)
        reps = 200 if batch == 1 else 10
        t_fused = median_time(lambda: fused["main"](x), reps)
        t_unfused = median_time(lambda: unfused["main"](x), reps)
        peers = [(f"torch eager OpenBLAS {t}t",
                  peer("torch-mlp", batch, t, "openblas", reps))
                 for t in (1, 2)]
        peers.append(("mlc unfused (same run)", t_unfused))
        row(f"MLP {label}", t_fused, peers)

    print("\n== FashionMNIST CNN (conv3x3-relu-pool-linear-relu-linear); "
          "mlc 1 thread; PyTorch eager in this process")
    vm = relax.VirtualMachine(relax.vm.build(from_fx(
        fx.symbolic_trace(cnn), input_shapes=[(None, 1, 28, 28)])), mlc.cpu())
    for batch in (1, 256):
        x = rng.random((batch, 1, 28, 28), dtype=np.float32)
        reps = 50 if batch == 1 else 3
        t_mlc = median_time(lambda: vm["main"](x), reps)
        peers = []
        for threads in (1, 2):
            torch.set_num_threads(threads)
            with torch.no_grad():
                xt = torch.from_numpy(x)
                peers.append((f"torch eager {threads}t",
                              median_time(lambda: cnn(xt), reps)))
        row(f"CNN batch {batch}", t_mlc, peers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="sgemm up to 1024 only, fewer reference runs")
    parser.add_argument("--data-dir", default=os.path.normpath(
        os.path.join(HERE, "..", "..", "shared", "data")))
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} cores; mlc: vectorized and fused, "
          "1 thread unless a row says otherwise")
    for name, path in BLAS.items():
        print(f"BLAS {name}: {path} "
              f"({'present' if os.path.isdir(path) else 'missing: apt-get install libopenblas0-pthread' if name == 'openblas' else 'missing'})")
    peak1, peak2 = peak_gflops(1), peak_gflops(2)
    print(f"FP32 FMA peak (peak_fma.c): 1 core {peak1:.1f} GFLOP/s, "
          f"2 cores {peak2:.1f} GFLOP/s")
    sizes = [256, 512, 1024] if args.quick else [256, 512, 1024, 2048]
    sgemm_section(sizes, peak1, args.quick)
    model_sections(args.data_dir)


if __name__ == "__main__":
    main()
