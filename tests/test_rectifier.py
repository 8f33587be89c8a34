"""Rectifier-family specifics: RReLU's two modes, framework conventions at kinks,
SReLU's pieces and its outer lines without cancellation, and identities that tie
the variants to each other.

Expected values are written from the definitions (exact fractions, hand-worked
numbers, mpmath), never read back from the code under test.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from scipy import stats

import activations as act

RRELU = act.get("rrelu")
MEAN_SLOPE = float((Fraction(1, 8) + Fraction(1, 3)) / 2)  # 11/48
XS = np.array([-1e4, -7.5, -2.0, -1.0, -0.3, -1e-9, 0.0, 1e-9, 0.3, 1.0, 2.0, 1e4])


# --- RReLU: evaluation ---------------------------------------------------------------

def test_rrelu_defaults_are_pytorchs():
    assert RRELU.params["lower"].default == 1 / 8
    assert RRELU.params["upper"].default == 1 / 3
    assert MEAN_SLOPE == 11 / 48


def test_rrelu_evaluation_is_leaky_relu_with_the_mean_slope():
    expected = np.where(XS > 0, XS, MEAN_SLOPE * XS)
    np.testing.assert_array_equal(RRELU(XS), expected)
    np.testing.assert_array_equal(RRELU(XS, training=False), expected)
    np.testing.assert_array_equal(
        RRELU(XS), act.get("leaky_relu")(XS, negative_slope=11 / 48))
    np.testing.assert_array_equal(RRELU.derivative(XS),
                                  np.where(XS > 0, 1.0, MEAN_SLOPE))


def test_rrelu_evaluation_is_deterministic_and_ignores_rng():
    first = RRELU(XS)
    for seed in (0, 1, 2):
        np.testing.assert_array_equal(RRELU(XS, rng=np.random.default_rng(seed)), first)
        np.testing.assert_array_equal(
            RRELU.derivative(XS, rng=np.random.default_rng(seed)),
            RRELU.derivative(XS))


def test_rrelu_evaluation_with_other_bounds():
    # lower = upper = 0.2: every slope, and the mean, is 0.2
    np.testing.assert_array_equal(RRELU(XS, lower=0.2, upper=0.2),
                                  np.where(XS > 0, XS, 0.2 * XS))
    # (0 + 1)/2 = 1/2
    np.testing.assert_array_equal(RRELU(XS, lower=0.0, upper=1.0),
                                  np.where(XS > 0, XS, 0.5 * XS))


def test_rrelu_derivative_at_zero_is_the_mean_slope():
    # PyTorch's eval path is leaky_relu((lower + upper)/2), whose backward returns
    # the slope at 0.
    assert RRELU.derivative(0.0) == MEAN_SLOPE


# --- RReLU: training -----------------------------------------------------------------

def test_rrelu_training_returns_values_and_the_slopes_used():
    x = np.linspace(-5, 5, 1001)
    y, slope = RRELU(x, training=True, rng=np.random.default_rng(0))
    assert y.shape == slope.shape == x.shape
    assert np.all(slope >= 1 / 8) and np.all(slope <= 1 / 3)
    np.testing.assert_array_equal(y, np.where(x > 0, x, slope * x))
    assert np.unique(slope[x < 0]).size == np.count_nonzero(x < 0)  # per element


def test_rrelu_training_is_reproducible_with_a_seeded_generator():
    x = np.linspace(-3, 3, 64)
    y1, s1 = RRELU(x, training=True, rng=np.random.default_rng(42))
    y2, s2 = RRELU(x, training=True, rng=np.random.default_rng(42))
    y3, s3 = RRELU(x, training=True, rng=np.random.default_rng(43))
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(s1, s2)
    assert not np.array_equal(s1, s3)
    # the slopes are numpy's uniform draws on [lower, upper)
    np.testing.assert_array_equal(
        s1, np.random.default_rng(42).uniform(1 / 8, 1 / 3, size=x.shape))


def test_rrelu_training_derivative_uses_the_same_draws():
    x = np.linspace(-3, 3, 64)
    _, slope = RRELU(x, training=True, rng=np.random.default_rng(7))
    expected = np.where(x > 0, 1.0, slope)
    np.testing.assert_array_equal(
        RRELU.derivative(x, training=True, slope=slope), expected)
    np.testing.assert_array_equal(
        RRELU.derivative(x, training=True, rng=np.random.default_rng(7)), expected)


def test_rrelu_training_derivative_matches_finite_differences_of_the_draws():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    _, slope = RRELU(x, training=True, rng=np.random.default_rng(3))
    h = 1e-6
    # with the slopes frozen, the function is leaky_relu elementwise
    fd = (np.where(x + h > 0, x + h, slope * (x + h))
          - np.where(x - h > 0, x - h, slope * (x - h))) / (2 * h)
    np.testing.assert_allclose(RRELU.derivative(x, training=True, slope=slope), fd,
                               rtol=1e-9)


def test_rrelu_training_slopes_are_uniform_with_the_right_mean():
    x = -np.ones(200_000)
    _, slope = RRELU(x, training=True, rng=np.random.default_rng(11))
    # mean of U(1/8, 1/3) is 11/48, its standard deviation (1/3 - 1/8)/sqrt(12)
    se = (1 / 3 - 1 / 8) / np.sqrt(12) / np.sqrt(x.size)
    assert abs(slope.mean() - 11 / 48) < 5 * se
    ks = stats.kstest(slope, stats.uniform(loc=1 / 8, scale=1 / 3 - 1 / 8).cdf)
    assert ks.pvalue > 1e-3


def test_rrelu_training_with_equal_bounds_is_leaky_relu():
    y, slope = RRELU(XS, training=True, rng=np.random.default_rng(0),
                     lower=0.25, upper=0.25)
    np.testing.assert_array_equal(slope, np.full(XS.shape, 0.25))
    np.testing.assert_array_equal(y, np.where(XS > 0, XS, 0.25 * XS))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_rrelu_training_keeps_dtype_nan_and_infinities(dtype):
    x = np.array([-np.inf, -1.0, np.nan, 1.0, np.inf], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, slope = RRELU(x, training=True, rng=np.random.default_rng(0))
        d = RRELU.derivative(x, training=True, slope=slope)
    assert y.dtype == slope.dtype == d.dtype == dtype
    assert np.isnan(y[2]) and np.isnan(d[2])
    assert y[0] == -np.inf and y[4] == np.inf
    np.testing.assert_array_equal(d[[3, 4]], [1, 1])
    np.testing.assert_array_equal(d[[0, 1]], slope[[0, 1]])


def test_rrelu_default_generator_is_fresh():
    x = -np.ones(16)
    _, a = RRELU(x, training=True)
    _, b = RRELU(x, training=True)
    assert not np.array_equal(a, b)
    assert np.all((a >= 1 / 8) & (a <= 1 / 3))


def test_rrelu_refuses_inverted_bounds_naming_both():
    with pytest.raises(ValueError, match=r"'lower' = 0\.3.*'upper' = 0\.2"):
        RRELU(1.0, lower=0.3, upper=0.2)
    with pytest.raises(ValueError, match="lower.*upper"):
        RRELU(1.0, training=True, rng=np.random.default_rng(0), lower=0.3, upper=0.2)
    with pytest.raises(ValueError, match="lower.*upper"):
        RRELU.derivative(1.0, lower=0.3, upper=0.2)
    with pytest.raises(ValueError, match="lower.*upper"):
        RRELU.expr(lower=0.3, upper=0.2)


@pytest.mark.parametrize(("name", "value"), [("lower", -0.1), ("upper", 1.5)])
def test_rrelu_bounds_stay_in_zero_one(name, value):
    with pytest.raises(ValueError, match=rf"{name}.*outside its valid range"):
        RRELU(1.0, **{name: value})


def test_rrelu_rejects_a_bad_generator_and_a_stray_slope():
    with pytest.raises(TypeError, match="rrelu.*Generator"):
        RRELU(1.0, training=True, rng=42)
    with pytest.raises(ValueError, match="training=True"):
        RRELU.derivative(-1.0, slope=0.2)


# --- PReLU ---------------------------------------------------------------------------

def test_prelu_is_leaky_relu_with_a_learnable_slope():
    a = act.get("prelu")
    assert a.params["alpha"].default == 0.25 and a.learnable == ("alpha",)
    np.testing.assert_array_equal(a(XS), np.where(XS > 0, XS, 0.25 * XS))
    # PyTorch's backward: alpha at 0 for the input, 0 for the weight
    assert a.derivative(0.0) == 0.25
    assert a.partial(0.0, "alpha") == 0.0
    np.testing.assert_array_equal(a.partial(XS, "alpha"), np.minimum(XS, 0))


def test_prelu_at_minus_one_is_the_absolute_value_away_from_zero():
    xs = XS[XS != 0]
    np.testing.assert_array_equal(act.get("prelu")(xs, alpha=-1.0), np.abs(xs))


# --- ReLU6 ---------------------------------------------------------------------------

def test_relu6_values_and_pytorch_conventions_at_both_corners():
    a = act.get("relu6")
    np.testing.assert_array_equal(a([-1.0, 0.0, 3.0, 6.0, 7.0]), [0, 0, 3, 6, 6])
    # hardtanh_backward (PyTorch), Relu6Grad (TF), jax.nn.relu6's custom jvp:
    # the gradient passes only for 0 < x < 6
    np.testing.assert_array_equal(a.derivative([0.0, 6.0]), [0.0, 0.0])
    np.testing.assert_array_equal(
        a.derivative([-1e-12, 1e-12, 6 - 1e-12, 6 + 1e-12]), [0, 1, 1, 0])


# --- SReLU ---------------------------------------------------------------------------

def test_srelu_pieces_by_hand():
    a = act.get("srelu")
    p = {"t_left": -1.0, "a_left": 0.25, "t_right": 2.0, "a_right": 0.5}
    # left: -1 + 0.25 (x + 1); middle: x; right: 2 + 0.5 (x - 2)
    np.testing.assert_array_equal(a([-5.0, -1.0, 0.5, 2.0, 6.0], **p),
                                  [-2.0, -1.0, 0.5, 2.0, 4.0])
    np.testing.assert_array_equal(a.derivative([-5.0, -1.0, 0.5, 2.0, 6.0], **p),
                                  [0.25, 0.25, 1.0, 0.5, 0.5])
    np.testing.assert_array_equal(a.partial([-5.0, 0.5, 6.0], "t_left", **p),
                                  [0.75, 0.0, 0.0])
    np.testing.assert_array_equal(a.partial([-5.0, 0.5, 6.0], "a_left", **p),
                                  [-4.0, 0.0, 0.0])
    np.testing.assert_array_equal(a.partial([-5.0, 0.5, 6.0], "t_right", **p),
                                  [0.0, 0.0, 0.5])
    np.testing.assert_array_equal(a.partial([-5.0, 0.5, 6.0], "a_right", **p),
                                  [0.0, 0.0, 4.0])


def test_srelu_defaults_start_as_a_leaky_relu():
    a = act.get("srelu")
    # t_left = 0, a_left = 0.5, a_right = 1: the right bend is not there yet
    np.testing.assert_array_equal(a(XS), np.where(XS > 0, XS, 0.5 * XS))


def test_srelu_flat_arms_reach_their_thresholds_at_infinity():
    a = act.get("srelu")
    p = {"a_left": 0.0, "a_right": 0.0}
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        out = a([-np.inf, np.inf], **p)
    np.testing.assert_array_equal(out, [0.0, 2.5])


# --- Squared ReLU --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_squared_relu_overflows_to_inf_silently(dtype):
    a = act.get("squared_relu")
    big = np.finfo(dtype).max
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        f = a(np.array([big, np.sqrt(big) / 2, -big], dtype=dtype))
        d = a.derivative(np.array([big, -big], dtype=dtype))
    assert f[0] == np.inf and np.isfinite(f[1]) and f[2] == 0
    assert d[0] == np.inf and d[1] == 0


def test_squared_relu_values_and_c1_at_zero():
    a = act.get("squared_relu")
    np.testing.assert_array_equal(a([-3.0, 0.0, 0.5, 3.0]), [0, 0, 0.25, 9])
    np.testing.assert_array_equal(a.derivative([-3.0, 0.0, 0.5, 3.0]), [0, 0, 1, 6])


# --- RePU ------------------------------------------------------------------------

def test_repu_values_from_mpmath_and_its_cases():
    a = act.get("repu")
    xs = [-2.5, 0.0, 0.3, 1.7, 40.0]
    mpmath.mp.dps = 50
    for p in (3.0, 2.5, 7.0):
        want = [float(mpmath.power(max(x, 0), p)) if x > 0 else 0.0 for x in xs]
        dwant = [float(p * mpmath.power(x, p - 1)) if x > 0 else 0.0 for x in xs]
        np.testing.assert_allclose(a(xs, p=p), want, rtol=1e-15)
        np.testing.assert_allclose(a.derivative(xs, p=p), dwant, rtol=1e-15)
    # p = 2 is squared ReLU, p = 1 ReLU (with ReLU'(0) = 0), bit for bit
    np.testing.assert_array_equal(a(xs, p=2), act.get("squared_relu")(xs))
    np.testing.assert_array_equal(a.derivative(xs, p=1), [0, 0, 1, 1, 1])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_repu_overflows_to_inf_silently_and_rounds_subnormals(dtype):
    a = act.get("repu")
    big = float(np.finfo(dtype).max) ** (1 / 3) * 1.01   # x**3 (and 3 x**2 at the
    # square root of the top) are past the top
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            v = a(np.array([big], dtype=dtype))
            d = a.derivative(np.array([float(np.finfo(dtype).max) ** 0.5], dtype=dtype))
    assert np.isposinf(v[0]) and np.isposinf(d[0])
    # 3 x**2 at x = 1e-160 is 3e-320, a float64 subnormal: correctly rounded
    mpmath.mp.dps = 50
    want = float(3 * mpmath.mpf(1e-160) ** 2)
    assert a.derivative(1e-160) == want


@pytest.mark.parametrize("p", [1.0, 1.5, 3.0, 8.5, 16.0])
def test_repu_where_long_double_is_float64(p):
    # Windows and macOS on arm64 have no wider long double: with float64 as the
    # working format the derivative stays within one condition-scaled ULP, also
    # where p x^(p-1) is subnormal (p times a rounded subnormal power was 4.9 off)
    from activations import rectifier

    lo = 10.0 ** max(-320 / max(p - 1, 1e-9), -300)  # where p x^(p-1) is subnormal
    xs = np.concatenate([np.geomspace(lo, 1e-15, 300),
                         [0.3, 0.999, 1.0, 1.5, 7.0, 1e10]])
    y, dy = np.empty_like(xs), np.empty_like(xs)
    rectifier._repu_kernel(xs, y, dy, p, wide=np.float64)
    with mpmath.workdps(50):
        for t, g, dg in zip(xs, y, dy, strict=True):
            T = mpmath.mpf(float(t))
            f, f1 = T ** p, p * T ** (p - 1)
            f2 = p * (p - 1) * T ** (p - 2) if p > 1 else 0
            for got, want, slope in ((g, f, f1), (dg, f1, f2)):
                err = abs(mpmath.mpf(float(got)) - want) / max(
                    2.0**-52 * (abs(want) + abs(T * slope)), mpmath.mpf(2.0**-1074))
                assert err <= 1, (t, float(err))


# --- Absolute value ------------------------------------------------------------------

def test_absolute_derivative_is_the_sign_and_zero_at_zero():
    a = act.get("absolute")
    np.testing.assert_array_equal(a.derivative([-2.0, -1e-300, 1e-300, 2.0]),
                                  [-1, -1, 1, 1])
    # PyTorch (grad * sgn(x)) and TensorFlow (grad * sign(x)) give 0 at 0;
    # jax.grad(jnp.abs)(0.) = 1 (select(x >= 0, g, -g))
    assert a.derivative(0.0) == 0.0


# --- ReLU and Leaky ReLU at 0 --------------------------------------------------------

# Kink conventions: PyTorch autograd returns 0 for relu'(0) (threshold_backward
# keeps the gradient only where the result is > 0) and negative_slope for
# leaky_relu'(0) (it tests self > 0).
def test_relu_derivative_at_zero_is_zero():
    assert act.get("relu").derivative(0.0) == 0.0


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0])
def test_leaky_relu_derivative_at_zero_is_the_slope(slope):
    a = act.get("leaky_relu")
    assert a.derivative(0.0, negative_slope=slope) == np.float64(slope)


# --- Slope 0, negative slopes, the fused pair ---------------------------------------

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize(("name", "param"), [("leaky_relu", "negative_slope"),
                                             ("prelu", "alpha")])
def test_zero_slope_is_zero_at_minus_infinity(name, param, dtype):
    # f(x) = 0 * x = 0 for every x < 0, so the limit at -inf is 0 (0 * -inf is NaN)
    a = act.get(name)
    x = np.array([-np.inf, -1e4, -1.0, 0.0, 2.0, np.inf, np.nan], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, dy = a.value_and_derivative(x, **{param: 0.0})
        np.testing.assert_array_equal(a(x, **{param: 0.0}), y)
        np.testing.assert_array_equal(a.derivative(x, **{param: 0.0}), dy)
    np.testing.assert_array_equal(y[:6], [0, 0, 0, 0, 2, np.inf])
    np.testing.assert_array_equal(dy[:6], [0, 0, 0, 0, 1, 1])
    assert np.isnan(y[6]) and np.isnan(dy[6])
    np.testing.assert_array_equal(y, act.get("relu")(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("alpha", [-1.0, -0.3, -1e-30, 0.3, 1.0])
def test_prelu_any_slope_against_the_definition(alpha, dtype):
    a = act.get("prelu")
    info = np.finfo(dtype)
    x = np.concatenate([
        XS, [info.smallest_subnormal, -info.smallest_subnormal, info.max, -info.max,
             np.inf, -np.inf, -0.5, -1.5, 0.5],
        np.random.default_rng(2).standard_normal(500)]).astype(dtype)
    al = np.asarray(alpha, dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, dy = a.value_and_derivative(x, alpha=alpha)
    np.testing.assert_array_equal(y, np.where(x > 0, x, al * x))
    np.testing.assert_array_equal(dy, np.where(x > 0, 1, al).astype(dtype))
    assert y.dtype == dy.dtype == dtype


def test_leaky_relu_derivative_at_the_kink_side_and_nan():
    a = act.get("leaky_relu")
    x = np.array([-np.inf, -0.5, -0.0, 0.0, 1e-300, 0.5, np.inf, np.nan])
    d = a.derivative(x, negative_slope=0.2)
    np.testing.assert_array_equal(d[:7], [0.2, 0.2, 0.2, 0.2, 1, 1, 1])
    assert np.isnan(d[7])


def test_relu6_derivative_is_the_open_interval_indicator():
    a = act.get("relu6")
    tiny = np.finfo(np.float64).smallest_subnormal
    x = np.array([-np.inf, -1.0, -0.0, 0.0, tiny, 1.0, np.nextafter(6.0, 0.0), 6.0,
                  np.nextafter(6.0, 7.0), np.inf, np.nan])
    y, dy = a.value_and_derivative(x)
    np.testing.assert_array_equal(y[:10], [0, 0, 0, 0, tiny, 1, x[6], 6, 6, 6])
    np.testing.assert_array_equal(dy[:10], [0, 0, 0, 0, 1, 1, 1, 0, 0, 0])
    assert np.isnan(y[10]) and np.isnan(dy[10])


def test_relu_value_and_derivative_at_signed_zeros():
    a = act.get("relu")
    y, dy = a.value_and_derivative(np.array([-0.0, 0.0]))
    assert not np.any(np.signbit(y)) and not np.any(np.signbit(dy))
    np.testing.assert_array_equal(dy, [0, 0])


def test_fused_pair_results_do_not_share_memory():
    x = np.linspace(-3, 3, 7)
    for name in ("relu", "leaky_relu", "prelu", "rrelu", "relu6"):
        y, dy = act.get(name).value_and_derivative(x)
        assert not np.shares_memory(y, dy) and not np.shares_memory(y, x)


def test_rrelu_value_and_derivative_takes_what_call_and_derivative_take():
    # it refused training= and rng= as "unknown parameter(s)"
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    y, slope = RRELU(x, training=True, rng=np.random.default_rng(5))
    y2, d2 = RRELU.value_and_derivative(x, training=True, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(y2, y)
    np.testing.assert_array_equal(d2, np.where(x > 0, 1.0, slope))
    y3, d3 = RRELU.value_and_derivative(x, training=True, slope=slope)
    np.testing.assert_array_equal(y3, y)
    np.testing.assert_array_equal(d3, d2)
    # __call__ takes given slopes too
    y4, s4 = RRELU(x, training=True, slope=slope)
    np.testing.assert_array_equal(y4, y)
    np.testing.assert_array_equal(s4, slope)
    # evaluation ignores rng and refuses slope= in all three
    for fn in (RRELU, RRELU.derivative, RRELU.value_and_derivative):
        fn(x, rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match="training=True"):
            fn(x, slope=0.2)
        with pytest.raises(TypeError, match="rrelu.*Generator"):
            fn(x, training=True, rng=0)
        with pytest.raises(TypeError, match="rrelu: slope"):
            fn(x, training=True, slope="0.2")


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_srelu_thresholds_below_the_dtype_are_compared_as_they_are(dtype):
    """t_left = -8e-121 is -0 in float16 and float32, but 0 lies right of it, on
    the middle piece, where the slope is 1: srelu'(float16(0)) was 0.5 (a_left)."""
    a = act.get("srelu")
    p = {"t_left": -8.044875092087453e-121, "a_left": 0.5, "t_right": 2.5,
         "a_right": 1.0}
    x = np.array([0.0, 1.0, -1.0], dtype=dtype)
    # by hand: 0 and 1 are between the thresholds; -1 left of t_left
    np.testing.assert_array_equal(a.derivative(x, **p), np.array([1, 1, 0.5], dtype))
    np.testing.assert_array_equal(a(x, **p), np.array([0, 1, -0.5], dtype))
    assert a.partial(x, "t_left", **p)[0] == 0
    assert a.partial(x, "a_left", **p)[0] == 0


# --- SReLU's outer lines -------------------------------------------------------------

def _mp(v) -> mpmath.mpf:
    return mpmath.mpf(float(v))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_srelu_outer_lines_do_not_cancel(dtype):
    """t + a(x - t) with a near 1 drops x when |x| << |t|: f(1e-20) was 0."""
    mpmath.mp.dps = 50
    a = act.get("srelu")
    assert a(1e-20, t_left=1.0, a_left=1.0) == 1e-20
    rng = np.random.default_rng(3)
    for tl, al, tr, ar in [(1.0, 1.0, 1.0, 1.0), (1.0, 0.9999, 4.0, 1.0001),
                           (0.7, 1 - 2**-20, 2.5, 1 + 2**-20), (-5.0, 1.3, 5.0, 0.3),
                           (0.5, 0.999, 1.5, 1.999)]:
        xs = np.concatenate([rng.uniform(-8, 8, 400), 10.0 ** rng.uniform(-30, 3, 200),
                             -(10.0 ** rng.uniform(-30, 3, 200))]).astype(dtype)
        p = {"t_left": tl, "a_left": al, "t_right": tr, "a_right": ar}
        got = a(xs, **p)
        for x, y in zip(xs, got, strict=True):
            xm = _mp(x)
            if xm <= tl:
                ref, data = tl + al * (xm - tl), abs(al * xm) + abs((1 - al) * tl)
            elif xm >= tr:
                ref, data = tr + ar * (xm - tr), abs(ar * xm) + abs((1 - ar) * tr)
            else:
                ref, data = xm, abs(xm)
            # error within 4 ulps of the data's scale (the line's condition number)
            ulp = np.finfo(dtype).eps * max(float(data), float(abs(ref)))
            assert abs(float(_mp(y) - ref)) <= 4 * ulp, (p, x, y, ref)
        # df/da is x - t, without first rounding t to the dtype
        d = a.partial(xs, "a_left", **p)
        on = xs <= tl
        ref = np.array([float(_mp(x) - tl) for x in xs[on]]).astype(dtype)
        np.testing.assert_array_equal(d[on], ref)
