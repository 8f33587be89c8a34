"""Check a vector activation: values, Jacobian and VJP against SymPy, and the
Jacobian against finite differences (:func:`activations.verify.verify` of this kind).

A vector activation y = f(x), x of length n, y of length m, is checked entry by
entry against SymPy: the values y_i, the Jacobian J_ij = dy_i/dx_j and the
vector-Jacobian product (g^T J)_j, each in condition-scaled ULP, with the
componentwise condition number (rounding every input once)::

    y_i:        eps (|y_i| + sum_j |x_j J_ij|)
    J_ij:       eps (|J_ij| + sum_k |x_k H_ijk|),   H_ijk = d^2 y_i / dx_j dx_k
    (g^T J)_j:  eps sum_i |g_i| (|J_ij| + sum_k |x_k H_ijk|)

and the Jacobian also against central differences of the src forward pass.
:func:`worst_errors` is the measurement itself; ``benchmarks/frameworks.py`` makes
it of the frameworks' softmax and GLU too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from ..registry import Activation, get
from ..verify import (
    _AGREE,
    _MP_MODULES,
    _NEGLIGIBLE,
    _PRECISIONS,
    FD_TOLERANCE,
    ULP_TOLERANCE,
    Check,
    Report,
    VerificationError,
    _ulp,
    _underflow_meant,
    param_box,
    run_checks,
)

__all__ = ["SCALES", "Reference", "default_sizes", "grid_facts", "param_sets", "points",
           "verify", "worst_errors"]

SCALES = (1.0, 10.0, 100.0, 1e4)
"""Standard deviations of the random test vectors (two of each per size)."""


def default_sizes(activation: str | Activation, **params: float) -> list[int]:
    """The input lengths :func:`verify` checks: up to three valid ones from 2 to 6
    (the smallest valid one if none)."""
    a = get(activation)
    return a.lengths(2, 6, **params)[:3] or [a.smallest_n(2, **params)]


def param_sets(activation: str | Activation, *,
               dtype: Any = np.float64) -> list[dict[str, float]]:
    """The corners and midpoints of the parameter box
    (:func:`activations.verify.param_box`), whole-number parameters as integers
    (maxout's ``pieces``: the midpoint of [1, 8] is 4); or, where the activation
    lists its own (``verify_params``, PolyNorm's, which is linear in its
    parameters), those."""
    a = get(activation)
    if getattr(a, "verify_params", None) is not None:
        return [{**a.bind({}), **p} for p in a.verify_params]
    sets = []
    for p in param_box(a, dtype=dtype, whole=a.integers):
        if not _accepted(a, p):
            continue
        q = {k: (round(v) if k in a.integers else v) for k, v in p.items()}
        if q not in sets:
            sets.append(q)
    return sets


def _accepted(a: Activation, p: dict) -> bool:
    try:
        a.bind(p)
    except ValueError:
        return False
    return True


def grid_facts(activation: str | Activation, *,
               dtype: Any = np.float64) -> dict[str, float]:
    """The numbers a chapter states about what :func:`verify` checks, in ``dtype``:
    ``param_sets``, the number of :func:`param_sets`, and ``vectors``, the test
    vectors per length (:func:`points`)."""
    a = get(activation)
    return {"param_sets": len(param_sets(a, dtype=dtype)),
            "vectors": len(points(2, dtype=dtype))}


def points(n: int, seed: int = 0, *, dtype: Any = np.float64) -> np.ndarray:
    """Test vectors of length n and type ``dtype``: two random normal vectors at
    each of :data:`SCALES`, two with a wide spread (one entry far above the rest,
    one far below), where a naive softmax overflows or cancels, and three at the
    ends of the format: entries of the size of the square root of the largest
    finite value (a product of two overflows), of a quarter of the largest (a sum
    of two overflows), and subnormal ones."""
    rng = np.random.default_rng(seed + 1000 * n)
    pts = [rng.normal(0.0, s, n) for s in SCALES for _ in range(2)]
    spread = np.linspace(-1.0, 1.0, n)
    pts += [40.0 * spread + 0.37, np.where(spread > 0, 1.5, -60.0) + spread]
    info = np.finfo(dtype)
    wide = np.where(spread == 0, 0.5, spread)  # no exact zero among them
    pts += [math.sqrt(float(info.max)) * wide, float(info.max) / 4 * wide,
            float(info.smallest_subnormal) * np.arange(1, n + 1) * np.sign(wide)]
    with _underflow_meant():  # a random entry of 1e-8 is a float16 subnormal
        return np.array(pts).astype(dtype)


def _mp_entries(exprs: list, syms: list):
    """A function of a float vector: every expression by mpmath, the precision
    raised until two successive results agree (as
    :func:`activations.verify._mp_func` does)."""
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
    f = sp.lambdify(syms, [exprs[i] for i in live], modules=_MP_MODULES, cse=True)

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


def verify(
    activation: str | Activation,
    *,
    dtype: Any = np.float64,
    params: list[dict[str, float]] | None = None,
    sizes: list[int] | None = None,
    raise_on_failure: bool = True,
) -> Report:
    """Values, Jacobian and VJP of a vector activation against SymPy (mpmath), and
    the Jacobian against central differences, at several lengths n (default:
    :func:`default_sizes`) and at random vectors up to magnitude 1e4 (see
    :func:`points`)."""
    a = get(activation)

    def check(p, dtype, eps, tiny, report):
        for n in sizes or default_sizes(a, **p):
            _check(a, p, n, dtype, eps, tiny, report)

    sets = params or param_sets(a, dtype=np.dtype(dtype))
    return run_checks(a, dtype, sets, check, raise_on_failure)


def _branches(e: sp.Expr) -> list[tuple[sp.Expr, Any]]:
    """The (expression, condition) pairs of a piecewise output, in order."""
    if e.has(sp.Max, sp.Min):
        e = e.rewrite(sp.Piecewise)
    if e.has(sp.Piecewise) and not isinstance(e, sp.Piecewise):
        e = sp.piecewise_fold(e)
    if isinstance(e, sp.Piecewise):
        return list(e.args)
    return [(e, sp.true)]


class Reference:
    """mpmath values of y, J and H at a point, from the SymPy outputs ``y``.

    A piecewise output is reduced, at each point, to the branch whose SymPy
    condition holds there (evaluated by mpmath at 60 digits beyond the span of
    the entries' magnitudes); the derivatives are those of that branch, so SymPy
    never differentiates the whole Piecewise.
    """

    def __init__(self, y: sp.Matrix, syms: list):
        self.syms = syms
        self.outputs = [_branches(e) for e in y]
        self.conds = [[sp.lambdify(syms, c, modules="mpmath") if c is not sp.true
                       else None for _, c in br] for br in self.outputs]
        self.cache: dict[tuple, Any] = {}

    def _pick(self, point) -> tuple:
        key = []
        # The conditions compare sums of the entries and of 1 (sparsemax's
        # x_2 <= x_1 - 1): 60 digits beyond the span of their magnitudes, so that
        # 1 is not lost next to 6e60 (which put [6e60, 6e60] outside its support).
        mags = [abs(float(t)) for t in point if np.isfinite(t) and t != 0] + [1.0]
        span = math.log10(max(mags)) - math.log10(min(mags))
        with mpmath.workdps(60 + math.ceil(span)):
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


def worst_errors(
    activation: str | Activation,
    run: Callable[[np.ndarray, np.ndarray], tuple[Any, Any]],
    *,
    dtype: Any,
    n: int,
    params: dict[str, float],
    jacobian: Callable[[np.ndarray], Any] | None = None,
) -> dict[str, tuple[float, float]]:
    """The worst condition-scaled ULP errors, against :class:`Reference`, of what
    ``run(x, g) -> (f(x), g^T J)`` returns at the test vectors of length ``n``
    (:func:`points` of ``dtype``, each with its random ``g``), and of
    ``jacobian(x)`` if it is given: ``{"f": (error, largest |x_i| of the point),
    "vjp": ..., "J": ...}``. The first point where the worst error occurs counts.

    :func:`verify` measures this book's functions with it, and
    ``benchmarks/frameworks.py`` the frameworks' (``run`` by their autograd).
    """
    a = get(activation)
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.smallest_subnormal)
    reference = Reference(a.expr(n, **params), a.input_symbols(n, **params))
    rng = np.random.default_rng(7 + n)
    keys = ("f", "J", "vjp") if jacobian is not None else ("f", "vjp")
    worst = {k: (0.0, 0.0) for k in keys}

    def keep(key, err, point):
        if not err <= worst[key][0]:
            worst[key] = (float(err), float(np.max(np.abs(point))))

    for pt in points(n, dtype=dtype):
        ry, rj, rh = reference(pt)
        m = len(ry)
        absx = [abs(mpmath.mpf(float(t))) for t in pt]
        with _underflow_meant():
            g = rng.normal(0.0, 1.0, m).astype(dtype)
        y, v = run(pt, g)  # in the caller's floating-point state
        y, v = np.ravel(np.asarray(y)), np.ravel(np.asarray(v))
        hscale = np.empty((m, n), dtype=object)
        for i in range(m):
            for j in range(n):
                hscale[i, j] = abs(rj[i, j]) + sum(absx[k] * abs(rh[i, j, k])
                                                   for k in range(n))
        for i in range(m):
            scale = eps * (abs(ry[i]) + sum(absx[j] * abs(rj[i, j]) for j in range(n)))
            keep("f", _ulp(y[i], ry[i], scale, tiny), pt)
        if jacobian is not None:
            jac = np.asarray(jacobian(pt))
            for i in range(m):
                for j in range(n):
                    keep("J", _ulp(jac[i, j], rj[i, j], eps * hscale[i, j], tiny), pt)
        for j in range(n):
            refv = sum(mpmath.mpf(float(g[i])) * rj[i, j] for i in range(m))
            scale = eps * sum(abs(mpmath.mpf(float(g[i]))) * hscale[i, j]
                              for i in range(m))
            keep("vjp", _ulp(v[j], refv, scale, tiny), pt)
    return worst


def _check(a, p: dict, n: int, dtype, eps: float, tiny: float, report: Report):
    """Append the checks of one parameter set and length to ``report``."""
    worst = worst_errors(a, lambda x, g: (a(x, **p), a.vjp(x, g, **p)), dtype=dtype,
                         n=n, params=p, jacobian=lambda x: a.jacobian(x, **p))
    pts = points(n, dtype=dtype)
    worst["fd"] = (0.0, 0.0)
    for pt in pts:
        # float(): compared as a float16, 1e6 would overflow to inf
        if 1e-3 <= float(np.max(np.abs(pt))) <= 1e6:
            # A step of 6e-6 crosses every kink of a vector of tiny entries
            # (maxout's ties), and far out the reference alone is meaningful.
            err = _fd_error(a, p, pt.astype(np.float64))
            if not err <= worst["fd"][0]:
                worst["fd"] = (float(err), float(np.max(np.abs(pt))))

    tag = f" (n={n})"
    for key, what, tol, unit in (
        ("f", "f: src vs SymPy", ULP_TOLERANCE, "ulp*"),
        ("J", "J: src vs SymPy", ULP_TOLERANCE, "ulp*"),
        ("vjp", "vjp: src vs SymPy", ULP_TOLERANCE, "ulp*"),
        ("fd", "J: src vs finite differences", FD_TOLERANCE, "rel"),
    ):
        err, at = worst[key]
        report.checks.append(Check(what + tag, p, err, tol, unit, at, len(pts)))


def _fd_error(a, p: dict, pt: np.ndarray) -> float:
    """Worst scaled error of the src Jacobian against central differences.

    An output whose kink the point lies on (an entry of the average-biased ReLU
    equal to the scaled mean) has no central difference to agree with: there the
    Jacobian is one of the one-sided ones (the package's convention), so each
    entry counts the smallest of its errors against the central, the forward and
    the backward difference. Away from a kink a one-sided difference is off by
    about the step, far beyond the tolerance, and the central one counts."""
    n = len(pt)
    h = np.cbrt(np.finfo(np.float64).eps) * np.maximum(1.0, np.abs(pt))
    jac = a.jacobian(pt, **p)
    y = a(pt, **p)
    worst = 0.0
    for j in range(n):
        hi, lo = pt.copy(), pt.copy()
        hi[j] += h[j]
        lo[j] -= h[j]
        f_hi, f_lo = a(hi, **p), a(lo, **p)  # in the caller's state
        # The differences of a broken src's inf or NaN, or of values near the
        # largest float, are counted as errors (or left out) below; a quotient
        # below the smallest normal is as good as 0 next to the 1e-12.
        with np.errstate(invalid="ignore", over="ignore", under="ignore"):
            noise = np.abs(y) / max(1.0, abs(pt[j]))
            scale = np.abs(jac[:, j]) + noise + 1e-12
            err = np.minimum.reduce([
                np.abs(fd - jac[:, j]) / scale
                for fd in ((f_hi - f_lo) / (hi[j] - lo[j]),
                           (f_hi - y) / (hi[j] - pt[j]),
                           (y - f_lo) / (pt[j] - lo[j]))])
        # No difference quotient where f overflows (a product of two 1e200s).
        err = np.where(np.isfinite(f_hi) & np.isfinite(f_lo), err, 0.0)
        worst = max(worst, float(np.max(np.where(np.isnan(err), np.inf, err))))
    return worst
