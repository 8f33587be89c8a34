"""The experiments of the gradients chapter: each a function returning its numbers.

Every experiment is seeded and deterministic; a page calls one function, shows a
table (``.table()``, an :class:`~activations.tables.HTMLTable`) and hands the
result to :mod:`activations.nn.figures` for plots and pre-rendered explorer frames.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import integrate

from ..registry import get
from ..tables import HTMLTable
from .data import DATASETS, as_rng, split, whole
from .network import MLP, init_std
from .optim import History, optimizer, train
from .probes import LayerStats, activation_stats, layer_gradients

__all__ = [
    "BornDead",
    "CircleSweep",
    "Config",
    "Curves",
    "DeadSweep",
    "GradientFlow",
    "Table",
    "born_dead",
    "circles_sweep",
    "compare",
    "dead_sweep",
    "default_init",
    "gradient_flow",
    "init_label",
    "keras_circles",
    "moments_table",
    "normal_moments",
    "predicted_factor",
    "propagate",
    "run",
    "stats_table",
]


class Table(HTMLTable):
    """An :class:`~activations.tables.HTMLTable` with room between its columns.

    Tables of numbers side by side (accuracies per width, say) need more than the
    book's default cell padding to stay readable.

    >>> t = Table(["width", "accuracy"], [["4", "90%"]])
    >>> print(repr(t))
    width | accuracy
    4 | 90%
    >>> "padding: 0.15em 0.7em" in t._repr_html_()
    True
    """

    def _repr_html_(self) -> str:
        cell = "padding: 0.15em 0.7em; text-align: left"
        head = "".join(f"<th style='{cell}'>{html.escape(h)}</th>"
                       for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td style='{cell}'>{html.escape(c)}</td>" for c in row)
            + "</tr>"
            for row in self.rows
        )
        return f"<table class='registry-table'><tr>{head}</tr>{body}</table>"


def init_label(init: str | tuple[str, float]) -> str:
    """A short name for an initialisation, e.g. ``"He"`` or ``"normal σ=1"``.

    >>> init_label("he"), init_label("glorot"), init_label(("normal", 1.0))
    ('He', 'Xavier', 'normal σ=1')
    """
    if isinstance(init, tuple):
        name, sigma = init
        return f"{name} σ={sigma:g}"
    return {"xavier": "Xavier", "glorot": "Xavier", "he": "He", "kaiming": "He",
            "lecun": "LeCun", "normal": "normal σ=0.01"}[init]


def _init_kw(init: str | tuple[str, float]) -> dict[str, Any]:
    if isinstance(init, tuple):
        return {"init": init[0], "sigma": float(init[1])}
    return {"init": init}


def _data(name: str, n: int, rng: int) -> tuple[np.ndarray, np.ndarray]:
    """A data set scaled to unit variance per coordinate (what a network expects)."""
    X, y = DATASETS[name](n, rng=rng)
    return X / X.std(axis=0), y


# --- 1. gradients through depth ----------------------------------------------------
@dataclass
class GradientFlow:
    """Per-layer gradient norms at initialisation for activations x inits x depths.

    ``norms[(activation, init_label, depth)]`` holds :math:`\\|\\partial L/\\partial
    z_\\ell\\|` for the hidden layers ``1..depth`` (input side first).

    >>> flow = GradientFlow(["relu"], ["He"], [3], 64, ["he"],
    ...                     {("relu", "He", 3): np.array([4.0, 2.0, 1.0])})
    >>> flow.norms[("relu", "He", 3)].tolist()  # layer 1 (input side) first
    [4.0, 2.0, 1.0]
    """

    activations: list[str]
    inits: list[str]
    depths: list[int]
    width: int
    init_specs: list[str | tuple[str, float]] = field(default_factory=list)
    norms: dict[tuple[str, str, int], np.ndarray] = field(default_factory=dict)

    def ratio(self, activation: str, init: str, depth: int) -> float:
        """First over last hidden layer: < 1 vanishing, > 1 exploding.

        >>> flow = GradientFlow(["relu"], ["He"], [3], 64, ["he"],
        ...                     {("relu", "He", 3): np.array([4.0, 2.0, 1.0])})
        >>> flow.ratio("relu", "He", 3)  # 4 / 1: exploding toward the input
        4.0
        """
        g = self.norms[(activation, init, depth)]
        return float(g[0] / g[-1])

    def factor(self, activation: str, init: str, depth: int) -> float:
        """The geometric mean of the per-layer factors, ``ratio ** (1/(depth-1))``.

        >>> flow = GradientFlow(["relu"], ["He"], [3], 64, ["he"],
        ...                     {("relu", "He", 3): np.array([4.0, 2.0, 1.0])})
        >>> flow.factor("relu", "He", 3)  # a ratio of 4 over two steps: 2 a layer
        2.0
        """
        return self.ratio(activation, init, depth) ** (1 / (depth - 1))

    def table(self, depth: int | None = None) -> HTMLTable:
        """Ratio first/last layer (and per-layer factor), activation by init.

        >>> flow = GradientFlow(["relu"], ["He"], [3], 64, ["he"],
        ...                     {("relu", "He", 3): np.array([4.0, 2.0, 1.0])})
        >>> print(repr(flow.table()))
        activation | He
        ReLU | 4.0e+00 (×2.00)
        """
        depth = depth or max(self.depths)
        rows = []
        for a in self.activations:
            cells = [get(a).title]
            for i in self.inits:
                cells.append(f"{self.ratio(a, i, depth):.1e} "
                             f"(×{self.factor(a, i, depth):.2f})")
            rows.append(cells)
        return Table(["activation", *self.inits], rows)

    def factors_table(self, depth: int | None = None) -> HTMLTable:
        """Measured per-layer factor next to :func:`predicted_factor`, per cell.

        >>> flow = GradientFlow(["relu"], ["He"], [3], 64, ["he"],
        ...                     {("relu", "He", 3): np.array([4.0, 2.0, 1.0])})
        >>> print(repr(flow.factors_table()))  # measured 2; He predicts 1 for ReLU
        activation | He
        ReLU | 2.00 / 1.00
        """
        depth = depth or max(self.depths)
        rows = []
        for a in self.activations:
            cells = [get(a).title]
            for label, init in zip(self.inits, self.init_specs, strict=True):
                cells.append(f"{self.factor(a, label, depth):.2f} / "
                             f"{predicted_factor(a, init, self.width):.2f}")
            rows.append(cells)
        return Table(["activation", *self.inits], rows)


def gradient_flow(
    activations: Sequence[str] = ("sigmoid", "tanh", "relu", "gelu", "selu"),
    inits: Sequence[str | tuple[str, float]] = (("normal", 1.0), "xavier", "he",
                                                "lecun"),
    depths: Sequence[int] = (10, 20, 30, 40, 50),
    *,
    width: int = 64,
    n: int = 60,
    data: str = "spirals",
    seed: int = 0,
) -> GradientFlow:
    """Backpropagate once through freshly initialised deep networks and measure.

    One batch of ``n`` points of ``data``; every network of a given activation and
    initialisation is drawn from the same seed, so only depth changes between them.

    The default batch keeps each product (``n x 64 x 64``) below the size at
    which OpenBLAS splits a matrix product over threads: for products this small
    the threads cost more than they save, and on a busy machine, where they wait
    for each other, the experiment ran five times slower with 128 points.

    >>> flow = gradient_flow(("relu", "tanh"), ("he",), (3, 5), width=8, n=10)
    >>> flow.inits, flow.norms[("tanh", "He", 5)].shape
    (['He'], (5,))
    """
    X, y = _data(data, n, seed)
    out = GradientFlow(list(activations), [init_label(i) for i in inits],
                       list(depths), width, list(inits))
    for a in activations:
        for init in inits:
            for depth in depths:
                net = MLP([2, *[width] * depth, 2], a, rng=seed, **_init_kw(init))
                g = layer_gradients(net, X, y)
                out.norms[(a, init_label(init), depth)] = g.preactivations
    return out


def normal_moments(activation: str, variance: float = 1.0,
                   derivative: bool = False) -> tuple[float, float]:
    """Mean and second moment of ``f(z)`` (or ``f'(z)``) for ``z ~ N(0, variance)``.

    Computed by quadrature on the registry's function, split at its kinks (where
    the integrand bends) and cut at 12 standard deviations (beyond, the normal
    density is below 1e-32).

    >>> m1, m2 = normal_moments("relu")  # 1/sqrt(2 pi) and 1/2
    >>> round(m1, 6), round(m2, 6), round(float(1 / np.sqrt(2 * np.pi)), 6)
    (0.398942, 0.5, 0.398942)
    >>> normal_moments("relu", derivative=True)  # f' is 1 with probability 1/2
    (0.5, 0.5)
    """
    a = get(activation)
    g = a.derivative if derivative else a
    s = float(np.sqrt(variance))

    def density(t: float) -> float:
        return float(np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi))

    cuts = sorted({-12.0, *(at / s for at in a.kink_points()), 12.0})
    pieces = list(zip(cuts[:-1], cuts[1:], strict=True))
    m1 = sum(integrate.quad(lambda t: float(g(s * t)) * density(t), lo, hi)[0]
             for lo, hi in pieces)
    m2 = sum(integrate.quad(lambda t: float(g(s * t)) ** 2 * density(t), lo, hi)[0]
             for lo, hi in pieces)
    return m1, m2


def moments_table(activations: Sequence[str]) -> HTMLTable:
    """:math:`\\mathbb{E}[f(z)]`, :math:`\\mathbb{E}[f(z)^2]` and
    :math:`\\mathbb{E}[f'(z)^2]` for a standard normal ``z``, one row per activation.

    >>> print(repr(moments_table(["relu", "tanh"])))
    activation | E[f(z)] | E[f(z)²] | E[f′(z)²]
    ReLU | 0.3989 | 0.5000 | 0.5000
    Tanh | 0.0000 | 0.3943 | 0.4644
    """
    rows = []
    for a in activations:
        mean, second = normal_moments(a)
        slope2 = normal_moments(a, derivative=True)[1]
        rows.append([get(a).title, f"{mean:.4f}", f"{second:.4f}", f"{slope2:.4f}"])
    return Table(["activation", "E[f(z)]", "E[f(z)²]", "E[f′(z)²]"], rows)


def predicted_factor(activation: str, init: str | tuple[str, float],
                     width: int = 64) -> float:
    """The per-layer gradient factor :math:`\\sqrt{n\\,\\sigma_w^2\\,
    \\mathbb{E}[f'(z)^2]}` for unit-variance pre-activations ``z``.

    Backpropagation through one random layer multiplies the squared gradient norm
    by about :math:`n\\sigma_w^2\\,\\mathbb{E}[f'(z)^2]`; this is its square root.

    >>> predicted_factor("relu", "he", 64)  # 64 (2/64) (1/2) = 1: He keeps the norm
    1.0
    >>> round(predicted_factor("relu", ("normal", 1.0), 64) ** 2, 9)  # 64 (1) (1/2)
    32.0
    """
    kw = _init_kw(init)
    std = init_std(kw["init"], width, width, kw.get("sigma", 0.01))
    return float(np.sqrt(width * std**2 * normal_moments(activation,
                                                         derivative=True)[1]))


# --- 2. training runs: dead units --------------------------------------------------
@dataclass(frozen=True)
class Config:
    """One training run: network, initialisation, optimiser, data, seed.

    >>> Config().network()
    <MLP 2-32-32-32-2 relu init=he>
    >>> Config(activation="tanh", hidden=(4,), init="xavier").network()
    <MLP 2-4-2 tanh init=xavier>
    """

    activation: str = "relu"
    hidden: tuple[int, ...] = (32, 32, 32)
    init: str = "he"
    bias: float = 0.0
    optimizer: str = "sgd"
    lr: float = 0.1
    epochs: int = 30
    batch_size: int | None = 32
    data: str = "spirals"
    n: int = 300
    seed: int = 0
    activation_params: tuple[tuple[str, float], ...] = ()

    def network(self) -> MLP:
        return MLP([2, *self.hidden, 2], self.activation, init=self.init,
                   bias=self.bias, rng=self.seed,
                   activation_params=dict(self.activation_params))


def run(config: Config, *, record: bool = True) -> tuple[MLP, History]:
    """Train one network as ``config`` says; return it and its history.

    >>> net, history = run(Config(hidden=(4,), epochs=2, n=20, batch_size=None))
    >>> net, history.epoch  # two epochs on 20 points: a few milliseconds
    (<MLP 2-4-2 relu init=he>, [0, 1, 2])
    """
    X, y = _data(config.data, config.n, 0)
    net = config.network()
    hist = train(net, X, y, optimizer(config.optimizer, config.lr),
                 epochs=config.epochs, batch_size=config.batch_size,
                 rng=config.seed, record=record)
    return net, hist


@dataclass
class DeadSweep:
    """Dead fraction over training, per activation, learning rate and bias init.

    >>> h = History([0, 30], loss=[0.7, 0.3], accuracy=[0.5, 0.9], dead=[0.0, 0.25])
    >>> sweep = DeadSweep(["relu"], lrs=[0.1], biases=[0.0], seeds=1,
    ...                   histories={("relu", 0.1, 0.0): [h]})
    >>> sweep.final("relu", 0.1, 0.0)  # dead fraction, accuracy, runs diverged
    (0.25, 0.9, 0)
    """

    activations: list[str]
    lrs: list[float]
    biases: list[float]
    seeds: int
    histories: dict[tuple[str, float, float], list[History]] = field(
        default_factory=dict)

    def final(self, a: str, lr: float, bias: float) -> tuple[float, float, int]:
        """Mean final dead fraction, mean final accuracy, number of diverged runs.

        A diverged run (its weights overflowed) is left out of the dead-fraction
        mean: its units are not dead but undefined.

        >>> ok = History([0, 30], [0.7, 0.3], accuracy=[0.5, 0.9], dead=[0.0, 0.25])
        >>> bad = History([0, 3], [0.7, np.inf], [0.5, 0.5], [0.0, 1.0], diverged=True)
        >>> runs = {("relu", 1.0, 0.0): [ok, bad]}
        >>> sweep = DeadSweep(["relu"], [1.0], [0.0], 2, runs)
        >>> sweep.final("relu", 1.0, 0.0)  # the diverged run counts for accuracy only
        (0.25, 0.7, 1)
        """
        hs = self.histories[(a, lr, bias)]
        ok = [h for h in hs if not h.diverged]
        dead = float(np.mean([h.dead[-1] for h in ok])) if ok else float("nan")
        acc = float(np.mean([h.accuracy[-1] for h in hs]))
        return dead, acc, len(hs) - len(ok)

    def table(self) -> HTMLTable:
        """Final dead fraction and accuracy for every combination (seed means).

        >>> h = History([0, 30], [0.7, 0.3], accuracy=[0.5, 0.9], dead=[0.0, 0.25])
        >>> sweep = DeadSweep(["relu"], [0.1], [0.0], 1, {("relu", 0.1, 0.0): [h]})
        >>> print(repr(sweep.table()))
        activation | initial bias | lr 0.1: dead / accuracy
        ReLU | 0 | 25% / 90%
        """
        head = ["activation", "initial bias"] + [f"lr {lr:g}: dead / accuracy"
                                                 for lr in self.lrs]
        rows = []
        for a in self.activations:
            for b in self.biases:
                cells = [get(a).title, f"{b:g}"]
                for lr in self.lrs:
                    dead, acc, div = self.final(a, lr, b)
                    cells.append(f"{div} of {self.seeds} diverged" if div == self.seeds
                                 else f"{dead:.0%} / {acc:.0%}")
                rows.append(cells)
        return Table(head, rows)


def dead_sweep(
    activations: Sequence[str] = ("relu", "leaky_relu", "elu", "gelu"),
    lrs: Sequence[float] = (0.1, 0.5, 1.0),
    biases: Sequence[float] = (0.0, -0.5),
    *,
    seeds: int = 2,
    base: Config | None = None,
) -> DeadSweep:
    """Train every combination for ``base.epochs`` epochs; record dead fractions.

    ``base`` (default: :class:`Config`'s defaults) fixes everything else: the
    network, the data, SGD with mini-batches of 32.

    >>> base = Config(hidden=(4,), epochs=1, n=20)  # tiny: a few milliseconds
    >>> sweep = dead_sweep(("relu",), (0.1,), (0.0, -0.5), seeds=1, base=base)
    >>> sorted(sweep.histories)
    [('relu', 0.1, -0.5), ('relu', 0.1, 0.0)]
    """
    seeds = whole("seeds", seeds)
    base = base or Config()
    out = DeadSweep(list(activations), list(lrs), list(biases), seeds)
    for a in activations:
        for b in biases:
            for lr in lrs:
                out.histories[(a, lr, b)] = [
                    run(replace(base, activation=a, lr=lr, bias=b, seed=s))[1]
                    for s in range(seeds)
                ]
    return out


def compare(
    configs: Mapping[str, Config], *, seeds: int = 2
) -> tuple[HTMLTable, dict[str, list[History]]]:
    """Train named configurations (each with several seeds) and tabulate them.

    >>> table, runs = compare({"He": Config(hidden=(4,), epochs=1, n=20)}, seeds=1)
    >>> table.header, runs["He"][0].epoch
    (['', 'setting', 'dead at start', 'dead at end', 'accuracy'], [0, 1])
    """
    seeds = whole("seeds", seeds)
    runs = {name: [run(replace(c, seed=s))[1] for s in range(seeds)]
            for name, c in configs.items()}
    rows = []
    for name, hs in runs.items():
        c = configs[name]
        rows.append([
            name,
            f"{get(c.activation).title}, {init_label(c.init)}, bias {c.bias:g}, "
            f"{c.optimizer} lr {c.lr:g}",
            f"{np.mean([h.dead[0] for h in hs]):.0%}",
            f"{np.mean([h.dead[-1] for h in hs]):.0%}",
            f"{np.mean([h.accuracy[-1] for h in hs]):.0%}",
        ])
    head = ["", "setting", "dead at start", "dead at end", "accuracy"]
    return Table(head, rows), runs


# --- 3. networks born dead ---------------------------------------------------------
@dataclass
class BornDead:
    """Probability that a random ReLU network is constant on its input domain.

    >>> b = born_dead(widths=(2, 4), max_depth=5, trials=500)
    >>> b.probability.shape  # one row per width, one column per depth 1..5
    (2, 5)
    """

    widths: list[int]
    max_depth: int
    trials: int
    probability: np.ndarray
    """``probability[i, L - 1]``: width ``widths[i]``, ``L`` hidden layers."""

    def upper(self, width: int, depth: int | np.ndarray) -> np.ndarray:
        """:math:`1 - (1 - 2^{-N})^L`, the probability of being dead at one input.

        Given a nonzero input, each unit of a bias-free layer with symmetric
        weights is active with probability 1/2, independently of the others, so a
        layer of width ``N`` zeroes it with probability :math:`2^{-N}`. A network
        that is constant on [-1, 1] is dead at ``x = 1`` in particular.

        >>> b = BornDead([2], 2, 0, np.zeros((1, 2)))
        >>> b.upper(2, np.array([1, 2])).tolist()  # 1 - (3/4)^L
        [0.25, 0.4375]
        """
        return 1 - (1 - 2.0**-width) ** np.asarray(depth)

    def lower(self, width: int, depth: int | np.ndarray) -> np.ndarray:
        """:math:`1 - 2(1 - 2^{-N})^L`, floored at 0.

        A bias-free network is positively homogeneous, so with one input it is
        constant on [-1, 1] exactly when it is dead at both ``x = 1`` and
        ``x = -1``; two events of probability ``p`` each happen together with
        probability at least ``2p - 1``.

        >>> b = BornDead([1], 3, 0, np.zeros((1, 3)))
        >>> b.lower(1, np.array([1, 2, 3])).tolist()  # 1 - 2 (1/2)^L, at least 0
        [0.0, 0.5, 0.75]
        """
        return np.maximum(0.0, 1 - 2 * (1 - 2.0**-width) ** np.asarray(depth))

    def table(self, depths: Sequence[int] = (1, 5, 10, 20, 30, 50)) -> HTMLTable:
        r"""The simulated probability, one row per width, one column per depth.

        >>> b = born_dead(widths=(1,), max_depth=3, trials=4000)
        >>> print(repr(b.table(depths=(1, 2, 3))))  # in truth 0, 1/2, 3/4 for N = 1
        width N \ depth L | 1 | 2 | 3
        1 | 0.000 | 0.503 | 0.745
        """
        head = ["width N \\ depth L", *map(str, depths)]
        rows = [[f"{n}"] + [f"{self.probability[i, d - 1]:.3f}" for d in depths]
                for i, n in enumerate(self.widths)]
        return Table(head, rows)

    def bounds_table(self, depths: Sequence[int] = (1, 5, 10, 20, 30, 50)
                     ) -> HTMLTable:
        r"""The lower and upper bounds for the same widths and depths.

        >>> b = BornDead([1], 3, 0, np.zeros((1, 3)))
        >>> print(repr(b.bounds_table(depths=(1, 2, 3))))
        width N \ depth L | 1 | 2 | 3
        1 | 0.00–0.50 | 0.50–0.75 | 0.75–0.88
        """
        head = ["width N \\ depth L", *map(str, depths)]
        rows = [[f"{n}"] + [f"{self.lower(n, d):.2f}–{self.upper(n, d):.2f}"
                            for d in depths]
                for n in self.widths]
        return Table(head, rows)


def born_dead(
    widths: Sequence[int] = (2, 3, 4, 5, 10),
    max_depth: int = 50,
    *,
    trials: int = 2000,
    points: int = 41,
    seed: int = 0,
) -> BornDead:
    """Simulate bias-free ReLU networks of input dimension 1 on the interval [-1, 1].

    Weights are He-normal (any symmetric distribution gives the same answer, since
    only signs matter for whether a unit is active); a network is *born dead* when
    some hidden layer is inactive on every input of the grid, because from that
    layer on it computes a constant. All trials are simulated at once, one layer at
    a time, and the first dead layer of each recorded: a network of depth ``L`` is
    dead if that layer is at most ``L``.

    >>> b = born_dead(widths=(1,), max_depth=3, trials=4000)
    >>> b.probability.round(2).tolist()  # width 1: in truth 0, 1/2 and 3/4
    [[0.0, 0.5, 0.74]]
    """
    g = as_rng(seed)
    x = np.linspace(-1.0, 1.0, points)
    prob = np.empty((len(widths), max_depth))
    for i, n in enumerate(widths):
        first_dead = np.full(trials, max_depth + 1)
        h = x[None, :, None] * g.normal(0, np.sqrt(2.0), (trials, 1, n))
        for depth in range(1, max_depth + 1):
            if depth > 1:
                w = g.normal(0, np.sqrt(2.0 / n), (trials, n, n))
                h = np.matmul(h, w)  # one product per trial, batched
            dead = ~np.any(h > 0, axis=(1, 2))
            first_dead = np.where(dead & (first_dead > depth), depth, first_dead)
            h = np.maximum(h, 0)
        prob[i] = [np.mean(first_dead <= d) for d in range(1, max_depth + 1)]
    return BornDead(list(widths), max_depth, trials, prob)


# --- 4. self-normalisation ---------------------------------------------------------
def propagate(
    activation: str,
    init: str,
    *,
    depth: int = 50,
    width: int = 256,
    n: int = 1000,
    mean: float = 0.0,
    var: float = 1.0,
    seed: int = 0,
) -> LayerStats:
    """Mean and variance of every layer's activations as an input batch goes through.

    The inputs are ``n`` vectors with independent ``N(mean, var)`` coordinates; entry
    0 of the result is the input itself, entry ``l`` the output of hidden layer ``l``.

    >>> selu = propagate("selu", "lecun", depth=10, width=64, n=200)
    >>> tanh = propagate("tanh", "lecun", depth=10, width=64, n=200)
    >>> selu.var[[0, 10]].round(1).tolist(), tanh.var[[0, 10]].round(2).tolist()
    ([1.0, 1.1], [0.99, 0.06])
    """
    g = as_rng(seed)
    X = g.normal(mean, np.sqrt(var), (n, width))
    net = MLP([width] * (depth + 1) + [1], activation, init=init, rng=seed)
    stats = activation_stats(net, X)
    return LayerStats(np.r_[X.mean(), stats.mean], np.r_[X.var(), stats.var])


def stats_table(runs: Mapping[str, LayerStats],
                layers: Sequence[int] = (10, 50)) -> HTMLTable:
    """Mean / variance of the activations at the given layers, one row per run.

    >>> s = LayerStats(np.array([0.0, 0.01, -0.02]), np.array([1.0, 0.98, 1.05]))
    >>> print(repr(stats_table({"SELU": s}, layers=(1, 2))))
    run | layer 1: mean / variance | layer 2: mean / variance
    SELU | +0.010 / 0.98 | -0.020 / 1.05
    """
    head = ["run"] + [f"layer {k}: mean / variance" for k in layers]
    rows = [[label] + [f"{s.mean[k]:+.3f} / {s.var[k]:.3g}" for k in layers]
            for label, s in runs.items()]
    return Table(head, rows)


# --- 5. the concentric circles -----------------------------------------------------
@dataclass
class CircleSweep:
    """Test accuracy (and the trained networks) on the circles, per setting.

    ``accuracy[(activation, hidden)]`` lists the test accuracy after each entry
    of ``checkpoints`` (epochs); ``nets`` holds a copy of each network there.

    >>> sweep = circles_sweep(("tanh",), ((2,),), checkpoints=(1, 2), n=20)
    >>> sweep.X_train.shape, sweep.X_test.shape, sorted(sweep.nets)
    ((10, 2), (10, 2), [('tanh', (2,), 1), ('tanh', (2,), 2)])
    """

    activations: list[str]
    checkpoints: list[int]
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    accuracy: dict[tuple[str, tuple[int, ...]], list[float]] = field(
        default_factory=dict)
    nets: dict[tuple[str, tuple[int, ...], int], MLP] = field(default_factory=dict)

    def table(self, hiddens: Sequence[tuple[int, ...]], epoch: int | None = None,
              label: str = "hidden layers") -> HTMLTable:
        """Test accuracy, one row per activation, one column per architecture.

        >>> sweep = circles_sweep(("tanh", "relu"), ((2,), (4,)), checkpoints=(2,),
        ...                       n=20)
        >>> t = sweep.table([(2,), (4,)])
        >>> t.header[1:], [row[0] for row in t.rows]
        (['2', '4'], ['Tanh', 'ReLU'])
        """
        k = self.checkpoints.index(epoch or self.checkpoints[-1])
        head = ["activation"] + ["×".join(map(str, h)) for h in hiddens]
        rows = [[get(a).title] + [f"{self.accuracy[(a, h)][k]:.0%}" for h in hiddens]
                for a in self.activations]
        return Table([f"{head[0]} \\ {label}", *head[1:]], rows)

    def epochs_table(self, hidden: tuple[int, ...]) -> HTMLTable:
        """Test accuracy of one architecture after each checkpoint.

        >>> sweep = circles_sweep(("tanh",), ((2,),), checkpoints=(1, 2), n=20)
        >>> t = sweep.epochs_table((2,))
        >>> t.header[1:], len(t.rows)
        (['1', '2'], 1)
        """
        head = ["activation \\ epochs", *map(str, self.checkpoints)]
        rows = [[get(a).title] + [f"{v:.0%}" for v in self.accuracy[(a, hidden)]]
                for a in self.activations]
        return Table(head, rows)


_INIT_FOR = {"sigmoid": "xavier", "tanh": "xavier", "selu": "lecun"}
"""The initialisation each activation is usually paired with (He otherwise)."""


def default_init(activation: str) -> str:
    """Xavier for sigmoid and tanh, LeCun for SELU, He for the rectifier-like rest.

    >>> default_init("sigmoid"), default_init("SELU"), default_init("gelu")
    ('xavier', 'lecun', 'he')
    """
    return _INIT_FOR.get(get(activation).name, "he")


def circles_sweep(
    activations: Sequence[str] = ("sigmoid", "tanh", "relu", "elu", "gelu"),
    hiddens: Sequence[tuple[int, ...]] = ((1,), (2,), (3,), (4,), (8,), (32,)),
    *,
    checkpoints: Sequence[int] = (30, 100, 300),
    lr: float = 0.03,
    n: int = 400,
    noise: float = 0.1,
    seed: int = 0,
    keep: bool = True,
) -> CircleSweep:
    """Train one network per activation and architecture with full-batch Adam.

    Half of ``n`` circle points train, half test. Test accuracy is recorded after
    every checkpoint; with ``keep`` a copy of each network is kept there too (for
    decision-boundary plots).

    >>> sweep = circles_sweep(("tanh",), ((2,),), checkpoints=(1, 2), n=20)
    >>> list(sweep.accuracy), len(sweep.accuracy[("tanh", (2,))])
    ([('tanh', (2,))], 2)
    """
    X, y = DATASETS["circles"](n, noise=noise, rng=seed)
    Xtr, ytr, Xte, yte = split(X, y, 0.5, rng=seed + 1)
    out = CircleSweep(list(activations), list(checkpoints), Xtr, ytr, Xte, yte)
    for a in activations:
        for hidden in hiddens:
            hidden = tuple(hidden)
            net = MLP([2, *hidden, 2], a, init=default_init(a), rng=seed)
            opt, hist, accs = optimizer("adam", lr), None, []
            done = 0
            for epoch in checkpoints:
                hist = train(net, Xtr, ytr, opt, epochs=epoch - done, history=hist,
                             record=False)
                done = epoch
                accs.append(net.accuracy(Xte, yte))
                if keep:
                    out.nets[(a, hidden, epoch)] = net.copy()
            out.accuracy[(a, hidden)] = accs
    return out


# --- 6. the classic demonstration: a small Keras-style MLP on the circles ----------
@dataclass
class Curves:
    """Training curves (loss and accuracy per epoch) and test accuracy per activation.

    >>> h = History([0, 1], [0.7, 0.5], accuracy=[0.5, 0.8], dead=[0.0, 0.0])
    >>> Curves({"tanh": h}, {"tanh": 0.75}).final("tanh")
    (0.5, 0.8, 0.75)
    """

    histories: dict[str, History]
    test_accuracy: dict[str, float]

    def final(self, activation: str) -> tuple[float, float, float]:
        """Training loss, training accuracy and test accuracy after the last epoch.

        >>> h = History([0, 1], [0.7, 0.4], accuracy=[0.5, 0.9], dead=[0.0, 0.0])
        >>> Curves({"relu": h}, {"relu": 0.85}).final("relu")
        (0.4, 0.9, 0.85)
        """
        h = self.histories[activation]
        return h.loss[-1], h.accuracy[-1], self.test_accuracy[activation]


def keras_circles(
    activations: Sequence[str] = ("sigmoid", "tanh", "relu"),
    hidden: Sequence[int] = (8, 16, 32, 8),
    *,
    epochs: int = 50,
    n: int = 500,
    noise: float = 0.1,
    lr: float = 0.001,
    batch_size: int = 32,
    seed: int = 0,
) -> Curves:
    """Train a Keras-style MLP per activation on the circles, with Keras's defaults.

    Dense layers of the widths ``hidden`` with Glorot (Xavier) weights and zero
    biases for every activation, Adam at learning rate 0.001 on mini-batches of
    32; half of ``n`` points train, half test. Loss and training accuracy are
    recorded after every epoch.

    >>> c = keras_circles(("tanh",), (4,), epochs=2, n=40)
    >>> c.histories["tanh"].epoch, 0 <= c.test_accuracy["tanh"] <= 1
    ([0, 1, 2], True)
    """
    X, y = DATASETS["circles"](n, noise=noise, rng=seed)
    Xtr, ytr, Xte, yte = split(X, y, 0.5, rng=seed + 1)
    out = Curves({}, {})
    for a in activations:
        net = MLP([2, *hidden, 2], a, init="xavier", rng=seed)
        out.histories[a] = train(net, Xtr, ytr, optimizer("adam", lr), epochs=epochs,
                                 batch_size=batch_size, rng=seed)
        out.test_accuracy[a] = net.accuracy(Xte, yte)
    return out
