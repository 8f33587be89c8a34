"""The computations of the page "Why nonlinearity" (foundations/nonlinearity.py).

Expected values are worked out by hand from geometry, not read off the code.
"""

import numpy as np
import pytest
import sympy as sp

from activations import nn
from activations.foundations import nonlinearity as nl


def test_lift_is_the_squared_radius():
    X = np.array([[3.0, 4.0], [-1.0, 2.0], [0.0, 0.0]])
    assert nl.lift(X).tolist() == [[3, 4, 25], [-1, 2, 5], [0, 0, 0]]


def test_best_threshold_by_hand():
    # Scores 1..6 with labels 0 0 1 0 1 1: the best cut is between 2 and 3
    # (one mistake, the 0 at score 4) or between 4 and 5 (one mistake, the 1 at 3).
    acc, t, sign = nl.best_threshold(np.arange(1.0, 7.0), np.array([0, 0, 1, 0, 1, 1]))
    assert acc == pytest.approx(5 / 6)
    assert sign == 1 and t in (2.5, 4.5)
    # Reversed labels: the same accuracy with the other orientation.
    acc, t, sign = nl.best_threshold(np.arange(1.0, 7.0), np.array([1, 1, 0, 1, 0, 0]))
    assert acc == pytest.approx(5 / 6) and sign == -1


def test_best_threshold_never_cuts_between_equal_scores():
    # Two points at the same score with different labels: no rule gets both.
    acc, _, _ = nl.best_threshold(np.array([0.0, 1.0, 1.0]), np.array([0, 0, 1]))
    assert acc == pytest.approx(2 / 3)


def test_one_class_is_all_right_with_a_cut_outside():
    acc, t, sign = nl.best_threshold(np.array([0.3, 0.1, 0.2]), np.array([1, 1, 1]))
    assert acc == 1.0
    assert np.all(sign * (np.array([0.3, 0.1, 0.2]) - t) > 0)


def test_best_line_on_noiseless_circles_is_two_thirds():
    # Radius 1 against radius 1/2: the best line x = 1/2 keeps every inner point
    # and cuts off the outer arc |angle| < pi/3, a third of the outer ring:
    # accuracy 1/2 + 1/2 * 1/3 = 2/3 (geometry, for infinitely many points).
    X, y = nn.circles(20000, noise=0.0, rng=3)
    line = nl.best_line(X, y)
    assert line.accuracy == pytest.approx(2 / 3, abs=0.01)
    assert abs(line.offset) == pytest.approx(0.5, abs=0.03)


def test_lifted_circles_are_separated_by_a_plane():
    X, y = nn.circles(2000, noise=0.0, rng=4)
    acc, t, sign = nl.best_threshold(nl.lift(X)[:, 2], y)
    assert acc == 1.0 and 0.25 < t < 1.0 and sign == -1


def test_best_line_separates_separable_points():
    g = np.random.default_rng(0)
    X = g.normal(size=(300, 2))
    X = X[np.abs(X @ np.array([1.0, 2.0]) - 0.3) > 0.1]  # a margin for the angle grid
    y = (X @ np.array([1.0, 2.0]) > 0.3).astype(int)
    assert nl.best_line(X, y).accuracy == 1.0


def test_identity_units_fit_only_affine_functions():
    # An affine target is fitted exactly by one linear unit and a bias ...
    _, _, err = nl.random_feature_fit(lambda x: 3 * x - 2, 1, "identity")
    assert err < 1e-12
    # ... but 16 linear units cannot bend: the best fit of x^2 on [-2, 2] is the
    # least-squares line, which for a parabola symmetric about 0 is flat at its
    # mean, 4/3: the error is 4/3 at x = 0 and 4 - 4/3 = 8/3 at the ends.
    x, fit, err = nl.random_feature_fit(lambda x: x**2, 16, "identity", draws=3)
    mean = float(sp.integrate(sp.Symbol("x") ** 2, (sp.Symbol("x"), -2, 2)) / 4)
    assert fit[len(x) // 2] == pytest.approx(mean, abs=0.01)
    assert err == pytest.approx(4 - mean, abs=0.01)


def test_tanh_fit_improves_with_width():
    sweep = nl.approximation_sweep(lambda x: np.sin(3 * x) + x, (2, 8, 32), "tanh",
                                   draws=20)
    e = sweep.max_error
    assert e[2] > e[8] > e[32]
    assert e[32] < 1e-3


def test_figures_draw():
    X, y = nn.circles(100, rng=0)
    line = nl.best_line(X, y, directions=36)
    assert nl.separation_figure(X, y, line, 0.6)._repr_png_()[:4] == b"\x89PNG"
    sweep = nl.approximation_sweep(np.sin, (1, 2), "relu", draws=2)
    assert nl.fits_figure(sweep)._repr_png_()[:4] == b"\x89PNG"
