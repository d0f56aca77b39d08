"""TVM's struct info for tensors: what a relax value's shape and dtype
are (``relax.TensorStructInfo``), and a function's signature."""


class TensorStructInfo:
    """A tensor of ``shape`` (a tuple of ints, None for a dynamic size; or
    None for any shape of ``ndim`` dimensions, -1: any rank) and
    ``dtype``. ``relax.Var("x", relax.TensorStructInfo((1, 784),
    "float32"))`` makes a function parameter."""

    def __init__(self, shape=None, dtype="float32", vdevice=None, ndim=-1):
        if vdevice is not None:
            raise TypeError("TensorStructInfo: vdevice is not supported "
                            "(mlc compiles for the host CPU)")
        if shape is not None:
            if not isinstance(shape, (tuple, list)) or not all(
                    d is None or (isinstance(d, int) and
                                  not isinstance(d, bool) and d >= 0)
                    for d in shape):
                raise TypeError("TensorStructInfo: shape must be a tuple of "
                                f"sizes (ints >= 0 or None), got {shape!r}")
            shape = tuple(shape)
            if ndim not in (-1, len(shape)):
                raise ValueError(f"TensorStructInfo: ndim {ndim} disagrees "
                                 f"with shape {shape}")
            ndim = len(shape)
        if not isinstance(dtype, str):
            raise TypeError(f"TensorStructInfo: dtype must be a name such "
                            f"as 'float32', got {dtype!r}")
        self.shape = shape
        self.dtype = dtype
        self.ndim = ndim

    def __eq__(self, other):
        return isinstance(other, TensorStructInfo) and \
            (self.shape, self.dtype, self.ndim) == \
            (other.shape, other.dtype, other.ndim)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.ndim))

    def __repr__(self):
        if self.shape is None:
            return f"R.Tensor(ndim={self.ndim}, dtype={self.dtype!r})"
        sizes = ", ".join("?" if d is None else str(d) for d in self.shape)
        return f"R.Tensor(({sizes}), dtype={self.dtype!r})"


class FuncStructInfo:
    """A function's parameter and result struct infos."""

    def __init__(self, params, ret):
        self.params = list(params)
        self.ret = ret

    def __repr__(self):
        return f"R.Callable({self.params}, {self.ret})"


class TupleStructInfo:
    """Several values (a function returning more than one tensor)."""

    def __init__(self, fields):
        self.fields = list(fields)

    def __eq__(self, other):
        return isinstance(other, TupleStructInfo) and \
            self.fields == other.fields

    def __hash__(self):
        return hash(tuple(self.fields))

    def __repr__(self):
        return f"R.Tuple({', '.join(map(repr, self.fields))})"
