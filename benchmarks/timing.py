"""Timing shared by the benchmark driver and its peer subprocesses."""

import time

import numpy as np


def median_time(fn, repeats, warmup=True):
    """The median wall time of `repeats` calls of `fn` (after one warm-up
    call unless `warmup` is false)."""
    if warmup:
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-pthread"


def without_threads(argv):
    """`argv` less its --threads option (`--threads N` or `--threads=N`)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--threads":
            skip = True
        elif not arg.startswith("--threads="):
            out.append(arg)
    return out


def run_per_thread_count(threads, argv):
    """Runs this script once per thread count in `threads`, each in a child
    process whose PyTorch and numpy use OpenBLAS (libopenblas0-pthread,
    its AVX-512 kernels: OPENBLAS_CORETYPE removed) on that many threads,
    the peers the benchmarks count; Debian's PyTorch otherwise runs
    matmuls on the reference BLAS. Returns False in a child (which then
    measures), True after the children have run."""
    import os
    import subprocess
    import sys
    if os.environ.get("MLC_BENCH_CHILD"):
        return False
    if not os.path.isdir(OPENBLAS):
        print(f"note: {OPENBLAS} missing (apt-get install "
              "libopenblas0-pthread): PyTorch runs on the reference BLAS")
    for t in threads:
        env = {k: v for k, v in os.environ.items()
               if k != "OPENBLAS_CORETYPE"}
        env.update(MLC_BENCH_CHILD="1", OPENBLAS_NUM_THREADS=str(t),
                   OMP_NUM_THREADS=str(t), TVM_NUM_THREADS=str(t))
        if os.path.isdir(OPENBLAS):
            env["LD_LIBRARY_PATH"] = OPENBLAS
        subprocess.run([sys.executable] + without_threads(argv) +
                       ["--threads", str(t)], env=env, check=True)
    return True


def bench_args(doc, names, repeats, options=None):
    """The command line of a per-thread-count benchmark (layers.py,
    models.py): --<names> (substrings of what to run), --threads, --repeats,
    and whatever `options(parser)` adds. Returns (args, threads, wanted),
    or None in the parent once the children (run_per_thread_count) have
    run."""
    import argparse
    import sys
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(f"--{names}", default="",
                        help=f"comma-separated substrings of {names}' names")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=repeats)
    if options is not None:
        options(parser)
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    if run_per_thread_count(threads, sys.argv):
        return None
    wanted = [w for w in getattr(args, names).split(",") if w]
    return args, threads, wanted


def build_checked(module, example, expected, threads):
    """Builds `module` (relax) for `threads`, checks its output on
    `example` against PyTorch's `expected` (rtol 1e-3 of the output's
    scale), and returns (the compiled main, build seconds)."""
    import mlc
    from mlc import relax
    start = time.perf_counter()
    vm = relax.VirtualMachine(relax.vm.build(module, threads=threads),
                              mlc.cpu())
    seconds = time.perf_counter() - start
    check_close(vm["main"](example).numpy(), expected)
    return vm["main"], seconds


def check_close(got, expected):
    """Raises unless `got` matches PyTorch's `expected` in shape, dtype and
    value (rtol 1e-3, atol 1e-3 of the output's scale)."""
    assert got.shape == expected.shape and got.dtype == expected.dtype, \
        f"{got.dtype}{list(got.shape)} != {expected.dtype}{list(expected.shape)}"
    scale = float(np.abs(expected).max())
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-3 * scale)
