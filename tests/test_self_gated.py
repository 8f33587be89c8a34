"""Self-gated activations (SiLU/Swish, Mish, GELU and its tanh form, Hard Swish):
published constants, framework conventions at Hard Swish's corners, and the left
tails where the gate is subnormal, against independent references.

The references are written directly with mpmath (not taken from the registry's
SymPy expressions, except for the tanh form of GELU), scipy's Lambert W, and what
PyTorch returns.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from conftest import REFERENCES, strict, ulps
from scipy.special import lambertw

import activations as act
from activations import symbolic

mpmath.mp.dps = 60
FLOATS = [np.float16, np.float32, np.float64]


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
            assert ulps(float(g), r, dtype) <= 2.0 + abs(float(t)), (name, t, g, r)


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


def _mp(v) -> mpmath.mpf:
    return mpmath.mpf(float(v))


@pytest.mark.parametrize("dtype", FLOATS)
def test_gelu_far_left_tail_down_to_underflow(dtype):
    """x Phi(x) and Phi(x) + x phi(x) where they are subnormal: gelu(-38) was -0.0
    (truth -1.1e-314), and in float32 gelu(-14) was -1.18e-43 (truth -1.09e-43)."""
    mpmath.mp.dps = 60
    a = act.get("gelu")
    info = np.finfo(dtype)
    xs = -np.concatenate([np.linspace(5, 15, 41), np.linspace(15, 40, 51),
                          [45, 60, 1e4, float(info.max), np.inf]])
    xs = xs.astype(dtype)
    with strict():
        y, d = a(xs), a.derivative(xs)
    for x, yv, dv in zip(xs, y, d, strict=True):
        xm = _mp(max(x, -1e3))  # the same 0 (and mpmath has no ncdf(-inf) * inf)
        for got, ref in ((yv, xm * mpmath.ncdf(xm)),
                         (dv, mpmath.ncdf(xm) + xm * mpmath.npdf(xm))):
            # 4 ulps scaled by the condition number, about x^2 out here; where the
            # result is subnormal, within two of its (absolute) ulps
            tol = max(4 * float(xm) ** 2 * float(info.eps) * abs(float(ref)),
                      2 * float(info.smallest_subnormal))
            assert abs(float(got) - float(ref)) <= tol, (x, got, ref)
            assert np.signbit(got), (x, got)  # negative, or -0.0 past underflow
    assert a(-38.0) != 0 and a.derivative(-38.0) != 0


@pytest.mark.parametrize("dtype", FLOATS)
def test_gelu_tanh_left_tail_where_the_gate_is_subnormal(dtype):
    """x sigma(2u) and its slope where e^{2u} is subnormal: in float32 the slope
    at -10.68 was -3.88e-43 (truth -1.95e-43), e^{2u} rounded to a few bits and
    then scaled by -x (2u)'."""
    mpmath.mp.dps = 60
    a = act.get("gelu_tanh")
    e = a.expr()
    f = sp.lambdify(symbolic.x, e, "mpmath")
    df = sp.lambdify(symbolic.x, sp.diff(e, symbolic.x), "mpmath")
    info = np.finfo(dtype)
    lo = {np.float16: 3.0, np.float32: 9.5, np.float64: 22.0}[dtype]
    xs = -np.linspace(lo, lo + 3, 301).astype(dtype)
    with strict():
        y, d = a(xs), a.derivative(xs)
    for x, yv, dv in zip(xs, y, d, strict=True):
        xm = _mp(x)
        for got, ref, cond in ((yv, f(xm), 60 * float(xm) ** 2),
                               (dv, df(xm), 60 * float(xm) ** 2)):
            # condition number about |x (2u)'| ~ 2.4 x^2 on each; subnormal
            # results within one of their (absolute) ulps
            tol = max(4 * cond * float(info.eps) * abs(float(ref)),
                      float(info.smallest_subnormal))
            assert abs(float(got) - float(ref)) <= tol, (x, got, ref)


# --- TanhExp, Serf, Smish, ELiSH, Hard ELiSH ----------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tanhexp_against_mpmath_down_to_underflow(dtype):
    """x tanh(e^x) and tanh(e^x) + x e^x sech^2(e^x), written directly in mpmath
    (60 digits), from the right tail through the far left where e^x is subnormal
    (there x e^x is normal down to x = -740 in float64)."""
    mpmath.mp.dps = 60
    common = [-3.0, -0.5, 0.5, 3.0, 20.0]
    pts = {np.float32: [-100.0, -95.0, -89.0, -30.0, *common],
           np.float64: [-740.0, -720.0, -710.0, -100.0, *common]}[dtype]
    xs = np.array(pts, dtype=dtype)
    a = act.get("tanhexp")
    with strict():
        y, d = a(xs), a.derivative(xs)
    for t, yv, dv in zip(xs, y, d, strict=True):
        m = mpmath.mpf(float(t))
        u = mpmath.exp(m)
        f = m * mpmath.tanh(u)
        df = mpmath.tanh(u) + m * u * mpmath.sech(u) ** 2
        assert ulps(float(yv), f, dtype) <= 4 + abs(float(t)), (t, yv, f)
        assert ulps(float(dv), df, dtype) <= 4 + abs(float(t)), (t, dv, df)


def test_tanhexp_minimum_solves_its_equation():
    """The minimum lies where tanh(e^x) + x e^x sech^2(e^x) = 0 (mpmath's root)."""
    mpmath.mp.dps = 40
    def g(t):
        u = mpmath.exp(t)
        return mpmath.tanh(u) + t * u * mpmath.sech(u) ** 2

    x0 = mpmath.findroot(g, -1.5)
    a = act.get("tanhexp")
    assert abs(float(a.derivative(float(x0)))) < 1e-15
    assert float(a(float(x0))) == pytest.approx(float(x0 * mpmath.tanh(mpmath.exp(x0))),
                                                rel=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_serf_against_mpmath_down_to_underflow(dtype):
    """x erf(softplus x) and erf(s) + x (2/sqrt(pi)) e^{-s^2} sigma(x), written
    directly in mpmath (60 digits), including the left tail where softplus is
    below half an ulp of 1 (so 1 - erfc(s) would be 0) and where e^x is
    subnormal."""
    mpmath.mp.dps = 60
    common = [-40.0, -3.0, -0.5, 0.5, 2.0, 6.0]
    pts = {np.float32: [-100.0, -95.0, -89.0, *common],
           np.float64: [-740.0, -720.0, -710.0, *common]}[dtype]
    xs = np.array(pts, dtype=dtype)
    a = act.get("serf")
    with strict():
        y, d = a(xs), a.derivative(xs)
    for t, yv, dv in zip(xs, y, d, strict=True):
        m = mpmath.mpf(float(t))
        s = mpmath.log1p(mpmath.exp(m))
        f = m * mpmath.erf(s)
        sig = 1 / (1 + mpmath.exp(-m))
        df = mpmath.erf(s) + m * 2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-s * s) * sig
        assert ulps(float(yv), f, dtype) <= 4 + abs(float(t)), (t, yv, f)
        assert ulps(float(dv), df, dtype) <= 4 + abs(float(t)), (t, dv, df)


def test_serf_slope_at_zero_is_erf_log2():
    ref = float(mpmath.erf(mpmath.log(2)))
    assert act.get("serf").derivative(0.0) == pytest.approx(ref, rel=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_smish_against_mpmath_down_to_underflow(dtype):
    """x tanh(log(1 + sigma(x))) and its slope, written directly in mpmath (60
    digits; the slope by mpmath's own numerical differentiation), from the far
    left, where sigma(x) is subnormal, to the right, where the gate tends to 3/5."""
    mpmath.mp.dps = 60
    common = [-40.0, -4.0, -0.5, 0.5, 3.0, 50.0]
    pts = {np.float32: [-100.0, -95.0, -89.0, *common],
           np.float64: [-740.0, -720.0, -710.0, *common]}[dtype]
    xs = np.array(pts, dtype=dtype)
    a = act.get("smish")
    with strict():
        y, d = a(xs), a.derivative(xs)

    def f(t):
        return t * mpmath.tanh(mpmath.log1p(1 / (1 + mpmath.exp(-t))))

    for t, yv, dv in zip(xs, y, d, strict=True):
        m = mpmath.mpf(float(t))
        with mpmath.workdps(60 + int(abs(float(t)))):
            ref, dref = f(m), mpmath.diff(f, m)
        assert ulps(float(yv), ref, dtype) <= 4 + abs(float(t)), (t, yv, ref)
        assert ulps(float(dv), dref, dtype) <= 4 + abs(float(t)), (t, dv, dref)


def test_smish_limits_and_slope_at_zero():
    """Gate tanh(log(3/2)) = 5/13 at 0, tanh(log 2) = 3/5 on the far right."""
    a = act.get("smish")
    assert a.derivative(0.0) == pytest.approx(5 / 13, rel=1e-15)
    assert a(1e6) == pytest.approx(0.6e6, rel=1e-15)
    assert a.derivative(1e6) == pytest.approx(0.6, rel=1e-15)
def test_e_swish_minimum_is_beta_times_lambert_w():
    """min E-swish = -beta W(1/e) at x = -1 - W(1/e), the point of SiLU's minimum
    (independent: scipy's lambertw); f'(0) = beta/2."""
    w = float(lambertw(np.exp(-1)).real)
    a = act.get("e_swish")
    for b in (1.0, 1.25, 2.0):
        assert a(-1 - w, beta=b) == pytest.approx(-b * w, rel=1e-15)
        assert abs(a.derivative(-1 - w, beta=b)) < 1e-15
        assert a.derivative(0.0, beta=b) == b / 2


def test_e_swish_against_mpmath_in_both_tails():
    mpmath.mp.dps = 50
    a = act.get("e_swish")
    xs = np.array([-740.0, -700.0, -30.0, -1.5, 0.3, 25.0, 1e300])
    for t, g in zip(xs, a(xs, beta=1.75), strict=True):
        xm = mpmath.mpf(float(t))
        r = mpmath.mpf(1.75) * xm / (1 + mpmath.exp(-xm))
        assert ulps(float(g), r, np.float64) <= 2.0, (t, g, r)
    assert a(1.5e308, beta=2.0) == np.inf  # the product is beyond the largest double


def _acon_mp(t, q1, q2, b):
    """ACON-C, its slope and its three partials at 50 digits, from the formulas,
    with sigma(t) and 1 - sigma(t) each written as a quotient of positive terms
    (and the line of the side where the gate opens taken out), so that the
    reference itself does not cancel."""
    mpmath.mp.dps = 50
    z, q1, q2, b = (mpmath.mpf(float(v)) for v in (t, q1, q2, b))
    d = q1 - q2
    tt = b * d * z
    s, sbar = 1 / (1 + mpmath.exp(-tt)), 1 / (1 + mpmath.exp(tt))
    ds = s * sbar
    gate = s + tt * ds  # d/du of u sigma(beta u)
    closed = sbar - tt * ds  # 1 - gate
    f = q1 * z - d * z * sbar if tt > 0 else d * z * s + q2 * z
    df = q1 - d * closed if tt > 0 else d * gate + q2
    return {"f": f, "df": df, "p1": z * gate,
            "p2": z * closed, "beta": d * d * z * z * ds}


@pytest.mark.parametrize(("q1", "q2", "b"), [(1.0, 0.25, 1.0), (-4.0, 4.0, 16.0),
                                             (1.0, -0.9, 0.001), (0.0, 1.5, 3.0)])
def test_acon_c_against_mpmath(q1, q2, b):
    a = act.get("acon_c")
    q = {"p1": q1, "p2": q2, "beta": b}
    xs = np.array([-700.0, -30.0, -2.5, -1e-3, -1e-12, 1e-12, 0.4, 7.0, 300.0, 1e200])
    got = {"f": a(xs, **q), "df": a.derivative(xs, **q),
           **{k: a.partial(xs, k, **q) for k in ("p1", "p2", "beta")}}
    for i, t in enumerate(xs):
        ref = _acon_mp(t, q1, q2, b)
        for k, r in ref.items():
            g = float(got[k][i])
            assert abs(g - r) <= 1e-14 * abs(r) + 1e-300, (k, t, g, r)


def test_acon_c_limits():
    """beta = 0: the line of mean slope; p1 = p2: the line p1 x; the slope at 0 is
    the mean slope for every beta; p1 = 1, p2 = 0 is Swish."""
    a = act.get("acon_c")
    z = np.linspace(-50, 50, 1001)
    np.testing.assert_array_equal(a(z, p1=1.0, p2=-0.9, beta=0.0), z * 0.05)
    np.testing.assert_array_equal(a(z, p1=0.5, p2=0.5, beta=3.0), z * 0.5)
    for b in (0.5, 1.0, 16.0):
        assert a.derivative(0.0, p1=1.5, p2=-0.5, beta=b) == 0.5
    np.testing.assert_allclose(a(z, p1=1.0, p2=0.0, beta=1.7),
                               act.get("silu")(z, beta=1.7), rtol=1e-15, atol=1e-300)
    # the gate opens where (p1 - p2) x > 0, here on the left, where the slope is 0
    assert a(-np.inf, p1=0.0, p2=2.0) == 0.0 and a(np.inf, p1=0.0, p2=2.0) == np.inf


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elish_against_mpmath(dtype):
    """(e^x - 1) sigma(x) on the left, x sigma(x) on the right, and their slopes
    e^x sigma + (e^x - 1) sigma' and sigma + x sigma', written directly in mpmath
    (60 digits), from the subnormal left tail to the right."""
    mpmath.mp.dps = 60
    common = [-40.0, -3.0, -0.5, -1e-6, 1e-6, 0.5, 3.0, 50.0]
    pts = {np.float32: [-100.0, -95.0, -89.0, *common],
           np.float64: [-740.0, -720.0, -710.0, *common]}[dtype]
    xs = np.array(pts, dtype=dtype)
    a = act.get("elish")
    with strict():
        y, d = a(xs), a.derivative(xs)
    for t, yv, dv in zip(xs, y, d, strict=True):
        m = mpmath.mpf(float(t))
        s = 1 / (1 + mpmath.exp(-m))
        ds = s * (1 - s)
        if m < 0:
            f, df = mpmath.expm1(m) * s, mpmath.exp(m) * s + mpmath.expm1(m) * ds
        else:
            f, df = m * s, s + m * ds
        assert ulps(float(yv), f, dtype) <= 4, (t, yv, f)
        assert ulps(float(dv), df, dtype) <= 4, (t, dv, df)


def test_elish_is_continuously_differentiable_at_zero():
    """Both one-sided slopes at 0 are 1/2 (SymPy); the minimum is at
    x = log(sqrt 2 - 1), where u^2 + 2u - 1 = 0 with u = e^x."""
    a = act.get("elish")
    assert symbolic.one_sided(symbolic.derivative(a), 0) == (sp.Rational(1, 2),) * 2
    assert a.derivative(0.0) == 0.5 and a.derivative(-0.0) == 0.5
    x0 = float(mpmath.log(mpmath.sqrt(2) - 1))
    assert abs(float(a.derivative(x0))) < 1e-15
    assert float(a(x0)) == pytest.approx(float(3 - 2 * mpmath.sqrt(2)) * -1, rel=1e-15)


# --- test_self_gated_smu.py ----------------------------------------
# SMU (Smooth Maximum Unit): values, derivative and the partial for mu against
# mpmath evaluated from the paper's erf form, and its limiting cases.
#
# Expected values come from mpmath at 50 digits, never from the code under test.

def _smu_mp(x, alpha, mu):
    x, alpha, mu = mpmath.mpf(x), mpmath.mpf(alpha), mpmath.mpf(mu)
    return ((1 + alpha) * x + (1 - alpha) * x * mpmath.erf(mu * (1 - alpha) * x)) / 2


@pytest.mark.parametrize(("alpha", "mu"), [(0.25, 1.0), (0.0, 2.5), (0.01, 2.5),
                                           (0.7, 0.05)])
def test_smu_matches_the_erf_form(alpha, mu):
    mpmath.mp.dps = 50
    a = act.get("smu")
    xs = [-40.0, -3.0, -0.7, -1e-3, 0.0, 2e-3, 0.9, 4.0, 1e5]
    want = [float(_smu_mp(x, alpha, mu)) for x in xs]
    dwant = [float(mpmath.diff(lambda t: _smu_mp(t, alpha, mu), x)) for x in xs]
    pwant = [float(mpmath.diff(lambda m, x=x: _smu_mp(x, alpha, m), mu)) for x in xs]
    # In the left tail (alpha = 0) f and f' are exp(-t^2/2)-small with condition
    # number about t^2 (t = k x up to 14 here): a relative 1e-13 is a few
    # condition-scaled ulp; elsewhere they agree far closer.
    np.testing.assert_allclose(a(xs, alpha=alpha, mu=mu), want, rtol=1e-13, atol=0)
    np.testing.assert_allclose(a.derivative(xs, alpha=alpha, mu=mu), dwant,
                               rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(a.partial(np.array(xs), "mu", alpha=alpha, mu=mu),
                               pwant, rtol=1e-13, atol=1e-300)


def test_smu_special_cases():
    a = act.get("smu")
    xs = np.linspace(-6, 6, 121)
    # alpha = 0, mu = 1/sqrt(2): erf(x / sqrt 2), GELU (to the rounding of
    # sqrt(2) * 2**-0.5, which the left tail magnifies by t^2 = 36 at most)
    np.testing.assert_allclose(a(xs, alpha=0.0, mu=2**-0.5), act.get("gelu")(xs),
                               rtol=1e-13, atol=1e-300)
    # mu large: Leaky ReLU with slope alpha (away from the narrow bend at 0)
    far = np.abs(xs) > 1e-3
    np.testing.assert_allclose(a(xs, alpha=0.25, mu=1e6)[far],
                               np.where(xs > 0, xs, 0.25 * xs)[far], rtol=1e-15)
    # f(0) = 0 and f'(0) = (1 + alpha) / 2 for every mu
    assert a(0.0) == 0.0 and a.derivative(0.0, alpha=0.25) == 0.625


def test_smu_far_left_tail_and_infinities():
    mpmath.mp.dps = 50
    a = act.get("smu")
    # alpha = 0: f = x Phi(k x) with Phi subnormal; still a few ulp of the truth
    x = -3.0e4
    want = float(_smu_mp(x, 0.0, 1e-3))
    got = float(a(x, alpha=0.0, mu=1e-3))
    assert abs(got - want) <= 4 * abs(np.spacing(want)), (got, want)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            y = a(np.array([-np.inf, np.inf, 1e308, -1e308]), alpha=0.25, mu=1e7)
    np.testing.assert_array_equal(y, [-np.inf, np.inf, 1e308, -2.5e307])


# --- Hard ELiSH ----------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hard_elish_against_mpmath(dtype):
    """The four pieces 0, expm1(x)(x+1)/2, x(x+1)/2, x and their slopes, written
    directly in mpmath (60 digits), beside and between the breakpoints; NaN stays
    NaN, +-inf give 0 and inf, and nothing is flagged."""
    mpmath.mp.dps = 60
    pts = [-1e30, -3.0, -1.0000001, -0.999, -0.5, -1e-6, 1e-30, 1e-6, 0.5, 0.999,
           1.0000001, 7.0, 1e30]
    xs = np.array(pts, dtype=dtype)
    a = act.get("hard_elish")
    with strict():
        y, d = a(xs), a.derivative(xs)
    for t, yv, dv in zip(xs, y, d, strict=True):
        m = mpmath.mpf(float(t))
        if m <= -1:
            f, df = mpmath.mpf(0), mpmath.mpf(0)
        elif m < 0:
            f = mpmath.expm1(m) * (m + 1) / 2
            df = (mpmath.exp(m) * (m + 1) + mpmath.expm1(m)) / 2
        elif m < 1:
            f, df = m * (m + 1) / 2, m + mpmath.mpf(1) / 2
        else:
            f, df = m, mpmath.mpf(1)
        assert ulps(float(yv), f, dtype) <= 4, (t, yv, f)
        assert ulps(float(dv), df, dtype) <= 4, (t, dv, df)
    with strict():
        ends = np.array([-np.inf, np.inf, np.nan], dtype=dtype)
        y, d = a(ends), a.derivative(ends)
    assert y[0] == 0 and not np.signbit(y[0]) and y[1] == np.inf and np.isnan(y[2])
    assert d[0] == 0 and d[1] == 1 and np.isnan(d[2])


def test_hard_elish_corners_and_minimum():
    """At -1 and 1 the inner pieces' slopes, (e^-1 - 1)/2 and 3/2 (torch.clamp's
    convention, from SymPy's one-sided limits), value +0 left of -1; at 0 no
    corner; the minimum at x = W(e^2) - 2 (scipy's lambertw)."""
    a = act.get("hard_elish")
    d1 = symbolic.derivative(a)
    left_m1, right_m1 = symbolic.one_sided(d1, -1)
    assert (left_m1, right_m1) == (0, (sp.exp(-1) - 1) / 2)
    assert symbolic.one_sided(d1, 1) == (sp.Rational(3, 2), 1)
    assert symbolic.one_sided(d1, 0) == (sp.Rational(1, 2),) * 2
    for dtype in FLOATS:
        got = a.derivative(np.array([-1.0, 1.0], dtype=dtype))
        assert got[0] == np.asarray(float(right_m1), dtype=dtype) and got[1] == 1.5
        assert not np.signbit(a(np.array([-1.0, -2.0], dtype=dtype))).any()
    x0 = float(lambertw(np.e**2).real) - 2
    assert abs(float(a.derivative(x0))) < 1e-15
    f0 = float(mpmath.expm1(x0) * (x0 + 1) / 2)
    assert float(a(x0)) == pytest.approx(f0, rel=1e-15)


# --- GELU, sigmoid approximation (MLX's former gelu_approx) ---------------------


def _gelu_sigmoid_mp(z):
    """x sigma(t), t = 1.60033 x (1 + 0.0433603 x^2), and its slope, at 50 digits,
    written from the formula with MLX's constants as exact decimals; 1 - sigma(t)
    as sigma(-t), so the reference does not cancel."""
    mpmath.mp.dps = 50
    x = mpmath.mpf(float(z))
    a, b = mpmath.mpf("1.60033"), mpmath.mpf("0.0433603")
    t = a * x * (1 + b * x * x)
    s, sbar = 1 / (1 + mpmath.exp(-t)), 1 / (1 + mpmath.exp(t))
    return x * s, s + x * a * (1 + 3 * b * x * x) * s * sbar


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gelu_sigmoid_against_mpmath_in_both_tails(dtype):
    a = act.get("gelu_sigmoid")
    xs = np.array([-150.0, -40.0, -10.5, -7.0, -0.75, -1e-3, 0.4, 1.7, 6.0, 60.0, 3e38],
                  dtype=dtype)
    info = np.finfo(dtype)
    with strict():
        y, d = a(xs), a.derivative(xs)
    for z, yv, dv in zip(xs, y, d, strict=True):
        f, df = _gelu_sigmoid_mp(z)
        # condition number in x: about 1 + |x t'(x)| on the left, where the gate
        # is e^t (rounding x, or the constants, moves t by that much relative);
        # 1 where the gate is 1.  Subnormal results within one of their ulps.
        zf = float(z)
        cond = 1 + (abs(zf) * 1.60033 * (1 + 3 * 0.0433603 * zf * zf) if zf < 0 else 0)
        for got, ref in ((yv, f), (dv, df)):
            tol = max(4 * cond * float(info.eps) * abs(float(ref)),
                      float(info.smallest_subnormal))
            assert abs(float(got) - float(ref)) <= tol, (z, got, ref)


def test_gelu_sigmoid_mlx_error_bound_and_symmetry():
    """MLX documented its gelu_approx as within 0.0003 of GELU on [-6, 6]; the
    exact GELU here is mpmath's x Phi(x), independent of the registry."""
    mpmath.mp.dps = 30
    a = act.get("gelu_sigmoid")
    xs = np.linspace(-6.0, 6.0, 1201)
    exact = np.array([float(mpmath.mpf(z) * mpmath.ncdf(mpmath.mpf(z))) for z in xs])
    assert np.abs(a(xs) - exact).max() < 3e-4
    # f(x) - f(-x) = x
    np.testing.assert_allclose(a(xs) - a(-xs), xs, rtol=0, atol=1e-15)
    assert a.derivative(0.0) == 0.5
    assert act.get("gelu_approx").name == "gelu_tanh"  # MLX's current meaning is kept
