"""Helpers shared by the Python topi definitions."""


def pair(value):
    """(v, v) for an int, the pair itself for a sequence of two."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"expected one int or two, got {value!r}")
        return int(value[0]), int(value[1])
    return int(value), int(value)


def static(size, what):
    """`size` as an int; raises for a symbolic size."""
    if isinstance(size, int):
        return size
    raise ValueError(f"{what} needs a static size, got a symbolic one")


def normalize_axis(axis, ndim):
    if axis < -ndim or axis >= ndim:
        raise ValueError(f"axis {axis} is out of range for rank {ndim}")
    return axis + ndim if axis < 0 else axis
