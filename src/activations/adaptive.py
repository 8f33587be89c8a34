"""Adaptive activations: functions whose shape is itself learned.

A rational function with learnable coefficients (Padé activation units, rational
activations), a learned piecewise-linear sum of hinges (APL), a kernel expansion
with learned mixing weights (KAFs). Each is still a function of one number with
scalar parameters, so each fits the registry: its coefficients are parameters with
defaults (the initialisation its paper gives) and partial derivatives.
"""

from __future__ import annotations

__all__: list[str] = []


# --- APL: adaptive piecewise linear units -------------------------------------------
# Appended below whatever the module defines above; the imports are local to this
# section so that it stands on its own.
import itertools as _itertools  # noqa: E402
from fractions import Fraction as _Fraction  # noqa: E402

import numpy as _np  # noqa: E402
import sympy as _sp  # noqa: E402

from .registry import Activation as _Activation  # noqa: E402
from .registry import Kink as _Kink  # noqa: E402
from .registry import Param as _Param  # noqa: E402
from .registry import register as _register  # noqa: E402

APL_HINGES = 2
"""S, the number of hinges of the registry's APL: two learnable hinges beside the
ReLU, so two bends besides the one at 0 (four scalar parameters)."""


def _as_fraction(value: float) -> _Fraction:
    """The exact number a float parameter stands for, as the SymPy expression takes
    it (:func:`registry.exact`): a short fraction (-0.6 is -3/5) where one rounds to
    it, else the float itself."""
    frac = _Fraction(value).limit_denominator(10**6)
    return frac if float(frac) == value else _Fraction(value)


def _apl_pieces(a1: float, b1: float, a2: float, b2: float):
    r"""The line :math:`c_0 + c_1 x` of APL on each of its pieces, indexed by the bits
    ``[x > 0] + 2 [x <= b_1] + 4 [x <= b_2]``.

    Returns ``(c0, c1_hi, c1_lo)``, arrays of 8: the intercept rounded once from its
    exact value :math:`\sum a_s b_s` (over the hinges active on the piece), and the
    slope :math:`[x > 0] - \sum a_s` as a float and the float of its rounding error,
    both from exact rational arithmetic (with the parameters as
    :func:`_as_fraction` reads them), so cancellation among the parameters costs
    nothing.
    """
    a = (_as_fraction(a1), _as_fraction(a2))
    b = (_as_fraction(b1), _as_fraction(b2))
    c0 = _np.empty(8)
    hi = _np.empty(8)
    lo = _np.empty(8)
    for pos, h1, h2 in _itertools.product((0, 1), repeat=3):
        i = pos + 2 * h1 + 4 * h2
        on = (h1, h2)
        intercept = sum((a[s] * b[s] for s in range(2) if on[s]), _Fraction(0))
        slope = pos - sum((a[s] for s in range(2) if on[s]), _Fraction(0))
        c0[i] = float(intercept)
        hi[i] = float(slope)
        lo[i] = float(slope - _Fraction(hi[i]))
    return c0, hi, lo


def _apl_index(x: _np.ndarray, b1: float, b2: float) -> _np.ndarray:
    """The piece of each element (see :func:`_apl_pieces`); NaN gets piece 0."""
    return ((x > 0).astype(_np.intp) + 2 * (x <= b1).astype(_np.intp)
            + 4 * (x <= b2).astype(_np.intp))


def _apl(x, y, dy, a1: float, b1: float, a2: float, b2: float) -> None:
    r""":math:`\max(0, x) + a_1 \max(0, b_1 - x) + a_2 \max(0, b_2 - x)` and its slope.

    APL is a line on each piece between its bends (0, :math:`b_1`, :math:`b_2`): the
    kernel finds each element's piece and evaluates that line, :math:`c_0 + c_1 x`,
    with :math:`c_0` and :math:`c_1` formed exactly from the parameters and
    :math:`c_1` carried as a float plus its rounding error. So the sum of hinges
    never cancels in floating point: the error is that of one multiply-add, within
    about one ULP of :math:`|f| + |x f'|`. float32 is computed in float64 and
    rounded once. The slope is :math:`c_1`, at a bend the slope of the piece on its
    left (ReLU's convention at 0); ±inf give the limits, NaN stays NaN.
    """
    xd = x.astype(_np.float64, copy=False)
    c0, hi, lo = _apl_pieces(a1, b1, a2, b2)
    i = _apl_index(xd, b1, b2)
    inf = _np.isinf(xd)
    if y is not None:
        xf = _np.where(inf, 0.0, xd)
        with _np.errstate(over="ignore"):
            v = hi[i] * xf
            v += c0[i]
            v += lo[i] * xf
        if inf.any():  # the limit: the last piece's line, or its level if flat
            s = hi[i][inf]
            v[inf] = _np.where(s == 0, c0[i][inf],
                               _np.copysign(_np.inf, s) * _np.sign(xd[inf]))
        with _np.errstate(over="ignore"):  # beyond float32's range: inf, rounded
            _np.copyto(y, v, casting="unsafe")
    if dy is not None:
        _np.copyto(dy, _np.where(_np.isnan(xd), xd, hi[i]), casting="unsafe")


def _apl_partial_a(x, b: float, le: bool = True):
    r""":math:`\partial f/\partial a_s = \max(0, b_s - x)` (inf at -inf, NaN for NaN)."""
    xd = x.astype(_np.float64, copy=False)
    with _np.errstate(over="ignore"):
        h = _np.where(xd <= b, b - xd, 0.0)
    return _np.where(_np.isnan(xd), xd, h).astype(x.dtype)


def _apl_partial_b(x, a: float, b: float):
    r""":math:`\partial f/\partial b_s = a_s [x \le b_s]` (the hinge's slope in
    :math:`b_s`, with the left-piece convention of the kernel at :math:`x = b_s`)."""
    xd = x.astype(_np.float64, copy=False)
    return _np.where(_np.isnan(xd), xd, _np.where(xd <= b, a, 0.0)).astype(x.dtype)


def _apl_left_slope(at: float, a1: float, b1: float, a2: float, b2: float) -> float:
    """f' at a bend: the slope of the piece on its left (the kernel's convention)."""
    return float(_apl_pieces(a1, b1, a2, b2)[1][
        int(at > 0) + 2 * int(at <= b1) + 4 * int(at <= b2)])


def _apl_sym(x, a1, b1, a2, b2):
    def hinge(b):
        return _sp.Piecewise((b - x, x < b), (0, True))
    return _sp.Piecewise((x, x > 0), (0, True)) + a1 * hinge(b1) + a2 * hinge(b2)


_APL_KINK_FRAMEWORKS = {
    "pytorch": "no built-in (autograd of relu(x) + a * relu(b - x): 0 from each "
               "term at its own bend)",
    "jax": "no built-in", "tensorflow": "no built-in",
}

apl = _register(
    _Activation(
        "apl",
        kernel=_apl,
        sym=_apl_sym,
        params={
            "a1": _Param(0.5, -2.0, 2.0, "learnable weight of the first hinge "
                         "max(0, b1 - x)", symbol="a_1", learnable=True),
            "b1": _Param(1.0, -3.0, 3.0, "learnable position of the first hinge",
                         symbol="b_1", learnable=True),
            "a2": _Param(-0.6, -2.0, 2.0, "learnable weight of the second hinge "
                         "max(0, b2 - x)", symbol="a_2", learnable=True),
            "b2": _Param(-1.0, -3.0, 3.0, "learnable position of the second hinge",
                         symbol="b_2", learnable=True),
        },
        kinks=(
            _Kink(0.0, lambda a1, b1, a2, b2: _apl_left_slope(0.0, a1, b1, a2, b2),
                  _APL_KINK_FRAMEWORKS),
            _Kink(lambda a1, b1, a2, b2: b1,
                  lambda a1, b1, a2, b2: _apl_left_slope(b1, a1, b1, a2, b2),
                  _APL_KINK_FRAMEWORKS),
            _Kink(lambda a1, b1, a2, b2: b2,
                  lambda a1, b1, a2, b2: _apl_left_slope(b2, a1, b1, a2, b2),
                  _APL_KINK_FRAMEWORKS),
        ),
        partials={
            "a1": lambda x, a1, b1, a2, b2: _apl_partial_a(x, b1),
            "b1": lambda x, a1, b1, a2, b2: _apl_partial_b(x, a1, b1),
            "a2": lambda x, a1, b1, a2, b2: _apl_partial_a(x, b2),
            "b2": lambda x, a1, b1, a2, b2: _apl_partial_b(x, a2, b2),
        },
    )
)

__all__ += ["apl"]
