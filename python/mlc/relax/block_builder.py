"""BlockBuilder: builds relax graph functions (TVM's relax.BlockBuilder)."""

import json
import numbers

from .._ffi import lib
from ..ir.module import IRModule
from ..te import Tensor
from .expr import Expr
from .op import Call, Composite


def _handles(values, what):
    handles = []
    for i, v in enumerate(values):
        if not isinstance(v, Expr):
            raise TypeError(f"{what}: #{i} is a {type(v).__name__}, not a "
                            "relax value")
        handles.append(v._handle)
    return handles


class _FunctionScope:
    def __init__(self, bb, name, params):
        self._bb = bb
        self._name = name
        self._params = params

    def __enter__(self):
        params = None if self._params is None else \
            _handles(self._params, "params")
        self._bb._impl.begin_function(self._name, params)
        return self._bb

    def __exit__(self, exc_type, exc, tb):
        # On an error inside the scope, drop the function and let the error
        # through; otherwise a missing emit_func_output is an error here.
        self._bb._impl.end_function(exc_type is not None)
        return False


class _DataflowScope:
    def __init__(self, bb):
        self._bb = bb

    def __enter__(self):
        self._bb._impl.begin_dataflow()
        return self._bb

    def __exit__(self, exc_type, exc, tb):
        self._bb._impl.end_dataflow(exc_type is not None)
        return False


_PASS_THROUGH = (numbers.Number, str, type(None))


class BlockBuilder:
    """Builds an IRModule of graph functions, one emit at a time.

    ``with bb.function("main"):`` and ``with bb.dataflow():`` open scopes;
    ``emit``, ``emit_te``, ``emit_output`` and ``emit_func_output`` add to
    them; ``get()`` returns the module.
    """

    def __init__(self):
        self._impl = lib.relax.BlockBuilder()

    def function(self, name, params=None):
        """A function scope; ``params`` may also be given to
        ``emit_func_output``."""
        return _FunctionScope(self, name, params)

    def dataflow(self):
        """A dataflow block scope."""
        return _DataflowScope(self)

    def emit(self, call, name_hint=""):
        """Emits a high-level op call (``relax.op.*``; a composite one
        returns what its ``expand`` does). TVM's ``name_hint`` is not
        supported: mlc's values are named by their op."""
        if name_hint != "":
            raise TypeError("emit: name_hint is not supported (mlc names "
                            "values by their op)")
        if isinstance(call, Composite):
            return call.expand(self)
        if not isinstance(call, Call):
            raise TypeError(f"emit takes a relax.op call, got "
                            f"{type(call).__name__}")
        args = _handles(call.args, call.op)
        if call.op == "reshape":
            handle = self._impl.emit_reshape(args[0], list(call.attrs["shape"]))
        else:
            handle = self._impl.emit_op(call.op, args,
                                        list(call.attrs.items()))
        return Expr._wrap(handle)

    def emit_te(self, func, *args, **kwargs):
        """Runs the te function ``func`` on placeholders for the relax
        arguments, makes a ``tir.func`` of it (named after ``func``) and
        emits a ``call_tir``. Other arguments (numbers, strings, tuples of
        them) are passed to ``func`` unchanged."""
        name_hint = kwargs.pop("primfunc_name_hint", None) or \
            getattr(func, "__name__", "te_func")
        relax_args = []
        for i, arg in enumerate(args):
            if isinstance(arg, Expr):
                relax_args.append(arg)
            elif not _is_pass_through(arg):
                raise TypeError(
                    f"emit_te({name_hint}): argument #{i} is a "
                    f"{type(arg).__name__}; pass relax values (relax.Var, "
                    "relax.const) or plain numbers")
        if not relax_args:
            raise TypeError(f"emit_te({name_hint}) needs at least one relax "
                            "value argument")
        placeholders = self._impl.make_placeholders(
            [a._handle for a in relax_args])
        it = iter(placeholders)
        te_args = [next(it) if isinstance(a, Expr) else a for a in args]
        output = func(*te_args, **kwargs)
        if not isinstance(output, Tensor):
            raise TypeError(f"emit_te: {name_hint} returned a "
                            f"{type(output).__name__}, not a te.Tensor")
        handle = self._impl.emit_prim_func_call(
            [a._handle for a in relax_args], placeholders, output, name_hint)
        return Expr._wrap(handle)

    def emit_output(self, output):
        """Makes ``output`` visible after the dataflow block."""
        (handle,) = _handles([output], "emit_output")
        return Expr._wrap(self._impl.emit_output(handle))

    def emit_func_output(self, output, params=None, structure=None):
        """Returns ``output`` (a value or a list of them) from the function;
        ``params`` lists its parameters if ``function()`` did not.
        ``structure`` (a JSON-able dict, see relax.result_structure in
        docs/frontend.md) says how the outputs form the value the function
        returns to Python, e.g. ``{"tuple": [{"tensor": 0}, {"value":
        None}]}``."""
        outputs = list(output) if isinstance(output, (list, tuple)) \
            else [output]
        self._impl.emit_func_output(
            _handles(outputs, "emit_func_output"),
            None if params is None else _handles(params, "params"),
            "" if structure is None else json.dumps(structure))

    def get(self):
        """The module built so far."""
        return IRModule(self._impl.get())


def _is_pass_through(value):
    if isinstance(value, _PASS_THROUGH):
        return True
    if isinstance(value, (tuple, list)):
        return all(_is_pass_through(v) for v in value)
    return False
