"""The computations of the page "Output layers and losses".

Binary cross-entropy and softmax cross-entropy, each written two ways: from the
probabilities (the textbook formula) and from the logits (the form frameworks
compute, through this book's stable log-sigmoid and log-softmax); the SymPy
derivations of ``dL/dz = p - y``; and a record of what PyTorch returns.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..registry import get

__all__ = [
    "PYTORCH_MEASURED",
    "PYTORCH_VERSION",
    "bce_from_logit",
    "bce_from_probability",
    "bce_gradient_from_probability",
    "bce_logit_derivation",
    "ce_from_logits",
    "ce_from_probabilities",
    "softmax_ce_derivation",
]


def bce_from_probability(p, y):
    """``-(y log p + (1 - y) log(1 - p))``: inf when ``p`` has rounded to 0 or 1.

    >>> round(float(bce_from_probability(0.5, 1.0)), 6)  # log 2
    0.693147
    >>> float(bce_from_probability(1.0, 0.0))
    inf
    """
    p, y = np.asarray(p, float), np.asarray(y, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log1p(-p))


def bce_from_logit(z, y):
    """The same loss from the logit ``z``: ``-(y log σ(z) + (1 - y) log σ(-z))``,
    each log-sigmoid computed without forming ``σ``; finite for every finite ``z``.

    >>> float(bce_from_logit(40.0, 0.0))
    40.0
    >>> float(bce_from_logit(-800.0, 1.0))
    800.0
    """
    log_sigmoid = get("log_sigmoid")
    z, y = np.asarray(z, float), np.asarray(y, float)
    return -(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))


def bce_gradient_from_probability(z, y):
    """``dL/dz`` by the chain through ``p = σ(z)``: ``dL/dp · dp/dz``, with
    ``dL/dp = -y/p + (1 - y)/(1 - p)`` and ``dp/dz = p(1 - p)``; inf · 0 = NaN
    once ``p`` has rounded to 0 or 1.

    >>> float(bce_gradient_from_probability(0.0, 1.0))
    -0.5
    """
    p = get("sigmoid")(np.asarray(z, float))
    y = np.asarray(y, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (-y / p + (1 - y) / (1 - p)) * (p * (1 - p))


def ce_from_probabilities(p, k: int):
    """``-log p[k]`` of a probability vector: inf when ``p[k]`` has underflowed.

    >>> round(float(ce_from_probabilities(np.array([0.25, 0.75]), 1)), 6)
    0.287682
    """
    with np.errstate(divide="ignore"):
        return -np.log(np.asarray(p, float)[..., k])


def ce_from_logits(z, k: int):
    """``-log softmax(z)[k]``, through the registry's log-softmax (log-sum-exp).

    >>> float(ce_from_logits(np.array([1000.0, 0.0, -1000.0]), 2))
    2000.0
    """
    return -get("log_softmax")(np.asarray(z, float))[..., k]


def bce_logit_derivation() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(L, dL/dz, dL/dz - (σ(z) - y))`` for ``L`` the binary cross-entropy of
    ``σ(z)``, the last reduced by ``cancel`` (0: the gradient is ``p - y``).

    >>> bce_logit_derivation()[2]
    0
    """
    z, y = sp.symbols("z y", real=True)
    p = 1 / (1 + sp.exp(-z))
    loss = -(y * sp.log(p) + (1 - y) * sp.log(1 - p))
    grad = sp.diff(loss, z)
    return loss, grad, sp.cancel(grad - (p - y))


def softmax_ce_derivation(n: int = 3) -> tuple[sp.Matrix, sp.Matrix]:
    """``(grad, grad - (p - y))`` for ``L = -Σ y_i log softmax(z)_i`` with ``n``
    symbolic logits and targets summing to 1 (``y_n = 1 - y_1 - ... - y_{n-1}``);
    the second reduced by ``cancel`` (all 0: the gradient is ``p - y``).

    >>> list(softmax_ce_derivation(2)[1])
    [0, 0]
    """
    z = sp.symbols(f"z1:{n + 1}", real=True)
    free = sp.symbols(f"y1:{n}", real=True)
    y = [*free, 1 - sum(free)]
    total = sum(sp.exp(zi) for zi in z)
    p = [sp.exp(zi) / total for zi in z]
    loss = -sum(yi * sp.log(pi) for yi, pi in zip(y, p, strict=True))
    grad = sp.Matrix([sp.diff(loss, zi) for zi in z])
    gap = (grad - sp.Matrix([pi - yi for pi, yi in zip(p, y, strict=True)]))
    return grad, gap.applyfunc(sp.cancel)


# --- what PyTorch returns ----------------------------------------------------------

#: Measured in the bench environment with this version, in float32:
#: ``F.binary_cross_entropy_with_logits(z, y)``, ``F.binary_cross_entropy(
#: torch.sigmoid(z), y)``, and for the logits (1000, 0, -1000) and class 2,
#: ``F.cross_entropy`` and ``-torch.log(torch.softmax(z, 1))[0, 2]``.
#: ``tests/test_foundations_output_layers.py`` measures it again where PyTorch is
#: installed.
PYTORCH_VERSION = "2.13.0+cpu"
PYTORCH_MEASURED: dict[str, float] = {
    "bce_with_logits(z=40, y=0)": 40.0,
    "bce(sigmoid(z=40), y=0)": 100.0,
    "bce_with_logits(z=-800, y=1)": 800.0,
    "bce(sigmoid(z=-800), y=1)": 100.0,
    "cross_entropy(z=(1000, 0, -1000), k=2)": 2000.0,
    "-log(softmax(z=(1000, 0, -1000)))[2]": float("inf"),
}
