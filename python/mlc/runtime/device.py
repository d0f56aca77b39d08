"""Devices. mlc compiles for the host CPU."""


class Device:
    """A device (TVM's Device); only the CPU exists."""

    def __init__(self, kind="cpu", index=0):
        if kind != "cpu":
            raise ValueError(f"mlc runs on the CPU only, not on {kind!r}")
        self.kind = kind
        self.index = index

    def __repr__(self):
        return f"{self.kind}({self.index})"

    def __eq__(self, other):
        return isinstance(other, Device) and \
            (self.kind, self.index) == (other.kind, other.index)

    def __hash__(self):
        return hash((self.kind, self.index))


def cpu(index=0):
    """The host CPU."""
    return Device("cpu", index)
