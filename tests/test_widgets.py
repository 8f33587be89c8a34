"""Explorers, without a kernel or a browser."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest

import activations as act
from activations import widgets

NAMES = act.names()


def _stacks(widget):
    found = []
    todo = [widget]
    while todo:
        wd = todo.pop()
        if isinstance(wd, w.Stack):
            found.append(wd)
        todo.extend(getattr(wd, "children", ()))
    return found


def _links_of(panel, widget):
    return [ln for ln in panel.links if ln.source[0] is widget]


@pytest.mark.parametrize("name", NAMES)
def test_frames_explorer_links_its_controls_to_prerendered_frames(name):
    a = act.get(name)
    ex = widgets.explorer(name, live=False)
    assert "activation-explorer" in ex._dom_classes
    for panel in ex.children:
        controls = [c for c in panel.children
                    if isinstance(c, (w.SelectionSlider, w.ToggleButtons))]
        assert controls, "every panel has a slider or an overlay toggle"
        for c in controls:
            assert _links_of(panel, c), f"{c.description} is not linked in the browser"
        frames = [img.value for s in _stacks(panel) for img in s.children
                  if isinstance(img, w.Image)]
        assert len(set(frames)) == len(frames) > 1
    # one panel per parameter; a vector activation's single panel holds the
    # buttons of the parameters it shows (PolyNorm: one of its four weights)
    assert len(ex.children) == (max(1, len(a.params)) if a.elementwise else 1)


def test_frames_slider_starts_at_the_default_frame():
    ex = widgets.explorer("leaky_relu", live=False)
    slider = ex.children[0].children[0]
    assert slider.value == 0.01
    layers = [s for s in _stacks(ex) if "explorer-layers" in s._dom_classes]
    backgrounds = [s for s in _stacks(ex) if s not in layers]
    assert len(layers) == 1 and layers[0].selected_index == slider.index
    # the backgrounds start without an overlay ("none", the first button)
    assert [s.selected_index for s in backgrounds] == [0]


@pytest.mark.parametrize("name", NAMES)
def test_live_explorer_redraws_when_a_control_moves(name):
    ex = widgets.explorer(name, live=True)
    image = ex.children[-1]
    controls = ex.children[:-1]
    for c in controls:
        before = image.value
        if isinstance(c, w.FloatSlider):
            c.value = (c.min + c.max) / 2 if c.value != (c.min + c.max) / 2 else c.max
        else:
            c.value = c.options[-1][1]
        assert image.value != before


def test_mode_is_the_named_setting(monkeypatch):
    monkeypatch.setenv(widgets.MODE_VARIABLE, "frames")
    assert widgets.mode() == "frames" and widgets.static_mode()
    monkeypatch.setenv(widgets.MODE_VARIABLE, "live")
    assert widgets.mode() == "live" and not widgets.static_mode()
    monkeypatch.delenv(widgets.MODE_VARIABLE)
    assert widgets.mode() == "live"
    monkeypatch.setenv(widgets.MODE_VARIABLE, "static")
    with pytest.raises(ValueError, match="'static'.*frames, live"):
        widgets.mode()


def test_the_book_builds_frames():
    import yaml

    config = yaml.safe_load((Path(__file__).parent.parent / "_config.yml").read_text())
    assert config["sphinx"]["config"]["activations_explorers"] == "frames"
