"""Runtime: devices and compiled executables."""

from .device import Device, cpu
from .executable import Executable

__all__ = ["Device", "cpu", "Executable"]
