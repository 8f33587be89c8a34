"""Figures of an activation and its derivative.

Everything here builds :class:`matplotlib.figure.Figure` objects directly (no pyplot,
so no GUI backend and no global figure state): a page displays the returned figure,
a widget turns it into PNG bytes, a test inspects it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import PIL.Image
import sympy as sp
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .registry import Activation, get

__all__ = [
    "BookFigure", "FrameEncoder", "Plot", "XLIM", "frame_values", "png", "render",
    "sweep", "y_limits"
]

XLIM = (-5.0, 5.0)
_X = np.linspace(*XLIM, 801)
_F_COLOR, _D_COLOR, _OVERLAY_COLOR = "#1f6fb4", "#d9541e", "#7f7f7f"


def _curve_x(a: Activation, p: Mapping[str, float]) -> tuple[np.ndarray, list]:
    """Abscissae for f and f': ``_X`` plus points a hair either side of each kink.

    At a kink the point itself stays where f is continuous (ReLU) and becomes NaN
    where f jumps (step, sign), so the line breaks there instead of drawing a
    vertical segment; f' is set to NaN at every kink by the callers. Returns the
    abscissae and the jumps in view.
    """
    kinks = [k for k in a.kink_points(**p) if XLIM[0] < k < XLIM[1]]
    if not kinks:
        return _X, []
    hair = [1e-9 * max(1.0, abs(k)) for k in kinks]
    sides = a(np.array([k + s * h for k, h in zip(kinks, hair, strict=True)
                        for s in (-1, 1)]), **p).reshape(-1, 2)
    jumps = [k for k, (lo, hi) in zip(kinks, sides, strict=True)
             if not abs(hi - lo) <= 1e-6 * max(1.0, abs(lo))]
    near = [k + s * h for k, h in zip(kinks, hair, strict=True) for s in (-1, 1)]
    xs = np.union1d(_X, [*kinks, *near])
    xs[np.isin(xs, jumps)] = np.nan
    return xs, jumps


def _label(a: Activation, params: Mapping[str, float]) -> str:
    shown = ", ".join(f"{k} = {v:.3g}" for k, v in params.items())
    return f"{a.title} ({shown})" if shown else a.title


class BookFigure(Figure):
    """A Figure that displays as PNG in a notebook, with no pyplot backend needed."""

    def _repr_png_(self) -> bytes:
        return png(self)


def _tex(a: Activation, name: str) -> str:
    return sp.latex(a.symbols()[name])


def frame_values(a: Activation, name: str, n: int = 11) -> list[float]:
    """``n`` values of one parameter across its range, the default among them."""
    p = a.params[name]
    lo = p.low if np.isfinite(p.low) else p.default - 2 * max(1.0, abs(p.default))
    hi = p.high if np.isfinite(p.high) else p.default + 2 * max(1.0, abs(p.default))
    vals = set(np.round(np.linspace(lo, hi, n - 1), 6).tolist()) | {p.default}
    return sorted(vals)


def y_limits(a: Activation, param_sets: Iterable[Mapping[str, float]]) -> tuple:
    """Axis limits that hold f and f' for every parameter set, so frames line up."""
    lo, hi = 0.0, 1.0
    for p in param_sets:
        for ys in (a(_X, **p), a.derivative(_X, **p)):
            lo, hi = min(lo, float(np.min(ys))), max(hi, float(np.max(ys)))
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


class FrameEncoder:
    """PNG bytes of successive frames of one figure, small and fast to write.

    ``small=True`` gives a palette image of at most ``colors`` colours, about a
    quarter of the bytes, for frames embedded in a page. The palette is found once,
    by median cut on the first frame; later frames, drawn in the same colours, are
    mapped onto it without dithering, which takes a tenth of the time of a new median
    cut and compresses better. ``small=False`` favours speed (live redraws).
    """

    def __init__(self, colors: int = 64):
        self.colors = colors
        self._palette: PIL.Image.Image | None = None

    def png(self, canvas: FigureCanvasAgg, *, small: bool = True) -> bytes:
        image = PIL.Image.fromarray(np.asarray(canvas.buffer_rgba()))
        buf = io.BytesIO()
        if not small:
            image.save(buf, format="png", compress_level=1)
            return buf.getvalue()
        image = image.convert("RGB")
        if self._palette is None:
            self._palette = image.quantize(self.colors)
        image = image.quantize(palette=self._palette, dither=PIL.Image.Dither.NONE)
        image.save(buf, format="png", compress_level=8)
        return buf.getvalue()


class Plot:
    """One activation's f and f' on fixed axes, redrawn fast for explorers.

    Axes, grid, legend and an overlaid related activation are drawn once per
    overlay and cached as a background; a new parameter value then redraws only the
    two curves and the title onto that background (blitting): a few milliseconds
    instead of a full figure draw.
    """

    def __init__(
        self,
        activation: str | Activation,
        ylim: tuple[float, float] | None = None,
        *,
        dpi: int = 80,
        animated: bool = True,
    ):
        self.a = get(activation)
        self.ylim = ylim or y_limits(self.a, [self.a.bind({})])
        self.fig = BookFigure(figsize=(6.0, 3.4), dpi=dpi)
        self.fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.9)
        FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.add_subplot()
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        (self.overlay_line,) = ax.plot([], [], color=_OVERLAY_COLOR, lw=1.5,
                                       alpha=0.8)
        (self.f_line,) = ax.plot(_X, 0 * _X, color=_F_COLOR, lw=2.2, label="f(x)",
                                 animated=animated)
        (self.d_line,) = ax.plot(_X, 0 * _X, color=_D_COLOR, lw=2.0, ls="--",
                                 label="f′(x)", animated=animated)
        (self.kink_dots,) = ax.plot([], [], "o", color=_D_COLOR, ms=5,
                                    animated=animated)
        (self.jump_dots,) = ax.plot([], [], "o", color=_F_COLOR, ms=5,
                                    animated=animated)
        self.title = ax.set_title("", fontsize=11, animated=animated)
        ax.set_xlim(*XLIM)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel("x")
        ax.grid(True, alpha=0.3)
        self._overlay: str | None = ""
        self._backgrounds: dict[str | None, Any] = {}
        self._encoders: dict[str | None, FrameEncoder] = {}

    def _set_overlay(self, overlay: str | None) -> None:
        if overlay == self._overlay:
            return
        if overlay:
            o = get(overlay)
            self.overlay_line.set_data(_X, o(_X))
            self.overlay_line.set_label(o.title)
        else:
            self.overlay_line.set_data([], [])
            self.overlay_line.set_label("_hidden")
        self.ax.legend(loc="upper left", fontsize=9, framealpha=0.9)
        self._overlay = overlay

    def update(self, params: Mapping[str, float] | None = None,
               overlay: str | None = None) -> Plot:
        p = self.a.bind(params or {})
        self._set_overlay(overlay)
        xs, jumps = _curve_x(self.a, p)
        self.f_line.set_data(xs, self.a(xs, **p))
        d = self.a.derivative(xs, **p)
        kinks = self.a.kink_points(**p)
        d[np.isin(xs, kinks)] = np.nan  # a gap, not a vertical line, at a jump
        self.d_line.set_data(xs, d)
        self.kink_dots.set_data(kinks, self.a.derivative(np.array(kinks), **p))
        self.jump_dots.set_data(jumps, self.a(np.array(jumps), **p))  # f there
        self.title.set_text(_label(self.a, p))
        return self

    def png(self, params: Mapping[str, float] | None = None,
            overlay: str | None = None, *, small: bool = False) -> bytes:
        """PNG bytes of the plot at ``params``, redrawing only what changed.

        ``small=True`` writes a 64-colour palette image (see :class:`FrameEncoder`),
        for frames embedded in a page; the default favours speed (live redraws).
        """
        self.update(params, overlay)
        canvas = self.fig.canvas
        if overlay not in self._backgrounds:
            canvas.draw()
            self._backgrounds[overlay] = canvas.copy_from_bbox(self.fig.bbox)
            self._encoders[overlay] = FrameEncoder(64)
        canvas.restore_region(self._backgrounds[overlay])
        for artist in (self.f_line, self.d_line, self.kink_dots, self.jump_dots,
                       self.title):
            self.ax.draw_artist(artist)
        return self._encoders[overlay].png(canvas, small=small)


def render(
    activation: str | Activation,
    params: Mapping[str, float] | None = None,
    *,
    overlay: str | None = None,
    ylim: tuple[float, float] | None = None,
    dpi: int = 80,
) -> Figure:
    """f and f' on one pair of axes; optionally a related activation in grey.

    A pure function of its arguments: the same call gives the same figure.
    A vector-valued activation is drawn by :func:`vector_render`.
    """
    if not get(activation).elementwise:
        return vector_render(activation, params, dpi=dpi, ylim=ylim)
    return Plot(activation, ylim, dpi=dpi, animated=False).update(params, overlay).fig


def sweep(activation: str | Activation, n: int = 5) -> Figure:
    """A static figure: f and f' side by side, for ``n`` values of the first parameter.

    It carries the explorer's point on paper and wherever JavaScript does not run.
    A vector-valued activation gets :func:`vector_sweep`.
    """
    a = get(activation)
    if not a.elementwise:
        return vector_sweep(a)
    fig = BookFigure(figsize=(8.0, 3.2), dpi=100, layout="constrained")
    ax_f, ax_d = fig.subplots(1, 2, sharex=True)
    sets: list[dict[str, Any]] = [{}]
    if a.params:
        first = next(iter(a.params))
        sets = [{first: v} for v in frame_values(a, first, n)]
    colors = [f"C{i}" for i in range(len(sets))]
    for p, c in zip(sets, colors, strict=True):
        label = ", ".join(f"${_tex(a, k)} = {v:.3g}$" for k, v in p.items())
        xs, _ = _curve_x(a, p)
        ax_f.plot(xs, a(xs, **p), color=c, lw=1.8, label=label or None)
        d = a.derivative(xs, **p)
        d[np.isin(xs, a.kink_points(**p))] = np.nan
        ax_d.plot(xs, d, color=c, lw=1.8)
    for ax, title in ((ax_f, f"{a.title}: f(x)"), (ax_d, "f′(x)")):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.set_xlim(*XLIM)
        ax.set_xlabel("x")
        ax.set_title(title, fontsize=11)
        ax.grid(True, alpha=0.3)
    if a.params:
        ax_f.legend(fontsize=8)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# --- vector-valued activations ------------------------------------------------------
# A vector activation is drawn along a line through input space: the entry
# ``plot["index"]`` of the input vector sweeps the x-axis while the other entries
# stay fixed (``plot["others"]``, which explorers turn into sliders). Solid lines
# are the outputs y_i, dashed lines the matching Jacobian column dy_i/dx_k.

def vector_length(a: Activation, params: Mapping[str, float] | None = None) -> int:
    """The input length figures use: ``plot["n"]``, else the smallest valid >= 2."""
    p = a.bind(params or {})
    if "n" in a.plot:
        return int(a.plot["n"])
    for n in range(2, 65):
        try:
            a.out_len(n, **p)
            return n
        except ValueError:
            continue
    raise ValueError(f"{a.name}: no valid input length up to 64")


def vector_inputs(a: Activation, t: np.ndarray,
                  others: Mapping[int, float] | None = None,
                  params: Mapping[str, float] | None = None) -> np.ndarray:
    """Input vectors (one row per value of ``t``): entry ``plot["index"]`` is t, the
    others come from ``plot["others"]``, overridden by ``others`` ({position: value},
    positions counted from 0 in the full vector)."""
    n = vector_length(a, params)
    k = a.plot.get("index", 0)
    base = list(a.plot.get("others", ()))
    base = (base + [0.0] * n)[: n - 1]
    base.insert(k, 0.0)
    for pos, v in (others or {}).items():
        base[pos] = float(v)
    xs = np.tile(np.array(base, dtype=float), (len(t), 1))
    xs[:, k] = t
    return xs


def _vector_title(a: Activation, row: np.ndarray, params: Mapping[str, float]) -> str:
    k = a.plot.get("index", 0)
    shown = ["x" if i == k else f"{v:.3g}" for i, v in enumerate(row)]
    extra = ", ".join(f"{key} = {v:g}" for key, v in params.items())
    return f"{a.title}(" + ", ".join(shown) + ")" + (f", {extra}" if extra else "")


def vector_render(activation: str | Activation,
                  params: Mapping[str, float] | None = None,
                  others: Mapping[int, float] | None = None, *, dpi: int = 80,
                  ylim: tuple[float, float] | None = None,
                  animated: bool = False) -> Figure:
    """Every output y_i (solid) and dy_i/dx_k (dashed) as entry k sweeps [-5, 5]."""
    a = get(activation)
    p = a.bind(params or {})
    shown = {k: v for k, v in p.items() if k in (params or {})}
    xs = vector_inputs(a, _X, others, p)
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
    ax.set_title(_vector_title(a, xs[0], shown), fontsize=11, animated=animated)
    return fig


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


_VECTOR_FIGS: dict[tuple, tuple] = {}


def vector_png(activation: str | Activation, params: Mapping[str, float] | None = None,
               others: Mapping[int, float] | None = None, *, small: bool = False,
               dpi: int = 80, ylim: tuple[float, float] | None = None) -> bytes:
    """PNG bytes of :func:`vector_render` (``small``: a 64-colour palette image).

    Explorers call this for every frame: the figure of the same activation, number
    of curves and axes is drawn once and then only its curves and title change.
    """
    a = get(activation)
    p = a.bind(params or {})
    xs = vector_inputs(a, _X, others, p)
    k = a.plot.get("index", 0)
    ys = a(xs, **p)
    col = a.jacobian(xs, **p)[..., k]
    key = (a.name, ys.shape[1], dpi, ylim)
    if key not in _VECTOR_FIGS:
        f = vector_render(a, params, others, dpi=dpi, ylim=ylim, animated=True)
        f.canvas.draw()
        _VECTOR_FIGS[key] = (f, f.canvas.copy_from_bbox(f.bbox), FrameEncoder(64))
    fig, background, encoder = _VECTOR_FIGS[key]
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_label().startswith(("y", "∂"))]
    for i in range(ys.shape[1]):
        lines[2 * i].set_ydata(ys[:, i])
        lines[2 * i + 1].set_ydata(col[:, i])
    shown = {kk: v for kk, v in p.items() if kk in (params or {})}
    ax.title.set_text(_vector_title(a, xs[0], shown))
    fig.canvas.restore_region(background)
    for artist in (*lines, ax.title):
        ax.draw_artist(artist)
    return encoder.png(fig.canvas, small=small)


def vector_ylim(a: Activation, settings) -> tuple[float, float]:
    """Axis limits holding every curve of ``settings`` [(params, others), ...]."""
    lo, hi = 0.0, 1.0
    k = a.plot.get("index", 0)
    for p, others in settings:
        xs = vector_inputs(a, _X, others, p)
        for v in (a(xs, **p), a.jacobian(xs, **p)[..., k]):
            lo, hi = min(lo, float(np.min(v))), max(hi, float(np.max(v)))
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def vector_sweep(activation: str | Activation) -> Figure:
    """A static figure: y_k (left) and dy_k/dx_k (right) as entry k sweeps, for
    five values of the next input entry (the first slider of the explorer)."""
    a = get(activation)
    k = a.plot.get("index", 0)
    n = vector_length(a)
    other = (k + 1) % n
    values = a.plot.get("slider_values", (-2, -1, 0, 1, 2))
    fig = BookFigure(figsize=(8.0, 3.2), dpi=100, layout="constrained")
    ax_f, ax_d = fig.subplots(1, 2, sharex=True)
    out = min(k, a.out_len(n) - 1)
    for i, v in enumerate(values):
        xs = vector_inputs(a, _X, {other: v})
        ax_f.plot(_X, a(xs)[:, out], color=f"C{i}", lw=1.8,
                  label=f"$x_{{{other + 1}}} = {v:g}$")
        ax_d.plot(_X, a.jacobian(xs)[:, out, k], color=f"C{i}", lw=1.8)
    row = vector_inputs(a, _X[:1], {other: np.nan})[0]
    shown = ", ".join("x" if i == k else (f"x{_sub(i + 1)}" if i == other else f"{v:g}")
                      for i, v in enumerate(row))
    for ax, title in ((ax_f, f"y{_sub(out + 1)} of {a.title}({shown})"),
                      (ax_d, f"∂y{_sub(out + 1)}/∂x{_sub(k + 1)}")):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.set_xlim(*XLIM)
        ax.set_xlabel("x")
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
    ax_f.legend(fontsize=8)
    return fig
