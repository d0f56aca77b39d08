// A config on tensors is the strategy's and the thread stage's, which run
// before bufferization; the stages after it reject one (it would mean a
// tensor op survived bufferization).
// RUN: mlc-opt %s --verify-diagnostics --mlc-tile-register-blocks
// RUN: mlc-opt %s --verify-diagnostics --mlc-pack-panels
// RUN: mlc-opt %s --verify-diagnostics --mlc-vectorize
// The thread stage takes it (a serial config: nothing to split).
// RUN: mlc-opt %s --mlc-distribute-to-threads | FileCheck %s

// CHECK-LABEL: func.func @tensor(
// CHECK:         linalg.generic {{.*}} attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8>}}
func.func @tensor(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  // expected-error @+1 {{invalid 'mlc.lowering_config': expected on a linalg op on buffers with one output}}
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}
