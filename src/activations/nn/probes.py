"""Probes: what flows through a network, layer by layer.

* :func:`layer_gradients` - the size of the gradient at every layer, for the
  weights and for the pre-activations (the quantity backpropagation multiplies
  by one factor per layer);
* :func:`activation_stats` - mean and variance of every hidden layer's outputs;
* :func:`dead_units`, :func:`dead_fraction` - units that are never active on a
  data set. For ReLU such a unit has zero gradient on every input, so gradient
  descent cannot change it again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import MLP

__all__ = [
    "LayerGradients",
    "LayerStats",
    "activation_stats",
    "dead_fraction",
    "dead_units",
    "layer_gradients",
]


@dataclass(frozen=True)
class LayerGradients:
    """Gradient norms per layer, input side first.

    ``weights[l]`` is the Frobenius norm of :math:`\\partial L/\\partial W` of layer
    ``l + 1`` (the last entry is the output layer); ``preactivations[l]`` is the
    norm of :math:`\\partial L/\\partial z` of hidden layer ``l + 1`` over the batch.

    >>> g = LayerGradients(np.array([1.0, 2.0, 3.0]), np.array([0.01, 0.1, 1.0]))
    >>> g.ratio  # 0.01 / 1: the gradient shrinks a hundredfold on its way back
    0.01
    """

    weights: np.ndarray
    preactivations: np.ndarray

    @property
    def ratio(self) -> float:
        """First hidden layer over last hidden layer, for the pre-activations.

        Below 1 the gradient shrinks on its way back to the input (vanishing),
        above 1 it grows (exploding). The ratio of pre-activation gradients is
        used, not of weight gradients, because the first weight matrix sees the
        raw inputs (two coordinates here) while the others see a whole layer.

        >>> LayerGradients(np.ones(3), np.array([4.0, 2.0, 1.0])).ratio  # exploding
        4.0
        """
        return float(self.preactivations[0] / self.preactivations[-1])


def layer_gradients(net: MLP, X: np.ndarray, y: np.ndarray) -> LayerGradients:
    """Norms of the gradients of the mean loss on ``(X, y)``, layer by layer.

    >>> net = MLP([2, 16, 16, 16, 2], "sigmoid", init="xavier", rng=0)
    >>> X, y = np.random.default_rng(0).normal(size=(50, 2)), np.arange(50) % 2
    >>> g = layer_gradients(net, X, y)  # sigmoid' <= 1/4: the gradient vanishes
    >>> g.weights.shape, g.preactivations.shape, g.ratio < 1
    ((4,), (3,), True)
    """
    step = net.backward(X, y)
    weights = np.array([np.linalg.norm(g) for g in step.grads[0::2]])
    pre = np.array([np.linalg.norm(d) for d in step.delta[:-1]])
    return LayerGradients(weights, pre)


@dataclass(frozen=True)
class LayerStats:
    """Mean and variance of each hidden layer's activations (over units and inputs).

    >>> s = activation_stats(MLP([4, 8, 8, 8, 2], "relu", rng=0), np.ones((3, 4)))
    >>> s.mean.shape, s.var.shape  # one entry per hidden layer
    ((3,), (3,))
    """

    mean: np.ndarray
    var: np.ndarray


def activation_stats(net: MLP, X: np.ndarray) -> LayerStats:
    """Mean and variance of every hidden layer's outputs on the inputs ``X``.

    >>> net = MLP([2, 16, 16, 2], "sigmoid", init="xavier", rng=0)
    >>> stats = activation_stats(net, np.random.default_rng(0).normal(size=(50, 2)))
    >>> stats.mean.round(1).tolist()  # sigmoid outputs sit around 1/2
    [0.5, 0.5]
    """
    _, hs = net.hidden(X)
    return LayerStats(np.array([h.mean() for h in hs]), np.array([h.var() for h in hs]))


def dead_units(
    net: MLP, X: np.ndarray, zs: list[np.ndarray] | None = None
) -> list[np.ndarray]:
    """Per hidden layer, a boolean per unit: is it inactive on every input of ``X``?

    Inactive means a pre-activation :math:`z \\le 0`, the side where ReLU and its
    derivative are 0. For ReLU such a unit is *dead*: it outputs 0 and receives
    zero gradient on the whole data set. Leaky ReLU, ELU and GELU units on that
    side still pass a (small) gradient and can come back.

    >>> X = np.random.default_rng(0).normal(size=(20, 2))
    >>> net = MLP([2, 4, 2], "relu", bias=-10.0, rng=0)  # z = x W - 10 < 0 on X
    >>> dead_units(net, X)
    [array([ True,  True,  True,  True])]
    """
    if zs is None:
        zs, _ = net.hidden(X)
    return [~np.any(z > 0, axis=0) for z in zs]


def dead_fraction(
    net: MLP, X: np.ndarray, zs: list[np.ndarray] | None = None
) -> float:
    """The fraction of all hidden units that are inactive on every input of ``X``.

    >>> X = np.random.default_rng(0).normal(size=(20, 2))
    >>> dead_fraction(MLP([2, 4, 2], "relu", bias=-10.0, rng=0), X)
    1.0
    >>> dead_fraction(MLP([2, 4, 2], "relu", rng=0), X)
    0.0
    """
    dead = dead_units(net, X, zs)
    if not dead:
        return 0.0
    return float(np.concatenate(dead).mean())
