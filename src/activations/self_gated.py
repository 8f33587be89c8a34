"""Self-gated activations: the input scaled by a smooth gate of itself, x * g(x)."""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import sympy as sp

from . import core
from .registry import Activation, Kink, Param, exact, get, register

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
    start = _gelu_tail_start(x)
    if x.dtype == np.float32:
        far = core.gelu32(x, y, dy, start)   # flat indices
        if far is not None:
            far = np.unravel_index(far, x.shape)
    else:
        cdf = core.new(x) if y is None else y
        core.ndtr_pdf(x, density=dy is not None, times_x=True, out=(cdf, dy))
        if dy is not None:
            dy += cdf
        if y is not None:
            with np.errstate(invalid="ignore"):  # -inf * 0, replaced by the tail
                np.multiply(x, y, out=y)
        far = _far(x, start)
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


def _cubic_gate_block(x, y, dy, xc, x2, t, s, *, a, ab, three_ab):
    r"""One block of :math:`x\,\sigma(t)` with the cubic :math:`t = x\,(a + ab\,x^2)`
    and its derivative :math:`\sigma(t) + x\,t'\,\sigma'(t)`, :math:`t' = a +
    3ab\,x^2`: the kernel of both GELU approximations, the tanh form
    (:math:`t = 2u`, :func:`_gelu_tanh`) and the sigmoid form
    (:func:`_gelu_sigmoid`), with their constants ``a``, ``ab`` and ``three_ab``.

    :math:`s = \sigma(t)` at the clamped :math:`x_c`, :math:`E = e^{-t}` (over t),
    and the indices ``far`` where :math:`e^{t}` is subnormal (x below about -10
    in float32, -25 in float64 for the tanh form), which are recomputed with
    :math:`e^{t}` (their t kept aside, :func:`_gelu_tanh_far`).

    Both terms of :math:`a + ab\,x^2` are positive: no cancellation.
    """
    np.clip(x, -_TANH_TAIL, _TANH_TAIL, out=xc)
    np.multiply(xc, xc, out=x2)
    np.multiply(x2, ab, out=t)
    t += a
    t *= xc
    far = _far(t, _edge(x))
    t_far = None if far is None else t[far]
    _logistic(t, t, s)
    if dy is not None:
        # sigma(t) + x t' sigma'(t), t' = a + 3ab x^2, over E and x^2.
        with _quiet():
            d = _logistic_slope(t, s)
        dt = x2
        dt *= three_ab
        dt += a
        d *= dt
        d *= xc
        np.add(d, s, out=dy)
        if far is not None:  # e + x t' e = -(-1 - x t') e, and -1 - x t' > 0
            xf = xc[far]
            dy[far] = -_gelu_tanh_far(t_far, -1 - xf * dt[far])
    if y is not None:
        with _quiet():
            np.multiply(s, x, out=y)
        if far is not None:
            y[far] = -_gelu_tanh_far(t_far, -xc[far])  # x e, x < 0


def _gelu_tanh(x, y, dy):
    r"""The tanh approximation of GELU, :math:`\tfrac{x}{2}(1+\tanh u) =
    x\,\sigma(2u)` with :math:`u = c\,(x + Kx^3)`, :math:`c = \sqrt{2/\pi}`, and
    its derivative :math:`\sigma(2u) + x\,(2u)'\,\sigma'(2u)`, :math:`(2u)' =
    2c(1 + 3Kx^2)`, a block at a time (:func:`_cubic_gate_block` with
    :math:`a = 2c`, :math:`ab = 2cK`).

    ``1 + tanh(u)`` cancels in the left tail; ``2 * sigmoid(2u)`` is the same number
    computed without the cancellation.  Beyond x = 100 the gate is exactly 1.
    :math:`\sigma'` is :func:`_logistic_slope`, never :math:`1 - \sigma`.
    """
    block = functools.partial(_cubic_gate_block, a=2 * _C, ab=2 * _C * _K,
                              three_ab=6 * _C * _K)
    core.blockwise(block, x, y, dy, scratch=(x.dtype,) * 4)


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
      +0 (not :math:`-3 \cdot 0 = -0`). Both it and the slope's middle branch
      are multiplied by the rounded 1/6 rather than divided by 6 (a float64
      division costs three products here): one rounding more, and the gate is
      still exactly 1 at the right end (:math:`6\,\mathrm{fl}(1/6)` rounds to 1
      in float16, float32 and float64).
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
        y *= -1 / 6      # a product, not a quotient: a third of the time
        np.maximum(x, -3.0, out=w)
        y *= w
    if dy is not None:
        np.multiply(xc, 2.0, out=dy)
        dy += 3.0
        dy *= 1 / 6
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


# --- TanhExp, Serf, Smish, ELiSH, Hard ELiSH ----------------------------------------

__all__ += ["tanhexp", "serf", "smish", "elish"]


def _x_exp_tail(x: np.ndarray, k: float, c: float = 0.0) -> np.ndarray:
    r""":math:`(x + k)\,e^{x + c}` on the far left (x below :func:`_edge`, so
    :math:`x + k < 0` for k = 0 or 1), in float64 as
    :math:`-e^{x + \log(-x - k) + c}`, rounded once into x's dtype.

    There :math:`e^x` is subnormal or 0: the product of the rounded exponential
    and :math:`x + k` would scale its lost bits into a larger, normal result.  The
    sum in the exponent carries an absolute error of a few :math:`|x|\varepsilon`,
    within the condition number :math:`|x|` of such a product.  At
    :math:`-\infty` the result is -0.0.
    """
    t = x.astype(np.float64)
    ok = np.isfinite(t)
    tt = np.where(ok, t, 0.0)
    m = np.where(ok, -tt - k, 1.0)
    out = -np.exp(tt + np.log(m) + c)
    return np.where(ok, out, -0.0).astype(x.dtype)


_TANHEXP_CAP = 40.0
"""Beyond x = 40, :math:`e^{-2e^x}` is 0 in every format: the gate is exactly 1 and
the slope's second term exactly 0."""


def _tanhexp(x, y, dy):
    r"""TanhExp :math:`x\tanh(u)`, :math:`u = e^x`, and its derivative
    :math:`\tanh u + x\,u\,\operatorname{sech}^2 u`.

    With :math:`e = e^{-2u}` (never above 1),
    :math:`\tanh u = -\operatorname{expm1}(-2u)/(1+e)` and
    :math:`\operatorname{sech}^2 u = 4e/(1+e)^2`: both keep their relative
    accuracy for small u (no ``1 - e`` cancels) and for large u (no
    ``1 - tanh**2``).  x is capped at 40 inside the gate, so :math:`e^x` never
    overflows and :math:`x u` stays finite; the gate is exactly 1 there.

    Where :math:`e^x` is subnormal (:func:`_edge`), :math:`\tanh u = u` and
    :math:`\operatorname{sech}^2 u = 1` to the last bit, so :math:`f = x e^x`
    and :math:`f' = (1 + x)e^x`, each rounded once (:func:`_x_exp_tail`); at
    :math:`-\infty` both are 0.
    """
    xc = np.minimum(x, _TANHEXP_CAP)
    u = np.exp(xc)
    e = np.exp(-2 * u)
    w = e + 1
    g = np.expm1(-2 * u)
    g /= w
    np.negative(g, out=g)
    far = _far(x, _edge(x))
    if dy is not None:
        e *= 4
        e /= w
        e /= w
        with _quiet():  # -inf * 0 at x = -inf, replaced below
            u *= xc
            np.multiply(u, e, out=dy)
        dy += g
        if far is not None:
            dy[far] = _x_exp_tail(x[far], 1.0)
    if y is not None:
        with _quiet():
            np.multiply(x, g, out=y)
        if far is not None:
            y[far] = _x_exp_tail(x[far], 0.0)


class TanhExpGate(sp.Function):
    r""":math:`\tanh(e^{x})` as a SymPy function, for the TanhExp reference.

    Mathematically it is ``tanh(exp(x))`` (``rewrite(sp.tanh)`` gives that form).
    It exists for mpmath: ``tanh(exp(x))`` at :math:`x = 10^{300}` asks for an
    exponential with an exponent of :math:`e^{10^{300}}`, which exhausts memory.
    Beyond :math:`x = 800` the gate differs from 1 by less than
    :math:`e^{-10^{347}}`, so 1 is an exact stand-in for every comparison made
    with it.
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_Number or arg in (sp.oo, -sp.oo):
            return sp.tanh(sp.exp(arg))
        return None

    def fdiff(self, argindex=1):
        return sp.exp(self.args[0]) * SechSqExp(self.args[0])

    def _eval_rewrite_as_tanh(self, arg, **kwargs):
        return sp.tanh(sp.exp(arg))

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        e = sp.exp(-2 * sp.exp(arg))
        return (1 - e) / (1 + e)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer):
        return r"\tanh\left(e^{" + printer._print(self.args[0]) + r"}\right)"

    @staticmethod
    def _imp_(t):
        if isinstance(t, mpmath.mpf | mpmath.mpc | int | float):
            if t > 800:
                return mpmath.mpf(1)
            return mpmath.tanh(mpmath.exp(t))
        return np.tanh(np.exp(np.minimum(np.asarray(t, dtype=float), _TANHEXP_CAP)))


class SechSqExp(sp.Function):
    r""":math:`\operatorname{sech}^2(e^{x})`, the derivative of :class:`TanhExpGate`
    over :math:`e^x`; 0 beyond :math:`x = 800` for the same reason."""

    @classmethod
    def eval(cls, arg):
        if arg.is_Number or arg in (sp.oo, -sp.oo):
            return sp.sech(sp.exp(arg)) ** 2
        return None

    def fdiff(self, argindex=1):
        a = self.args[0]
        return -2 * sp.exp(a) * SechSqExp(a) * TanhExpGate(a)

    def _eval_rewrite_as_tanh(self, arg, **kwargs):
        return 1 - sp.tanh(sp.exp(arg)) ** 2

    def _eval_rewrite_as_sech(self, arg, **kwargs):
        return sp.sech(sp.exp(arg)) ** 2

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        e = sp.exp(-2 * sp.exp(arg))
        return 4 * e / (1 + e) ** 2

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer):
        arg = printer._print(self.args[0])
        return r"\operatorname{sech}^{2}\left(e^{" + arg + r"}\right)"

    @staticmethod
    def _imp_(t):
        if isinstance(t, mpmath.mpf | mpmath.mpc | int | float):
            if t > 800:
                return mpmath.mpf(0)
            return mpmath.sech(mpmath.exp(t)) ** 2
        u = np.exp(np.minimum(np.asarray(t, dtype=float), _TANHEXP_CAP))
        e = np.exp(-2 * u)
        return 4 * e / (1 + e) ** 2


tanhexp = register(
    Activation(
        "tanhexp",
        kernel=_tanhexp,
        sym=lambda x: x * TanhExpGate(x),
    )
)


_SERF_CAP = 30.0
r"""Beyond x = 30, :math:`\operatorname{erf}(\operatorname{softplus} x)` is 1 and the
slope's second term, of size :math:`x e^{-x^2}`, is 0 in every format."""
_LOG_2_SQRTPI = math.log(2 / math.sqrt(math.pi))
r""":math:`\log(2/\sqrt\pi)`: erf(s) is :math:`(2/\sqrt\pi)\,s` for tiny s."""


def _serf(x, y, dy):
    r"""Serf :math:`x\operatorname{erf}(s)`, :math:`s = \operatorname{softplus}(x)`,
    and its derivative :math:`\operatorname{erf}(s) + x\,\tfrac{2}{\sqrt\pi}
    e^{-s^2}\sigma(x)`.

    s comes from the registered softplus kernel (``max(x, 0) + log1p(e^{-|x|})``,
    accurate in both tails), erf from Cody's approximation
    (:func:`activations.core.erf`), which keeps its relative accuracy for the tiny
    s of the left tail where ``1 - erfc(s)`` would cancel, and :math:`\sigma` with
    :math:`\sigma'` from the shared sigmoid kernel.  x is capped at 30 inside the
    gate and the second term, so :math:`s^2` stays finite and :math:`\infty
    \cdot 0` cannot occur; the gate is exactly 1 there.

    Where :math:`e^x` is subnormal (:func:`_edge`), :math:`s = e^x` and
    :math:`\operatorname{erf}(s) = \tfrac{2}{\sqrt\pi}s` to the last bit, so
    :math:`f = \tfrac{2}{\sqrt\pi}x e^x` and :math:`f' =
    \tfrac{2}{\sqrt\pi}(1 + x)e^x`, each rounded once (:func:`_x_exp_tail`).
    """
    xc = np.minimum(x, _SERF_CAP)
    s = core.value(get("softplus").kernel, xc, beta=1.0)
    g = core.erf(s)
    far = _far(x, _edge(x))
    if dy is not None:
        sig = core.new(x)
        core.sigmoid(xc, sig, None)
        np.multiply(s, s, out=s)
        np.negative(s, out=s)
        np.exp(s, out=s)
        s *= 2 / math.sqrt(math.pi)
        s *= sig
        with _quiet():  # -inf * 0 at x = -inf, replaced below
            s *= xc
        np.add(g, s, out=dy)
        if far is not None:
            dy[far] = _x_exp_tail(x[far], 1.0, _LOG_2_SQRTPI)
    if y is not None:
        with _quiet():
            np.multiply(x, g, out=y)
        if far is not None:
            y[far] = _x_exp_tail(x[far], 0.0, _LOG_2_SQRTPI)


serf = register(
    Activation(
        "serf",
        kernel=_serf,
        sym=lambda x: x * sp.erf(sp.log(1 + sp.exp(x))),
    )
)


def _smish(x, y, dy):
    r"""Smish :math:`x\tanh(\log(1 + \sigma(x))) = x\,g` and its derivative
    :math:`g + x\,g'`, from :math:`v = \sigma(x)` and :math:`\sigma'(x)` (the
    shared sigmoid kernel, accurate in both tails).

    With :math:`w = 1 + v`, :math:`\tanh\log w = (w^2 - 1)/(w^2 + 1) = p/(p + 2)`,
    :math:`p = v(v + 2)`: a quotient of positive terms (3/5 exactly on the
    right), so the gate keeps its relative accuracy where v is tiny (no logarithm
    of a number next to 1, no ``tanh`` of a tiny one that a ``1 - ...`` would
    cancel).  :math:`g' =
    4(1 + v)\,r^2\,\sigma'(x)` with :math:`r = 1/(p + 2)`.  v never exceeds 1, so
    nothing overflows; x is clamped to the finite range in the slope's second
    term, whose :math:`\sigma'` is 0 at :math:`\pm\infty`.

    Where :math:`\sigma(x)` is subnormal (:func:`_edge`), :math:`g = \sigma(x) =
    e^x` and :math:`g' = e^x` to the last bit, so :math:`f = x e^x` and
    :math:`f' = (1 + x)e^x`, each rounded once (:func:`_x_exp_tail`).
    """
    v, dv = core.pair(x)
    core.sigmoid(x, v, dv)
    p = v + 2
    p *= v
    r = p + 2
    g = p / r  # a quotient, so that the far right gives 3/5 exactly
    np.divide(1.0, r, out=r)
    far = _far(x, _edge(x))
    if dy is not None:
        big = float(np.finfo(x.dtype).max)
        t = v + 1
        t *= 4
        t *= r
        t *= r
        t *= dv
        t *= np.clip(x, -big, big)
        np.add(g, t, out=dy)
        if far is not None:
            dy[far] = _x_exp_tail(x[far], 1.0)
    if y is not None:
        with _quiet():  # -inf * 0 at x = -inf, replaced below
            np.multiply(x, g, out=y)
        if far is not None:
            y[far] = _x_exp_tail(x[far], 0.0)


def _smish_expr(x: sp.Symbol) -> sp.Expr:
    r""":math:`x\tanh(\log(1 + \sigma(x)))` with the tanh of a logarithm written
    out, as for Mish: :math:`\tanh\log w = (w^2 - 1)/(w^2 + 1)`,
    :math:`w = 1 + \sigma(x)`, and with :math:`\sigma(x) = e^x/(1 + e^x)` the gate
    is :math:`(3e^{2x} + 2e^x)/(5e^{2x} + 6e^x + 2)`.  The same function; in this
    form SymPy takes its limits many times faster, and a high-precision evaluation
    of the left tail does not cancel."""
    e = sp.exp(x)
    return x * (3 * e**2 + 2 * e) / (5 * e**2 + 6 * e + 2)


smish = register(
    Activation(
        "smish",
        kernel=_smish,
        sym=_smish_expr,
    )
)


# --- E-swish ---------------------------------------------------------------------


def _e_swish(x, y, dy, beta):
    r"""E-swish :math:`\beta\,x\,\sigma(x)` and its derivative
    :math:`\beta\,(\sigma(x) + x\,\sigma'(x))`: SiLU's kernel at gate slope 1
    (:func:`_silu_kernel`, which keeps both tails accurate), then one product by
    :math:`\beta`.

    The scale multiplies the whole function, not the gate's argument (that is
    Swish's own :math:`\beta`).  Beyond :math:`\max/\beta` the product is inf,
    the correctly rounded value; the product adds half an ulp to SiLU's error.
    At :math:`\beta = 0` the function is 0 everywhere, written as such, since
    :math:`0 \cdot \operatorname{SiLU}(\infty)` would be NaN.
    """
    _silu_kernel(x, y, dy, beta=1.0)
    for out in (y, dy):
        if out is None:
            continue
        if beta == 0:  # the zero function, also at +inf (not 0 * inf); NaN stays
            np.copyto(out, 0.0, where=~np.isnan(out))
        else:
            with np.errstate(over="ignore"):
                core.times(out, beta, out=out)


e_swish = register(
    Activation(
        "e_swish",
        kernel=_e_swish,
        sym=lambda x, beta: beta * x / (1 + sp.exp(-x)),
        params={
            "beta": Param(1.5, 0.0, 4.0,
                          "scale of the whole function, a fixed hyperparameter; "
                          "the paper's experiments use 1 <= beta <= 2 (beta = 1 is "
                          "SiLU); this book's default is the middle of that range",
                          symbol="beta"),
        },
    )
)

__all__ += ["e_swish"]


# --- ACON-C ----------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _acon_exact(p1: float, p2: float) -> tuple[float, float]:
    """``(p1 - p2, (p1 + p2)/2)`` rounded once from the numbers the parameters
    stand for (:func:`~activations.registry.exact`, as the SymPy form reads them)."""
    a, b = exact(p1), exact(p2)
    return float(a - b), float((a + b) / 2)


def _acon_parts(x, p1, p2, beta):
    r"""``(u, s, s', right)`` for ACON-C: :math:`u = (p_1 - p_2)x`, SiLU's value
    and slope :math:`s, s'` at :math:`v = -|u|` with gate slope beta
    (:func:`_silu_kernel`), and the mask of :math:`u > 0`."""
    d, _ = _acon_exact(p1, p2)
    if d == 0:
        u = np.where(np.isnan(x), x, np.zeros_like(x))
    else:
        with np.errstate(over="ignore"):
            u = core.times(x, d)
    v = -np.abs(u)
    s, ds = core.new(x), core.new(x)
    _silu_kernel(v, s, ds, beta=beta)
    return u, s, ds, u > 0


def _linear_part(x, p):
    """``p * x`` for a scalar p, 0 (not NaN) at x = +-inf when p is 0."""
    if p == 0:
        return np.where(np.isnan(x), x, np.zeros_like(x))
    with np.errstate(over="ignore"):
        return core.times(x, p)


def _acon_c(x, y, dy, p1, p2, beta):
    r"""ACON-C :math:`(p_1 - p_2)\,x\,\sigma(\beta(p_1 - p_2)x) + p_2 x` and its
    derivative, written with :math:`d = p_1 - p_2`, :math:`u = dx` and SiLU
    :math:`S(u) = u\,\sigma(\beta u)`: :math:`f = S(u) + p_2 x`,
    :math:`f' = d\,S'(u) + p_2`.

    Each side keeps the small part of the gate: with :math:`\sigma(t) = 1 -
    \sigma(-t)`, for :math:`u > 0`

    .. math:: f = p_1 x + S(-u), \qquad f' = p_1 - d\,S'(-u),

    and for :math:`u \le 0` the forms above, so S is only ever evaluated at
    :math:`v = -|u| \le 0`, where it is small and SiLU's kernel keeps its left
    tail accurate.  The large part is the linear term of that side, so no
    :math:`\infty - \infty` occurs at :math:`\pm\infty` and the limits are
    :math:`p_1 x` on the side where the gate opens and :math:`p_2 x` on the other.

    With beta = 0 the function is the line :math:`\tfrac12(p_1 + p_2)x`, with
    the slope rounded once from the parameters' exact values: the sum of the
    two sides' terms would cancel when :math:`p_1 \approx -p_2`.
    """
    d, mid = _acon_exact(p1, p2)
    if beta == 0:
        if y is not None:
            np.copyto(y, _linear_part(x, mid))
        if dy is not None:
            dy[...] = mid
            np.copyto(dy, x, where=np.isnan(x))
        return
    u, s, ds, right = _acon_parts(x, p1, p2, beta)
    if y is not None:
        base = np.where(right, _linear_part(x, p1), _linear_part(x, p2))
        np.add(base, s, out=y)
    if dy is not None:
        ds = core.times(ds, d)
        np.copyto(dy, np.where(right, p1 - ds, p2 + ds))
        np.copyto(dy, x, where=np.isnan(x))
    # |beta u| <= 2, compared in float64 (2/beta may exceed float32, or any float)
    limit = _ACON_NEAR / beta if beta * 1e300 > _ACON_NEAR else math.inf
    near = (np.abs(u) <= np.float64(limit)) & np.isfinite(u)  # False at NaN
    if near.any():
        _acon_near(x[near], u[near], d, mid, beta, y, dy, near)


_ACON_NEAR = 2.0
r"""Where :math:`|t| = |\beta u| \le 2` ACON-C is formed around its middle slope
(:func:`_acon_near`); beyond, the gate's small part is below 0.12 and the side
forms of :func:`_acon_c` keep their accuracy."""


def _acon_near(xn, un, d, mid, beta, y, dy, near):
    r"""ACON-C where the gate is half open, from :math:`\sigma(t) = \tfrac12(1 +
    \tanh\tfrac t2)`: with :math:`h = t/2`, :math:`m = \tfrac12(p_1 + p_2)`,

    .. math:: f = x\,\bigl(m + \tfrac d2 \tanh h\bigr), \qquad
              f' = m + \tfrac d2\,(\tanh h + h\,\mathrm{sech}^2 h),

    where the side forms would subtract two terms of the size of :math:`p_2 x`
    to leave a much smaller one (at :math:`p_1 = -p_2` the whole function is
    :math:`\tfrac d2\,x\tanh h`, of the size of :math:`x^2` near 0).  The middle
    slope m is rounded once from the parameters' exact values, and the bracket
    cancels only near a root of the gate, where the condition number of f does
    too.
    """
    h = core.times(un, beta / 2)
    th, sech2 = core.new(h), core.new(h)
    core.tanh(h, th, sech2)
    if y is not None:
        g = core.times(th, d / 2)
        g += np.asarray(mid, dtype=xn.dtype)
        with np.errstate(over="ignore"):  # inf where the true value overflows
            y[near] = xn * g
    if dy is not None:
        sech2 *= h
        sech2 += th
        g = core.times(sech2, d / 2)
        g += np.asarray(mid, dtype=xn.dtype)
        dy[near] = g


def _acon_partial_p(x, p1, p2, beta, *, first: bool):
    r""":math:`\partial f/\partial p_1 = x\,S'(u)` and :math:`\partial
    f/\partial p_2 = x\,(1 - S'(u))`; with :math:`S'(u) = 1 - S'(-u)` for
    :math:`u > 0`, each is :math:`x\,S'(v)` on one side and :math:`x\,(1 -
    S'(v))` on the other, :math:`v = -|u|`, a product with no cancellation."""
    _, _, ds, right = _acon_parts(x, p1, p2, beta)
    small = right if first else ~right  # where the partial is x (1 - S'(v))
    g = np.where(small, 1.0 - ds, ds)
    with np.errstate(over="ignore", invalid="ignore"):
        out = x * g
    return out


def _acon_partial_p1(x, p1, p2, beta):
    return _acon_partial_p(x, p1, p2, beta, first=True)


def _acon_partial_p2(x, p1, p2, beta):
    return _acon_partial_p(x, p1, p2, beta, first=False)


def _acon_partial_beta(x, p1, p2, beta):
    r""":math:`\partial f/\partial\beta = u^2\,\sigma'(\beta u)`, even in u
    (:func:`_silu_partial_beta` at :math:`v = -|u|`)."""
    u, _, _, _ = _acon_parts(x, p1, p2, beta)
    return _silu_partial_beta(-np.abs(u), beta)


acon_c = register(
    Activation(
        "acon_c",
        kernel=_acon_c,
        sym=lambda x, p1, p2, beta: (p1 - p2) * x / (1 + sp.exp(-beta * (p1 - p2) * x))
        + p2 * x,
        params={
            "p1": Param(1.0, -4.0, 4.0,
                        "the slope where the gate opens (learned per channel; the "
                        "reference code initialises it from N(0, 1))", symbol="p_1",
                        learnable=True),
            "p2": Param(0.25, -4.0, 4.0,
                        "the slope where the gate closes (learned per channel; the "
                        "reference code initialises it from N(0, 1))", symbol="p_2",
                        learnable=True),
            "beta": Param(1.0, 0.0, 16.0,
                          "the gate's sharpness (learned per channel, initialised "
                          "to 1; Meta-ACON computes it from the input instead)",
                          symbol="beta", learnable=True),
        },
        partials={"p1": _acon_partial_p1, "p2": _acon_partial_p2,
                  "beta": _acon_partial_beta},
    )
)

__all__ += ["acon_c"]


def _elish(x, y, dy):
    r"""ELiSH and its derivative: SiLU :math:`x\sigma(x)` for :math:`x \ge 0`
    and :math:`(e^x - 1)\sigma(x)` for :math:`x < 0`.

    SiLU's kernel (:func:`_silu_kernel`, :math:`\beta = 1`) fills both arrays
    first; the negative elements are then recomputed from :math:`u = e^x \le 1`:
    :math:`f = \operatorname{expm1}(x)\,u/(1 + u)` and
    :math:`f' = u\,\bigl(u(u + 2) - 1\bigr)/(1 + u)^2`, the derivative of
    :math:`u(u - 1)/(1 + u)` times :math:`u' = u`.  ``expm1`` keeps the relative
    accuracy of :math:`e^x - 1` near 0; :math:`u(u+2) - 1` cancels only next to
    its root :math:`u = \sqrt2 - 1`, the minimum, where the slope is ill
    conditioned anyway.  On the far left :math:`f = -e^x` and :math:`f' = -e^x`
    to the last bit (the subnormal :math:`e^x` is exactly rounded once), and
    :math:`-\infty` gives -0.0.

    Both branches have the slope 1/2 at 0: no kink (the second derivative jumps
    from 1 to 1/2).
    """
    _silu_kernel(x, y, dy, beta=1.0)
    neg = np.nonzero(x < 0)
    if neg[0].size == 0:
        return
    xn = x[neg]
    u = np.exp(xn)
    w = u + 1
    if y is not None:
        y[neg] = np.expm1(xn) * u / w
    if dy is not None:
        q = u + 2
        q *= u
        q -= 1
        q *= u
        q /= w
        q /= w
        dy[neg] = q


elish = register(
    Activation(
        "elish",
        kernel=_elish,
        sym=lambda x: sp.Piecewise(
            ((sp.exp(x) - 1) / (1 + sp.exp(-x)), x < 0), (x / (1 + sp.exp(-x)), True)
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


# --- Hard ELiSH --------------------------------------------------------------------

_HARD_ELISH_KINK = math.expm1(-1.0) / 2
r""":math:`(e^{-1} - 1)/2`, the slope of the middle-left branch at its corner -1."""


def _hard_elish(x, y, dy):
    r"""Hard ELiSH :math:`h(x)\,\max(0, \min(1, (x + 1)/2))` with :math:`h(x) = x`
    for :math:`x \ge 0` and :math:`e^x - 1` below, and its derivative.

    * :math:`f` is 0 for :math:`x \le -1`, :math:`\operatorname{expm1}(x)(x+1)/2`
      on :math:`(-1, 0)`, :math:`x(x+1)/2` on :math:`[0, 1]` and x beyond.  The
      gate is formed on :math:`x_c`, x clamped to [-1, 1], as
      :math:`(-1 - x_c)/(-2)`: the same number as :math:`(x_c + 1)/2`, but -0
      rather than +0 at the left end, so that the value left of -1 is
      :math:`\operatorname{expm1}(-1) \cdot (-0) = +0`.  ``-1 - x_c`` is exact
      near -1 (Sterbenz), so the value keeps its relative accuracy up to the
      corner; ``expm1`` keeps that of :math:`e^x - 1` near 0; the clamp keeps
      ``expm1`` away from large arguments and ``inf * 0`` out.
    * :math:`f' = 0`, :math:`(e^x(x + 1) + \operatorname{expm1}(x))/2`,
      :math:`x + \tfrac12`, 1, each on the clamped input, then 0 where
      :math:`x < -1` and 1 where :math:`x > 1` (NaN fails both and stays NaN).
      At the corners the inner branches, as a hand-written
      ``torch.clamp((x + 1) / 2, 0, 1)`` gate returns through autograd
      (``clamp`` passes the gradient at the ends of its range):
      :math:`\operatorname{expm1}(-1)/2 \approx -0.316` at -1 and 3/2 at 1.  At
      0 both branches have the slope 1/2: no corner.  The left branch cancels
      only next to its root, the minimum, where the slope is ill-conditioned
      anyway.
    """
    xc = np.clip(x, -1.0, 1.0)
    pos = x >= 0
    if y is not None:
        g = np.subtract(-1.0, xc)
        g /= -2.0
        h = np.expm1(xc)
        np.copyto(h, x, where=pos)
        np.multiply(h, g, out=y)
    if dy is not None:
        left = np.exp(xc)
        left *= xc + 1.0
        left += np.expm1(xc)
        left /= 2.0
        np.copyto(left, xc + 0.5, where=pos)
        np.copyto(left, 0.0, where=x < -1.0)
        np.copyto(left, 1.0, where=x > 1.0)
        np.copyto(dy, left)


hard_elish = register(
    Activation(
        "hard_elish",
        kernel=_hard_elish,
        # The (0, 1) branch last, as for Hard Swish: each condition is decidable
        # just beside every breakpoint.
        sym=lambda x: sp.Piecewise(
            (0, x <= -1), (x, x >= 1), ((sp.exp(x) - 1) * (x + 1) / 2, x < 0),
            (x * (x + 1) / 2, True)
        ),
        kinks=(
            Kink(-1.0, lambda: _HARD_ELISH_KINK,
                 {"pytorch": "≈ -0.316 (torch.clamp((x + 1) / 2, 0, 1) as the gate)",
                  "jax": "≈ -0.158 (jnp.clip((x + 1) / 2, 0, 1): a tie splits)",
                  "tensorflow": "≈ -0.316 (tf.clip_by_value((x + 1) / 2, 0, 1))"}),
            Kink(1.0, lambda: 1.5,
                 {"pytorch": "1.5 (torch.clamp((x + 1) / 2, 0, 1) as the gate)",
                  "jax": "1.25 (jnp.clip((x + 1) / 2, 0, 1): a tie splits)",
                  "tensorflow": "1.5 (tf.clip_by_value((x + 1) / 2, 0, 1))"}),
        ),
    )
)

__all__ += ["hard_elish"]


# --- GELU, sigmoid approximation (MLX's former gelu_approx) -------------------------

_SIG_A = 1.60033
_SIG_B = 0.0433603
r"""The constants of :math:`x\,\sigma(a\,x\,(1 + b\,x^2))`, as published in MLX's
``mlx.nn.gelu_approx`` until April 2024 (``python/mlx/nn/layers/activations.py``)."""


def _gelu_sigmoid(x, y, dy):
    r"""The sigmoid approximation of GELU, :math:`x\,\sigma(t)` with
    :math:`t = a\,x\,(1 + b\,x^2)`, :math:`a = 1.60033`, :math:`b = 0.0433603`,
    and its derivative :math:`\sigma(t) + x\,t'\,\sigma'(t)`, :math:`t' = a(1 +
    3b\,x^2)`, a block at a time (:func:`_cubic_gate_block`): the tanh form's
    kernel with its constants, since :math:`\tfrac12(1 + \tanh u) = \sigma(2u)`.

    The cubic is formed as :math:`x\,(a + ab\,x^2)`, its two constants rounded
    once each to the input's dtype.  Beyond :math:`|x| = 100` the gate is exactly
    0 or 1 (:math:`|t| > 6 \times 10^4`), so the input is clamped there before
    :math:`x^2` can overflow.  :math:`\sigma'` is :func:`_logistic_slope`, never
    :math:`1 - \sigma`.
    """
    block = functools.partial(_cubic_gate_block, a=_SIG_A, ab=_SIG_A * _SIG_B,
                              three_ab=3 * _SIG_A * _SIG_B)
    core.blockwise(block, x, y, dy, scratch=(x.dtype,) * 4)


gelu_sigmoid = register(
    Activation(
        "gelu_sigmoid",
        kernel=_gelu_sigmoid,
        sym=lambda x: x / (1 + sp.exp(-sp.Rational(160033, 100000) * x
                                      * (1 + sp.Rational(433603, 10**7) * x**2))),
    )
)

__all__ += ["gelu_sigmoid"]
