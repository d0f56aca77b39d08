"""mlc's ATen rules, by family. Importing the package registers them."""

from . import registry
from . import elementwise, reduction, shape, creation, nn, linalg, indexing  # noqa: F401
from . import special  # noqa: F401
from . import prims  # noqa: F401  (after the aten rules it delegates to)

__all__ = ["registry"]
