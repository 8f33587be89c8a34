r"""A multilayer perceptron in NumPy, differentiated through the registry.

The network maps inputs :math:`h_0 = x` through hidden layers

.. math::

    z_\ell = h_{\ell-1} W_\ell + b_\ell, \qquad h_\ell = f(z_\ell),
    \qquad \ell = 1, \dots, D,

and a linear output layer :math:`z_{D+1} = h_D W_{D+1} + b_{D+1}` whose logits go
into a softmax cross-entropy loss. The backward pass is backpropagation written out:
:math:`\delta_{D+1} = (\operatorname{softmax}(z_{D+1}) - \text{onehot}(y))/n` and

.. math::

    \delta_\ell = \bigl(\delta_{\ell+1} W_{\ell+1}^\top\bigr) \odot f'(z_\ell),
    \qquad \frac{\partial L}{\partial W_\ell} = h_{\ell-1}^\top \delta_\ell,

with :math:`f'` the registry's hand-written ``derivative``, never autodiff.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..registry import Activation, get
from .data import as_rng, real, whole

__all__ = ["INITS", "MLP", "Pass", "init_std", "numeric_gradient"]

INITS = {
    "normal": "N(0, sigma^2), the same sigma in every layer",
    "xavier": "N(0, 2 / (fan_in + fan_out))  (Glorot & Bengio 2010)",
    "he": "N(0, 2 / fan_in)  (He et al. 2015)",
    "lecun": "N(0, 1 / fan_in)  (LeCun et al. 1998)",
}
"""The weight initialisations, each a zero-mean normal of the given variance."""

_ALIASES = {"glorot": "xavier", "kaiming": "he"}


def _init_name(init: str) -> str:
    if not isinstance(init, str):
        raise TypeError("init must be the name of an initialisation "
                        f"({', '.join(INITS)}), got {type(init).__name__}")
    key = init.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in INITS:
        raise ValueError(
            f"unknown initialisation {init!r}; choose one of {', '.join(INITS)} "
            "(or the aliases glorot, kaiming)"
        )
    return key


def init_std(init: str, fan_in: int, fan_out: int, sigma: float = 0.01) -> float:
    """Standard deviation of the weights of one layer under an initialisation.

    Examples
    --------
    >>> init_std("he", 50, 10), init_std("lecun", 4, 1), init_std("xavier", 60, 40)
    (0.2, 0.5, 0.1414213562373095)
    """
    key = _init_name(init)
    fan_in = whole("fan_in", fan_in)
    fan_out = whole("fan_out", fan_out)
    if key == "normal":
        return real("sigma, the standard deviation of the weights,", sigma, 0)
    var = {"xavier": 2 / (fan_in + fan_out), "he": 2 / fan_in, "lecun": 1 / fan_in}
    return math.sqrt(var[key])


@dataclass
class Pass:
    """What one forward and backward pass computed, kept for the probes.

    ``z[l]`` and ``h[l]`` are the pre-activations and activations of hidden layer
    ``l + 1``; ``delta[l]`` is :math:`\\partial L / \\partial z` of layer ``l + 1``
    (the last entry belongs to the output layer); ``grads`` are the gradients of
    the weights and biases, in the order of :meth:`MLP.parameters`, and ``flat``
    the same numbers as one vector laid out like :attr:`MLP.flat`.

    >>> net = MLP([2, 3, 2], "tanh", rng=0)
    >>> step = net.backward(np.ones((4, 2)), np.array([0, 1, 0, 1]))
    >>> [z.shape for z in step.z], [d.shape for d in step.delta], step.flat.shape
    ([(4, 3)], [(4, 3), (4, 2)], (17,))
    """

    loss: float
    logits: np.ndarray
    z: list[np.ndarray]
    h: list[np.ndarray]
    delta: list[np.ndarray]
    grads: list[np.ndarray]

    @property
    def flat(self) -> np.ndarray:
        return np.concatenate([g.ravel() for g in self.grads])


class MLP:
    """A fully connected network with one activation in every hidden layer.

    Parameters
    ----------
    sizes
        Layer widths from input to output, e.g. ``[2, 16, 16, 2]``: two hidden
        layers of 16 units and two output classes.
    activation
        A registered elementwise activation (name, alias or object).
    init
        ``"normal"`` (standard deviation ``sigma``), ``"xavier"``/``"glorot"``,
        ``"he"``/``"kaiming"`` or ``"lecun"``: see :data:`INITS`.
    sigma
        Standard deviation for ``init="normal"``.
    bias
        The constant every bias starts at (0 is the usual choice).
    rng
        Seed or ``Generator`` for the weights; the same seed gives the same network.
    activation_params
        Parameters of the activation, e.g. ``{"negative_slope": 0.1}``.

    Examples
    --------
    >>> net = MLP([2, 8, 2], "tanh", init="xavier", rng=0)
    >>> [w.shape for w in net.weights]
    [(2, 8), (8, 2)]
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "relu",
        *,
        init: str = "he",
        sigma: float = 0.01,
        bias: float = 0.0,
        rng: int | np.random.Generator | None = None,
        activation_params: Mapping[str, float] | None = None,
    ):
        if isinstance(sizes, str) or not isinstance(sizes, Sequence | np.ndarray):
            raise TypeError("sizes must be a list of layer widths, e.g. [2, 16, 2]; "
                            f"got {type(sizes).__name__}")
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least two widths (input and "
                             f"output), got {list(sizes)}")
        sizes = [whole(f"sizes[{i}], a layer width,", s) for i, s in enumerate(sizes)]
        real("sigma, the standard deviation of the weights,", sigma, 0)
        bias = real("bias, the initial value of every bias,", bias)
        self.sizes = sizes
        self.activation = get(activation)
        if not self.activation.elementwise:
            raise ValueError(f"{self.activation.name} is not elementwise")
        self.params = self.activation.bind(activation_params or {})
        self.init = _init_name(init)
        g = as_rng(rng)
        shapes = [(i, o) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
        # All parameters live in one flat vector; the weights and biases are views
        # into it, so an optimiser updates everything with a few vector operations.
        self.flat = np.empty(sum(i * o + o for i, o in shapes))
        self._views(shapes)
        for W, b in zip(self.weights, self.biases, strict=True):
            fan_in, fan_out = W.shape
            W[...] = g.normal(0.0, init_std(self.init, fan_in, fan_out, sigma), W.shape)
            b[...] = bias

    def _views(self, shapes: list[tuple[int, int]]) -> None:
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        k = 0
        for fan_in, fan_out in shapes:
            n = fan_in * fan_out
            self.weights.append(self.flat[k : k + n].reshape(fan_in, fan_out))
            k += n
            self.biases.append(self.flat[k : k + fan_out])
            k += fan_out

    def __repr__(self) -> str:
        shown = "-".join(map(str, self.sizes))
        return f"<MLP {shown} {self.activation.name} init={self.init}>"

    @property
    def depth(self) -> int:
        """The number of hidden layers.

        >>> MLP([2, 16, 16, 2]).depth
        2
        """
        return len(self.sizes) - 2

    def parameters(self) -> list[np.ndarray]:
        """Weights and biases, interleaved: ``[W1, b1, W2, b2, ...]`` (live views).

        >>> net = MLP([2, 8, 2], rng=0)
        >>> [p.shape for p in net.parameters()]
        [(2, 8), (8,), (8, 2), (2,)]
        >>> np.shares_memory(net.parameters()[0], net.flat)
        True
        """
        return [p for wb in zip(self.weights, self.biases, strict=True) for p in wb]

    def copy(self) -> MLP:
        """An independent copy (same architecture, copied parameters).

        >>> net = MLP([2, 4, 2], rng=0)
        >>> twin = net.copy()
        >>> twin.flat[:] = 0.0
        >>> float(np.abs(net.flat).max()) > 0, float(np.abs(twin.weights[0]).max())
        (True, 0.0)
        """
        new = object.__new__(MLP)
        new.__dict__.update(self.__dict__)
        new.flat = self.flat.copy()
        new._views([w.shape for w in self.weights])
        return new

    # --- forward -------------------------------------------------------------------
    def f(self, z: np.ndarray) -> np.ndarray:
        return self.activation(z, **self.params)

    def hidden(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations and activations of every hidden layer for inputs ``X``.

        >>> net = MLP([2, 8, 8, 2], "tanh", rng=0)
        >>> zs, hs = net.hidden(np.ones((5, 2)))
        >>> [z.shape for z in zs], bool(np.allclose(hs[1], np.tanh(zs[1])))
        ([(5, 8), (5, 8)], True)
        """
        zs, hs, _ = self._hidden(X, slopes=False)
        return zs, hs

    def _hidden(self, X: np.ndarray, *, slopes: bool):
        """:meth:`hidden`, plus f'(z) of every layer when ``slopes`` (computed with
        the value, as a training step needs both), else an empty list."""
        h = np.asarray(X, dtype=np.float64)
        zs, hs, ds = [], [], []
        for W, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            z = _affine(h, W, b)
            if slopes:
                h, d = self.activation.value_and_derivative(z, **self.params)
                ds.append(d)
            else:
                h = self.f(z)
            zs.append(z)
            hs.append(h)
        return zs, hs, ds

    def logits(self, X: np.ndarray) -> np.ndarray:
        """The output layer's values (before the softmax).

        >>> MLP([2, 8, 3], rng=0).logits(np.ones((5, 2))).shape  # 5 inputs, 3 classes
        (5, 3)
        """
        _, hs = self.hidden(X)
        last = hs[-1] if hs else np.asarray(X, dtype=np.float64)
        return last @ self.weights[-1] + self.biases[-1]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, a softmax of the logits (max-subtracted, stable).

        >>> net = MLP([2, 4, 2], init="normal", sigma=0.0)  # weights 0: logits 0
        >>> net.predict_proba(np.ones((2, 2))).tolist()
        [[0.5, 0.5], [0.5, 0.5]]
        """
        return _softmax(self.logits(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class of every input.

        >>> net = MLP([2, 2], init="normal", sigma=0.0)  # no hidden layer: x W + b
        >>> net.weights[0][...] = np.eye(2)  # the larger coordinate wins
        >>> net.predict(np.array([[2.0, 1.0], [0.0, 3.0]])).tolist()
        [0, 1]
        """
        return np.argmax(self.logits(X), axis=1)

    def labels(self, y: np.ndarray, n: int) -> np.ndarray:
        """``y`` checked as ``n`` class labels, integers in ``[0, classes)``.

        A label array of shape (n, 1) would broadcast against (n,) predictions
        into an (n, n) comparison, and a label of -1 would index the last class:
        both give a wrong loss, gradient or accuracy without an error.

        >>> net = MLP([2, 4, 2], rng=0)
        >>> net.labels([1, 0, 1], 3)
        array([1, 0, 1])
        >>> net.labels([0, 2, 1], 3)
        Traceback (most recent call last):
        ValueError: labels must lie in [0, 1] for 2 classes; got values from 0 to 2
        """
        y = np.asarray(y)
        classes = self.weights[-1].shape[1]
        if y.shape != (n,):
            raise ValueError(f"labels must have shape ({n},), one per input; "
                             f"got shape {y.shape}")
        if y.dtype.kind not in "iu":
            raise ValueError(f"labels must be integers, got dtype {y.dtype}")
        if n and (y.min() < 0 or y.max() >= classes):
            raise ValueError(f"labels must lie in [0, {classes - 1}] for {classes} "
                             f"classes; got values from {y.min()} to {y.max()}")
        return y

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        """Fraction of inputs classified correctly.

        >>> net = MLP([2, 2], init="normal", sigma=0.0)
        >>> net.weights[0][...] = np.eye(2)  # predicts the larger coordinate
        >>> net.accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
        0.5
        """
        predicted = self.predict(X)
        return float(np.mean(predicted == self.labels(y, len(predicted))))

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean softmax cross-entropy of the labels ``y``.

        >>> net = MLP([2, 4, 2], init="normal", sigma=0.0)  # p = 1/2 for each class
        >>> net.loss(np.ones((3, 2)), np.array([0, 1, 1])) == math.log(2)
        True
        """
        logits = self.logits(X)
        return _cross_entropy(logits, self.labels(y, len(logits)))

    # --- backward ------------------------------------------------------------------
    def backward(self, X: np.ndarray, y: np.ndarray, *, loss: bool = True) -> Pass:
        """Loss and gradients of the mean cross-entropy, by backpropagation.

        ``loss=False`` skips evaluating the loss itself (``Pass.loss`` is then NaN):
        a training step needs only the gradients.

        >>> net = MLP([2, 3, 2], "tanh", rng=0)
        >>> X, y = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0, 1])
        >>> step = net.backward(X, y)
        >>> step.loss == net.loss(X, y), [g.shape for g in step.grads]
        (True, [(2, 3), (3,), (3, 2), (2,)])
        """
        X = np.asarray(X, dtype=np.float64)
        y = self.labels(y, len(X))
        zs, hs, ds = self._hidden(X, slopes=True)
        inputs = [X, *hs]
        out = inputs[-1] @ self.weights[-1] + self.biases[-1]
        n = len(X)
        delta = _softmax(out)
        delta[np.arange(n), y] -= 1.0
        delta /= n
        deltas = [delta]
        grads: list[np.ndarray] = []
        for k in range(len(self.weights) - 1, -1, -1):
            grads.append(delta.sum(axis=0))  # bias
            grads.append(inputs[k].T @ delta)  # weight
            if k > 0:
                delta = (delta @ self.weights[k].T) * ds[k - 1]
                deltas.append(delta)
        grads.reverse()
        deltas.reverse()
        value = _cross_entropy(out, y) if loss else float("nan")
        return Pass(value, out, zs, hs, deltas, grads)


_SMALL_PRODUCT = 2**18
"""OpenBLAS runs a matrix product ``m x k @ k x n`` on one thread below
``m * k * n = 2**18`` (its default threshold) and splits it over threads above."""


def _affine(h: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``h @ W + b``, in row blocks that stay single-threaded when layers are small.

    A probe's forward pass over a whole data set multiplies many rows by a small
    matrix. Split over threads, such a product gains nothing, and on a busy machine
    the threads wait for each other: a whole page ran several times slower. Row
    blocks under the threshold keep every product on one thread; wide layers, where
    threads do pay off, are left alone.
    """
    rows = _SMALL_PRODUCT // (W.shape[0] * W.shape[1])
    if rows < 32 or len(h) <= rows:
        return h @ W + b
    return np.concatenate([h[i : i + rows] @ W for i in range(0, len(h), rows)]) + b


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _cross_entropy(logits: np.ndarray, y: np.ndarray) -> float:
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    return float(np.mean(log_norm - shifted[np.arange(len(y)), y]))


def numeric_gradient(
    net: MLP, X: np.ndarray, y: np.ndarray, h: float = 1e-6
) -> list[np.ndarray]:
    """Central finite differences of the loss in every parameter (slow; for tests).

    >>> net = MLP([2, 3, 2], "tanh", rng=0)
    >>> X, y = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0, 1])
    >>> exact, approx = net.backward(X, y).grads, numeric_gradient(net, X, y)
    >>> max(float(np.abs(a - b).max()) for a, b in zip(exact, approx)) < 1e-8
    True
    """
    out = []
    for p in net.parameters():
        g = np.empty_like(p)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            keep = flat[i]
            flat[i] = keep + h
            up = net.loss(X, y)
            flat[i] = keep - h
            down = net.loss(X, y)
            flat[i] = keep
            gflat[i] = (up - down) / (2 * h)
        out.append(g)
    return out
