"""Shrinkage activations: pull small inputs to (or towards) zero.

Soft and hard shrinkage are the proximal maps of sparse coding and wavelet
denoising: inputs with :math:`|x| \\le \\lambda` become 0, larger ones are shifted
towards 0 by :math:`\\lambda` (soft) or kept (hard). Tanhshrink, :math:`x - \\tanh x`,
is a smooth relative that is flat to third order at 0.
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import numpy as np
import sympy as sp

from .core import blockwise, new, pair
from .registry import Activation, Kink, Param, register

__all__ = ["softshrink", "hardshrink", "tanhshrink"]


def _threshold(lambd: float, dtype: np.dtype) -> float:
    """lambda rounded to the working format (inf if it exceeds the largest float)."""
    with np.errstate(over="ignore"):
        return float(np.asarray(lambd, dtype=dtype))


def _shrunk(x: np.ndarray, lambd: float, out: np.ndarray) -> np.ndarray:
    r""":math:`x - \operatorname{clip}(x, -\lambda, \lambda)` into ``out``: the
    soft-shrinkage value, and the test of the dead zone, in one operation.

    Above the dead zone this is :math:`x - \lambda`, below it :math:`x + \lambda`,
    each rounded once, as the branches alone give; inside it :math:`x - x = +0`
    exactly; NaN stays NaN. It is non-zero exactly where :math:`|x| > \lambda`,
    since the difference of two distinct floats never rounds to 0. With an
    infinite :math:`\lambda` every x, the infinities included, is in the dead zone
    (and ``inf - inf`` must not be formed).
    """
    lam = _threshold(lambd, x.dtype)
    if lam == np.inf:
        out[...] = 0
        out[np.isnan(x)] = np.nan
        return out
    np.clip(x, -lam, lam, out=out)
    return np.subtract(x, out, out=out)


def _dead_zone_slope(x: np.ndarray, shrunk: np.ndarray, lambd: float,
                     out: np.ndarray) -> np.ndarray:
    r"""1 for :math:`|x| > \lambda`, 0 on :math:`[-\lambda, \lambda]` (so 0 at the
    kinks, as PyTorch's ``shrink_backward``), NaN at NaN; 1 everywhere when
    :math:`\lambda = 0`, where there is no kink at all.

    It is :math:`|\operatorname{sign}|` of the shrunk value (``shrunk`` from
    :func:`_shrunk`): arithmetic on the sign instead of a selection between two
    arrays, which costs several times more when the sign of x is random. (``out``
    must not be ``shrunk``: NumPy's sign is fast only out of place.)
    """
    if lambd == 0:
        # sign x is -1, 0 or 1 (NaN at NaN); a floor of 1 makes it 1 everywhere
        np.sign(x, out=out)
        return np.maximum(out, 1.0, out=out)
    np.sign(shrunk, out=out)
    return np.abs(out, out=out)


def _shrink_slope(x: np.ndarray, lambd: float) -> np.ndarray:
    return _dead_zone_slope(x, _shrunk(x, lambd, new(x)), lambd, new(x))


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


def _softshrink(x: np.ndarray, lambd: float) -> np.ndarray:
    r""":math:`x - \lambda` above the dead zone, :math:`x + \lambda` below, else 0.

    One rounding per value (see :func:`_shrunk`); NaN stays NaN.
    """
    return _shrunk(x, lambd, new(x))


def _softshrink_both(x: np.ndarray, lambd: float) -> tuple[np.ndarray, np.ndarray]:
    def block(xb: np.ndarray, yb: np.ndarray, db: np.ndarray) -> None:
        _dead_zone_slope(xb, _shrunk(xb, lambd, yb), lambd, db)

    return blockwise(block, x, *pair(x))


softshrink = register(
    Activation(
        "softshrink",
        title="Softshrink",
        zh="软收缩函数(软阈值函数)",
        family="shrinkage",
        fn=_softshrink,
        deriv=_shrink_slope,
        both=_softshrink_both,
        sym=lambda x, lambd: sp.Piecewise(
            (x - lambd, x > lambd), (x + lambd, x < -lambd), (0, True)
        ),
        params={"lambd": _lambd_param()},
        aliases=("soft_shrink", "soft_threshold", "soft_thresholding"),
        kinks=(
            Kink(lambda lambd: -lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
            Kink(lambda lambd: lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.softshrink(x, lambd=0.5) / "
            "torch.nn.Softshrink",
            "jax": "no jax.nn function; keras.activations.soft_shrink on JAX",
            "tensorflow": "keras.activations.soft_shrink(x, threshold=0.5)",
            "keras": "keras.activations.soft_shrink(x, threshold=0.5)",
        },
        references=("donoho1995denoising", "daubechies2004iterative",
                    "gregor2010learning"),
        related=("hardshrink", "tanhshrink"),
    )
)


def _hardshrink_value(x: np.ndarray, slope: np.ndarray, lambd: float,
                      out: np.ndarray) -> np.ndarray:
    r""":math:`x` times the 0/1 slope; adding 0 turns the :math:`-0` of a negative x
    in the dead zone into :math:`+0`. NaN stays NaN (its slope is NaN). With an
    infinite :math:`\lambda` the infinities are in the dead zone too, and
    :math:`\infty \cdot 0` must not be formed: the value is the shrunk one, 0."""
    if _threshold(lambd, x.dtype) == np.inf:
        return _shrunk(x, lambd, out)
    np.multiply(x, slope, out=out)
    return np.add(out, 0.0, out=out)


def _hardshrink(x: np.ndarray, lambd: float) -> np.ndarray:
    r""":math:`x` for :math:`|x| > \lambda`, else 0; NaN stays NaN."""
    d = _shrink_slope(x, lambd)
    return _hardshrink_value(x, d, lambd, d)


def _hardshrink_both(x: np.ndarray, lambd: float) -> tuple[np.ndarray, np.ndarray]:
    def block(xb: np.ndarray, yb: np.ndarray, db: np.ndarray) -> None:
        _dead_zone_slope(xb, _shrunk(xb, lambd, yb), lambd, db)  # yb: scratch here
        _hardshrink_value(xb, db, lambd, yb)

    return blockwise(block, x, *pair(x))


hardshrink = register(
    Activation(
        "hardshrink",
        title="Hardshrink",
        zh="硬收缩函数(硬阈值函数)",
        family="shrinkage",
        fn=_hardshrink,
        deriv=_shrink_slope,
        both=_hardshrink_both,
        sym=lambda x, lambd: sp.Piecewise(
            (x, x > lambd), (x, x < -lambd), (0, True)
        ),
        params={"lambd": _lambd_param()},
        aliases=("hard_shrink", "hard_threshold", "hard_thresholding"),
        kinks=(
            Kink(lambda lambd: -lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
            Kink(lambda lambd: lambd, _kink_slope, _SHRINK_KINK_FRAMEWORKS),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.hardshrink(x, lambd=0.5) / "
            "torch.nn.Hardshrink",
            "jax": "no jax.nn function; keras.activations.hard_shrink on JAX",
            "tensorflow": "keras.activations.hard_shrink(x, threshold=0.5)",
            "keras": "keras.activations.hard_shrink(x, threshold=0.5)",
        },
        references=("donoho1994ideal", "blumensath2009iterative"),
        related=("softshrink", "threshold"),
    )
)


def _bernoulli(n: int) -> Fraction:
    """B_n (with B_1 = -1/2) from the recurrence sum_k C(n+1, k) B_k = 0."""
    b = [Fraction(1)]
    for m in range(1, n + 1):
        acc = sum(Fraction(factorial(m + 1), factorial(k) * factorial(m + 1 - k)) * b[k]
                  for k in range(m))
        b.append(-acc / (m + 1))
    return b[n]


def _tanhshrink_series(terms: int) -> np.ndarray:
    r"""Coefficients :math:`a_k` of :math:`x - \tanh x = x^3 \sum_k a_k x^{2k}`.

    :math:`\tanh x = \sum_{n \ge 1} 2^{2n}(2^{2n} - 1) B_{2n} x^{2n-1} / (2n)!`; the
    :math:`n = 1` term is :math:`x` itself, so :math:`a_k` is minus the
    :math:`n = k + 2` coefficient.
    """
    out = []
    for k in range(terms):
        n = k + 2
        c = Fraction(4**n * (4**n - 1)) * _bernoulli(2 * n) / factorial(2 * n)
        out.append(float(-c))
    return np.array(out)


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


def _tanhshrink_into(x: np.ndarray, y: np.ndarray | None,
                     d: np.ndarray | None) -> None:
    r""":math:`x - \tanh x` into ``y`` and :math:`\tanh^2 x` into ``d`` (each only if
    given; new C-ordered arrays), from one ``tanh``.

    Float32 is computed in float64 and rounded once: the difference must keep the
    digits the float32 ``tanh`` would lose to cancellation. It is widened a block
    at a time, so the wide temporaries stay in cache and are recycled by the
    allocator instead of being mapped afresh.
    """
    wide = x.dtype == np.float64
    if y is not None:  # y serves as scratch for |x| before it gets its value
        cutoff = _SERIES_CUTOFF if wide else _SERIES_CUTOFF32
        at = np.flatnonzero(np.abs(x, out=y) < cutoff)
    if wide:
        t = np.tanh(x, out=y if d is None else d)
        if y is not None:
            np.subtract(x, t, out=y)
        if d is not None:
            np.multiply(d, d, out=d)
    else:
        def block(xb, yb, db, t):
            w = xb.astype(np.float64)
            np.tanh(w, out=t)
            if yb is not None:
                np.subtract(w, t, out=yb, casting="same_kind")
            if db is not None:
                np.multiply(t, t, out=db, casting="same_kind")

        blockwise(block, x, y, d, scratch=(np.float64,))
    if y is not None:
        _tanhshrink_small(x, y, at, _SERIES if wide else _SERIES32)


def _tanhshrink(x: np.ndarray) -> np.ndarray:
    r""":math:`x - \tanh x`: a series for :math:`|x| < 0.55`, the direct difference
    beyond (exact there by Sterbenz' lemma up to :math:`|x| \approx 1.9`, so only
    tanh's own rounding remains). Float32 is computed in float64, where the
    direct difference is accurate enough down to :math:`|x| = 2^{-6}`, and rounded
    once."""
    y = new(x)
    _tanhshrink_into(x, y, None)
    return y


def _tanhshrink_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1 - \operatorname{sech}^2 x = \tanh^2 x`, no cancellation."""
    d = new(x)
    _tanhshrink_into(x, None, d)
    return d


def _tanhshrink_both(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y, d = pair(x)
    _tanhshrink_into(x, y, d)
    return y, d


tanhshrink = register(
    Activation(
        "tanhshrink",
        title="Tanhshrink",
        zh="双曲正切收缩函数",
        family="shrinkage",
        fn=_tanhshrink,
        deriv=_tanhshrink_derivative,
        both=_tanhshrink_both,
        sym=lambda x: x - sp.tanh(x),
        aliases=("tanh_shrink",),
        via_output=None,
        frameworks={
            "pytorch": "torch.nn.functional.tanhshrink / torch.nn.Tanhshrink",
            "jax": "no jax.nn function; x - jnp.tanh(x)",
            "tensorflow": "keras.activations.tanh_shrink(x)",
            "keras": "keras.activations.tanh_shrink(x)",
        },
        references=("collobert2011torch7", "paszke2019pytorch"),
        related=("tanh", "softshrink", "identity"),
    )
)
