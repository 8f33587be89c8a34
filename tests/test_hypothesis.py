"""Property-based tests over every activation: random parameters over their whole
valid range (all of them at once, so ends meet ends), random dtypes, shapes and byte
orders, and inputs from the smallest subnormal to the largest finite value, ±inf and
NaN, with every floating-point warning an error.

The properties are the contract of CONTRIBUTING.md: dtype and shape kept, no
warning, NaN in gives NaN out, ``value_and_derivative`` is exactly the pair, value
and derivative within :data:`verify.ULP_TOLERANCE` condition-scaled ULP of the
mpmath reference of ``verify`` (in the dtype of the result), and a function that is
monotone at its defaults stays so out to the ends of the format.

The examples are derandomized, so a run is repeatable; ``HYPOTHESIS_PROFILE=fuzz-long``
runs twenty times as many.
"""

from __future__ import annotations

import functools
import math
import os
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import activations as act
from activations import properties, symbolic, verify
from activations.registry import Param
from activations.vector import verify as vector_verify

ELEMENTWISE = act.names(elementwise=True)
VECTOR = act.names(elementwise=False)
FLOATS = [np.dtype(t) for t in (np.float16, np.float32, np.float64)]
INTS = [np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64, np.uint8,
                              np.uint64, np.bool_)]

_COMMON = dict(deadline=None, derandomize=True, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow,
                                      HealthCheck.filter_too_much,
                                      HealthCheck.data_too_large])
settings.register_profile("fuzz", **_COMMON)
settings.register_profile("fuzz-long", **_COMMON)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
_SCALE = 20 if _PROFILE == "fuzz-long" else 1


def _examples(n: int) -> settings:
    return settings(settings.get_profile(_PROFILE), max_examples=n * _SCALE)


# --- strategies ---------------------------------------------------------------------
def _param(p: Param, big: float, integer: bool) -> st.SearchStrategy:
    """A value anywhere in the valid range, often one of its ends: the default,
    a finite end, an infinite end where ``Param.infinite`` allows it, and a large
    finite stand-in for an open infinite end (any finite value is drawn too)."""
    if integer:
        return st.integers(int(p.low), int(p.high))
    ends = [p.default]
    for v in (p.low, p.high):
        if math.isinf(v):
            ends += [v] if p.infinite else []
            ends.append(math.copysign(big, v))
        else:
            ends.append(v)
    inside = st.floats(min_value=p.low, max_value=p.high, allow_nan=False,
                       allow_infinity=p.infinite)
    return st.one_of(st.sampled_from(list(dict.fromkeys(ends))), inside)


def _params(a, dtype) -> st.SearchStrategy:
    big = verify.BIG_PARAM[np.dtype(dtype) if np.dtype(dtype).kind == "f"
                           else np.dtype(np.float64)]
    ints = getattr(a, "integers", ())
    return st.fixed_dictionaries({k: _param(p, big, k in ints)
                                  for k, p in a.params.items()})


def _specials(dtype: np.dtype) -> list[float]:
    info = np.finfo(dtype)
    mags = [0.0, float(info.smallest_subnormal), 2 * float(info.smallest_subnormal),
            float(info.tiny) / 2, float(info.tiny), float(info.eps), 1.0,
            math.sqrt(float(info.max)), float(info.max) / 2, float(info.max), math.inf]
    return [s * m for m in mags for s in (1.0, -1.0)] + [math.nan]


def _elements(dtype: np.dtype, finite: bool = False) -> st.SearchStrategy:
    """Any value of ``dtype``: floats of every magnitude (subnormal to largest,
    ±inf and NaN unless ``finite``), or the whole range of an integer type."""
    if dtype.kind == "b":
        return st.booleans()
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return st.integers(int(info.min), int(info.max))
    width = dtype.itemsize * 8
    spec = [v for v in _specials(dtype) if math.isfinite(v) or not finite]
    return st.one_of(st.sampled_from(spec),
                     st.floats(width=width, allow_nan=not finite,
                               allow_infinity=not finite, allow_subnormal=True),
                     # where most formulas switch branches or underflow (gelu at -38)
                     st.floats(-1e3, 1e3, width=width))


_SHAPES = st.sampled_from([(), (0,), (1,), (5,), (2, 3), (0, 3)])


@st.composite
def _inputs(draw, dtypes=FLOATS + INTS, shapes=_SHAPES, finite=False):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(shapes)
    x = draw(hnp.arrays(dtype, shape, elements=_elements(dtype, finite)))
    if draw(st.booleans()) and dtype.itemsize > 1:
        x = x.astype(dtype.newbyteorder(">"))  # big-endian, whatever the machine
    return x


def _result_dtype(x: np.ndarray) -> np.dtype:
    return np.dtype(x.dtype.newbyteorder("=")) if x.dtype.kind == "f" else np.dtype(
        np.float64)


def _call(a, x, p):
    """The activation's three calls with every warning an error; ``None`` if the
    parameters are refused together (RReLU's lower above upper) with a clear error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return a(x, **p), a.derivative(x, **p), a.value_and_derivative(x, **p)
    except ValueError as e:
        # each parameter is in its range: only a combination may be refused, and
        # the error names the activation and the parameters
        for k, v in p.items():
            a.params[k].check(k, v, a.name)
        assert a.name in str(e) and all(repr(k) in str(e) for k in p), e
        return None


# --- elementwise: the contract ------------------------------------------------------
@pytest.mark.parametrize("name", ELEMENTWISE)
@_examples(20)
@given(data=st.data())
def test_elementwise_contract(name, data):
    a = act.get(name)
    x = data.draw(_inputs(), label="x")
    p = data.draw(_params(a, _result_dtype(x)), label="params")
    out = _call(a, x, p)
    assume(out is not None)
    y, dy, (y2, dy2) = out
    want = _result_dtype(x)
    for r in (y, dy, y2, dy2):
        assert np.asarray(r).dtype == want
        assert np.shape(r) == x.shape
        assert np.ndim(r) == x.ndim  # a scalar gives a 0-d result
    np.testing.assert_array_equal(y2, y, strict=True)
    np.testing.assert_array_equal(dy2, dy, strict=True)
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        assert np.all(np.isnan(y)[nan]) and np.all(np.isnan(dy)[nan])


# --- elementwise: accuracy against mpmath ---------------------------------------------
@functools.lru_cache(maxsize=512)
def _references(name: str, params: tuple):
    a = act.get(name)
    f = a.expr(**dict(params))
    d1 = sp.diff(f, symbolic.x)
    d2 = sp.diff(d1, symbolic.x)
    return tuple(verify._mp_func(e) for e in (f, d1, d2))


def _ulp_errors(got, x, refs, order: int, dtype) -> np.ndarray:
    info = np.finfo(dtype)
    with mpmath.workdps(verify._PRECISIONS[-1]):
        ref = [refs[order](t) for t in x]
        dref = [refs[order + 1](t) for t in x]
        return verify._scaled_ulp(np.asarray(got, dtype=dtype), ref, dref, x,
                                  float(info.eps), float(info.smallest_subnormal))


@pytest.mark.parametrize("name", ELEMENTWISE)
@_examples(5)
@given(data=st.data())
def test_elementwise_value_and_slope_agree_with_mpmath(name, data):
    a = act.get(name)
    x = data.draw(_inputs(dtypes=FLOATS, shapes=st.sampled_from([(8,)]), finite=True),
                  label="x")
    dtype = _result_dtype(x)
    p = data.draw(_params(a, dtype), label="params")
    out = _call(a, x, p)
    assume(out is not None)
    y, dy, _ = out
    x = x.astype(dtype)
    kinks = np.array(a.kink_points(**p), dtype=np.float64)
    refs = _references(a.name, tuple(sorted(p.items())))
    err = _ulp_errors(y, x, refs, 0, dtype)
    note(f"f errors (ulp*): {err}")
    assert np.all(err <= verify.ULP_TOLERANCE), (
        f"{name}{p}: f({x[np.argmax(err)]!r}) = {y[np.argmax(err)]!r} is "
        f"{np.max(err):.3g} ulp* from the reference ({dtype})")
    away = ~np.isin(x.astype(np.float64), kinks)  # the convention is tested apart
    err = _ulp_errors(dy[away], x[away], refs, 1, dtype)
    note(f"f' errors (ulp*): {err}")
    assert np.all(err <= verify.ULP_TOLERANCE), (
        f"{name}{p}: f'({x[away][np.argmax(err)]!r}) = {dy[away][np.argmax(err)]!r} "
        f"is {np.max(err):.3g} ulp* from the reference ({dtype})")


# --- elementwise: monotone where it is monotone ------------------------------------
@functools.cache
def _direction(name: str) -> int:
    """+1 non-decreasing, -1 non-increasing, 0 neither, at the defaults (from
    ``properties``, which reads the derivative's sign on a dense grid and SymPy's
    one-sided limits at the kinks)."""
    word = properties.properties(name).monotonic
    return 1 if word in ("strictly increasing", "non-decreasing") else (
        -1 if word in ("strictly decreasing", "non-increasing") else 0)


@pytest.mark.parametrize("name", ELEMENTWISE)
@_examples(10)
@given(data=st.data())
def test_monotone_stays_monotone_out_to_the_ends(name, data):
    direction = _direction(name)
    if direction == 0:
        return  # not monotone at its defaults: nothing to hold it to
    a = act.get(name)
    x = data.draw(_inputs(dtypes=FLOATS, shapes=st.sampled_from([(8,)])), label="x")
    x = np.sort(x[~np.isnan(x)].astype(_result_dtype(x)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, dy = a(x), a.derivative(x)
    # Each value may be off by the contract's ULPs: order holds up to that.
    info = np.finfo(y.dtype)
    y64 = direction * y.astype(np.float64)
    slack = verify.ULP_TOLERANCE * (float(info.eps) * np.abs(y64)
                                     + float(info.smallest_subnormal))
    lo, hi = y64[:-1], y64[1:]
    with np.errstate(invalid="ignore"):  # inf - inf
        ordered = (hi >= lo) | (lo - hi <= slack[1:] + slack[:-1])
    assert np.all(ordered), f"{name} not monotone on {x!r}: {y!r}"
    finite = np.isfinite(x)
    assert np.all(direction * dy[finite] >= 0), f"{name}' has the wrong sign: {dy!r}"


# --- vector-valued ------------------------------------------------------------------
def _valid_ns(a, p) -> list[int]:
    return a.lengths(1, 8, **p)


@pytest.mark.parametrize("name", VECTOR)
@_examples(20)
@given(data=st.data())
def test_vector_contract(name, data):
    a = act.get(name)
    dtype = data.draw(st.sampled_from(FLOATS + INTS), label="dtype")
    p = data.draw(_params(a, dtype if dtype.kind == "f" else np.float64),
                  label="params")
    ns = _valid_ns(a, p)
    assume(ns)
    n = data.draw(st.sampled_from(ns), label="n")
    batch = data.draw(st.sampled_from([(), (1,), (3,), (2, 2), (0,)]), label="batch")
    axis = data.draw(st.integers(0, len(batch)), label="axis")
    shape = batch[:axis] + (n,) + batch[axis:]
    x = data.draw(hnp.arrays(dtype, shape, elements=_elements(dtype)), label="x")
    if data.draw(st.booleans()) and dtype.itemsize > 1:
        x = x.astype(dtype.newbyteorder(">"))
    m = a.out_len(n, **p)
    g = np.ones(shape[:axis] + (m,) + shape[axis + 1:], dtype=x.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = a(x, axis=axis, **p)
        jac = a.jacobian(x, axis=axis, **p)
        v = a.vjp(x, g, axis=axis, **p)
    want = _result_dtype(x)
    assert y.dtype == jac.dtype == v.dtype == want
    assert y.shape == shape[:axis] + (m,) + shape[axis + 1:]
    assert jac.shape == batch + (m, n)
    assert v.shape == shape


@pytest.mark.parametrize("name", VECTOR)
@_examples(5)
@given(data=st.data())
def test_vector_value_jacobian_and_vjp_agree_with_mpmath(name, data):
    a = act.get(name)
    dtype = data.draw(st.sampled_from(FLOATS), label="dtype")
    p = data.draw(_params(a, dtype), label="params")
    ns = [n for n in _valid_ns(a, p) if n <= 4]
    assume(ns)
    n = data.draw(st.sampled_from(ns), label="n")
    x = data.draw(hnp.arrays(dtype, (n,), elements=_elements(dtype, finite=True)),
                  label="x")
    g = data.draw(hnp.arrays(dtype, (a.out_len(n, **p),),
                             elements=st.floats(-4, 4, width=dtype.itemsize * 8)),
                  label="g")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, jac, v = a(x, **p), a.jacobian(x, **p), a.vjp(x, g, **p)
    info = np.finfo(dtype)
    eps, tiny = float(info.eps), float(info.smallest_subnormal)
    with mpmath.workdps(verify._PRECISIONS[-1]):
        ry, rj, rh = _vector_reference(a.name, n, tuple(sorted(p.items())))(x)
        m = len(ry)
        absx = [abs(mpmath.mpf(float(t))) for t in x]
        hs = [[abs(rj[i, j]) + sum(absx[k] * abs(rh[i, j, k]) for k in range(n))
               for j in range(n)] for i in range(m)]
        for i in range(m):
            scale = eps * (abs(ry[i]) + sum(absx[j] * abs(rj[i, j]) for j in range(n)))
            e = verify._ulp(y[i], ry[i], scale, tiny)
            assert e <= verify.ULP_TOLERANCE, f"{name}{p} y[{i}] at {x!r}: {e:.3g}"
            for j in range(n):
                e = verify._ulp(jac[i, j], rj[i, j], eps * hs[i][j], tiny)
                assert e <= verify.ULP_TOLERANCE, (
                    f"{name}{p} J[{i},{j}] at {x!r}: {jac[i, j]!r} vs "
                    f"{mpmath.nstr(rj[i, j], 17)}: {e:.3g} ulp*")
        gm = [mpmath.mpf(float(t)) for t in g]
        for j in range(n):
            ref = sum(gm[i] * rj[i, j] for i in range(m))
            scale = eps * sum(abs(gm[i]) * hs[i][j] for i in range(m))
            e = verify._ulp(v[j], ref, scale, tiny)
            assert e <= verify.ULP_TOLERANCE, f"{name}{p} vjp[{j}] at {x!r}: {e:.3g}"


@functools.lru_cache(maxsize=256)
def _vector_reference(name: str, n: int, params: tuple):
    a = act.get(name)
    p = dict(params)
    return vector_verify.Reference(a.expr(n, **p), a.input_symbols(n, **p))
