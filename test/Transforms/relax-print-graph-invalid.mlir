// RUN: mlc-opt %s --relax-print-graph="function=nope" -verify-diagnostics -o /dev/null

// A function that is not there, or not a graph function, is an error
// naming it.
// expected-error @+1 {{no graph function named 'nope' to draw}}
module {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
