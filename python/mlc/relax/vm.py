"""Building and running relax modules (TVM's relax.vm / VirtualMachine)."""

from ..ir.module import IRModule
from ..nd import NDArray
from ..runtime.device import Device
from ..runtime.executable import Executable
from ..runtime.loader import restructure
from ..runtime.timing import time_evaluator


def _target_name(target):
    from ..target import Target
    if isinstance(target, Target):
        return target.kind_and_attrs
    return target


def build(mod, target="llvm", opt_level=3, fuse=True, threads=0,
          params=None, exec_mode=None, relax_pipeline=None,
          tir_pipeline=None):
    """Compiles a relax module (graph functions and the tir.funcs they call)
    for the host CPU. `fuse` (default on) fuses operator chains (see
    --relax-fuse); off, each operator runs on its own. `threads`: how many
    threads vectorized loop nests use (0, the default: every core; loop
    nests with too little work to pay for waking threads run on one)."""
    target = _target_name(target)
    if target not in ("llvm", "llvm -mcpu=native"):
        raise ValueError(f"mlc compiles for target 'llvm' (the host CPU), "
                         f"not {target!r}")
    for name, value in (("params", params), ("exec_mode", exec_mode),
                        ("relax_pipeline", relax_pipeline),
                        ("tir_pipeline", tir_pipeline)):
        if value is not None:
            raise TypeError(f"relax.build: {name} is not supported (pass "
                            "weights as arguments; mlc runs its own "
                            "pipeline)")
    if not isinstance(mod, IRModule):
        raise TypeError(f"relax.vm.build takes an IRModule, not "
                        f"{type(mod).__name__}")
    return Executable(mod, opt_level, fuse, threads)


class VirtualMachine:
    """Runs the functions of a built relax module: ``vm["main"](*args)``
    returns an NDArray (a tuple of them for several results), or, for a
    function with a result structure (an imported model returning numbers,
    None or nested tuples and lists), that structure of NDArrays and
    Python values."""

    def __init__(self, exe, device=None):
        from ..runtime.module import LoadedModule
        if device is not None and not isinstance(device, Device):
            raise TypeError("device must be mlc.cpu()")
        self.device = device
        if isinstance(exe, LoadedModule):
            # An exported library (runtime.load_module): ctypes calls.
            self._exe = None
            self._loaded = exe
            return
        if not isinstance(exe, Executable):
            raise TypeError("VirtualMachine takes the result of "
                            "relax.build or runtime.load_module")
        self._exe = exe
        self._loaded = None

    @property
    def module(self):
        """TVM's ``vm.module``: ``vm.module.time_evaluator(...)`` and
        ``vm.module["main"]``."""
        return self

    def time_evaluator(self, func_name, dev=None, number=10, repeat=1,
                       min_repeat_ms=0, **options):
        """TVM's timing of `func_name` (see runtime.timing): ``f =
        vm.time_evaluator("main", tvm.cpu(), number=10); f(x).mean``."""
        if self._exe is None:  # a loaded library: see LoadedModule's
            return self._loaded.time_evaluator(func_name, dev, number, repeat,
                                               min_repeat_ms, **options)
        return time_evaluator(self._exe, func_name, dev, number, repeat,
                              min_repeat_ms, **options)

    def __getitem__(self, name):
        if self._loaded is not None:
            function = self._loaded[name]
            device = self.device

            def call_loaded(*args):
                arrays = [a.numpy() if isinstance(a, NDArray) else a
                          for a in args]
                results = function(*arrays)
                if not function._info.get("result_structure") and \
                        len(results) == 1:
                    return NDArray(results[0], device)
                return _wrap(results, device)
            call_loaded.__name__ = name
            return call_loaded
        self._exe.signature(name)  # raises KeyError for an unknown name

        native, arrays, device = self._exe._native, self._exe.arrays, \
            self.device
        structure = self._exe.signature(name).get("result_structure")

        def call(*args):
            # Kept to the few steps a batch-1 call needs.
            results = native.call(name, arrays(name, args))
            if structure:
                return restructure(structure, results,
                                   lambda r: NDArray(r, device),
                                   lambda r: int(NDArray(r).numpy()))
            if len(results) == 1:
                return NDArray(results[0], device)
            return tuple(NDArray(r, device) for r in results)

        call.__name__ = name
        return call


def _wrap(value, device):
    """numpy arrays (possibly inside tuples, lists, dicts) as NDArrays."""
    import numpy as np
    if isinstance(value, np.ndarray):
        return NDArray(value, device)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_wrap(v, device) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(_wrap(v, device) for v in value)
    if isinstance(value, dict):
        return {k: _wrap(v, device) for k, v in value.items()}
    return value
