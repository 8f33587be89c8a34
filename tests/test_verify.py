"""The verifier's own reach: each test is a kernel wrong in a place the verifier once
did not look (a pair of parameters at their ends, an infinite parameter, inputs
beyond 1e4 or in the subnormal band), or a reference that was itself wrong; and two
kernels wrong in plain sight (an overflow too early, a slope 0.1% off) it must fail."""

from __future__ import annotations

import itertools
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import symbolic, verify
from activations.vector import verify as vector_verify


def _one_at_a_time(a) -> list[dict]:
    """The parameter sets the verifier used to try: the defaults, then one
    parameter at a time at its finite ends and midpoint."""
    base = {k: p.default for k, p in a.params.items()}
    sets = [base]
    for k, p in a.params.items():
        for v in (p.low, p.high, (p.low + p.high) / 2):
            if math.isfinite(v) and v != p.default:
                sets.append({**base, k: v})
    return sets


def test_param_sets_hold_every_corner_and_pair():
    # three parameters: every combination of their three values, 3^3
    sets = verify.param_sets("xielu")
    params = act.get("xielu").params
    ends = {k: {p.low, p.high, p.default} for k, p in params.items()}
    combos = {tuple(s[k] for k in params) for s in sets
              if all(s[k] in ends[k] for k in params)}
    assert len(params) == 3 and len(combos) == 3 ** 3
    # four: every pair of values of every two parameters, and both far corners
    sets = verify.param_sets("srelu")
    params = act.get("srelu").params
    names = list(params)
    for i, j in itertools.combinations(names, 2):
        pairs = {(s[i], s[j]) for s in sets}
        want = {(u, v) for u in (params[i].low, params[i].high, params[i].default)
                for v in (params[j].low, params[j].high, params[j].default)}
        assert want <= pairs, (i, j)
    for end in ("low", "high"):
        assert {k: getattr(p, end) for k, p in params.items()} in sets


def test_many_parameters_take_every_pair_of_values_in_few_sets():
    # Beyond verify.FULL_PRODUCT combinations (the rational units' seven and ten
    # coefficients), a strength-2 orthogonal array; two and four values mixed in.
    values = [[0.0, 1.0, 2.0]] * 7 + [[5.0, 6.0], [7.0, 8.0, 9.0, 10.0]]
    rows = verify._pairwise(values)
    assert len(rows) < 130
    for i, j in itertools.combinations(range(len(values)), 2):
        assert {(r[i], r[j]) for r in rows} == set(itertools.product(values[i],
                                                                      values[j]))
    assert tuple(v[1] for v in values) in rows  # every parameter at its low end


def test_a_kernel_wrong_only_at_a_corner_is_caught(monkeypatch):
    # Hard Tanh, wrong only when both clip levels sit at their far ends: one
    # parameter at a time never puts them there together.
    a = act.get("hard_tanh")
    right = a._fn

    def wrong(x, min_val, max_val):
        if min_val == -10.0 and max_val == 10.0:
            return np.clip(x, -10.0, 9.5)
        return right(x, min_val=min_val, max_val=max_val)

    monkeypatch.setattr(a, "_fn", wrong)
    assert verify.verify(a, params=_one_at_a_time(a), raise_on_failure=False).passed
    report = verify.verify(a, raise_on_failure=False)
    assert [c.params for c in report.failures if c.what.startswith("f:")] == [
        {"min_val": -10.0, "max_val": 10.0}]


def test_an_infinite_parameter_is_verified_where_it_is_allowed(monkeypatch):
    # Threshold's value may be ±inf (Param.infinite): a kernel that writes the
    # largest finite number instead was never tried.
    a = act.get("threshold")
    assert {s["value"] for s in verify.param_sets(a)} >= {math.inf, -math.inf}
    right = a._fn

    def wrong(x, threshold, value):
        v = math.copysign(np.finfo(x.dtype).max, value) if math.isinf(value) else value
        return right(x, threshold=threshold, value=v)

    monkeypatch.setattr(a, "_fn", wrong)
    assert verify.verify(a, params=_one_at_a_time(a), raise_on_failure=False).passed
    report = verify.verify(a, raise_on_failure=False)
    assert {c.params["value"] for c in report.failures} == {math.inf, -math.inf}


def test_an_open_infinite_end_is_verified_through_a_large_stand_in(monkeypatch):
    # Softshrink's lambd runs over [0, inf): a kernel that caps it at 1e10 is
    # right at every value one parameter at a time tried (0 and the default).
    a = act.get("softshrink")
    assert verify.BIG_PARAM[np.dtype(np.float64)] in {
        s["lambd"] for s in verify.param_sets(a)}
    right = a._fn
    monkeypatch.setattr(a, "_fn", lambda x, lambd: right(x, lambd=min(lambd, 1e10)))
    assert verify.verify(a, params=_one_at_a_time(a), raise_on_failure=False).passed
    assert not verify.verify(a, raise_on_failure=False).passed


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_grid_reaches_the_largest_finite_and_the_subnormal_band(dtype):
    info = np.finfo(dtype)
    g = verify.grid("softsign", dtype=dtype)
    assert g.dtype == dtype and np.all(np.isfinite(g))
    for v in (info.max, info.smallest_subnormal, info.tiny, info.tiny / 2,
              np.sqrt(info.max)):
        assert dtype(v) in g and dtype(-v) in g
    assert np.count_nonzero((np.abs(g) > 0) & (np.abs(g) < info.tiny)) >= 8


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_grid_facts_state_the_ends_of_the_format_and_the_counts(dtype):
    info = np.finfo(dtype)
    facts = verify.grid_facts("leaky_relu", dtype=dtype)
    assert facts["largest"] == float(info.max)
    assert facts["smallest"] == float(info.smallest_subnormal)
    g = verify.grid("leaky_relu", dtype=dtype)
    assert facts["points"] == len(g)
    assert facts["core"] == np.count_nonzero(np.abs(g.astype(np.float64)) <= 8)
    assert facts["fd_largest"] == 1e4  # the finite differences stop at 10^4
    # default 0.01, the ends 0 and 1 and the midpoint 0.5 of its range [0, 1]
    assert facts["param_sets"] == 4
    assert verify.grid_facts("relu")["param_sets"] == 1
    # ELU's alpha in [0, inf): 1, 0 and the stand-in 1e300 for the open end
    assert verify.grid_facts("elu")["param_sets"] == 3
    # SReLU's kinks move with t_left and t_right, and the grid with them
    sets = verify.param_sets("srelu")
    assert verify.grid_facts("srelu")["checked"] == sum(
        len(verify.grid("srelu", **p)) for p in sets) > len(sets) * 161


def test_grid_facts_of_a_vector_activation_count_its_parameter_sets():
    # maxout's pieces in [1, 8], default 2
    assert verify.grid_facts("maxout") == {"param_sets": 4, "vectors": 13}  # 2, 1, 8, 4


def _old_grid() -> np.ndarray:
    mags = np.logspace(-10, 4, 57)
    return np.concatenate([np.linspace(-8, 8, 161), mags, -mags])


def test_a_kernel_wrong_beyond_1e4_is_caught(monkeypatch):
    a = act.get("softsign")
    right = a._fn
    monkeypatch.setattr(a, "_fn", lambda x: np.where(np.abs(x) > 1e5, np.sign(x),
                                                     right(x)))
    old = _old_grid()
    np.testing.assert_array_equal(a(old), right(old))  # the old grid saw nothing
    report = verify.verify(a, raise_on_failure=False)
    assert [c.what for c in report.failures] == ["f: src vs SymPy"]
    assert abs(report.failures[0].worst_x) > 1e5


def test_a_kernel_that_flushes_subnormals_is_caught(monkeypatch):
    a = act.get("identity")
    monkeypatch.setattr(a, "_fn", lambda x: np.where(
        np.abs(x) < np.finfo(x.dtype).tiny, np.zeros_like(x), x))
    old = _old_grid()
    np.testing.assert_array_equal(a(old), old)
    for dtype in (np.float64, np.float32):
        report = verify.verify(a, dtype=dtype, raise_on_failure=False)
        assert [c.what for c in report.failures] == ["f: src vs SymPy"]
        assert 0 < abs(report.failures[0].worst_x) < np.finfo(dtype).tiny


def test_vector_ulp_counts_a_correctly_rounded_overflow_as_exact():
    info = np.finfo(np.float64)
    beyond = mpmath.mpf(float(info.max)) * 2
    scale = info.eps * beyond
    inf = np.float64(np.inf)
    assert verify._ulp(inf, beyond, scale, info.smallest_subnormal) == 0.0
    assert verify._ulp(-inf, -beyond, scale, info.smallest_subnormal) == 0.0
    # the wrong sign, or an inf where the exact value still fits, is no rounding
    assert verify._ulp(-inf, beyond, scale, info.smallest_subnormal) == math.inf
    fits = mpmath.mpf(float(info.max))
    assert verify._ulp(inf, fits, info.eps * fits, info.smallest_subnormal) == math.inf
    # in float32 the bound is float32's largest value, not float64's
    big32 = mpmath.mpf(float(np.finfo(np.float32).max)) * 2
    assert verify._ulp(np.float32(np.inf), big32, 1.0, 1e-45) == 0.0


def test_vector_points_reach_the_ends_of_the_format():
    for dtype in (np.float32, np.float64):
        info = np.finfo(dtype)
        pts = vector_verify.points(4, dtype=dtype)
        assert pts.dtype == dtype and np.all(np.isfinite(pts))
        assert np.max(np.abs(pts)) >= info.max / 8
        assert np.any((pts != 0) & (np.abs(pts) < info.tiny))


def _sinc_slope_series(t: mpmath.mpf) -> mpmath.mpf:
    # sinc'(x) = -x/3 + x^3/30 - x^5/840 + ..., exact far beyond 25 digits here
    return -t / 3 + t**3 / 30 - t**5 / 840


@pytest.mark.parametrize("t", [1e-10, 1e-100, 1e-200, 1e-300, 2.2250738585072014e-308,
                               5e-324])
def test_sinc_slope_reference_does_not_cancel_at_tiny_x(t):
    d1 = sp.diff(act.get("sinc").expr(), symbolic.x)
    ref = verify._mp_func(d1)(t)
    with mpmath.workdps(60):
        exact = _sinc_slope_series(mpmath.mpf(t))
        assert abs(ref - exact) <= abs(exact) * mpmath.mpf(10) ** -24


def test_a_sinc_slope_flushed_to_zero_at_tiny_x_is_caught(monkeypatch):
    # -x/3 is a normal number down to x = 7e-308; a slope of 0 there is wrong, and
    # a reference that cancels to 0 would have called it right.
    a = act.get("sinc")
    right = a._deriv
    monkeypatch.setattr(a, "_deriv", lambda x: np.where(
        np.abs(x) < 1e-250, np.zeros_like(x), right(x)))
    report = verify.verify(a, raise_on_failure=False)
    assert [c.what for c in report.failures] == ["f': src vs SymPy"]
    assert abs(report.failures[0].worst_x) < 1e-250


def test_vector_reference_picks_the_branch_of_huge_entries():
    """The branch of a piecewise output was chosen at 60 digits, where x - 1 is x
    for x = 6e60: sparsemax([6e60, 6e60]) had the reference [0, 0]. Equal entries
    share the simplex evenly: [1/2, 1/2] (and 1, 0 for entries 1e300 apart)."""
    a = act.get("sparsemax")
    with mpmath.workdps(verify._PRECISIONS[-1]):
        ref = vector_verify.Reference(a.expr(2), a.input_symbols(2))
        for x, want in (([6.42775218e60, 6.42775218e60], [0.5, 0.5]),
                        ([1e300, -1e-300], [1.0, 0.0])):
            ry, _, _ = ref(np.array(x))
            assert [float(v) for v in ry] == want, (x, ry)


DTYPES = [np.float16, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_verifiers_own_arithmetic_signals_no_floating_point_exception(dtype):
    # Building the grid rounds 1e-30 to 0 in float16 and computes 10**-323.3 in
    # float64: underflows it means, which once raised under errstate(all="raise")
    # before any activation was called. (test_derivatives runs the whole verify
    # so, for every activation and dtype.)
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in act.names():
            verify.grid_facts(name, dtype=dtype)
            if act.get(name).elementwise:
                for p in verify.param_sets(name, dtype=dtype):
                    verify.grid(name, dtype=dtype, **p)
        for n in (2, 3, 5):
            vector_verify.points(n, dtype=dtype)
        verify.verify("relu", dtype=dtype)
        vector_verify.verify("softmin", dtype=dtype, params=[{}], sizes=[2])


def test_a_floating_point_exception_of_the_activation_still_reaches_the_caller(
        monkeypatch):
    # The verifier quiets only its own arithmetic: an activation that overflows
    # (a naive exp(x) at x = 1e4) is not hidden by it.
    a = act.get("exponential")
    monkeypatch.setattr(a, "_fn", lambda x: np.exp(x))
    with np.errstate(all="raise"), pytest.raises(FloatingPointError, match="exp"):
        verify.verify(a, raise_on_failure=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning, match="overflow encountered in exp"):
            verify.verify(a, raise_on_failure=False)


def _kink_checks(report):
    return [c for c in report.checks if c.what.startswith("f'(")]


@pytest.mark.parametrize(("name", "params"), [
    ("threshold", {"threshold": 1e30, "value": 0.0}),
    ("threshold", {"threshold": -1e30, "value": math.inf}),
    ("hardshrink", {"lambd": 1e30}),
])
def test_a_kink_beyond_the_dtypes_range_is_not_applicable(name, params):
    # 1e30 is inf in float16 (largest finite value 65504): no input lies at the
    # kink, so there is no convention to check. It once evaluated the derivative
    # at inf and reported a failure (or, at -1e30, a pass by luck).
    report = verify.verify(name, dtype=np.float16, params=[params])
    kinks = _kink_checks(report)
    assert kinks and report.skipped == kinks
    for c in kinks:
        assert c.points == 0 and c.passed and "65504" in c.skipped
    assert report.passed and not report.failures
    assert "n/a" in repr(report) and "not applicable" in report._repr_html_()
    # in float32 (largest 3.4e38) the same kink is an input, and checked
    report = verify.verify(name, dtype=np.float32, params=[params])
    assert not report.skipped
    assert [c.points for c in _kink_checks(report)] == [1] * len(kinks)


def test_a_kink_between_two_float16_numbers_is_not_applicable():
    # float16 is computed in float32: Hard Sigmoid's kinks at +-1/(2 * 0.525) are
    # float32 numbers, and the float16 nearest each (+-0.95215) lies inside them,
    # where the slope 0.525 is the right derivative, not the convention 0.
    a = act.get("hard_sigmoid")
    report = verify.verify(a, dtype=np.float16, params=[{"slope": 0.525}])
    assert report.passed and len(report.skipped) == 2
    assert all("0.952148" in c.skipped for c in report.skipped)
    assert a.derivative(np.float16(0.9523809523809523), slope=0.525) == np.float16(
        0.525)
    # the default slope 1/6 puts them at +-3, which float16 holds: checked there
    report = verify.verify(a, dtype=np.float16, params=[{"slope": 1 / 6}])
    assert not report.skipped and report.passed


def test_a_wrong_convention_is_still_caught_in_float16(monkeypatch):
    # a kink float16 holds (ReLU's 0) is checked as in any other dtype
    a = act.get("relu")
    monkeypatch.setattr(a, "_deriv", lambda z: np.heaviside(z, 1.0).astype(z.dtype))
    report = verify.verify(a, dtype=np.float16, raise_on_failure=False)
    assert [c.what for c in report.failures] == ["f'(0) = convention 0"]
    assert not report.skipped


def test_verify_fails_an_exponential_that_overflows_too_early(monkeypatch):
    a = act.get("exponential")
    monkeypatch.setattr(
        a, "_fn", lambda z: np.where(z > 500, np.inf, np.exp(np.minimum(z, 500))))
    report = verify.verify(a, raise_on_failure=False)
    assert [c.what for c in report.failures] == ["f: src vs SymPy"]


def test_verify_catches_a_wrong_tanhshrink_derivative(monkeypatch):
    a = act.get("tanhshrink")
    monkeypatch.setattr(a, "_deriv", lambda z: 1.001 * np.tanh(z) ** 2)
    report = verify.verify(a, raise_on_failure=False)
    assert {c.what for c in report.failures} == {
        "f': src vs SymPy", "f': src vs finite differences"}


def test_finite_differences_beside_a_kink_allow_for_the_rounding_of_f():
    # The unipolar Elliott sigmoid is 1/2 at its breakpoint 0: beside it the step
    # shrinks to half the distance (5e-17 at x = 1e-16), where the two values of
    # f, both near 1/2, differ by rounding alone. That is no error of f'.
    a = act.get("elliott_sigmoid")
    xs = np.array([-1e-16, -1e-13, 1e-13, 1e-16])
    err, _ = verify._finite_difference_error(a, {}, xs)
    assert err <= verify.FD_TOLERANCE


def test_a_slope_wrong_just_beside_a_kink_is_still_caught(monkeypatch):
    # The allowance for rounding grows as the step shrinks, and no faster: a slope
    # 0.1% off within 1e-6 of the breakpoint is caught by finite differences.
    a = act.get("elliott_sigmoid")
    right = a._deriv

    def wrong(x):
        d = right(x)
        return np.where(np.abs(x) < 1e-6, 1.001 * d, d)

    monkeypatch.setattr(a, "_deriv", wrong)
    report = verify.verify(a, raise_on_failure=False)
    assert "f': src vs finite differences" in {c.what for c in report.failures}
