"""The runtime's buffer cache (lib/Runtime/RuntimeCore.c): freed
intermediate buffers of 64 KiB or more are kept for the next call instead
of going back to the kernel, and are reused without changing any result."""

import threading

import numpy as np
import pytest
import torch
from torch import fx

import mlc
from mlc import relax
from mlc.frontend import from_fx


def mlp(width=512, depth=4):
    torch.manual_seed(0)
    layers = []
    for _ in range(depth):
        layers += [torch.nn.Linear(width, width), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers).eval()


def compiled(model, shape, threads=1):
    mod = from_fx(fx.symbolic_trace(model), input_info=[(shape, "float32")])
    return relax.VirtualMachine(relax.vm.build(mod, threads=threads),
                                mlc.cpu())


def expected(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def test_intermediates_are_kept_and_released():
    model = mlp()
    vm = compiled(model, (256, 512))
    mlc.runtime.release_cached_buffers()
    assert mlc.runtime.cached_buffer_bytes() == 0
    x = np.random.default_rng(0).standard_normal((256, 512), np.float32)
    vm["main"](x)
    # 256 x 512 floats (512 KiB) per intermediate: at least one is kept.
    kept = mlc.runtime.cached_buffer_bytes()
    assert kept >= 256 * 512 * 4
    # Later calls reuse them: once warm, the cache does not grow (each call
    # hands one buffer out as its result, which the caller frees to libc, so
    # the first calls still add some, more when glibc's mmap threshold has
    # grown and sizes vary by a few bytes).
    for _ in range(10):
        vm["main"](x)
    warm = mlc.runtime.cached_buffer_bytes()
    for _ in range(10):
        vm["main"](x)
    assert mlc.runtime.cached_buffer_bytes() == warm
    mlc.runtime.release_cached_buffers()
    assert mlc.runtime.cached_buffer_bytes() == 0


def test_reused_buffers_give_the_same_numbers():
    model = mlp()
    vm = compiled(model, (256, 512))
    rng = np.random.default_rng(1)
    results = []
    for _ in range(4):
        x = rng.standard_normal((256, 512), np.float32)
        got = vm["main"](x).numpy()
        want = expected(model, x)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        results.append((got, want))
    # Results are the caller's: later calls (which reuse the freed
    # intermediates) leave the earlier results as they were.
    for got, want in results:
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_small_buffers_are_not_kept():
    model = mlp(width=16, depth=2)
    vm = compiled(model, (4, 16))
    mlc.runtime.release_cached_buffers()
    x = np.ones((4, 16), np.float32)
    np.testing.assert_allclose(vm["main"](x).numpy(), expected(model, x),
                               rtol=1e-5, atol=1e-6)
    assert mlc.runtime.cached_buffer_bytes() == 0


@pytest.mark.parametrize("threads", [1, 2])
def test_concurrent_callers_share_the_cache_safely(threads):
    model = mlp(depth=3)
    vm = compiled(model, (128, 512), threads=threads)
    inputs = [np.random.default_rng(s).standard_normal((128, 512), np.float32)
              for s in range(4)]
    wants = [expected(model, x) for x in inputs]
    failures = []

    def worker(i):
        try:
            for _ in range(20):
                got = vm["main"](inputs[i]).numpy()
                np.testing.assert_allclose(got, wants[i], rtol=1e-4,
                                           atol=1e-5)
        except Exception as error:  # collected for the main thread
            failures.append(error)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not failures, failures[0]
