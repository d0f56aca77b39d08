"""Passes as Python objects (TVM's ``tvm.transform``).

A pass is a callable ``IRModule -> IRModule`` that leaves its argument
unchanged and returns a new module. mlc's passes are MLIR passes: each
object here runs a pass pipeline (the text ``mlc-opt`` takes), so
``pass_.pipeline`` says exactly what runs, and any pipeline can be wrapped
with ``MLIRPass("...")``.

    seq = tvm.transform.Sequential([relax.transform.LegalizeOps(),
                                    tvm.transform.PrintIR(),
                                    relax.transform.FuseOps()])
    with tvm.transform.PassContext(opt_level=3):
        mod = seq(mod)
"""

from .ir.module import IRModule

__all__ = ["Pass", "MLIRPass", "Sequential", "PassContext", "PrintIR",
           "PassInfo"]


class PassInfo:
    """A pass's name and the optimization level it needs (TVM's)."""

    def __init__(self, name, opt_level=0, required=()):
        self.name = name
        self.opt_level = opt_level
        self.required = list(required)

    def __repr__(self):
        return f"PassInfo(name={self.name!r}, opt_level={self.opt_level})"


class PassContext:
    """Options for the passes run inside ``with PassContext(...):``.

    ``opt_level`` (TVM's default 2): a pass whose ``info.opt_level`` is
    higher is skipped by ``Sequential``; ``disabled_pass`` names passes it
    skips; ``required_pass`` names passes run whatever the level;
    ``instruments`` (TVM's PassInstrument interface: ``run_before_pass(mod,
    info)`` and ``run_after_pass(mod, info)``, e.g.
    ``mlc.ir.instrument.PrintAfterAll()``) see every pass run. TVM's
    ``config`` dictionary and ``trace`` have no mlc meaning: giving them is
    an error.
    """

    _stack = []

    def __init__(self, opt_level=2, required_pass=None, disabled_pass=None,
                 instruments=None, config=None, trace=None):
        if not isinstance(opt_level, int) or not 0 <= opt_level <= 4:
            raise ValueError(f"PassContext: opt_level must be 0..4, got "
                             f"{opt_level!r}")
        for name, value in (("config", config), ("trace", trace)):
            if value:
                raise TypeError(f"PassContext: {name} is not supported by "
                                "mlc")
        self.opt_level = opt_level
        self.instruments = list(instruments or [])
        for instrument in self.instruments:
            if not (hasattr(instrument, "run_before_pass") or
                    hasattr(instrument, "run_after_pass")):
                raise TypeError(f"PassContext: {instrument!r} is not a pass "
                                "instrument (run_before_pass / "
                                "run_after_pass)")
        self.required_pass = list(required_pass or [])
        self.disabled_pass = list(disabled_pass or [])

    @classmethod
    def current(cls):
        """The innermost active context (a default one outside any)."""
        return cls._stack[-1] if cls._stack else cls()

    def __enter__(self):
        PassContext._stack.append(self)
        return self

    def __exit__(self, *exc):
        PassContext._stack.pop()
        return False


class Pass:
    """Base of mlc's passes: ``pass_(mod)`` returns the transformed copy."""

    info = PassInfo("Pass")

    def __call__(self, mod):
        if not isinstance(mod, IRModule):
            raise TypeError(f"{self.info.name} takes an IRModule, not "
                            f"{type(mod).__name__}")
        return self._run(mod)

    def _run(self, mod):
        """One pass run, seen by the context's instruments."""
        instruments = PassContext.current().instruments
        for instrument in instruments:
            if hasattr(instrument, "run_before_pass"):
                instrument.run_before_pass(mod, self.info)
        result = self.transform_module(mod)
        for instrument in instruments:
            if hasattr(instrument, "run_after_pass"):
                instrument.run_after_pass(result, self.info)
        return result

    def transform_module(self, mod):
        raise NotImplementedError

    def __repr__(self):
        return f"{self.info.name}()"


class MLIRPass(Pass):
    """An MLIR pass pipeline (``mlc-opt`` syntax, e.g. ``"relax-fuse"`` or
    ``"builtin.module(relax-legalize,canonicalize)"``) as a pass."""

    def __init__(self, pipeline, name=None, opt_level=0):
        if not isinstance(pipeline, str) or not pipeline:
            raise TypeError("MLIRPass: pipeline must be a non-empty str")
        self.pipeline = pipeline
        self.info = PassInfo(name or pipeline, opt_level)

    def transform_module(self, mod):
        text = self.pipeline if self.pipeline.startswith("builtin.module(") \
            else f"builtin.module({self.pipeline})"
        return mod._derived(mod._handle.run_pipeline(text))

    def __repr__(self):
        return f"{self.info.name}(pipeline={self.pipeline!r})"


class PrintIR(Pass):
    """Prints the module (large constants elided) and returns it as it is."""

    def __init__(self, header="", show_meta_data=False):
        self.header = header
        self.show_meta_data = show_meta_data
        self.info = PassInfo("PrintIR")

    def transform_module(self, mod):
        if self.header:
            print(f"PrintIR({self.header}):")
        print(mod.script(show_large_constants=self.show_meta_data))
        return mod


class Sequential(Pass):
    """Runs ``passes`` in order under the current PassContext: a pass above
    its opt_level or in ``disabled_pass`` is skipped unless required."""

    def __init__(self, passes=None, opt_level=0, name="sequential",
                 required=None):
        passes = list(passes or [])
        for p in passes:
            if not isinstance(p, Pass):
                raise TypeError(f"Sequential: {p!r} is not a pass")
        self.passes = passes
        self.info = PassInfo(name, opt_level, required or [])

    def _run(self, mod):
        # The instruments see the passes inside, not the sequence itself.
        return self.transform_module(mod)

    def transform_module(self, mod):
        context = PassContext.current()
        for p in self.passes:
            name = p.info.name
            required = name in context.required_pass or \
                name in self.info.required
            if not required and (name in context.disabled_pass or
                                 p.info.opt_level > context.opt_level):
                continue
            mod = p(mod)
        return mod

    def __repr__(self):
        return f"Sequential({self.passes!r})"
