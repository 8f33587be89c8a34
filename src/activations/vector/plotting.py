"""Figures of a vector activation (:func:`activations.plotting.render` and
:func:`activations.plotting.sweep` of this kind).

A vector activation is drawn along a line through input space: the entry
``plot["index"]`` of the input vector sweeps the x-axis while the other entries
stay fixed (``plot["others"]``, which explorers turn into sliders). Solid lines
are the outputs y_i, dashed lines the matching Jacobian column dy_i/dx_k.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plotting import _X, XLIM, BookFigure, FrameEncoder, style_axes
from ..registry import Activation, get

__all__ = ["frame", "inputs", "length", "render", "sweep", "y_limits"]


def length(a: Activation, params: Mapping[str, float] | None = None) -> int:
    """The input length figures use: ``plot["n"]``, else the smallest valid >= 2."""
    p = a.bind(params or {})
    if "n" in a.plot:
        return int(a.plot["n"])
    return a.smallest_n(2, **p)


def inputs(a: Activation, t: np.ndarray,
           others: Mapping[int, float] | None = None,
           params: Mapping[str, float] | None = None) -> np.ndarray:
    """Input vectors (one row per value of ``t``): entry ``plot["index"]`` is t, the
    others come from ``plot["others"]``, overridden by ``others`` ({position: value},
    positions counted from 0 in the full vector)."""
    n = length(a, params)
    k = a.plot.get("index", 0)
    base = list(a.plot.get("others", ()))
    base = (base + [0.0] * n)[: n - 1]
    base.insert(k, 0.0)
    for pos, v in (others or {}).items():
        base[pos] = float(v)
    xs = np.tile(np.array(base, dtype=float), (len(t), 1))
    xs[:, k] = t
    return xs


def _title(a: Activation, row: np.ndarray, params: Mapping[str, float]) -> str:
    k = a.plot.get("index", 0)
    shown = ["x" if i == k else f"{v:.3g}" for i, v in enumerate(row)]
    extra = ", ".join(f"{key} = {v:g}" for key, v in params.items())
    return f"{a.title}(" + ", ".join(shown) + ")" + (f", {extra}" if extra else "")


def render(activation: str | Activation,
           params: Mapping[str, float] | None = None,
           others: Mapping[int, float] | None = None, *, dpi: int = 80,
           ylim: tuple[float, float] | None = None,
           animated: bool = False) -> Figure:
    """Every output y_i (solid) and dy_i/dx_k (dashed) as entry k sweeps [-5, 5]."""
    a = get(activation)
    p = a.bind(params or {})
    shown = {k: v for k, v in p.items() if k in (params or {})}
    xs = inputs(a, _X, others, p)
    k = a.plot.get("index", 0)
    ys = a(xs, **p)
    col = a.jacobian(xs, **p)[..., k]
    fig = BookFigure(figsize=(6.0, 3.4), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.9)
    ax = fig.add_subplot()
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    for i in range(ys.shape[1]):
        c = f"C{i}"
        ax.plot(_X, ys[:, i], color=c, lw=2.0, label=f"y{_sub(i + 1)}",
                animated=animated)
        ax.plot(_X, col[:, i], color=c, lw=1.6, ls="--",
                label=f"∂y{_sub(i + 1)}/∂x{_sub(k + 1)}", animated=animated)
    ax.set_xlim(*XLIM)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(f"x = x{_sub(k + 1)}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, ncol=2, framealpha=0.9)
    ax.set_title(_title(a, xs[0], shown), fontsize=11, animated=animated)
    return fig


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


_FIGS: dict[tuple, tuple] = {}


def frame(activation: str | Activation, params: Mapping[str, float] | None = None,
          others: Mapping[int, float] | None = None, *, small: bool = False,
          dpi: int = 80, ylim: tuple[float, float] | None = None) -> bytes:
    """PNG bytes of :func:`render` (``small``: a 64-colour palette image).

    Explorers call this for every frame: the figure of the same activation, number
    of curves and axes is drawn once and then only its curves and title change.
    """
    a = get(activation)
    p = a.bind(params or {})
    xs = inputs(a, _X, others, p)
    k = a.plot.get("index", 0)
    ys = a(xs, **p)
    col = a.jacobian(xs, **p)[..., k]
    key = (a.name, ys.shape[1], dpi, ylim)
    if key not in _FIGS:
        f = render(a, params, others, dpi=dpi, ylim=ylim, animated=True)
        f.canvas.draw()
        _FIGS[key] = (f, f.canvas.copy_from_bbox(f.bbox), FrameEncoder(64))
    fig, background, encoder = _FIGS[key]
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_label().startswith(("y", "∂"))]
    for i in range(ys.shape[1]):
        lines[2 * i].set_ydata(ys[:, i])
        lines[2 * i + 1].set_ydata(col[:, i])
    shown = {kk: v for kk, v in p.items() if kk in (params or {})}
    ax.title.set_text(_title(a, xs[0], shown))
    fig.canvas.restore_region(background)
    for artist in (*lines, ax.title):
        ax.draw_artist(artist)
    return encoder.png(fig.canvas, small=small)


def y_limits(a: Activation, settings) -> tuple[float, float]:
    """Axis limits holding every curve of ``settings`` [(params, others), ...]."""
    lo, hi = 0.0, 1.0
    k = a.plot.get("index", 0)
    for p, others in settings:
        xs = inputs(a, _X, others, p)
        for v in (a(xs, **p), a.jacobian(xs, **p)[..., k]):
            lo, hi = min(lo, float(np.min(v))), max(hi, float(np.max(v)))
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def sweep(activation: str | Activation) -> Figure:
    """A static figure: y_k (left) and dy_k/dx_k (right) as entry k sweeps, for
    five values of the next input entry (the first slider of the explorer)."""
    a = get(activation)
    k = a.plot.get("index", 0)
    n = length(a)
    other = (k + 1) % n
    values = a.plot.get("slider_values", (-2, -1, 0, 1, 2))
    fig = BookFigure(figsize=(8.0, 3.2), dpi=100, layout="constrained")
    ax_f, ax_d = fig.subplots(1, 2, sharex=True)
    out = min(k, a.out_len(n) - 1)
    for i, v in enumerate(values):
        xs = inputs(a, _X, {other: v})
        ax_f.plot(_X, a(xs)[:, out], color=f"C{i}", lw=1.8,
                  label=f"$x_{{{other + 1}}} = {v:g}$")
        ax_d.plot(_X, a.jacobian(xs)[:, out, k], color=f"C{i}", lw=1.8)
    row = inputs(a, _X[:1], {other: np.nan})[0]
    shown = ", ".join("x" if i == k else (f"x{_sub(i + 1)}" if i == other else f"{v:g}")
                      for i, v in enumerate(row))
    for ax, title in ((ax_f, f"y{_sub(out + 1)} of {a.title}({shown})"),
                      (ax_d, f"∂y{_sub(out + 1)}/∂x{_sub(k + 1)}")):
        style_axes(ax, title, 10)
    ax_f.legend(fontsize=8)
    return fig
