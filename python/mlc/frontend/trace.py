"""Records, for every call node of an fx graph, the ATen ops torch runs.

The importer does not model torch's Python API: each call node of the
user's graph (a torch function, a Tensor method, an operator, an
``nn.Module`` leaf, a Python function fx kept opaque) is run once through
``make_fx`` on example tensors, functionalized (in-place ops and writes
into views become out-of-place ops, and a write to an argument becomes a
final ``aten.copy_`` into it), with torch's own decompositions applied to
the ATen ops mlc has no rule for. What reaches the importer is exactly the
ATen ops eager PyTorch executes for that node, with the shape and dtype of
every value (``tensor_meta``): ``torch.X``, ``Tensor.X``, ``F.X``,
``X_``, ``operator.X``, modules and ``torch.ops.aten.X`` all arrive as the
same ATen op, so one rule serves them all.

Dynamic sizes: example tensors need concrete sizes. With dynamic sizes the
graph is traced twice with different stand-in sizes; an integer argument
that differs between the two traces depends on a dynamic size (a
``DynSize``), and a dimension of a value's shape that differs is dynamic.
"""

import torch
from torch import fx
from torch.fx.experimental.proxy_tensor import make_fx
from torch.utils._pytree import tree_flatten, tree_unflatten

from .._ffi import MLCError

try:  # torch 1.13 ships functionalization with functorch.
    from functorch.experimental import functionalize as _functionalize
except ImportError:  # pragma: no cover - later torch
    from torch.func import functionalize as _functionalize



def stand_in_size(k, run):
    """The size dynamic dimension k takes in trace `run` (0 or 1): never 0
    or 1 (which empty or broadcast), distinct per dimension within a trace
    and between the two traces."""
    return 5 + 2 * k + run


class DynSize:
    """An integer that depends on a dynamic size: its values in the two
    traces. Rules that take sizes (view, expand, ...) decide what it means
    or refuse it."""

    def __init__(self, values):
        self.values = tuple(values)

    def __repr__(self):
        return f"DynSize{self.values}"


class NodeTrace:
    """The ATen graph of one call node, and how its arguments feed it.

    graph: the make_fx GraphModule (its placeholders are the tensors among
    the node's flattened arguments, in order) or None when tracing failed
    (``error`` says why). tensor_positions: where those tensors are among
    the flattened ``(args, kwargs)``."""

    def __init__(self, graph, tensor_positions, error=None):
        self.graph = graph
        self.tensor_positions = tensor_positions
        self.error = error


def _example(shape, dtype, run, fill=0):
    """An example tensor: dynamic sizes (None) take trace `run`'s stand-in;
    values are random floats, and integers and booleans all `fill`
    (integer inputs are often indices, where 0 is always valid, or
    divisors, where 1 is)."""
    dims, k = [], 0
    for d in shape:
        if d is None:
            dims.append(stand_in_size(k, run))
            k += 1
        else:
            dims.append(d)
    generator = torch.Generator().manual_seed(0)
    if dtype.is_floating_point:
        return torch.rand(dims, generator=generator).to(dtype)
    return torch.full(dims, fill, dtype=dtype)


class _NodeTracer(fx.Interpreter):
    """Runs the graph eagerly and traces each call node on the way."""

    def __init__(self, graph_module, decompositions, traced_nodes):
        super().__init__(graph_module)
        self.decompositions = decompositions
        self.traced_nodes = traced_nodes
        self.traces = {}
        self.values = {}

    def run_node(self, n):
        self.values[n] = self._run(n)
        return self.values[n]

    def _run(self, n):
        if n.op not in ("call_function", "call_method", "call_module") \
                or n not in self.traced_nodes:
            return super().run_node(n)
        args, kwargs = self.fetch_args_kwargs_from_env(n)
        flat, spec = tree_flatten((args, kwargs))
        positions = [i for i, v in enumerate(flat)
                     if isinstance(v, torch.Tensor)]

        def call(*tensors):
            values = list(flat)
            for p, t in zip(positions, tensors):
                values[p] = t
            a, k = tree_unflatten(values, spec)
            return getattr(self, n.op)(n.target, a, k)

        # Trace on copies: functionalized writes to arguments are replayed
        # into them, and the eager run below must see the original values.
        copies = [flat[p].clone() for p in positions]
        try:
            # With grad enabled (parameters require grad), modules take
            # their general path, not fused inference kernels
            # (TransformerEncoderLayer's _transformer_encoder_layer_fwd).
            with torch.enable_grad():
                graph = make_fx(_functionalize(call),
                                decomposition_table=self.decompositions)(
                                    *copies)
            if _reads_storage(graph) and not all(
                    flat[p].is_contiguous() and flat[p].storage_offset() == 0
                    for p in positions):
                # The trace ran on contiguous copies; eager as_strided of a
                # view reads the viewed tensor's storage instead.
                raise MLCError("as_strided of a view made by another node")
            self.traces[n] = NodeTrace(graph, positions)
        except Exception as e:  # pylint: disable=broad-except
            self.traces[n] = NodeTrace(None, positions,
                                       f"{type(e).__name__}: {e}")
        return getattr(self, n.op)(n.target, args, kwargs)


def _reads_storage(graph_module):
    """Whether the graph has ops whose result depends on memory layout."""
    return any(n.op == "call_function" and getattr(n.target, "overloadpacket",
                                                   None) in _STORAGE_OPS
               for n in graph_module.graph.nodes)


_STORAGE_OPS = {torch.ops.aten.as_strided, torch.ops.aten.as_strided_copy}


def trace_graph(graph_module, inputs, decompositions, traced_nodes,
                examples=None):
    """Per-node ATen traces and eager values of every node.

    inputs: (shape, torch dtype) per placeholder, None for a dynamic size.
    Returns (traces, values): traces[node] a NodeTrace whose graph's values
    carry ``tensor_meta`` with dynamic dimensions as None and integer
    arguments that depend on dynamic sizes as DynSize; values[node] the
    node's eager value in the first trace."""
    dynamic = any(d is None for shape, _ in inputs for d in shape)
    tracers = [_trace_once(graph_module, inputs, decompositions, traced_nodes,
                           examples, run) for run in range(2 if dynamic else 1)]
    if dynamic:
        _merge(tracers[0].traces, tracers[1].traces)
    return tracers[0].traces, tracers[0].values


def _trace_once(graph_module, inputs, decompositions, traced_nodes, examples,
                run):
    failure = None
    # Integer inputs are tried as zeros, then as ones (a graph that divides
    # by them fails on zeros).
    for fill in ((None,) if examples else (0, 1)):
        tracer = _NodeTracer(graph_module, decompositions, traced_nodes)
        tensors = [t.clone() for t in examples] if examples else \
            [_example(shape, dtype, run, fill) for shape, dtype in inputs]
        try:
            with torch.no_grad():
                tracer.run(*tensors)
            return tracer
        except Exception as e:  # pylint: disable=broad-except
            failure = e
    raise MLCError(f"the model fails in eager PyTorch on example inputs "
                   f"(pass example_inputs): {type(failure).__name__}: "
                   f"{failure}")


def _merge_meta(a, b):
    """tensor_meta of two traces, with the sizes that differ as None."""
    if a is None or b is None:
        return None
    if hasattr(a, "shape") and hasattr(a, "_replace"):
        shape = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        return a._replace(shape=shape)
    if isinstance(a, (tuple, list)):
        return type(a)(_merge_meta(x, y) for x, y in zip(a, b))
    return a


def _merge(traces, traces_b):
    """Folds the second trace into the first: differing integers become
    DynSize, differing sizes None. A node whose ops or argument structure
    differ between the traces depends on the sizes in a way rules cannot
    see: it is marked untraceable."""
    for node, trace in traces.items():
        other = traces_b.get(node)
        if trace.graph is None or other is None or other.graph is None:
            continue
        nodes_a, nodes_b = list(trace.graph.graph.nodes), \
            list(other.graph.graph.nodes)
        try:
            if [n.target for n in nodes_a] != [n.target for n in nodes_b]:
                raise ValueError
            merged = [(_merge_args(na.args, nb.args),
                       _merge_args(na.kwargs, nb.kwargs))
                      for na, nb in zip(nodes_a, nodes_b)]
        except ValueError:
            trace.graph, trace.error = None, (
                "the ops torch runs depend on the dynamic sizes")
            continue
        for (args, kwargs), na, nb in zip(merged, nodes_a, nodes_b):
            na.args, na.kwargs = args, kwargs
            na.meta["tensor_meta"] = _merge_meta(na.meta.get("tensor_meta"),
                                                 nb.meta.get("tensor_meta"))


def _merge_args(a, b):
    if isinstance(a, fx.Node):
        return a
    if isinstance(a, (tuple, list)):
        if not isinstance(b, (tuple, list)) or len(a) != len(b):
            raise ValueError
        return type(a)(_merge_args(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        if not isinstance(b, dict) or a.keys() != b.keys():
            raise ValueError
        return {k: _merge_args(v, b[k]) for k, v in a.items()}
    if isinstance(a, int) and not isinstance(a, bool) and a != b:
        return DynSize((a, b))
    return a
