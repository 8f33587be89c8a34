"""Exponential linear units: the identity for x > 0, a saturating exponential below.

ELU bends the negative half-line into :math:`\\alpha(e^x - 1)`, which tends to
:math:`-\\alpha`; SELU scales ELU by :math:`\\lambda` with the two constants chosen so
that a layer maps zero mean and unit variance to zero mean and unit variance.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .registry import Activation, Kink, Param, register

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


def _elu(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\mathrm{ELU}_\alpha(x) = x` for :math:`x > 0`, else
    :math:`\alpha(e^x - 1)`.

    ``expm1`` keeps full relative accuracy near 0, where ``exp(x) - 1`` cancels;
    the inner ``minimum`` keeps the unused branch from overflowing for large x.
    """
    a = np.asarray(alpha, dtype=x.dtype)
    return np.where(x > 0, x, a * np.expm1(np.minimum(x, 0)))


def _elu_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`1` for :math:`x > 0`, else :math:`\alpha e^x`, so :math:`\alpha` at 0."""
    a = np.asarray(alpha, dtype=x.dtype)
    return np.where(x > 0, np.ones_like(x), a * np.exp(np.minimum(x, 0)))


elu = register(
    Activation(
        "elu",
        title="ELU",
        zh="指数线性单元",
        family="exponential",
        fn=_elu,
        deriv=_elu_derivative,
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
        aliases=("exponential_linear_unit",),
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
        frameworks={
            "pytorch": "torch.nn.functional.elu(x, alpha=1.0) / torch.nn.ELU",
            "jax": "jax.nn.elu(x, alpha=1.0)",
            "tensorflow": "tf.nn.elu(x)  # alpha = 1; keras.activations.elu(x, alpha)",
        },
        references=("clevert2016fast",),
        related=("relu", "selu", "leaky_relu"),
    )
)


def _selu(x: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{SELU}(x) = \lambda x` for :math:`x > 0`, else
    :math:`\lambda\alpha(e^x - 1)`."""
    lam = np.asarray(_LAMBDA, dtype=x.dtype)
    lam_alpha = np.asarray(_LAMBDA_ALPHA, dtype=x.dtype)
    # lambda > 1: near the top of the float range the exact value exceeds the
    # largest finite float and inf is the correctly rounded result.
    with np.errstate(over="ignore"):
        return np.where(x > 0, lam * x, lam_alpha * np.expm1(np.minimum(x, 0)))


def _selu_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\lambda` for :math:`x > 0`, else :math:`\lambda\alpha e^x`."""
    lam = np.asarray(_LAMBDA, dtype=x.dtype)
    lam_alpha = np.asarray(_LAMBDA_ALPHA, dtype=x.dtype)
    return np.where(x > 0, lam, lam_alpha * np.exp(np.minimum(x, 0)))


def _selu_expr(x: sp.Symbol) -> sp.Expr:
    lam = sp.Float(SELU_LAMBDA, _DIGITS)
    alpha = sp.Float(SELU_ALPHA, _DIGITS)
    return lam * sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True))


selu = register(
    Activation(
        "selu",
        title="SELU",
        zh="缩放指数线性单元",
        family="exponential",
        fn=_selu,
        deriv=_selu_derivative,
        sym=_selu_expr,
        aliases=("scaled_exponential_linear_unit",),
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
        frameworks={
            "pytorch": "torch.nn.functional.selu / torch.nn.SELU",
            "jax": "jax.nn.selu",
            "tensorflow": "tf.nn.selu / keras.activations.selu",
        },
        references=("klambauer2017self", "clevert2016fast"),
        related=("elu", "relu"),
    )
)


# --- CELU -------------------------------------------------------------------------


def _celu(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))`.

    For :math:`x \le 0` this is :math:`\alpha\,\mathrm{expm1}(x/\alpha)`; the quotient
    may round to -inf for tiny alpha and huge negative x, where the exact value is
    -alpha, which ``expm1(-inf) = -1`` gives.
    """
    a = np.asarray(alpha, dtype=x.dtype)
    with np.errstate(over="ignore"):
        u = np.minimum(x, 0) / a
    return np.where(x > 0, x, a * np.expm1(u))


def _celu_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`1` for :math:`x > 0`, else :math:`e^{x/\alpha}`; 1 at 0."""
    a = np.asarray(alpha, dtype=x.dtype)
    with np.errstate(over="ignore"):
        u = np.minimum(x, 0) / a
    return np.where(x > 0, np.ones_like(x), np.exp(u))


celu = register(
    Activation(
        "celu",
        title="CELU",
        zh="连续可微指数线性单元",
        family="exponential",
        fn=_celu,
        deriv=_celu_derivative,
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
        aliases=("continuously_differentiable_elu",),
        # f' is continuous (1 from both sides); f'' jumps from 1/alpha to 0.
        kinks=(
            Kink(0.0, lambda alpha: 1.0,
                 {"pytorch": "1", "jax": "1",
                  "tensorflow": "1 (keras.activations.celu)", "keras": "1"}),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.celu(x, alpha=1.0) / torch.nn.CELU",
            "jax": "jax.nn.celu(x, alpha=1.0)",
            "tensorflow": "keras.activations.celu(x, alpha=1.0)  # no tf.nn.celu",
            "keras": "keras.activations.celu(x, alpha=1.0)",
        },
        references=("barron2017continuously", "clevert2016fast"),
        related=("elu", "selu", "relu"),
    )
)


# --- ISRLU ------------------------------------------------------------------------


def _isrlu_negative(x: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    r"""``(r, ok)`` with :math:`r = 1/\sqrt{1 + \alpha x^2}` computed as
    ``1/hypot(1, sqrt(alpha) x)``, which neither overflows nor underflows early;
    infinite x is replaced by 0 in ``r`` and flagged in ``ok``."""
    finite = np.isfinite(x)
    t = np.where(finite, x, 0)
    s = np.asarray(np.sqrt(alpha), dtype=x.dtype)
    return 1 / np.hypot(np.ones_like(t), s * t), finite


def _isrlu(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`x` for :math:`x \ge 0`, else :math:`x/\sqrt{1 + \alpha x^2}`."""
    r, finite = _isrlu_negative(x, alpha)
    limit = float("-inf") if alpha == 0 else -1 / float(np.sqrt(alpha))
    neg = np.where(finite, np.where(finite, x, 0) * r, np.asarray(limit, x.dtype))
    return np.where(x >= 0, x, np.where(np.isnan(x), x, neg))


def _isrlu_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`1` for :math:`x \ge 0`, else :math:`(1 + \alpha x^2)^{-3/2}`."""
    r, finite = _isrlu_negative(x, alpha)
    neg = np.where(finite, r * r * r, np.asarray(0.0 if alpha else 1.0, x.dtype))
    return np.where(x >= 0, np.ones_like(x), np.where(np.isnan(x), x, neg))


isrlu = register(
    Activation(
        "isrlu",
        title="ISRLU",
        zh="逆平方根线性单元",
        family="exponential",
        fn=_isrlu,
        deriv=_isrlu_derivative,
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
        aliases=("inverse_square_root_linear_unit",),
        # f' and f'' are continuous at 0; f''' jumps from -3 alpha to 0.
        kinks=(
            Kink(0.0, lambda alpha: 1.0,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in (keras_contrib.layers.ISRLU)"}),
        ),
        frameworks={
            "pytorch": "none: torch.where(x >= 0, x, x * torch.rsqrt(1 + a * x * x))",
            "jax": "none: jnp.where(x >= 0, x, x * jax.lax.rsqrt(1 + a * x * x))",
            "tensorflow": "none (keras_contrib.layers.ISRLU(alpha=0.1), Keras 2 only)",
        },
        references=("carlile2017improving", "clevert2016fast"),
        related=("elu", "celu", "relu"),
    )
)

__all__ += ["celu", "isrlu"]
