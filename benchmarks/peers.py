"""Runs one peer measurement in this process and prints it as JSON.

Called by run.py in a subprocess whose environment selects the BLAS
(LD_LIBRARY_PATH) and the thread count, so that several BLAS builds are
measured in one run. Usage: peers.py WHAT SIZE THREADS REPEATS
"""

import json
import sys

import numpy as np

from timing import median_time


def main():
    what, size, threads, repeats = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), int(sys.argv[4])
    rng = np.random.default_rng(0)
    if what == "numpy-sgemm":
        a = rng.standard_normal((size, size), dtype=np.float32)
        b = rng.standard_normal((size, size), dtype=np.float32)
        t = median_time(lambda: a @ b, repeats)
    else:
        import torch
        torch.set_num_threads(threads)
        if what == "torch-sgemm":
            a = torch.randn(size, size)
            b = torch.randn(size, size)
            t = median_time(lambda: torch.mm(a, b), repeats)
        elif what == "torch-mlp":  # eager FashionMNIST MLP at batch SIZE
            from mlc.examples.fashion_mnist import MLP
            model = MLP().eval()
            x = torch.randn(size, 784)
            with torch.no_grad():
                t = median_time(lambda: model(x), repeats)
        elif what == "torch-cnn":  # eager FashionMNIST CNN at batch SIZE
            from mlc.examples.fashion_mnist import CNN
            model = CNN().eval()
            x = torch.randn(size, 1, 28, 28)
            with torch.no_grad():
                t = median_time(lambda: model(x), repeats)
        else:
            sys.exit(f"unknown measurement {what!r}")
    print(json.dumps({"seconds": t}))


if __name__ == "__main__":
    main()
