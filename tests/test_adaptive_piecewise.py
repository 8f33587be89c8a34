"""Facts particular to the learned piecewise and kernel activations of the adaptive
family (APL), with expected values from exact rational arithmetic on the paper's
formula, never from the kernel."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import activations as act

APL = act.get("apl")


def apl_exact(x: float, a1: float, b1: float, a2: float, b2: float) -> Fraction:
    """Agostinelli et al.'s max(0, x) + sum a_s max(0, -x + b_s), in exact fractions
    (the parameters as their short decimals: 0.6 is 3/5)."""
    X = Fraction(x)
    a = [Fraction(str(a1)), Fraction(str(a2))]
    b = [Fraction(str(b1)), Fraction(str(b2))]
    zero = Fraction(0)
    return max(zero, X) + sum(a[s] * max(zero, -X + b[s]) for s in range(2))


PARAMS = [
    {"a1": 0.5, "b1": 1.0, "a2": -0.6, "b2": -1.0},
    {"a1": -2.0, "b1": 3.0, "a2": 2.0, "b2": -3.0},
    {"a1": 0.5, "b1": 1.0, "a2": -0.5, "b2": -1.0},
    {"a1": 1.3, "b1": -0.7, "a2": -1.9, "b2": 2.2},
]


@pytest.mark.parametrize("p", PARAMS)
def test_apl_value_is_correctly_rounded(p):
    xs = np.concatenate([np.linspace(-5, 5, 1001), [-1e300, -3e10, 1e-300, 7e15]])
    got = APL(xs, **p)
    exact = [apl_exact(float(t), **p) for t in xs]
    # the slope of the piece on the left of each point, exactly, from a difference
    # with a point beside it on that piece
    beside = [float(t) - 1e-9 * max(1.0, abs(float(t))) for t in xs]
    slope = [(apl_exact(float(t), **p) - apl_exact(u, **p))
             / (Fraction(t) - Fraction(u)) for t, u in zip(xs, beside, strict=True)]
    # within one ULP of |f| + |x f'| (the book's condition-scaled ULP), as the
    # evaluation of one line c0 + c1 x allows; exactly where the line is x itself
    for t, g, e, d in zip(xs, got, exact, slope, strict=True):
        err = abs(Fraction(float(g)) - e)
        scale = Fraction(np.finfo(np.float64).eps) * (abs(e) + abs(Fraction(t) * d))
        assert err <= scale, (t, float(g), float(e))


def test_apl_far_left_cancellation():
    # a1 = -a2: the hinges cancel to a1 (b1 - b2) = 1 exactly, for any x < -1.
    p = {"a1": 0.5, "b1": 1.0, "a2": -0.5, "b2": -1.0}
    assert APL(-1e300, **p) == 1.0
    assert APL.derivative(-1e300, **p) == 0.0
    assert APL(-np.inf, **p) == 1.0


def test_apl_one_hinge_at_zero_is_prelu():
    xs = np.linspace(-4, 4, 81)
    for alpha in (0.0, 0.25, 1.0):
        np.testing.assert_array_equal(
            APL(xs, a1=-alpha, b1=0.0, a2=0.0, b2=1.0),
            act.get("prelu")(xs, alpha=alpha))


def test_apl_slope_at_a_bend_is_the_left_piece():
    # b1 = 0 with a1 < 0: left slope -a1 = 0.5, right slope 1; ReLU's own 0 is
    # outside both, the left slope is not. Coinciding bends b1 = b2 as well.
    assert APL.derivative(0.0, a1=-0.5, b1=0.0, a2=0.0, b2=1.0) == 0.5
    assert APL.derivative(2.0, a1=0.25, b1=2.0, a2=0.5, b2=2.0) == 0.25
    assert APL.derivative(0.0, a1=0.5, b1=1.0, a2=-0.6, b2=3.0) == float(
        Fraction(1, 10))


def test_apl_limits_and_nan():
    p = {"a1": 0.5, "b1": 1.0, "a2": -0.6, "b2": -1.0}
    y = APL(np.array([np.inf, -np.inf, np.nan]), **p)
    assert y[0] == np.inf and y[1] == -np.inf and np.isnan(y[2])


# --- KAF --------------------------------------------------------------------------
import mpmath  # noqa: E402

from activations import adaptive  # noqa: E402

KAF = act.get("kaf")
CENTRES = (-3, -1, 1, 3)


def kaf_mp(x: float, alphas, slope: bool = False) -> mpmath.mpf:
    """Scardapane et al.'s sum of Gaussians, gamma = 1/(6 * 2^2), or its slope, at
    400 digits (enough for the cancellation of odd weights at 1e-300)."""
    with mpmath.workdps(400):
        X = mpmath.mpf(x)
        return sum(mpmath.mpf(str(a)) * (-(X - d) / 12 if slope else 1)
                   * mpmath.exp(-(X - d) ** 2 / 24)
                   for a, d in zip(alphas, CENTRES, strict=True))


@pytest.mark.parametrize("alphas", [
    (0.2449, 0.004, -5.7165, 7.7822),  # the ridge fit to ELU
    (-2.0, -1.0, 1.0, 2.0),            # odd: f(0) = 0
    (8.0, -8.0, 8.0, -8.0),            # alternating, the ends of the ranges
])
def test_kaf_against_mpmath(alphas):
    # within 2 ULP of |f| + |x f'|, the book's condition-scaled error
    p = {f"alpha{i + 1}": v for i, v in enumerate(alphas)}
    xs = [-40.0, -7.5, -3.0, -1.0, -0.3, -1e-8, 1e-300, 0.02, 0.9, 2.0, 2.5, 6.0, 30.0]
    got = KAF(np.array(xs), **p)
    for t, g in zip(xs, got, strict=True):
        want, slope = kaf_mp(t, alphas), kaf_mp(t, alphas, slope=True)
        with mpmath.workdps(400):
            scale = abs(want) + abs(mpmath.mpf(t) * slope)
            assert abs(mpmath.mpf(float(g)) - want) <= 2 * 2.0**-52 * scale, (t, g)


def test_kaf_odd_weights_keep_relative_accuracy_near_zero():
    p = {"alpha1": -2.0, "alpha2": -1.0, "alpha3": 1.0, "alpha4": 2.0}
    with mpmath.workdps(50):
        # f'(0) = sum a_i d_i / 12 exp(-d_i^2 / 24), so f(x) ~ x f'(0) near 0
        slope0 = sum(mpmath.mpf(a) * d / 12 * mpmath.exp(-mpmath.mpf(d) ** 2 / 24)
                     for a, d in zip(p.values(), CENTRES, strict=True))
        want = float(mpmath.mpf("1e-300") * slope0)
    assert KAF(1e-300, **p) == pytest.approx(want, rel=1e-15)
    assert KAF.derivative(0.0, **p) == pytest.approx(float(slope0), rel=1e-15)


def test_kaf_ridge_fit_solves_the_normal_equations():
    # (K + 1e-5 I) alpha = ELU(d), solved by mpmath at 40 digits
    with mpmath.workdps(40):
        k = mpmath.matrix([[mpmath.exp(-mpmath.mpf(di - dj) ** 2 / 24)
                            + (mpmath.mpf("1e-5") if i == j else 0)
                            for j, dj in enumerate(CENTRES)]
                           for i, di in enumerate(CENTRES)])
        t = mpmath.matrix([mpmath.expm1(d) if d < 0 else d for d in CENTRES])
        want = [float(v) for v in mpmath.lu_solve(k, t)]
    got = adaptive.kaf_ridge_fit(act.get("elu"))
    np.testing.assert_allclose(got, want, rtol=1e-10)
    assert [p.default for p in KAF.params.values()] == [round(v, 4) for v in want]


def test_kaf_vanishes_in_both_tails():
    y = KAF(np.array([-np.inf, -1e300, 1e300, np.inf, np.nan]))
    assert np.all(y[:4] == 0) and np.isnan(y[4])
