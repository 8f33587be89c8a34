"""Numerics: dtypes kept, NaN and infinities, no warnings on the whole float range."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import symbolic, verify

NAMES = act.names()
ELEMENTWISE = act.names(elementwise=True)
FLOATS = [np.float16, np.float32, np.float64]



@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float_dtype_is_kept(name, dtype):
    a = act.get(name)
    xs = np.linspace(-3, 3, 7, dtype=dtype)
    assert a(xs).dtype == dtype
    assert a.derivative(xs).dtype == dtype


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_big_endian_input_keeps_its_float_type_and_values(name, dtype):
    a = act.get(name)
    xs = np.linspace(-3, 3, 7, dtype=dtype)
    swapped = xs.astype(xs.dtype.newbyteorder(">" if xs.dtype.isnative else "<"))
    for f in (a, a.derivative):
        out = f(swapped)
        assert out.dtype == dtype  # native byte order, same precision
        np.testing.assert_array_equal(out, f(xs))


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, bool])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_integers_and_bools_give_float64(name, dtype):
    a = act.get(name)
    xs = np.array([0, 1, 1], dtype=dtype)
    assert a(xs).dtype == np.float64
    assert a.derivative(xs).dtype == np.float64
    np.testing.assert_array_equal(a(xs), a(xs.astype(np.float64)))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float16_is_the_rounded_float32_result(name):
    a = act.get(name)
    xs = np.linspace(-8, 8, 401).astype(np.float16)
    expected = a(xs.astype(np.float32)).astype(np.float16)
    np.testing.assert_array_equal(a(xs), expected)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_nan_in_nan_out_at_that_position(name, dtype):
    a = act.get(name)
    xs = np.array([1.0, np.nan, -1.0], dtype=dtype)
    for out in (a(xs), a.derivative(xs)):
        assert np.isnan(out[1]) and not np.isnan(out[0]) and not np.isnan(out[2])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_infinities_give_the_sympy_limits(name, dtype):
    a = act.get(name)
    expr = a.expr(**{k: p.default for k, p in a.params.items()})
    # A function that oscillates for ever (sin x) has no limit: SymPy answers
    # AccumBounds(-1, 1), and the activation must answer NaN.
    lo, hi = (np.nan if isinstance(v, sp.AccumBounds) else float(v)
              for v in symbolic.limits(expr))
    dlo, dhi = (np.nan if isinstance(v, sp.AccumBounds) else float(v)
                for v in symbolic.limits(sp.diff(expr, symbolic.x)))
    xs = np.array([-np.inf, np.inf], dtype=dtype)
    np.testing.assert_array_equal(a(xs), np.array([lo, hi], dtype=dtype))
    np.testing.assert_array_equal(a.derivative(xs), np.array([dlo, dhi], dtype=dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_warning_over_the_whole_float_range(name, dtype):
    a = act.get(name)
    info = np.finfo(dtype)
    mags = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1.0, 30.0, 1e4,
            np.sqrt(info.max), info.max, np.inf]
    xs = np.array([s * m for m in mags for s in (-1, 1)] + [np.nan], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, d = a(xs), a.derivative(xs)
    # Finite wherever the exact value fits in the format (exp(1e4) does not).
    expr = a.expr(**{k: p.default for k, p in a.params.items()})
    mpmath.mp.dps = 50
    for got, e, where in ((f, expr, np.abs(xs) < 1e4),
                          (d, sp.diff(expr, symbolic.x), np.isfinite(xs))):
        fn = sp.lambdify(symbolic.x, e, "mpmath")
        for t, v in zip(xs[where], got[where], strict=True):
            fits = abs(fn(mpmath.mpf(float(t)))) <= info.max
            assert np.isfinite(v) or not fits, f"{name} is {v} at x={t}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_tails_keep_relative_accuracy(name):
    """Far from 0 the value and slope keep their digits (no 1 - 1 cancellation)."""
    a = act.get(name)
    xs = np.array([-30.0, -12.0, 12.0, 30.0])
    expr = a.expr(**{k: p.default for k, p in a.params.items()})
    mpmath.mp.dps = 600  # 1 + erf(-30/sqrt 2) needs some 200 digits to survive
    for got, e in ((a(xs), expr), (a.derivative(xs), sp.diff(expr, symbolic.x))):
        fn = sp.lambdify(symbolic.x, e, "mpmath")
        ref = np.array([float(fn(mpmath.mpf(t))) for t in xs])
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_value_and_derivative_is_the_pair(name, dtype):
    """The fused call returns exactly what the forward pass and derivative return,
    at every parameter set the accuracy checks use, kinks and specials included."""
    a = act.get(name)
    info = np.finfo(dtype)
    specials = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1e4, info.max,
                np.inf]
    rng = np.random.default_rng(1)
    for p in verify.param_sets(a, dtype=dtype):
        xs = np.concatenate([
            verify.grid(a, dtype=dtype, **p),
            [k for k in a.kink_points(**p) if abs(k) <= float(info.max)],  # 1e30: f16
            4 * rng.standard_normal(200),
            specials, np.negative(specials), [np.nan],
        ]).astype(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            y, dy = a.value_and_derivative(xs, **p)
        np.testing.assert_array_equal(y, a(xs, **p), err_msg=f"{name} f at {p}")
        np.testing.assert_array_equal(dy, a.derivative(xs, **p),
                                      err_msg=f"{name} f' at {p}")
        assert y.dtype == dy.dtype == dtype
    y, dy = a.value_and_derivative(0.5)
    assert np.ndim(y) == np.ndim(dy) == 0
