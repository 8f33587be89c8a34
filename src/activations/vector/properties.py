"""Properties of a vector activation, measured on random input vectors
(:func:`activations.properties.properties` of this kind)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..properties import Record, _num, _yes
from ..registry import Activation, get

__all__ = ["VectorProperties", "properties"]


@dataclass(frozen=True, repr=False)  # the display is Record's
class VectorProperties(Record):
    """Properties of a vector-valued activation, measured on random input vectors
    of length ``n`` (standard deviations from 0.5 to 100) and on the same vectors
    scaled by 10^6 (for boundedness and saturation)."""

    name: str
    params: dict[str, float]
    n: int
    m: int
    range_low: float
    range_high: float
    low_attained: bool
    high_attained: bool
    sums_to_one: bool
    shift_invariant: bool
    permutation_equivariant: bool
    positively_homogeneous: bool
    exact_zeros: bool
    jacobian_symmetric: bool
    saturates: bool
    smoothness: str
    mean_normal: float
    mean_stderr: float
    f0: tuple[float, ...]

    def items(self) -> list[tuple[str, str]]:
        return [
            ("input → output length", f"{self.n} → {self.m}"),
            ("range of each output", self.range),
            ("outputs sum to 1", _yes(self.sums_to_one)),
            ("shift-invariant, f(x + c) = f(x)", _yes(self.shift_invariant)),
            ("permutation-equivariant", _yes(self.permutation_equivariant)),
            ("positively homogeneous, f(cx) = c f(x)",
             _yes(self.positively_homogeneous)),
            ("exact zeros at moderate inputs", _yes(self.exact_zeros)),
            ("Jacobian symmetric", _yes(self.jacobian_symmetric)),
            ("saturates (J → 0 as the inputs spread)", _yes(self.saturates)),
            ("smoothness", self.smoothness),
            ("mean output for x ~ N(0, I)",
             f"{self.mean_normal:.4g} ± {self.mean_stderr:.1g}"),
            ("f(0, …, 0)", "(" + ", ".join(_num(v) for v in self.f0) + ")"),
        ]



def properties(activation: str | Activation, **params: Any) -> VectorProperties:
    """Measure the properties of a vector-valued activation at ``params``."""
    a = get(activation)
    p = a.bind(params)
    n = a.smallest_n(4, **p)
    rng = np.random.default_rng(0)
    xs = np.concatenate([rng.normal(0, s, (400, n)) for s in (0.5, 1, 3, 10, 100)])
    moderate = np.abs(xs).max(axis=1) <= 10
    ys = a(xs, **p)
    m = ys.shape[1]
    with np.errstate(over="ignore"):
        ys_huge = a(1e6 * xs, **p)
    low, high = float(ys.min()), float(ys.max())
    grows_up = ys_huge.max() > 1e3 * max(1.0, abs(high))
    grows_down = ys_huge.min() < -1e3 * max(1.0, abs(low))
    range_low = -math.inf if grows_down else min(low, float(ys_huge.min()))
    range_high = math.inf if grows_up else max(high, float(ys_huge.max()))
    low_hit = bool(np.isfinite(range_low) and np.any(ys[moderate] == range_low))
    high_hit = bool(np.isfinite(range_high) and np.any(ys[moderate] == range_high))

    def close(u, v):
        return bool(np.all(np.abs(u - v) <= 1e-10 * (1 + np.abs(v))))

    sums = bool(np.all(np.abs(ys[moderate].sum(axis=1) - 1) < 1e-12))
    shift = close(a(xs[moderate] + 3.7, **p), ys[moderate])
    perm = rng.permutation(n)
    equi = m == n and close(a(xs[:, perm], **p), ys[:, perm])
    homog = close(a(2.5 * xs, **p), 2.5 * ys)
    zeros = bool(np.any(ys[np.abs(xs).max(axis=1) <= 3] == 0))
    jac = a.jacobian(xs[:200], **p)
    sym = m == n and close(jac, np.swapaxes(jac, -1, -2))
    with np.errstate(over="ignore"):
        jac_far = a.jacobian(1e3 * xs[:400], **p)
    # (nine in ten far-spread vectors, since near-ties keep a gradient)
    far_max = np.abs(jac_far).reshape(len(jac_far), -1).max(axis=1)
    saturates = bool(np.mean(far_max < 1e-6) >= 0.9)
    e = a.expr(n, **p)
    piecewise = e.has(sp.Piecewise, sp.Max, sp.Min, sp.Heaviside)
    # Continuity, checked numerically: small steps give small changes.
    step = 1e-7 * rng.normal(size=xs[:400].shape)
    jump = np.max(np.abs(a(xs[:400] + step, **p) - ys[:400]), axis=1)
    bound = 1e-7 * 100 * (1 + np.abs(xs[:400]).max(axis=1)) * np.sqrt(n)
    continuous = bool(np.all(jump <= bound))
    smooth = ("C^∞" if not piecewise else
              "C^0 (piecewise smooth)" if continuous else "discontinuous")
    z = np.random.default_rng(1).standard_normal((200_000, n))
    first = a(z, **p)[:, 0]
    return VectorProperties(
        name=a.name, params=p, n=n, m=m,
        range_low=range_low, range_high=range_high,
        low_attained=low_hit, high_attained=high_hit,
        sums_to_one=sums, shift_invariant=shift, permutation_equivariant=equi,
        positively_homogeneous=homog, exact_zeros=zeros, jacobian_symmetric=sym,
        saturates=saturates, smoothness=smooth,
        mean_normal=float(first.mean()),
        mean_stderr=float(first.std() / math.sqrt(len(first))),
        f0=tuple(float(v) for v in a(np.zeros(n), **p)),
    )
