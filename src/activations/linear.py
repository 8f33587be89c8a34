"""Linear and piecewise-constant activations: identity, step, sign, threshold, exp.

These are the simplest maps a unit can apply: pass the input through (identity),
fire or not (step, sign), pass it only above a threshold (threshold), or
exponentiate it (Keras' ``exponential``). Step, sign and threshold jump: their
derivative is zero wherever it exists, and the value returned at the jump is one of
the one-sided derivatives, as :class:`Kink` records.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import sympy as sp

from . import core
from .core import blockwise, fits
from .registry import Activation, Kink, Param, register

__all__ = ["identity", "step", "sign", "threshold", "exponential"]


def _constant_derivative(x: np.ndarray, c: float, d: np.ndarray) -> None:
    """``c`` everywhere and NaN wherever ``x`` is NaN, into ``d``, without a mask.

    ``np.clip(x, -1, 1)`` is finite for every non-NaN input (infinities included)
    and NaN for NaN; subtracting it from itself gives ``+0.0`` or NaN, and adding
    ``c`` (a float of the array's dtype) gives ``c`` or NaN.
    """
    np.clip(x, -1.0, 1.0, out=d)
    d -= d
    if c:
        d += c


def _identity_kernel(x, y, dy):
    """x itself (a copy, so that writing into the result never changes the caller's
    input), and the constant slope 1 (NaN for NaN)."""
    if y is not None:
        np.copyto(y, x)
    if dy is not None:
        _constant_derivative(x, 1.0, dy)


identity = register(
    Activation(
        "identity",
        kernel=_identity_kernel,
        sym=lambda x: x,
        via_output=lambda y: sp.Integer(1),
    )
)


def _step_kernel(x, y, dy):
    r"""Heaviside step with :math:`H(0) = 1`, NaN for NaN: the indicator of
    :math:`x \ge 0` (:func:`~activations.core.indicator`), the same numbers as
    ``np.heaviside(x, 1.0)``, whose loop is not vectorised. The derivative is 0
    wherever it exists, and 0 (a one-sided value) at the jump."""
    if y is not None:
        core.indicator(np.greater_equal, x, 0, y)
    if dy is not None:
        _constant_derivative(x, 0.0, dy)


step = register(
    Activation(
        "step",
        kernel=_step_kernel,
        sym=lambda x: sp.Piecewise((1, x >= 0), (0, True)),
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
    )
)


def _sign_kernel(x, y, dy):
    """-1, 0 or 1; ``np.sign`` keeps NaN and gives sign(0) = 0. The derivative, 0
    (+0.0) wherever ``y = sign(x)`` is a number and NaN where it is NaN, is read off
    the value: ``y - y`` is exact, as ``y`` is never infinite. Asked for alone, it
    is computed in place in ``dy``."""
    v = dy if y is None else y
    np.sign(x, out=v)
    if dy is not None:
        np.subtract(v, v, out=dy)


sign = register(
    Activation(
        "sign",
        kernel=_sign_kernel,
        sym=lambda x: sp.Piecewise((1, x > 0), (-1, x < 0), (0, True)),
        kinks=(
            Kink(
                0.0,
                lambda: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
    )
)


_BITS = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64}


def _threshold_block(x, y, below, keep, *, t, vb):
    r"""One block of the value of :func:`_threshold_kernel`, with work blocks
    ``below`` (bool) and ``keep`` (unsigned integers as wide as the floats).

    ``keep`` is all ones where ``x`` is kept (:math:`x > \theta`, or NaN, which
    fails :math:`x \le \theta`), all zeros where it is replaced: the comparison's
    0/1 minus 1, wrapping around.

    The value is ``x`` where ``keep`` is all ones, ``value`` (bits ``vb``) where it
    is zero, chosen on the bit patterns as ``v ^ ((x ^ v) & keep)``: each result is
    an exact copy of one operand (signed zeros, infinities and NaN included), with
    no branch to mispredict as ``np.where`` on a random mask has.
    """
    bits = keep.dtype.type
    np.less_equal(x, t, out=below)
    np.copyto(keep, below.view(np.uint8))
    keep -= bits(1)
    yb = y.view(bits)
    if vb == 0:  # value +0.0, all bits clear: the select is x & keep
        np.bitwise_and(x.view(bits), keep, out=yb)
    else:
        np.bitwise_xor(x.view(bits), vb, out=yb)
        yb &= keep
        yb ^= vb


def _threshold_kernel(x, y, dy, threshold: float, value: float):
    r""":math:`x` for :math:`x > \theta`, else ``value``; NaN fails ``x <= t`` and
    so stays NaN. The value is chosen by bit masks (:func:`_threshold_block`), a
    block at a time. The slope is 1 for :math:`x > \theta`, else 0, so 0 at the
    jump (PyTorch's autograd); NaN for NaN: the indicator of :math:`x > \theta`
    (:func:`~activations.core.indicator`).

    A threshold in the dtype's range is rounded to the dtype first, as PyTorch
    does. One beyond it (1e300 in float32), or below its normal numbers
    (-4e-295 is -0 in float16, and 0 would be replaced), is compared as the
    float64 it is: +inf > 1e300 is kept, no finite x is above it, and
    0 > -4e-295 is kept. A ``value`` beyond the dtype's range is +-inf.
    """
    dt = x.dtype
    bits = _BITS[dt]
    with np.errstate(over="ignore"):
        t = np.asarray(threshold, dtype=dt)
        vb = np.asarray(value, dtype=dt).view(bits)
    if not fits(threshold, dt):
        t = np.float64(threshold)
    if y is not None:
        blockwise(partial(_threshold_block, t=t, vb=vb), x, y,
                  scratch=(np.bool_, bits))
    if dy is not None:
        core.indicator(np.greater, x, t, dy)


threshold = register(
    Activation(
        "threshold",
        kernel=_threshold_kernel,
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
        kinks=(
            Kink(
                lambda threshold, value: threshold,
                lambda threshold, value: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
    )
)


def _exponential_kernel(x, y, dy):
    """exp(x), its own derivative: one exp, and a copy when both are asked for, so
    that the two results never share memory. exp(x) exceeds the largest float for
    x > log(max) (709.78 in float64, 88.72 in float32): inf is then the correctly
    rounded result, not an error."""
    with np.errstate(over="ignore"):
        np.exp(x, out=dy if y is None else y)
    if y is not None and dy is not None:
        np.copyto(dy, y)


exponential = register(
    Activation(
        "exponential",
        kernel=_exponential_kernel,
        sym=lambda x: sp.exp(x),
        via_output=lambda y: y,
    )
)
