"""Imports torch.fx graphs into relax modules.

``from_fx(gm, input_shapes)`` walks the user's graph in order. A node the
caller mapped (``call_function_map`` by torch function or method name,
``call_module_map`` by module type; the chapter's signatures
``rule(bb, node_map, node[, module])``) is emitted by that rule. Every
other call node is imported from the ATen ops torch runs for it
(trace.py): one rule per ATen op (ops/), torch's decompositions for the
rest, import-time constant folding, and a check of each value's shape and
dtype against torch's. Unsupported operations are reported together, before
anything is built, each with its node, target and source line.
"""

import math
import operator
import re

import torch
import torch.nn.functional as F
from torch import fx

from .. import relax, te
from .._ffi import MLCError
from . import promotion
from .aten_importer import (AtenGraphImporter, ConstantTable,
                            ImportCheckError, UnsupportedError, foldable)
from .fold import fold_batch_norms
from .ops import registry
from .trace import DynSize, stand_in_size, trace_graph

__all__ = ["from_fx", "UnsupportedOperatorError", "UnsupportedError",
           "ImportCheckError"]


def op_name(op):
    """An ATen or prims overload as users spell it: aten.add.Tensor,
    prims.erf_inv (".default" dropped)."""
    text = str(op)
    return text[:-len(".default")] if text.endswith(".default") else text


class UnsupportedOperatorError(UnsupportedError):
    """A graph uses torch operations mlc has no rule for."""


def describe_target(node, modules):
    if node.op == "call_module":
        return f"module {type(modules[node.target]).__name__} " \
               f"('{node.target}')"
    if node.op == "call_method":
        return f"method .{node.target}()"
    target = node.target
    name = getattr(target, "__name__", None) or str(target)
    if isinstance(target, (torch._ops.OpOverload,
                           torch._ops.OpOverloadPacket)):
        return f"function torch.ops.{target}"
    # Builtins of torch report odd homes (torch._C._nn, ...): name them by
    # where users call them.
    for home, prefix in ((torch, "torch."), (F, "torch.nn.functional."),
                         (operator, "operator.")):
        if getattr(home, name, None) is target:
            return f"function {prefix}{name}"
    for sub in ("special", "linalg", "fft"):
        short = name[len(sub) + 1:] if name.startswith(sub + "_") else name
        if getattr(getattr(torch, sub), short, None) is target:
            return f"function torch.{sub}.{short}"
    module = getattr(target, "__module__", None)
    return f"function {module + '.' if module else ''}{name}"


def source_line(node, graph_module):
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


class _TVMImporterView:
    """What a TVM custom converter gets as its importer: ``env`` (fx node
    -> relax value), ``block_builder`` and ``named_modules``."""

    def __init__(self, bb, env, named_modules):
        self.block_builder = bb
        self.env = env
        self.named_modules = named_modules


def _tensor_key(tensor):
    """One tensor's identity: its memory, dtype, shape and strides."""
    return (tensor.data_ptr(), tensor.dtype, tuple(tensor.shape),
            tuple(tensor.stride()))


class _RelaxView(dict):
    """node_map as user rules see it: constants are relax values."""

    def __init__(self, node_map, constants):
        super().__init__(node_map)
        self._constants = constants

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if isinstance(value, torch.Tensor):
            return self._constants.get(value)
        return value


def _tuple_fields(value):
    """The field names of a named tuple or of a torch.return_types struct
    sequence (torch.max's (values, indices)), else None."""
    kind = type(value)
    if hasattr(kind, "_fields"):
        return tuple(kind._fields)
    if hasattr(kind, "n_fields") and hasattr(kind, "__match_args__"):
        return tuple(kind.__match_args__)
    return None


def _shape_read(node):
    """The tensor node when `node` reads a tensor's whole shape:
    ``t.shape``, ``t.size()``."""
    if not isinstance(node, fx.Node):
        return None
    if node.op == "call_function" and node.target is getattr and \
            node.args[1] == "shape":
        return node.args[0]
    if node.op == "call_method" and node.target == "size" and \
            len(node.args) == 1 and not node.kwargs:
        return node.args[0]
    return None


def _dimension_read(node):
    """(tensor node, dim) when `node` reads one dimension of a tensor:
    ``t.size(d)``, ``t.shape[d]``, ``torch.ops.aten.sym_size(t, d)``."""
    if node.op == "call_method" and node.target == "size" and \
            len(node.args) == 2 and not node.kwargs:
        return node.args[0], node.args[1]
    if node.op == "call_function" and node.target is operator.getitem:
        shape, dim = node.args
        if _shape_read(shape) is not None:
            return _shape_read(shape), dim
    return None


def _tensor_leaves(value, source=None, out=None):
    """The tensors in an imported value, in pytree order, each with the fx
    node whose whole value it is (None inside containers)."""
    if out is None:
        out = []
    if isinstance(value, (relax.Expr, torch.Tensor)):
        out.append((value, source))
    elif isinstance(value, (list, tuple)):
        for v in value:
            _tensor_leaves(v, None, out)
    elif isinstance(value, dict):
        for v in value.values():
            _tensor_leaves(v, None, out)
    return out


class FxImporter:
    """Imports one fx.GraphModule."""

    def __init__(self, graph_module, input_shapes=None, input_info=None,
                 call_function_map=None, call_module_map=None,
                 function_name="main", example_inputs=None,
                 custom_convert_map=None, keep_params_as_input=False,
                 unwrap_unit_return_tuple=False):
        if not isinstance(graph_module, fx.GraphModule):
            raise TypeError("from_fx takes a torch.fx.GraphModule (use "
                            "torch.fx.symbolic_trace(model))")
        # Batch norms after the convolutions relax does not fold, folded
        # here (not when the weights are to stay inputs).
        if not keep_params_as_input:
            user_types = {k for k in list((call_module_map or {})) +
                          list((custom_convert_map or {})) if isinstance(k, type)}
            graph_module = fold_batch_norms(graph_module, user_types)
        self.gm = graph_module
        self.function_name = function_name
        self.modules = dict(graph_module.named_modules())
        self.function_rules = {k: v for k, v in (call_function_map or {}).items()
                               if not isinstance(k, str)}
        self.method_rules = {k: v for k, v in (call_function_map or {}).items()
                             if isinstance(k, str)}
        self.module_rules = dict(call_module_map or {})
        self.inputs = self._input_types(input_shapes, input_info)
        self.example_inputs = self._examples(example_inputs)
        self.custom_rules = dict(custom_convert_map or {})
        self.unwrap_unit_return_tuple = unwrap_unit_return_tuple
        # keep_params_as_input: the module's parameters and buffers become
        # function parameters (after the inputs) instead of constants.
        self.weights = None
        if keep_params_as_input:
            self.weights = {}
            for name, tensor in list(graph_module.named_parameters()) + \
                    list(graph_module.named_buffers()):
                self.weights.setdefault(_tensor_key(tensor), name)
        self.constants = ConstantTable(lambda: self.bb, self.weights)
        self.bb = None

    def _input_types(self, input_shapes, input_info):
        placeholders = [n for n in self.gm.graph.nodes
                        if n.op == "placeholder"]
        if input_info is not None:
            info = [(tuple(shape), dtype) for shape, dtype in input_info]
        elif input_shapes is not None:
            info = [(tuple(shape), torch.float32) for shape in input_shapes]
        else:
            info = []
            for node in placeholders:
                meta = node.meta.get("tensor_meta")
                if meta is None:
                    raise MLCError(
                        f"input '{node.target}' has no shape: pass "
                        "input_shapes or input_info (or run fx's "
                        "ShapeProp first)")
                info.append((tuple(meta.shape), meta.dtype))
        if len(info) != len(placeholders):
            raise MLCError(f"the graph has {len(placeholders)} inputs but "
                           f"{len(info)} shapes were given")
        result = []
        for shape, dtype in info:
            if isinstance(dtype, str):
                if dtype not in promotion.TORCH_DTYPES:
                    raise MLCError(f"unknown input dtype '{dtype}'")
                dtype = promotion.TORCH_DTYPES[dtype]
            if dtype not in promotion.DTYPE_NAMES or dtype == torch.bfloat16:
                raise MLCError(f"input dtype {dtype} is not supported")
            result.append((shape, dtype))
        return result

    def _examples(self, examples):
        if examples is None:
            return None
        examples = list(examples)
        if len(examples) != len(self.inputs):
            raise MLCError(f"{len(examples)} example inputs for "
                           f"{len(self.inputs)} graph inputs")
        for k, (t, (shape, dtype)) in enumerate(zip(examples, self.inputs)):
            if not isinstance(t, torch.Tensor) or t.dtype != dtype or \
                    any(d is not None and d != s for d, s in
                        zip(shape, t.shape)) or len(shape) != t.dim():
                raise MLCError(f"example input #{k} does not match the "
                               f"input's shape {shape} and dtype {dtype}")
        if any(d is None for shape, _ in self.inputs for d in shape):
            raise MLCError("example_inputs are for static shapes: with "
                           "dynamic sizes the importer picks its own")
        return examples

    # --- which rule -------------------------------------------------------

    def user_rule(self, node):
        if self.custom_rules:
            # TVM's custom_convert_map: module types, function names and
            # method names to converter(node, importer).
            if node.op == "call_module":
                key = type(self.modules[node.target])
            elif node.op == "call_method":
                key = node.target
            elif node.op == "call_function":
                key = getattr(node.target, "__name__", None)
            else:
                key = None
            convert = self.custom_rules.get(key) if key is not None else None
            if convert is not None:
                modules = self.modules
                return lambda bb, view, node, *module: convert(
                    node, _TVMImporterView(bb, view, modules))
        if node.op == "call_function":
            return self.function_rules.get(node.target)
        if node.op == "call_method":
            return self.method_rules.get(node.target)
        if node.op == "call_module":
            return self.module_rules.get(type(self.modules[node.target]))
        return None

    def where(self, node):
        return f"{node.name} ({describe_target(node, self.modules)}) at " \
               f"{source_line(node, self.gm)}"

    def fetch_attr(self, target):
        value = self.gm
        for i, atom in enumerate(target.split(".")):
            if not hasattr(value, atom):
                raise MLCError(f"node references nonexistent attribute "
                               f"'{'.'.join(target.split('.')[:i + 1])}'")
            value = getattr(value, atom)
        return value

    # --- checks before building ---------------------------------------------

    def _check_supported(self, traces, values):
        const = {}
        missing = []
        for node in self.gm.graph.nodes:
            if node.op == "placeholder":
                const[node] = False
            elif node.op == "get_attr":
                const[node] = True
            elif node.op in ("call_function", "call_method", "call_module"):
                const[node] = node.op != "call_module" and all(
                    const.get(n, False) for n in node.all_input_nodes)
                if node not in traces:
                    continue
                trace = traces[node]
                if trace.graph is None:
                    missing.append((node, f"torch could not trace it: "
                                          f"{trace.error}"))
                    continue
                leaves = self._concrete_sources(node, values)
                ops = self._unsupported_aten(trace.graph, [
                    const.get(src, False) if src is not None else False
                    for src in leaves])
                if ops:
                    missing.append((node, "no rule for " + ", ".join(ops)))
        if missing:
            lines = [f"  {n.name}: {describe_target(n, self.modules)} at "
                     f"{source_line(n, self.gm)} ({why})"
                     for n, why in missing]
            raise UnsupportedOperatorError(
                f"the graph uses {len(missing)} operation(s) mlc cannot "
                "import:\n" + "\n".join(lines))

    @staticmethod
    def _concrete_sources(node, values):
        """The fx node behind each tensor the trace's placeholders stand
        for (None when it sits inside a container value)."""
        sources = []

        def visit(arg):
            if isinstance(arg, fx.Node):
                value = values.get(arg)
                if isinstance(value, torch.Tensor):
                    sources.append(arg)
                else:
                    sources.extend(None for _ in _tensor_leaves(value))
            elif isinstance(arg, (list, tuple)):
                for a in arg:
                    visit(a)
            elif isinstance(arg, dict):
                for a in arg.values():
                    visit(a)
            elif isinstance(arg, torch.Tensor):
                sources.append(None)
        visit(node.args)
        visit(node.kwargs)
        return sources

    @staticmethod
    def _unsupported_aten(graph_module, placeholder_const):
        const = {}
        placeholders = [n for n in graph_module.graph.nodes
                        if n.op == "placeholder"]
        for n, c in zip(placeholders, placeholder_const):
            const[n] = c
        missing = []
        for n in graph_module.graph.nodes:
            if n.op == "get_attr":
                const[n] = True
            elif n.op == "call_function":
                inputs_const = all(const.get(a, False)
                                   for a in n.all_input_nodes)
                const[n] = inputs_const
                target = n.target
                if not isinstance(target, torch._ops.OpOverload):
                    continue
                if not foldable(target, inputs_const) and \
                        not registry.has_rule(target) and \
                        target is not torch.ops.aten.copy_.default:
                    name = op_name(target)
                    if name not in missing:
                        missing.append(name)
        return missing

    # --- building -----------------------------------------------------------

    def import_graph(self):
        graph_nodes = list(self.gm.graph.nodes)
        traced = {n for n in graph_nodes
                  if n.op in ("call_function", "call_method", "call_module")
                  and self.user_rule(n) is None}
        traces, values = trace_graph(self.gm, self.inputs,
                                     registry.decompositions(), traced,
                                     self.example_inputs)
        self._check_supported(traces, values)
        self.values = values
        bb = self.bb = relax.BlockBuilder()
        node_map = {}
        params = []
        outputs = []
        with bb.function(self.function_name):
            with bb.dataflow():
                inputs = iter(self.inputs)
                for node in graph_nodes:
                    if node.op == "placeholder":
                        shape, dtype = next(inputs)
                        var = relax.Var(node.target, shape, relax.DynTensorType(
                            len(shape), promotion.dtype_name(dtype)))
                        params.append(var)
                        node_map[node] = var
                    elif node.op == "get_attr":
                        node_map[node] = self.fetch_attr(node.target)
                    elif node.op == "output":
                        outputs, structure = self._outputs(
                            node, node_map, params)
                    elif node in traced:
                        node_map[node] = self._import_node(node, node_map,
                                                           traces[node])
                    else:
                        rule = self.user_rule(node)
                        view = _RelaxView(node_map, self.constants)
                        if node.op == "call_module":
                            node_map[node] = rule(bb, view, node,
                                                  self.modules[node.target])
                        else:
                            node_map[node] = rule(bb, view, node)
            # In the model's order (named_parameters, then named_buffers),
            # as TVM lists them; only those the graph reads.
            weights = self.constants.weight_params()
            if self.weights:
                order = {name: k for k, name in
                         enumerate(self.weights.values())}
                weights.sort(key=lambda vt: order[vt[0].name_hint])
            bb.emit_func_output(outputs, params=params + [v for v, _ in weights],
                                structure=structure)
        module = bb.get()
        if self.weights is not None:
            from .. import nd
            module._params[self.function_name] = [
                nd.array(t.detach().cpu().contiguous().numpy())
                for _, t in weights]
        return module

    def _outputs(self, node, node_map, params):
        """The graph's result as relax outputs and, unless it is one
        tensor, the structure (relax.result_structure) that rebuilds it:
        tensors, sizes (Python ints at run time), constants (numbers, bools,
        None) and nested tuples, lists and str-keyed dicts of them."""
        outputs = []

        def leaf(key, expr):
            outputs.append(self.bb.emit_output(expr))
            return {key: len(outputs) - 1}

        def build(value, eager=None, source=None, item=None):
            # `eager`: torch's value of the same place, whose container
            # types (tuple or list) the result keeps; `source`: the fx node
            # whose value (or whose item `item`) this is.
            if isinstance(value, DynSize) and source is not None:
                return leaf("int", self._size_output(
                    node, source, value, node_map, params, item))
            if isinstance(value, fx.Node):
                source, value = value, node_map[value]
                eager = self.values.get(source)
                if isinstance(value, DynSize):
                    return leaf("int", self._size_output(
                        node, source, value, node_map, params))
            if isinstance(value, torch.Tensor):
                return leaf("tensor", self.constants.get(value))
            if isinstance(value, relax.Expr):
                return leaf("tensor", value)
            if value is None or isinstance(value, (bool, int)):
                return {"value": value}
            if isinstance(value, float):
                return {"value": value} if math.isfinite(value) else \
                    {"value": {"float": repr(value)}}
            if isinstance(value, (tuple, list)):  # torch.Size included
                like = eager if isinstance(eager, (tuple, list)) and \
                    len(eager) == len(value) else value
                kind = "list" if isinstance(like, list) else \
                    "size" if isinstance(like, torch.Size) else "tuple"
                inner = like if like is not value else [None] * len(value)
                items = [build(v, e, source, k) for k, (v, e) in
                         enumerate(zip(value, inner))]
                fields = _tuple_fields(like)
                if kind == "tuple" and fields is not None:
                    # torch.return_types.max and the like: a named tuple of
                    # the same name and fields.
                    return {"namedtuple": [type(like).__name__,
                                           list(fields), items]}
                return {kind: items}
            if isinstance(value, dict):
                if not all(isinstance(k, str) for k in value):
                    raise UnsupportedError(
                        f"{self.where(node)}: the graph returns a dict with "
                        "keys that are not str")
                inner = eager if isinstance(eager, dict) else {}
                return {"dict": [[k, build(v, inner.get(k))]
                                 for k, v in value.items()]}
            raise UnsupportedError(
                f"{self.where(node)}: the graph returns a "
                f"{type(value).__name__}; mlc functions return tensors, "
                "numbers, bools, None and tuples, lists and dicts of them")

        structure = build(node.args[0])
        if self.unwrap_unit_return_tuple and \
                structure.get("tuple") is not None and \
                len(structure["tuple"]) == 1 and \
                "tensor" in structure["tuple"][0]:
            structure = structure["tuple"][0]
        if "tensor" in structure:
            structure = None  # one tensor: returned as an NDArray
        return outputs, structure

    def _size_output(self, node, source, size, node_map, params, item=None):
        """A 0-d int64 tensor of the dynamic size `size`, the value of fx
        node `source` (or its item `item`): a dimension of a tensor
        (``t.size(d)``, ``t.shape[d]``, item d of ``t.shape``), or else the
        one input dimension whose stand-ins it took."""
        def emit(tensor, dim):
            def size(t):
                return te.compute((), lambda: t.shape[dim].astype("int64"),
                                  name="size")
            return self.bb.emit_te(size, tensor)

        dimension = _dimension_read(source) if item is None else \
            (_shape_read(source), item)
        if dimension is not None and dimension[0] is not None:
            tensor, dim = node_map.get(dimension[0]), dimension[1]
            if isinstance(tensor, relax.Expr) and isinstance(dim, int):
                return emit(tensor, dim)
        candidates = []
        for var, (shape, _) in zip(params, self.inputs):
            dynamic = [d for d, n in enumerate(shape) if n is None]
            for k, d in enumerate(dynamic):
                if size.values == (stand_in_size(k, 0), stand_in_size(k, 1)):
                    candidates.append((var, d))
        if len(candidates) != 1:
            raise UnsupportedError(
                f"{self.where(node)}: the graph returns an integer computed "
                "from dynamic sizes; only a dynamic input size itself can "
                "be returned" + (" (it matches several input sizes)"
                                 if candidates else ""))
        return emit(*candidates[0])

    def _import_node(self, node, node_map, trace):
        where = self.where(node)
        args = fx.node.map_arg((node.args, node.kwargs),
                               lambda n: node_map[n])
        leaves = _tensor_leaves(args)
        # Tensors directly given as node arguments carry their node.
        direct = self._concrete_sources(node, self.values)
        inputs = [v for v, _ in leaves]
        importer = AtenGraphImporter(self, where, trace.graph, inputs)
        if len(importer.placeholders) != len(inputs):
            raise MLCError(f"{where}: internal: {len(inputs)} tensor "
                           f"arguments for {len(importer.placeholders)} "
                           "traced inputs")
        result, mutations = importer.run()
        for index, value in mutations:
            source = direct[index] if index < len(direct) else None
            self._rebind(node, source, value, node_map)
        return result

    def _rebind(self, node, source, value, node_map):
        """A node wrote `value` into its argument `source` (in-place op,
        setitem): later uses of `source` see it."""
        where = self.where(node)
        if source is None:
            raise UnsupportedError(f"{where}: an in-place write into a tensor "
                                   "inside a container is not supported")
        if source.op == "placeholder":
            raise UnsupportedError(
                f"{where}: writes into the graph input '{source.target}' in "
                "place; a compiled function cannot change its caller's "
                "tensors (clone the input first)")
        if source.op == "get_attr":
            raise UnsupportedError(
                f"{where}: writes into a parameter or buffer in place (a "
                "module in training mode? import the model after "
                "model.eval())")
        mine = self.values.get(source)
        if isinstance(mine, torch.Tensor):
            order = {n: k for k, n in enumerate(self.gm.graph.nodes)}
            here = order[node]
            storage = mine.storage().data_ptr()
            for other, seen in self.values.items():
                if other is source or other is node or order[other] > here \
                        or not isinstance(seen, torch.Tensor) or \
                        seen.storage().data_ptr() != storage:
                    continue
                if other.op in ("get_attr", "placeholder"):
                    what = "parameter or buffer" if other.op == "get_attr" \
                        else "graph input"
                    raise UnsupportedError(
                        f"{where}: writes in place into '{source.name}', a "
                        f"view of the {what} '{other.target}'")
                if seen is mine:  # an earlier in-place result: same tensor
                    node_map[other] = value
                elif any(order[user] > here for user in other.users):
                    raise UnsupportedError(
                        f"{where}: writes in place into '{source.name}', "
                        f"which shares memory with '{other.name}' (a view) "
                        "used later; writes through views are not supported")
        node_map[source] = value


def from_fx(gm, input_shapes=None, input_info=None, call_function_map=None,
            call_module_map=None, example_inputs=None):
    """A relax IRModule (function "main") for the fx graph `gm`.

    input_shapes: one shape per graph input (float32), a size None being
    dynamic; or input_info: (shape, dtype) pairs (dtype a name such as
    "int64" or a torch dtype). Without either, shapes come from fx's
    ShapeProp metadata. call_function_map and call_module_map add rules
    that take precedence (functions, method names as strings, and module
    types), with the chapter's signatures. example_inputs: tensors to
    trace torch with (static shapes only); by default random floats and
    zero integers (indices that are always valid)."""
    return FxImporter(gm, input_shapes, input_info, call_function_map,
                      call_module_map,
                      example_inputs=example_inputs).import_graph()

