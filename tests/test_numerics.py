"""Numerics: dtypes kept, NaN and infinities, no warnings on the whole float range."""

from __future__ import annotations

import contextlib
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
SIGNALLING_NAN = {np.float16: (np.uint16, 0x7D00), np.float32: (np.uint32, 0x7FA00000),
                  np.float64: (np.uint64, 0x7FF4000000000000)}


@contextlib.contextmanager
def strict():
    """Every floating-point warning an error, and the caller's np.errstate set to
    raise on everything: the promise holds under any np.errstate."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


def signalling_nan(dtype) -> np.ndarray:
    """A signalling NaN of ``dtype`` (exponent all ones, quiet bit clear), and its
    negative."""
    uint, bits = SIGNALLING_NAN[dtype]
    sign = 1 << (8 * np.dtype(uint).itemsize - 1)
    return np.array([bits, bits | sign], dtype=uint).view(dtype)


def extremes(dtype) -> np.ndarray:
    """0, +-subnormal, +-tiny, +-eps, +-1, +-30, +-1e4, +-sqrt(max), +-largest
    finite, +-inf, NaN and signalling NaNs, in ``dtype``."""
    info = np.finfo(dtype)
    mags = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1.0, 30.0, 1e4,
            np.sqrt(info.max), info.max, np.inf]
    xs = np.array([s * m for m in mags for s in (-1, 1)] + [np.nan], dtype=dtype)
    return np.concatenate([xs, signalling_nan(dtype)])



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
    with strict():
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
    for p in verify.param_sets(a):
        xs = np.concatenate([
            verify.grid(a, **p), a.kink_points(**p), 4 * rng.standard_normal(200),
            specials, np.negative(specials), [np.nan],
        ]).astype(dtype)
        with strict():
            y, dy = a.value_and_derivative(xs, **p)
        np.testing.assert_array_equal(y, a(xs, **p), err_msg=f"{name} f at {p}")
        np.testing.assert_array_equal(dy, a.derivative(xs, **p),
                                      err_msg=f"{name} f' at {p}")
        assert y.dtype == dy.dtype == dtype
    y, dy = a.value_and_derivative(0.5)
    assert np.ndim(y) == np.ndim(dy) == 0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_floating_point_error_under_any_errstate(name, dtype):
    """With np.errstate(all="raise") and warnings as errors, no value, derivative,
    fused pair or partial raises, at any parameter set the accuracy checks use, on
    the extremes of the format, NaN and signalling NaN included.  Underflow is
    exempt (gradual underflow is the correct result); overflow, invalid and divide
    are bugs."""
    a = act.get(name)
    xs = extremes(dtype)
    for p in verify.param_sets(a):
        with strict():
            outs = [a(xs, **p), a.derivative(xs, **p), *a.value_and_derivative(xs, **p)]
            outs += [a.partial(xs, k, **p) for k in a.learnable]
        for out in outs:
            assert out.dtype == dtype
            # NaN in gives NaN out, signalling NaN too (now quiet)
            assert np.all(np.isnan(out[-3:])), f"{name} at {p}"


@pytest.mark.parametrize("dtype", FLOATS)
def test_signalling_nan_comes_out_quiet_nan(dtype):
    x = signalling_nan(dtype)
    y = act.get("relu")(x)
    assert np.all(np.isnan(y))
    y = act.get("identity")(x)
    assert np.all(np.isnan(y))
    with strict():
        np.multiply(y, y)  # a quiet NaN: no "invalid"


def test_log_log_derivative_is_ordinary_under_errstate_raise():
    """exp(-e^7) underflows to 0, the correctly rounded f'(7) = e^(7 - e^7)."""
    ref = mpmath.exp(7 - mpmath.exp(7))
    assert float(ref) == 0.0
    with strict():
        assert act.get("log_log").derivative(7.0) == 0.0
        # the condition number of e^(x - e^x) is about e^x = 403
        np.testing.assert_allclose(act.get("log_log").derivative(6.0),
                                   float(mpmath.exp(6 - mpmath.exp(6))), rtol=1e-12)
