"""Adaptive activations: functions whose shape is itself learned.

A rational function with learnable coefficients (Padé activation units, rational
activations), a learned piecewise-linear sum of hinges (APL), a kernel expansion
with learned mixing weights (KAFs). Each is still a function of one number with
scalar parameters, so each fits the registry: its coefficients are parameters with
defaults (the initialisation its paper gives) and partial derivatives.
"""

from __future__ import annotations

__all__: list[str] = []

import functools
import math
from fractions import Fraction

import numpy as np
import sympy as sp

from .registry import Activation, Kink, Param, exact, register

# --- rational functions: the evaluation both entries share ------------------------


@functools.lru_cache(maxsize=1024)
def _fraction(value: float) -> Fraction:
    """A parameter as the exact number it stands for (:func:`registry.exact`:
    0.0218 is 109/5000), so coefficients built from several parameters are
    rounded once, from the same numbers the SymPy form uses."""
    e = exact(value)
    if isinstance(e, sp.Rational):
        return Fraction(int(e.p), int(e.q))
    return Fraction(float(value))


def _trim(c: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    """The coefficients (ascending) without their zero leading ones; () for 0."""
    c = list(c)
    while c and c[-1] == 0:
        c.pop()
    return tuple(c)


def _poly_mul(p, q):
    out = [Fraction(0)] * (len(p) + len(q) - 1) if p and q else []
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return tuple(out)


def _poly_diff(p):
    return tuple(k * c for k, c in enumerate(p))[1:]


@functools.lru_cache(maxsize=256)
def _quotient_rule(p: tuple[Fraction, ...], q: tuple[Fraction, ...]):
    """The numerator P'Q - PQ' of (P/Q)', exactly, trimmed (ascending)."""
    a = _poly_mul(_poly_diff(p), q)
    b = _poly_mul(p, _poly_diff(q))
    n = max(len(a), len(b))
    a = a + (Fraction(0),) * (n - len(a))
    b = b + (Fraction(0),) * (n - len(b))
    return _trim(tuple(u - v for u, v in zip(a, b, strict=True)))


_SPLIT = 134217729.0  # 2^27 + 1: Dekker's split of a float64


def _two_sum(a, b):
    """s + e = a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    """p + e = a * b exactly (Dekker; |a|, |b| far below 1e300 here)."""
    p = a * b
    ca, cb = _SPLIT * a, _SPLIT * b
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


@functools.lru_cache(maxsize=4096)
def _double(c: Fraction) -> tuple[float, float]:
    """An exact coefficient as an unevaluated sum hi + lo of two float64."""
    hi = float(c)
    return hi, float(c - Fraction(hi))


def _horner(c, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sum c[k] z^k (exact coefficients, ascending) for float64 ``z`` with |z| <= 1,
    as s + e: compensated Horner (Graillat, Langlois & Louvet 2005) with each
    coefficient carried to twice the precision, as accurate as Horner's rule in
    twice the working precision."""
    hi, lo = _double(c[-1])
    s = np.full_like(z, hi)
    e = np.full_like(z, lo)
    for coef in reversed(c[:-1]):
        hi, lo = _double(coef)
        p, pe = _two_prod(s, z)
        s, se = _two_sum(p, hi)
        e *= z
        e += pe + se + lo
    return s, e


def _quotient(p, q, z: np.ndarray, power: int = 1) -> np.ndarray:
    """P(z)/Q(z)^power (power 1 or 2) in float64 from the two compensated sums:
    the quotient of the leading parts and one correction step, (P - f Q)/Q, its
    residual exact; for a square, one more division by Q. Q^2 is never expanded:
    its coefficients can underflow (|b_4| = 1e-300 squared is 0 in float64)
    where Q's own do not."""
    ps, pe = _horner(p, z)
    qs, qe = _horner(q, z)
    f = ps / qs
    h, hl = _two_prod(f, qs)
    f += (((ps - h) - hl) + pe - f * qe) / qs
    if power == 2:
        f /= qs + qe
    return f


def _power_times(r: np.ndarray, x: np.ndarray, t: np.ndarray, k: int) -> np.ndarray:
    """``r * x^k`` (``t`` = 1/x for k < 0), one factor at a time, so that it
    overflows or underflows only where the product does."""
    with np.errstate(over="ignore"):
        for _ in range(abs(k)):
            r *= x if k > 0 else t
    return r


def _ratio(x: np.ndarray, p: tuple[Fraction, ...],
           q: tuple[Fraction, ...], power: int = 1) -> np.ndarray:
    r"""P(x)/Q(x)^power (power 1 or 2) for polynomials with exact coefficients
    (ascending), Q without a real zero where it is evaluated, in x's dtype, for
    any x.

    Computed in float64 (a float32 input is exact there, and the result is
    rounded once at the end). For :math:`|x| \le 1` both are summed by
    compensated Horner (:func:`_horner`): the terms of P can cancel (at the
    default rational coefficients with :math:`a_0 = 0`, terms of 0.78 sum to
    0.023 at x = -0.7), and plain Horner's rule would lose those digits.
    Beyond, with :math:`t = 1/x`, each polynomial is divided by its leading power,

    .. math:: \frac{P(x)}{Q(x)} = x^{m-n}\,
              \frac{p_m + p_{m-1}t + \dots + p_0 t^m}{q_n + q_{n-1}t + \dots + q_0 t^n},

    (m, n the degrees without zero leading coefficients): the quotient of the two
    reversed polynomials lies near :math:`p_m/q_n`, and the power is applied last,
    one factor at a time, so nothing overflows unless the value does (:math:`x^3`
    alone overflows from 5.6e102 in float64) and :math:`\pm\infty` give the limits.
    Rounding t moves only the reversed polynomials, by less than the condition of
    the function at x allows.
    """
    dt = x.dtype
    p, q = _trim(p), _trim(q)
    if not p:  # P = 0
        out = np.zeros_like(x)
        np.copyto(out, x, where=np.isnan(x))
        return out
    z = x.astype(np.float64)
    out = np.empty_like(z)
    near = np.abs(z) <= 1.0  # False at NaN
    if near.any():
        out[near] = _quotient(p, q, z[near], power)
    far = ~near
    if far.any():
        w = z[far]
        with np.errstate(divide="ignore"):  # w is never 0 here; 1/inf = 0
            t = np.divide(1.0, w)
        k = (len(p) - 1) - power * (len(q) - 1)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            r = _quotient(p[::-1], q[::-1], t, power)
        # A tiny leading coefficient of Q (|b_4| = 1e-300) makes the quotient
        # of the reversed polynomials overflow before the power brings it back:
        # those few points are computed exactly.
        bad = ~np.isfinite(r) & ~np.isnan(w)
        if bad.any():
            good = ~bad
            r[good] = _power_times(r[good], w[good], t[good], k)
            r[bad] = [_exact_ratio(v, p, q, power, k) for v in w[bad].tolist()]
            out[far] = r
        else:
            out[far] = _power_times(r, w, t, k)
    if dt == np.float64:
        return out
    with np.errstate(over="ignore", under="ignore"):
        return out.astype(dt)


def _exact_ratio(v: float, p, q, power: int, k: int) -> float:
    """P(v)/Q(v)^power in exact rational arithmetic, correctly rounded to float64
    (the limit at v = ±inf; k is the degree of the quotient)."""
    if math.isinf(v):
        lead = p[-1] / q[-1] ** power
        if k == 0:
            return _to_float(lead)
        sign = (1.0 if lead > 0 else -1.0) * (math.copysign(1.0, v) ** k)
        return sign * (math.inf if k > 0 else 0.0)
    z = Fraction(v)
    num = sum(c * z**i for i, c in enumerate(p))
    den = sum(c * z**i for i, c in enumerate(q)) ** power
    return _to_float(num / den)


def _to_float(r: Fraction) -> float:
    try:
        return float(r)
    except OverflowError:
        return math.inf if r > 0 else -math.inf


def _ratio_and_slope(x, y, dy, p, q):
    """P/Q into ``y`` and (P/Q)' = (P'Q - PQ')/Q^2 into ``dy`` (either may be
    None), the slope as the ratio of the exact numerator polynomial to Q^2."""
    if y is not None:
        np.copyto(y, _ratio(x, p, q))
    if dy is not None:
        np.copyto(dy, _ratio(x, _quotient_rule(p, q), q, 2))


# --- rational (Boullé, Nakatsukasa & Townsend 2020) -------------------------------

RATIONAL_INIT = {"a3": 1.1915, "a2": 1.5957, "a1": 0.5, "a0": 0.0218,
                 "b2": 2.383, "b1": 0.0, "b0": 1.0}
"""The initial coefficients of the reference code (github NBoulle/RationalNets,
``RationalLayer.py``): the best uniform type-(3, 2) approximation of ReLU on
[-1, 1], computed with Chebfun's ``minimax`` and rounded to four or five digits."""


@functools.lru_cache(maxsize=256)
def _rational_pq(a3, a2, a1, a0, b2, b1, b0):
    return (tuple(_fraction(v) for v in (a0, a1, a2, a3)),
            tuple(_fraction(v) for v in (b0, b1, b2)))


def _rational(x, y, dy, a3, a2, a1, a0, b2, b1, b0):
    r"""The rational activation :math:`P_3(x)/Q_2(x)` and its derivative
    :math:`(P'Q - PQ')/Q^2`, both by :func:`_ratio`: Horner's rule for
    :math:`|x| \le 1`, the reversed polynomials in :math:`1/x` beyond (so
    :math:`x^3` is never formed). The parameter box keeps
    :math:`b_1^2 < 4 b_0 b_2`, so :math:`Q \ge b_0 - b_1^2/(4 b_2) \ge 1/4`.
    The slope's numerator :math:`a_3 b_2 x^4 + 2 a_3 b_1 x^3 + \dots` is formed
    from the parameters' exact values and rounded once per coefficient.
    """
    p, q = _rational_pq(a3, a2, a1, a0, b2, b1, b0)
    _ratio_and_slope(x, y, dy, p, q)


def _monomial(k: int) -> tuple[Fraction, ...]:
    return (Fraction(0),) * k + (Fraction(1),)


def _rational_partial_a(k: int):
    def partial(x, a3, a2, a1, a0, b2, b1, b0):
        _, q = _rational_pq(a3, a2, a1, a0, b2, b1, b0)
        return _ratio(x, _monomial(k), q)
    partial.__doc__ = rf""":math:`\partial f/\partial a_{k} = x^{k}/Q(x)`."""
    return partial


def _rational_partial_b(k: int):
    def partial(x, a3, a2, a1, a0, b2, b1, b0):
        p, q = _rational_pq(a3, a2, a1, a0, b2, b1, b0)
        g = _ratio(x, _poly_mul(_monomial(k), p), q, 2)
        return np.negative(g, out=g)
    partial.__doc__ = rf""":math:`\partial f/\partial b_{k} = -x^{k} P/Q^2`, one
    quotient of exact polynomials (:func:`_ratio`), which has the right finite
    limit at :math:`\pm\infty` where :math:`(x^{k}/Q)\,f` would be 0 times inf."""
    return partial


def _rational_sym(x, a3, a2, a1, a0, b2, b1, b0):
    return (a3 * x**3 + a2 * x**2 + a1 * x + a0) / (b2 * x**2 + b1 * x + b0)


_A_RANGE = (-8.0, 8.0)

rational = register(
    Activation(
        "rational",
        kernel=_rational,
        sym=_rational_sym,
        params={
            **{f"a{k}": Param(RATIONAL_INIT[f"a{k}"], *_A_RANGE,
                              f"coefficient of x^{k} in the numerator (learned)",
                              symbol=f"a_{k}", learnable=True)
               for k in (3, 2, 1, 0)},
            "b2": Param(2.383, 1.0, 8.0,
                        "coefficient of x^2 in the denominator (learned); "
                        "b2 >= 1 with |b1| <= 1 and b0 >= 1/2 keeps "
                        "b1^2 < 4 b0 b2: no real pole", symbol="b_2",
                        learnable=True),
            "b1": Param(0.0, -1.0, 1.0, "coefficient of x in the denominator "
                        "(learned)", symbol="b_1", learnable=True),
            "b0": Param(1.0, 0.5, 2.0, "constant of the denominator (learned; "
                        "the reference code starts at 1)", symbol="b_0",
                        learnable=True),
        },
        partials={**{f"a{k}": _rational_partial_a(k) for k in (3, 2, 1, 0)},
                  **{f"b{k}": _rational_partial_b(k) for k in (2, 1, 0)}},
    )
)

__all__ += ["rational", "RATIONAL_INIT"]


# --- PAU (Molina, Schramowski & Kersting 2020) ------------------------------------

PAU_INIT = {"a0": 3.35583603e-02, "a1": 5.05000375e-01, "a2": 1.65343934e+00,
            "a3": 2.01001052e+00, "a4": 9.31901999e-01, "a5": 1.52424124e-01,
            "b1": 3.30847488e-06, "b2": 3.98021568e+00, "b3": 5.12471206e-07,
            "b4": 3.01830109e-01}
"""The reference code's default initialisation, ``"pade_optimized_leakyrelu"`` in
``get_constants_for_inits`` of ``pau/cuda/python_imp/Pade.py`` (github
ml-research/pau): a (5, 4) fit of Leaky ReLU, numerator a0..a5 and denominator
b1..b4 as printed there."""

_PAU_A = tuple(f"a{j}" for j in range(6))
_PAU_B = tuple(f"b{k}" for k in range(1, 5))


def _pau_polys(params: dict[str, float]):
    return _pau_polys_of(tuple(params[k] for k in _PAU_A + _PAU_B))


@functools.lru_cache(maxsize=256)
def _pau_polys_of(values: tuple[float, ...]):
    """P (ascending) and the denominator on each side: for x >= 0,
    :math:`1 + \\sum |b_k| x^k`; for x < 0, :math:`1 + \\sum |b_k| (-x)^k`, each
    an ordinary polynomial in x with no zero on its own side (every term of
    :math:`Q` is at least 0 there, so :math:`Q \\ge 1`)."""
    p = tuple(_fraction(v) for v in values[:6])
    mags = [abs(_fraction(v)) for v in values[6:]]
    right = (Fraction(1), *mags)
    left = (Fraction(1), *(m if k % 2 == 0 else -m for k, m in enumerate(mags, 1)))
    return p, right, left


def _pau_sides(x: np.ndarray):
    right = x >= 0  # False at NaN: the left side keeps it NaN
    return ((right, 1), (~right, -1))


def _pau(x, y, dy, a0, a1, a2, a3, a4, a5, b1, b2, b3, b4):
    r"""The safe Padé activation unit :math:`P_5(x)/Q_4(x)` with
    :math:`Q = 1 + \sum_{k=1}^{4}|b_k||x|^k`, and its derivative.

    On each side of 0 the denominator is an ordinary polynomial in x
    (:func:`_pau_polys`), so each side is a rational function evaluated by
    :func:`_ratio`, and its slope is the ratio of the exact polynomial
    :math:`P'Q - PQ'` to :math:`Q^2`. At x = 0 the one-sided slopes are
    :math:`a_1 \mp a_0|b_1|`; the derivative returns :math:`a_1`, the reference
    Python implementation's value (its ``sign(0)`` is 0 in :math:`Q'`).
    """
    p, qr, ql = _pau_polys(dict(zip(_PAU_A + _PAU_B,
                                    (a0, a1, a2, a3, a4, a5, b1, b2, b3, b4),
                                    strict=True)))
    for (mask, _), q in zip(_pau_sides(x), (qr, ql), strict=True):
        if not mask.any():
            continue
        xs = x[mask]
        if y is not None:
            y[mask] = _ratio(xs, p, q)
        if dy is not None:
            dy[mask] = _ratio(xs, _quotient_rule(p, q), q, 2)
    if dy is not None:
        dy[x == 0] = a1


def _pau_partial_a(j: int):
    def partial(x, **params):
        p, qr, ql = _pau_polys(params)
        out = np.empty_like(x)
        for (mask, _), q in zip(_pau_sides(x), (qr, ql), strict=True):
            out[mask] = _ratio(x[mask], _monomial(j), q)
        return out
    partial.__doc__ = rf""":math:`\partial f/\partial a_{j} = x^{j}/Q(x)`."""
    return partial


def _pau_partial_b(k: int):
    def partial(x, **params):
        p, qr, ql = _pau_polys(params)
        sign = np.sign(params[f"b{k}"])
        out = np.zeros_like(x)
        np.copyto(out, x, where=np.isnan(x))
        if sign == 0:
            return out
        for (mask, side), q in zip(_pau_sides(x), (qr, ql), strict=True):
            # |x|^k = (side x)^k: -sign(b_k) |x|^k P/Q^2 as one exact quotient
            c = Fraction(-int(sign) * side**k)
            num = tuple(c * u for u in _poly_mul(_monomial(k), p))
            out[mask] = _ratio(x[mask], num, q, 2)
        return out
    partial.__doc__ = rf""":math:`\partial f/\partial b_{k} =
    -\operatorname{{sign}}(b_{k})\,|x|^{k} P/Q^2`, with sign(0) = 0 as in the
    reference Python implementation (its CUDA kernel uses copysign(1, b))."""
    return partial


def _pau_sym(x, a0, a1, a2, a3, a4, a5, b1, b2, b3, b4):
    p = a0 + a1 * x + a2 * x**2 + a3 * x**3 + a4 * x**4 + a5 * x**5
    bs = (b1, b2, b3, b4)
    right = 1 + sum(sp.Abs(b) * x**k for k, b in enumerate(bs, 1))
    left = 1 + sum(sp.Abs(b) * (-x)**k for k, b in enumerate(bs, 1))
    return sp.Piecewise((p / right, x >= 0), (p / left, True))


_PAU_RANGE = (-8.0, 8.0)

pau = register(
    Activation(
        "pau",
        kernel=_pau,
        sym=_pau_sym,
        params={
            **{f"a{j}": Param(PAU_INIT[f"a{j}"], *_PAU_RANGE,
                              f"coefficient of x^{j} in the numerator (learned)",
                              symbol=f"a_{j}", learnable=True) for j in range(6)},
            **{f"b{k}": Param(PAU_INIT[f"b{k}"], *_PAU_RANGE,
                              f"coefficient of |x|^{k} in the denominator, used as "
                              f"|b{k}| (learned)", symbol=f"b_{k}", learnable=True)
               for k in range(1, 5)},
        },
        kinks=(
            # f'(0-) = a1 + a0|b1|, f'(0+) = a1 - a0|b1|; a1 is their mean
            Kink(0.0, lambda **p: p["a1"],
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in"}),
        ),
        partials={**{f"a{j}": _pau_partial_a(j) for j in range(6)},
                  **{f"b{k}": _pau_partial_b(k) for k in range(1, 5)}},
    )
)

__all__ += ["pau", "PAU_INIT"]

# --- APL: adaptive piecewise linear units -------------------------------------------
# Appended below whatever the module defines above; the imports are local to this
# section so that it stands on its own.
import functools as _functools  # noqa: E402
import itertools as _itertools  # noqa: E402
from fractions import Fraction as _Fraction  # noqa: E402

import numpy as _np  # noqa: E402
import sympy as _sp  # noqa: E402

from .registry import Activation as _Activation  # noqa: E402
from .registry import Kink as _Kink  # noqa: E402
from .registry import Param as _Param  # noqa: E402
from .registry import register as _register  # noqa: E402

APL_HINGES = 2
"""S, the number of hinges of the registry's APL: two learnable hinges beside the
ReLU, so two bends besides the one at 0 (four scalar parameters)."""


def _as_fraction(value: float) -> _Fraction:
    """The exact number a float parameter stands for, as the SymPy expression takes
    it (:func:`registry.exact`): a short fraction (-0.6 is -3/5) where one rounds to
    it, else the float itself."""
    frac = _Fraction(value).limit_denominator(10**6)
    return frac if float(frac) == value else _Fraction(value)


@_functools.lru_cache(maxsize=256)
def _apl_pieces(a1: float, b1: float, a2: float, b2: float):
    r"""The line :math:`c_0 + c_1 x` of APL on each of its pieces, indexed by the bits
    ``[x > 0] + 2 [x <= b_1] + 4 [x <= b_2]``.

    Returns ``(c0, c1_hi, c1_lo)``, arrays of 8: the intercept rounded once from its
    exact value :math:`\sum a_s b_s` (over the hinges active on the piece), and the
    slope :math:`[x > 0] - \sum a_s` as a float and the float of its rounding error,
    both from exact rational arithmetic (with the parameters as
    :func:`_as_fraction` reads them), so cancellation among the parameters costs
    nothing. Cached: a training step or a quadrature calls it with the same
    parameters many times (the arrays returned are not to be written).
    """
    a = (_as_fraction(a1), _as_fraction(a2))
    b = (_as_fraction(b1), _as_fraction(b2))
    c0 = _np.empty(8)
    hi = _np.empty(8)
    lo = _np.empty(8)
    for pos, h1, h2 in _itertools.product((0, 1), repeat=3):
        i = pos + 2 * h1 + 4 * h2
        on = (h1, h2)
        intercept = sum((a[s] * b[s] for s in range(2) if on[s]), _Fraction(0))
        slope = pos - sum((a[s] for s in range(2) if on[s]), _Fraction(0))
        c0[i] = float(intercept)
        hi[i] = float(slope)
        lo[i] = float(slope - _Fraction(hi[i]))
    return c0, hi, lo


def _apl_index(x: _np.ndarray, b1: float, b2: float) -> _np.ndarray:
    """The piece of each element (see :func:`_apl_pieces`); NaN gets piece 0."""
    return ((x > 0).astype(_np.intp) + 2 * (x <= b1).astype(_np.intp)
            + 4 * (x <= b2).astype(_np.intp))


def _apl(x, y, dy, a1: float, b1: float, a2: float, b2: float) -> None:
    r""":math:`\max(0, x) + a_1 \max(0, b_1 - x) + a_2 \max(0, b_2 - x)` and its slope.

    APL is a line on each piece between its bends (0, :math:`b_1`, :math:`b_2`): the
    kernel finds each element's piece and evaluates that line, :math:`c_0 + c_1 x`,
    with :math:`c_0` and :math:`c_1` formed exactly from the parameters and
    :math:`c_1` carried as a float plus its rounding error. So the sum of hinges
    never cancels in floating point: the error is that of one multiply-add, within
    about one ULP of :math:`|f| + |x f'|`. float32 is computed in float64 and
    rounded once. The slope is :math:`c_1`, at a bend the slope of the piece on its
    left (ReLU's convention at 0); ±inf give the limits, NaN stays NaN.
    """
    xd = x.astype(_np.float64, copy=False)
    c0, hi, lo = _apl_pieces(a1, b1, a2, b2)
    i = _apl_index(xd, b1, b2)
    inf = _np.isinf(xd)
    if y is not None:
        xf = _np.where(inf, 0.0, xd)
        with _np.errstate(over="ignore"):
            v = hi[i] * xf
            v += c0[i]
            v += lo[i] * xf
        if inf.any():  # the limit: the last piece's line, or its level if flat
            s = hi[i][inf]
            v[inf] = _np.where(s == 0, c0[i][inf],
                               _np.copysign(_np.inf, s) * _np.sign(xd[inf]))
        with _np.errstate(over="ignore"):  # beyond float32's range: inf, rounded
            _np.copyto(y, v, casting="unsafe")
    if dy is not None:
        _np.copyto(dy, _np.where(_np.isnan(xd), xd, hi[i]), casting="unsafe")


def _apl_partial_a(x, b: float, le: bool = True):
    r""":math:`\partial f/\partial a_s = \max(0, b_s - x)` (inf at -inf, NaN for
    NaN)."""
    xd = x.astype(_np.float64, copy=False)
    with _np.errstate(over="ignore"):
        h = _np.where(xd <= b, b - xd, 0.0)
    return _np.where(_np.isnan(xd), xd, h).astype(x.dtype)


def _apl_partial_b(x, a: float, b: float):
    r""":math:`\partial f/\partial b_s = a_s [x \le b_s]` (the hinge's slope in
    :math:`b_s`, with the left-piece convention of the kernel at :math:`x = b_s`)."""
    xd = x.astype(_np.float64, copy=False)
    return _np.where(_np.isnan(xd), xd, _np.where(xd <= b, a, 0.0)).astype(x.dtype)


def _apl_left_slope(at: float, a1: float, b1: float, a2: float, b2: float) -> float:
    """f' at a bend: the slope of the piece on its left (the kernel's convention)."""
    return float(_apl_pieces(a1, b1, a2, b2)[1][
        int(at > 0) + 2 * int(at <= b1) + 4 * int(at <= b2)])


def _apl_sym(x, a1, b1, a2, b2):
    def hinge(b):
        return _sp.Piecewise((b - x, x < b), (0, True))
    return _sp.Piecewise((x, x > 0), (0, True)) + a1 * hinge(b1) + a2 * hinge(b2)


_APL_KINK_FRAMEWORKS = {
    "pytorch": "no built-in (autograd of relu(x) + a * relu(b - x): 0 from each "
               "term at its own bend)",
    "jax": "no built-in", "tensorflow": "no built-in",
}

apl = _register(
    _Activation(
        "apl",
        kernel=_apl,
        sym=_apl_sym,
        params={
            "a1": _Param(0.5, -2.0, 2.0, "learnable weight of the first hinge "
                         "max(0, b1 - x)", symbol="a_1", learnable=True),
            "b1": _Param(1.0, -3.0, 3.0, "learnable position of the first hinge",
                         symbol="b_1", learnable=True),
            "a2": _Param(-0.6, -2.0, 2.0, "learnable weight of the second hinge "
                         "max(0, b2 - x)", symbol="a_2", learnable=True),
            "b2": _Param(-1.0, -3.0, 3.0, "learnable position of the second hinge",
                         symbol="b_2", learnable=True),
        },
        kinks=(
            _Kink(0.0, lambda a1, b1, a2, b2: _apl_left_slope(0.0, a1, b1, a2, b2),
                  _APL_KINK_FRAMEWORKS),
            _Kink(lambda a1, b1, a2, b2: b1,
                  lambda a1, b1, a2, b2: _apl_left_slope(b1, a1, b1, a2, b2),
                  _APL_KINK_FRAMEWORKS),
            _Kink(lambda a1, b1, a2, b2: b2,
                  lambda a1, b1, a2, b2: _apl_left_slope(b2, a1, b1, a2, b2),
                  _APL_KINK_FRAMEWORKS),
        ),
        partials={
            "a1": lambda x, a1, b1, a2, b2: _apl_partial_a(x, b1),
            "b1": lambda x, a1, b1, a2, b2: _apl_partial_b(x, a1, b1),
            "a2": lambda x, a1, b1, a2, b2: _apl_partial_a(x, b2),
            "b2": lambda x, a1, b1, a2, b2: _apl_partial_b(x, a2, b2),
        },
    )
)

__all__ += ["apl"]


# --- KAF: kernel activation functions -----------------------------------------------
KAF_DICTIONARY = (-3.0, -1.0, 1.0, 3.0)
"""The registry's KAF dictionary: D = 4 points, a uniform grid on [-3, 3] (the
boundary of the authors' reference code), spacing 2."""
KAF_GAMMA = _Fraction(1, 6 * 2**2)
r"""The kernel's :math:`\gamma = 1/(6\Delta^2)` for the spacing :math:`\Delta = 2`:
1/24 (the paper's rule of thumb)."""
KAF_RIDGE = 1e-5
r"""The :math:`\varepsilon` of the kernel ridge regression that sets the defaults."""


def kaf_ridge_fit(target, dictionary=KAF_DICTIONARY, gamma=float(KAF_GAMMA),
                  ridge=KAF_RIDGE) -> _np.ndarray:
    r"""The mixing coefficients :math:`\alpha = (K + \varepsilon I)^{-1} t` of a KAF
    whose dictionary values are ``target(d)``: kernel ridge regression, the
    initialisation of Scardapane et al. (:math:`K_{ij} = e^{-\gamma (d_i - d_j)^2}`).

    >>> import numpy as np
    >>> alpha = kaf_ridge_fit(lambda d: d)  # the identity on the grid -3, -1, 1, 3
    >>> bool(np.allclose(alpha, -alpha[::-1]))  # odd, as the target is
    True
    """
    d = _np.asarray(dictionary, dtype=_np.float64)
    k = _np.exp(-gamma * (d[:, None] - d[None, :]) ** 2)
    return _np.linalg.solve(k + ridge * _np.eye(d.size), target(d))


def _elu_on(d: _np.ndarray) -> _np.ndarray:
    return _np.where(d > 0, d, _np.expm1(_np.minimum(d, 0.0)))


KAF_DEFAULTS = tuple(round(float(v), 4) for v in kaf_ridge_fit(_elu_on))
"""The defaults of alpha1..alpha4: the ridge fit to ELU (alpha = 1) at the dictionary,
rounded to four decimals: (0.2449, 0.004, -5.7165, 7.7822)."""

_WIDE = _np.longdouble
"""KAF's working format: the platform's long double, 64 significant bits on
x86-64 and as float64 where it is no wider (Windows, macOS on arm64). The extra
bits serve the sums beyond |x| = 2, where the terms cancel; near 0 the
cancelling part is a constant computed once to 40 digits, so the kernel keeps
its accuracy there in either format (the tests run it both ways)."""


@_functools.lru_cache(maxsize=256)
def _kaf_terms(alphas: tuple, wide=None):
    r"""The kernel's constants in the working format ``wide`` (``_WIDE`` by
    default): gamma, the weights, per centre pair :math:`\pm d` (d = 1, 3)
    :math:`w = 2\gamma d`, :math:`c = e^{-\gamma d^2}` and the sum S and
    difference A of its two weights; and the values at 0 of the bracket and of
    its slope, :math:`K = \sum c S` and :math:`K' = \sum c w A`, computed at 40
    digits from the weights' exact values and rounded once: the pairs cancel
    there (by a factor of 146 for the default ELU fit), and the rounding of each
    product would be magnified by that."""
    import mpmath

    wide = _WIDE if wide is None else wide
    al = [_as_fraction(float(v)) for v in alphas]

    def mp(q: _Fraction):
        return mpmath.mpf(q.numerator) / q.denominator

    def rounded(v):   # a decimal string carries all of a long double's digits
        return wide(mpmath.nstr(v, 30, min_fixed=1, max_fixed=0))

    pairs = []
    with mpmath.workdps(40):
        g = mp(KAF_GAMMA)
        k0 = k1 = mpmath.mpf(0)
        for lo, hi in ((1, 2), (0, 3)):  # centres -1, 1 and -3, 3
            d = int(KAF_DICTIONARY[hi])
            c, w = mpmath.exp(-g * d * d), 2 * g * d
            total, diff = mp(al[hi] + al[lo]), mp(al[hi] - al[lo])
            k0 += c * total
            k1 += c * w * diff
            pairs.append(tuple(rounded(v) for v in (w, c, total, diff)))
        return (rounded(g), [rounded(mp(a)) for a in al], pairs, rounded(k0),
                rounded(k1))


def _sinhc(u):
    """sinh(u)/u, 1 at u = 0 (and for every u whose sinh rounds to u)."""
    zero = u == 0
    return _np.where(zero, 1, _np.sinh(u) / _np.where(zero, 1, u))


def _kaf(x, y, dy, alpha1: float, alpha2: float, alpha3: float, alpha4: float,
         wide=None) -> None:
    r""":math:`\sum_i \alpha_i e^{-\gamma (x - d_i)^2}` over the dictionary -3, -1, 1,
    3 with :math:`\gamma = 1/24`, and its slope, in the working format (long
    double, ``_WIDE``), rounded once.

    The weights may cancel (the default ELU fit has -5.7 and 7.8). Near 0, where
    a zero of f can lie at a tiny x (weights odd about 0 give f(0) = 0), each
    pair of centres :math:`\pm d` is combined as :math:`e^{-\gamma(x^2 + d^2)} (S
    \cosh u + A \sinh u)`, :math:`u = 2\gamma d x`, with S and A the sum and
    difference of its weights, and the bracket is split into its value at 0,
    :math:`K = \sum c S`, computed once to 40 digits (:func:`_kaf_terms`), an
    even part :math:`\sum c S (\cosh u - 1)` with :math:`\cosh u - 1 =
    2\sinh^2(u/2)`, and x times an odd part :math:`\sum c A w\,\sinh(u)/u`:
    neither part cancels, and x multiplies once, so the result keeps its
    relative accuracy down to the smallest subnormal x. The slope is split
    alike. Beyond :math:`|x| = 2` the terms are summed as they are (the cosh and
    sinh would cancel there). Every term vanishes in both tails: f(±inf) = 0;
    NaN stays NaN.
    """
    wide = _WIDE if wide is None else wide
    g, al, pairs, k0, k1 = _kaf_terms((alpha1, alpha2, alpha3, alpha4), wide)
    X = _np.clip(x.astype(wide), -1e4, 1e4)  # e^(-(1e4)^2 / 24) is 0 in any format
    near = _np.abs(X) <= 2
    e = _np.exp(-g * X * X)
    Xn = _np.where(near, X, 0)
    # near 0: the bracket K + even + x odd, its slope K' + d_even + x (d_odd - 2 g v)
    even, odd = _np.zeros_like(X), _np.zeros_like(X)
    d_even, d_odd = _np.zeros_like(X), _np.zeros_like(X)
    for w, c, S, A in pairs:
        u = w * Xn
        sc = _sinhc(u)
        chm1 = _np.sinh(u / 2)
        chm1 = 2 * chm1 * chm1                         # cosh u - 1
        even += (c * S) * chm1
        odd += (c * A * w) * sc
        d_even += (c * w * A) * chm1
        d_odd += (c * w * w * S) * sc
    v = (k0 + even) + Xn * odd
    s = (k1 + d_even) + Xn * (d_odd - 2 * g * v)
    # beyond: the terms
    far_v, far_s = _np.zeros_like(X), _np.zeros_like(X)
    for a_i, d_i in zip(al, KAF_DICTIONARY, strict=True):
        u = X - wide(d_i)
        t = a_i * _np.exp(-g * u * u)
        far_v += t
        far_s -= 2 * g * u * t
    if y is not None:
        _np.copyto(y, _np.where(near, e * v, far_v), casting="unsafe")
    if dy is not None:
        _np.copyto(dy, _np.where(near, e * s, far_s), casting="unsafe")


def _kaf_partial(i: int):
    def partial(x, alpha1, alpha2, alpha3, alpha4):
        r""":math:`\partial f/\partial \alpha_i = e^{-\gamma (x - d_i)^2}`."""
        X = _np.clip(x.astype(_WIDE), -1e4, 1e4)
        u = X - _WIDE(KAF_DICTIONARY[i])
        return _np.exp(-_kaf_terms((0.0,) * 4)[0] * u * u).astype(x.dtype)
    return partial


def _kaf_sym(x, alpha1, alpha2, alpha3, alpha4):
    g = _sp.Rational(KAF_GAMMA.numerator, KAF_GAMMA.denominator)
    return sum(a * _sp.exp(-g * (x - int(d)) ** 2)
               for a, d in zip((alpha1, alpha2, alpha3, alpha4), KAF_DICTIONARY,
                               strict=True))


kaf = _register(
    _Activation(
        "kaf",
        kernel=_kaf,
        sym=_kaf_sym,
        params={
            f"alpha{i + 1}": _Param(KAF_DEFAULTS[i], -8.0, 8.0,
                                   f"learnable weight of the Gaussian at "
                                   f"d = {KAF_DICTIONARY[i]:g} (default: the ridge "
                                   f"fit to ELU)", symbol=f"alpha_{i + 1}",
                                   learnable=True)
            for i in range(4)
        },
        partials={f"alpha{i + 1}": _kaf_partial(i) for i in range(4)},
    )
)

__all__ += ["kaf", "kaf_ridge_fit", "KAF_DICTIONARY", "KAF_GAMMA"]


# --- Activations that carry their own network (book/activations/adaptive/contextual)
# Not registry entries: each output depends on more of the input than one number.
# Small NumPy forward passes, for the page that shows why.


def _sigmoid(z: _np.ndarray) -> _np.ndarray:
    return 0.5 * (1.0 + _np.tanh(0.5 * z))


def frelu(x, kernel, scale=1.0, shift=0.0) -> _np.ndarray:
    r"""FReLU (Ma, Zhang & Sun 2020): :math:`\max(x, T(x))` for one channel, with
    :math:`T` a 3×3 convolution (zero padding, stride 1) followed by batch
    normalisation in inference form, ``scale * conv + shift``.

    ``x`` is an image (H, W), ``kernel`` a (3, 3) array. The funnel condition at a
    pixel depends on its eight neighbours, so FReLU is no function of one number.

    >>> import numpy as np
    >>> x = np.zeros((3, 3)); x[0, 0] = 1.0   # one bright corner pixel
    >>> k = np.full((3, 3), 1 / 9)             # a box blur
    >>> frelu(x, k)[1, 1] > 0                   # the centre sees its neighbour
    np.True_
    """
    x = _np.asarray(x, dtype=_np.float64)
    k = _np.asarray(kernel, dtype=_np.float64)
    if x.ndim != 2 or k.shape != (3, 3):
        raise ValueError("frelu: x must be (H, W) and kernel (3, 3)")
    p = _np.pad(x, 1)
    h, w = x.shape
    conv = sum(k[i, j] * p[i:i + h, j:j + w] for i in range(3) for j in range(3))
    return _np.maximum(x, scale * conv + shift)


def dynamic_relu(x, w1, w2, lambda_a=1.0, lambda_b=0.5) -> _np.ndarray:
    r"""Dynamic ReLU, channel-wise (DY-ReLU-B of Chen et al. 2020) with K = 2:
    :math:`y_c = \max_k (a_c^k x_c + b_c^k)`, the coefficients from a hyper-network
    on the input's global average.

    ``x`` is (C, N): C channels of N positions. The hyper-network is
    :math:`\theta = 2\sigma(W_2 \operatorname{ReLU}(W_1 \bar x)) - 1`, ``w1`` of
    shape (R, C) and ``w2`` of shape (4C, R); its four outputs per channel set
    :math:`a^1 = 1 + \lambda_a \theta_1`, :math:`a^2 = \lambda_a \theta_2`,
    :math:`b^k = \lambda_b \theta_{2+k}` (the paper's initial ReLU, :math:`a^1 = 1`,
    and its :math:`\lambda_a = 1`, :math:`\lambda_b = 0.5`). With zero weights it
    is ReLU.

    >>> import numpy as np
    >>> x = np.array([[-1.0, 2.0]])
    >>> dynamic_relu(x, np.zeros((1, 1)), np.zeros((4, 1))).tolist()  # theta = 0
    [[0.0, 2.0]]
    """
    x = _np.asarray(x, dtype=_np.float64)
    c = x.shape[0]
    theta = 2.0 * _sigmoid(_np.asarray(w2) @ _np.maximum(
        _np.asarray(w1) @ x.mean(axis=1), 0.0)) - 1.0
    theta = theta.reshape(c, 4)
    a1 = 1.0 + lambda_a * theta[:, 0:1]
    a2 = lambda_a * theta[:, 1:2]
    b1, b2 = lambda_b * theta[:, 2:3], lambda_b * theta[:, 3:4]
    return _np.maximum(a1 * x + b1, a2 * x + b2)


def meta_acon(x, w1, w2, p1=1.0, p2=0.0) -> _np.ndarray:
    r"""Meta-ACON (Ma et al. 2021): ACON-C,
    :math:`(p_1 - p_2) x\, \sigma(\beta (p_1 - p_2) x) + p_2 x`, with the switching
    factor :math:`\beta_c = \sigma(W_2 W_1 \bar x)` of each channel predicted from
    the channel means of the input.

    ``x`` is (C, N); ``w1`` (R, C), ``w2`` (C, R). With :math:`p_1 = 1`,
    :math:`p_2 = 0` ACON-C is Swish with a learned :math:`\beta`.

    >>> import numpy as np
    >>> x = np.array([[0.0, 1.0]])   # beta = sigmoid(0) = 1/2 with zero weights
    >>> meta_acon(x, np.zeros((1, 1)), np.zeros((1, 1))).round(4).tolist()
    [[0.0, 0.6225]]
    """
    x = _np.asarray(x, dtype=_np.float64)
    beta = _sigmoid(_np.asarray(w2) @ (_np.asarray(w1) @ x.mean(axis=1)))[:, None]
    dp = p1 - p2
    return dp * x * _sigmoid(beta * dp * x) + p2 * x


def depends_on_neighbours(op, x, at, change, delta=1.0) -> bool:
    """Whether ``op(x)`` at index ``at`` changes when only ``x[change]`` (another
    index) changes by ``delta``: never, for an activation of one number.

    >>> import numpy as np
    >>> depends_on_neighbours(np.tanh, np.zeros(3), 0, 2)
    False
    """
    x = _np.array(x, dtype=_np.float64)
    moved = x.copy()
    moved[change] += delta
    return bool(op(x)[at] != op(moved)[at])


__all__ += ["frelu", "dynamic_relu", "meta_acon", "depends_on_neighbours"]
