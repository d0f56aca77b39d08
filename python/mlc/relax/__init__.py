"""Relax: graph-level functions built with a BlockBuilder."""

import importlib

from . import op, vm, transform
from .block_builder import BlockBuilder
from .vm import VirtualMachine, build
from .expr import Constant, DataflowVar, DynTensorType, Expr, Var, const
from .struct_info import FuncStructInfo, TensorStructInfo, TupleStructInfo

__all__ = ["op", "vm", "transform", "frontend", "VirtualMachine", "build",
           "BlockBuilder", "Constant", "DataflowVar", "DynTensorType", "Expr",
           "Var", "const", "TensorStructInfo", "TupleStructInfo",
           "FuncStructInfo"]


def __getattr__(name):
    # relax.frontend imports torch's importer only when used.
    if name == "frontend":
        return importlib.import_module(".frontend", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
