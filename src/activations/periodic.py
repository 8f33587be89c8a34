"""Periodic and radial activations: sine, cosine, sinc, Gaussian and Snake.

Sine and cosine oscillate for ever, so they have no limit at ``±inf``: there they
return NaN (SymPy's answer is an accumulation interval, ``AccumBounds(-1, 1)``),
without the ``RuntimeWarning`` that ``np.sin(np.inf)`` raises.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import sympy as sp

from . import core
from .core import blockwise
from .registry import Activation, Param, exact, register

__all__ = ["sin", "cos", "sinc", "gaussian", "snake", "snake_beta"]


# --- sine and cosine ---------------------------------------------------------------
def _sin(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None) -> None:
    """The sine and its slope the cosine, from one range reduction
    (:func:`activations.core.sincos`); NaN at ±inf, the answer wanted there."""
    core.sincos(x, y, dy)


def _cos(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None) -> None:
    """The cosine and its slope ``0 - sin x`` (rather than ``-sin x``: cos'(0) is
    +0, not -0), NaN at ±inf (see :func:`_sin`)."""
    core.sincos(x, dy, y)
    if dy is not None:
        np.subtract(0.0, dy, out=dy)


sin = register(
    Activation(
        "sin",
        kernel=_sin,
        sym=sp.sin,
    )
)

cos = register(
    Activation(
        "cos",
        kernel=_cos,
        sym=sp.cos,
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


def _sinc_block(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
                x0: np.ndarray, safe: np.ndarray, s: np.ndarray) -> None:
    inf = core.finite_into(x, x0)
    np.sin(x0, out=s)
    if y is not None:
        # the quotient where |x| >= 1/8 (there safe is x; 1 elsewhere: no 0/0) ...
        small = np.abs(x0, out=safe) < _SINC_SMALL
        np.copyto(safe, x0)
        np.copyto(safe, 1, where=small)
        np.divide(s, safe, out=y)
        # ... and the series where |x| < 1/8, on those elements only
        at = np.flatnonzero(small)
        t = x0[at]
        y[at] = _horner(_SINC_COEF, t * t)
        y[inf] = 0
    if dy is not None:
        small = np.abs(x0, out=safe) < _DSINC_SMALL
        np.copyto(safe, x0)
        np.copyto(safe, 1, where=small)
        np.cos(x0, out=dy)
        s /= safe
        dy -= s
        dy /= safe
        at = np.flatnonzero(small)
        t = x0[at]
        dy[at] = t * _horner(_DSINC_COEF, t * t) + np.asarray(0, dtype=x.dtype)
        dy[inf] = 0


def _sinc(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None) -> None:
    r""":math:`\sin x / x` (1 at 0, 0 at ±inf) and its slope
    :math:`(x\cos x - \sin x)/x^2`, written ``(cos x - sin(x)/x)/x`` (0 at 0 and
    at ±inf), sharing one sine.

    The value: near 0 the Taylor polynomial (no 0/0); elsewhere the quotient,
    which is accurate to about one ULP since ``sin`` is. The slope's numerator
    cancels to :math:`-x^3/3` near 0, so for :math:`|x| < 1` the odd Taylor
    polynomial is used; dividing twice by x instead of by :math:`x^2` keeps huge x
    from overflowing. Each series is evaluated on the elements that use it only.
    """
    blockwise(_sinc_block, x, y, dy, scratch=(x.dtype,) * 3)


sinc = register(
    Activation(
        "sinc",
        kernel=_sinc,
        # The removable singularity made explicit, so that SymPy's f' and f''
        # (and their mpmath evaluation) are defined at 0 too.
        sym=lambda x: sp.Piecewise((sp.sin(x) / x, sp.Ne(x, 0)), (1, True)),
    )
)


# --- Gaussian -------------------------------------------------------------------
def _gaussian_block(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
                    t: np.ndarray, w: np.ndarray, scale: float) -> None:
    np.abs(x, out=t)
    if scale != 1.0:
        core.times(t, scale, out=t)
    np.minimum(t, np.asarray(1e3, dtype=x.dtype), out=t)
    e = w if y is None else y
    np.multiply(t, t, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    if dy is None:
        return
    # -2 s^2 x e^(-(s x)^2) where |s x| <= 1 (NaN included); the capped t (or the
    # clipped x) keeps the product from overflowing where the tail replaces it
    if scale == 1.0:
        np.copysign(t, x, out=dy)
        dy *= -2
    else:  # -2 s^2 x from the exact x (s x may be subnormal), clipped where unused
        edge = np.asarray(2 / scale, dtype=x.dtype)
        np.clip(x, -edge, edge, out=dy)
        core.times(dy, -2 * scale * scale, out=dy)
    dy *= e
    big = np.flatnonzero(t > 1)
    tb = t[big]
    log2s = math.log(2 * scale)
    t64 = tb.astype(np.float64)
    tail = np.exp((log2s + np.log(t64) - t64**2) if scale != 1.0
                  else np.log(2 * tb) - tb * tb)
    dy[big] = -np.sign(x[big]) * tail
    dy += 0  # -0 becomes +0 (at x = 0, and where the tail underflows)


def _gaussian(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
              scale: float) -> None:
    r""":math:`e^{-(sx)^2}` and its slope :math:`-2s^2 x\,e^{-(sx)^2}`, which
    share the exponential where :math:`|sx| \le 1`; :math:`t = |sx|` is capped at
    1e3 so that :math:`t^2` cannot overflow (:math:`e^{-10^6}` is 0 in every format).
    The scale s is applied as the number it is (``core.times``); at s = 1 it is
    skipped.

    For :math:`|sx| > 1` the slope is written :math:`-\operatorname{sign}(x)\,
    e^{\log(2st) - t^2}`, on those elements only: one rounding at the end, where
    the product would round twice once :math:`e^{-t^2}` is subnormal (float32 at
    |x| = 10 lost nine units that way); for s != 1 the exponent is formed in
    float64.
    """
    blockwise(lambda xb, yb, dyb, t, w: _gaussian_block(xb, yb, dyb, t, w, scale),
              x, y, dy, scratch=(x.dtype, x.dtype))


gaussian = register(
    Activation(
        "gaussian",
        kernel=_gaussian,
        sym=lambda x, scale: sp.exp(-((scale * x) ** 2)),
        params={
            "scale": Param(
                1.0, 0.05, 20.0,
                "s, multiplying the input: e^(-(s x)^2), a bump of standard deviation "
                "1/(s sqrt 2) (WIRE's s0; Ramasinghe and Lucey's 1/(a sqrt 2))",
                symbol="s",
            ),
        },
        via_output=None,
    )
)


# --- Snake ----------------------------------------------------------------------
def _phase(x: np.ndarray, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    r""":math:`\alpha x` for finite x (0 at ±inf), with x capped so the product
    cannot overflow, in ``out`` (or a new array).

    Beyond the cap (only for :math:`\alpha > 1` and :math:`|x|` near the largest
    float) the phase is meaningless anyway: one ULP of x spans many periods.
    """
    if out is None:
        out = np.empty_like(x)
    cap = np.finfo(x.dtype).max / np.maximum(a, np.asarray(1, dtype=x.dtype))
    core.finite_into(x, out)
    np.clip(out, -cap, cap, out=out)
    return np.multiply(a, out, out=out)


def _snake_block(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
                 u: np.ndarray, s: np.ndarray, a: np.ndarray) -> None:
    _phase(x, a, out=u)
    np.sin(u, out=s)
    if y is not None:
        # x + s * (s / alpha); at ±inf the phase is 0, so this is x itself
        np.divide(s, a, out=y)
        np.multiply(s, y, out=y)
        np.add(x, y, out=y)
    if dy is not None:
        np.cos(u, out=dy)
        np.add(s, dy, out=dy)
        dy *= dy
        dy[np.isinf(x)] = np.nan  # no limit there


def _snake(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
           alpha: float) -> None:
    r""":math:`x + \sin^2(\alpha x)/\alpha`, as ``x + s * (s / alpha)``, and its
    slope :math:`1 + \sin 2\alpha x = (\sin\alpha x + \cos\alpha x)^2` (NaN at
    ±inf, where it oscillates for ever), sharing :math:`s = \sin\alpha x`.

    The paper's equivalent form :math:`x + (1 - \cos 2\alpha x)/(2\alpha)` loses
    every digit of the periodic term when :math:`\alpha x` is small; this one
    keeps them for any :math:`\alpha > 0` (and never squares an underflowing s).
    Where the slope touches 0, ``1 + sin`` loses digits to the absolute error
    of the sine; the square's error there is that of rounding the phase.
    """
    a = np.asarray(alpha, dtype=x.dtype)
    blockwise(partial(_snake_block, a=a), x, y, dy, scratch=(x.dtype, x.dtype))


def _snake_partial_alpha(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\partial f/\partial\alpha = (2\alpha x\sin\alpha x\cos\alpha x
    - \sin^2\alpha x)/\alpha^2 = (s/\alpha)\,(2x\cos\alpha x - s/\alpha)`."""
    a = np.asarray(alpha, dtype=x.dtype)
    x0 = np.empty_like(x)
    inf = core.finite_into(x, x0)
    u = _phase(x, a)
    q = np.sin(u) / a
    with np.errstate(over="ignore"):  # |x| near the largest float: inf is right
        out = q * (2 * (x0 * np.cos(u)) - q)
    # no limit at the infinities
    return np.where(inf, np.asarray(np.nan, dtype=x.dtype), out)


snake = register(
    Activation(
        "snake",
        kernel=_snake,
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
    )
)


# --- SnakeBeta ------------------------------------------------------------------
def _snake_beta_phase(w: np.ndarray, alpha: float) -> np.ndarray:
    """The float64 phase :math:`\\alpha x` of the float64 ``w`` (:func:`_phase`: 0 at
    ±inf, x capped so that the product cannot overflow)."""
    return _phase(w, np.float64(alpha))


def _snake_beta(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
                log_alpha: float, log_beta: float) -> None:
    r""":math:`x + \sin^2(\alpha x)/\beta` with :math:`\alpha = e^a`,
    :math:`\beta = e^b`, and its slope :math:`1 + (\alpha/\beta)\sin 2\alpha x`
    (NaN at ±inf, where it oscillates for ever).

    Computed in float64 and rounded once to x's dtype: the value as
    ``x + s * s * exp(-b)`` with :math:`s = \sin\alpha x` (no cancellation for
    small :math:`\alpha x`, unlike :math:`1 - \cos 2\alpha x`); the slope with the
    ratio :math:`r = e^{a - b}`, as :math:`(\sin\alpha x + \cos\alpha x)^2 + (r -
    1)\sin 2\alpha x` with :math:`r - 1` from ``expm1`` for :math:`r \ge 1/2`
    (accurate where it touches 0, near r = 1) and as :math:`1 + r \sin 2\alpha x`
    below (never below 1/2). The ranges keep :math:`\alpha/\beta \le e^{0.02}`:
    monotone for :math:`\alpha \le \beta`, and barely past it, with the
    defaults (a = b = 0) inside. BigVGAN adds :math:`\varepsilon = 10^{-9}` to
    :math:`\beta`; this is the function without it.
    """
    w = x.astype(np.float64, copy=False)
    u = _snake_beta_phase(w, math.exp(log_alpha))
    if y is not None:
        s = np.sin(u)
        s *= s
        s *= math.exp(-log_beta)
        s += w
        np.copyto(y, s)
    if dy is not None:
        ratio = math.exp(log_alpha - log_beta)
        half = np.finfo(np.float64).max / 2  # beyond it the phase means nothing
        sin2 = np.sin(2.0 * np.clip(u, -half, half))
        if ratio >= 0.5:  # at most e^0.02 by the ranges
            # 1 + r sin 2u = (sin u + cos u)^2 + (r - 1) sin 2u, with r - 1 from
            # expm1: the square keeps the digits that 1 + sin 2u loses where the
            # slope touches 0 (r = 1, Snake's case), and r - 1 carries no
            # rounding of r, which near r = 1 is all of it
            d = np.sin(u)
            d += np.cos(u)
            d *= d
            sin2 *= math.expm1(log_alpha - log_beta)
            d += sin2
        else:  # the slope stays above 1 - r > 1/2: no cancellation
            d = sin2
            d *= ratio
            d += 1.0
        d[np.isinf(w)] = np.nan  # no limit there
        np.copyto(dy, d)


def _snake_beta_partial_log_alpha(x: np.ndarray, log_alpha: float,
                                  log_beta: float) -> np.ndarray:
    r""":math:`\partial f/\partial a = \alpha\,\partial f/\partial\alpha =
    \alpha x \sin(2\alpha x)/\beta`, computed as :math:`u \sin(2u)\,e^{-b}` with
    :math:`u = \alpha x`; NaN at ±inf."""
    w = x.astype(np.float64, copy=False)
    u = _snake_beta_phase(w, math.exp(log_alpha))
    with np.errstate(over="ignore"):  # |x| near the largest float: inf is right
        half = np.finfo(np.float64).max / 2  # beyond it the phase means nothing
        out = u * np.sin(2.0 * np.clip(u, -half, half)) * math.exp(-log_beta)
        out[np.isinf(w)] = np.nan
        return out.astype(x.dtype)


def _snake_beta_partial_log_beta(x: np.ndarray, log_alpha: float,
                                 log_beta: float) -> np.ndarray:
    r""":math:`\partial f/\partial b = \beta\,\partial f/\partial\beta =
    -\sin^2(\alpha x)/\beta`; NaN at ±inf."""
    w = x.astype(np.float64, copy=False)
    s = np.sin(_snake_beta_phase(w, math.exp(log_alpha)))
    out = -(s * s) * math.exp(-log_beta)
    out += 0.0  # -0.0 where the sine is 0 becomes +0.0
    out[np.isinf(w)] = np.nan
    return out.astype(x.dtype)


snake_beta = register(
    Activation(
        "snake_beta",
        kernel=_snake_beta,
        sym=lambda x, log_alpha, log_beta: (
            x + sp.sin(sp.exp(log_alpha) * x) ** 2 * sp.exp(-log_beta)),
        params={
            # log_beta first: a generic test halves the first parameter's default
            # or sets it to 0.5, which log_alpha's range does not reach
            "log_beta": Param(
                0.0, -0.01, 3.0,
                "b = log(beta); 1/beta is the height of the periodic term "
                "(learnable; BigVGAN's log-scale beta, initialised to 0)",
                symbol="b", learnable=True),
            "log_alpha": Param(
                0.0, -4.0, 0.01,
                "a = log(alpha), the log of the frequency (learnable; BigVGAN's "
                "log-scale alpha, initialised to 0)",
                symbol="a", learnable=True),
        },
        partials={"log_alpha": _snake_beta_partial_log_alpha,
                  "log_beta": _snake_beta_partial_log_beta},
    )
)


# --- GCU --------------------------------------------------------------------------
def _gcu_block(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
               x0: np.ndarray, c: np.ndarray) -> None:
    inf = core.finite_into(x, x0)
    np.cos(x0, out=c)
    if y is not None:
        np.multiply(x0, c, out=y)
        y[inf] = np.nan  # x cos x has no limit at +-inf
    if dy is not None:
        np.sin(x0, out=dy)
        dy *= x0
        np.subtract(c, dy, out=dy)
        dy[inf] = np.nan


def _gcu(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None) -> None:
    r""":math:`x\cos x` and its slope :math:`\cos x - x\sin x`, sharing one cosine.

    At ±inf both oscillate with an amplitude that grows without bound, so neither
    has a limit: they return NaN, as :func:`_sin` and :func:`_cos` do, without
    the warning (the infinities are evaluated at 0 and overwritten).  No product
    overflows: :math:`|x\cos x|` and :math:`|x\sin x|` are at most :math:`|x|`.
    """
    blockwise(_gcu_block, x, y, dy, scratch=(x.dtype, x.dtype))


gcu = register(
    Activation(
        "gcu",
        kernel=_gcu,
        sym=lambda x: x * sp.cos(x),
    )
)

__all__ += ["gcu"]


# --- Gabor (WIRE) ---------------------------------------------------------------
_GABOR_CAP = 1e3
"""Beyond :math:`|s_0 x| = 1000` the envelope :math:`e^{-10^6}` is 0 in every
format; the cap keeps the square finite."""

_SPLIT = 134217729.0  # 2^27 + 1, Dekker's splitter for float64


def _two_prod(a: np.ndarray, b) -> tuple[np.ndarray, np.ndarray]:
    """``(p, e)`` with ``p = fl(a b)`` and ``p + e = a b`` exactly (Dekker), for
    float64 arrays whose products are far from overflow and underflow."""
    def split(v):
        c = _SPLIT * v
        hi = c - (c - v)
        return hi, v - hi

    p = a * b
    ah, al = split(a)
    bh, bl = split(np.asarray(b, dtype=np.float64))
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


def _gabor_parts(x: np.ndarray, omega0: float, s0: float):
    r"""``(env, c, m, a2, zero)`` in float64: the envelope :math:`e^{-u^2}`,
    :math:`\cos(\omega_0 x)`, the slope's factor :math:`m = \omega_0\sin(\omega_0 x)
    + 2 s_0 u\cos(\omega_0 x)`, the exponent :math:`u^2` and the mask where the
    envelope is 0, with :math:`u = s_0 x`.

    The phase :math:`\omega_0 x` and the square :math:`u^2` are carried to twice
    the working precision (:func:`_two_prod`) and their low parts applied to first
    order: at a maximum of f, where :math:`f' = 0`, the two rounding errors
    would otherwise each shift f by about :math:`u^2\varepsilon`, far beyond
    f's own condition number there.
    """
    x = x.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        u = x * s0
        a = np.minimum(np.abs(u), _GABOR_CAP)
        a2 = a * a
        env = np.exp(-a2)
        zero = env == 0  # False at NaN
        live = np.flatnonzero(~zero & np.isfinite(x))
        phase = x * omega0
        c = np.cos(phase)
        sn = np.sin(phase)
    c[zero] = 0.0
    sn[zero] = 0.0
    if live.size:
        xl = x[live]
        p, pe = _two_prod(xl, omega0)
        ul, ue = _two_prod(xl, s0)
        sq, sqe = _two_prod(ul, ul)
        cl, sl = np.cos(p), np.sin(p)
        c[live] = cl - sl * pe
        sn[live] = sl + cl * pe
        corr = sqe + 2 * ul * ue  # u^2 = sq + corr
        a2[live] = sq + corr
        env[live] = np.exp(-sq) * (1 - corr)
        u[live] = ul
    uz = np.where(zero, 0.0, u)
    m = omega0 * sn + (2.0 * s0) * (uz * c)
    return env, c, m, a2, zero


def _gabor(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
           omega0: float, s0: float) -> None:
    r"""The real Gabor wavelet :math:`\cos(\omega_0 x)\,e^{-(s_0 x)^2}` and its
    derivative :math:`-e^{-(s_0 x)^2}\,(\omega_0 \sin(\omega_0 x) + 2 s_0^2 x
    \cos(\omega_0 x))`, computed in float64 (:func:`_gabor_parts`) and rounded
    once to the input's dtype.

    * Where the envelope is 0 (:math:`|s_0 x|` beyond about 27.3, and at
      :math:`\pm\infty`) both are 0, never ``cos(inf) * 0``, a NaN.
    * Where it is subnormal, a product with it would keep only its few bits and
      the slope's factor m can be in the thousands: there value and slope are
      written :math:`\pm e^{\log|c| - u^2}` and :math:`\mp e^{\log|m| - u^2}`,
      each rounded once, as :func:`_gaussian` does for its slope.
    * Below :math:`|x| = 10^{-100}` the slope is its first Taylor term
      :math:`-(\omega_0^2 + 2 s_0^2)\,x`, one product: the phase and u are
      subnormal there for the smallest x, with too few bits for the sine.
    """
    shape, x = x.shape, x.ravel()  # flat indices below
    env, c, m, a2, zero = _gabor_parts(x, omega0, s0)
    tail = np.flatnonzero((env < np.finfo(np.float64).tiny) & ~zero)
    with np.errstate(divide="ignore"):  # log 0 = -inf gives 0
        if y is not None:
            v = c * env
            if tail.size:
                ct = c[tail]
                v[tail] = np.sign(ct) * np.exp(np.log(np.abs(ct)) - a2[tail])
            v += 0.0  # -0.0 becomes +0.0
            np.copyto(y, v.reshape(shape), casting="same_kind")
        if dy is not None:
            d = -(m * env)
            if tail.size:
                mt = m[tail]
                d[tail] = -np.sign(mt) * np.exp(np.log(np.abs(mt)) - a2[tail])
            tiny = np.abs(x) < 1e-100  # f' = -(omega0^2 + 2 s0^2) x (1 + O(x^2))
            if tiny.any():
                k = float(exact(omega0) ** 2 + 2 * exact(s0) ** 2)
                d[tiny] = -(x[tiny].astype(np.float64) * k)
            d += 0.0
            np.copyto(dy, d.reshape(shape), casting="same_kind")


gabor = register(
    Activation(
        "gabor",
        kernel=_gabor,
        sym=lambda x, omega0, s0: sp.cos(omega0 * x) * sp.exp(-((s0 * x) ** 2)),
        params={
            "omega0": Param(10.0, 0.0, 60.0,
                            "frequency of the carrier (WIRE's omega_0; its code "
                            "defaults to 10 and its scripts use 4 to 20)",
                            symbol="omega_0"),
            "s0": Param(10.0, 0.1, 100.0,
                        "scale of the Gaussian window (WIRE's s_0, sigma0 in its "
                        "code: 10 in the real layer, 40 in the complex one, 4 to 40 "
                        "in its scripts)", symbol="s_0"),
        },
    )
)

__all__ += ["gabor"]
