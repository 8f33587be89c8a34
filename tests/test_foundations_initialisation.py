"""The computations of the page "Initialisation and symmetry breaking"
(foundations/initialisation.py).

Expected values come from the variance argument worked by hand (a ReLU layer
halves the second moment; n * Var(w) * E[x^2] for the first layer), not from the
code under test.
"""

import numpy as np
import pytest

from activations import nn
from activations.foundations import initialisation as ini


def test_constant_network_has_equal_weights_and_zero_biases():
    net = ini.constant_network([3, 5, 2], "relu", value=0.25)
    assert all(np.all(W == 0.25) for W in net.weights)
    assert all(np.all(b == 0.0) for b in net.biases)


def test_unit_spread_sees_any_difference():
    net = ini.constant_network([2, 4, 2])
    net.weights[1][2, 1] += 0.125  # the third unit's outgoing weight
    assert ini.unit_spread(net) == 0.125
    net.biases[0][3] -= 0.5
    assert ini.unit_spread(net) == 0.5


def test_equal_units_stay_equal_and_random_ones_separate():
    X, y = nn.circles(100, rng=0)
    net = ini.constant_network([2, 6, 2], "tanh")
    assert ini.train_spread(net, X, y, steps=50).max() == 0.0
    # The network really trained: its output weights moved.
    assert not np.all(net.weights[1] == 0.5)
    rand = nn.MLP([2, 6, 2], "tanh", init="xavier", rng=1)
    spread = ini.train_spread(rand, X, y, steps=50)
    assert spread[-1] > 0.1


def test_first_layer_variance_is_n_var_w_times_second_moment():
    # z = x W with x ~ N(0, 1) in 128 coordinates and Var(w) = 2/128 (He):
    # Var(z) = 128 * 2/128 * 1 = 2.
    v = ini.preactivation_variance("relu", "he", depth=1, width=128, n=2000)
    assert v[0] == pytest.approx(1.0, rel=0.05)
    assert v[1] == pytest.approx(2.0, rel=0.1)


def test_relu_halves_the_variance_per_layer_under_lecun():
    # Var(z_next) = n * (1/n) * E[relu(z)^2] = Var(z)/2.
    v = ini.preactivation_variance("relu", "lecun", depth=12, width=256, n=300)
    ratios = v[2:] / v[1:-1]
    assert np.exp(np.mean(np.log(ratios))) == pytest.approx(0.5, rel=0.1)


def test_relu_keeps_the_variance_under_he():
    v = ini.preactivation_variance("relu", "he", depth=12, width=256, n=300)
    ratios = v[2:] / v[1:-1]
    assert np.exp(np.mean(np.log(ratios))) == pytest.approx(1.0, rel=0.1)


def test_tanh_variance_decays_like_one_over_two_layers():
    # q' = E[tanh(z)^2] ~ q - 2 q^2 for small q (tanh^2 z = z^2 - 2 z^4/3 + ...,
    # E z^4 = 3 q^2), so q_l ~ 1 / (2 l) far from the input.
    v = ini.preactivation_variance("tanh", "lecun", depth=40, width=256, n=300)
    assert v[40] * 2 * 40 == pytest.approx(1.0, rel=0.25)


def test_figure_draws():
    fig = ini.variance_figure({"a": np.array([1.0, 0.5, 0.25])})
    assert fig._repr_png_()[:4] == b"\x89PNG"
