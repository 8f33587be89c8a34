"""Properties of an activation, computed from the registry (never typed in).

Limits, smoothness and saturation come from SymPy; the extremes, monotonicity and
the mean output under a standard normal input come from the numeric function.

The range and monotonicity are those of the mathematical function, not of its
floating-point values: a bound counts as attained, and a zero slope as flat, only
where the exact expression, evaluated at high precision, equals it. (In float64
``1 - exp(-exp(x))`` rounds to 1 from x = 3.7 on and its slope underflows to 0,
but log-log never reaches 1 and is strictly increasing.)
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from . import symbolic
from .kinds import generic
from .registry import Activation, get

__all__ = ["Properties", "properties"]

_SPAN = 8.0
"""Extremes are searched on [-8, 8]; beyond it the SymPy limits take over."""


class Record:
    """What a properties record of either kind shares: its range, from the fields
    ``range_low``, ``range_high``, ``low_attained`` and ``high_attained`` (of each
    output, for a vector activation), and its display as a two-column table of
    ``items()``.

    >>> print(repr(properties("relu6")).splitlines()[0].strip())
    range: [0, 6]
    """

    def items(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self.items()
        )
        return f"<table class='properties'>{rows}</table>"

    def __repr__(self) -> str:
        width = max(len(k) for k, _ in self.items())
        return "\n".join(f"{k:>{width}}: {v}" for k, v in self.items())

    @property
    def bounded_below(self) -> bool:
        return math.isfinite(self.range_low)

    @property
    def bounded_above(self) -> bool:
        return math.isfinite(self.range_high)

    @property
    def range(self) -> str:
        """The range as an interval, e.g. ``(0, 1)`` or ``[-0.17, inf)``.

        >>> properties("relu6").range, properties("leaky_relu").range
        ('[0, 6]', '(-∞, ∞)')
        """
        lo = "[" if self.low_attained else "("
        hi = "]" if self.high_attained else ")"
        return f"{lo}{_num(self.range_low)}, {_num(self.range_high)}{hi}"


@dataclass(frozen=True, repr=False)  # the display is Record's
class Properties(Record):
    """What :func:`properties` found; displays as a table in a notebook.

    >>> p = properties("relu")  # mean of max(z, 0), z ~ N(0, 1): 1/sqrt(2 pi)
    >>> p.range, p.monotonic, p.smoothness, round(p.mean_normal, 4)
    ('[0, ∞)', 'non-decreasing', 'C^0', 0.3989)
    """

    name: str
    params: dict[str, float]
    range_low: float
    range_high: float
    low_attained: bool
    high_attained: bool
    monotonic: str
    smoothness: str
    zero_centred: bool
    mean_normal: float
    saturates_left: bool
    saturates_right: bool
    f0: float
    df0: float

    def items(self) -> list[tuple[str, str]]:
        side = {(True, True): "both sides", (True, False): "left",
                (False, True): "right", (False, False): "no"}
        return [
            ("range", self.range),
            ("bounded below / above",
             f"{_yes(self.bounded_below)} / {_yes(self.bounded_above)}"),
            ("monotonic", self.monotonic),
            ("smoothness", self.smoothness),
            ("zero-centred", _yes(self.zero_centred)),
            ("mean output for x ~ N(0, 1)", f"{self.mean_normal:.4g}"),
            ("saturates (f′ → 0)", side[(self.saturates_left, self.saturates_right)]),
            ("f(0)", _num(self.f0)),
            ("f′(0)", _num(self.df0)),
        ]


def _yes(b: bool) -> str:
    return "yes" if b else "no"


def _num(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return f"{v:.4g}"


@generic
def properties(activation: str | Activation, **params: Any) -> Properties:
    """Compute the properties of an elementwise activation at ``params``.

    An activation of another kind gets its kind's own (:mod:`activations.kinds`).

    >>> p = properties("hard_tanh")  # clip(x, -1, 1): flat beyond -1 and 1
    >>> p.range, p.f0, p.df0, p.saturates_left, p.saturates_right
    ('[-1, 1]', 0.0, 1.0, True, True)
    """
    a = get(activation)
    p = a.bind(params)
    expr = a.expr(**p)
    lim_lo, lim_hi = symbolic.limits(expr)
    dlim_lo, dlim_hi = (math.nan if isinstance(v, sp.AccumBounds) else float(v)
                        for v in symbolic.derivative_limits(a, **p))

    # The grid, with every kink and a point either side of it: a piecewise function
    # whose pieces join outside [-8, 8] (the hard sigmoid at slope 0.05 is flat
    # beyond -10 and 10) still shows its flat parts and its attained bounds.
    kinks = [k for k in a.kink_points(**p) if math.isfinite(k)]
    xs = np.unique(np.concatenate([np.linspace(-_SPAN, _SPAN, 16001),
                                   [k + d for k in kinks for d in (-1.0, 0.0, 1.0)]]))
    ys = a(xs, **p)
    low, low_hit = _extreme(a, p, xs, ys, lim_lo, lim_hi, np.argmin, 1.0, expr)
    high, high_hit = _extreme(a, p, xs, ys, lim_lo, lim_hi, np.argmax, -1.0, expr)

    ds = a.derivative(xs, **p)
    monotonic = _monotonic(ds, xs, symbolic.derivative(a, **p))
    if monotonic != "no" and not _jumps_agree(a, expr, p, monotonic):
        monotonic = "no"

    mean = _normal_mean(a, p)
    return Properties(
        name=a.name,
        params=p,
        range_low=low,
        range_high=high,
        low_attained=low_hit,
        high_attained=high_hit,
        monotonic=monotonic,
        smoothness=_smoothness(a, expr, p),
        zero_centred=abs(mean) < 1e-9,
        mean_normal=mean,
        saturates_left=dlim_lo == 0,
        saturates_right=dlim_hi == 0,
        f0=float(a(0.0, **p)),
        df0=float(a.derivative(0.0, **p)),
    )


def _monotonic(ds: np.ndarray, xs: np.ndarray, slope: sp.Expr) -> str:
    """From f' on a dense grid: a zero slope on more than one point means flat parts.

    A zero counts only where the exact ``slope`` is 0 there: a slope that merely
    underflows (log-log's far right) leaves the function strictly monotonic.
    """
    for sign, word in ((1, "increasing"), (-1, "decreasing")):
        s = sign * ds
        if np.all(s >= 0):
            flat = _exact_hits(slope, 0, xs[s == 0], enough=2) > 1
            weak = "non-" + ("decreasing" if sign > 0 else "increasing")
            return weak if flat else f"strictly {word}"
    return "no"


_DIGITS = 50
"""Working precision of the exact checks; the expression minus its target is
folded into the branches first, so 1 - exp(-exp(8)) - 1 is -exp(-exp(8)), which
no precision rounds to 0."""

_CONFIRM_DIGITS = 1000
"""A zero found at ``_DIGITS`` is confirmed at this precision: a tail that is not
folded away, such as ``1/2 - erf(-18.3)/2 - 1`` (Laplace's gate at x = 8, about
1e-147 short of 1), vanishes at 50 digits but not at 1000."""


_SAMPLE = 32
"""At most this many of the candidate points are checked exactly, spread evenly
from the one nearest the origin to the farthest: a flat part or an attained bound
covers an interval of the grid, not isolated points."""


def _exact_hits(expr: sp.Expr, target: Any, points: np.ndarray, enough: int) -> int:
    """How many of ``points`` (counted up to ``enough``, nearest the origin first)
    at which ``expr - target`` is exactly 0, evaluated with mpmath."""
    if points.size == 0:
        return 0
    points = points[np.argsort(np.abs(points), kind="stable")]
    points = points[np.unique(np.linspace(0, points.size - 1, _SAMPLE).astype(int))]
    diff = sp.piecewise_fold(expr - target)
    if diff.is_zero:
        return min(points.size, enough)
    import mpmath

    try:
        f = sp.lambdify(symbolic.x, diff, modules="mpmath")
    except Exception:  # noqa: BLE001 - an expression mpmath cannot take: trust the floats
        return min(points.size, enough)
    hits = 0
    with mpmath.workdps(_DIGITS):
        for t in points:
            try:
                value = f(mpmath.mpf(float(t)))
            except (TypeError, ValueError, ZeroDivisionError):
                hits += 1  # undefined in mpmath (a removable point): trust the float
            else:
                if value == 0:
                    with mpmath.workdps(_CONFIRM_DIGITS):
                        value = f(mpmath.mpf(float(t)))
                hits += value == 0
            if hits >= enough:
                break
    return hits


def _jumps_agree(a: Activation, expr: sp.Expr, p: dict, monotonic: str) -> bool:
    """f' sees no jump: a step down (threshold with value > threshold) breaks
    "non-decreasing" although f' >= 0 wherever it exists."""
    up = monotonic in ("strictly increasing", "non-decreasing")
    for at in a.kink_points(**p):
        at_x = symbolic.exact(at)
        left, right = symbolic.one_sided(expr, at_x)
        mid = expr.subs(symbolic.x, at_x)
        steps = [float(mid - left), float(right - mid)]
        # a float-located kink (maxsig's) shows steps of one Float rounding error
        tol = 1e-14 * max(1.0, abs(float(mid)))
        if any((s < -tol) if up else (s > tol) for s in steps):
            return False
    return True


def _extreme(a, p, xs, ys, lim_lo, lim_hi, pick, sign, expr):
    """Infimum (sign=1) or supremum (sign=-1) of f over the reals, and if attained.

    A limit SymPy gives as ``AccumBounds(lo, hi)`` (sin x at infinity: no limit,
    the values keep sweeping [lo, hi]) counts with both its ends.
    """
    ends = [float(e) for v in (lim_lo, lim_hi)
            for e in ((v.min, v.max) if isinstance(v, sp.AccumBounds) else (v,))]
    oscillates = any(isinstance(v, sp.AccumBounds) for v in (lim_lo, lim_hi))
    limit = min(ends) if sign > 0 else max(ends)
    i = int(pick(ys))
    best = float(ys[i])
    def refined() -> float:
        """``sign`` times the extreme that Brent's method finds near the grid's."""
        # imported here: most activations take their extremes at the ends, and
        # SciPy's optimisers add a third of a second to every page importing this
        from scipy import optimize

        return float(optimize.minimize_scalar(
            lambda t: sign * float(a(t, **p)), bracket=(xs[i - 1], xs[i], xs[i + 1])
        ).fun)

    if sign * (best - limit) < -1e-12 and 0 < i < len(xs) - 1:
        return sign * refined(), True
    if oscillates and 0 < i < len(xs) - 1:
        # An oscillation returns to its bound on every period; it is attained if
        # the grid's extreme refines onto it (sin x reaches 1 at pi/2).
        return limit, bool(abs(sign * refined() - limit) <= 1e-12)
    # The limit is the bound; it is attained only if f equals it at a finite point,
    # exactly: a value that only rounds to it (log-log's 1) does not count.
    if math.isinf(limit):
        return limit, False
    target = next(e for v in (lim_lo, lim_hi)
                  for e in ((v.min, v.max) if isinstance(v, sp.AccumBounds) else (v,))
                  if float(e) == limit)
    return limit, _exact_hits(expr, target, xs[ys == limit], enough=1) > 0


_GAUSS_NODES, _GAUSS_WEIGHTS = np.polynomial.legendre.leggauss(256)


def _normal_mean(a: Activation, p: dict) -> float:
    """E[f(Z)] for Z ~ N(0, 1): Gauss-Legendre quadrature on [-12, 12], split at the
    kinks so that every piece is smooth (the weight is below 1e-31 beyond 12), and
    at 0, where many change form without a kink (Hard Mish's second derivative
    jumps there: one piece across it was off by 1.6e-7).

    256 nodes a piece agree with adaptive quadrature (``scipy.integrate.quad``) to
    within 5e-15 for every activation, at a thirtieth of its time.
    """
    cuts = sorted({-12.0, 0.0, *a.kink_points(**p), 12.0})
    total = 0.0
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        t = 0.5 * (hi - lo) * _GAUSS_NODES + 0.5 * (hi + lo)
        total += 0.5 * (hi - lo) * float(
            np.sum(_GAUSS_WEIGHTS * a(t, **p) * np.exp(-0.5 * t * t)))
    return total / math.sqrt(2 * math.pi)


def _jumps(left: sp.Expr, right: sp.Expr) -> bool:
    """Whether two one-sided limits differ.

    A kink at an irrational crossing (max(x, sigmoid x) at x = sigmoid(x)) is
    located by a float; the two branches evaluated there differ by a rounding
    error of SymPy's Float arithmetic, which is not a jump.
    """
    d = sp.simplify(left - right)
    if d == 0:
        return False
    if d.has(sp.Float) and d.is_number and d.is_finite:
        return abs(float(d)) > 1e-14 * max(1.0, abs(float(left)))
    return True


def _breakpoints(expr: sp.Expr) -> list[float]:
    """Where a Piecewise of x switches branch at a number (``x < 0``, ``x >= 1``),
    kink or not: a branch point where f' is continuous may still break f''."""
    x = symbolic.x
    out = set()
    for pw in expr.atoms(sp.Piecewise):
        for _, cond in pw.args:
            rels = ([cond] if isinstance(cond, sp.core.relational.Relational)
                    else list(cond.atoms(sp.core.relational.Relational)))
            for r in rels:
                if isinstance(r, (sp.Eq, sp.Ne)):
                    continue
                for side, other in ((r.lhs, r.rhs), (r.rhs, r.lhs)):
                    if side == x and other.is_number:
                        out.add(float(other))
    return sorted(out)


def _smoothness(a: Activation, expr: sp.Expr, p: dict) -> str:
    """C^k: how many derivatives stay continuous across every kink and branch
    point of the expression (C^∞ if there are none, or none breaks)."""
    points = sorted(set(a.kink_points(**p)) | set(_breakpoints(expr)))
    if not points:
        return "C^∞"
    x = symbolic.x
    e = expr
    for k in range(0, 8):
        for at in points:
            left, right = symbolic.one_sided(e, symbolic.exact(at))
            if _jumps(left, right):
                # C^-1: the usual name for piecewise continuous with jumps
                return "C^-1 (discontinuous)" if k == 0 else f"C^{k - 1}"
        e = sp.diff(e, x)
    return "C^7 or smoother" if a.kinks else "C^∞"
