"""Shrinkage activations (softshrink, hardshrink, tanhshrink) against independent
values: the frameworks' documented examples, PyTorch's gradient on the closed
interval [-lambd, lambd], and tanhshrink's accuracy near 0 against mpmath.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import activations as act


def test_shrink_documentation_examples():
    # keras.ops.soft_shrink([-1, 0, 1]) -> [-0.5, 0, 0.5]
    np.testing.assert_array_equal(
        act.get("softshrink")(np.array([-1.0, 0.0, 1.0])), [-0.5, 0.0, 0.5])
    # paddle.nn.functional.softshrink([-0.9, -0.2, 0.1, 0.8]) -> [-0.4, 0, 0, 0.3]
    np.testing.assert_allclose(
        act.get("softshrink")(np.array([-0.9, -0.2, 0.1, 0.8])),
        [-0.4, 0.0, 0.0, 0.3], rtol=1e-15, atol=0)
    np.testing.assert_array_equal(
        act.get("hardshrink")(np.array([-0.6, -0.5, 0.0, 0.5, 0.6])),
        [-0.6, 0.0, 0.0, 0.0, 0.6])


@pytest.mark.parametrize("name", ["softshrink", "hardshrink"])
def test_shrink_kink_conventions(name):
    a = act.get(name)
    # PyTorch zeroes the gradient on the closed interval [-lambd, lambd]
    np.testing.assert_array_equal(a.derivative(np.array([-0.5, 0.5])), [0.0, 0.0])
    # with lambd = 0 the function is the identity, whose derivative is 1
    assert a.derivative(0.0, lambd=0.0) == 1.0
    with pytest.raises(ValueError, match="lambd"):
        a(1.0, lambd=-0.1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tanhshrink_keeps_relative_accuracy_near_zero(dtype):
    """x - tanh x ~ x^3/3 cancels; dense sweep across the series cutoff."""
    a = act.get("tanhshrink")
    mags = np.concatenate([np.logspace(-12, 0.5, 400), np.linspace(0.5, 0.6, 101)])
    xs = np.concatenate([-mags, mags]).astype(dtype)
    got = a(xs)
    eps = np.finfo(dtype).eps
    mpmath.mp.dps = 60
    for t, g in zip(xs, got, strict=True):
        u = mpmath.mpf(float(t))
        ref = u - mpmath.tanh(u)
        err = abs(mpmath.mpf(float(g)) - ref)
        # the contract: 4 ULP scaled by |f| + |x f'| (here 1.4 to 4 times |f|) ...
        assert err <= 4 * eps * (abs(ref) + abs(u) * mpmath.tanh(u) ** 2), float(t)
        # ... and never more than 8 ULP relative, even just above the series cutoff
        assert err <= 8 * eps * abs(ref), float(t)
