"""The checks of the guide page "Formulas as they circulate, checked"
(book/guide/formulas_checked.md), against hand computations, mpmath and published
constants."""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

import activations as act
from activations.foundations import errata

x = errata.x


def test_tanh_derivative_circulating_form_is_wrong():
    c = errata.compare((1 - sp.tanh(x)) ** 2,
                       sp.diff(act.get("tanh").expr(), x), 1.0)
    assert c.wrong
    t = mpmath.tanh(1)
    assert abs(c.right_value - float(1 - t**2)) < 1e-15
    assert abs(c.circulating_value - float((1 - t) ** 2)) < 1e-15
    # and the right form is right
    ok = errata.compare(1 - sp.tanh(x) ** 2, sp.diff(sp.tanh(x), x), 1.0)
    assert not ok.wrong


def test_lecun_scale_maps_one_to_one():
    a = errata.lecun_scale(40)
    with mpmath.workdps(40):
        assert abs(a - 1 / mpmath.tanh(mpmath.mpf(2) / 3)) < mpmath.mpf(10) ** -35
    assert round(float(a), 4) == 1.7159  # LeCun et al. 1998, "1.7159"
    assert round(float(a), 4) != 1.7519


def test_hard_sigmoid_forms_by_hand():
    forms = errata.hard_sigmoid_forms()
    keras2, torch = forms["slope 1/5"], forms["slope 1/6"]
    assert keras2.subs(x, 1) == sp.Rational(7, 10)  # 0.2 + 0.5
    assert torch.subs(x, 1) == sp.Rational(2, 3)  # 1/6 + 1/2
    assert keras2.subs(x, sp.Rational(5, 2)) == 1 and keras2.subs(x, -2.5) == 0
    for v in np.linspace(-5, 5, 41):
        relu6 = min(max(v + 3, 0), 6) / 6
        assert abs(float(torch.subs(x, v)) - relu6) < 1e-15


def test_inequality_turned_round_describes_a_half_line():
    written, meant = errata.inequality_sets(sp.Rational(-5, 2), sp.Rational(5, 2))
    assert written == sp.Interval(-sp.oo, sp.Rational(-5, 2))
    assert meant == sp.Interval(sp.Rational(-5, 2), sp.Rational(5, 2))


def test_prelu_forms_by_hand():
    f = errata.prelu_forms()
    alpha = act.get("prelu").symbols()["alpha"]
    at = {alpha: sp.Rational(1, 10)}
    xs = [-2, -1, 0, 2, 3, 5]
    assert [f["circulating"].subs(at).subs(x, v) for v in xs] == [
        0, 0, 0, sp.Rational(1, 5), sp.Rational(3, 10), sp.Rational(1, 2)]
    expected = [sp.Rational(-1, 5), sp.Rational(-1, 10), 0, 2, 3, 5]
    for key in ("defined", "registry"):
        assert [f[key].subs(at).subs(x, v) for v in xs] == expected


def test_elu_range_follows_alpha():
    low, rng = errata.elu_range(2.0)
    assert low == -2
    assert rng.startswith("(-2,")  # open: e^x - 1 never reaches -1


def _closed_form_selu():
    """Klambauer et al. (2017): α from the mean, λ from the second moment, with
    Φ(-t) = erfc(t/√2)/2."""
    with mpmath.workdps(40):
        def cdf(t):
            return mpmath.erfc(-t / mpmath.sqrt(2)) / 2
        e = mpmath.e
        alpha = -mpmath.sqrt(2 / mpmath.pi) / (
            mpmath.erfc(1 / mpmath.sqrt(2)) * mpmath.sqrt(e) - 1)
        second = mpmath.mpf(1) / 2 + alpha**2 * (
            e**2 * cdf(-2) - 2 * mpmath.sqrt(e) * cdf(-1) + mpmath.mpf(1) / 2)
        return 1 / mpmath.sqrt(second), alpha


def test_selu_constants_against_the_closed_form_and_published_digits():
    lam, alpha = errata.selu_constants(35)
    lam_c, alpha_c = _closed_form_selu()
    with mpmath.workdps(35):
        assert abs(lam - lam_c) < mpmath.mpf(10) ** -28
        assert abs(alpha - alpha_c) < mpmath.mpf(10) ** -28
    # the digits TensorFlow's kernel and the paper's code publish
    with mpmath.workdps(35):
        assert mpmath.nstr(lam, 30) == "1.05070098735548049341933498529"
        assert mpmath.nstr(alpha, 30) == "1.67326324235437728481704299167"


def test_selu_moments_at_the_fixed_point_and_off_it():
    lam, alpha = _closed_form_selu()
    mean, second = errata.selu_moments(lam, alpha)
    assert abs(mean) < 1e-25 and abs(second - 1) < 1e-25
    # λ = 1, α = 1: mean 1/√(2π) + (√e Φ(-1) - 1/2), by hand
    with mpmath.workdps(30):
        hand = (1 / mpmath.sqrt(2 * mpmath.pi)
                + mpmath.sqrt(mpmath.e) * mpmath.erfc(1 / mpmath.sqrt(2)) / 2
                - mpmath.mpf(1) / 2)
    assert abs(errata.selu_moments(1, 1)[0] - hand) < 1e-25
