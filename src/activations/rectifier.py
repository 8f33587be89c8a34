"""Rectifiers: piecewise-linear activations that pass positive inputs through."""

from __future__ import annotations

import numpy as np
import sympy as sp

from .registry import Activation, Kink, Param, register

__all__ = ["relu", "leaky_relu"]


def _relu(x: np.ndarray) -> np.ndarray:
    r"""ReLU, :math:`f(x) = \max(0, x)`; ``np.maximum`` keeps NaN as NaN."""
    return np.maximum(x, 0)


def _relu_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`f'(x) = 1` for :math:`x > 0`, else 0; 0 at the kink, as PyTorch."""
    return np.heaviside(x, 0).astype(x.dtype, copy=False)


relu = register(
    Activation(
        "relu",
        title="ReLU",
        zh="线性整流函数(修正线性单元)",
        family="rectifier",
        fn=_relu,
        deriv=_relu_derivative,
        sym=lambda x: sp.Piecewise((x, x > 0), (0, True)),
        aliases=("rectifier", "rectified_linear_unit"),
        kinks=(
            Kink(
                0.0,
                lambda: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.relu / torch.nn.ReLU",
            "jax": "jax.nn.relu",
            "tensorflow": "tf.nn.relu",
            "keras": "keras.activations.relu / keras.layers.ReLU",
        },
        references=("nair2010relu", "glorot2011deep", "he2015delving"),
        related=("leaky_relu", "gelu"),
    )
)


def _leaky_relu(x: np.ndarray, negative_slope: float) -> np.ndarray:
    slope = np.asarray(negative_slope, dtype=x.dtype)
    return np.where(x > 0, x, slope * x)


def _leaky_relu_derivative(x: np.ndarray, negative_slope: float) -> np.ndarray:
    # The slope branch is taken at 0 (PyTorch's autograd); NaN must stay NaN.
    slope = np.asarray(negative_slope, dtype=x.dtype)
    return np.where(x > 0, np.ones_like(x), np.where(np.isnan(x), x, slope))


leaky_relu = register(
    Activation(
        "leaky_relu",
        title="Leaky ReLU",
        zh="带泄露线性整流函数",
        family="rectifier",
        fn=_leaky_relu,
        deriv=_leaky_relu_derivative,
        sym=lambda x, negative_slope: sp.Piecewise(
            (x, x > 0), (negative_slope * x, True)
        ),
        params={
            "negative_slope": Param(
                0.01,
                0.0,
                1.0,
                "slope for negative inputs (PyTorch, JAX: 0.01; Keras 3: 0.2)",
                symbol="alpha",
            )
        },
        aliases=("lrelu", "leakyrelu"),
        kinks=(
            Kink(
                0.0,
                lambda negative_slope: negative_slope,
                {
                    "pytorch": "negative_slope",
                    "jax": "1",
                    "tensorflow": "alpha",
                    "keras": "the backend's: alpha (TF), 1 (JAX), "
                    "negative_slope (PyTorch)",
                },
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.leaky_relu(x, negative_slope=0.01)",
            "jax": "jax.nn.leaky_relu(x, negative_slope=0.01)",
            "tensorflow": "tf.nn.leaky_relu(x, alpha=0.2)",
            "keras": "keras.activations.leaky_relu(x, negative_slope=0.2) / "
            "keras.layers.LeakyReLU(negative_slope=0.3)",
        },
        references=("maas2013rectifier", "he2015delving", "xu2015empirical"),
        related=("relu",),
    )
)
