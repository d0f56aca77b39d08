"""TVM's ``tvm.runtime.load_module``: a library written by
``export_library``, loaded with ctypes (``loader.py``: no MLIR in the
calls), runnable with ``relax.VirtualMachine(loaded, mlc.cpu())``."""

import os
import time

from .loader import Library
from .timing import BenchmarkResult

__all__ = ["LoadedModule", "load_module"]


class LoadedModule:
    """An exported library: ``lib["main"](*numpy_arrays)`` returns numpy
    arrays (``loader.Function``)."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self._library = Library(self.path)

    def __getitem__(self, name):
        if name not in self._library.function_names():
            raise KeyError(f"no function named '{name}' in {self.path} (it "
                           f"has {', '.join(self._library.function_names())})")
        return self._library[name]

    def function_names(self):
        return self._library.function_names()

    def time_evaluator(self, func_name, dev=None, number=10, repeat=1,
                       min_repeat_ms=0):
        """TVM's timing for a loaded library. Its calls go through ctypes,
        so the loop is Python's (a few microseconds per call more than a
        compiled executable's native loop)."""
        from .device import Device
        if dev is not None and not isinstance(dev, Device):
            raise TypeError("time_evaluator: dev must be mlc.cpu()")
        if number < 1 or repeat < 1 or min_repeat_ms < 0:
            raise ValueError("time_evaluator: number and repeat must be >= 1 "
                             "and min_repeat_ms >= 0")
        function = self[func_name]

        def evaluate(*args):
            function(*args)  # untimed, as TVM's first call
            results = []
            for _ in range(repeat):
                calls = number
                while True:
                    start = time.perf_counter()
                    for _ in range(calls):
                        function(*args)
                    elapsed = time.perf_counter() - start
                    if elapsed * 1e3 >= min_repeat_ms:
                        break
                    calls = int(max(min_repeat_ms / 1e3 /
                                    max(elapsed / calls, 1e-9) + 1,
                                    calls * 1.618))
                results.append(elapsed / calls)
            return BenchmarkResult(results)
        return evaluate

    def __repr__(self):
        return f"LoadedModule({self.path!r})"


def load_module(path, fmt=""):
    """Loads a library ``export_library`` wrote."""
    if fmt not in ("", "so"):
        raise ValueError(f"load_module: format {fmt!r} is not supported "
                         "(mlc exports shared libraries)")
    if not os.path.exists(path):
        raise FileNotFoundError(f"load_module: no file {path}")
    return LoadedModule(path)
