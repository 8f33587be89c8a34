r"""Optimisers and the training loop.

Each optimiser updates a list of parameter arrays in place from a list of
gradients of the same shapes, and keeps its own state (velocities, moments)
between calls, so training can be continued in several calls of :func:`train`.

=========  ================================================================
SGD        :math:`\theta \leftarrow \theta - \eta g`
Momentum   :math:`v \leftarrow \beta v + g,\; \theta \leftarrow \theta - \eta v`
           (heavy ball, as ``torch.optim.SGD(momentum=beta)``)
Adam       bias-corrected first and second moments of :math:`g`
           (Kingma & Ba 2015, as ``torch.optim.Adam``)
=========  ================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .data import as_rng, real, whole
from .network import MLP
from .probes import dead_fraction

__all__ = ["SGD", "Momentum", "Adam", "OPTIMIZERS", "History", "train", "optimizer"]


class SGD:
    """Plain (stochastic) gradient descent with learning rate ``lr``.

    >>> params = [np.array([1.0, -2.0])]
    >>> SGD(0.1).step(params, [np.array([1.0, 1.0])])  # theta - 0.1 g, in place
    >>> params[0].tolist()
    [0.9, -2.1]
    """

    def __init__(self, lr: float = 0.1):
        self.lr = real("lr, the learning rate,", lr, 0, open_low=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g})"

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        for p, g in zip(params, grads, strict=True):
            p -= self.lr * g


class Momentum(SGD):
    """Gradient descent with heavy-ball momentum ``beta`` (Polyak 1964).

    >>> params, opt = [np.zeros(1)], Momentum(0.1, beta=0.5)
    >>> for _ in range(3):  # v = 1, 1.5, 1.75; theta = -0.1, -0.25, -0.425
    ...     opt.step(params, [np.ones(1)])
    >>> round(float(params[0][0]), 12)
    -0.425
    """

    def __init__(self, lr: float = 0.1, beta: float = 0.9):
        super().__init__(lr)
        self.beta = real("beta, the momentum,", beta, 0, 1, open_high=True)
        self._v: list[np.ndarray] | None = None

    def step(self, params, grads) -> None:
        if self._v is None:
            self._v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self._v, strict=True):
            v *= self.beta
            v += g
            p -= self.lr * v


class Adam(SGD):
    """Adam: steps of size about ``lr`` per parameter, whatever the gradient's scale.

    >>> params = [np.zeros(2)]
    >>> Adam(0.01).step(params, [np.array([1e-6, 1e3])])  # gradients 1e9 apart
    >>> params[0].round(4).tolist()  # the first step is lr g / (|g| + eps)
    [-0.0099, -0.01]
    """

    def __init__(
        self,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ):
        super().__init__(lr)
        self.beta1 = real("beta1", beta1, 0, 1, open_high=True)
        self.beta2 = real("beta2", beta2, 0, 1, open_high=True)
        self.eps = real("eps", eps, 0, open_low=True)
        self._t = 0
        self._m: list[np.ndarray] | None = None
        self._s: list[np.ndarray] | None = None

    def step(self, params, grads) -> None:
        if self._m is None:
            self._m = [np.zeros_like(p) for p in params]
            self._s = [np.zeros_like(p) for p in params]
        self._t += 1
        c1 = 1 - self.beta1**self._t
        c2 = 1 - self.beta2**self._t
        for p, g, m, s in zip(params, grads, self._m, self._s, strict=True):
            m *= self.beta1
            m += (1 - self.beta1) * g
            s *= self.beta2
            s += (1 - self.beta2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(s / c2) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
"""The optimisers by name."""


def optimizer(name: str | SGD, lr: float | None = None) -> SGD:
    """An optimiser from its name (``"sgd"``, ``"momentum"``, ``"adam"``) and ``lr``.

    >>> optimizer("momentum", 0.05), optimizer("Adam"), optimizer(SGD(0.2))
    (Momentum(lr=0.05), Adam(lr=0.001), SGD(lr=0.2))
    """
    if isinstance(name, SGD):
        return name
    if not isinstance(name, str):
        raise TypeError(f"optimiser must be a name ({', '.join(OPTIMIZERS)}) or an "
                        f"optimiser object, got {type(name).__name__}")
    try:
        cls = OPTIMIZERS[name.lower()]
    except KeyError:
        raise ValueError(
            f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}"
        ) from None
    return cls() if lr is None else cls(lr)


@dataclass
class History:
    """Records of one training run, taken after the epochs listed in ``epoch``.

    Entry 0 is the network as initialised (epoch 0). ``dead`` is the fraction of
    hidden units that are inactive (pre-activation :math:`\\le 0`) on every
    training input, as :func:`activations.nn.probes.dead_fraction` measures it.
    ``diverged`` is set when the loss stopped being a finite number.

    >>> h = History([0, 10], loss=[0.69, 0.2], accuracy=[0.5, 1.0], dead=[0.0, 0.25])
    >>> h.epochs, h.dead[-1], h.diverged
    (10, 0.25, False)
    """

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    dead: list[float] = field(default_factory=list)
    diverged: bool = False

    @property
    def epochs(self) -> int:
        """How many epochs the network has been trained for.

        >>> History().epochs, History([0, 5, 10], [1.0, 0.5, 0.2]).epochs
        (0, 10)
        """
        return self.epoch[-1] if self.epoch else 0

    def _record(self, net: MLP, X: np.ndarray, y: np.ndarray, epoch: int) -> None:
        zs, hs = net.hidden(X)
        last = hs[-1] if hs else X
        logits = last @ net.weights[-1] + net.biases[-1]
        self.epoch.append(epoch)
        self.loss.append(_loss(logits, y))
        self.accuracy.append(float(np.mean(np.argmax(logits, axis=1) == y)))
        self.dead.append(dead_fraction(net, X, zs=zs))
        self.diverged = self.diverged or not np.isfinite(self.loss[-1])


def train(
    net: MLP,
    X: np.ndarray,
    y: np.ndarray,
    opt: SGD | str = "adam",
    *,
    epochs: int = 100,
    batch_size: int | None = None,
    rng: int | np.random.Generator | None = None,
    history: History | None = None,
    record: bool = True,
) -> History:
    """Train ``net`` in place; return the history of the run.

    ``batch_size=None`` is full-batch gradient descent; otherwise every epoch
    visits the data once in a fresh random order (drawn from ``rng``). With
    ``record=True`` loss, accuracy and dead fraction are recorded after every
    epoch, otherwise only after the last one (half the work for full batches).
    Pass the same ``opt``, ``rng`` and ``history`` again to continue a run.

    A run whose loss overflows stops early with ``history.diverged`` set: too large
    a learning rate is one of the outcomes the experiments measure, so it is
    reported, not raised (and NumPy's overflow warnings are silenced for it).

    >>> X, y = np.array([[1, 0], [0, 1], [-1, 0], [0, -1]]), [0, 1, 0, 1]
    >>> net = MLP([2, 4, 2], "tanh", init="xavier", rng=0)
    >>> history = train(net, X, y, SGD(0.5), epochs=3)  # a few milliseconds
    >>> history.epoch, history.loss[-1] < history.loss[0], history.diverged
    ([0, 1, 2, 3], True, False)
    """
    opt = optimizer(opt)
    epochs = whole("epochs", epochs)
    if batch_size is not None:
        batch_size = whole("batch_size", batch_size)
    g = as_rng(rng)
    hist = history if history is not None else History()
    X = np.asarray(X, dtype=np.float64)
    y = net.labels(y, len(X))
    start = hist.epochs
    if not hist.epoch:
        hist._record(net, X, y, 0)
    n = len(X)
    size = n if batch_size is None else batch_size
    params = [net.flat]
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(start + 1, start + epochs + 1):
            if hist.diverged:
                break
            order = np.arange(n) if size >= n else g.permutation(n)
            for first in range(0, n, size):
                idx = order[first : first + size]
                opt.step(params, [net.backward(X[idx], y[idx], loss=False).flat])
            if record or epoch == start + epochs:
                hist._record(net, X, y, epoch)
            elif not np.isfinite(net.flat).all():
                hist._record(net, X, y, epoch)
    return hist


def _loss(logits: np.ndarray, y: np.ndarray) -> float:
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    return float(np.mean(log_norm - shifted[np.arange(len(y)), y]))
