"""Adaptive-family specifics: the rational activation (Boullé, Nakatsukasa & Townsend
2020) and the safe Padé activation unit (Molina, Schramowski & Kersting 2020)
against mpmath, at their published initial coefficients and at the corners of
their parameter boxes; their partial derivatives; the denominator that never
vanishes; the limits at ±inf; PAU's kink convention.

Expected values are written from the definitions with mpmath at 50 digits (the
parameters as the decimals they are written as), never read back from the code
under test.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from conftest import strict

import activations as act
from activations import verify

XS = [-1e300, -1e120, -1e5, -3.0, -1.0, -0.7, -0.2, -1e-9, 0.0, 1e-9, 0.2, 0.7, 1.0,
      3.0, 1e5, 1e120, 1e300]
FLOATS = [np.float16, np.float32, np.float64]


def mp(v: float) -> mpmath.mpf:
    """A parameter as the number the SymPy form reads it as: a short decimal
    (a fraction with denominator at most 10^6: 0.0218 is 109/5000) exactly,
    any other float as its binary value."""
    frac = Fraction(v).limit_denominator(10**6)
    if float(frac) != v:
        frac = Fraction(v)
    return mpmath.mpf(frac.numerator) / frac.denominator


def rational_mp(x, p):
    x = mpmath.mpf(x)
    num = ((mp(p["a3"]) * x + mp(p["a2"])) * x + mp(p["a1"])) * x + mp(p["a0"])
    den = (mp(p["b2"]) * x + mp(p["b1"])) * x + mp(p["b0"])
    return num / den


def pau_mp(x, p):
    x = mpmath.mpf(x)
    num = sum(mp(p[f"a{j}"]) * x**j for j in range(6))
    den = 1 + sum(abs(mp(p[f"b{k}"])) * abs(x)**k for k in range(1, 5))
    return num / den


def rational_mp_slope(x, p):
    """(P'Q - PQ')/Q^2 by the quotient rule, in mpmath."""
    x = mpmath.mpf(x)
    a = [mp(p[f"a{j}"]) for j in range(4)]
    b = [mp(p[f"b{k}"]) for k in range(3)]
    num = sum(a[j] * x**j for j in range(4))
    den = sum(b[k] * x**k for k in range(3))
    dnum = sum(j * a[j] * x**(j - 1) for j in range(1, 4))
    dden = b[1] + 2 * b[2] * x
    return (dnum * den - num * dden) / den**2


def pau_mp_slope(x, p):
    """The quotient rule with Q' = sign(x) sum k |b_k| |x|^(k-1), x != 0."""
    x = mpmath.mpf(x)
    a = [mp(p[f"a{j}"]) for j in range(6)]
    b = [abs(mp(p[f"b{k}"])) for k in range(1, 5)]
    num = sum(a[j] * x**j for j in range(6))
    den = 1 + sum(b[k - 1] * abs(x)**k for k in range(1, 5))
    dnum = sum(j * a[j] * x**(j - 1) for j in range(1, 6))
    dden = mpmath.sign(x) * sum(k * b[k - 1] * abs(x)**(k - 1) for k in range(1, 5))
    return (dnum * den - num * dden) / den**2


REFERENCE = {"rational": rational_mp, "pau": pau_mp}
SLOPE = {"rational": rational_mp_slope, "pau": pau_mp_slope}


def ulps(got: float, want) -> float:
    tiny = mpmath.mpf(2) ** -1074
    return float(abs(mpmath.mpf(got) - want) / (abs(want) * 2.0**-52 + tiny))


def corners(name):
    a = act.get(name)
    rng = np.random.default_rng(7)
    sets = [a.bind({})]
    for _ in range(6):  # random points of the box, ends included
        sets.append({k: float(rng.choice([p.low, p.high, p.default,
                                          rng.uniform(p.low, p.high)]))
                     for k, p in a.params.items()})
    return sets


@pytest.mark.parametrize("name", ["rational", "pau"])
def test_value_and_slope_against_mpmath(name):
    a, ref, slope_ref = act.get(name), REFERENCE[name], SLOPE[name]
    with mpmath.workdps(50):
        for p in corners(name):
            got, slope = a(np.array(XS), **p), a.derivative(np.array(XS), **p)
            for x, g, s in zip(XS, got, slope, strict=True):
                want = ref(x, p)
                if x == 0.0:
                    assert ulps(g, want) <= 1, (name, p, g, want)
                else:
                    want_d = slope_ref(x, p)
                    # condition-scaled, as verify measures: the terms of P cancel
                    cond = abs(want) + abs(x * want_d)
                    assert abs(mpmath.mpf(g) - want) <= 2 * 2.0**-52 * cond, (
                        name, p, x, g, want)
                    scale = abs(want_d) + abs(want / x)  # the slope may cancel
                    assert abs(mpmath.mpf(s) - want_d) <= 8 * 2.0**-52 * scale, (
                        name, p, x, s, want_d)


def partial_mp(name, k, x, p):
    """The published closed forms: df/da_j = x^j/Q, and df/db_k = -x^k P/Q^2
    (rational) or -sign(b_k) |x|^k P/Q^2 (PAU, sign(0) = 0)."""
    x = mpmath.mpf(x)
    if name == "rational":
        num = sum(mp(p[f"a{j}"]) * x**j for j in range(4))
        den = sum(mp(p[f"b{j}"]) * x**j for j in range(3))
    else:
        num = sum(mp(p[f"a{j}"]) * x**j for j in range(6))
        den = 1 + sum(abs(mp(p[f"b{j}"])) * abs(x)**j for j in range(1, 5))
    power = int(k[1:])
    if k.startswith("a"):
        return x**power / den
    size = x**power if name == "rational" else (
        mpmath.sign(mp(p[k])) * abs(x)**power)
    return -size * num / den**2


@pytest.mark.parametrize("name", ["rational", "pau"])
def test_partials_against_mpmath(name):
    """Every learnable parameter's partial derivative against its closed form."""
    a = act.get(name)
    xs = [-1e300, -1e30, -3.0, -0.7, 0.0, 0.3, 1.0, 2.5, 1e30, 1e300]
    with mpmath.workdps(50):
        for p in corners(name):
            for k in a.learnable:
                got = a.partial(np.array(xs), k, **p)
                for x, g in zip(xs, got, strict=True):
                    want = partial_mp(name, k, x, p)
                    assert ulps(g, want) <= 2 or (
                        abs(want) > np.finfo(np.float64).max and np.isinf(g)), (
                        name, k, x, p, g, want)


def test_rational_denominator_has_no_real_zero_anywhere_in_the_box():
    """Q = b2 x^2 + b1 x + b0 has no real zero iff b1^2 < 4 b0 b2 (with b2 > 0);
    the box's worst corner leaves Q >= b0 - b1^2/(4 b2) >= 1/4."""
    params = act.get("rational").params
    b0, b1, b2 = params["b0"], params["b1"], params["b2"]
    assert b2.low > 0 and b0.low > 0
    assert max(b1.low**2, b1.high**2) < 4 * b0.low * b2.low
    worst = b0.low - max(b1.low**2, b1.high**2) / (4 * b2.low)
    assert worst == 0.25
    for v0, v1, v2 in itertools.product((b0.low, b0.high), (b1.low, b1.high),
                                        (b2.low, b2.high)):
        assert v1**2 < 4 * v0 * v2
    with pytest.raises(ValueError, match="b1"):
        act.get("rational")(1.0, b1=1.5)  # would allow b1^2 >= 4 b0 b2


def test_rational_init_is_an_equioscillating_fit_of_relu():
    """The published coefficients are the best type-(3, 2) fit of ReLU on [-1, 1]
    to their four or five digits: the error alternates in sign at 7 = 3 + 2 + 2
    points with equal size (the Chebyshev alternation condition), about 0.0218.
    And 2 * 1.1915 = 2.383: the odd part of the fit is exactly x/2."""
    a = act.get("rational")
    x = np.linspace(-1, 1, 400_001)
    err = a(x) - np.maximum(x, 0)
    turns = np.where(np.diff(np.sign(np.diff(err))) != 0)[0] + 1
    points = np.concatenate([[0], turns, [len(x) - 1]])
    assert len(points) == 7
    signs = np.sign(err[points])
    assert np.all(signs[1:] == -signs[:-1])
    np.testing.assert_allclose(np.abs(err[points]), 0.0218, rtol=5e-3)
    z = np.array([-5.0, -1.0, -0.3, 0.3, 1.0, 5.0])
    np.testing.assert_allclose(a(z) - a(-z), z, rtol=1e-15)


def test_pau_init_fits_leaky_relu_on_minus_three_to_three():
    """The "pade_optimized_leakyrelu" coefficients follow Leaky ReLU (slope 0.01)
    within a0 = 0.0336 on [-3, 3]; far out both sides grow like a5/|b4| x."""
    a = act.get("pau")
    x = np.linspace(-3, 3, 60_001)
    leaky = np.where(x > 0, x, 0.01 * x)
    assert np.max(np.abs(a(x) - leaky)) <= 0.0336
    p = a.bind({})
    far = np.array([-1e8, 1e8])
    np.testing.assert_allclose(a(far) / far, p["a5"] / p["b4"], rtol=1e-7)


def test_pau_uses_only_the_size_of_each_denominator_coefficient():
    a = act.get("pau")
    x = np.linspace(-4, 4, 81)
    for k in range(1, 5):
        v = a.bind({})[f"b{k}"]
        np.testing.assert_array_equal(a(x, **{f"b{k}": -v}), a(x))
        np.testing.assert_array_equal(
            a.partial(x, f"b{k}", **{f"b{k}": -v}), -a.partial(x, f"b{k}"))


def test_pau_kink_at_zero_returns_a1_between_the_one_sided_slopes():
    """f'(0-) = a1 + a0 |b1| and f'(0+) = a1 - a0 |b1|; the derivative returns a1,
    the reference Python implementation's sign(0) = 0."""
    a = act.get("pau")
    p = {"a0": 0.5, "a1": 0.25, "b1": -2.0}
    with mpmath.workdps(50):
        full = {**a.bind({}), **p}
        left = mpmath.diff(lambda t: pau_mp(t, full), 0, direction=-1)
        right = mpmath.diff(lambda t: pau_mp(t, full), 0, direction=1)
    assert float(left) == pytest.approx(0.25 + 0.5 * 2.0)
    assert float(right) == pytest.approx(0.25 - 0.5 * 2.0)
    for dtype in FLOATS:
        d = a.derivative(np.array([-0.0, 0.0], dtype=dtype), **p)
        assert np.all(d == dtype(0.25))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["rational", "pau"])
def test_limits_at_infinity(name, dtype):
    """P/Q with deg P = deg Q + 1 grows like (leading ratio) x; the slope tends to
    that ratio, with no inf - inf or 0 * inf on the way."""
    a = act.get(name)
    p = a.bind({})
    lead = p["a3"] / p["b2"] if name == "rational" else p["a5"] / p["b4"]
    x = np.array([-np.inf, np.inf, np.nan], dtype=dtype)
    with strict():
        y, dy = a.value_and_derivative(x)
        parts = [a.partial(x, k) for k in a.learnable]
    assert y[0] == -np.inf and y[1] == np.inf and np.isnan(y[2])
    np.testing.assert_allclose(dy[:2].astype(float), [lead, lead], rtol=1e-3)
    assert all(np.isnan(q[2]) and not np.isnan(q[:2]).any() for q in parts)


@pytest.mark.parametrize("name", ["rational", "pau"])
def test_param_sets_cover_every_pair_of_parameter_values(name):
    """Seven and ten coefficients: the full product of their ends would be 3^7 and
    3^10 parameter sets; the pairwise design still puts every two parameters at
    every pair of their values."""
    a = act.get(name)
    sets = verify.param_sets(a)
    assert len(sets) < 50
    ends = {k: {p.default, p.low, p.high} for k, p in a.params.items()}
    for j, k in itertools.combinations(a.params, 2):
        seen = {(s[j], s[k]) for s in sets}
        assert seen >= set(itertools.product(ends[j], ends[k])), (j, k)


def test_limits_of_rational_branches_match_sympy():
    """The shortcut for numeric rational functions (degrees and leading
    coefficients at ±oo, the value where the denominator is not 0 for a one-sided
    limit) agrees with SymPy's limit on exact coefficients."""
    import sympy as sp

    from activations import symbolic

    x = symbolic.x
    for expr in (x**3 / (2 * x**2 + 1), (3 * x**2 - 1) / (x**2 + 5), x / (x**4 + 1),
                 (-x**5 + x) / (x**2 + 1)):
        assert symbolic.limits(expr) == (sp.limit(expr, x, -sp.oo),
                                         sp.limit(expr, x, sp.oo))
    kinked = sp.Piecewise((1 / (1 + 2 * x), x >= 0), (1 / (1 - 2 * x), True))
    d = sp.diff(kinked, x)
    assert symbolic.one_sided(d, 0) == (2, -2)
