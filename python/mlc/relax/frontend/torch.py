"""TVM's ``relax.frontend.torch.from_fx``, with TVM's signature and the
meaning of each argument, over mlc's fx importer (``mlc.frontend``)."""

import torch

from ...frontend.fx import FxImporter

__all__ = ["from_fx"]


def from_fx(model, input_info, *, keep_params_as_input=False,
            unwrap_unit_return_tuple=False, no_bind_return_tuple=False,
            custom_convert_map=None):
    """A relax IRModule (function "main") for the fx GraphModule `model`.

    input_info: one ``(shape, dtype)`` per graph input, a size None for a
    dynamic one, dtype a name (``"float32"``) or a torch dtype.
    keep_params_as_input: the model's parameters and buffers become
    parameters of "main" after the inputs (named as in the model), so one
    compiled module runs with other weights; ``relax.frontend.
    detach_params(mod)`` returns them (as ``mod["main"].attrs["params"]``
    lists them). unwrap_unit_return_tuple: a model returning a 1-tuple
    returns its tensor. no_bind_return_tuple: TVM's choice of whether the
    returned tuple is bound to a variable, which changes nothing in mlc:
    a function returns its results directly (either value is accepted).
    custom_convert_map: converters that take precedence, keyed by module
    type, function name (``"add"``) or method name, each called as
    ``convert(node, importer)`` with ``importer.env`` (fx node -> relax
    value) and ``importer.block_builder``, returning the node's value.
    """
    if not isinstance(no_bind_return_tuple, bool):
        raise TypeError("from_fx: no_bind_return_tuple must be a bool")
    if custom_convert_map is not None and not isinstance(custom_convert_map,
                                                         dict):
        raise TypeError("from_fx: custom_convert_map must be a dict")
    if not isinstance(input_info, (list, tuple)) or not all(
            isinstance(item, (list, tuple)) and len(item) == 2 and
            isinstance(item[0], (list, tuple)) and
            isinstance(item[1], (str, torch.dtype))
            for item in input_info):
        raise TypeError("from_fx: input_info is a list of (shape, dtype) "
                        f"pairs, got {input_info!r}")
    return FxImporter(model, input_info=input_info,
                      custom_convert_map=custom_convert_map,
                      keep_params_as_input=keep_params_as_input,
                      unwrap_unit_return_tuple=unwrap_unit_return_tuple
                      ).import_graph()
