"""Derivatives: SymPy = ``derivative`` = finite differences, and the kink conventions.

``verify`` does the three-way comparison against an mpmath reference and raises on
any failure; here it runs for every activation, float64, float32 and float16, with
every floating-point exception raising and every warning an error: neither the
activation nor the verifier's own arithmetic may signal one.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import symbolic, verify
from activations.symbolic import x

NAMES = act.names()
ELEMENTWISE = act.names(elementwise=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("name", NAMES)
def test_src_matches_sympy_and_finite_differences(name, dtype):
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        report = verify.verify(name, dtype=dtype)
    assert report.passed
    assert len(report.checks) >= 3


def test_verify_catches_a_wrong_derivative(monkeypatch):
    a = act.get("sigmoid")
    # |z| capped: the grid reaches 1.8e308, where z * z would overflow
    monkeypatch.setattr(a, "_deriv", lambda z: 0.26 * np.exp(
        -np.square(np.minimum(np.abs(z), 1e100)) / 8))
    with pytest.raises(verify.VerificationError, match="sigmoid"):
        verify.verify(a)


def test_verify_catches_a_wrong_kink_convention(monkeypatch):
    a = act.get("relu")
    monkeypatch.setattr(a, "_deriv", lambda z: np.heaviside(z, 1.0))
    report = verify.verify(a, raise_on_failure=False)
    assert [c.what for c in report.failures] == ["f'(0) = convention 0"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_sympy_at_random_points(name):
    a = act.get(name)
    d = sp.lambdify(x, symbolic.derivative(a, **{k: p.default for k, p in
                                                  a.params.items()}), "mpmath")
    rng = np.random.default_rng(0)
    pts = rng.uniform(-6, 6, 200)
    kinks = np.array(a.kink_points() or [np.inf])
    pts = pts[np.min(np.abs(pts[:, None] - kinks[None, :]), axis=1) > 1e-3]
    mpmath.mp.dps = 40
    ref = np.array([float(d(mpmath.mpf(float(t)))) for t in pts])
    np.testing.assert_allclose(a.derivative(pts), ref, rtol=1e-13, atol=1e-15)


def test_verify_rejects_a_kink_value_outside_the_one_sided_slopes(monkeypatch):
    # Leaky ReLU's one-sided slopes at 0 are 0.01 and 1: 1.5 is no subgradient,
    # while PyTorch's sign(0) = 0 for |x| lies between -1 and 1 and passes.
    a = act.get("leaky_relu")
    kink = a.kinks[0]
    bad = type(kink)(kink.at, lambda negative_slope: 1.5, kink.frameworks)
    monkeypatch.setattr(a, "kinks", (bad,))
    monkeypatch.setattr(a, "_deriv", lambda z, negative_slope: np.where(
        z == 0, 1.5, np.where(z > 0, 1.0, negative_slope)))
    report = verify.verify(a, raise_on_failure=False)
    assert {c.what for c in report.failures} == {"f'(0) = convention 1.5"}
    assert verify.verify("absolute").passed


LEARNABLE = [(n, k) for n in NAMES for k in act.get(n).learnable]


@pytest.mark.parametrize(("name", "wrt"), LEARNABLE)
def test_partial_wrt_learnable_parameter(name, wrt):
    """The hand-written partial equals SymPy's and central differences in the
    parameter, at the default and at an interior value of the parameter."""
    a = act.get(name)
    sym = a.symbols()[wrt]
    p = a.params[wrt]
    inner = (p.low + p.high) / 2 if np.isfinite(p.low + p.high) else p.default + 0.5
    rng = np.random.default_rng(1)
    pts = np.concatenate([rng.uniform(-6, 6, 120), [-30.0, -2.5, 0.5, 3.0, 40.0]])
    for value in (p.default, inner):
        params = {wrt: value}
        kinks = np.array(a.kink_points(**params) or [np.inf])
        xs = pts[np.min(np.abs(pts[:, None] - kinks[None, :]), axis=1) > 1e-3]
        expr = sp.diff(a.expr(), sym).subs(sym, symbolic.exact(value))
        others = {s: symbolic.exact(a.params[k].default)
                  for k, s in a.symbols().items() if k != wrt}
        d = sp.lambdify(x, expr.subs(others), "mpmath")
        mpmath.mp.dps = 40
        ref = np.array([float(d(mpmath.mpf(float(t)))) for t in xs])
        got = a.partial(xs, wrt, **params)
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)
        h = 1e-6 * max(1.0, abs(value))
        if value != 0:  # PAU's b_3 starts at 5e-7 and enters as |b_3|: stay on its side
            h = min(h, abs(value) / 4)
        fd = (a(xs, **{wrt: value + h}) - a(xs, **{wrt: value - h})) / (2 * h)
        np.testing.assert_allclose(got, fd, rtol=1e-5, atol=1e-6)


def test_partial_of_a_fixed_parameter_is_refused():
    with pytest.raises(ValueError, match="negative_slope"):
        act.get("leaky_relu").partial(1.0, "negative_slope")


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_derivative_through_the_output_identity_holds(name):
    ident = symbolic.via_output(name)
    assert ident is not None and ident.holds


def test_identities_are_the_textbook_ones():
    y = symbolic.y
    assert sp.expand(act.get("sigmoid").via_output(y) - (y - y**2)) == 0
    assert sp.expand(act.get("tanh").via_output(y) - (1 - y**2)) == 0


def test_a_false_identity_is_reported(monkeypatch):
    a = act.get("tanh")
    monkeypatch.setattr(a, "_via_output", lambda y: 1 - y)
    assert not symbolic.via_output(a).holds


# Values at 0 from the textbook formulas, independent of src.
@pytest.mark.parametrize(
    ("name", "f0", "df0"),
    [("sigmoid", 0.5, 0.25), ("tanh", 0.0, 1.0), ("gelu", 0.0, 0.5),
     ("gelu_tanh", 0.0, 0.5), ("relu", 0.0, 0.0), ("leaky_relu", 0.0, 0.01)],
)
def test_value_and_slope_at_zero(name, f0, df0):
    a = act.get(name)
    assert a(0.0) == f0 and a.derivative(0.0) == df0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_second_derivative_is_symbolic_and_finite_away_from_kinks(name):
    d2 = symbolic.derivative(name, 2, **{k: p.default for k, p in
                                         act.get(name).params.items()})
    val = complex(d2.subs(x, sp.Rational(7, 10)).evalf())
    assert np.isfinite(val.real) and val.imag == 0


def test_limits_of_sigmoid_derivative_are_zero():
    assert symbolic.derivative_limits("sigmoid") == (0, 0)
    assert symbolic.limits(act.get("relu").expr()) == (0, sp.oo)
