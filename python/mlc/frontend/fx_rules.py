"""The importer's default rules: one emitter per torch target.

Functions and methods: ``rule(bb, node_map, node)``; modules:
``rule(bb, node_map, node, module)`` (the chapter's signatures). A rule
returns the relax value of the node, or a Python value for nodes that
compute sizes (``x.size(1)``, ``x.shape``).

Rules emit relax high-level ops where mlc has them (add, subtract,
multiply, divide, matmul, dense, relu; legalized at build time) and
``emit_te`` of a topi definition for everything else.
"""

import builtins
import operator

import torch
import torch.nn.functional as F
from torch import fx, nn

from .. import relax, te, topi
from .._ffi import MLCError

_IMPORTER = [None]


def set_importer(importer):
    _IMPORTER[0] = importer


def arg(node_map, value):
    """The imported value of an fx argument (nodes, containers, slices)."""
    if isinstance(value, fx.Node):
        return node_map[value]
    if isinstance(value, (list, tuple)):
        return type(value)(arg(node_map, v) for v in value)
    if isinstance(value, slice):
        return slice(arg(node_map, value.start), arg(node_map, value.stop),
                     arg(node_map, value.step))
    if isinstance(value, dict):
        return {k: arg(node_map, v) for k, v in value.items()}
    return value


def _params(node_map, node, names, defaults=()):
    """The call's arguments by name, positional or keyword, with defaults."""
    args = arg(node_map, node.args)
    kwargs = arg(node_map, node.kwargs)
    values = {}
    for i, name in enumerate(names):
        if i < len(args):
            values[name] = args[i]
        elif name in kwargs:
            values[name] = kwargs[name]
        elif name in dict(defaults):
            values[name] = dict(defaults)[name]
        else:
            raise MLCError(f"{node.name}: missing argument '{name}'")
    return values


def _tensor(value, node, what="input"):
    if not isinstance(value, relax.Expr):
        raise MLCError(f"{node.name}: the {what} must be a tensor, got "
                       f"{type(value).__name__}")
    return value


def _te(bb, fn, *args, name, **kwargs):
    return bb.emit_te(fn, *args, primfunc_name_hint=name, **kwargs)


def _const(tensor, name):
    return _IMPORTER[0].types.constant(tensor, name)


def _dims(values):
    """Sizes given as varargs (x.view(2, 3)) or one sequence (x.view((2, 3)))."""
    if len(values) == 1 and isinstance(values[0], (list, tuple, torch.Size)):
        return list(values[0])
    return list(values)


# --- element-wise -----------------------------------------------------------

_PY_BINARY = {"add": operator.add, "subtract": operator.sub,
              "multiply": operator.mul, "divide": operator.truediv}


def _binary(op):
    def rule(bb, node_map, node):
        a, b = arg(node_map, node.args[0]), arg(node_map, node.args[1])
        alpha = arg(node_map, node.kwargs.get("alpha", 1))
        if alpha != 1:
            raise MLCError(f"{node.name}: alpha={alpha} is not supported")
        tensor_a, tensor_b = isinstance(a, relax.Expr), isinstance(b, relax.Expr)
        if tensor_a and tensor_b:
            return bb.emit(getattr(relax.op, op)(a, b))
        if tensor_a:
            return _te(bb, topi.scalar_op, a, b, op, name=op)
        if tensor_b:
            return _te(bb, topi.scalar_op, b, a, op, True, name=op)
        return _PY_BINARY[op](a, b)
    return rule


def _unary(fn, name):
    def rule(bb, node_map, node):
        x = _tensor(arg(node_map, node.args[0]), node)
        return _te(bb, fn, x, name=name)
    return rule


def _relu(bb, node_map, node):
    return bb.emit(relax.op.relu(_tensor(arg(node_map, node.args[0]), node)))


def _gelu(bb, node_map, node):
    p = _params(node_map, node, ["input", "approximate"],
                [("approximate", "none")])
    return _te(bb, topi.nn.gelu, _tensor(p["input"], node), p["approximate"],
               name="gelu")


def _softmax_rule(fn, name):
    def rule(bb, node_map, node):
        p = _params(node_map, node, ["input", "dim"], [("dim", None)])
        if p["dim"] is None:
            raise MLCError(f"{node.name}: {name} needs dim")
        return _te(bb, fn, _tensor(p["input"], node), p["dim"], name=name)
    return rule


def _matmul(bb, node_map, node):
    a, b = arg(node_map, node.args[0]), arg(node_map, node.args[1])
    return bb.emit(relax.op.matmul(_tensor(a, node), _tensor(b, node)))


# --- shapes -----------------------------------------------------------------

def _static_shape(x, node):
    return tuple(x.shape)


def _size(bb, node_map, node):
    x = _tensor(arg(node_map, node.args[0]), node)
    dim = arg(node_map, node.args[1]) if len(node.args) > 1 else \
        arg(node_map, node.kwargs.get("dim"))
    shape = _static_shape(x, node)
    if dim is None:
        return shape
    size = shape[dim]
    if size is None:
        raise MLCError(f"{node.name}: size of a dynamic dimension")
    return size


def _getattr(bb, node_map, node):
    value, name = arg(node_map, node.args[0]), node.args[1]
    if isinstance(value, relax.Expr):
        if name == "shape":
            return _static_shape(value, node)
        if name == "dtype":
            return getattr(torch, value.dtype)
        if name == "ndim":
            return len(value.shape)
        raise MLCError(f"{node.name}: tensor attribute '{name}' is not "
                       "supported")
    return getattr(value, name)


def _reshape(bb, node_map, node):
    x = _tensor(arg(node_map, node.args[0]), node)
    shape = _dims(arg(node_map, node.args[1:]) or
                  [arg(node_map, node.kwargs["shape"])])
    shape = [-1 if s is None else s for s in shape]
    return _te(bb, topi.reshape, x, tuple(shape), name="reshape")


def _flatten(bb, x, start, end, node):
    """flatten as relax.reshape (a view once compiled) when the merged
    dimensions hold at most one dynamic size; otherwise a te compute."""
    shape = list(x.shape)
    rank = len(shape)
    lo, hi = (start % rank, end % rank) if rank else (0, 0)
    merged = shape[lo:hi + 1]
    if rank == 0 or sum(d is None for d in merged) > 1:
        return _te(bb, topi.flatten, x, start, end, name="flatten")
    size = None
    if None not in merged:
        size = 1
        for d in merged:
            size *= d
    return bb.emit(relax.op.reshape(x, tuple(shape[:lo] + [size] +
                                             shape[hi + 1:])))


def _flatten_fn(default_start):
    def rule(bb, node_map, node):
        p = _params(node_map, node, ["input", "start_dim", "end_dim"],
                    [("start_dim", default_start), ("end_dim", -1)])
        return _flatten(bb, _tensor(p["input"], node), p["start_dim"],
                        p["end_dim"], node)
    return rule


def _permute(bb, node_map, node):
    x = _tensor(arg(node_map, node.args[0]), node)
    dims = _dims(arg(node_map, node.args[1:]) or
                 [arg(node_map, node.kwargs["dims"])])
    return _te(bb, topi.transpose, x, tuple(dims), name="permute")


def _transpose(bb, node_map, node):
    p = _params(node_map, node, ["input", "dim0", "dim1"])
    x = _tensor(p["input"], node)
    axes = list(range(len(x.shape)))
    a, b = p["dim0"] % len(axes), p["dim1"] % len(axes)
    axes[a], axes[b] = axes[b], axes[a]
    return _te(bb, topi.transpose, x, tuple(axes), name="transpose")


def _identity(bb, node_map, node):
    return arg(node_map, node.args[0])


def _cat(bb, node_map, node):
    p = _params(node_map, node, ["tensors", "dim"], [("dim", 0)])
    tensors = [_tensor(t, node) for t in p["tensors"]]
    axis = p["dim"]
    return _te(bb, lambda *ts: topi.concatenate(list(ts), axis), *tensors,
               name="concatenate")


def _reduce_rule(fn, name):
    def rule(bb, node_map, node):
        p = _params(node_map, node, ["input", "dim", "keepdim"],
                    [("dim", None), ("keepdim", False)])
        dim = p["dim"]
        if isinstance(dim, list):
            dim = tuple(dim)
        return _te(bb, fn, _tensor(p["input"], node), dim, p["keepdim"],
                   name=name)
    return rule


def _unsqueeze(bb, node_map, node):
    p = _params(node_map, node, ["input", "dim"])
    return _te(bb, topi.expand_dims, _tensor(p["input"], node), p["dim"],
               name="unsqueeze")


def _squeeze(bb, node_map, node):
    p = _params(node_map, node, ["input", "dim"], [("dim", None)])
    return _te(bb, topi.squeeze, _tensor(p["input"], node), p["dim"],
               name="squeeze")


def _getitem(bb, node_map, node):
    value, index = arg(node_map, node.args[0]), arg(node_map, node.args[1])
    if not isinstance(value, relax.Expr):
        return value[index]
    return _slice_tensor(bb, value, index, node)


def _slice_tensor(bb, x, index, node):
    index = index if isinstance(index, tuple) else (index,)
    if builtins.any(i is Ellipsis for i in index):
        at = index.index(Ellipsis)
        used = len([i for i in index if i is not None and i is not Ellipsis])
        index = index[:at] + (slice(None),) * (len(x.shape) - used) + \
            index[at + 1:]
    begin, end, strides, squeeze, expand = [], [], [], [], []
    d = 0
    out_rank = 0
    for item in index:
        if item is None:
            expand.append(out_rank)
            out_rank += 1
            continue
        if isinstance(item, int):
            size = x.shape[d]
            start = item + size if item < 0 else item
            begin.append(start)
            end.append(start + 1)
            strides.append(1)
            squeeze.append(d)
        elif isinstance(item, slice):
            begin.append(0 if item.start is None else item.start)
            end.append(item.stop)
            strides.append(1 if item.step is None else item.step)
            out_rank += 1
        else:
            raise MLCError(f"{node.name}: unsupported index {item!r}")
        d += 1
    for _ in range(d, len(x.shape)):
        begin.append(0)
        end.append(None)
        strides.append(1)

    def fn(t):
        out = topi.strided_slice(t, begin, end, strides, name="slice")
        if squeeze:
            out = topi.squeeze(out, squeeze, name="slice_squeeze")
        for axis in expand:
            out = topi.expand_dims(out, axis, name="slice_expand")
        return out

    return _te(bb, fn, x, name="slice")


# --- neural-network layers --------------------------------------------------

def _add_channel_bias(y, b):
    return te.compute(y.shape, lambda n, c, *s: y(n, c, *s) + b[c],
                      name="bias_add")


def _conv2d(bb, x, weight, bias, stride, padding, dilation, groups, node):
    if isinstance(padding, str):
        raise MLCError(f"{node.name}: padding='{padding}' is not supported; "
                       "give the padding as numbers")
    y = _te(bb, topi.nn.conv2d_nchw, x, weight, stride, padding, dilation,
            groups, name="conv2d")
    if bias is not None:
        y = _te(bb, _add_channel_bias, y, bias, name="bias_add")
    return y


def _conv2d_module(bb, node_map, node, module):
    x = _tensor(arg(node_map, node.args[0]), node)
    bias = None if module.bias is None else \
        _const(module.bias, node.target + "_bias")
    return _conv2d(bb, x, _const(module.weight, node.target + "_weight"), bias,
                   module.stride, module.padding, module.dilation,
                   module.groups, node)


def _conv2d_function(bb, node_map, node):
    p = _params(node_map, node, ["input", "weight", "bias", "stride",
                                 "padding", "dilation", "groups"],
                [("bias", None), ("stride", 1), ("padding", 0),
                 ("dilation", 1), ("groups", 1)])
    return _conv2d(bb, _tensor(p["input"], node), _tensor(p["weight"], node),
                   p["bias"], p["stride"], p["padding"], p["dilation"],
                   p["groups"], node)


def _linear(bb, x, weight, bias):
    y = bb.emit(relax.op.dense(x, weight))
    return y if bias is None else bb.emit(relax.op.add(y, bias))


def _linear_module(bb, node_map, node, module):
    x = _tensor(arg(node_map, node.args[0]), node)
    bias = None if module.bias is None else \
        _const(module.bias, node.target + "_bias")
    return _linear(bb, x, _const(module.weight, node.target + "_weight"),
                   bias)


def _linear_function(bb, node_map, node):
    p = _params(node_map, node, ["input", "weight", "bias"],
                [("bias", None)])
    return _linear(bb, _tensor(p["input"], node), _tensor(p["weight"], node),
                   p["bias"])


def _max_pool(bb, x, kernel, stride, padding, dilation, ceil_mode):
    return _te(bb, topi.nn.max_pool2d, x, kernel, stride, padding, dilation,
               ceil_mode, name="max_pool2d")


def _max_pool_module(bb, node_map, node, module):
    if module.return_indices:
        raise MLCError(f"{node.name}: return_indices is not supported")
    return _max_pool(bb, _tensor(arg(node_map, node.args[0]), node),
                     module.kernel_size, module.stride, module.padding,
                     module.dilation, module.ceil_mode)


def _max_pool_function(bb, node_map, node):
    p = _params(node_map, node, ["input", "kernel_size", "stride", "padding",
                                 "dilation", "ceil_mode", "return_indices"],
                [("stride", None), ("padding", 0), ("dilation", 1),
                 ("ceil_mode", False), ("return_indices", False)])
    if p["return_indices"]:
        raise MLCError(f"{node.name}: return_indices is not supported")
    return _max_pool(bb, _tensor(p["input"], node), p["kernel_size"],
                     p["stride"], p["padding"], p["dilation"],
                     p["ceil_mode"])


def _avg_pool_module(bb, node_map, node, module):
    if module.divisor_override is not None:
        raise MLCError(f"{node.name}: divisor_override is not supported")
    return _te(bb, topi.nn.avg_pool2d,
               _tensor(arg(node_map, node.args[0]), node), module.kernel_size,
               module.stride, module.padding, module.ceil_mode,
               module.count_include_pad, name="avg_pool2d")


def _avg_pool_function(bb, node_map, node):
    p = _params(node_map, node, ["input", "kernel_size", "stride", "padding",
                                 "ceil_mode", "count_include_pad",
                                 "divisor_override"],
                [("stride", None), ("padding", 0), ("ceil_mode", False),
                 ("count_include_pad", True), ("divisor_override", None)])
    if p["divisor_override"] is not None:
        raise MLCError(f"{node.name}: divisor_override is not supported")
    return _te(bb, topi.nn.avg_pool2d, _tensor(p["input"], node),
               p["kernel_size"], p["stride"], p["padding"], p["ceil_mode"],
               p["count_include_pad"], name="avg_pool2d")


def _adaptive_avg_pool_module(bb, node_map, node, module):
    return _te(bb, topi.nn.adaptive_avg_pool2d,
               _tensor(arg(node_map, node.args[0]), node), module.output_size,
               name="adaptive_avg_pool2d")


def _adaptive_avg_pool_function(bb, node_map, node):
    p = _params(node_map, node, ["input", "output_size"])
    return _te(bb, topi.nn.adaptive_avg_pool2d, _tensor(p["input"], node),
               p["output_size"], name="adaptive_avg_pool2d")


def _batch_norm_module(bb, node_map, node, module):
    if module.training:
        raise MLCError(f"{node.name}: BatchNorm2d in training mode; import "
                       "the model after model.eval()")
    channels = module.num_features
    weight = module.weight if module.affine else torch.ones(channels)
    bias = module.bias if module.affine else torch.zeros(channels)
    name = node.target
    return _te(bb, topi.nn.batch_norm_inference,
               _tensor(arg(node_map, node.args[0]), node),
               _const(module.running_mean, name + "_mean"),
               _const(module.running_var, name + "_var"),
               _const(weight, name + "_weight"), _const(bias, name + "_bias"),
               float(module.eps), name="batch_norm")


def _layer_norm(bb, x, shape, weight, bias, eps):
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if tuple(x.shape[-len(shape):]) != shape:
        raise MLCError(f"layer_norm over {shape} of a tensor of shape "
                       f"{x.shape}")
    args = [x] + [t for t in (weight, bias) if t is not None]

    def fn(t, *wb):
        wb = list(wb)
        w = wb.pop(0) if weight is not None else None
        b = wb.pop(0) if bias is not None else None
        return topi.nn.layer_norm(t, w, b, len(shape), eps)

    return _te(bb, fn, *args, name="layer_norm")


def _layer_norm_module(bb, node_map, node, module):
    weight = bias = None
    if module.elementwise_affine:
        weight = _const(module.weight, node.target + "_weight")
        bias = _const(module.bias, node.target + "_bias")
    return _layer_norm(bb, _tensor(arg(node_map, node.args[0]), node),
                       module.normalized_shape, weight, bias,
                       float(module.eps))


def _layer_norm_function(bb, node_map, node):
    p = _params(node_map, node, ["input", "normalized_shape", "weight",
                                 "bias", "eps"],
                [("weight", None), ("bias", None), ("eps", 1e-5)])
    return _layer_norm(bb, _tensor(p["input"], node), p["normalized_shape"],
                       p["weight"], p["bias"], float(p["eps"]))


def _dropout_module(bb, node_map, node, module):
    if module.training:
        raise MLCError(f"{node.name}: Dropout in training mode; import the "
                       "model after model.eval()")
    return arg(node_map, node.args[0])


def _module_rule(function_rule):
    """A module rule that applies a function rule to the module's input."""
    def rule(bb, node_map, node, module):
        return function_rule(bb, node_map, node)
    return rule


def _softmax_module(fn, name):
    def rule(bb, node_map, node, module):
        if module.dim is None:
            raise MLCError(f"{node.name}: {name} needs dim")
        return _te(bb, fn, _tensor(arg(node_map, node.args[0]), node),
                   module.dim, name=name)
    return rule


def _gelu_module(bb, node_map, node, module):
    return _te(bb, topi.nn.gelu, _tensor(arg(node_map, node.args[0]), node),
               getattr(module, "approximate", "none"), name="gelu")


def _flatten_module(bb, node_map, node, module):
    return _flatten(bb, _tensor(arg(node_map, node.args[0]), node),
                    module.start_dim, module.end_dim, node)


# --- tables -----------------------------------------------------------------

_add, _sub, _mul, _div = (_binary(op) for op in
                          ("add", "subtract", "multiply", "divide"))
_exp = _unary(topi.exp, "exp")
_log = _unary(topi.log, "log")
_sqrt = _unary(topi.sqrt, "sqrt")
_tanh = _unary(topi.tanh, "tanh")
_sigmoid = _unary(topi.sigmoid, "sigmoid")
_neg = _unary(topi.negative, "negative")
_softmax = _softmax_rule(topi.nn.softmax, "softmax")
_log_softmax = _softmax_rule(topi.nn.log_softmax, "log_softmax")
_mean = _reduce_rule(topi.mean, "mean")
_sum = _reduce_rule(topi.sum, "sum")
_amax = _reduce_rule(topi.max, "amax")

FUNCTIONS = {
    torch.matmul: _matmul, torch.mm: _matmul, torch.bmm: _matmul,
    operator.matmul: _matmul,
    torch.add: _add, operator.add: _add, operator.iadd: _add,
    torch.sub: _sub, operator.sub: _sub,
    torch.mul: _mul, operator.mul: _mul,
    torch.div: _div, operator.truediv: _div,
    torch.relu: _relu, F.relu: _relu,
    F.gelu: _gelu,
    torch.sigmoid: _sigmoid, F.sigmoid: _sigmoid,
    torch.tanh: _tanh, F.tanh: _tanh,
    torch.exp: _exp, torch.log: _log, torch.sqrt: _sqrt,
    torch.neg: _neg, operator.neg: _neg,
    torch.softmax: _softmax, F.softmax: _softmax,
    torch.log_softmax: _log_softmax, F.log_softmax: _log_softmax,
    torch.flatten: _flatten_fn(0), torch.reshape: _reshape,
    torch.permute: _permute, torch.transpose: _transpose,
    torch.cat: _cat, torch.concat: _cat,
    torch.mean: _mean, torch.sum: _sum, torch.amax: _amax,
    torch.unsqueeze: _unsqueeze, torch.squeeze: _squeeze,
    F.conv2d: _conv2d_function, F.linear: _linear_function,
    F.max_pool2d: _max_pool_function, F.avg_pool2d: _avg_pool_function,
    F.adaptive_avg_pool2d: _adaptive_avg_pool_function,
    F.layer_norm: _layer_norm_function,
    builtins.getattr: _getattr, operator.getitem: _getitem,
}

METHODS = {
    "add": _add, "sub": _sub, "mul": _mul, "div": _div,
    "matmul": _matmul, "relu": _relu, "sigmoid": _sigmoid, "tanh": _tanh,
    "exp": _exp, "log": _log, "sqrt": _sqrt, "neg": _neg,
    "softmax": _softmax, "log_softmax": _log_softmax,
    "flatten": _flatten_fn(0), "reshape": _reshape, "view": _reshape,
    "permute": _permute, "transpose": _transpose,
    "contiguous": _identity,
    "mean": _mean, "sum": _sum, "amax": _amax,
    "unsqueeze": _unsqueeze, "squeeze": _squeeze, "size": _size,
}

MODULES = {
    nn.Linear: _linear_module,
    nn.Conv2d: _conv2d_module,
    nn.ReLU: _module_rule(_relu),
    nn.GELU: _gelu_module,
    nn.Sigmoid: _module_rule(_sigmoid),
    nn.Tanh: _module_rule(_tanh),
    nn.Softmax: _softmax_module(topi.nn.softmax, "softmax"),
    nn.LogSoftmax: _softmax_module(topi.nn.log_softmax, "log_softmax"),
    nn.MaxPool2d: _max_pool_module,
    nn.AvgPool2d: _avg_pool_module,
    nn.AdaptiveAvgPool2d: _adaptive_avg_pool_module,
    nn.BatchNorm2d: _batch_norm_module,
    nn.LayerNorm: _layer_norm_module,
    nn.Dropout: _dropout_module,
    nn.Flatten: _flatten_module,
    nn.Identity: _module_rule(_identity),
}
