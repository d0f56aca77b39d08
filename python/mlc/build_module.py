"""mlc.build: compiles tensor functions to call TVM-style."""

from .ir.module import IRModule
from .nd import NDArray
from .runtime.executable import Executable, _to_numpy


class PackedFunc:
    """A compiled tensor function called as TVM calls a PrimFunc: every
    argument in order, outputs included; the results are written into the
    output arrays."""

    def __init__(self, executable, name):
        self._exe = executable
        self.name = name
        sig = executable.signature(name)
        self._params = sig["params"]
        self._has_outputs = any(p["is_output"] for p in self._params)

    def __call__(self, *args):
        if len(args) != len(self._params):
            names = ", ".join(p["name"] for p in self._params)
            raise TypeError(f"{self.name} takes {len(self._params)} arguments "
                            f"({names}), got {len(args)}")
        inputs, outputs = [], []
        for i, (arg, param) in enumerate(zip(args, self._params)):
            (outputs if param["is_output"] else inputs).append(
                (i, param, arg))
        results = self._exe.call(self.name, [a for _, _, a in inputs])
        if not self._has_outputs:
            return [NDArray(r) for r in results] if len(results) != 1 \
                else NDArray(results[0])
        for (i, param, arg), result in zip(outputs, results):
            out = _to_numpy(arg, f"{self.name}: argument #{i}")
            if out.shape != result.shape or out.dtype != result.dtype:
                raise ValueError(
                    f"{self.name}: output #{i} '{param['name']}' has shape "
                    f"{out.shape} and dtype {out.dtype}, but the result has "
                    f"shape {result.shape} and dtype {result.dtype}")
            if isinstance(arg, NDArray):
                arg.copyfrom(result)
            else:
                out[...] = result
        return None


class Module:
    """The result of ``mlc.build``: compiled functions by name."""

    def __init__(self, executable):
        self._exe = executable

    def __getitem__(self, name):
        return PackedFunc(self._exe, name)

    def __call__(self, *args):
        names = self._exe.function_names()
        if len(names) != 1:
            raise TypeError("the module has several functions "
                            f"({', '.join(names)}); pick one with mod[name]")
        return self[names[0]](*args)

    def function_names(self):
        return self._exe.function_names()

    @property
    def entry_name(self):
        """The function a call of the module runs (its only one)."""
        names = self._exe.function_names()
        return names[0] if len(names) == 1 else "main"

    def time_evaluator(self, func_name, dev=None, number=10, repeat=1,
                       min_repeat_ms=0, **options):
        """TVM's timing (see runtime.timing): ``f = rt.time_evaluator(
        "mm", tvm.cpu()); f(a, b, c).mean``. The arguments are all of the
        function's, outputs included as TVM passes them; the timed calls
        write fresh result buffers, not the outputs."""
        from .runtime.timing import time_evaluator
        params = self._exe.signature(func_name)["params"]

        def inputs_of(args):
            if len(args) != len(params):
                raise TypeError(f"{func_name} takes {len(params)} arguments, "
                                f"got {len(args)}")
            return [a for a, p in zip(args, params) if not p["is_output"]]
        return time_evaluator(self._exe, func_name, dev, number, repeat,
                              min_repeat_ms, inputs_of=inputs_of, **options)

    def export_library(self, path):
        """Writes the compiled functions as a shared library (see
        ``mlc/runtime/loader.py``)."""
        self._exe.export_library(path)


def build(module, target="llvm", opt_level=3, threads=0):
    from .target import Target
    if isinstance(target, Target):
        target = target.kind_and_attrs
    """Compiles a tensor function (``te.create_prim_func``) or a module of
    them for the host CPU; `threads` as for ``relax.vm.build``."""
    if target not in ("llvm", "llvm -mcpu=native", "c"):
        raise ValueError(f"mlc compiles for target 'llvm' (the host CPU), "
                         f"not {target!r}")
    if not isinstance(module, IRModule):
        raise TypeError(f"mlc.build takes a te.create_prim_func result or an "
                        f"IRModule, not {type(module).__name__}")
    return Module(Executable(module, opt_level, threads=threads))
