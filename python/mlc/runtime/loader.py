"""Loads a library written by ``export_library`` and calls its functions.

This file imports only ctypes, json and numpy: a process that loads an
exported model needs neither MLIR nor the rest of mlc. Use it from the
package (``from mlc.runtime.loader import load``) or on its own, copied next
to the library or imported by path.

    lib = load("model.so")
    (logits,) = lib["main"](images)          # numpy arrays in and out

The library exports each function's C interface, ``_mlir_ciface_mlc.<name>``,
taking a pointer to the result memref descriptors first and a pointer to each
input's descriptor; results are buffers the library allocated with malloc,
owned by the returned arrays (freed with free() when they die). The string
``mlc_metadata`` describes the signatures as JSON.

Calls go through the library's C API ``int mlc_invoke(void (*)(void **),
void **)`` with the packed entry point the metadata names (``entry``:
``_mlir__mlir_ciface_mlc.<name>``, one pointer to each argument): a violated run-time requirement (sizes that do
not agree, a read out of bounds) or a failed allocation makes it return 1,
and ``const char *mlc_last_error(void)`` says why; this loader raises
``RuntimeError`` with that message. (Calling the C interface directly
bypasses that: such a failure aborts the process.)
"""

import collections
import ctypes
import functools
import json
import os
import sys

import numpy as np

__all__ = ["load", "Library", "Function"]

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None


def _descriptor(rank):
    """The ctypes struct of a ranked memref descriptor."""

    class Descriptor(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p),
                    ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64),
                    ("sizes", ctypes.c_int64 * rank),
                    ("strides", ctypes.c_int64 * rank)]

    return Descriptor


class _Allocation:
    """A result buffer the library allocated: freed when the last array
    over it dies."""

    __slots__ = ("address",)

    def __init__(self, address):
        self.address = address

    def __del__(self):
        _libc.free(self.address)


class Function:
    """One exported function, called on numpy arrays."""

    def __init__(self, lib, info):
        self.name = info["name"]
        self._info = info
        self._inputs = [p for p in info["params"] if not p["is_output"]]
        self._packed = ctypes.cast(lib[info["entry"]], ctypes.c_void_p)
        self._invoke = lib.mlc_invoke
        self._invoke.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._invoke.restype = ctypes.c_int
        self._last_error = lib.mlc_last_error
        self._last_error.restype = ctypes.c_char_p
        fields = [(f"r{i}", _descriptor(len(r["shape"])))
                  for i, r in enumerate(info["results"])]
        self._results_type = type("Results", (ctypes.Structure,),
                                  {"_fields_": fields})

    def __call__(self, *args):
        if len(args) != len(self._inputs):
            raise TypeError(f"{self.name} takes {len(self._inputs)} inputs, "
                            f"got {len(args)}")
        arrays, descriptors = [], []
        for i, (arg, param) in enumerate(zip(args, self._inputs)):
            what = f"{self.name}: argument #{i} '{param['name']}'"
            array = np.asarray(arg, order="C")  # keeps 0-d arrays 0-d
            if array.dtype != np.dtype(param["dtype"]):
                raise TypeError(f"{what} has dtype {array.dtype} but the "
                                f"function takes {param['dtype']}")
            if array.ndim != len(param["shape"]) or any(
                    want >= 0 and want != got
                    for want, got in zip(param["shape"], array.shape)):
                want = tuple(None if d < 0 else d for d in param["shape"])
                raise ValueError(f"{what} has shape {array.shape} but the "
                                 f"function takes {want}")
            desc = _descriptor(array.ndim)()
            desc.allocated = desc.aligned = array.ctypes.data
            desc.offset = 0
            for d in range(array.ndim):
                desc.sizes[d] = array.shape[d]
                desc.strides[d] = array.strides[d] // array.itemsize
            arrays.append(array)
            descriptors.append(desc)
        results = self._results_type()
        pointers = [ctypes.c_void_p(ctypes.addressof(d)) for d in descriptors]
        if self._info["results"]:
            pointers.insert(0, ctypes.c_void_p(ctypes.addressof(results)))
        packed = (ctypes.c_void_p * max(len(pointers), 1))(
            *[ctypes.addressof(p) for p in pointers])
        if self._invoke(self._packed, packed) != 0:
            raise RuntimeError(f"{self.name}: "
                               f"{self._last_error().decode(errors='replace')}")
        outputs, owners = [], {}
        for i, info in enumerate(self._info["results"]):
            desc = getattr(results, f"r{i}")
            dtype = np.dtype(info["dtype"])
            shape = tuple(desc.sizes)
            count = int(np.prod(shape, dtype=np.int64))
            address = (desc.aligned or 0) + desc.offset * dtype.itemsize
            buffer = (ctypes.c_char * (count * dtype.itemsize)).from_address(
                address) if count else bytearray()
            array = np.ndarray(shape, dtype, buffer=buffer,
                               strides=tuple(s * dtype.itemsize
                                             for s in desc.strides))
            if desc.allocated:
                # The buffer's owner frees it once, when no result uses it
                # (a function can return one buffer twice).
                owner = owners.get(desc.allocated)
                if owner is None:
                    owner = owners[desc.allocated] = _Allocation(
                        desc.allocated)
                if count:
                    buffer.owner = owner  # the array's base keeps it
            outputs.append(array)
        if self._info.get("result_structure"):
            return restructure(self._info["result_structure"], outputs,
                               lambda a: a, lambda a: int(a))
        return tuple(outputs)


@functools.lru_cache(maxsize=None)
def _named_tuple(name, fields):
    return collections.namedtuple(name, fields)


def restructure(structure, results, tensor, integer):
    """The value a function returns to Python, as its
    relax.result_structure (JSON text) describes it: `tensor(results[k])`
    for {"tensor": k}, `integer(results[k])` for {"int": k} (a 0-d int64
    result), constants for {"value": v}, tuples and lists of those, dicts
    for {"dict": [[key, node], ...]}, named tuples (torch.return_types)
    for {"namedtuple": [name, fields, items]}, and torch.Size for {"size":
    [...]} (a tuple when torch is not imported)."""
    def build(node):
        (key, value), = node.items()
        if key == "tensor":
            return tensor(results[value])
        if key == "int":
            return integer(results[value])
        if key == "value":
            return float(value["float"]) if isinstance(value, dict) \
                else value
        if key == "dict":
            return {k: build(item) for k, item in value}
        if key == "namedtuple":
            name, fields, items = value
            return _named_tuple(name, tuple(fields))(
                *[build(item) for item in items])
        items = [build(item) for item in value]
        if key == "size":
            # torch.Size when the caller uses torch (the loader itself
            # never imports it), else a tuple.
            torch = sys.modules.get("torch")
            return torch.Size(items) if torch is not None else tuple(items)
        return tuple(items) if key == "tuple" else items
    return build(json.loads(structure))


class Library:
    """An exported library: its functions by name."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self._lib = ctypes.CDLL(self.path)
        text = ctypes.c_char_p.in_dll(self._lib, "mlc_metadata").value
        meta = json.loads(text.decode())
        if meta.get("format") != 2:
            raise ValueError(f"{path}: unknown metadata format "
                             f"{meta.get('format')!r} (this loader reads 2)")
        self._infos = {f["name"]: f for f in meta["functions"]}

    def function_names(self):
        return list(self._infos)

    def signature(self, name):
        return self._infos[name]

    def __getitem__(self, name):
        if name not in self._infos:
            raise KeyError(f"no function named '{name}' in {self.path} "
                           f"(it has {', '.join(self._infos)})")
        return Function(self._lib, self._infos[name])


def load(path):
    """Loads a library written by ``export_library``."""
    return Library(path)
