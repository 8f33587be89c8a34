"""Vector-valued activations: each output depends on several inputs along one axis.

Softmax, log-softmax, softmin and sparsemax map a vector of length n to a vector of
length n; maxout maps it to n / pieces outputs; the gated linear units (GLU, SwiGLU,
GEGLU, ReGLU) split it in two halves ``a`` and ``b`` and return ``a * g(b)``, n / 2
outputs. None of them has an elementwise derivative: their derivative is a matrix,
offered as :meth:`VectorActivation.jacobian` and, without forming the matrix, as the
vector-Jacobian product :meth:`VectorActivation.vjp` that backpropagation uses.

Conventions of this package (the chapters repeat them):

* ``jacobian(x)`` of a vector of length n with m outputs is the m x n matrix
  ``J[i, j] = d y_i / d x_j`` (rows are outputs, as in SymPy's ``Matrix.jacobian``
  and ``jax.jacobian``); a batch of vectors gives a stack of shape
  ``batch + (m, n)``.
* Infinities: entries equal to the largest one share its weight, so softmax of
  ``[inf, inf, 0]`` is ``[1/2, 1/2, 0]`` and of ``[-inf, -inf]`` is ``[1/2, 1/2]``
  (the limit along a common shift); a NaN anywhere in a softmax-like vector makes
  the whole vector NaN, because every output depends on every input.
* At a kink (a tie in maxout, an entry of sparsemax on the edge of its support, a
  ReGLU gate at 0) the Jacobian returned is one of the one-sided ones: maxout sends
  the gradient to the first maximal entry, sparsemax counts an entry in the support
  only if its output is strictly positive, ReGLU takes relu'(0) = 0.

They are a kind of their own (:mod:`activations.kinds`): the tools the chapters call
hand a vector activation to the modules of this package, :mod:`.verify` (values,
Jacobian and VJP against SymPy), :mod:`.plotting` (outputs and a Jacobian column
along one input entry), :mod:`.properties` and :mod:`.widgets` (the explorer).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp

from .. import core
from ..core import finish
from ..kinds import register_kind
from ..registry import (
    Activation,
    Param,
    as_real_array,
    broadcast_real,
    compute,
    exact,
    get,
    register,
)

__all__ = [
    "VectorActivation",
    "input_symbols",
    "softmax",
    "log_softmax",
    "softmin",
    "sparsemax",
    "maxout",
    "glu",
    "swiglu",
    "geglu",
    "geglu_tanh",
    "reglu",
    "gtu",
    "swiglu_oai",
    "crelu",
    "gumbel_softmax",
    "GumbelSoftmax",
    "bilinear",
    "quiet_softmax",
    "dglu",
    "solu",
    "polynorm",
    "abrelu",
]


def input_symbols(n: int) -> list[sp.Symbol]:
    """The real symbols x_1, ..., x_n of a vector input."""
    return list(sp.symbols(f"x_1:{n + 1}", real=True))


def _not_elementwise(x: np.ndarray, **params: float) -> np.ndarray:  # pragma: no cover
    raise TypeError("not elementwise")


class VectorActivation(Activation):
    """An activation that maps a vector along ``axis`` to a vector.

    ``fn(x, **params)``, ``jac(x, **params)`` and ``vjp(x, g, **params)`` work on the
    last axis of a float32/float64 array (the public methods move ``axis`` there and
    back); ``sym(xs, **params)`` returns the list of output expressions for the list
    of input symbols ``xs``; ``out_len(n, **params)`` is the number of outputs, and
    raises ``ValueError`` when n is not a valid length.
    """

    def __init__(
        self,
        name: str,
        *,
        fn: Callable[..., np.ndarray],
        jac: Callable[..., np.ndarray],
        vjp: Callable[..., np.ndarray],
        sym: Callable[..., list],
        out_len: Callable[..., int],
        default_n: Callable[..., int],
        integers: tuple[str, ...] = (),
        plot: Mapping[str, Any] | None = None,
        verify_params: tuple[Mapping[str, float], ...] | None = None,
        **kwargs: Any,
    ):
        super().__init__(name, fn=fn, deriv=_not_elementwise, sym=sym,
                         elementwise=False, **kwargs)
        self._jac = jac
        self._vjp = vjp
        self._out_len = out_len
        self._default_n = default_n
        self.integers = tuple(integers)
        self.plot = dict(plot or {})
        """How figures show it: ``index`` of the swept entry, ``others``."""
        self.verify_params = (None if verify_params is None
                              else tuple(dict(p) for p in verify_params))
        """The parameter sets the verifier checks in place of the corners of the
        parameter box, for an activation that is linear in its parameters (so
        that the corners add nothing the sets given do not cover); None: the
        box (:func:`activations.vector.verify.param_sets`)."""

    # --- parameters and shapes -----------------------------------------------------
    def bind(self, params: Mapping[str, Any]) -> dict[str, float]:
        bound = super().bind(params)
        for k in self.integers:
            if not float(bound[k]).is_integer():
                raise ValueError(f"{self.name}: parameter {k!r} = {bound[k]!r} must be "
                                 "a whole number")
            bound[k] = int(bound[k])
        return bound

    def out_len(self, n: int, **params: Any) -> int:
        """Number of outputs for an input vector of length ``n`` (checked)."""
        return self._length(self._whole(n), self.bind(params))

    def _whole(self, n: Any) -> int:
        """``n``, the length of a vector, checked to be a whole number >= 1."""
        if isinstance(n, bool | np.bool_) or not isinstance(n, int | np.integer):
            raise TypeError(f"{self.name}: n, the length of the input vector, must be "
                            f"a whole number >= 1, got {type(n).__name__}")
        if n < 1:
            raise ValueError(f"{self.name}: n, the length of the input vector, must be "
                             f"a whole number >= 1, got {n}")
        return int(n)

    def _length(self, n: int, bound: Mapping[str, Any]) -> int:
        """The number of outputs for n inputs; a length that does not fit (odd for
        a GLU, say) is a ``ValueError`` naming the activation."""
        try:
            return self._out_len(n, **bound)
        except ValueError as e:
            raise ValueError(f"{self.name}: {e}") from None

    def default_n(self, **params: Any) -> int:
        """A small valid input length (used by ``expr()`` without ``n``)."""
        return self._default_n(**self.bind(params))

    def lengths(self, low: int = 1, high: int = 64, **params: Any) -> list[int]:
        """The valid input lengths ``n``, ``low <= n <= high``, for these parameters."""
        bound = self.bind(params)
        return [n for n in range(low, high + 1) if self._fits(n, bound)]

    def smallest_n(self, low: int = 1, **params: Any) -> int:
        """The smallest valid input length ``n >= low`` (searched up to 64).

        The one rule by which the verifier, the figures and the properties choose
        a length: the smallest one from 2 (figures, and the verifier when no
        length up to 6 is valid), or from 4 (properties).
        """
        bound = self.bind(params)
        n = next((n for n in range(low, 65) if self._fits(n, bound)), None)
        if n is None:
            raise ValueError(f"{self.name}: no valid input length between {low} and 64")
        return n

    def _fits(self, n: int, bound: Mapping[str, Any]) -> bool:
        try:
            self._out_len(n, **bound)
        except ValueError:
            return False
        return True

    def _axis(self, arr: np.ndarray, axis: Any) -> int:
        if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
            raise TypeError(f"{self.name}: axis must be an integer, got "
                            f"{type(axis).__name__}")
        if arr.ndim == 0:
            raise ValueError(f"{self.name} is not elementwise: it needs an array "
                             "with at least one axis (a vector), got a scalar")
        if not -arr.ndim <= axis < arr.ndim:
            raise ValueError(f"{self.name}: axis {axis} is out of range for an input "
                             f"of shape {arr.shape} ({arr.ndim} axes)")
        return int(axis) % arr.ndim

    def _prepare(self, x: Any, axis: Any, params: Mapping[str, Any]):
        arr, dtype = as_real_array(x, self.name)
        bound = self.bind(params)
        ax = self._axis(arr, axis)
        n = arr.shape[ax]
        if n == 0:
            raise ValueError(f"{self.name}: the axis {axis} is empty (length 0)")
        self._length(n, bound)
        return np.moveaxis(arr, ax, -1), dtype, ax, bound

    # --- numeric -------------------------------------------------------------------
    def __call__(self, x: Any, axis: int = -1, **params: Any):
        """The forward pass along ``axis``; float16/32/64 dtype kept."""
        arr, dtype, ax, bound = self._prepare(x, axis, params)
        return compute(
            lambda a: finish(np.moveaxis(self._fn(a, **bound), -1, ax), dtype), arr)

    def derivative(self, x: Any, **params: Any):
        """Refused: the derivative of a vector-valued activation is a matrix."""
        as_real_array(x, self.name)
        params.pop("axis", None)
        self.bind(params)
        raise TypeError(
            f"{self.name} is not elementwise, so it has no elementwise derivative: "
            f"use {self.name}.jacobian(x, axis=-1) for the matrix of partial "
            f"derivatives, or {self.name}.vjp(x, g, axis=-1) for the "
            "vector-Jacobian product g^T J that backpropagation needs"
        )

    def value_and_derivative(self, x: Any, **params: Any):
        """Refused, as :meth:`derivative` is."""
        return self.derivative(x, **params)

    def jacobian(self, x: Any, axis: int = -1, **params: Any):
        """``J[..., i, j] = d y_i / d x_j``: shape ``batch + (m, n)``.

        The batch axes are those of ``x`` other than ``axis``, in order.
        """
        arr, dtype, _, bound = self._prepare(x, axis, params)
        return compute(lambda a: finish(self._jac(a, **bound), dtype), arr)

    def vjp(self, x: Any, g: Any, axis: int = -1, **params: Any):
        """The vector-Jacobian product ``g^T J`` along ``axis``: shape of ``x``.

        ``g`` has the shape of the output; the product is computed in closed form,
        without forming the Jacobian.
        """
        arr, dtype, ax, bound = self._prepare(x, axis, params)
        garr, gdtype = as_real_array(g, self.name, "g")
        out_shape = list(arr.shape)
        out_shape[-1] = self._length(arr.shape[-1], bound)
        gl = np.moveaxis(garr, ax, -1) if garr.ndim == arr.ndim else garr
        if tuple(gl.shape) != tuple(out_shape):
            expected = list(out_shape)
            expected.insert(ax, expected.pop())
            raise ValueError(f"{self.name}: g must have the shape of the output, "
                             f"{tuple(expected)}, got {garr.shape}")
        gl = compute(lambda b: b.astype(arr.dtype, copy=False), gl)

        def run(a, b):
            return finish(np.moveaxis(_scaled_vjp(self._vjp, a, b, bound), -1, ax),
                           dtype)

        return compute(run, arr, gl)

    # --- symbolic ------------------------------------------------------------------
    def input_symbols(self, n: int | None = None, **params: Any) -> list[sp.Symbol]:
        return input_symbols(self.default_n(**params) if n is None else self._whole(n))

    def expr(self, n: int | None = None, **params: Any) -> sp.Matrix:
        """The outputs for ``n`` symbolic inputs x_1..x_n, as a column Matrix."""
        bound = self.bind(params)
        n = self._default_n(**bound) if n is None else self._whole(n)
        self._length(n, bound)
        return sp.Matrix(self._sym(input_symbols(n), **bound))

    def jacobian_expr(self, n: int | None = None, **params: Any) -> sp.Matrix:
        """SymPy's Jacobian of :meth:`expr`, the m x n matrix d y_i / d x_j.

        A piecewise output is differentiated branch by branch, its conditions
        kept as they are (see :func:`_diff`).
        """
        n = self.default_n(**params) if n is None else self._whole(n)
        y = self.expr(n, **params)
        xs = input_symbols(n)
        return sp.Matrix(len(y), n, lambda i, j: _diff(y[i], xs[j]))

    def kink_points(self, **params: Any) -> list[float]:
        return []


register_kind(VectorActivation, __name__)


# --- helpers ----------------------------------------------------------------------

def _diff(e: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """d e / d v; a Piecewise branch by branch, with its conditions untouched.

    This is what SymPy's own derivative of a Piecewise computes, but SymPy then
    rebuilds the Piecewise with evaluation, which compares every condition with
    every other (to merge and drop branches): for sparsemax, whose output is a
    Piecewise over all 2**n - 1 supports, the Jacobian of four inputs took minutes.
    """
    if isinstance(e, sp.Piecewise):
        return sp.Piecewise(*[(_diff(b, v), c) for b, c in e.args], evaluate=False)
    return e.diff(v)


def _same(n: int, **_: Any) -> int:
    return n


def _halves(n: int, **_: Any) -> int:
    if n % 2:
        raise ValueError(f"the split axis must have an even length to be cut in two "
                         f"halves a, b; got length {n}")
    return n // 2


def _groups(n: int, pieces: int) -> int:
    if n % pieces:
        raise ValueError(f"the axis length {n} is not divisible by pieces={pieces}: "
                         "maxout takes the maximum over groups of `pieces` "
                         "consecutive entries")
    return n // pieces


def _shift(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x - max(x), index of the max)`` along the last axis, with no warning.

    Entries equal to the maximum get exactly 0 (so ``inf - inf`` never happens);
    a NaN makes the maximum, and so the whole row, NaN. Below the maximum by more
    than the largest float, the difference correctly rounds to -inf.
    """
    m = np.max(x, axis=-1, keepdims=True)
    d = np.zeros_like(x)
    with np.errstate(over="ignore"):
        np.subtract(x, m, out=d, where=(x != m))
    return d, np.argmax(d, axis=-1)[..., None]


def _exp_parts(x: np.ndarray):
    """e = exp(x - max), S = sum e >= 1, rest_i = sum_{j != i} e_j (no cancellation)."""
    d, imax = _shift(x)
    e = np.exp(d)
    total = np.sum(e, axis=-1, keepdims=True)
    n = x.shape[-1]
    off = ~np.eye(n, dtype=bool)
    rest = np.sum(e[..., None, :] * off, axis=-1)  # rest[i] = sum_{j != i} e_j
    return d, imax, e, total, rest


# --- softmax ----------------------------------------------------------------------

def _softmax(x: np.ndarray) -> np.ndarray:
    r""":math:`s_i = e^{x_i - m} / \sum_j e^{x_j - m}`, :math:`m = \max_j x_j`."""
    d, _ = _shift(x)
    e = np.exp(d)
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = \operatorname{diag}(s) - s s^\top`.

    The diagonal :math:`s_i(1 - s_i)` is computed as :math:`s_i \cdot
    \sum_{j\ne i} e_j / S`, so it keeps its digits when :math:`s_i` rounds to 1.
    """
    _, _, e, total, rest = _exp_parts(x)
    s = e / total
    jac = -s[..., :, None] * s[..., None, :]
    n = x.shape[-1]
    idx = np.arange(n)
    jac[..., idx, idx] = s * (rest / total)
    return jac


def _scaled_vjp(vjp, x: np.ndarray, g: np.ndarray, params: dict) -> np.ndarray:
    """``vjp(x, g)``, safe for any g: the product is linear in g.

    Where the plain product raises no overflow or invalid flag it is returned as
    it is (a subnormal Jacobian entry keeps its digits). Otherwise each row of g
    whose largest entry is beyond the square root of the largest float is first
    divided by a power of two (exact) that brings it below 1, and the result
    multiplied back, so no sum or difference inside overflows (g = [max, -max]
    gives the true product, not inf - inf); a result beyond the largest float is
    then inf, its correctly rounded value. A row with an infinite or NaN entry
    gives what the formula gives (NaN where inf - inf appears) without an
    "invalid" warning, as an infinite x does.
    """
    if g.size == 0 or g.shape[-1] == 0:
        return vjp(x, g, **params)
    flagged: list[str] = []  # the usual case: nothing to scale, nothing infinite
    with np.errstate(over="call", invalid="call",
                     call=lambda err, flag: flagged.append(err)):
        out = vjp(x, g, **params)
    if not flagged:
        return out
    finite = bool(np.isfinite(g).all())
    with np.errstate(invalid="ignore"):
        m = np.max(np.abs(g), axis=-1, keepdims=True)
    _, k = np.frexp(m)
    k = np.where(np.isfinite(m) & (k > np.finfo(g.dtype).maxexp // 2), k, 0)
    scaled = bool(k.any())
    if scaled:
        g = np.ldexp(g, -k)
    if finite:
        out = vjp(x, g, **params)
    else:
        with np.errstate(invalid="ignore"):
            out = vjp(x, g, **params)
    if scaled:
        with np.errstate(over="ignore"):
            out = np.ldexp(out, k)
    return out


def _softmax_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_j = s_j\,(g_j - \langle g, s\rangle)`.

    At the largest entry :math:`j^*`, where :math:`s_{j^*}` may round to 1, the
    bracket is written as :math:`\sum_{i \ne j^*} s_i (g_{j^*} - g_i)` instead,
    which does not cancel.
    """
    d, imax = _shift(x)
    e = np.exp(d)
    s = e / np.sum(e, axis=-1, keepdims=True)
    r = g - np.sum(g * s, axis=-1, keepdims=True)
    gstar = np.take_along_axis(g, imax, axis=-1)
    rstar = np.sum(s * (gstar - g), axis=-1, keepdims=True)
    np.put_along_axis(r, imax, rstar, axis=-1)
    return s * r


def _softmax_sym(xs, **_: Any):
    total = sum(sp.exp(v) for v in xs)
    return [sp.exp(v) / total for v in xs]


# --- log-softmax ------------------------------------------------------------------

def _log_softmax(x: np.ndarray) -> np.ndarray:
    r""":math:`x_i - m - \log(1 + \sum_{j \ne j^*} e^{x_j - m})`, by ``log1p``.

    The sum leaves out the largest entry (whose term is exactly 1), so the small
    correction :math:`\log(1 + \epsilon) \approx \epsilon` keeps its digits.
    """
    d, imax = _shift(x)
    e = np.exp(d)
    np.put_along_axis(e, imax, 0.0, axis=-1)
    return d - np.log1p(np.sum(e, axis=-1, keepdims=True))


def _log_softmax_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J_{ij} = \delta_{ij} - s_j`; the diagonal :math:`1 - s_i` as
    :math:`\sum_{j\ne i} e_j / S`."""
    _, _, e, total, rest = _exp_parts(x)
    s = e / total
    n = x.shape[-1]
    jac = np.broadcast_to(-s[..., None, :], (*s.shape, n)).copy()
    idx = np.arange(n)
    jac[..., idx, idx] = rest / total
    return jac


def _log_softmax_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_j = g_j - s_j \sum_i g_i`.

    At the largest entry it is written :math:`g_{j^*} (1 - s_{j^*}) - s_{j^*}
    \sum_{i\ne j^*} g_i`, with :math:`1 - s_{j^*}` from the other terms.
    """
    d, imax = _shift(x)
    e = np.exp(d)
    total = np.sum(e, axis=-1, keepdims=True)
    s = e / total
    out = g - s * np.sum(g, axis=-1, keepdims=True)
    e_others = e.copy()
    np.put_along_axis(e_others, imax, 0.0, axis=-1)
    g_others = g.copy()
    np.put_along_axis(g_others, imax, 0.0, axis=-1)
    gstar = np.take_along_axis(g, imax, axis=-1)
    sstar = np.take_along_axis(s, imax, axis=-1)
    one_minus = np.sum(e_others, axis=-1, keepdims=True) / total
    star = gstar * one_minus - sstar * np.sum(g_others, axis=-1, keepdims=True)
    np.put_along_axis(out, imax, star, axis=-1)
    return out


def _log_softmax_sym(xs, **_: Any):
    lse = sp.log(sum(sp.exp(v) for v in xs))
    return [v - lse for v in xs]


# --- softmin ----------------------------------------------------------------------

def _softmin(x: np.ndarray) -> np.ndarray:
    return _softmax(-x)


def _softmin_jacobian(x: np.ndarray) -> np.ndarray:
    return -_softmax_jacobian(-x)


def _softmin_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    return -_softmax_vjp(-x, g)


def _softmin_sym(xs, **_: Any):
    total = sum(sp.exp(-v) for v in xs)
    return [sp.exp(-v) / total for v in xs]


# --- sparsemax --------------------------------------------------------------------

def _sparsemax_parts(x: np.ndarray):
    r"""``(p, support)``: :math:`p = \max(z - \tau, 0)`, :math:`z = x - \max x`.

    :math:`\tau` is found by sorting (Martins and Astudillo, Algorithm 1): the
    support size is the largest k with :math:`1 + k z_{(k)} > \sum_{j \le k}
    z_{(j)}`.
    """
    z, _ = _shift(x)
    zs = -np.sort(-z, axis=-1)
    with np.errstate(over="ignore"):
        cs = np.cumsum(zs, axis=-1)
    k = np.arange(1, x.shape[-1] + 1, dtype=x.dtype)
    # -inf * k + 1 > -inf is False, not an error; k * z overflowing to -inf is the
    # correctly rounded product (that entry is far outside the support).
    with np.errstate(invalid="ignore", over="ignore"):
        inside = 1 + k * zs > cs
    size = np.maximum(np.sum(inside, axis=-1, keepdims=True), 1)
    csum = np.take_along_axis(cs, size - 1, axis=-1)
    tau = (csum - 1) / size.astype(x.dtype)
    with np.errstate(invalid="ignore"):
        p = np.maximum(z - tau, 0)
    p = np.where(np.isnan(z), z, p)
    return p, p > 0


def _sparsemax(x: np.ndarray) -> np.ndarray:
    return _sparsemax_parts(x)[0]


def _sparsemax_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = \operatorname{diag}(u) - u u^\top / |S|`, u the support indicator."""
    p, sup = _sparsemax_parts(x)
    u = sup.astype(x.dtype)
    size = np.maximum(np.sum(u, axis=-1, keepdims=True), 1)[..., None]
    jac = -u[..., :, None] * u[..., None, :] / size
    n = x.shape[-1]
    idx = np.arange(n)
    jac[..., idx, idx] += u
    nan = np.any(np.isnan(p), axis=-1)[..., None, None]
    return np.where(nan, np.nan, jac)


def _sparsemax_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_j = u_j (g_j - \bar g_S)`, :math:`\bar g_S` the mean of g
    over the support."""
    p, sup = _sparsemax_parts(x)
    u = sup.astype(x.dtype)
    size = np.maximum(np.sum(u, axis=-1, keepdims=True), 1)
    mean = np.sum(g * u, axis=-1, keepdims=True) / size
    out = u * (g - mean)
    return np.where(np.isnan(p).any(axis=-1, keepdims=True), np.nan, out)


SPARSEMAX_SYM_MAX_N = 8
"""The largest n for which sparsemax's ``expr(n)`` and ``jacobian_expr(n)`` are
built: each output is a Piecewise with a branch for each of the 2**n - 1 possible
supports, so the time to build them more than doubles with every input."""


def _sparsemax_sym(xs, **_: Any):
    """A Piecewise over every possible support S: where S is the support, the
    outputs are x_i - tau_S on S and 0 elsewhere, tau_S = (sum_S x - 1)/|S|."""
    n = len(xs)
    if n > SPARSEMAX_SYM_MAX_N:
        raise ValueError(
            f"sparsemax: the symbolic expression is limited to n <= "
            f"{SPARSEMAX_SYM_MAX_N} inputs, got n = {n}: each output is a Piecewise "
            f"with one branch per possible support, 2**n - 1 = {2**n - 1} of them, "
            "and the time to build it more than doubles with every input; the "
            "numeric sparsemax, jacobian and vjp take any length"
        )
    branches: list[list] = [[] for _ in range(n)]
    for mask in range(1, 2**n):
        members = [i for i in range(n) if mask >> i & 1]
        tau = (sum(xs[i] for i in members) - 1) / len(members)
        # The inequalities are built unevaluated: SymPy's attempt to decide each
        # one from the symbols' assumptions was most of the time. Only x_i > x_i - 1
        # (a support of one entry) is decidable, and it is always true.
        cond = sp.And(*[sp.StrictGreaterThan(xs[i], tau, evaluate=False)
                        if i in members else sp.LessThan(xs[i], tau, evaluate=False)
                        for i in range(n) if i not in members or len(members) > 1])
        for i in range(n):
            branches[i].append((xs[i] - tau if i in members else sp.Integer(0), cond))
    return [sp.Piecewise(*b, (0, True), evaluate=False) for b in branches]


# --- maxout -----------------------------------------------------------------------

def _grouped(x: np.ndarray, pieces: int) -> np.ndarray:
    return x.reshape(*x.shape[:-1], x.shape[-1] // pieces, pieces)


def _maxout(x: np.ndarray, pieces: int) -> np.ndarray:
    return np.max(_grouped(x, pieces), axis=-1)


def _maxout_onehot(x: np.ndarray, pieces: int) -> np.ndarray:
    """The derivative of each group's max: 1 at its first maximal entry."""
    grp = _grouped(x, pieces)
    first = np.argmax(grp, axis=-1)[..., None]
    hot = np.zeros_like(grp)
    np.put_along_axis(hot, first, 1.0, axis=-1)
    return np.where(np.isnan(grp).any(axis=-1, keepdims=True), np.nan, hot)


def _maxout_jacobian(x: np.ndarray, pieces: int) -> np.ndarray:
    hot = _maxout_onehot(x, pieces)  # (..., m, pieces)
    m = hot.shape[-2]
    jac = np.zeros((*hot.shape[:-2], m, m * pieces), dtype=x.dtype)
    for k in range(m):
        jac[..., k, k * pieces:(k + 1) * pieces] = hot[..., k, :]
    return jac


def _maxout_vjp(x: np.ndarray, g: np.ndarray, pieces: int) -> np.ndarray:
    hot = _maxout_onehot(x, pieces)
    return (hot * g[..., None]).reshape(x.shape)


def _maxout_sym(xs, pieces: int):
    return [sp.Max(*xs[k:k + pieces]) for k in range(0, len(xs), pieces)]


# --- gated linear units -----------------------------------------------------------

def _gate(name: str, **params: float) -> tuple[Callable, Callable]:
    """The value and the slope of the registered activation ``name``, from its
    kernel (looked up when called, so this module imports no family module): a
    gate is that function bit for bit, with its tails."""

    def value(b: np.ndarray) -> np.ndarray:
        return core.value(get(name).kernel, b, **params)

    def slope(b: np.ndarray) -> np.ndarray:
        return core.slope(get(name).kernel, b, **params)

    return value, slope


_GATES: dict[str, tuple] = {
    # gate, its derivative (the kernels of the registered sigmoid, silu, gelu and
    # relu), the sign of each where they underflow to 0 for very negative b (None:
    # the gate is exactly 0 there, as ReLU's is)
    "glu": (*_gate("sigmoid"), 1.0, 1.0),
    "swiglu": (*_gate("silu", beta=1.0), -1.0, -1.0),
    "geglu": (*_gate("gelu"), -1.0, -1.0),
    "geglu_tanh": (*_gate("gelu_tanh"), -1.0, -1.0),
    "reglu": (*_gate("relu"), None, None),
}


def _times(a: np.ndarray, v: np.ndarray, b: np.ndarray, tail: float | None):
    r"""``a * v`` where ``v`` is the gate (or its slope) at ``b``, without ``inf * 0``.

    For infinite ``a`` and finite ``b`` the product is ``a`` times the sign of the
    exact gate value (which is 0 only where the gate is exactly 0); where ``b`` is
    -inf as well, the limit depends on the path, and the result is NaN.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # inf: the rounded product
        out = a * v
    inf_a = np.isinf(a)
    if np.any(inf_a):
        sign = np.sign(v)
        if tail is not None:
            sign = np.where((v == 0) & (b < 0), tail, sign)
            sign = np.where(np.isneginf(b), np.nan, sign)
        with np.errstate(invalid="ignore"):
            fix = np.where(sign == 0, 0.0, a * sign)
        out = np.where(inf_a & ~np.isnan(b), fix, out).astype(a.dtype, copy=False)
    return out


def _log_gate(kind: str, slope: bool, b: np.ndarray) -> tuple[float, np.ndarray]:
    r"""``(sign, log|g(b)|)`` of the gate (or, with ``slope``, of its derivative)
    on its far tails, :math:`|b| \ge 1` in float64, from logarithms: there g is
    subnormal or 0, and only :math:`a\,g(b)` may be a normal number (every
    such tail is on the left but that of :math:`\sigma'`, which is even).

    * sigmoid: :math:`\log\sigma(b) = b - \log(1 + e^b)`, and
      :math:`\log\sigma'(b) = -|b| - 2\log(1 + e^{-|b|})`;
    * SiLU: :math:`\log|b\sigma(b)|`, and :math:`\sigma(b)\,(1 + b\sigma(-b))`
      whose bracket is negative and does not cancel for b < -1;
    * GELU: :math:`\log|b| + \log\Phi(b)`, and the slope as in
      :func:`activations.self_gated._gelu_tail`.
    """
    with np.errstate(divide="ignore"):  # log(0) = -inf: the gate is 0
        if kind == "glu":  # sigma' is even: its right tail too
            t = -np.abs(b) if slope else b
            return 1.0, t - (2.0 if slope else 1.0) * np.log1p(np.exp(t))
        log_sig = b - np.log1p(np.exp(b))
        if kind == "swiglu":
            if slope:
                return -1.0, log_sig + np.log(-(1 + b / (1 + np.exp(b))))
            return -1.0, np.log(-b) + log_sig
        if kind == "geglu_tanh":
            return _log_gelu_tanh(slope, b)
        from scipy.special import log_ndtr

        # below -60, |a g(b)| < 1e308 e^-1800 is 0: b^2 must not overflow
        b = np.maximum(b, -60.0)
        log_cdf = log_ndtr(b)
        if not slope:
            return -1.0, np.log(-b) + log_cdf
        big = np.log(-b) - 0.5 * b * b - 0.5 * math.log(2 * math.pi)
        return -1.0, big + np.log1p(-np.exp(log_cdf - big))


def _log_gelu_tanh(slope: bool, b: np.ndarray) -> tuple[float, np.ndarray]:
    r"""``(sign, log|g(b)|)`` for the tanh form of GELU, :math:`g(b) = b\,\sigma(2u)`
    with :math:`u = c\,(b + k b^3)`, for :math:`b \le -1`: :math:`\log(-b) +
    \log\sigma(2u)`, and for the slope :math:`g' = \sigma(2u)\,(1 + 2bu'\sigma(-2u))`,
    whose bracket is negative there (:math:`u' = c\,(1 + 3kb^2)`)."""
    c, k = math.sqrt(2 / math.pi), 0.044715
    b = np.maximum(b, -60.0)  # below, |a g(b)| < 1e308 e^-15000 is 0: no overflow
    two_u = 2 * c * (b + k * b**3)
    log_sig = two_u - np.log1p(np.exp(two_u))
    if not slope:
        return -1.0, np.log(-b) + log_sig
    bracket = 1 + 2 * b * c * (1 + 3 * k * b * b) / (1 + np.exp(two_u))
    return -1.0, log_sig + np.log(-bracket)


def _gated(kind: str, slope: bool, a: np.ndarray, b: np.ndarray,
           v: np.ndarray, out: np.ndarray) -> np.ndarray:
    r"""``out`` = :math:`a\,v` made right, in place, where the gate ``v`` = g(b) (or
    its slope) is subnormal or 0 in the dtype and the product may not be.

    There ``v`` has lost its digits before the multiplication (GLU's
    :math:`-96\,\sigma(-96)` was 26 ulps off in float32, GEGLU's
    :math:`1.8\cdot10^{19}\,\mathrm{gelu}(1.4\cdot10^{-45})` 0.0). The product
    is rounded once instead: in float64 from the float64 kernels for a narrower
    dtype, and in float64 itself as :math:`(a/2)\,b` for a tiny b (where
    :math:`g(b) = b/2` to the last bit) or :math:`\pm e^{\log|a| + \log|g(b)|}`
    on the far left, whose error (a few ulps of the exponent) is within the
    condition :math:`|b|` or :math:`b^2` there.  Where :math:`|a| = 1` the product
    is exact and ``v`` is kept: the gate stays the registered activation.
    """
    if kind == "reglu" or out.size == 0:  # relu: exactly 0 or b
        return out
    dtype = out.dtype
    tiny = float(np.finfo(dtype).tiny)
    with np.errstate(invalid="ignore"):
        fix = ((np.abs(v) < tiny) & np.isfinite(a) & (a != 0) & (np.abs(a) != 1)
               & np.isfinite(b) & (b != 0))
    if not fix.any():
        return out
    af, bf = (np.broadcast_to(t, fix.shape)[fix].astype(np.float64) for t in (a, b))
    if dtype != np.float64:
        gate, dgate = _GATES[kind][:2]
        prod = af * (dgate if slope else gate)(bf)
    else:
        prod = np.empty_like(bf)
        small = np.abs(bf) < 1
        prod[small] = (0.5 * af[small]) * bf[small]
        sign, log_g = _log_gate(kind, slope, bf[~small])
        big_a = af[~small]
        with np.errstate(under="ignore"):
            prod[~small] = sign * np.sign(big_a) * np.exp(np.log(np.abs(big_a))
                                                          + log_g)
    out[fix] = prod.astype(dtype)
    return out


def _glu_family(kind: str):
    gate, dgate, tail, dtail = _GATES[kind]

    def split(x):
        m = x.shape[-1] // 2
        return x[..., :m], x[..., m:]

    def product(a, b, v, t, slope):
        return _gated(kind, slope, a, b, v, _times(a, v, b, t))

    def fn(x):
        a, b = split(x)
        return product(a, b, gate(b), tail, False)

    def parts(x):
        a, b = split(x)
        return a, b, gate(b), product(a, b, dgate(b), dtail, True)

    def jac(x):
        a, _, ga, da = parts(x)
        m = a.shape[-1]
        out = np.zeros((*a.shape[:-1], m, 2 * m), dtype=x.dtype)
        idx = np.arange(m)
        out[..., idx, idx] = ga
        out[..., idx, idx + m] = da
        return out

    def vjp(x, g):
        _, b, ga, da = parts(x)
        first = _gated(kind, False, g, b, ga, _times(g, ga, b, None))
        return np.concatenate([first, _times(g, da, b, None)], axis=-1)

    return fn, jac, vjp


def _glu_sym_gate(kind: str, b):
    if kind == "glu":
        return 1 / (1 + sp.exp(-b))
    if kind == "swiglu":
        return b / (1 + sp.exp(-b))
    if kind == "geglu":
        return b * (1 + sp.erf(b / sp.sqrt(2))) / 2
    if kind == "geglu_tanh":
        inner = sp.sqrt(2 / sp.pi) * (b + sp.Rational(44715, 10**6) * b**3)
        return b * (1 + sp.tanh(inner)) / 2
    return sp.Piecewise((b, b > 0), (0, True))


def _glu_sym(kind: str):
    def sym(xs, **_: Any):
        m = len(xs) // 2
        return [xs[k] * _glu_sym_gate(kind, xs[m + k]) for k in range(m)]

    return sym


# --- gated tanh unit --------------------------------------------------------------

_TANH = _gate("tanh")
_SIGMOID = _gate("sigmoid")


def _gtu_parts(x: np.ndarray, slopes: bool):
    r"""``(t, s, dt, ds)`` for the halves ``(a, b)`` of x: :math:`t = \tanh a`,
    :math:`s = \sigma(b)` and, with ``slopes``, :math:`\tanh' a` and
    :math:`\sigma'(b)`, each from its registered kernel (so :math:`1 - \tanh^2 a`
    never cancels and no exponential overflows)."""
    m = x.shape[-1] // 2
    a, b = x[..., :m], x[..., m:]
    t, s = _TANH[0](a), _SIGMOID[0](b)
    if not slopes:
        return t, s, None, None
    return t, s, _TANH[1](a), _SIGMOID[1](b)


def _gtu(x: np.ndarray) -> np.ndarray:
    r""":math:`\tanh(a) \otimes \sigma(b)`: both factors lie in [-1, 1], so the
    product neither overflows nor meets :math:`\infty \cdot 0`."""
    t, s, _, _ = _gtu_parts(x, False)
    return t * s


def _gtu_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = [\operatorname{diag}(\tanh'(a)\,\sigma(b)) \;\;
    \operatorname{diag}(\tanh(a)\,\sigma'(b))]`."""
    t, s, dt, ds = _gtu_parts(x, True)
    m = t.shape[-1]
    out = np.zeros((*t.shape[:-1], m, 2 * m), dtype=x.dtype)
    idx = np.arange(m)
    out[..., idx, idx] = dt * s
    out[..., idx, idx + m] = t * ds
    return out


def _gtu_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`g^\top J = (g \otimes \tanh'(a) \otimes \sigma(b),\;
    g \otimes \tanh(a) \otimes \sigma'(b))`, each product taken from the
    outside in, so a large g meets the small factor last."""
    t, s, dt, ds = _gtu_parts(x, True)
    return np.concatenate([(g * s) * dt, (g * t) * ds], axis=-1)


def _gtu_sym(xs, **_: Any):
    m = len(xs) // 2
    return [sp.tanh(xs[k]) / (1 + sp.exp(-xs[m + k])) for k in range(m)]


# --- clamped SwiGLU of gpt-oss ----------------------------------------------------

def _oai_tail(factors: tuple, g: np.ndarray, alpha: float, slope: bool,
              s: np.ndarray) -> np.ndarray:
    r"""``s`` times the product of ``factors`` (taken in order, float64), where
    ``s`` is the gate :math:`\operatorname{silu}_\alpha(g) = g\,\sigma(\alpha g)`
    (or, with ``slope``, its derivative) at g.

    Where the gate is subnormal or 0 it has lost its digits before the
    multiplication, and the product m of the factors is applied in one rounding
    instead: :math:`(m/2)\,g` for a tiny g (where :math:`\sigma(\alpha g) = 1/2`
    to the last bit), else :math:`\pm\exp(\sum\log|m_i| + \log|s(g)|)` with
    :math:`\log\sigma(\alpha g) = \alpha g - \log(1 + e^{\alpha g})`, whose
    error is within the condition :math:`\alpha|g|` there (as :func:`_gated`
    does for SwiGLU). A product beyond the largest float is inf, its correctly
    rounded value.
    """
    out = s
    with np.errstate(over="ignore", invalid="ignore"):
        for m in factors:
            out = out * m
    tiny = float(np.finfo(np.float64).tiny)
    with np.errstate(invalid="ignore", over="ignore"):
        fix = (np.abs(s) < tiny) & np.isfinite(g) & (g != 0)
        m_abs = np.ones_like(out)
        for m in factors:
            fix &= np.isfinite(m) & (m != 0)
            m_abs = m_abs * np.abs(m) if np.ndim(m) else m_abs * abs(m)
        fix &= m_abs != 1
    if not fix.any():
        return out
    gf = g[fix]
    parts = [np.broadcast_to(m, fix.shape)[fix] for m in factors]
    sign = np.prod([np.sign(p) for p in parts], axis=0)
    with np.errstate(divide="ignore"):
        log_m = np.sum([np.log(np.abs(p)) for p in parts], axis=0)
    prod = out[fix].copy()
    small = np.abs(gf) < 1
    if not slope:  # a tiny g: s = g/2 exactly; the slope is about 1/2, never tiny
        prod[small] = 0.5 * gf[small]
        for p in parts:
            prod[small] = prod[small] * p[small]
    far = ~small
    with np.errstate(over="ignore"):  # below -1e4 every such product is 0
        b = np.maximum(alpha * gf[far], -1e4)
    with np.errstate(divide="ignore", under="ignore", over="ignore"):
        log_sig = b - np.log1p(np.exp(b))
        if slope:
            log_s = log_sig + np.log(-(1 + b / (1 + np.exp(b))))
        else:
            log_s = np.log(-gf[far]) + log_sig
        prod[far] = -sign[far] * np.exp(log_m[far] + log_s)
    out = np.array(out)
    out[fix] = prod
    return out


def _oai_parts(x: np.ndarray, alpha: float, limit: float):
    r"""The pieces of :math:`y = \operatorname{silu}_\alpha(g)\,(\ell + 1)` for the
    interleaved pairs of x, in float64: ``u = x[..., 0::2]`` (gated) and
    ``w = x[..., 1::2]`` (linear), :math:`g = \min(u, L)`,
    :math:`f = \operatorname{clip}(w, -L, L) + 1`, the gate
    :math:`v = g\,\sigma(\alpha g)` (the registered SiLU with ``beta`` = alpha)
    and its slope ``dv``. A narrower dtype is computed in float64 and rounded
    once at the end (:func:`_narrow`).
    """
    x = x.astype(np.float64, copy=False)
    u, w = x[..., 0::2], x[..., 1::2]
    g = np.minimum(u, limit)
    f = np.clip(w, -limit, limit) + 1.0
    return u, w, g, f


def _oai_gate(g: np.ndarray, alpha: float, slope: bool) -> np.ndarray:
    kernel = get("silu").kernel
    return (core.slope if slope else core.value)(kernel, g, beta=alpha)


def _oai_partials(x: np.ndarray, alpha: float, limit: float, g_out=None):
    r"""``(d/du, d/dw)`` of each output, or, given the cotangent ``g_out``, those
    times it (the two halves of the VJP), each product rounded once.

    At a clamp's edge, :math:`u = L` or :math:`|w| = L`, the derivative is the
    inner one (the clamp passes the gradient), as PyTorch's ``clamp`` does;
    beyond it the derivative is 0.
    """
    u, w, g, f = _oai_parts(x, alpha, limit)
    v, dv = _oai_gate(g, alpha, False), _oai_gate(g, alpha, True)
    cot = () if g_out is None else (g_out.astype(np.float64, copy=False),)
    du = np.where(u > limit, 0.0, _oai_tail((f, *cot), g, alpha, True, dv))
    dw = _oai_tail(cot, g, alpha, False, v)
    with np.errstate(invalid="ignore"):
        dw = np.where((w > limit) | (w < -limit), 0.0, dw)
    return du, np.where(np.isnan(w), w, dw)


def _narrow(out: np.ndarray, dtype) -> np.ndarray:
    """A float64 result rounded once to ``dtype`` (inf where it overflows)."""
    with np.errstate(over="ignore"):
        return out.astype(dtype, copy=False)


def _swiglu_oai(x: np.ndarray, alpha: float, limit: float) -> np.ndarray:
    r""":math:`\operatorname{silu}_\alpha(\min(u, L))\,(\operatorname{clip}(w, -L,
    L) + 1)`; the second factor lies in :math:`[1 - L, 1 + L]`, so no
    :math:`\infty \cdot 0` arises."""
    _, _, g, f = _oai_parts(x, alpha, limit)
    return _narrow(_oai_tail((f,), g, alpha, False, _oai_gate(g, alpha, False)),
                   x.dtype)


def _swiglu_oai_jacobian(x: np.ndarray, alpha: float, limit: float) -> np.ndarray:
    """J[k, 2k] = dy_k/du_k, J[k, 2k + 1] = dy_k/dw_k, zeros elsewhere."""
    du, dw = _oai_partials(x, alpha, limit)
    m = du.shape[-1]
    out = np.zeros((*du.shape[:-1], m, 2 * m), dtype=x.dtype)
    idx = np.arange(m)
    out[..., idx, 2 * idx] = _narrow(du, x.dtype)
    out[..., idx, 2 * idx + 1] = _narrow(dw, x.dtype)
    return out


def _swiglu_oai_vjp(x: np.ndarray, g: np.ndarray, alpha: float,
                    limit: float) -> np.ndarray:
    r""":math:`(g^\top J)_{2k} = g_k\,\partial y_k/\partial u_k` and
    :math:`(g^\top J)_{2k+1} = g_k\,\partial y_k/\partial w_k`, interleaved back."""
    du, dw = _oai_partials(x, alpha, limit, g)
    out = np.empty(x.shape, dtype=np.float64)
    out[..., 0::2] = du
    out[..., 1::2] = dw
    return _narrow(out, x.dtype)


def _swiglu_oai_sym(xs, alpha: float, limit: float):
    lim = sp.sympify(limit)
    out = []
    for k in range(len(xs) // 2):
        u, w = xs[2 * k], xs[2 * k + 1]
        g = sp.Piecewise((lim, u > lim), (u, True))
        ell = sp.Piecewise((-lim, w < -lim), (lim, w > lim), (w, True))
        out.append(g / (1 + sp.exp(-alpha * g)) * (ell + 1))
    return out


# --- concatenated ReLU ------------------------------------------------------------

_RELU = _gate("relu")


def _crelu(x: np.ndarray) -> np.ndarray:
    r""":math:`(\operatorname{relu}(x), \operatorname{relu}(-x))`, the registered
    ReLU's value of each: 2n outputs for n inputs, both 0 (and +0) at x = 0."""
    return np.concatenate([_RELU[0](x), _RELU[0](-x)], axis=-1)


def _crelu_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = \begin{bmatrix} \operatorname{diag}(\operatorname{relu}'(x)) \\
    -\operatorname{diag}(\operatorname{relu}'(-x)) \end{bmatrix}`, 2n x n; at
    :math:`x_i = 0` both entries of column i are 0 (relu'(0) = 0)."""
    n = x.shape[-1]
    out = np.zeros((*x.shape[:-1], 2 * n, n), dtype=x.dtype)
    idx = np.arange(n)
    out[..., idx, idx] = _RELU[1](x)
    out[..., idx + n, idx] = 0.0 - _RELU[1](-x)  # +0, not -0, where flat
    return out


def _crelu_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_i = g_i` where :math:`x_i > 0`, :math:`-g_{n+i}` where
    :math:`x_i < 0`, 0 at :math:`x_i = 0`: one entry of g is picked, never a
    product with 0 (an infinite cotangent on the silent half stays out)."""
    n = x.shape[-1]
    up, down = g[..., :n], g[..., n:]
    out = np.where(x > 0, up, np.where(x < 0, -down, np.zeros_like(up)))
    return np.where(np.isnan(x), x, out)


def _crelu_sym(xs, **_: Any):
    return ([sp.Piecewise((v, v > 0), (0, True)) for v in xs]
            + [sp.Piecewise((-v, v < 0), (0, True)) for v in xs])


# --- Gumbel-softmax ---------------------------------------------------------------

def _tempered(x: np.ndarray, tau: float) -> np.ndarray:
    r""":math:`z = (x - \max x)/\tau`, with no warning: a difference beyond the
    largest float, or one that the division by a small :math:`\tau` takes there,
    is :math:`-\infty`, whose exponential is the correct 0."""
    d, _ = _shift(x)
    with np.errstate(over="ignore"):
        return d / tau


def _gumbel_softmax(x: np.ndarray, tau: float) -> np.ndarray:
    r""":math:`\operatorname{softmax}(x/\tau)`: the evaluation form, in which the
    Gumbel noise is its mean, the same constant for every entry, which softmax
    does not see."""
    return _softmax(_tempered(x, tau))


def _gumbel_softmax_jacobian(x: np.ndarray, tau: float) -> np.ndarray:
    r""":math:`J = (\operatorname{diag}(s) - s s^\top)/\tau`, s the output."""
    return _softmax_jacobian(_tempered(x, tau)) / tau


def _gumbel_softmax_vjp(x: np.ndarray, g: np.ndarray, tau: float) -> np.ndarray:
    r""":math:`(g^\top J)_j = s_j\,(g_j - \langle g, s\rangle)/\tau`, softmax's
    product without cancellation, divided by :math:`\tau` once at the end."""
    return _softmax_vjp(_tempered(x, tau), g) / tau


def _gumbel_softmax_sym(xs, tau: float):
    tau = exact(float(tau)) if isinstance(tau, int | float) else tau
    total = sum(sp.exp(v / tau) for v in xs)
    return [sp.exp(v / tau) / total for v in xs]


def _add_noise(x: np.ndarray, g: np.ndarray, dtype) -> tuple[np.ndarray, np.ndarray]:
    """``(x + g, g)``: the noise rounded to the caller's ``dtype``, then added to
    x in x's working precision and the sum rounded once to ``dtype``, as PyTorch
    adds its noise to the logits; a sum beyond the largest float is inf, its
    correctly rounded value, and softmax gives such entries the whole weight."""
    g = finish(g, dtype)
    with np.errstate(over="ignore"):
        z = finish(x + np.asarray(g).astype(x.dtype), dtype)
    return z, g


class GumbelSoftmax(VectorActivation):
    r"""Gumbel-softmax, :math:`\operatorname{softmax}((x + G)/\tau)` with
    :math:`G_i = -\log(-\log U_i)` independent Gumbel(0, 1) noise.

    Evaluation (``training=False``, the default, and what every generic tool of
    the book calls) is deterministic: the noise is replaced by its mean, Euler's
    constant :math:`\gamma` in every entry, and a shift common to all entries does
    not change a softmax, so the value is :math:`\operatorname{softmax}(x/\tau)`
    (as rrelu's evaluation takes the mean of its random slope). In training the
    noise is drawn, one value per entry:

    * ``a(x, training=True, rng=g)`` returns ``(y, noise)``, the sample and the
      noise drawn (the shape of ``x``, rounded to its dtype);
    * ``a(x, training=True, noise=noise)`` uses the given noise instead;
    * ``a.jacobian`` and ``a.vjp`` take the same ``training``, ``rng`` and
      ``noise`` and differentiate the sample: the Jacobian of the softmax at
      :math:`(x + G)/\tau`, divided by :math:`\tau`.

    ``hard=True`` returns the one-hot vector of the largest entry of the sample
    (the first one on a tie, as ``torch.max`` does) in place of the sample; the
    Jacobian and VJP are those of the soft sample, the straight-through estimator
    of PyTorch's ``gumbel_softmax(..., hard=True)``. ``rng`` is a
    :class:`numpy.random.Generator` (a fresh ``default_rng()`` if None);
    evaluation ignores it.

    >>> a = get("gumbel_softmax")
    >>> a([0.0, 0.0]).tolist(), a([1.0, 0.0], hard=True).tolist()
    ([0.5, 0.5], [1.0, 0.0])
    >>> y, noise = a([0.0, 0.0], training=True, noise=[1.0, 0.0], tau=1.0)
    >>> [round(v, 4) for v in y.tolist()]
    [0.7311, 0.2689]
    """

    def _generator(self, rng):
        if rng is None:
            return np.random.default_rng()
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"{self.name}: rng must be a numpy.random.Generator or "
                            f"None, got {type(rng).__name__}")
        return rng

    def sample_noise(self, shape, rng=None) -> np.ndarray:
        """Gumbel(0, 1) noise, :math:`-\\log(-\\log U)`, float64, of ``shape``.

        >>> get("gumbel_softmax").sample_noise((2, 3)).shape
        (2, 3)
        """
        return self._generator(rng).gumbel(size=shape)

    def _noisy(self, x, axis, training, rng, noise, params):
        """``(x + noise, noise)`` rounded to x's dtype, or ``(x, None)`` in
        evaluation (where ``noise`` is refused)."""
        if not training:
            if noise is not None:
                raise ValueError(f"{self.name}: noise= applies to training=True only; "
                                 "evaluation uses the mean noise, softmax(x / tau)")
            return x, None
        arr, dtype, _, _ = self._prepare(x, axis, params)
        arr = np.moveaxis(arr, -1, self._axis(arr, axis))
        if noise is None:
            g = self.sample_noise(arr.shape, rng)
        else:
            g = broadcast_real(noise, arr.shape, self.name, "noise")
        return _add_noise(arr, g, dtype)

    def _hard(self, y, axis):
        """The one-hot vector of the first largest entry of each sample; a row
        with a NaN stays NaN."""
        y = np.asarray(y)
        ax = axis % y.ndim
        hot = np.zeros_like(y)
        np.put_along_axis(hot, np.expand_dims(np.argmax(y, axis=ax), ax), 1.0, axis=ax)
        nan = np.isnan(y).any(axis=ax, keepdims=True)
        out = np.where(nan, np.nan, hot).astype(y.dtype)
        return out[()] if out.ndim == 0 else out

    def __call__(self, x, axis: int = -1, *, training: bool = False, rng=None,
                 noise=None, hard: bool = False, **params):
        z, g = self._noisy(x, axis, training, rng, noise, params)
        y = super().__call__(z, axis, **params)
        if hard:
            y = self._hard(y, axis)
        return y if g is None else (y, g)

    def jacobian(self, x, axis: int = -1, *, training: bool = False, rng=None,
                 noise=None, hard: bool = False, **params):
        """The Jacobian of the soft sample (``hard`` changes nothing: the
        straight-through estimator)."""
        z, _ = self._noisy(x, axis, training, rng, noise, params)
        return super().jacobian(z, axis, **params)

    def vjp(self, x, g, axis: int = -1, *, training: bool = False, rng=None,
            noise=None, hard: bool = False, **params):
        """``g^T J`` of the soft sample (``hard`` changes nothing)."""
        z, _ = self._noisy(x, axis, training, rng, noise, params)
        return super().vjp(z, g, axis, **params)


# --- bilinear unit ----------------------------------------------------------------

def _bilinear(x: np.ndarray) -> np.ndarray:
    r""":math:`a \otimes b` for the halves (a, b) of x, one rounding per entry: a
    product beyond the largest float is inf, its correctly rounded value, and
    :math:`\infty \cdot 0`, which has no limit, is NaN (no warning for either)."""
    m = x.shape[-1] // 2
    with np.errstate(over="ignore", invalid="ignore"):
        return x[..., :m] * x[..., m:]


def _bilinear_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = [\operatorname{diag}(b) \;\; \operatorname{diag}(a)]`: each
    half is the other's slope."""
    m = x.shape[-1] // 2
    a, b = x[..., :m], x[..., m:]
    out = np.zeros((*a.shape[:-1], m, 2 * m), dtype=x.dtype)
    idx = np.arange(m)
    out[..., idx, idx] = b
    out[..., idx, idx + m] = a
    return out


def _bilinear_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`g^\top J = (g \otimes b,\; g \otimes a)`, each entry one
    correctly rounded product."""
    m = x.shape[-1] // 2
    with np.errstate(over="ignore", invalid="ignore"):
        return np.concatenate([g * x[..., m:], g * x[..., :m]], axis=-1)


def _bilinear_sym(xs, **_: Any):
    m = len(xs) // 2
    return [xs[k] * xs[m + k] for k in range(m)]


# --- quiet softmax (softmax_1) ----------------------------------------------------

def _with_zero(x: np.ndarray) -> np.ndarray:
    """x with a 0 appended along the last axis: the logit of "none of them"."""
    return np.concatenate([x, np.zeros_like(x[..., :1])], axis=-1)


def _quiet_softmax(x: np.ndarray) -> np.ndarray:
    r""":math:`e^{x_i} / (1 + \sum_j e^{x_j})`, the first n entries of the softmax
    of :math:`(x, 0)`: its shift by :math:`\max(0, \max_j x_j)` overflows for no
    input, and a row of :math:`-\infty` gives zeros."""
    return _softmax(_with_zero(x))[..., :-1]


def _quiet_softmax_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = \operatorname{diag}(y) - y y^\top`, the softmax Jacobian of
    :math:`(x, 0)` without its last row and column; the diagonal
    :math:`y_i (1 - y_i)` keeps its digits where :math:`y_i` rounds to 1."""
    return _softmax_jacobian(_with_zero(x))[..., :-1, :-1]


def _quiet_softmax_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_j = y_j\,(g_j - \langle g, y\rangle)`: softmax's VJP at
    :math:`(x, 0)` with cotangent :math:`(g, 0)`, without cancellation."""
    return _softmax_vjp(_with_zero(x), _with_zero(g))[..., :-1]


def _quiet_softmax_sym(xs, **_: Any):
    total = 1 + sum(sp.exp(v) for v in xs)
    return [sp.exp(v) / total for v in xs]


# --- registration -----------------------------------------------------------------

_SOFTMAX_PLOT = {"index": 0, "n": 3, "others": (0.0, 1.0),
                 "slider_values": (-2, -1, 0, 1, 2)}
_GLU_PLOT = {"index": 1, "others": (1.0,), "slider_values": (-2, -1, 0.5, 1, 2)}


def _n_to_n(name: str, fn, jac, vjp, sym) -> VectorActivation:
    """Softmax and its relatives: n outputs for n inputs, shown at n = 3."""
    return register(VectorActivation(name, fn=fn, jac=jac, vjp=vjp, sym=sym,
                                     out_len=_same, default_n=lambda: 3,
                                     plot=_SOFTMAX_PLOT))


softmax = _n_to_n("softmax", _softmax, _softmax_jacobian, _softmax_vjp,
                   _softmax_sym)

log_softmax = _n_to_n("log_softmax", _log_softmax, _log_softmax_jacobian,
                      _log_softmax_vjp, _log_softmax_sym)

softmin = _n_to_n("softmin", _softmin, _softmin_jacobian, _softmin_vjp,
                   _softmin_sym)

sparsemax = _n_to_n("sparsemax", _sparsemax, _sparsemax_jacobian, _sparsemax_vjp,
                     _sparsemax_sym)

maxout = register(
    VectorActivation(
        "maxout",
        fn=_maxout,
        jac=_maxout_jacobian,
        vjp=_maxout_vjp,
        sym=_maxout_sym,
        out_len=_groups,
        default_n=lambda pieces: 2 * pieces,
        integers=("pieces",),
        params={
            "pieces": Param(2, 1, 8, "number of consecutive entries each output is "
                            "the maximum of (k in Goodfellow et al.)", symbol="k"),
        },
        plot={"index": 0, "others": (0.5, -1.0, 1.5, 0.0, -0.5, 2.0, 1.0),
              "slider_values": (-2, -1, 0, 1, 2)},
    )
)


def _register_glu(kind: str):
    fn, jac, vjp = _glu_family(kind)
    return register(
        VectorActivation(
            kind,
            fn=fn,
            jac=jac,
            vjp=vjp,
            sym=_glu_sym(kind),
            out_len=_halves,
            default_n=lambda: 2,
            plot=_GLU_PLOT,
        )
    )


glu = _register_glu("glu")

swiglu = _register_glu("swiglu")

geglu = _register_glu("geglu")

geglu_tanh = _register_glu("geglu_tanh")

reglu = _register_glu("reglu")

gtu = register(
    VectorActivation(
        "gtu",
        fn=_gtu,
        jac=_gtu_jacobian,
        vjp=_gtu_vjp,
        sym=_gtu_sym,
        out_len=_halves,
        default_n=lambda: 2,
        plot=_GLU_PLOT,
    )
)

SWIGLU_OAI_ALPHA = 1.702
r"""The slope inside gpt-oss's gate, :math:`g\,\sigma(1.702\,g)`: the constant of
the sigmoid approximation of GELU (``alpha=1.702`` in ``swiglu`` of
``gpt_oss/torch/model.py``, which the model never changes)."""

swiglu_oai = register(
    VectorActivation(
        "swiglu_oai",
        fn=lambda x, limit: _swiglu_oai(x, SWIGLU_OAI_ALPHA, limit),
        jac=lambda x, limit: _swiglu_oai_jacobian(x, SWIGLU_OAI_ALPHA, limit),
        vjp=lambda x, g, limit: _swiglu_oai_vjp(x, g, SWIGLU_OAI_ALPHA, limit),
        sym=lambda xs, limit: _swiglu_oai_sym(xs, SWIGLU_OAI_ALPHA, limit),
        out_len=_halves,
        default_n=lambda **_: 2,
        params={
            "limit": Param(7.0, 0.0, 100.0, "the clamp L: the gated entry is "
                           "min(u, L), the linear one clip(w, -L, L)", symbol="L"),
        },
        plot={"index": 0, "others": (1.0,), "slider_values": (-2, -1, 0.5, 1, 2)},
    )
)

crelu = register(
    VectorActivation(
        "crelu",
        fn=_crelu,
        jac=_crelu_jacobian,
        vjp=_crelu_vjp,
        sym=_crelu_sym,
        out_len=lambda n, **_: 2 * n,
        default_n=lambda: 2,
        plot={"index": 0, "others": (1.0,), "slider_values": (-2, -1, 0, 1, 2)},
    )
)

gumbel_softmax = register(
    GumbelSoftmax(
        "gumbel_softmax",
        fn=_gumbel_softmax,
        jac=_gumbel_softmax_jacobian,
        vjp=_gumbel_softmax_vjp,
        sym=_gumbel_softmax_sym,
        out_len=_same,
        default_n=lambda **_: 3,
        params={
            "tau": Param(1.0, 0.1, 100.0, "temperature: small values push the "
                         "sample towards a one-hot vector", symbol="tau"),
        },
        plot=_SOFTMAX_PLOT,
    )
)

bilinear = register(
    VectorActivation(
        "bilinear",
        fn=_bilinear,
        jac=_bilinear_jacobian,
        vjp=_bilinear_vjp,
        sym=_bilinear_sym,
        out_len=_halves,
        default_n=lambda: 2,
        plot=_GLU_PLOT,
    )
)

quiet_softmax = _n_to_n("quiet_softmax", _quiet_softmax, _quiet_softmax_jacobian,
                        _quiet_softmax_vjp, _quiet_softmax_sym)


# --- 1.5-entmax, and the sorting and competing units ------------------------------
# (entmax15, maxmin, groupsort, lwta: one block)

__all__ += ["entmax15", "maxmin", "groupsort", "lwta"]


def _entmax15_parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``(p, s)``: :math:`p_i = s_i^2`, :math:`s_i = [u_i - \tau]_+`,
    :math:`u = (x - \max x)/2`, with :math:`\sum_i p_i = 1`.

    The threshold is exact, by sorting (Peters, Niculae and Martins, Algorithm 2):
    for the k largest entries :math:`\tau_k = M_k - \sqrt{(1 - S_k)/k}`, with
    :math:`M_k` their mean and :math:`S_k` the sum of their squared deviations
    from it; the support size is the number of k with :math:`\tau_k \le u_{(k)}`.
    :math:`S_k` is accumulated from non-negative terms (Welford's update,
    :math:`S_k = S_{k-1} + \tfrac{k-1}{k}(u_{(k)} - M_{k-1})^2`), never as the
    difference of two large sums. Since :math:`\tau \ge -1` (the largest entry
    has :math:`p = \tau^2 \le 1`), an entry with :math:`u_i \le -1` is outside
    the support whatever its value: entries below -2 are set to -2 first, so no
    sum overflows, and an infinite gap gives the correct 0.
    """
    d, _ = _shift(x)
    u = np.maximum(d / 2, -2.0)  # NaN stays NaN
    us = -np.sort(-u, axis=-1)
    n = x.shape[-1]
    k = np.arange(1, n + 1, dtype=x.dtype)
    mean = np.cumsum(us, axis=-1) / k
    prev = np.concatenate([np.zeros_like(mean[..., :1]), mean[..., :-1]], axis=-1)
    ss = np.cumsum((k - 1) / k * (us - prev) ** 2, axis=-1)
    tau_k = mean - np.sqrt(np.maximum((1 - ss) / k, 0))
    with np.errstate(invalid="ignore"):
        size = np.maximum(np.sum(tau_k <= us, axis=-1, keepdims=True), 1)
    tau = np.take_along_axis(tau_k, size - 1, axis=-1)
    s = np.maximum(u - tau, 0)
    nan = np.isnan(u).any(axis=-1, keepdims=True)
    s = np.where(nan, np.nan, s)
    return s * s, s


def _entmax15(x: np.ndarray) -> np.ndarray:
    return _entmax15_parts(x)[0]


def _entmax15_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = \operatorname{diag}(s) - s s^\top / \sum_j s_j`,
    :math:`s = \sqrt p` (Peters et al., Proposition 1 at :math:`\alpha = 1.5`).

    The diagonal :math:`s_i (1 - s_i / \sum s)` is computed as
    :math:`s_i \sum_{j \ne i} s_j / \sum_j s_j`, so it keeps its digits where
    one entry carries almost all the weight.
    """
    _, s = _entmax15_parts(x)
    total = np.sum(s, axis=-1, keepdims=True)
    n = x.shape[-1]
    rest = np.sum(s[..., None, :] * ~np.eye(n, dtype=bool), axis=-1)
    jac = 0.0 - s[..., :, None] * s[..., None, :] / total[..., None]  # +0 off S
    idx = np.arange(n)
    jac[..., idx, idx] = s * (rest / total)
    return jac


def _entmax15_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_j = s_j\,(g_j - \bar g_s)`, :math:`\bar g_s = \sum_i s_i
    g_i / \sum_i s_i`, the mean of g weighted by :math:`s = \sqrt p`.

    At the largest entry :math:`j^*` the bracket is written
    :math:`\sum_{i \ne j^*} s_i (g_{j^*} - g_i) / \sum_i s_i`, which does not
    cancel when :math:`s_{j^*}` carries almost all the weight (as softmax's VJP).
    """
    _, s = _entmax15_parts(x)
    total = np.sum(s, axis=-1, keepdims=True)
    r = g - np.sum(g * s, axis=-1, keepdims=True) / total
    imax = np.argmax(np.where(np.isnan(s), -np.inf, s), axis=-1)[..., None]
    gstar = np.take_along_axis(g, imax, axis=-1)
    rstar = np.sum(s * (gstar - g), axis=-1, keepdims=True) / total
    np.put_along_axis(r, imax, rstar, axis=-1)
    return s * r


ENTMAX15_SYM_MAX_N = 8
"""The largest n for which entmax15's ``expr(n)`` is built (a Piecewise over the
2**n - 1 possible supports, as sparsemax's)."""


def _entmax15_sym(xs, **_: Any):
    r"""A Piecewise over every possible support S: there the outputs are
    :math:`(x_i/2 - \tau_S)^2` on S and 0 elsewhere, with
    :math:`\tau_S = M - \sqrt{\delta}`, M the mean of :math:`x_i/2` over S and
    :math:`\delta = (1 - \sum_S (x_i/2 - M)^2)/|S|`.

    The conditions are written without the square root: an entry i of S is
    above :math:`\tau_S` when :math:`x_i/2 \ge M` or :math:`(M - x_i/2)^2 <
    \delta`; an entry outside S is below it when :math:`x_i/2 \le M` and
    :math:`(M - x_i/2)^2 \ge \delta`. So no condition takes the root of a
    negative number on a branch that does not hold.
    """
    n = len(xs)
    if n > ENTMAX15_SYM_MAX_N:
        raise ValueError(
            f"entmax15: the symbolic expression is limited to n <= "
            f"{ENTMAX15_SYM_MAX_N} inputs, got n = {n}: each output is a Piecewise "
            f"with one branch per possible support, 2**n - 1 = {2**n - 1} of them; "
            "the numeric entmax15, jacobian and vjp take any length")
    half = sp.Rational(1, 2)
    u = [half * v for v in xs]
    branches: list[list] = [[] for _ in range(n)]
    for mask in range(1, 2**n):
        members = [i for i in range(n) if mask >> i & 1]
        size = len(members)
        mean = sum(u[i] for i in members) / size
        delta = (1 - sum((u[i] - mean) ** 2 for i in members)) / size
        tau = mean - sp.sqrt(delta)
        conds = []
        for i in range(n):
            gap = (mean - u[i]) ** 2
            if i in members:
                if size > 1:
                    conds.append(sp.Or(sp.GreaterThan(u[i], mean, evaluate=False),
                                       sp.StrictLessThan(gap, delta, evaluate=False)))
            else:
                conds.append(sp.And(sp.LessThan(u[i], mean, evaluate=False),
                                    sp.GreaterThan(gap, delta, evaluate=False)))
        cond = sp.And(*conds)
        for i in range(n):
            branches[i].append(((u[i] - tau) ** 2 if i in members else sp.Integer(0),
                                cond))
    return [sp.Piecewise(*b, (0, True), evaluate=False) for b in branches]


def _pairs(n: int, **_: Any) -> int:
    if n % 2:
        raise ValueError(f"maxmin sorts consecutive pairs (x_1, x_2), (x_3, x_4), ...: "
                         f"the axis must have an even length, got length {n}")
    return n


def _in_groups(what: str):
    def out_len(n: int, group_size: int) -> int:
        if n % group_size:
            raise ValueError(f"the axis length {n} is not divisible by group_size="
                             f"{group_size}: {what} groups of `group_size` "
                             "consecutive entries")
        return n
    return out_len


def _sort_order(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(groups, order)``: x in groups of k consecutive entries, and for each
    group the indices that sort it in decreasing order, equal entries in their
    input order (a stable sort, so the permutation at a tie is the identity's
    nearest: the earlier entry takes the higher place)."""
    grp = _grouped(x, k)
    order = np.argsort(-grp, axis=-1, kind="stable")
    return grp, order


def _nan_groups(grp: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out`` with every group that holds a NaN set to NaN (a group's order,
    and so each of its outputs, is unknown)."""
    nan = np.isnan(grp).any(axis=-1, keepdims=True)
    return np.where(nan, np.nan, out)


def _groupsort(x: np.ndarray, group_size: int) -> np.ndarray:
    r"""Each group of k consecutive entries in decreasing order: every output is
    one of the inputs, exactly (no arithmetic, so no rounding)."""
    grp, order = _sort_order(x, group_size)
    out = np.take_along_axis(grp, order, axis=-1)
    return _nan_groups(grp, out).reshape(x.shape)


def _groupsort_jacobian(x: np.ndarray, group_size: int) -> np.ndarray:
    r"""A permutation matrix, block diagonal: :math:`J_{ij} = 1` where output i
    is input j (the stable order at a tie), 0 elsewhere."""
    grp, order = _sort_order(x, group_size)
    n = x.shape[-1]
    perm = (order + np.arange(0, n, group_size)[:, None]).reshape(*x.shape)
    jac = np.zeros((*x.shape, n), dtype=x.dtype)
    np.put_along_axis(jac, perm[..., None], 1.0, axis=-1)
    nan = np.isnan(grp).any(axis=-1, keepdims=True)
    rows = np.broadcast_to(nan, grp.shape).reshape(x.shape)
    return np.where(rows[..., None], np.nan, jac)


def _groupsort_vjp(x: np.ndarray, g: np.ndarray, group_size: int) -> np.ndarray:
    r""":math:`(g^\top J)_j = g_i` for the output i that input j went to: the
    cotangent is sorted back, one entry copied per input, never multiplied."""
    grp, order = _sort_order(x, group_size)
    back = np.empty_like(grp)
    np.put_along_axis(back, order, _grouped(g, group_size), axis=-1)
    return _nan_groups(grp, back).reshape(x.shape)


def _ahead(xs, j: int, i: int):
    """Entry j comes before entry i in the decreasing stable order: it is larger,
    or equal and earlier."""
    return (sp.GreaterThan(xs[j], xs[i], evaluate=False) if j < i
            else sp.StrictGreaterThan(xs[j], xs[i], evaluate=False))


def _behind(xs, j: int, i: int):
    return (sp.StrictLessThan(xs[j], xs[i], evaluate=False) if j < i
            else sp.LessThan(xs[j], xs[i], evaluate=False))


def _rank_sym(xs, r: int):
    """The r-th largest of ``xs`` (r from 0), as a Piecewise over which entry it
    is: entry i is r-th when exactly r others come before it in the stable
    decreasing order."""
    from itertools import combinations

    k = len(xs)
    branches = []
    for i in range(k):
        others = [j for j in range(k) if j != i]
        ways = [sp.And(*[_ahead(xs, j, i) if j in chosen else _behind(xs, j, i)
                         for j in others])
                for chosen in combinations(others, r)]
        branches.append((xs[i], sp.Or(*ways) if len(ways) > 1 else ways[0]))
    if k == 1:
        return xs[0]
    return sp.Piecewise(*branches[:-1], (branches[-1][0], True), evaluate=False)


def _groupsort_sym(xs, group_size: int):
    out = []
    for start in range(0, len(xs), group_size):
        grp = xs[start:start + group_size]
        out += [_rank_sym(grp, r) for r in range(group_size)]
    return out


def _maxmin_sym(xs, **_: Any):
    """Each pair as (max, min), written as Piecewise with the tie in the stable
    order (x_1 >= x_2 keeps the pair), as the kernel's Jacobian takes it."""
    return _groupsort_sym(xs, 2)


def _lwta_winner(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(groups, hot)``: x in groups of k, and True at each group's first
    largest entry (NaN groups handled by the callers)."""
    grp = _grouped(x, k)
    first = np.argmax(grp, axis=-1)[..., None]
    hot = np.zeros(grp.shape, dtype=bool)
    np.put_along_axis(hot, first, True, axis=-1)
    return grp, hot


def _lwta(x: np.ndarray, group_size: int) -> np.ndarray:
    r"""The first largest entry of each group passes unchanged, the others give
    +0 (selected, never multiplied by 0, so an infinite loser cannot make NaN)."""
    grp, hot = _lwta_winner(x, group_size)
    out = np.where(hot, grp, np.zeros_like(grp))
    return _nan_groups(grp, out).reshape(x.shape)


def _lwta_jacobian(x: np.ndarray, group_size: int) -> np.ndarray:
    r""":math:`J = \operatorname{diag}(w)`, w = 1 at each group's winner."""
    grp, hot = _lwta_winner(x, group_size)
    w = _nan_groups(grp, hot.astype(x.dtype)).reshape(x.shape)
    n = x.shape[-1]
    jac = np.zeros((*x.shape, n), dtype=x.dtype)
    idx = np.arange(n)
    jac[..., idx, idx] = w
    return np.where(np.isnan(w)[..., None], np.nan, jac)


def _lwta_vjp(x: np.ndarray, g: np.ndarray, group_size: int) -> np.ndarray:
    r""":math:`(g^\top J)_j = g_j` at a winner, 0 elsewhere (selected)."""
    grp, hot = _lwta_winner(x, group_size)
    gg = _grouped(g, group_size)
    out = np.where(hot, gg, np.zeros_like(gg))
    return _nan_groups(grp, out).reshape(x.shape)


def _lwta_sym(xs, group_size: int):
    out = []
    for start in range(0, len(xs), group_size):
        grp = xs[start:start + group_size]
        for i in range(len(grp)):
            wins = sp.And(*[sp.StrictGreaterThan(grp[i], grp[j], evaluate=False)
                            if j < i else sp.GreaterThan(grp[i], grp[j], evaluate=False)
                            for j in range(len(grp)) if j != i])
            out.append(grp[0] if len(grp) == 1
                       else sp.Piecewise((grp[i], wins), (0, True), evaluate=False))
    return out


entmax15 = _n_to_n("entmax15", _entmax15, _entmax15_jacobian, _entmax15_vjp,
                   _entmax15_sym)

maxmin = register(
    VectorActivation(
        "maxmin",
        fn=lambda x: _groupsort(x, 2),
        jac=lambda x: _groupsort_jacobian(x, 2),
        vjp=lambda x, g: _groupsort_vjp(x, g, 2),
        sym=_maxmin_sym,
        out_len=_pairs,
        default_n=lambda: 2,
        plot={"index": 0, "others": (0.5,), "slider_values": (-2, -1, 0, 1, 2)},
    )
)

_GROUP_SIZE = ("number of consecutive entries in each group (k): the axis length "
               "must be a multiple of it")

groupsort = register(
    VectorActivation(
        "groupsort",
        fn=_groupsort,
        jac=_groupsort_jacobian,
        vjp=_groupsort_vjp,
        sym=_groupsort_sym,
        out_len=_in_groups("groupsort sorts"),
        default_n=lambda group_size: group_size,
        integers=("group_size",),
        params={"group_size": Param(2, 1, 8, _GROUP_SIZE, symbol="k")},
        plot={"index": 0, "others": (0.5, -1.0, 1.5, 0.0, -0.5, 2.0, 1.0),
              "slider_values": (-2, -1, 0, 1, 2)},
    )
)

lwta = register(
    VectorActivation(
        "lwta",
        fn=_lwta,
        jac=_lwta_jacobian,
        vjp=_lwta_vjp,
        sym=_lwta_sym,
        out_len=_in_groups("local winner-take-all compares"),
        default_n=lambda group_size: group_size,
        integers=("group_size",),
        params={"group_size": Param(2, 1, 8, _GROUP_SIZE, symbol="k")},
        plot={"index": 0, "others": (0.5, -1.0, 1.5, 0.0, -0.5, 2.0, 1.0),
              "slider_values": (-2, -1, 0, 1, 2)},
    )
)


# --- dReLU (Turbo Sparse), SoLU, PolyNorm, average-biased ReLU --------------------

def _times0(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    r"""``u * v`` rounded once, and exactly 0 where one factor is exactly 0 and
    neither is NaN: there the product is 0 for every finite value of the other
    factor, so 0 is also its limit as that factor grows to :math:`\pm\infty`
    (never :math:`\infty \cdot 0`). A product beyond the largest float is inf,
    its correctly rounded value; no warning for either."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = u * v
    zero = ((u == 0) | (v == 0)) & ~np.isnan(u) & ~np.isnan(v)
    return np.where(zero, np.zeros_like(out), out)


def _dglu_parts(x: np.ndarray, slopes: bool):
    r"""``(relu(a), relu(b), relu'(a), relu'(b))`` for the halves (a, b) of x, from
    the registered ReLU's kernel (relu'(0) = 0); the slopes only with ``slopes``."""
    m = x.shape[-1] // 2
    a, b = x[..., :m], x[..., m:]
    if not slopes:
        return _RELU[0](a), _RELU[0](b), None, None
    return _RELU[0](a), _RELU[0](b), _RELU[1](a), _RELU[1](b)


def _dglu(x: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{relu}(a) \otimes \operatorname{relu}(b)`, one rounding
    per entry; 0 wherever either half is :math:`\le 0`, even if the other is
    :math:`+\infty`."""
    ra, rb, _, _ = _dglu_parts(x, False)
    return _times0(ra, rb)


def _dglu_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = [\operatorname{diag}(\operatorname{relu}'(a)\,\operatorname{relu}(b))
    \;\; \operatorname{diag}(\operatorname{relu}(a)\,\operatorname{relu}'(b))]`,
    with :math:`\operatorname{relu}'(0) = 0`."""
    ra, rb, da, db = _dglu_parts(x, True)
    m = ra.shape[-1]
    out = np.zeros((*ra.shape[:-1], m, 2 * m), dtype=x.dtype)
    idx = np.arange(m)
    out[..., idx, idx] = _times0(da, rb)
    out[..., idx, idx + m] = _times0(ra, db)
    return out


def _dglu_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`g^\top J = (g \otimes \operatorname{relu}'(a) \otimes
    \operatorname{relu}(b),\; g \otimes \operatorname{relu}(a) \otimes
    \operatorname{relu}'(b))`: the slope is 0 or 1, so each entry is one
    product, rounded once; a closed half passes no gradient, whatever g."""
    ra, rb, da, db = _dglu_parts(x, True)
    return np.concatenate([_times0(_times0(g, da), rb), _times0(_times0(g, db), ra)],
                          axis=-1)


def _relu_sym(v):
    return sp.Piecewise((v, v > 0), (0, True))


def _dglu_sym(xs, **_: Any):
    m = len(xs) // 2
    return [_relu_sym(xs[k]) * _relu_sym(xs[m + k]) for k in range(m)]


def _solu_parts(x: np.ndarray):
    r"""``(s, r, y, imax)``: the softmax s of x, :math:`r = 1 - s` (at the largest
    entry as :math:`\sum_{j \ne j^*} e_j / S`, which does not cancel where
    :math:`s_{j^*}` rounds to 1), the output :math:`y = x \otimes s` (0 where s is
    0, the limit of :math:`x e^x` as x goes to :math:`-\infty`), and the index of
    the largest entry."""
    d, imax = _shift(x)
    e = np.exp(d)
    total = np.sum(e, axis=-1, keepdims=True)
    s = e / total
    others = e.copy()
    np.put_along_axis(others, imax, 0.0, axis=-1)
    r = 1 - s
    np.put_along_axis(r, imax, np.sum(others, axis=-1, keepdims=True) / total, axis=-1)
    return s, r, _times0(x, s), imax


def _solu(x: np.ndarray) -> np.ndarray:
    r""":math:`x \otimes \operatorname{softmax}(x)`: the softmax is shifted by the
    maximum (no overflow) and lies in [0, 1], so the product never exceeds
    :math:`|x|`."""
    return _solu_parts(x)[2]


def _solu_jacobian(x: np.ndarray) -> np.ndarray:
    r""":math:`J = \operatorname{diag}(s + y \otimes (1 - s)) - y s^\top`, y the
    output: :math:`J_{ii} = s_i (1 + x_i (1 - s_i))`, :math:`J_{ij} = -x_i s_i
    s_j`; a product with a zero factor is 0, even beside an infinite x."""
    s, r, y, _ = _solu_parts(x)
    jac = -_times0(y[..., :, None], s[..., None, :])
    idx = np.arange(x.shape[-1])
    with np.errstate(invalid="ignore"):  # inf - inf at two infinite entries: NaN
        jac[..., idx, idx] = s + _times0(y, r)
    return jac


def _solu_vjp(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    r""":math:`(g^\top J)_j = g_j s_j + g_j\,y_j (1 - s_j) - s_j \sum_{i \ne j} g_i
    y_i`.

    The sum leaving out j is the total less :math:`g_j y_j`, except at the
    largest entry, where it is summed without it (no cancellation where that
    term dominates). Where :math:`g \otimes y` may overflow (entries beyond the
    square root of the largest float) the outputs y of the row are first divided
    by a power of two and the result multiplied back, so a finite product that
    only its intermediate terms exceed comes out finite.
    """
    s, r, y, imax = _solu_parts(x)
    with np.errstate(invalid="ignore"):
        top = np.max(np.abs(y), axis=-1, keepdims=True)
    _, k = np.frexp(np.where(np.isfinite(top), top, 0.0))
    k = np.where(k > np.finfo(x.dtype).maxexp // 2, k, 0)
    ys = np.ldexp(y, -k) if k.any() else y
    with np.errstate(over="ignore", invalid="ignore"):
        gy = g * ys
        rest = np.sum(gy, axis=-1, keepdims=True) - gy
        gy_others = gy.copy()
        np.put_along_axis(gy_others, imax, 0.0, axis=-1)
        np.put_along_axis(rest, imax, np.sum(gy_others, axis=-1, keepdims=True),
                          axis=-1)
        inner = _times0(g, _times0(ys, r)) - _times0(s, rest)
        if k.any():
            inner = np.ldexp(inner, k)
        return _times0(g, s) + inner


def _solu_sym(xs, **_: Any):
    total = sum(sp.exp(v) for v in xs)
    return [v * sp.exp(v) / total for v in xs]


dglu = register(
    VectorActivation(
        "dglu",
        fn=_dglu,
        jac=_dglu_jacobian,
        vjp=_dglu_vjp,
        sym=_dglu_sym,
        out_len=_halves,
        default_n=lambda: 2,
        plot={"index": 1, "others": (1.0,), "slider_values": (-2, -1, 0.5, 1, 2)},
    )
)

solu = _n_to_n("solu", _solu, _solu_jacobian, _solu_vjp, _solu_sym)


POLYNORM_EPS = 1e-6
r"""The :math:`\varepsilon` of PolyNorm's normalisation,
:math:`v / \sqrt{\operatorname{mean}(v^2) + \varepsilon}`: the default
``eps=1e-6`` of the reference implementation's ``PolyNorm`` (Zhuo et al.'s
PolyCom repository), which the published models keep."""


def _polynorm_terms(x: np.ndarray, power: int, slopes: bool):
    r"""``(N, G, D1)`` for the power i = ``power`` of x along the last axis:

    * :math:`N = x^i / D`, :math:`D = \sqrt{\operatorname{mean}(x^{2i}) + \varepsilon}`;
    * with ``slopes``, :math:`G = x^{i-1} / D` (the Jacobian of N is
      :math:`i\,G_k (\delta_{jk} - N_j N_k / n)`) and ``D1``, the factor
      :math:`1 - N_j^2/n` (at the entry of largest magnitude as
      :math:`(\sum_{l \ne j} x_l^{2i} + n\varepsilon) / (\sum_l x_l^{2i} +
      n\varepsilon)`, which does not cancel where that entry dominates).

    x is first divided by a power of two :math:`2^k` that brings its largest
    entry into [1/2, 1), so :math:`x^{2i}` neither overflows nor underflows
    (:math:`t = x 2^{-k}`, :math:`\varepsilon' = \varepsilon\,2^{-2ik}`):
    :math:`N = t^i / \sqrt{\operatorname{mean}(t^{2i}) + \varepsilon'}`. Where
    :math:`\varepsilon'` exceeds :math:`2^{\text{maxexp}/2 + 40}` (a vector of
    tiny entries) the mean is negligible beside it and
    :math:`N = 2^{ik}\,t^i / \sqrt{\varepsilon}`, scaled back once. A row with an
    infinite entry takes the limit along a common scaling: the infinite entries
    become :math:`\pm 1`, the finite ones 0, and the slopes 0.
    """
    dtype = x.dtype
    info = np.finfo(dtype)
    n = x.shape[-1]
    with np.errstate(invalid="ignore"):
        top = np.max(np.abs(x), axis=-1, keepdims=True)
    inf_row = np.isinf(top)
    _, k = np.frexp(np.where(np.isfinite(top), top, 0.0))
    t = np.ldexp(x, -k)
    t = np.where(inf_row, np.where(np.isinf(x), np.sign(x), 0.0), t).astype(dtype)
    eps = np.asarray(POLYNORM_EPS, dtype=dtype)
    c0 = (1 / np.sqrt(eps)).astype(dtype)  # 1/sqrt(eps), rounded once
    big = info.maxexp // 2 + 40
    tiny_row = (-2 * power * k > big) & ~inf_row
    with np.errstate(over="ignore", under="ignore"):
        eps_s = np.where(inf_row | tiny_row, 0.0,
                         np.ldexp(eps, np.where(tiny_row, 0, -2 * power * k)))
    eps_s = eps_s.astype(dtype)
    p = t ** power
    p2 = p * p
    total = np.sum(p2, axis=-1, keepdims=True)
    r = 1 / np.sqrt(total / n + eps_s)
    with np.errstate(over="ignore", under="ignore"):
        norm = np.where(tiny_row, np.ldexp(p * c0, power * k), p * r)
    if not slopes:
        return norm, None, None
    q = t ** (power - 1)
    # both branches are evaluated: the one not taken may meet 0 * inf
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        grad = np.where(tiny_row, np.ldexp(q * c0, (power - 1) * k),
                        q * np.ldexp(r, -k))
    grad = np.where(inf_row, 0.0, grad).astype(dtype)
    d1 = 1 - norm * norm / n
    imax = np.argmax(np.abs(np.where(np.isnan(t), 0.0, t)), axis=-1)[..., None]
    others = p2.copy()
    np.put_along_axis(others, imax, 0.0, axis=-1)
    with np.errstate(invalid="ignore"):
        star = ((np.sum(others, axis=-1, keepdims=True) + n * eps_s)
                / (total + n * eps_s))
    star = np.where(tiny_row, np.take_along_axis(d1, imax, axis=-1), star)
    np.put_along_axis(d1, imax, star, axis=-1)
    return norm, grad, (d1, imax)


def _polynorm(x: np.ndarray, w1: float, w2: float, w3: float, b: float) -> np.ndarray:
    r""":math:`w_1 N(x) + w_2 N(x^2) + w_3 N(x^3) + b`: each normalised power lies
    in :math:`[-\sqrt n, \sqrt n]`, so nothing overflows. A float32 input is
    computed in float64 and rounded once at the end (:func:`_narrow`), as are the
    Jacobian and the VJP."""
    if x.dtype != np.float64:
        return _narrow(_polynorm(x.astype(np.float64), w1, w2, w3, b), x.dtype)
    out = np.full(x.shape, b, dtype=x.dtype)
    for i, w in ((3, w3), (2, w2), (1, w1)):
        out = out + core.times(_polynorm_terms(x, i, False)[0], w)
    return out


def _polynorm_jacobian(x: np.ndarray, w1: float, w2: float, w3: float,
                       b: float) -> np.ndarray:
    r""":math:`J_{jk} = \sum_i w_i\, i\, G_{i,k} (\delta_{jk} - N_{i,j} N_{i,k}/n)`,
    :math:`G_i = x^{i-1}/D_i` (see :func:`_polynorm_terms`)."""
    if x.dtype != np.float64:
        return _narrow(_polynorm_jacobian(x.astype(np.float64), w1, w2, w3, b),
                       x.dtype)
    n = x.shape[-1]
    jac = np.zeros((*x.shape, n), dtype=x.dtype)
    idx = np.arange(n)
    for i, w in ((3, w3), (2, w2), (1, w1)):
        norm, grad, (d1, _) = _polynorm_terms(x, i, True)
        scale = core.times(grad, w * i)
        part = -(norm[..., :, None] * norm[..., None, :] / n) * scale[..., None, :]
        part[..., idx, idx] = scale * d1
        jac = jac + part
    return jac


def _polynorm_vjp(x: np.ndarray, g: np.ndarray, w1: float, w2: float, w3: float,
                  b: float) -> np.ndarray:
    r""":math:`(g^\top J)_k = \sum_i w_i\, i\, G_{i,k} \bigl(g_k - N_{i,k} \langle g,
    N_i\rangle / n\bigr)`; at the entry of largest magnitude the bracket is
    :math:`g_k (1 - N_k^2/n) - N_k \sum_{l \ne k} g_l N_l / n`, without
    cancellation."""
    if x.dtype != np.float64:
        return _narrow(_polynorm_vjp(x.astype(np.float64), g.astype(np.float64),
                                     w1, w2, w3, b), x.dtype)
    n = x.shape[-1]
    out = np.zeros(x.shape, dtype=x.dtype)
    for i, w in ((3, w3), (2, w2), (1, w1)):
        norm, grad, (d1, imax) = _polynorm_terms(x, i, True)
        gn = g * norm
        bracket = g - norm * np.sum(gn, axis=-1, keepdims=True) / n
        others = gn.copy()
        np.put_along_axis(others, imax, 0.0, axis=-1)
        star = (np.take_along_axis(g * d1, imax, axis=-1)
                - np.take_along_axis(norm, imax, axis=-1)
                * np.sum(others, axis=-1, keepdims=True) / n)
        np.put_along_axis(bracket, imax, star, axis=-1)
        out = out + core.times(grad * bracket, w * i)
    return out


def _polynorm_sym(xs, w1, w2, w3, b):
    n = len(xs)
    eps = exact(POLYNORM_EPS)
    ws = [exact(float(v)) if isinstance(v, int | float) else v for v in (w1, w2, w3)]
    out = [exact(float(b)) if isinstance(b, int | float) else b for _ in xs]
    for i, w in zip((1, 2, 3), ws, strict=True):
        d = sp.sqrt(sum(v ** (2 * i) for v in xs) / n + eps)
        out = [o + w * v ** i / d for o, v in zip(out, xs, strict=True)]
    return out


polynorm = register(
    VectorActivation(
        "polynorm",
        fn=_polynorm,
        jac=_polynorm_jacobian,
        vjp=_polynorm_vjp,
        sym=_polynorm_sym,
        out_len=_same,
        default_n=lambda **_: 3,
        params={
            "w1": Param(1 / 3, -2.0, 2.0, "weight of the normalised input N(x)",
                        symbol="w_1"),
            "w2": Param(1 / 3, -2.0, 2.0, "weight of the normalised square N(x^2)",
                        symbol="w_2"),
            "w3": Param(1 / 3, -2.0, 2.0, "weight of the normalised cube N(x^3)",
                        symbol="w_3"),
            "b": Param(0.0, -1.0, 1.0, "the bias added to every output", symbol="b"),
        },
        plot={"index": 0, "n": 3, "others": (0.5, -1.0),
              "slider_values": (-2, -1, 0, 1, 2), "params": ("w2",)},
        # linear in (w1, w2, w3, b): the default, each normalised power alone,
        # and a corner of mixed signs, where the terms may cancel
        verify_params=({}, {"w1": 1.0, "w2": 0.0, "w3": 0.0},
                       {"w1": 0.0, "w2": 1.0, "w3": 0.0},
                       {"w1": 0.0, "w2": 0.0, "w3": 1.0},
                       {"w1": 1.0, "w2": -1.0, "w3": 1.0, "b": -1.0}),
    )
)


def _abrelu_shifted(x: np.ndarray, alpha: float, sign: bool = False) -> np.ndarray:
    r""":math:`z = x - \alpha\,\bar x`, :math:`\bar x` the mean along the last axis,
    as :math:`z_i = (1 - \alpha/n)\,x_i - (\alpha/n) \sum_{j \ne i} x_j`.

    Written so, an entry does not cancel against its own share of the mean (with
    n = 2 and :math:`\alpha = 2`, :math:`z_1 = -x_2` exactly, however large
    :math:`x_1`): the sum of the others is a prefix sum plus a suffix sum, and
    :math:`1 - \alpha/n = (n - \alpha)/n` is rounded once. A row whose largest
    entry is within :math:`4n` of the largest float is first divided by a power
    of two (exact) so that no sum overflows, and a row of (nearly) subnormal
    entries multiplied by one that brings its largest entry near 1, so that the
    products keep their digits; z is scaled back once (inf
    where it is beyond the largest float, its correctly rounded value). An
    infinite entry gives what the formula gives, NaN or infinite, without a
    warning.

    With ``sign`` the result is not z but a number of z's sign, which the slope
    needs, also where z itself underflows to 0 (a third of the smallest
    subnormal; or :math:`\alpha = 10^{-99}`, whose :math:`\alpha/n` is 0 in
    float32): :math:`n z = n x_i - \alpha \sum_j x_j`, computed in float64
    with :math:`\alpha = m\,2^e` as :math:`2^{-e} n x_i - m \sum_j x_j`.
    """
    n = x.shape[-1]
    info = np.finfo(x.dtype)
    with np.errstate(invalid="ignore"):
        top = np.max(np.abs(x), axis=-1, keepdims=True)
    finite = np.isfinite(top)
    _, e = np.frexp(np.where(finite, top, 0.0))
    small = finite & (top > 0) & (top < math.ldexp(1.0, info.minexp + info.nmant + 8))
    k = np.where(finite & (top > float(info.max) / (4 * n)),
                 int(math.ceil(math.log2(4 * n))), np.where(small, e, 0))
    xs = np.ldexp(x, -k) if k.any() else x
    if sign:
        xs = xs.astype(np.float64, copy=False)
        mant, expo = math.frexp(alpha)
        with np.errstate(invalid="ignore", over="ignore"):
            return (np.ldexp(n * xs, -expo)
                    - mant * np.sum(xs, axis=-1, keepdims=True))
    with np.errstate(invalid="ignore", over="ignore"):
        zero = np.zeros_like(xs[..., :1])
        before = np.concatenate([zero, np.cumsum(xs, axis=-1)[..., :-1]], axis=-1)
        after = np.concatenate(
            [np.cumsum(xs[..., ::-1], axis=-1)[..., ::-1][..., 1:], zero], axis=-1)
        z = core.times(xs, (n - alpha) / n) - core.times(before + after, alpha / n)
        return np.ldexp(z, k) if k.any() else z


def _abrelu(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\max(x - \alpha \bar x, 0)`, by the registered ReLU."""
    return _RELU[0](_abrelu_shifted(x, alpha))


def _abrelu_jacobian(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`J_{ij} = u_i (\delta_{ij} - \alpha/n)`, with
    :math:`u = \operatorname{relu}'(z)` (0 at z = 0, PyTorch's relu'(0))."""
    n = x.shape[-1]
    u = _RELU[1](_abrelu_shifted(x, alpha, sign=True)).astype(x.dtype)
    jac = np.broadcast_to(-core.times(u, alpha / n)[..., :, None],
                          (*u.shape, n)).copy()
    idx = np.arange(n)
    jac[..., idx, idx] = core.times(u, 1 - alpha / n)
    return jac


def _abrelu_vjp(x: np.ndarray, g: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`(g^\top J)_j = g_j u_j - (\alpha/n) \sum_i g_i u_i`: the gradient of
    the active entries, less the share of their sum that flowed through the
    mean."""
    n = x.shape[-1]
    gu = _times0(g, _RELU[1](_abrelu_shifted(x, alpha, sign=True)).astype(x.dtype))
    with np.errstate(invalid="ignore"):  # inf - inf where g is infinite
        return gu - core.times(np.sum(gu, axis=-1, keepdims=True), alpha / n)


def _abrelu_sym(xs, alpha):
    alpha = exact(float(alpha)) if isinstance(alpha, int | float) else alpha
    mean = sum(xs) / len(xs)
    return [sp.Piecewise((v - alpha * mean, v - alpha * mean > 0), (0, True))
            for v in xs]


abrelu = register(
    VectorActivation(
        "abrelu",
        fn=_abrelu,
        jac=_abrelu_jacobian,
        vjp=_abrelu_vjp,
        sym=_abrelu_sym,
        out_len=_same,
        default_n=lambda **_: 3,
        params={
            "alpha": Param(1.0, -2.0, 2.0, "the factor of the mean in the bias "
                           "beta = alpha * mean(x), set empirically in the paper",
                           symbol="alpha"),
        },
        plot={"index": 0, "n": 3, "others": (0.5, -1.0),
              "slider_values": (-2, -1, 0, 1, 2)},
    )
)
