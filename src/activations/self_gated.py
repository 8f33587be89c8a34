"""Self-gated activations: the input scaled by a smooth gate of itself, x * g(x)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy.special import erfc

from .registry import Activation, register
from .sigmoidal import _sigmoid, _sigmoid_derivative

__all__ = ["gelu", "gelu_tanh"]

_INV_SQRT2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_TAIL = 40.0
"""Beyond |x| = 40, Phi(x) is 0 or 1 and x*phi(x) is 0 in every float format."""


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    # erfc keeps the left tail (Phi(-10) = 7.6e-24) where 1 + erf(x) would be 0.
    return 0.5 * erfc(-x * _INV_SQRT2)


def _gelu(x: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{GELU}(x) = x\Phi(x) = \tfrac{x}{2}\,\mathrm{erfc}(-x/\sqrt2)`.

    Below -40 the product underflows to 0; clamping there keeps ``-inf * 0`` out.
    """
    xc = np.maximum(x, -_TAIL)
    return xc * _normal_cdf(xc)


def _gelu_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)`.

    The clamp keeps ``x**2`` from overflowing; the term it changes is 0 there anyway.
    """
    xc = np.clip(x, -_TAIL, _TAIL)
    return _normal_cdf(x) + xc * (_INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


_C = math.sqrt(2 / math.pi)
_K = 0.044715
_TANH_TAIL = 100.0
"""Beyond |x| = 100 the tanh gate is exactly 0 or 1 (its argument exceeds 7e4)."""


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    r""":math:`\tfrac{x}{2}(1+\tanh u) = x\,\sigma(2u)`.

    Here :math:`u=\sqrt{2/\pi}\,(x+0.044715x^3)`.

    ``1 + tanh(u)`` cancels in the left tail; ``2 * sigmoid(2u)`` is the same number
    computed without the cancellation.
    """
    xc = np.clip(x, -_TANH_TAIL, _TANH_TAIL)
    gate = _sigmoid(2 * _C * (xc + _K * xc * xc * xc))
    return np.where(x > _TANH_TAIL, x, xc * gate)


def _gelu_tanh_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(2u) + 2x\,u'(x)\,\sigma'(2u)`."""
    xc = np.clip(x, -_TANH_TAIL, _TANH_TAIL)
    x2 = xc * xc
    two_u = 2 * _C * (xc + _K * x2 * xc)
    two_du = 2 * _C * (1 + 3 * _K * x2)
    return _sigmoid(two_u) + xc * two_du * _sigmoid_derivative(two_u)


gelu = register(
    Activation(
        "gelu",
        title="GELU",
        zh="高斯误差线性单元",
        family="self_gated",
        fn=_gelu,
        deriv=_gelu_derivative,
        sym=lambda x: x / 2 * (1 + sp.erf(x / sp.sqrt(2))),
        aliases=("gaussian_error_linear_unit", "gelu_exact", "gelu_erf"),
        frameworks={
            "pytorch": "torch.nn.functional.gelu(x)  # approximate='none' (default)",
            "jax": "jax.nn.gelu(x, approximate=False)  # JAX's default is True",
            "tensorflow": "tf.nn.gelu(x)  # approximate=False (default)",
        },
        references=("hendrycks2016gelu", "devlin2019bert", "dosovitskiy2021image"),
        related=("gelu_tanh", "relu"),
    )
)

gelu_tanh = register(
    Activation(
        "gelu_tanh",
        title="GELU (tanh approximation)",
        zh="高斯误差线性单元（tanh 近似）",
        family="self_gated",
        fn=_gelu_tanh,
        deriv=_gelu_tanh_derivative,
        sym=lambda x: x
        / 2
        * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3))),
        aliases=("gelu_approx", "gelu_new", "approximate_gelu"),
        frameworks={
            "pytorch": "torch.nn.functional.gelu(x, approximate='tanh')",
            "jax": "jax.nn.gelu(x)  # approximate=True is JAX's default",
            "tensorflow": "tf.nn.gelu(x, approximate=True)",
        },
        references=("hendrycks2016gelu", "radford2018improving", "radford2019language"),
        related=("gelu",),
    )
)
