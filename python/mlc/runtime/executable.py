"""Compiled executables and calling their functions."""

import numpy as np

from .._ffi import lib


def _to_numpy(value, what):
    from ..nd import NDArray  # circular at import time
    if isinstance(value, NDArray):
        return value.numpy()
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    raise TypeError(f"{what} is a {type(value).__name__}; pass an "
                    "mlc.nd.NDArray or a numpy array")


class Executable:
    """A JIT-compiled module (MLIR's ExecutionEngine)."""

    def __init__(self, module, opt_level=3, fuse=True, threads=0):
        self._native = lib.runtime.compile(module._handle, opt_level, fuse,
                                           threads)
        self._functions = {f["name"]: f for f in self._native.functions()}

    def function_names(self):
        return list(self._functions)

    def signature(self, name):
        if name not in self._functions:
            raise KeyError(f"no function named '{name}' (the executable has "
                           f"{', '.join(self._functions)})")
        return self._functions[name]

    def call(self, name, inputs):
        """Calls `name` on inputs (NDArrays or numpy arrays); returns the
        results as numpy arrays that own their memory."""
        if name not in self._functions:
            self.signature(name)  # raises KeyError naming the functions
        # Contiguous numpy arrays go as they are (the common case, kept
        # cheap for batch-1 latency); the native call checks dtypes and
        # shapes.
        arrays = [v if type(v) is np.ndarray and v.flags.c_contiguous
                  else _to_numpy(v, f"{name}: argument #{i}")
                  for i, v in enumerate(inputs)]
        return self._native.call(name, arrays)

    def export_library(self, path):
        """Writes a shared library of the compiled functions that a process
        without MLIR loads with ``mlc/runtime/loader.py`` (ctypes and numpy
        only)."""
        self._native.export_library(str(path))

    def lowered_text(self):
        """The module as compiled, in the LLVM dialect."""
        return self._native.lowered_text()
