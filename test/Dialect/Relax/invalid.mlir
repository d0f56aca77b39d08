// One case for every diagnostic of the relax dialect.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics
// A shape rule that rejects its operands gives its reason, then MLIR's
// "failed to infer returned types".

func.func @no_output(%x: tensor<4xf32>) {
  // expected-error @+1 {{'relax.dataflow' op body must end with relax.output}}
  relax.dataflow {
    llvm.unreachable
  }
  return
}

// -----

func.func @side_effect(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = relax.dataflow -> tensor<4xf32> {
    // expected-error @+1 {{'memref.alloc' op has side effects, which a relax.dataflow block forbids}}
    %m = memref.alloc() : memref<4xf32>
    relax.output %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @output_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = relax.dataflow -> tensor<4xf32> {
    // expected-error @+1 {{'relax.output' op outputs 2 values but the enclosing relax.dataflow has 1 results}}
    relax.output %x, %x : tensor<4xf32>, tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @output_type(%x: tensor<4xf32>) -> tensor<?xf32> {
  %r = relax.dataflow -> tensor<?xf32> {
    // expected-error @+1 {{'relax.output' op type of output #0 ('tensor<4xf32>') does not match the relax.dataflow result ('tensor<?xf32>')}}
    relax.output %x : tensor<4xf32>
  }
  return %r : tensor<?xf32>
}

// -----

func.func @output_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'relax.output' op expects parent op 'relax.dataflow'}}
  relax.output %x : tensor<4xf32>
}

// -----

func.func @missing_callee(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'relax.call_tir' op callee @nowhere does not exist}}
  %y = relax.call_tir @nowhere(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func private @host(tensor<4xf32>) -> tensor<4xf32>

func.func @not_tir(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'relax.call_tir' op callee @host must be a tir.func, but is a 'func.func'}}
  %y = relax.call_tir @host(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

tir.func @id(%A: tensor<4xf32>) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

func.func @arity(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'relax.call_tir' op passes 2 arguments but @id takes 1 inputs}}
  %y = relax.call_tir @id(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

tir.func @id(%A: tensor<4xf32>) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

func.func @result_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{'relax.call_tir' op expects 2 results but @id returns 1}}
  %y:2 = relax.call_tir @id(%x) : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

tir.func @id(%A: tensor<4xf32>) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

func.func @arg_type(%x: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'relax.call_tir' op argument #0 has type 'tensor<5xf32>' but @id expects 'tensor<4xf32>'}}
  %y = relax.call_tir @id(%x) : (tensor<5xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

tir.func @id(%A: tensor<4xf32>) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

func.func @result_type(%x: tensor<4xf32>) -> tensor<4xf64> {
  // expected-error @+1 {{'relax.call_tir' op result #0 has type 'tensor<4xf64>' but @id returns 'tensor<4xf32>'}}
  %y = relax.call_tir @id(%x) : (tensor<4xf32>) -> tensor<4xf64>
  return %y : tensor<4xf64>
}

// -----

func.func @const_type() -> tensor<4xf32> {
  // expected-error @+1 {{'relax.const' op failed to verify that all of {value, result} have same type}}
  %c = "relax.const"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func @element_types(%a: tensor<4xf32>, %b: tensor<4xf64>) {
  // expected-error @+2 {{'relax.add' op operand element types differ: 'f32' vs 'f64'}}
  // expected-error @+1 {{'relax.add' op failed to infer returned types}}
  %0 = relax.add %a, %b : tensor<4xf32>, tensor<4xf64> -> tensor<4xf32>
  return
}

// -----

func.func @broadcast(%a: tensor<3x4xf32>, %b: tensor<5xf32>) {
  // expected-error @+2 {{'relax.multiply' op shapes 'tensor<3x4xf32>' and 'tensor<5xf32>' are not broadcast-compatible}}
  // expected-error @+1 {{'relax.multiply' op failed to infer returned types}}
  %0 = relax.multiply %a, %b : tensor<3x4xf32>, tensor<5xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @declared_type(%a: tensor<3x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'relax.subtract' op inferred type(s) 'tensor<3x4xf32>' are incompatible with return type(s) of operation 'tensor<3x1xf32>'}}
  // expected-error @+1 {{'relax.subtract' op failed to infer returned types}}
  %0 = relax.subtract %a, %b : tensor<3x1xf32>, tensor<4xf32> -> tensor<3x1xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'relax.matmul' op operands must have rank >= 1}}
  // expected-error @+1 {{'relax.matmul' op failed to infer returned types}}
  %0 = relax.matmul %a, %b : tensor<f32>, tensor<4xf32> -> tensor<f32>
  return
}

// -----

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'relax.matmul' op contracted dimensions differ: 3 vs 4 ('tensor<2x3xf32>' @ 'tensor<4x5xf32>')}}
  // expected-error @+1 {{'relax.matmul' op failed to infer returned types}}
  %0 = relax.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x2x3xf32>, %b: tensor<5x3x4xf32>) {
  // expected-error @+2 {{'relax.matmul' op batch dimensions of 'tensor<2x2x3xf32>' and 'tensor<5x3x4xf32>' are not broadcast-compatible}}
  // expected-error @+1 {{'relax.matmul' op failed to infer returned types}}
  %0 = relax.matmul %a, %b : tensor<2x2x3xf32>, tensor<5x3x4xf32> -> tensor<2x2x4xf32>
  return
}

// -----

func.func @dense_weight_rank(%x: tensor<1x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{'relax.dense' op weight must have rank 2 (N x K), but has type 'tensor<4xf32>'}}
  // expected-error @+1 {{'relax.dense' op failed to infer returned types}}
  %0 = relax.dense %x, %w : tensor<1x4xf32>, tensor<4xf32> -> tensor<1xf32>
  return
}

// -----

func.func @dense_data_rank(%x: tensor<f32>, %w: tensor<3x4xf32>) {
  // expected-error @+2 {{'relax.dense' op data must have rank >= 1}}
  // expected-error @+1 {{'relax.dense' op failed to infer returned types}}
  %0 = relax.dense %x, %w : tensor<f32>, tensor<3x4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @dense_k(%x: tensor<1x784xf32>, %w: tensor<128x785xf32>) {
  // expected-error @+2 {{'relax.dense' op reduces data's last dimension (784) against weight dimension 1 (785)}}
  // expected-error @+1 {{'relax.dense' op failed to infer returned types}}
  %0 = relax.dense %x, %w : tensor<1x784xf32>, tensor<128x785xf32> -> tensor<1x128xf32>
  return
}

// -----

func.func @relu_element(%x: tensor<4xindex>) {
  // expected-error @+2 {{'relax.relu' op needs a tensor of integers or floats, but got 'tensor<4xindex>'}}
  // expected-error @+1 {{'relax.relu' op failed to infer returned types}}
  %0 = relax.relu %x : tensor<4xindex> -> tensor<4xindex>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'relax.add' op operand #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %0 = "relax.add"(%a, %b) : (tensor<*xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

tir.func @dps(%A: tensor<4xf32>, %out: tensor<4xf32> {tir.output}) -> tensor<4xf32> {
  tir.return %A : tensor<4xf32>
}

func.func @dps_arity(%x: tensor<4xf32>) -> tensor<4xf32> {
  // The output argument is not passed by the call.
  // expected-error @+1 {{'relax.call_tir' op passes 2 arguments but @dps takes 1 inputs}}
  %y = relax.call_tir @dps(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @reshape_element(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'relax.reshape' op changes the element type ('tensor<2x3xf32>' to 'tensor<6xi32>')}}
  %0 = relax.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

func.func @reshape_not_adjacent(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'relax.reshape' op cannot reshape 'tensor<2x3x4xf32>' to 'tensor<4x6xf32>': the result must merge or split adjacent dimensions}}
  %0 = relax.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @reshape_size(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'relax.reshape' op cannot reshape 'tensor<2x3xf32>' to 'tensor<7xf32>'}}
  %0 = relax.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @reshape_static_from_dynamic(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'relax.reshape' op cannot reshape 'tensor<?x4xf32>' to 'tensor<8xf32>'}}
  %0 = relax.reshape %x : tensor<?x4xf32> -> tensor<8xf32>
  return
}

// -----

func.func @reshape_two_dynamic(%x: tensor<?xf32>) {
  // expected-error @+1 {{'relax.reshape' op cannot split a dimension of 'tensor<?xf32>' into several dynamic ones of 'tensor<?x?xf32>'}}
  %0 = relax.reshape %x : tensor<?xf32> -> tensor<?x?xf32>
  return
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' names result 2 of a function with 2 results}}
func.func @structure_index(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
    attributes {relax.result_structure = "{\"tuple\": [{\"tensor\": 0}, {\"tensor\": 2}]}"} {
  return %x, %x : tensor<4xf32>, tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' names result 0 twice}}
func.func @structure_twice(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"list\": [{\"tensor\": 0}, {\"tensor\": 0}]}"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' does not place result 1}}
func.func @structure_unplaced(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
    attributes {relax.result_structure = "{\"tuple\": [{\"tensor\": 0}, {\"value\": null}]}"} {
  return %x, %x : tensor<4xf32>, tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' reads result 0 as an integer, but it is not a 0-d i64 tensor}}
func.func @structure_int(%x: tensor<4xi64>) -> tensor<4xi64>
    attributes {relax.result_structure = "{\"int\": 0}"} {
  return %x : tensor<4xi64>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' is not JSON}}
func.func @structure_json(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"tensor\": 0"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' has an unknown node 'set'}}
func.func @structure_node(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"set\": [0]}"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' has a value that is not a number, bool or null}}
func.func @structure_value(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"tuple\": [{\"tensor\": 0}, {\"value\": [1]}]}"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' must be a string (JSON)}}
func.func @structure_type(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = 3} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'memref.alloca' op attribute 'relax.result_structure' belongs on a func.func}}
%m = memref.alloca() {relax.result_structure = "{\"tensor\": 0}"} : memref<4xf32>

// -----

// expected-error @+1 {{'func.func' op has an unknown relax attribute 'relax.results'}}
func.func @unknown_attr(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.results = 1} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' has a dict item that is not a [key, node] pair}}
func.func @structure_dict(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"dict\": [[0, {\"tensor\": 0}]]}"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' has a namedtuple that is not [name, [fields], [items]] with a field per item}}
func.func @structure_namedtuple(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"namedtuple\": [\"max\", [\"values\", \"indices\"], [{\"tensor\": 0}]]}"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' has a size with an item that is not an integer}}
func.func @structure_size(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"tuple\": [{\"tensor\": 0}, {\"size\": [{\"value\": 2.5}]}]}"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op attribute 'relax.result_structure' has a size with an item that is not an integer}}
func.func @structure_size_tensor(%x: tensor<4xf32>) -> tensor<4xf32>
    attributes {relax.result_structure = "{\"size\": [{\"tensor\": 0}]}"} {
  return %x : tensor<4xf32>
}

// -----

func.func @softmax_element(%x: tensor<4xi32>) {
  // expected-error @+2 {{'relax.softmax' op needs a tensor of floats, but got 'tensor<4xi32>'}}
  // expected-error @+1 {{'relax.softmax' op failed to infer returned types}}
  %0 = relax.softmax %x axis(0) : tensor<4xi32> -> tensor<4xi32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{'relax.log_softmax' op axis 2 is out of range for 'tensor<2x4xf32>' (expected [-2, 1])}}
  // expected-error @+1 {{'relax.log_softmax' op failed to infer returned types}}
  %0 = relax.log_softmax %x axis(2) : tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @softmax_no_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{'relax.softmax' op requires attribute 'axis'}}
  %0 = "relax.softmax"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @softmax_type(%x: tensor<4xf32>) {
  // expected-error @+2 {{'relax.softmax' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<4xf64>'}}
  // expected-error @+1 {{'relax.softmax' op failed to infer returned types}}
  %0 = relax.softmax %x axis(0) : tensor<4xf32> -> tensor<4xf64>
  return
}

// -----

func.func @conv2d_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op needs NCHW data and an OIHW weight (rank 4), got 'tensor<3x8x8xf32>' and 'tensor<4x3x3x3xf32>'}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<4x6x6xf32>
  return
}

// -----

func.func @conv2d_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op 4 input channels and 6 output channels do not fit groups = 2 with a weight of 4 channels per group}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 2 : tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32> -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv2d_kernel(%x: tensor<1x3x2x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op the kernel 3 (dilation 1) does not fit the size 2 padded by 0 on each side}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x3x2x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x0x6xf32>
  return
}

// -----

func.func @conv2d_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op strides, padding and dilation take two values (H, W) each}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op strides and dilation must be >= 1 and padding >= 0}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [0, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_dynamic_channels(%x: tensor<1x?x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op needs static channels and weight sizes, got 'tensor<1x?x8x8xf32>' and 'tensor<4x3x3x3xf32>'}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x?x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf64>) {
  // expected-error @+2 {{'relax.conv2d' op operand element types differ: 'f32' vs 'f64'}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf64> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @max_pool2d_padding(%x: tensor<1x2x8x8xf32>) {
  // expected-error @+2 {{'relax.max_pool2d' op padding 2 is more than half the dilated kernel 3}}
  // expected-error @+1 {{'relax.max_pool2d' op failed to infer returned types}}
  %0 = relax.max_pool2d %x kernel [3, 3] strides [1, 1] padding [2, 2] dilation [1, 1] ceil_mode false : tensor<1x2x8x8xf32> -> tensor<1x2x10x10xf32>
  return
}

// -----

func.func @max_pool2d_dynamic(%x: tensor<1x2x?x8xf32>) {
  // expected-error @+2 {{'relax.max_pool2d' op needs a static height and width, got 'tensor<1x2x?x8xf32>'}}
  // expected-error @+1 {{'relax.max_pool2d' op failed to infer returned types}}
  %0 = relax.max_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<1x2x?x8xf32> -> tensor<1x2x?x4xf32>
  return
}

// -----

func.func @max_pool2d_window(%x: tensor<1x2x2x8xf32>) {
  // expected-error @+2 {{'relax.max_pool2d' op the window 3 (dilation 1) does not fit the size 2 padded by 0 on each side}}
  // expected-error @+1 {{'relax.max_pool2d' op failed to infer returned types}}
  %0 = relax.max_pool2d %x kernel [3, 3] strides [1, 1] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<1x2x2x8xf32> -> tensor<1x2x1x6xf32>
  return
}

// -----

func.func @max_pool2d_rank(%x: tensor<2x8x8xf32>) {
  // expected-error @+2 {{'relax.max_pool2d' op needs NCHW data (rank 4) of integers or floats, got 'tensor<2x8x8xf32>'}}
  // expected-error @+1 {{'relax.max_pool2d' op failed to infer returned types}}
  %0 = relax.max_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<2x8x8xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @max_pool2d_kernel(%x: tensor<1x2x8x8xf32>) {
  // expected-error @+2 {{'relax.max_pool2d' op kernel, strides, padding and dilation take two values (H, W) each}}
  // expected-error @+1 {{'relax.max_pool2d' op failed to infer returned types}}
  %0 = relax.max_pool2d %x kernel [2] strides [2, 2] padding [0, 0] dilation [1, 1] ceil_mode false : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>, %v: tensor<7xf32>) {
  // expected-error @+2 {{'relax.batch_norm' op var has 7 values but the data has 8 channels}}
  // expected-error @+1 {{'relax.batch_norm' op failed to infer returned types}}
  %0 = relax.batch_norm %x, %c, %v, %c, %c epsilon 1.0e-05 : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<7xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @batch_norm_types(%x: tensor<1x8x4x4xf16>, %c: tensor<8xf32>) {
  // expected-error @+2 {{'relax.batch_norm' op mean must be a rank-1 tensor of 'f16', got 'tensor<8xf32>'}}
  // expected-error @+1 {{'relax.batch_norm' op failed to infer returned types}}
  %0 = relax.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 : tensor<1x8x4x4xf16>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x4x4xf16>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %c: tensor<8xf32>) {
  // expected-error @+2 {{'relax.batch_norm' op needs float data with a channel dimension (rank >= 2), got 'tensor<8xf32>'}}
  // expected-error @+1 {{'relax.batch_norm' op failed to infer returned types}}
  %0 = relax.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x8xf32>, %c: tensor<8xf32>) {
  // expected-error @+2 {{'relax.batch_norm' op epsilon must be >= 0, got -1.000000e+00}}
  // expected-error @+1 {{'relax.batch_norm' op failed to infer returned types}}
  %0 = relax.batch_norm %x, %c, %c, %c, %c epsilon -1.0 : tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @unary_float_of_integers(%x: tensor<4xi32>) {
  // expected-error @+2 {{'relax.exp' op operand must be a ranked tensor of floats, got 'tensor<4xi32>'}}
  // expected-error @+1 {{'relax.exp' op failed to infer returned types}}
  %0 = relax.exp %x : tensor<4xi32> -> tensor<4xi32>
  return
}

// -----

func.func @reduce_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{'relax.sum' op axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'relax.sum' op failed to infer returned types}}
  %0 = relax.sum %x axes [-3] keepdims false : tensor<2x4xf32> -> tensor<f32>
  return
}

// -----

func.func @reduce_axis_twice(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{'relax.min' op axis -1 is listed twice}}
  // expected-error @+1 {{'relax.min' op failed to infer returned types}}
  %0 = relax.min %x axes [1, -1] keepdims false : tensor<2x4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @mean_of_integers(%x: tensor<4xi32>) {
  // expected-error @+2 {{'relax.mean' op operand must be a tensor of floats, got 'tensor<4xi32>'}}
  // expected-error @+1 {{'relax.mean' op failed to infer returned types}}
  %0 = relax.mean %x axes [] keepdims false : tensor<4xi32> -> tensor<i32>
  return
}

// -----

func.func @reduce_wrong_result(%x: tensor<2x4xf32>) {
  // expected-error @+2 {{'relax.sum' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{'relax.sum' op failed to infer returned types}}
  %0 = relax.sum %x axes [1] keepdims true : tensor<2x4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @layer_norm_shape(%x: tensor<2x8xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{'relax.layer_norm' op weight 'tensor<4xf32>' is not the shape of the last dimensions of 'tensor<2x8xf32>'}}
  // expected-error @+1 {{'relax.layer_norm' op failed to infer returned types}}
  %0 = relax.layer_norm %x, %w, %w epsilon 1.0e-05 : tensor<2x8xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_types(%x: tensor<2x8xf32>, %w: tensor<8xf64>) {
  // expected-error @+2 {{'relax.layer_norm' op weight must be a tensor of 'f32' with rank 1 to 2, got 'tensor<8xf64>'}}
  // expected-error @+1 {{'relax.layer_norm' op failed to infer returned types}}
  %0 = relax.layer_norm %x, %w, %w epsilon 1.0e-05 : tensor<2x8xf32>, tensor<8xf64>, tensor<8xf64> -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<2x8xf32>) {
  // expected-error @+2 {{'relax.layer_norm' op weight 'tensor<8xf32>' and bias 'tensor<2x8xf32>' differ in shape}}
  // expected-error @+1 {{'relax.layer_norm' op failed to infer returned types}}
  %0 = relax.layer_norm %x, %w, %b epsilon 1.0e-05 : tensor<2x8xf32>, tensor<8xf32>, tensor<2x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @avg_pool2d_of_integers(%x: tensor<1x1x4x4xi32>) {
  // expected-error @+2 {{'relax.avg_pool2d' op needs float data, got 'tensor<1x1x4x4xi32>'}}
  // expected-error @+1 {{'relax.avg_pool2d' op failed to infer returned types}}
  %0 = relax.avg_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 0] ceil_mode false count_include_pad true : tensor<1x1x4x4xi32> -> tensor<1x1x2x2xi32>
  return
}

// -----

func.func @avg_pool2d_padding(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{'relax.avg_pool2d' op padding 2 is more than half the dilated kernel 2}}
  // expected-error @+1 {{'relax.avg_pool2d' op failed to infer returned types}}
  %0 = relax.avg_pool2d %x kernel [2, 2] strides [2, 2] padding [2, 2] ceil_mode false count_include_pad true : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @sum_of_bools(%x: tensor<4xi1>) {
  // expected-error @+2 {{'relax.sum' op operand must not be a tensor of bools, got 'tensor<4xi1>' (cast it first)}}
  // expected-error @+1 {{'relax.sum' op failed to infer returned types}}
  %0 = relax.sum %x axes [] keepdims false : tensor<4xi1> -> tensor<i1>
  return
}

// -----

// Window arithmetic near 2^63 is refused, not wrapped around (found by
// scripts/fuzz.py under UBSan).
func.func @conv2d_dilation_overflow(%x: tensor<1x4x9x7xf32>, %w: tensor<6x2x3x2xf32>) {
  // expected-error @+2 {{'relax.conv2d' op the kernel 3 (dilation 9223372036854775807) does not fit the size 9 padded by 1 on each side}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [2, 1] padding [1, 64] dilation [9223372036854775807, 2] groups 2 : tensor<1x4x9x7xf32>, tensor<6x2x3x2xf32> -> tensor<1x6x5x5xf32>
  return
}

// -----

func.func @max_pool2d_dilation_overflow(%x: tensor<1x2x8x8xf32>) {
  // expected-error @+2 {{'relax.max_pool2d' op the window 3 with dilation 9223372036854775807 is too large}}
  // expected-error @+1 {{'relax.max_pool2d' op failed to infer returned types}}
  %0 = relax.max_pool2d %x kernel [3, 3] strides [1, 1] padding [0, 0] dilation [9223372036854775807, 1] ceil_mode false : tensor<1x2x8x8xf32> -> tensor<1x2x1x6xf32>
  return
}

// -----

func.func @conv2d_padding_overflow(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'relax.conv2d' op the kernel 3 (dilation 1) does not fit the size 8 padded by 4611686018427387904 on each side}}
  // expected-error @+1 {{'relax.conv2d' op failed to infer returned types}}
  %0 = relax.conv2d %x, %w strides [1, 1] padding [4611686018427387904, 0] dilation [1, 1] groups 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}
