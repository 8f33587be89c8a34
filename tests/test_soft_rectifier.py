"""Soft rectifiers (softplus, squareplus, sparse plus, log-sigmoid, bent identity):
the identities that tie them to each other, against independent values.

Expected values come from closed forms, published constants and the frameworks'
documented rules. Their accuracy far out against mpmath, with SiLU's and Mish's, is
in test_numerics.py.
"""

from __future__ import annotations

import numpy as np

import activations as act


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


def test_smelu_is_the_paper_formula_at_any_width():
    """SmeLU (Shamir et al. 2020): 0, (x + beta)^2 / (4 beta), x, evaluated in mpmath
    at 50 digits and rounded once; the registry's sparse_plus with ``beta``."""
    import mpmath

    mpmath.mp.dps = 50
    a = act.get("smelu")
    assert a.name == "sparse_plus"
    for beta in (0.01, 0.3, 2.5, 10.0):
        b = mpmath.mpf(beta)
        z = np.array([-3 * beta, -beta, -0.7 * beta, -1e-3, 0.0, 0.2 * beta, beta,
                      1.5 * beta, 40.0])
        ref = [0 if t <= -b else t if t >= b else (t + b) ** 2 / (4 * b)
               for t in map(mpmath.mpf, z)]
        dref = [0 if t <= -b else 1 if t >= b else (t + b) / (2 * b)
                for t in map(mpmath.mpf, z)]
        np.testing.assert_allclose(a(z, beta=beta), np.array(ref, dtype=float),
                                   rtol=4e-16, atol=0)
        np.testing.assert_allclose(a.derivative(z, beta=beta),
                                   np.array(dref, dtype=float), rtol=4e-16, atol=0)
