"""Building and running relax modules (TVM's relax.vm / VirtualMachine)."""

from ..ir.module import IRModule
from ..nd import NDArray
from ..runtime.device import Device
from ..runtime.executable import Executable
from ..runtime.loader import restructure


def build(mod, target="llvm", opt_level=3, fuse=True, threads=0):
    """Compiles a relax module (graph functions and the tir.funcs they call)
    for the host CPU. `fuse` (default on) fuses operator chains (see
    --relax-fuse); off, each operator runs on its own. `threads`: how many
    threads vectorized loop nests use (0, the default: every core; loop
    nests with too little work to pay for waking threads run on one)."""
    if target not in ("llvm", "llvm -mcpu=native"):
        raise ValueError(f"mlc compiles for target 'llvm' (the host CPU), "
                         f"not {target!r}")
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
        if not isinstance(exe, Executable):
            raise TypeError("VirtualMachine takes the result of "
                            "relax.vm.build")
        if device is not None and not isinstance(device, Device):
            raise TypeError("device must be mlc.cpu()")
        self._exe = exe
        self.device = device

    def __getitem__(self, name):
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
