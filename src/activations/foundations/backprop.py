"""The computations of the page "Derivatives and backpropagation".

A 2-3-1 network with a tanh hidden layer and a squared-error loss, its central
finite-difference gradient, and the table of every activation whose derivative can
be written through its output, ``f'(x) = g(f(x))``, each identity checked by SymPy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .. import symbolic
from ..exponential import SELU_ALPHA, SELU_LAMBDA
from ..registry import Activation, all_activations, get
from ..tables import HTMLTable, Link, Math

__all__ = [
    "BRANCHWISE",
    "Branchwise",
    "TENSORFLOW_GRAD_KERNELS",
    "TENSORFLOW_VERSION",
    "ViaOutputRow",
    "branchwise_holds",
    "loss",
    "max_relative_difference",
    "numerical_gradient",
    "small_network",
    "via_output_rows",
    "via_output_table",
]


# --- the small network ----------------------------------------------------------


def small_network(seed: int = 0) -> dict[str, np.ndarray]:
    """Parameters of a 2-3-1 network: ``W1`` (3, 2), ``b1`` (3,), ``W2`` (1, 3),
    ``b2`` (1,).

    >>> {k: v.shape for k, v in small_network().items()}
    {'W1': (3, 2), 'b1': (3,), 'W2': (1, 3), 'b2': (1,)}
    """
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, 0.8, (3, 2)), "b1": rng.normal(0, 0.1, 3),
            "W2": rng.normal(0, 0.8, (1, 3)), "b2": rng.normal(0, 0.1, 1)}


def loss(params: dict[str, np.ndarray], x: np.ndarray, t: float) -> float:
    """Squared error ``(y - t)**2 / 2`` of the network ``y = W2 tanh(W1 x + b1) + b2``.

    >>> p = {"W1": np.zeros((3, 2)), "b1": np.zeros(3),
    ...      "W2": np.zeros((1, 3)), "b2": np.array([1.0])}
    >>> loss(p, np.array([0.3, -0.2]), 3.0)
    2.0
    """
    h = np.tanh(params["W1"] @ x + params["b1"])
    y = params["W2"] @ h + params["b2"]
    return float(0.5 * np.sum((y - t) ** 2))


def numerical_gradient(f: Callable[[dict], float], params: dict[str, np.ndarray],
                       eps: float = 1e-6) -> dict[str, np.ndarray]:
    """Central differences ``(f(p + eps) - f(p - eps)) / (2 eps)``, one entry at a time.

    >>> p = {"a": np.array([3.0])}
    >>> g = numerical_gradient(lambda q: float(q["a"][0] ** 2), p)
    >>> round(float(g["a"][0]), 6)
    6.0
    """
    grads = {}
    for k, v in params.items():
        g = np.zeros_like(v)
        for i in np.ndindex(v.shape):
            up = {**params, k: v.copy()}
            down = {**params, k: v.copy()}
            up[k][i] += eps
            down[k][i] -= eps
            g[i] = (f(up) - f(down)) / (2 * eps)
        grads[k] = g
    return grads


def max_relative_difference(a: dict[str, np.ndarray],
                            b: dict[str, np.ndarray]) -> float:
    """Largest ``|a - b| / max(|a|, |b|)`` over every entry of every array (0 where
    both are 0).

    >>> max_relative_difference({"w": np.array([2.0, 0.0])},
    ...                         {"w": np.array([2.5, 0.0])})
    0.2
    """
    worst = 0.0
    for k in a:
        num = np.abs(a[k] - b[k])
        den = np.maximum(np.abs(a[k]), np.abs(b[k]))
        rel = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        worst = max(worst, float(rel.max()))
    return worst


# --- derivatives through the output ----------------------------------------------


@dataclass(frozen=True)
class Branchwise:
    """``f'`` through ``y = f(x)``, one expression for ``x < 0`` and one for ``x > 0``.

    For a function with ``f(0) = 0`` that keeps the sign of ``x`` (ELU, SELU, CELU,
    softsign, ReLU), the sign of ``y`` tells the branch, so the pair is a function
    of ``y`` alone.
    """

    negative: Callable[..., sp.Expr]
    positive: Callable[..., sp.Expr]
    constants: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()  # shown as symbols

    def latex(self, y: sp.Expr, **params) -> str:
        neg, pos = self.negative(y, **params), self.positive(y, **params)
        if neg == pos:
            return sp.latex(neg)
        return (r"\begin{cases} " + sp.latex(pos) + r" & y > 0 \\ "
                + sp.latex(neg) + r" & y \le 0 \end{cases}")


def _syms(a: Activation) -> dict[str, sp.Symbol]:
    return a.symbols() if a.params else {}


_LAM, _ALPHA = sp.symbols("lambda alpha", positive=True)

# Identities the registry does not declare (it holds one expression in y, and these
# need the sign of y). Parameters arrive as the activation's SymPy symbols.
BRANCHWISE: dict[str, Branchwise] = {
    "relu": Branchwise(lambda y: sp.Integer(0), lambda y: sp.Integer(1)),
    "elu": Branchwise(lambda y, alpha: y + alpha, lambda y, alpha: sp.Integer(1)),
    "selu": Branchwise(lambda y: y + _LAM * _ALPHA, lambda y: _LAM,
                       ((_LAM, sp.Float(SELU_LAMBDA, 32)),
                        (_ALPHA, sp.Float(SELU_ALPHA, 32)))),
    "celu": Branchwise(lambda y, alpha: y / alpha + 1, lambda y, alpha: sp.Integer(1)),
    "softsign": Branchwise(lambda y: (1 - sp.Abs(y)) ** 2,
                           lambda y: (1 - sp.Abs(y)) ** 2),
}


def branchwise_holds(activation: str | Activation, form: Branchwise) -> bool:
    """Whether SymPy simplifies ``f'(x) - g(f(x))`` to 0 on each side of 0.

    Each side is checked with a symbol that is positive (``x = p``) or negative
    (``x = -p``), which picks the branch of a piecewise ``f`` and of ``g``.

    >>> branchwise_holds("relu", Branchwise(lambda y: sp.Integer(0),
    ...                                      lambda y: sp.Integer(1)))
    True
    >>> branchwise_holds("relu", Branchwise(lambda y: sp.Integer(1),
    ...                                      lambda y: sp.Integer(1)))
    False
    """
    a = get(activation)
    params = _syms(a)
    f = a.expr()
    df = sp.diff(f, symbolic.x)
    p = sp.Symbol("p", positive=True)
    for side, g in ((p, form.positive), (-p, form.negative)):
        fx = sp.piecewise_fold(f.subs(symbolic.x, side))
        dfx = sp.piecewise_fold(df.subs(symbolic.x, side))
        diff = sp.simplify(dfx - g(fx, **params).subs(dict(form.constants)))
        if diff != 0 and sp.simplify(diff.rewrite(sp.exp)) != 0:
            return False
    return True


@dataclass(frozen=True)
class ViaOutputRow:
    """One activation whose derivative is written through its output."""

    name: str
    title: str
    family: str
    latex: str
    verified: bool
    source: str  # "registry" (declared by the activation) or "branchwise" (this module)


def via_output_rows() -> list[ViaOutputRow]:
    """Every elementwise activation with an identity ``f'(x) = g(f(x))``: those the
    registry declares (``Activation.via_output``), then those of :data:`BRANCHWISE`,
    each checked by SymPy when the row is built.

    >>> rows = via_output_rows()
    >>> [r.verified for r in rows if r.name in ("sigmoid", "elu")]
    [True, True]
    """
    y = symbolic.y
    rows = []
    for a in sorted(all_activations(), key=lambda a: a.name):
        if not a.elementwise:
            continue
        if a.via_output(y) is not None:
            ident = symbolic.via_output(a)
            rows.append(ViaOutputRow(a.name, a.title, a.family,
                                     sp.latex(ident.via_output), ident.holds,
                                     "registry"))
        elif a.name in BRANCHWISE:
            form = BRANCHWISE[a.name]
            rows.append(ViaOutputRow(a.name, a.title, a.family,
                                     form.latex(y, **_syms(a)),
                                     branchwise_holds(a, form), "branchwise"))
    return rows


def _via_output_cells(r: ViaOutputRow, base: str) -> list:
    return [Link(r.title, f"{base}/{r.family}/{r.name}.html"),
            Math(f"f' = {r.latex}"),
            "one expression" if r.source == "registry" else "by the sign of y",
            "SymPy: verified" if r.verified else "SymPy: NOT verified"]


def via_output_table(rows: list[ViaOutputRow] | None = None,
                     base: str = "../activations") -> HTMLTable:
    """``rows`` (default :func:`via_output_rows`) as a table: each activation links
    to its chapter (``{base}/{family}/{name}.html``), its ``f'`` is typeset by
    MathJax, and the last column says whether SymPy verified the identity.

    >>> t = via_output_table()
    >>> "SymPy: NOT verified" in t._repr_html_(), len(t) == len(via_output_rows())
    (False, True)
    """
    return HTMLTable(["activation", "f′ through y = f(x)", "form", "check"],
                     [_via_output_cells(r, base) for r in rows or via_output_rows()])


# --- what TensorFlow's gradient kernels take ---------------------------------------

#: Measured in the bench environment with TensorFlow 2.21.0:
#: ``list(inspect.signature(getattr(tf.raw_ops, op)).parameters)`` without ``name``.
#: ``tests/test_foundations_backprop.py`` measures it again where TensorFlow is
#: installed.
TENSORFLOW_VERSION = "2.21.0"
TENSORFLOW_GRAD_KERNELS: dict[str, tuple[str, ...]] = {
    "SigmoidGrad": ("y", "dy"),
    "TanhGrad": ("y", "dy"),
    "EluGrad": ("gradients", "outputs"),
    "SeluGrad": ("gradients", "outputs"),
    "SoftsignGrad": ("gradients", "features"),
    "SoftplusGrad": ("gradients", "features"),
    "ReluGrad": ("gradients", "features"),
}
