"""Properties of an activation, computed from the registry (never typed in).

Limits, smoothness and saturation come from SymPy; the extremes, monotonicity and
the mean output under a standard normal input come from the numeric function.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate, optimize

from . import symbolic
from .registry import Activation, get

__all__ = ["Properties", "properties"]

_SPAN = 8.0
"""Extremes are searched on [-8, 8]; beyond it the SymPy limits take over."""


@dataclass(frozen=True)
class Properties:
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

    @property
    def bounded_below(self) -> bool:
        return math.isfinite(self.range_low)

    @property
    def bounded_above(self) -> bool:
        return math.isfinite(self.range_high)

    @property
    def range(self) -> str:
        """The range as an interval, e.g. ``(0, 1)`` or ``[-0.17, inf)``."""
        lo = "[" if self.low_attained else "("
        hi = "]" if self.high_attained else ")"
        return f"{lo}{_num(self.range_low)}, {_num(self.range_high)}{hi}"

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

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self.items()
        )
        return f"<table class='properties'>{rows}</table>"

    def __repr__(self) -> str:
        return "\n".join(f"{k:>28}: {v}" for k, v in self.items())


def _yes(b: bool) -> str:
    return "yes" if b else "no"


def _num(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return f"{v:.4g}"


def properties(activation: str | Activation, **params: Any) -> Properties:
    """Compute the properties of an elementwise activation at ``params``."""
    a = get(activation)
    p = a.bind(params)
    expr = a.expr(**p)
    lim_lo, lim_hi = (float(v) for v in symbolic.limits(expr))
    dlim_lo, dlim_hi = (float(v) for v in symbolic.derivative_limits(a, **p))

    xs = np.linspace(-_SPAN, _SPAN, 16001)
    ys = a(xs, **p)
    low, low_hit = _extreme(a, p, xs, ys, lim_lo, lim_hi, np.argmin, 1.0)
    high, high_hit = _extreme(a, p, xs, ys, lim_lo, lim_hi, np.argmax, -1.0)

    ds = a.derivative(xs, **p)
    monotonic = _monotonic(ds)

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


def _monotonic(ds: np.ndarray) -> str:
    """From f' on a dense grid: a zero slope on more than one point means flat parts."""
    for sign, word in ((1, "increasing"), (-1, "decreasing")):
        s = sign * ds
        if np.all(s >= 0):
            flat = np.count_nonzero(s == 0) > 1
            weak = "non-" + ("decreasing" if sign > 0 else "increasing")
            return weak if flat else f"strictly {word}"
    return "no"


def _extreme(a, p, xs, ys, lim_lo, lim_hi, pick, sign):
    """Infimum (sign=1) or supremum (sign=-1) of f over the reals, and if attained."""
    limit = min(lim_lo, lim_hi) if sign > 0 else max(lim_lo, lim_hi)
    i = int(pick(ys))
    best = float(ys[i])
    if sign * (best - limit) < -1e-12 and 0 < i < len(xs) - 1:
        res = optimize.minimize_scalar(
            lambda t: sign * float(a(t, **p)), bracket=(xs[i - 1], xs[i], xs[i + 1])
        )
        return float(sign * res.fun), True
    # The limit is the bound; it is attained only if f equals it at a finite point.
    return limit, bool(np.any(ys == limit))


def _normal_mean(a: Activation, p: dict) -> float:
    """E[f(Z)] for Z ~ N(0, 1), by quadrature split at the kinks."""
    def integrand(t):
        return float(a(t, **p)) * math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)

    cuts = sorted({-12.0, *a.kink_points(**p), 12.0})
    return float(sum(integrate.quad(integrand, lo, hi, epsabs=1e-13)[0]
                     for lo, hi in zip(cuts, cuts[1:], strict=False)))


def _smoothness(a: Activation, expr: sp.Expr, p: dict) -> str:
    """C^k: how many derivatives stay continuous across every kink (C^∞ if none)."""
    if not a.kinks:
        return "C^∞"
    x = symbolic.x
    e = expr
    for k in range(0, 8):
        for at in a.kink_points(**p):
            left, right = symbolic.one_sided(e, symbolic.exact(at))
            if sp.simplify(left - right) != 0:
                return "discontinuous" if k == 0 else f"C^{k - 1}"
        e = sp.diff(e, x)
    return "C^7 or smoother"
