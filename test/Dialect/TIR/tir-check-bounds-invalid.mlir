// RUN: mlc-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(tir.func(tir-check-bounds))"

// Static shapes that read past the end, before the start, or at a constant
// out of range: errors at the read, with the index range and the size.
tir.func @past_the_end(%A: tensor<4xf32>) -> tensor<4xf32> {
  %B = tir.compute "shift" (%i) : tensor<4xf32> {
    %c1 = arith.constant 1 : index
    %j = arith.addi %i, %c1 : index
    // expected-error @+1 {{'tir.read' op compute 'shift' reads argument #0 out of bounds in dimension 0 (lowest and highest index, then size): 1 4 4}}
    %a = tir.read %A[%j] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @constant_index(%A: tensor<4xf32>) -> tensor<2xf32> {
  %B = tir.compute "seven" (%i) : tensor<2xf32> {
    %c7 = arith.constant 7 : index
    // expected-error @+1 {{'tir.read' op compute 'seven' reads argument #0 out of bounds in dimension 0 (lowest and highest index, then size): 7 7 4}}
    %a = tir.read %A[%c7] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<2xf32>
}

// -----

// A reduce axis over [-3, 2): te adds the axis' start to its index.
tir.func @negative_axis(%A: tensor<4xf32>) -> tensor<1xf32> {
  %B = tir.compute "sum" (%i) reduce sum (%k : 5) : tensor<1xf32> {
    %c3 = arith.constant 3 : index
    %j = arith.subi %k, %c3 : index
    // expected-error @+1 {{'tir.read' op compute 'sum' reads argument #0 out of bounds in dimension 0 (lowest and highest index, then size): -3 1 4}}
    %a = tir.read %A[%j] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<1xf32>
}

// -----

// A static gather from an empty tensor can read nothing.
tir.func @empty_gather(%A: tensor<0xf32>, %idx: tensor<3xi64>) -> tensor<3xf32> {
  %B = tir.compute "gather" (%i) : tensor<3xf32> {
    %x = tir.read %idx[%i] : tensor<3xi64>
    %j = arith.index_cast %x : i64 to index
    // expected-error @+1 {{'tir.read' op compute 'gather' reads argument #0, which is empty in dimension 0 (its size): 0}}
    %a = tir.read %A[%j] : tensor<0xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<3xf32>
}

// -----

// Fuzzer finding (issue 12): an extent of INT64_MAX, DenseMap's empty key,
// crashed the pass's cache of constants under ASan. A clean error.
tir.func @int64_max_extent(%A: tensor<2x2xf32>) -> tensor<2xf32> {
  %B = tir.compute "sum" (%i) reduce sum (%k : 9223372036854775807) : tensor<2xf32> {
    // expected-error @+1 {{'tir.read' op compute 'sum' reads argument #0 out of bounds in dimension 1 (lowest and highest index, then size): 0 9223372036854775806 2}}
    %a = tir.read %A[%i, %k] : tensor<2x2xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<2xf32>
}
