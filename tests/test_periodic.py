"""Periodic activations (sinc, snake, sin, cos): values checked against mpmath and
closed forms that do not come from ``src``."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

import activations as act
from activations import core, periodic, verify


@pytest.fixture(autouse=True)
def _precision():
    """mpmath at 50 digits in each test of this module (set at import, the
    precision would hold for every module imported after this one)."""
    with mpmath.workdps(50):
        yield


def _mp(f, xs):
    return np.array([float(f(mpmath.mpf(float(t)))) for t in xs])


def test_sinc_is_unnormalised_and_accurate_near_zero():
    a = act.get("sinc")
    xs = np.array([0.0, 1e-300, 1e-12, 1e-6, 1e-3, 0.1, 0.12, 0.13, 0.99, 1.01, 3.0,
                   np.pi, 50.0])
    ref = _mp(lambda t: mpmath.sin(t) / t if t else mpmath.mpf(1), xs)
    np.testing.assert_allclose(a(xs), ref, rtol=2e-16, atol=0)
    # not NumPy's sin(pi x)/(pi x): sinc(pi) is 0 only up to rounding, np.sinc(1) is 0
    assert abs(a(np.pi)) < 1e-16 and a(1.0) == pytest.approx(math.sin(1.0))


def test_sinc_derivative_near_zero_has_no_cancellation():
    a = act.get("sinc")
    xs = np.array([1e-300, 1e-8, 1e-4, 0.01, 0.5, 0.999, 1.0, 1.001, 2.0, 30.0])
    with mpmath.workdps(700):  # the quotient cancels 600 digits at 1e-300
        ref = _mp(lambda t: (t * mpmath.cos(t) - mpmath.sin(t)) / t**2, xs)
    np.testing.assert_allclose(a.derivative(xs), ref, rtol=1e-15, atol=0)
    assert a.derivative(0.0) == 0.0
    # the textbook quotient loses digits near 0: that is why src uses a series
    x = 1e-4
    naive = (x * math.cos(x) - math.sin(x)) / x**2
    assert abs(naive - ref[2]) / abs(ref[2]) > 1e-10


@pytest.mark.parametrize("alpha", [1e-8, 1e-3, 0.5, 1.0, 5.0, 10.0])
def test_snake_matches_mpmath_for_small_and_large_alpha(alpha):
    xs = np.array([-30.0, -3.0, -0.7853981633974483, -1e-3, 1e-6, 0.5, 2.0, 40.0])
    f = _mp(lambda t: t + mpmath.sin(alpha * t) ** 2 / alpha, xs)
    d = _mp(lambda t: 1 + mpmath.sin(2 * alpha * t), xs)
    p = _mp(lambda t: (2 * alpha * t * mpmath.sin(alpha * t) * mpmath.cos(alpha * t)
                       - mpmath.sin(alpha * t) ** 2) / alpha**2, xs)
    # the kernel itself: these alphas lie outside the parameter's range
    kernel = act.get("snake").kernel
    np.testing.assert_allclose(core.value(kernel, xs, alpha=alpha), f, rtol=1e-14,
                               atol=1e-300)
    np.testing.assert_allclose(core.slope(kernel, xs, alpha=alpha), d,
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(periodic._snake_partial_alpha(xs, alpha), p,
                               rtol=1e-12, atol=1e-14)


def test_snake_small_alpha_beats_the_cosine_form():
    alpha, x = 1e-8, 1.0
    exact = float(mpmath.sin(mpmath.mpf(alpha) * x) ** 2 / alpha)  # ~ alpha x^2
    cosine_form = (1 - math.cos(2 * alpha * x)) / (2 * alpha)
    ours = float(core.value(act.get("snake").kernel, np.array([x]), alpha=alpha)[0]) - x
    assert abs(cosine_form - exact) / exact > 0.05  # most digits cancelled
    assert ours == pytest.approx(exact, rel=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sin_cos_with_nan_at_the_infinities(name, dtype):
    """Finite x: within one condition-scaled ULP of mpmath (float32: exactly
    np.sin / np.cos), cos' = 0 - sin, so +0 at 0, and sin(±0) = ±0;
    ±inf: NaN in value and slope, without a warning; NaN stays NaN."""
    a = act.get(name)
    info = np.finfo(dtype)
    finite = np.array([0.0, -0.0, info.smallest_subnormal, info.tiny, 1e-3, 1.0,
                       np.pi / 2, 3.0, 1e4, info.max, -info.max, -7.5], dtype=dtype)
    xs = np.concatenate([finite, np.array([np.inf, -np.inf, np.nan], dtype=dtype)])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, d = a.value_and_derivative(xs)
    f, df = (np.sin, np.cos) if name == "sin" else (np.cos, lambda t: 0 - np.sin(t))
    if dtype == np.float32:
        np.testing.assert_array_equal(y[:finite.size], f(finite))
        np.testing.assert_array_equal(d[:finite.size], df(finite))
    else:
        mf, mdf = ((mpmath.sin, mpmath.cos) if name == "sin"
                   else (mpmath.cos, lambda t: -mpmath.sin(t)))
        with mpmath.workdps(40):
            ts = [mpmath.mpf(float(t)) for t in finite]
            for got, g, dg in ((y, mf, mdf), (d, mdf, lambda t: -mf(t))):
                err = verify._scaled_ulp(got[:finite.size], [g(t) for t in ts],
                                         [dg(t) for t in ts], finite,
                                         float(info.eps),
                                         float(info.smallest_subnormal))
                assert err.max() <= 1.0, (err.max(), finite[err.argmax()])
    assert np.isnan(y[finite.size:]).all() and np.isnan(d[finite.size:]).all()
    assert y.dtype == d.dtype == dtype
    if name == "cos":
        assert not np.signbit(d[:2]).any()  # cos'(±0) = +0
    else:
        assert np.signbit(y[:2]).tolist() == [False, True]  # sin(±0) = ±0


def test_gaussian_scale_is_the_bump_of_width_one_over_s():
    """e^(-(s x)^2) and -2 s^2 x e^(-(s x)^2) against mpmath at 50 digits, within 3
    condition-scaled ulp, at scales over the parameter's range; s = 1 is the unit
    Gaussian bit for bit."""
    a = act.get("gaussian")
    xs = np.array([-30.0, -2.5, -0.7, -1e-3, -1e-310, 0.0, 1e-20, 0.31, 1.0, 4.0,
                   700.0])
    for s in (0.05, 0.5, 3.0, 20.0):
        ms = mpmath.mpf(s)
        ref = _mp(lambda t, ms=ms: mpmath.exp(-(ms * t) ** 2), xs)
        dref = _mp(lambda t, ms=ms: -2 * ms**2 * t * mpmath.exp(-(ms * t) ** 2), xs)
        # relative error allowed: 3 ulp times the condition number, 2 t^2 for the
        # value and |1 - 2 t^2| for the slope (t = s x rounds once)
        t2 = (s * xs) ** 2
        for got, want, cond in ((a(xs, scale=s), ref, 2 * t2),
                                (a.derivative(xs, scale=s), dref, abs(1 - 2 * t2))):
            tol = 3 * 2.0**-53 * np.maximum(1.0, cond) * np.abs(want)
            assert np.all(np.abs(got - want) <= tol), (s, got, want)
    np.testing.assert_array_equal(a(xs, scale=1.0), a(xs))


def test_gcu_against_mpmath_and_its_zeros():
    """x cos x and cos x - x sin x from mpmath; odd, zero at the zeros of cos x
    (to the rounding of pi/2 + k pi), and the first peak where x tan x = 1."""
    a = act.get("gcu")
    xs = np.array([-1e6, -40.0, -3.0, -0.5, -1e-200, 0.0, 1e-8, 0.7, 2.0, 17.5, 1e300])
    np.testing.assert_allclose(a(xs), _mp(lambda t: t * mpmath.cos(t), xs),
                               rtol=4e-16, atol=0)
    np.testing.assert_allclose(a.derivative(xs),
                               _mp(lambda t: mpmath.cos(t) - t * mpmath.sin(t), xs),
                               rtol=1e-15, atol=0)
    np.testing.assert_array_equal(a(-xs), -a(xs))
    peak = float(mpmath.findroot(lambda t: t * mpmath.tan(t) - 1, 0.86))
    assert abs(float(a.derivative(peak))) < 1e-15
    zeros = np.pi / 2 + np.pi * np.arange(5)
    assert np.all(np.abs(a(zeros)) < 1e-14 * zeros)


def test_gcu_has_no_limit_at_infinity():
    """x cos x swings over the whole real line: NaN at +-inf, no warning."""
    a = act.get("gcu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            y, dy = a.value_and_derivative(np.array([-np.inf, np.inf, 1.0]))
    assert np.isnan(y[:2]).all() and np.isnan(dy[:2]).all()
    assert y[2] == math.cos(1.0)
def test_gabor_against_mpmath_and_the_complex_wavelet():
    """The real Gabor wavelet and its slope at 50 digits (mpmath, from the formula
    and from the real part of WIRE's complex wavelet), at maxima where f' = 0 and
    in the subnormal tail."""
    mpmath.mp.dps = 50
    a = act.get("gabor")
    for w, s in ((10.0, 10.0), (20.0, 30.0), (60.0, 0.1)):
        xs = np.array([-2.71, -0.31, -1e-200, 0.0, 0.047, 0.2, 0.9, 2.5, 150.0])
        f, df = a(xs, omega0=w, s0=s), a.derivative(xs, omega0=w, s0=s)
        for t, g, dg in zip(xs, f, df, strict=True):
            z = mpmath.mpf(float(t))
            env = mpmath.exp(-(s * z) ** 2)
            ref = mpmath.re(mpmath.exp(1j * w * z - (s * z) ** 2))
            dref = -env * (w * mpmath.sin(w * z) + 2 * s * s * z * mpmath.cos(w * z))
            assert abs(float(g) - ref) <= 4e-16 * abs(ref) + 1e-320, (w, s, t, g, ref)
            assert abs(float(dg) - dref) <= 4e-15 * abs(dref) + 1e-320, (w, s, t, dg)
    assert a(np.inf) == 0.0 and a.derivative(-np.inf) == 0.0
