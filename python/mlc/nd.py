"""n-dimensional arrays (TVM's tvm.nd) over numpy memory."""

import numpy as np

from .runtime.device import Device, cpu


class NDArray:
    """A tensor in host memory over a numpy array. ``numpy()`` returns that
    array (no copy); ``mlc.nd.array`` makes one from a copy of its data,
    ``mlc.nd.from_dlpack`` one that shares it."""

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

    def __dlpack__(self, stream=None):
        return self._array.__dlpack__()

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()

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
    """An NDArray holding a copy of `data` (an NDArray, a numpy array or
    anything ``np.asarray`` takes), as TVM's ``tvm.nd.array`` copies: later
    writes to `data` do not change it. ``from_dlpack`` (and calls that take
    numpy arrays directly, ``vm["main"](x)``) share memory instead."""
    if isinstance(data, NDArray):
        data = data.numpy()
    if device is not None and not isinstance(device, Device):
        raise TypeError("device must be mlc.cpu()")
    return NDArray(np.array(data, dtype=dtype, order="C", copy=True), device)


def from_dlpack(tensor, device=None):
    """An NDArray sharing the memory of `tensor`, any object with
    ``__dlpack__`` on the CPU (a numpy array, a torch tensor): no copy. A
    strided tensor stays strided; calls make it contiguous as they do any
    strided array."""
    if device is not None and not isinstance(device, Device):
        raise TypeError("device must be mlc.cpu()")
    if not hasattr(tensor, "__dlpack__"):
        raise TypeError(f"from_dlpack: a {type(tensor).__name__} has no "
                        "__dlpack__")
    return NDArray(np.from_dlpack(tensor), device)


def empty(shape, dtype="float32", device=None):
    """An uninitialized NDArray."""
    return NDArray(np.empty(shape, dtype=dtype), device)
