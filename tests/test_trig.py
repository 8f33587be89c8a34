"""Sine and cosine together (``activations._trig``) against mpmath, over the
whole float64 range, in condition-scaled ULP; the special values; and the
constants of the range reduction against their definitions."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activations import _trig
from activations.verify import _scaled_ulp

EPS = float(np.finfo(np.float64).eps)
TINY = float(np.finfo(np.float64).smallest_subnormal)


@pytest.fixture(autouse=True)
def _precision():
    with mpmath.workdps(40):
        yield


def _sincos(x):
    x = np.asarray(x, dtype=np.float64)
    s, c = np.empty_like(x), np.empty_like(x)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        _trig.sincos(x, s, c)
    return s, c


def _errors(xs):
    """Condition-scaled ULP of sin and of cos at each x, against mpmath."""
    s, c = _sincos(xs)
    ts = [mpmath.mpf(float(t)) for t in xs]
    ms, mc = [mpmath.sin(t) for t in ts], [mpmath.cos(t) for t in ts]
    es = _scaled_ulp(s, ms, mc, xs, EPS, TINY)
    ec = _scaled_ulp(c, mc, [-v for v in ms], xs, EPS, TINY)
    return es, ec


def _inputs():
    rng = np.random.default_rng(1)
    step = math.pi / _trig.STEPS
    k = rng.integers(-(2 ** 18), 2 ** 18, 3000)
    return np.concatenate([
        rng.standard_normal(3000) * 4,
        rng.uniform(-_trig.FAR, _trig.FAR, 3000),
        # the ends of the reduction's interval, where |r| is largest ...
        (k + 0.5) * step * (1 + rng.uniform(-1e-12, 1e-12, 3000)),
        # ... and the table's points and the zeros of sin and cos, where r is tiny
        k * step, np.arange(-2000, 2000) * math.pi,
        (np.arange(-2000, 2000) + 0.5) * math.pi,
        np.geomspace(TINY, 1, 1000), -np.geomspace(TINY, 1, 1000),
        np.geomspace(_trig.FAR, 1.7e308, 300), -np.geomspace(_trig.FAR, 1.7e308, 300),
    ])


def test_within_one_ulp_of_mpmath():
    xs = _inputs()
    es, ec = _errors(xs)
    assert es.max() <= 1.0, (es.max(), xs[es.argmax()])
    assert ec.max() <= 1.0, (ec.max(), xs[ec.argmax()])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_double_within_one_ulp_of_mpmath(x):
    es, ec = _errors(np.array([x]))
    assert es[0] <= 1.0 and ec[0] <= 1.0, (es[0], ec[0])


def test_special_values():
    s, c = _sincos([0.0, -0.0, math.inf, -math.inf, math.nan])
    assert s[:2].tolist() == [0.0, 0.0] and np.signbit(s[:2]).tolist() == [False, True]
    assert c[:2].tolist() == [1.0, 1.0]
    assert np.isnan(s[2:]).all() and np.isnan(c[2:]).all()


def test_far_elements_are_numpy_s_across_blocks():
    """Elements beyond FAR, and the infinities, scattered over several blocks,
    get np.sin and np.cos bit for bit; the near ones beside them are unaffected."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal(200_000) * 3
    at = rng.choice(x.size, 500, replace=False)
    x[at] = rng.uniform(_trig.FAR * 1.01, 1e300, at.size) * rng.choice([-1, 1], at.size)
    x[at[:4]] = [math.inf, -math.inf, _trig.FAR * 1.0000001, -1.7e308]
    s, c = _sincos(x)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(s[at], np.sin(x[at]))
        np.testing.assert_array_equal(c[at], np.cos(x[at]))
    near = np.setdiff1d(np.arange(x.size), at)[:1000]
    s_near, c_near = _sincos(x[near])
    np.testing.assert_array_equal(s[near], s_near)
    np.testing.assert_array_equal(c[near], c_near)


def test_either_output_alone_is_the_same():
    x = np.random.default_rng(3).standard_normal(5000) * 10
    s, c = _sincos(x)
    s1, c1 = np.empty_like(x), np.empty_like(x)
    _trig.sincos(x, s1, None)
    _trig.sincos(x, None, c1)
    np.testing.assert_array_equal(s, s1)
    np.testing.assert_array_equal(c, c1)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_narrow_floats_are_numpy_s(dtype):
    x = (np.random.default_rng(4).standard_normal(1000) * 4).astype(dtype)
    s, c = np.empty_like(x), np.empty_like(x)
    _trig.sincos(x, s, c)
    np.testing.assert_array_equal(s, np.sin(x))
    np.testing.assert_array_equal(c, np.cos(x))


def test_reduction_constants():
    """P1 has HEAD_BITS significant bits, so k P1 is exact for every k below FAR;
    P1 + P2 is pi/STEPS to within P2's half ulp; the polynomials' first omitted
    Taylor terms are below a fiftieth of float64's rounding unit on |r| <=
    pi/(2 STEPS); the tables hold sin and cos of k pi/STEPS correctly rounded
    (0 exactly at the multiples of pi/2), with sin 0 as -0.0."""
    m, _ = math.frexp(_trig.P1)
    assert (m * 2 ** _trig.HEAD_BITS).is_integer()
    assert _trig.FAR * _trig.STEPS / math.pi + 1 < 2 ** (53 - _trig.HEAD_BITS)
    step = mpmath.pi / _trig.STEPS
    assert abs(mpmath.mpf(_trig.P1) + _trig.P2 - step) <= math.ulp(_trig.P2) / 2
    half, ns, nc = step / 2, len(_trig.S), len(_trig.C)
    assert half ** (2 * ns + 2) / mpmath.factorial(2 * ns + 3) < 2.0 ** -59  # sin r/r
    assert half ** (2 * nc + 2) / mpmath.factorial(2 * nc + 2) < 2.0 ** -59  # cos r
    for j, s in enumerate(_trig.S, 1):
        assert s == float((-1) ** j / mpmath.factorial(2 * j + 1))
    for j, c in enumerate(_trig.C, 1):
        assert c == float((-1) ** j / mpmath.factorial(2 * j))
    for k in range(2 * _trig.STEPS):
        t = k / mpmath.mpf(_trig.STEPS)
        ref_s, ref_c = mpmath.sinpi(t), mpmath.cospi(t)
        assert abs(_trig.SIN_TABLE[k] - ref_s) <= math.ulp(float(ref_s)) / 2, k
        assert abs(_trig.COS_TABLE[k] - ref_c) <= math.ulp(float(ref_c)) / 2, k
    assert math.copysign(1, _trig.SIN_TABLE[0]) == -1
