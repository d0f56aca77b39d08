"""Relax variables, constants and types."""

import numpy as np

from .._ffi import lib
from .struct_info import TensorStructInfo


class DynTensorType:
    """A tensor type of ``ndim`` dimensions (-1: unknown) and ``dtype``."""

    def __init__(self, ndim=-1, dtype="float32"):
        if not isinstance(ndim, int):
            raise TypeError("DynTensorType: ndim must be an int")
        self.ndim = ndim
        self.dtype = dtype

    def __repr__(self):
        return f"DynTensorType(ndim={self.ndim}, dtype={self.dtype})"


class Expr:
    """A relax value: a variable or a constant."""

    _handle = None

    @classmethod
    def _wrap(cls, handle):
        """The Python object for a native variable handle."""
        if handle.is_constant:
            kind = Constant
        elif handle.is_dataflow:
            kind = DataflowVar
        else:
            kind = Var
        obj = object.__new__(kind)
        obj._handle = handle
        return obj

    @property
    def name_hint(self):
        return self._handle.name

    @property
    def shape(self):
        """The shape, with None for a dynamic dimension."""
        return self._handle.shape

    @property
    def dtype(self):
        return self._handle.dtype

    @property
    def struct_info(self):
        """TVM's struct info: a TensorStructInfo of the shape and dtype."""
        return TensorStructInfo(tuple(self.shape), self.dtype)

    def __repr__(self):
        shape = ", ".join("?" if d is None else str(d) for d in self.shape)
        return (f"{type(self).__name__}({self.name_hint!r}, ({shape}), "
                f"{self.dtype})")


class Var(Expr):
    """A relax variable. Made by the user, it is a function parameter:
    ``relax.Var("A", relax.TensorStructInfo((128, 128), "float32"))``
    (TVM's current spelling) or, as the 2022 chapter writes it,
    ``relax.Var("A", (128, 128), relax.DynTensorType(2, "float32"))``."""

    def __init__(self, name_hint, shape_annotation=None, type_annotation=None,
                 struct_info=None):
        if not isinstance(name_hint, str):
            raise TypeError("relax.Var: the name must be a str")
        if isinstance(shape_annotation, TensorStructInfo):
            if struct_info is not None:
                raise TypeError("relax.Var: struct info given twice")
            struct_info, shape_annotation = shape_annotation, None
        if struct_info is not None:
            if not isinstance(struct_info, TensorStructInfo):
                raise TypeError("relax.Var: struct_info must be a "
                                "relax.TensorStructInfo")
            if shape_annotation is not None or type_annotation is not None:
                raise TypeError("relax.Var: give a struct_info or a shape "
                                "and type, not both")
            shape_annotation = struct_info.shape
            type_annotation = DynTensorType(struct_info.ndim,
                                            struct_info.dtype)
        if type_annotation is None:
            type_annotation = DynTensorType(
                -1 if shape_annotation is None else len(shape_annotation))
        if not isinstance(type_annotation, DynTensorType):
            raise TypeError("relax.Var: type_annotation must be a "
                            "relax.DynTensorType")
        shape = None if shape_annotation is None else list(shape_annotation)
        self._handle = lib.relax.make_var(name_hint, shape,
                                          type_annotation.ndim,
                                          type_annotation.dtype)


class DataflowVar(Var):
    """A variable defined inside a dataflow block, visible only there."""

    def __init__(self, *args, **kwargs):
        raise TypeError("DataflowVars are made by BlockBuilder.emit* inside "
                        "a dataflow block")


class Constant(Expr):
    """A constant tensor (a weight); made by ``relax.const``."""


_DTYPES = {
    np.dtype("float16"): "float16",
    np.dtype("float32"): "float32",
    np.dtype("float64"): "float64",
    np.dtype("int8"): "int8",
    np.dtype("int16"): "int16",
    np.dtype("int32"): "int32",
    np.dtype("int64"): "int64",
    np.dtype("uint8"): "uint8",
    np.dtype("bool"): "bool",
}

_const_count = [0]


def const(value, dtype=None, name=None):
    """A constant from a numpy array (or anything ``np.asarray`` takes).

    ``dtype`` is a dtype name or a ``DynTensorType`` (whose ``ndim``, when
    given, must match). Without one, a numpy array keeps its dtype and
    Python numbers and lists default as in TVM: float -> float32, int ->
    int32 (bool stays bool) when every value fits (2**40 stays int64, where
    TVM would wrap it); a Python number makes a rank-0 constant. Large
    constants are kept as blobs that ``show()`` elides.
    """
    if dtype is None and not isinstance(value, (np.ndarray, np.generic)):
        wide = np.asarray(value)
        if wide.dtype == np.dtype("float64"):
            dtype = "float32"
        elif wide.dtype == np.dtype("int64"):
            info = np.iinfo(np.int32)
            if wide.size == 0 or (info.min <= wide.min() and
                                  wide.max() <= info.max):
                dtype = "int32"
    if isinstance(dtype, DynTensorType):
        if dtype.ndim >= 0 and dtype.ndim != np.ndim(value):
            raise lib.MLCError(
                f"relax.const: the value has {np.ndim(value)} dimensions "
                f"but the type says {dtype.ndim}")
        dtype = dtype.dtype
    array = np.asarray(value, dtype=dtype)
    if array.dtype not in _DTYPES:
        raise TypeError(f"relax.const: unsupported dtype {array.dtype}")
    array = np.asarray(array, order="C")  # (ascontiguousarray makes 0-d 1-d)
    if name is None:
        name = f"const{_const_count[0]}"
        _const_count[0] += 1
    data = array.astype(np.uint8).tobytes() if array.dtype == np.bool_ \
        else array.tobytes()
    handle = lib.relax.make_constant(data, list(array.shape),
                                     _DTYPES[array.dtype], name)
    return Expr._wrap(handle)
