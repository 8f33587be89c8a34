"""Check an activation three ways: SymPy vs ``src`` vs finite differences.

The reference is the SymPy expression evaluated by mpmath at 50 significant digits.
Errors of values and derivatives are measured in *condition-scaled ULP*:

.. math::

    \\frac{|\\hat g(x) - g(x)|}{\\varepsilon\\,(|g(x)| + |x\\,g'(x)|)}

an error that rounding the input or the output once would explain counts as at most
one unit. Finite differences are an independent, looser check of the derivative.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from . import symbolic
from .registry import Activation, get

__all__ = ["Check", "Report", "VerificationError", "grid", "verify", "ULP_TOLERANCE"]

ULP_TOLERANCE = 4.0
"""Largest condition-scaled ULP error accepted for values and derivatives."""
FD_TOLERANCE = 1e-6
"""Largest scaled error accepted between central differences and ``derivative``."""


class VerificationError(AssertionError):
    """A derivative or value disagrees with its reference beyond tolerance."""


@dataclass(frozen=True)
class Check:
    """One comparison over a grid: the worst error, where, and whether it passed."""

    what: str
    params: dict[str, float]
    error: float
    tolerance: float
    unit: str
    worst_x: float
    points: int

    @property
    def passed(self) -> bool:
        return bool(self.error <= self.tolerance)


@dataclass
class Report:
    """The checks of one activation; displays as a table in a notebook."""

    name: str
    dtype: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def raise_for_failures(self) -> Report:
        if self.failures:
            lines = "\n".join(_row_text(c) for c in self.failures)
            raise VerificationError(f"{self.name} ({self.dtype}) failed:\n{lines}")
        return self

    def _rows(self) -> list[list[str]]:
        return [
            [
                c.what,
                _fmt_params(c.params),
                f"{c.points}",
                f"{c.error:.3g} {c.unit}",
                f"{c.tolerance:.3g} {c.unit}",
                f"{c.worst_x:.4g}",
                "pass" if c.passed else "FAIL",
            ]
            for c in self.checks
        ]

    _HEAD = ("check", "parameters", "points", "worst error", "tolerance", "at x", "")

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in self._HEAD)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
            for row in self._rows()
        )
        caption = (
            f"<caption>{html.escape(self.name)}, {self.dtype}: "
            f"{'all checks pass' if self.passed else 'FAILURES'}</caption>"
        )
        return f"<table class='verify-report'>{caption}<tr>{head}</tr>{body}</table>"

    def __repr__(self) -> str:
        lines = [f"{self.name} ({self.dtype})"] + [_row_text(c) for c in self.checks]
        return "\n".join(lines)


def _fmt_params(p: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in p.items()) or "-"


def _row_text(c: Check) -> str:
    return (
        f"  {'ok ' if c.passed else 'BAD'} {c.what} [{_fmt_params(c.params)}]: "
        f"{c.error:.3g} {c.unit} (tolerance {c.tolerance:g}) at x={c.worst_x:.6g}"
    )


def grid(activation: str | Activation, **params: float) -> np.ndarray:
    """Test points: a dense core, both tails out to 1e4, and points beside each kink.

    The kinks themselves (at ``params``, defaults otherwise) are left out: their
    convention is checked on its own.
    """
    a = get(activation)
    mags = np.logspace(-10, 4, 57)
    pts = [np.linspace(-8, 8, 161), mags, -mags]
    kinks = np.array(a.kink_points(**params))
    for at in kinks:
        pts.append(at + np.array([-1e-3, -1e-6, -1e-9, 1e-9, 1e-6, 1e-3]))
    g = np.unique(np.concatenate(pts))
    if kinks.size:
        g = g[np.min(np.abs(g[:, None] - kinks[None, :]), axis=1) > 0]
    return g


def param_sets(activation: str | Activation) -> list[dict[str, float]]:
    """The defaults, then each parameter at its range ends and midpoint."""
    a = get(activation)
    base = {k: p.default for k, p in a.params.items()}
    sets = [base]
    for k, p in a.params.items():
        for v in (p.low, p.high, (p.low + p.high) / 2):
            if math.isfinite(v) and v != p.default:
                sets.append({**base, k: v})
    return sets


def _mp_func(expr: sp.Expr):
    """Evaluate ``expr`` with mpmath, raising the precision until two agree.

    Naive formulas cancel in the tails (1 + erf(-12) needs 70 digits, 1 - tanh(x)^2
    at x = -100 needs 90): the working precision doubles until successive results
    agree to 25 digits, or until, at 480 digits or more, both are far below the
    smallest float (the true value underflows).
    """
    f = sp.lambdify(symbolic.x, expr, modules="mpmath")

    def at(t: float) -> mpmath.mpf:
        prev = None
        for dps in _PRECISIONS:
            with mpmath.workdps(dps):
                val = mpmath.mpf(f(mpmath.mpf(float(t))))
            if prev is not None:
                if val != 0 and abs(val - prev) <= abs(val) * _AGREE:
                    return val
                # A zero may be cancellation; trust it once the precision is
                # high enough that any float64-sized result would have shown.
                if dps >= 480 and max(abs(val), abs(prev)) < _NEGLIGIBLE:
                    return val
            prev = val
        raise VerificationError(f"no stable reference value of {expr} at x={t}")

    return at


_PRECISIONS = (30, 60, 120, 240, 480, 960, 1920)
_NEGLIGIBLE = mpmath.mpf(10) ** -400
_AGREE = mpmath.mpf(10) ** -25


def _scaled_ulp(got, ref, dref, xs, eps, tiny) -> np.ndarray:
    out = np.empty(len(xs))
    for i, (g, r, dr, t) in enumerate(zip(got, ref, dref, xs, strict=True)):
        if math.isnan(float(g)):
            out[i] = math.inf
            continue
        err = abs(mpmath.mpf(float(g)) - r)
        scale = eps * (abs(r) + abs(mpmath.mpf(float(t)) * dr))
        out[i] = float(err / max(scale, tiny))
    return out


def _worst(errors: np.ndarray, xs: np.ndarray) -> tuple[float, float]:
    i = int(np.argmax(errors))
    return float(errors[i]), float(xs[i])


def verify(
    activation: str | Activation,
    *,
    dtype: Any = np.float64,
    params: list[dict[str, float]] | None = None,
    raise_on_failure: bool = True,
) -> Report:
    """Compare SymPy, ``src`` and finite differences; raise if any check fails.

    For every parameter set (default: :func:`param_sets`) the report holds: the
    value against SymPy, the derivative against SymPy (both in condition-scaled
    ULP), the derivative against central finite differences of the ``src`` value,
    and, at each kink, the returned value against the declared convention (which
    must be one of the one-sided derivatives SymPy finds).
    """
    a = get(activation)
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.smallest_subnormal)
    report = Report(a.name, dtype.name)
    with mpmath.workdps(_PRECISIONS[-1]):
        for p in params or param_sets(a):
            xs = grid(a, **p).astype(dtype)
            xs = np.unique(xs[np.isfinite(xs)])
            _check_params(a, p, xs, dtype, eps, tiny, report)
    if raise_on_failure:
        report.raise_for_failures()
    return report


def _check_params(a: Activation, p: dict, xs, dtype, eps, tiny, report: Report):
    """Append the checks of one parameter set to ``report``."""
    f = a.expr(**p)
    d1 = sp.diff(f, symbolic.x)
    d2 = sp.diff(d1, symbolic.x)
    f_mp, d1_mp, d2_mp = (_mp_func(e) for e in (f, d1, d2))
    ref_f = [f_mp(t) for t in xs]
    ref_d1 = [d1_mp(t) for t in xs]
    ref_d2 = [d2_mp(t) for t in xs]

    err, at = _worst(_scaled_ulp(a(xs, **p), ref_f, ref_d1, xs, eps, tiny), xs)
    report.checks.append(Check("f: src vs SymPy", p, err, ULP_TOLERANCE, "ulp*",
                               at, len(xs)))
    got = a.derivative(xs, **p)
    err, at = _worst(_scaled_ulp(got, ref_d1, ref_d2, xs, eps, tiny), xs)
    report.checks.append(Check("f': src vs SymPy", p, err, ULP_TOLERANCE, "ulp*",
                               at, len(xs)))
    err, at = _finite_difference_error(a, p, xs.astype(np.float64))
    report.checks.append(Check("f': src vs finite differences", p, err,
                               FD_TOLERANCE, "rel", at, len(xs)))
    for k in a.kinks:
        report.checks.append(_kink_check(a, k, p, d1, dtype))


def _finite_difference_error(a: Activation, p: dict, xs: np.ndarray):
    kinks = np.array(a.kink_points(**p) or [np.inf])
    dist = np.min(np.abs(xs[:, None] - kinks[None, :]), axis=1)
    h = np.minimum(np.cbrt(np.finfo(np.float64).eps) * np.maximum(1, np.abs(xs)),
                   dist / 2)
    hi, lo = xs + h, xs - h
    fd = (a(hi, **p) - a(lo, **p)) / (hi - lo)
    d = a.derivative(xs, **p)
    noise = np.abs(a(xs, **p)) / np.maximum(1, np.abs(xs))
    err = np.abs(fd - d) / (np.abs(d) + noise + 1e-12)
    return _worst(err, xs)


def _kink_check(a: Activation, k, p: dict, d1: sp.Expr, dtype) -> Check:
    bound = a.bind(p)
    at = k.where(**bound)
    declared = float(np.asarray(k.value(**bound), dtype=dtype))
    got = float(a.derivative(np.array(at, dtype=dtype), **p))
    sides = {float(np.asarray(float(v), dtype=dtype))
             for v in symbolic.one_sided(d1, symbolic.exact(at))}
    ok = got == declared and declared in sides
    return Check(f"f'({at:g}) = convention {declared:g}", p,
                 0.0 if ok else math.inf, 0.0, "", at, 1)
