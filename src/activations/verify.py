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

__all__ = ["Check", "Report", "VerificationError", "grid", "verify", "verify_vector",
           "ULP_TOLERANCE"]

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

    Agreement alone can deceive: in log(1 + e^x) at x = -178 the term e^x vanishes
    next to 1 at 30 and at 60 digits alike, and both give the same wrong answer.
    So the first precision already keeps e^-|x| beside 1 (up to |x| = 750, beyond
    which such a term is below the smallest float).
    """
    f = sp.lambdify(symbolic.x, expr, modules="mpmath")

    def at(t: float) -> mpmath.mpf:
        prev = None
        start = _PRECISIONS[0] + math.ceil(min(abs(float(t)), 750.0) / math.log(10))
        for dps in (start * 2**k for k in range(len(_PRECISIONS))):
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
    # Beyond this magnitude round-to-nearest gives inf (max + half an ulp).
    huge = mpmath.mpf(float(np.finfo(np.asarray(got).dtype).max)) * (1 + eps / 4)
    for i, (g, r, dr, t) in enumerate(zip(got, ref, dref, xs, strict=True)):
        if math.isnan(float(g)):
            out[i] = math.inf
            continue
        if math.isinf(float(g)) and abs(r) >= huge and (g > 0) == (r > 0):
            out[i] = 0.0  # inf is the correctly rounded result (exp(1e4))
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
    must lie between the one-sided derivatives SymPy finds).

    A vector-valued activation (``elementwise`` False) is checked by
    :func:`verify_vector` instead.
    """
    a = get(activation)
    if not a.elementwise:
        return verify_vector(a, dtype=dtype, params=params,
                             raise_on_failure=raise_on_failure)
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.smallest_subnormal)
    report = Report(a.name, dtype.name)
    with mpmath.workdps(_PRECISIONS[-1]):
        for p in params or param_sets(a):
            xs = grid(a, **p).astype(dtype)
            xs = np.unique(xs[np.isfinite(xs)])
            # Points beside a kink can round onto it in float32 (0.5 + 1e-9).
            xs = xs[~np.isin(xs, np.array(a.kink_points(**p), dtype=dtype))]
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
    # No difference quotient where f overflows (exp beyond 709.78).
    ok = np.isfinite(a(xs + h, **p)) & np.isfinite(a(xs - h, **p))
    xs, h = xs[ok], h[ok]

    def central(step):
        hi, lo = xs + step, xs - step
        return (a(hi, **p) - a(lo, **p)) / (hi - lo)

    fd = central(h)
    # Richardson's extrapolation cancels the truncation term h^2 f'''(x) / 6, which
    # dominates where f' is 0 but f''' is not (x - tanh x at 0) or where f''' is
    # as large as f' far out (exp at 500); the better of the two estimates counts.
    fd_r = (4 * central(h / 2) - fd) / 3
    d = a.derivative(xs, **p)
    noise = np.abs(a(xs, **p)) / np.maximum(1, np.abs(xs))
    scale = np.abs(d) + noise + 1e-12
    err = np.minimum(np.abs(fd - d), np.abs(fd_r - d)) / scale
    return _worst(err, xs)


def _kink_check(a: Activation, k, p: dict, d1: sp.Expr, dtype) -> Check:
    bound = a.bind(p)
    at = k.where(**bound)
    declared = float(np.asarray(k.value(**bound), dtype=dtype))
    got = float(a.derivative(np.array(at, dtype=dtype), **p))
    sides = [float(np.asarray(float(v), dtype=dtype))
             for v in symbolic.one_sided(d1, symbolic.exact(at))]
    # A one-sided derivative or a value between the two (a Clarke subgradient,
    # such as PyTorch's sign(0) = 0 for |x|), nothing outside them.
    ok = got == declared and min(sides) <= declared <= max(sides)
    return Check(f"f'({at:g}) = convention {declared:g}", p,
                 0.0 if ok else math.inf, 0.0, "", at, 1)


# --- vector-valued activations ------------------------------------------------------
# A vector activation y = f(x), x of length n, y of length m, is checked entry by
# entry against SymPy: the values y_i, the Jacobian J_ij = dy_i/dx_j and the
# vector-Jacobian product (g^T J)_j, each in condition-scaled ULP, with the
# componentwise condition number (rounding every input once):
#   y_i:        eps (|y_i| + sum_j |x_j J_ij|)
#   J_ij:       eps (|J_ij| + sum_k |x_k H_ijk|),   H_ijk = d^2 y_i / dx_j dx_k
#   (g^T J)_j:  eps sum_i |g_i| (|J_ij| + sum_k |x_k H_ijk|)
# and the Jacobian also against central differences of the src forward pass.

VECTOR_SCALES = (1.0, 10.0, 100.0, 1e4)
"""Standard deviations of the random test vectors (two of each per size)."""


def vector_sizes(activation: str | Activation, **params: float) -> list[int]:
    """Up to three valid input lengths from 2 to 6 (the smallest valid one if none)."""
    a = get(activation)
    sizes = [n for n in range(2, 7) if _valid_n(a, n, params)][:3]
    return sizes or [next(n for n in range(2, 65) if _valid_n(a, n, params))]


def _valid_n(a, n: int, params: dict) -> bool:
    try:
        a.out_len(n, **params)
    except ValueError:
        return False
    return True


def vector_param_sets(activation: str | Activation) -> list[dict[str, float]]:
    """The defaults, then each parameter at its range ends and (rounded) midpoint."""
    a = get(activation)
    sets = []
    for p in param_sets(a):
        ints = getattr(a, "integers", ())
        q = {k: (round(v) if k in ints else v) for k, v in p.items()}
        if q not in sets:
            sets.append(q)
    return sets


def vector_points(n: int, seed: int = 0) -> np.ndarray:
    """Test vectors of length n: two random normal vectors at each of
    :data:`VECTOR_SCALES`, and two with a wide spread (one entry far above the rest,
    one far below), where a naive softmax overflows or cancels."""
    rng = np.random.default_rng(seed + 1000 * n)
    pts = [rng.normal(0.0, s, n) for s in VECTOR_SCALES for _ in range(2)]
    spread = np.linspace(-1.0, 1.0, n)
    pts += [40.0 * spread + 0.37, np.where(spread > 0, 1.5, -60.0) + spread]
    return np.array(pts)


def _mp_entries(exprs: list, syms: list):
    """A function of a float vector: every expression by mpmath, the precision
    raised until two successive results agree (as :func:`_mp_func` does)."""
    fixed = {}
    live = []
    for i, e in enumerate(exprs):
        e = sp.piecewise_fold(e)
        if e == 0 or (e.is_number and e.is_zero):
            fixed[i] = mpmath.mpf(0)
        elif e.is_number:
            fixed[i] = e
        else:
            live.append(i)
    f = sp.lambdify(syms, [exprs[i] for i in live], modules="mpmath", cse=True)

    def at(point) -> list:
        prev = None
        for dps in _PRECISIONS:
            with mpmath.workdps(dps):
                args = [mpmath.mpf(float(t)) for t in point]
                vals = [mpmath.mpf(v) for v in f(*args)]
            if prev is not None and all(
                (v != 0 and abs(v - q) <= abs(v) * _AGREE)
                or (dps >= 480 and max(abs(v), abs(q)) < _NEGLIGIBLE)
                for v, q in zip(vals, prev, strict=True)
            ):
                out = [None] * len(exprs)
                for i, v in zip(live, vals, strict=True):
                    out[i] = v
                for i, v in fixed.items():
                    with mpmath.workdps(dps):
                        out[i] = mpmath.mpf(sp.N(v, dps)) if not isinstance(
                            v, mpmath.mpf) else v
                return out
            prev = vals
        raise VerificationError(f"no stable reference value at x={list(point)}")

    return at


def verify_vector(
    activation: str | Activation,
    *,
    dtype: Any = np.float64,
    params: list[dict[str, float]] | None = None,
    sizes: list[int] | None = None,
    raise_on_failure: bool = True,
) -> Report:
    """Values, Jacobian and VJP of a vector activation against SymPy (mpmath), and
    the Jacobian against central differences, at several lengths n and at random
    vectors up to magnitude 1e4 (see :func:`vector_points`)."""
    a = get(activation)
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.smallest_subnormal)
    report = Report(a.name, dtype.name)
    with mpmath.workdps(_PRECISIONS[-1]):
        for p in params or vector_param_sets(a):
            for n in sizes or vector_sizes(a, **p):
                _check_vector(a, p, n, dtype, eps, tiny, report)
    if raise_on_failure:
        report.raise_for_failures()
    return report


def _branches(e: sp.Expr) -> list[tuple[sp.Expr, Any]]:
    """The (expression, condition) pairs of a piecewise output, in order."""
    if e.has(sp.Max, sp.Min):
        e = e.rewrite(sp.Piecewise)
    if e.has(sp.Piecewise) and not isinstance(e, sp.Piecewise):
        e = sp.piecewise_fold(e)
    if isinstance(e, sp.Piecewise):
        return list(e.args)
    return [(e, sp.true)]


class _Reference:
    """mpmath values of y, J and H at a point, from the SymPy outputs ``y``.

    A piecewise output is reduced, at each point, to the branch whose SymPy
    condition holds there (evaluated by mpmath at 60 digits); the derivatives are
    those of that branch, so SymPy never differentiates the whole Piecewise.
    """

    def __init__(self, y: sp.Matrix, syms: list):
        self.syms = syms
        self.outputs = [_branches(e) for e in y]
        self.conds = [[sp.lambdify(syms, c, modules="mpmath") if c is not sp.true
                       else None for _, c in br] for br in self.outputs]
        self.cache: dict[tuple, Any] = {}

    def _pick(self, point) -> tuple:
        key = []
        with mpmath.workdps(60):
            args = [mpmath.mpf(float(t)) for t in point]
            for conds in self.conds:
                key.append(next(i for i, c in enumerate(conds)
                                if c is None or bool(c(*args))))
        return tuple(key)

    def __call__(self, point):
        key = self._pick(point)
        if key not in self.cache:
            syms, n = self.syms, len(self.syms)
            y = sp.Matrix([self.outputs[i][k][0] for i, k in enumerate(key)])
            m = y.shape[0]
            jac = y.jacobian(syms)
            hess = [sp.diff(jac[i, j], syms[k]) for i in range(m) for j in range(n)
                    for k in range(n)]
            self.cache[key] = (m, _mp_entries(list(y) + list(jac) + hess, syms))
        m, at = self.cache[key]
        n = len(self.syms)
        ref = at(point)
        ry = np.array(ref[:m], dtype=object)
        rj = np.array(ref[m:m + m * n], dtype=object).reshape(m, n)
        rh = np.array(ref[m + m * n:], dtype=object).reshape(m, n, n)
        return ry, rj, rh


def _check_vector(a, p: dict, n: int, dtype, eps: float, tiny: float, report: Report):
    syms = a.input_symbols(n, **p)
    reference = _Reference(a.expr(n, **p), syms)
    pts = vector_points(n).astype(dtype)
    rng = np.random.default_rng(7 + n)
    worst = {k: (0.0, 0.0) for k in ("f", "J", "vjp", "fd")}

    def keep(key, err, point):
        if not err <= worst[key][0]:
            worst[key] = (float(err), float(np.max(np.abs(point))))

    for pt in pts:
        ry, rj, rh = reference(pt)
        m = len(ry)
        xm = [mpmath.mpf(float(t)) for t in pt]
        absx = [abs(t) for t in xm]
        got_y = a(pt, **p)
        got_j = a.jacobian(pt, **p)
        g = rng.normal(0.0, 1.0, m).astype(dtype)
        got_v = a.vjp(pt, g, **p)
        hscale = np.empty((m, n), dtype=object)
        for i in range(m):
            for j in range(n):
                hscale[i, j] = abs(rj[i, j]) + sum(absx[k] * abs(rh[i, j, k])
                                                   for k in range(n))
        for i in range(m):
            scale = eps * (abs(ry[i]) + sum(absx[j] * abs(rj[i, j]) for j in range(n)))
            keep("f", _ulp(got_y[i], ry[i], scale, tiny), pt)
            for j in range(n):
                keep("J", _ulp(got_j[i, j], rj[i, j], eps * hscale[i, j], tiny), pt)
        for j in range(n):
            refv = sum(mpmath.mpf(float(g[i])) * rj[i, j] for i in range(m))
            scale = eps * sum(abs(mpmath.mpf(float(g[i]))) * hscale[i, j]
                              for i in range(m))
            keep("vjp", _ulp(got_v[j], refv, scale, tiny), pt)
        keep("fd", _vector_fd_error(a, p, pt.astype(np.float64)), pt)

    tag = f" (n={n})"
    pts_n = len(pts)
    for key, what, tol, unit in (
        ("f", "f: src vs SymPy", ULP_TOLERANCE, "ulp*"),
        ("J", "J: src vs SymPy", ULP_TOLERANCE, "ulp*"),
        ("vjp", "vjp: src vs SymPy", ULP_TOLERANCE, "ulp*"),
        ("fd", "J: src vs finite differences", FD_TOLERANCE, "rel"),
    ):
        err, at = worst[key]
        report.checks.append(Check(what + tag, p, err, tol, unit, at, pts_n))


def _ulp(got, ref, scale, tiny) -> float:
    g = float(got)
    if math.isnan(g):
        return math.inf
    return float(abs(mpmath.mpf(g) - ref) / max(scale, tiny))


def _vector_fd_error(a, p: dict, pt: np.ndarray) -> float:
    """Worst scaled error of the src Jacobian against central differences."""
    n = len(pt)
    h = np.cbrt(np.finfo(np.float64).eps) * np.maximum(1.0, np.abs(pt))
    jac = a.jacobian(pt, **p)
    y = a(pt, **p)
    worst = 0.0
    for j in range(n):
        hi, lo = pt.copy(), pt.copy()
        hi[j] += h[j]
        lo[j] -= h[j]
        with np.errstate(invalid="ignore", over="ignore"):  # a broken src
            fd = (a(hi, **p) - a(lo, **p)) / (hi[j] - lo[j])
            noise = np.abs(y) / max(1.0, abs(pt[j]))
            err = np.abs(fd - jac[:, j]) / (np.abs(jac[:, j]) + noise + 1e-12)
        worst = max(worst, float(np.max(np.where(np.isnan(err), np.inf, err))))
    return worst
