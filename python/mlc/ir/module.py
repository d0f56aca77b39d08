"""IRModule: one MLIR module, TVM's IRModule."""

from .._ffi import lib


class GlobalVar:
    """A function's name in a module (TVM's GlobalVar): equal to another
    GlobalVar of the same name."""

    __slots__ = ("name_hint",)

    def __init__(self, name_hint):
        if not isinstance(name_hint, str):
            raise TypeError("GlobalVar: the name must be a str")
        self.name_hint = name_hint

    def __eq__(self, other):
        return isinstance(other, GlobalVar) and \
            other.name_hint == self.name_hint

    def __hash__(self):
        return hash(("GlobalVar", self.name_hint))

    def __repr__(self):
        return f"I.GlobalVar({self.name_hint!r})"


def _empty_module():
    return lib.ir.Module.parse("module {}")


class IRModule:
    """An MLIR module of ``func.func`` graph functions and ``tir.func``s.

    As TVM's: ``mod["main"]`` is a function (``.params``,
    ``.ret_struct_info``, ``.attrs``), ``mod.functions`` maps GlobalVars to
    functions, ``mod["f"] = func`` adds one, ``mod.get_global_vars()``
    lists them. ``show()`` prints it with large constants elided (or, with
    ``format="dot"``, draws a graph function); ``str()`` gives the full
    text, which ``IRModule.from_text`` parses back.
    """

    def __init__(self, functions=None, handle=None):
        # IRModule(handle) (mlc's own calls) or IRModule({name: func}).
        if isinstance(functions, lib.ir.Module):
            functions, handle = None, functions
        if handle is None:
            handle = _empty_module()
        elif not isinstance(handle, lib.ir.Module):
            raise TypeError("IRModule wraps a native module; use "
                            "IRModule.from_text to parse text")
        self._handle = handle
        # Weights a keep_params_as_input import returns (relax.frontend.
        # detach_params), by function name.
        self._params = {}
        if functions is not None:
            if not isinstance(functions, dict):
                raise TypeError("IRModule takes a dict of functions")
            for key, func in functions.items():
                self[key] = func

    def _derived(self, handle):
        """A module made from this one by a pass: the same Python-side
        information (parameters), a new native module."""
        derived = IRModule(handle=handle)
        derived._params = dict(self._params)
        return derived

    @classmethod
    def from_text(cls, text: str) -> "IRModule":
        """Parses and verifies a module from MLIR text."""
        return cls(handle=lib.ir.Module.parse(text))

    @classmethod
    def from_expr(cls, func, global_var="main"):
        """A module holding `func` (a function of another module, with
        the functions it calls) as `global_var`."""
        mod = cls()
        mod[global_var] = func
        return mod

    def script(self, show_large_constants: bool = False) -> str:
        """The module's text, large constants elided unless asked for."""
        return self._handle.text(show_large_constants is False)

    def show(self, format="text", function="main"):
        """Prints the module (large constants elided); ``format="dot"``
        returns graph function `function` as a Graphviz DOT graph
        (``--relax-print-graph``), ``format="svg"`` as SVG (Graphviz's
        ``dot``)."""
        if format in ("dot", "svg"):
            from . import graph
            return graph.graph_dot(self, function) if format == "dot" \
                else graph.graph_svg(self, function)
        if format != "text":
            raise ValueError(f"show: format must be 'text', 'dot' or "
                             f"'svg', got {format!r}")
        print(self.script())
        return None

    def function_names(self):
        """Names of the module's functions, in order."""
        return list(self._handle.functions())

    @property
    def functions(self):
        """GlobalVar -> function, in the module's order (TVM's)."""
        return {GlobalVar(n): Function(self, n) for n in self.function_names()}

    def get_global_vars(self):
        return [GlobalVar(n) for n in self.function_names()]

    def get_global_var(self, name):
        if name not in self:
            raise KeyError(f"no function named '{name}' in the module")
        return GlobalVar(name)

    @staticmethod
    def _name(key):
        if isinstance(key, GlobalVar):
            return key.name_hint
        if isinstance(key, str):
            return key
        raise TypeError(f"functions are named by str or GlobalVar, not "
                        f"{type(key).__name__}")

    def __getitem__(self, key) -> "Function":
        name = self._name(key)
        if name not in self._handle.functions():
            raise KeyError(f"no function named '{name}' in the module")
        return Function(self, name)

    def __setitem__(self, key, func):
        if not isinstance(func, Function):
            raise TypeError("mod[name] = f takes a function of an IRModule "
                            f"(mod2['main']), not {type(func).__name__}")
        name = self._name(key)
        self._handle.insert_function(func.module._handle, func.name, name)
        if func.name in func.module._params:
            self._params[name] = func.module._params[func.name]

    def __contains__(self, key) -> bool:
        return self._name(key) in self._handle.functions()

    def __iter__(self):
        return iter(self.get_global_vars())

    def __len__(self):
        return len(self.function_names())

    def __str__(self) -> str:
        return self._handle.text(False)

    def __repr__(self) -> str:
        return f"IRModule({', '.join(self.function_names())})"


class Param:
    """A parameter of a module's function: its name and struct info."""

    def __init__(self, name_hint, struct_info):
        self.name_hint = name_hint
        self.struct_info = struct_info

    @property
    def shape(self):
        return getattr(self.struct_info, "shape", None)

    @property
    def dtype(self):
        return getattr(self.struct_info, "dtype", None)

    def __repr__(self):
        return f"Param({self.name_hint!r}, {self.struct_info!r})"


def _struct_info(info):
    from ..relax.struct_info import TensorStructInfo
    if "dtype" in info:
        return TensorStructInfo(tuple(info["shape"]), info["dtype"])
    return info.get("type")


class Function:
    """A function of an IRModule, by name: a relax graph function
    (``kind == "relax"``) or a tensor program (``"tir"``, TVM's
    PrimFunc)."""

    def __init__(self, module: IRModule, name: str):
        self.module = module
        self.name = name

    def _info(self):
        return self.module._handle.function_info(self.name)

    @property
    def kind(self):
        return self._info()["kind"]

    @property
    def params(self):
        """The parameters, named ``arg0``, ``arg1``, ... as MLIR names
        them, with their struct info."""
        return [Param(f"arg{i}", _struct_info(p))
                for i, p in enumerate(self._info()["params"])]

    @property
    def ret_struct_info(self):
        from ..relax.struct_info import TupleStructInfo
        results = [_struct_info(r) for r in self._info()["results"]]
        return results[0] if len(results) == 1 else TupleStructInfo(results)

    @property
    def struct_info(self):
        from ..relax.struct_info import FuncStructInfo
        return FuncStructInfo([p.struct_info for p in self.params],
                              self.ret_struct_info)

    @property
    def attrs(self):
        """The function's attributes (as text), ``global_symbol`` (its
        name) and, after a keep_params_as_input import, ``params`` (the
        weights, NDArrays)."""
        attrs = {"global_symbol": self.name}
        attrs.update(self._info()["attrs"])
        if self.name in self.module._params:
            attrs["params"] = list(self.module._params[self.name])
        return attrs

    def script(self) -> str:
        return self.module._handle.function_text(self.name, True)

    def show(self) -> None:
        print(self.script())

    def __str__(self) -> str:
        return self.module._handle.function_text(self.name, False)

    def __repr__(self) -> str:
        return f"Function({self.name!r}, kind={self.kind!r})"


def parse(text: str) -> IRModule:
    """Parses and verifies a module from MLIR text."""
    return IRModule.from_text(text)
