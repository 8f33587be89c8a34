"""Sigmoidal activations beyond sigmoid and tanh: published definitions, framework
conventions at the corners, and tails, against independent references."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from conftest import strict

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


def test_log_log_derivative_is_ordinary_under_errstate_raise():
    """exp(-e^7) underflows to 0, the correctly rounded f'(7) = e^(7 - e^7)."""
    ref = mpmath.exp(7 - mpmath.exp(7))
    assert float(ref) == 0.0
    with strict():
        assert act.get("log_log").derivative(7.0) == 0.0
        # the condition number of e^(x - e^x) is about e^x = 403
        np.testing.assert_allclose(act.get("log_log").derivative(6.0),
                                   float(mpmath.exp(6 - mpmath.exp(6))), rtol=1e-12)


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


def test_isru_huge_inputs_at_every_alpha_give_no_warning():
    # A branch computed where it does not apply (x * r for |x| > 1) used to
    # overflow for alpha < 1, where r exceeds 1.
    a = act.get("isru")
    xs = np.array([-np.inf, -3.4e38, -1e20, 1e20, 3.4e38, np.inf], dtype=np.float32)
    for alpha in (0.01, 1.0, 10.0):
        with warnings.catch_warnings(), np.errstate(all="raise"):
            warnings.simplefilter("error")
            y, dy = a.value_and_derivative(xs, alpha=alpha)
        np.testing.assert_allclose(np.abs(y), 1 / np.sqrt(np.float32(alpha)), rtol=1e-6)
        assert np.all(dy == 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bounds_are_compared_as_the_exact_numbers(dtype):
    # float32(0.7) = 0.69999999 lies inside (-1, 0.7): the largest number of the
    # dtype below 0.7 has slope 1, the next one 0. float32(3) lies on the kink
    # 1/(2 * 1/6) = 3 of the hard sigmoid.
    h = act.get("hard_tanh")
    below = np.asarray(0.7, dtype)
    if float(below) >= 0.7:
        below = np.nextafter(below, dtype(0))
    assert h.derivative(below, min_val=-1.0, max_val=0.7) == 1
    assert h.derivative(np.nextafter(below, dtype(1)), min_val=-1.0, max_val=0.7) == 0
    s = act.get("hard_sigmoid")
    three = np.asarray(3, dtype)
    assert s.derivative(three) == 0
    assert s.derivative(np.nextafter(three, dtype(0))) == np.asarray(1 / 6, dtype)
    # slope 0.3: the kink 5/3 is not a float; its float32 neighbours straddle it
    k = np.asarray(0.5 / 0.3, dtype)
    for t in (np.nextafter(k, dtype(0)), k, np.nextafter(k, dtype(9))):
        inside = float(abs(t)) < 0.5 / 0.3
        assert s.derivative(t, slope=0.3) == (np.asarray(0.3, dtype) if inside else 0)


def test_elliott_sigmoid_against_exact_fractions_and_dubey_form():
    a = act.get("elliott_sigmoid")
    # (1/2) x/(1 + |x|) + 1/2: 1/8 at -3, 3/4 at 1; slope 1/(2 (1 + |x|)^2)
    z = np.array([-3.0, -1.0, 1.0, 3.0])
    np.testing.assert_array_equal(a(z), [1 / 8, 1 / 4, 3 / 4, 7 / 8])
    np.testing.assert_array_equal(a.derivative(z), [1 / 32, 1 / 8, 1 / 8, 1 / 32])
    # far left the value is 1/(2(1 + |x|)), which "+ 1/2" would round to 0
    for t in (-1e8, -1e300):
        ref = 1 / (2 * (1 - mpmath.mpf(t)))
        assert a(t) == pytest.approx(float(ref), rel=2e-16)
    assert a(-np.inf) == 0.0 and a(np.inf) == 1.0
    # 1 / (2 (1 + 1e160)^2) = 5e-321, a subnormal the naive square loses
    assert a.derivative(1e160) == pytest.approx(5e-321, rel=1e-2)


def test_elliott_sigmoid_is_half_softsign_plus_half_and_c1():
    a, s = act.get("elliott_sigmoid"), act.get("softsign")
    z = np.linspace(-20, 20, 401)
    np.testing.assert_allclose(a(z), (s(z) + 1) / 2, rtol=1e-13)  # s + 1 cancels
    np.testing.assert_allclose(a.derivative(z), s.derivative(z) / 2, rtol=1e-15)
    from activations import properties
    assert properties.properties(a).smoothness == "C^1"
    assert act.get("elliott") is s  # the alias stays with Elliott's own x/(1+|x|)


@pytest.mark.parametrize(("alpha", "beta"), [(5.0, 3.0), (2.5, 3.75), (20.0, 0.5)])
def test_srs_against_mpmath_and_its_closed_form_minimum(alpha, beta):
    a = act.get("srs")
    al, be = mpmath.mpf(alpha), mpmath.mpf(beta)

    def f(t):
        return t / (t / al + mpmath.exp(-t / be))

    for t in (-700.0, -40.0, -3.0, -0.5, 1e-8, 2.0, 50.0, 2000.0):
        ref = f(mpmath.mpf(t))
        dref = mpmath.diff(f, mpmath.mpf(t))
        assert a(t, alpha=alpha, beta=beta) == pytest.approx(float(ref), rel=1e-15)
        assert a.derivative(t, alpha=alpha, beta=beta) == pytest.approx(
            float(dref), rel=1e-13)
    # the minimum alpha beta / (beta - alpha e) at x = -beta (Zhou et al.), and the
    # upper bound alpha at +inf
    low = float(al * be / (be - al * mpmath.e))
    assert a(-beta, alpha=alpha, beta=beta) == pytest.approx(low, rel=1e-15)
    assert a.derivative(-beta, alpha=alpha, beta=beta) == 0.0
    assert a(np.inf, alpha=alpha, beta=beta) == alpha
    assert a(-np.inf, alpha=alpha, beta=beta) == 0.0


def test_srs_parameter_box_keeps_the_denominator_positive():
    # x/alpha + e^{-x/beta} has its minimum (beta/alpha)(1 - ln(beta/alpha)) at
    # x = -beta ln(beta/alpha): positive exactly when beta/alpha < e
    p = act.get("srs").params
    ratio = p["beta"].high / p["alpha"].low
    assert ratio < math.e
    assert ratio * (1 - math.log(ratio)) > 0.8


@pytest.mark.parametrize(("lambd", "kappa"),
                         [(1.0, 1.0), (0.01, 4.0), (2.0, 0.1), (0.5, 1.5)])
def test_apa_against_mpmath_and_the_sigmoid(lambd, kappa):
    a = act.get("apa")
    la, ka = mpmath.mpf(lambd), mpmath.mpf(kappa)

    def f(t):
        return (1 + la * mpmath.exp(-ka * t)) ** (-1 / la)

    for t in (-800.0, -30.0, -2.0, -1e-6, 0.0, 0.7, 12.0, 300.0):
        u = la * mpmath.exp(-ka * mpmath.mpf(t))
        ref = f(mpmath.mpf(t))
        dref = ref * ka / la * u / (1 + u)  # d/dx of (1 + u)^(-1/lambda)
        assert a(t, lambd=lambd, kappa=kappa) == pytest.approx(float(ref), rel=1e-14)
        assert a.derivative(t, lambd=lambd, kappa=kappa) == pytest.approx(
            float(dref), rel=1e-13, abs=1e-300)
    # sigma(kappa x - ln lambda)^(1/lambda), the form Alexandridis et al. give
    t = mpmath.mpf("0.3")
    alt = (1 / (1 + mpmath.exp(-(ka * t - mpmath.log(la))))) ** (1 / la)
    assert a(0.3, lambd=lambd, kappa=kappa) == pytest.approx(float(alt), rel=1e-14)


def test_apa_at_one_one_is_the_sigmoid():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(act.get("apa")(z), act.get("sigmoid")(z), rtol=1e-14)


def _sqnl_exact(t: Fraction) -> Fraction:
    # Wuraola & Patel (IJCNN 2018), piece by piece as published
    if t > 2:
        return Fraction(1)
    if t >= 0:
        return t - t * t / 4
    if t >= -2:
        return t + t * t / 4
    return Fraction(-1)


def _sqnl_slope_exact(t: Fraction) -> Fraction:
    return max(Fraction(0), 1 - abs(t) / 2)


def test_sqnl_against_exact_rational_arithmetic():
    a = act.get("sqnl")
    # dyadic inputs: every result is representable, so the kernel must hit it
    z = [-5.0, -2.0, -1.5, -1.0, -0.5, -2.0**-30, 0.0, 0.25, 1.0, 1.75, 2.0, 3.0]
    got_f, got_df = a(np.array(z)), a.derivative(np.array(z))
    for t, f, df in zip(z, got_f, got_df, strict=True):
        assert f == float(_sqnl_exact(Fraction(t))), t
        assert df == float(_sqnl_slope_exact(Fraction(t))), t
    # any other input: the value within two roundings, the slope within one
    rng = np.random.default_rng(2018)
    z = np.concatenate([rng.uniform(-2.5, 2.5, 500), [np.nextafter(2.0, 0), 1e-300]])
    for t, f, df in zip(z, a(z), a.derivative(z), strict=True):
        ref_f = float(_sqnl_exact(Fraction(t)))
        ref_df = float(_sqnl_slope_exact(Fraction(t)))
        assert abs(f - ref_f) <= 2 * np.spacing(abs(ref_f)), t
        assert abs(df - ref_df) <= np.spacing(ref_df), t


def test_sqnl_is_hard_tanh_averaged_over_a_uniform_window():
    # E[hard_tanh(x + U)], U ~ U(-1, 1), by mpmath quadrature split at the corners
    a = act.get("sqnl")
    for t in (-2.7, -1.3, -0.2, 0.6, 1.9, 2.0):
        tt = mpmath.mpf(t)
        pts = sorted({-1, 1, *(c - tt for c in (-1, 1) if -1 < c - tt < 1)})
        ref = mpmath.quad(lambda s, tt=tt: max(-1, min(1, tt + s)), pts) / 2
        assert a(t) == pytest.approx(float(ref), rel=1e-15, abs=1e-300)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sqnl_is_c1_with_range_minus_one_to_one(dtype):
    from activations import properties
    a = act.get("sqnl")
    p = properties.properties(a)
    assert p.smoothness == "C^1"
    assert (p.range_low, p.range_high) == (-1, 1)
    assert p.low_attained and p.high_attained
    # the pieces meet at +-2 with value +-1 and slope 0 in every dtype
    two = np.array([-2.0, 2.0], dtype)
    with strict():
        np.testing.assert_array_equal(a(two), np.array([-1, 1], dtype))
        np.testing.assert_array_equal(a.derivative(two), np.zeros(2, dtype))
        inf = np.array([-np.inf, np.inf], dtype)
        np.testing.assert_array_equal(a(inf), np.array([-1, 1], dtype))
