"""Self-gated activations: the input scaled by a smooth gate of itself, x * g(x)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from . import core
from .registry import Activation, Kink, Param, register

__all__ = ["gelu", "gelu_tanh", "silu", "mish", "hard_swish", "quick_gelu", "hard_mish",
           "lisht", "clipped_gelu"]


def _edge(x: np.ndarray) -> float:
    """log of the smallest normal float (-87.3 in float32, -708.4 in float64):
    below it ``e^t`` is subnormal and ``e^{-t}`` is near overflow."""
    return math.log(float(np.finfo(x.dtype).tiny))


def _quiet():
    """Overflow and 0 * inf in the elements that a far-tail branch recomputes."""
    return np.errstate(over="ignore", invalid="ignore")


def _logistic(t: np.ndarray, big: np.ndarray, s: np.ndarray) -> None:
    r"""``big`` := :math:`E = e^{-t}` and ``s`` := :math:`\sigma(t) = 1/(1+E)`
    (``big`` may be t itself).

    One exponential serves both signs: :math:`1/(1+E)` is a quotient of positive
    terms, accurate to a rounding or two for every t where E is finite.  Below
    :func:`_edge` (E near or past overflow, :math:`\sigma` subnormal) the callers
    recompute their few elements with :math:`e^{t}` instead.
    """
    np.negative(t, out=big)
    with np.errstate(over="ignore"):
        np.exp(big, out=big)
    np.add(big, 1.0, out=s)
    np.divide(1.0, s, out=s)


def _logistic_slope(big: np.ndarray, s: np.ndarray) -> np.ndarray:
    r""":math:`\sigma'(t) = e^{-t}/(1+e^{-t})^2`, as :math:`(E s)\,s`, written
    over E.

    :math:`E s = E/(1+E)` lies in [0, 1], so the product stays normal as long as
    s does: never :math:`1 - \sigma`, which cancels for large t.
    """
    big *= s
    big *= s
    return big


def _far(t: np.ndarray, lo: float, hi: float = math.inf):
    """Where ``t < lo`` or ``t > hi`` (indices), or None: the usual case, nothing
    to redo.  NaN is never far.

    Two reductions (which skip NaN) decide first whether any element is far at
    all, without building a mask; the indices then let the few far elements be
    gathered and scattered without scanning a mask again each time.
    """
    if t.size == 0:
        return None
    if not (np.fmin.reduce(t, axis=None) < lo
            or (hi < math.inf and np.fmax.reduce(t, axis=None) > hi)):
        return None
    return np.nonzero((t < lo) | (t > hi))


# --- GELU ----------------------------------------------------------------------------


def _gelu_kernel(x, y, dy):
    r"""GELU and its derivative, sharing :math:`\Phi(x)` and the exponential of
    :math:`x\varphi(x)` (:func:`activations.core.ndtr_pdf`, Cody's rational
    approximation, which writes them into ``y`` and ``dy``; a new array holds
    :math:`\Phi` when only the slope is wanted).

    * :math:`f = x\Phi(x)`.  ``ndtr`` keeps the left tail (Phi(-10) = 7.6e-24)
      where 1 + erf(x) would be 0.
    * :math:`f' = \Phi(x) + x\varphi(x)`, the second term 0 (not NaN) at
      :math:`\pm\infty`.

    Below :func:`_gelu_tail_start`, where :math:`\varphi` is subnormal, both are
    recomputed by :func:`_gelu_tail`. That includes :math:`-\infty`, so the NaN
    that :math:`x\Phi(x)` makes there (:math:`-\infty \cdot 0`) never reaches
    the result.
    """
    cdf = core.new(x) if y is None else y
    core.ndtr_pdf(x, density=dy is not None, times_x=True, out=(cdf, dy))
    if dy is not None:
        dy += cdf
    if y is not None:
        with np.errstate(invalid="ignore"):  # -inf * 0, replaced by the tail below
            np.multiply(x, y, out=y)
    far = _far(x, _gelu_tail_start(x))
    if far is not None:
        yf, dyf = _gelu_tail(x[far])
        if y is not None:
            y[far] = yf
        if dy is not None:
            dy[far] = dyf


def _gelu_tail_start(x: np.ndarray) -> float:
    r"""Below this x, :math:`e^{-x^2/2}` is below the dtype's smallest normal
    number, and :math:`\Phi(x)` with it: -37.6 in float64, -13.2 in float32.
    Above it the direct products are the more accurate (see :func:`_gelu_tail`)."""
    return -math.sqrt(-2 * _edge(x))


def _gelu_tail(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``(f, f')`` on the far left, in float64 from logarithms, each rounded once.

    There :math:`\Phi(x)` and :math:`e^{-x^2/2}` are subnormal or 0 (GELU(-38) =
    -1.1e-314 came out as -0.0), so they are never formed:

    * :math:`f = x\Phi(x) = -e^{\log|x| + \log\Phi(x)}` with
      ``scipy.special.log_ndtr``;
    * :math:`f' = \Phi(x) + x\varphi(x) = -e^{L}\,(1 - e^{\log\Phi(x) - L})`
      with :math:`L = \log(|x|\varphi(x)) = \log|x| - x^2/2 - \tfrac12\log 2\pi`,
      written :math:`-e^{L + \log(1 - e^{\log\Phi - L})}`; :math:`\Phi(x) <
      \varphi(x)/|x|`, so the ratio is below :math:`1/x^2` and nothing cancels.

    The sums in the exponents carry an absolute error of a few :math:`|x|^2
    \varepsilon`, within the condition number :math:`x^2` of f and f' here.
    Below -50 both are 0 in every format; x is clamped there, so that
    :math:`-\infty` gives -0.0 without an inf - inf.
    """
    from scipy.special import log_ndtr

    t = np.maximum(x.astype(np.float64), -50.0)
    log_cdf = log_ndtr(t)
    log_x = np.log(-t)
    y = -np.exp(log_x + log_cdf)
    big = log_x - 0.5 * t * t - 0.5 * math.log(2 * math.pi)
    dy = -np.exp(big + np.log1p(-np.exp(log_cdf - big)))
    return y.astype(x.dtype), dy.astype(x.dtype)


gelu = register(
    Activation(
        "gelu",
        kernel=_gelu_kernel,
        sym=lambda x: x / 2 * (1 + sp.erf(x / sp.sqrt(2))),
    )
)


_C = math.sqrt(2 / math.pi)
_K = 0.044715
_TANH_TAIL = 100.0
"""Beyond |x| = 100 the tanh gate is exactly 0 or 1 (its argument exceeds 7e4)."""


def _gelu_tanh_far(t: np.ndarray, m: np.ndarray) -> np.ndarray:
    r"""The left tail, where :math:`e = e^{2u}` is subnormal, so that
    :math:`1 + e = 1` and :math:`\sigma(2u) = e`: the product :math:`m\,e` for
    a positive factor :math:`m`, as :math:`e^{2u + \log m}`.  Rounding
    :math:`e` alone keeps few or no significant bits (at x = -10.68 in float32
    it rounds to the smallest subnormal itself), which :math:`m` then scales
    into a result well above the subnormal range: about 100 % wrong."""
    return np.exp(t + np.log(m))


def _gelu_tanh_block(x, y, dy, xc, x2, t, s):
    r"""One block of :func:`_gelu_tanh`: :math:`s = \sigma(2u)` with
    :math:`2u = x\,(2c + 2cK x^2)` at the clamped :math:`x_c`, :math:`E = e^{-2u}`
    (over t), and the indices ``far`` where :math:`e^{2u}` is subnormal (x below
    about -10 in float32, -25 in float64), which are recomputed with
    :math:`e^{2u}` (their 2u kept aside).

    Both terms of :math:`2c + 2cKx^2` are positive: no cancellation.
    """
    np.clip(x, -_TANH_TAIL, _TANH_TAIL, out=xc)
    np.multiply(xc, xc, out=x2)
    np.multiply(x2, 2 * _C * _K, out=t)
    t += 2 * _C
    t *= xc
    far = _far(t, _edge(x))
    t_far = None if far is None else t[far]
    _logistic(t, t, s)
    if dy is not None:
        # sigma(2u) + x (2u)' sigma'(2u), (2u)' = 2c(1 + 3Kx^2), over E and x^2.
        with _quiet():
            d = _logistic_slope(t, s)
        two_du = x2
        two_du *= 6 * _C * _K
        two_du += 2 * _C
        d *= two_du
        d *= xc
        np.add(d, s, out=dy)
        if far is not None:  # e + x (2u)' e = -(-1 - x (2u)') e, and -1 - x (2u)' > 0
            xf = xc[far]
            dy[far] = -_gelu_tanh_far(t_far, -1 - xf * two_du[far])
    if y is not None:
        with _quiet():
            np.multiply(s, x, out=y)
        if far is not None:
            y[far] = -_gelu_tanh_far(t_far, -xc[far])  # x e, x < 0


def _gelu_tanh(x, y, dy):
    r"""The tanh approximation of GELU, :math:`\tfrac{x}{2}(1+\tanh u) =
    x\,\sigma(2u)` with :math:`u = c\,(x + Kx^3)`, :math:`c = \sqrt{2/\pi}`, and
    its derivative :math:`\sigma(2u) + x\,(2u)'\,\sigma'(2u)`, :math:`(2u)' =
    2c(1 + 3Kx^2)`, a block at a time (:func:`_gelu_tanh_block`).

    ``1 + tanh(u)`` cancels in the left tail; ``2 * sigmoid(2u)`` is the same number
    computed without the cancellation.  Beyond x = 100 the gate is exactly 1.
    :math:`\sigma'` is :func:`_logistic_slope`, never :math:`1 - \sigma`.
    """
    core.blockwise(_gelu_tanh_block, x, y, dy, scratch=(x.dtype,) * 4)


gelu_tanh = register(
    Activation(
        "gelu_tanh",
        kernel=_gelu_tanh,
        sym=lambda x: x
        / 2
        * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3))),
    )
)


# --- SiLU / Swish --------------------------------------------------------------------


def _scaled(x: np.ndarray, beta: float) -> np.ndarray:
    """``beta * x`` (x itself for beta = 1); with beta = 0 it is 0 even at
    x = +-inf (NaN stays NaN)."""
    if beta == 1:
        return x
    if beta == 0:
        return np.where(np.isnan(x), x, np.zeros_like(x))
    # A product beyond the float range rounds to +-inf, which the gate handles.
    # A beta outside the dtype's normal range (1e-50 is 0 in float32, 1e300 inf,
    # and 0 * inf is NaN) multiplies in float64, rounded once (times).
    return core.times(x, beta)


def _silu_tail(t: np.ndarray):
    """``(ok, |t|, t)`` on the far left (t < 0 past the edge): where t is finite
    the values themselves, elsewhere the stand-ins 1 and 0 that keep ``log`` and
    ``exp`` quiet."""
    ok = np.isfinite(t)
    return ok, np.where(ok, np.abs(t), 1.0), np.where(ok, t, 0.0)


def _silu_value_far(xf: np.ndarray, tf: np.ndarray) -> np.ndarray:
    r""":math:`x\sigma(t)` where :math:`|t|` is past the edge: on the far left
    :math:`-e^{t + \log|x|}/(1+e^t)`, on the far right x."""
    yf = xf.copy()
    left = tf < 0
    ok, _, tt = _silu_tail(tf[left])
    xl = xf[left]
    ok &= np.isfinite(xl)
    ax = np.where(ok, np.abs(xl), 1.0)
    tail = -np.exp(tt + np.log(ax)) / (1 + np.exp(tt))
    yf[left] = np.where(ok, tail, 0.0)
    return yf


def _silu_slope_far(tf: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(t) + t\sigma'(t)` where :math:`|t|` is past the edge: on
    the far left :math:`\sigma(t) - e^{t + \log|t|}/(1+e^t)^2`, on the far
    right 1."""
    df = np.ones_like(tf)
    left = tf < 0
    ok, at, tt = _silu_tail(tf[left])
    e = np.exp(tf[left])
    tail = -np.exp(tt + np.log(at)) / ((1 + e) * (1 + e))
    df[left] = e / (1 + e) + np.where(ok, tail, 0.0)
    return df


def _silu_kernel(x, y, dy, beta):
    r"""SiLU :math:`x\,\sigma(t)` and its derivative :math:`\sigma(t) +
    t\,\sigma'(t)` (:math:`\partial_x\,x\sigma(\beta x)`), :math:`t = \beta x`,
    from :math:`w = 1 + e^t` and :math:`s = \sigma(t) = e^t/w`.

    Where :math:`|t|` is below the log of the smallest normal float, :math:`e^t/(1+e^t)`
    is a quotient of positive terms, accurate to a rounding or two on both sides.
    :math:`\sigma' = \sigma(1-\sigma) = s/w` with :math:`1 - \sigma = 1/(1+e^t)`:
    no ``1 - sigma`` is ever formed, which would cancel for large t.

    Past that edge (``far``) :math:`e^t` is subnormal or overflows, and those few
    elements are recomputed (:func:`_silu_value_far`, :func:`_silu_slope_far`).
    On the far left the product would multiply by a gate that has already lost
    most of its significant bits; there :math:`x\sigma(t)` is
    :math:`-e^{t + \log|x|}/(1+e^t)` and :math:`t\sigma'(t)` is
    :math:`-e^{t + \log|t|}/(1+e^t)^2`, each rounded once.  (Above that point the
    direct product is the more accurate of the two: the sum :math:`t + \log|x|`
    carries an absolute rounding error of about :math:`|t|\varepsilon`.)  Where
    the gate is 0 (t = -inf) the value is 0.  On the far right the gate is
    exactly 1, and :math:`t\sigma'(t)` is below half an ulp of 1, so the slope
    is 1.

    The few cheap passes run over the whole array: s is formed in ``y`` and w in
    ``dy`` (a new array stands in for one that is not wanted), the slope written
    over w and the value over s, in that order.
    """
    t = _scaled(x, beta)
    edge = _edge(x)
    far = _far(t, edge, -edge)
    s = core.new(x) if y is None else y
    w = core.new(x) if dy is None else dy
    with np.errstate(over="ignore"):
        np.exp(t, out=s)
    np.add(s, 1.0, out=w)
    with _quiet():
        s /= w
    if dy is not None:
        with _quiet():
            np.divide(s, w, out=w)
            w *= t
        w += s
        if far is not None:
            dy[far] = _silu_slope_far(t[far])
    if y is not None:
        with _quiet():
            y *= x
        if far is not None:
            y[far] = _silu_value_far(x[far], t[far])


def _silu_partial_beta(x: np.ndarray, beta: float) -> np.ndarray:
    r""":math:`\partial f/\partial\beta = x^2\,\sigma'(\beta x)`.

    Where :math:`\sigma'` underflows, x is replaced by 0 so that ``x * x`` cannot
    overflow into ``inf * 0``; with beta = 0 the exact :math:`x^2/4` may round to
    inf for |x| > 1e154, which is the correctly rounded result.
    """
    s = core.slope(core.sigmoid, _scaled(x, beta))
    xs = np.where(s == 0, np.zeros_like(x), x)
    with np.errstate(over="ignore"):
        return xs * xs * s


silu = register(
    Activation(
        "silu",
        kernel=_silu_kernel,
        sym=lambda x, beta: x / (1 + sp.exp(-beta * x)),
        params={
            "beta": Param(
                1.0,
                0.0,
                math.inf,
                "gate sharpness, learnable in Swish: f = x sigmoid(beta x); beta = 0 "
                "gives x/2, beta -> inf gives ReLU (TensorFlow: 1.0; PyTorch, JAX, "
                "Keras: beta = 1 only)",
                symbol="beta",
                learnable=True,
            )
        },
        partials={"beta": _silu_partial_beta},
    )
)


# --- Mish ----------------------------------------------------------------------------

_MISH_CAP = 40.0
"""Beyond x = 40 the gate is 1 to within :math:`2e^{-80}` and :math:`x g'(x)` is
below :math:`10^{-32}`: both round to exactly 1 and 0 next to 1 in every format."""


def _mish_tail(x: np.ndarray):
    """Where :math:`e^x` is subnormal: ``(ok, u, g, e^{x + log|x|})``, ``ok``
    marking finite x (at x = -inf the last is a stand-in, masked out)."""
    ok = np.isfinite(x)
    tt = np.where(ok, x, 0.0)
    u = np.exp(x)
    p = u * (u + 2)
    return ok, u, p / (p + 2), np.exp(tt + np.log(np.where(ok, np.abs(x), 1.0)))


def _mish_block(x, y, dy, xc, v, r, g):
    np.clip(x, -np.inf, _MISH_CAP, out=xc)
    np.exp(xc, out=v)
    np.add(v, 2.0, out=g)
    g *= v
    np.add(g, 2.0, out=r)
    g /= r
    far = _far(x, _edge(x))
    if dy is not None:
        # g + x g', g' = 4 v (1 + v) r^2 formed as (4 r v) ((1 + v) x r), over
        # xc, v and r.
        np.divide(1.0, r, out=r)
        d = r
        with _quiet():
            xc *= d
            d *= 4.0
            d *= v
            v += 1.0
            v *= xc
            d *= v
        np.add(d, g, out=dy)
        if far is not None:
            ok, u, gf, xe = _mish_tail(x[far])
            q = (1 + u) * (1 + u)
            dy[far] = gf + np.where(ok, -xe * (4 * q / ((q + 1) * (q + 1) * (1 + u))),
                                    0.0)
    if y is not None:
        with _quiet():
            np.multiply(g, x, out=y)
        if far is not None:
            ok, u, _, xe = _mish_tail(x[far])
            y[far] = np.where(ok, -xe * ((u + 2) / (u * (u + 2) + 2)), -0.0)


def _mish(x, y, dy):
    r"""Mish :math:`x\tanh(\operatorname{softplus}(x)) = x\,g` and its derivative
    :math:`g + x\,g'`, from :math:`v = e^{x_c}` (x capped at 40),
    :math:`r = 1/(p+2)` with :math:`p = v(v+2)` and the gate :math:`g = p/(p+2)`,
    a block at a time.

    With :math:`e^{\operatorname{softplus}(x)} = 1 + v`,
    :math:`\tanh(\operatorname{softplus} x) = ((1+v)^2 - 1)/((1+v)^2 + 1) = p/(p+2)`:
    a quotient of positive terms, so the left tail :math:`g \approx v` keeps its
    relative accuracy (``1 - tanh**2`` would not), the gate is exactly 1 once
    :math:`p + 2` rounds to p, and the cap keeps :math:`v^2` finite.

    :math:`g' = \operatorname{sech}^2(\operatorname{softplus} x)\,\sigma(x) =
    4v(1+v)\,r^2`, formed as :math:`(4r\,v)\,((1+v)\,x r)`: each factor stays
    normal down to the subnormal edge and finite up to the cap.

    Where :math:`e^x` is subnormal (:func:`_mish_tail`), the tiny factor
    :math:`x e^x` is rounded once instead of twice:
    :math:`x g = -e^{x + \log|x|}\,(u+2)/(u^2+2u+2)` and :math:`x g' =
    -e^{x + \log|x|}\cdot 4q/\bigl((q+1)^2(1+u)\bigr)`, :math:`u = e^x`,
    :math:`q=(1+u)^2`; at x = -inf the value is 0.
    """
    core.blockwise(_mish_block, x, y, dy, scratch=(x.dtype,) * 4)


def _mish_expr(x: sp.Symbol) -> sp.Expr:
    r""":math:`x\tanh(\log(1+e^x))` with the tanh of a logarithm written out:
    :math:`\tanh\log s = (s^2-1)/(s^2+1)`, :math:`s = 1+e^x`.

    The same function; in this form a high-precision evaluation of the left
    tail does not cancel (``log(1 + e^x)`` is 0 at 60 digits for x < -140).
    """
    e = sp.exp(x)
    return x * (e**2 + 2 * e) / (e**2 + 2 * e + 2)


mish = register(
    Activation(
        "mish",
        kernel=_mish,
        sym=_mish_expr,
    )
)


# --- Hard Swish ----------------------------------------------------------------------


def _hard_swish(x, y, dy):
    r"""Hard Swish and its derivative.

    * :math:`f = x\,\mathrm{ReLU6}(x+3)/6`: 0 for :math:`x \le -3`, :math:`x(x+3)/6`
      between, x for :math:`x \ge 3`; formed as :math:`\max(x, -3)\cdot(x_c+3)/6`
      with :math:`x_c` clamped to [-3, 3], so the gate is exactly 0 or 1 outside,
      ``x_c + 3`` is exact near -3 (Sterbenz), nothing overflows and ``-inf * 0``
      cannot occur.  The gate is formed as :math:`(-3 - x_c)/(-6)`, the same
      number, but -0 rather than +0 at the left end, so that the value there is
      +0 (not :math:`-3 \cdot 0 = -0`).
    * :math:`f' = 0,\ (2x+3)/6,\ 1`; at the kinks PyTorch's choice, the outer
      branches: 0 at -3 and 1 at 3 (what ``torch.autograd`` returns for
      ``F.hardswish`` in PyTorch 2.13).  Formed as :math:`(2x_c + 3)/6` on the
      clamped input, then overwritten by 0 where :math:`x \le -3` and by 1 where
      :math:`x \ge 3`; NaN fails both comparisons and stays NaN.

    A few cheap passes, block by block (:func:`~activations.core.blockwise`):
    :math:`x_c` is formed in a work array, the gate in ``y``; the two overwrites
    of the slope are arithmetic on the masks, not a select: the middle branch
    times the 0/1 mask of :math:`|x| < 3`, plus the mask of :math:`x \ge 3`
    (``-0.5 * 0 + 0`` is +0).
    """
    core.blockwise(_hard_swish_block, x, y, dy, scratch=(x.dtype, x.dtype))


def _hard_swish_block(x, y, dy, xc, w):
    np.clip(x, -3.0, 3.0, out=xc)
    if y is not None:
        np.subtract(-3.0, xc, out=y)
        y /= -6.0
        np.maximum(x, -3.0, out=w)
        y *= w
    if dy is not None:
        np.multiply(xc, 2.0, out=dy)
        dy += 3.0
        dy /= 6.0
        np.abs(x, out=w)
        np.less(w, 3.0, out=w)
        dy *= w
        np.greater_equal(x, 3.0, out=w)
        dy += w


hard_swish = register(
    Activation(
        "hard_swish",
        kernel=_hard_swish,
        # The middle branch last: each condition is then decidable just beside
        # either breakpoint, which the one-sided limits rely on.
        sym=lambda x: sp.Piecewise(
            (0, x <= -3), (x, x >= 3), (x * (x + 3) / 6, True)
        ),
        kinks=(
            Kink(-3.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0",
                  "keras": "0 (PyTorch and JAX backends)"}),
            Kink(3.0, lambda: 1.0,
                 {"pytorch": "1", "jax": "1", "tensorflow": "1",
                  "keras": "1 (PyTorch and JAX backends)"}),
        ),
    )
)


# --- QuickGELU -----------------------------------------------------------------------

_QUICK = 1.702
r"""QuickGELU's gate slope: :math:`\sigma(1.702\,x) \approx \Phi(x)`."""


def _quick_gelu(x, y, dy):
    r"""QuickGELU :math:`x\,\sigma(1.702\,x)`: SiLU's kernel at
    :math:`\beta = 1.702` (:func:`_silu_kernel`), so the value and slope
    :math:`\sigma(t) + t\,\sigma'(t)`, :math:`t = 1.702\,x`, share its care in
    both tails: no ``1 - sigma``, and the far left formed from logarithms.

    The product :math:`t = 1.702\,x` is rounded once, in the input's dtype (float32
    rounds the constant itself, to 1.70200002), as every framework's
    ``x * sigmoid(1.702 * x)`` does.
    """
    _silu_kernel(x, y, dy, beta=_QUICK)


quick_gelu = register(
    Activation(
        "quick_gelu",
        kernel=_quick_gelu,
        sym=lambda x: x / (1 + sp.exp(-sp.Rational(1702, 1000) * x)),
    )
)


# --- Hard Mish -----------------------------------------------------------------------


def _hard_mish(x, y, dy):
    r"""Hard Mish :math:`\tfrac12\,x\,\operatorname{clamp}(x + 2, 0, 2)` and its
    derivative.

    * :math:`f` is 0 for :math:`x \le -2`, :math:`\tfrac12 x(x + 2)` between, x for
      :math:`x \ge 0`; formed as :math:`\max(x, -2)\cdot g` with the gate
      :math:`g = (-2 - x_c)/(-2)` on :math:`x_c` clamped to [-2, 0].  The gate is
      :math:`(x_c + 2)/2` with the sign of a zero chosen so that the value is +0
      left of -2 (not :math:`-2 \cdot 0 = -0`); ``x_c + 2`` is exact for
      :math:`x_c \le -1` (Sterbenz), so the value keeps its relative accuracy up
      to the corner, and the clamp keeps ``-inf * 0`` out.
    * :math:`f' = 0,\ x + 1,\ 1`: formed as :math:`x_c + 1` (exact near -1, where
      it vanishes), times the mask of :math:`x \ge -2`, plus +0 so that the left
      branch is +0; NaN stays NaN.  At the corner -2 the slope is -1, the right
      branch: what timm's ``hard_mish`` returns through autograd (PyTorch's
      ``clamp`` passes the gradient at the ends of its range) and what its
      hand-written backward ``hard_mish_bwd`` returns (timm 1.0.31).  At 0 both
      branches have slope 1: no corner.
    """
    core.blockwise(_hard_mish_block, x, y, dy, scratch=(x.dtype, x.dtype))


def _hard_mish_block(x, y, dy, xc, w):
    np.clip(x, -2.0, 0.0, out=xc)
    if y is not None:
        np.subtract(-2.0, xc, out=y)
        y /= -2.0
        np.maximum(x, -2.0, out=w)
        y *= w
    if dy is not None:
        np.add(xc, 1.0, out=dy)
        np.greater_equal(x, -2.0, out=w)
        dy *= w
        dy += 0.0


hard_mish = register(
    Activation(
        "hard_mish",
        kernel=_hard_mish,
        # The middle branch last, as for Hard Swish.
        sym=lambda x: sp.Piecewise(
            (0, x <= -2), (x, x >= 0), (x * (x + 2) / 2, True)
        ),
        kinks=(
            Kink(-2.0, lambda: -1.0,
                 {"pytorch": "-1 (timm's form, 0.5 * x * torch.clamp(x + 2, 0, 2))",
                  "jax": "-0.5 (0.5 * x * jnp.clip(x + 2, 0, 2): a tie splits)",
                  "tensorflow": "-1 (0.5 * x * tf.clip_by_value(x + 2, 0, 2))"}),
        ),
    )
)


# --- LiSHT ---------------------------------------------------------------------------


def _lisht(x, y, dy):
    r"""LiSHT :math:`x\tanh x` and its derivative
    :math:`\tanh x + x\,\mathrm{sech}^2 x`, from the shared tanh kernel
    (:func:`activations.core.tanh`: NumPy's tanh, and :math:`\mathrm{sech}^2 x =
    4e/(1+e)^2`, :math:`e = e^{-2|x|}`, which keeps its relative accuracy down to
    underflow).

    The function is even and its two derivative terms have the sign of x, so
    nothing cancels.  Where :math:`\mathrm{sech}^2 x` is 0 (|x| beyond about 372
    in float64, 52 in float32) the second term is 0, not ``inf * 0``; there it is
    far below half an ulp of :math:`\tanh x = \pm 1` anyway.
    """
    t = core.new(x) if y is None else y
    if dy is None:
        core.tanh(x, t, None)
    else:
        core.tanh(x, t, dy)
        with np.errstate(invalid="ignore", over="ignore"):
            dy *= x  # inf * 0 where sech^2 underflowed; replaced below
        np.copyto(dy, 0.0, where=np.isinf(x))
        dy += t
    if y is not None:
        y *= x


lisht = register(
    Activation(
        "lisht",
        kernel=_lisht,
        sym=lambda x: x * sp.tanh(x),
    )
)


# --- Clipped GELU --------------------------------------------------------------------

_GELU_CAP = 10.0


def _clipped_gelu(x, y, dy):
    r"""Hugging Face's ``gelu_10``: :math:`\min(\max(\mathrm{GELU}(x), -10), 10)`,
    from GELU's kernel (:func:`_gelu_kernel`).

    GELU never falls below -0.17, so the lower clip never acts and the function
    is :math:`\min(\mathrm{GELU}(x), 10)`.  GELU reaches 10 at
    :math:`x^* = 10/\Phi(x^*) = 10 + 7.6\times 10^{-23}`, closer to 10 than
    half an ulp in any format: every float :math:`x \le 10` lies on the GELU
    branch (GELU(10) rounds to 10 itself) and every float above it on the flat
    one.  So the slope is GELU's up to 10 and 0 above; at the corner, the float
    10, the slope is GELU'(10), which rounds to 1, and is also what PyTorch's
    ``torch.clip`` passes at the end of its range.
    """
    _gelu_kernel(x, y, dy)
    if y is not None:
        np.minimum(y, _GELU_CAP, out=y)
    if dy is not None:
        np.copyto(dy, 0.0, where=x > _GELU_CAP)


def _clipped_gelu_expr(x: sp.Symbol) -> sp.Expr:
    r"""GELU up to 10, then the constant GELU(10), as a Piecewise in x (``Min``
    and ``Max`` would differentiate into a ``DiracDelta`` term).

    The function itself, :math:`\min(\mathrm{GELU}(x), 10)`, turns at
    :math:`x^* = 10 + 7.6\times 10^{-23}` to the value 10; this expression turns
    at 10 to :math:`\mathrm{GELU}(10) = 10 - 7.6\times 10^{-23}`, so that it is
    continuous with its corner at a float.  The two differ by less than
    :math:`10^{-22}`, which no floating-point format resolves at 10.  The lower
    clip never acts, GELU being above -0.17."""
    g = x / 2 * (1 + sp.erf(x / sp.sqrt(2)))
    return sp.Piecewise((g, x <= 10), (g.subs(x, 10), True))


clipped_gelu = register(
    Activation(
        "clipped_gelu",
        kernel=_clipped_gelu,
        sym=_clipped_gelu_expr,
        kinks=(
            Kink(_GELU_CAP, lambda: 1.0,
                 {"pytorch": "1 (torch.clip(F.gelu(x), -10, 10), as in transformers)",
                  "jax": "0.5 (jnp.clip(jax.nn.gelu(x, approximate=False), -10, 10))",
                  "tensorflow": "1 (tf.clip_by_value(tf.nn.gelu(x), -10, 10))"}),
        ),
    )
)


# --- SMU (Smooth Maximum Unit) -----------------------------------------------------
# One block: the kernel, the partial for mu, the registration.

_SMU_FAR = -37.0
r"""Below this gate argument t, :math:`\Phi(t)` is near or below float64's smallest
normal number; :math:`x\Phi(t)` is then formed from logarithms."""


def _smu_gate(alpha: float, mu: float) -> float:
    r"""The gate's scale :math:`k = \sqrt2\,\mu(1-\alpha)`: :math:`\tfrac12(1 +
    \operatorname{erf}(\mu(1-\alpha)x)) = \Phi(kx)`."""
    return math.sqrt(2.0) * mu * (1.0 - alpha)


def _smu_kernel(x, y, dy, alpha: float, mu: float):
    r"""SMU,
    :math:`\tfrac12((1+\alpha)x + (1-\alpha)x\operatorname{erf}(\mu(1-\alpha)x))`,
    and its derivative, computed in float64 (float32 rounded once) in the form

    * :math:`f = \alpha x + (1-\alpha)\,x\Phi(t)`, :math:`t = kx`,
      :math:`k = \sqrt2\mu(1-\alpha)` (:func:`_smu_gate`), since
      :math:`\tfrac12(1 + \operatorname{erf}(z/\sqrt2)) = \Phi(z)`; the two terms
      have the sign of x, so nothing cancels, and ``ndtr`` keeps the left tail
      where :math:`1 + \operatorname{erf}` would be 0. Below
      :data:`_SMU_FAR`, :math:`x\Phi(t) = -e^{\log|x| + \log\Phi(t)}`.
    * :math:`f' = \alpha + (1-\alpha)\,\mathrm{GELU}'(t)`, GELU's registered
      kernel giving :math:`\Phi(t) + t\varphi(t)` with its tails.

    ``t`` may overflow to :math:`\pm\infty` (k x beyond the format), where the
    gate is exactly 1 or 0; +inf gives +inf, -inf gives -inf (or -0.0 at
    alpha = 0).
    """
    from scipy.special import log_ndtr

    from .registry import get

    k = _smu_gate(alpha, mu)
    xw = x.astype(np.float64)
    with np.errstate(over="ignore"):
        t = xw * k
    if y is not None:
        cdf = core.ndtr(t)
        with np.errstate(invalid="ignore"):   # -inf * 0, replaced below
            term = xw * cdf
        far = t < _SMU_FAR
        if far.any():
            xf = np.maximum(xw[far], -1e300)
            tf = np.maximum(t[far], -1e10)
            term[far] = -np.exp(np.log(-xf) + log_ndtr(tf))
        with np.errstate(over="ignore"):
            v = (1.0 - alpha) * term
            if alpha != 0.0:   # 0 * inf would be NaN; at alpha = 0 f = x Phi(t)
                v += alpha * xw
        np.copyto(y, v, casting="unsafe")
    if dy is not None:
        g = core.slope(get("gelu").kernel, t)
        np.copyto(dy, alpha + (1.0 - alpha) * g, casting="unsafe")


def _smu_partial_mu(x, alpha: float, mu: float):
    r""":math:`\partial f/\partial\mu = \tfrac{1-\alpha}{\mu}\,x\cdot t\varphi(t)`,
    :math:`t = kx` (from :math:`\partial t/\partial\mu = t/\mu`); 0 at
    :math:`x = \pm\infty`, where the gate is flat, and NaN for NaN."""
    k = _smu_gate(alpha, mu)
    xw = x.astype(np.float64)
    with np.errstate(over="ignore"):
        t = xw * k
    _, tphi = core.ndtr_pdf(t, value=False, times_x=True)
    with np.errstate(over="ignore", invalid="ignore"):
        out = ((1.0 - alpha) / mu) * (xw * tphi)
    out[np.isinf(xw)] = 0.0
    return out.astype(x.dtype)


smu = register(
    Activation(
        "smu",
        kernel=_smu_kernel,
        sym=lambda x, alpha, mu: ((1 + alpha) * x
                                  + (1 - alpha) * x * sp.erf(mu * (1 - alpha) * x)) / 2,
        params={
            "alpha": Param(0.25, 0.0, 0.99,
                           "slope of the line approached for x -> -inf (Leaky ReLU's "
                           "slope; 0 gives a smooth ReLU); 0.25 as in the first "
                           "public implementations",
                           symbol="alpha"),
            "mu": Param(1.0, 1e-3, 1e7,
                        "learnable smoothing; the larger, the closer to Leaky ReLU "
                        "(implementations initialise it to 1e6, or to 2.5 with "
                        "alpha = 0.01; 1 here, where the curve is visibly smooth)",
                        symbol="mu", learnable=True),
        },
        partials={"mu": _smu_partial_mu},
    )
)

__all__ += ["smu"]
