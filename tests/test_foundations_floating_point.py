"""The computations of the page "Floating point and numerical stability"
(activations.foundations.floating_point), against published constants of the IEEE
754 formats, mpmath and hand computations."""

import math
import warnings

import mpmath
import numpy as np
import pytest

from activations.foundations import floating_point as fp

# IEEE 754 binary16, binary32, binary64: (eps, smallest subnormal, smallest normal,
# largest finite, significand bits).
PUBLISHED = {
    np.float16: (2.0**-10, 2.0**-24, 2.0**-14, 65504.0, 11),
    np.float32: (2.0**-23, 2.0**-149, 2.0**-126, (2 - 2.0**-23) * 2.0**127, 24),
    np.float64: (2.0**-52, 2.0**-1074, 2.0**-1022, (2 - 2.0**-52) * 2.0**1023, 53),
}


@pytest.mark.parametrize("dtype", fp.FORMATS)
def test_format_facts_are_the_published_constants(dtype):
    eps, sub, normal, largest, bits = PUBLISHED[dtype]
    f = fp.format_facts(dtype)
    assert (f["eps"], f["smallest_subnormal"], f["smallest_normal"], f["largest"],
            f["bits"]) == (eps, sub, normal, largest, bits)
    assert f["roundoff"] == eps / 2
    # eps times the smallest normal is the smallest subnormal: the floor of the
    # condition-scaled ULP starts exactly where the subnormal band does.
    assert f["eps"] * f["smallest_normal"] == f["smallest_subnormal"]


def test_format_table_has_a_row_per_format():
    t = fp.format_table()
    assert [r[0] for r in t.rows] == ["float16", "float32", "float64"]
    assert "65504" in t._repr_html_().replace(",", "") or "6.55e+04" in t._repr_html_()


def test_attempt_records_the_warning_and_shows_none():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        over = fp.attempt(np.exp, np.float64(1000.0))
        fine = fp.attempt(np.exp, np.float64(1.0))
    assert over.value == math.inf and over.warned == "overflow encountered in exp"
    assert fine.value == math.e and fine.warned == ""


def test_attempt_restores_the_floating_point_state():
    before = np.geterr()
    with np.errstate(over="raise"):
        fp.attempt(np.exp, np.float64(1000.0))
        with pytest.raises(FloatingPointError):
            np.exp(np.float64(1000.0))
    assert np.geterr() == before


def test_attempt_softmax_of_large_logits_is_nan_with_two_warnings():
    v = np.array([1000.0, 1001.0, 1002.0])
    a = fp.attempt(lambda v: np.exp(v) / np.exp(v).sum(), v)
    assert np.isnan(a.value).all()
    assert a.warned == ("overflow encountered in exp; "
                        "invalid value encountered in divide")


def test_reference_against_mpmath_closed_forms():
    f, d = fp.reference("sigmoid", 0.0)
    assert (f, d) == (mpmath.mpf(1) / 2, mpmath.mpf(1) / 4)
    f, d = fp.reference("gelu", -10.0)
    with mpmath.workdps(50):
        exact = -10 * mpmath.ncdf(-10)
        slope = mpmath.ncdf(-10) - 10 * mpmath.npdf(-10)
    assert abs(f / exact - 1) < mpmath.mpf(10) ** -25
    assert abs(d / slope - 1) < mpmath.mpf(10) ** -25
    # parameters reach the expression: PReLU with slope 0.5 at -4 is -2
    assert fp.reference("prelu", -4.0, alpha=0.5)[0] == -2


def test_condition_number_by_hand():
    # exp: x e^x / e^x = x
    assert fp.condition_number("exponential", 100.0) == pytest.approx(100.0, rel=1e-14)
    # softplus: x sigma(x) / softplus(x), for x = -40 about -40 (1 - e^-40 / 2)
    with mpmath.workdps(50):
        t = mpmath.mpf(-40)
        hand = abs(t / (1 + mpmath.exp(-t)) / mpmath.log1p(mpmath.exp(t)))
    assert fp.condition_number("softplus", -40.0) == pytest.approx(float(hand),
                                                                   rel=1e-14)
    # tanh: x sech^2 x / tanh x = 2x / sinh 2x
    assert fp.condition_number("tanh", 0.5) == pytest.approx(1 / math.sinh(1.0),
                                                             rel=1e-14)


@pytest.mark.parametrize(("name", "x"), [("gelu", -10.0), ("sigmoid", -20.0),
                                         ("tanh", 0.5)])
def test_one_ulp_move_of_x_measures_the_condition_number(name, x):
    # a difference quotient of the exact function over one float64 step
    assert fp.neighbour_sensitivity(name, x) == pytest.approx(
        fp.condition_number(name, x), rel=1e-12)


def test_relative_error_by_hand():
    assert fp.relative_error(0.0, mpmath.mpf("7.6e-23")) == 1.0
    assert fp.relative_error(1.5, 1) == 0.5
    assert fp.relative_error(math.inf, 1) == math.inf


def test_ulp_error_by_hand():
    # half the float32 gap at 1, and the gap below 1 is half as large
    assert fp.ulp_error(np.float32(1), mpmath.mpf(1) + mpmath.mpf(2) ** -24,
                        np.float32) == 0.5
    assert fp.ulp_error(np.float32(1), mpmath.mpf(1) - mpmath.mpf(2) ** -25,
                        np.float32) == 0.5
    # in the subnormal band the gap is the smallest subnormal
    sub = mpmath.mpf(2) ** -1074
    assert fp.ulp_error(0.0, sub, np.float64) == 1.0
    assert fp.ulp_error(np.float16(0), mpmath.mpf(2) ** -25, np.float16) == 0.5


def test_scaled_ulp_error_by_hand():
    eps = 2.0**-52
    one = mpmath.mpf(1)
    # no slope: relative error in units of eps, over |g|
    assert fp.scaled_ulp_error(1.0, one + 2 * mpmath.mpf(eps), 0, 1.0,
                               np.float64) == pytest.approx(2.0, rel=1e-14)
    # slope term: g = 1, x g' = 10, so the scale is 11 eps
    assert fp.scaled_ulp_error(1.0, one + 11 * mpmath.mpf(eps), 1, 10.0,
                               np.float64) == pytest.approx(1.0, rel=1e-14)
    # a zero of g at x != 0: the whole scale is the input term |x g'| eps
    assert fp.scaled_ulp_error(3 * eps, 0, 1, 3.0, np.float64) == pytest.approx(1.0)
    # floor: below the subnormal band errors count in smallest subnormals
    assert fp.scaled_ulp_error(0.0, mpmath.mpf(10) * 2**-1074, 0, -1.0,
                               np.float64) == pytest.approx(10.0)
    # NaN is an infinite error; inf beyond the overflow threshold is exact
    assert fp.scaled_ulp_error(math.nan, one, 0, 1.0, np.float64) == math.inf
    assert fp.scaled_ulp_error(math.inf, mpmath.mpf("1e309"), 0, 1.0,
                               np.float64) == 0.0
    # in float16, eps is 2^-10
    assert fp.scaled_ulp_error(np.float16(1), one + mpmath.mpf(2) ** -11, 0, 1.0,
                               np.float16) == pytest.approx(0.5 / (1 + 2.0**-11))


def test_softmax_reference_by_hand():
    s, scale = fp.softmax_reference([0.0, math.log(3.0)])
    assert [float(t) for t in s] == pytest.approx([0.25, 0.75], rel=1e-15)
    # J = [[s0 s1, -s0 s1], [-s0 s1, s0 s1]]: only x_1 = log 3 contributes
    ln3 = math.log(3.0)
    assert [float(t) for t in scale] == pytest.approx(
        [0.25 + ln3 * 0.1875, 0.75 + ln3 * 0.1875], rel=1e-15)


def test_errors_at_sigmoid_in_the_subnormal_band():
    e = fp.errors_at("sigmoid", -745.0)
    # e^-745 / (1 + e^-745) rounds to the smallest subnormal
    assert e["value"] == 2.0**-1074
    with mpmath.workdps(50):
        exact = mpmath.exp(-745) / (1 + mpmath.exp(-745))
    assert e["relative"] == pytest.approx(float(abs(2.0**-1074 - exact) / exact))
    assert e["scaled"] == pytest.approx(float(abs(2.0**-1074 - exact) / 2.0**-1074))
    assert e["scaled"] < 0.5 and e["condition"] == pytest.approx(745.0)


def test_accuracy_rows():
    rows = fp.accuracy_rows(["sigmoid", "prelu"], [-3.0, 0.5, 2.0], [-1.0, 0.5])
    assert [(r["activation"], r["dtype"]) for r in rows] == [
        (t, d) for t in ("Sigmoid", "PReLU", "Softmax")
        for d in ("float16", "float32", "float64")]
    # 0.25 x is exact in binary: PReLU at its default has no error at all
    assert all(r["ulp"] == 0 for r in rows if r["activation"] == "PReLU")
    # the library's promise: within 4 condition-scaled ULP
    assert all(r["scaled"] <= 4 for r in rows)
    assert "Softmax" in fp.accuracy_table(rows)._repr_html_()


def test_a_wrong_value_is_caught():
    # an error of one part in 1e6 is many thousand ULP in float64
    f, d = fp.reference("sigmoid", 1.0)
    assert fp.scaled_ulp_error(float(f) * (1 + 1e-6), f, d, 1.0, np.float64) > 1e9
