"""The shared core: evaluation block by block keeps shape, order and NaN, and the
sigmoid and tanh kernels the families share match the logistic function in mpmath."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import activations as act


@pytest.fixture(autouse=True)
def _precision():
    """mpmath at 50 digits in each test of this module (set at import, the
    precision would hold for every module imported after this one)."""
    with mpmath.workdps(50):
        yield


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "hard_sigmoid", "hard_tanh"])
def test_blockwise_evaluation_keeps_shape_and_order(name):
    # More elements than one block, a non-contiguous view, a 0-d array.
    a = act.get(name)
    rng = np.random.default_rng(3)
    x = (4 * rng.standard_normal((300, 701)))[:, ::2]
    x[5, 7] = np.nan
    y, dy = a.value_and_derivative(x)
    assert y.shape == dy.shape == x.shape
    flat = np.ascontiguousarray(x).ravel()
    np.testing.assert_array_equal(y.ravel(), a(flat))
    np.testing.assert_array_equal(dy.ravel(), a.derivative(flat))
    assert np.isnan(y[5, 7]) and np.isnan(dy[5, 7])
    y0, dy0 = a.value_and_derivative(np.float32(x[1, 1]))
    assert y0 == a(np.float32(x[1, 1])) and dy0 == a.derivative(np.float32(x[1, 1]))


def test_shared_sigmoid_and_tanh_kernels_match_the_logistic_function():
    from activations import core

    for t in (-745.0, -40.0, -1.5, -0.0, 0.0, 2.0, 40.0):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(t)))
        assert core.value(core.sigmoid, t) == pytest.approx(float(s), rel=2e-16, abs=0)
        assert core.slope(core.sigmoid, t) == pytest.approx(float(s * (1 - s)),
                                                            rel=5e-16)
        assert core.slope(core.tanh, t / 2) == pytest.approx(
            float(mpmath.sech(mpmath.mpf(t) / 2) ** 2), rel=5e-16)
