"""Initialisation and symmetry breaking: the computations of the page of that name.

* :func:`constant_network`, :func:`unit_spread`, :func:`train_spread` - hidden
  units that start equal stay equal under gradient descent;
* :func:`preactivation_variance` - the variance of every layer's pre-activations
  in a deep random network, for an activation and an initialisation;
* :func:`variance_figure` - the page's figure of those variances.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..nn.data import as_rng
from ..nn.network import MLP
from ..plotting import BookFigure

__all__ = [
    "constant_network",
    "preactivation_variance",
    "train_spread",
    "unit_spread",
    "variance_figure",
]


def constant_network(sizes: Sequence[int], activation: str = "tanh",
                     value: float = 0.5) -> MLP:
    """An :class:`~activations.nn.MLP` whose weights all equal ``value``, biases 0.

    Examples
    --------
    >>> net = constant_network([2, 3, 2])
    >>> float(net.weights[0].min()), float(net.weights[1].max())
    (0.5, 0.5)
    """
    net = MLP(list(sizes), activation, init="normal", sigma=0.0)
    for W in net.weights:
        W[...] = value
    return net


def unit_spread(net: MLP, layer: int = 0) -> float:
    """How different the units of hidden layer ``layer`` are.

    The largest absolute difference between any unit's incoming weights, bias
    and outgoing weights and those of the layer's first unit: 0 when all units
    of the layer are copies of each other.

    Examples
    --------
    >>> unit_spread(constant_network([2, 4, 2]))
    0.0
    """
    W_in, b = net.weights[layer], net.biases[layer]
    W_out = net.weights[layer + 1]
    units = np.c_[W_in.T, b, W_out]  # one row per unit
    return float(np.max(np.abs(units - units[0])))


def train_spread(net: MLP, X: np.ndarray, y: np.ndarray, steps: int = 200,
                 lr: float = 0.5) -> np.ndarray:
    """Full-batch gradient descent on ``net`` (in place), recording
    :func:`unit_spread` of the first hidden layer before and after every step."""
    spread = [unit_spread(net)]
    for _ in range(steps):
        net.flat -= lr * net.backward(X, y, loss=False).flat
        spread.append(unit_spread(net))
    return np.array(spread)


def preactivation_variance(
    activation: str,
    init: str,
    *,
    depth: int = 30,
    width: int = 256,
    n: int = 300,
    seed: int = 0,
) -> np.ndarray:
    """Variance of the pre-activations of every hidden layer of a random network.

    The input is ``n`` vectors of ``width`` independent standard normal
    coordinates; entry 0 of the result is the input's variance, entry ``l`` the
    variance of the pre-activations ``z_l`` of hidden layer ``l`` (over units and
    inputs). Biases are 0.

    Examples
    --------
    >>> v = preactivation_variance("relu", "he", depth=3, width=64, n=50)
    >>> v.shape
    (4,)
    """
    g = as_rng(seed)
    X = g.normal(0.0, 1.0, (n, width))
    net = MLP([width] * (depth + 1) + [1], activation, init=init, rng=g)
    zs, _ = net.hidden(X)
    return np.array([X.var(), *(z.var() for z in zs)])


def variance_figure(runs: Mapping[str, np.ndarray]) -> BookFigure:
    """Pre-activation variance against depth, one line per run, log scale."""
    fig = BookFigure(figsize=(6.0, 3.2), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for i, (label, v) in enumerate(runs.items()):
        ax.plot(np.arange(len(v)), v, color=f"C{i}", lw=1.8, marker=".", label=label)
    ax.set_yscale("log")
    ax.axhline(1, color="0.4", lw=0.8, ls=":")
    ax.set_xlabel("layer (0 = input)")
    ax.set_ylabel("variance of pre-activations")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig
