"""Explorers: f and f' with a slider per parameter and a related activation to overlay.

Two modes, one layout:

* **frames** (the built HTML, no kernel): every slider position is rendered ahead of
  time into an ``Image`` inside a ``Stack``; the slider's ``index`` is ``jslink``-ed
  to the stack, so the browser switches frames with no Python and no network. The
  curves are transparent layers over one background per overlay (axes, legend, the
  related activation), in the same grid cell: n positions and k overlays make
  n + k images, not n k.
* **live** (a running kernel): the sliders are continuous and every move redraws
  through :func:`activations.plotting.render`.

Which one ``explorer(a)`` builds is the setting :data:`MODE_VARIABLE`, an
environment variable because the pages run in kernels of their own: ``frames`` or
``live`` (the default, for a reader's kernel). The book sets it to ``frames`` in
``_config.yml`` (``sphinx.config.activations_explorers``), and the build passes it
on to the kernels it starts. ``explorer(a, live=True)`` overrides it for one call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as w

from .kinds import generic
from .plotting import Plot, frame_values, y_limits
from .registry import Activation, get

__all__ = ["MODE_VARIABLE", "MODES", "explorer", "frames_explorer", "mode",
           "static_mode"]

_NONE = "none"
_IMAGE_LAYOUT = {"width": "100%", "max_width": "600px"}


MODE_VARIABLE = "ACTIVATIONS_EXPLORERS"
"""The setting that picks the explorers' mode (see the module docstring)."""
MODES = ("frames", "live")


def mode() -> str:
    """The explorers' mode, ``"frames"`` or ``"live"``, from :data:`MODE_VARIABLE`
    (``"live"`` when it is not set).

    >>> import os
    >>> os.environ[MODE_VARIABLE] = "frames"; mode()
    'frames'
    >>> del os.environ[MODE_VARIABLE]; mode()
    'live'
    """
    value = os.environ.get(MODE_VARIABLE, "live").strip().lower() or "live"
    if value not in MODES:
        raise ValueError(
            f"{MODE_VARIABLE}={value!r} is not a mode; use one of {', '.join(MODES)}")
    return value


def static_mode() -> bool:
    """True in frames mode (the book build), False in live mode (a reader).

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {MODE_VARIABLE: "frames"}):
    ...     static_mode()
    True
    """
    return mode() == "frames"


@generic
def explorer(
    activation: str | Activation, *, live: bool | None = None,
    frames: int | None = None,
) -> w.VBox:
    """An explorer of f and f': one slider per parameter, a choice of overlay.

    ``live=None`` picks frames while the book builds and live redraws otherwise.
    With several parameters, frames mode gives each parameter its own panel (the
    others held at their defaults), since a slider can drive only one stack.
    ``frames`` is the number of positions of each slider: 11, or 6 for an
    activation of more than four parameters (a rational unit's seven or ten
    panels, each with its overlays, would otherwise be hundreds of images). An
    activation of another kind gets its kind's own explorer
    (:mod:`activations.kinds`).

    >>> box = explorer("leaky_relu", live=True)
    >>> [type(c).__name__ for c in box.children]
    ['FloatSlider', 'ToggleButtons', 'Image']
    >>> box.children[0].value, box.children[1].options  # the default; overlays
    (0.01, (('none', 'none'), ('ReLU', 'relu')))
    """
    a = get(activation)
    live = (not static_mode()) if live is None else live
    overlays = [_NONE, *a.related]
    if live:
        return _live(a, overlays)
    if frames is None:
        frames = 11 if len(a.params) <= 4 else 6
    names = list(a.params) or [None]
    panels = [_frames_panel(a, name, overlays, frames) for name in names]
    box = w.VBox(panels)
    box.add_class("activation-explorer")
    return box


def _overlay_picker(overlays: list[str]) -> w.ToggleButtons:
    return w.ToggleButtons(
        options=[(o if o == _NONE else get(o).title, o) for o in overlays],
        value=_NONE,
        description="compare:",
        style={"button_width": "auto"},
    )


def _frames_panel(a: Activation, name: str | None, overlays: list[str], n: int):
    defaults = {k: p.default for k, p in a.params.items()}
    values = frame_values(a, name, n) if name else [None]
    sets = [defaults if v is None else {**defaults, name: v} for v in values]
    ylim = y_limits(a, sets)

    plot = Plot(a, ylim, dpi=100)

    def image(data: bytes) -> w.Image:
        return w.Image(value=data, format="png", layout=_IMAGE_LAYOUT)

    # Two stacks in one grid cell: the backgrounds (axes, legend, the overlay),
    # one per overlay, under the transparent layers of the curves, one per value.
    backgrounds = w.Stack(
        [image(plot.background_png(None if o == _NONE else o)) for o in overlays],
        selected_index=0, layout=w.Layout(grid_area="plot"))
    layers = w.Stack([image(plot.layer_png(p)) for p in sets],
                     layout=w.Layout(grid_area="plot"))
    layers.add_class("explorer-layers")
    stacks = [layers]
    picker = _overlay_picker(overlays)
    shown = w.GridBox([backgrounds, layers],
                      layout=w.Layout(grid_template_areas='"plot"',
                                      grid_template_columns="100%"))
    links = [w.jslink((picker, "index"), (backgrounds, "selected_index"))]
    controls: list[w.Widget] = [picker] if len(overlays) > 1 else []
    if name is not None:
        param = a.params[name]
        slider = w.SelectionSlider(
            options=[(f"{v:.3g}", v) for v in values],
            value=param.default,
            description=f"{name}:",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=w.Layout(width="95%", max_width="600px"),
        )
        for s in stacks:
            s.selected_index = slider.index
            links.append(w.jslink((slider, "index"), (s, "selected_index")))
        controls.insert(0, slider)
    else:
        for s in stacks:
            s.selected_index = 0
    panel = w.VBox([*controls, shown])
    panel.links = links  # keeps them inspectable; the browser runs them
    return panel


def _live(a: Activation, overlays: list[str]) -> w.VBox:
    spans = {name: frame_values(a, name) for name in a.params}
    sliders = {
        name: w.FloatSlider(
            value=p.default,
            min=spans[name][0],
            max=spans[name][-1],
            step=(spans[name][-1] - spans[name][0]) / 200,
            description=f"{name}:",
            continuous_update=True,
            readout_format=".3g",
            style={"description_width": "initial"},
            layout=w.Layout(width="95%", max_width="600px"),
        )
        for name, p in a.params.items()
    }
    picker = _overlay_picker(overlays)
    out = w.Image(format="png", layout=_IMAGE_LAYOUT)
    sets = [{n: v} for n in a.params for v in frame_values(a, n, 3)] or [{}]
    plot = Plot(a, y_limits(a, [{**{k: p.default for k, p in a.params.items()}, **s}
                                for s in sets]), dpi=100)

    def redraw(_change=None) -> None:
        params = {k: s.value for k, s in sliders.items()}
        out.value = plot.png(params, None if picker.value == _NONE else picker.value)

    for s in (*sliders.values(), picker):
        s.observe(redraw, names="value")
    redraw()
    controls = [*sliders.values()] + ([picker] if len(overlays) > 1 else [])
    box = w.VBox([*controls, out])
    box.add_class("activation-explorer")
    return box


def frames_explorer(
    controls: Mapping[str, Sequence],
    frame: Callable[..., bytes],
    *,
    sliders: Sequence[str] = (),
    value: Mapping[str, object] | None = None,
) -> w.VBox:
    """An explorer over pre-rendered frames, one control per entry of ``controls``.

    ``controls`` maps a control's name to its options, each a value or a
    ``(label, value)`` pair; ``frame(**choice)`` returns the PNG bytes of one
    combination. Every combination is rendered once, ahead of time, and the frames
    are nested in ``Stack`` widgets, one level per control; each control's
    ``index`` is ``jslink``-ed to every stack of its level, so the browser switches
    frames with no kernel. Names listed in ``sliders`` get a ``SelectionSlider``
    (for ordered values such as a depth), the others ``ToggleButtons``.

    The number of frames is the product of the option counts: keep it small
    enough for the page weight (a 64-colour frame is a few kilobytes).

    >>> box = frames_explorer({"depth": [1, 2, 3]}, lambda depth: b"frame %d" % depth,
    ...                       sliders=("depth",), value={"depth": 3})
    >>> slider, stack = box.children
    >>> type(slider).__name__, slider.index, bytes(stack.children[2].value)
    ('SelectionSlider', 2, b'frame 3')
    """
    names = list(controls)
    if not names:
        raise ValueError("frames_explorer needs at least one control")
    options = {k: [o if isinstance(o, tuple) else (str(o), o) for o in controls[k]]
               for k in names}
    chosen = dict(value or {})
    start = {k: next((i for i, (_, v) in enumerate(options[k]) if v == chosen[k]), 0)
             if k in chosen else 0 for k in names}
    widgets_: dict[str, w.Widget] = {}
    for k in names:
        common = {"options": options[k], "index": start[k], "description": f"{k}:"}
        if k in sliders:
            widgets_[k] = w.SelectionSlider(
                **common,
                continuous_update=True,
                style={"description_width": "initial"},
                layout=w.Layout(width="95%", max_width="600px"),
            )
        else:
            widgets_[k] = w.ToggleButtons(
                **common,
                style={"button_width": "auto", "description_width": "initial"},
            )
    links: list = []

    def level(depth: int, fixed: dict) -> w.Widget:
        if depth == len(names):
            return w.Image(value=frame(**fixed), format="png", layout=_IMAGE_LAYOUT)
        k = names[depth]
        stack = w.Stack([level(depth + 1, {**fixed, k: v}) for _, v in options[k]],
                        selected_index=start[k])
        links.append(w.jslink((widgets_[k], "index"), (stack, "selected_index")))
        return stack

    shown = level(0, {})
    box = w.VBox([*widgets_.values(), shown])
    box.add_class("frames-explorer")
    box.links = links  # keeps them inspectable; the browser runs them
    return box
