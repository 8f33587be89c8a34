"""Numerics, the contract every activation keeps: dtypes kept, NaN and infinities, no
warnings or floating-point errors on the whole float range, accuracy against mpmath;
and the same checks run over a few activations of several families at once. A fact
about one family is in that family's test file.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from conftest import REFERENCES, strict, ulps

import activations as act
from activations import symbolic, verify

NAMES = act.names()
ELEMENTWISE = act.names(elementwise=True)
FLOATS = [np.float16, np.float32, np.float64]
SIGNALLING_NAN = {np.float16: (np.uint16, 0x7D00), np.float32: (np.uint32, 0x7FA00000),
                  np.float64: (np.uint64, 0x7FF4000000000000)}


@pytest.fixture(autouse=True)
def _precision():
    """mpmath at 60 digits in each test of this module (set at import, the
    precision would hold for every module imported after this one)."""
    with mpmath.workdps(60):
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
    for p in verify.param_sets(a, dtype=dtype):
        xs = np.concatenate([
            verify.grid(a, dtype=dtype, **p),
            [k for k in a.kink_points(**p) if abs(k) <= float(info.max)],  # 1e30: f16
            4 * rng.standard_normal(200),
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
def test_signalling_nan_is_a_nan_like_any_other(dtype):
    """NaN out, no warning, and the numbers beside it untouched (-0.0 included)."""
    x = np.concatenate([signalling_nan(dtype), np.array([-0.0, 1.0], dtype=dtype)])
    for name in ("relu", "identity", "gelu"):
        with strict():
            y = act.get(name)(x)
        assert np.all(np.isnan(y[:2]))
        np.testing.assert_array_equal(y[2:], act.get(name)(x[2:]))
    assert np.signbit(act.get("identity")(x)[2])


# --- several families at once: tiny slopes, the tails far out, no limit ------------


def _mp(v) -> mpmath.mpf:
    return mpmath.mpf(float(v))


TINY_SLOPES = [("prelu", "alpha"), ("leaky_relu", "negative_slope"),
               ("srelu", "a_left"), ("silu", "beta")]


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(("name", "param"), TINY_SLOPES)
def test_a_slope_below_the_dtype_acts_as_the_true_tiny_slope(name, param, dtype):
    """alpha = 1e-50 is 0 in float32: 0 * -inf was NaN in prelu(-inf)."""
    mpmath.mp.dps = 60
    a = act.get(name)
    info = np.finfo(dtype)
    xs = np.array([-np.inf, -info.max, -1e4, -1.0, 0.0, 1.0, info.max, np.inf],
                  dtype=dtype)
    for slope in (1e-50, 1e-40, 1e-10):
        p = {param: slope}
        e = a.expr(**{k: v.default for k, v in a.params.items()} | p)
        with strict():
            y, d = a(xs, **p), a.derivative(xs, **p)
            parts = [a.partial(xs, k, **p) for k in a.learnable]
        assert all(o.dtype == dtype for o in (y, d, *parts))
        assert not np.isnan(y).any() and not np.isnan(d).any()
        # the limits for any slope > 0: a x -> -inf (x sigma(beta x) -> 0)
        assert y[0] == (0.0 if name == "silu" else -np.inf), (slope, y)
        assert y[-1] == np.inf
        fn = sp.lambdify(symbolic.x, e, "mpmath")
        for x, yv in zip(xs[1:-1], y[1:-1], strict=True):
            ref = float(fn(_mp(x)))
            with np.errstate(over="ignore"):  # beyond the range: inf, rounded
                want = np.float64(ref).astype(dtype)
            assert yv == want or abs(float(yv) - float(want)) <= float(
                np.spacing(abs(want))), (slope, x, yv, ref)


POINTS = [-700.0, -300.0, -40.0, -20.0, -3.0, -1.0, -1e-3, -1e-9, 0.0, 1e-9, 1e-3,
          0.5, 2.0, 20.0, 37.0, 300.0, 1e6, 1e150]


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_values_far_out_in_float64(name):
    """Relative accuracy where naive formulas cancel, overflow or underflow."""
    a = act.get(name)
    ref = REFERENCES[name]
    xs = np.array(POINTS)
    got = a(xs)
    for t, g in zip(xs, got, strict=True):
        r = ref(mpmath.mpf(t))
        if abs(r) > np.finfo(np.float64).max:
            assert np.isinf(g)
            continue
        # 2 ulp for values, more where the exact result depends on t by exp(t):
        # an input rounding of t then moves the result by |t| ulp (condition).
        tol = 2.0 + (abs(t) if abs(t) < 1e4 else 0.0)
        assert ulps(float(g), r, np.float64) <= tol, (name, t, g, r)


@pytest.mark.parametrize(("name", "params"), [
    ("softplus", {"beta": 10.0}), ("softplus", {"beta": 0.25}),
    ("squareplus", {"b": 0.01}), ("squareplus", {"b": 16.0}),
    ("silu", {"beta": 0.0}), ("silu", {"beta": 5.0}),
])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_no_warning_at_non_default_parameters(name, params, dtype):
    a = act.get(name)
    info = np.finfo(dtype)
    big = 1e4 if dtype != np.float16 else 1e3
    mags = [0.0, info.smallest_subnormal, info.tiny, 1.0, big, info.max, np.inf]
    xs = np.array([s * m for m in mags for s in (-1, 1)] + [np.nan], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        f, d = a(xs, **params), a.derivative(xs, **params)
    assert np.isnan(f[-1]) and np.isnan(d[-1])
    assert not np.any(np.isnan(f[:-1])) and not np.any(np.isnan(d[:-1]))


@pytest.mark.parametrize("name", ["softplus", "log_sigmoid", "silu", "mish", "gelu",
                                  "gelu_tanh", "hard_swish"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_far_tails_inside_a_large_array(name, dtype):
    """The few far-tail elements (e^x subnormal, e^-x overflowing, infinities) are
    recomputed apart from the bulk: each gets the value it gets alone, whatever
    the array's shape, strides or other elements."""
    a = act.get(name)
    far = np.array([-np.inf, -800.0, -720.0, -100.0, -95.0, -89.0, -12.0, -0.0,
                    30.0, 41.0, 95.0, 800.0, np.inf, np.nan], dtype)
    bulk = np.linspace(-8, 8, 1001).astype(dtype)
    mixed = np.concatenate([bulk, far, bulk])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, dy = a.value_and_derivative(mixed)
        for i, t in enumerate(far):
            alone = a.value_and_derivative(t)
            np.testing.assert_array_equal([y[bulk.size + i], dy[bulk.size + i]], alone)
        grid = mixed.reshape(2, -1).T  # a strided, two-dimensional view
        y2, dy2 = a.value_and_derivative(grid)
    np.testing.assert_array_equal(y2, y.reshape(2, -1).T)
    np.testing.assert_array_equal(dy2, dy.reshape(2, -1).T)
    np.testing.assert_array_equal(a(grid), y2)
    np.testing.assert_array_equal(a.derivative(grid), dy2)


@pytest.mark.parametrize("name", ["sin", "cos", "minsin", "cosper", "snake"])
def test_no_limit_is_nan_without_warning(name):
    a = act.get(name)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        d = a.derivative(np.array([-np.inf, np.inf]))
    assert np.isnan(d[1]) and (np.isnan(d[0]) or name == "minsin")


def extreme_params(a) -> list[dict[str, float]]:
    """Each parameter alone at values far from its default, within its range:
    tiny and huge ones that float32 rounds to 0 or inf among them."""
    out = []
    for k, p in a.params.items():
        for v in (1e-300, 1e-50, 1e-40, 1e-10, 0.5, 2.0, 4.0, 1e10, 1e30, 1e300,
                  -1e-300, -1e-50, -0.5, -4.0, -1e30, -1e300, p.low, p.high):
            if math.isfinite(v) and p.low <= v <= p.high and v != p.default:
                out.append({k: v})
    return out


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_floating_point_error_at_extreme_parameters(name, dtype):
    """As above, with parameters at the far ends of their ranges (ELU's alpha =
    1e300 made 0 * inf in float32; Threshold's 1e300 overflowed in the cast)."""
    a = act.get(name)
    xs = extremes(dtype)
    for p in extreme_params(a):
        try:
            a.bind(p)
        except ValueError:  # a combination the activation refuses (rrelu's order)
            continue
        with strict():
            outs = [a(xs, **p), a.derivative(xs, **p)]
            outs += [a.partial(xs, k, **p) for k in a.learnable]
        for out in outs:
            assert np.all(np.isnan(out[-3:])), f"{name} at {p}"


@pytest.mark.parametrize("with_nan", [False, True])
def test_an_invalid_operation_in_a_kernel_still_reaches_the_caller(monkeypatch,
                                                                   with_nan):
    """Signalling NaNs are silenced, not every "invalid": inf - inf made from
    ordinary numbers still raises under np.errstate(invalid="raise"), and
    still warns under the default state, a signalling NaN in the input or not."""
    a = act.get("relu")
    monkeypatch.setattr(a, "_fn", lambda x: x * np.inf - np.inf)
    xs = np.array([1.0, 2.0])
    if with_nan:
        xs = np.concatenate([xs, signalling_nan(np.float64)])
    with pytest.raises(FloatingPointError, match="invalid"), np.errstate(
            invalid="raise"):
        a(xs)
    with pytest.warns(RuntimeWarning, match="invalid"), np.errstate(invalid="warn"):
        a(xs)
    with strict():
        np.testing.assert_array_equal(act.get("silu")(xs[:2]),
                                      act.get("silu")(np.array([1.0, 2.0])))
