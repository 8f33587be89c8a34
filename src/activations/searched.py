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
from .registry import Activation, Kink, exact, get, register

__all__ = ["cube", "maxsig", "maxtanh", "minsin", "cosper", "arctid", "MAXSIG_KINK",
           "MAXSIG_KINK_SLOPE"]


# --- cube -----------------------------------------------------------------------
def _cube_wide(w, y, dy):
    with np.errstate(over="ignore"):
        if y is not None:
            np.multiply(w, w, out=y)
            y *= w
        if dy is not None:
            np.multiply(w, w, out=dy)
            np.multiply(3.0, dy, out=dy)


def _cube_narrow(x, y, dy, w, t):
    np.copyto(w, x)  # exact
    with np.errstate(over="ignore"):  # a float32 beyond the largest: inf
        if y is not None:
            _cube_wide(w, t, None)
            np.copyto(y, t, casting="same_kind")
        if dy is not None:
            _cube_wide(w, None, t)
            np.copyto(dy, t, casting="same_kind")


def _cube(x, y, dy):
    """x³ and 3x²; beyond the cube root of the largest float, inf is the rounded
    result.

    A float32 x is cubed in float64 (where x is exact) and rounded once to
    float32, a block at a time: two float32 roundings may push a cube that rounds
    to the largest float32 over it, to inf (x = 6981463572480).  The same for
    3x².
    """
    if x.dtype == np.float64:
        _cube_wide(x, y, dy)
    else:
        core.blockwise(_cube_narrow, x, y, dy, scratch=(np.float64, np.float64))


cube = register(
    Activation(
        "cube",
        kernel=_cube,
        sym=lambda x: x**3,
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


def _maxsig_wide(t, s, ds):
    core.sigmoid(t, s, ds)
    right = t > MAXSIG_KINK
    if s is not None:
        core.put(s, t, right)
    if ds is not None:
        np.copyto(ds, MAXSIG_KINK_SLOPE, where=t == MAXSIG_KINK)
        core.put(ds, 1.0, right)


def _maxsig_narrow(x, y, dy, t, s, ds):
    np.copyto(t, x)  # exact
    _maxsig_wide(t, None if y is None else s, None if dy is None else ds)
    if y is not None:
        np.copyto(y, s, casting="same_kind")
    if dy is not None:
        np.copyto(dy, ds, casting="same_kind")


def _maxsig(x, y, dy):
    r""":math:`\max(x, \sigma(x))`: :math:`\sigma(x)` for :math:`x \le x_0`, else x;
    its slope 1 right of the crossing, :math:`\sigma'(x)` left of it and *at* it
    (:func:`activations.core.sigmoid`).

    The branch is chosen by comparing x, in float64, with the float64 crossing
    point; float32 is computed in float64 and rounded once, so that float32
    inputs beside the kink fall on the same side as their exact values.  A block
    at a time.  At :math:`x_0` the left slope :math:`\sigma'(x_0) = x_0(1 - x_0)` is
    returned (ties go to the sigmoid branch), correctly rounded.
    """
    if x.dtype == np.float64:
        core.blockwise(_maxsig_wide, x, y, dy)
    else:
        core.blockwise(_maxsig_narrow, x, y, dy, scratch=(np.float64,) * 3)


def _maxsig_expr(x):
    return sp.Piecewise((x, x > exact(MAXSIG_KINK)), (1 / (1 + sp.exp(-x)), True))


maxsig = register(
    Activation(
        "maxsig",
        kernel=_maxsig,
        sym=_maxsig_expr,
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
    )
)


# --- max(x, tanh x) ---------------------------------------------------------------
def _maxtanh_block(x, y, dy):
    core.tanh(x, y, dy)
    right = x > 0
    if y is not None:
        core.put(y, x, right)
    if dy is not None:
        core.put(dy, 1.0, right)


def _maxtanh(x, y, dy):
    r""":math:`\max(x, \tanh x)`: x for :math:`x > 0`, :math:`\tanh x` otherwise
    (:func:`activations.core.tanh`); its slope 1 for :math:`x > 0`,
    :math:`\mathrm{sech}^2 x` otherwise (1 at 0 either way), a block at a time."""
    core.blockwise(_maxtanh_block, x, y, dy)


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
        kernel=_maxtanh,
        sym=lambda x: sp.Piecewise((x, x > 0), (sp.tanh(x), True)),
        # Not a corner: both one-sided slopes are 1; f''' jumps (0 vs -2), so C^2.
        kinks=(Kink(0.0, lambda: 1.0, _TIE_AT_ZERO_MAX),),
    )
)


# --- min(x, sin x) ----------------------------------------------------------------
def _trig_finite(fn, x, out, inf):
    """``out`` := ``fn(x)`` (``np.sin``, ``np.cos``) where x is finite, fn(0) at
    the infinities (``inf``: a mask, or None where x has none), for the caller to
    overwrite (:func:`~activations.core.finite_into`)."""
    if inf is not None:
        core.finite_into(x, out)
        fn(out, out=out)
    else:
        fn(x, out=out)


def _infinities(x):
    """The mask of x's infinities, or None if it has none (the usual case)."""
    inf = np.isinf(x)
    return inf if inf.any() else None


def _minsin_block(x, y, dy):
    inf = _infinities(x)
    left = ~(x > 0)  # and NaN
    if y is not None:
        _trig_finite(np.sin, x, y, inf)
        if inf is not None:
            np.copyto(y, np.nan, where=inf)
        core.put(y, x, left)
    if dy is not None:
        _trig_finite(np.cos, x, dy, inf)
        if inf is not None:
            np.copyto(dy, np.nan, where=inf)
        core.put(dy, 1.0, left)
        nan = np.isnan(x)
        if nan.any():
            np.copyto(dy, x, where=nan)


def _minsin(x, y, dy):
    r""":math:`\min(x, \sin x)`: :math:`\sin x` for :math:`x > 0`, x otherwise; its
    slope :math:`\cos x` for :math:`x > 0`, 1 otherwise (1 at 0 either way).

    At :math:`+\infty` both oscillate for ever (NaN, no warning); at
    :math:`-\infty` the value is :math:`-\infty` and the slope 1.
    """
    core.blockwise(_minsin_block, x, y, dy)


minsin = register(
    Activation(
        "minsin",
        kernel=_minsin,
        sym=lambda x: sp.Piecewise((sp.sin(x), x > 0), (x, True)),
        # Not a corner: both one-sided slopes are 1; f''' jumps (-1 vs 0), so C^2.
        kinks=(Kink(0.0, lambda: 1.0, _TIE_AT_ZERO_MIN),),
    )
)


# --- cos x - x ------------------------------------------------------------------
def _cosper_block(x, y, dy, s):
    inf = _infinities(x)
    if y is not None:
        _trig_finite(np.cos, x, y, inf)
        np.subtract(y, x, out=y)
    if dy is not None:
        h = dy
        np.copyto(h, x)
        if inf is not None:
            np.copyto(h, 0, where=inf)
        h /= 2
        np.sin(h, out=s)
        np.cos(h, out=dy)
        np.add(s, dy, out=dy)
        np.multiply(dy, dy, out=dy)
        np.negative(dy, out=dy)
        if inf is not None:
            np.copyto(dy, np.nan, where=inf)


def _cosper(x, y, dy):
    r""":math:`\cos x - x`, at :math:`\pm\infty` :math:`\mp\infty`; its slope
    :math:`-\sin x - 1 = -(\sin\tfrac{x}{2} + \cos\tfrac{x}{2})^2`.

    Where the slope touches 0 (:math:`x = -\pi/2 + 2k\pi`), ``1 + sin x``
    loses digits to the sine's absolute error; the square's error there is that
    of rounding x itself. No limit at :math:`\pm\infty` (NaN).
    """
    core.blockwise(_cosper_block, x, y, dy, scratch=(x.dtype,))


cosper = register(
    Activation(
        "cosper",
        kernel=_cosper,
        sym=lambda x: sp.cos(x) - x,
    )
)


# --- arctan(x)^2 - x ---------------------------------------------------------------
def _arctid_wide(t, y, dy, u):
    np.arctan(t, out=u)
    if y is not None:
        np.multiply(u, u, out=y)
        y -= t
    if dy is not None:
        get("arctan").kernel(t, None, dy)  # 1/(1 + x^2), without overflow
        dy *= u
        dy *= 2
        dy -= 1


def _arctid_narrow(x, y, dy, t, v, dv, u):
    np.copyto(t, x)  # exact
    _arctid_wide(t, None if y is None else v, None if dy is None else dv, u)
    if y is not None:
        np.copyto(y, v, casting="same_kind")
    if dy is not None:
        np.copyto(dy, dv, casting="same_kind")


def _arctid(x, y, dy):
    r""":math:`(\arctan x)^2 - x` and :math:`2\arctan(x)/(1 + x^2) - 1`, sharing
    :math:`\arctan x`; the factor :math:`1/(1 + x^2)` is the registered arctan's
    slope, which does not overflow.

    Neither difference cancels badly: :math:`(\arctan x)^2` is at most about
    0.64 |x| for x > 0 and has the other sign for x < 0, and the first term of
    the slope is at most about 0.82, so the slope lies in about [-1.82, -0.18].
    float32 is computed in float64 (where x is exact) and rounded once, a block
    at a time.
    """
    if x.dtype == np.float64:
        core.blockwise(_arctid_wide, x, y, dy, scratch=(np.float64,))
    else:
        core.blockwise(_arctid_narrow, x, y, dy, scratch=(np.float64,) * 4)


arctid = register(
    Activation(
        "arctid",
        kernel=_arctid,
        sym=lambda x: sp.atan(x) ** 2 - x,
    )
)
