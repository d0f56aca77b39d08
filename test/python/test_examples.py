"""The main job, through its command line, on the first images."""

import os
import re
import subprocess
import sys

import pytest

SHARED = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..",
                                       "..", "shared", "data"))


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_fashion_mnist_main_job(model):
    if not os.path.exists(os.path.join(SHARED, "fasionmnist_mlp_params.pkl")):
        pytest.skip("needs ../shared/data")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    run = subprocess.run(
        [sys.executable, "-m", "mlc.examples.fashion_mnist", "--model", model,
         "--limit", "300", "--batch-size", "128", "--data-dir", SHARED],
        capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "agreement with PyTorch: 300/300" in out, out
    mlc_acc = float(re.search(r"accuracy \(mlc\):\s+([0-9.]+)", out).group(1))
    torch_acc = float(re.search(r"accuracy \(PyTorch\):\s+([0-9.]+)",
                                out).group(1))
    assert mlc_acc == torch_acc and mlc_acc > 0.7
    assert float(re.search(r"largest logit difference: (\S+)",
                           out).group(1)) < 1e-3
