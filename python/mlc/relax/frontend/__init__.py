"""TVM's ``relax.frontend``: importers (``relax.frontend.torch``, loaded on
first use: importing mlc does not import torch) and ``detach_params``."""

import importlib

__all__ = ["torch", "detach_params"]


def detach_params(mod):
    """TVM's: the module without its weights and the weights, ``(mod,
    {"main": [NDArray, ...]})``, from ``from_fx(...,
    keep_params_as_input=True)``. Pass them after the inputs:
    ``vm["main"](x, *params["main"])``."""
    params = {name: list(arrays) for name, arrays in mod._params.items()}
    detached = mod._derived(mod._handle.clone())
    detached._params = {}
    return detached, params


def __getattr__(name):
    if name == "torch":
        return importlib.import_module(".torch", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
