"""Writes the malformed .npy files of mlc-run-bad-npy.mlir: valid headers
with shapes no real array has, a header longer than its file, and a
big-endian array."""

import struct
import sys

import numpy as np

prefix = sys.argv[1]


def write(name, shape_text, data=b"\0" * 16):
    header = ("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }"
              % shape_text)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(f"{prefix}.{name}.npy", "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode() + data)


write("negative", "-2, 2")
write("int64", "99999999999999999999, 2")
write("huge", "1099511627776, 4")
write("wrap", "4611686018427387904, 4")
with open(f"{prefix}.header.npy", "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", 60000) + b"{'descr'")
np.save(f"{prefix}.bigendian.npy", np.zeros((2, 2), ">f4"))
