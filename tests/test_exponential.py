"""Exponential-family specifics: CELU and ISRLU against mpmath and their limits,
ISRLU over the whole float range, and CELU's and ELU's far left tails, where a
quotient or an exponential underflows before the product that brings it back.

Expected values are written from the definitions and mpmath, never read back from
the code under test.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from conftest import strict

import activations as act

FLOATS = [np.float16, np.float32, np.float64]
XS = np.array([-1e4, -7.5, -2.0, -1.0, -0.3, -1e-9, 0.0, 1e-9, 0.3, 1.0, 2.0, 1e4])


def test_celu_with_alpha_one_is_elu():
    np.testing.assert_array_equal(act.get("celu")(XS), act.get("elu")(XS))


@pytest.mark.parametrize("alpha", [0.5, 2.0, 3.0])
def test_celu_against_mpmath(alpha):
    a = act.get("celu")
    mpmath.mp.dps = 40
    for t in (-20.0, -1.0, -1e-6, 0.5, 3.0):
        ref = t if t > 0 else alpha * mpmath.expm1(mpmath.mpf(t) / alpha)
        dref = 1 if t > 0 else mpmath.exp(mpmath.mpf(t) / alpha)
        assert a(t, alpha=alpha) == pytest.approx(float(ref), rel=4e-16)
        assert a.derivative(t, alpha=alpha) == pytest.approx(float(dref), rel=4e-16)


def test_celu_is_c1_at_zero_for_every_alpha():
    a = act.get("celu")
    for alpha in (0.1, 1.0, 5.0):
        assert a.derivative(0.0, alpha=alpha) == 1.0
        assert a.derivative(-1e-12, alpha=alpha) == pytest.approx(1.0, abs=1e-10)


@pytest.mark.parametrize("alpha", [0.1, 1.0, 3.0])
def test_isrlu_against_mpmath_and_its_limit(alpha):
    a = act.get("isrlu")
    mpmath.mp.dps = 40
    for t in (-1e300, -1e10, -3.0, -1e-200, 2.0):
        tt = mpmath.mpf(t)
        ref = tt if t >= 0 else tt / mpmath.sqrt(1 + alpha * tt**2)
        dref = 1 if t >= 0 else (1 + alpha * tt**2) ** mpmath.mpf(-1.5)
        assert a(t, alpha=alpha) == pytest.approx(float(ref), rel=1e-15)
        assert a.derivative(t, alpha=alpha) == pytest.approx(float(dref), rel=1e-15)
    assert a(-np.inf, alpha=alpha) == pytest.approx(-1 / np.sqrt(alpha), rel=1e-15)


def test_isrlu_with_alpha_zero_is_the_identity():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        out = act.get("isrlu")(np.array([-np.inf, -1e300, -2.0, 3.0]), alpha=0.0)
    np.testing.assert_array_equal(out, [-np.inf, -1e300, -2.0, 3.0])


def _mp(v) -> mpmath.mpf:
    return mpmath.mpf(float(v))


@pytest.mark.parametrize("dtype", FLOATS)
def test_isrlu_is_exact_over_the_whole_range(dtype):
    """x / sqrt(1 + alpha x^2) overflowed in alpha x^2: isrlu(-1e308, 4) was -0.0."""
    mpmath.mp.dps = 60
    a = act.get("isrlu")
    info = np.finfo(dtype)
    xs = -np.array([info.max, info.max / 3, 1e308, 1e200, 1e30, 1e4, 300.0, 1.5,
                    1.0, 0.75, 1e-3, float(info.tiny)])
    xs = xs[-xs <= info.max].astype(dtype)
    for alpha in (4.0, 1.0, 0.1, 1e-30, 1e30):
        with strict():
            y, d = a(xs, alpha=alpha), a.derivative(xs, alpha=alpha)
        for x, yv, dv in zip(xs, y, d, strict=True):
            q = 1 + alpha * _mp(x) ** 2
            # f' = r^3 is three roundings on r: condition 3
            for got, ref, ulps in ((yv, _mp(x) / mpmath.sqrt(q), 2),
                                   (dv, q ** -1.5, 6)):
                want = float(np.asarray(float(ref)).astype(dtype))
                ulp = info.eps * max(abs(want), info.tiny)
                assert abs(float(got) - want) <= ulps * ulp, (alpha, x, got, ref)
    assert a(-1e308, alpha=4.0) == -0.5
    assert a(-np.inf, alpha=4.0) == -0.5
    assert a.derivative(-np.inf, alpha=4.0) == 0.0


def _rounded(ref, dtype) -> float:
    with np.errstate(over="ignore"):  # beyond the range: inf, correctly rounded
        return float(np.asarray(float(ref)).astype(dtype))


@pytest.mark.parametrize(("x", "alpha", "dtype"), [
    (-6e-40, 1e300, np.float64),
    (-1e-300, 1e10, np.float64),
    (-5.9e-39, 1e30, np.float32),
    (-1.0, 1e39, np.float32),
    (-3.05e-05, 4.3556142965880123e+40, np.float16),
    (-1.0, 3.4028235677973366e+38, np.float16),
    (-60000.0, 1e9, np.float16),
])
def test_celu_where_the_phase_x_over_alpha_underflows(x, alpha, dtype):
    """alpha expm1(x/alpha) is x (1 + x/(2 alpha)) where x/alpha is below epsilon,
    but the quotient underflowed: celu(-6e-40, alpha=1e300) was -0.0, and
    celu(float16(-3.05e-5), alpha=4.4e40) 512 ulps off."""
    mpmath.mp.dps = 60
    a = act.get("celu")
    xs = np.array([x], dtype=dtype)
    with strict():
        y, (y2, _) = a(xs, alpha=alpha), a.value_and_derivative(xs, alpha=alpha)
    ref = mpmath.mpf(alpha) * mpmath.expm1(_mp(xs[0]) / mpmath.mpf(alpha))
    want = _rounded(ref, dtype)
    assert float(y[0]) == want and float(y2[0]) == want, (y, y2, ref)


@pytest.mark.parametrize(("x", "alpha", "dtype"), [
    (-1000.0, 1e300, np.float64),
    (-740.0, 1e10, np.float64),
    (-800.0, 1e308, np.float64),
    (-100.0, 1e30, np.float32),
    (-120.0, 1e30, np.float32),
    (-1.0, 1e39, np.float32),
    (-12.0, 1e4, np.float16),
])
def test_elu_slope_where_exp_x_alone_is_subnormal(x, alpha, dtype):
    """alpha e^x with e^x rounded to a subnormal (or 0) before the product:
    elu'(-1000, alpha=1e300) was 0.0 (truth 5.08e-135), and in float32
    elu'(-100, alpha=1e30) was 3.78e-14 (truth 3.72e-14)."""
    mpmath.mp.dps = 60
    a = act.get("elu")
    xs = np.array([x], dtype=dtype)
    with strict():
        d, (_, d2) = a.derivative(xs, alpha=alpha), a.value_and_derivative(
            xs, alpha=alpha)
    ref = mpmath.mpf(alpha) * mpmath.exp(_mp(xs[0]))
    want = _rounded(ref, dtype)
    # e^(x + ln alpha) in float64: the rounding of x + ln alpha, condition |x|
    tol = abs(x) * float(np.finfo(dtype).eps) * abs(want) if dtype == np.float64 else 0
    for got in (d[0], d2[0]):
        assert float(got) == want or abs(float(got) - want) <= tol, (got, ref)


# --- PELU -------------------------------------------------------------------------


@pytest.mark.parametrize(("a_", "b_"), [(1.0, 1.0), (2.0, 0.5), (0.3, 4.0)])
def test_pelu_against_mpmath(a_, b_):
    """(a/b) x on the right, a(e^{x/b} - 1) on the left, and the partials
    x/b, e^{x/b} - 1 and -a x/b^2, -a x e^{x/b}/b^2, from mpmath at 50 digits."""
    a = act.get("pelu")
    mpmath.mp.dps = 50
    A, B = mpmath.mpf(a_), mpmath.mpf(b_)
    for x in XS:
        t = mpmath.mpf(float(x))
        if x >= 0:
            f, d, pa, pb = A / B * t, A / B, t / B, -A * t / B**2
        else:
            e = mpmath.exp(t / B)
            f, d, pa, pb = A * mpmath.expm1(t / B), A / B * e, mpmath.expm1(t / B), \
                -A * t * e / B**2
        for got, want in ((a(x, a=a_, b=b_), f), (a.derivative(x, a=a_, b=b_), d),
                          (a.partial(x, "a", a=a_, b=b_), pa),
                          (a.partial(x, "b", a=a_, b=b_), pb)):
            assert float(got) == pytest.approx(float(want), rel=1e-15, abs=1e-300)


def test_pelu_is_elu_at_its_initial_parameters_and_c1_at_zero():
    np.testing.assert_array_equal(act.get("pelu")(XS), act.get("elu")(XS))
    a = act.get("pelu")
    # both sides of the slope meet at a/b: 2.5 / 0.5 = 5
    left = float(a.derivative(-1e-12, a=2.5, b=0.5))
    assert left == pytest.approx(5.0, rel=1e-11)
    assert a.derivative(0.0, a=2.5, b=0.5) == 5.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pelu_far_left(dtype):
    """-a at -inf, slope and d/db tending to 0 without a NaN; the slope where
    e^{x/b} alone is subnormal but (a/b) e^{x/b} is not."""
    a = act.get("pelu")
    x = np.array([-np.inf, -1e30], dtype=dtype)
    with strict():
        assert a(x, a=3.0).tolist() == [-3.0, -3.0]
        assert a.derivative(x).tolist() == [0.0, 0.0]
        assert a.partial(x, "b").tolist() == [0.0, 0.0]
        assert a.partial(x, "a").tolist() == [-1.0, -1.0]
    mpmath.mp.dps = 30
    t = -88.0 if dtype == np.float32 else -708.0  # e^t subnormal, 10 e^t normal
    want = 10 * mpmath.exp(mpmath.mpf(t))
    got = a.derivative(np.array([t], dtype=dtype), a=10.0, b=1.0)[0]
    # within 4 ULP scaled by the condition |t| of the exponential
    tol = 4 * abs(t) * float(np.finfo(dtype).eps)
    assert float(got) == pytest.approx(float(want), rel=tol)


# --- PDELU ------------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "t"), [(1.0, 0.9), (2.0, 0.5), (0.5, 0.99)])
def test_pdelu_against_mpmath(alpha, t):
    """x on the right; alpha((1 + (1-t)x)^(1/(1-t)) - 1) on the left, -alpha
    from x = -1/(1-t) down (the base clamped at 0, as in the authors' layer);
    the slope alpha (1 + (1-t)x)^(t/(1-t)) and the partial in alpha, from mpmath
    with t as the fraction it stands for."""
    a = act.get("pdelu")
    mpmath.mp.dps = 50
    A, T = mpmath.mpf(alpha), mpmath.mpf(mpmath.fraction(round(t * 100), 100))
    s = 1 - T
    for x in [-1e4, -150.0, -10.0, -9.5, -3.0, -1.0, -0.3, -1e-9, -1e-300, 0.0, 2.0]:
        m = mpmath.mpf(x)
        if x > 0:
            f, d, p = m, mpmath.mpf(1), mpmath.mpf(0)
        elif 1 + s * m <= 0:
            f, d, p = -A, mpmath.mpf(0), mpmath.mpf(-1)
        else:  # g - 1 as expm1 of the logarithm: no cancellation near 0
            gm1 = mpmath.expm1(mpmath.log1p(s * m) / s)
            f, d, p = A * gm1, A * (1 + s * m) ** (T / s), gm1
        # the slope's condition number |x f''/f'| = |t x / (1 + (1-t)x)|, large
        # next to the clamp: a rounding of x moves the base by that much
        cond = 0 if x > 0 or 1 + s * m <= 0 else float(abs(T * m / (1 + s * m)))
        p_ = {"alpha": alpha, "t": t}
        for got, want, rel in ((a(x, **p_), f, 1e-15),
                               (a.derivative(x, **p_), d, 1e-15 * (1 + cond)),
                               (a.partial(x, "alpha", **p_), p, 1e-15)):
            assert float(got) == pytest.approx(float(want), rel=rel, abs=1e-300)


def test_pdelu_tends_to_elu_as_t_tends_to_one():
    """(1 + (1-t)x)^(1/(1-t)) -> e^x: at t = 0.99 within 1% of the ELU on [-3, 0]."""
    z = np.linspace(-3, 0, 61)
    near = act.get("pdelu")(z, t=0.99)
    np.testing.assert_allclose(near, np.expm1(z), rtol=0.05, atol=1e-2)
    assert np.all(np.abs(near - np.expm1(z)) <= np.abs(
        act.get("pdelu")(z, t=0.9) - np.expm1(z)))


def test_pdelu_is_flat_beyond_the_clamp():
    a = act.get("pdelu")
    x = np.array([-np.inf, -1e300, -10.0, -10.000001], dtype=np.float64)
    with strict():
        assert a(x).tolist() == [-1.0] * 4
        assert a.derivative(x).tolist() == [0.0] * 4
