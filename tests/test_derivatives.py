"""Derivatives: SymPy = ``derivative`` = finite differences, and the kink conventions.

``verify`` does the three-way comparison against an mpmath reference and raises on
any failure; here it runs for every activation, float64 and float32.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import symbolic, verify
from activations.symbolic import x

NAMES = act.names()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", NAMES)
def test_src_matches_sympy_and_finite_differences(name, dtype):
    report = verify.verify(name, dtype=dtype)
    assert report.passed
    assert len(report.checks) >= 3


def test_verify_catches_a_wrong_derivative(monkeypatch):
    a = act.get("sigmoid")
    monkeypatch.setattr(a, "_deriv", lambda z: 0.26 * np.exp(-z * z / 8))
    with pytest.raises(verify.VerificationError, match="sigmoid"):
        verify.verify(a)


def test_verify_catches_a_wrong_kink_convention(monkeypatch):
    a = act.get("relu")
    monkeypatch.setattr(a, "_deriv", lambda z: np.heaviside(z, 1.0))
    report = verify.verify(a, raise_on_failure=False)
    assert [c.what for c in report.failures] == ["f'(0) = convention 0"]


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_sympy_at_random_points(name):
    a = act.get(name)
    d = sp.lambdify(x, symbolic.derivative(a, **{k: p.default for k, p in
                                                  a.params.items()}), "mpmath")
    rng = np.random.default_rng(0)
    pts = rng.uniform(-6, 6, 200)
    pts = pts[np.abs(pts) > 1e-3]
    mpmath.mp.dps = 40
    ref = np.array([float(d(mpmath.mpf(float(t)))) for t in pts])
    np.testing.assert_allclose(a.derivative(pts), ref, rtol=1e-13, atol=1e-15)


# Kink conventions: PyTorch autograd returns 0 for relu'(0) (threshold_backward
# keeps the gradient only where the result is > 0) and negative_slope for
# leaky_relu'(0) (it tests self > 0).
def test_relu_derivative_at_zero_is_zero():
    assert act.get("relu").derivative(0.0) == 0.0


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0])
def test_leaky_relu_derivative_at_zero_is_the_slope(slope):
    a = act.get("leaky_relu")
    assert a.derivative(0.0, negative_slope=slope) == np.float64(slope)


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


@pytest.mark.parametrize("name", NAMES)
def test_second_derivative_is_symbolic_and_finite_away_from_kinks(name):
    d2 = symbolic.derivative(name, 2, **{k: p.default for k, p in
                                         act.get(name).params.items()})
    val = complex(d2.subs(x, sp.Rational(7, 10)).evalf())
    assert np.isfinite(val.real) and val.imag == 0


def test_limits_of_sigmoid_derivative_are_zero():
    assert symbolic.derivative_limits("sigmoid") == (0, 0)
    assert symbolic.limits(act.get("relu").expr()) == (0, sp.oo)
