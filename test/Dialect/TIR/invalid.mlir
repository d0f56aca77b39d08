// One case for every diagnostic of the tir dialect.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics

// expected-error @+1 {{'tir.func' op argument #1 must be a ranked tensor, but got 'f32'}}
tir.func @scalar_arg(%A: tensor<4xf32>, %s: f32) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

// -----

// expected-error @+1 {{'tir.func' op result #0 must be a ranked tensor, but got 'tensor<*xf32>'}}
tir.func @unranked_result(%A: tensor<4xf32>) -> tensor<*xf32> {
  %u = tensor.cast %A : tensor<4xf32> to tensor<*xf32>
  tir.return %u : tensor<*xf32>
}

// -----

// expected-error @+1 {{'tir.func' op requires a body: a tir.func cannot be external}}
tir.func @declaration(%A: tensor<4xf32>) -> tensor<4xf32>

// -----

tir.func @return_count(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.return' op returns 2 values but the enclosing tir.func has 1 results}}
  tir.return %A, %A : tensor<4xf32>, tensor<4xf32>
}

// -----

tir.func @return_type(%A: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'tir.return' op type of returned value #0 ('tensor<4xf32>') does not match the result type ('tensor<?xf32>') of the enclosing tir.func}}
  tir.return %A : tensor<4xf32>
}

// -----

tir.func @bad_element(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op result element type must be an integer or float type, but got 'index'}}
  %B = tir.compute "idx" (%i) : tensor<4xindex> {
    tir.yield %i : index
  }
  tir.return %A : tensor<4xf32>
}

// -----

tir.func @missing_size(%A: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'tir.compute' op expected 1 dynamic size operands for 'tensor<?xf32>', but got 0}}
  %B = tir.compute "copy" (%i) : tensor<?xf32> {
    %a = tir.read %A[%i] : tensor<?xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<?xf32>
}

// -----

tir.func @negative_extent(%A: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tir.compute' op reduction extent must be non-negative, but got -1}}
  %B = tir.compute "s" () reduce sum (%k : -1) : tensor<f32> {
    %a = tir.read %A[%k] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<f32>
}

// -----

tir.func @missing_extent_operand(%A: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tir.compute' op expected 1 dynamic reduction extent operands, but got 0}}
  %B = "tir.compute"() <{compute_name = "s", operandSegmentSizes = array<i32: 0, 0>, reduction_extents = array<i64: -9223372036854775808>, reduction_kind = #tir<reduction sum>}> ({
  ^bb0(%k: index):
    %a = tir.read %A[%k] : tensor<4xf32>
    tir.yield %a : f32
  }) : () -> tensor<f32>
  tir.return %B : tensor<f32>
}

// -----

tir.func @kind_without_axes(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op has a reduction kind but no reduction axes}}
  %B = "tir.compute"() <{compute_name = "c", operandSegmentSizes = array<i32: 0, 0>, reduction_extents = array<i64>, reduction_kind = #tir<reduction max>}> ({
  ^bb0(%i: index):
    %a = tir.read %A[%i] : tensor<4xf32>
    tir.yield %a : f32
  }) : () -> tensor<4xf32>
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @axes_without_kind(%A: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tir.compute' op has reduction axes but no reduction kind}}
  %B = "tir.compute"() <{compute_name = "s", operandSegmentSizes = array<i32: 0, 0>, reduction_extents = array<i64: 4>}> ({
  ^bb0(%k: index):
    %a = tir.read %A[%k] : tensor<4xf32>
    tir.yield %a : f32
  }) : () -> tensor<f32>
  tir.return %B : tensor<f32>
}

// -----

tir.func @arg_count(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op body must have 1 index arguments (one per output dimension and reduction axis), but has 2}}
  %B = "tir.compute"() <{compute_name = "c", operandSegmentSizes = array<i32: 0, 0>, reduction_extents = array<i64>}> ({
  ^bb0(%i: index, %j: index):
    %a = tir.read %A[%i] : tensor<4xf32>
    tir.yield %a : f32
  }) : () -> tensor<4xf32>
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @arg_type(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op body argument #0 must be of index type, but got 'i32'}}
  %B = "tir.compute"() <{compute_name = "c", operandSegmentSizes = array<i32: 0, 0>, reduction_extents = array<i64>}> ({
  ^bb0(%i: i32):
    %z = arith.constant 0.0 : f32
    tir.yield %z : f32
  }) : () -> tensor<4xf32>
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @no_yield(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tir.compute' op body must end with tir.yield}}
  %B = tir.compute "c" (%i) : tensor<4xf32> {
    llvm.unreachable
  }
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @read_rank(%A: tensor<4x4xf32>) -> tensor<4xf32> {
  %B = tir.compute "c" (%i) : tensor<4xf32> {
    // expected-error @+1 {{'tir.read' op expected 2 indices for a tensor of rank 2, but got 1}}
    %a = tir.read %A[%i] : tensor<4x4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf32>
}

// -----

func.func @read_outside(%A: tensor<4xf32>, %i: index) -> f32 {
  // expected-error @+1 {{'tir.read' op must be nested in a tir.compute body}}
  %a = tir.read %A[%i] : tensor<4xf32>
  return %a : f32
}

// -----

tir.func @read_inner(%A: tensor<4xf32>) -> tensor<4xf32> {
  %B = tir.compute "c" (%i) : tensor<4xf32> {
    %t = tensor.empty() : tensor<4xf32>
    // expected-error @+1 {{'tir.read' op must read a tensor defined outside the enclosing tir.compute}}
    %a = tir.read %t[%i] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @read_type(%A: tensor<4xf32>) -> tensor<4xf32> {
  %B = tir.compute "c" (%i) : tensor<4xf32> {
    // expected-error @+1 {{'tir.read' op failed to verify that result type is the signless form of the tensor's element type}}
    %a = "tir.read"(%A, %i) : (tensor<4xf32>, index) -> f64
    %t = arith.truncf %a : f64 to f32
    tir.yield %t : f32
  }
  tir.return %B : tensor<4xf32>
}

// -----

tir.func @yield_type(%A: tensor<4xf32>) -> tensor<4xf64> {
  %B = tir.compute "c" (%i) : tensor<4xf64> {
    %a = tir.read %A[%i] : tensor<4xf32>
    // expected-error @+1 {{'tir.yield' op yields a value of type 'f32' but the tir.compute element type is 'f64'}}
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf64>
}

// -----

func.func @yield_outside(%a: f32) {
  // expected-error @+1 {{'tir.yield' op expects parent op 'tir.compute'}}
  tir.yield %a : f32
}

// -----

tir.func @unknown_kind(%A: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{unknown reduction kind 'mean' (expected sum, max, min or prod)}}
  %B = tir.compute "s" () reduce mean (%k : 4) : tensor<f32> {
    %a = tir.read %A[%k] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<f32>
}

// -----

tir.func @index_count(%A: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected 1 output indices for a result of rank 1, but got 2}}
  %B = tir.compute "c" (%i, %j) : tensor<4xf32> {
    %a = tir.read %A[%i] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<4xf32>
}

// -----

// expected-error @+1 {{unknown tir argument attribute 'tir.outptu'}}
tir.func @typo(%A: tensor<4xf32>, %B: tensor<4xf32> {tir.outptu}) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

// -----

// expected-error @+1 {{'tir.output' is a unit attribute}}
tir.func @not_unit(%A: tensor<4xf32>, %B: tensor<4xf32> {tir.output = 1 : i32}) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

// -----

// expected-error @+1 {{'tir.output' marks arguments of a tir.func only}}
func.func @host(%A: tensor<4xf32> {tir.output}) {
  return
}

// -----

// expected-error @+1 {{'tir.func' op has 1 output arguments but 2 results; they must pair one to one}}
tir.func @output_count(%A: tensor<4xf32>, %B: tensor<4xf32> {tir.output})
    -> (tensor<4xf32>, tensor<4xf32>) {
  tir.return %A, %A : tensor<4xf32>, tensor<4xf32>
}

// -----

// expected-error @+1 {{'tir.func' op output argument #1 has type 'tensor<5xf32>' but the result #0 it holds has type 'tensor<4xf32>'}}
tir.func @output_type(%A: tensor<4xf32>, %B: tensor<5xf32> {tir.output}) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

// -----

// expected-error @+1 {{'tir.func' op output argument #1 is a destination and must not be used in the body}}
tir.func @output_read(%A: tensor<4xf32>, %B: tensor<4xf32> {tir.output}) -> tensor<4xf32> {
  %C = tir.compute "c" (%i) : tensor<4xf32> {
    %b = tir.read %B[%i] : tensor<4xf32>
    tir.yield %b : f32
  }
  tir.return %C : tensor<4xf32>
}

// -----

tir.func @assert_no_message(%A: tensor<?xf32>) -> tensor<?xf32> {
  %true = arith.constant true
  // expected-error @+1 {{'tir.assert' op needs a message saying what is required}}
  tir.assert %true, ""
  tir.return %A : tensor<?xf32>
}

// -----

tir.func @assert_too_many_values(%A: tensor<?xf32>) -> tensor<?xf32> {
  %true = arith.constant true
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'tir.assert' op reports at most 4 values, but got 5}}
  tir.assert %true, "five" [%c0, %c0, %c0, %c0, %c0]
  tir.return %A : tensor<?xf32>
}

// -----

tir.func @assert_in_compute(%A: tensor<4xf32>) -> tensor<4xf32> {
  %C = tir.compute "c" (%i) : tensor<4xf32> {
    %true = arith.constant true
    // expected-error @+1 {{'tir.assert' op must not be nested in a tir.compute body}}
    tir.assert %true, "inside"
    %a = tir.read %A[%i] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %C : tensor<4xf32>
}

// -----

tir.func @assert_condition_type(%A: tensor<?xf32>) -> tensor<?xf32> {
  // expected-note @+1 {{prior use here}}
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{use of value '%c0' expects different type than prior uses: 'i1' vs 'index'}}
  tir.assert %c0, "not a condition"
  tir.return %A : tensor<?xf32>
}

// -----

tir.func @signed_max_of_unsigned(%A: tensor<4xui8>) -> tensor<ui8> {
  // expected-error @+1 {{'tir.compute' op reduction max orders 'ui8' as signed; use umax}}
  %B = tir.compute "m" () reduce max (%k : 4) : tensor<ui8> {
    %a = tir.read %A[%k] : tensor<4xui8>
    tir.yield %a : i8
  }
  tir.return %B : tensor<ui8>
}

// -----

tir.func @umax_of_float(%A: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tir.compute' op reduction umax needs an integer element type, but got 'f32'}}
  %B = tir.compute "m" () reduce umax (%k : 4) : tensor<f32> {
    %a = tir.read %A[%k] : tensor<4xf32>
    tir.yield %a : f32
  }
  tir.return %B : tensor<f32>
}

// -----

tir.func @unsigned_yield(%A: tensor<4xui8>) -> tensor<4xui8> {
  %B = tir.compute "c" (%i) : tensor<4xui8> {
    %a = tir.read %A[%i] : tensor<4xui8>
    %u = builtin.unrealized_conversion_cast %a : i8 to ui8
    // expected-error @+1 {{'tir.yield' op yields a value of type 'ui8' but the tir.compute element type is 'ui8', whose values are 'i8'}}
    tir.yield %u : ui8
  }
  tir.return %B : tensor<4xui8>
}

// -----

tir.func @unsigned_read(%A: tensor<4xui8>) -> tensor<4xi8> {
  %B = tir.compute "c" (%i) : tensor<4xi8> {
    // expected-error @+1 {{'tir.read' op failed to verify that result type is the signless form of the tensor's element type}}
    %a = "tir.read"(%A, %i) : (tensor<4xui8>, index) -> ui8
    %b = builtin.unrealized_conversion_cast %a : ui8 to i8
    tir.yield %b : i8
  }
  tir.return %B : tensor<4xi8>
}
