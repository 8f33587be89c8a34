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
    smooth = "C^∞" if not piecewise else _piecewise_smoothness(a, p, n)
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


def _piecewise_smoothness(a: Activation, p: dict, n: int) -> str:
    """``C^-1 (discontinuous)``, ``C^0`` or ``C^1`` (``piecewise smooth``): whether
    f, then its Jacobian, jumps somewhere along random lines through R^n.

    The pieces of a vector activation meet on sets of measure zero (ties, the edge
    of a support), which random points never hit, so each line is sampled densely
    and the largest changes between neighbouring samples are bisected 40 times:
    across a jump the change stays the size of the jump, elsewhere it shrinks
    with the step (2^-40 of it). LWTA jumps where two entries tie (the winner
    changes); sparsemax is continuous but its Jacobian jumps where an entry
    enters the support; 1.5-entmax's Jacobian does not.

    >>> [_piecewise_smoothness(get(name), {}, 4) for name in ("lwta", "sparsemax")]
    ['C^-1 (discontinuous)', 'C^0 (piecewise smooth)']
    """
    rng = np.random.default_rng(2)
    # half the lines near the origin, half out to |x| ~ 25 (gpt-oss's clamp at 7)
    scale = np.repeat([1.5, 6.0], 12)[:, None]
    lines = len(scale)
    start = rng.normal(0, 1, (lines, n)) * scale
    way = rng.normal(0, 1, (lines, n))
    way *= 2 * scale / np.linalg.norm(way, axis=1, keepdims=True)
    ts = np.linspace(-1, 1, 1201)

    for order, g in ((0, lambda z: a(z, **p)),
                     (1, lambda z: a.jacobian(z, **p))):
        # every line at once: (lines, samples, n) in, one row of g per sample
        vals = g(start[:, None, :] + ts[None, :, None] * way[:, None, :])
        vals = vals.reshape(lines, len(ts), -1)
        steps = np.abs(np.diff(vals, axis=1)).max(axis=2)
        k = np.argsort(steps, axis=1)[:, -3:]  # each line's three largest changes
        line = np.repeat(np.arange(lines), 3)
        if _jumps(g, start[line], way[line], ts[k.ravel()], ts[k.ravel() + 1]):
            return "C^-1 (discontinuous)" if order == 0 else "C^0 (piecewise smooth)"
    return "C^1 (piecewise smooth)"


def _jumps(g, start, way, lo, hi) -> bool:
    """Whether ``g`` jumps in any interval ``[lo, hi]`` of the lines ``start + t
    way``: halve every interval 40 times, keeping the half that changes more, and
    see whether a change is still far above what the remaining step explains."""
    width = hi - lo

    def rows(t):
        return g(start + t[:, None] * way).reshape(len(t), -1)

    for _ in range(40):
        mid = (lo + hi) / 2
        y_lo, y_mid, y_hi = rows(lo), rows(mid), rows(hi)
        left = np.abs(y_mid - y_lo).max(axis=1) >= np.abs(y_hi - y_mid).max(axis=1)
        hi, lo = np.where(left, mid, hi), np.where(left, lo, mid)
    y_lo, y_hi = rows(lo), rows(hi)
    change = np.abs(y_hi - y_lo).max(axis=1)
    scale = 1 + np.abs(y_lo).max(axis=1)
    # A continuous g changes by about its slope times 2^-40 of the first step;
    # a jump of 1e-6 of g's size is far above that and far below any real jump.
    return bool(np.any((change > 1e-6 * scale)
                       & (change > 1e6 * (hi - lo) / width * scale)))
