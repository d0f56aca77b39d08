// The thread stage on tensors, where the pipeline runs it (before
// bufferization): upstream tile-and-fuse. The group's last op is tiled
// into an scf.forall and the group's producers (the contraction, the fill)
// are fused into each chunk through its destination, so the chunk writes
// one slice of a `shared_outs` tensor.empty (configs written by hand).
// RUN: mlc-opt %s --split-input-file --mlc-distribute-to-threads | FileCheck %s

// The columns split in two chunks of 64; the fill, the matmul and the
// bias add all in the chunk, their configs without `distribute`.
// CHECK-LABEL: func.func @group(
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<64x128xf32>
// CHECK:         %[[R:.*]] = scf.forall (%[[T:.*]]) = (0) to (128) step (64) shared_outs(%[[OUT:.*]] = %[[EMPTY]]) -> (tensor<64x128xf32>) {
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][0, %[[T]]] [64, 64] [1, 1]
// CHECK:           %[[FILL:.*]] = linalg.fill {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} {{.*}} outs(%[[SLICE]] : tensor<64x64xf32>)
// CHECK:           %[[MM:.*]] = linalg.generic {{.*}} outs(%[[FILL]] : tensor<64x64xf32>) attrs = {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}}
// CHECK:           %[[BIAS:.*]] = linalg.generic {{.*}} outs(%[[MM]] : tensor<64x64xf32>) attrs = {mlc.lowering_config = {group = 0 : i64,
// CHECK:           scf.forall.in_parallel {
// CHECK-NEXT:        tensor.parallel_insert_slice %[[BIAS]] into %[[OUT]][0, %[[T]]] [64, 64] [1, 1]
// CHECK-NOT:     linalg.
// CHECK:         return %[[R]]
func.func @group(%A: tensor<64x64xf32>, %B: tensor<64x128xf32>, %bias: tensor<128xf32>) -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %C = linalg.fill {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x64xf32>, tensor<64x128xf32>) outs(%C : tensor<64x128xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  %E = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<128xf32>) outs(%D : tensor<64x128xf32>)
      attrs = {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} {
  ^bb0(%b: f32, %c: f32):
    %s = arith.addf %c, %b : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %E : tensor<64x128xf32>
}

// -----

// A producer outside the group (the negation of A) is not fused: every
// chunk of rows reads only its rows of it, but a producer read whole by
// each chunk (a transposed B) would be computed once per chunk.
// CHECK-LABEL: func.func @producer_outside_the_group(
// CHECK:         %[[NEG:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<64x64xf32>)
// CHECK:         scf.forall (%[[T:.*]]) = (0) to (64) step (32) shared_outs
// CHECK:           tensor.extract_slice %[[NEG]][%[[T]], 0] [32, 64] [1, 1]
// CHECK:           linalg.fill
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT:       arith.negf
// CHECK:         return
func.func @producer_outside_the_group(%A: tensor<64x64xf32>, %B: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %ea = tensor.empty() : tensor<64x64xf32>
  %N = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%A : tensor<64x64xf32>) outs(%ea : tensor<64x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<64x64xf32>
  %e = tensor.empty() : tensor<64x128xf32>
  %C = linalg.fill {mlc.lowering_config = {group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%N, %B : tensor<64x64xf32>, tensor<64x128xf32>) outs(%C : tensor<64x128xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 0, 4, 2>, group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %D : tensor<64x128xf32>
}

// -----

// A dynamic batch: the group is copied under an scf.if on its work that
// yields the last member's result; the split copy in the then branch, the
// serial one (configs without `distribute`) in the else branch. The
// chunk's extents come from the tensor.empty, not from the members.
// CHECK-LABEL: func.func @batch(
// CHECK:         %[[EMPTY:.*]] = tensor.empty(%{{.*}}) : tensor<?x256xf32>
// CHECK:         %[[ENOUGH:.*]] = arith.cmpi sge, %{{.*}}, %c65536
// CHECK:         %[[R:.*]] = scf.if %[[ENOUGH]] -> (tensor<?x256xf32>) {
// CHECK:           %[[F:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[EMPTY]]) -> (tensor<?x256xf32>) {
// CHECK:             linalg.fill
// CHECK:             linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:          attrs = {mlc.lowering_config = {group = 0 : i64, interchange
// CHECK:           scf.yield %[[F]]
// CHECK:         } else {
// CHECK:           linalg.fill {mlc.lowering_config = {group = 0 : i64, interchange
// CHECK:           %[[S:.*]] = linalg.generic {{.*}} attrs = {mlc.lowering_config = {group = 0 : i64, interchange
// CHECK:           scf.yield %[[S]]
// CHECK:         return %[[R]]
func.func @batch(%A: tensor<?x64xf32>, %B: tensor<64x256xf32>) -> tensor<?x256xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %A, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%n) : tensor<?x256xf32>
  %C = linalg.fill {mlc.lowering_config = {distribute = array<i64: 0, 1, 2>, group = 0 : i64, interchange = array<i64: 0, 1>, min_parallel_work = 65536 : i64, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%e : tensor<?x256xf32>) -> tensor<?x256xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<?x64xf32>, tensor<64x256xf32>) outs(%C : tensor<?x256xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 0, 4, 2>, group = 0 : i64, interchange = array<i64: 1, 0, 2>, min_parallel_work = 65536 : i64, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x256xf32>
  return %D : tensor<?x256xf32>
}

// -----

// A group written by hand whose members are not a chain (the fill's
// result is returned too): each op is split alone, without its group.
// CHECK-LABEL: func.func @not_a_chain(
// CHECK:         scf.forall {{.*}} shared_outs
// CHECK:           linalg.fill {mlc.lowering_config = {interchange
// CHECK:         scf.forall {{.*}} shared_outs
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:        attrs = {mlc.lowering_config = {interchange
func.func @not_a_chain(%A: tensor<64x64xf32>, %B: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %C = linalg.fill {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x64xf32>, tensor<64x128xf32>) outs(%C : tensor<64x128xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %C, %D : tensor<64x128xf32>, tensor<64x128xf32>
}

// -----

// A group written by hand whose epilogue reads the matmul's result as an
// input as well as its destination: fused through both slices, the
// matmul would be computed twice per chunk. The chain is refused and each
// op split alone: the matmul computed once.
// CHECK-LABEL: func.func @read_twice(
// CHECK:         scf.forall
// CHECK:           linalg.fill
// CHECK:         scf.forall
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         scf.forall
// CHECK-NOT:       iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK-NOT:     iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         return
func.func @read_twice(%A: tensor<64x64xf32>, %B: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %C = linalg.fill {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %D = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x64xf32>, tensor<64x128xf32>) outs(%C : tensor<64x128xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 1, 0, 2>, register_tile = array<i64: 4, 64, 0>}} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  %E = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%D : tensor<64x128xf32>) outs(%D : tensor<64x128xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 1, 64, 2>, group = 0 : i64, interchange = array<i64: 0, 1>, register_tile = array<i64: 4, 64>}} {
  ^bb0(%b: f32, %c: f32):
    %s = arith.mulf %c, %b : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %E : tensor<64x128xf32>
}
