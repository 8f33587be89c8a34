"""Numerics: dtypes kept, NaN and infinities, no warnings on the whole float range."""

from __future__ import annotations

import contextlib
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import symbolic, verify

NAMES = act.names()
ELEMENTWISE = act.names(elementwise=True)
FLOATS = [np.float16, np.float32, np.float64]
SIGNALLING_NAN = {np.float16: (np.uint16, 0x7D00), np.float32: (np.uint32, 0x7FA00000),
                  np.float64: (np.uint64, 0x7FF4000000000000)}


@contextlib.contextmanager
def strict():
    """Every floating-point warning an error, and the caller's np.errstate set to
    raise on everything: the promise holds under any np.errstate."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


def signalling_nan(dtype) -> np.ndarray:
    """A signalling NaN of ``dtype`` (exponent all ones, quiet bit clear), and its
    negative."""
    uint, bits = SIGNALLING_NAN[dtype]
    sign = 1 << (8 * np.dtype(uint).itemsize - 1)
    return np.array([bits, bits | sign], dtype=uint).view(dtype)


def extremes(dtype) -> np.ndarray:
    """0, +-subnormal, +-tiny, +-eps, +-1, +-30, +-1e4, +-sqrt(max), +-largest
    finite, +-inf, NaN and signalling NaNs, in ``dtype``."""
    info = np.finfo(dtype)
    mags = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1.0, 30.0, 1e4,
            np.sqrt(info.max), info.max, np.inf]
    xs = np.array([s * m for m in mags for s in (-1, 1)] + [np.nan], dtype=dtype)
    return np.concatenate([xs, signalling_nan(dtype)])



@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float_dtype_is_kept(name, dtype):
    a = act.get(name)
    xs = np.linspace(-3, 3, 7, dtype=dtype)
    assert a(xs).dtype == dtype
    assert a.derivative(xs).dtype == dtype


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_big_endian_input_keeps_its_float_type_and_values(name, dtype):
    a = act.get(name)
    xs = np.linspace(-3, 3, 7, dtype=dtype)
    swapped = xs.astype(xs.dtype.newbyteorder(">" if xs.dtype.isnative else "<"))
    for f in (a, a.derivative):
        out = f(swapped)
        assert out.dtype == dtype  # native byte order, same precision
        np.testing.assert_array_equal(out, f(xs))


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, bool])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_integers_and_bools_give_float64(name, dtype):
    a = act.get(name)
    xs = np.array([0, 1, 1], dtype=dtype)
    assert a(xs).dtype == np.float64
    assert a.derivative(xs).dtype == np.float64
    np.testing.assert_array_equal(a(xs), a(xs.astype(np.float64)))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float16_is_the_rounded_float32_result(name):
    a = act.get(name)
    xs = np.linspace(-8, 8, 401).astype(np.float16)
    expected = a(xs.astype(np.float32)).astype(np.float16)
    np.testing.assert_array_equal(a(xs), expected)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_nan_in_nan_out_at_that_position(name, dtype):
    a = act.get(name)
    xs = np.array([1.0, np.nan, -1.0], dtype=dtype)
    for out in (a(xs), a.derivative(xs)):
        assert np.isnan(out[1]) and not np.isnan(out[0]) and not np.isnan(out[2])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_infinities_give_the_sympy_limits(name, dtype):
    a = act.get(name)
    expr = a.expr(**{k: p.default for k, p in a.params.items()})
    # A function that oscillates for ever (sin x) has no limit: SymPy answers
    # AccumBounds(-1, 1), and the activation must answer NaN.
    lo, hi = (np.nan if isinstance(v, sp.AccumBounds) else float(v)
              for v in symbolic.limits(expr))
    dlo, dhi = (np.nan if isinstance(v, sp.AccumBounds) else float(v)
                for v in symbolic.limits(sp.diff(expr, symbolic.x)))
    xs = np.array([-np.inf, np.inf], dtype=dtype)
    np.testing.assert_array_equal(a(xs), np.array([lo, hi], dtype=dtype))
    np.testing.assert_array_equal(a.derivative(xs), np.array([dlo, dhi], dtype=dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_warning_over_the_whole_float_range(name, dtype):
    a = act.get(name)
    info = np.finfo(dtype)
    mags = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1.0, 30.0, 1e4,
            np.sqrt(info.max), info.max, np.inf]
    xs = np.array([s * m for m in mags for s in (-1, 1)] + [np.nan], dtype=dtype)
    with strict():
        f, d = a(xs), a.derivative(xs)
    # Finite wherever the exact value fits in the format (exp(1e4) does not).
    expr = a.expr(**{k: p.default for k, p in a.params.items()})
    mpmath.mp.dps = 50
    for got, e, where in ((f, expr, np.abs(xs) < 1e4),
                          (d, sp.diff(expr, symbolic.x), np.isfinite(xs))):
        fn = sp.lambdify(symbolic.x, e, "mpmath")
        for t, v in zip(xs[where], got[where], strict=True):
            fits = abs(fn(mpmath.mpf(float(t)))) <= info.max
            assert np.isfinite(v) or not fits, f"{name} is {v} at x={t}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_tails_keep_relative_accuracy(name):
    """Far from 0 the value and slope keep their digits (no 1 - 1 cancellation)."""
    a = act.get(name)
    xs = np.array([-30.0, -12.0, 12.0, 30.0])
    expr = a.expr(**{k: p.default for k, p in a.params.items()})
    mpmath.mp.dps = 600  # 1 + erf(-30/sqrt 2) needs some 200 digits to survive
    for got, e in ((a(xs), expr), (a.derivative(xs), sp.diff(expr, symbolic.x))):
        fn = sp.lambdify(symbolic.x, e, "mpmath")
        ref = np.array([float(fn(mpmath.mpf(t))) for t in xs])
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_value_and_derivative_is_the_pair(name, dtype):
    """The fused call returns exactly what the forward pass and derivative return,
    at every parameter set the accuracy checks use, kinks and specials included."""
    a = act.get(name)
    info = np.finfo(dtype)
    specials = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1e4, info.max,
                np.inf]
    rng = np.random.default_rng(1)
    for p in verify.param_sets(a, dtype=dtype):
        xs = np.concatenate([
            verify.grid(a, dtype=dtype, **p),
            [k for k in a.kink_points(**p) if abs(k) <= float(info.max)],  # 1e30: f16
            4 * rng.standard_normal(200),
            specials, np.negative(specials), [np.nan],
        ]).astype(dtype)
        with strict():
            y, dy = a.value_and_derivative(xs, **p)
        np.testing.assert_array_equal(y, a(xs, **p), err_msg=f"{name} f at {p}")
        np.testing.assert_array_equal(dy, a.derivative(xs, **p),
                                      err_msg=f"{name} f' at {p}")
        assert y.dtype == dy.dtype == dtype
    y, dy = a.value_and_derivative(0.5)
    assert np.ndim(y) == np.ndim(dy) == 0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_floating_point_error_under_any_errstate(name, dtype):
    """With np.errstate(all="raise") and warnings as errors, no value, derivative,
    fused pair or partial raises, at any parameter set the accuracy checks use, on
    the extremes of the format, NaN and signalling NaN included.  Underflow is
    exempt (gradual underflow is the correct result); overflow, invalid and divide
    are bugs."""
    a = act.get(name)
    xs = extremes(dtype)
    for p in verify.param_sets(a):
        with strict():
            outs = [a(xs, **p), a.derivative(xs, **p), *a.value_and_derivative(xs, **p)]
            outs += [a.partial(xs, k, **p) for k in a.learnable]
        for out in outs:
            assert out.dtype == dtype
            # NaN in gives NaN out, signalling NaN too (now quiet)
            assert np.all(np.isnan(out[-3:])), f"{name} at {p}"


@pytest.mark.parametrize("dtype", FLOATS)
def test_signalling_nan_is_a_nan_like_any_other(dtype):
    """NaN out, no warning, and the numbers beside it untouched (-0.0 included)."""
    x = np.concatenate([signalling_nan(dtype), np.array([-0.0, 1.0], dtype=dtype)])
    for name in ("relu", "identity", "gelu"):
        with strict():
            y = act.get(name)(x)
        assert np.all(np.isnan(y[:2]))
        np.testing.assert_array_equal(y[2:], act.get(name)(x[2:]))
    assert np.signbit(act.get("identity")(x)[2])


def test_log_log_derivative_is_ordinary_under_errstate_raise():
    """exp(-e^7) underflows to 0, the correctly rounded f'(7) = e^(7 - e^7)."""
    ref = mpmath.exp(7 - mpmath.exp(7))
    assert float(ref) == 0.0
    with strict():
        assert act.get("log_log").derivative(7.0) == 0.0
        # the condition number of e^(x - e^x) is about e^x = 403
        np.testing.assert_allclose(act.get("log_log").derivative(6.0),
                                   float(mpmath.exp(6 - mpmath.exp(6))), rtol=1e-12)


# --- cancellation, overflow and tiny slopes in particular kernels -----------------


def _mp(v) -> mpmath.mpf:
    return mpmath.mpf(float(v))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_srelu_outer_lines_do_not_cancel(dtype):
    """t + a(x - t) with a near 1 drops x when |x| << |t|: f(1e-20) was 0."""
    mpmath.mp.dps = 50
    a = act.get("srelu")
    assert a(1e-20, t_left=1.0, a_left=1.0) == 1e-20
    rng = np.random.default_rng(3)
    for tl, al, tr, ar in [(1.0, 1.0, 1.0, 1.0), (1.0, 0.9999, 4.0, 1.0001),
                           (0.7, 1 - 2**-20, 2.5, 1 + 2**-20), (-5.0, 1.3, 5.0, 0.3),
                           (0.5, 0.999, 1.5, 1.999)]:
        xs = np.concatenate([rng.uniform(-8, 8, 400), 10.0 ** rng.uniform(-30, 3, 200),
                             -(10.0 ** rng.uniform(-30, 3, 200))]).astype(dtype)
        p = {"t_left": tl, "a_left": al, "t_right": tr, "a_right": ar}
        got = a(xs, **p)
        for x, y in zip(xs, got, strict=True):
            xm = _mp(x)
            if xm <= tl:
                ref, data = tl + al * (xm - tl), abs(al * xm) + abs((1 - al) * tl)
            elif xm >= tr:
                ref, data = tr + ar * (xm - tr), abs(ar * xm) + abs((1 - ar) * tr)
            else:
                ref, data = xm, abs(xm)
            # error within 4 ulps of the data's scale (the line's condition number)
            ulp = np.finfo(dtype).eps * max(float(data), float(abs(ref)))
            assert abs(float(_mp(y) - ref)) <= 4 * ulp, (p, x, y, ref)
        # df/da is x - t, without first rounding t to the dtype
        d = a.partial(xs, "a_left", **p)
        on = xs <= tl
        ref = np.array([float(_mp(x) - tl) for x in xs[on]]).astype(dtype)
        np.testing.assert_array_equal(d[on], ref)


@pytest.mark.parametrize("dtype", FLOATS)
def test_isrlu_is_exact_over_the_whole_range(dtype):
    """x / sqrt(1 + alpha x^2) overflowed in alpha x^2: isrlu(-1e308, 4) was -0.0."""
    mpmath.mp.dps = 60
    a = act.get("isrlu")
    info = np.finfo(dtype)
    xs = -np.array([info.max, info.max / 3, 1e308, 1e200, 1e30, 1e4, 300.0, 1.5,
                    1.0, 0.75, 1e-3, float(info.tiny)])
    xs = xs[-xs <= info.max].astype(dtype)
    for alpha in (4.0, 1.0, 0.1, 1e-30, 1e30):
        with strict():
            y, d = a(xs, alpha=alpha), a.derivative(xs, alpha=alpha)
        for x, yv, dv in zip(xs, y, d, strict=True):
            q = 1 + alpha * _mp(x) ** 2
            # f' = r^3 is three roundings on r: condition 3
            for got, ref, ulps in ((yv, _mp(x) / mpmath.sqrt(q), 2),
                                   (dv, q ** -1.5, 6)):
                want = float(np.asarray(float(ref)).astype(dtype))
                ulp = info.eps * max(abs(want), info.tiny)
                assert abs(float(got) - want) <= ulps * ulp, (alpha, x, got, ref)
    assert a(-1e308, alpha=4.0) == -0.5
    assert a(-np.inf, alpha=4.0) == -0.5
    assert a.derivative(-np.inf, alpha=4.0) == 0.0


TINY_SLOPES = [("prelu", "alpha"), ("leaky_relu", "negative_slope"),
               ("srelu", "a_left"), ("silu", "beta")]


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(("name", "param"), TINY_SLOPES)
def test_a_slope_below_the_dtype_acts_as_the_true_tiny_slope(name, param, dtype):
    """alpha = 1e-50 is 0 in float32: 0 * -inf was NaN in prelu(-inf)."""
    mpmath.mp.dps = 60
    a = act.get(name)
    info = np.finfo(dtype)
    xs = np.array([-np.inf, -info.max, -1e4, -1.0, 0.0, 1.0, info.max, np.inf],
                  dtype=dtype)
    for slope in (1e-50, 1e-40, 1e-10):
        p = {param: slope}
        e = a.expr(**{k: v.default for k, v in a.params.items()} | p)
        with strict():
            y, d = a(xs, **p), a.derivative(xs, **p)
            parts = [a.partial(xs, k, **p) for k in a.learnable]
        assert all(o.dtype == dtype for o in (y, d, *parts))
        assert not np.isnan(y).any() and not np.isnan(d).any()
        # the limits for any slope > 0: a x -> -inf (x sigma(beta x) -> 0)
        assert y[0] == (0.0 if name == "silu" else -np.inf), (slope, y)
        assert y[-1] == np.inf
        fn = sp.lambdify(symbolic.x, e, "mpmath")
        for x, yv in zip(xs[1:-1], y[1:-1], strict=True):
            ref = float(fn(_mp(x)))
            with np.errstate(over="ignore"):  # beyond the range: inf, rounded
                want = np.float64(ref).astype(dtype)
            assert yv == want or abs(float(yv) - float(want)) <= float(
                np.spacing(abs(want))), (slope, x, yv, ref)


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


@pytest.mark.parametrize("dtype", FLOATS)
def test_cube_near_overflow_is_correctly_rounded(dtype):
    """x^3 correctly rounded to the largest finite float must not be inf:
    cube(float32(6981463572480)) was inf (x * x * x rounds twice in float32)."""
    mpmath.mp.dps = 80
    a = act.get("cube")
    info = np.finfo(dtype)
    big = mpmath.mpf(float(info.max))
    half_ulp = mpmath.mpf(2) ** (info.maxexp - info.nmant - 2)  # of the largest
    c = np.cbrt(np.float64(info.max)).astype(dtype)
    steps = np.arange(-400, 400)
    xs = (c + steps * np.spacing(c)).astype(dtype)
    xs = np.concatenate([xs, -xs])
    if dtype == np.float32:
        xs = np.append(xs, np.float32(6981463572480.0))
    with strict():
        y, d = a(xs), a.derivative(xs)
    for x, yv, dv in zip(xs, y, d, strict=True):
        for got, ref in ((yv, _mp(x) ** 3), (dv, 3 * _mp(x) ** 2)):
            if abs(ref) >= big + half_ulp:
                assert got == np.copysign(np.inf, float(ref)), (x, got, ref)
            else:
                want = float(ref)
                assert np.isfinite(got), (x, got, ref)
                assert abs(float(got) - want) <= float(info.eps) * abs(want), (
                    x, got, ref)


def extreme_params(a) -> list[dict[str, float]]:
    """Each parameter alone at values far from its default, within its range:
    tiny and huge ones that float32 rounds to 0 or inf among them."""
    out = []
    for k, p in a.params.items():
        for v in (1e-300, 1e-50, 1e-40, 1e-10, 0.5, 2.0, 4.0, 1e10, 1e30, 1e300,
                  -1e-300, -1e-50, -0.5, -4.0, -1e30, -1e300, p.low, p.high):
            if math.isfinite(v) and p.low <= v <= p.high and v != p.default:
                out.append({k: v})
    return out


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_floating_point_error_at_extreme_parameters(name, dtype):
    """As above, with parameters at the far ends of their ranges (ELU's alpha =
    1e300 made 0 * inf in float32; Threshold's 1e300 overflowed in the cast)."""
    a = act.get(name)
    xs = extremes(dtype)
    for p in extreme_params(a):
        try:
            a.bind(p)
        except ValueError:  # a combination the activation refuses (rrelu's order)
            continue
        with strict():
            outs = [a(xs, **p), a.derivative(xs, **p)]
            outs += [a.partial(xs, k, **p) for k in a.learnable]
        for out in outs:
            assert np.all(np.isnan(out[-3:])), f"{name} at {p}"


@pytest.mark.parametrize("with_nan", [False, True])
def test_an_invalid_operation_in_a_kernel_still_reaches_the_caller(monkeypatch,
                                                                   with_nan):
    """Signalling NaNs are silenced, not every "invalid": inf - inf made from
    ordinary numbers still raises under np.errstate(invalid="raise"), and
    still warns under the default state, a signalling NaN in the input or not."""
    a = act.get("relu")
    monkeypatch.setattr(a, "_fn", lambda x: x * np.inf - np.inf)
    xs = np.array([1.0, 2.0])
    if with_nan:
        xs = np.concatenate([xs, signalling_nan(np.float64)])
    with pytest.raises(FloatingPointError, match="invalid"), np.errstate(
            invalid="raise"):
        a(xs)
    with pytest.warns(RuntimeWarning, match="invalid"), np.errstate(invalid="warn"):
        a(xs)
    with strict():
        np.testing.assert_array_equal(act.get("silu")(xs[:2]),
                                      act.get("silu")(np.array([1.0, 2.0])))


def _rounded(ref, dtype) -> float:
    with np.errstate(over="ignore"):  # beyond the range: inf, correctly rounded
        return float(np.asarray(float(ref)).astype(dtype))


@pytest.mark.parametrize(("x", "alpha", "dtype"), [
    (-6e-40, 1e300, np.float64),
    (-1e-300, 1e10, np.float64),
    (-5.9e-39, 1e30, np.float32),
    (-1.0, 1e39, np.float32),
    (-3.05e-05, 4.3556142965880123e+40, np.float16),
    (-1.0, 3.4028235677973366e+38, np.float16),
    (-60000.0, 1e9, np.float16),
])
def test_celu_where_the_phase_x_over_alpha_underflows(x, alpha, dtype):
    """alpha expm1(x/alpha) is x (1 + x/(2 alpha)) where x/alpha is below epsilon,
    but the quotient underflowed: celu(-6e-40, alpha=1e300) was -0.0, and
    celu(float16(-3.05e-5), alpha=4.4e40) 512 ulps off."""
    mpmath.mp.dps = 60
    a = act.get("celu")
    xs = np.array([x], dtype=dtype)
    with strict():
        y, (y2, _) = a(xs, alpha=alpha), a.value_and_derivative(xs, alpha=alpha)
    ref = mpmath.mpf(alpha) * mpmath.expm1(_mp(xs[0]) / mpmath.mpf(alpha))
    want = _rounded(ref, dtype)
    assert float(y[0]) == want and float(y2[0]) == want, (y, y2, ref)


@pytest.mark.parametrize(("x", "alpha", "dtype"), [
    (-1000.0, 1e300, np.float64),
    (-740.0, 1e10, np.float64),
    (-800.0, 1e308, np.float64),
    (-100.0, 1e30, np.float32),
    (-120.0, 1e30, np.float32),
    (-1.0, 1e39, np.float32),
    (-12.0, 1e4, np.float16),
])
def test_elu_slope_where_exp_x_alone_is_subnormal(x, alpha, dtype):
    """alpha e^x with e^x rounded to a subnormal (or 0) before the product:
    elu'(-1000, alpha=1e300) was 0.0 (truth 5.08e-135), and in float32
    elu'(-100, alpha=1e30) was 3.78e-14 (truth 3.72e-14)."""
    mpmath.mp.dps = 60
    a = act.get("elu")
    xs = np.array([x], dtype=dtype)
    with strict():
        d, (_, d2) = a.derivative(xs, alpha=alpha), a.value_and_derivative(
            xs, alpha=alpha)
    ref = mpmath.mpf(alpha) * mpmath.exp(_mp(xs[0]))
    want = _rounded(ref, dtype)
    # e^(x + ln alpha) in float64: the rounding of x + ln alpha, condition |x|
    tol = abs(x) * float(np.finfo(dtype).eps) * abs(want) if dtype == np.float64 else 0
    for got in (d[0], d2[0]):
        assert float(got) == want or abs(float(got) - want) <= tol, (got, ref)
