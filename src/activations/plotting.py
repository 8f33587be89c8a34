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

from .kinds import generic
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


_TITLE_WIDTH = 64
"""Characters of a frame's title that fit the figure's width at 11 pt; a longer
one (the seven or ten coefficients of a rational unit) is set on two lines at
9 pt, and the axes leave it room."""


def _label(a: Activation, params: Mapping[str, float], wrap: bool = False) -> str:
    shown = ", ".join(f"{k} = {v:.3g}" for k, v in params.items())
    label = f"{a.title} ({shown})" if shown else a.title
    if wrap and len(label) > _TITLE_WIDTH:  # two lines, broken after a comma
        parts = label.split(", ")
        cut = min(range(1, len(parts)), key=lambda i: abs(
            len(", ".join(parts[:i])) - len(", ".join(parts[i:]))))
        return ", ".join(parts[:cut]) + ",\n" + ", ".join(parts[cut:])
    return label


class BookFigure(Figure):
    """A Figure that displays as PNG in a notebook, with no pyplot backend needed.

    >>> BookFigure(figsize=(1, 1))._repr_png_()[1:4]  # what a notebook shows
    b'PNG'
    """

    def _repr_png_(self) -> bytes:
        return png(self)


def _tex(a: Activation, name: str) -> str:
    return sp.latex(a.symbols()[name])


def frame_values(a: Activation, name: str, n: int = 11) -> list[float]:
    """``n`` values of one parameter across its range, the default among them.

    >>> frame_values(get("leaky_relu"), "negative_slope", 5)  # [0, 1], and 0.01
    [0.0, 0.01, 0.333333, 0.666667, 1.0]
    >>> frame_values(get("elu"), "alpha", 5)  # [0, inf): up to the default 1 plus 2
    [0.0, 1.0, 2.0, 3.0]
    """
    p = a.params[name]
    lo = p.low if np.isfinite(p.low) else p.default - 2 * max(1.0, abs(p.default))
    hi = p.high if np.isfinite(p.high) else p.default + 2 * max(1.0, abs(p.default))
    vals = set(np.round(np.linspace(lo, hi, n - 1), 6).tolist()) | {p.default}
    return sorted(vals)


def y_limits(a: Activation, param_sets: Iterable[Mapping[str, float]]) -> tuple:
    """Axis limits that hold f and f' for every parameter set, so frames line up.

    >>> y_limits(get("relu"), [{}])  # f in [0, 5] on [-5, 5], f' in [0, 1]; 8% more
    (-0.4, 5.4)
    """
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

    >>> canvas = FigureCanvasAgg(BookFigure(figsize=(1, 1), dpi=20))
    >>> canvas.draw()
    >>> encoder = FrameEncoder(8)
    >>> small, fast = encoder.png(canvas), encoder.png(canvas, small=False)
    >>> small[1:4], len(small) < len(fast)
    (b'PNG', True)
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

    >>> plot = Plot("relu")
    >>> plot.ylim, plot.update().title.get_text()
    ((-0.4, 5.4), 'ReLU')
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
        self._long = len(_label(self.a, self.a.bind({}))) > _TITLE_WIDTH
        self.fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14,
                                 top=0.84 if self._long else 0.9)
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
        self.title = ax.set_title("", fontsize=9 if self._long else 11,
                                  animated=animated)
        ax.set_xlim(*XLIM)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel("x")
        ax.grid(True, alpha=0.3)
        self._overlay: str | None = ""
        self._backgrounds: dict[str | None, Any] = {}
        self._encoders: dict[str | None, FrameEncoder] = {}
        self._clear: Any = None  # a transparent canvas, for layer_png

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
        self.title.set_text(_label(self.a, p, wrap=self._long))
        return self

    def png(self, params: Mapping[str, float] | None = None,
            overlay: str | None = None, *, small: bool = False) -> bytes:
        """PNG bytes of the plot at ``params``, redrawing only what changed.

        ``small=True`` writes a 64-colour palette image (see :class:`FrameEncoder`),
        for frames embedded in a page; the default favours speed (live redraws).

        >>> plot = Plot("leaky_relu")
        >>> plot.png({"negative_slope": 0.1})[1:4], plot.title.get_text()
        (b'PNG', 'Leaky ReLU (negative_slope = 0.1)')
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

    def background_png(self, overlay: str | None = None) -> bytes:
        """PNG bytes of what stays when a parameter moves: axes, grid, legend and the
        overlaid related activation (a 64-colour palette image).

        With :meth:`layer_png` on top it gives the picture :meth:`png` draws, in two
        images: a page then holds one background per overlay and one layer per
        parameter value, instead of one frame for every pair of them.

        >>> Plot("relu").background_png("leaky_relu")[1:4]
        b'PNG'
        """
        self._set_overlay(overlay)
        self.fig.canvas.draw()  # the curves are animated: left out of a full draw
        return FrameEncoder(64).png(self.fig.canvas)

    def layer_png(self, params: Mapping[str, float] | None = None) -> bytes:
        """PNG bytes of what moves with the parameters, on a transparent ground: the
        curves of f and f', the dots at kinks and jumps, and the title (a palette
        image of at most 64 colours and their transparency).

        >>> plot = Plot("leaky_relu")
        >>> layer = PIL.Image.open(io.BytesIO(plot.layer_png({"negative_slope": 0.1})))
        >>> layer.convert("RGBA").getpixel((0, 0))[3]  # a corner: fully transparent
        0
        """
        self.update(params, self._overlay or None)
        canvas = self.fig.canvas
        if self._clear is None:
            canvas.draw()  # a renderer of the figure's size
            canvas.get_renderer().clear()
            self._clear = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._clear)
        for artist in (self.f_line, self.d_line, self.kink_dots, self.jump_dots,
                       self.title):
            self.ax.draw_artist(artist)
        image = PIL.Image.fromarray(np.asarray(canvas.buffer_rgba()))
        buf = io.BytesIO()
        # a palette fitted to each layer: PIL maps an RGBA image onto a given
        # palette only without its transparency
        image.quantize(64, method=PIL.Image.Quantize.FASTOCTREE).save(
            buf, format="png", compress_level=8)
        return buf.getvalue()


@generic
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
    An activation of another kind is drawn by its kind's own ``render``
    (:mod:`activations.kinds`).

    >>> ax = render("leaky_relu", {"negative_slope": 0.1}, overlay="relu").axes[0]
    >>> ax.get_title(), ax.get_legend_handles_labels()[1]
    ('Leaky ReLU (negative_slope = 0.1)', ['ReLU', 'f(x)', 'f′(x)'])
    """
    return Plot(activation, ylim, dpi=dpi, animated=False).update(params, overlay).fig


def style_axes(ax, title: str, fontsize: float) -> None:
    """The book's axes: the coordinate axes in light grey, x over :data:`XLIM`,
    a grid and a title.

    >>> ax = Figure().add_subplot()
    >>> style_axes(ax, "ReLU: f(x)", 11)
    >>> ax.get_title(), ax.get_xlim() == tuple(XLIM)
    ('ReLU: f(x)', True)
    """
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_xlim(*XLIM)
    ax.set_xlabel("x")
    ax.set_title(title, fontsize=fontsize)
    ax.grid(True, alpha=0.3)


@generic
def sweep(activation: str | Activation, n: int = 5) -> Figure:
    r"""A static figure: f and f' side by side, for ``n`` values of the first parameter.

    It carries the explorer's point on paper and wherever JavaScript does not run.
    An activation of another kind gets its kind's own ``sweep``
    (:mod:`activations.kinds`).

    >>> fig = sweep("elu", n=3)
    >>> [ax.get_title() for ax in fig.axes]
    ['ELU: f(x)', 'f′(x)']
    >>> print(*(t.get_text() for t in fig.axes[0].get_legend().get_texts()))
    $\alpha = 0$ $\alpha = 1$ $\alpha = 3$
    """
    a = get(activation)
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
        style_axes(ax, title, 11)
    if a.params:
        ax_f.legend(fontsize=8)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes.

    >>> png(BookFigure(figsize=(1, 1)))[1:4]
    b'PNG'
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
