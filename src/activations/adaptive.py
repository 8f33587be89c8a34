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
