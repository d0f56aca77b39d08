"""Neural-network operators of topi."""

from .._ffi import lib

dense = lib.te.topi.dense
relu = lib.te.topi.relu

__all__ = ["dense", "relu"]
