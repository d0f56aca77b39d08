"""Runtime: devices, compiled executables, exported libraries, arrays."""

from .device import Device, cpu
from .executable import Executable
from .module import LoadedModule, load_module
from .timing import BenchmarkResult


def tensor(data, device=None, dtype=None):
    """TVM's ``tvm.runtime.tensor``: an NDArray holding a copy of
    `data` (as ``mlc.nd.array``)."""
    from ..nd import array
    return array(data, device, dtype)


__all__ = ["Device", "cpu", "Executable", "LoadedModule", "load_module",
           "BenchmarkResult", "tensor"]
