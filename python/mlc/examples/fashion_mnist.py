"""The main job: FashionMNIST models from PyTorch, compiled by mlc.

    /usr/bin/python3 -m mlc.examples.fashion_mnist [--model mlp|cnn]

Builds the chapter's MLP (or the assignment's CNN) in PyTorch with the
trained weights, traces it with torch.fx, imports it with
mlc.frontend.from_fx, compiles it with relax.vm.build and classifies the
10,000 test images in batches. Prints the accuracy, the agreement with
PyTorch's predictions, the largest logit difference, and both run times
(PyTorch eager in the same process).
"""

import argparse
import gzip
import os
import pickle
import sys
import time

import numpy as np
import torch
from torch import fx, nn

import mlc
from mlc import relax
from mlc.frontend import from_fx

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DEBIAN_DATASET = "/usr/share/datasets/fashion-mnist"
WEIGHTS = {"mlp": "fasionmnist_mlp_params.pkl",
           "cnn": "fasionmnist_mlp_assignment_params.pkl"}


class MLP(nn.Module):
    """The chapter's model: linear 784 -> 128, ReLU, linear 128 -> 10."""

    def __init__(self):
        super().__init__()
        self.linear0 = nn.Linear(784, 128, bias=True)
        self.relu = nn.ReLU()
        self.linear1 = nn.Linear(128, 10, bias=True)

    def forward(self, x):
        x = self.linear0(x)
        x = self.relu(x)
        x = self.linear1(x)
        return x

    def load(self, params):
        self.linear0.weight.data = torch.from_numpy(params["w0"])
        self.linear0.bias.data = torch.from_numpy(params["b0"])
        self.linear1.weight.data = torch.from_numpy(params["w1"])
        self.linear1.bias.data = torch.from_numpy(params["b1"])


class CNN(nn.Module):
    """The assignment's model: conv 3x3 (32) -> ReLU -> max-pool 2x2 ->
    flatten -> linear 100 -> ReLU -> linear 10."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 32, kernel_size=3)
        self.relu0 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.linear0 = nn.Linear(32 * 13 * 13, 100)
        self.relu1 = nn.ReLU()
        self.linear1 = nn.Linear(100, 10)

    def forward(self, x):
        x = self.pool(self.relu0(self.conv(x)))
        x = self.relu1(self.linear0(self.flatten(x)))
        return self.linear1(x)

    def load(self, params):
        self.conv.weight.data = torch.from_numpy(params["conv2d_weight"])
        self.conv.bias.data = torch.from_numpy(params["conv2d_bias"])
        self.linear0.weight.data = torch.from_numpy(params["linear0_weight"])
        self.linear0.bias.data = torch.from_numpy(params["linear0_bias"])
        self.linear1.weight.data = torch.from_numpy(params["linear1_weight"])
        self.linear1.bias.data = torch.from_numpy(params["linear1_bias"])


def default_data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    # python/mlc/examples -> project root, then ../shared/data beside it;
    # from the build tree the package links back into the sources.
    for root in (os.path.join(here, "..", "..", ".."), os.getcwd()):
        candidate = os.path.normpath(os.path.join(os.path.realpath(root),
                                                  "..", "shared", "data"))
        if os.path.isdir(candidate):
            return candidate
    return os.path.normpath(os.path.join(os.getcwd(), "..", "shared", "data"))


def find_file(name, directories):
    for directory in directories:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(
        f"{name} not found in {', '.join(directories)}: install the Debian "
        "package dataset-fashion-mnist or pass --data-dir")


def load_test_set(data_dir):
    """Images (10000, 28, 28) as float32 in [0, 1] (torchvision's ToTensor)
    and labels."""
    directories = [DEBIAN_DATASET, data_dir]
    with gzip.open(find_file("t10k-images-idx3-ubyte.gz", directories)) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16)
    with gzip.open(find_file("t10k-labels-idx1-ubyte.gz", directories)) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    images = images.reshape(-1, 28, 28).astype("float32") / 255.0
    return images, labels.astype("int64")


def progress(iterable, total, desc):
    try:
        from tqdm import tqdm
        return tqdm(iterable, total=total, desc=desc, unit="batch",
                    file=sys.stdout)
    except ImportError:  # tqdm is optional
        return iterable


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Classify FashionMNIST with a PyTorch model compiled by "
                    "mlc, compared with PyTorch.")
    parser.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    parser.add_argument("--data-dir", default=default_data_dir(),
                        help="directory of the weights (and of the test set "
                             "if Debian's dataset-fashion-mnist is absent); "
                             "default ../shared/data")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--threads", type=int, default=0,
                        help="threads of mlc's parallel loops (default 0: "
                             "every core)")
    parser.add_argument("--limit", type=int, default=10000,
                        help="classify only the first N images")
    args = parser.parse_args(argv)

    images, labels = load_test_set(args.data_dir)
    images, labels = images[:args.limit], labels[:args.limit]
    with open(find_file(WEIGHTS[args.model], [args.data_dir]), "rb") as f:
        params = pickle.load(f)
    model = MLP() if args.model == "mlp" else CNN()
    model.load(params)
    model.eval()

    batch = min(args.batch_size, len(images))
    shape = (None, 784) if args.model == "mlp" else (None, 1, 28, 28)
    inputs = images.reshape((-1,) + shape[1:])

    start = time.perf_counter()
    module = from_fx(fx.symbolic_trace(model), input_shapes=[shape])
    executable = relax.vm.build(module, target="llvm", threads=args.threads)
    build_time = time.perf_counter() - start
    vm = relax.VirtualMachine(executable, mlc.cpu())

    mlc_logits, torch_logits = [], []
    mlc_time = torch_time = 0.0
    batches = range(0, len(inputs), batch)
    for i in progress(batches, len(batches), f"{args.model} on mlc"):
        x = np.ascontiguousarray(inputs[i:i + batch])
        t = time.perf_counter()
        # numpy straight in: no copy on the timed path (nd.array copies).
        out = vm["main"](x).numpy()
        mlc_time += time.perf_counter() - t
        mlc_logits.append(out)
        with torch.no_grad():
            xt = torch.from_numpy(x)
            t = time.perf_counter()
            ref = model(xt).numpy()
            torch_time += time.perf_counter() - t
        torch_logits.append(ref)
    mlc_logits = np.concatenate(mlc_logits)
    torch_logits = np.concatenate(torch_logits)

    mlc_pred = mlc_logits.argmax(1)
    torch_pred = torch_logits.argmax(1)
    n = len(labels)
    print(f"model: {args.model}, {n} test images, batches of {batch}")
    print(f"first predictions: "
          f"{', '.join(CLASS_NAMES[k] for k in mlc_pred[:3])}")
    print(f"accuracy (mlc):     {(mlc_pred == labels).mean():.4f}")
    print(f"accuracy (PyTorch): {(torch_pred == labels).mean():.4f}")
    print(f"agreement with PyTorch: {(mlc_pred == torch_pred).sum()}/{n}")
    print(f"largest logit difference: "
          f"{np.abs(mlc_logits - torch_logits).max():.3g}")
    print(f"import + build: {build_time:.2f} s")
    print(f"time: mlc {mlc_time:.3f} s, PyTorch eager {torch_time:.3f} s "
          f"(ratio {mlc_time / torch_time:.2f}; torch threads "
          f"{torch.get_num_threads()})")
    ok = (mlc_pred == torch_pred).all()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
