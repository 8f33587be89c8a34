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
import functools as _functools  # noqa: E402
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


@_functools.lru_cache(maxsize=256)
def _apl_pieces(a1: float, b1: float, a2: float, b2: float):
    r"""The line :math:`c_0 + c_1 x` of APL on each of its pieces, indexed by the bits
    ``[x > 0] + 2 [x <= b_1] + 4 [x <= b_2]``.

    Returns ``(c0, c1_hi, c1_lo)``, arrays of 8: the intercept rounded once from its
    exact value :math:`\sum a_s b_s` (over the hinges active on the piece), and the
    slope :math:`[x > 0] - \sum a_s` as a float and the float of its rounding error,
    both from exact rational arithmetic (with the parameters as
    :func:`_as_fraction` reads them), so cancellation among the parameters costs
    nothing. Cached: a training step or a quadrature calls it with the same
    parameters many times (the arrays returned are not to be written).
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
    r""":math:`\partial f/\partial a_s = \max(0, b_s - x)` (inf at -inf, NaN for
    NaN)."""
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


# --- KAF: kernel activation functions -----------------------------------------------
KAF_DICTIONARY = (-3.0, -1.0, 1.0, 3.0)
"""The registry's KAF dictionary: D = 4 points, a uniform grid on [-3, 3] (the
boundary of the authors' reference code), spacing 2."""
KAF_GAMMA = _Fraction(1, 6 * 2**2)
r"""The kernel's :math:`\gamma = 1/(6\Delta^2)` for the spacing :math:`\Delta = 2`:
1/24 (the paper's rule of thumb)."""
KAF_RIDGE = 1e-5
r"""The :math:`\varepsilon` of the kernel ridge regression that sets the defaults."""


def kaf_ridge_fit(target, dictionary=KAF_DICTIONARY, gamma=float(KAF_GAMMA),
                  ridge=KAF_RIDGE) -> _np.ndarray:
    r"""The mixing coefficients :math:`\alpha = (K + \varepsilon I)^{-1} t` of a KAF
    whose dictionary values are ``target(d)``: kernel ridge regression, the
    initialisation of Scardapane et al. (:math:`K_{ij} = e^{-\gamma (d_i - d_j)^2}`).

    >>> import numpy as np
    >>> alpha = kaf_ridge_fit(lambda d: d)  # the identity on the grid -3, -1, 1, 3
    >>> bool(np.allclose(alpha, -alpha[::-1]))  # odd, as the target is
    True
    """
    d = _np.asarray(dictionary, dtype=_np.float64)
    k = _np.exp(-gamma * (d[:, None] - d[None, :]) ** 2)
    return _np.linalg.solve(k + ridge * _np.eye(d.size), target(d))


def _elu_on(d: _np.ndarray) -> _np.ndarray:
    return _np.where(d > 0, d, _np.expm1(_np.minimum(d, 0.0)))


KAF_DEFAULTS = tuple(round(float(v), 4) for v in kaf_ridge_fit(_elu_on))
"""The defaults of alpha1..alpha4: the ridge fit to ELU (alpha = 1) at the dictionary,
rounded to four decimals: (0.2449, 0.004, -5.7165, 7.7822)."""

_LD = _np.longdouble


def _ld(value: _Fraction):
    """An exact rational as the nearest long double (numerator and denominator are
    exact in it: short fractions, or a float's power-of-two denominator)."""
    return _LD(value.numerator) / _LD(value.denominator)


@_functools.lru_cache(maxsize=256)
def _kaf_terms(alphas: tuple):
    """Long-double constants of the kernel: gamma, and per centre pair +-d (d = 1, 3)
    2 gamma d, exp(-gamma d^2), the sums S and differences A of its two weights."""
    al = [_as_fraction(float(v)) for v in alphas]
    g = _ld(KAF_GAMMA)
    pairs = []
    for lo, hi in ((1, 2), (0, 3)):  # centres -1, 1 and -3, 3
        dk = _Fraction(int(KAF_DICTIONARY[hi]))
        pairs.append((_ld(2 * KAF_GAMMA * dk), _np.exp(-_ld(KAF_GAMMA * dk * dk)),
                      _ld(al[hi] + al[lo]), _ld(al[hi] - al[lo])))
    return g, [_ld(v) for v in al], pairs


def _kaf(x, y, dy, alpha1: float, alpha2: float, alpha3: float, alpha4: float) -> None:
    r""":math:`\sum_i \alpha_i e^{-\gamma (x - d_i)^2}` over the dictionary -3, -1, 1,
    3 with :math:`\gamma = 1/24`, and its slope, in long double, rounded once.

    The weights may cancel (the default ELU fit has -5.7 and 7.8), so the sum is
    formed with 11 more bits than float64 and from the parameters' exact values.
    Near 0, where a zero of f can lie at a tiny x (weights odd about 0 give f(0) =
    0), each pair of centres :math:`\pm d` is combined as
    :math:`e^{-\gamma(x^2 + d^2)} (S \cosh 2\gamma d x + A \sinh 2\gamma d x)`,
    with S and A the sum and difference of its weights, so an odd part keeps full
    relative accuracy down to the smallest subnormal. Beyond :math:`|x| = 2` the
    terms are summed as they are (the cosh and sinh would cancel there). Every
    term vanishes in both tails: f(±inf) = 0; NaN stays NaN.
    """
    g, al, pairs = _kaf_terms((alpha1, alpha2, alpha3, alpha4))
    X = _np.clip(x.astype(_LD), -1e4, 1e4)  # e^(-(1e4)^2 / 24) is 0 in any format
    near = _np.abs(X) <= 2
    e = _np.exp(-g * X * X)
    v = _np.zeros_like(X) if y is not None else None
    s = _np.zeros_like(X) if dy is not None else None
    # near 0: the pairs
    for w, c, S, A in pairs:
        ch, sh = _np.cosh(w * X), _np.sinh(w * X)
        if v is not None:
            v += _np.where(near, c * (S * ch + A * sh), 0)
        if s is not None:
            even_odd = S * ch + A * sh
            s += _np.where(near, c * (w * (S * sh + A * ch) - 2 * g * X * even_odd), 0)
    # beyond: the terms
    for a_i, d_i in zip(al, KAF_DICTIONARY, strict=True):
        u = X - _LD(d_i)
        t = a_i * _np.exp(-g * u * u)
        if v is not None:
            v += _np.where(near, 0, t)
        if s is not None:
            s += _np.where(near, 0, -2 * g * u * t)
    if v is not None:
        v = _np.where(near, e * v, v)
        _np.copyto(y, v, casting="unsafe")
    if s is not None:
        s = _np.where(near, e * s, s)
        _np.copyto(dy, s, casting="unsafe")


def _kaf_partial(i: int):
    def partial(x, alpha1, alpha2, alpha3, alpha4):
        r""":math:`\partial f/\partial \alpha_i = e^{-\gamma (x - d_i)^2}`."""
        X = _np.clip(x.astype(_LD), -1e4, 1e4)
        u = X - _LD(KAF_DICTIONARY[i])
        return _np.exp(-_ld(KAF_GAMMA) * u * u).astype(x.dtype)
    return partial


def _kaf_sym(x, alpha1, alpha2, alpha3, alpha4):
    g = _sp.Rational(KAF_GAMMA.numerator, KAF_GAMMA.denominator)
    return sum(a * _sp.exp(-g * (x - int(d)) ** 2)
               for a, d in zip((alpha1, alpha2, alpha3, alpha4), KAF_DICTIONARY,
                               strict=True))


kaf = _register(
    _Activation(
        "kaf",
        kernel=_kaf,
        sym=_kaf_sym,
        params={
            f"alpha{i + 1}": _Param(KAF_DEFAULTS[i], -8.0, 8.0,
                                   f"learnable weight of the Gaussian at "
                                   f"d = {KAF_DICTIONARY[i]:g} (default: the ridge "
                                   f"fit to ELU)", symbol=f"alpha_{i + 1}",
                                   learnable=True)
            for i in range(4)
        },
        partials={f"alpha{i + 1}": _kaf_partial(i) for i in range(4)},
    )
)

__all__ += ["kaf", "kaf_ridge_fit", "KAF_DICTIONARY", "KAF_GAMMA"]


# --- Activations that carry their own network (book/activations/adaptive/contextual)
# Not registry entries: each output depends on more of the input than one number.
# Small NumPy forward passes, for the page that shows why.


def _sigmoid(z: _np.ndarray) -> _np.ndarray:
    return 0.5 * (1.0 + _np.tanh(0.5 * z))


def frelu(x, kernel, scale=1.0, shift=0.0) -> _np.ndarray:
    r"""FReLU (Ma, Zhang & Sun 2020): :math:`\max(x, T(x))` for one channel, with
    :math:`T` a 3×3 convolution (zero padding, stride 1) followed by batch
    normalisation in inference form, ``scale * conv + shift``.

    ``x`` is an image (H, W), ``kernel`` a (3, 3) array. The funnel condition at a
    pixel depends on its eight neighbours, so FReLU is no function of one number.

    >>> import numpy as np
    >>> x = np.zeros((3, 3)); x[0, 0] = 1.0   # one bright corner pixel
    >>> k = np.full((3, 3), 1 / 9)             # a box blur
    >>> frelu(x, k)[1, 1] > 0                   # the centre sees its neighbour
    np.True_
    """
    x = _np.asarray(x, dtype=_np.float64)
    k = _np.asarray(kernel, dtype=_np.float64)
    if x.ndim != 2 or k.shape != (3, 3):
        raise ValueError("frelu: x must be (H, W) and kernel (3, 3)")
    p = _np.pad(x, 1)
    h, w = x.shape
    conv = sum(k[i, j] * p[i:i + h, j:j + w] for i in range(3) for j in range(3))
    return _np.maximum(x, scale * conv + shift)


def dynamic_relu(x, w1, w2, lambda_a=1.0, lambda_b=0.5) -> _np.ndarray:
    r"""Dynamic ReLU, channel-wise (DY-ReLU-B of Chen et al. 2020) with K = 2:
    :math:`y_c = \max_k (a_c^k x_c + b_c^k)`, the coefficients from a hyper-network
    on the input's global average.

    ``x`` is (C, N): C channels of N positions. The hyper-network is
    :math:`\theta = 2\sigma(W_2 \operatorname{ReLU}(W_1 \bar x)) - 1`, ``w1`` of
    shape (R, C) and ``w2`` of shape (4C, R); its four outputs per channel set
    :math:`a^1 = 1 + \lambda_a \theta_1`, :math:`a^2 = \lambda_a \theta_2`,
    :math:`b^k = \lambda_b \theta_{2+k}` (the paper's initial ReLU, :math:`a^1 = 1`,
    and its :math:`\lambda_a = 1`, :math:`\lambda_b = 0.5`). With zero weights it
    is ReLU.

    >>> import numpy as np
    >>> x = np.array([[-1.0, 2.0]])
    >>> dynamic_relu(x, np.zeros((1, 1)), np.zeros((4, 1))).tolist()  # theta = 0
    [[0.0, 2.0]]
    """
    x = _np.asarray(x, dtype=_np.float64)
    c = x.shape[0]
    theta = 2.0 * _sigmoid(_np.asarray(w2) @ _np.maximum(
        _np.asarray(w1) @ x.mean(axis=1), 0.0)) - 1.0
    theta = theta.reshape(c, 4)
    a1 = 1.0 + lambda_a * theta[:, 0:1]
    a2 = lambda_a * theta[:, 1:2]
    b1, b2 = lambda_b * theta[:, 2:3], lambda_b * theta[:, 3:4]
    return _np.maximum(a1 * x + b1, a2 * x + b2)


def meta_acon(x, w1, w2, p1=1.0, p2=0.0) -> _np.ndarray:
    r"""Meta-ACON (Ma et al. 2021): ACON-C,
    :math:`(p_1 - p_2) x\, \sigma(\beta (p_1 - p_2) x) + p_2 x`, with the switching
    factor :math:`\beta_c = \sigma(W_2 W_1 \bar x)` of each channel predicted from
    the channel means of the input.

    ``x`` is (C, N); ``w1`` (R, C), ``w2`` (C, R). With :math:`p_1 = 1`,
    :math:`p_2 = 0` ACON-C is Swish with a learned :math:`\beta`.

    >>> import numpy as np
    >>> x = np.array([[0.0, 1.0]])   # beta = sigmoid(0) = 1/2 with zero weights
    >>> meta_acon(x, np.zeros((1, 1)), np.zeros((1, 1))).round(4).tolist()
    [[0.0, 0.6225]]
    """
    x = _np.asarray(x, dtype=_np.float64)
    beta = _sigmoid(_np.asarray(w2) @ (_np.asarray(w1) @ x.mean(axis=1)))[:, None]
    dp = p1 - p2
    return dp * x * _sigmoid(beta * dp * x) + p2 * x


def depends_on_neighbours(op, x, at, change, delta=1.0) -> bool:
    """Whether ``op(x)`` at index ``at`` changes when only ``x[change]`` (another
    index) changes by ``delta``: never, for an activation of one number.

    >>> import numpy as np
    >>> depends_on_neighbours(np.tanh, np.zeros(3), 0, 2)
    False
    """
    x = _np.array(x, dtype=_np.float64)
    moved = x.copy()
    moved[change] += delta
    return bool(op(x)[at] != op(moved)[at])


__all__ += ["frelu", "dynamic_relu", "meta_acon", "depends_on_neighbours"]
