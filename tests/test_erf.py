"""The vectorised erfc and normal CDF (``activations._erf``) against mpmath at 50
digits, over the whole float range, in condition-scaled ULP; and Cody's
coefficients against the functions they approximate."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

from activations import _erf
from activations.verify import ULP_TOLERANCE, _scaled_ulp

FLOATS = [np.float32, np.float64]


@pytest.fixture(autouse=True)
def _precision():
    """mpmath at 50 digits in each test of this module (set at import, the
    precision would hold for every module imported after this one)."""
    with mpmath.workdps(50):
        yield


def _mp(t) -> mpmath.mpf:
    return mpmath.mpf(float(t))


# Beyond |t| = 1e4 mpmath's erfc overflows an int; there the functions are their
# limits to far below the smallest subnormal, and the asymptotic forms are exact
# enough (relative error 1/t^2).
FAR = 1e4


def _ncdf(t):
    if abs(t) > FAR:
        tail = _npdf(t) / abs(_mp(t))
        return tail if t < 0 else 1 - tail
    return mpmath.ncdf(_mp(t))


def _npdf(t):
    return mpmath.npdf(_mp(t))


def _dnpdf(t):
    return -_mp(t) * mpmath.npdf(_mp(t))


def _erfc(t):
    if abs(t) > FAR:
        tail = mpmath.exp(-_mp(t) ** 2) / (abs(_mp(t)) * mpmath.sqrt(mpmath.pi))
        return tail if t > 0 else 2 - tail
    return mpmath.erfc(_mp(t))


def _derfc(t):
    return -2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-_mp(t) ** 2)


def _grid(dtype, lo: float, hi: float) -> np.ndarray:
    """A dense grid over [lo, hi] (where the function is neither 0 nor 1 nor
    constant), the tiny and the huge, both signs, subnormals and the extremes."""
    info = np.finfo(dtype)
    mags = np.geomspace(float(info.smallest_subnormal), float(info.max) / 2, 600)
    mags = np.append(mags, float(info.max))
    xs = np.concatenate([np.linspace(lo, hi, 4001), mags, -mags, [0.0, -0.0]])
    xs = xs.astype(dtype)
    return np.unique(xs[np.isfinite(xs)])


def _ulp(got, xs, f, df, dtype) -> tuple[float, float]:
    info = np.finfo(dtype)
    with mpmath.workdps(50):
        ref = [f(t) for t in xs]
        dref = [df(t) for t in xs]
    err = _scaled_ulp(got, ref, dref, xs, float(info.eps),
                      float(info.smallest_subnormal))
    i = int(np.argmax(err))
    return float(err[i]), float(xs[i])


def _quiet(fn, x):
    """``fn(x)`` with every floating-point warning an error but underflow, which
    is the correct result in a tail."""
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        return fn(x)


# The grids reach past the last x where the result is a positive subnormal
# (Phi(-38.5) = 5e-324 in float64, Phi(-14.1) = 1e-45 in float32).
RANGE = {np.float32: (-15.0, 6.0), np.float64: (-40.0, 9.0)}


@pytest.mark.parametrize("dtype", FLOATS)
def test_ndtr_within_tolerance_of_mpmath(dtype):
    xs = _grid(dtype, *RANGE[dtype])
    got = _quiet(_erf.ndtr, xs)
    assert got.dtype == dtype
    err, at = _ulp(got, xs, _ncdf, _npdf, dtype)
    assert err <= ULP_TOLERANCE, (err, at)


@pytest.mark.parametrize("dtype", FLOATS)
def test_pdf_and_x_pdf_within_tolerance_of_mpmath(dtype):
    xs = _grid(dtype, *RANGE[dtype])
    cdf, pdf = _quiet(_erf.ndtr_pdf, xs)
    assert np.array_equal(cdf, _erf.ndtr(xs))  # the pair is the value computed alone
    err, at = _ulp(pdf, xs, _npdf, _dnpdf, dtype)
    assert err <= ULP_TOLERANCE, (err, at)
    _, xpdf = _quiet(lambda t: _erf.ndtr_pdf(t, value=False, times_x=True), xs)
    err, at = _ulp(xpdf, xs, lambda t: _mp(t) * _npdf(t),
                   lambda t: (1 - _mp(t) ** 2) * _npdf(t), dtype)
    assert err <= ULP_TOLERANCE, (err, at)


# From a little before e^{-x^2/2} turns subnormal (|x| = 4.4 in float16, 13.2 in
# float32, 37.6 in float64) to past the last x where x phi(x) is not 0.
SUBNORMAL_BAND = {np.float16: (3.9, 6.0), np.float32: (12.7, 14.5),
                  np.float64: (37.1, 39.0)}


@pytest.mark.parametrize("dtype", [np.float16, *FLOATS])
@pytest.mark.parametrize("times_x", [False, True], ids=["pdf", "x_pdf"])
def test_pdf_and_x_pdf_rounded_once_where_the_exponential_is_subnormal(dtype, times_x):
    # Regression: phi(x) = c s and x phi(x) = c x s were products of a rounded
    # subnormal s = e^{-x^2/2}, so that s's error, up to half a subnormal spacing,
    # came out times the factor: x phi(x) was off by 8 spacings near x = 38.5 in
    # float64 (and by 8.9 ulp near 37.7, where it is still normal), by 3.4
    # spacings near 13.4 in float32 (5.7 ulp near 13.3); phi(x) by 0.7 spacings,
    # rounded twice. Float16, computed in float32 where s is normal, never was.
    # Not condition-scaled here: relative to the result, and where the result is
    # subnormal, within half a spacing (one rounding) of a value a few eps from
    # the truth.
    lo, hi = SUBNORMAL_BAND[dtype]
    if dtype == np.float16:   # every float16 in the band
        bits = np.arange(np.float16(lo).view(np.uint16),
                         np.float16(hi).view(np.uint16) + 1, dtype=np.uint16)
        xs = bits.view(np.float16)
    else:
        xs = np.linspace(lo, hi, 4001).astype(dtype)
    xs = np.concatenate([xs, -xs])
    _, got = _quiet(lambda t: _erf.ndtr_pdf(t, value=False, times_x=times_x), xs)
    with mpmath.workdps(50):
        ref = [_mp(t) * _npdf(t) if times_x else _npdf(t) for t in xs]
    info = np.finfo(dtype)
    eps, spacing = float(info.eps), float(info.smallest_subnormal)
    err = _scaled_ulp(got, ref, [0] * len(xs), xs, eps, spacing)  # relative
    i = int(np.argmax(err))
    assert err[i] <= ULP_TOLERANCE, (float(err[i]), float(xs[i]))
    # in spacings: the error, and half a spacing plus ULP_TOLERANCE eps relative
    sub = [j for j, r in enumerate(ref) if 0 < abs(r) < info.tiny]
    assert len(sub) > 100
    unit = _mp(spacing)   # exact: half of it would be 0 in float64
    over = [(float(abs(_mp(got[j]) - ref[j]) / unit),
             float(0.5 + ULP_TOLERANCE * eps * abs(ref[j]) / unit), float(xs[j]))
            for j in sub]
    worst = max(over, key=lambda e: e[0] - e[1])
    assert worst[0] <= worst[1], worst


@pytest.mark.parametrize("dtype", FLOATS)
def test_erfc_within_tolerance_of_mpmath(dtype):
    lo, hi = RANGE[dtype]
    xs = _grid(dtype, -hi / math.sqrt(2), -lo / math.sqrt(2))
    got = _quiet(_erf.erfc, xs)
    assert got.dtype == dtype
    err, at = _ulp(got, xs, _erfc, _derfc, dtype)
    assert err <= ULP_TOLERANCE, (err, at)


@pytest.mark.parametrize("dtype", FLOATS)
def test_left_tail_reaches_the_subnormals(dtype):
    # The last positive results: Phi just above the smallest subnormal, where an
    # exponential of a rounded x^2 would have lost all its digits to underflow.
    info = np.finfo(dtype)
    lo, _ = RANGE[dtype]
    xs = np.linspace(lo, lo + 3, 3001).astype(dtype)
    got = _quiet(_erf.ndtr, xs)
    ref = np.array([float(_ncdf(t)) for t in xs])
    sub = (ref > 0) & (ref < float(info.tiny))
    assert sub.sum() > 100
    # a few spacings (the few ulp of the computation before the last rounding, at
    # the top of the subnormals) and not 0 where the true value rounds above 0
    spacing = float(info.smallest_subnormal)
    assert np.all(np.abs(got[sub].astype(np.float64) - ref[sub]) <= 4 * spacing)
    assert np.all(got[ref >= spacing] > 0)


@pytest.mark.parametrize("dtype", FLOATS)
def test_left_tail_relative_error_is_a_few_ulp(dtype):
    # Not only condition-scaled: the splitting of x^2 keeps the tail's relative
    # error at a few ulp where a plain exp(-x*x/2) would be off by x^2/2 ulp
    # (SciPy's ndtr is off by 900 ulp near -36 in float64).
    info = np.finfo(dtype)
    lo = -37.0 if dtype == np.float64 else -13.0
    xs = np.linspace(lo, -1.0, 1501).astype(dtype)
    got = _quiet(_erf.ndtr, xs)
    worst = max(float(abs(_mp(g) - _ncdf(t)) / _ncdf(t))
                for g, t in zip(got, xs, strict=True))
    assert worst <= 6 * float(info.eps), worst / float(info.eps)


@pytest.mark.parametrize("dtype", [np.float16, *FLOATS])
def test_special_values(dtype):
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dtype=dtype)
    cdf, pdf = _quiet(_erf.ndtr_pdf, x)
    _, xpdf = _quiet(lambda t: _erf.ndtr_pdf(t, value=False, times_x=True), x)
    erfc = _quiet(_erf.erfc, x)
    for got in (cdf, pdf, xpdf, erfc):
        assert got.dtype == dtype
        assert np.isnan(got[0])
    np.testing.assert_array_equal(cdf[1:], [1.0, 0.0, 0.5, 0.5])
    np.testing.assert_array_equal(pdf[1:3], [0.0, 0.0])
    np.testing.assert_array_equal(xpdf[1:], [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(erfc[1:], [0.0, 2.0, 1.0, 1.0])
    assert pdf[3] == pdf[4] == dtype(1 / math.sqrt(2 * math.pi))


@pytest.mark.parametrize("dtype", FLOATS)
def test_scalars_and_shapes(dtype):
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)[:, ::2]  # not contiguous
    got = _erf.ndtr(x)
    assert got.shape == (3, 2) and got.dtype == dtype
    np.testing.assert_array_equal(got, _erf.ndtr(np.ascontiguousarray(x)))
    assert _erf.ndtr(np.asarray(dtype(0.0))).shape == ()


@pytest.mark.parametrize("dtype", FLOATS)
def test_agrees_with_scipy(dtype):
    # An independent implementation of the same functions (Cephes, in float64):
    # it differs only in the last digits, by at most the sum of both errors.
    special = pytest.importorskip("scipy.special")
    xs = np.random.default_rng(1).normal(0, 6, 20_000).astype(dtype)
    ours, theirs = _erf.ndtr(xs), special.ndtr(xs)
    info = np.finfo(dtype)
    scale = (np.abs(theirs) + np.abs(xs * _erf.ndtr_pdf(xs)[1])) * info.eps
    assert np.all(np.abs(ours - theirs) <= 2 * ULP_TOLERANCE * np.maximum(
        scale, info.smallest_subnormal))
    z = xs / np.sqrt(dtype(2))
    ours, theirs = _erf.erfc(z), special.erfc(z)
    rel = np.abs(ours - theirs) / np.maximum(theirs, info.tiny)
    assert np.all(rel[np.abs(z) < 4] <= 8 * info.eps)


# --- Cody's coefficients, checked by the accuracy they claim -----------------------
#
# Each rational function is evaluated exactly (mpmath, 50 digits) with the
# coefficients as written, and compared with the function it approximates on its
# interval. A digit wrong in any coefficient breaks the bound: Cody's functions are
# good to about 18 significant digits, and the coefficients as float64 rounds them
# to within half an ulp of float64 (the first interval's A[3]/B[3], the slope at 0,
# carries their rounding, 1.0e-16).

HALF_ULP = 2.0 ** -53

def _horner(coefs, t):
    acc = mpmath.mpf(0)
    for c in coefs:
        acc = acc * t + mpmath.mpf(c)
    return acc


def _worst_relative(approx, exact, points) -> float:
    with mpmath.workdps(50):
        return max(float(abs(approx(t) / exact(t) - 1)) for t in points)


def _mid_ratio(y):
    # num = C8 y^8 + C0 y^7 + ... + C6 y + C7, den = y^8 + D0 y^7 + ... + D7
    num = _horner((_erf._C[8], *_erf._C[:8]), y)
    den = _horner((1.0, *_erf._D), y)
    return num / den


def test_first_interval_coefficients():
    # erf(y) = y A(y^2) / B(y^2), |y| <= 0.46875
    def approx(y):
        w = y * y
        return y * _horner((_erf._A[4], *_erf._A[:4]), w) / _horner((1.0, *_erf._B), w)

    pts = [mpmath.mpf(k) / 1000 * 0.46875 for k in range(1, 1001)]
    assert _worst_relative(approx, mpmath.erf, pts) < HALF_ULP


def test_second_interval_coefficients():
    # erfc(y) = e^{-y^2} C(y) / D(y), 0.46875 <= y <= 4
    pts = [0.46875 + (4 - 0.46875) * mpmath.mpf(k) / 1000 for k in range(1001)]
    assert _worst_relative(_mid_ratio, lambda y: mpmath.erfc(y) * mpmath.exp(y * y),
                           pts) < HALF_ULP


def test_third_interval_coefficients():
    # erfc(y) = e^{-y^2} / y (1/sqrt(pi) - w P(w) / Q(w)), w = 1/y^2, y >= 4
    def approx(y):
        w = 1 / (y * y)
        r = w * _horner((_erf._P[5], *_erf._P[:5]), w) / _horner((1.0, *_erf._Q), w)
        return (mpmath.mpf(_erf._SQRPI) - r) / y

    pts = [4 + mpmath.mpf(k) / 10 for k in range(0, 400)] + [mpmath.mpf(1e3), 1e6]
    assert _worst_relative(approx, lambda y: mpmath.erfc(y) * mpmath.exp(y * y),
                           pts) < HALF_ULP


def test_float32_ratio_covers_the_whole_range():
    # float32's one ratio P(y)/Q(y), degrees 4/5 (Q monic): from 0 to past the
    # point where float32's Phi underflows (y = 14.1 / sqrt 2), within a ninth of
    # float32's rounding unit (6e-8) of e^{y^2} erfc(y), evaluated exactly on the
    # stored coefficients; exactly 1 at 0 (P(0) = Q(0), in float32 too).
    def ratio(y):
        return (_horner(_erf._P32[::-1], y)
                / _horner((1.0, *_erf._Q32[::-1]), y))

    pts = [mpmath.mpf(_erf._Y32) * k / 2000 for k in range(0, 2001)]  # as fitted
    worst = _worst_relative(ratio, lambda y: mpmath.erfc(y) * mpmath.exp(y * y), pts)
    assert worst < 7e-9
    assert np.float32(_erf._P32[0]) == np.float32(_erf._Q32[0])
    assert all(c > 0 for c in _erf._P32 + _erf._Q32)  # Horner adds, never cancels


def test_gelu32_is_the_accurate_pair_except_the_exponential():
    # gelu32 takes exp(-fl(x^2)/2) without the correction: against ndtr_pdf's
    # Phi and x phi (which carry it) the difference stays within x^2/2 ulp plus
    # the roundings of the two ways; below -13.2 it hands the elements back.
    x = np.linspace(-13.0, 8.0, 4001, dtype=np.float32)
    y, dy = np.empty_like(x), np.empty_like(x)
    left = _erf.gelu32(x, y, dy, -13.0)
    assert left is None
    cdf, xpdf = _erf.ndtr_pdf(x, times_x=True)
    eps = float(np.finfo(np.float32).eps)
    bound = (x.astype(np.float64) ** 2 / 2 + 4) * eps
    rel = np.abs(y.astype(np.float64) / (x * cdf) - 1)
    assert np.all(rel[x != 0] <= bound[x != 0])
    z = np.array([-14.0, -np.inf, 1.0, 20.0, np.inf, np.nan], dtype=np.float32)
    y, dy = np.empty_like(z), np.empty_like(z)
    assert _erf.gelu32(z, y, dy, -13.2).tolist() == [0, 1]
    assert y[3:5].tolist() == [20.0, np.inf] and dy[3:5].tolist() == [1.0, 1.0]
    assert np.isnan(y[5]) and np.isnan(dy[5])


def test_normal_cdf_reaches_the_subnormals_in_float64():
    # Regression: with scipy.special.ndtr the normal CDF was 0 from x = -37.5 down,
    # where Phi is still a subnormal number as large as 1e-308 (the Cephes erfc it
    # calls returns 0 once x^2 passes the log of the smallest normal number).
    import activations as act

    xs = np.linspace(-38.45, -37.5, 96)
    got = _quiet(act.get("normal_cdf"), xs)
    assert np.all(got > 0)
    err, at = _ulp(got, xs, _ncdf, _npdf, np.float64)
    assert err <= ULP_TOLERANCE, (err, at)
