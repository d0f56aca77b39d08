"""Relax: graph-level functions built with a BlockBuilder."""

from . import op, vm
from .block_builder import BlockBuilder
from .vm import VirtualMachine
from .expr import Constant, DataflowVar, DynTensorType, Expr, Var, const

__all__ = ["op", "vm", "VirtualMachine", "BlockBuilder", "Constant", "DataflowVar", "DynTensorType",
           "Expr", "Var", "const"]
