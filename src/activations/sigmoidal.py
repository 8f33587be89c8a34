"""Sigmoidal activations: bounded (or at least saturating) and S-shaped."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from . import core
from .core import blockwise
from .registry import Activation, Kink, Param, register

__all__ = [
    "sigmoid", "tanh", "hard_sigmoid", "hard_tanh", "lecun_tanh", "softsign",
    "arctan", "bipolar_sigmoid", "log_log", "normal_cdf", "isru",
    "sparse_sigmoid", "penalized_tanh", "laplace",
]


sigmoid = register(
    Activation(
        "sigmoid",
        kernel=core.sigmoid,
        sym=lambda x: 1 / (1 + sp.exp(-x)),
        via_output=lambda y: y * (1 - y),
    )
)


tanh = register(
    Activation(
        "tanh",
        kernel=core.tanh,
        sym=sp.tanh,
        via_output=lambda y: 1 - y**2,
    )
)


# --- Piecewise-linear and algebraic relatives of the sigmoid and tanh -------------
#
# Shared helpers. A slope chosen by a comparison is 0 at NaN, because every
# comparison with NaN is False: ``core.keep_nan`` puts x's NaN back.


def _bound_below(v: float, dtype) -> float:
    """The largest number of ``dtype`` not above the float64 ``v``.

    For x of that dtype, ``x > v`` (compared in float64) holds exactly when
    ``x > _bound_below(v)`` does in the dtype itself, with no conversion.
    """
    b = np.asarray(v, dtype)
    if float(b) > v:
        b = np.nextafter(b, np.asarray(-np.inf, dtype))
    return float(b)


def _bound_above(v: float, dtype) -> float:
    """The smallest number of ``dtype`` not below ``v``: ``x < v`` exactly when
    ``x < _bound_above(v)``."""
    b = np.asarray(v, dtype)
    if float(b) < v:
        b = np.nextafter(b, np.asarray(np.inf, dtype))
    return float(b)


def _clamp_slope(x, dy, bound, slope):
    """``dy = slope`` where ``|x| < bound``, 0 elsewhere and at the bounds (0 at
    NaN too: see :func:`~activations.core.keep_nan`). The comparison writes 1 or
    0 straight into the float array."""
    np.abs(x, out=dy)
    np.less(dy, bound, out=dy)
    dy *= slope


def _hard_sigmoid_value(x, y, slope):
    np.multiply(x, slope, out=y)
    y += 0.5
    np.clip(y, 0, 1, out=y)


def _hard_sigmoid_block(x, y, dy, slope, bound):
    if y is not None:
        _hard_sigmoid_value(x, y, slope)
    _clamp_slope(x, dy, bound, slope)


def _hard_sigmoid(x, y, dy, slope):
    r""":math:`\mathrm{clip}(s x + \tfrac12, 0, 1)` and its slope :math:`s [|x| <
    1/(2s)]`, NaN kept in both.

    ``s <= 1``, so ``s x`` never overflows. The slope is :math:`s` on the open
    interval and 0 outside and at the kinks (PyTorch's ``hardsigmoid_backward``).
    The bound is the float64 number 1/(2s), compared in the input's own dtype by
    :func:`_bound_above`, so that a float32 input lying just inside the exact kink
    is not rounded onto it.
    """
    if dy is None:  # three cheap passes: faster over the whole array than in blocks
        _hard_sigmoid_value(x, y, slope)
        return
    bound = _bound_above(0.5 / slope, x.dtype)
    blockwise(lambda xb, yb, dyb: _hard_sigmoid_block(xb, yb, dyb, slope, bound),
              x, y, dy)
    core.keep_nan(dy, x)


def _hard_sigmoid_expr(x, slope):
    k = 1 / (2 * slope)
    middle = slope * x + sp.Rational(1, 2)
    return sp.Piecewise((0, x <= -k), (1, x >= k), (middle, True))


_KINK_HARD_SIGMOID = {
    "pytorch": "0 (hardsigmoid_backward keeps the slope only for -3 < x < 3)",
    "jax": "0 (relu6 has a custom JVP that is 0 at both corners)",
    "tensorflow": "no tf.nn op; Keras 3 delegates to its backend",
    "keras": "the backend's (0 on JAX and PyTorch)",
}

hard_sigmoid = register(
    Activation(
        "hard_sigmoid",
        kernel=_hard_sigmoid,
        sym=_hard_sigmoid_expr,
        params={
            "slope": Param(
                1 / 6,
                0.05,
                1.0,
                "slope of the linear middle piece (PyTorch, JAX, Keras 3: 1/6; "
                "Keras 2 and Theano: 0.2; BinaryConnect: 1/2)",
                symbol="s",
            )
        },
        kinks=(
            Kink(lambda slope: -0.5 / slope, lambda slope: 0.0, _KINK_HARD_SIGMOID),
            Kink(lambda slope: 0.5 / slope, lambda slope: 0.0, _KINK_HARD_SIGMOID),
        ),
    )
)


def _hard_tanh_block(x, y, dy, low, high, above, below):
    if y is not None:
        np.clip(x, low, high, out=y)
    np.logical_and(np.greater(x, above), np.less(x, below), out=dy)


def _hard_tanh(x, y, dy, min_val, max_val):
    r""":math:`\mathrm{clip}(x, \text{min\_val}, \text{max\_val})` and its slope
    ``[min_val < x < max_val]``, NaN kept in both.

    The slope is 1 strictly between the bounds, 0 outside and at both bounds
    (PyTorch). The bounds are compared as float64 numbers, in the input's own
    dtype (:func:`_bound_below`, :func:`_bound_above`).
    """
    low, high = np.asarray(min_val, x.dtype), np.asarray(max_val, x.dtype)
    if dy is None:
        np.clip(x, low, high, out=y)
        return
    above = _bound_below(min_val, x.dtype)
    below = _bound_above(max_val, x.dtype)
    blockwise(lambda xb, yb, dyb: _hard_tanh_block(xb, yb, dyb, low, high, above,
                                                   below),
              x, y, dy)
    core.keep_nan(dy, x)


_KINK_HARD_TANH = {
    "pytorch": "0 (hardtanh_backward tests x <= min_val or x >= max_val)",
    "jax": "1 (jax.nn.hard_tanh: the identity branch holds at +-1)",
    "tensorflow": "no tf.nn op; Keras 3 delegates to its backend",
    "keras": "the backend's (1 on JAX, 0 on PyTorch)",
}

hard_tanh = register(
    Activation(
        "hard_tanh",
        kernel=_hard_tanh,
        sym=lambda x, min_val, max_val: sp.Piecewise(
            (min_val, x <= min_val), (max_val, x >= max_val), (x, True)
        ),
        params={
            "min_val": Param(
                -1.0, -10.0, 0.0,
                "lower end of the linear piece, the value for x <= min_val "
                "(PyTorch: -1; JAX and Keras: fixed at -1)",
                symbol="a",
            ),
            "max_val": Param(
                1.0, 0.5, 10.0,
                "upper end of the linear piece, the value for x >= max_val "
                "(PyTorch: 1; JAX and Keras: fixed at 1)",
                symbol="b",
            ),
        },
        kinks=(
            Kink(lambda min_val, max_val: min_val,
                 lambda min_val, max_val: 0.0, _KINK_HARD_TANH),
            Kink(lambda min_val, max_val: max_val,
                 lambda min_val, max_val: 0.0, _KINK_HARD_TANH),
        ),
    )
)


LECUN_TANH_SCALE = sp.Rational(17159, 10000)
"""The published amplitude 1.7159, itself a rounding of 1/tanh(2/3)."""
_LECUN_A = float(LECUN_TANH_SCALE)
# A * 2/3 as one correctly rounded constant, not two float operations.
_LECUN_A_B = float(LECUN_TANH_SCALE * sp.Rational(2, 3))


def _lecun_tanh_block(x, y, dy, u):
    np.divide(x, np.asarray(1.5, x.dtype), out=u)
    core.tanh(u, y, dy)
    if y is not None:
        y *= np.asarray(_LECUN_A, x.dtype)
    if dy is not None:
        dy *= np.asarray(_LECUN_A_B, x.dtype)


def _lecun_tanh(x, y, dy):
    r""":math:`1.7159\tanh(2x/3)` and :math:`1.7159 \cdot \tfrac23\,
    \mathrm{sech}^2(2x/3)`, from :math:`u = 2x/3` computed once.

    ``x / 1.5`` is one rounding (1.5 is exact); sech² is the stable one of
    :func:`activations.core.tanh`.
    """
    blockwise(_lecun_tanh_block, x, y, dy, scratch=(x.dtype,))


lecun_tanh = register(
    Activation(
        "lecun_tanh",
        kernel=_lecun_tanh,
        sym=lambda x: LECUN_TANH_SCALE * sp.tanh(sp.Rational(2, 3) * x),
        via_output=lambda y: sp.Rational(2, 3) * (LECUN_TANH_SCALE
                                                  - y**2 / LECUN_TANH_SCALE),
    )
)


def _softsign_block(x, y, dy, d, big):
    if y is not None:
        np.abs(x, out=y)
        np.minimum(y, big, out=y)
        np.add(y, 1, out=d)
        y /= d
        np.copysign(y, x, out=y)
    else:
        np.abs(x, out=d)
        np.minimum(d, big, out=d)
        d += 1
    if dy is not None:
        np.divide(1, d, out=dy)
        dy *= dy


def _softsign(x, y, dy):
    r""":math:`x/(1+|x|)` and :math:`1/(1+|x|)^2`, sharing :math:`d = 1 + |x|`.

    :math:`|x|` is first capped at the largest float, where ``a/(1+a)`` already
    rounds to 1, so that infinities give 1 rather than inf/inf; the sign is put
    back afterwards (``-0`` stays ``-0``). The derivative is squared after
    inverting so nothing overflows.
    """
    big = np.finfo(x.dtype).max
    blockwise(lambda xb, yb, dyb, d: _softsign_block(xb, yb, dyb, d, big),
              x, y, dy, scratch=(x.dtype,))


softsign = register(
    Activation(
        "softsign",
        kernel=_softsign,
        # Written by sign, not with Abs: the derivative of Abs brings sign(x) and
        # then DiracDelta, which mpmath cannot evaluate.
        sym=lambda x: sp.Piecewise((x / (1 + x), x >= 0), (x / (1 - x), True)),
        # Not a corner of f: f' is continuous (1 from both sides), but f'' jumps
        # from 2 to -2 here, and declaring the breakpoint lets the properties
        # find that softsign is C^1 and not smoother.
        kinks=(
            Kink(
                0.0,
                lambda: 1.0,
                {"pytorch": "1", "jax": "1", "tensorflow": "1"},
            ),
        ),
    )
)


def _arctan_slope_block(x, dy):
    with np.errstate(over="ignore"):
        np.multiply(x, x, out=dy)
    dy += 1
    np.divide(1, dy, out=dy)
    # 1/(1 + x^2) is positive for every finite x^2 (at least 1/max, a subnormal),
    # so a 0 marks an x^2 that overflowed (|x| > sqrt(max)). There the value is
    # t^2, t = 1/|x|, which survives as a subnormal (float32 1e20 gives 1e-40).
    if not dy.all():
        far = dy == 0
        t = 1 / np.abs(x[far])
        dy[far] = t * t


def _arctan(x, y, dy):
    r""":math:`\arctan x` (NumPy's) and :math:`1/(1+x^2)`; where :math:`x^2`
    overflows, :math:`t^2` with :math:`t = 1/|x|`."""
    if y is not None:
        np.arctan(x, out=y)
    if dy is not None:
        blockwise(_arctan_slope_block, x, dy)


arctan = register(
    Activation(
        "arctan",
        kernel=_arctan,
        sym=sp.atan,
        via_output=lambda y: sp.cos(y) ** 2,
    )
)


def _bipolar_sigmoid_block(x, y, dy, u):
    half = np.asarray(0.5, x.dtype)
    np.multiply(x, half, out=u)
    core.tanh(u, y, dy)
    if dy is not None:
        dy *= half


def _bipolar_sigmoid(x, y, dy):
    r""":math:`(1-e^{-x})/(1+e^{-x}) = \tanh(x/2)` and its derivative
    :math:`\tfrac12\,\mathrm{sech}^2(x/2) = 2\sigma'(x)`.

    Halving is exact, and ``np.tanh`` neither overflows nor cancels near 0; sech²
    is the stable one of :func:`activations.core.tanh`.
    """
    blockwise(_bipolar_sigmoid_block, x, y, dy, scratch=(x.dtype,))


bipolar_sigmoid = register(
    Activation(
        "bipolar_sigmoid",
        kernel=_bipolar_sigmoid,
        sym=lambda x: (1 - sp.exp(-x)) / (1 + sp.exp(-x)),
        via_output=lambda y: (1 - y**2) / 2,
    )
)


# exp(-e^10) = exp(-22026) is 0 in every float format, so clamping x at 10 changes
# no result and keeps exp(x) from overflowing.
_LOG_LOG_CLAMP = 10.0


def _log_log_block(x, y, dy, xc):
    np.minimum(x, np.asarray(_LOG_LOG_CLAMP, x.dtype), out=xc)
    e = y if dy is None else dy
    np.exp(xc, out=e)
    if y is not None:
        np.negative(e, out=y)
        np.expm1(y, out=y)
        np.negative(y, out=y)
    if dy is not None:
        np.subtract(xc, dy, out=dy)
        np.exp(dy, out=dy)


def _log_log(x, y, dy):
    r""":math:`1 - \exp(-e^x)` and its derivative
    :math:`e^{x}\exp(-e^{x}) = \exp(x - e^{x})`, sharing :math:`e^x`.

    The value is ``-expm1(-exp(x))``: for :math:`x \to -\infty` it is about
    :math:`e^x` and ``1 - exp(...)`` would lose it. x is clamped at
    :data:`_LOG_LOG_CLAMP`, so the derivative is 0 beyond it.
    """
    blockwise(_log_log_block, x, y, dy, scratch=(x.dtype,))


class ExpNegExp(sp.Function):
    r""":math:`e^{-e^{x}}` as a SymPy function, for the log-log activation.

    Mathematically it is ``exp(-exp(x))`` (``rewrite(sp.exp)`` gives that form,
    and SymPy differentiates it as such). It exists for the mpmath reference:
    mpmath evaluates ``exp(-exp(x))`` exactly, with an exponent of about
    :math:`e^{x}` digits, which takes hours at :math:`x = 10^4`. Beyond
    :math:`x = 800` the value is below :math:`10^{-10^{347}}`, so far below the
    smallest float that 0 is an exact stand-in for every comparison made with it.
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_Number or arg in (sp.oo, -sp.oo):
            return sp.exp(-sp.exp(arg))
        return None

    def fdiff(self, argindex=1):
        return -sp.exp(self.args[0]) * self

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return sp.exp(-sp.exp(arg))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    def _latex(self, printer):
        return r"e^{- e^{" + printer._print(self.args[0]) + "}}"

    @staticmethod
    def _imp_(t):
        if isinstance(t, mpmath.mpf | mpmath.mpc | int | float):
            if t > 800:
                return mpmath.mpf(0)
            return mpmath.exp(-mpmath.exp(t))
        t = np.asarray(t, dtype=float)
        return np.exp(-np.exp(np.minimum(t, _LOG_LOG_CLAMP)))


log_log = register(
    Activation(
        "log_log",
        kernel=_log_log,
        sym=lambda x: 1 - ExpNegExp(x),
        via_output=lambda y: -(1 - y) * sp.log(1 - y),
    )
)


def _normal_cdf(x, y, dy):
    r""":math:`\Phi(x)` and :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`, sharing
    the exponential, by W. J. Cody's rational approximation
    (:func:`activations.core.ndtr_pdf`).

    :math:`\Phi(x) = \tfrac12\operatorname{erfc}(-x/\sqrt2)`, so that the left
    tail is not lost to ``(1 + erf(x/√2))/2`` cancelling, and :math:`e^{-x^2/2}`
    corrected for the rounding of :math:`x^2`, so that it is accurate down to the
    last subnormal (:math:`\varphi` is 0 beyond |x| = 40 in every format).
    """
    if dy is None:
        core.ndtr(x, out=y)
    else:
        core.ndtr_pdf(x, value=y is not None, out=(y, dy))


normal_cdf = register(
    Activation(
        "normal_cdf",
        kernel=_normal_cdf,
        sym=lambda x: (1 + sp.erf(x / sp.sqrt(2))) / 2,
    )
)


# The symbol the registry gives ``alpha`` (real, and nonnegative since its range
# starts above 0), for the identity f' = (1 - alpha y^2)^(3/2).
_ISRU_ALPHA = sp.Symbol("alpha", real=True, nonnegative=True)


def _isru_block(x, y, dy, m, t, r, alpha):
    np.abs(x, out=m)
    np.maximum(m, 1, out=t)
    np.divide(1, t, out=t)
    np.minimum(m, 1, out=m)
    # r = 1/sqrt(t^2 + alpha m^2), with alpha m^2 in whichever output comes later
    q = y if y is not None else dy
    np.multiply(t, t, out=r)
    np.multiply(m, alpha, out=q)
    q *= m
    r += q
    np.sqrt(r, out=r)
    np.divide(1, r, out=r)
    if y is not None:
        np.copysign(m, x, out=y)
        y *= r
    if dy is not None:
        np.multiply(t, r, out=dy)
        np.multiply(dy, dy, out=t)
        dy *= t


def _isru(x, y, dy, alpha):
    r""":math:`x/\sqrt{1+\alpha x^2}` and :math:`(1+\alpha x^2)^{-3/2}`, from
    ``m = min(|x|, 1)``, ``t = 1/max(|x|, 1)`` and ``r = 1/sqrt(t^2 + alpha m^2)``.

    For ``|x| <= 1`` (``t = 1``, ``m = |x|``), ``r = 1/sqrt(1 + a x^2)``; for
    ``|x| > 1`` (``m = 1``), ``r = 1/sqrt(t^2 + a)``, the same quantity divided by
    ``|x|``, whose square cannot overflow. No branch is evaluated where it does
    not apply, so nothing overflows there either. The value is ``copysign(m, x)
    r``, which is x r or :math:`\mathrm{sign}(x)/\sqrt{x^{-2}+\alpha}` for
    :math:`|x| > 1`; the derivative is :math:`(t\,r)^3` (t is 1 for
    :math:`|x| \le 1`).
    """
    blockwise(lambda xb, yb, dyb, m, t, r: _isru_block(xb, yb, dyb, m, t, r, alpha),
              x, y, dy, scratch=(x.dtype,) * 3)


isru = register(
    Activation(
        "isru",
        kernel=_isru,
        sym=lambda x, alpha: x / sp.sqrt(1 + alpha * x**2),
        via_output=lambda y: (1 - _ISRU_ALPHA * y**2) ** sp.Rational(3, 2),
        params={
            "alpha": Param(
                1.0, 0.01, 10.0,
                "the outputs lie in (-1/sqrt(alpha), 1/sqrt(alpha)) (paper: 1)",
                symbol="alpha",
            )
        },
    )
)


def _sparse_sigmoid_value(x, y):
    np.add(x, 1, out=y)
    y *= 0.5
    np.clip(y, 0, 1, out=y)


def _sparse_sigmoid_block(x, y, dy):
    if y is not None:
        _sparse_sigmoid_value(x, y)
    _clamp_slope(x, dy, 1, 0.5)


def _sparse_sigmoid(x, y, dy):
    r""":math:`\mathrm{clip}((x+1)/2, 0, 1)` (``x + 1`` is exact near -1) and its
    slope: :math:`1/2` for :math:`|x| < 1`, 0 outside and at :math:`\pm 1`, NaN
    kept in both."""
    if dy is None:  # three cheap passes: faster over the whole array than in blocks
        _sparse_sigmoid_value(x, y)
        return
    blockwise(_sparse_sigmoid_block, x, y, dy)
    core.keep_nan(dy, x)


_KINK_SPARSE_SIGMOID = {
    "pytorch": "no built-in; the torch.clamp one-liner gives 1/2 (clamp_backward "
    "keeps the gradient where min <= x <= max)",
    "jax": "1/4 (jnp.clip is max then min, which split the gradient at a tie)",
    "tensorflow": "no tf.nn op; Keras 3 delegates to its backend",
    "keras": "the backend's (1/4 on JAX)",
}

sparse_sigmoid = register(
    Activation(
        "sparse_sigmoid",
        kernel=_sparse_sigmoid,
        sym=lambda x: sp.Piecewise((0, x <= -1), (1, x >= 1), ((x + 1) / 2, True)),
        kinks=(
            Kink(-1.0, lambda: 0.0, _KINK_SPARSE_SIGMOID),
            Kink(1.0, lambda: 0.0, _KINK_SPARSE_SIGMOID),
        ),
    )
)


def _penalized_tanh_block(x, y, dy, c, alpha):
    # The factor c = 1 for x > 0, alpha otherwise (and for NaN): [x > 0] is 1 or 0
    # and 0 <= alpha <= 1. Multiplying by it chooses the branch without a branch
    # per element (np.where on a random sign is several times slower); 1 * t is t.
    np.greater(x, 0, out=c)
    np.maximum(c, alpha, out=c)
    core.tanh(x, y, dy)
    if y is not None:
        y *= c
    if dy is not None:
        dy *= c


def _penalized_tanh(x, y, dy, alpha):
    r""":math:`\tanh x` for :math:`x > 0`, :math:`\alpha\tanh x` otherwise, and
    likewise :math:`\mathrm{sech}^2 x` or :math:`\alpha\,\mathrm{sech}^2 x` (the
    stable sech² of :func:`activations.core.tanh`), so :math:`\alpha` at the kink
    (the branch ``x > 0`` fails at 0)."""
    a = np.asarray(alpha, x.dtype)
    blockwise(lambda xb, yb, dyb, c: _penalized_tanh_block(xb, yb, dyb, c, a),
              x, y, dy, scratch=(x.dtype,))


penalized_tanh = register(
    Activation(
        "penalized_tanh",
        kernel=_penalized_tanh,
        sym=lambda x, alpha: sp.Piecewise(
            (sp.tanh(x), x > 0), (alpha * sp.tanh(x), True)
        ),
        params={
            "alpha": Param(
                0.25, 0.0, 1.0,
                "factor on the negative side (Xu et al.: 0.25); 1 gives tanh",
                symbol="alpha",
            )
        },
        kinks=(
            Kink(
                0.0,
                lambda alpha: alpha,
                {
                    "pytorch": "no built-in; torch.where(x > 0, t, alpha * t) "
                    "gives alpha",
                    "jax": "no built-in; jnp.where(x > 0, ...) gives alpha",
                    "tensorflow": "no built-in; tf.where(x > 0, ...) gives alpha",
                },
            ),
        ),
    )
)


# --- the Laplace attention function (MEGA) ------------------------------------------

LAPLACE_MU = 0.5**0.5
"""MEGA's location: the point where the Laplace function meets ReLU² with equal
value and slope, :math:`\\mu = 1/\\sqrt2` (the reference code writes 0.707107)."""
LAPLACE_SIGMA = 0.5 / np.pi**0.5
"""MEGA's scale, :math:`\\sigma = 1/(2\\sqrt\\pi) = \\sqrt{1/(4\\pi)}` (the
reference code writes 0.282095)."""


def _split(a):
    """Dekker's split of float64 ``a`` into a high part of 26 bits and the rest."""
    c = a * 134217729.0  # 2^27 + 1
    hi = c - (c - a)
    return hi, a - hi


def _standardise(x, mu, sigma):
    r"""``(z, dz)``: :math:`(x - \mu)/\sigma` as float64 ``z`` plus a correction
    ``dz`` below half its ulp, or None when ``x`` is float32 (float64 is then
    already exact enough).

    Near x = 0 the value's condition number is 0, while the rounding of z costs
    :math:`|z|\varphi(z)/\Phi(z)` times its relative error: about
    :math:`z^2` ulp in the left tail, 138 ulp at x = 0 for mu = 4.  So the
    subtraction's error (Knuth's TwoSum) and the division's remainder
    (:math:`s - z\sigma`, exact by Dekker's product) are carried as ``dz``, at
    |z| < 64 (beyond, Phi and phi are 0 or 1 in every format).
    """
    s = np.subtract(x, mu, dtype=np.float64)
    with np.errstate(over="ignore"):
        z = s / sigma
    if x.dtype != np.float64:
        return z, None
    near = np.abs(z) < 64.0  # False at inf and NaN
    xn, sn, zn = x[near], s[near], z[near]
    bb = sn - xn
    err = (xn - (sn - bb)) + (-mu - bb)  # x - mu = s + err exactly
    zh, zl = _split(zn)
    gh, gl = _split(np.float64(sigma))
    prod_err = ((zh * gh - zn * sigma) + zh * gl + zl * gh) + zl * gl
    dz = np.zeros_like(z)
    dz[near] = ((sn - zn * sigma) - prod_err + err) / sigma
    return z, dz


def _laplace(x, y, dy, mu, sigma):
    r""":math:`\Phi\bigl((x-\mu)/\sigma\bigr)` and its derivative
    :math:`\varphi\bigl((x-\mu)/\sigma\bigr)/\sigma`: the normal CDF of a located
    and scaled input (:func:`activations.core.ndtr_pdf`, Cody's approximation,
    which keeps the left tail that ``(1 + erf(.))/2`` loses).

    The standardised input ``z`` is formed in float64 with a correction ``dz``
    (:func:`_standardise`), applied to first order:
    :math:`\Phi(z + dz) = \Phi(z) + \varphi(z)\,dz` and
    :math:`\varphi(z + dz) = \varphi(z)(1 - z\,dz)`.  Beyond the float range z
    is +-inf, where both limits are exact.
    """
    z, dz = _standardise(x, mu, sigma)
    v, d = core.ndtr_pdf(z, value=y is not None)
    if dz is not None:
        if v is not None:
            v += d * dz
        d -= d * (np.where(np.abs(z) < 64.0, z, 0.0) * dz)  # dz = 0 elsewhere
    if y is not None:
        y[...] = v
    if dy is not None:
        d = core.divide(d, sigma)
        with np.errstate(over="ignore"):
            dy[...] = d


laplace = register(
    Activation(
        "laplace",
        kernel=_laplace,
        # 1 - erf((mu - x)/...), not 1 + erf((x - mu)/...): SymPy's limit at -oo
        # of the latter is 1 with numeric mu and sigma (SymPy 1.x), of this 0
        sym=lambda x, mu, sigma: (1 - sp.erf((mu - x) / (sigma * sp.sqrt(2)))) / 2,
        params={
            "mu": Param(LAPLACE_MU, -4.0, 4.0,
                        "location, where f = 1/2 (MEGA: 1/sqrt(2); the reference "
                        "code and Hugging Face write 0.707107)", symbol="mu"),
            "sigma": Param(LAPLACE_SIGMA, 0.25, 4.0,
                           "scale (MEGA: 1/(2 sqrt(pi)); the reference code and "
                           "Hugging Face write 0.282095)", symbol="sigma"),
        },
    )
)


# --- the unipolar Elliott sigmoid -------------------------------------------------


def _elliott_sigmoid_block(x, y, dy, h):
    # h = 1/(2(1 + |x|)): 1 + |x| is inf at +-inf and h is 0 there, as it should be
    np.abs(x, out=h)
    h += 1
    np.divide(np.asarray(0.5, x.dtype), h, out=h)
    if dy is not None:
        # f' = h * 2h = 2h^2, the product of h and its exact double: one rounding
        np.multiply(h, h, out=dy)
        dy += dy
    if y is not None:
        np.copyto(y, h)
        np.subtract(1, h, out=y, where=x >= 0)  # False at NaN: y stays NaN


def _elliott_sigmoid(x, y, dy):
    r""":math:`\tfrac12 x/(1+|x|) + \tfrac12` and :math:`\tfrac12/(1+|x|)^2`,
    sharing :math:`h = 1/(2(1+|x|))`.

    On the left :math:`f = h` exactly (``x/(1+|x|) + 1`` would cancel in the tail,
    where f is about :math:`1/(2|x|)`); on the right :math:`f = 1 - h`, with
    :math:`h \le 1/2`, so the subtraction is exact (Sterbenz) or loses nothing.
    The slope is :math:`2h^2`, squared after inverting so nothing overflows.
    """
    blockwise(_elliott_sigmoid_block, x, y, dy, scratch=(x.dtype,))


elliott_sigmoid = register(
    Activation(
        "elliott_sigmoid",
        kernel=_elliott_sigmoid,
        # By cases, as softsign: SymPy's derivative of Abs would bring a Dirac delta.
        sym=lambda x: sp.Piecewise(
            (1 - 1 / (2 * (1 + x)), x >= 0), (1 / (2 * (1 - x)), True)
        ),
        via_output=None,
        # As for softsign: f' is continuous (1/2 from both sides), f'' jumps from
        # 1 to -1, and declaring the breakpoint lets the properties find that the
        # function is C^1 and not smoother.
        kinks=(
            Kink(
                0.0,
                lambda: 0.5,
                {"pytorch": "no built-in; 0.5 * x / (1 + torch.abs(x)) + 0.5 gives 1/2",
                 "jax": "no built-in; 0.5 * x / (1 + jnp.abs(x)) + 0.5 gives 1/2",
                 "tensorflow": "no built-in; the same one-liner gives 1/2"},
            ),
        ),
    )
)

__all__ += ["elliott_sigmoid"]


# --- Soft-Root-Sign -------------------------------------------------------------------

# Beyond e^-700 (t = |x|/beta > 700) a product with e^-t would round a subnormal
# twice; there the small factors are formed as one exponential. Beyond 800 every
# such factor is below the smallest subnormal (log(20 * 800) - 800 < -745), so the
# arguments are clamped there, which keeps inf - inf out of the exponent.
_SRS_FAR = 700.0
_SRS_CLAMP = 800.0
_EXP_M700 = float(mpmath.exp(-700))


def _srs_parts(x, alpha, beta):
    r"""The shared pieces of Soft-Root-Sign at x (float64 or float32 arrays):
    ``(m, w, g)`` with, on the left (x < 0, t = -x/beta),

    * :math:`w = |x| e^{-t}` (so :math:`D e^{-t} = 1 - w/\alpha`) and
      :math:`m = \alpha/(\alpha - w)`,
    * :math:`g = (1 - t) e^{-t}`,

    and on the right (x >= 0, s = x/beta) :math:`D = x/\alpha + e^{-s}` in ``w``,
    :math:`g = (1 + s) e^{-s}`, and ``m`` unused (NaN where x is NaN).
    """
    dt = x.dtype
    a, b = np.asarray(alpha, dt), np.asarray(beta, dt)
    left = x < 0
    m = np.ones_like(x)
    w = np.empty_like(x)
    g = np.empty_like(x)
    # left: t = -x/beta, clamped at 800
    xl = np.maximum(x[left], np.asarray(-_SRS_CLAMP * beta, dt))
    t = -xl / b
    near = t <= _SRS_FAR
    e = np.exp(-t[near])
    wl = np.empty_like(t)
    gl = np.empty_like(t)
    wl[near] = -xl[near] * e
    gl[near] = ((xl[near] + b) / b) * e  # (1 - t) e^{-t}, exact near t = 1
    tf, xf = t[~near], xl[~near]
    wl[~near] = np.exp(np.log(-xf) - tf)
    gl[~near] = -np.exp(np.log(tf - 1) - tf)
    w[left] = wl
    g[left] = gl
    m[left] = a / (a - wl)
    # right (and NaN): s = x/beta, clamped at 800
    right = ~left
    xr = np.minimum(x[right], np.finfo(dt).max)  # +inf as the largest float
    xc = np.minimum(xr, np.asarray(_SRS_CLAMP * beta, dt))
    s = xc / b
    d = xr / a  # alpha >= 1: no overflow
    d += np.exp(-s)
    w[right] = d
    # g = (1 + s) e^{-s} to a few ulp although e^{-s} magnifies the rounding of
    # s = x/beta s times: s = hi + lo exactly (Dekker), e^{-(hi + lo)} = e^{-hi}
    # (1 - lo); and beyond s = 700 scaled by e^{700}, so that the product stays
    # normal until the one rounding at the end (in _srs: f' = (g/D)/D e^{-700})
    if dt == np.float64:
        hi_s, lo_s = _split(s)
        hi_b, lo_b = _split(np.float64(beta))
        err = ((hi_s * hi_b - s * beta) + hi_s * lo_b + lo_s * hi_b) + lo_s * lo_b
        lo = ((xc - s * beta) - err) / beta  # s beta + err = s*beta exactly
    else:
        lo = np.zeros_like(s)
    far = s > _SRS_FAR
    shift = np.where(far, _SRS_FAR, 0.0).astype(dt)
    g[right] = np.exp(-(s - shift)) * (1 + s) * (1 - lo * s / (1 + s))
    return left, m, w, g, far


def _srs(x, y, dy, alpha, beta):
    r"""Soft-Root-Sign :math:`x/(x/\alpha + e^{-x/\beta})` and its derivative
    :math:`e^{-x/\beta}(1 + x/\beta)/(x/\alpha + e^{-x/\beta})^2`.

    * x >= 0: the denominator :math:`D = x/\alpha + e^{-x/\beta}` is a sum of
      positive terms; the value is x/D (:math:`\alpha` at +inf) and the slope
      :math:`g/D/D` with :math:`g = (1+s)e^{-s} = \exp(\log(1+s) - s)`, s = x/β,
      one rounding even where it is subnormal; dividing twice keeps
      :math:`D^2` from overflowing.
    * x < 0: with t = -x/β, multiplying through by :math:`e^{-t}` gives
      :math:`f = -\alpha w/(\alpha - w)` and
      :math:`f' = (1-t)e^{-t}\,(\alpha/(\alpha - w))^2` with
      :math:`w = |x|e^{-t} \le \beta/e`: no :math:`e^{t}` is formed, so nothing
      overflows, and :math:`\alpha - w \ge \alpha(1 - \beta/(\alpha e)) > 0`
      for every parameter in range. :math:`1 - t` is :math:`(x + \beta)/\beta`,
      exact near the minimum at x = -β. Far left (t > 700) the small factors
      are one exponential each (:data:`_SRS_FAR`).
    """
    if x.dtype != np.float64:  # in float64, rounded once
        y64 = None if y is None else np.empty(x.shape)
        dy64 = None if dy is None else np.empty(x.shape)
        _srs(x.astype(np.float64), y64, dy64, alpha, beta)
        if y is not None:
            y[...] = y64
        if dy is not None:
            with np.errstate(over="ignore"):
                dy[...] = dy64
        return
    left, m, w, g, far = _srs_parts(x, alpha, beta)
    right = ~left
    if y is not None:
        y[left] = -(w[left] * m[left])
        # +inf is read as the largest float, where x/D already rounds to alpha
        y[right] = np.minimum(x[right], np.finfo(x.dtype).max) / w[right]
    if dy is not None:
        dy[left] = g[left] * m[left] * m[left]
        dr = g[right] / w[right]
        dr /= w[right]
        dr[far] *= _EXP_M700
        dy[right] = dr


def _srs_partial_alpha(x, alpha, beta):
    r""":math:`\partial f/\partial\alpha = x^2/(\alpha D)^2 = (f/\alpha)^2`."""
    y = np.empty_like(x)
    _srs(x, y, None, alpha, beta)
    y /= np.asarray(alpha, x.dtype)
    y *= y
    return y


def _srs_partial_beta(x, alpha, beta):
    r""":math:`\partial f/\partial\beta = -x^2 e^{-x/\beta}/(\beta D)^2`: on the
    left :math:`-(m/\beta)^2\,x^2 e^{-t}` with :math:`x^2 e^{-t} = |x| w`
    (one exponential far out), on the right :math:`-(f/\beta)^2 e^{-s}`."""
    left, m, w, g, _ = _srs_parts(x, alpha, beta)
    dt = x.dtype
    b = np.asarray(beta, dt)
    out = np.empty_like(x)
    xl = np.maximum(x[left], np.asarray(-_SRS_CLAMP * beta, dt))
    t = -xl / b
    near = t <= _SRS_FAR
    q = np.empty_like(xl)
    q[near] = -xl[near] * w[left][near]
    q[~near] = np.exp(2 * np.log(-xl[~near]) - t[~near])
    ml = m[left] / b
    out[left] = -(ml * ml) * q
    xr = np.minimum(x[right := ~left], np.finfo(dt).max)
    fr = xr / w[right]
    fr /= b
    s = np.minimum(xr, np.asarray(_SRS_CLAMP * beta, dt)) / b
    out[right] = -(fr * fr) * np.exp(-s)
    return out


srs = register(
    Activation(
        "srs",
        kernel=_srs,
        sym=lambda x, alpha, beta: x / (x / alpha + sp.exp(-x / beta)),
        params={
            "alpha": Param(5.0, 2.5, 20.0,
                           "the upper bound, approached as x -> inf (learned; "
                           "Dubey et al.'s code initialises it to 5, or 10 for "
                           "SENet)", symbol="alpha", learnable=True),
            "beta": Param(3.0, 0.5, 3.75,
                          "where the minimum lies, x = -beta (learned; Dubey et "
                          "al.'s code initialises it to 3, or 10 for SENet); "
                          "beta/alpha < e keeps the denominator positive, and "
                          "the range keeps beta/alpha <= 3/2",
                          symbol="beta", learnable=True),
        },
        partials={"alpha": _srs_partial_alpha, "beta": _srs_partial_beta},
    )
)

__all__ += ["srs"]


# --- Adaptive Parametric Activation -------------------------------------------------

# beyond kappa |x| = 700 the exponential e^{-kappa x} is not formed: log1p(u) is
# then taken as softplus(ln(lambda) - kappa x)
_APA_FAR = 700.0
_APA_CLAMP = 1e300  # |x| beyond it changes no result (f is 0 or 1 there)
# 1/k (-1)^k (k - 1) for k = 2..24: log1p(u) - u/(1 + u) = sum of c_k u^k
_APA_SERIES = [(-1.0) ** k * (k - 1) / k for k in range(2, 25)]


def _apa_parts(x, lambd, kappa):
    r"""For float64 ``x``: ``(L, s, u)`` with :math:`u = \lambda e^{-\kappa x}`
    (inf far left), :math:`L = \log(1 + u)` and :math:`s = u/(1 + u)`, so that
    :math:`\ln f = -L/\lambda` and :math:`f' = f\,(\kappa/\lambda)\,s`."""
    xc = np.clip(x, -_APA_CLAMP, _APA_CLAMP)  # NaN stays NaN
    kx = xc * kappa
    near = kx >= -_APA_FAR  # False at NaN
    u = np.full_like(x, np.inf)
    u[near] = lambd * np.exp(-kx[near])
    big = ~near & ~np.isnan(x)
    L = np.empty_like(x)
    L[near] = np.log1p(u[near])
    # far left: log(1 + u) = ln(lambda) - kappa x + log1p(e^{kappa x}/lambda)
    L[big] = (math.log(lambd) - kx[big])
    s = np.ones_like(x)
    s[near] = u[near] / (1 + u[near])
    nan = np.isnan(x)
    L[nan] = np.nan
    s[nan] = np.nan
    return L, s, u


def _apa(x, y, dy, lambd, kappa):
    r"""APA :math:`(1 + \lambda e^{-\kappa x})^{-1/\lambda}` and its derivative
    :math:`f\,(\kappa/\lambda)\,u/(1 + u)`, :math:`u = \lambda e^{-\kappa x}`, in
    log space: :math:`f = \exp(-\log(1 + u)/\lambda)`.

    No power of a large number is formed: far left (:math:`\kappa x < -700`),
    :math:`\log(1 + u)` is :math:`\ln\lambda - \kappa x` (the rest is below
    :math:`e^{-700}` of it). Where f is below :math:`e^{-700}` the slope is one
    exponential, :math:`\exp(\ln f + \ln(\kappa s/\lambda))`, so that it is not
    a subnormal f rounded and then multiplied. float32 and float16 are computed
    in float64 and rounded once.
    """
    x64 = x.astype(np.float64)
    L, s, _ = _apa_parts(x64, lambd, kappa)
    lnf = -L / lambd
    f = np.exp(lnf)
    if y is not None:
        y[...] = f
    if dy is not None:
        d = f * (kappa / lambd) * s
        tiny = lnf < -_APA_FAR  # False at NaN
        if tiny.any():
            d[tiny] = np.exp(lnf[tiny] + math.log(kappa / lambd) + np.log(s[tiny]))
        with np.errstate(under="ignore"):
            dy[...] = d


def _apa_partial_kappa(x, lambd, kappa):
    r""":math:`\partial f/\partial\kappa = x f'(x)/\kappa`."""
    x64 = x.astype(np.float64)
    d = np.empty_like(x64)
    _apa(x64, None, d, lambd, kappa)
    xc = np.clip(x64, -_APA_CLAMP, _APA_CLAMP)
    out = xc / kappa * d
    out[d == 0] = 0.0
    return out.astype(x.dtype)


def _apa_partial_lambd(x, lambd, kappa):
    r""":math:`\partial f/\partial\lambda = f\,(\log(1 + u) - u/(1 + u))/\lambda^2`,
    the bracket summed as a series for u < 0.1, where its two terms cancel."""
    x64 = x.astype(np.float64)
    L, s, u = _apa_parts(x64, lambd, kappa)
    f = np.exp(-L / lambd)
    br = L - s
    small = u < 0.1  # False at NaN
    if small.any():
        t = u[small]
        acc = np.full_like(t, _APA_SERIES[-1])
        for c in reversed(_APA_SERIES[:-1]):
            acc *= t
            acc += c
        acc *= t
        acc *= t
        br[small] = acc
    out = f * br
    out /= lambd * lambd
    out[f == 0] = 0.0
    return out.astype(x.dtype)


apa = register(
    Activation(
        "apa",
        kernel=_apa,
        sym=lambda x, lambd, kappa: (1 + lambd * sp.exp(-kappa * x)) ** (-1 / lambd),
        params={
            "lambd": Param(1.0, 0.01, 2.0,
                           "the exponent 1/lambda and the shift ln(lambda) (learned; "
                           "ultralytics' AGLU draws it from U(0, 1) and clamps it "
                           "at 1e-4); 1 gives the sigmoid, lambda -> 0 the Gumbel "
                           "CDF exp(-e^{-kappa x})", symbol="lambda", learnable=True),
            "kappa": Param(1.0, 0.1, 4.0,
                           "the gain on x (learned; AGLU draws it from U(0, 1))",
                           symbol="kappa", learnable=True),
        },
        partials={"lambd": _apa_partial_lambd, "kappa": _apa_partial_kappa},
    )
)

__all__ += ["apa"]


# --- the square nonlinearity (SQNL) --------------------------------------------------


def _sqnl(x, y, dy):
    r"""SQNL: :math:`x - x|x|/4` for :math:`|x| \le 2`, :math:`\operatorname{sign}
    x` beyond, and its slope :math:`1 - |x|/2` inside, 0 outside.

    The value is :math:`x(1 - |x|/4)`: :math:`|x|/4` is exact, and
    :math:`1 - |x|/4` lies in :math:`[\tfrac12, 1]`, so two roundings in all.
    The slope is exact for :math:`1 \le |x| \le 2` (Sterbenz). At :math:`\pm 2`
    both sides give the value :math:`\pm 1` and the slope 0; NaN is kept.
    """
    m = np.minimum(np.abs(x), 2)  # NaN stays NaN
    if y is not None:
        np.multiply(m, 0.25, out=y)
        np.subtract(1, y, out=y)
        y *= np.copysign(m, x)
    if dy is not None:
        np.multiply(m, 0.5, out=dy)
        np.subtract(1, dy, out=dy)


_KINK_SQNL = {"pytorch": "no built-in", "jax": "no built-in",
              "tensorflow": "no built-in"}

sqnl = register(
    Activation(
        "sqnl",
        kernel=_sqnl,
        sym=lambda x: sp.Piecewise(
            (-1, x < -2), (x + x**2 / 4, x < 0), (x - x**2 / 4, x <= 2), (1, True)
        ),
        # f' is continuous everywhere (0 at +-2, 1 at 0); f'' jumps at all three
        # points (0 to 1/2, 1/2 to -1/2, -1/2 to 0), which makes SQNL C^1.
        kinks=(
            Kink(-2.0, lambda: 0.0, _KINK_SQNL),
            Kink(0.0, lambda: 1.0, _KINK_SQNL),
            Kink(2.0, lambda: 0.0, _KINK_SQNL),
        ),
    )
)

__all__ += ["sqnl"]
