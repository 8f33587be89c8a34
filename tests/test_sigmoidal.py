"""Sigmoidal activations beyond sigmoid and tanh: published definitions, framework
conventions at the corners, and tails, against independent references."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import activations as act

mpmath.mp.dps = 50


def test_hard_sigmoid_default_is_relu6_form():
    # PyTorch / JAX / Keras 3: relu6(x + 3) / 6
    z = np.linspace(-5, 5, 1001)
    expected = np.minimum(np.maximum(z + 3, 0), 6) / 6
    np.testing.assert_allclose(act.get("hard_sigmoid")(z), expected, rtol=0, atol=1e-15)


def test_hard_sigmoid_keras2_slope():
    # Keras 2: 0.2 x + 0.5 clipped; corners at -2.5 and 2.5
    z = np.array([-3.0, -2.5, -1.0, 0.0, 1.0, 2.5, 3.0])
    got = act.get("hard_sigmoid")(z, slope=0.2)
    np.testing.assert_allclose(got, [0, 0, 0.3, 0.5, 0.7, 1, 1], atol=1e-15)


@pytest.mark.parametrize("name", ["hard_sigmoid", "hard_tanh", "sparse_sigmoid"])
def test_clamps_have_zero_slope_at_their_corners(name):
    a = act.get(name)
    corners = np.array(a.kink_points())
    assert np.all(a.derivative(corners) == 0)


def test_hard_tanh_bounds_move_the_corners():
    a = act.get("hard_tanh")
    z = np.array([-7.0, 0.0, 5.9, 6.0, 8.0])
    np.testing.assert_array_equal(a(z, min_val=0, max_val=6), [0, 0, 5.9, 6, 6])
    slopes = a.derivative(z, min_val=0, max_val=6)
    np.testing.assert_array_equal(slopes, [0, 0, 1, 0, 0])


def test_sparse_sigmoid_keras_doc_example():
    # keras.ops.sparse_sigmoid([-6, 1, 0, 1, 6]) == [0, 1, 0.5, 1, 1]
    got = act.get("sparse_sigmoid")(np.array([-6.0, 1.0, 0.0, 1.0, 6.0]))
    np.testing.assert_array_equal(got, [0, 1, 0.5, 1, 1])


def test_lecun_tanh_passes_near_one_at_one():
    a = act.get("lecun_tanh")
    exact = mpmath.mpf("1.7159") * mpmath.tanh(mpmath.mpf(2) / 3)
    assert a(1.0) == pytest.approx(float(exact), rel=1e-15)
    assert abs(a(1.0) - 1) < 3e-6
    assert a.derivative(0.0) == pytest.approx(1.7159 * 2 / 3, rel=1e-15)


def test_softsign_tails():
    a = act.get("softsign")
    assert a(np.inf) == 1.0 and a(-np.inf) == -1.0
    # 1 / (1 + 1e160)^2 = 1e-320, a float64 subnormal that the naive square loses
    assert a.derivative(1e160) == pytest.approx(1e-320, rel=1e-3)


def test_arctan_derivative_survives_huge_float32():
    d = act.get("arctan").derivative(np.float32(1e20))
    assert d == pytest.approx(1e-40, rel=1e-3)


@pytest.mark.parametrize("t", [-40.0, -20.0, -1.0, 0.5, 2.0])
def test_log_log_against_mpmath(t):
    a = act.get("log_log")
    ref = -mpmath.expm1(-mpmath.exp(mpmath.mpf(t)))
    dref = mpmath.exp(mpmath.mpf(t) - mpmath.exp(mpmath.mpf(t)))
    assert a(t) == pytest.approx(float(ref), rel=2e-16)
    assert a.derivative(t) == pytest.approx(float(dref), rel=1e-15)


@pytest.mark.parametrize("t", [-37.0, -10.0, -1.0, 0.0, 2.0])
def test_normal_cdf_left_tail_against_mpmath(t):
    ref = mpmath.ncdf(mpmath.mpf(t))
    assert act.get("probit")(t) == pytest.approx(float(ref), rel=1e-14)


def test_isru_range_and_huge_inputs():
    a = act.get("isru")
    assert a(np.float32(1e30)) == np.float32(1)
    assert a(1e300, alpha=4.0) == pytest.approx(0.5, rel=1e-15)
    assert a.derivative(1e300) == 0.0


def test_bipolar_sigmoid_is_tanh_of_half():
    z = np.linspace(-20, 20, 401)
    ref = [float(mpmath.tanh(mpmath.mpf(float(t)) / 2)) for t in z]
    # np.tanh is within an ulp or two, halving is exact
    np.testing.assert_allclose(act.get("symmetrical_sigmoid")(z), ref, rtol=4.5e-16,
                               atol=1e-300)


@pytest.mark.parametrize("alpha", [0.0, 0.25, 1.0])
def test_penalized_tanh_kink_takes_the_left_branch(alpha):
    a = act.get("penalized_tanh")
    assert a.derivative(0.0, alpha=alpha) == alpha
    assert a(-1.0, alpha=alpha) == pytest.approx(alpha * np.tanh(-1.0), rel=1e-15)
