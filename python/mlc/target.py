"""TVM's ``tvm.target.Target``: mlc compiles for the host CPU only."""

__all__ = ["Target"]

_HOST = ("llvm", "llvm -mcpu=native")


class Target:
    """``Target("llvm")`` (or ``"llvm -mcpu=native"``): the host CPU, with
    the vector width the machine has. Any other target is an error."""

    def __init__(self, target, host=None):
        if isinstance(target, Target):
            target = target.kind_and_attrs
        if not isinstance(target, str) or " ".join(target.split()) not in _HOST:
            raise ValueError(f"Target: mlc compiles for 'llvm' (the host "
                             f"CPU), not {target!r}")
        if host is not None and Target(host).kind_and_attrs != "llvm":
            raise ValueError("Target: the host must be 'llvm'")
        self.kind_and_attrs = " ".join(target.split())
        self.kind = "llvm"

    @staticmethod
    def current(allow_none=True):
        return None if allow_none else Target("llvm")

    def __eq__(self, other):
        return isinstance(other, Target) and \
            other.kind_and_attrs == self.kind_and_attrs

    def __hash__(self):
        return hash(self.kind_and_attrs)

    def __repr__(self):
        return f"Target({self.kind_and_attrs!r})"

    def __str__(self):
        return self.kind_and_attrs
