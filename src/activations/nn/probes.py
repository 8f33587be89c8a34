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
        """
        return float(self.preactivations[0] / self.preactivations[-1])


def layer_gradients(net: MLP, X: np.ndarray, y: np.ndarray) -> LayerGradients:
    """Norms of the gradients of the mean loss on ``(X, y)``, layer by layer."""
    step = net.backward(X, y)
    weights = np.array([np.linalg.norm(g) for g in step.grads[0::2]])
    pre = np.array([np.linalg.norm(d) for d in step.delta[:-1]])
    return LayerGradients(weights, pre)


@dataclass(frozen=True)
class LayerStats:
    """Mean and variance of each hidden layer's activations (over units and inputs)."""

    mean: np.ndarray
    var: np.ndarray


def activation_stats(net: MLP, X: np.ndarray) -> LayerStats:
    """Mean and variance of every hidden layer's outputs on the inputs ``X``."""
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
    """
    if zs is None:
        zs, _ = net.hidden(X)
    return [~np.any(z > 0, axis=0) for z in zs]


def dead_fraction(
    net: MLP, X: np.ndarray, zs: list[np.ndarray] | None = None
) -> float:
    """The fraction of all hidden units that are inactive on every input of ``X``."""
    dead = dead_units(net, X, zs)
    if not dead:
        return 0.0
    return float(np.concatenate(dead).mean())
