"""A small NumPy network for the experiments chapter: data, MLP, optimisers, probes.

>>> from activations import nn
>>> X, y = nn.circles(200, rng=0)
>>> net = nn.MLP([2, 16, 2], "tanh", init="xavier", rng=0)
>>> history = nn.train(net, X, y, nn.Adam(0.05), epochs=200, rng=0)
>>> net.accuracy(X, y) > 0.95
True

Every hidden activation comes from the registry, forward and backward: the network
differentiates through ``Activation.derivative``. Experiments and their figures live
in :mod:`activations.nn.experiments` and :mod:`activations.nn.figures`.
"""

from .data import DATASETS, as_rng, circles, moons, spirals, split
from .network import INITS, MLP, Pass, init_std, numeric_gradient
from .optim import OPTIMIZERS, SGD, Adam, History, Momentum, optimizer, train
from .probes import (
    LayerGradients,
    LayerStats,
    activation_stats,
    dead_fraction,
    dead_units,
    layer_gradients,
)

__all__ = [
    "DATASETS",
    "INITS",
    "MLP",
    "OPTIMIZERS",
    "SGD",
    "Adam",
    "History",
    "LayerGradients",
    "LayerStats",
    "Momentum",
    "Pass",
    "activation_stats",
    "as_rng",
    "circles",
    "dead_fraction",
    "dead_units",
    "init_std",
    "layer_gradients",
    "moons",
    "numeric_gradient",
    "optimizer",
    "spirals",
    "split",
    "train",
]
