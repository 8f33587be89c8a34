"""Sigmoidal activations: smooth, bounded, S-shaped."""

from __future__ import annotations

import numpy as np
import sympy as sp

from .registry import Activation, register

__all__ = ["sigmoid", "tanh"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(x) = 1/(1+e^{-x})`.

    Both branches use ``e = exp(-|x|) <= 1``, so nothing overflows, and the left
    tail ``e/(1+e)`` keeps full relative accuracy where ``1/(1+exp(-x))`` would
    first overflow.
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\sigma'(x) = e^{-|x|}/(1+e^{-|x|})^2` (even in x).

    Equal to :math:`\sigma(1-\sigma)`, but without the cancellation of ``1 - σ``
    for large positive x.
    """
    e = np.exp(-np.abs(x))
    return e / ((1 + e) * (1 + e))


sigmoid = register(
    Activation(
        "sigmoid",
        title="Sigmoid",
        zh="S 型函数(逻辑函数)",
        family="sigmoidal",
        fn=_sigmoid,
        deriv=_sigmoid_derivative,
        sym=lambda x: 1 / (1 + sp.exp(-x)),
        via_output=lambda y: y * (1 - y),
        aliases=("logistic", "expit", "sigma"),
        frameworks={
            "pytorch": "torch.sigmoid / torch.nn.Sigmoid",
            "jax": "jax.nn.sigmoid",
            "tensorflow": "tf.math.sigmoid / keras.activations.sigmoid",
        },
        references=("rumelhart1986learning", "lecun2012efficient"),
        related=("tanh",),
    )
)


def _tanh_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\tanh'(x) = \mathrm{sech}^2 x = 4e/(1+e)^2`, :math:`e=e^{-2|x|}`.

    ``1 - tanh(x)**2`` loses every digit once tanh rounds to 1 (|x| > 19 in float64);
    this form keeps its relative accuracy all the way to underflow.
    """
    # |x| is capped so that 2|x| cannot overflow; exp(-800) is 0 in every format.
    e = np.exp(-2 * np.minimum(np.abs(x), 400))
    return 4 * e / ((1 + e) * (1 + e))


tanh = register(
    Activation(
        "tanh",
        title="Tanh",
        zh="双曲正切函数",
        family="sigmoidal",
        fn=np.tanh,
        deriv=_tanh_derivative,
        sym=sp.tanh,
        via_output=lambda y: 1 - y**2,
        aliases=("hyperbolic_tangent",),
        frameworks={
            "pytorch": "torch.tanh / torch.nn.Tanh",
            "jax": "jax.nn.tanh / jax.numpy.tanh",
            "tensorflow": "tf.math.tanh / keras.activations.tanh",
        },
        references=("lecun2012efficient", "glorot2010understanding"),
        related=("sigmoid",),
    )
)
