"""Why nonlinearity: the computations of the page of that name.

* :func:`best_threshold`, :func:`best_line`, :func:`lift` - how well a line
  separates the concentric circles in the plane, and a plane after lifting them
  into three dimensions with :math:`z = x_1^2 + x_2^2`;
* :func:`random_feature_fit`, :func:`approximation_sweep` - one hidden layer of
  growing width fitted to a function of one variable, the output layer by least
  squares (exact), the hidden layer drawn at random (the best of several draws);
* :func:`separation_figure`, :func:`fits_figure` - the page's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..nn.data import as_rng
from ..plotting import BookFigure
from ..registry import Activation, get

__all__ = [
    "Approximation",
    "Line",
    "approximation_sweep",
    "best_line",
    "best_threshold",
    "fits_figure",
    "lift",
    "random_feature_fit",
    "separation_figure",
]


def lift(X: np.ndarray) -> np.ndarray:
    """Points of the plane lifted into space: ``(x1, x2, x1**2 + x2**2)``.

    Examples
    --------
    >>> lift(np.array([[3.0, 4.0]])).tolist()
    [[3.0, 4.0, 25.0]]
    """
    X = np.asarray(X, dtype=np.float64)
    return np.c_[X, (X**2).sum(axis=1)]


def best_threshold(s: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """The best rule "class 1 iff ``sign * (s - t) > 0``" on scores ``s``.

    Tries every cut between two distinct sorted scores (and the two cuts outside
    them) in both orientations. Returns ``(accuracy, t, sign)``.

    Examples
    --------
    >>> best_threshold(np.array([0.1, 0.2, 0.9, 1.0]), np.array([1, 1, 0, 0]))
    (1.0, 0.55, -1)
    """
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y)
    order = np.argsort(s, kind="stable")
    s, y = s[order], y[order]
    n = len(s)
    ones = np.r_[0, np.cumsum(y == 1)]  # class-1 points among the first k
    zeros = np.arange(n + 1) - ones
    # Predict 0 for the first k points and 1 for the rest (sign +1).
    up = (zeros + (ones[-1] - ones)) / n
    # Cuts only between distinct scores (k = 0 and k = n are always allowed).
    allowed = np.r_[True, s[1:] > s[:-1], True]
    up = np.where(allowed, up, -1.0)
    down = np.where(allowed, 1.0 - up, -1.0)
    k_up, k_down = int(np.argmax(up)), int(np.argmax(down))
    k, sign, acc = ((k_up, 1, up[k_up]) if up[k_up] >= down[k_down]
                    else (k_down, -1, down[k_down]))
    edges = np.r_[s[0] - 1.0, s, s[-1] + 1.0]
    t = 0.5 * (edges[k] + edges[k + 1])
    return float(acc), float(t), sign


@dataclass(frozen=True)
class Line:
    """The best line found: class 1 iff ``sign * (x @ normal - offset) > 0``."""

    accuracy: float
    normal: np.ndarray
    offset: float
    sign: int


def best_line(X: np.ndarray, y: np.ndarray, directions: int = 720) -> Line:
    """The most accurate straight line in the plane, over ``directions`` normals.

    The normals are spread evenly over half a turn (the other half is the same
    lines with the classes swapped, which :func:`best_threshold` tries); for each,
    every threshold is tried. So the answer is the best line up to the angular
    resolution, an accuracy no straight line can beat by more than a hair.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]])
    >>> best_line(X, np.array([0, 0, 1, 1])).accuracy
    1.0
    """
    X = np.asarray(X, dtype=np.float64)
    best = None
    for angle in np.arange(directions) * np.pi / directions:
        u = np.array([np.cos(angle), np.sin(angle)])
        acc, t, sign = best_threshold(X @ u, y)
        if best is None or acc > best.accuracy:
            best = Line(acc, u, t, sign)
    return best


@dataclass(frozen=True)
class Approximation:
    """Fits of one hidden layer of each width to ``target`` on a grid ``x``.

    ``fits[width]`` is the fitted curve on ``x``, ``max_error[width]`` its largest
    distance from the target on the grid.
    """

    activation: str
    x: np.ndarray
    target: np.ndarray
    fits: dict[int, np.ndarray]
    max_error: dict[int, float]


def _features(a: Activation, x: np.ndarray, w: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Hidden units ``f(w (x - c))`` and a constant column, for the output bias."""
    return np.c_[a(np.outer(x, w) - w * c), np.ones(len(x))]


def random_feature_fit(
    f: Callable[[np.ndarray], np.ndarray],
    width: int,
    activation: str | Activation = "tanh",
    *,
    interval: tuple[float, float] = (-2.0, 2.0),
    n: int = 401,
    draws: int = 50,
    slope: float = 3.0,
    rng: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit ``f`` with one hidden layer of ``width`` units on ``n`` grid points.

    Each unit computes ``activation(w * (x - c))`` with a slope ``w ~ N(0,
    slope**2)`` and a centre ``c`` uniform on the interval; the output layer (a
    weight per unit and a bias) is the least-squares solution, exact for those
    units. Of ``draws`` random hidden layers the one with the smallest largest
    error is kept. Returns the grid, the fit on it and its largest error.

    Examples
    --------
    >>> x, fit, err = random_feature_fit(lambda x: 2 * x - 1, 1, "identity")
    >>> err < 1e-12
    True
    """
    a = get(activation)
    g = as_rng(rng)
    x = np.linspace(*interval, n)
    target = f(x)
    best = (np.inf, None)
    for _ in range(draws):
        w = g.normal(0.0, slope, width)
        c = g.uniform(*interval, width)
        H = _features(a, x, w, c)
        coef = np.linalg.lstsq(H, target, rcond=None)[0]
        fit = H @ coef
        err = float(np.max(np.abs(fit - target)))
        if err < best[0]:
            best = (err, fit)
    return x, best[1], best[0]


def approximation_sweep(
    f: Callable[[np.ndarray], np.ndarray],
    widths: Sequence[int] = (1, 2, 4, 8, 16),
    activation: str = "tanh",
    **kw,
) -> Approximation:
    """:func:`random_feature_fit` at every width (keywords are passed on)."""
    fits, errors = {}, {}
    for width in widths:
        x, fits[width], errors[width] = random_feature_fit(f, width, activation, **kw)
    return Approximation(get(activation).name, x, f(x), fits, errors)


# --- figures -----------------------------------------------------------------------
_CLASS = ("#1f6fb4", "#d9541e")


def _figure(width: float, height: float) -> BookFigure:
    fig = BookFigure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def separation_figure(X: np.ndarray, y: np.ndarray, line: Line,
                      threshold: float) -> BookFigure:
    """The circles in the plane with the best line (left), and lifted into space
    with the plane ``z = threshold`` (right)."""
    fig = _figure(8.0, 3.6)
    ax2 = fig.add_subplot(1, 2, 1)
    ax3 = fig.add_subplot(1, 2, 2, projection="3d")
    Z = lift(X)
    for k in (0, 1):
        m = y == k
        ax2.scatter(X[m, 0], X[m, 1], s=7, color=_CLASS[k], label=f"class {k}")
        ax3.scatter(Z[m, 0], Z[m, 1], Z[m, 2], s=5, color=_CLASS[k])
    u, t = line.normal, line.offset
    lim = 1.5
    if abs(u[1]) > abs(u[0]):
        xs = np.array([-lim, lim])
        ax2.plot(xs, (t - u[0] * xs) / u[1], color="0.2", lw=1.5)
    else:
        ys = np.array([-lim, lim])
        ax2.plot((t - u[1] * ys) / u[0], ys, color="0.2", lw=1.5)
    ax2.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal",
            xlabel="$x_1$", ylabel="$x_2$", title="in the plane: the best line")
    ax2.legend(fontsize=8, loc="upper left", framealpha=0.95)
    gx, gy = np.meshgrid(np.linspace(-1.3, 1.3, 2), np.linspace(-1.3, 1.3, 2))
    ax3.plot_surface(gx, gy, np.full_like(gx, threshold), color="0.5", alpha=0.35)
    ax3.set(xlabel="$x_1$", ylabel="$x_2$", zlabel="$x_1^2 + x_2^2$",
            title="lifted: a plane")
    ax3.view_init(elev=12, azim=-60)
    ax3.tick_params(labelsize=7)
    return fig


def fits_figure(sweep: Approximation) -> BookFigure:
    """The target and the fit of every width, one panel per width."""
    widths = list(sweep.fits)
    fig = _figure(8.4, 2.0)
    axes = fig.subplots(1, len(widths), sharey=True)
    for ax, width in zip(np.atleast_1d(axes), widths, strict=True):
        ax.plot(sweep.x, sweep.target, color="0.6", lw=3)
        ax.plot(sweep.x, sweep.fits[width], color="C0", lw=1.4)
        ax.set_title(f"{width} unit{'s' * (width > 1)}", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
    return fig
