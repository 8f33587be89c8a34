"""Soft rectifiers (softplus, squareplus, sparse plus, log-sigmoid, bent identity) and
the self-gated SiLU, Mish and Hard Swish: values against independent references.

The references here are written directly with mpmath (not taken from the registry's
SymPy expressions), published constants, and the frameworks' documented rules.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from scipy.special import lambertw

import activations as act

mpmath.mp.dps = 60

# name -> mpmath reference f(x, **params), written independently of the registry
REFERENCES = {
    "softplus": lambda t, beta=1.0: mpmath.log1p(mpmath.exp(beta * t)) / beta,
    "squareplus": lambda t, b=4.0: (t + mpmath.sqrt(t * t + b)) / 2,
    "log_sigmoid": lambda t: -mpmath.log1p(mpmath.exp(-t)),
    "bent_identity": lambda t: (mpmath.sqrt(t * t + 1) - 1) / 2 + t,
    "silu": lambda t, beta=1.0: t / (1 + mpmath.exp(-beta * t)),
    "mish": lambda t: t * mpmath.tanh(mpmath.log1p(mpmath.exp(t))),
}

POINTS = [-700.0, -300.0, -40.0, -20.0, -3.0, -1.0, -1e-3, -1e-9, 0.0, 1e-9, 1e-3,
          0.5, 2.0, 20.0, 37.0, 300.0, 1e6, 1e150]


def _ulps(got: float, ref, dtype) -> float:
    info = np.finfo(dtype)
    ref_f = float(ref)
    if ref_f == 0.0 or abs(ref_f) < info.tiny:
        # Subnormal or underflowing results: count units of the smallest subnormal.
        unit = mpmath.mpf(float(info.smallest_subnormal))
        return float(abs(mpmath.mpf(got) - ref) / unit)
    return float(abs(mpmath.mpf(got) - ref) / (abs(ref) * float(info.eps)))


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
        assert _ulps(float(g), r, np.float64) <= tol, (name, t, g, r)


@pytest.mark.parametrize("name", ["silu", "mish"])
def test_subnormal_left_tail_is_rounded_once(name):
    """Where e^x is subnormal, x*e^x must not be the product of two roundings."""
    a = act.get(name)
    ref = REFERENCES[name]
    for dtype, pts in ((np.float32, [-89.0, -95.0, -100.0, -103.0]),
                       (np.float64, [-710.0, -720.0, -740.0])):
        xs = np.array(pts, dtype=dtype)
        for t, g in zip(xs, a(xs), strict=True):
            r = ref(mpmath.mpf(float(t)))
            assert _ulps(float(g), r, dtype) <= 2.0 + abs(float(t)), (name, t, g, r)


def test_softplus_differs_from_pytorch_threshold_only_in_float64():
    """PyTorch returns x for beta*x > 20; that is exact in float32, not in float64."""
    a = act.get("softplus")
    z64 = np.array([20.5, 25.0, 30.0])
    assert np.all(a(z64) > z64)
    assert np.isclose(a(np.array([20.5]))[0] - 20.5, np.exp(-20.5), rtol=1e-6)
    z32 = z64.astype(np.float32)
    np.testing.assert_array_equal(a(z32), z32)


def test_squareplus_product_and_difference_identities():
    a = act.get("squareplus")
    z = np.concatenate([np.logspace(-6, 150, 40), [0.0]])
    for b in (0.01, 1.0, 4.0, 16.0):
        np.testing.assert_allclose(a(z, b=b) * a(-z, b=b), b / 4, rtol=4e-16 * 4)
        # the subtraction in the test rounds at the scale of f(z), not of z
        diff = a(z, b=b) - a(-z, b=b)
        assert np.all(np.abs(diff - z) <= 2.3e-16 * a(z, b=b))
    # derivative through the output: f' = f^2 / (f^2 + b/4)
    zz = np.linspace(-30, 30, 121)
    f = a(zz)
    np.testing.assert_allclose(a.derivative(zz), f * f / (f * f + 1.0), rtol=1e-14)


def test_log_sigmoid_is_minus_softplus_of_minus_x():
    z = np.linspace(-800, 800, 3201)
    np.testing.assert_array_equal(act.get("log_sigmoid")(z), -act.get("softplus")(-z))


def test_bent_identity_is_squareplus_plus_a_line():
    z = np.concatenate([np.linspace(-50, -1, 50), np.linspace(1, 50, 50)])
    sq = act.get("squareplus")(z, b=1.0)
    bent = act.get("bent_identity")(z)
    np.testing.assert_allclose(bent, sq + z / 2 - 0.5, rtol=1e-14)
    d = act.get("bent_identity").derivative(np.array([-np.inf, 0.0, np.inf]))
    np.testing.assert_array_equal(d, [0.5, 1.0, 1.5])


def test_sparse_plus_matches_the_keras_definition():
    """0 for x <= -1, (x+1)^2/4 for -1 < x < 1, x for x >= 1 (Keras 3 / JAX docs)."""
    a = act.get("sparse_plus")
    z = np.array([-5.0, -1.0, -0.5, 0.0, 0.5, 1.0, 4.0])
    np.testing.assert_array_equal(a(z), [0.0, 0.0, 0.0625, 0.25, 0.5625, 1.0, 4.0])
    slopes = [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    np.testing.assert_array_equal(a.derivative(z), slopes)


def test_silu_minimum_is_lambert_w():
    """min SiLU = -W(1/e) at x = -1 - W(1/e) (independent: scipy's lambertw)."""
    w = float(lambertw(np.exp(-1)).real)
    a = act.get("silu")
    assert a(-1 - w) == pytest.approx(-w, rel=1e-15)
    assert abs(a.derivative(-1 - w)) < 1e-15


def test_swish_beta_is_a_change_of_scale():
    a = act.get("silu")
    z = np.linspace(-40, 40, 801)
    for b in (0.25, 1.0, 3.0):
        np.testing.assert_allclose(a(z, beta=b), a(b * z) / b, rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(a(z, beta=0.0), z / 2)
    np.testing.assert_array_equal(a.derivative(z, beta=0.0), np.full_like(z, 0.5))
    np.testing.assert_allclose(a.partial(z, "beta", beta=0.0), z * z / 4, rtol=1e-15)


def test_mish_constants():
    a = act.get("mish")
    assert a.derivative(0.0) == pytest.approx(0.6, rel=1e-15)  # tanh(log 2) = 3/5
    f = lambda t: t * mpmath.tanh(mpmath.log1p(mpmath.exp(t)))  # noqa: E731
    x_min = mpmath.findroot(lambda t: mpmath.diff(f, t), -1.2)
    assert a(float(x_min)) == pytest.approx(float(f(x_min)), rel=1e-15)
    assert float(f(x_min)) == pytest.approx(-0.30884, abs=1e-5)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_hard_swish_kinks_follow_pytorch(dtype):
    """The slopes torch.autograd returns for F.hardswish, measured with PyTorch
    2.13.0 (CPU) in float16, float32 and float64: the outer branches' 0 and 1
    at x = -3 and x = 3, x/3 + 1/2 strictly between."""
    a = act.get("hard_swish")
    z = np.array([-3.0, 3.0, -1.5, 0.0, -3.5, 3.5], dtype=dtype)
    measured = np.array([0.0, 1.0, 0.0, 0.5, 0.0, 1.0], dtype)
    np.testing.assert_array_equal(a.derivative(z), measured)
    np.testing.assert_array_equal(a.value_and_derivative(z)[1], measured)
    np.testing.assert_array_equal(a(z), np.array([0, 3, -0.375, 0, 0, 3.5], dtype))
    # just inside the ramp, the middle branch (2x + 3)/6
    inside = np.nextafter(dtype(-3.0), dtype(0.0)), np.nextafter(dtype(3.0), dtype(0.0))
    np.testing.assert_allclose(a.derivative(np.array(inside)),
                               [-0.5, 1.5], rtol=float(np.finfo(dtype).eps) * 4)
    for kink, pytorch in zip(a.kinks, measured[:2], strict=True):
        assert float(kink.frameworks["pytorch"]) == pytorch


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
