"""Linear and piecewise-constant activations: identity, step, sign, threshold, exp.

These are the simplest maps a unit can apply: pass the input through (identity),
fire or not (step, sign), pass it only above a threshold (threshold), or
exponentiate it (Keras' ``exponential``). Step, sign and threshold jump: their
derivative is zero wherever it exists, and the value returned at the jump is one of
the one-sided derivatives, as :class:`Kink` records.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .registry import Activation, Kink, Param, register

__all__ = ["identity", "step", "sign", "threshold", "exponential"]


def _keep_nan(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out`` with NaN wherever ``x`` is NaN."""
    return np.where(np.isnan(x), x, out)


def _identity(x: np.ndarray) -> np.ndarray:
    # A copy, so that writing into the result never changes the caller's input.
    return x.copy()


def _identity_derivative(x: np.ndarray) -> np.ndarray:
    return _keep_nan(x, np.ones_like(x))


identity = register(
    Activation(
        "identity",
        title="Identity",
        zh="恒等函数(线性激活函数)",
        family="linear",
        fn=_identity,
        deriv=_identity_derivative,
        sym=lambda x: x,
        aliases=("linear",),
        via_output=lambda y: sp.Integer(1),
        frameworks={
            "pytorch": "torch.nn.Identity",
            "jax": "jax.nn.identity",
            "tensorflow": "tf.identity",
            "keras": "keras.activations.linear  # activation=None or 'linear'",
        },
        references=("goodfellow2016deep", "saxe2014exact"),
        related=("relu", "leaky_relu", "tanh"),
    )
)


def _step(x: np.ndarray) -> np.ndarray:
    r"""Heaviside step with :math:`H(0) = 1`; ``np.heaviside`` keeps NaN."""
    return np.heaviside(x, 1.0).astype(x.dtype, copy=False)


def _zero_derivative(x: np.ndarray, **_: float) -> np.ndarray:
    """0 wherever the derivative exists, and 0 (a one-sided value) at the jump."""
    return _keep_nan(x, np.zeros_like(x))


step = register(
    Activation(
        "step",
        title="Step",
        zh="阶跃函数(单位阶跃函数)",
        family="linear",
        fn=_step,
        deriv=_zero_derivative,
        sym=lambda x: sp.Piecewise((1, x >= 0), (0, True)),
        aliases=("heaviside", "binary_step", "unit_step"),
        kinks=(
            Kink(
                0.0,
                lambda: 0.0,
                {
                    "pytorch": "error: torch.heaviside has no derivative",
                    "jax": "0",
                    "tensorflow": "0 (no gradient path through tf.where)",
                    "keras": "the backend's (0, or an error on PyTorch)",
                },
            ),
        ),
        frameworks={
            "pytorch": "torch.heaviside(x, torch.tensor(1.0))  # forward only",
            "jax": "jax.numpy.heaviside(x, 1.0)",
            "tensorflow": "tf.experimental.numpy.heaviside(x, 1.0)",
            "keras": "keras.ops.heaviside(x, 1.0)",
        },
        references=("mcculloch1943logical", "rosenblatt1958perceptron"),
        related=("sign", "sigmoid", "relu"),
    )
)


def _sign(x: np.ndarray) -> np.ndarray:
    """-1, 0 or 1; ``np.sign`` keeps NaN and gives sign(0) = 0."""
    return np.sign(x)


sign = register(
    Activation(
        "sign",
        title="Sign",
        zh="符号函数",
        family="linear",
        fn=_sign,
        deriv=_zero_derivative,
        sym=lambda x: sp.Piecewise((1, x > 0), (-1, x < 0), (0, True)),
        aliases=("signum", "sgn"),
        kinks=(
            Kink(
                0.0,
                lambda: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
        frameworks={
            "pytorch": "torch.sign",
            "jax": "jax.numpy.sign",
            "tensorflow": "tf.math.sign",
            "keras": "keras.ops.sign",
        },
        references=("rosenblatt1958perceptron", "bengio2013estimating",
                    "hubara2016binarized"),
        related=("step", "tanh"),
    )
)


def _threshold(x: np.ndarray, threshold: float, value: float) -> np.ndarray:
    r""":math:`x` for :math:`x > \theta`, else ``value``; NaN fails ``x <= t`` and
    so stays NaN."""
    t = np.asarray(threshold, dtype=x.dtype)
    v = np.asarray(value, dtype=x.dtype)
    return np.where(x <= t, v, x)


def _threshold_derivative(x: np.ndarray, threshold: float, value: float) -> np.ndarray:
    r"""1 for :math:`x > \theta`, else 0, so 0 at the jump (PyTorch's autograd)."""
    t = np.asarray(threshold, dtype=x.dtype)
    return _keep_nan(x, np.where(x > t, np.ones_like(x), np.zeros_like(x)))


threshold = register(
    Activation(
        "threshold",
        title="Threshold",
        zh="阈值函数(带阈值的线性整流函数)",
        family="linear",
        fn=_threshold,
        deriv=_threshold_derivative,
        sym=lambda x, threshold, value: sp.Piecewise((x, x > threshold), (value, True)),
        params={
            "threshold": Param(
                1.0,
                doc="inputs at or below it are replaced (PyTorch: required; "
                "Keras ThresholdedReLU theta: 1.0)",
                symbol="theta",
            ),
            "value": Param(
                0.0,
                doc="what replaces them (PyTorch: required; Keras "
                "ThresholdedReLU: 0)",
                symbol="v",
            ),
        },
        aliases=("thresholded_relu", "thresholdedrelu"),
        kinks=(
            Kink(
                lambda threshold, value: threshold,
                lambda threshold, value: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.threshold(x, threshold, value) / "
            "torch.nn.Threshold",
            "jax": "jnp.where(x > threshold, x, value)  # no jax.nn function",
            "tensorflow": "keras.activations.threshold(x, threshold, default_value)",
            "keras": "keras.activations.threshold(x, threshold, default_value); "
            "Keras 2: keras.layers.ThresholdedReLU(theta=1.0)",
        },
        references=("konda2015zero",),
        related=("relu",),
    )
)


def _exponential(x: np.ndarray) -> np.ndarray:
    # exp(x) exceeds the largest float for x > log(max) (709.78 in float64, 88.72
    # in float32): inf is then the correctly rounded result, not an error.
    with np.errstate(over="ignore"):
        return np.exp(x)


exponential = register(
    Activation(
        "exponential",
        title="Exponential",
        zh="指数激活函数",
        family="linear",
        fn=_exponential,
        deriv=_exponential,
        sym=lambda x: sp.exp(x),
        aliases=("exp",),
        via_output=lambda y: y,
        frameworks={
            "pytorch": "torch.exp",
            "jax": "jax.numpy.exp",
            "tensorflow": "tf.math.exp",
            "keras": "keras.activations.exponential",
        },
        references=("mccullagh1989generalized", "kingma2014auto"),
        related=("elu", "relu", "sigmoid"),
    )
)
