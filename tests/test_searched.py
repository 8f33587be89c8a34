"""Activations found by search: MaxSig's kink at the root of x = sigma(x), the
records of what autodiff returns at the ties of MinSin and MaxTanh, and cube
correctly rounded near overflow, against mpmath."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from conftest import strict

import activations as act
from activations import searched

mpmath.mp.dps = 50
FLOATS = [np.float16, np.float32, np.float64]


def test_maxsig_kink_is_the_root_of_x_equals_sigmoid():
    root = mpmath.findroot(lambda t: t - 1 / (1 + mpmath.exp(-t)), 0.66)
    assert searched.MAXSIG_KINK == float(root)
    assert searched.MAXSIG_KINK_SLOPE == float(root * (1 - root))
    a = act.get("maxsig")
    assert a.kink_points() == [float(root)]
    assert a.derivative(float(root)) == searched.MAXSIG_KINK_SLOPE
    assert a.derivative(np.nextafter(float(root), 1)) == 1.0


@pytest.mark.parametrize(("name", "op"),
                         [("minsin", "minimum"), ("maxtanh", "maximum")])
def test_tie_records_name_the_op_of_the_definition(name, op):
    """MinSin is min(x, sin x) and MaxTanh max(x, tanh x): the record of what
    autodiff returns at their tie names that op (torch.minimum and jnp.minimum
    split a tie evenly, as torch.maximum and jnp.maximum do: measured with
    PyTorch 2.13.0 and JAX 0.10.2, d/dx min(x, 2x) = 1.5 at 0)."""
    (kink,) = act.get(name).kinks
    other = {"minimum": "maximum", "maximum": "minimum"}[op]
    for fw in ("pytorch", "jax"):
        assert op in kink.frameworks[fw] and other not in kink.frameworks[fw]
    assert kink.value() == 1.0


def _mp(v) -> mpmath.mpf:
    return mpmath.mpf(float(v))


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
