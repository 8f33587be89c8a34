"""The explorer of a vector activation (:func:`activations.widgets.explorer` of
this kind): the outputs and a Jacobian column along one input entry, with sliders
for the other entries."""

from __future__ import annotations

import ipywidgets as w

from ..plotting import frame_values
from ..registry import Activation, get
from ..widgets import _IMAGE_LAYOUT, frames_explorer, static_mode
from . import plotting

__all__ = ["explorer"]


def explorer(activation: str | Activation, *, live: bool | None = None) -> w.VBox:
    """An explorer of a vector activation along one input entry.

    The swept entry is the x-axis; sliders set the other entries (two of them, or
    one when the activation has a parameter, which gets buttons), so the reader
    sees how every output, and its column of the Jacobian, moves with the rest of
    the vector. Frames while the book builds, live redraws in a kernel.
    """
    a = get(activation)
    live = (not static_mode()) if live is None else live
    k = a.plot.get("index", 0)
    n = plotting.length(a)
    values = list(a.plot.get("slider_values", (-2, -1, 0, 1, 2)))
    n_sliders = 1 if a.params else 2
    positions = [i for i in range(n) if i != k][:n_sliders]
    names = {pos: f"x_{pos + 1}" for pos in positions}
    # plot["params"]: the parameters that get buttons (all by default); the others
    # stay at their defaults, so that four weights do not make 5**5 frames
    shown = a.plot.get("params", tuple(a.params))
    param_options = {
        name: [v for v in range(max(1, int(p.low)), min(int(p.high), 4) + 1)]
        if name in a.integers else frame_values(a, name, 5)
        for name, p in a.params.items() if name in shown
    }
    options = param_options or {"": [None]}
    settings = [({name: v}, {pos: s}) for name, vs in options.items()
                for v in vs for pos in positions for s in values]
    settings = [({kk: vv for kk, vv in p.items() if kk}, o) for p, o in settings]
    ylim = plotting.y_limits(a, [(a.bind(p), o) for p, o in settings] or [({}, {})])

    def frame(small: bool, **choice) -> bytes:
        params = {name: choice.get(name, p.default) for name, p in a.params.items()}
        others = {pos: choice[names[pos]] for pos in positions if names[pos] in choice}
        return plotting.frame(a, params, others, small=small, dpi=100, ylim=ylim)

    defaults = {name: p.default for name, p in a.params.items()}
    base = dict(enumerate(a.plot.get("others", ())))
    if not live:
        # The second slider gets every other value: fewer frames, a lighter page.
        controls = {names[pos]: values if i == 0 else values[::2]
                    for i, pos in enumerate(positions)}
        controls.update({name: opts for name, opts in param_options.items()})
        start = {names[pos]: min(controls[names[pos]], key=lambda v, pos=pos: abs(
            v - _entry(a, pos, k, base))) for pos in positions}
        start.update({name: defaults[name] for name in param_options})
        panel = frames_explorer(controls, lambda **c: frame(True, **c),
                                sliders=[names[pos] for pos in positions], value=start)
        box = w.VBox([panel])
        box.add_class("activation-explorer")
        return box

    sliders: list[w.Widget] = [
        w.FloatSlider(value=_entry(a, pos, k, base), min=min(values), max=max(values),
                      step=(max(values) - min(values)) / 200,
                      description=f"{names[pos]}:", continuous_update=True,
                      readout_format=".3g", style={"description_width": "initial"},
                      layout=w.Layout(width="95%", max_width="600px"))
        for pos in positions
    ]
    buttons = {name: w.ToggleButtons(options=[(f"{v:g}", v) for v in opts],
                                     value=defaults[name], description=f"{name}:",
                                     style={"button_width": "auto"})
               for name, opts in param_options.items()}
    out = w.Image(format="png", layout=_IMAGE_LAYOUT)

    def redraw(_change=None) -> None:
        choice = {names[pos]: s.value
                  for pos, s in zip(positions, sliders, strict=True)}
        choice.update({name: b.value for name, b in buttons.items()})
        out.value = frame(False, **choice)

    for c in (*sliders, *buttons.values()):
        c.observe(redraw, names="value")
    redraw()
    box = w.VBox([*sliders, *buttons.values(), out])
    box.add_class("activation-explorer")
    return box


def _entry(a: Activation, pos: int, k: int, base: dict) -> float:
    """The default value of input entry ``pos`` (``plot["others"]`` skips ``k``)."""
    return float(base.get(pos if pos < k else pos - 1, 0.0))
