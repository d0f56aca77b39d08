"""IRModule: one MLIR module, TVM's IRModule."""

from .._ffi import lib


class IRModule:
    """An MLIR module of ``func.func`` graph functions and ``tir.func``s.

    ``show()`` prints it with large constants elided; ``str()`` gives the
    full text, which ``IRModule.from_text`` parses back.
    """

    def __init__(self, handle):
        if not isinstance(handle, lib.ir.Module):
            raise TypeError("IRModule wraps a native module; use "
                            "IRModule.from_text to parse text")
        self._handle = handle

    @classmethod
    def from_text(cls, text: str) -> "IRModule":
        """Parses and verifies a module from MLIR text."""
        return cls(lib.ir.Module.parse(text))

    def script(self, show_large_constants: bool = False) -> str:
        """The module's text, large constants elided unless asked for."""
        return self._handle.text(show_large_constants is False)

    def show(self) -> None:
        """Prints the module, large constants elided."""
        print(self.script())

    def functions(self):
        """Names of the module's functions, in order."""
        return list(self._handle.functions())

    def __getitem__(self, name: str) -> "Function":
        if name not in self._handle.functions():
            raise KeyError(f"no function named '{name}' in the module")
        return Function(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._handle.functions()

    def __str__(self) -> str:
        return self._handle.text(False)

    def __repr__(self) -> str:
        return f"IRModule({', '.join(self.functions())})"


class Function:
    """A function of an IRModule, by name (for printing)."""

    def __init__(self, module: IRModule, name: str):
        self.module = module
        self.name = name

    def script(self) -> str:
        return self.module._handle.function_text(self.name, True)

    def show(self) -> None:
        print(self.script())

    def __str__(self) -> str:
        return self.module._handle.function_text(self.name, False)


def parse(text: str) -> IRModule:
    """Parses and verifies a module from MLIR text."""
    return IRModule.from_text(text)
