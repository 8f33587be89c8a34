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

from .registry import Activation, Kink, Param, register

__all__ = ["softshrink", "hardshrink", "tanhshrink"]


def _keep_nan(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), x, out)


def _lambd_param() -> Param:
    return Param(
        0.5,
        0.0,
        float("inf"),
        "half-width of the dead zone [-lambda, lambda] (PyTorch lambd, Keras "
        "threshold: 0.5)",
        symbol="lambda",
    )


def _dead_zone_slope(x: np.ndarray, lambd: float) -> np.ndarray:
    r"""1 for :math:`|x| > \lambda`, 0 on :math:`[-\lambda, \lambda]` (so 0 at the
    kinks, as PyTorch's ``shrink_backward``); 1 everywhere when :math:`\lambda = 0`,
    where there is no kink at all."""
    lam = np.asarray(lambd, dtype=x.dtype)
    live = (np.abs(x) > lam) | (lambd == 0)
    return _keep_nan(x, np.where(live, np.ones_like(x), np.zeros_like(x)))


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

    One rounding per value; NaN fails ``|x| <= lambda`` and takes the shifted branch,
    which keeps it NaN.
    """
    lam = np.asarray(lambd, dtype=x.dtype)
    shifted = np.where(x > 0, x - lam, x + lam)
    return np.where(np.abs(x) <= lam, np.zeros_like(x), shifted)


softshrink = register(
    Activation(
        "softshrink",
        title="Softshrink",
        zh="软收缩函数(软阈值函数)",
        family="shrinkage",
        fn=_softshrink,
        deriv=_dead_zone_slope,
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


def _hardshrink(x: np.ndarray, lambd: float) -> np.ndarray:
    r""":math:`x` for :math:`|x| > \lambda`, else 0; NaN stays NaN."""
    lam = np.asarray(lambd, dtype=x.dtype)
    return np.where(np.abs(x) <= lam, np.zeros_like(x), x)


hardshrink = register(
    Activation(
        "hardshrink",
        title="Hardshrink",
        zh="硬收缩函数(硬阈值函数)",
        family="shrinkage",
        fn=_hardshrink,
        deriv=_dead_zone_slope,
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


def _tanhshrink64(x: np.ndarray) -> np.ndarray:
    small = np.abs(x) < _SERIES_CUTOFF
    xs = np.where(small, x, 0.0)  # the series never sees a large argument
    u = xs * xs
    acc = np.full_like(xs, _SERIES[-1])
    for c in _SERIES[-2::-1]:
        acc = acc * u + c
    return np.where(small, xs * u * acc, x - np.tanh(x))


def _tanhshrink(x: np.ndarray) -> np.ndarray:
    r""":math:`x - \tanh x`: a 21-term series for :math:`|x| < 0.55`, the direct
    difference beyond (exact there by Sterbenz' lemma up to :math:`|x| \approx 1.9`,
    so only tanh's own rounding remains). Float32 is computed in float64 and
    rounded once."""
    return _tanhshrink64(x.astype(np.float64)).astype(x.dtype, copy=False)


def _tanhshrink_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1 - \operatorname{sech}^2 x = \tanh^2 x`, no cancellation."""
    t = np.tanh(x.astype(np.float64))
    return (t * t).astype(x.dtype, copy=False)


tanhshrink = register(
    Activation(
        "tanhshrink",
        title="Tanhshrink",
        zh="双曲正切收缩函数",
        family="shrinkage",
        fn=_tanhshrink,
        deriv=_tanhshrink_derivative,
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
