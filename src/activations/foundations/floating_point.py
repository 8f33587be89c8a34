"""The computations of the page "Floating point and numerical stability": the facts
of the three binary formats, naive formulas run with their floating-point warnings
recorded, and errors against mpmath in ULP of the format and in the condition-scaled
ULP of :mod:`activations.verify` (with the same mpmath reference and the same
scaling, so that the page explains exactly what every chapter's Verification
section reports)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import mpmath
import numpy as np

from .. import verify
from ..registry import get
from ..tables import HTMLTable

__all__ = ["FORMATS", "Attempt", "accuracy_rows", "accuracy_table", "attempt",
           "errors_at", "neighbour_sensitivity",
           "condition_number", "format_facts", "format_table", "reference",
           "relative_error", "scaled_ulp_error", "softmax_reference", "ulp_error"]

FORMATS = (np.float16, np.float32, np.float64)
"""The three IEEE 754 binary formats NumPy computes in, narrowest first."""

_DPS = 60
"""Working precision (decimal digits) of the arithmetic on mpmath references."""


def format_facts(dtype) -> dict[str, float]:
    """What ``np.finfo`` says about a binary format, by name.

    ``bits``: significand bits (the leading one included); ``eps``: the gap
    between 1 and the next larger number, ``np.spacing(1)``; ``roundoff``: half of
    it, the largest relative error of rounding to nearest; ``smallest_subnormal``,
    ``smallest_normal`` and ``largest``: the ends of the finite range.

    >>> f = format_facts(np.float64)
    >>> f["bits"], f["eps"] == 2.0**-52, f["smallest_subnormal"] == 2.0**-1074
    (53, True, True)
    """
    info = np.finfo(dtype)
    return {
        "bits": int(info.nmant) + 1,
        "eps": float(info.eps),
        "roundoff": float(info.eps) / 2,
        "digits": int(info.precision),
        "smallest_subnormal": float(info.smallest_subnormal),
        "smallest_normal": float(info.smallest_normal),
        "largest": float(info.max),
    }


def format_table() -> HTMLTable:
    """:func:`format_facts` of float16, float32 and float64 as a table."""
    keys = ["bits", "eps", "roundoff", "smallest_subnormal", "smallest_normal",
            "largest"]
    head = ["format", "significand bits", "eps = spacing(1)", "eps / 2",
            "smallest subnormal", "smallest normal", "largest finite"]
    rows = []
    for dt in FORMATS:
        f = format_facts(dt)
        rows.append([np.dtype(dt).name] + [
            str(f[k]) if k == "bits" else f"{f[k]:.4g}" for k in keys])
    return HTMLTable(head, rows, "The three binary formats, from np.finfo")


@dataclass
class Attempt:
    """The result of a formula and the floating-point warnings it would raise."""

    value: object
    warnings: list[str] = field(default_factory=list)

    @property
    def warned(self) -> str:
        """The distinct warning messages, joined by '; ' ('' when there were none)."""
        return "; ".join(dict.fromkeys(self.warnings))


def attempt(fn: Callable, *args) -> Attempt:
    """Run ``fn(*args)`` with every floating-point exception set to warn, keep the
    warnings instead of showing them, and return the value with their messages.

    >>> a = attempt(np.exp, 1000.0)
    >>> a.value, a.warned
    (np.float64(inf), 'overflow encountered in exp')
    """
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        value = fn(*args)
    return Attempt(value, [str(w.message) for w in caught
                           if issubclass(w.category, RuntimeWarning)])


def reference(name: str, x: float, **params) -> tuple[mpmath.mpf, mpmath.mpf]:
    """f(x) and f'(x) of a registered elementwise activation, from its SymPy
    expression evaluated by mpmath exactly as :func:`activations.verify.verify`
    evaluates it (the precision raised until two results agree to 25 digits).

    >>> f, d = reference("sigmoid", 0.0)
    >>> float(f), float(d)
    (0.5, 0.25)
    """
    import sympy as sp

    from ..symbolic import x as sym_x
    a = get(name)
    expr = a.expr(**{**{k: p.default for k, p in a.params.items()}, **params})
    f = verify._mp_func(expr)
    d = verify._mp_func(sp.diff(expr, sym_x))
    return f(float(x)), d(float(x))


def condition_number(name: str, x: float, **params) -> float:
    """The relative condition number |x f'(x) / f(x)| of an activation at x:
    how many times a relative change of x is magnified in f(x).

    >>> condition_number("softplus", 0.0), round(condition_number("elu", -1.0), 6)
    (0.0, 0.581977)
    """
    f, d = reference(name, x, **params)
    with mpmath.workdps(_DPS):
        return float(abs(mpmath.mpf(float(x)) * d / f)) if f != 0 else float("inf")


def relative_error(got, exact) -> float:
    """|got - exact| / |exact|, with the difference taken in mpmath (inf when
    ``got`` is not finite and ``exact`` is).

    >>> relative_error(0.0, mpmath.mpf("1e-23"))
    1.0
    """
    g = float(got)
    if not np.isfinite(g):
        return float("inf")
    with mpmath.workdps(_DPS):
        e = mpmath.mpf(exact)
        return float(abs(mpmath.mpf(g) - e) / abs(e))


def ulp_error(got, exact, dtype) -> float:
    """|got - exact| in units of the gap between numbers of ``dtype`` at the exact
    value: 2^(e - p + 1) for an exact value in [2^e, 2^(e+1)) and p significand
    bits, and the smallest subnormal at and below the subnormal band.

    >>> ulp_error(np.float32(1), mpmath.mpf(1) + mpmath.mpf(2)**-24, np.float32)
    0.5
    """
    info = np.finfo(dtype)
    with mpmath.workdps(_DPS):
        e = mpmath.mpf(exact)
        gap = mpmath.mpf(float(info.smallest_subnormal))
        if e != 0:
            _, k = mpmath.frexp(e)  # |e| in [2^(k-1), 2^k)
            gap = max(gap, mpmath.ldexp(1, int(k) - 1 - int(info.nmant)))
        return float(abs(mpmath.mpf(float(got)) - e) / gap)


def scaled_ulp_error(got, exact, exact_slope, x, dtype) -> float:
    """The condition-scaled ULP error of :mod:`activations.verify`:

    |got - g(x)| / max(eps (|g(x)| + |x g'(x)|), smallest subnormal),

    with ``eps`` and the smallest subnormal those of ``dtype``; inf of the right
    sign counts as exact where the true value is beyond the overflow threshold,
    and NaN as an infinite error. Computed by the verifier's own function.

    >>> exact = mpmath.mpf(1) + mpmath.mpf(2)**-52
    >>> round(scaled_ulp_error(1.0, exact, 0, 1.0, np.float64), 12)
    1.0
    """
    info = np.finfo(dtype)
    with mpmath.workdps(_DPS):
        scale = float(info.eps) * (abs(mpmath.mpf(exact))
                                   + abs(mpmath.mpf(float(x)) * exact_slope))
        return verify._ulp(np.asarray(got, dtype=dtype), mpmath.mpf(exact), scale,
                           float(info.smallest_subnormal))


def softmax_reference(v: Sequence[float]) -> tuple[list, list]:
    """Softmax s of the vector v in mpmath, and the scale of each entry's
    condition-scaled error, |s_i| + sum_j |v_j J_ij| with J_ij = s_i (d_ij - s_j)
    (the scale :mod:`activations.vector.verify` uses, without the eps).

    >>> s, c = softmax_reference([0.0, 0.0])
    >>> [float(t) for t in s], [float(t) for t in c]
    ([0.5, 0.5], [0.5, 0.5])
    """
    with mpmath.workdps(_DPS):
        xs = [mpmath.mpf(float(t)) for t in v]
        m = max(xs)
        e = [mpmath.exp(t - m) for t in xs]
        total = mpmath.fsum(e)
        s = [t / total for t in e]
        scale = [abs(s[i]) + mpmath.fsum(
            abs(xs[j] * s[i] * ((1 if i == j else 0) - s[j])) for j in range(len(s)))
            for i in range(len(s))]
    return s, scale


def accuracy_rows(names: Sequence[str], xs: Sequence[float],
                  vector: Sequence[float]) -> list[dict]:
    """For each activation in ``names`` (at its default parameters) and each format,
    the worst error over the inputs ``xs`` in ULP of the format and in
    condition-scaled ULP, with the input where each occurs; then softmax on
    ``vector``, worst over its entries. Inputs are rounded to the format first, and
    the reference is taken at the rounded input (what the function was given).
    """
    rows = []
    for name in names:
        a = get(name)
        for dt in FORMATS:
            x = np.asarray(xs, dtype=np.float64).astype(dt)
            got = a(x)
            ulp, scaled = [], []
            for xi, gi in zip(x, got, strict=True):
                f, d = reference(name, float(xi))
                ulp.append(ulp_error(gi, f, dt))
                scaled.append(scaled_ulp_error(gi, f, d, float(xi), dt))
            rows.append(_row(a.title, dt, ulp, scaled, [float(t) for t in x]))
    soft = get("softmax")
    for dt in FORMATS:
        v = np.asarray(vector, dtype=np.float64).astype(dt)
        got = soft(v)
        s, scale = softmax_reference([float(t) for t in v])
        eps, tiny = float(np.finfo(dt).eps), float(np.finfo(dt).smallest_subnormal)
        ulp = [ulp_error(g, r, dt) for g, r in zip(got, s, strict=True)]
        with mpmath.workdps(_DPS):
            scaled = [verify._ulp(g, r, eps * c, tiny)
                      for g, r, c in zip(got, s, scale, strict=True)]
        rows.append(_row(soft.title, dt, ulp, scaled, [float(t) for t in v],
                         entry=True))
    return rows


def _row(title, dt, ulp, scaled, where, entry=False) -> dict:
    i, j = int(np.argmax(ulp)), int(np.argmax(scaled))
    at = (lambda k: f"entry {k + 1}") if entry else (lambda k: f"{where[k]:g}")
    return {"activation": title, "dtype": np.dtype(dt).name,
            "ulp": float(ulp[i]), "ulp_at": at(i),
            "scaled": float(scaled[j]), "scaled_at": at(j)}


def accuracy_table(rows: list[dict], caption: str = "") -> HTMLTable:
    """The rows of :func:`accuracy_rows` as a table."""
    head = ["activation", "format", "worst ULP", "at", "worst condition-scaled ULP",
            "at"]
    body = [[r["activation"], r["dtype"], f"{r['ulp']:.2f}", r["ulp_at"],
             f"{r['scaled']:.2f}", r["scaled_at"]] for r in rows]
    return HTMLTable(head, body, caption)


def errors_at(name: str, x: float, dtype=np.float64, **params) -> dict[str, float]:
    """An activation's value at x in ``dtype`` and its errors against mpmath:
    ``value``, ``exact`` (as a float), ``relative``, ``ulp`` (of the format),
    ``scaled`` (condition-scaled ULP) and ``condition`` (|x f'/f|).

    >>> e = errors_at("sigmoid", -1000.0)
    >>> e["value"], e["scaled"] < 1e-100
    (0.0, True)
    """
    xv = np.asarray([x], dtype=dtype)
    got = get(name)(xv, **params)[0]
    f, d = reference(name, float(xv[0]), **params)
    with mpmath.workdps(_DPS):
        cond = float(abs(mpmath.mpf(float(xv[0])) * d / f)) if f else float("inf")
    return {"value": float(got), "exact": float(f),
            "relative": relative_error(got, f), "ulp": ulp_error(got, f, dtype),
            "scaled": scaled_ulp_error(got, f, d, float(xv[0]), dtype),
            "condition": cond}


def neighbour_sensitivity(name: str, x: float, **params) -> float:
    """Move x to the next float64 towards zero and return the relative change of
    the exact f(x) divided by the relative change of x: for a smooth f this is
    the condition number |x f'(x)/f(x)|, to about one part in 1e15.

    >>> round(neighbour_sensitivity("exponential", 100.0), 6)
    100.0
    """
    y = float(np.nextafter(x, 0.0))
    f0, _ = reference(name, x, **params)
    f1, _ = reference(name, y, **params)
    with mpmath.workdps(_DPS):
        x0, x1 = mpmath.mpf(x), mpmath.mpf(y)
        return float(abs(((f1 - f0) / f0) / ((x1 - x0) / x0)))
