"""Derivations with SymPy: derivatives, limits, and identities through f(x).

Every function takes an activation (or its name) and returns SymPy objects, so a
page can display each step as rendered math.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import sympy as sp

from .registry import Activation, exact, get, x, y

__all__ = [
    "x",
    "y",
    "exact",
    "derivative",
    "limits",
    "one_sided",
    "derivative_limits",
    "via_output",
    "Identity",
    "latex",
]

def derivative(activation: str | Activation, n: int = 1, **params: Any) -> sp.Expr:
    """The n-th derivative of ``f`` in ``x``, simplified where that is quick; cached.

    >>> derivative("leaky_relu", negative_slope=0.1)
    Piecewise((1, x > 0), (1/10, True))
    >>> derivative("softplus", beta=1.0)  # d/dx log(1 + e^x), the logistic sigmoid
    exp(x)/(exp(x) + 1)
    """
    a = get(activation)
    return _derivative(a.name, n, tuple(sorted(params.items())))


@functools.lru_cache(maxsize=256)
def _derivative(name: str, n: int, params: tuple) -> sp.Expr:
    return _tidy(sp.diff(get(name).expr(**dict(params)), x, n))


def _tidy(e: sp.Expr) -> sp.Expr:
    if e.has(sp.Piecewise):
        return sp.piecewise_fold(e)
    # simplify() takes seconds on large expressions and rarely shortens them.
    return sp.simplify(e) if sp.count_ops(e) <= 30 else e


@functools.lru_cache(maxsize=256)
def limits(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """``(lim_{x->-oo}, lim_{x->+oo})`` of an expression in ``x``.

    A piecewise expression is first reduced to the branch that holds far out on
    each side (SymPy's ``limit`` cannot take a Piecewise to infinity).

    >>> limits(get("relu").expr())
    (0, oo)
    >>> limits(get("hard_tanh").expr())  # its min_val and max_val, as symbols
    (a, b)
    """
    return tuple(_limit(_branch(expr, end), end) for end in (-sp.oo, sp.oo))


def _limit(expr: sp.Expr, end: sp.Expr) -> sp.Expr:
    # Hyperbolic functions written as exponentials make SymPy's limit about twice
    # as fast (the tanh form of GELU: 4 s instead of 8 s for both derivative limits).
    # Trigonometric functions are left alone: as complex exponentials SymPy cannot
    # take their limits, while as they are it answers AccumBounds(-1, 1) for sin x,
    # its way of saying that a function oscillating for ever has no limit.
    if expr.free_symbols <= {x} and expr.is_rational_function(x):
        # A quotient of polynomials with numeric coefficients: the degrees and
        # leading coefficients decide, where limit() spends seconds turning the
        # Padé unit's decimal coefficients into fractions.
        num, den = (sp.Poly(e, x) for e in sp.fraction(sp.together(expr)))
        if num.is_zero:
            return sp.Integer(0)
        gap = num.degree() - den.degree()
        ratio = num.LC() / den.LC()
        if gap <= 0:
            return ratio if gap == 0 else sp.Integer(0)
        return sp.sign(ratio) * sp.sign(end) ** gap * sp.oo
    if expr.has(sp.sin, sp.cos, sp.tan):
        lim = sp.limit(expr, x, end)
        # An oscillation whose amplitude grows (x cos x) comes back unevaluated,
        # as oo*sign(AccumBounds(-1, 1)): its values sweep the whole real line.
        if lim.has(sp.AccumBounds) and not isinstance(lim, sp.AccumBounds):
            return sp.AccumBounds(-sp.oo, sp.oo)
        return lim
    return sp.limit(expr.rewrite(sp.exp), x, end)


def one_sided(expr: sp.Expr, at: float) -> tuple[sp.Expr, sp.Expr]:
    """``(lim_{x->at-}, lim_{x->at+})``, taking the branch that holds on each side.

    SymPy's own one-sided limit of a Piecewise at its breakpoint can pick the wrong
    branch (it gives 0 from both sides for ``Piecewise((1, x > 0), (0, True))``).

    >>> one_sided(derivative("relu"), 0)  # ReLU's slope jumps from 0 to 1 at 0
    (0, 1)
    >>> one_sided(get("relu").expr(), 0)  # while ReLU itself is continuous there
    (0, 0)
    """
    x0 = exact(at)
    t = sp.Symbol("t", positive=True)
    # A condition that t > 0 alone cannot decide (x < 1 at 3 - t, where another
    # breakpoint lies between) is decided at a step of 10^-40, nearer than any two
    # breakpoints of an activation lie.
    step = sp.Rational(1, 10**40)
    return (
        _side_limit(_branch(expr, x0 - t, x0 - step), x0, "-"),
        _side_limit(_branch(expr, x0 + t, x0 + step), x0, "+"),
    )


def _side_limit(branch: sp.Expr, x0: sp.Expr, side: str) -> sp.Expr:
    """The one-sided limit of one branch at ``x0``.

    A rational function whose denominator is not 0 at ``x0`` is continuous
    there: its value is the limit, and SymPy's ``limit`` would spend seconds on
    one with decimal coefficients (the Padé unit's, which it first turns into
    fractions). Anything else goes to ``limit``.
    """
    if branch.is_rational_function(x):
        num, den = sp.fraction(sp.together(branch))
        d = den.subs(x, x0)
        if d.is_nonzero:
            return num.subs(x, x0) / d
    return sp.limit(branch, x, x0, dir=side)


def _branch(expr: sp.Expr, where: sp.Expr, near: sp.Expr | None = None) -> sp.Expr:
    """The branch of a piecewise ``expr`` whose condition holds at ``x = where``;
    a condition undecided there is decided at ``x = near`` (a number beside it)."""
    expr = sp.piecewise_fold(expr)
    if not isinstance(expr, sp.Piecewise):
        return expr
    for branch, cond in expr.args:
        holds = cond.subs(x, where)
        if holds not in (sp.true, sp.false) and near is not None:
            holds = cond.subs(x, near)
        if holds == sp.true:
            return branch
    raise ValueError(f"no branch of {expr} is known to hold at x = {where}")


def derivative_limits(activation: str | Activation, **params: Any):
    """Limits of f'(x) at -oo and +oo: zero on a side means f saturates there.

    >>> derivative_limits("hard_tanh"), derivative_limits("relu")
    ((0, 0), (0, 1))
    """
    return limits(derivative(activation, **params))


@dataclass(frozen=True)
class Identity:
    """f'(x) = g(f(x)), with the SymPy-simplified difference that proves it.

    >>> Identity(1 - y**2, sp.Integer(0))  # tanh' = 1 - tanh^2
    Identity(via_output=1 - y**2, difference=0)
    """

    via_output: sp.Expr
    difference: sp.Expr

    @property
    def holds(self) -> bool:
        """Whether the difference simplified to 0, which proves the identity.

        >>> Identity(1 - y**2, sp.Integer(0)).holds, Identity(y, x - y).holds
        (True, False)
        """
        return self.difference == 0


def via_output(activation: str | Activation, **params: Any) -> Identity | None:
    """The identity f' = g(f) declared in the registry, checked by SymPy.

    Returns ``None`` when the activation declares no such identity; otherwise the
    identity and ``simplify(f'(x) - g(f(x)))``, which is 0 when it holds.

    >>> via_output("sigmoid")  # sigmoid' = sigmoid (1 - sigmoid)
    Identity(via_output=y*(1 - y), difference=0)
    >>> via_output("sigmoid").holds, via_output("relu")
    (True, None)
    """
    a = get(activation)
    g = a.via_output(y)
    if g is None:
        return None
    f = a.expr(**params)
    diff = sp.simplify(sp.diff(f, x) - g.subs(y, f))
    if diff != 0:  # some identities need the exponential form to cancel
        diff = sp.simplify(diff.rewrite(sp.exp))
    return Identity(g, diff)


def latex(expr: sp.Expr, lhs: str | None = None) -> str:
    r"""LaTeX of an expression, optionally as ``lhs = expr``.

    >>> print(latex(get("sigmoid").expr(), "f(x)"))
    f(x) = \frac{1}{1 + e^{- x}}
    """
    body = sp.latex(expr)
    return f"{lhs} = {body}" if lhs else body
