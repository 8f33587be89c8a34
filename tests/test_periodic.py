"""Periodic, radial and searched activations: values checked against mpmath and
closed forms that do not come from ``src``."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

import activations as act
from activations import core, periodic, searched
from activations.properties import properties

mpmath.mp.dps = 50


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


def test_maxsig_kink_is_the_root_of_x_equals_sigmoid():
    root = mpmath.findroot(lambda t: t - 1 / (1 + mpmath.exp(-t)), 0.66)
    assert searched.MAXSIG_KINK == float(root)
    assert searched.MAXSIG_KINK_SLOPE == float(root * (1 - root))
    a = act.get("maxsig")
    assert a.kink_points() == [float(root)]
    assert a.derivative(float(root)) == searched.MAXSIG_KINK_SLOPE
    assert a.derivative(np.nextafter(float(root), 1)) == 1.0


@pytest.mark.parametrize("name", ["sin", "cos", "minsin", "cosper", "snake"])
def test_no_limit_is_nan_without_warning(name):
    a = act.get(name)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        d = a.derivative(np.array([-np.inf, np.inf]))
    assert np.isnan(d[1]) and (np.isnan(d[0]) or name == "minsin")


def test_ranges_and_means_from_closed_forms():
    # E[cos Z] = exp(-1/2); E[exp(-Z^2)] = 1/sqrt(3); E[sin^2 Z] = (1 - exp(-2))/2
    assert properties("cos").mean_normal == pytest.approx(math.exp(-0.5), abs=1e-10)
    assert properties("cosper").mean_normal == pytest.approx(math.exp(-0.5), abs=1e-10)
    assert properties("gaussian").mean_normal == pytest.approx(3**-0.5, abs=1e-10)
    assert properties("snake").mean_normal == pytest.approx((1 - math.exp(-2)) / 2,
                                                           abs=1e-10)
    assert properties("sin").range == "[-1, 1]"
    assert properties("gaussian").range == "(0, 1]"
    assert properties("maxsig").range == "(0, ∞)"
    assert properties("maxtanh").range == "(-1, ∞)"
    assert properties("minsin").range == "(-∞, 1]"
    # sinc's minimum is at the first root of tan x = x, x = 4.4934...
    xm = mpmath.findroot(lambda t: mpmath.tan(t) - t, 4.49)
    assert properties("sinc").range_low == pytest.approx(
        float(mpmath.sin(xm) / xm), rel=1e-9)


def test_smoothness_of_the_max_min_forms():
    # max(x, tanh x) and min(x, sin x) join with equal slopes and curvatures at 0;
    # their third derivatives differ (-2 vs 0, -1 vs 0). max(x, sigma x) has a corner.
    assert properties("maxtanh").smoothness == "C^2"
    assert properties("minsin").smoothness == "C^2"
    assert properties("maxsig").smoothness == "C^0"
    assert properties("maxsig").monotonic == "strictly increasing"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sin_cos_are_numpy_s_with_nan_at_the_infinities(name, dtype):
    """Finite x: exactly np.sin / np.cos (and cos' = 0 - sin, so +0 at 0);
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
    np.testing.assert_array_equal(y[:finite.size], f(finite))
    np.testing.assert_array_equal(d[:finite.size], df(finite))
    assert np.isnan(y[finite.size:]).all() and np.isnan(d[finite.size:]).all()
    assert y.dtype == d.dtype == dtype
    if name == "cos":
        assert not np.signbit(d[:2]).any()  # cos'(±0) = +0


@pytest.mark.parametrize(("name", "op"),
                         [("minsin", "minimum"), ("maxtanh", "maximum")])
def test_tie_records_name_the_op_of_the_definition(name, op):
    """MinSin is min(x, sin x) and MaxTanh max(x, tanh x): the record of what
    autodiff returns at their tie names that op (torch.minimum and jnp.minimum
    split a tie evenly, as torch.maximum and jnp.maximum do: measured with
    PyTorch 2.13.0 and JAX 0.10.2, d/dx min(x, 2x) = 1.5 at 0)."""
    (kink,) = act.get(name).kinks
    other = {"minimum": "maximum", "maximum": "minimum"}[op]
    for fw in ("pytorch", "jax"):
        assert op in kink.frameworks[fw] and other not in kink.frameworks[fw]
    assert kink.value() == 1.0
