"""Loads the native extension mlc._mlc."""

try:
    from . import _mlc as lib
except ImportError as error:  # pragma: no cover - build problem
    raise ImportError(
        "mlc's native extension (mlc._mlc) is missing: build the project "
        "(scripts/setup) and put build/python on PYTHONPATH. "
        f"Original error: {error}"
    ) from error

#: Raised for misuse of the API and for IR that does not verify; the message
#: carries MLIR's diagnostics.
MLCError = lib.MLCError
