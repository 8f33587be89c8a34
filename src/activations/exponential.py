"""Exponential linear units: the identity for x > 0, a saturating exponential below.

ELU bends the negative half-line into :math:`\\alpha(e^x - 1)`, which tends to
:math:`-\\alpha`; SELU scales ELU by :math:`\\lambda` with the two constants chosen so
that a layer maps zero mean and unit variance to zero mean and unit variance.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from .core import blockwise, divide, fits, times
from .registry import Activation, Kink, Param, exact, register

__all__ = ["elu", "selu", "SELU_ALPHA", "SELU_LAMBDA"]

SELU_ALPHA = "1.6732632423543772848170429916717"
"""SELU's alpha as published with the reference implementation (32 digits)."""
SELU_LAMBDA = "1.0507009873554804934193349852946"
"""SELU's lambda (the scale) as published with the reference implementation."""
_SELU_LAMBDA_ALPHA = "1.7580993408473768599402175208123"
"""The product lambda * alpha to the same precision (TensorFlow's ``scale_alpha``)."""

_DIGITS = 32
_LAMBDA = float(SELU_LAMBDA)
# One constant for the product, not two float multiplications: the negative branch
# and its limit -lambda*alpha at -inf are then correctly rounded.
_LAMBDA_ALPHA = float(_SELU_LAMBDA_ALPHA)


def _negative_part(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    r""":math:`\min(x, 0)` in ``out``: x itself on the negative side, 0 above, NaN
    kept.

    The exponential branches are evaluated there, in place, so they never overflow
    for large x, and at every x > 0 they see exactly 0, where ``exp`` is exactly 1
    and ``expm1`` exactly 0.
    """
    return np.clip(x, -np.inf, 0.0, out=out)


def _exp_linear(x: np.ndarray, y: np.ndarray, scale: float,
                above_x: bool) -> np.ndarray:
    r""":math:`x` for x > 0, else :math:`\text{scale}\cdot\mathrm{expm1}(\ldots)`,
    from ``y`` = ``expm1(...)`` of the negative part (0 for x > 0), overwriting
    ``y``.

    Each side is a single rounding, as the branch alone would give, and no
    selection between two arrays is made (with a random sign of x it costs several
    times more than a product). With ``above_x`` (the branch is at least x for
    x <= 0, as :math:`\alpha(e^{x/\alpha} - 1) \ge x` is) the answer is
    :math:`\max(x, \text{branch})`: for x > 0 the branch is 0. Otherwise
    :math:`\max(x, -0)` is added, which is 0 where the branch is used (-0, so a
    branch that rounds to -0 keeps its sign).
    """
    if scale != 1:
        times(y, scale, out=y)
    if above_x:
        return np.maximum(y, x, out=y)

    def add_linear(xb: np.ndarray, yb: np.ndarray) -> None:
        yb += np.clip(xb, -0.0, np.inf)

    return blockwise(add_linear, x, y)[0]


def _exp_slope(x: np.ndarray, d: np.ndarray, scale: float) -> np.ndarray:
    r""":math:`\text{scale}\cdot e^{\ldots}` for x <= 0 and 1 for x > 0, from ``d``
    = ``exp(...)`` of the negative part, overwriting ``d``.

    For x > 0, ``d`` is exactly 1, so for ``scale == 1`` it is already right;
    otherwise the negative side is kept by multiplying by the 0/1 mask of x <= 0
    and 1 is added where x > 0 (NaN fails both tests and stays NaN).
    """
    if scale == 1:
        return d
    times(d, scale, out=d)
    if not fits(scale, d.dtype):  # scale * 1 may be inf, and inf * 0 NaN
        np.copyto(d, 1.0, where=x > 0)
        return d
    d *= x <= 0
    d += x > 0
    return d


def _scaled_exp_tail(x: np.ndarray, d: np.ndarray, alpha: float) -> np.ndarray:
    r"""``d`` = :math:`\alpha e^x` made right where :math:`e^x` alone is subnormal
    or 0 but the product is not (alpha > 1), in place.

    There the rounded :math:`e^x` has lost its digits before the multiplication:
    ``elu'(-1000, alpha=1e300)`` would be 0 instead of :math:`5.1\cdot10^{-135}`.
    Those entries are recomputed as one rounding of the product: in float64 for
    a narrower dtype (where :math:`e^x` is normal), and in float64 itself as
    :math:`e^{x + \ln\alpha}`, whose error, a few units of :math:`|x|` ulp, is within
    the condition :math:`|x|` of the exponential (there :math:`|x| > 708`).
    """
    if not alpha > 1 or x.size == 0:
        return d
    tiny = float(np.finfo(x.dtype).tiny)
    with np.errstate(under="ignore"):
        low = (x < 0) & (np.abs(d) < np.float64(alpha * tiny))  # not cast to d's dtype
        if not low.any():
            return d
        t = x[low].astype(np.float64)
        if x.dtype == np.float64:
            fixed = np.exp(t + math.log(alpha))
        else:
            fixed = np.exp(t) * alpha
    with np.errstate(over="ignore"):  # beyond the dtype's range: inf, correctly
        d[low] = fixed.astype(x.dtype)
    return d


def _elu(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
         alpha: float) -> None:
    r""":math:`\mathrm{ELU}_\alpha(x) = x` for :math:`x > 0`, else
    :math:`\alpha(e^x - 1)`; its slope is :math:`1` for :math:`x > 0`, else
    :math:`\alpha e^x`, so :math:`\alpha` at 0.

    ``expm1`` keeps full relative accuracy near 0, where ``exp(x) - 1`` cancels;
    it is evaluated at :math:`\min(x, 0)`, so the unused branch cannot overflow.
    For :math:`\alpha \le 1` the branch is at least x, and the value is the
    larger. The value and the slope share the negative part.
    """
    u = _negative_part(x, out=dy if y is None else y)
    if dy is not None:
        np.exp(u, out=dy)
        _scaled_exp_tail(x, _exp_slope(x, dy, alpha), alpha)
    if y is not None:
        np.expm1(y, out=y)
        _exp_linear(x, y, alpha, alpha <= 1)


elu = register(
    Activation(
        "elu",
        kernel=_elu,
        sym=lambda x, alpha: sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)),
        params={
            "alpha": Param(
                1.0,
                0.0,
                float("inf"),
                "value approached as x -> -inf is -alpha (PyTorch, JAX, Keras: 1.0)",
                symbol="alpha",
            )
        },
        kinks=(
            Kink(
                0.0,
                lambda alpha: alpha,
                {
                    "pytorch": "alpha",
                    "jax": "alpha",
                    "tensorflow": "1 (tf.nn.elu has alpha = 1)",
                },
            ),
        ),
    )
)


def _selu(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None) -> None:
    r""":math:`\mathrm{SELU}(x) = \lambda x` for :math:`x > 0`, else
    :math:`\lambda\alpha(e^x - 1)`, into ``y``, and its slope :math:`\lambda` for
    :math:`x > 0`, else :math:`\lambda\alpha e^x`, into ``dy``, a block at a time
    so that the temporaries stay in cache.

    Value: :math:`\lambda\alpha\,\mathrm{expm1}(\min(x, 0)) + \max(\lambda x,
    -0)`; at most one term is non-zero, so each side is one rounding (the product
    :math:`\lambda\alpha` is a single constant). Slope: :math:`\lambda\alpha
    e^{\min(x, 0)}`, which is :math:`\lambda\alpha` for every x > 0, minus
    :math:`c = \lambda\alpha - \lambda` there; c and the difference are exact
    (Sterbenz: :math:`\lambda \le \lambda\alpha \le 2\lambda` in any format),
    so x > 0 gets exactly :math:`\lambda`, and no selection between two arrays is
    made (with a random sign of x it costs several times more than a product).
    """
    c = float(np.asarray(_LAMBDA_ALPHA, x.dtype) - np.asarray(_LAMBDA, x.dtype))

    def block(xb, yb, db, ub, tb, above):
        _negative_part(xb, out=ub)
        if yb is not None:
            np.expm1(ub, out=yb)
            yb *= _LAMBDA_ALPHA
            np.multiply(xb, _LAMBDA, out=tb)
            yb += np.clip(tb, -0.0, np.inf, out=tb)
        if db is not None:
            np.exp(ub, out=db)
            db *= _LAMBDA_ALPHA
            np.multiply(np.greater(xb, 0, out=above), c, out=tb)
            db -= tb

    # lambda > 1: near the top of the float range the exact value exceeds the
    # largest finite float and inf is the correctly rounded result.
    with np.errstate(over="ignore"):
        blockwise(block, x, y, dy, scratch=(x.dtype, x.dtype, bool))


def _selu_expr(x: sp.Symbol) -> sp.Expr:
    lam = sp.Float(SELU_LAMBDA, _DIGITS)
    alpha = sp.Float(SELU_ALPHA, _DIGITS)
    return lam * sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True))


selu = register(
    Activation(
        "selu",
        kernel=_selu,
        sym=_selu_expr,
        kinks=(
            Kink(
                0.0,
                lambda: _LAMBDA_ALPHA,
                {
                    "pytorch": "lambda * alpha",
                    "jax": "lambda * alpha",
                    "tensorflow": "lambda",
                },
            ),
        ),
    )
)


# --- CELU -------------------------------------------------------------------------


def _celu_phase(x: np.ndarray, alpha: float, out: np.ndarray) -> np.ndarray:
    r""":math:`\min(x, 0)/\alpha` in ``out``; the quotient may round to -inf for
    tiny alpha and huge negative x, where the exact value of the branch is
    -alpha, which ``expm1(-inf) = -1`` gives. Dividing by 1 is skipped (it changes
    nothing)."""
    u = _negative_part(x, out)
    if alpha != 1:
        divide(u, alpha, out=u)
    return u


def _celu_near_linear(u: np.ndarray) -> np.ndarray:
    r"""Where the phase :math:`u = x/\alpha` is below the dtype's epsilon: there
    :math:`\alpha\,\mathrm{expm1}(u) = x(1 + u/2 + \ldots)` rounds to x itself,
    but the quotient may have lost its digits (a subnormal) or underflowed to -0,
    and :math:`\alpha \cdot \mathrm{expm1}(-0)` is -0: ``celu(-6e-40,
    alpha=1e300)`` was -0.0."""
    near = np.abs(u) < np.finfo(u.dtype).eps
    # not where the phase is +0 (x >= 0): there max(x, branch) is x already; a
    # negative x whose quotient underflowed has u = -0 and stays in
    near &= np.signbit(u)
    return near


def _celu(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
          alpha: float) -> None:
    r""":math:`\max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))` and its slope,
    :math:`1` for :math:`x > 0`, else :math:`e^{x/\alpha}` (1 at 0), from one
    phase :math:`\min(x, 0)/\alpha`.

    For :math:`x \le 0` the value is :math:`\alpha\,\mathrm{expm1}(x/\alpha)`,
    which is never below x, so it is the larger of the two; x itself where the
    phase is below epsilon (see :func:`_celu_near_linear`). The slope needs no
    case split: for x > 0 the phase is exactly 0 and ``exp`` gives 1.
    """
    u = _celu_phase(x, alpha, out=dy if y is None else y)
    if dy is not None:
        np.exp(u, out=dy)
    if y is not None:
        linear = _celu_near_linear(y)
        np.expm1(y, out=y)
        _exp_linear(x, y, alpha, True)
        if linear.any():  # rare: a copy with a mask branches on every element
            np.copyto(y, x, where=linear)


celu = register(
    Activation(
        "celu",
        kernel=_celu,
        sym=lambda x, alpha: sp.Piecewise(
            (x, x > 0), (alpha * (sp.exp(x / alpha) - 1), True)
        ),
        params={
            "alpha": Param(
                1.0,
                0.1,
                float("inf"),
                "scale: the negative side tends to -alpha (PyTorch, JAX, Keras: 1.0)",
                symbol="alpha",
            )
        },
        # f' is continuous (1 from both sides); f'' jumps from 1/alpha to 0.
        kinks=(
            Kink(0.0, lambda alpha: 1.0,
                 {"pytorch": "1", "jax": "1",
                  "tensorflow": "1 (keras.activations.celu)", "keras": "1"}),
        ),
    )
)


# --- ISRLU ------------------------------------------------------------------------


def _isrlu_negative(w: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(q, r)`` for negative float64 ``w``, :math:`f = w r = q` and
    :math:`f' = r^3` with :math:`r = 1/\sqrt{1 + \alpha w^2}`, for alpha > 0.

    :math:`\alpha w^2` overflows long before f does (it tends to
    :math:`-1/\sqrt\alpha`), so it is never formed:

    * for :math:`-1 \le w < 0`, :math:`r = 1/\mathrm{hypot}(1, \sqrt\alpha\,w)` and
      ``q`` is :math:`w r`;
    * for :math:`w < -1`, :math:`f = -1/\sqrt{\alpha + 1/w^2} =
      -1/\mathrm{hypot}(1/w, \sqrt\alpha)`, which is ``q``, and
      :math:`r = |q|/|w| = q/w`; at :math:`w = -\infty`, 1/w is -0 and q is the
      limit :math:`-1/\sqrt\alpha`, r is 0.

    Each is a few correctly rounded operations: no cancellation, no overflow.  A
    float32 input is computed in float64 (exactly widened), so
    :math:`\sqrt\alpha` up to :math:`10^{154}` does not overflow. Each element
    takes the one branch it needs.
    """
    s = math.sqrt(alpha)
    q = np.empty_like(w)
    r = np.empty_like(w)
    big = w < -1
    small = ~big
    ws = w[small]
    rs = 1 / np.hypot(1.0, s * ws)
    q[small] = ws * rs
    r[small] = rs
    wb = w[big]
    qb = -1.0 / np.hypot(1 / wb, s)
    q[big] = qb
    r[big] = qb / wb
    return q, r


def _isrlu(x: np.ndarray, y: np.ndarray | None, dy: np.ndarray | None,
           alpha: float) -> None:
    r""":math:`x` for :math:`x \ge 0`, else :math:`x/\sqrt{1 + \alpha x^2}`; its
    slope is :math:`1` for :math:`x \ge 0`, else :math:`(1 + \alpha x^2)^{-3/2}`.

    The negative entries are gathered and computed in float64 by
    :func:`_isrlu_negative` (once for the value and the slope), then rounded to
    the dtype; the others are x itself and 1 (NaN stays NaN).
    """
    if y is not None:
        np.copyto(y, x)
    if dy is not None:
        dy.fill(1)
        np.copyto(dy, x, where=np.isnan(x))
    if alpha == 0:
        return
    xf = x.reshape(-1)
    at = np.flatnonzero(xf < 0)
    q, r = _isrlu_negative(xf[at].astype(np.float64), alpha)
    if y is not None:
        with np.errstate(over="ignore"):  # -1/sqrt(alpha) beyond float32's range
            y.reshape(-1)[at] = q.astype(x.dtype)
    if dy is not None:
        dy.reshape(-1)[at] = (r * r * r).astype(x.dtype)


isrlu = register(
    Activation(
        "isrlu",
        kernel=_isrlu,
        sym=lambda x, alpha: sp.Piecewise(
            (x, x >= 0), (x / sp.sqrt(1 + alpha * x**2), True)
        ),
        params={
            "alpha": Param(
                1.0,
                0.0,
                float("inf"),
                "the negative side tends to -1/sqrt(alpha) (keras-contrib's ISRLU "
                "layer: 0.1)",
                symbol="alpha",
            )
        },
        # f' and f'' are continuous at 0; f''' jumps from -3 alpha to 0.
        kinks=(
            Kink(0.0, lambda alpha: 1.0,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in (keras_contrib.layers.ISRLU)"}),
        ),
    )
)

__all__ += ["celu", "isrlu"]


# --- xIELU ------------------------------------------------------------------------

# 1/k! for k = 2..20: expm1(x) - x = x^2 (1/2! + x/3! + x^2/4! + ...), whose terms
# beyond k = 20 are below 2e-20 of the sum on [-1, 0]
_EXPM1_MINUS_X = [1.0 / math.factorial(k) for k in range(2, 21)]


def _expm1_minus_x(n: np.ndarray) -> np.ndarray:
    r""":math:`e^{n} - 1 - n` for ``n`` <= 0 (or NaN), to full relative accuracy.

    For n near 0 the difference ``expm1(n) - n`` keeps only the rounding error of
    its terms, each of size n, where the result is about n²/2: the Taylor series
    is summed instead on [-1, 0] (Horner, in n's dtype).  Below -1 the two terms
    differ by at least a factor of e/(e - 2) ≈ 3.8 and the difference loses under
    two bits; at -inf it is +inf.
    """
    with np.errstate(over="ignore"):
        out = np.expm1(n)
        out -= n
    near = n >= -1.0  # False at NaN
    if near.any():
        t = n[near]
        acc = np.full_like(t, _EXPM1_MINUS_X[-1])
        for c in reversed(_EXPM1_MINUS_X[:-1]):
            acc *= t
            acc += np.asarray(c, dtype=t.dtype)
        acc *= t
        acc *= t
        out[near] = acc
    return out


@functools.lru_cache(maxsize=64)
def _parameter_difference(a: float, b: float) -> float:
    """``a - b`` for two parameters, rounded once from the numbers they stand for.

    The registry reads a parameter as :func:`~activations.registry.exact` does
    (0.8 is 4/5), and so does the SymPy form.  The floats' own difference can
    be the neighbour of that value: 0.5 - 0.8 is -0.30000000000000004, as 0.8
    is stored 4.4e-17 high, while 1/2 - 4/5 = -3/10 rounds to -0.3.
    """
    return float(exact(a) - exact(b))


def _xielu(x, y, dy, alpha_p, alpha_n, beta):
    r"""xIELU: :math:`\alpha_p x^2 + \beta x` for x > 0 and
    :math:`\alpha_n(e^{x} - 1 - x) + \beta x` for x <= 0, and its derivative
    :math:`2\alpha_p x + \beta` and :math:`\alpha_n(e^{x} - 1) + \beta`.

    * x > 0: :math:`x(\alpha_p x + \beta)`, a product of positive terms that
      overflows only where the true value does (:math:`x^2` alone would
      overflow from x = 1.3e154).
    * -1 <= x <= 0: :math:`\alpha_n(e^{x} - 1 - x) + \beta x` with the bracket
      summed as a series (:func:`_expm1_minus_x`), which ``expm1(x) - x`` would
      lose near 0.
    * x < -1: :math:`\alpha_n\operatorname{expm1}(x) + (\beta - \alpha_n)x`,
      which at -inf tends to the right infinity (or to :math:`-\alpha_n` when
      :math:`\beta = \alpha_n`) instead of inf - inf; its derivative
      :math:`\alpha_n e^{x} + (\beta - \alpha_n)` tends to the constant.  That
      constant is rounded once from the parameters' exact values
      (:func:`_parameter_difference`), so the left slope at -inf is the
      correctly rounded limit.

    The derivative's two sides meet at :math:`\beta` (f' is continuous; f''
    jumps from :math:`\alpha_n` to :math:`2\alpha_p`).
    """
    n = np.minimum(x, 0.0)
    p = np.maximum(x, 0.0)
    right = x > 0
    slope = _parameter_difference(beta, alpha_n)  # f' at -inf
    if y is not None:
        left = times(np.expm1(n), alpha_n)  # the form for x < -1
        if slope != 0.0:
            with np.errstate(over="ignore"):
                left += times(n, slope)
        near = n >= -1.0  # False at NaN
        if near.any():
            t = n[near]
            ln = times(_expm1_minus_x(t), alpha_n)
            ln += times(t, beta)
            left[near] = ln
        with np.errstate(over="ignore"):
            r = times(p, alpha_p)
            r += np.asarray(beta, dtype=x.dtype)
            r *= p
        np.copyto(y, left)
        np.copyto(y, r, where=right)
        nan = np.isnan(x)
        if nan.any():
            np.copyto(y, x, where=nan)
    if dy is not None:
        d = times(np.expm1(n), alpha_n)
        d += np.asarray(beta, dtype=x.dtype)
        far = n < -1.0  # False at NaN
        if far.any():
            t = times(np.exp(n[far]), alpha_n)
            t += np.asarray(slope, dtype=x.dtype)
            d[far] = t
        with np.errstate(over="ignore"):
            r = times(p, 2.0 * alpha_p)
            r += np.asarray(beta, dtype=x.dtype)
        np.copyto(dy, d)
        np.copyto(dy, r, where=right)
        nan = np.isnan(x)
        if nan.any():
            np.copyto(dy, x, where=nan)


def _xielu_partial_alpha_p(x, alpha_p, alpha_n, beta):
    r""":math:`\partial f/\partial\alpha_p = x^2` for x > 0, else 0."""
    p = np.maximum(x, 0.0)
    with np.errstate(over="ignore"):
        return np.where(np.isnan(x), x, p * p)


def _xielu_partial_alpha_n(x, alpha_p, alpha_n, beta):
    r""":math:`\partial f/\partial\alpha_n = e^{x} - 1 - x` for x <= 0, else 0."""
    return np.where(np.isnan(x), x, _expm1_minus_x(np.minimum(x, 0.0)))


xielu = register(
    Activation(
        "xielu",
        kernel=_xielu,
        sym=lambda x, alpha_p, alpha_n, beta: sp.Piecewise(
            (alpha_p * x**2 + beta * x, x > 0),
            (alpha_n * (sp.exp(x) - 1 - x) + beta * x, True),
        ),
        params={
            "alpha_p": Param(0.8, 0.05, 4.0,
                             "curvature of the positive side (learned; Hugging Face "
                             "stores it as softplus of a raw weight, initialised "
                             "to 0.8)", symbol="alpha_p", learnable=True),
            "alpha_n": Param(0.8, 0.05, 4.0,
                             "scale of the negative side (learned; Hugging Face "
                             "stores it as beta + softplus of a raw weight, "
                             "initialised to 0.8)", symbol="alpha_n", learnable=True),
            "beta": Param(0.5, 0.0, 2.0,
                          "the slope at 0 (fixed: 0.5 in Hugging Face and the "
                          "paper's experiments)", symbol="beta"),
        },
        # f' is continuous at 0 (beta on both sides); f'' jumps from alpha_n to
        # 2 alpha_p.
        kinks=(
            Kink(0.0, lambda alpha_p, alpha_n, beta: beta,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in"}),
        ),
        partials={"alpha_p": _xielu_partial_alpha_p,
                  "alpha_n": _xielu_partial_alpha_n},
    )
)

__all__ += ["xielu"]


# --- PELU -------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _parameter_ratio(a: float, b: float) -> float:
    """``a / b`` for two parameters, rounded once from the numbers they stand for
    (as :func:`_parameter_difference`): the slope a/b of PELU's right side."""
    return float(exact(a) / exact(b))


def _pelu(x, y, dy, a, b):
    r"""PELU: :math:`(a/b)\,x` for :math:`x \ge 0` and :math:`a(e^{x/b} - 1)` for
    :math:`x < 0`; its slope is :math:`a/b` and :math:`(a/b)e^{x/b}`, so both sides
    meet at :math:`a/b` (f' is continuous; f'' jumps from :math:`a/b^2` to 0).

    * :math:`x \ge 0`, and :math:`x < 0` with :math:`|x/b|` below the dtype's
      epsilon: :math:`x \cdot (a/b)`, with the ratio rounded once from the
      parameters' exact values.  There :math:`a\,\mathrm{expm1}(x/b)` rounds to
      that product, but the quotient :math:`x/b` may be subnormal and have lost
      its digits.
    * otherwise :math:`a\,\mathrm{expm1}(u)`, :math:`u = x/b`, evaluated at
      :math:`\min(x, 0)` so it never overflows; it tends to :math:`-a`.
    * the slope :math:`(a/b)e^{u}`, recomputed as one rounding where
      :math:`e^{u}` alone is subnormal (:func:`_scaled_exp_tail`).
    """
    r = _parameter_ratio(a, b)
    u = divide(np.minimum(x, 0.0), b)  # -0 for x >= 0 becomes +-0: exp gives 1
    linear = (x >= 0) | (np.abs(u) < np.finfo(x.dtype).eps)
    if y is not None:
        left = times(np.expm1(u), a)
        with np.errstate(over="ignore"):  # (a/b) x beyond the range: inf, rounded
            right = times(x, r)
        np.copyto(y, left)
        np.copyto(y, right, where=linear)
    if dy is not None:
        d = times(np.exp(u), r)
        _scaled_exp_tail(u, d, r)  # for x >= 0, e^u = 1 and d is a/b already
        np.copyto(dy, d)


def _pelu_partial_a(x, a, b):
    r""":math:`\partial f/\partial a = x/b` for x >= 0, :math:`e^{x/b} - 1` for
    x < 0."""
    u = divide(np.minimum(x, 0.0), b)
    with np.errstate(over="ignore"):
        right = divide(x, b)
    return np.where(x >= 0, right, np.expm1(u))


def _pelu_partial_b(x, a, b):
    r""":math:`\partial f/\partial b = -(a/b^2)\,x` for x >= 0 and
    :math:`-(a/b^2)\,x\,e^{x/b} = -(a/b)\,u e^{u}` for x < 0 (:math:`u = x/b`).

    For :math:`u < -1`, :math:`u e^{u} = -e^{u + \ln(-u)}`: one exponential, which
    stays a normal number where :math:`e^{u}` alone is already subnormal and tends
    to 0 at -inf (the product would be :math:`-\infty \cdot 0`).  Computed in
    float64 and rounded once to the dtype.
    """
    r = _parameter_ratio(a, b)
    w = x.astype(np.float64)
    u = divide(np.minimum(w, 0.0), b)  # -inf where x/b is beyond the range
    far = u < -1.0  # False at NaN
    v = np.maximum(u, -np.finfo(np.float64).max)  # -inf: e^-huge is 0
    ue = np.where(far, -np.exp(v + np.log(np.where(far, -v, 1.0))),
                  u * np.exp(np.where(far, 0.0, u)))
    with np.errstate(over="ignore"):
        right = w / b * -r
        out = np.where(w >= 0, right, ue * -r).astype(x.dtype)
    return out


pelu = register(
    Activation(
        "pelu",
        kernel=_pelu,
        sym=lambda x, a, b: sp.Piecewise(
            ((a / b) * x, x >= 0), (a * (sp.exp(x / b) - 1), True)
        ),
        params={
            "a": Param(1.0, 0.1, 10.0,
                       "saturation: the left side tends to -a (learned; 1 at "
                       "initialisation, ELU)", symbol="a", learnable=True),
            "b": Param(1.0, 0.1, 10.0,
                       "scale of the exponential decay; the right slope is a/b "
                       "(learned; 1 at initialisation)", symbol="b", learnable=True),
        },
        # f' is continuous at 0 (a/b on both sides); f'' jumps from a/b^2 to 0.
        kinks=(
            Kink(0.0, lambda a, b: _parameter_ratio(a, b),
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in"}),
        ),
        partials={"a": _pelu_partial_a, "b": _pelu_partial_b},
    )
)

__all__ += ["pelu"]


# --- PDELU ------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _pdelu_constants(t: float) -> tuple[float, float, float, float]:
    """``(s, 1/s, t/s, -1/s)`` with :math:`s = 1 - t`, each rounded once from the
    number t stands for (0.9 is 9/10: s is 0.1, not 1 - 0.9 =
    0.09999999999999998, and the exponent 1/s is exactly 10)."""
    q = exact(t)
    s = 1 - q
    return float(s), float(1 / s), float(q / s), float(-1 / s)


def _pdelu_log_base(n: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(L, dead)`` for float64 ``n`` <= 0: :math:`L = \ln(1 + sn)/s`, so that
    :math:`(1 + sn)^{1/s} = e^{L}`, and the mask where :math:`1 + sn \le 0`
    (:math:`x \le -1/s`), where L is -inf.

    ``log1p`` keeps the digits of :math:`sn` near 0; where :math:`|sn|` is below
    epsilon, L is n itself (:math:`sn` may be subnormal there and have lost its
    digits).
    """
    s, _, _, edge = _pdelu_constants(t)
    dead = n <= edge  # False at NaN
    u = np.where(dead, 0.0, n * s)
    L = np.log1p(np.maximum(u, -1.0 + 2**-53)) / s
    L = np.where(np.abs(u) < 2**-52, n, L)
    return np.where(dead, -np.inf, L), dead


def _pdelu(x, y, dy, alpha, t):
    r"""PDELU: :math:`x` for :math:`x > 0`, else
    :math:`\alpha\bigl(\max(0, 1 + (1-t)x)^{1/(1-t)} - 1\bigr)`; the slope is 1,
    else :math:`\alpha\max(0, 1 + (1-t)x)^{t/(1-t)}`, so :math:`\alpha` at 0 and
    0 from :math:`x = -1/(1-t)` down, where the value is :math:`-\alpha`.

    With :math:`s = 1 - t` and :math:`L = \ln(1 + sx)/s` (:func:`_pdelu_log_base`):

    * the value is :math:`\alpha\,\mathrm{expm1}(L)`, accurate near 0 where the
      power minus 1 cancels;
    * the slope is :math:`\alpha e^{tL}`, whose error :math:`|tL|` ulp is within
      the slope's condition number :math:`|t x/(1 + sx)|` (:math:`-\ln(1 + u) \le
      -u/(1 + u)` for :math:`-1 < u \le 0`); a power of the rounded base
      would lose :math:`t/s` ulp near 0, 99 at t = 0.99.

    Computed in float64 and rounded once to the dtype.
    """
    w = x.astype(np.float64)
    n = np.minimum(w, 0.0)
    L, dead = _pdelu_log_base(n, t)
    right = w > 0
    if y is not None:
        v = times(np.expm1(L), alpha)
        v = np.where(right, w, v)
        np.copyto(y, v, casting="unsafe")
    if dy is not None:
        d = times(np.exp(L * t), alpha)
        d = np.where(right, 1.0, d)
        d = np.where(np.isnan(w), w, d)
        np.copyto(dy, d, casting="unsafe")


def _pdelu_partial_alpha(x, alpha, t):
    r""":math:`\partial f/\partial\alpha = \max(0, 1 + (1-t)x)^{1/(1-t)} - 1` for
    x <= 0 (-1 from :math:`x = -1/(1-t)` down), 0 for x > 0."""
    w = x.astype(np.float64)
    L, _ = _pdelu_log_base(np.minimum(w, 0.0), t)
    return np.where(w > 0, 0.0, np.expm1(L)).astype(x.dtype)


def _pdelu_expr(x, alpha, t):
    s = 1 - t
    return sp.Piecewise(
        (x, x > 0),
        (-alpha, s * x <= -1),
        (alpha * ((1 + s * x) ** (1 / s) - 1), True),
    )


pdelu = register(
    Activation(
        "pdelu",
        kernel=_pdelu,
        sym=_pdelu_expr,
        params={
            "alpha": Param(1.0, 0.1, 10.0,
                           "scale of the negative side, which reaches -alpha at "
                           "x = -1/(1 - t) (learned; 1 at initialisation)",
                           symbol="alpha", learnable=True),
            "t": Param(0.9, 0.5, 0.99,
                       "deformation: (1 + (1 - t)x)^(1/(1 - t)) tends to e^x as "
                       "t -> 1 (fixed; 0.9 in the survey's benchmark)", symbol="t"),
        },
        # At 0 the slope jumps from alpha to 1 (the left branch holds at 0, as in
        # the authors' Caffe layer); at -1/(1 - t) it is 0 from both sides and
        # f'' jumps (to infinity for t < 1/2, which the range excludes).
        kinks=(
            Kink(0.0, lambda alpha, t: alpha,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in"}),
            Kink(lambda alpha, t: _pdelu_constants(t)[3], lambda alpha, t: 0.0,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in"}),
        ),
        partials={"alpha": _pdelu_partial_alpha},
    )
)

__all__ += ["pdelu"]
