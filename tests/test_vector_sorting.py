"""1.5-entmax and the sorting and competing units (maxmin, groupsort, lwta).

Expected values come from independent sources: mpmath root finding for the
entmax threshold at 50 digits, the two-class closed form of 1.5-entmax, Python's
``sorted`` for the sorting units, and hand computation.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import activations as act

# --- 1.5-entmax -------------------------------------------------------------------

def _entmax15_mp(x, dps: int = 50):
    """p_i = [x_i/2 - tau]_+^2 with sum 1, tau by bisection at ``dps`` digits, and
    the Jacobian diag(s) - s s^T / sum(s), s = sqrt(p) (Peters et al. 2019)."""
    with mpmath.workdps(dps):
        u = [mpmath.mpf(float(t)) / 2 for t in x]

        def excess(tau):
            return sum(max(v - tau, 0) ** 2 for v in u) - 1

        hi = max(u)
        tau = mpmath.findroot(excess, (hi - 1, hi), solver="bisect")
        s = [max(v - tau, 0) for v in u]
        total = sum(s)
        jac = [[(s[i] if i == j else 0) - s[i] * s[j] / total for j in range(len(u))]
               for i in range(len(u))]
        return [v * v for v in s], jac


@pytest.mark.parametrize("seed", range(6))
def test_entmax15_matches_mpmath_root_finding(seed):
    a = act.get("entmax15")
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    x = rng.normal(0, [0.3, 1, 3, 10, 100, 1][seed], n)
    p, jac = _entmax15_mp(x)
    np.testing.assert_allclose(a(x), [float(v) for v in p], rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(a.jacobian(x), [[float(v) for v in r] for r in jac],
                               rtol=1e-13, atol=1e-16)
    g = rng.normal(size=n)
    ref = [sum(float(jac[i][j]) * g[i] for i in range(n)) for j in range(n)]
    np.testing.assert_allclose(a.vjp(x, g), ref, rtol=1e-12, atol=1e-15)


def test_entmax15_two_classes_closed_form():
    """(t, 0) -> ((t + sqrt(8 - t^2))^2 / 16, ...) for |t| < 2, one-hot beyond."""
    a = act.get("entmax15")
    t = np.linspace(-1.999, 1.999, 101)
    x = np.stack([t, np.zeros_like(t)], axis=-1)
    np.testing.assert_allclose(a(x)[:, 0], (t + np.sqrt(8 - t**2)) ** 2 / 16,
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(a([2.0, 0.0]), [1.0, 0.0])
    np.testing.assert_array_equal(a([0.0, 7.5]), [0.0, 1.0])


def test_entmax15_scaling_convention_is_the_papers():
    """alpha - 1 = 1/2 multiplies the scores: [x_i - tau]_+^2 would be entmax15(2x)."""
    a = act.get("entmax15")
    x = np.array([0.4, 0.0, -0.3])
    p, _ = _entmax15_mp(x)
    np.testing.assert_allclose(a(x), [float(v) for v in p], rtol=1e-14)
    assert not np.allclose(a(x), a(2 * x))


def test_entmax15_jacobian_is_continuous_where_the_support_changes():
    """C^1: as an entry leaves the support its Jacobian row and column go to 0
    (sparsemax's jump by 1/|S| instead)."""
    a = act.get("entmax15")
    for eps in (1e-4, 1e-8):
        inside = a.jacobian([0.0, -2.0 + eps])
        assert np.max(np.abs(inside)) < 2 * np.sqrt(eps)
    np.testing.assert_array_equal(a.jacobian([0.0, -2.0]), np.zeros((2, 2)))


def test_entmax15_huge_and_infinite_scores():
    a = act.get("entmax15")
    big = np.finfo(np.float64).max
    np.testing.assert_array_equal(a([big, -big, 0.0]), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(a([np.inf, np.inf, 1.0]), [0.5, 0.5, 0.0], rtol=4e-16)
    np.testing.assert_array_equal(a([1.0, -np.inf]), [1.0, 0.0])
    assert np.isnan(a([1.0, np.nan, 0.0])).all()


def test_entmax15_expr_refuses_more_inputs_than_its_limit():
    from activations.vector import ENTMAX15_SYM_MAX_N

    with pytest.raises(ValueError, match=r"entmax15.*n <= 8"):
        act.get("entmax15").expr(ENTMAX15_SYM_MAX_N + 1)


# --- maxmin -----------------------------------------------------------------------

def test_maxmin_sorts_each_pair_in_decreasing_order():
    a = act.get("maxmin")
    rng = np.random.default_rng(1)
    x = rng.integers(-3, 4, (200, 6)).astype(np.float64)  # many ties
    want = [sum((sorted(row[k:k + 2], reverse=True) for k in range(0, 6, 2)), [])
            for row in x.tolist()]
    np.testing.assert_array_equal(a(x), want)


def test_maxmin_odd_length_is_a_clear_error():
    with pytest.raises(ValueError, match=r"maxmin.*even length.*got length 3"):
        act.get("maxmin")([1.0, 2.0, 3.0])


def test_maxmin_tie_keeps_the_identity_permutation():
    """At a = b the stable sort counts the first entry as the maximum: J = I,
    still a permutation (torch.maximum/minimum split the gradient instead)."""
    a = act.get("maxmin")
    np.testing.assert_array_equal(a.jacobian([1.0, 1.0]), np.eye(2))
    np.testing.assert_array_equal(a.vjp([1.0, 1.0], [1.0, 0.0]), [1.0, 0.0])
    np.testing.assert_array_equal(a.jacobian([1.0, 2.0]), [[0, 1], [1, 0]])


def test_maxmin_preserves_norms_of_values_and_gradients():
    a = act.get("maxmin")
    rng = np.random.default_rng(2)
    x, g = rng.standard_normal((50, 8)), rng.standard_normal((50, 8))
    np.testing.assert_array_equal(np.sort(a(x), axis=1), np.sort(x, axis=1))
    np.testing.assert_array_equal(np.sort(a.vjp(x, g), axis=1), np.sort(g, axis=1))


# --- groupsort --------------------------------------------------------------------

@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_groupsort_sorts_each_group_in_decreasing_order(k):
    a = act.get("groupsort")
    rng = np.random.default_rng(k)
    x = rng.integers(-2, 3, (100, 6)).astype(np.float64)
    want = [sum((sorted(row[s:s + k], reverse=True) for s in range(0, 6, k)), [])
            for row in x.tolist()]
    np.testing.assert_array_equal(a(x, group_size=k), want)


def test_groupsort_of_two_is_maxmin_and_of_n_is_a_full_sort():
    a, m = act.get("groupsort"), act.get("maxmin")
    rng = np.random.default_rng(5)
    x = rng.integers(-2, 3, (100, 6)).astype(np.float64)
    g = rng.standard_normal(x.shape)
    np.testing.assert_array_equal(a(x, group_size=2), m(x))
    np.testing.assert_array_equal(a.jacobian(x, group_size=2), m.jacobian(x))
    np.testing.assert_array_equal(a.vjp(x, g, group_size=2), m.vjp(x, g))
    np.testing.assert_array_equal(a(x, group_size=6), -np.sort(-x, axis=1))


def test_groupsort_jacobian_is_the_stable_permutation():
    """Output i is input j: J[i, j] = 1; tied entries keep their input order."""
    a = act.get("groupsort")
    x = [2.0, 5.0, 2.0, 1.0]
    np.testing.assert_array_equal(a.jacobian(x, group_size=4),
                                  [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0],
                                   [0, 0, 0, 1]])
    np.testing.assert_array_equal(a.jacobian([1.0, 1.0, 1.0], group_size=3), np.eye(3))


def test_groupsort_length_must_be_a_multiple_of_the_group_size():
    with pytest.raises(ValueError, match=r"groupsort.*length 5.*group_size=2"):
        act.get("groupsort")(np.ones(5))


def test_groupsort_nan_makes_only_its_group_nan():
    y = act.get("groupsort")([np.nan, 1.0, 3.0, 2.0])
    assert np.isnan(y[:2]).all()
    np.testing.assert_array_equal(y[2:], [3.0, 2.0])


# --- lwta -------------------------------------------------------------------------

def _lwta_ref(row, k):
    """By hand: the first largest entry of each block passes, the rest give 0."""
    out = []
    for s in range(0, len(row), k):
        block = row[s:s + k]
        win = block.index(max(block))
        out += [v if i == win else 0.0 for i, v in enumerate(block)]
    return out


@pytest.mark.parametrize("k", [1, 2, 3])
def test_lwta_keeps_the_first_maximum_of_each_block(k):
    a = act.get("lwta")
    rng = np.random.default_rng(10 + k)
    x = rng.integers(-2, 3, (100, 6)).astype(np.float64)
    np.testing.assert_array_equal(a(x, group_size=k),
                                  [_lwta_ref(r, k) for r in x.tolist()])
    g = rng.standard_normal(x.shape)
    win = np.array([[i == s + r[s:s + k].index(max(r[s:s + k]))
                     for s in range(0, 6, k) for i in range(s, s + k)]
                    for r in x.tolist()])
    np.testing.assert_array_equal(a.vjp(x, g, group_size=k), np.where(win, g, 0.0))


def test_lwta_tie_goes_to_the_first_and_the_function_jumps():
    a = act.get("lwta")
    np.testing.assert_array_equal(a([1.0, 1.0]), [1.0, 0.0])
    np.testing.assert_array_equal(a([1.0, 1.0 + 2**-30]), [0.0, 1.0 + 2**-30])
    np.testing.assert_array_equal(a.jacobian([1.0, 1.0]), [[1.0, 0.0], [0.0, 0.0]])


def test_lwta_selects_so_an_infinite_loser_gives_zero():
    a = act.get("lwta")
    np.testing.assert_array_equal(a([1.0, -np.inf]), [1.0, 0.0])
    np.testing.assert_array_equal(a.vjp([1.0, -np.inf], [np.inf, 5.0]), [np.inf, 0.0])
    np.testing.assert_array_equal(a([-np.inf, -np.inf]), [-np.inf, 0.0])


def test_lwta_length_must_be_a_multiple_of_the_group_size():
    with pytest.raises(ValueError, match=r"lwta.*length 3.*group_size=2"):
        act.get("lwta")(np.ones(3))
