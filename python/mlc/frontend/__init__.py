"""Importers of models from other frameworks (torch.fx)."""

from .fx import (ImportCheckError, UnsupportedError, UnsupportedOperatorError,
                 from_fx)

__all__ = ["from_fx", "UnsupportedOperatorError", "UnsupportedError",
           "ImportCheckError"]
