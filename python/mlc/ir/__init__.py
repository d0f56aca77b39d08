"""IR modules: MLIR modules holding relax graph functions and tir functions."""

from .module import IRModule, parse

__all__ = ["IRModule", "parse"]
