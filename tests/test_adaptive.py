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
from activations import adaptive, verify

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


# --- test_adaptive_piecewise.py ----------------------------------------
# Facts particular to the learned piecewise and kernel activations of the adaptive
# family (APL), with expected values from exact rational arithmetic on the paper's
# formula, never from the kernel.

APL = act.get("apl")


def apl_exact(x: float, a1: float, b1: float, a2: float, b2: float) -> Fraction:
    """Agostinelli et al.'s max(0, x) + sum a_s max(0, -x + b_s), in exact fractions
    (the parameters as their short decimals: 0.6 is 3/5)."""
    X = Fraction(x)
    a = [Fraction(str(a1)), Fraction(str(a2))]
    b = [Fraction(str(b1)), Fraction(str(b2))]
    zero = Fraction(0)
    return max(zero, X) + sum(a[s] * max(zero, -X + b[s]) for s in range(2))


PARAMS = [
    {"a1": 0.5, "b1": 1.0, "a2": -0.6, "b2": -1.0},
    {"a1": -2.0, "b1": 3.0, "a2": 2.0, "b2": -3.0},
    {"a1": 0.5, "b1": 1.0, "a2": -0.5, "b2": -1.0},
    {"a1": 1.3, "b1": -0.7, "a2": -1.9, "b2": 2.2},
]


@pytest.mark.parametrize("p", PARAMS)
def test_apl_value_is_correctly_rounded(p):
    xs = np.concatenate([np.linspace(-5, 5, 1001), [-1e300, -3e10, 1e-300, 7e15]])
    got = APL(xs, **p)
    exact = [apl_exact(float(t), **p) for t in xs]
    # the slope of the piece on the left of each point, exactly, from a difference
    # with a point beside it on that piece
    beside = [float(t) - 1e-9 * max(1.0, abs(float(t))) for t in xs]
    slope = [(apl_exact(float(t), **p) - apl_exact(u, **p))
             / (Fraction(t) - Fraction(u)) for t, u in zip(xs, beside, strict=True)]
    # within one ULP of |f| + |x f'| (the book's condition-scaled ULP), as the
    # evaluation of one line c0 + c1 x allows; exactly where the line is x itself
    for t, g, e, d in zip(xs, got, exact, slope, strict=True):
        err = abs(Fraction(float(g)) - e)
        scale = Fraction(np.finfo(np.float64).eps) * (abs(e) + abs(Fraction(t) * d))
        assert err <= scale, (t, float(g), float(e))


def test_apl_far_left_cancellation():
    # a1 = -a2: the hinges cancel to a1 (b1 - b2) = 1 exactly, for any x < -1.
    p = {"a1": 0.5, "b1": 1.0, "a2": -0.5, "b2": -1.0}
    assert APL(-1e300, **p) == 1.0
    assert APL.derivative(-1e300, **p) == 0.0
    assert APL(-np.inf, **p) == 1.0


def test_apl_one_hinge_at_zero_is_prelu():
    xs = np.linspace(-4, 4, 81)
    for alpha in (0.0, 0.25, 1.0):
        np.testing.assert_array_equal(
            APL(xs, a1=-alpha, b1=0.0, a2=0.0, b2=1.0),
            act.get("prelu")(xs, alpha=alpha))


def test_apl_slope_at_a_bend_is_the_left_piece():
    # b1 = 0 with a1 < 0: left slope -a1 = 0.5, right slope 1; ReLU's own 0 is
    # outside both, the left slope is not. Coinciding bends b1 = b2 as well.
    assert APL.derivative(0.0, a1=-0.5, b1=0.0, a2=0.0, b2=1.0) == 0.5
    assert APL.derivative(2.0, a1=0.25, b1=2.0, a2=0.5, b2=2.0) == 0.25
    assert APL.derivative(0.0, a1=0.5, b1=1.0, a2=-0.6, b2=3.0) == float(
        Fraction(1, 10))


def test_apl_limits_and_nan():
    p = {"a1": 0.5, "b1": 1.0, "a2": -0.6, "b2": -1.0}
    y = APL(np.array([np.inf, -np.inf, np.nan]), **p)
    assert y[0] == np.inf and y[1] == -np.inf and np.isnan(y[2])


# --- KAF --------------------------------------------------------------------------
KAF = act.get("kaf")
CENTRES = (-3, -1, 1, 3)


def kaf_mp(x: float, alphas, slope: bool = False) -> mpmath.mpf:
    """Scardapane et al.'s sum of Gaussians, gamma = 1/(6 * 2^2), or its slope, at
    400 digits (enough for the cancellation of odd weights at 1e-300)."""
    with mpmath.workdps(400):
        X = mpmath.mpf(x)
        return sum(mpmath.mpf(str(a)) * (-(X - d) / 12 if slope else 1)
                   * mpmath.exp(-(X - d) ** 2 / 24)
                   for a, d in zip(alphas, CENTRES, strict=True))


@pytest.mark.parametrize("alphas", [
    (0.2449, 0.004, -5.7165, 7.7822),  # the ridge fit to ELU
    (-2.0, -1.0, 1.0, 2.0),            # odd: f(0) = 0
    (8.0, -8.0, 8.0, -8.0),            # alternating, the ends of the ranges
])
def test_kaf_against_mpmath(alphas):
    # within 2 ULP of |f| + |x f'|, the book's condition-scaled error
    p = {f"alpha{i + 1}": v for i, v in enumerate(alphas)}
    xs = [-40.0, -7.5, -3.0, -1.0, -0.3, -1e-8, 1e-300, 0.02, 0.9, 2.0, 2.5, 6.0, 30.0]
    got = KAF(np.array(xs), **p)
    for t, g in zip(xs, got, strict=True):
        want, slope = kaf_mp(t, alphas), kaf_mp(t, alphas, slope=True)
        with mpmath.workdps(400):
            scale = abs(want) + abs(mpmath.mpf(t) * slope)
            assert abs(mpmath.mpf(float(g)) - want) <= 2 * 2.0**-52 * scale, (t, g)


@pytest.mark.parametrize("alphas", [
    (0.2449, 0.004, -5.7165, 7.7822),
    (-2.0, -1.0, 1.0, 2.0),
    (8.0, -8.0, 8.0, -8.0),
    (-8.0, -8.0, -8.0, -8.0),          # even: f'(0) = 0
])
def test_kaf_where_long_double_is_float64(alphas):
    # Windows and macOS on arm64 have no wider long double: the kernel run with
    # float64 as its working format stays within the book's 4 condition-scaled
    # ULP, value and slope (near 0 the cancelling part is a constant rounded
    # once; an earlier form was off by 461 there), and within 1 near 0.
    p = {f"alpha{i + 1}": v for i, v in enumerate(alphas)}
    xs = np.array([-40.0, -7.5, -4.4, -2.4, -1.0, -0.3, -3.2e-6, -1e-8, -1.5e-323,
                   1e-300, 0.02, 0.9, 2.0, 2.5, 6.0, 30.0])
    y, dy = np.empty_like(xs), np.empty_like(xs)
    adaptive._kaf(xs, y, dy, **p, wide=np.float64)
    for t, g, dg in zip(xs, y, dy, strict=True):
        with mpmath.workdps(400):
            T = mpmath.mpf(float(t))
            f, f1 = kaf_mp(t, alphas), kaf_mp(t, alphas, slope=True)
            f2 = sum(mpmath.mpf(str(a)) * ((T - d) ** 2 / 144 - mpmath.mpf(1) / 12)
                     * mpmath.exp(-(T - d) ** 2 / 24)
                     for a, d in zip(alphas, CENTRES, strict=True))
            bound = 1 if abs(t) < 1e-5 else verify.ULP_TOLERANCE
            for got, want, slope in ((g, f, f1), (dg, f1, f2)):
                err = abs(mpmath.mpf(float(got)) - want) / (
                    2.0**-52 * (abs(want) + abs(T * slope)) + 2.0**-1074)
                assert err <= bound, (t, float(err))


def test_kaf_odd_weights_keep_relative_accuracy_near_zero():
    p = {"alpha1": -2.0, "alpha2": -1.0, "alpha3": 1.0, "alpha4": 2.0}
    with mpmath.workdps(50):
        # f'(0) = sum a_i d_i / 12 exp(-d_i^2 / 24), so f(x) ~ x f'(0) near 0
        slope0 = sum(mpmath.mpf(a) * d / 12 * mpmath.exp(-mpmath.mpf(d) ** 2 / 24)
                     for a, d in zip(p.values(), CENTRES, strict=True))
        want = float(mpmath.mpf("1e-300") * slope0)
    assert KAF(1e-300, **p) == pytest.approx(want, rel=1e-15)
    assert KAF.derivative(0.0, **p) == pytest.approx(float(slope0), rel=1e-15)


def test_kaf_ridge_fit_solves_the_normal_equations():
    # (K + 1e-5 I) alpha = ELU(d), solved by mpmath at 40 digits
    with mpmath.workdps(40):
        k = mpmath.matrix([[mpmath.exp(-mpmath.mpf(di - dj) ** 2 / 24)
                            + (mpmath.mpf("1e-5") if i == j else 0)
                            for j, dj in enumerate(CENTRES)]
                           for i, di in enumerate(CENTRES)])
        t = mpmath.matrix([mpmath.expm1(d) if d < 0 else d for d in CENTRES])
        want = [float(v) for v in mpmath.lu_solve(k, t)]
    got = adaptive.kaf_ridge_fit(act.get("elu"))
    np.testing.assert_allclose(got, want, rtol=1e-10)
    assert [p.default for p in KAF.params.values()] == [round(v, 4) for v in want]


def test_kaf_vanishes_in_both_tails():
    y = KAF(np.array([-np.inf, -1e300, 1e300, np.inf, np.nan]))
    assert np.all(y[:4] == 0) and np.isnan(y[4])
