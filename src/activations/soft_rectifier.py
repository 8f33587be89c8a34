"""Soft rectifiers: smooth (or piecewise-polynomial) functions shaped like ReLU.

Each tends to 0 on the left and to the identity on the right (log-sigmoid is the
mirror image, tending to the identity on the left and to 0 on the right; the bent
identity tends to slopes 1/2 and 3/2).  What they differ in is how the corner at 0
is rounded off: a logarithm of an exponential (softplus), a square root (squareplus,
bent identity) or a parabola (sparse plus).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .core import elementwise, from_pair
from .registry import Activation, Kink, Param, register

__all__ = ["softplus", "squareplus", "sparse_plus", "log_sigmoid", "bent_identity"]


def _c(value: float, x: np.ndarray) -> np.ndarray:
    """A constant in the dtype of ``x``."""
    return np.asarray(value, dtype=x.dtype)


# --- softplus ------------------------------------------------------------------------


@elementwise
def _softplus_pair(x: np.ndarray, beta: float, value: bool = True,
                   slope: bool = True):
    r"""``(f, f')`` of softplus (either may be skipped, as None), sharing
    :math:`e = e^{-|\beta x|}`.

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
    if beta == 1:
        t = x
    else:
        with np.errstate(over="ignore"):
            t = _c(beta, x) * x
    e = np.abs(t)
    np.negative(e, out=e)
    np.exp(e, out=e)
    y = dy = None
    if value:
        log = np.log1p(e)
        if beta != 1:
            log /= _c(beta, x)
        y = np.clip(x, 0.0, np.inf)
        y += log
    if slope:
        w = np.add(e, 1.0, out=log if value else None)
        dy = np.clip(t, -np.inf, 0.0, out=e)
        np.exp(dy, out=dy)
        dy /= w
    return y, dy


_softplus, _softplus_derivative, _softplus_both = from_pair(_softplus_pair)


softplus = register(
    Activation(
        "softplus",
        title="Softplus",
        zh="软加函数(SoftPlus)",
        family="soft_rectifier",
        fn=_softplus,
        deriv=_softplus_derivative,
        both=_softplus_both,
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
        aliases=("soft_plus", "smooth_relu"),
        frameworks={
            "pytorch": "torch.nn.functional.softplus(x, beta=1.0, threshold=20.0)"
            "  # returns x where beta*x > threshold",
            "jax": "jax.nn.softplus(x)  # logaddexp(x, 0); beta = 1 only",
            "tensorflow": "tf.math.softplus(x) / tf.nn.softplus  # beta = 1 only",
            "keras": "keras.activations.softplus(x)  # beta = 1 only",
        },
        references=("dugas2001incorporating", "glorot2011deep", "nair2010relu"),
        related=("relu", "squareplus"),
    )
)


# --- squareplus ----------------------------------------------------------------------


def _squareplus_left(x: np.ndarray, b: float):
    """``(a, h, s)``: :math:`a = |x|`, :math:`h = \\sqrt{a^2+b}` and
    :math:`s = f(-a) = (b/4) / (h/2 + a/2)`, all without overflow."""
    a = np.abs(x)
    h = np.hypot(a, _c(math.sqrt(b), x))
    half = _c(0.5, x)
    return a, h, _c(b / 4, x) / (half * h + half * a)


def _squareplus(x: np.ndarray, b: float) -> np.ndarray:
    r""":math:`\tfrac12\bigl(x + \sqrt{x^2+b}\bigr)`.

    For x < 0 the sum cancels; the same number is
    :math:`(b/4) / \bigl(\tfrac12\sqrt{x^2+b} + \tfrac12|x|\bigr)`, a quotient of
    positive terms.  For x >= 0, :math:`f(x) = x + f(-x)`.  ``hypot(x, sqrt b)`` is
    :math:`\sqrt{x^2+b}` without squaring x (which overflows beyond 1e154), and
    halving before adding keeps the largest floats from overflowing.
    """
    _, _, s = _squareplus_left(x, b)
    with np.errstate(over="ignore"):
        return np.where(x >= 0, x + s, s)


def _squareplus_derivative(x: np.ndarray, b: float) -> np.ndarray:
    r""":math:`\tfrac12\bigl(1 + x/\sqrt{x^2+b}\bigr)`.

    For x < 0, where :math:`1 + x/h` cancels, the equal
    :math:`(b/4) / h / (h/2 + |x|/2)`; for x >= 0, :math:`f'(x) = 1 - f'(-x)`,
    which stays in [1/2, 1) and so loses nothing.
    """
    _, h, s = _squareplus_left(x, b)
    left = s / h
    return np.where(x >= 0, 1 - left, left)


squareplus = register(
    Activation(
        "squareplus",
        title="Squareplus",
        zh="平方加函数(Squareplus)",
        family="soft_rectifier",
        fn=_squareplus,
        deriv=_squareplus_derivative,
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
        aliases=("square_plus",),
        frameworks={
            "pytorch": "none; (x + torch.sqrt(x * x + b)) / 2",
            "jax": "jax.nn.squareplus(x, b=4)  # the direct formula",
            "tensorflow": "none in tf.nn; keras.activations.squareplus(x, b=4)",
            "keras": "keras.activations.squareplus(x, b=4)",
        },
        references=("barron2021squareplus",),
        related=("softplus", "relu"),
    )
)


# --- sparse plus ---------------------------------------------------------------------


def _sparse_plus(x: np.ndarray) -> np.ndarray:
    r""":math:`0` for :math:`x \le -1`, :math:`(x+1)^2/4` on :math:`(-1, 1)`,
    :math:`x` for :math:`x \ge 1`.  ``x + 1`` is exact near -1 (Sterbenz), and the
    middle branch is clamped so that squaring never overflows."""
    xm = np.clip(x, -1, 1)
    mid = (xm + 1) * (xm + 1) / 4
    return np.where(x <= -1, np.zeros_like(x), np.where(x >= 1, x, mid))


def _sparse_plus_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`0`, :math:`(x+1)/2`, :math:`1`: continuous, so at -1 and 1 every
    convention gives the same 0 and 1."""
    mid = (np.clip(x, -1, 1) + 1) / 2
    return np.where(np.isnan(x), x, mid)


sparse_plus = register(
    Activation(
        "sparse_plus",
        title="Sparse plus",
        zh="稀疏加函数(SparsePlus)",
        family="soft_rectifier",
        fn=_sparse_plus,
        deriv=_sparse_plus_derivative,
        # The middle branch last: each condition is then decidable just beside
        # either breakpoint, which the one-sided limits rely on.
        sym=lambda x: sp.Piecewise(
            (0, x <= -1), (x, x >= 1), ((x + 1) ** 2 / 4, True)
        ),
        aliases=("sparseplus",),
        kinks=(
            Kink(-1.0, lambda: 0.0,
                 {"pytorch": "none built in", "jax": "0", "tensorflow": "0",
                  "keras": "0 (f′ is continuous)"}),
            Kink(1.0, lambda: 1.0,
                 {"pytorch": "none built in", "jax": "1", "tensorflow": "1",
                  "keras": "1 (f′ is continuous)"}),
        ),
        frameworks={
            "pytorch": "none; torch.where(x <= -1, 0, torch.where(x >= 1, x, "
            "(x + 1)**2 / 4))",
            "jax": "jax.nn.sparse_plus(x)",
            "tensorflow": "none in tf.nn; keras.activations.sparse_plus(x)",
            "keras": "keras.activations.sparse_plus(x) / keras.ops.sparse_plus",
        },
        references=("blondel2020learning",),
        related=("softplus", "relu", "sparse_sigmoid"),
    )
)


# --- log-sigmoid ---------------------------------------------------------------------


@elementwise
def _log_sigmoid_pair(x: np.ndarray, value: bool = True, slope: bool = True):
    r"""``(f, f')`` of log-sigmoid (either may be skipped, as None), sharing
    :math:`e = e^{-|x|}`.

    * :math:`f = \log\sigma(x) = -\operatorname{softplus}(-x)
      = \min(x, 0) - \operatorname{log1p}(e)`.  Both terms are non-positive, so
      they never cancel; for large positive x the value is :math:`-e^{-x}` to full
      relative accuracy, where ``log(sigmoid(x))`` would give exactly 0.
    * :math:`f' = \sigma(-x) = 1 - \sigma(x)`, computed without the subtraction as
      :math:`e^{-\max(x, 0)}/(1+e)`.
    """
    e = np.abs(x)
    np.negative(e, out=e)
    np.exp(e, out=e)
    y = dy = None
    if value:
        log = np.log1p(e)
        y = np.clip(x, -np.inf, 0.0)
        y -= log
    if slope:
        w = np.add(e, 1.0, out=log if value else None)
        dy = np.clip(x, 0.0, np.inf, out=e)
        np.negative(dy, out=dy)
        np.exp(dy, out=dy)
        dy /= w
    return y, dy


_log_sigmoid, _log_sigmoid_derivative, _log_sigmoid_both = from_pair(_log_sigmoid_pair)


log_sigmoid = register(
    Activation(
        "log_sigmoid",
        title="Log-sigmoid",
        zh="对数 S 型函数(LogSigmoid)",
        family="soft_rectifier",
        fn=_log_sigmoid,
        deriv=_log_sigmoid_derivative,
        both=_log_sigmoid_both,
        sym=lambda x: -sp.log(1 + sp.exp(-x)),
        via_output=lambda y: 1 - sp.exp(y),
        aliases=("logsigmoid", "log_logistic"),
        frameworks={
            "pytorch": "torch.nn.functional.logsigmoid / torch.nn.LogSigmoid",
            "jax": "jax.nn.log_sigmoid(x)  # -softplus(-x)",
            "tensorflow": "tf.math.log_sigmoid(x)",
            "keras": "keras.activations.log_sigmoid(x)",
        },
        references=("mikolov2013distributed", "goodfellow2016deep"),
        related=("sigmoid", "softplus"),
    )
)


# --- bent identity -------------------------------------------------------------------


def _bent_identity(x: np.ndarray) -> np.ndarray:
    r""":math:`\tfrac12(\sqrt{x^2+1} - 1) + x`, in three cancellation-free forms.

    * :math:`|x| < 1`: :math:`\sqrt{x^2+1} - 1` cancels; it equals
      :math:`x^2/(\sqrt{x^2+1}+1)`.
    * :math:`x \ge 1`: the direct form, a sum of positive terms.
    * :math:`x \le -1`: :math:`x + \sqrt{x^2+1}` cancels; with
      :math:`x + \sqrt{x^2+1} = 1/(\sqrt{x^2+1} - x)` the value is
      :math:`x/2 - 1/2 + 1/\bigl(2(\sqrt{x^2+1} - x)\bigr)`.

    Each branch gets an input clamped to its own region, so no branch sees an
    infinity it cannot handle; ``hypot`` never squares a large x.  Near the
    largest float the exact value (about 1.5x) exceeds it and inf is the
    correctly rounded result.
    """
    one = _c(1.0, x)
    half = _c(0.5, x)
    xm = np.clip(x, -1, 1)
    mid = x + half * (xm * xm / (np.hypot(xm, one) + 1))
    xp = np.maximum(x, 1)
    xn = np.minimum(x, -1)
    with np.errstate(over="ignore"):
        right = xp + half * (np.hypot(xp, one) - 1)
        left = half * xn - half + half / (np.hypot(xn, one) - xn)
    return np.where(x >= 1, right, np.where(x <= -1, left, mid))


def _bent_identity_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1 + x/(2\sqrt{x^2+1})`, between 1/2 and 3/2: no cancellation."""
    h = np.hypot(x, _c(1.0, x))
    # x/h is +-1 at +-inf (inf/inf would be NaN).
    ratio = np.where(np.isinf(x), np.sign(x), x / np.where(np.isinf(x), 1, h))
    return 1 + ratio / 2


bent_identity = register(
    Activation(
        "bent_identity",
        title="Bent identity",
        zh="弯曲恒等函数",
        family="soft_rectifier",
        fn=_bent_identity,
        deriv=_bent_identity_derivative,
        sym=lambda x: (sp.sqrt(x**2 + 1) - 1) / 2 + x,
        aliases=("bentidentity", "bent_id"),
        frameworks={
            "pytorch": "none; (torch.sqrt(x * x + 1) - 1) / 2 + x",
            "jax": "none; (jnp.sqrt(x * x + 1) - 1) / 2 + x",
            "tensorflow": "none; (tf.sqrt(x * x + 1) - 1) / 2 + x",
        },
        references=("godfrey2019evaluation", "kunc2024three"),
        related=("squareplus", "leaky_relu"),
    )
)
