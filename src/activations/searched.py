"""Activations found by search: the cube and the functions of Ramachandran et al.

:func:`maxsig`, :func:`maxtanh`, :func:`minsin` and :func:`cosper` are among the
best functions the automated search of Ramachandran, Zoph and Le (2017) found;
Eger, Youssef and Gurevych (2018) compared them with the cube and classic
activations across NLP tasks.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from . import core
from .registry import Activation, Kink, register

__all__ = ["cube", "maxsig", "maxtanh", "minsin", "cosper", "MAXSIG_KINK",
           "MAXSIG_KINK_SLOPE"]


# --- cube -----------------------------------------------------------------------
def _wide(x: np.ndarray) -> np.ndarray:
    """x in float64 (exactly), for a power of float32 x rounded once at the end."""
    return x.astype(np.float64, copy=False)


def _cube(x: np.ndarray) -> np.ndarray:
    """x³; beyond the cube root of the largest float, inf is the rounded result.

    A float32 x is cubed in float64 and rounded once to float32: two float32
    roundings may push a cube that rounds to the largest float32 over it, to inf
    (x = 6981463572480).
    """
    w = _wide(x)
    with np.errstate(over="ignore"):
        return (w * w * w).astype(x.dtype, copy=False)


def _cube_derivative(x: np.ndarray) -> np.ndarray:
    """3x², in float64 for a float32 x (as :func:`_cube`)."""
    w = _wide(x)
    with np.errstate(over="ignore"):
        return (3.0 * (w * w)).astype(x.dtype, copy=False)


cube = register(
    Activation(
        "cube",
        title="Cube",
        zh="立方函数",
        family="searched",
        fn=_cube,
        deriv=_cube_derivative,
        sym=lambda x: x**3,
        aliases=("cubic",),
        frameworks={
            "pytorch": "no built-in: torch.pow(x, 3)",
            "jax": "no built-in: x ** 3 (jax.lax.integer_pow(x, 3))",
            "tensorflow": "no built-in: tf.math.pow(x, 3)",
        },
        references=("chen2014fast", "eger2018time"),
        related=("maxtanh", "cosper"),
    )
)


# --- max(x, sigmoid x) ------------------------------------------------------------
MAXSIG_KINK = 0.6590460684074066
r"""The root of :math:`x = \sigma(x)`, 0.659046068407406660984386495928867551698...
(mpmath, 50 digits), rounded to float64 (1.2e-17 below the root).

In float64 ``sigmoid(MAXSIG_KINK) == MAXSIG_KINK`` exactly: the two curves tie."""

MAXSIG_KINK_SLOPE = 0.22470434812414652
r"""The left slope at the kink, :math:`\sigma'(x_0) = x_0(1 - x_0)`, correctly
rounded (mpmath, at the float kink and at the exact root alike); the sigmoid's
derivative formula gives one ULP less there."""


def _maxsig(x: np.ndarray) -> np.ndarray:
    r""":math:`\max(x, \sigma(x))`: :math:`\sigma(x)` for :math:`x \le x_0`, else x.

    The branch is chosen by comparing x, in float64, with the float64 crossing
    point; float32 is computed in float64 and rounded once, so that float32 inputs
    beside the kink fall on the same side as their exact values.
    """
    t = x.astype(np.float64)
    out = np.where(t > MAXSIG_KINK, t, core.value(core.sigmoid, t))
    return out.astype(x.dtype)


def _maxsig_derivative(x: np.ndarray) -> np.ndarray:
    r"""1 right of the crossing, :math:`\sigma'(x)` left of it and *at* it.

    At :math:`x_0` the left slope :math:`\sigma'(x_0) = x_0(1 - x_0)` is returned
    (ties go to the sigmoid branch).
    """
    t = x.astype(np.float64)
    left = np.where(t == MAXSIG_KINK, MAXSIG_KINK_SLOPE, core.slope(core.sigmoid, t))
    return np.where(t > MAXSIG_KINK, 1.0, left).astype(x.dtype)


def _maxsig_expr(x):
    from .symbolic import exact

    return sp.Piecewise((x, x > exact(MAXSIG_KINK)), (1 / (1 + sp.exp(-x)), True))


maxsig = register(
    Activation(
        "maxsig",
        title="MaxSig",
        zh="恒等函数与 S 型函数的较大者(max(x, σ(x)))",
        family="searched",
        fn=_maxsig,
        deriv=_maxsig_derivative,
        sym=_maxsig_expr,
        aliases=("max_sigmoid",),
        kinks=(
            Kink(
                MAXSIG_KINK,
                lambda: MAXSIG_KINK_SLOPE,
                {
                    "pytorch": "(1 + σ'(x0))/2 ≈ 0.612 for torch.maximum(x, "
                    "torch.sigmoid(x)) in float64, where the tie is exact",
                    "jax": "(1 + σ'(x0))/2 ≈ 0.612 for jnp.maximum(x, "
                    "jax.nn.sigmoid(x)) at an exact tie",
                    "tensorflow": "1 for tf.maximum(x, tf.sigmoid(x)) at a tie "
                    "(the gradient goes to the first argument)",
                },
            ),
        ),
        frameworks={
            "pytorch": "no built-in: torch.maximum(x, torch.sigmoid(x))",
            "jax": "no built-in: jnp.maximum(x, jax.nn.sigmoid(x))",
            "tensorflow": "no built-in: tf.maximum(x, tf.sigmoid(x))",
        },
        references=("ramachandran2017searching", "eger2018time"),
        related=("sigmoid", "maxtanh", "relu"),
    )
)


# --- max(x, tanh x) ---------------------------------------------------------------
def _maxtanh(x: np.ndarray) -> np.ndarray:
    r""":math:`\max(x, \tanh x)`: x for :math:`x > 0`, :math:`\tanh x` otherwise."""
    return np.where(x > 0, x, np.tanh(x))


def _maxtanh_derivative(x: np.ndarray) -> np.ndarray:
    r"""1 for :math:`x > 0`, :math:`\mathrm{sech}^2 x` otherwise (1 at 0 either way)."""
    return np.where(x > 0, np.ones_like(x), core.slope(core.tanh, x))


# What autodiff returns at the tie x = 0, where both arguments have slope 1:
# torch.maximum/torch.minimum (PyTorch 2.13) and jnp.maximum/jnp.minimum (JAX 0.10)
# split a tie evenly, (1 + 1)/2.
_TIE_AT_ZERO_MAX = {
    "pytorch": "1 (torch.maximum splits a tie, (1 + 1)/2)",
    "jax": "1 (jnp.maximum splits a tie, (1 + 1)/2)",
    "tensorflow": "1 (both slopes are 1)",
}
_TIE_AT_ZERO_MIN = {
    "pytorch": "1 (torch.minimum splits a tie, (1 + 1)/2)",
    "jax": "1 (jnp.minimum splits a tie, (1 + 1)/2)",
    "tensorflow": "1 (both slopes are 1)",
}

maxtanh = register(
    Activation(
        "maxtanh",
        title="MaxTanh",
        zh="最大双曲正切函数(max(x, tanh x))",
        family="searched",
        fn=_maxtanh,
        deriv=_maxtanh_derivative,
        sym=lambda x: sp.Piecewise((x, x > 0), (sp.tanh(x), True)),
        aliases=("max_tanh",),
        # Not a corner: both one-sided slopes are 1; f''' jumps (0 vs -2), so C^2.
        kinks=(Kink(0.0, lambda: 1.0, _TIE_AT_ZERO_MAX),),
        frameworks={
            "pytorch": "no built-in: torch.maximum(x, torch.tanh(x))",
            "jax": "no built-in: jnp.maximum(x, jnp.tanh(x))",
            "tensorflow": "no built-in: tf.maximum(x, tf.tanh(x))",
        },
        references=("ramachandran2017searching", "eger2018time"),
        related=("tanh", "maxsig", "relu"),
    )
)


# --- min(x, sin x) ----------------------------------------------------------------
def _minsin(x: np.ndarray) -> np.ndarray:
    r""":math:`\min(x, \sin x)`: :math:`\sin x` for :math:`x > 0`, x otherwise.

    At :math:`+\infty` it oscillates for ever (NaN, no warning); at
    :math:`-\infty` it is :math:`-\infty`.
    """
    pos = x > 0
    s = np.sin(np.where(np.isinf(x), np.zeros_like(x), x))
    s = np.where(np.isinf(x), np.asarray(np.nan, dtype=x.dtype), s)
    return np.where(pos, s, x)


def _minsin_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\cos x` for :math:`x > 0`, 1 otherwise (1 at 0 either way)."""
    c = np.cos(np.where(np.isinf(x), np.zeros_like(x), x))
    c = np.where(np.isinf(x), np.asarray(np.nan, dtype=x.dtype), c)
    one = np.where(np.isnan(x), x, np.ones_like(x))
    return np.where(x > 0, c, one)


minsin = register(
    Activation(
        "minsin",
        title="MinSin",
        zh="最小正弦函数(min(x, sin x))",
        family="searched",
        fn=_minsin,
        deriv=_minsin_derivative,
        sym=lambda x: sp.Piecewise((sp.sin(x), x > 0), (x, True)),
        aliases=("min_sin",),
        # Not a corner: both one-sided slopes are 1; f''' jumps (-1 vs 0), so C^2.
        kinks=(Kink(0.0, lambda: 1.0, _TIE_AT_ZERO_MIN),),
        frameworks={
            "pytorch": "no built-in: torch.minimum(x, torch.sin(x))",
            "jax": "no built-in: jnp.minimum(x, jnp.sin(x))",
            "tensorflow": "no built-in: tf.minimum(x, tf.sin(x))",
        },
        references=("ramachandran2017searching", "eger2018time"),
        related=("sin", "maxtanh"),
    )
)


# --- cos x - x ------------------------------------------------------------------
def _cosper(x: np.ndarray) -> np.ndarray:
    r""":math:`\cos x - x`; at :math:`\pm\infty` it is :math:`\mp\infty`."""
    c = np.cos(np.where(np.isinf(x), np.zeros_like(x), x))
    return c - x


def _cosper_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`-\sin x - 1 = -(\sin\tfrac{x}{2} + \cos\tfrac{x}{2})^2`.

    Where the slope touches 0 (:math:`x = -\pi/2 + 2k\pi`), ``1 + sin x``
    loses digits to the sine's absolute error; the square's error there is that
    of rounding x itself. No limit at :math:`\pm\infty` (NaN).
    """
    h = np.where(np.isinf(x), np.zeros_like(x), x) / 2
    s = np.sin(h) + np.cos(h)
    return np.where(np.isinf(x), np.asarray(np.nan, dtype=x.dtype), -(s * s))


cosper = register(
    Activation(
        "cosper",
        title="CosPer",
        zh="余弦减恒等函数(cos x − x)",
        family="searched",
        fn=_cosper,
        deriv=_cosper_derivative,
        sym=lambda x: sp.cos(x) - x,
        aliases=("cosid", "cos_minus_x"),
        frameworks={
            "pytorch": "no built-in: torch.cos(x) - x",
            "jax": "no built-in: jnp.cos(x) - x",
            "tensorflow": "no built-in: tf.cos(x) - x",
        },
        references=("ramachandran2017searching", "eger2018time"),
        related=("cos", "minsin", "snake"),
    )
)
