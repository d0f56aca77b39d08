"""IR modules: MLIR modules holding relax graph functions and tir functions."""

from . import graph, instrument
from .module import Function, GlobalVar, IRModule, parse

__all__ = ["IRModule", "Function", "GlobalVar", "graph", "instrument", "parse"]
