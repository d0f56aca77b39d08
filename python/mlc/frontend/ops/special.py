"""Special functions with no math-dialect op: lgamma, digamma, erfinv, i0. Each is an expression
of te math computed in float64 and rounded to the result dtype, following
the algorithms of torch's CPU kernels (aten/src/ATen/native/Math.h:
Lanczos and reflection, digamma's recurrence and asymptotic series), so
that results agree to the last bits torch's tests
check. (polygamma is not here: torch computes float32 in float32, and its
rounding near the poles is far from float64's.)"""

import math

import torch

from ... import te
from ..promotion import INT_TO_FLOAT
from .common import cast, elementwise, literal
from .registry import delegate, rule

F64 = torch.float64


def _c(value):
    return literal(float(value), F64)


def _where(condition, a, b):
    # Both sides are math on values already read: a select, not guards
    # (which would copy the shared computation into every branch).
    return te.select(condition, a, b)


# Lanczos approximation, g = 7, n = 9 (absolute error ~1e-15).
_LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7]


def _lgamma_positive(x):
    """log Gamma(x) for x >= 0.5."""
    z = x - _c(1.0)
    series = _c(_LANCZOS[0])
    for k, coefficient in enumerate(_LANCZOS[1:], start=1):
        series = series + _c(coefficient) / (z + _c(k))
    t = z + _c(7.5)
    return _c(0.5 * math.log(2 * math.pi)) + (z + _c(0.5)) * te.log(t) - \
        t + te.log(series)


def lgamma64(x):
    """log |Gamma(x)| of a float64 te value: +inf at the poles (0 and the
    negative integers), reflection below 0.5."""
    reflected = _c(1.0) - x
    # Reflection: log(pi / |sin(pi x)|) - lgamma(1 - x).
    left = te.log(_c(math.pi) / te.abs(te.sin(_c(math.pi) * x))) - \
        _lgamma_positive(_where(reflected >= _c(0.5), reflected, _c(1.0)))
    right = _lgamma_positive(_where(x >= _c(0.5), x, _c(1.0)))
    value = _where(x >= _c(0.5), right, left)
    inf = _c(math.inf)
    pole = _where(x <= _c(0.0), te.floor(x) == x, x != x)
    value = _where(pole, inf, value)
    value = _where(te.abs(x) == inf, inf, value)
    return _where(x != x, x, value)


# digamma's asymptotic series (Cephes psi), highest power first.
_PSI_A = [8.33333333333333333333E-2, -2.10927960927960927961E-2,
          7.57575757575757575758E-3, -4.16666666666666666667E-3,
          3.96825396825396825397E-3, -8.33333333333333333333E-3,
          8.33333333333333333333E-2]


def _digamma_positive(x):
    """digamma(x) for x > 0: recurrence up to 10, then the series."""
    result = _c(0.0)
    for _ in range(10):
        small = x < _c(10.0)
        result = _where(small, result - _c(1.0) / x, result)
        x = _where(small, x + _c(1.0), x)
    z = _c(1.0) / (x * x)
    poly = _c(_PSI_A[0])
    for coefficient in _PSI_A[1:]:
        poly = poly * z + _c(coefficient)
    y = _where(x < _c(1e17), z * poly, _c(0.0))
    return result + te.log(x) - _c(0.5) / x - y


def digamma64(x):
    """digamma as torch: -inf/+inf at -0/+0 (copysign(inf, -x)), NaN at
    the negative integers, reflection below 0."""
    inf = _c(math.inf)
    positive = _digamma_positive(_where(x > _c(0.0), x, _c(1.0)))
    flipped = _c(1.0) - x
    # digamma(1 - x) - pi / tan(pi x)
    negative = _digamma_positive(_where(flipped > _c(0.0), flipped,
                                        _c(1.0))) - \
        _c(math.pi) / te.tan(_c(math.pi) * x)
    value = _where(x > _c(0.0), positive, negative)
    value = _where(_where(x < _c(0.0), te.floor(x) == x, x != x),
                   _c(math.nan), value)
    # copysign(inf, -x): -0.0 * ... keeps the sign of zero.
    value = _where(x == _c(0.0), te.copysign(inf, _c(-1.0) * x), value)
    value = _where(x == inf, inf, value)
    return _where(x != x, x, value)


def erfinv64(y):
    """The inverse error function: Giles' single-precision approximation
    refined by three Newton steps on erf (NaN beyond [-1, 1], +-inf at
    +-1)."""
    w = _c(0.0) - te.log((_c(1.0) - y) * (_c(1.0) + y))
    central = w < _c(5.0)
    wc = w - _c(2.5)
    pc = _c(2.81022636e-08)
    for coefficient in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                        0.00021858087, -0.00125372503, -0.00417768164,
                        0.246640727, 1.50140941):
        pc = pc * wc + _c(coefficient)
    wt = te.sqrt(_where(central, _c(5.0), w)) - _c(3.0)
    pt = _c(-0.000200214257)
    for coefficient in (0.000100950558, 0.00134934322, -0.00367342844,
                        0.00573950773, -0.0076224613, 0.00943887047,
                        1.00167406, 2.83297682):
        pt = pt * wt + _c(coefficient)
    x = _where(central, pc, pt) * y
    two_over_sqrt_pi = _c(2.0 / math.sqrt(math.pi))
    for _ in range(3):
        x = x - (te.erf(x) - y) / (two_over_sqrt_pi * te.exp(
            _c(0.0) - x * x))
    inf = _c(math.inf)
    x = _where(y == _c(1.0), inf, x)
    x = _where(y == _c(-1.0), _c(0.0) - inf, x)
    return _where(te.abs(y) > _c(1.0), _c(math.nan), x)


def i0_64(x):
    """The modified Bessel function I0: its power series (all terms
    positive: no cancellation) up to |x| = 30, the asymptotic series
    beyond."""
    a = te.abs(x)
    small = _where(a <= _c(30.0), a, _c(0.0))
    quarter = small * small * _c(0.25)
    term, total = _c(1.0), _c(1.0)
    for k in range(1, 90):
        term = term * quarter / _c(float(k * k))
        total = total + term
    big = _where(a > _c(30.0), a, _c(31.0))
    correction, term = _c(1.0), _c(1.0)
    for k in range(1, 12):
        term = term * _c(float((2 * k - 1) ** 2)) / (_c(8.0 * k) * big)
        correction = correction + term
    asymptotic = te.exp(big) / te.sqrt(_c(2.0 * math.pi) * big) * correction
    value = _where(a <= _c(30.0), total, asymptotic)
    # At infinity torch's Cephes form gives NaN (inf * 0); so does this.
    return _where(x != x, x, value)


def trigamma(x, dtype):
    """torch's calc_trigamma in `dtype` (torch computes float32 in float32:
    near the poles sin(pi x) is not 0 and the quotient overflows to inf
    there only in float32): reflection below 0.5 (pi^2 / sin^2), six
    recurrence steps, then the asymptotic series."""
    def c(value):
        return literal(float(value), dtype)
    reflect = x < c(0.5)
    sin_pi_x = te.sin(c(math.pi) * x)
    result = _where(reflect, c(0.0) - c(math.pi * math.pi) /
                    (sin_pi_x * sin_pi_x), c(0.0))
    y = _where(reflect, c(1.0) - x, x)
    for _ in range(6):
        result = result + c(1.0) / (y * y)
        y = y + c(1.0)
    ixx = c(1.0) / (y * y)
    series = (c(1.0) + c(1.0) / (c(2.0) * y) + ixx * (
        c(1.0 / 6) - ixx * (c(1.0 / 30) - ixx * c(1.0 / 42)))) / y
    result = result + series
    return _where(reflect, c(0.0) - result, result)


def _special(fn):
    def apply(ctx, self):
        return elementwise(ctx, lambda dt, v: cast(fn(cast(v, F64)), dt),
                           self, kind=INT_TO_FLOAT)
    return apply


rule("lgamma")(_special(lgamma64))
rule("digamma")(_special(digamma64))
rule("erfinv")(_special(erfinv64))
rule("i0")(_special(i0_64))


@rule("polygamma")
def _polygamma(ctx, n, self):
    """polygamma(0, x) = digamma, polygamma(1, x) = trigamma, as torch's
    kernels; higher orders (torch's Hurwitz zeta) have no rule yet."""
    if n == 0:
        return _special(digamma64)(ctx, self)
    if n == 1:
        return elementwise(ctx, lambda dt, v: trigamma(v, dt), self,
                           kind=INT_TO_FLOAT)
    raise ctx.refuse("n", n, "polygamma of order 2 or more (Hurwitz zeta) "
                     "is not implemented")


delegate("prims.lgamma", "lgamma")
delegate("prims.digamma", "digamma")
delegate("prims.erf_inv", "erfinv")


def _frexp_exponent(a):
    """e with a = m * 2 ** e, m in [0.5, 1), for finite a > 0 (float64)."""
    e = te.floor(te.log2(a)) + _c(1.0)
    # log2 may round across a power of two: correct by one.
    m = a / te.exp2(e)
    return _where(m >= _c(1.0), e + _c(1.0),
                  _where(m < _c(0.5), e - _c(1.0), e))


# (mantissa bits, frexp exponent of the smallest normal, largest finite).
_FLOAT_FORMATS = {torch.float32: (24, -125, 3.4028234663852886e38),
                  torch.float64: (53, -1021, 1.7976931348623157e308)}


@rule("nextafter")
def _nextafter(ctx, self, other):
    """The float after self towards other, as C's nextafter: other when
    they are equal, NaN with a NaN, the smallest subnormal from zero, the
    largest finite from an infinity; else self plus the spacing of floats
    at self (half of it moving towards zero from a power of two)."""
    result = ctx.out_meta()[1]
    if result not in _FLOAT_FORMATS:  # float16's neighbours are its own
        raise ctx.fail(f"nextafter of {result} tensors")

    def fn(dt, x, y):
        bits, emin, largest = _FLOAT_FORMATS[result]
        x, y = cast(x, F64), cast(y, F64)
        a = te.abs(x)
        finite = a < _c(math.inf)
        e = te.max(_frexp_exponent(_where(finite & (a > _c(0.0)), a,
                                          _c(1.0))), _c(float(emin)))
        spacing = te.exp2(e - _c(float(bits)))
        power_of_two = a == te.exp2(e - _c(1.0))
        up = y > x
        towards_zero = (up & (x < _c(0.0))) | ((y < x) & (x > _c(0.0)))
        step = _where(towards_zero & power_of_two & (e > _c(float(emin))),
                      spacing * _c(0.5), spacing)
        moved = _where(up, x + step, x - step)
        tiny = te.exp2(_c(float(emin - bits)))
        from_zero = _where(up, tiny, _c(0.0) - tiny)
        from_inf = _where(x > _c(0.0), _c(largest), _c(-largest))
        value = _where(a == _c(0.0), from_zero,
                       _where(finite, moved, from_inf))
        value = _where(x == y, y, value)
        return cast(_where((x != x) | (y != y), x + y, value), dt)
    return elementwise(ctx, fn, self, other)


@rule("frexp.Tensor")
def _frexp(ctx, self):
    """(mantissa, exponent): x = mantissa * 2 ** exponent with |mantissa|
    in [0.5, 1); zeros, infinities and NaN keep x with exponent 0."""
    dtype = ctx.dtype(self)
    if not dtype.is_floating_point:
        raise ctx.fail(f"frexp of {dtype} (torch needs a float dtype)")

    def exponent_of(v):
        x = cast(v, F64)
        a = te.abs(x)
        e = te.floor(te.log2(_where(a > _c(0.0), a, _c(1.0)))) + _c(1.0)
        # log2 may round across a power of two: correct by one.
        m = a / te.exp2(e)
        e = _where(m >= _c(1.0), e + _c(1.0), _where(m < _c(0.5),
                                                     e - _c(1.0), e))
        special = _where(a == _c(0.0), a == a, _where(a != a, a != a,
                                                      a == _c(math.inf)))
        return _where(special, _c(0.0), e)

    from .common import map_tensor
    exponent = map_tensor(ctx, self, lambda v: cast(exponent_of(v),
                                                    torch.int32),
                          name="frexp_exponent")

    def mantissa(dt, v, e):
        x = cast(v, F64)
        return cast(x / te.exp2(cast(e, F64)), dt)
    return elementwise(ctx, mantissa, self, exponent, result=dtype,
                       compute=dtype, name="frexp_mantissa"), exponent
