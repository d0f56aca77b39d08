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


# An AddressSanitizer build keeps nothing (it must see every free): the
# tests of what is kept are skipped there, those of the numbers run.
needs_cache = pytest.mark.skipif(
    not mlc._ffi.lib.runtime.buffer_cache_enabled(),
    reason="the runtime keeps no buffers under AddressSanitizer")


@needs_cache
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


def test_an_exported_library_keeps_its_own_cache_steady(tmp_path):
    # An exported library has a cache of its own (its copy of the runtime
    # core), exported as mlc_cached_buffer_bytes; once warm, calls reuse
    # its buffers rather than adding more. (unittests/Runtime/
    # BufferCacheTest.cpp checks the reuse of each buffer directly.)
    import ctypes
    from mlc.runtime import loader
    # Layers of different widths: buffers of many sizes, as a CNN's.
    torch.manual_seed(0)
    widths = [512, 576, 640, 704, 768, 832, 896, 960, 1024]
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers).eval()
    mod = from_fx(fx.symbolic_trace(model), input_info=[((256, 512),
                                                         "float32")])
    path = str(tmp_path / "mlp.so")
    relax.vm.build(mod, threads=1).export_library(path)
    lib = loader.load(path)
    so = ctypes.CDLL(path)
    so.mlc_cached_buffer_bytes.restype = ctypes.c_size_t
    x = np.random.default_rng(2).standard_normal((256, 512), np.float32)
    for _ in range(10):
        (got,) = lib["main"](x)
    np.testing.assert_allclose(got, expected(model, x), rtol=1e-4, atol=1e-5)
    warm = so.mlc_cached_buffer_bytes()
    assert warm >= 256 * 512 * 4
    for _ in range(10):
        lib["main"](x)
    assert so.mlc_cached_buffer_bytes() == warm
