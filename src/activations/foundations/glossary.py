"""The computations of the guide pages ("Choosing an activation", "Glossary",
"Notation"): the table of every registered activation's English and Chinese name,
linked to its chapter, and the largest slope of an activation with the bound it puts
on a gradient through a stack of layers."""

from __future__ import annotations

import sympy as sp

from .. import symbolic
from ..registry import Activation, all_activations, get
from ..tables import HTMLTable, Link

__all__ = ["chapter_href", "depth_bound", "max_slope", "names_table"]


def chapter_href(activation: str | Activation, base: str = "../activations") -> str:
    """The address of an activation's chapter, relative to a page in ``book/guide/``.

    >>> chapter_href("leaky_relu")
    '../activations/rectifier/leaky_relu.html'
    """
    a = get(activation)
    return f"{base}/{a.family}/{a.name}.html"


def names_table() -> HTMLTable:
    """Every registered activation's title and Chinese name, alphabetical by title.

    >>> t = names_table()
    >>> ("ReLU", "线性整流函数(修正线性单元)") in [(str(r[0]), r[1]) for r in t.rows]
    True
    """
    rows = [
        [Link(a.title, chapter_href(a)), a.zh, a.family.replace("_", "-")]
        for a in sorted(all_activations(), key=lambda a: (a.title.casefold(), a.name))
    ]
    return HTMLTable(["English", "中文", "family"], rows)


def max_slope(activation: str | Activation) -> sp.Expr:
    """The supremum over the reals of ``|f'(x)|`` for a smooth activation, by SymPy.

    >>> max_slope("sigmoid")
    1/4
    """
    d = symbolic.derivative(activation)
    return sp.Max(sp.maximum(d, symbolic.x, sp.Reals),
                  -sp.minimum(d, symbolic.x, sp.Reals))


def depth_bound(activation: str | Activation, depth: int) -> sp.Expr:
    """``max_slope(activation) ** depth``: what the activations' slopes alone allow a
    gradient to keep after ``depth`` layers (the weights multiply in besides).

    >>> depth_bound("sigmoid", 2)
    1/16
    """
    return max_slope(activation) ** depth
