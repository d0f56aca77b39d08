// mlc-run on .npy inputs whose dynamic sizes disagree: the add's operands
// must have the same rows. It printed 4.8e27 values read out of bounds; now
// the call stops with the requirement and both sizes (issue 12).
// RUN: %PYTHON -c "import numpy as np; np.save('%t.a.npy', np.ones((3, 4), 'float32')); np.save('%t.b.npy', np.ones((5, 4), 'float32'))"
// RUN: not mlc-run %s --input=%t.a.npy --input=%t.b.npy 2>&1 | FileCheck %s
// RUN: mlc-run %s --input=%t.a.npy --input=%t.a.npy | FileCheck %s --check-prefix=SAME

// CHECK: mlc-run: error: main: T_add: 'x0' and 'x1' must have the same size in dimension 0 of their broadcast shape (a dynamic size is not broadcast) (got 3, 5)
// SAME:      result #0: float32 (3, 4)
// SAME-NEXT: {{\[\[}}2, 2, 2, 2],
func.func @main(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = relax.add %a, %b : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
