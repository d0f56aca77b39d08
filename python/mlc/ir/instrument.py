"""Pass instruments (TVM's ``tvm.ir.instrument``): objects a
``PassContext(instruments=[...])`` calls around every pass."""

__all__ = ["PassInstrument", "PrintBeforeAll", "PrintAfterAll"]


class PassInstrument:
    """Base: override ``run_before_pass`` / ``run_after_pass``."""

    def run_before_pass(self, mod, info):
        pass

    def run_after_pass(self, mod, info):
        pass


class PrintBeforeAll(PassInstrument):
    """Prints the module before each pass."""

    def run_before_pass(self, mod, info):
        print(f"Before Running Pass: {info.name}")
        print(mod.script())


class PrintAfterAll(PassInstrument):
    """Prints the module after each pass."""

    def run_after_pass(self, mod, info):
        print(f"After Running Pass: {info.name}")
        print(mod.script())
