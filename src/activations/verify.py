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
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from . import symbolic
from .kinds import generic
from .registry import Activation, Param, as_real_array, get

__all__ = ["Check", "Report", "VerificationError", "grid", "grid_facts", "param_box",
           "param_sets", "verify", "ULP_TOLERANCE"]

ULP_TOLERANCE = 4.0
"""Largest condition-scaled ULP error accepted for values and derivatives."""
FD_TOLERANCE = 1e-6
"""Largest scaled error accepted between central differences and ``derivative``."""
FD_SPAN = 1e4
"""Finite differences are taken for |x| up to this (the reference goes further)."""
_FD_TINY = math.sqrt(float(np.finfo(np.float64).tiny))
FD_ROUNDING = 4.0
"""Rounding errors of f, in units of ``eps |f|``, allowed in a difference of two
values of f: a difference quotient over a short step (beside a kink) is only as
good as ``FD_ROUNDING eps |f| / h``."""
FD_PARAM = 1e6
"""No finite differences where a parameter is larger than this: SiLU's beta = 1e300
bends x * sigmoid(beta x) within 1e-300 of 0, far inside any difference step."""


def _underflow_meant() -> np.errstate:
    """The floating-point state of the verifier's own arithmetic where a result
    below the smallest normal number is what it means to get: the grid reaches
    into the subnormal band, and rounding 1e-30 to float16 gives 0 as it should.
    Everything else (overflow, invalid, divide) stays as the caller set it.

    The activation itself is never called in this state, nor in any other the
    verifier sets: whatever it signals reaches the caller (the library promises
    no floating-point warning for any input, and the tests run with them raising).
    """
    return np.errstate(under="ignore")


class VerificationError(AssertionError):
    """A derivative or value disagrees with its reference beyond tolerance.

    >>> bad = Check("f: src vs SymPy", {}, 9.0, 4.0, "ulp*", 2.0, 436)
    >>> Report("toy", "float64", [bad]).raise_for_failures()
    Traceback (most recent call last):
    activations.verify.VerificationError: toy (float64) failed:
      BAD f: src vs SymPy [-]: 9 ulp* (tolerance 4) at x=2
    """


@dataclass(frozen=True)
class Check:
    """One comparison over a grid: the worst error, where, and whether it passed.

    A check that cannot be made in the dtype says why in ``skipped``, counts no
    point, and is no failure: the convention at a kink where no input of the
    dtype lies (beyond its largest finite value, or, for float16, which is
    computed in float32, between two float16 numbers).

    >>> Check("f: src vs SymPy", {}, 0.5, 4.0, "ulp*", 1e-3, 436).passed
    True
    >>> Check("f: src vs SymPy", {}, 9.0, 4.0, "ulp*", 1e-3, 436).passed
    False
    """

    what: str
    params: dict[str, float]
    error: float
    tolerance: float
    unit: str
    worst_x: float
    points: int
    skipped: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.skipped) or bool(self.error <= self.tolerance)


@dataclass
class Report:
    """The checks of one activation; displays as a table in a notebook.

    >>> ok = Check("f: src vs SymPy", {}, 0.5, 4.0, "ulp*", 1.0, 436)
    >>> bad = Check("f': src vs SymPy", {}, 9.0, 4.0, "ulp*", 2.0, 436)
    >>> report = Report("toy", "float64", [ok, bad])
    >>> report.passed, [c.what for c in report.failures]
    (False, ["f': src vs SymPy"])
    """

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

    @property
    def skipped(self) -> list[Check]:
        """The checks that do not apply in this dtype (see :attr:`Check.skipped`).

        >>> far = Check("f'(1e+30) = convention 0", {}, 0.0, 0.0, "", 1e30, 0,
        ...             skipped="the kink is beyond float16's largest finite value")
        >>> report = Report("threshold", "float16", [far])
        >>> report.passed, len(report.skipped)
        (True, 1)
        """
        return [c for c in self.checks if c.skipped]

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
            if not c.skipped else
            [c.what, _fmt_params(c.params), "0", "-", "-", f"{c.worst_x:.4g}",
             f"n/a: {c.skipped}"]
            for c in self.checks
        ]

    _HEAD = ("check", "parameters", "points", "worst error", "tolerance", "at x", "")

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in self._HEAD)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
            for row in self._rows()
        )
        skipped = f", {len(self.skipped)} not applicable" if self.skipped else ""
        caption = (
            f"<caption>{html.escape(self.name)}, {self.dtype}: "
            f"{'all checks pass' if self.passed else 'FAILURES'}"
            f"{html.escape(skipped)}</caption>"
        )
        return f"<table class='verify-report'>{caption}<tr>{head}</tr>{body}</table>"

    def __repr__(self) -> str:
        lines = [f"{self.name} ({self.dtype})"] + [_row_text(c) for c in self.checks]
        return "\n".join(lines)


def _fmt_params(p: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in p.items()) or "-"


def _row_text(c: Check) -> str:
    if c.skipped:
        return f"  n/a {c.what} [{_fmt_params(c.params)}]: not checked, {c.skipped}"
    return (
        f"  {'ok ' if c.passed else 'BAD'} {c.what} [{_fmt_params(c.params)}]: "
        f"{c.error:.3g} {c.unit} (tolerance {c.tolerance:g}) at x={c.worst_x:.6g}"
    )


def grid(activation: str | Activation, *, dtype: Any = np.float64,
         **params: float) -> np.ndarray:
    """Test points of ``dtype``: a dense core, both tails out to the largest finite
    number, the subnormal band, and points beside each kink.

    The magnitudes run from the smallest subnormal to the largest finite value on a
    logarithmic scale (each decade within 1e±30), with the edges of each band
    named: the smallest subnormals, half the smallest normal, the smallest normal,
    the square root of the largest and the largest finite values (where ``x**2``
    or ``exp`` overflow or a slope underflows). The kinks themselves (at
    ``params``, defaults otherwise) are left out: their convention is checked on
    its own.

    >>> g = grid("relu")  # no point at the kink 0; the largest and smallest floats
    >>> 0.0 in g, float(g.max()), float(np.abs(g).min())
    (False, 1.7976931348623157e+308, 5e-324)
    """
    a = get(activation)
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    sub, tiny, big = (float(info.smallest_subnormal), float(info.tiny),
                      float(info.max))
    edges = [sub, 2 * sub, 3 * sub, tiny / 2, tiny * (1 - float(info.eps)), tiny,
             2 * tiny, float(info.eps), math.sqrt(big), big / 2,
             float(np.nextafter(dtype.type(big), dtype.type(0))), big]
    # every decade out to 1e±30 (where 1 + 1/x stops differing from 1 in any
    # format), then every ~25 decades: mpmath needs 0.1 s for exp(-1e300) alone
    with _underflow_meant():  # 10**-323.3 is float64's 5e-324, as it should be
        wide = np.logspace(math.log10(sub), math.floor(math.log10(big)), 25)
    mags = np.concatenate([np.logspace(-10, 4, 57), np.logspace(-30, 30, 61), wide,
                           edges])
    pts = [np.linspace(-8, 8, 161), mags, -mags]
    kinks = np.array(a.kink_points(**params))
    for at in kinks:
        pts.append(at + np.array([-1e-3, -1e-6, -1e-9, 1e-9, 1e-6, 1e-3]))
    g = np.concatenate(pts)
    g = g[np.abs(g) <= big]  # a kink near the largest value: no point beyond it
    with _underflow_meant():  # 1e-30 is 0 in float16, 1e-310 a float64 subnormal
        g = np.unique(g.astype(dtype))
    g = g[np.isfinite(g)]
    kinks = kinks[np.abs(kinks) <= big]  # a kink at 1e30 is no float16 input
    if kinks.size:
        # Points beside a kink can round onto it in float32 (0.5 + 1e-9).
        with _underflow_meant():
            g = g[~np.isin(g, kinks.astype(dtype))]
    return g


BIG_PARAM = {np.dtype(np.float64): 1e300, np.dtype(np.float32): 1e30,
             np.dtype(np.float16): 1e30}
"""The finite stand-in for an open infinite end of a parameter's range, by dtype
(eight decades below the largest finite value; float16 is computed in float32)."""


@generic
def param_sets(activation: str | Activation, *,
               dtype: Any = np.float64) -> list[dict[str, float]]:
    """The parameter sets :func:`verify` checks: those of :func:`param_box` the
    activation accepts.

    A combination the activation refuses (RReLU's ``lower`` above ``upper``) is
    left out: its clear error is checked elsewhere. An activation of another kind
    gets its kind's own (:mod:`activations.kinds`).

    >>> param_sets("relu"), len(param_sets("hard_tanh"))  # 3 x 3 corners, 2 midpoints
    ([{}], 11)
    """
    a = get(activation)
    return [p for p in param_box(a, dtype=dtype) if _accepted(a, p)]


def param_box(activation: str | Activation, *, dtype: Any = np.float64,
              whole: tuple[str, ...] = ()) -> list[dict[str, float]]:
    """Every combination of each parameter's low end, high end and default (the
    corners of the parameter box, every pair among them; beyond
    :data:`FULL_PRODUCT` combinations, a set of them in which every two
    parameters take every pair of their values, :func:`_pairwise`), then each
    parameter at its midpoint (both ends finite) with the others at their
    defaults; each set once.

    An end that is infinite is used as it is where :attr:`Param.infinite` allows
    it, and through a finite stand-in (:data:`BIG_PARAM`) where the range is open.
    A parameter named in ``whole`` takes whole numbers only: its midpoint is
    rounded down (maxout's pieces in [1, 8]: 4, not 4.5).

    >>> param_box("leaky_relu")  # default, low end, high end, then the midpoint
    [{'negative_slope': 0.01}, {'negative_slope': 0.0}, {'negative_slope': 1.0},
     {'negative_slope': 0.5}]
    >>> param_box("elu")  # alpha in [0, inf): the open end is 1e300 in float64
    [{'alpha': 1.0}, {'alpha': 0.0}, {'alpha': 1e+300}]
    """
    a = get(activation)
    big = BIG_PARAM[np.dtype(dtype)]

    def ends(p: Param) -> list[float]:
        vals = [p.default]
        for v in (p.low, p.high):
            if math.isinf(v):
                if p.infinite:
                    vals.append(v)
                vals.append(math.copysign(big, v))
            else:
                vals.append(v)
        return list(dict.fromkeys(vals))

    keys = list(a.params)
    base = {k: a.params[k].default for k in keys}
    values = [ends(a.params[k]) for k in keys]
    if math.prod(len(v) for v in values) <= FULL_PRODUCT:
        combos = list(itertools.product(*values))
    else:
        combos = _pairwise(values)
    sets = [dict(zip(keys, combo, strict=True)) for combo in combos]
    for k, p in a.params.items():
        if math.isfinite(p.low + p.high):
            mid = (p.low + p.high) / 2
            sets.append({**base, k: float(math.floor(mid)) if k in whole else mid})
    out = []
    for s in sets:
        if s not in out:
            out.append(s)
    return out


FULL_PRODUCT = 27
"""The most parameter sets :func:`param_box` takes as the full product of the
parameters' ends (3^3: three parameters, each at its default, low and high end).
Beyond, :func:`_pairwise` covers every pair of values of every two parameters and
both all-low and all-high corners: four parameters take 11 sets instead of 81
(each set costs its grid of mpmath references), a rational function's seven or
ten coefficients 29 instead of thousands."""


def _pairwise(values: list[list[float]]) -> list[tuple[float, ...]]:
    """Combinations in which every two parameters take every pair of their values,
    plus every parameter at its first (default), second and third value at once.

    The rows of a linear orthogonal array of strength 2 over GF(q), q the smallest
    prime at least the largest number of values: each row is a vector u of
    GF(q)^t, each parameter a vector v (nonzero, first nonzero entry 1, no two
    proportional), its level u . v mod q. Two such columns are linearly
    independent, so each pair of levels occurs in q^(t-2) rows; a level is
    mapped onto the parameter's values modulo their number, which keeps every
    pair. Seven or ten parameters of three values take 27 rows instead of
    3^7 = 2187 or 3^10 = 59049.

    >>> rows = _pairwise([[0.0, 1.0, 2.0]] * 5)  # 3^3 rows and the two corners
    >>> len(rows), len({(r[0], r[4]) for r in rows})
    (29, 9)
    """
    k = len(values)
    q = next(p for p in (2, 3, 5, 7, 11, 13) if p >= max(len(v) for v in values))
    t = 2
    while (q**t - 1) // (q - 1) < k:
        t += 1
    columns = [v for v in itertools.product(range(q), repeat=t)
               if any(v) and v[next(i for i, c in enumerate(v) if c)] == 1][:k]
    rows = [tuple(vals[sum(a * b for a, b in zip(u, v, strict=True)) % q % len(vals)]
                  for vals, v in zip(values, columns, strict=True))
            for u in itertools.product(range(q), repeat=t)]
    for level in (1, 2):  # every parameter at its low (high) end together
        rows.append(tuple(vals[min(level, len(vals) - 1)] for vals in values))
    return rows


@generic
def grid_facts(activation: str | Activation, *,
               dtype: Any = np.float64) -> dict[str, float]:
    """The numbers a chapter states about what :func:`verify` checks, in ``dtype``.

    ``points``, the size of :func:`grid` at the default parameters; ``core``, how
    many of them lie in [-8, 8]; ``smallest`` and ``largest``, the smallest nonzero
    and the largest magnitude on it; ``fd_largest``, the largest magnitude at which
    finite differences are taken; ``param_sets``, the number of :func:`param_sets`;
    and ``checked``, the points over all parameter sets together (the grid moves
    with the kinks). An activation of another kind states its kind's own facts
    (:mod:`activations.kinds`).

    >>> facts = grid_facts("relu")
    >>> facts["largest"] == float(np.finfo(np.float64).max), facts["param_sets"]
    (True, 1)
    """
    a = get(activation)
    xs = grid(a, dtype=dtype).astype(np.float64)
    mags = np.abs(xs[xs != 0])
    sets = param_sets(a, dtype=dtype)
    return {
        "points": len(xs),
        "core": int(np.count_nonzero(np.abs(xs) <= 8)),
        "smallest": float(mags.min()),
        "largest": float(mags.max()),
        "fd_largest": float(mags[mags <= FD_SPAN].max()),
        "param_sets": len(sets),
        "checked": sum(len(grid(a, dtype=dtype, **p)) for p in sets),
    }


def _accepted(a: Activation, p: dict) -> bool:
    try:
        a.bind(p)
        a(np.zeros(1), **p)
    except ValueError:
        return False
    return True


def _mp_exp(z):
    """``mpmath.exp``, fast for huge arguments.

    mpmath computes e^z for large z by squaring e^(z/2^k) k times at the working
    precision plus the digits of z, which takes tens of milliseconds at z = 1e308
    and a few hundred digits; the grid reaches such points with several precisions
    each.  Here z = n ln 2 + r with |r| <= ln2/2 (n and r exact enough at the
    precision plus the bits of z) and e^z = 2^n e^r: one exponential of a small
    number.  The results agree to the working precision.
    """
    if isinstance(z, mpmath.mpc) or mpmath.mag(z) < 12:
        return mpmath.exp(z)
    with mpmath.extraprec(mpmath.mag(z) + 20):
        n = mpmath.nint(z / mpmath.ln2)
        r = z - n * mpmath.ln2
    return mpmath.ldexp(mpmath.exp(r), int(n))


_MP_MODULES = [{"exp": _mp_exp}, "mpmath"]


def _mp_func(expr: sp.Expr, *, scale_only: bool = False):
    """Evaluate ``expr`` with mpmath, raising the precision until two agree.

    Naive formulas cancel in the tails (1 + erf(-12) needs 70 digits, 1 - tanh(x)^2
    at x = -100 needs 90): the working precision doubles until successive results
    agree to 25 digits, or until, at 480 digits or more, both are far below the
    smallest float (the true value underflows).

    Agreement alone can deceive: in log(1 + e^x) at x = -178 the term e^x vanishes
    next to 1 at 30 and at 60 digits alike, and both give the same wrong answer.
    So the first precision already keeps e^-|x| beside 1 (up to |x| = 800, beyond
    which such a term is below the smallest float).

    Near 0 the same happens the other way: sinc'(x) = cos(x)/x - sin(x)/x^2 is two
    terms of size 1/x whose difference is -x/3, so some 2 log10(1/|x|) digits cancel
    (650 at the smallest subnormal), and both terms agree to every digit at any
    lower precision, which makes the difference an exact, wrong, 0. So for |x| < 1
    the first precision also carries three times the decimal exponent of x (enough
    for a cancellation between terms of size x^-3 and x^0), and a zero is trusted
    only at a precision beyond that.

    ``scale_only`` is for f'', which only sets the size of the tolerance of f'
    (the term |x f''|): three digits do, and a zero is trusted from 240 digits on.
    A zero there that should not be one can only make the check stricter.
    """
    f = sp.lambdify(symbolic.x, expr, modules=_MP_MODULES, cse=True)
    agree = mpmath.mpf(10) ** -3 if scale_only else _AGREE

    def at(t: float) -> mpmath.mpf:
        prev = None
        start = _start_dps(t)
        zero_from = 240 if scale_only else 480 + start
        for dps in (start * 2**k for k in range(len(_PRECISIONS))):
            with mpmath.workdps(dps):
                val = mpmath.mpf(f(mpmath.mpf(float(t))))
            if prev is not None:
                if val != 0 and abs(val - prev) <= abs(val) * agree:
                    return val
                if mpmath.isinf(val) and val == prev:  # Threshold's value = inf
                    return val
                # A zero may be cancellation; trust it once the precision is
                # high enough that any float64-sized result would have shown.
                if dps >= zero_from and max(abs(val), abs(prev)) < _NEGLIGIBLE:
                    return val
            prev = val
        raise VerificationError(f"no stable reference value of {expr} at x={t}")

    return at


_PRECISIONS = (30, 60, 120, 240, 480, 960, 1920)


def _start_dps(t: float) -> int:
    """The first working precision at x = t (see :func:`_mp_func`)."""
    at = abs(float(t))
    digits = _PRECISIONS[0]
    if at <= 800.0:
        # Beyond, e^-|x| (3.7e-348 at 800) leaves no trace in any float, not even
        # times x^3; and exp(-1e300) costs 0.1 s at 356 digits, 0.1 ms at 30.
        digits += math.ceil(at / math.log(10))
    if 0 < at < 1:
        digits += 3 * math.ceil(-math.log10(at))
    return digits
_NEGLIGIBLE = mpmath.mpf(10) ** -400
_AGREE = mpmath.mpf(10) ** -25


def _overflow_bound(dtype) -> mpmath.mpf:
    """The magnitude from which round-to-nearest gives inf: the largest finite
    value plus half its ulp."""
    big = np.finfo(dtype).max
    ulp = np.spacing(np.nextafter(big, big.dtype.type(0)))  # the same binade
    with mpmath.workprec(64):  # exact: both are short binary fractions
        return mpmath.mpf(float(big)) + mpmath.mpf(float(ulp)) / 2


def _ulp(got, ref, scale, tiny, huge=None) -> float:
    """Condition-scaled error of one entry; ``huge`` is where round-to-nearest
    overflows in the result's dtype, beyond which inf of the right sign is exact."""
    g = float(got)
    if math.isnan(g):
        return math.inf
    if huge is None:
        huge = _overflow_bound(np.asarray(got).dtype)
    if math.isinf(g) and abs(ref) >= huge and (g > 0) == (ref > 0):
        return 0.0
    return float(abs(mpmath.mpf(g) - ref) / max(scale, tiny))


def _scaled_ulp(got, ref, dref, xs, eps, tiny) -> np.ndarray:
    out = np.empty(len(xs))
    huge = _overflow_bound(np.asarray(got).dtype)
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


@generic
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
    must lie between the one-sided derivatives SymPy finds). A kink where no
    input of ``dtype`` lies (Threshold's theta = 1e30 in float16) has no
    convention to check: its check is reported as not applicable, and why.

    The verifier's own arithmetic runs in a floating-point state of its own (an
    underflow to a subnormal or to 0 is meant there); the activation runs in the
    caller's, so ``np.errstate(all="raise")`` around this call raises on any
    floating-point exception the activation signals, and on nothing else.

    An activation of another kind is checked by its kind's own ``verify``
    (:mod:`activations.kinds`), with the same report, floating-point state and
    failures.

    >>> report = verify("relu")
    >>> report.passed, [c.what for c in report.checks]
    (True, ['f: src vs SymPy', "f': src vs SymPy", "f': src vs finite differences",
            "f'(0) = convention 0"])
    """
    a = get(activation)

    def check(p, dtype, eps, tiny, report):
        _check_params(a, p, grid(a, dtype=dtype, **p), dtype, eps, tiny, report)

    sets = params or param_sets(a, dtype=np.dtype(dtype))
    return run_checks(a, dtype, sets, check, raise_on_failure)


def run_checks(a: Activation, dtype: Any, sets: list[dict[str, float]],
               check: Callable[..., None], raise_on_failure: bool) -> Report:
    """The frame of every kind's verifier: ``check(p, dtype, eps, tiny, report)``
    appends the checks of the parameter set ``p`` to the report, for each of
    ``sets``, with mpmath at the working precision; ``eps`` and ``tiny`` are the
    dtype's machine epsilon and smallest subnormal.

    >>> def check(p, dtype, eps, tiny, report):
    ...     print(p, dtype, eps)
    >>> _ = run_checks(get("leaky_relu"), "float32", [{"negative_slope": 0.1}],
    ...                check, raise_on_failure=False)
    {'negative_slope': 0.1} float32 1.1920928955078125e-07
    """
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.smallest_subnormal)
    report = Report(a.name, dtype.name)
    with mpmath.workdps(_PRECISIONS[-1]):
        for p in sets:
            check(p, dtype, eps, tiny, report)
    if raise_on_failure:
        report.raise_for_failures()
    return report


def _check_params(a: Activation, p: dict, xs, dtype, eps, tiny, report: Report):
    """Append the checks of one parameter set to ``report``."""
    f = a.expr(**p)
    d1 = sp.diff(f, symbolic.x)
    d2 = sp.diff(d1, symbolic.x)
    f_mp, d1_mp, d2_mp = _mp_func(f), _mp_func(d1), _mp_func(d2, scale_only=True)
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
    if all(abs(v) <= FD_PARAM for v in p.values()):
        err, at = _finite_difference_error(a, p, xs.astype(np.float64))
        report.checks.append(Check("f': src vs finite differences", p, err,
                                   FD_TOLERANCE, "rel", at, len(xs)))
    for k in a.kinks:
        report.checks.append(_kink_check(a, k, p, d1, dtype))


def _finite_difference_error(a: Activation, p: dict, xs: np.ndarray):
    # Differences of subnormal values have too few bits to mean anything, and far
    # out a step of 6e-6 |x| spans whole periods of sin x: the reference alone
    # checks those points.
    xs = xs[(np.abs(xs) >= _FD_TINY) & (np.abs(xs) <= FD_SPAN)]
    kinks = np.array(a.kink_points(**p) or [np.inf])
    dist = np.min(np.abs(xs[:, None] - kinks[None, :]), axis=1)
    h = np.minimum(np.cbrt(np.finfo(np.float64).eps) * np.maximum(1, np.abs(xs)),
                   dist / 2)
    # No difference quotient where f overflows (exp beyond 709.78).
    f_hi, f_lo = a(xs + h, **p), a(xs - h, **p)
    ok = np.isfinite(f_hi) & np.isfinite(f_lo) & (h > 0)
    xs, h, f_hi, f_lo = xs[ok], h[ok], f_hi[ok], f_lo[ok]
    # f is called here, in the caller's floating-point state; only the
    # differences below are taken in the verifier's own.
    half_hi, half_lo = xs + h / 2, xs - h / 2
    f_half_hi, f_half_lo = a(half_hi, **p), a(half_lo, **p)
    d = a.derivative(xs, **p)
    y = a(xs, **p)

    # f(x + h) - f(x - h) may overflow where f is near the largest value (x^3 at
    # 5e102): no difference quotient there either. A quotient below the smallest
    # normal number is as good as 0 next to the 1e-12 in the scale, and a broken
    # src's inf - inf is a NaN, counted as an error of inf below.
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        fd = (f_hi - f_lo) / ((xs + h) - (xs - h))
        # Richardson's extrapolation cancels the truncation term h^2 f'''(x) / 6,
        # which dominates where f' is 0 but f''' is not (x - tanh x at 0) or where
        # f''' is as large as f' far out (exp at 500); the better estimate counts.
        fd_r = (4 * ((f_half_hi - f_half_lo) / (half_hi - half_lo)) - fd) / 3
        keep = np.isfinite(fd) & np.isfinite(fd_r)
        if not keep.any():
            return 0.0, 0.0
        xs, fd, fd_r, d, y, h = (xs[keep], fd[keep], fd_r[keep], d[keep], y[keep],
                                 h[keep])
        # The scale allows for f's size (an error that rounding x would explain)
        # and for the rounding of f over the step: values of f near |y|, each
        # within a few ulp, differ by up to FD_ROUNDING eps |y| across a step of
        # h, which beside a kink (h = 5e-17 at x = 1e-16) is far more than the
        # first term allows where f is not 0 there.
        noise = np.abs(y) * np.maximum(
            1 / np.maximum(1, np.abs(xs)),
            FD_ROUNDING * np.finfo(np.float64).eps / (FD_TOLERANCE * h))
        scale = np.abs(d) + noise + 1e-12
        err = np.minimum(np.abs(fd - d), np.abs(fd_r - d)) / scale
        # Beside a kink the step is at most half the distance to it; where the
        # rounding of f (about eps |f| / h in the quotient) exceeds the tolerance,
        # the quotient means nothing (APL at 1e-16, where f is 0.5): no check there.
        h_kept = h[keep]
        rounding = np.finfo(np.float64).eps * np.abs(y) / h_kept
        blind = rounding > 0.1 * FD_TOLERANCE * scale
        err = np.where(blind, 0.0, err)
    return _worst(np.where(np.isnan(err), np.inf, err), xs)


def _kink_check(a: Activation, k, p: dict, d1: sp.Expr, dtype) -> Check:
    bound = a.bind(p)
    at = k.where(**bound)
    # float16 is computed in float32: the kink lies where float32 puts it.
    computed = as_real_array(np.zeros(0, dtype), a.name)[0].dtype
    # Rounded to the dtype as the derivative's own result is: a slope beyond its
    # range is inf, one below its smallest subnormal 0 (float16 holds neither 1e5
    # nor 1e-8), and a kink at 1e30 is inf in float16.
    with np.errstate(over="ignore", under="ignore"):
        point = np.asarray(at, dtype=dtype)
        kink = float(np.asarray(at, dtype=computed))
        declared = float(np.asarray(k.value(**bound), dtype=dtype))
    what = f"f'({at:g}) = convention {declared:g}"
    # No input of the dtype lies at the kink: no convention to check.
    if not np.isfinite(point):
        # Threshold's theta = 1e30 in float16, whose largest value is 65504.
        return Check(what, p, 0.0, 0.0, "", at, 0,
                     skipped=f"the kink is beyond {dtype.name}'s largest finite "
                             f"value, {float(np.finfo(dtype).max):g}")
    if float(point) != kink:
        # Hard Sigmoid's 1/(2 * 0.525) in float16: its nearest float16, 0.95215,
        # is no float32 kink but a point inside it, with the slope of the inside.
        return Check(what, p, 0.0, 0.0, "", at, 0,
                     skipped=f"no {dtype.name} number lies at the kink: "
                             f"{computed.name}, in which {dtype.name} is computed, "
                             f"puts it at {kink:.9g}, the nearest {dtype.name} is "
                             f"{float(point):.6g}")
    got = float(a.derivative(point, **p))
    with np.errstate(over="ignore", under="ignore"):
        sides = [float(np.asarray(float(v), dtype=dtype))
                 for v in symbolic.one_sided(d1, symbolic.exact(at))]
    # A one-sided derivative or a value between the two (a Clarke subgradient,
    # such as PyTorch's sign(0) = 0 for |x|), nothing outside them.
    ok = got == declared and min(sides) <= declared <= max(sides)
    return Check(what, p, 0.0 if ok else math.inf, 0.0, "", at, 1)
