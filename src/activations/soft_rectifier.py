"""Soft rectifiers: smooth (or piecewise-polynomial) functions shaped like ReLU.

Each tends to 0 on the left and to the identity on the right (log-sigmoid is the
mirror image, tending to the identity on the left and to 0 on the right; the bent
identity tends to slopes 1/2 and 3/2).  What they differ in is how the corner at 0
is rounded off: a logarithm of an exponential (softplus), a square root (squareplus,
bent identity) or a parabola (sparse plus).
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import sympy as sp
from sympy.codegen.cfunctions import log1p

from . import core
from .registry import Activation, Kink, Param, register

__all__ = ["softplus", "squareplus", "sparse_plus", "log_sigmoid", "bent_identity",
           "shifted_softplus", "sqrt_softplus"]


def _c(value: float, x: np.ndarray) -> np.ndarray:
    """A constant in the dtype of ``x``."""
    return np.asarray(value, dtype=x.dtype)


# --- softplus ------------------------------------------------------------------------


def _softplus_block(x, y, dy, t, e, w, beta):
    if beta == 1:
        t = x
    else:
        with np.errstate(over="ignore"):
            np.multiply(_c(beta, x), x, out=t)
    np.abs(t, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    if y is not None:
        np.log1p(e, out=w)
        if beta != 1:
            w /= _c(beta, x)
        np.clip(x, 0.0, np.inf, out=y)
        y += w
    if dy is not None:
        np.add(e, 1.0, out=w)
        np.clip(t, -np.inf, 0.0, out=dy)
        np.exp(dy, out=dy)
        dy /= w


def _softplus(x, y, dy, beta):
    r"""Softplus and its derivative, sharing :math:`e = e^{-|\beta x|}`, a block at
    a time.

    * :math:`f = \tfrac1\beta\log(1+e^{\beta x}) = \max(x,0) + \tfrac1\beta
      \operatorname{log1p}(e)`.  The exponential's argument is never positive, so
      nothing overflows, and the left tail keeps its relative accuracy (``log1p``
      of a tiny number is that number).  ``max(x, 0)`` is not divided by beta, so
      a large ``x`` is returned exactly, whatever beta is.  For |beta x| beyond the
      float range the product rounds to inf and ``exp(-inf) = 0`` is the correctly
      rounded value.
    * :math:`f' = \sigma(\beta x) = e^{\min(\beta x, 0)}/(1+e)`: :math:`1/(1+e)` on
      the right, :math:`e/(1+e)` on the left, chosen by a second exponential of a
      clamped argument instead of a per-element branch; no form overflows or
      cancels.
    """
    core.blockwise(partial(_softplus_block, beta=beta), x, y, dy,
                   scratch=(x.dtype,) * 3)


softplus = register(
    Activation(
        "softplus",
        kernel=_softplus,
        sym=lambda x, beta: sp.log(1 + sp.exp(beta * x)) / beta,
        via_output=lambda y: 1 - sp.exp(-sp.Symbol("beta", real=True,
                                                   nonnegative=True) * y),
        params={
            "beta": Param(
                1.0,
                0.25,
                10.0,
                "sharpness: f = log(1 + exp(beta x)) / beta (PyTorch: 1; JAX, "
                "TensorFlow, Keras have beta = 1 only)",
                symbol="beta",
            )
        },
    )
)


# --- squareplus ----------------------------------------------------------------------


def _squareplus_block(x, y, dy, a, h, s, b):
    # a = |x|, h = sqrt(a^2 + b), s = f(-a) = (b/4) / (h/2 + a/2)
    half = _c(0.5, x)
    np.abs(x, out=a)
    np.hypot(a, _c(math.sqrt(b), x), out=h)
    np.multiply(half, h, out=s)
    np.multiply(half, a, out=a)
    s += a
    np.divide(_c(b / 4, x), s, out=s)
    left = ~(x >= 0)  # and NaN
    if y is not None:
        with np.errstate(over="ignore"):
            np.add(x, s, out=y)
        core.put(y, s, left)
    if dy is not None:
        np.divide(s, h, out=a)
        np.subtract(1, a, out=dy)
        core.put(dy, a, left)


def _squareplus(x, y, dy, b):
    r""":math:`\tfrac12\bigl(x + \sqrt{x^2+b}\bigr)` and its derivative
    :math:`\tfrac12\bigl(1 + x/\sqrt{x^2+b}\bigr)`, a block at a time.

    For x < 0 the sum cancels; the same number is
    :math:`s = (b/4) / \bigl(\tfrac12\sqrt{x^2+b} + \tfrac12|x|\bigr)`, a quotient
    of positive terms.  For x >= 0, :math:`f(x) = x + f(-x)`.  ``hypot(x, sqrt b)``
    is :math:`h = \sqrt{x^2+b}` without squaring x (which overflows beyond 1e154),
    and halving before adding keeps the largest floats from overflowing.

    For x < 0, where :math:`1 + x/h` cancels, the slope is the equal
    :math:`s / h`; for x >= 0, :math:`f'(x) = 1 - f'(-x)`, which stays in
    [1/2, 1) and so loses nothing.
    """
    core.blockwise(partial(_squareplus_block, b=b), x, y, dy,
                   scratch=(x.dtype,) * 3)


squareplus = register(
    Activation(
        "squareplus",
        kernel=_squareplus,
        sym=lambda x, b: (x + sp.sqrt(x**2 + b)) / 2,
        via_output=lambda y: y**2 / (y**2 + sp.Symbol("b", real=True,
                                                      nonnegative=True) / 4),
        params={
            "b": Param(
                4.0,
                0.01,
                16.0,
                "curvature at 0: f(0) = sqrt(b)/2 (JAX, Keras: 4); b -> 0 gives ReLU",
                symbol="b",
            )
        },
    )
)


# --- sparse plus ---------------------------------------------------------------------


def _sparse_plus_block(x, y, dy, beta, edge):
    t = y if dy is None else dy
    np.clip(x, -edge, edge, out=t)
    t += edge
    if y is not None:
        np.multiply(t, t, out=y)
        y /= 4
        if beta != 1.0:
            core.divide(y, beta, out=y)
        core.put(y, x, x >= edge)
        core.put(y, 0, x <= -edge)
    if dy is not None:
        dy /= 2
        if beta != 1.0:
            core.divide(dy, beta, out=dy)
        nan = np.isnan(x)
        if nan.any():
            np.copyto(dy, x, where=nan)


def _sparse_plus(x, y, dy, beta):
    r""":math:`0` for :math:`x \le -\beta`, :math:`(x+\beta)^2/(4\beta)` on
    :math:`(-\beta, \beta)`, :math:`x` for :math:`x \ge \beta` (SmeLU; sparse plus
    is :math:`\beta = 1`).  ``x + beta`` is exact near :math:`-\beta` (Sterbenz),
    and the middle branch is clamped so that squaring never overflows.

    The slope :math:`0`, :math:`(x+\beta)/(2\beta)`, :math:`1` is continuous, so at
    :math:`\mp\beta` every convention gives the same 0 and 1.  Both are formed from
    the clamped :math:`x + \beta` (written over the slope's output when it is
    wanted), a block at a time.  :math:`\beta` is rounded to the input's dtype for
    the breakpoints and divided by as the number it is (``core.divide``); at
    :math:`\beta = 1` the division is skipped.
    """
    edge = np.asarray(beta, x.dtype)
    core.blockwise(lambda xb, yb, dyb: _sparse_plus_block(xb, yb, dyb, beta, edge),
                   x, y, dy)


sparse_plus = register(
    Activation(
        "sparse_plus",
        kernel=_sparse_plus,
        # The middle branch last: each condition is then decidable just beside
        # either breakpoint, which the one-sided limits rely on.
        sym=lambda x, beta: sp.Piecewise(
            (0, x <= -beta), (x, x >= beta), ((x + beta) ** 2 / (4 * beta), True)
        ),
        params={
            "beta": Param(
                1.0, 0.01, 10.0,
                "half-width of the quadratic piece (SmeLU's beta; JAX and Keras fix "
                "it at 1)",
                symbol="beta",
            ),
        },
        kinks=(
            Kink(lambda beta: -beta, lambda beta: 0.0,
                 {"pytorch": "none built in", "jax": "0", "tensorflow": "0",
                  "keras": "0 (f′ is continuous)"}),
            Kink(lambda beta: beta, lambda beta: 1.0,
                 {"pytorch": "none built in", "jax": "1", "tensorflow": "1",
                  "keras": "1 (f′ is continuous)"}),
        ),
    )
)


# --- log-sigmoid ---------------------------------------------------------------------


def _log_sigmoid_block(x, y, dy, e, w):
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    if y is not None:
        np.log1p(e, out=w)
        np.clip(x, -np.inf, 0.0, out=y)
        y -= w
    if dy is not None:
        np.add(e, 1.0, out=w)
        np.clip(x, 0.0, np.inf, out=dy)
        np.negative(dy, out=dy)
        np.exp(dy, out=dy)
        dy /= w


def _log_sigmoid(x, y, dy):
    r"""Log-sigmoid and its derivative, sharing :math:`e = e^{-|x|}`, a block at a
    time.

    * :math:`f = \log\sigma(x) = -\operatorname{softplus}(-x)
      = \min(x, 0) - \operatorname{log1p}(e)`.  Both terms are non-positive, so
      they never cancel; for large positive x the value is :math:`-e^{-x}` to full
      relative accuracy, where ``log(sigmoid(x))`` would give exactly 0.
    * :math:`f' = \sigma(-x) = 1 - \sigma(x)`, computed without the subtraction as
      :math:`e^{-\max(x, 0)}/(1+e)`.
    """
    core.blockwise(_log_sigmoid_block, x, y, dy, scratch=(x.dtype,) * 2)


log_sigmoid = register(
    Activation(
        "log_sigmoid",
        kernel=_log_sigmoid,
        sym=lambda x: -sp.log(1 + sp.exp(-x)),
        via_output=lambda y: 1 - sp.exp(y),
    )
)


# --- bent identity -------------------------------------------------------------------


def _bent_identity_block(x, y, dy, h, a, b):
    one = _c(1.0, x)
    half = _c(0.5, x)
    np.hypot(x, one, out=h)
    if y is not None:
        # the middle: x + (x^2 / (h + 1)) / 2, at x clamped to [-1, 1]
        np.clip(x, -1, 1, out=a)
        np.multiply(a, a, out=a)
        np.add(h, 1, out=b)
        np.divide(a, b, out=a)
        np.multiply(half, a, out=a)
        np.add(x, a, out=y)
        with np.errstate(over="ignore"):
            # the left: x/2 - 1/2 + 1 / (2 (h - x)), at x clamped to (-inf, -1]
            np.minimum(x, -1, out=a)
            np.subtract(h, a, out=b)
            np.divide(half, b, out=b)
            np.multiply(half, a, out=a)
            np.subtract(a, half, out=a)
            np.add(a, b, out=a)
            core.put(y, a, x <= -1)
            # the right: x + (h - 1) / 2, at x clamped to [1, inf)
            np.subtract(h, 1, out=b)
            np.multiply(half, b, out=b)
            np.maximum(x, 1, out=a)
            np.add(a, b, out=a)
            core.put(y, a, x >= 1)
    if dy is not None:
        # x/h is +-1 at +-inf (inf/inf would be NaN).
        inf = np.isinf(x)
        if inf.any():
            np.divide(x, h, out=dy, where=~inf)
            np.sign(x, out=dy, where=inf)
        else:
            np.divide(x, h, out=dy)
        dy /= 2
        np.add(1, dy, out=dy)


def _bent_identity(x, y, dy):
    r""":math:`\tfrac12(\sqrt{x^2+1} - 1) + x`, in three cancellation-free forms,
    and its derivative :math:`1 + x/(2\sqrt{x^2+1})`, between 1/2 and 3/2: no
    cancellation.  Both share :math:`h = \sqrt{x^2+1}`, ``hypot(x, 1)``, which
    never squares a large x.

    * :math:`|x| < 1`: :math:`\sqrt{x^2+1} - 1` cancels; it equals
      :math:`x^2/(\sqrt{x^2+1}+1)`.
    * :math:`x \ge 1`: the direct form, a sum of positive terms.
    * :math:`x \le -1`: :math:`x + \sqrt{x^2+1}` cancels; with
      :math:`x + \sqrt{x^2+1} = 1/(\sqrt{x^2+1} - x)` the value is
      :math:`x/2 - 1/2 + 1/\bigl(2(\sqrt{x^2+1} - x)\bigr)`.

    Each branch is evaluated at x clamped to its own region, so no branch sees an
    infinity it cannot handle: in its region the clamped x is x, and elsewhere
    (where its result is not used) :math:`h \ge 1` and :math:`h \ge |x|` keep
    every operation free of inf - inf and inf / inf.  Near the largest float the
    exact value (about 1.5x) exceeds it and inf is the correctly rounded result.
    """
    core.blockwise(_bent_identity_block, x, y, dy, scratch=(x.dtype,) * 3)


bent_identity = register(
    Activation(
        "bent_identity",
        kernel=_bent_identity,
        sym=lambda x: (sp.sqrt(x**2 + 1) - 1) / 2 + x,
    )
)


# --- shifted softplus ----------------------------------------------------------------


def _shifted_softplus_block(x, y, e):
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.expm1(e, out=e)
    e *= _c(0.5, x)
    np.log1p(e, out=e)
    np.clip(x, 0.0, np.inf, out=y)
    y += e


def _shifted_softplus(x, y, dy):
    r""":math:`\operatorname{softplus}(x) - \log 2 = \log\tfrac{1+e^x}{2}` and its
    derivative :math:`\sigma(x)`, a block at a time.

    Subtracting :math:`\log 2` from a computed softplus cancels near 0, where the
    value is about x/2: every digit of a small result would be lost.  The same
    number is :math:`\max(x, 0) + \operatorname{log1p}\bigl(\tfrac12
    \operatorname{expm1}(-|x|)\bigr)`: ``expm1`` and ``log1p`` keep the small
    terms, the argument of ``log1p`` lies in (-1/2, 0], and for x > 0 the sum is
    at least x/2, so adding the negative logarithm loses at most one bit.
    Nothing overflows: the exponential's argument is never positive.  The slope
    is the registry's sigmoid (:func:`activations.core.sigmoid`).
    """
    if y is not None:
        core.blockwise(_shifted_softplus_block, x, y, scratch=(x.dtype,))
    if dy is not None:
        core.sigmoid(x, dy, None)


shifted_softplus = register(
    Activation(
        "shifted_softplus",
        kernel=_shifted_softplus,
        sym=lambda x: sp.log(1 + sp.exp(x)) - sp.log(2),
        via_output=lambda y: 1 - sp.exp(-y) / 2,
    )
)


# --- square root of softplus ---------------------------------------------------------


def _sqrt_softplus_block(x, y, dy, e, h, r, s):
    # e = exp(-|x|), kept above 0 so that log1p(e)/e is never 0/0 (it is then 1)
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.maximum(e, _c(np.finfo(x.dtype).smallest_subnormal, x), out=e)
    np.log1p(e, out=r)
    np.clip(x, 0.0, np.inf, out=s)
    s += r
    np.sqrt(s, out=s)  # the right branch: sqrt(x + log1p(e^-x))
    np.divide(r, e, out=r)
    np.sqrt(r, out=r)  # sqrt(log1p(e^x) / e^x), between sqrt(log 2) and 1
    np.clip(x, -np.inf, 0.0, out=h)
    h *= _c(0.5, x)
    np.exp(h, out=h)  # the left branch's factor e^{x/2}
    left = x <= 0  # NaN takes the right branch, where it stays NaN
    if dy is not None:
        e += 1
        np.multiply(e, s, out=dy)
        dy *= 2
        np.divide(1, dy, out=dy)  # sigma(x) / (2 f) = 1 / (2 (1 + e^-x) f)
        e *= r
        e *= 2
        np.divide(h, e, out=e)  # e^{x/2} / (2 (1 + e^x) r)
        core.put(dy, e, left)
    if y is not None:
        np.multiply(h, r, out=y)
        core.put(y, s, ~left)


def _sqrt_softplus(x, y, dy):
    r""":math:`\sqrt{\operatorname{softplus}(x)}` and its derivative
    :math:`\sigma(x) / \bigl(2\sqrt{\operatorname{softplus}(x)}\bigr)`, a block at a
    time, from :math:`e = e^{-|x|}`.

    * x > 0: :math:`f = \sqrt{x + \operatorname{log1p}(e)}` and
      :math:`f' = 1/\bigl(2(1+e)f\bigr)`; nothing overflows, and at +inf the
      slope is 1/inf = 0.
    * x <= 0: softplus(x) is about :math:`e^{x}`, which underflows near
      x = -745 (-104 in float32) while its square root :math:`e^{x/2}` is still
      a normal number down to twice that.  So the square root is taken
      first: :math:`f = e^{x/2}\,r` with :math:`r = \sqrt{\operatorname{log1p}(e)/e}`
      (between :math:`\sqrt{\log 2}` and 1, and 1 once e underflows), and
      :math:`f' = e^{x/2}/\bigl(2(1+e)\,r\bigr)`, which tends to f/2.
    """
    core.blockwise(_sqrt_softplus_block, x, y, dy, scratch=(x.dtype,) * 4)


sqrt_softplus = register(
    Activation(
        "sqrt_softplus",
        kernel=_sqrt_softplus,
        # log1p: the mpmath reference then keeps e^x beside 1 at any x (its
        # square root e^{x/2} is a double down to x = -1490)
        sym=lambda x: sp.sqrt(log1p(sp.exp(x))),
    )
)
