"""Periodic and radial activations: sine, cosine, sinc, Gaussian and Snake.

Sine and cosine oscillate for ever, so they have no limit at ``±inf``: there they
return NaN (SymPy's answer is an accumulation interval, ``AccumBounds(-1, 1)``),
without the ``RuntimeWarning`` that ``np.sin(np.inf)`` raises.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .core import new, pair
from .registry import Activation, Param, register

__all__ = ["sin", "cos", "sinc", "gaussian", "snake"]


def _finite(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x with infinities replaced by 0, mask of the infinities)``.

    ``np.sin(inf)`` is NaN *with* an "invalid value" warning; evaluating at 0
    instead and writing the answer at the infinities afterwards avoids it.
    """
    inf = np.isinf(x)
    return np.where(inf, np.zeros_like(x), x), inf


def _no_limit(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """NaN where x is infinite: an oscillating function has no limit there."""
    return np.where(np.isinf(x), np.asarray(np.nan, dtype=x.dtype), out)


def _phase(x: np.ndarray, a: np.ndarray) -> np.ndarray:
    r""":math:`\alpha x` for finite x, with x capped so the product cannot overflow.

    Beyond the cap (only for :math:`\alpha > 1` and :math:`|x|` near the largest
    float) the phase is meaningless anyway: one ULP of x spans many periods.
    """
    cap = np.finfo(x.dtype).max / np.maximum(a, np.asarray(1, dtype=x.dtype))
    return a * np.clip(_finite(x)[0], -cap, cap)


def _sin(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``np.sin`` itself: at ±inf it returns NaN, the answer wanted there; only its
    "invalid value" warning is silenced (no other input raises it)."""
    if out is None:
        out = new(x)
    with np.errstate(invalid="ignore"):
        return np.sin(x, out=out)


def _cos(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``np.cos``, NaN at ±inf without the warning (see :func:`_sin`)."""
    if out is None:
        out = new(x)
    with np.errstate(invalid="ignore"):
        return np.cos(x, out=out)


def _neg_sin(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    # 0 - sin x rather than -sin x: cos'(0) is +0, not -0
    s = _sin(x, out)
    return np.subtract(0.0, s, out=s)


def _sin_both(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y, d = pair(x)
    return _sin(x, y), _cos(x, d)


def _cos_both(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y, d = pair(x)
    return _cos(x, y), _neg_sin(x, d)


sin = register(
    Activation(
        "sin",
        title="Sine",
        zh="正弦函数",
        family="periodic",
        fn=_sin,
        deriv=_cos,
        both=_sin_both,
        sym=sp.sin,
        aliases=("sine",),
        frameworks={
            "pytorch": "torch.sin",
            "jax": "jax.numpy.sin",
            "tensorflow": "tf.math.sin",
            "keras": "keras.ops.sin",
        },
        references=("sitzmann2020implicit", "tancik2020fourier",
                    "parascandolo2016taming"),
        related=("cos", "snake", "sinc"),
    )
)

cos = register(
    Activation(
        "cos",
        title="Cosine",
        zh="余弦函数",
        family="periodic",
        fn=_cos,
        deriv=_neg_sin,
        both=_cos_both,
        sym=sp.cos,
        aliases=("cosine",),
        frameworks={
            "pytorch": "torch.cos",
            "jax": "jax.numpy.cos",
            "tensorflow": "tf.math.cos",
            "keras": "keras.ops.cos",
        },
        references=("tancik2020fourier", "rahimi2007random", "sitzmann2020implicit"),
        related=("sin", "gaussian", "cosper"),
    )
)


# --- sinc ----------------------------------------------------------------------
# sinc(x) = sin(x)/x, unnormalised (np.sinc, torch.sinc and jnp.sinc are
# sin(pi x)/(pi x)).  Taylor coefficients of sinc and of its derivative:
#   sinc(x)  = sum_k (-1)^k x^(2k) / (2k+1)!
#   sinc'(x) = sum_{k>=1} (-1)^k 2k x^(2k-1) / (2k+1)!
_SINC_SMALL = 0.125
"""Below this |x| the value comes from its Taylor polynomial (terms to x^8)."""
_SINC_COEF = [(-1) ** k / math.factorial(2 * k + 1) for k in range(5)]
_DSINC_SMALL = 1.0
"""Below this |x| the derivative comes from its Taylor polynomial (to x^23)."""
_DSINC_COEF = [(-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(1, 13)]


def _horner(coefs: list[float], z: np.ndarray) -> np.ndarray:
    """sum_k coefs[k] z^k, by Horner's rule in the dtype of ``z``."""
    acc = np.zeros_like(z)
    for c in reversed(coefs):
        acc = acc * z + np.asarray(c, dtype=z.dtype)
    return acc


def _sinc(x: np.ndarray) -> np.ndarray:
    r""":math:`\sin x / x`, 1 at 0, 0 at ±inf.

    Near 0 the Taylor polynomial (no 0/0); elsewhere the quotient, which is
    accurate to about one ULP since ``sin`` is.
    """
    x0, inf = _finite(x)
    small = np.abs(x0) < _SINC_SMALL
    safe = np.where(small, np.ones_like(x0), x0)
    tiny = np.where(small, x0, np.zeros_like(x0))  # x² of a huge x would overflow
    series = _horner(_SINC_COEF, tiny * tiny)
    out = np.where(small, series, np.sin(safe) / safe)
    return np.where(inf, np.zeros_like(x), out)


def _sinc_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`(x\cos x - \sin x)/x^2`, written ``(cos x - sin(x)/x)/x``.

    The numerator cancels to :math:`-x^3/3` near 0, so for :math:`|x| < 1` the
    odd Taylor polynomial is used; dividing twice by x instead of by :math:`x^2`
    keeps huge x from overflowing.
    """
    x0, inf = _finite(x)
    small = np.abs(x0) < _DSINC_SMALL
    safe = np.where(small, np.ones_like(x0), x0)
    tiny = np.where(small, x0, np.zeros_like(x0))
    series = tiny * _horner(_DSINC_COEF, tiny * tiny) + np.asarray(0, dtype=x.dtype)
    direct = (np.cos(safe) - np.sin(safe) / safe) / safe
    out = np.where(small, series, direct)
    return np.where(inf, np.zeros_like(x), out)


sinc = register(
    Activation(
        "sinc",
        title="Sinc",
        zh="辛格函数(sinc 函数)",
        family="periodic",
        fn=_sinc,
        deriv=_sinc_derivative,
        # The removable singularity made explicit, so that SymPy's f' and f''
        # (and their mpmath evaluation) are defined at 0 too.
        sym=lambda x: sp.Piecewise((sp.sin(x) / x, sp.Ne(x, 0)), (1, True)),
        aliases=("cardinal_sine", "unnormalized_sinc"),
        frameworks={
            "pytorch": "torch.sinc(x / math.pi) (torch.sinc is normalised)",
            "jax": "jax.numpy.sinc(x / jnp.pi) (jnp.sinc is normalised)",
            "tensorflow": "tf.experimental.numpy.sinc(x / np.pi) (normalised)",
        },
        references=("ramachandran2017searching", "parascandolo2016taming"),
        related=("sin", "gaussian"),
    )
)


# --- Gaussian -------------------------------------------------------------------
def _gaussian(x: np.ndarray) -> np.ndarray:
    r""":math:`e^{-x^2}`; |x| is capped at 1e3 so that x² cannot overflow
    (:math:`e^{-10^6}` is 0 in every format)."""
    t = np.minimum(np.abs(x), np.asarray(1e3, dtype=x.dtype))
    return np.exp(-(t * t))


def _gaussian_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`-2x e^{-x^2}`.

    For :math:`|x| > 1` it is written :math:`-\operatorname{sign}(x)\,
    e^{\log(2|x|) - x^2}`: one rounding at the end, where the product would
    round twice once :math:`e^{-x^2}` is subnormal (float32 at |x| = 10 lost
    nine units that way). |x| is capped at 1e3 so nothing overflows.
    """
    t = np.minimum(np.abs(x), np.asarray(1e3, dtype=x.dtype))
    big = t > 1
    tb = np.where(big, t, np.ones_like(t))
    tail = -np.sign(x) * np.exp(np.log(2 * tb) - tb * tb)
    xs = np.where(big, np.zeros_like(x), x)
    core = np.asarray(-2, dtype=x.dtype) * xs * np.exp(-(xs * xs))
    # adding 0 turns -0 into +0 at x = 0
    return np.where(big, tail, core) + np.asarray(0, dtype=x.dtype)


gaussian = register(
    Activation(
        "gaussian",
        title="Gaussian",
        zh="高斯函数",
        family="periodic",
        fn=_gaussian,
        deriv=_gaussian_derivative,
        sym=lambda x: sp.exp(-(x**2)),
        via_output=None,
        aliases=("gauss", "gaussian_bump"),
        frameworks={
            "pytorch": "no built-in: torch.exp(-x**2)",
            "jax": "no built-in: jnp.exp(-x**2)",
            "tensorflow": "no built-in: tf.exp(-tf.square(x))",
        },
        references=("broomhead1988radial", "park1991universal", "ramasinghe2022beyond"),
        related=("sinc", "sigmoid"),
    )
)


# --- Snake ----------------------------------------------------------------------
def _snake(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`x + \sin^2(\alpha x)/\alpha`, as ``x + s * (s / alpha)``.

    The paper's equivalent form :math:`x + (1 - \cos 2\alpha x)/(2\alpha)` loses
    every digit of the periodic term when :math:`\alpha x` is small; this one
    keeps them for any :math:`\alpha > 0` (and never squares an underflowing s).
    """
    a = np.asarray(alpha, dtype=x.dtype)
    s = np.sin(_phase(x, a))
    return np.where(np.isinf(x), x, x + s * (s / a))


def _snake_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`1 + \sin 2\alpha x = (\sin\alpha x + \cos\alpha x)^2`.

    Where the slope touches 0, ``1 + sin`` loses digits to the absolute error
    of the sine; the square's error there is that of rounding the phase.
    """
    u = _phase(x, np.asarray(alpha, dtype=x.dtype))
    out = np.sin(u) + np.cos(u)
    return _no_limit(x, out * out)


def _snake_partial_alpha(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\partial f/\partial\alpha = (2\alpha x\sin\alpha x\cos\alpha x
    - \sin^2\alpha x)/\alpha^2 = (s/\alpha)\,(2x\cos\alpha x - s/\alpha)`."""
    a = np.asarray(alpha, dtype=x.dtype)
    x0, _ = _finite(x)
    u = _phase(x, a)
    q = np.sin(u) / a
    with np.errstate(over="ignore"):  # |x| near the largest float: inf is right
        out = q * (2 * (x0 * np.cos(u)) - q)
    return _no_limit(x, out)


snake = register(
    Activation(
        "snake",
        title="Snake",
        zh="Snake 函数(蛇形激活函数)",
        family="periodic",
        fn=_snake,
        deriv=_snake_derivative,
        sym=lambda x, alpha: x + sp.sin(alpha * x) ** 2 / alpha,
        params={
            "alpha": Param(
                1.0,
                0.01,
                1.25,
                "frequency of the periodic term (learnable; the paper's a)",
                symbol="alpha",
                learnable=True,
            )
        },
        partials={"alpha": _snake_partial_alpha},
        aliases=("snake_activation",),
        frameworks={
            "pytorch": "no built-in: x + torch.sin(alpha * x) ** 2 / alpha",
            "jax": "no built-in: x + jnp.sin(alpha * x) ** 2 / alpha",
            "tensorflow": "no built-in (tfa.activations.snake in TensorFlow Addons)",
        },
        references=("liu2020neural", "lee2023bigvgan"),
        related=("sin", "cosper"),
    )
)
