"""Imports the ATen graph of one fx node (see trace.py) into relax.

Values are evaluated on demand from the graph's outputs, so an ATen value
nobody reads (the indices of a max pool, the mean of a layer norm) is never
emitted. Each ATen op goes to its rule (``ops/``) with its arguments bound
by name from the op's schema, defaults filled in, so a rule sees every
argument and must honour or refuse each. An op whose tensor operands are
all import-time constants (weights, ``torch.arange``) is run by torch
itself and becomes a constant. Every value a rule returns is checked
against the shape and dtype torch recorded for it: a rule that disagrees
with torch is an import error here, not a wrong answer at run time.
"""

import keyword
import operator

import torch
from torch import fx
from torch.utils._pytree import tree_flatten, tree_map

from .. import relax
from .._ffi import MLCError
from . import promotion
from .ops import registry
from .ops.common import is_tensor
from .trace import DynSize



_ALLOCATIONS = {torch.ops.aten.empty.memory_format,
                torch.ops.aten.empty_like.default,
                torch.ops.aten.empty_strided.default,
                torch.ops.prims.empty_strided.default}


def _writes_fresh(node, target):
    """Whether the op writes only into tensors the trace just allocated
    (empty, empty_strided) and uses nowhere else (torch's refs' clone:
    ``prims.copy_to(empty_strided(...), a)``): its result is then the
    written value, which a functional rule computes."""
    written = [v for argument, v in zip(target._schema.arguments, node.args)
               if argument.alias_info is not None and
               argument.alias_info.is_write]
    return bool(written) and all(
        isinstance(v, fx.Node) and v.op == "call_function" and
        v.target in _ALLOCATIONS and len(v.users) == 1 for v in written)


class UnsupportedError(MLCError):
    """A torch operation or argument value mlc does not implement."""


class ImportCheckError(MLCError):
    """A rule produced a shape or dtype that differs from torch's."""


class Lazy:
    """A value computed the first time it is needed (secondary outputs of
    multi-output ops)."""

    def __init__(self, compute):
        self._compute = compute
        self._value = None
        self._done = False

    def force(self):
        if not self._done:
            self._value = self._compute()
            self._done = True
        return self._value


def force(value):
    return value.force() if isinstance(value, Lazy) else value


class RuleContext:
    """What a rule gets besides its arguments: the builder, helpers to
    emit te and constants, and errors that name the node and source line."""

    def __init__(self, importer, where, aten_node):
        self.importer = importer
        self.bb = importer.bb
        self.where = where
        self.node = aten_node
        self.op = aten_node.target

    # --- values ---------------------------------------------------------

    def expr(self, value):
        """A relax value for a tensor operand (constants are emitted)."""
        if isinstance(value, relax.Expr):
            return value
        if isinstance(value, torch.Tensor):
            return self.importer.constants.get(value)
        raise self.fail(f"expected a tensor, got {type(value).__name__}")

    def te(self, fn, *operands, name=None):
        """emit_te of `fn` over tensor operands (constants emitted)."""
        args = [self.expr(v) if isinstance(v, (relax.Expr, torch.Tensor))
                else v for v in operands]
        return self.bb.emit_te(fn, *args,
                               primfunc_name_hint=name or self.op_name())

    def emit(self, call):
        return self.bb.emit(call)

    def dtype(self, value):
        return promotion.torch_dtype(value)

    def out_meta(self):
        """torch's (shape, dtype) of this op's result."""
        meta = self.node.meta.get("tensor_meta")
        if meta is None or not hasattr(meta, "shape"):
            return None
        return tuple(meta.shape), meta.dtype

    def lazy(self, compute):
        return Lazy(compute)

    # --- errors ---------------------------------------------------------

    def op_name(self):
        """The op without namespace and ".default" (a te function name)."""
        text = str(self.op)
        text = text[:-len(".default")] if text.endswith(".default") else text
        return text.split(".", 1)[1] if "." in text else text

    def refuse(self, argument, value, reason=None):
        """Raises: argument `argument` = `value` is not implemented."""
        text = f"{self.where}: {self.op}: argument " \
               f"'{argument}'={value!r} is not supported"
        return UnsupportedError(text + (f" ({reason})" if reason else ""))

    def fail(self, message):
        return UnsupportedError(f"{self.where}: {self.op}: {message}")

    def static(self, value, argument):
        """An integer argument that must not depend on dynamic sizes."""
        if isinstance(value, DynSize):
            raise self.refuse(argument, value, "depends on a dynamic size")
        return value


def bind(op, args, kwargs):
    """The op's arguments by schema name (Python keywords get a trailing
    underscore), defaults filled in."""
    bound = {}
    positional = list(args)
    for i, argument in enumerate(op._schema.arguments):
        name = argument.name + "_" if keyword.iskeyword(argument.name) \
            else argument.name
        if i < len(positional) and not argument.kwarg_only:
            bound[name] = positional[i]
        elif argument.name in kwargs:
            bound[name] = kwargs[argument.name]
        elif argument.has_default_value():
            bound[name] = argument.default_value
        else:
            raise MLCError(f"aten.{op}: missing argument '{argument.name}'")
    return bound


def foldable(op, operands_known):
    """Whether torch computes `op` at import time: its operands are all
    known, it draws no random numbers, and it writes into none of them."""
    return operands_known and not op._schema.is_mutable and \
        torch.Tag.nondeterministic_seeded not in op.tags


class ConstantTable:
    """relax constants of torch tensors, one per tensor (a weight used
    twice is one constant). Each entry keeps its tensor alive, so the
    tensor's address cannot be reused by another while it is a key."""

    def __init__(self, bb_of=None, weights=None):
        self._constants = {}
        self._bb_of = bb_of
        # Tensors that become function parameters (keep_params_as_input):
        # key -> qualified name; those made so far, in order.
        self._weights = weights
        self._weight_params = []

    def weight_params(self):
        """(relax.Var, tensor) of each weight made a parameter, in order."""
        return list(self._weight_params)

    def weight_var(self, tensor):
        """The parameter variable of `tensor` if it is a weight that
        keep_params_as_input makes a parameter (made on first use), else
        None."""
        key = (tensor.data_ptr(), tensor.dtype, tuple(tensor.shape),
               tuple(tensor.stride()))
        if not self._weights or key not in self._weights or \
                tensor.dtype == torch.bool:
            return None
        if key not in self._constants:
            data = tensor.detach()
            var = relax.Var(self._weights[key], tuple(data.shape),
                            relax.DynTensorType(
                                data.dim(), promotion.dtype_name(data.dtype)))
            self._weight_params.append((var, data))
            self._constants[key] = (tensor, var)
        return self._constants[key][1]

    def get(self, tensor, name=None):
        key = (tensor.data_ptr(), tensor.dtype, tuple(tensor.shape),
               tuple(tensor.stride()))
        if self.weight_var(tensor) is not None:
            return self._constants[key][1]
        if key not in self._constants:
            data = tensor.detach().cpu().contiguous()
            dtype = promotion.dtype_name(data.dtype)
            array = data.numpy()
            if data.dtype == torch.bool and self._bb_of is not None:
                # The JIT cannot lay out i1 globals: a bool constant is an
                # int8 constant read as bool.
                from .. import te
                raw = relax.const(array.astype("int8"), relax.DynTensorType(
                    array.ndim, "int8"), name=name)
                value = self._bb_of().emit_te(
                    lambda p: te.compute(list(p.shape), lambda *i: p(*i) !=
                                         te.cast(0, "int8"), name="as_bool"),
                    raw, primfunc_name_hint="as_bool")
            else:
                value = relax.const(array, relax.DynTensorType(array.ndim,
                                                               dtype),
                                    name=name)
            self._constants[key] = (tensor, value)
        return self._constants[key][1]


def describe_meta(shape, dtype):
    sizes = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({sizes}) {promotion.DTYPE_NAMES.get(dtype, dtype)}"


def check_value(where, aten_node, value, meta):
    """Raises ImportCheckError when `value` disagrees with torch's meta."""
    if meta is None or not hasattr(meta, "shape"):
        return
    if isinstance(value, Lazy):
        return
    want = (tuple(meta.shape), meta.dtype)
    if not is_tensor(value):
        raise ImportCheckError(
            f"{where}: {aten_node.target} gave a {type(value).__name__} "
            f"where torch has a tensor {describe_meta(*want)}")
    got = (tuple(value.shape), promotion.torch_dtype(value))
    if got != want:
        raise ImportCheckError(
            f"{where}: import check failed at {aten_node.name} = "
            f"{aten_node.target}: mlc's value is {describe_meta(*got)}, "
            f"torch's is {describe_meta(*want)}")


class AtenGraphImporter:
    """Evaluates the values of one ATen graph with the rules."""

    def __init__(self, importer, where, graph_module, inputs):
        self.importer = importer
        self.where = where
        self.gm = graph_module
        self.env = {}
        self.placeholders = [n for n in graph_module.graph.nodes
                             if n.op == "placeholder"]
        for node, value in zip(self.placeholders, inputs):
            if isinstance(value, torch.Tensor):
                # A weight that keep_params_as_input makes a parameter:
                # its relax variable, so nothing on it folds into a
                # constant.
                value = importer.constants.weight_var(value) or value
            self.env[node] = value
        self.mutations = []  # (placeholder index, new value)

    def run(self):
        """The graph's output (a pytree of values) and the writes it makes
        to its inputs."""
        output = next(n for n in self.gm.graph.nodes if n.op == "output")
        for node in self.gm.graph.nodes:
            if node.op == "call_function" and \
                    node.target is torch.ops.aten.copy_.default and \
                    node.args[0] in self.placeholders:
                index = self.placeholders.index(node.args[0])
                self.mutations.append((index, self.value(node.args[1])))
        result = tree_map(lambda v: force(self.value(v))
                          if isinstance(v, fx.Node) else v, output.args[0])
        return result, self.mutations

    def value(self, node):
        if node in self.env:
            return self.env[node]
        # Iterative post-order evaluation (decomposed graphs can be deep).
        stack = [node]
        while stack:
            current = stack[-1]
            if current in self.env:
                stack.pop()
                continue
            pending = [n for n in current.all_input_nodes
                       if n not in self.env]
            if pending:
                stack.extend(pending)
                continue
            self.env[current] = self._evaluate(current)
            stack.pop()
        return self.env[node]

    def _evaluate(self, node):
        if node.op == "get_attr":
            value = getattr(self.gm, node.target)
            if isinstance(value, torch.Tensor):
                value = self.importer.constants.weight_var(value) or value
            return value
        if node.op != "call_function":
            raise MLCError(f"{self.where}: unexpected {node.op} node in the "
                           "ATen graph")
        args = fx.node.map_arg(node.args, lambda n: self.env[n])
        kwargs = fx.node.map_arg(node.kwargs, lambda n: self.env[n])
        target = node.target
        if target is operator.getitem:
            value = force(args[0][args[1]])
            check_value(self.where, node, value, node.meta.get("tensor_meta"))
            return value
        if not isinstance(target, torch._ops.OpOverload):
            raise MLCError(f"{self.where}: unexpected call of {target} in "
                           "the ATen graph")
        args = tree_map(force, args)
        kwargs = tree_map(force, kwargs)
        leaves = tree_flatten((args, kwargs))[0]
        known = not any(isinstance(v, (relax.Expr, DynSize)) for v in leaves)
        if foldable(target, known):
            with torch.no_grad():
                return target(*args, **kwargs)
        rule = registry.lookup(target)
        ctx = RuleContext(self.importer, self.where, node)
        if target._schema.is_mutable and not _writes_fresh(node, target):
            # Functionalization leaves only writes to tensors the node does
            # not own: parameters and buffers (a module in training mode),
            # and the prims torch's refs write into a fresh allocation.
            raise ctx.fail("writes into a parameter or buffer in place (a "
                           "module in training mode? import the model after "
                           "model.eval())")
        if rule is None:
            raise ctx.fail("mlc has no rule for this ATen op (and torch has "
                           "no decomposition of it)")
        value = rule(ctx, **bind(target, args, kwargs))
        meta = node.meta.get("tensor_meta")
        if isinstance(value, (tuple, list)) and isinstance(meta, (tuple, list)):
            for v, m in zip(value, meta):
                check_value(self.where, node, v, m)
        else:
            check_value(self.where, node, value, meta)
        return value
