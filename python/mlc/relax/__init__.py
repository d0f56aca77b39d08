"""Relax: graph-level functions built with a BlockBuilder."""

from . import op
from .block_builder import BlockBuilder
from .expr import Constant, DataflowVar, DynTensorType, Expr, Var, const

__all__ = ["op", "BlockBuilder", "Constant", "DataflowVar", "DynTensorType",
           "Expr", "Var", "const"]
