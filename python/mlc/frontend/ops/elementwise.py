"""Element-wise ATen ops: math, activations, arithmetic, comparisons,
bitwise and logical ops, where/clamp/masked_fill. Each is one te element
function; promotion and broadcasting are common.elementwise's."""

import math

import torch

from ... import relax, te
from ..promotion import (ALWAYS_BOOL, DEFAULT, INT_TO_FLOAT, NO_OPMATH,
                         is_float, promote)
from .common import (broadcast_index, broadcast_shape, cast, elementwise,
                     is_tensor, literal, read)
from .registry import rule

# --- unary float functions (integers and bool compute in the default float)

_FLOAT_UNARY = {
    "sin": te.sin, "cos": te.cos, "tan": te.tan, "asin": te.asin,
    "acos": te.acos, "atan": te.atan, "sinh": te.sinh, "cosh": te.cosh,
    "tanh": te.tanh, "asinh": te.asinh, "acosh": te.acosh,
    "atanh": te.atanh, "exp": te.exp, "exp2": te.exp2, "expm1": te.expm1,
    "log": te.log, "log2": te.log2, "log10": te.log10, "log1p": te.log1p,
    "sqrt": te.sqrt, "rsqrt": te.rsqrt, "erf": te.erf, "erfc": te.erfc,
    "sigmoid": te.sigmoid,
    "reciprocal": lambda v: 1.0 / v,
}


def _float_unary(name, fn):
    relax_op = getattr(relax.op, name) if name in relax.op.UNARY_FLOAT \
        else None

    def apply(ctx, self):
        if relax_op is not None and isinstance(self, relax.Expr) and \
                ctx.dtype(self) in (torch.float32, torch.float64):
            # The relax op, which graph passes see (the same computation).
            return ctx.emit(relax_op(self))
        return elementwise(ctx, lambda dt, v: fn(v), self, kind=INT_TO_FLOAT)
    return apply


for _name, _fn in _FLOAT_UNARY.items():
    rule(_name)(_float_unary(_name, _fn))


def _integral_identity(fn):
    """Rounding functions: identity on integers (torch keeps the dtype)."""
    def apply(ctx, self):
        return elementwise(
            ctx, lambda dt, v: fn(v) if is_float(dt) else v, self)
    return apply


rule("ceil")(_integral_identity(te.ceil))
rule("floor")(_integral_identity(te.floor))
rule("trunc")(_integral_identity(te.trunc))
rule("round.default")(_integral_identity(te.round))
rule("fix")(_integral_identity(te.trunc))


@rule("round.decimals")
def _round_decimals(ctx, self, decimals):
    if decimals == 0:
        return _integral_identity(te.round)(ctx, self)
    scale = 10.0 ** abs(decimals)

    def fn(dt, v):
        if not is_float(dt):
            return v
        if decimals > 0:
            return te.round(v * scale) / scale
        return te.round(v / scale) * scale
    return elementwise(ctx, fn, self)


@rule("frac")
def _frac(ctx, self):
    return elementwise(ctx, lambda dt, v: v - te.trunc(v), self)


@rule("neg")
def _neg(ctx, self):
    if ctx.dtype(self) == torch.bool:
        raise ctx.fail("negation of a bool tensor (torch refuses it too)")
    return elementwise(ctx, lambda dt, v: -v, self)


@rule("abs")
def _abs(ctx, self):
    return elementwise(
        ctx, lambda dt, v: v if dt == torch.bool else te.abs(v), self)


@rule("sign", "sgn")
def _sign(ctx, self):
    def fn(dt, v):
        if dt == torch.bool:
            return v
        one, zero = literal(1, dt), literal(0, dt)
        s = te.if_then_else(v > zero, one, zero) - \
            te.if_then_else(v < zero, one, zero)
        # A NaN stays NaN, a zero keeps its sign.
        return te.if_then_else(te.any(v != v, v == zero), v, s) \
            if is_float(dt) else s
    return elementwise(ctx, fn, self)


@rule("signbit")
def _signbit(ctx, self):
    def fn(dt, v):
        if dt == torch.bool:
            return literal(0, torch.bool)
        if not is_float(dt):
            return v < literal(0, dt)
        return te.copysign(literal(1.0, dt), v) < literal(0.0, dt)
    return elementwise(ctx, fn, self, kind=ALWAYS_BOOL)


@rule("relu")
def _relu(ctx, self):
    if ctx.dtype(self) == torch.bool:
        raise ctx.fail("relu of a bool tensor (torch refuses it too)")
    if isinstance(self, relax.Expr) and is_float(ctx.dtype(self)):
        return ctx.emit(relax.op.relu(self))
    return elementwise(ctx, lambda dt, v: te.max(v, literal(0, dt)), self)


@rule("isnan")
def _isnan(ctx, self):
    return elementwise(ctx, lambda dt, v: v != v if is_float(dt)
                       else literal(0, torch.bool), self, kind=ALWAYS_BOOL)


def _isinf_value(dt, v):
    if not is_float(dt):
        return literal(0, torch.bool)
    return te.abs(v) == literal(math.inf, dt)


@rule("isinf")
def _isinf(ctx, self):
    return elementwise(ctx, _isinf_value, self, kind=ALWAYS_BOOL)


@rule("isposinf", "isneginf")
def _isposneginf(ctx, self):
    target = math.inf if ctx.op.overloadpacket is torch.ops.aten.isposinf \
        else -math.inf
    return elementwise(ctx, lambda dt, v: v == literal(target, dt)
                       if is_float(dt) else literal(0, torch.bool), self,
                       kind=ALWAYS_BOOL)


@rule("isfinite")
def _isfinite(ctx, self):
    return elementwise(ctx, lambda dt, v: te.abs(v) < literal(math.inf, dt)
                       if is_float(dt) else literal(1, torch.bool), self,
                       kind=ALWAYS_BOOL)


@rule("logical_not")
def _logical_not(ctx, self):
    return elementwise(ctx, lambda dt, v: v == literal(0, dt), self,
                       kind=ALWAYS_BOOL)


@rule("bitwise_not")
def _bitwise_not(ctx, self):
    if is_float(ctx.dtype(self)):
        raise ctx.fail("bitwise_not of a float tensor (torch refuses it too)")
    return elementwise(ctx, lambda dt, v: te.bitwise_not(v), self)


# --- activations --------------------------------------------------------

@rule("hardtanh")
def _hardtanh(ctx, self, min_val, max_val):
    def fn(dt, v):
        return te.min(te.max(v, literal(min_val, dt)), literal(max_val, dt))
    return elementwise(ctx, fn, self, result=ctx.dtype(self))


@rule("hardswish")
def _hardswish(ctx, self):
    def fn(dt, v):
        inner = te.min(te.max(v + literal(3.0, dt), literal(0.0, dt)),
                       literal(6.0, dt))
        return v * inner / literal(6.0, dt)
    return elementwise(ctx, fn, self)


@rule("hardsigmoid")
def _hardsigmoid(ctx, self):
    def fn(dt, v):
        inner = te.min(te.max(v + literal(3.0, dt), literal(0.0, dt)),
                       literal(6.0, dt))
        return inner / literal(6.0, dt)
    return elementwise(ctx, fn, self)


@rule("silu")
def _silu(ctx, self):
    return elementwise(ctx, lambda dt, v: v * te.sigmoid(v), self)


@rule("mish")
def _mish(ctx, self):
    def fn(dt, v):
        return v * te.tanh(_softplus_value(dt, v, 1.0, 20.0))
    return elementwise(ctx, fn, self)


def _softplus_value(dt, v, beta, threshold):
    scaled = v * literal(beta, dt)
    soft = te.log1p(te.exp(scaled)) / literal(beta, dt)
    return te.if_then_else(scaled > literal(threshold, dt), v, soft)


@rule("softplus")
def _softplus(ctx, self, beta, threshold):
    return elementwise(ctx, lambda dt, v: _softplus_value(dt, v, beta,
                                                          threshold), self)


@rule("gelu")
def _gelu(ctx, self, approximate):
    def fn(dt, v):
        half = literal(0.5, dt)
        if approximate == "tanh":
            inner = literal(math.sqrt(2.0 / math.pi), dt) * (
                v + literal(0.044715, dt) * v * v * v)
            return half * v * (literal(1.0, dt) + te.tanh(inner))
        return half * v * (literal(1.0, dt) +
                           te.erf(v * literal(1.0 / math.sqrt(2.0), dt)))
    if approximate not in ("none", "tanh"):
        raise ctx.refuse("approximate", approximate)
    return elementwise(ctx, fn, self)


@rule("elu")
def _elu(ctx, self, alpha, scale, input_scale):
    def fn(dt, v):
        negative = literal(alpha, dt) * (te.expm1(v * literal(input_scale, dt)))
        return literal(scale, dt) * te.if_then_else(
            v > literal(0.0, dt), v, negative)
    return elementwise(ctx, fn, self)


@rule("celu")
def _celu(ctx, self, alpha):
    def fn(dt, v):
        negative = literal(alpha, dt) * te.expm1(v / literal(alpha, dt))
        return te.max(v, literal(0.0, dt)) + te.min(literal(0.0, dt), negative)
    return elementwise(ctx, fn, self)


@rule("leaky_relu")
def _leaky_relu(ctx, self, negative_slope):
    def fn(dt, v):
        return te.if_then_else(v > literal(0, dt), v,
                               v * literal(negative_slope, dt))
    return elementwise(ctx, fn, self, result=ctx.dtype(self))


@rule("threshold")
def _threshold(ctx, self, threshold, value):
    def fn(dt, v):
        return te.if_then_else(v > literal(threshold, dt), v,
                               literal(value, dt))
    return elementwise(ctx, fn, self, result=ctx.dtype(self))


@rule("hardshrink")
def _hardshrink(ctx, self, lambd):
    def fn(dt, v):
        keep = te.any(v > literal(lambd, dt), v < literal(-lambd, dt))
        return te.if_then_else(keep, v, literal(0, dt))
    return elementwise(ctx, fn, self)


@rule("softshrink")
def _softshrink(ctx, self, lambd):
    def fn(dt, v):
        lam = literal(lambd, dt)
        return te.if_then_else(v > lam, v - lam, te.if_then_else(
            v < -lam, v + lam, literal(0, dt)))
    return elementwise(ctx, fn, self)


@rule("log_sigmoid_forward")
def _log_sigmoid_forward(ctx, self):
    def fn(dt, v):
        # log(sigmoid(v)) = min(v, 0) - log1p(exp(-|v|)), stable both ways.
        return te.min(v, literal(0.0, dt)) - te.log1p(te.exp(-te.abs(v)))
    def buffer():
        raise ctx.fail("the buffer output of log_sigmoid_forward (used by "
                       "its backward) is not implemented")
    return elementwise(ctx, fn, self), ctx.lazy(buffer)


@rule("logit")
def _logit(ctx, self, eps=None):
    def fn(dt, v):
        if eps is not None:
            v = te.min(te.max(v, literal(eps, dt)), literal(1.0 - eps, dt))
        return te.log(v / (literal(1.0, dt) - v))
    return elementwise(ctx, fn, self, kind=INT_TO_FLOAT)


# --- binary arithmetic ---------------------------------------------------

def _bool_arith(dt, a, b, name):
    if name == "add":
        return te.bitwise_or(a, b)
    return te.bitwise_and(a, b)


@rule("add.Tensor", "add.Scalar")
def _add(ctx, self, other, alpha):
    if alpha != 1:
        def fn(dt, a, b):
            return a + b * literal(alpha, dt)
        return elementwise(ctx, fn, self, other)
    if isinstance(self, relax.Expr) and isinstance(other, relax.Expr) and \
            self.dtype == other.dtype and self.dtype.startswith("float"):
        return ctx.emit(relax.op.add(self, other))
    return elementwise(ctx, lambda dt, a, b: _bool_arith(dt, a, b, "add")
                       if dt == torch.bool else a + b, self, other)


@rule("sub.Tensor", "sub.Scalar")
def _sub(ctx, self, other, alpha):
    if promote(self, other)[1] == torch.bool:
        raise ctx.fail("subtraction of bool tensors (torch refuses it too)")
    if alpha == 1 and isinstance(self, relax.Expr) and \
            isinstance(other, relax.Expr) and self.dtype == other.dtype and \
            self.dtype.startswith("float"):
        return ctx.emit(relax.op.subtract(self, other))
    return elementwise(ctx, lambda dt, a, b: a - b * literal(alpha, dt)
                       if alpha != 1 else a - b, self, other)


@rule("rsub.Tensor", "rsub.Scalar")
def _rsub(ctx, self, other, alpha):
    return elementwise(ctx, lambda dt, a, b: b - a * literal(alpha, dt)
                       if alpha != 1 else b - a, self, other)


@rule("mul.Tensor", "mul.Scalar")
def _mul(ctx, self, other):
    if isinstance(self, relax.Expr) and isinstance(other, relax.Expr) and \
            self.dtype == other.dtype and self.dtype.startswith("float"):
        return ctx.emit(relax.op.multiply(self, other))
    return elementwise(ctx, lambda dt, a, b: _bool_arith(dt, a, b, "mul")
                       if dt == torch.bool else a * b, self, other)


def _floor_divide_float(dt, a, b):
    """torch's floor division of floats (c10's div_floor_floating): exact
    where floor(a / b) would round the quotient first."""
    zero = literal(0.0, dt)
    mod = a % b  # fmod
    div = (a - mod) / b
    div = te.if_then_else(te.all(mod != zero, (b < zero) != (mod < zero)),
                          div - literal(1.0, dt), div)
    floored = te.floor(div)
    floored = te.if_then_else(div - floored > literal(0.5, dt),
                              floored + literal(1.0, dt), floored)
    result = te.if_then_else(div != zero, floored,
                             te.copysign(zero, a / b))
    return te.if_then_else(b == zero, a / b, result)


def _floor_divide_int(dt, a, b):
    return a // b


@rule("div.Tensor", "div.Scalar")
def _div(ctx, self, other):
    if isinstance(self, relax.Expr) and isinstance(other, relax.Expr) and \
            self.dtype == other.dtype and self.dtype.startswith("float"):
        return ctx.emit(relax.op.divide(self, other))
    return elementwise(ctx, lambda dt, a, b: a / b, self, other,
                       kind=INT_TO_FLOAT)


@rule("div.Tensor_mode", "div.Scalar_mode")
def _div_mode(ctx, self, other, rounding_mode):
    if rounding_mode is None:
        return _div(ctx, self, other)
    if rounding_mode == "trunc":
        return elementwise(ctx, lambda dt, a, b: te.trunc(a / b)
                           if is_float(dt) else a / b, self, other)
    if rounding_mode == "floor":
        return elementwise(ctx, lambda dt, a, b: _floor_divide_float(dt, a, b)
                           if is_float(dt) else _floor_divide_int(dt, a, b),
                           self, other)
    raise ctx.refuse("rounding_mode", rounding_mode)


@rule("floor_divide", "floor_divide.Scalar")
def _floor_divide(ctx, self, other):
    return _div_mode(ctx, self, other, "floor")


def _remainder_value(dt, a, b):
    if is_float(dt):
        mod = a % b
        zero = literal(0.0, dt)
        fix = te.all(mod != zero, (b < zero) != (mod < zero))
        return te.if_then_else(fix, mod + b, mod)
    return a - (a // b) * b


@rule("remainder.Tensor", "remainder.Scalar", "remainder.Scalar_Tensor")
def _remainder(ctx, self, other):
    return elementwise(ctx, _remainder_value, self, other)


@rule("fmod.Tensor", "fmod.Scalar")
def _fmod(ctx, self, other):
    return elementwise(ctx, lambda dt, a, b: a % b, self, other)


@rule("pow.Tensor_Tensor", "pow.Tensor_Scalar", "pow.Scalar")
def _pow(ctx, self, exponent):
    def fn(dt, a, b):
        if dt == torch.bool:
            return te.bitwise_or(a, te.bitwise_not(b))
        return te.pow(a, b)
    return elementwise(ctx, fn, self, exponent)


@rule("atan2")
def _atan2(ctx, self, other):
    return elementwise(ctx, lambda dt, a, b: te.atan2(a, b), self, other,
                       kind=INT_TO_FLOAT)


@rule("copysign.Tensor", "copysign.Scalar")
def _copysign(ctx, self, other):
    return elementwise(ctx, lambda dt, a, b: te.copysign(a, b), self, other,
                       kind=INT_TO_FLOAT)


@rule("hypot")
def _hypot(ctx, self, other):
    return elementwise(ctx, lambda dt, a, b: te.sqrt(a * a + b * b), self,
                       other)


@rule("xlogy.Tensor", "xlogy.Scalar_Self", "xlogy.Scalar_Other")
def _xlogy(ctx, self, other):
    def fn(dt, a, b):
        zero = literal(0.0, dt)
        value = te.if_then_else(a == zero, zero, a * te.log(b))
        return te.if_then_else(b != b, b, value)
    return elementwise(ctx, fn, self, other, kind=INT_TO_FLOAT)


def _max_value(dt, a, b):
    return te.max(a, b)


def _min_value(dt, a, b):
    return te.min(a, b)


@rule("maximum")
def _maximum(ctx, self, other):
    return elementwise(ctx, _max_value, self, other)


@rule("minimum")
def _minimum(ctx, self, other):
    return elementwise(ctx, _min_value, self, other)


def _nan_ignoring(extreme):
    """fmax/fmin: the extreme of the numbers, a NaN only when both are."""
    def apply(ctx, self, other):
        def fn(dt, a, b):
            if not is_float(dt):
                return extreme(a, b)
            return te.if_then_else(a != a, b, te.if_then_else(
                b != b, a, extreme(a, b)))
        return elementwise(ctx, fn, self, other)
    return apply


rule("fmax")(_nan_ignoring(te.max))
rule("fmin")(_nan_ignoring(te.min))


# --- comparisons and logic ----------------------------------------------

_COMPARE = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
}


def _compare(fn):
    def apply(ctx, self, other):
        return elementwise(ctx, lambda dt, a, b: fn(a, b), self, other,
                           kind=ALWAYS_BOOL)
    return apply


for _name, _fn in _COMPARE.items():
    rule(_name + ".Tensor", _name + ".Scalar")(_compare(_fn))


def _truth(dt, v):
    return v if dt == torch.bool else v != literal(0, dt)


_LOGICAL = {
    "logical_and": te.bitwise_and, "logical_or": te.bitwise_or,
    "logical_xor": te.bitwise_xor,
}


def _logical(fn):
    def apply(ctx, self, other):
        def element(dt, a, b):
            return fn(_truth(dt, a), _truth(dt, b))
        return elementwise(ctx, element, self, other, kind=ALWAYS_BOOL)
    return apply


for _name, _fn in _LOGICAL.items():
    rule(_name)(_logical(_fn))


def _bitwise(name):
    def apply(ctx, self, other):
        comp, _ = promote(self, other, kind=DEFAULT)
        if is_float(comp):
            raise ctx.fail(f"{name} of float tensors (torch refuses it too)")
        fns = {"and": te.bitwise_and, "or": te.bitwise_or,
               "xor": te.bitwise_xor, "shl": te.left_shift,
               "shr": te.right_shift}
        return elementwise(ctx, lambda dt, a, b: fns[name](a, b), self, other)
    return apply


for _name, _op in (("bitwise_and", "and"), ("bitwise_or", "or"),
                   ("bitwise_xor", "xor")):
    rule(_name + ".Tensor", _name + ".Scalar", _name + ".Scalar_Tensor")(
        _bitwise(_op))
rule("bitwise_left_shift.Tensor", "bitwise_left_shift.Tensor_Scalar",
     "bitwise_left_shift.Scalar_Tensor", "__lshift__.Tensor",
     "__lshift__.Scalar")(_bitwise("shl"))
rule("bitwise_right_shift.Tensor", "bitwise_right_shift.Tensor_Scalar",
     "bitwise_right_shift.Scalar_Tensor", "__rshift__.Tensor",
     "__rshift__.Scalar")(_bitwise("shr"))


# --- selection ------------------------------------------------------------

@rule("where.self", "where.ScalarSelf", "where.ScalarOther", "where.Scalar")
def _where(ctx, condition, self, other):
    result = promote(self, other, kind=NO_OPMATH)[1]
    return elementwise_where(ctx, condition, self, other, result,
                             lambda dt, c, a, b: te.if_then_else(c, a, b))


def elementwise_where(ctx, condition, a, b, result, fn):
    """where-like: the condition is read as bool, a and b in `result`."""
    operands = [condition, a, b]
    tensors = [v for v in operands if is_tensor(v)]

    def build(*placeholders):
        shape = broadcast_shape([list(p.shape) for p in placeholders])

        def element(*index):
            values, it = [], iter(placeholders)
            for k, v in enumerate(operands):
                dt = torch.bool if k == 0 else result
                if is_tensor(v):
                    p = next(it)
                    x = read(p, broadcast_index(p, index))
                    values.append(cast(x, dt) if k else _truth(
                        ctx.dtype(v), x))
                else:
                    values.append(literal(v, dt))
            return fn(result, *values)
        return te.compute(shape, element, name=ctx.op_name())
    return ctx.te(build, *tensors)


@rule("masked_fill.Scalar", "masked_fill.Tensor")
def _masked_fill(ctx, self, mask, value):
    if is_tensor(value) and len(value.shape) != 0:
        raise ctx.fail("masked_fill takes a 0-d value tensor")
    return elementwise_where(ctx, mask, value, self, ctx.dtype(self),
                             lambda dt, c, v, x: te.if_then_else(c, v, x))


def _clamp_value(dt, x, lo, hi):
    if lo is not None:
        x = te.max(x, lo)
    if hi is not None:
        x = te.min(x, hi)
    return x


@rule("clamp.default", "clamp.Tensor")
def _clamp(ctx, self, min=None, max=None):  # pylint: disable=redefined-builtin
    if min is None and max is None:
        raise ctx.fail("clamp needs min or max (torch refuses it too)")
    return elementwise(ctx, _clamp_value, self, min, max)


@rule("clamp_min.default", "clamp_min.Tensor")
def _clamp_min(ctx, self, min):  # pylint: disable=redefined-builtin
    return elementwise(ctx, lambda dt, x, lo: te.max(x, lo), self, min)


@rule("clamp_max.default", "clamp_max.Tensor")
def _clamp_max(ctx, self, max):  # pylint: disable=redefined-builtin
    return elementwise(ctx, lambda dt, x, hi: te.min(x, hi), self, max)


@rule("lerp.Scalar", "lerp.Tensor")
def _lerp(ctx, self, end, weight):
    def fn(dt, a, b, w):
        # torch's formula: exact at both ends.
        small = te.abs(w) < literal(0.5, dt)
        return te.if_then_else(small, a + w * (b - a),
                               b - (b - a) * (literal(1.0, dt) - w))
    return elementwise(ctx, fn, self, end, weight)


@rule("addcmul")
def _addcmul(ctx, self, tensor1, tensor2, value):
    return elementwise(ctx, lambda dt, s, a, b: s + literal(value, dt) * a * b,
                       self, tensor1, tensor2)


@rule("addcdiv")
def _addcdiv(ctx, self, tensor1, tensor2, value):
    return elementwise(ctx, lambda dt, s, a, b: s + literal(value, dt) * (a / b),
                       self, tensor1, tensor2)


@rule("nan_to_num")
def _nan_to_num(ctx, self, nan=None, posinf=None, neginf=None):
    dtype = ctx.dtype(self)
    if not is_float(dtype):
        return elementwise(ctx, lambda dt, v: v, self)
    info = torch.finfo(dtype)
    nan = 0.0 if nan is None else nan
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf

    def fn(dt, v):
        v = te.if_then_else(v != v, literal(nan, dt), v)
        v = te.if_then_else(v == literal(math.inf, dt), literal(posinf, dt), v)
        return te.if_then_else(v == literal(-math.inf, dt),
                               literal(neginf, dt), v)
    return elementwise(ctx, fn, self, compute=dtype)


@rule("heaviside")
def _heaviside(ctx, self, values):
    def fn(dt, x, v):
        zero = literal(0, dt)
        return te.if_then_else(x == zero, v, te.if_then_else(
            x < zero, zero, literal(1, dt)))
    return elementwise(ctx, fn, self, values)



# --- more math ---------------------------------------------------------------

@rule("deg2rad", "rad2deg")
def _deg2rad(ctx, self):
    factor = math.pi / 180.0 if ctx.op.overloadpacket is \
        torch.ops.aten.deg2rad else 180.0 / math.pi
    return elementwise(ctx, lambda dt, v: v * literal(factor, dt), self,
                       kind=INT_TO_FLOAT)


def _logaddexp_value(base2):
    def fn(dt, a, b):
        big, small = te.max(a, b), te.min(a, b)
        if base2:
            tail = te.log1p(te.exp2(small - big)) / literal(math.log(2.0), dt)
        else:
            tail = te.log1p(te.exp(small - big))
        # Two equal infinities: small - big is NaN; torch gives the
        # infinity.
        same_infinity = te.if_then_else(
            small == big, te.abs(big) == literal(math.inf, dt),
            small != small)
        return te.if_then_else(same_infinity, big, big + tail)
    return fn


@rule("logaddexp")
def _logaddexp(ctx, self, other):
    return elementwise(ctx, _logaddexp_value(False), self, other,
                       kind=INT_TO_FLOAT)


@rule("logaddexp2")
def _logaddexp2(ctx, self, other):
    return elementwise(ctx, _logaddexp_value(True), self, other,
                       kind=INT_TO_FLOAT)


@rule("angle")
def _angle(ctx, self):
    """The argument of a real number: pi below 0, else 0 (NaN stays)."""
    def fn(dt, v):
        zero = literal(0.0, dt)
        return te.if_then_else(v != v, v, te.if_then_else(
            v < zero, literal(math.pi, dt), zero))
    return elementwise(ctx, fn, self, kind=INT_TO_FLOAT)
