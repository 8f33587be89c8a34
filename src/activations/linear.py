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

from .core import fits, via_value
from .registry import Activation, Kink, Param, register

__all__ = ["identity", "step", "sign", "threshold", "exponential"]


def _constant_derivative(x: np.ndarray, c: float) -> np.ndarray:
    """``c`` everywhere and NaN wherever ``x`` is NaN, without a mask.

    ``np.clip(x, -1, 1)`` is finite for every non-NaN input (infinities included)
    and NaN for NaN; subtracting it from itself gives ``+0.0`` or NaN, and adding
    ``c`` (a float of the array's dtype) gives ``c`` or NaN.
    """
    d = np.clip(x, -1.0, 1.0, out=np.empty_like(x))
    d -= d
    if c:
        d += c
    return d


def _identity(x: np.ndarray) -> np.ndarray:
    # A copy, so that writing into the result never changes the caller's input.
    return x.copy()


def _identity_derivative(x: np.ndarray) -> np.ndarray:
    return _constant_derivative(x, 1.0)


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
    return _constant_derivative(x, 0.0)


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
    return np.sign(x, out=np.empty_like(x))


def _sign_derivative_of(y: np.ndarray) -> np.ndarray:
    """0 (+0.0) wherever ``y = sign(x)`` is a number, NaN where it is NaN: ``y - y``
    is exact, as ``y`` is never infinite."""
    return np.subtract(y, y, out=np.empty_like(y))


_sign_derivative, _sign_both = via_value(_sign, _sign_derivative_of)


sign = register(
    Activation(
        "sign",
        title="Sign",
        zh="符号函数",
        family="linear",
        fn=_sign,
        deriv=_sign_derivative,
        both=_sign_both,
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


_BITS = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64}


def _threshold_keep(x: np.ndarray, threshold: float) -> np.ndarray:
    r"""All ones where ``x`` is kept (:math:`x > \theta`, or NaN, which fails
    :math:`x \le \theta`), all zeros where it is replaced, in unsigned integers as
    wide as the floats: the comparison's 0/1 minus 1, wrapping around."""
    bits = _BITS[x.dtype]
    with np.errstate(over="ignore"):
        t = np.asarray(threshold, dtype=x.dtype)
    # a threshold beyond the dtype's range (1e300 in float32), or below its
    # normal numbers (-4e-295 is -0 in float16, and 0 would be replaced), is
    # compared as the float64 it is: +inf > 1e300 is kept, no finite x is above
    # it, and 0 > -4e-295 is kept.  (One in range is rounded to the dtype first,
    # as PyTorch does.)
    if not fits(threshold, x.dtype):
        t = np.float64(threshold)
    below = np.less_equal(x, t, out=np.empty(x.shape, dtype=bool))
    keep = below.view(np.uint8).astype(bits)
    keep -= bits(1)
    return keep


def _threshold_select(x: np.ndarray, value: float, keep: np.ndarray) -> np.ndarray:
    """``x`` where ``keep`` is all ones, ``value`` where it is zero, chosen on the bit
    patterns as ``v ^ ((x ^ v) & keep)``: each result is an exact copy of one
    operand (signed zeros, infinities and NaN included), with no branch to
    mispredict as ``np.where`` on a random mask has."""
    dt = x.dtype
    bits = _BITS[dt]
    with np.errstate(over="ignore"):  # beyond the dtype's range: +-inf
        vb = np.asarray(value, dtype=dt).view(bits)
    y = np.empty(x.shape, dtype=bits)
    if vb == 0:  # value +0.0, all bits clear: the select is x & keep
        np.bitwise_and(x.view(bits), keep, out=y)
        return y.view(dt)
    np.bitwise_xor(x.view(bits), vb, out=y)
    y &= keep
    y ^= vb
    return y.view(dt)


def _threshold_derivative_of(x: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """1 where ``x`` is kept, 0 where it is replaced: the bits of 1.0 masked by
    ``keep`` (reusing its memory). NaN was kept, so NaN is written back, only where
    there is any."""
    dt = x.dtype
    keep &= np.asarray(1.0, dtype=dt).view(_BITS[dt])
    d = keep.view(dt)
    nan = np.isnan(x)
    if nan.any():
        d[nan] = np.nan
    return d


def _threshold(x: np.ndarray, threshold: float, value: float) -> np.ndarray:
    r""":math:`x` for :math:`x > \theta`, else ``value``; NaN fails ``x <= t`` and
    so stays NaN."""
    return _threshold_select(x, value, _threshold_keep(x, threshold))


def _threshold_derivative(x: np.ndarray, threshold: float, value: float) -> np.ndarray:
    r"""1 for :math:`x > \theta`, else 0, so 0 at the jump (PyTorch's autograd);
    NaN for NaN."""
    return _threshold_derivative_of(x, _threshold_keep(x, threshold))


def _threshold_both(x: np.ndarray, threshold: float, value: float):
    keep = _threshold_keep(x, threshold)
    y = _threshold_select(x, value, keep)
    return y, _threshold_derivative_of(x, keep)


threshold = register(
    Activation(
        "threshold",
        title="Threshold",
        zh="阈值函数(带阈值的线性整流函数)",
        family="linear",
        fn=_threshold,
        deriv=_threshold_derivative,
        both=_threshold_both,
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
                "ThresholdedReLU: 0); ±inf is copied as it is",
                symbol="v",
                infinite=True,
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
        return np.exp(x, out=np.empty_like(x))


def _exponential_both(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The function is its own derivative: one exp, and a copy so that the two
    results never share memory."""
    y = _exponential(x)
    return y, y.copy()


exponential = register(
    Activation(
        "exponential",
        title="Exponential",
        zh="指数激活函数",
        family="linear",
        fn=_exponential,
        deriv=_exponential,
        both=_exponential_both,
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
