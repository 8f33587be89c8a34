"""Two-dimensional toy data sets, made with NumPy and a seed.

Each function returns ``(X, y)``: ``X`` of shape ``(n, 2)`` in float64 and ``y`` of
shape ``(n,)`` holding the integer class of each point. The same seed gives the same
points on every machine (NumPy's ``default_rng`` is a PCG64 stream).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DATASETS", "as_rng", "circles", "moons", "spirals", "split"]


def whole(name: str, value: object, low: int = 1) -> int:
    """``value`` as an int, checked to be a whole number ``>= low``.

    A float, even 2.0, is refused: a count written as 2.5 is a mistake that
    ``int()`` would hide; so is a bool.

    >>> whole("epochs", np.int64(3))
    3
    >>> whole("epochs", 2.0)
    Traceback (most recent call last):
    TypeError: epochs must be a whole number >= 1, got float
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a whole number >= {low}, "
                        f"got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value}")
    return int(value)


def real(name: str, value: object, low: float = -math.inf, high: float = math.inf,
         *, open_low: bool = False, open_high: bool = False) -> float:
    """``value`` as a float, checked to be finite and in the given range.

    >>> real("lr", 1), real("beta", 0.5, 0, 1, open_high=True)
    (1.0, 0.5)
    >>> real("beta", 1.0, 0, 1, open_high=True)
    Traceback (most recent call last):
    ValueError: beta must be a finite number in [0, 1), got 1.0
    """
    if (isinstance(value, bool | np.bool_)
            or not isinstance(value, int | float | np.integer | np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = float(value)
    above = v > low if open_low else v >= low
    below = v < high if open_high else v <= high
    if not (math.isfinite(v) and above and below):
        interval = (f"{'(' if open_low or math.isinf(low) else '['}{low:g}, "
                    f"{high:g}{')' if open_high or math.isinf(high) else ']'}")
        raise ValueError(f"{name} must be a finite number in {interval}, got {v!r}")
    return v


def as_rng(rng: int | np.random.Generator | None) -> np.random.Generator:
    """A NumPy ``Generator`` from a seed (a whole number >= 0), or the generator.

    ``None`` means seed 0, not fresh entropy: every experiment is repeatable.

    >>> as_rng(None).random() == np.random.default_rng(0).random()
    True
    >>> g = np.random.default_rng(7)
    >>> as_rng(g) is g
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is not None and (isinstance(rng, bool | np.bool_)
                            or not isinstance(rng, int | np.integer)):
        raise TypeError("rng must be a seed (a whole number >= 0), a "
                        f"numpy.random.Generator or None, got {type(rng).__name__}")
    if rng is not None and rng < 0:
        raise ValueError(f"rng, a seed, must be a whole number >= 0, got {rng}")
    return np.random.default_rng(0 if rng is None else rng)


def _halves(n: int) -> tuple[int, int]:
    n = whole("n, the number of points,", n, 2)
    return n // 2, n - n // 2


def circles(
    n: int = 400,
    *,
    noise: float = 0.1,
    factor: float = 0.5,
    rng: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor``.

    Angles are uniform, and Gaussian noise of standard deviation ``noise`` is
    added to both coordinates. No straight line separates the classes; a
    classifier must enclose the inner circle.

    Examples
    --------
    >>> X, y = circles(6, rng=1)
    >>> X.shape, y.tolist()
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    real("factor", factor, 0, 1, open_low=True, open_high=True)
    real("noise", noise, 0)
    g = as_rng(rng)
    n_out, n_in = _halves(n)
    theta = g.uniform(0, 2 * np.pi, n)
    radius = np.r_[np.ones(n_out), np.full(n_in, factor)]
    X = radius[:, None] * np.c_[np.cos(theta), np.sin(theta)]
    X += g.normal(0, noise, X.shape)
    return X, np.r_[np.zeros(n_out, int), np.ones(n_in, int)]


def moons(
    n: int = 400, *, noise: float = 0.1, rng: int | np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, centred on the origin.

    Class 0 is the upper half circle of radius 1 around (0, 0), class 1 the lower
    one around (1, 0.5); the pair is then shifted by (-0.5, -0.25).

    >>> X, y = moons(4, noise=0.0, rng=0)
    >>> y.tolist(), np.hypot(*(X[:2] + [0.5, 0.25]).T).round(12).tolist()  # radius 1
    ([0, 0, 1, 1], [1.0, 1.0])
    """
    real("noise", noise, 0)
    g = as_rng(rng)
    n0, n1 = _halves(n)
    t0, t1 = g.uniform(0, np.pi, n0), g.uniform(0, np.pi, n1)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    X = np.r_[upper, lower] - np.array([0.5, 0.25])
    X += g.normal(0, noise, X.shape)
    return X, np.r_[np.zeros(n0, int), np.ones(n1, int)]


def spirals(
    n: int = 400,
    *,
    noise: float = 0.05,
    turns: float = 1.5,
    rng: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals, the second the first turned by half a circle.

    The radius grows linearly from 0 to 1 over ``turns`` revolutions; points are
    spaced uniformly along the radius. The classic hard case for shallow networks.

    >>> X, y = spirals(6, noise=0.0, rng=0)
    >>> X.shape, y.tolist(), bool(np.all(np.hypot(*X.T) <= 1))
    ((6, 2), [0, 0, 0, 1, 1, 1], True)
    """
    real("noise", noise, 0)
    real("turns", turns, 0, open_low=True)
    g = as_rng(rng)
    n0, n1 = _halves(n)
    r = np.r_[g.uniform(0.05, 1, n0), g.uniform(0.05, 1, n1)]
    theta = 2 * np.pi * turns * r + np.r_[np.zeros(n0), np.full(n1, np.pi)]
    X = r[:, None] * np.c_[np.cos(theta), np.sin(theta)]
    X += g.normal(0, noise, X.shape)
    return X, np.r_[np.zeros(n0, int), np.ones(n1, int)]


DATASETS = {"circles": circles, "moons": moons, "spirals": spirals}
"""The data sets by name."""


def split(
    X: np.ndarray,
    y: np.ndarray,
    test: float = 0.5,
    rng: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle and split into ``X_train, y_train, X_test, y_test``.

    ``test`` is the fraction of the points that go to the test set, in (0, 1);
    both sets must get at least one point.

    >>> X, y = circles(10, rng=0)
    >>> [a.shape for a in split(X, y, test=0.3, rng=0)]
    [(7, 2), (7,), (3, 2), (3,)]
    """
    test = real("test, the fraction of points held out,", test, 0, 1,
                open_low=True, open_high=True)
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per point: got {len(X)} rows "
                         f"of X and {len(y)} labels")
    order = as_rng(rng).permutation(len(X))
    cut = int(round(len(X) * (1 - test)))
    if not 0 < cut < len(X):
        raise ValueError(f"test={test:g} of {len(X)} points leaves the "
                         f"{'training' if cut == 0 else 'test'} set empty")
    tr, te = order[:cut], order[cut:]
    return X[tr], y[tr], X[te], y[te]
