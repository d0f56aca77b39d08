"""Imports torch.fx graphs into relax modules.

``from_fx(gm, input_shapes)`` walks the graph in order and emits each node
through a rule looked up in a table, by torch function, method name or
module type. A rule has the chapter's signature,
``rule(bb, node_map, node)`` for functions and methods and
``rule(bb, node_map, node, module)`` for modules, so user maps passed to
``from_fx`` are merged over the defaults (``fx_rules.py``). Graphs with
unsupported nodes fail before anything is built, with one error that names
every such node, its target and its source line.
"""

import operator
import re

import torch
import torch.nn.functional as F
from torch import fx

from .. import relax
from .._ffi import MLCError
from . import fx_rules


class UnsupportedOperatorError(MLCError):
    """A graph uses torch operations mlc has no rule for."""


class TypeCache:
    """Relax types and constants of torch tensors, made once per importer:
    a parameter used twice is one constant."""

    _DTYPES = {
        torch.float32: "float32", torch.float64: "float64",
        torch.float16: "float16", torch.int32: "int32",
        torch.int64: "int64", torch.bool: "bool",
    }

    def __init__(self):
        self._constants = {}

    def dtype(self, torch_dtype):
        if torch_dtype not in self._DTYPES:
            raise MLCError(f"unsupported tensor dtype {torch_dtype}")
        return self._DTYPES[torch_dtype]

    def constant(self, tensor, name):
        key = id(tensor)
        if key not in self._constants:
            data = tensor.detach().cpu().contiguous().numpy()
            self._constants[key] = (tensor, relax.const(
                data, relax.DynTensorType(data.ndim, self.dtype(tensor.dtype)),
                name=name))
        return self._constants[key][1]


def _describe_target(node, modules):
    if node.op == "call_module":
        return f"module {type(modules[node.target]).__name__} " \
               f"('{node.target}')"
    if node.op == "call_method":
        return f"method .{node.target}()"
    target = node.target
    name = getattr(target, "__name__", None) or str(target)
    # Builtins of torch report odd homes (torch._C._nn, ...): name them by
    # where users call them.
    for home, prefix in ((torch, "torch."), (F, "torch.nn.functional."),
                         (operator, "operator.")):
        if getattr(home, name, None) is target:
            return f"function {prefix}{name}"
    module = getattr(target, "__module__", None)
    return f"function {module + '.' if module else ''}{name}"


def _source_line(node, graph_module):
    """Where the node comes from: the user's source line when the tracer
    recorded stack traces, else its line in the traced code."""
    trace = node.meta.get("stack_trace") or getattr(node, "stack_trace", None)
    if trace:
        # torch lists the most recent frame first: the first one in user
        # code (not torch's, not the interpreter's) is the call.
        frames = [(path, line) for path, line in
                  re.findall(r'File "([^"]+)", line (\d+)', trace)
                  if "/torch/" not in path and not path.startswith("<")]
        if frames:
            path, line = frames[0]
            return f"{path}:{line}"
    for number, line in enumerate(graph_module.code.splitlines(), 1):
        if re.match(rf"\s*{re.escape(node.name)} = ", line):
            return f"line {number} of the traced code: {line.strip()}"
    return "unknown line"


class FxImporter:
    """Imports one fx.GraphModule."""

    def __init__(self, graph_module, input_shapes=None, input_info=None,
                 call_function_map=None, call_module_map=None,
                 function_name="main"):
        if not isinstance(graph_module, fx.GraphModule):
            raise TypeError("from_fx takes a torch.fx.GraphModule (use "
                            "torch.fx.symbolic_trace(model))")
        self.gm = graph_module
        self.function_name = function_name
        self.modules = dict(graph_module.named_modules())
        self.types = TypeCache()
        self.function_rules = dict(fx_rules.FUNCTIONS)
        self.function_rules.update(call_function_map or {})
        self.method_rules = dict(fx_rules.METHODS)
        self.method_rules.update({k: v for k, v in
                                  (call_function_map or {}).items()
                                  if isinstance(k, str)})
        self.module_rules = dict(fx_rules.MODULES)
        self.module_rules.update(call_module_map or {})
        self.inputs = self._input_types(input_shapes, input_info)

    def _input_types(self, input_shapes, input_info):
        placeholders = [n for n in self.gm.graph.nodes
                        if n.op == "placeholder"]
        if input_info is not None:
            info = [(tuple(shape), dtype) for shape, dtype in input_info]
        elif input_shapes is not None:
            info = [(tuple(shape), "float32") for shape in input_shapes]
        else:
            info = []
            for node in placeholders:
                meta = node.meta.get("tensor_meta")
                if meta is None:
                    raise MLCError(
                        f"input '{node.target}' has no shape: pass "
                        "input_shapes or input_info (or run fx's "
                        "ShapeProp first)")
                info.append((tuple(meta.shape), self.types.dtype(meta.dtype)))
        if len(info) != len(placeholders):
            raise MLCError(f"the graph has {len(placeholders)} inputs but "
                           f"{len(info)} shapes were given")
        return [(shape, self.types.dtype(d) if isinstance(d, torch.dtype)
                 else d) for shape, d in info]

    def rule_for(self, node):
        if node.op == "call_function":
            return self.function_rules.get(node.target)
        if node.op == "call_method":
            return self.method_rules.get(node.target)
        if node.op == "call_module":
            return self.module_rules.get(type(self.modules[node.target]))
        return True

    def check_supported(self):
        missing = [n for n in self.gm.graph.nodes if self.rule_for(n) is None]
        if missing:
            lines = [f"  {n.name}: {_describe_target(n, self.modules)} at "
                     f"{_source_line(n, self.gm)}" for n in missing]
            raise UnsupportedOperatorError(
                f"the graph uses {len(missing)} operation(s) mlc cannot "
                "import:\n" + "\n".join(lines))

    def fetch_attr(self, target):
        value = self.gm
        for i, atom in enumerate(target.split(".")):
            if not hasattr(value, atom):
                raise MLCError(f"node references nonexistent attribute "
                               f"'{'.'.join(target.split('.')[:i + 1])}'")
            value = getattr(value, atom)
        return value

    def import_graph(self):
        self.check_supported()
        bb = relax.BlockBuilder()
        node_map = {}
        params = []
        outputs = None
        fx_rules.set_importer(self)
        try:
            with bb.function(self.function_name):
                with bb.dataflow():
                    inputs = iter(self.inputs)
                    for node in self.gm.graph.nodes:
                        if node.op == "placeholder":
                            shape, dtype = next(inputs)
                            var = relax.Var(node.target, shape,
                                            relax.DynTensorType(len(shape),
                                                                dtype))
                            params.append(var)
                            node_map[node] = var
                        elif node.op == "get_attr":
                            value = self.fetch_attr(node.target)
                            node_map[node] = self.types.constant(
                                value, node.target.replace(".", "_")) \
                                if isinstance(value, torch.Tensor) else value
                        elif node.op == "call_module":
                            module = self.modules[node.target]
                            node_map[node] = self.rule_for(node)(
                                bb, node_map, node, module)
                        elif node.op in ("call_function", "call_method"):
                            node_map[node] = self.rule_for(node)(
                                bb, node_map, node)
                        elif node.op == "output":
                            result = fx_rules.arg(node_map, node.args[0])
                            results = list(result) if isinstance(
                                result, (tuple, list)) else [result]
                            outputs = [bb.emit_output(r) for r in results]
                bb.emit_func_output(outputs, params=params)
        finally:
            fx_rules.set_importer(None)
        return bb.get()


def from_fx(gm, input_shapes=None, input_info=None, call_function_map=None,
            call_module_map=None):
    """A relax IRModule (function "main") for the fx graph `gm`.

    input_shapes: one shape per graph input (float32), a size None being
    dynamic; or input_info: (shape, dtype) pairs. Without either, shapes
    come from fx's ShapeProp metadata. call_function_map and
    call_module_map add or override rules (functions, method names as
    strings, and module types)."""
    return FxImporter(gm, input_shapes, input_info, call_function_map,
                      call_module_map).import_graph()
