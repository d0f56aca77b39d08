// mlc-run reads .npy headers strictly (issue 12): a negative dimension was
// read as a positive one, a dimension beyond int64 threw an uncaught
// std::out_of_range, and a huge shape allocated before the file size was
// checked ("LLVM ERROR: out of memory"). Each is now an error naming the file.
// RUN: %PYTHON %S/Inputs/make_bad_npy.py %t
// RUN: not mlc-run %s --input=%t.negative.npy 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not mlc-run %s --input=%t.int64.npy 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: not mlc-run %s --input=%t.huge.npy 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not mlc-run %s --input=%t.wrap.npy 2>&1 | FileCheck %s --check-prefix=WRAP
// RUN: not mlc-run %s --input=%t.header.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// RUN: not mlc-run %s --input=%t.bigendian.npy 2>&1 | FileCheck %s --check-prefix=ENDIAN

// NEG: negative.npy: negative dimension in shape (-2, 2)
// BIG: int64.npy: dimension 99999999999999999999 does not fit in int64
// HUGE: huge.npy: truncated data: the shape (1099511627776, 4) needs 17592186044416 bytes, the file holds 16
// WRAP: wrap.npy: truncated data: the shape (4611686018427387904, 4) needs more than 2^64 bytes
// HEADER: header.npy: truncated header
// ENDIAN: bigendian.npy: unsupported dtype '>f4'

func.func @main(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = relax.relu %x : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
