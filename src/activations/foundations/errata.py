"""Formulas that circulate with a mistake in them, checked against the registry (the
guide page "Formulas as they circulate, checked", label ``formulas-checked``).

Each check sets a circulating form beside the registry's expression
(``activations.get(name).expr()``) and returns what SymPy or mpmath says of the two:
their simplified difference, their values at a point, the set an inequality
describes, or a constant solved from its defining equation.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp

from .. import symbolic
from ..registry import get

__all__ = ["Check", "compare", "elu_range", "hard_sigmoid_forms", "inequality_sets",
           "lecun_scale", "prelu_forms", "selu_constants", "selu_moments"]

x = symbolic.x


@dataclass(frozen=True)
class Check:
    """A circulating form against the right one at the point ``at``."""

    circulating: sp.Expr
    right: sp.Expr
    difference: sp.Expr
    at: float
    circulating_value: float
    right_value: float

    @property
    def wrong(self) -> bool:
        """True when the difference is not identically 0."""
        return self.difference != 0


def compare(circulating: sp.Expr, right: sp.Expr, at: float) -> Check:
    """Simplify ``circulating - right`` and evaluate both forms at ``at``.

    >>> c = compare((1 - sp.tanh(x))**2, sp.diff(sp.tanh(x), x), 1.0)
    >>> c.wrong, round(c.right_value, 4)
    (True, 0.42)
    """
    diff = sp.simplify(circulating - right)
    if diff != 0:  # some identities need the exponential form to cancel
        diff = 0 if sp.simplify(diff.rewrite(sp.exp)) == 0 else sp.factor(diff)
    return Check(circulating, right, diff, at,
                 float(circulating.subs(x, at)), float(right.subs(x, at)))


def lecun_scale(dps: int = 30) -> mpmath.mpf:
    """The amplitude a with a·tanh(2/3) = 1, so that a·tanh(2x/3) maps ±1 to ±1,
    solved by mpmath's root finder at ``dps`` digits.

    >>> mpmath.nstr(lecun_scale(), 8)
    '1.7159047'
    """
    with mpmath.workdps(dps):
        return +mpmath.findroot(lambda a: a * mpmath.tanh(mpmath.mpf(2) / 3) - 1, 1.7)


def hard_sigmoid_forms() -> dict[str, sp.Expr]:
    """The two hard sigmoids that share the name, from the registry's ``slope``:
    slope 1/5 (0.2x + 0.5 clipped: Keras 2, Theano) and slope 1/6 (x/6 + 1/2
    clipped, which is relu6(x + 3)/6: PyTorch, JAX, Keras 3).

    >>> sorted(hard_sigmoid_forms())
    ['slope 1/5', 'slope 1/6']
    """
    a = get("hard_sigmoid")
    s = a.symbols()["slope"]
    return {"slope 1/5": a.expr().subs(s, sp.Rational(1, 5)),
            "slope 1/6": a.expr().subs(s, sp.Rational(1, 6))}


def inequality_sets(lo: sp.Expr, hi: sp.Expr) -> tuple[sp.Set, sp.Set]:
    """The sets of x that the middle-piece condition describes, as circulating
    (``lo ≥ x ≤ hi``, the first sign turned round) and as meant (``lo ≤ x ≤ hi``).

    >>> inequality_sets(-1, 1)
    (Interval(-oo, -1), Interval(-1, 1))
    """
    written = sp.And(sp.Ge(lo, x), sp.Le(x, hi)).as_set()
    meant = sp.And(sp.Le(lo, x), sp.Le(x, hi)).as_set()
    return written, meant


def prelu_forms() -> dict[str, sp.Expr]:
    """PReLU as it circulates (the parameter scaling ReLU, a·max(0, x)), as it is
    defined (max(0, x) + a·min(0, x)), and the registry's expression.

    >>> f = prelu_forms()
    >>> alpha = get("prelu").symbols()["alpha"]
    >>> [float(e.subs({x: -2, alpha: 0.1})) for e in f.values()]
    [0.0, -0.2, -0.2]
    """
    a = get("prelu")
    alpha = a.symbols()["alpha"]
    return {"circulating": alpha * sp.Max(0, x),
            "defined": sp.Max(0, x) + alpha * sp.Min(0, x),
            "registry": a.expr()}


def elu_range(alpha: float) -> tuple[sp.Expr, str]:
    """The limit of ELU as x → −∞ (SymPy) and the range the registry's properties
    give, at ``alpha``.

    >>> elu_range(2.0)
    (-2, '(-2, ∞)')
    """
    from ..properties import properties

    a = get("elu")
    e = a.expr().subs(a.symbols()["alpha"], sp.nsimplify(alpha))
    return symbolic.limits(e)[0], properties("elu", alpha=alpha).range


def selu_moments(lam, alpha, dps: int = 30) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Mean and second moment of λ·ELU_α(Z) for Z ~ N(0, 1), by mpmath quadrature.

    >>> m, s = selu_moments(1, 1)
    >>> mpmath.nstr(m, 6)
    '0.160521'
    """
    with mpmath.workdps(dps):
        lam, alpha = mpmath.mpf(lam), mpmath.mpf(alpha)

        def phi(z):
            return mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)

        def f(z):
            return lam * (z if z > 0 else alpha * mpmath.expm1(z))

        mean = (mpmath.quad(lambda z: f(z) * phi(z), [-mpmath.inf, 0])
                + mpmath.quad(lambda z: f(z) * phi(z), [0, mpmath.inf]))
        second = (mpmath.quad(lambda z: f(z) ** 2 * phi(z), [-mpmath.inf, 0])
                  + mpmath.quad(lambda z: f(z) ** 2 * phi(z), [0, mpmath.inf]))
        return +mean, +second


def selu_constants(dps: int = 30) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(λ, α) solving mean 0 and second moment 1 for λ·ELU_α of a standard normal
    input. The mean is λ(m₊ + α m₋), linear in α, so α = −m₊/m₋ with the two
    half-line integrals by mpmath quadrature; then λ = 1/√(second moment at λ = 1).

    >>> lam, alpha = selu_constants(20)
    >>> mpmath.nstr(lam, 8), mpmath.nstr(alpha, 8)
    ('1.050701', '1.6732632')
    """
    with mpmath.workdps(dps):
        def phi(z):
            return mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)

        plus = mpmath.quad(lambda z: z * phi(z), [0, mpmath.inf])
        minus = mpmath.quad(lambda z: mpmath.expm1(z) * phi(z), [-mpmath.inf, 0])
        alpha = -plus / minus
        lam = 1 / mpmath.sqrt(selu_moments(1, alpha, dps)[1])
        return +lam, +alpha
