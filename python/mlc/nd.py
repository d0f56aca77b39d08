"""n-dimensional arrays (TVM's tvm.nd) over numpy memory."""

import numpy as np

from .runtime.device import Device, cpu


class NDArray:
    """A tensor in host memory: a C-contiguous numpy array, shared, not
    copied. ``numpy()`` returns that array."""

    def __init__(self, array, device=None):
        if not isinstance(array, np.ndarray):
            raise TypeError("NDArray wraps a numpy array; use mlc.nd.array")
        self._array = array
        self.device = device or cpu()

    def numpy(self):
        """The array's data as numpy (the same memory, no copy)."""
        return self._array

    def asnumpy(self):
        return self._array

    @property
    def shape(self):
        return self._array.shape

    @property
    def dtype(self):
        return str(self._array.dtype)

    def copyfrom(self, source):
        """Copies `source` (NDArray or array-like) into this array."""
        data = source.numpy() if isinstance(source, NDArray) else source
        np.copyto(self._array, np.asarray(data, dtype=self._array.dtype))
        return self

    def __repr__(self):
        return f"<mlc.nd.NDArray shape={self.shape} dtype={self.dtype}>\n" + \
            repr(self._array)


def array(data, device=None, dtype=None):
    """An NDArray holding `data`. A C-contiguous numpy array of the wanted
    dtype is shared, not copied; anything else is converted once."""
    if isinstance(data, NDArray):
        data = data.numpy()
    if device is not None and not isinstance(device, Device):
        raise TypeError("device must be mlc.cpu()")
    arr = np.asarray(data, dtype=dtype)
    if not arr.flags["C_CONTIGUOUS"]:
        arr = np.asarray(arr, order="C")
    return NDArray(arr, device)


def empty(shape, dtype="float32", device=None):
    """An uninitialized NDArray."""
    return NDArray(np.empty(shape, dtype=dtype), device)
