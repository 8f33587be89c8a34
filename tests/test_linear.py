"""Linear and piecewise-constant activations (identity, exponential, step, sign,
threshold) against independent values.

Expected values come from the definitions (PyTorch's Threshold semantics, NumPy's
heaviside with value 1 at 0) and from published examples in the framework
documentation.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import activations as act


def test_step_fires_at_zero_and_keeps_nan():
    out = act.get("heaviside")(np.array([-2.0, -0.0, 0.0, 3.0, np.nan]))
    np.testing.assert_array_equal(out[:4], [0.0, 1.0, 1.0, 1.0])
    assert np.isnan(out[4])
    assert act.get("step").derivative(0.0) == 0.0


def test_sign_is_zero_at_zero():
    a = act.get("signum")
    np.testing.assert_array_equal(a(np.array([-5.0, 0.0, 1e-300])), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(a.derivative(np.array([-1.0, 0.0, 1.0])), 0.0)


def test_threshold_follows_torch_semantics():
    a = act.get("threshold")
    # torch.nn.Threshold(0.1, 20) in the PyTorch docs: x if x > 0.1 else 20
    xs = np.array([-0.5, 0.1, 0.2652])
    np.testing.assert_array_equal(
        a(xs, threshold=0.1, value=20.0), [20.0, 20.0, 0.2652])
    # keras.ops.threshold(x, 1, 0) documentation example
    np.testing.assert_array_equal(a(np.array([-1.0, 0.0, 1.0, 2.0])), [0, 0, 0, 2])
    # threshold_backward keeps the gradient only where x > threshold
    np.testing.assert_array_equal(
        a.derivative(np.array([0.9, 1.0, 1.1])), [0.0, 0.0, 1.0])
    assert act.get("thresholded_relu") is a


def test_threshold_at_zero_is_relu():
    xs = np.linspace(-3, 3, 61)
    a = act.get("threshold")
    np.testing.assert_array_equal(a(xs, threshold=0.0, value=0.0), np.maximum(xs, 0))


def test_exponential_overflows_silently_to_inf():
    a = act.get("exp")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert a(710.0) == np.inf and a(np.float32(89.0)) == np.inf
        assert np.isfinite(a(709.7)) and a(-800.0) == 0.0
    assert a(1.0) == np.float64(math.e)


def test_threshold_copies_either_side_exactly():
    a = act.get("threshold")
    x = np.array([-np.inf, -1.0, -0.0, 0.0, 0.25, 2.0, np.inf, np.nan])
    # value = -0.0 and infinite values are copied, bit for bit
    y = a(x, threshold=0.5, value=-0.0)
    np.testing.assert_array_equal(np.signbit(y[:5]), [True] * 5)
    np.testing.assert_array_equal(y[5:7], [2.0, np.inf])
    assert np.isnan(y[7])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, dy = a.value_and_derivative(x, threshold=-0.5, value=np.inf)
    np.testing.assert_array_equal(y[:7], [np.inf, np.inf, -0.0, 0.0, 0.25, 2.0, np.inf])
    assert np.signbit(y[2])  # -0.0 > -0.5 is kept as it is
    np.testing.assert_array_equal(dy[:7], [0, 0, 1, 1, 1, 1, 1])
    assert np.isnan(y[7]) and np.isnan(dy[7])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_threshold_pair_against_the_definition(dtype):
    a = act.get("threshold")
    x = (4 * np.random.default_rng(3).standard_normal(1000)).astype(dtype)
    x[::97] = 1.0
    for theta, v in [(1.0, 0.0), (-0.5, 3.0), (2.0, -7.25)]:
        y, dy = a.value_and_derivative(x, threshold=theta, value=v)
        t = np.asarray(theta, dtype=dtype)
        np.testing.assert_array_equal(y, np.where(x > t, x, np.asarray(v, dtype)))
        np.testing.assert_array_equal(dy, (x > t).astype(dtype))
        assert y.dtype == dy.dtype == dtype


@pytest.mark.parametrize("name", ["sign", "step", "identity"])
def test_constant_derivatives_keep_nan_and_are_plus_zero_or_one(name):
    a = act.get(name)
    x = np.array([-np.inf, -1.0, -0.0, 0.0, 1e-300, np.inf, np.nan])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        d = a.derivative(x)
    expected = 1.0 if name == "identity" else 0.0
    np.testing.assert_array_equal(d[:6], expected)
    assert not np.any(np.signbit(d[:6]))
    assert np.isnan(d[6])


def test_exponential_pair_is_one_exp_in_two_arrays():
    a = act.get("exponential")
    x = np.array([-800.0, -1.0, 0.0, 1.0, 709.0, 710.0, np.inf, -np.inf, np.nan])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, dy = a.value_and_derivative(x)
    np.testing.assert_array_equal(y, dy)
    assert not np.shares_memory(y, dy)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(y[:8], np.exp(x[:8]))


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_threshold_below_the_dtypes_normal_numbers_is_compared_as_it_is(dtype):
    """theta = -3.9e-295 is -0 in float16 and float32; 0 > theta is kept (x itself,
    slope 1), but the rounded threshold replaced it: threshold(float16(0),
    -3.9e-295, value=-inf) was -inf."""
    a = act.get("threshold")
    x = np.array([0.0, -0.0, 1e-3, -1e-3], dtype=dtype)
    for theta in (-3.875023214732466e-295, 3.875023214732466e-295):
        y, d = a(x, threshold=theta, value=-np.inf), a.derivative(
            x, threshold=theta, value=-np.inf)
        # by the definition: x where x > theta, else the value
        keep = np.array([0.0 > theta, 0.0 > theta, True, False])
        np.testing.assert_array_equal(y, np.where(keep, x, -np.inf).astype(dtype))
        np.testing.assert_array_equal(d, keep.astype(dtype))
