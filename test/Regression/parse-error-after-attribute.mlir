// Fuzzer finding (issue 12), under ASan only: an attribute of mlc's dialect
// uniqued in the context's allocator, then a location uniqued by MLIR's
// parser in the same slab, made ASan report "use-after-poison": LLVM's
// inlined allocator poisoned the slab in mlc's instrumented code, and the
// uninstrumented library allocated from it without unpoisoning
// (cmake/SanitizerCompat.h). The input is simply a parse error.
// RUN: not mlc-opt %s 2>&1 | FileCheck %s
// CHECK: error: expected operation name in quotes
tir.func @kind_without_axes(%A: tensor<4xf32>) -> tensor<4xf32> {
  %B = "relax.dataflow"() <{compute_name = "c", operandSegmentSizes = array<i32: 0, 0>, reduction_extents = array<i64>, reduction_kind = #tir<reduction max>}> ({
