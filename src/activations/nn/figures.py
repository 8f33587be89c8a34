"""Figures and pre-rendered explorers for the experiments of the gradients chapter.

Figures are :class:`~activations.plotting.BookFigure` objects (no pyplot, no GUI
backend). Explorer frames are small palette PNGs, so that a page holding every
frame of an explorer stays light.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import ipywidgets as w
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..plotting import BookFigure
from ..registry import get, names
from ..widgets import frames_explorer
from .experiments import BornDead, CircleSweep, Curves, DeadSweep, GradientFlow
from .network import MLP
from .optim import History
from .probes import LayerStats

__all__ = [
    "born_dead",
    "circles_explorer",
    "dead_sweep",
    "decision_boundaries",
    "gradient_flow",
    "gradient_flow_explorer",
    "histories",
    "propagation",
    "small_png",
    "training_curves",
    "variance_map",
]

_CLASS_COLORS = ("#1f6fb4", "#d9541e")
_REGION_COLORS = ("#c6dbef", "#fdd0a2")


_PALETTE = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C8", "C9")
"""Matplotlib's default colours without its grey (C7), kept for context lines."""


def _color(activation: str) -> str:
    """One colour per registered activation, the same in every figure."""
    return _PALETTE[names().index(get(activation).name) % len(_PALETTE)]


def _figure(width: float, height: float, dpi: int = 100) -> BookFigure:
    fig = BookFigure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def small_png(fig: Figure, colors: int = 64) -> bytes:
    """The figure as a palette PNG of ``colors`` colours: a few kilobytes a frame.

    >>> canvas = FigureCanvasAgg(Figure(figsize=(1, 1)))
    >>> small_png(canvas.figure)[1:4]
    b'PNG'
    """
    fig.canvas.draw()
    return _quantized(fig.canvas, colors)


def _quantized(canvas: FigureCanvasAgg, colors: int) -> bytes:
    image = PIL.Image.fromarray(np.asarray(canvas.buffer_rgba()))
    buf = io.BytesIO()
    # Fast octree quantisation: a third of median cut's time, and smaller files.
    fast = PIL.Image.Quantize.FASTOCTREE
    image.convert("RGB").quantize(colors, method=fast).save(buf, "png", optimize=True)
    return buf.getvalue()


# --- vanishing and exploding gradients ---------------------------------------------
def _grid(n: int, width: float = 8.0, height: float = 3.0) -> tuple[Figure, list]:
    """A figure with ``n`` panels, two per row (readable at the page's width)."""
    rows = (n + 1) // 2
    fig = _figure(width, height * rows)
    axes = list(np.atleast_1d(fig.subplots(rows, 2, squeeze=False).ravel()))
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def gradient_flow(flow: GradientFlow, depth: int | None = None) -> Figure:
    """Per-layer gradient norm, one panel per initialisation, one line per activation.

    Norms are divided by the last hidden layer's, so every line ends at 1 and its
    value at layer 1 is the ratio first/last of :meth:`GradientFlow.table`.

    >>> from activations.nn import experiments
    >>> flow = experiments.gradient_flow(("relu", "tanh"), ("he", "xavier"), (3,), n=10)
    >>> fig = gradient_flow(flow)
    >>> [ax.get_title() for ax in fig.axes], fig.axes[-1].get_legend_handles_labels()[1]
    (['He', 'Xavier'], ['ReLU', 'Tanh'])
    """
    depth = depth or max(flow.depths)
    fig, axes = _grid(len(flow.inits))
    layers = np.arange(1, depth + 1)
    for ax, init in zip(axes, flow.inits, strict=True):
        for a in flow.activations:
            g = flow.norms[(a, init, depth)]
            ax.semilogy(layers, g / g[-1], color=_color(a), lw=1.8, label=get(a).title)
        ax.set_title(init, fontsize=11)
        ax.grid(True, alpha=0.3, which="major")
        _log_ticks(ax)
    for ax in axes[-2:]:
        ax.set_xlabel("layer ℓ (1 = input side)")
    for ax in axes[0::2]:
        ax.set_ylabel("relative gradient norm")
    axes[-1].legend(fontsize=8, loc="best")
    return fig


def _flow_limits(flow: GradientFlow, init: str) -> tuple[float, float]:
    """One y-range per initialisation, over every activation and depth."""
    ratios = [g / g[-1] for (a, i, d), g in flow.norms.items() if i == init]
    lo = min(float(np.min(r)) for r in ratios)
    hi = max(float(np.max(r)) for r in ratios)
    return min(lo, 1e-2) / 5, max(hi, 1e2) * 5


class _FlowFrames:
    """One figure for every frame of the gradient-flow explorer, redrawn by blitting.

    The axes and their tick labels depend only on the initialisation (the y-range
    is shared by all depths, so that moving the depth slider shows the line grow):
    they are drawn once per initialisation and cached. A frame then draws the
    lines of all activations, the chosen one in colour, and the title on top.
    """

    def __init__(self, flow: GradientFlow, dpi: int = 72):
        self.flow = flow
        # 100 frames share the page-weight budget: about 4 kB each at this size
        self.fig = Figure(figsize=(5.6, 2.7), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.12, right=0.97, bottom=0.17, top=0.89)
        ax = self.ax = self.fig.add_subplot()
        ax.set_yscale("log")
        _log_ticks(ax)
        ax.axhline(1, color="0.5", lw=0.8, ls=":")
        self.grey = [ax.plot([], [], color="0.78", lw=1.1, animated=True)[0]
                     for _ in flow.activations]
        (self.line,) = ax.plot([], [], lw=2.4, animated=True)
        ax.set_xlim(0.5, max(flow.depths) + 0.5)
        ax.set_xlabel("layer ℓ (1 = input side)")
        ax.set_ylabel("gradient norm / last layer's")
        ax.grid(True, alpha=0.3)
        self.title = ax.set_title("", fontsize=10, animated=True)
        self._backgrounds: dict[str, object] = {}

    def _background(self, init: str):
        if init not in self._backgrounds:
            self.ax.set_ylim(*_flow_limits(self.flow, init))
            self.fig.canvas.draw()
            self._backgrounds[init] = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        return self._backgrounds[init]

    def png(self, activation: str, init: str, depth: int) -> bytes:
        canvas = self.fig.canvas
        canvas.restore_region(self._background(init))
        layers = np.arange(1, depth + 1)
        for line, a in zip(self.grey, self.flow.activations, strict=True):
            g = self.flow.norms[(a, init, depth)]
            line.set_data(layers, g / g[-1])
            self.ax.draw_artist(line)
        g = self.flow.norms[(activation, init, depth)]
        self.line.set_data(layers, g / g[-1])
        self.line.set_color(_color(activation))
        ratio = self.flow.ratio(activation, init, depth)
        self.title.set_text(f"{get(activation).title}, {init}, {depth} layers: "
                            f"first/last = {ratio:.1e}")
        self.ax.draw_artist(self.line)
        self.ax.draw_artist(self.title)
        return _quantized(canvas, colors=32)


def _log_ticks(ax) -> None:
    """At most seven decades labelled as plain ``1e-8`` text on a log y-axis.

    Matplotlib's default labels are mathtext, several times slower to draw, and a
    page draws these axes for many panels and cached explorer backgrounds.
    """
    ax.yaxis.set_major_locator(LogLocator(numticks=7))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))


def _power_of_ten(value: float, _pos: int) -> str:
    return f"1e{int(round(np.log10(value)))}" if value > 0 else ""


def gradient_flow_explorer(flow: GradientFlow) -> w.VBox:
    """Activation, initialisation and depth, linked to pre-rendered frames.

    >>> from activations.nn import experiments
    >>> flow = experiments.gradient_flow(("relu",), ("he",), (3, 5), n=10)
    >>> box = gradient_flow_explorer(flow)  # renders its two frames
    >>> [getattr(c, "description", None) for c in box.children]
    ['activation:', 'initialisation:', 'depth:', None]
    """
    frames = _FlowFrames(flow)
    return frames_explorer(
        {
            "activation": [(get(a).title, a) for a in flow.activations],
            "initialisation": flow.inits,
            "depth": flow.depths,
        },
        lambda activation, initialisation, depth: frames.png(
            activation, initialisation, depth),
        sliders=("depth",),
        value={"depth": max(flow.depths), "initialisation": flow.inits[0]},
    )


# --- dead units --------------------------------------------------------------------
_LR_COLORS = ("#2a9d8f", "#e9c46a", "#e76f51", "#6a4c93", "#264653")
_BIAS_STYLES = ("-", "--", ":", "-.")


def dead_sweep(sweep: DeadSweep) -> Figure:
    """Dead fraction over training: one panel per activation.

    Colour is the learning rate, line style the initial bias; lines are means over
    the seeds. A run that diverged is drawn up to its last epoch and marked ×.

    >>> h = History([0, 30], [0.7, 0.3], accuracy=[0.5, 0.9], dead=[0.0, 0.25])
    >>> runs = {(a, 0.1, 0.0): [h] for a in ("relu", "elu")}
    >>> fig = dead_sweep(DeadSweep(["relu", "elu"], [0.1], [0.0], 1, runs))
    >>> [ax.get_title() for ax in fig.axes], fig.axes[0].lines[0].get_ydata().tolist()
    (['ReLU', 'ELU'], [0.0, 0.25])
    """
    fig, axes = _grid(len(sweep.activations))
    for ax, a in zip(axes, sweep.activations, strict=True):
        for j, b in enumerate(sweep.biases):
            for i, lr in enumerate(sweep.lrs):
                hs = sweep.histories[(a, lr, b)]
                ok = [h for h in hs if not h.diverged]
                color, style = _LR_COLORS[i], _BIAS_STYLES[j]
                if ok:
                    dead = np.mean([h.dead for h in ok], axis=0)
                    ax.plot(ok[0].epoch, dead, color=color, ls=style, lw=1.7)
                for h in hs:
                    if h.diverged:
                        ax.plot(h.epoch[-1], 1.0, "x", color=color, ms=7, mew=2)
        ax.set_title(get(a).title, fontsize=11)
        ax.set_ylim(-0.02, 1.05)
        ax.grid(True, alpha=0.3)
    for ax in axes[-2:]:
        ax.set_xlabel("epoch")
    for ax in axes[0::2]:
        ax.set_ylabel("inactive on all data")
    handles = [axes[0].plot([], [], color=_LR_COLORS[i], lw=2, label=f"lr {lr:g}")[0]
               for i, lr in enumerate(sweep.lrs)]
    handles += [axes[0].plot([], [], color="0.3", ls=_BIAS_STYLES[j],
                             label=f"bias {b:g}")[0]
                for j, b in enumerate(sweep.biases)]
    axes[-1].legend(handles=handles, fontsize=8, loc="upper right")
    return fig


def histories(runs: Mapping[str, Sequence[History]]) -> Figure:
    """Dead fraction and training accuracy over the epochs of named runs.

    >>> h = History([0, 30], [0.7, 0.3], accuracy=[0.5, 0.9], dead=[0.0, 0.25])
    >>> fig = histories({"He": [h]})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['fraction of units inactive on all data', 'training accuracy']
    """
    fig = _figure(8.0, 3.2)
    ax_d, ax_a = fig.subplots(1, 2, sharex=True)
    for i, (label, hs) in enumerate(runs.items()):
        ok = [h for h in hs if not h.diverged] or list(hs)
        epochs = ok[0].epoch
        ax_d.plot(epochs, np.mean([h.dead for h in ok], axis=0), color=f"C{i}",
                  lw=1.8, label=label)
        ax_a.plot(epochs, np.mean([h.accuracy for h in ok], axis=0), color=f"C{i}",
                  lw=1.8)
    ax_d.set_ylabel("fraction of units inactive on all data")
    ax_a.set_ylabel("training accuracy")
    ax_d.set_ylim(-0.02, 1.02)
    ax_a.set_ylim(0.4, 1.01)
    for ax in (ax_d, ax_a):
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    ax_d.legend(fontsize=8)
    return fig


def training_curves(curves: Curves) -> Figure:
    """Training loss (left, logarithmic) and accuracy (right) over the epochs.

    >>> h = History([0, 1], [0.7, 0.5], accuracy=[0.5, 0.8], dead=[0.0, 0.0])
    >>> fig = training_curves(Curves({"tanh": h}, {"tanh": 0.75}))
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['training loss (cross-entropy)', 'training accuracy']
    """
    fig = _figure(8.0, 3.2)
    ax_l, ax_a = fig.subplots(1, 2, sharex=True)
    for a, h in curves.histories.items():
        label = get(a).title
        ax_l.plot(h.epoch, h.loss, color=_color(a), lw=1.8, label=label)
        ax_a.plot(h.epoch, h.accuracy, color=_color(a), lw=1.8, label=label)
    ax_l.set_yscale("log")
    ax_l.set_ylabel("training loss (cross-entropy)")
    ax_a.set_ylabel("training accuracy")
    ax_a.set_ylim(0.4, 1.01)
    for ax in (ax_l, ax_a):
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    ax_a.legend(fontsize=8)
    return fig


def born_dead(result: BornDead) -> Figure:
    """Simulated probability of a constant network (solid) between its two bounds.

    >>> fig = born_dead(BornDead([2, 4], 3, 0, np.zeros((2, 3))))
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['N = 2', 'N = 4']
    """
    fig = _figure(6.4, 3.6)
    ax = fig.add_subplot()
    depths = np.arange(1, result.max_depth + 1)
    for i, n in enumerate(result.widths):
        ax.plot(depths, result.probability[i], color=f"C{i}", lw=2, label=f"N = {n}")
        ax.fill_between(depths, result.lower(n, depths), result.upper(n, depths),
                        color=f"C{i}", alpha=0.15, lw=0)
    ax.set_xlabel("depth L (hidden layers)")
    ax.set_ylabel("P(born dead)")
    ax.set_ylim(0, 1.01)
    ax.set_xlim(1, result.max_depth)
    ax.grid(True, alpha=0.3)
    ax.legend(title="width", fontsize=8, title_fontsize=8)
    return fig


# --- self-normalisation ------------------------------------------------------------
def propagation(runs: Mapping[str, LayerStats]) -> Figure:
    """Mean (left) and variance (right) of each layer's activations, per run.

    The variance axis is logarithmic when the runs span several decades.

    >>> flat = LayerStats(np.zeros(3), np.ones(3))
    >>> fading = LayerStats(np.zeros(3), np.array([1.0, 1e-2, 1e-4]))
    >>> fig = propagation({"SELU": flat, "sigmoid": fading})
    >>> fig.axes[1].get_yscale()  # variances four decades apart
    'log'
    """
    fig = _figure(8.4, 3.3)
    ax_m, ax_v = fig.subplots(1, 2, sharex=True)
    for i, (label, s) in enumerate(runs.items()):
        layers = np.arange(len(s.mean))
        ax_m.plot(layers, s.mean, color=f"C{i}", lw=1.8, label=label)
        ax_v.plot(layers, s.var, color=f"C{i}", lw=1.8)
    spread = [v for s in runs.values() for v in (s.var.min(), s.var.max())]
    if max(spread) > 50 * min(spread):  # several decades: only a log axis shows all
        ax_v.set_yscale("log")
    ax_m.axhline(0, color="0.4", lw=0.8, ls=":")
    ax_v.axhline(1, color="0.4", lw=0.8, ls=":")
    ax_m.set_ylabel("mean of activations")
    ax_v.set_ylabel("variance of activations")
    for ax in (ax_m, ax_v):
        ax.set_xlabel("layer (0 = input)")
        ax.grid(True, alpha=0.3)
    ax_m.legend(fontsize=8)
    return fig


def variance_map(q: np.ndarray, mapped: Mapping[str, np.ndarray]) -> Figure:
    """The map from one layer's second moment to the next one's, and the diagonal.

    >>> q = np.linspace(0.0, 3.0, 31)
    >>> fig = variance_map(q, {"ReLU, He": q})  # He keeps a ReLU layer's q
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['next = previous', 'ReLU, He']
    """
    fig = _figure(4.8, 3.8)
    ax = fig.add_subplot()
    ax.plot(q, q, color="0.5", lw=1, ls=":", label="next = previous")
    for i, (label, m) in enumerate(mapped.items()):
        ax.plot(q, m, color=f"C{i}", lw=2, label=label)
    ax.plot([1], [1], "o", color="k", ms=5)
    ax.set_xlabel("second moment of a layer's input, q")
    ax.set_ylabel("second moment of its output")
    ax.set_xlim(q[0], q[-1])
    ax.set_ylim(0, q[-1])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig


# --- the concentric circles --------------------------------------------------------
_SPAN = 1.7


def _boundary(ax, net: MLP, X: np.ndarray, y: np.ndarray, grid: int = 150,
              size: float = 9.0) -> None:
    t = np.linspace(-_SPAN, _SPAN, grid)
    gx, gy = np.meshgrid(t, t)
    p = net.predict_proba(np.c_[gx.ravel(), gy.ravel()])[:, 1].reshape(gx.shape)
    ax.contourf(gx, gy, p, levels=[0, 0.5, 1], colors=_REGION_COLORS)
    ax.contour(gx, gy, p, levels=[0.5], colors="0.25", linewidths=1.2)
    for k in (0, 1):
        ax.scatter(*X[y == k].T, s=size, color=_CLASS_COLORS[k], lw=0)
    ax.set_xlim(-_SPAN, _SPAN)
    ax.set_ylim(-_SPAN, _SPAN)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def decision_boundaries(sweep: CircleSweep, hidden: Sequence[int],
                        epoch: int | None = None) -> Figure:
    """One panel per activation: regions, the 0.5 contour, the test points.

    >>> from activations.nn import experiments
    >>> sweep = experiments.circles_sweep(("tanh", "relu"), [(2,)], checkpoints=[2],
    ...                                   n=20)
    >>> fig = decision_boundaries(sweep, (2,))
    >>> [ax.get_title().split(":")[0] for ax in fig.axes]
    ['Tanh', 'ReLU']
    """
    hidden = tuple(hidden)
    epoch = epoch or sweep.checkpoints[-1]
    k = sweep.checkpoints.index(epoch)
    fig = _figure(2.1 * len(sweep.activations), 2.5)
    axes = np.atleast_1d(fig.subplots(1, len(sweep.activations)))
    for ax, a in zip(axes, sweep.activations, strict=True):
        _boundary(ax, sweep.nets[(a, hidden, epoch)], sweep.X_test, sweep.y_test,
                  size=5)
        ax.set_title(f"{get(a).title}: {sweep.accuracy[(a, hidden)][k]:.0%}",
                     fontsize=10)
    return fig


class _CircleFrames:
    """One figure for every frame of the circles explorer, redrawn by blitting.

    The decision regions are drawn as an image on a grid, with the grid cells where
    the predicted class changes painted dark as the boundary: one image artist per
    frame instead of a contour computation, about ten times faster.
    """

    def __init__(self, sweep: CircleSweep, grid: int = 120, dpi: int = 80):
        self.sweep = sweep
        t = np.linspace(-_SPAN, _SPAN, grid)
        gx, gy = np.meshgrid(t, t)
        self.points = np.c_[gx.ravel(), gy.ravel()]
        self.grid = grid
        self.fig = Figure(figsize=(3.6, 3.75), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9)
        ax = self.ax = self.fig.add_subplot()
        cmap = ListedColormap([*_REGION_COLORS, "0.25"])
        self.image = ax.imshow(np.zeros((grid, grid)), cmap=cmap, vmin=0, vmax=2,
                               extent=(-_SPAN, _SPAN, -_SPAN, _SPAN), origin="lower",
                               interpolation="nearest", animated=True)
        X, y = sweep.X_test, sweep.y_test
        self.dots = ax.scatter(*X.T, s=6, c=[_CLASS_COLORS[k] for k in y], lw=0,
                               animated=True)
        ax.set_xlim(-_SPAN, _SPAN)
        ax.set_ylim(-_SPAN, _SPAN)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        self.title = ax.set_title("", fontsize=9, animated=True)
        self.fig.canvas.draw()
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self, activation: str, hidden: tuple[int, ...], epoch: int) -> bytes:
        net = self.sweep.nets[(activation, hidden, epoch)]
        inner = (net.predict(self.points) == 1).reshape(self.grid, self.grid)
        classes = inner.astype(float)
        edge = np.zeros_like(inner)
        edge[:, 1:] |= inner[:, 1:] != inner[:, :-1]
        edge[1:, :] |= inner[1:, :] != inner[:-1, :]
        classes[edge] = 2
        self.image.set_data(classes)
        acc = self.sweep.accuracy[(activation, hidden)][
            self.sweep.checkpoints.index(epoch)]
        shape = "×".join(map(str, hidden))
        self.title.set_text(f"{get(activation).title}, {shape}, {epoch} epochs: "
                            f"{acc:.0%}")
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for artist in (self.image, *self.ax.spines.values(), self.dots, self.title):
            self.ax.draw_artist(artist)
        return _quantized(canvas, colors=24)  # 16 merge white with the blue region


def circles_explorer(sweep: CircleSweep, hiddens: Sequence[tuple[int, ...]],
                     start: tuple[int, ...] | None = None) -> w.VBox:
    """Activation, hidden layers and training time, linked to pre-rendered frames.

    The explorer opens at ``start`` (default: the first architecture), trained for
    the longest time.

    >>> from activations.nn import experiments
    >>> sweep = experiments.circles_sweep(("tanh",), [(2,)], checkpoints=[1, 2], n=20)
    >>> box = circles_explorer(sweep, [(2,)])  # renders its two frames
    >>> [getattr(c, "description", None) for c in box.children]
    ['activation:', 'hidden layers:', 'epochs:', None]
    """
    hiddens = [tuple(h) for h in hiddens]
    frames = _CircleFrames(sweep)
    return frames_explorer(
        {
            "activation": [(get(a).title, a) for a in sweep.activations],
            "hidden layers": [("×".join(map(str, h)), h) for h in hiddens],
            "epochs": sweep.checkpoints,
        },
        lambda **choice: frames.png(choice["activation"], choice["hidden layers"],
                                    choice["epochs"]),
        sliders=("hidden layers",),
        value={"hidden layers": tuple(start or hiddens[0]),
               "epochs": sweep.checkpoints[-1]},
    )
