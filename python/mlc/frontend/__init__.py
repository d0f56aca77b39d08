"""Front ends: models from other frameworks into mlc's IR."""

from .fx import from_fx, UnsupportedOperatorError

__all__ = ["from_fx", "UnsupportedOperatorError"]
