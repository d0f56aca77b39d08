"""Runtime: devices, compiled executables, exported libraries, arrays."""

from .device import Device, cpu
from .executable import Executable
from .module import LoadedModule, load_module
from .timing import BenchmarkResult


def cached_buffer_bytes():
    """Bytes of freed intermediate buffers the runtime keeps for the next
    call (buffers of 64 KiB or more, up to 1 GiB in all), so that a model's
    buffers are not faulted in afresh at every call."""
    from .._ffi import lib
    return lib.runtime.cached_buffer_bytes()


def release_cached_buffers():
    """Gives the buffers :func:`cached_buffer_bytes` counts back to libc
    (after the last call of a large model, say)."""
    from .._ffi import lib
    lib.runtime.release_cached_buffers()


def tensor(data, device=None, dtype=None):
    """TVM's ``tvm.runtime.tensor``: an NDArray holding a copy of
    `data` (as ``mlc.nd.array``)."""
    from ..nd import array
    return array(data, device, dtype)


__all__ = ["Device", "cpu", "Executable", "LoadedModule", "load_module",
           "BenchmarkResult", "tensor", "cached_buffer_bytes",
           "release_cached_buffers"]
