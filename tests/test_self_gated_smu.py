"""SMU (Smooth Maximum Unit): values, derivative and the partial for mu against
mpmath evaluated from the paper's erf form, and its limiting cases.

Expected values come from mpmath at 50 digits, never from the code under test.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest

import activations as act


def _smu_mp(x, alpha, mu):
    x, alpha, mu = mpmath.mpf(x), mpmath.mpf(alpha), mpmath.mpf(mu)
    return ((1 + alpha) * x + (1 - alpha) * x * mpmath.erf(mu * (1 - alpha) * x)) / 2


@pytest.mark.parametrize(("alpha", "mu"), [(0.25, 1.0), (0.0, 2.5), (0.01, 2.5),
                                           (0.7, 0.05)])
def test_smu_matches_the_erf_form(alpha, mu):
    mpmath.mp.dps = 50
    a = act.get("smu")
    xs = [-40.0, -3.0, -0.7, -1e-3, 0.0, 2e-3, 0.9, 4.0, 1e5]
    want = [float(_smu_mp(x, alpha, mu)) for x in xs]
    dwant = [float(mpmath.diff(lambda t: _smu_mp(t, alpha, mu), x)) for x in xs]
    pwant = [float(mpmath.diff(lambda m, x=x: _smu_mp(x, alpha, m), mu)) for x in xs]
    # In the left tail (alpha = 0) f and f' are exp(-t^2/2)-small with condition
    # number about t^2 (t = k x up to 14 here): a relative 1e-13 is a few
    # condition-scaled ulp; elsewhere they agree far closer.
    np.testing.assert_allclose(a(xs, alpha=alpha, mu=mu), want, rtol=1e-13, atol=0)
    np.testing.assert_allclose(a.derivative(xs, alpha=alpha, mu=mu), dwant,
                               rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(a.partial(np.array(xs), "mu", alpha=alpha, mu=mu),
                               pwant, rtol=1e-13, atol=1e-300)


def test_smu_special_cases():
    a = act.get("smu")
    xs = np.linspace(-6, 6, 121)
    # alpha = 0, mu = 1/sqrt(2): erf(x / sqrt 2), GELU (to the rounding of
    # sqrt(2) * 2**-0.5, which the left tail magnifies by t^2 = 36 at most)
    np.testing.assert_allclose(a(xs, alpha=0.0, mu=2**-0.5), act.get("gelu")(xs),
                               rtol=1e-13, atol=1e-300)
    # mu large: Leaky ReLU with slope alpha (away from the narrow bend at 0)
    far = np.abs(xs) > 1e-3
    np.testing.assert_allclose(a(xs, alpha=0.25, mu=1e6)[far],
                               np.where(xs > 0, xs, 0.25 * xs)[far], rtol=1e-15)
    # f(0) = 0 and f'(0) = (1 + alpha) / 2 for every mu
    assert a(0.0) == 0.0 and a.derivative(0.0, alpha=0.25) == 0.625


def test_smu_far_left_tail_and_infinities():
    mpmath.mp.dps = 50
    a = act.get("smu")
    # alpha = 0: f = x Phi(k x) with Phi subnormal; still a few ulp of the truth
    x = -3.0e4
    want = float(_smu_mp(x, 0.0, 1e-3))
    got = float(a(x, alpha=0.0, mu=1e-3))
    assert abs(got - want) <= 4 * abs(np.spacing(want)), (got, want)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            y = a(np.array([-np.inf, np.inf, 1e308, -1e308]), alpha=0.25, mu=1e7)
    np.testing.assert_array_equal(y, [-np.inf, np.inf, 1e308, -2.5e307])
