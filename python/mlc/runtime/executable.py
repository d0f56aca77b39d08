"""Compiled executables and calling their functions."""

import numpy as np

from .._ffi import lib


def _to_numpy(value, what):
    from ..nd import NDArray  # circular at import time
    if isinstance(value, NDArray):
        return value.numpy()
    if isinstance(value, np.ndarray):
        return value
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
        results, a tuple of numpy arrays that own their memory."""
        if name not in self._functions:
            self.signature(name)  # raises KeyError naming the functions
        return self._native.call(name, self.arrays(name, inputs))

    def arrays(self, name, inputs):
        """`inputs` as the native call takes them: numpy arrays (the common
        case, passed as they are: this is on the batch-1 latency path; the
        native call checks dtypes and shapes and makes strided arrays
        contiguous)."""
        for value in inputs:
            if type(value) is not np.ndarray:
                return [_to_numpy(v, f"{name}: argument #{i}")
                        for i, v in enumerate(inputs)]
        return inputs

    def export_library(self, path):
        """Writes a shared library of the compiled functions that a process
        without MLIR loads with ``mlc/runtime/loader.py`` (ctypes and numpy
        only)."""
        self._native.export_library(str(path))

    def lowered_text(self):
        """The module as compiled, in the LLVM dialect."""
        return self._native.lowered_text()
