"""Bad input gets a clear error that names the problem."""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import activations as act
from activations.symbolic import x

NAMES = act.names()

BAD_X = [
    pytest.param(1 + 2j, id="complex"),
    pytest.param(np.array([1.0, 2.0], dtype=np.complex64), id="complex-array"),
    pytest.param("1.5", id="str"),
    pytest.param(None, id="None"),
    pytest.param(np.array([1.0, "a"], dtype=object), id="object-array"),
    pytest.param(np.array([1.0, 2.0], dtype=object), id="object-numbers"),
    pytest.param(np.array(["1", "2"]), id="str-array"),
    pytest.param([1.0, None], id="list-with-None"),
    # the mask would be dropped, and a masked NaN could reach unmasked entries
    pytest.param(np.ma.array([1.0, np.nan], mask=[False, True]), id="masked"),
]
if np.finfo(np.longdouble).eps < np.finfo(np.float64).eps:
    # computing it in float64 would silently drop its extra precision
    BAD_X.append(pytest.param(np.array([1.0, 2.0], dtype=np.longdouble),
                              id="longdouble"))


@pytest.mark.parametrize("bad", BAD_X)
@pytest.mark.parametrize("name", NAMES)
def test_non_real_x_is_a_type_error_naming_the_activation(name, bad):
    a = act.get(name)
    fns = [a, a.derivative]
    if not a.elementwise:
        fns += [a.jacobian, lambda v: a.vjp(v, [1.0])]
    for fn in fns:
        with pytest.raises(TypeError, match=name):
            fn(bad)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_parameter_is_named(name):
    a = act.get(name)
    with pytest.raises(ValueError, match="unknown parameter.*slopee"):
        a(1.0, slopee=0.1)
    with pytest.raises(ValueError, match="slopee"):
        a.derivative(1.0, slopee=0.1)
    with pytest.raises(ValueError, match="slopee"):
        a.expr(slopee=0.1)


@pytest.mark.parametrize("name", [n for n in NAMES if act.get(n).params])
def test_out_of_range_parameter_names_it_and_its_range(name):
    a = act.get(name)
    for pname, p in a.params.items():
        for bad in (p.low - 1, p.high + 1):
            if np.isfinite(bad):
                lo = r"\(" if np.isinf(p.low) and not p.infinite else r"\["
                hi = r"\)" if np.isinf(p.high) and not p.infinite else r"\]"
                msg = rf"{pname}.*outside its valid range {lo}{p.low}, {p.high}{hi}"
                with pytest.raises(ValueError, match=msg):
                    a(1.0, **{pname: bad})


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("name", [n for n in NAMES if act.get(n).params])
def test_infinite_or_nan_parameter_is_out_of_range(name, bad):
    # an infinite end of a range is open (elu(1.0, alpha=inf) used to give NaN)
    a = act.get(name)
    for pname, p in a.params.items():
        if p.infinite and not np.isnan(bad):
            continue  # tested where it is used (test_linear)
        with pytest.raises(ValueError, match=rf"{pname}.*outside its valid range"):
            a(1.0, **{pname: bad})


@pytest.mark.parametrize("name", [n for n in NAMES if act.get(n).params])
def test_non_numeric_parameter_is_a_type_error(name):
    a = act.get(name)
    pname = next(iter(a.params))
    for bad in ("0.1", None, [0.1]):
        with pytest.raises(TypeError, match=pname):
            a(1.0, **{pname: bad})


def test_name_lookup_rejects_non_strings():
    with pytest.raises(TypeError, match="string"):
        act.get(3)


NOT_REAL_PARAMS = [
    pytest.param(True, id="bool"),
    pytest.param(np.True_, id="numpy-bool"),
    pytest.param("0.5", id="str"),
    pytest.param(None, id="None"),
    pytest.param(np.array(0.5), id="0d-array"),
    pytest.param(np.array([0.5]), id="array"),
    pytest.param([0.5], id="list"),
    # NumPy counts timedelta64 as an integer: it was read as 1.0
    pytest.param(np.timedelta64(1), id="timedelta64"),
    # the imaginary part was dropped with only a ComplexWarning
    pytest.param(np.complex128(0.5 + 1j), id="numpy-complex"),
    pytest.param(0.5 + 0j, id="complex"),
    pytest.param(Fraction(1, 2), id="Fraction"),
    pytest.param(Decimal("0.5"), id="Decimal"),
]


@pytest.mark.parametrize("bad", NOT_REAL_PARAMS)
@pytest.mark.parametrize("name", [n for n in NAMES if act.get(n).params])
def test_a_parameter_that_is_not_an_int_or_float_is_refused_with_its_range(name, bad):
    a = act.get(name)
    for pname, p in a.params.items():
        msg = rf"^{name}: parameter '{pname}' .* in {re.escape(p.valid_range())}"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(TypeError, match=msg):
                a(1.0, **{pname: bad})


@pytest.mark.parametrize("big", [10**400, -(10**400)])
@pytest.mark.parametrize("name", [n for n in NAMES if act.get(n).params])
def test_an_integer_too_large_for_a_float_is_out_of_range(name, big):
    # float(10**400) raised a bare OverflowError: "int too large to convert to float"
    a = act.get(name)
    for pname, p in a.params.items():
        msg = rf"^{name}: parameter '{pname}' .*outside its valid range " \
              rf"{re.escape(p.valid_range())}"
        with pytest.raises(ValueError, match=msg):
            a(1.0, **{pname: big})


@pytest.mark.parametrize("value", [np.int8(1), np.uint64(1), np.float16(0.5),
                                   np.float32(0.5), np.float64(0.5),
                                   np.longdouble(0.5), 1, 0.5, 2**60])
def test_python_and_numpy_reals_are_accepted_as_parameters(value):
    # ELU's alpha: [0, inf); the value is used as the float it stands for
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = act.get("elu")(-1.0, alpha=value)
    assert got == float(value) * np.expm1(-1.0)


INFINITE_PARAMS = [(n, k) for n in NAMES for k, p in act.get(n).params.items()
                   if p.infinite]


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize(("name", "pname"), INFINITE_PARAMS)
def test_expr_takes_an_infinite_parameter_where_it_is_allowed(name, pname, sign):
    # exact(inf) raised OverflowError: cannot convert Infinity to integer ratio
    a = act.get(name)
    value = sign * np.inf
    assert a.expr(**{pname: value}).has(sign * sp.oo)
    params = {k: p.default for k, p in a.params.items()} | {pname: value}
    e = a.expr(**params)
    for t in (-2.5, -0.5, 0.0, 0.75, 3.0):
        assert float(e.subs(x, t)) == a(t, **params)


def test_some_parameter_may_be_infinite():
    assert INFINITE_PARAMS  # else the test above tests nothing


@pytest.mark.parametrize("name", NAMES)
def test_a_ragged_nested_list_is_refused_by_name(name):
    # NumPy's "inhomogeneous shape" ValueError did not say which activation
    a = act.get(name)
    for fn in (a, a.derivative):
        with pytest.raises(ValueError, match=rf"^{name}: x .*rows of equal length"):
            fn([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("bad", BAD_X[:4] + [pytest.param([[1.0], [2.0, 3.0]],
                                                          id="ragged")])
@pytest.mark.parametrize("name", act.names(elementwise=False))
def test_a_bad_g_in_a_vjp_is_called_g(name, bad):
    # it was reported as a bad x
    a = act.get(name)
    x = np.zeros(a.default_n())
    with pytest.raises((TypeError, ValueError), match=rf"^{name}: .*\bg\b") as err:
        a.vjp(x, bad)
    assert " x " not in str(err.value)


@pytest.mark.parametrize("n", [0, -1, 2.5, True, "3"])
@pytest.mark.parametrize("name", act.names(elementwise=False))
def test_expr_needs_a_whole_number_of_inputs(name, n):
    # n=2.5 was read as 2, n=0 and n=-1 gave an empty matrix
    a = act.get(name)
    for fn in (a.expr, a.jacobian_expr):
        with pytest.raises((TypeError, ValueError), match=rf"^{name}: n.*whole number"):
            fn(n)


def test_a_length_that_does_not_fit_names_the_activation():
    with pytest.raises(ValueError, match="^glu: .*even length"):
        act.get("glu")([1.0, 2.0, 3.0])
