"""dReLU, SoLU, PolyNorm and the average-biased ReLU: facts particular to each.

The generic vector checks (Jacobian and VJP against SymPy, dtypes, axes, no
warnings) run over every vector activation in ``test_vector.py``; these tests hold
what is particular to these four. Expected values come from hand computation,
exact fractions, or mpmath at 50 digits, never from the code under test.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest

import activations as act

# --- dReLU ------------------------------------------------------------------------


def test_dglu_is_the_product_of_two_relus_by_hand():
    a = act.get("dglu")
    x = np.array([2.0, -1.0, 3.0, 0.5, 4.0, 4.0, -2.0, 0.0])
    # pairs (2, 4), (-1, 4), (3, -2), (0.5, 0)
    np.testing.assert_array_equal(a(x), [8.0, 0.0, 0.0, 0.0])
    assert a.aliases == ("drelu", "relu_relu_glu")
    assert act.get("dReLU") is a


def test_dglu_jacobian_by_hand_with_relu_prime_zero():
    a = act.get("dglu")
    # open quadrant: [b, a]; a = 0: relu'(0) = 0 in the first column
    np.testing.assert_array_equal(a.jacobian([3.0, 2.0]), [[2.0, 3.0]])
    np.testing.assert_array_equal(a.jacobian([0.0, 2.0]), [[0.0, 0.0]])
    np.testing.assert_array_equal(a.jacobian([2.0, 0.0]), [[0.0, 0.0]])
    np.testing.assert_array_equal(a.jacobian([-1.0, 5.0]), [[0.0, 0.0]])


def test_dglu_closed_half_beside_an_infinite_one_is_zero():
    """The unit is 0 for every finite a when b <= 0, so its limit is 0 too."""
    a = act.get("dglu")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert a([np.inf, -1.0]) == 0.0
        assert a([-1.0, np.inf]) == 0.0
        assert a([np.inf, 2.0]) == np.inf
        np.testing.assert_array_equal(a.vjp([np.inf, -1.0], [1.0]), [0.0, 0.0])
        assert np.isnan(a([np.nan, -1.0]))


def test_dglu_overflow_is_the_rounded_product():
    a = act.get("dglu")
    with np.errstate(all="raise"):
        assert a([1e200, 1e200]) == np.inf
        assert a(np.array([300.0, 300.0], dtype=np.float16)) == np.inf


# --- SoLU -------------------------------------------------------------------------


def _solu_mp(x):
    mpmath.mp.dps = 50
    xs = [mpmath.mpf(float(v)) for v in x]
    total = mpmath.fsum(mpmath.exp(v) for v in xs)
    s = [mpmath.exp(v) / total for v in xs]
    y = [v * w for v, w in zip(xs, s, strict=True)]
    n = len(xs)
    jac = [[(s[i] * (1 + xs[i] * (1 - s[i])) if i == j else -xs[i] * s[i] * s[j])
            for j in range(n)] for i in range(n)]
    return y, jac


@pytest.mark.parametrize("x", [[0.0, 0.0], [1.0, -2.0, 0.5], [30.0, -4.0, 29.0, 0.1],
                               [-0.7, 3.0, -40.0]])
def test_solu_against_mpmath(x):
    a = act.get("solu")
    y, jac = _solu_mp(x)
    # within the condition, about 30 eps for these entries
    np.testing.assert_allclose(a(x), [float(v) for v in y], rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(a.jacobian(x), [[float(v) for v in r] for r in jac],
                               rtol=1e-14, atol=1e-300)
    g = np.linspace(-1.0, 2.0, len(x))
    want = [float(mpmath.fsum(mpmath.mpf(float(g[i])) * jac[i][j]
                              for i in range(len(x)))) for j in range(len(x))]
    np.testing.assert_allclose(a.vjp(x, g), want, rtol=1e-14, atol=1e-300)


def test_solu_by_hand():
    """Equal entries: s = 1/n and y = x/n; the Jacobian of (0, 0) is diag(1/2)."""
    a = act.get("solu")
    np.testing.assert_array_equal(a([3.0, 3.0, 3.0, 3.0]), [0.75] * 4)
    np.testing.assert_array_equal(a.jacobian([0.0, 0.0]), [[0.5, 0.0], [0.0, 0.5]])


def test_solu_at_infinity_takes_the_limits():
    """x e^x -> 0 as x -> -inf: no inf * 0 = NaN."""
    a = act.get("solu")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        np.testing.assert_array_equal(a([-np.inf, 0.0]), [0.0, 0.0])
        np.testing.assert_array_equal(a([np.inf, 0.0]), [np.inf, 0.0])
        np.testing.assert_array_equal(a.jacobian([-np.inf, 0.0]), [[0.0, 0.0],
                                                                  [0.0, 1.0]])


def test_solu_vjp_of_huge_entries_is_finite():
    """g * y overflows in the naive product; the true VJP is g at a one-hot s."""
    a = act.get("solu")
    x = np.array([-4e307, 4e307])
    with np.errstate(all="raise"):
        v = a.vjp(x, np.array([5.0, 7.0]))
    np.testing.assert_array_equal(v, [0.0, 7.0])


# --- PolyNorm ---------------------------------------------------------------------


def _polynorm_mp(x, w=(1 / 3, 1 / 3, 1 / 3), b=0.0):
    """The reference code's formula at 50 digits (w_i multiplies N(x^i))."""
    mpmath.mp.dps = 50
    xs = [mpmath.mpf(float(v)) for v in x]
    n = len(xs)
    out = [mpmath.mpf(b)] * n
    for i, wi in zip((1, 2, 3), w, strict=True):
        d = mpmath.sqrt(mpmath.fsum(v ** (2 * i) for v in xs) / n + mpmath.mpf("1e-6"))
        out = [o + mpmath.mpf(wi) * v**i / d for o, v in zip(out, xs, strict=True)]
    return [float(v) for v in out]


@pytest.mark.parametrize("x", [[0.3, -1.2, 2.0], [1e-4, 2e-4], [5.0, 5.0, -5.0, 0.0],
                               [1e80, 1.0, -3.0], [1e-200, -3e-200]])
def test_polynorm_against_mpmath(x):
    a = act.get("polynorm")
    np.testing.assert_allclose(a(x), _polynorm_mp(x), rtol=4e-15, atol=1e-300)
    w = (0.5, -0.2, 0.1)
    np.testing.assert_allclose(a(x, w1=w[0], w2=w[1], w3=w[2], b=0.3),
                               _polynorm_mp(x, w, 0.3), rtol=4e-15, atol=4e-16)


def test_polynorm_by_hand():
    """(1, -1): every normalised power is (1, -1)/sqrt(1 + 1e-6) or (1, 1)/..."""
    a = act.get("polynorm")
    d = np.sqrt(1 + 1e-6)
    y = a([1.0, -1.0], w1=1.0, w2=0.5, w3=0.25, b=0.0)
    np.testing.assert_allclose(y, [(1 + 0.5 + 0.25) / d, (-1 + 0.5 - 0.25) / d],
                               rtol=2e-16)
    # all zeros: N(0) = 0, and the slope of N(x) there is 1/sqrt(eps) = 1000
    np.testing.assert_array_equal(a([0.0, 0.0, 0.0]), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(a.jacobian([0.0, 0.0], w1=1.0, w2=0.0, w3=0.0),
                               [[1000.0, 0.0], [0.0, 1000.0]], rtol=1e-15)


def test_polynorm_defaults_follow_the_reference_code():
    a = act.get("polynorm")
    assert {k: p.default for k, p in a.params.items()} == {
        "w1": 1 / 3, "w2": 1 / 3, "w3": 1 / 3, "b": 0.0}
    assert act.vector.POLYNORM_EPS == 1e-6


def test_polynorm_huge_and_infinite_entries_take_the_limit():
    a = act.get("polynorm")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        big = a([1e300, 1.0, -2.0])
        inf = a([np.inf, 1.0, -2.0])
        f32 = a(np.array([1e30, 1.0, -2.0], dtype=np.float32))
    # the large entry takes each power's whole mass: N = (sqrt 3, 0, 0)
    np.testing.assert_allclose(big, [np.sqrt(3.0), 0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(inf, big, rtol=1e-15, atol=1e-290)
    np.testing.assert_allclose(f32, [np.sqrt(3.0), 0.0, 0.0], rtol=1e-6, atol=1e-7)


# --- average-biased ReLU ----------------------------------------------------------


def test_abrelu_by_hand():
    """(1, -2, 0, 3): mean 1/2, so z = (1/2, -5/2, -1/2, 5/2)."""
    a = act.get("abrelu")
    x = [1.0, -2.0, 0.0, 3.0]
    np.testing.assert_array_equal(a(x), [0.5, 0.0, 0.0, 2.5])
    np.testing.assert_array_equal(a(x, alpha=0.0), [1.0, 0.0, 0.0, 3.0])  # ReLU
    # alpha = 2: beta = 1, z = (0, -3, -1, 2); relu'(0) = 0 for the first
    np.testing.assert_array_equal(a(x, alpha=2.0), [0.0, 0.0, 0.0, 2.0])
    jac = a.jacobian(x)
    q = 0.25
    np.testing.assert_array_equal(jac, [[1 - q, -q, -q, -q], [0, 0, 0, 0],
                                        [0, 0, 0, 0], [-q, -q, -q, 1 - q]])
    g = np.array([1.0, 5.0, 7.0, 2.0])  # (g^T J)_j = g_j u_j - (1/4)(g_1 + g_4)
    np.testing.assert_array_equal(a.vjp(x, g), [0.25, -0.75, -0.75, 1.25])


def test_abrelu_is_shift_invariant_at_alpha_one():
    a = act.get("abrelu")
    x = np.array([0.25, -1.5, 2.0, 0.75])
    np.testing.assert_array_equal(a(x + 1024.0), a(x))


def test_abrelu_pair_at_alpha_two_does_not_cancel():
    """n = 2, alpha = 2: z_1 = -x_2 exactly, however large x_1."""
    a = act.get("abrelu")
    np.testing.assert_array_equal(a([1e17, -3.0], alpha=2.0), [3.0, 0.0])
    np.testing.assert_array_equal(a([-3.0, 1e300], alpha=2.0), [0.0, 3.0])


def test_abrelu_against_mpmath_at_the_ends_of_the_range():
    mpmath.mp.dps = 50
    a = act.get("abrelu")
    for x in ([1e308, -1e308, 5e307], [3e-320, -1e-321, 7e-322], [1e-300, 2.0, -3.5]):
        for alpha in (1.0, -2.0, 0.5):
            xs = [mpmath.mpf(v) for v in x]
            beta = mpmath.mpf(alpha) * mpmath.fsum(xs) / len(xs)
            want = [float(max(v - beta, 0)) for v in xs]
            with np.errstate(all="raise"):
                got = a(x, alpha=alpha)
            # within the condition: eps (|y| + sum_j |x_j J_ij|) <= 7 eps |y| here
            np.testing.assert_allclose(got, want, rtol=2e-15, atol=5e-324)
