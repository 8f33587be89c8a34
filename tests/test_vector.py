"""Vector-valued activations: Jacobian, VJP, numerics and bad input (CONTRIBUTING.md).

The shared test modules run their elementwise checks over
``act.names(elementwise=True)``; this module holds the vector equivalents. Expected
values come from SymPy (the Jacobian of ``expr(n)``), mpmath, central differences,
or hand computation.
"""

from __future__ import annotations

import math
import time
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import vector, verify
from activations.vector import verify as vector_verify

VECTOR = act.names(elementwise=False)
SOFTMAX_LIKE = ["softmax", "log_softmax", "softmin", "sparsemax"]
FLOATS = [np.float16, np.float32, np.float64]


def _n(name: str) -> int:
    """A valid input length of at least 4."""
    a = act.get(name)
    return a.smallest_n(4)


def test_the_vector_family_is_registered():
    assert set(VECTOR) >= {"softmax", "log_softmax", "softmin", "sparsemax", "maxout",
                           "glu", "swiglu", "geglu", "reglu"}


# --- against SymPy and finite differences ----------------------------------------

@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("n_mult", [1, 2])
def test_jacobian_and_vjp_match_sympy_at_random_points(name, n_mult):
    """J = SymPy's jacobian of expr(n), evaluated by mpmath at 60 digits, at random
    points of magnitude 1 to 30; the VJP equals g^T J of that reference."""
    a = act.get(name)
    n = vector_verify.default_sizes(a)[0] * n_mult
    xs = a.input_symbols(n)
    jac = vector_verify.Reference(a.expr(n), xs)
    rng = np.random.default_rng(n_mult)
    for scale in (1.0, 4.0, 30.0):
        pt = rng.normal(0, scale, n)
        ry, rj, _ = jac(pt)
        ref_y = np.array([float(v) for v in ry])
        ref_j = np.array([[float(v) for v in row] for row in rj])
        np.testing.assert_allclose(a(pt), ref_y, rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(a.jacobian(pt), ref_j, rtol=1e-12, atol=1e-14)
        g = rng.normal(size=len(ref_y))
        np.testing.assert_allclose(a.vjp(pt, g), g @ ref_j, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", VECTOR)
def test_jacobian_matches_central_differences(name):
    a = act.get(name)
    n = _n(name)
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = rng.normal(0, 2, n)
        h = 1e-6
        fd = np.stack([(a(x + h * e) - a(x - h * e)) / (2 * h) for e in np.eye(n)],
                      axis=-1)
        np.testing.assert_allclose(a.jacobian(x), fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", VECTOR)
def test_verify_vector_passes_in_float64_and_float32(name):
    for dtype in (np.float64, np.float32):
        report = verify.verify(name, dtype=dtype)
        assert report.passed and len(report.checks) >= 4
        assert {c.what.split(" (")[0] for c in report.checks} == {
            "f: src vs SymPy", "J: src vs SymPy", "vjp: src vs SymPy",
            "J: src vs finite differences"}


def test_verify_catches_a_wrong_jacobian(monkeypatch):
    a = act.get("softmax")
    wrong = a._jac
    monkeypatch.setattr(a, "_jac", lambda x: 1.01 * wrong(x))
    with pytest.raises(verify.VerificationError, match="J: src vs SymPy"):
        verify.verify(a)


def test_verify_catches_a_naive_log_softmax(monkeypatch):
    """log(sum(exp(x))) overflows at 1e4 and loses the small terms near the max."""
    a = act.get("log_softmax")

    def naive(x):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return x - np.log(np.sum(np.exp(x), axis=-1, keepdims=True))

    monkeypatch.setattr(a, "_fn", naive)
    report = verify.verify(a, raise_on_failure=False)
    assert any(c.what.startswith("f: src vs SymPy") for c in report.failures)


def test_verify_catches_a_cancelling_softmax_jacobian(monkeypatch):
    """diag(s) - s s^T computed as s - s^2 loses every digit where s rounds to 1."""
    a = act.get("softmax")

    def naive(x):
        s = a._fn(x)
        return np.einsum("...i,ij->...ij", s, np.eye(x.shape[-1])) - \
            s[..., :, None] * s[..., None, :]

    monkeypatch.setattr(a, "_jac", naive)
    report = verify.verify(a, raise_on_failure=False)
    assert [c.what for c in report.failures if c.what.startswith("J: src vs SymPy")]


# --- values known independently --------------------------------------------------

def test_known_values():
    np.testing.assert_allclose(act.get("softmax")([0.0, math.log(2)]), [1 / 3, 2 / 3],
                               rtol=1e-15)
    np.testing.assert_allclose(act.get("log_softmax")([0.0, math.log(2)]),
                               [-math.log(3), math.log(2 / 3)], rtol=1e-15)
    np.testing.assert_allclose(act.get("softmin")([0.0, math.log(2)]), [2 / 3, 1 / 3],
                               rtol=1e-15)
    # By hand: tau = (0.5 - 1) / 3 for the full support.
    np.testing.assert_allclose(act.get("sparsemax")([0.5, 0.0, 0.0]),
                               [2 / 3, 1 / 6, 1 / 6], rtol=1e-15)
    np.testing.assert_array_equal(act.get("sparsemax")([-1.0, 0.0, 1.0]), [0, 0, 1])
    np.testing.assert_array_equal(act.get("maxout")([1.0, 3.0, 2.0, -1.0]), [3, 2])
    np.testing.assert_array_equal(act.get("maxout")([1.0, 3.0, 2.0, -1.0], pieces=4),
                                  [3])
    sig1 = 1 / (1 + math.exp(-1))
    np.testing.assert_allclose(act.get("glu")([-1.0, 0.0, 1.0, 1.0]), [-sig1, 0.0],
                               rtol=1e-15)
    np.testing.assert_allclose(act.get("swiglu")([2.0, 1.0]), [2 * sig1], rtol=1e-15)
    np.testing.assert_allclose(act.get("geglu")([2.0, 1.0]),
                               [2 * 0.5 * (1 + math.erf(1 / math.sqrt(2)))], rtol=1e-15)
    reglu = act.get("reglu")
    np.testing.assert_array_equal(reglu([2.0, -3.0, 1.5, 4.0]), [3.0, -12.0])
    np.testing.assert_array_equal(reglu([2.0, -3.0, -1.5, 4.0]), [0.0, -12.0])


def test_softmax_jacobian_is_diag_s_minus_s_st():
    s = act.get("softmax")([0.2, -1.0, 3.0])
    np.testing.assert_allclose(act.get("softmax").jacobian([0.2, -1.0, 3.0]),
                               np.diag(s) - np.outer(s, s), rtol=1e-14, atol=1e-17)


def test_sympy_jacobian_of_softmax_is_diag_s_minus_s_st():
    a = act.get("softmax")
    s = a.expr(3)
    diff = a.jacobian_expr(3) - (sp.diag(*s) - s * s.T)
    assert sp.simplify(diff) == sp.zeros(3, 3)


def test_glu_halves_follow_pytorch():
    """torch.nn.functional.glu: the first half a times sigmoid of the second b."""
    x = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]])
    a_, b_ = x[:, :2], x[:, 2:]
    np.testing.assert_allclose(act.get("glu")(x), a_ / (1 + np.exp(-b_)), rtol=1e-15)


def test_swiglu_gates_the_second_half():
    x = np.array([3.0, -2.0])
    np.testing.assert_allclose(act.get("swiglu")(x), [3.0 * -2.0 / (1 + math.exp(2))],
                               rtol=1e-15)


def test_maxout_ties_send_the_gradient_to_the_first_maximum():
    a = act.get("maxout")
    np.testing.assert_array_equal(a.jacobian([2.0, 2.0, 1.0, 1.0]),
                                  [[1, 0, 0, 0], [0, 0, 1, 0]])


def test_sparsemax_support_edge_counts_only_positive_outputs():
    a = act.get("sparsemax")
    x = np.array([1.0, 0.0, -2.0])  # tau = 0: the second entry sits on the edge
    np.testing.assert_array_equal(a(x), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(a.jacobian(x), np.zeros((3, 3)))


def test_reglu_gate_at_zero_uses_relu_prime_zero():
    np.testing.assert_array_equal(act.get("reglu").jacobian([2.0, 0.0]), [[0.0, 0.0]])


# --- shapes, axes, batches ---------------------------------------------------------

@pytest.mark.parametrize("name", VECTOR)
def test_axis_and_batches(name):
    a = act.get(name)
    n = _n(name)
    m = a.out_len(n)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, n, 3))
    y = a(x, axis=1)
    assert y.shape == (2, m, 3)
    np.testing.assert_array_equal(y[1, :, 2], a(x[1, :, 2]))
    np.testing.assert_array_equal(np.moveaxis(a(np.moveaxis(x, 1, -1)), -1, 1), y)
    jac = a.jacobian(x, axis=1)
    assert jac.shape == (2, 3, m, n)
    np.testing.assert_array_equal(jac[1, 2], a.jacobian(x[1, :, 2]))
    g = rng.normal(size=(2, m, 3))
    v = a.vjp(x, g, axis=1)
    assert v.shape == x.shape
    np.testing.assert_allclose(v[1, :, 2], g[1, :, 2] @ jac[1, 2], rtol=1e-12,
                               atol=1e-14)
    assert a(x, axis=-2).shape == y.shape


@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("dtype", FLOATS)
def test_float_dtype_is_kept(name, dtype):
    a = act.get(name)
    x = np.linspace(-3, 3, _n(name)).astype(dtype)
    g = np.ones(a.out_len(len(x)), dtype=dtype)
    for out in (a(x), a.jacobian(x), a.vjp(x, g)):
        assert out.dtype == dtype


@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, bool])
def test_integers_and_bools_give_float64(name, dtype):
    a = act.get(name)
    x = (np.arange(_n(name)) % 2).astype(dtype)
    assert a(x).dtype == np.float64 and a.jacobian(x).dtype == np.float64
    np.testing.assert_array_equal(a(x), a(x.astype(np.float64)))


@pytest.mark.parametrize("name", VECTOR)
def test_float16_is_the_rounded_float32_result(name):
    a = act.get(name)
    x = np.random.default_rng(5).normal(0, 4, (50, _n(name))).astype(np.float16)
    np.testing.assert_array_equal(a(x), a(x.astype(np.float32)).astype(np.float16))


# --- infinities, NaN, no warnings --------------------------------------------------

@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("dtype", FLOATS)
def test_no_warning_over_the_whole_float_range(name, dtype):
    a = act.get(name)
    info = np.finfo(dtype)
    mags = [0.0, info.smallest_subnormal, info.tiny, info.eps, 1.0, 30.0, 1e4,
            np.sqrt(info.max), info.max, np.inf]
    vals = np.array([s * m for m in mags for s in (-1, 1)], dtype=dtype)
    n = _n(name)
    rng = np.random.default_rng(6)
    rows = [rng.choice(vals, n) for _ in range(300)]
    rows += [np.full(n, v, dtype=dtype) for v in vals]
    x = np.array(rows, dtype=dtype)
    g = np.ones((len(x), a.out_len(n)), dtype=dtype)
    # under any np.errstate: the caller's "raise" must not reach the kernels
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, jac, v = a(x), a.jacobian(x), a.vjp(x, g)
        # a cotangent of every sign and scale up to 1e4, zeros and subnormals too
        a.vjp(x, rng.choice(vals[np.abs(vals) <= 1e4], g.shape).astype(dtype))
    # Where every entry is finite and the max fits, the outputs are finite.
    ok = np.all(np.abs(x) <= np.sqrt(info.max), axis=1)
    if name in ("softmax", "softmin", "sparsemax", "maxout"):
        ok = np.all(np.isfinite(x), axis=1)
    elif name == "log_softmax":  # x_i - max(x) must fit
        ok = np.all(np.abs(x) <= info.max / 2, axis=1)
    assert np.all(np.isfinite(y[ok]))
    if name in SOFTMAX_LIKE:
        assert np.all(np.isfinite(jac[ok])) and np.all(np.isfinite(v[ok]))


@pytest.mark.parametrize("name", SOFTMAX_LIKE)
def test_nan_makes_the_whole_vector_nan(name):
    a = act.get(name)
    x = np.array([[1.0, np.nan, -1.0], [1.0, 2.0, -1.0]])
    y = a(x)
    assert np.all(np.isnan(y[0])) and not np.any(np.isnan(y[1]))
    assert np.all(np.isnan(a.jacobian(x)[0]))
    assert np.all(np.isnan(a.vjp(x, np.ones_like(x))[0]))


@pytest.mark.parametrize("name", ["maxout", "glu", "swiglu", "geglu", "geglu_tanh",
                                  "reglu"])
def test_nan_stays_in_its_group(name):
    a = act.get(name)
    x = np.array([np.nan, 1.0, 2.0, -1.0])
    y = a(x)
    assert np.isnan(y[0]) and not np.isnan(y[1])


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_family_at_infinity(dtype):
    inf = np.inf
    cases = {
        "softmax": [([inf, 0.0, -inf], [1, 0, 0]), ([inf, inf, 1.0], [0.5, 0.5, 0]),
                    ([-inf, -inf], [0.5, 0.5]), ([-inf, 0.0], [0, 1])],
        "softmin": [([inf, 0.0, -inf], [0, 0, 1]), ([-inf, -inf, 1.0], [0.5, 0.5, 0])],
        "log_softmax": [([inf, 0.0], [0, -inf]), ([-inf, 0.0], [-inf, 0]),
                        ([-inf, -inf], [-math.log(2)] * 2)],
        "sparsemax": [([inf, 0.0, -inf], [1, 0, 0]), ([inf, inf, 1.0], [0.5, 0.5, 0]),
                      ([-inf, -inf], [0.5, 0.5])],
    }
    for name, rows in cases.items():
        a = act.get(name)
        for x, expected in rows:
            np.testing.assert_array_equal(a(np.array(x, dtype=dtype)),
                                          np.array(expected, dtype=dtype))
    # At a one-hot limit softmax has stopped moving: its Jacobian is 0.
    jac = act.get("softmax").jacobian(np.array([inf, 0.0, -inf], dtype=dtype))
    np.testing.assert_array_equal(jac, np.zeros((3, 3), dtype=dtype))


def test_huge_finite_inputs_do_not_overflow():
    x = np.array([1e308, -1e308, 0.0])
    np.testing.assert_array_equal(act.get("softmax")(x), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(act.get("log_softmax")(x), [0.0, -np.inf, -1e308])
    np.testing.assert_array_equal(act.get("sparsemax")(x), [1.0, 0.0, 0.0])


def test_log_softmax_keeps_tiny_corrections():
    """log_softmax([0, -40]) = -log1p(e^-40) ~ -4.25e-18, not 0; checked by mpmath."""
    y = act.get("log_softmax")([0.0, -40.0])
    mpmath.mp.dps = 50
    ref = -mpmath.log1p(mpmath.exp(-40))
    assert abs(y[0] - float(ref)) <= 1e-16 * abs(float(ref))


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu", "geglu_tanh", "reglu"])
def test_gated_units_at_infinity(name):
    a = act.get(name)
    inf = np.inf
    assert a([inf, 2.0]) == inf            # a -> inf with an open gate
    assert a([5.0, -inf]) == 0.0           # the gate closes
    assert np.isnan(a([inf, np.nan]))
    gate_plus = act.get(name)([1.0, inf])
    assert gate_plus == (1.0 if name == "glu" else inf)


# --- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("name", VECTOR)
def test_derivative_points_to_jacobian_and_vjp(name):
    with pytest.raises(TypeError, match=r"not elementwise.*jacobian.*vjp"):
        act.get(name).derivative([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(TypeError, match=r"not elementwise.*jacobian.*vjp"):
        act.get(name).value_and_derivative([1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("name", VECTOR)
def test_bad_axis(name):
    a = act.get(name)
    x = np.zeros((2, _n(name)))
    for fn in (a, a.jacobian):
        with pytest.raises(ValueError, match=rf"{name}: axis 2 is out of range"):
            fn(x, axis=2)
        with pytest.raises(ValueError, match="out of range"):
            fn(x, axis=-3)
        with pytest.raises(TypeError, match="axis must be an integer"):
            fn(x, axis=1.0)
    with pytest.raises(ValueError, match="scalar"):
        a(1.5)
    with pytest.raises(ValueError, match="empty"):
        a(np.zeros((3, 0)))


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu", "geglu_tanh", "reglu"])
def test_odd_split_length(name):
    a = act.get(name)
    for fn in (a, a.jacobian, lambda v: a.vjp(v, [1.0])):
        with pytest.raises(ValueError, match="even length.*got length 3"):
            fn([1.0, 2.0, 3.0])


def test_maxout_length_not_divisible_by_pieces():
    a = act.get("maxout")
    with pytest.raises(ValueError, match="length 5 is not divisible by pieces=2"):
        a(np.zeros(5))
    with pytest.raises(ValueError, match="not divisible by pieces=3"):
        a.jacobian(np.zeros(4), pieces=3)
    with pytest.raises(ValueError, match="whole number"):
        a(np.zeros(4), pieces=2.5)
    with pytest.raises(ValueError, match=r"pieces.*outside its valid range"):
        a(np.zeros(4), pieces=0)


@pytest.mark.parametrize("name", VECTOR)
def test_vjp_needs_g_of_the_output_shape(name):
    a = act.get(name)
    x = np.zeros((2, _n(name)))
    with pytest.raises(ValueError, match="g must have the shape of the output"):
        a.vjp(x, np.zeros((2, _n(name) + 1)))
    with pytest.raises(TypeError, match=name):
        a.vjp(x, "g")


SIGNALLING_NAN = {np.float16: (np.uint16, 0x7D00), np.float32: (np.uint32, 0x7FA00000),
                  np.float64: (np.uint64, 0x7FF4000000000000)}


@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("dtype", FLOATS)
def test_signalling_nan_is_a_quiet_nan_in_and_out(name, dtype):
    """A signalling NaN in x or g raises no "invalid": it is a NaN like any other."""
    a = act.get(name)
    uint, bits = SIGNALLING_NAN[dtype]
    snan = np.array(bits, dtype=uint).view(dtype)
    n = _n(name)
    x = np.ones((2, n), dtype=dtype)
    x[0, 0] = snan
    g = np.ones((2, a.out_len(n)), dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, jac = a(x), a.jacobian(x)
        v = a.vjp(x, g)
        w = a.vjp(np.ones_like(x), np.where(g == 1, snan, g))
    assert np.isnan(y[0]).any() and not np.isnan(y[1]).any()
    assert np.isnan(jac[0]).any() and np.isnan(v[0]).any()
    assert np.isnan(w).any()


GATE_OF = {"glu": "sigmoid", "swiglu": "silu", "geglu": "gelu",
           "geglu_tanh": "gelu_tanh", "reglu": "relu"}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(GATE_OF))
def test_glu_gate_is_the_registered_activation_bit_for_bit(name, dtype):
    """With a = 1 the output is the gate itself, and J's second half its slope:
    the registered activation and its derivative, to the last bit (SwiGLU had a
    SiLU of its own, 143 ulps off at b = -1e-300)."""
    gate = act.get(GATE_OF[name])
    info = np.finfo(dtype)
    mags = np.concatenate([[0.0, info.smallest_subnormal, info.tiny, info.eps],
                           np.geomspace(1e-3, 1e3, 301), [1e4, info.max]])
    b = np.concatenate([-mags, mags]).astype(dtype)
    if dtype == np.float64:
        b = np.concatenate([b, -np.geomspace(1e-300, 1e-30, 50)])
    x = np.stack([np.ones_like(b), b], axis=-1)
    a = act.get(name)
    np.testing.assert_array_equal(a(x)[..., 0], gate(b))
    np.testing.assert_array_equal(a.jacobian(x)[..., 0, 1], gate.derivative(b))


def test_swiglu_is_accurate_against_mpmath():
    mpmath.mp.dps = 50
    b = np.concatenate([-np.geomspace(1e-300, 700, 200), np.geomspace(1e-300, 700, 200),
                        [-1e-300, -3.7]])
    got = act.get("swiglu")(np.stack([np.ones_like(b), b], axis=-1))[..., 0]
    for t, y in zip(b, got, strict=True):
        ref = mpmath.mpf(t) / (1 + mpmath.exp(-mpmath.mpf(t)))
        assert abs(mpmath.mpf(y) - ref) <= 2 * np.spacing(abs(float(ref))), (t, y, ref)


# --- sparsemax against an exact reference --------------------------------------------

def _sparsemax_exact(x) -> list[Fraction]:
    """Martins & Astudillo (2016), eq. (4)-(5), in exact rational arithmetic: sort z
    decreasingly, k(z) = max{k : 1 + k z_(k) > sum_{j<=k} z_(j)}, tau = (sum_{j<=k(z)}
    z_(j) - 1) / k(z), p = max(z - tau, 0)."""
    z = [Fraction(float(v)) for v in x]
    total, k, total_k = Fraction(0), 0, Fraction(0)
    for j, v in enumerate(sorted(z, reverse=True), start=1):
        total += v
        if 1 + j * v > total:
            k, total_k = j, total
    tau = (total_k - 1) / k
    return [max(v - tau, Fraction(0)) for v in z]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sparsemax_matches_the_sorting_formula_for_1_to_100_inputs(dtype):
    a = act.get("sparsemax")
    rng = np.random.default_rng(2016)
    eps = float(np.finfo(dtype).eps)
    for n in range(1, 101):
        for scale in (1e-3, 0.1, 1.0, 30.0):
            x = (rng.standard_normal(n) * scale).astype(dtype)
            p = _sparsemax_exact(x)
            got = a(x)
            np.testing.assert_allclose(got, [float(v) for v in p], rtol=0,
                                       atol=4 * eps, err_msg=f"n={n}")
            # the Jacobian diag(u) - u u^T / |S| and the VJP, u the exact support
            u = np.array([v > 0 for v in p], dtype=np.float64)
            jac = np.diag(u) - np.outer(u, u) / u.sum()
            np.testing.assert_allclose(a.jacobian(x), jac, rtol=0, atol=4 * eps)
            g = rng.standard_normal(n).astype(dtype)
            np.testing.assert_allclose(a.vjp(x, g), g.astype(np.float64) @ jac,
                                       rtol=0, atol=16 * eps * (1 + np.abs(g).max()))


def test_sparsemax_jacobian_expr_of_four_inputs_is_quick_and_right():
    # SymPy re-evaluated each differentiated Piecewise (15 branches), comparing
    # every condition with every other: this took minutes
    a = act.get("sparsemax")
    start = time.perf_counter()
    jac = a.jacobian_expr(4)
    assert time.perf_counter() - start < 20
    at = sp.lambdify(a.input_symbols(4), jac, "numpy")
    rng = np.random.default_rng(4)
    for _ in range(20):
        point = rng.standard_normal(4) * 0.6
        u = np.array([v > 0 for v in _sparsemax_exact(point)], dtype=np.float64)
        expected = np.diag(u) - np.outer(u, u) / u.sum()
        np.testing.assert_allclose(at(*point), expected, atol=1e-12)


def test_sparsemax_expr_refuses_more_inputs_than_its_limit():
    a = act.get("sparsemax")
    limit = vector.SPARSEMAX_SYM_MAX_N
    for call in (a.expr, a.jacobian_expr):
        with pytest.raises(ValueError, match=rf"sparsemax.*n <= {limit}.*2\*\*n - 1"):
            call(limit + 1)


# --- a * g(b) where the gate g(b) alone is subnormal ---------------------------------

def _glu_gate_mp(name: str, b: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(g(b), g'(b)) of the gate at 80 digits, from mpmath's own functions."""
    sig = 1 / (1 + mpmath.exp(-b))
    if name == "glu":
        return sig, sig * (1 - sig)
    if name == "geglu_tanh":  # b sigma(2u), u = sqrt(2/pi) (b + 0.044715 b^3)
        k = mpmath.mpf(44715) / 10**6
        two_u = 2 * mpmath.sqrt(2 / mpmath.pi) * (b + k * b**3)
        s2 = 1 / (1 + mpmath.exp(-two_u))
        du = 2 * mpmath.sqrt(2 / mpmath.pi) * (1 + 3 * k * b**2)
        return b * s2, s2 + b * s2 * (1 - s2) * du
    if name == "swiglu":
        return b * sig, sig * (1 + b * (1 - sig))
    return b * mpmath.ncdf(b), mpmath.ncdf(b) + b * mpmath.npdf(b)


SUBNORMAL_GATES = [
    # (name, dtype, a, b): the gate at b is subnormal or 0 in the dtype
    ("glu", np.float32, -96.0, -96.0),
    ("glu", np.float32, 3e38, -150.0),
    ("glu", np.float16, 2.0, -12.0),
    ("geglu", np.float32, 1.8446743e19, 1.4012985e-45),
    ("geglu", np.float32, 1e30, -14.0),
    ("swiglu", np.float32, 1e30, -1e-44),
    ("swiglu", np.float32, 1e20, -100.0),
    ("glu", np.float64, 1e300, -800.0),
    ("glu", np.float64, 7.0, -740.0),
    ("swiglu", np.float64, 1e300, -1e-310),
    ("swiglu", np.float64, 35.0, -1.1125369292536007e-308),
    ("swiglu", np.float64, -1e250, -720.0),
    ("geglu", np.float64, 1e300, -40.0),
    ("geglu", np.float64, 1e308, 5e-324),
    ("geglu_tanh", np.float32, 1e30, -11.0),
    ("geglu_tanh", np.float64, 1e300, -20.0),
    ("geglu_tanh", np.float64, 1e308, 5e-324),
]


@pytest.mark.parametrize(("name", "dtype", "a", "b"), SUBNORMAL_GATES)
def test_glu_product_with_a_subnormal_gate_is_rounded_once(name, dtype, a, b):
    """a * g(b) and a * g'(b) from a g(b) already rounded to a subnormal lost its
    digits: GLU [-96, -96] in float32 was 26 ulps off, GEGLU [1.8e19, 1.4e-45] gave
    0.0 (truth 1.29e-26). The error allowed is that of the condition, |b| (b^2 for
    GELU's tail), in ulps."""
    mpmath.mp.dps = 80
    x = np.array([a, b], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, jac = act.get(name)(x), act.get(name).jacobian(x)
        v = act.get(name).vjp(x, np.array([a], dtype=dtype))
    am, bm = mpmath.mpf(float(x[0])), mpmath.mpf(float(x[1]))
    g, dg = _glu_gate_mp(name, bm)
    info = np.finfo(dtype)
    cond = 2 + abs(float(bm)) * (abs(float(bm)) if name == "geglu" else 1)
    if name == "geglu_tanh":  # d log g / d log b: 1 + 2 b u' (1 - sigma(2u))
        cond = 2 + abs(float(bm)) * 1.6 * (1 + 0.134145 * float(bm) ** 2)
    for got, ref in ((y[0], am * g), (jac[0, 1], am * dg), (v[0], am * g)):
        want = float(np.asarray(float(ref)).astype(dtype))
        assert want != 0
        err = abs(mpmath.mpf(float(got)) - ref) / max(
            float(info.eps) * abs(ref), float(info.smallest_subnormal))
        limit = 4 * cond if dtype == np.float64 and abs(float(bm)) >= 1 else 1
        assert err <= limit, (got, ref, err)


@pytest.mark.parametrize("name", VECTOR)
@pytest.mark.parametrize("dtype", FLOATS)
def test_vjp_takes_any_cotangent_without_a_floating_point_error(name, dtype):
    """g^T J is linear in g: a cotangent near the largest float (g = [max, -max]
    once overflowed in g - <g, s>), or an infinite one, raises nothing."""
    a = act.get(name)
    n = _n(name)
    info = np.finfo(dtype)
    x = np.linspace(-3, 3, 6 * n).reshape(6, n).astype(dtype)
    m = a.out_len(n)
    g = np.ones((6, m), dtype=dtype)
    g[0] = info.max
    g[1, ::2], g[1, 1::2] = info.max, -info.max
    g[2] = info.max / 4
    g[3, 0] = np.inf
    g[4, 0] = np.nan
    g[5] = info.smallest_subnormal
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        v = a.vjp(x, g)
    assert v.shape == x.shape and v.dtype == dtype
    assert np.isfinite(v[5]).all()


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_vjp_with_a_huge_cotangent_is_accurate(name):
    """Against mpmath: (g^T J)_j = s_j (g_j - <g, s>) for softmax and
    g_j - s_j sum(g) for log-softmax, with g of the size of the largest float."""
    big = np.finfo(np.float64).max
    x = np.array([0.5, -1.0, 2.0, 0.25])
    g = np.array([big, -big, big / 3, -big / 7])
    got = act.get(name).vjp(x, g)
    with mpmath.workdps(60):
        e = [mpmath.exp(mpmath.mpf(float(t))) for t in x]
        s = [v / sum(e) for v in e]
        gm = [mpmath.mpf(float(t)) for t in g]
        if name == "softmax":
            dot = sum(gi * si for gi, si in zip(gm, s, strict=True))
            ref = [si * (gi - dot) for gi, si in zip(gm, s, strict=True)]
        else:
            total = sum(gm)
            ref = [gi - si * total for gi, si in zip(gm, s, strict=True)]
        edge = mpmath.mpf(big) * (1 + mpmath.mpf(2) ** -54)  # rounds to inf beyond
        for r, v in zip(ref, got, strict=True):
            if abs(r) > edge:  # the true product is beyond the largest float
                assert v == (math.inf if r > 0 else -math.inf), (v, r)
            else:
                assert abs(mpmath.mpf(float(v)) - r) <= 4 * np.finfo(float).eps * big
    assert np.isfinite(got).sum() >= 3


# --- Gumbel-softmax: training mode ------------------------------------------------

def test_gumbel_softmax_sample_is_the_tempered_softmax_of_the_noisy_scores():
    a = act.get("gumbel_softmax")
    x, noise = np.array([1.0, 0.5, -1.0]), np.array([0.3, -0.2, 1.7])
    y, g = a(x, training=True, noise=noise, tau=0.5)
    np.testing.assert_array_equal(g, noise)
    z = np.exp((x + noise) / 0.5)
    np.testing.assert_allclose(y, z / z.sum(), rtol=1e-15)
    s = y  # the Jacobian of softmax at the noisy point, divided by tau (expected)
    np.testing.assert_allclose(a.jacobian(x, training=True, noise=noise, tau=0.5),
                               (np.diag(s) - np.outer(s, s)) / 0.5, rtol=1e-14,
                               atol=1e-17)


def test_gumbel_softmax_draws_reproducibly_and_evaluation_ignores_the_mean_noise():
    a = act.get("gumbel_softmax")
    x = np.array([[2.0, 0.0, -1.0]] * 4)
    y1, g1 = a(x, training=True, rng=np.random.default_rng(5))
    y2, g2 = a(x, training=True, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(g1, g2)
    # the noise's mean, Euler's constant, in every entry: the evaluation form
    y_mean, _ = a(x, training=True, noise=np.euler_gamma)
    np.testing.assert_allclose(y_mean, a(x), rtol=1e-15)
    with pytest.raises(ValueError, match="training=True"):
        a(x, noise=g1)


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient():
    a = act.get("gumbel_softmax")
    x, noise = np.array([0.2, 0.1, 0.0, 0.1]), np.array([0.0, 0.5, 0.0, 0.5])
    y_hard, _ = a(x, training=True, noise=noise, hard=True)
    np.testing.assert_array_equal(y_hard, [0.0, 1.0, 0.0, 0.0])  # first on a tie
    g = np.array([1.0, -2.0, 0.5, 3.0])
    np.testing.assert_array_equal(
        a.vjp(x, g, training=True, noise=noise, hard=True),
        a.vjp(x, g, training=True, noise=noise))
    assert np.isnan(a([np.nan, 1.0], hard=True)).all()


# --- test_vector_gated.py ----------------------------------------
# dReLU, SoLU, PolyNorm and the average-biased ReLU: facts particular to each.
#
# The generic vector checks (Jacobian and VJP against SymPy, dtypes, axes, no
# warnings) run over every vector activation in ``test_vector.py``; these tests hold
# what is particular to these four. Expected values come from hand computation,
# exact fractions, or mpmath at 50 digits, never from the code under test.

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


# --- test_vector_sorting.py ----------------------------------------
# 1.5-entmax and the sorting and competing units (maxmin, groupsort, lwta).
#
# Expected values come from independent sources: mpmath root finding for the
# entmax threshold at 50 digits, the two-class closed form of 1.5-entmax, Python's
# ``sorted`` for the sorting units, and hand computation.

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


@pytest.mark.parametrize("name, smoothness", [
    ("lwta", "C^-1 (discontinuous)"),       # the winner changes at a tie: a jump
    ("sparsemax", "C^0 (piecewise smooth)"),  # its Jacobian jumps by 1/|S|
    ("maxout", "C^0 (piecewise smooth)"),   # max of pieces: corners at ties
    ("groupsort", "C^0 (piecewise smooth)"),  # a sort swaps slopes at ties
    ("swiglu_oai", "C^0 (piecewise smooth)"),  # the clamps at +-7 are corners
    ("entmax15", "C^1 (piecewise smooth)"),  # the square root fades: no jump in J
    ("softmax", "C^∞"),
])
def test_smoothness_of_vector_activations(name, smoothness):
    """The properties table's smoothness, against what each chapter derives."""
    from activations.properties import properties

    assert properties(name).smoothness == smoothness


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
