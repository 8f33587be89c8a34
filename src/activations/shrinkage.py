"""Shrinkage activations: pull small inputs to (or towards) zero.

Soft and hard shrinkage are the proximal maps of sparse coding and wavelet
denoising: inputs with :math:`|x| \\le \\lambda` become 0, larger ones are shifted
towards 0 by :math:`\\lambda` (soft) or kept (hard). Tanhshrink, :math:`x - \\tanh x`,
is a smooth relative that is flat to third order at 0.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .core import blockwise
from .registry import Activation, Kink, Param, register

__all__ = ["softshrink", "hardshrink", "tanhshrink"]


def _threshold(lambd: float, dtype: np.dtype) -> float:
    """lambda rounded to the working format (inf if it exceeds the largest float)."""
    with np.errstate(over="ignore"):
        return float(np.asarray(lambd, dtype=dtype))


def _shrunk(x: np.ndarray, lambd: float, out: np.ndarray) -> np.ndarray:
    r""":math:`x - \operatorname{clip}(x, -\lambda, \lambda)` into ``out``: the
    soft-shrinkage value.

    Above the dead zone this is :math:`x - \lambda`, below it :math:`x + \lambda`,
    each rounded once, as the branches alone give; inside it :math:`x - x = +0`
    exactly; NaN stays NaN. With an infinite :math:`\lambda` every x, the
    infinities included, is in the dead zone (and ``inf - inf`` must not be
    formed).
    """
    lam = _threshold(lambd, x.dtype)
    if lam == np.inf:
        out[...] = 0
        out[np.isnan(x)] = np.nan
        return out
    np.clip(x, -lam, lam, out=out)
    return np.subtract(x, out, out=out)


def _dead_zone_slope(x: np.ndarray, lambd: float, out: np.ndarray,
                     shrunk: np.ndarray | None = None) -> np.ndarray:
    r"""1 for :math:`|x| > \lambda`, 0 on :math:`[-\lambda, \lambda]` (so 0 at the
    kinks, as PyTorch's ``shrink_backward``), NaN at NaN, into ``out``; 1
    everywhere when :math:`\lambda = 0`, where there is no kink at all.

    It is :math:`\lceil \operatorname{clip}(t, 0, 1) \rceil` of a t that is
    positive exactly where :math:`|x| > \lambda`, 0 or negative elsewhere, NaN at
    NaN: :math:`|x| - \lambda` (the difference of two distinct floats never
    rounds to 0), or, when the soft-shrunk value of :func:`_shrunk` is at hand, its
    absolute value. Arithmetic instead of a selection between two arrays, which
    costs several times more when the sign of x is random, and no ``sign``, which
    branches on it. With an infinite :math:`\lambda` every x, the infinities
    included, is in the dead zone (and ``inf - inf`` must not be formed).
    """
    if lambd == 0:
        # sign x is -1, 0 or 1 (NaN at NaN); a floor of 1 makes it 1 everywhere
        np.sign(x, out=out)
        return np.maximum(out, 1.0, out=out)
    if shrunk is not None:
        np.abs(shrunk, out=out)
    else:
        lam = _threshold(lambd, x.dtype)
        if lam == np.inf:
            out[...] = 0
            out[np.isnan(x)] = np.nan
            return out
        np.abs(x, out=out)
        np.subtract(out, lam, out=out)
    np.clip(out, 0, 1, out=out)
    return np.ceil(out, out=out)


def _lambd_param() -> Param:
    return Param(
        0.5,
        0.0,
        float("inf"),
        "half-width of the dead zone [-lambda, lambda] (PyTorch lambd, Keras "
        "threshold: 0.5)",
        symbol="lambda",
    )


def _kink_slope(lambd: float) -> float:
    return 1.0 if lambd == 0 else 0.0


_SHRINK_KINK_FRAMEWORKS = {
    "pytorch": "0 (also at lambd = 0, where this book returns 1)",
    "jax": "0 (jnp.where with strict comparisons)",
    "tensorflow": "0",
    "keras": "0",
}


def _softshrink(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
                lambd: float) -> None:
    r""":math:`x - \lambda` above the dead zone, :math:`x + \lambda` below, else 0
    (one rounding per value, see :func:`_shrunk`), and its 0/1 slope (see
    :func:`_dead_zone_slope`, from the value when both are asked for); NaN stays
    NaN."""
    if y is not None:
        _shrunk(x, lambd, y)
    if dy is not None:
        _dead_zone_slope(x, lambd, dy, shrunk=y)


softshrink = register(
    Activation(
        "softshrink",
        kernel=_softshrink,
        sym=lambda x, lambd: sp.Piecewise(
            (x - lambd, x > lambd), (x + lambd, x < -lambd), (0, True)
        ),
        params={"lambd": _lambd_param()},
        kinks=(
            Kink(lambda lambd: -lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
            Kink(lambda lambd: lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
        ),
    )
)


def _hardshrink(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
                lambd: float) -> None:
    r""":math:`x` for :math:`|x| > \lambda`, else 0, and its 0/1 slope (see
    :func:`_dead_zone_slope`); NaN stays NaN.

    The value is x times the slope or, when the slope is not asked for, times
    the 0/1 test :math:`|x| > \lambda`, which gives the same product for every x
    but NaN (NaN either way); adding 0 turns the :math:`-0` of a negative x in the
    dead zone into :math:`+0`. With an infinite :math:`\lambda` the infinities
    are in the dead zone too, and :math:`\infty \cdot 0` must not be formed: the
    value is the soft-shrunk one, 0.
    """
    if dy is not None:
        _dead_zone_slope(x, lambd, dy)
    if y is None:
        return
    lam = _threshold(lambd, x.dtype)
    if lam == np.inf:
        _shrunk(x, lambd, y)
        return
    keep = dy if dy is not None else np.abs(x, out=y) > lam
    np.multiply(x, keep, out=y)
    np.add(y, 0.0, out=y)


hardshrink = register(
    Activation(
        "hardshrink",
        kernel=_hardshrink,
        sym=lambda x, lambd: sp.Piecewise(
            (x, x > lambd), (x, x < -lambd), (0, True)
        ),
        params={"lambd": _lambd_param()},
        kinks=(
            Kink(lambda lambd: -lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
            Kink(lambda lambd: lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
        ),
    )
)


def _tanhshrink_series(terms: int) -> np.ndarray:
    r"""Coefficients :math:`a_k` of :math:`x - \tanh x = x^3 \sum_k a_k x^{2k}`.

    :math:`\tanh x = \sum_{n \ge 1} 2^{2n}(2^{2n} - 1) B_{2n} x^{2n-1} / (2n)!`; the
    :math:`n = 1` term is :math:`x` itself, so :math:`a_k` is minus the
    :math:`n = k + 2` coefficient.
    """
    return np.array([float(-sp.Integer(4**n * (4**n - 1)) * sp.bernoulli(2 * n)
                           / sp.factorial(2 * n)) for n in range(2, terms + 2)])


_SERIES_CUTOFF = 0.55
"""Below it the series is used: x - tanh x loses up to log2(x / (x - tanh x))
bits to cancellation, about 3.4 bits at 0.55 and 2 more per halving of x."""
_SERIES = _tanhshrink_series(21)
"""21 terms: the last one is below 1e-18 of the sum for |x| < 0.55."""
_SERIES_CUTOFF32 = 2.0**-6
"""For a float32 result, computed in float64, the direct difference loses about
log2(3/x^2) of float64's 53 bits, 14 at this cutoff: 39 remain, far more than
float32's 24. Only below it is the series needed."""
_SERIES32 = _SERIES[:5]
"""5 terms: for |x| < 2^-6 the first one left out is below 1e-20 of the sum."""


def _tanhshrink_small(x: np.ndarray, y: np.ndarray, at: np.ndarray,
                      series: np.ndarray) -> None:
    """Overwrite ``y`` with the series (in float64) at the flat indices ``at``.

    The series is evaluated on those elements only (about a tenth of a N(0, 4^2)
    sample), gathered by index, not on the whole array.
    """
    if at.size == 0:
        return
    xs = np.asarray(x.reshape(-1)[at], dtype=np.float64)
    u = xs * xs
    acc = np.full_like(xs, series[-1])
    for c in series[-2::-1]:
        acc *= u
        acc += c
    y.reshape(-1)[at] = xs * u * acc


def _tanhshrink(x: np.ndarray, y: np.ndarray | None,
                dy: np.ndarray | None) -> None:
    r""":math:`x - \tanh x` into ``y`` and its slope
    :math:`1 - \operatorname{sech}^2 x = \tanh^2 x` (no cancellation) into
    ``dy``, from one ``tanh``.

    The value: a series for :math:`|x| < 0.55`, the direct difference beyond
    (exact there by Sterbenz' lemma up to :math:`|x| \approx 1.9`, so only
    tanh's own rounding remains). Float32 is computed in float64 and rounded
    once: the difference must keep the digits the float32 ``tanh`` would lose to
    cancellation, and in float64 it is accurate enough down to
    :math:`|x| = 2^{-6}`. It is widened a block at a time, so the wide temporaries
    stay in cache and are recycled by the allocator instead of being mapped
    afresh.
    """
    wide = x.dtype == np.float64
    if y is not None:  # y serves as scratch for |x| before it gets its value
        cutoff = _SERIES_CUTOFF if wide else _SERIES_CUTOFF32
        at = np.flatnonzero(np.abs(x, out=y) < cutoff)
    if wide:
        t = np.tanh(x, out=y if dy is None else dy)
        if y is not None:
            np.subtract(x, t, out=y)
        if dy is not None:
            np.multiply(dy, dy, out=dy)
    else:
        def block(xb, yb, db, t):
            w = xb.astype(np.float64)
            np.tanh(w, out=t)
            if yb is not None:
                np.subtract(w, t, out=yb, casting="same_kind")
            if db is not None:
                np.multiply(t, t, out=db, casting="same_kind")

        blockwise(block, x, y, dy, scratch=(np.float64,))
    if y is not None:
        _tanhshrink_small(x, y, at, _SERIES if wide else _SERIES32)


tanhshrink = register(
    Activation(
        "tanhshrink",
        kernel=_tanhshrink,
        sym=lambda x: x - sp.tanh(x),
        via_output=None,
    )
)
