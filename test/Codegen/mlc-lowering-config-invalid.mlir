// Lowering configs that do not fit their op are errors at every stage
// that reads them, never a crash or a wrong tiling (configs written by
// hand; the strategy keeps a config it finds and leaves it to them).
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-tile-register-blocks
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-distribute-to-threads
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-pack-panels
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-vectorize

func.func @two_outputs(%x: memref<8xf32>, %y: memref<8xf32>, %z: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': expected on a linalg op on buffers}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y, %z : memref<8xf32>, memref<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    linalg.yield %a, %a : f32, f32
  }
  return
}

// -----

func.func @not_a_dictionary(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': expected a dictionary with register_tile and interchange (i64 arrays) and well-formed optional entries}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = 3} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @no_interchange(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': expected a dictionary with register_tile and interchange (i64 arrays) and well-formed optional entries}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @tile_rank(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': register_tile has 2 entries for 1 loops}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8, 1>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @negative_tile(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': register_tile sizes must be >= 0}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: -4>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @not_a_permutation(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': interchange is not a permutation of the 1 loops}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 1>, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @row_of_a_parallel_loop(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': row_reduction must name a reduction loop and a step >= 1}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, register_tile = array<i64: 8>, row_reduction = array<i64: 0, 8>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @distribute_a_reduction(%x: memref<8xf32>, %y: memref<f32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': distribute must name a parallel loop and a block >= 1}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>], iterator_types = ["reduction"]}
      ins(%x : memref<8xf32>) outs(%y : memref<f32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 0, 1, 2>, interchange = array<i64: 0>, register_tile = array<i64: 0>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @no_threads(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': expected a dictionary with register_tile and interchange (i64 arrays) and well-formed optional entries}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {distribute = array<i64: 0, 8, 0>, interchange = array<i64: 0>, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @pack_an_output(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': pack_operand must name an input}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {interchange = array<i64: 0>, pack_operand = 1 : i64, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

func.func @group_only_alone(%x: memref<8xf32>, %y: memref<8xf32>) {
  // expected-error @+1 {{invalid 'mlc.lowering_config': expected a dictionary with register_tile and interchange (i64 arrays) and well-formed optional entries}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%y : memref<8xf32>)
      attrs = {mlc.lowering_config = {group_only, interchange = array<i64: 0>, register_tile = array<i64: 8>}} {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}
