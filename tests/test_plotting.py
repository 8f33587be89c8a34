"""Figures drawn by ``plotting.render``: the curves are f and f' themselves, a jump
breaks the line instead of drawing a vertical one, and a render depends only on its
arguments."""

from __future__ import annotations

import numpy as np
import pytest

import activations as act
from activations import plotting
from activations.vector import plotting as vector_plotting

NAMES = act.names()


@pytest.mark.parametrize("name", NAMES)
def test_render_draws_f_and_its_derivative(name):
    a = act.get(name)
    fig = plotting.render(name)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    if not a.elementwise:  # outputs y_i and a Jacobian column along one entry
        xs = vector_plotting.inputs(a, lines["y₁"].get_data()[0])
        k = a.plot.get("index", 0)
        ys, jac = a(xs), a.jacobian(xs)[..., k]
        for i in range(ys.shape[1]):
            sub = vector_plotting._sub(i + 1)
            np.testing.assert_array_equal(lines[f"y{sub}"].get_data()[1], ys[:, i])
            dy = lines[f"∂y{sub}/∂x{vector_plotting._sub(k + 1)}"]
            np.testing.assert_array_equal(dy.get_data()[1], jac[:, i])
        return
    xs, ys = lines["f(x)"].get_data()
    np.testing.assert_array_equal(ys, a(xs))
    _, ds = lines["f′(x)"].get_data()
    finite = np.isfinite(ds)
    np.testing.assert_array_equal(ds[finite], a.derivative(xs)[finite])


def test_render_is_a_pure_function():
    one = plotting.png(plotting.render("leaky_relu", {"negative_slope": 0.3}))
    two = plotting.png(plotting.render("leaky_relu", {"negative_slope": 0.3}))
    other = plotting.png(plotting.render("leaky_relu", {"negative_slope": 0.6}))
    assert one == two != other


@pytest.mark.parametrize("name", ["step", "sign", "hardshrink", "threshold"])
def test_plots_break_at_jumps_instead_of_drawing_vertical_lines(name):
    a = act.get(name)
    lines = {ln.get_label(): ln for ln in plotting.render(name).axes[0].get_lines()}
    xs, _ = lines["f(x)"].get_data()
    gaps = np.flatnonzero(np.isnan(xs))
    for at in a.kink_points():
        # a NaN between the points a hair either side of the jump breaks the line
        assert any(xs[g - 1] < at < xs[g + 1] for g in gaps)
    assert np.all(np.diff(xs[np.isfinite(xs)]) > 0)


def test_plot_keeps_continuous_kinks_whole():
    lines = {ln.get_label(): ln for ln in plotting.render("relu").axes[0].get_lines()}
    xs, ys = lines["f(x)"].get_data()
    assert not np.any(np.isnan(xs)) and 0.0 in xs
