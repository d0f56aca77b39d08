// What --relax-legalize rejects: ops the verifier accepts but topi has no
// definition for.
// RUN: mlc-opt %s --relax-legalize --verify-diagnostics

func.func @index_elements(%a: tensor<4xindex>) -> tensor<4xindex> {
  // expected-error @+1 {{'relax.add' op cannot be legalized: te.placeholder 'x0' needs an integer or float dtype}}
  %0 = relax.add %a, %a : tensor<4xindex>, tensor<4xindex> -> tensor<4xindex>
  return %0 : tensor<4xindex>
}
