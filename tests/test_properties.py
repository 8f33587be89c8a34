"""Properties computed by ``properties`` against values known independently."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import activations as act
from activations.properties import properties

INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def test_sigmoid():
    p = properties("sigmoid")
    assert p.range == "(0, 1)" and p.bounded_below and p.bounded_above
    assert p.monotonic == "strictly increasing" and p.smoothness == "C^∞"
    # sigma(x) + sigma(-x) = 1, so its mean under a symmetric input is 1/2
    assert p.mean_normal == pytest.approx(0.5, abs=1e-12)
    assert not p.zero_centred and p.saturates_left and p.saturates_right
    assert (p.f0, p.df0) == (0.5, 0.25)


def test_tanh_is_zero_centred():
    p = properties("tanh")
    assert p.range == "(-1, 1)" and p.zero_centred
    assert p.mean_normal == pytest.approx(0.0, abs=1e-12)


def test_relu():
    p = properties("relu")
    assert p.range == "[0, ∞)" and p.low_attained and not p.bounded_above
    assert p.monotonic == "non-decreasing" and p.smoothness == "C^0"
    # E[max(0, Z)] = 1/sqrt(2 pi)
    assert p.mean_normal == pytest.approx(INV_SQRT_2PI, abs=1e-10)
    assert p.saturates_left and not p.saturates_right


def test_log_log_gets_its_mathematical_range_not_its_rounded_one():
    """f = 1 - exp(-exp(x)) < 1 and f' = exp(x - e^x) > 0 at every real x, so the
    range is (0, 1) and f strictly increasing, the rule that gives the sigmoid its
    open range; in float64 f rounds to 1 and f' underflows to 0 within [-8, 8]."""
    a = act.get("log_log")
    assert a(8.0) == 1.0 and a.derivative(8.0) == 0.0  # the rounding is there
    mpmath.mp.dps = 50
    assert mpmath.exp(-mpmath.exp(8)) > 0  # so f(8) = 1 - that < 1
    assert mpmath.exp(8 - mpmath.exp(8)) > 0
    p = properties("log_log")
    assert p.range == "(0, 1)" and not p.high_attained and not p.low_attained
    assert p.monotonic == "strictly increasing"


def test_a_tail_too_deep_for_fifty_digits_does_not_attain_the_bound():
    """Laplace's gate is Phi((x - mu) / sigma) with sigma = 1/(2 sqrt(pi)): at the
    grid's end x = 8 it is 1 - Phi(-25.8), about 1e-147 short of 1, which 50
    digits round away; it never reaches 1, so the range is open."""
    a = act.get("laplace")
    assert a(8.0) == 1.0  # the float rounds to the bound
    z = (mpmath.mpf(8) - 1 / mpmath.sqrt(2)) * 2 * mpmath.sqrt(mpmath.pi)
    assert 0 < mpmath.ncdf(-z) < mpmath.mpf(10) ** -100
    p = properties("laplace")
    assert p.range == "(0, 1)" and not p.high_attained


@pytest.mark.parametrize(("name", "params", "expected", "monotonic"), [
    ("relu6", {}, "[0, 6]", "non-decreasing"),  # 0 for x <= 0, 6 for x >= 6
    ("hard_sigmoid", {}, "[0, 1]", "non-decreasing"),  # clipped at x = -3 and 3
    ("hard_sigmoid", {"slope": 0.05}, "[0, 1]", "non-decreasing"),  # at x = -+10
    ("sparse_plus", {}, "[0, ∞)", "non-decreasing"),  # 0 for x <= -1
    ("step", {}, "[0, 1]", "non-decreasing"),
])
def test_bounds_reached_exactly_stay_attained(name, params, expected, monotonic):
    p = properties(name, **params)
    assert p.range == expected and p.monotonic == monotonic


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.3])
def test_leaky_relu_mean_is_one_minus_slope_over_sqrt_2pi(slope):
    p = properties("leaky_relu", negative_slope=slope)
    assert p.mean_normal == pytest.approx((1 - slope) * INV_SQRT_2PI, abs=1e-10)
    assert p.smoothness == "C^0"
    expected = "strictly increasing" if slope > 0 else "non-decreasing"
    assert p.monotonic == expected


def test_gelu_minimum_and_mean():
    mpmath.mp.dps = 30
    f = lambda t: t * mpmath.ncdf(t)  # noqa: E731
    x_min = mpmath.findroot(lambda t: mpmath.diff(f, t), -0.75)
    p = properties("gelu")
    assert p.range_low == pytest.approx(float(f(x_min)), rel=1e-9)
    assert p.low_attained and p.monotonic == "no"
    # Stein's lemma: E[Z Phi(Z)] = E[phi(Z)] = 1 / (2 sqrt(pi))
    assert p.mean_normal == pytest.approx(1 / (2 * math.sqrt(math.pi)), abs=1e-10)


def test_properties_of_jumps():
    assert properties("step").smoothness == "C^-1 (discontinuous)"
    assert properties("hardshrink").monotonic == "non-decreasing"
    # a downward jump: f' >= 0 wherever it exists, yet f is not monotonic
    down = properties("threshold", threshold=-0.5, value=3.0)
    assert down.monotonic == "no"
    # value == threshold closes the jump: max(x, theta)
    closed = properties("threshold", threshold=2.0, value=2.0)
    assert closed.smoothness == "C^0"


@pytest.mark.parametrize(("theta", "v"), [(1.0, 0.0), (-0.5, 3.0), (0.0, 0.0)])
def test_threshold_mean_under_a_normal_input(theta, v):
    phi = math.exp(-theta * theta / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(theta / math.sqrt(2)))
    p = properties("threshold", threshold=theta, value=v)
    assert p.mean_normal == pytest.approx(phi + v * cdf, abs=1e-10)


def test_ranges_and_means_from_closed_forms():
    # E[cos Z] = exp(-1/2); E[exp(-Z^2)] = 1/sqrt(3); E[sin^2 Z] = (1 - exp(-2))/2
    assert properties("cos").mean_normal == pytest.approx(math.exp(-0.5), abs=1e-10)
    assert properties("cosper").mean_normal == pytest.approx(math.exp(-0.5), abs=1e-10)
    assert properties("gaussian").mean_normal == pytest.approx(3**-0.5, abs=1e-10)
    assert properties("snake").mean_normal == pytest.approx((1 - math.exp(-2)) / 2,
                                                           abs=1e-10)
    assert properties("sin").range == "[-1, 1]"
    assert properties("gaussian").range == "(0, 1]"
    assert properties("maxsig").range == "(0, ∞)"
    assert properties("maxtanh").range == "(-1, ∞)"
    assert properties("minsin").range == "(-∞, 1]"
    # sinc's minimum is at the first root of tan x = x, x = 4.4934...
    xm = mpmath.findroot(lambda t: mpmath.tan(t) - t, 4.49)
    assert properties("sinc").range_low == pytest.approx(
        float(mpmath.sin(xm) / xm), rel=1e-9)


def test_smoothness_of_the_max_min_forms():
    # max(x, tanh x) and min(x, sin x) join with equal slopes and curvatures at 0;
    # their third derivatives differ (-2 vs 0, -1 vs 0). max(x, sigma x) has a corner.
    assert properties("maxtanh").smoothness == "C^2"
    assert properties("minsin").smoothness == "C^2"
    assert properties("maxsig").smoothness == "C^0"
    assert properties("maxsig").monotonic == "strictly increasing"


@pytest.mark.parametrize("name", act.names())
def test_every_activation_has_properties(name):
    p = properties(name)
    assert p.smoothness.startswith("C^")
    if not act.get(name).elementwise:  # f(0, ..., 0) is a vector
        assert all(p.range_low <= v <= p.range_high for v in p.f0)
        return
    assert p.range_low <= p.f0 <= p.range_high


@pytest.mark.parametrize("name", act.names(elementwise=True))
def test_mean_under_a_standard_normal_input_matches_mpmath(name):
    # mpmath's tanh-sinh quadrature over [-40, 40] (beyond it the normal density,
    # below 1e-347, outweighs any activation a double can hold), split at the kinks
    # and into short pieces, so that no piece is wide enough to miss the bulk
    # At 20 digits of its own (test_numerics leaves 600 behind, where an integral
    # that is exactly 0, x cos x, never meets quad's error estimate): the
    # integrand holds float64 values, and at 50 digits the
    # quadrature refines to its last level trying to resolve their rounding (ten
    # times the nodes, for the same float64 result). The activation is evaluated
    # once, on every node the quadrature of the density alone visits (one array
    # call instead of one per node); a node that only the activation's own
    # refinement reaches is evaluated when it is asked for.
    a = act.get(name)
    p = {k: v.default for k, v in a.params.items()}
    cuts = sorted({*range(-40, 41, 2), *a.kink_points(**p)})
    with mpmath.workdps(20):
        nodes: list[float] = []
        mpmath.quad(lambda t: nodes.append(float(t)) or mpmath.npdf(t), cuts)
        xs = np.unique(nodes)
        known = dict(zip(xs.tolist(), a(xs, **p).tolist(), strict=True))

        def integrand(t):
            x = float(t)
            if x not in known:
                known[x] = float(a(x, **p))
            return known[x] * mpmath.npdf(t)

        expected = float(mpmath.quad(integrand, cuts))
    assert properties(a).mean_normal == pytest.approx(expected, abs=1e-12, rel=1e-12)
