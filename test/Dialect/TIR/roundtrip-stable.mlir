// Printing is a fixed point: the printed form re-prints identically, in the
// pretty and the generic form.
// RUN: mlc-opt %S/ops.mlir > %t.1.mlir
// RUN: mlc-opt %t.1.mlir > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: mlc-opt %S/ops.mlir --mlir-print-op-generic > %t.g1.mlir
// RUN: mlc-opt %t.g1.mlir --mlir-print-op-generic > %t.g2.mlir
// RUN: diff %t.g1.mlir %t.g2.mlir
// RUN: mlc-opt %S/../Relax/ops.mlir > %t.r1.mlir
// RUN: mlc-opt %t.r1.mlir > %t.r2.mlir
// RUN: diff %t.r1.mlir %t.r2.mlir
