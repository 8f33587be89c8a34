"""Sigmoidal activations: bounded (or at least saturating) and S-shaped."""

from __future__ import annotations

from functools import partial

import mpmath
import numpy as np
import sympy as sp

from . import core
from ._erf import ndtr_pdf
from .core import blockwise, ndtr, pair
from .registry import Activation, Kink, Param, register

__all__ = [
    "sigmoid", "tanh", "hard_sigmoid", "hard_tanh", "lecun_tanh", "softsign",
    "arctan", "bipolar_sigmoid", "log_log", "normal_cdf", "isru",
    "sparse_sigmoid", "penalized_tanh",
]


# Until each activation below is written as a kernel (activations.core):
_as_float = core.as_float
_sigmoid = partial(core.value, core.sigmoid)
_sigmoid_derivative = partial(core.slope, core.sigmoid)
_tanh_derivative = partial(core.slope, core.tanh)


sigmoid = register(
    Activation(
        "sigmoid",
        title="Sigmoid",
        zh="S 型函数(逻辑函数)",
        family="sigmoidal",
        kernel=core.sigmoid,
        sym=lambda x: 1 / (1 + sp.exp(-x)),
        via_output=lambda y: y * (1 - y),
        aliases=("logistic", "expit", "sigma"),
        frameworks={
            "pytorch": "torch.sigmoid / torch.nn.Sigmoid",
            "jax": "jax.nn.sigmoid",
            "tensorflow": "tf.math.sigmoid / keras.activations.sigmoid",
        },
        references=("rumelhart1986learning", "lecun2012efficient"),
        related=("tanh",),
    )
)


tanh = register(
    Activation(
        "tanh",
        title="Tanh",
        zh="双曲正切函数",
        family="sigmoidal",
        kernel=core.tanh,
        sym=sp.tanh,
        via_output=lambda y: 1 - y**2,
        aliases=("hyperbolic_tangent",),
        frameworks={
            "pytorch": "torch.tanh / torch.nn.Tanh",
            "jax": "jax.nn.tanh / jax.numpy.tanh",
            "tensorflow": "tf.math.tanh / keras.activations.tanh",
        },
        references=("lecun2012efficient", "glorot2010understanding"),
        related=("sigmoid",),
    )
)


# --- Piecewise-linear and algebraic relatives of the sigmoid and tanh -------------
#
# Shared helpers. ``_keep_nan`` is needed wherever a derivative is chosen by a
# comparison, because every comparison with NaN is False.


def _keep_nan(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), x, out)


def _clip_unit(t: np.ndarray, low: float, high: float) -> np.ndarray:
    """``t`` clipped to ``[low, high]``; NaN stays NaN (``np.clip`` keeps it)."""
    return np.clip(t, np.asarray(low, t.dtype), np.asarray(high, t.dtype))


def _bound_below(v: float, dtype) -> float:
    """The largest number of ``dtype`` not above the float64 ``v``.

    For x of that dtype, ``x > v`` (compared in float64) holds exactly when
    ``x > _bound_below(v)`` does in the dtype itself, with no conversion.
    """
    b = np.asarray(v, dtype)
    if float(b) > v:
        b = np.nextafter(b, np.asarray(-np.inf, dtype))
    return float(b)


def _bound_above(v: float, dtype) -> float:
    """The smallest number of ``dtype`` not below ``v``: ``x < v`` exactly when
    ``x < _bound_above(v)``."""
    b = np.asarray(v, dtype)
    if float(b) < v:
        b = np.nextafter(b, np.asarray(np.inf, dtype))
    return float(b)


def _keep_nan_from(out: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``out`` (a slope chosen by comparisons, so 0 at NaN) with x's NaNs restored.

    ``y`` is the clipped value, NaN exactly where x is: its maximum tells in one
    pass whether there is any NaN to restore (rarely).
    """
    if y.size and np.isnan(np.max(y)):
        nan = np.isnan(x)
        out[nan] = x[nan]
    return out


def _hard_sigmoid_into(x, y, slope):
    np.multiply(x, slope, out=y)
    y += 0.5
    return np.clip(y, 0, 1, out=y)


def _hard_sigmoid_kernel(x, y, dy, slope, bound):
    _hard_sigmoid_into(x, y, slope)
    # The comparison writes 1 or 0 straight into the float array.
    np.abs(x, out=dy)
    np.less(dy, bound, out=dy)
    dy *= slope


def _hard_sigmoid_pair(x: np.ndarray, slope: float):
    r"""``(clip(s x + 1/2, 0, 1), s [|x| < 1/(2s)])``, NaN kept in both.

    ``s <= 1``, so ``s x`` never overflows. The slope is :math:`s` on the open
    interval and 0 outside and at the kinks (PyTorch's ``hardsigmoid_backward``).
    The bound is the float64 number 1/(2s), compared in the input's own dtype by
    :func:`_bound_above`, so that a float32 input lying just inside the exact kink
    is not rounded onto it.
    """
    x = _as_float(x)
    bound = _bound_above(0.5 / slope, x.dtype)
    kernel = partial(_hard_sigmoid_kernel, slope=slope, bound=bound)
    y, dy = blockwise(kernel, x, *pair(x))
    return y, _keep_nan_from(dy, x, y)


def _hard_sigmoid(x: np.ndarray, slope: float) -> np.ndarray:
    r""":math:`\mathrm{clip}(s x + \tfrac12, 0, 1)`; see :func:`_hard_sigmoid_pair`."""
    x = _as_float(x)
    return _hard_sigmoid_into(x, np.empty_like(x), slope)


def _hard_sigmoid_derivative(x: np.ndarray, slope: float) -> np.ndarray:
    r""":math:`s` for :math:`|x| < 1/(2s)`, else 0; see :func:`_hard_sigmoid_pair`."""
    return _hard_sigmoid_pair(x, slope)[1]


def _hard_sigmoid_expr(x, slope):
    k = 1 / (2 * slope)
    middle = slope * x + sp.Rational(1, 2)
    return sp.Piecewise((0, x <= -k), (1, x >= k), (middle, True))


_KINK_HARD_SIGMOID = {
    "pytorch": "0 (hardsigmoid_backward keeps the slope only for -3 < x < 3)",
    "jax": "0 (relu6 has a custom JVP that is 0 at both corners)",
    "tensorflow": "no tf.nn op; Keras 3 delegates to its backend",
    "keras": "the backend's (0 on JAX and PyTorch)",
}

hard_sigmoid = register(
    Activation(
        "hard_sigmoid",
        title="Hard Sigmoid",
        zh="硬 S 型函数",
        family="sigmoidal",
        fn=_hard_sigmoid,
        deriv=_hard_sigmoid_derivative,
        both=_hard_sigmoid_pair,
        sym=_hard_sigmoid_expr,
        params={
            "slope": Param(
                1 / 6,
                0.05,
                1.0,
                "slope of the linear middle piece (PyTorch, JAX, Keras 3: 1/6; "
                "Keras 2 and Theano: 0.2; BinaryConnect: 1/2)",
                symbol="s",
            )
        },
        aliases=("hardsigmoid",),
        kinks=(
            Kink(lambda slope: -0.5 / slope, lambda slope: 0.0, _KINK_HARD_SIGMOID),
            Kink(lambda slope: 0.5 / slope, lambda slope: 0.0, _KINK_HARD_SIGMOID),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.hardsigmoid / torch.nn.Hardsigmoid"
            "  # slope 1/6",
            "jax": "jax.nn.hard_sigmoid  # relu6(x + 3) / 6",
            "tensorflow": "keras.activations.hard_sigmoid  # Keras 3: slope 1/6; "
            "tf.keras 2.x: 0.2x + 0.5 clipped",
            "keras": "keras.activations.hard_sigmoid  # x/6 + 1/2 clipped",
        },
        references=("courbariaux2015binaryconnect", "howard2019searching"),
        related=("sigmoid", "hard_tanh", "sparse_sigmoid"),
    )
)


def _hard_tanh_kernel(x, y, dy, low, high, above, below):
    np.clip(x, low, high, out=y)
    np.logical_and(np.greater(x, above), np.less(x, below), out=dy)


def _hard_tanh_pair(x: np.ndarray, min_val: float, max_val: float):
    r"""``(clip(x, min_val, max_val), [min_val < x < max_val])``, NaN kept in both.

    The slope is 1 strictly between the bounds, 0 outside and at both bounds
    (PyTorch). The bounds are compared as float64 numbers, in the input's own
    dtype (:func:`_bound_below`, :func:`_bound_above`).
    """
    x = _as_float(x)
    kernel = partial(
        _hard_tanh_kernel,
        low=np.asarray(min_val, x.dtype),
        high=np.asarray(max_val, x.dtype),
        above=_bound_below(min_val, x.dtype),
        below=_bound_above(max_val, x.dtype),
    )
    y, dy = blockwise(kernel, x, *pair(x))
    return y, _keep_nan_from(dy, x, y)


def _hard_tanh(x: np.ndarray, min_val: float, max_val: float) -> np.ndarray:
    r""":math:`\mathrm{clip}(x, \text{min\_val}, \text{max\_val})`."""
    return _clip_unit(x, min_val, max_val)


def _hard_tanh_derivative(x: np.ndarray, min_val: float, max_val: float):
    r"""1 strictly between the bounds, 0 outside and at both bounds (PyTorch); see
    :func:`_hard_tanh_pair`."""
    return _hard_tanh_pair(x, min_val, max_val)[1]


_KINK_HARD_TANH = {
    "pytorch": "0 (hardtanh_backward tests x <= min_val or x >= max_val)",
    "jax": "1 (jax.nn.hard_tanh: the identity branch holds at +-1)",
    "tensorflow": "no tf.nn op; Keras 3 delegates to its backend",
    "keras": "the backend's (1 on JAX, 0 on PyTorch)",
}

hard_tanh = register(
    Activation(
        "hard_tanh",
        title="Hard Tanh",
        zh="硬双曲正切函数",
        family="sigmoidal",
        fn=_hard_tanh,
        deriv=_hard_tanh_derivative,
        both=_hard_tanh_pair,
        sym=lambda x, min_val, max_val: sp.Piecewise(
            (min_val, x <= min_val), (max_val, x >= max_val), (x, True)
        ),
        params={
            "min_val": Param(
                -1.0, -10.0, 0.0,
                "lower end of the linear piece, the value for x <= min_val "
                "(PyTorch: -1; JAX and Keras: fixed at -1)",
                symbol="a",
            ),
            "max_val": Param(
                1.0, 0.5, 10.0,
                "upper end of the linear piece, the value for x >= max_val "
                "(PyTorch: 1; JAX and Keras: fixed at 1)",
                symbol="b",
            ),
        },
        aliases=("hardtanh",),
        kinks=(
            Kink(lambda min_val, max_val: min_val,
                 lambda min_val, max_val: 0.0, _KINK_HARD_TANH),
            Kink(lambda min_val, max_val: max_val,
                 lambda min_val, max_val: 0.0, _KINK_HARD_TANH),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.hardtanh(x, min_val=-1.0, max_val=1.0)"
            " / torch.nn.Hardtanh",
            "jax": "jax.nn.hard_tanh  # bounds fixed at -1, 1",
            "tensorflow": "keras.activations.hard_tanh  # no tf.nn op",
            "keras": "keras.activations.hard_tanh / keras.ops.hard_tanh",
        },
        references=("collobert2004large", "collobert2011natural"),
        related=("tanh", "relu"),
    )
)


LECUN_TANH_SCALE = sp.Rational(17159, 10000)
"""The published amplitude 1.7159, itself a rounding of 1/tanh(2/3)."""
_LECUN_A = float(LECUN_TANH_SCALE)
# A * 2/3 as one correctly rounded constant, not two float operations.
_LECUN_A_B = float(LECUN_TANH_SCALE * sp.Rational(2, 3))


def _lecun_tanh(x: np.ndarray) -> np.ndarray:
    r""":math:`1.7159\tanh(2x/3)`; ``x / 1.5`` is one rounding (1.5 is exact)."""
    return np.asarray(_LECUN_A, x.dtype) * np.tanh(x / np.asarray(1.5, x.dtype))


def _lecun_tanh_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1.7159 \cdot \tfrac23\,\mathrm{sech}^2(2x/3)`, through the stable
    sech² of :func:`_tanh_derivative`."""
    u = x / np.asarray(1.5, x.dtype)
    return np.asarray(_LECUN_A_B, x.dtype) * _tanh_derivative(u)


lecun_tanh = register(
    Activation(
        "lecun_tanh",
        title="LeCun's scaled tanh",
        zh="LeCun 缩放双曲正切函数",
        family="sigmoidal",
        fn=_lecun_tanh,
        deriv=_lecun_tanh_derivative,
        sym=lambda x: LECUN_TANH_SCALE * sp.tanh(sp.Rational(2, 3) * x),
        via_output=lambda y: sp.Rational(2, 3) * (LECUN_TANH_SCALE
                                                  - y**2 / LECUN_TANH_SCALE),
        aliases=("scaled_tanh",),
        frameworks={
            "pytorch": "1.7159 * torch.tanh(2 * x / 3)  # no built-in",
            "jax": "1.7159 * jax.numpy.tanh(2 * x / 3)  # no built-in",
            "tensorflow": "1.7159 * tf.math.tanh(2 * x / 3)  # no built-in",
        },
        references=("lecun1998efficient", "lecun1998gradient", "lecun2012efficient"),
        related=("tanh", "selu"),
    )
)


def _softsign_pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``(x/(1+|x|), 1/(1+|x|)^2)`` sharing :math:`d = 1 + |x|`.

    :math:`|x|` is first capped at the largest float, where ``a/(1+a)`` already
    rounds to 1, so that infinities give 1 rather than inf/inf; the sign is put
    back afterwards (``-0`` stays ``-0``). The derivative is squared after
    inverting so nothing overflows.
    """
    x = _as_float(x)
    a = np.abs(x, out=np.empty_like(x))
    np.minimum(a, np.finfo(x.dtype).max, out=a)
    d = np.add(a, 1, out=np.empty_like(a))
    a /= d
    np.copysign(a, x, out=a)
    np.divide(1, d, out=d)
    d *= d
    return a, d


def _softsign(x: np.ndarray) -> np.ndarray:
    r""":math:`x/(1+|x|)`; see :func:`_softsign_pair`."""
    return _softsign_pair(x)[0]


def _softsign_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1/(1+|x|)^2`; see :func:`_softsign_pair`."""
    return _softsign_pair(x)[1]


softsign = register(
    Activation(
        "softsign",
        title="Softsign",
        zh="软符号函数",
        family="sigmoidal",
        fn=_softsign,
        deriv=_softsign_derivative,
        both=_softsign_pair,
        # Written by sign, not with Abs: the derivative of Abs brings sign(x) and
        # then DiracDelta, which mpmath cannot evaluate.
        sym=lambda x: sp.Piecewise((x / (1 + x), x >= 0), (x / (1 - x), True)),
        aliases=("soft_sign", "elliott"),
        # Not a corner of f: f' is continuous (1 from both sides), but f'' jumps
        # from 2 to -2 here, and declaring the breakpoint lets the properties
        # find that softsign is C^1 and not smoother.
        kinks=(
            Kink(
                0.0,
                lambda: 1.0,
                {"pytorch": "1", "jax": "1", "tensorflow": "1"},
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.softsign / torch.nn.Softsign",
            "jax": "jax.nn.soft_sign",
            "tensorflow": "tf.nn.softsign / keras.activations.softsign",
        },
        references=("elliott1993better", "bergstra2009quadratic",
                    "glorot2010understanding"),
        related=("tanh", "isru", "arctan"),
    )
)


def _arctan_derivative_into(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:math:`1/(1+x^2)` written into ``out``."""
    with np.errstate(over="ignore"):
        np.multiply(x, x, out=out)
    out += 1
    np.divide(1, out, out=out)
    # 1/(1 + x^2) is positive for every finite x^2 (at least 1/max, a subnormal),
    # so a 0 marks an x^2 that overflowed (|x| > sqrt(max)). There the value is
    # t^2, t = 1/|x|, which survives as a subnormal (float32 1e20 gives 1e-40).
    if not out.all():
        far = out == 0
        t = 1 / np.abs(x[far])
        out[far] = t * t
    return out


def _arctan_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1/(1+x^2)`; where :math:`x^2` overflows, :math:`t^2` with
    :math:`t = 1/|x|`."""
    x = _as_float(x)
    return _arctan_derivative_into(x, np.empty_like(x))


def _arctan_pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = _as_float(x)
    return np.arctan(x), _arctan_derivative_into(x, np.empty_like(x))


arctan = register(
    Activation(
        "arctan",
        title="Arctan",
        zh="反正切函数",
        family="sigmoidal",
        fn=np.arctan,
        deriv=_arctan_derivative,
        both=_arctan_pair,
        sym=sp.atan,
        via_output=lambda y: sp.cos(y) ** 2,
        aliases=("atan", "inverse_tangent"),
        frameworks={
            "pytorch": "torch.atan / torch.arctan",
            "jax": "jax.numpy.arctan",
            "tensorflow": "tf.math.atan",
        },
        references=("glorot2010understanding", "elliott1993better"),
        related=("tanh", "softsign"),
    )
)


def _bipolar_sigmoid(x: np.ndarray) -> np.ndarray:
    r""":math:`(1-e^{-x})/(1+e^{-x}) = \tanh(x/2)`; halving is exact, and
    ``np.tanh`` neither overflows nor cancels near 0."""
    return np.tanh(x * np.asarray(0.5, x.dtype))


def _bipolar_sigmoid_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\tfrac12\,\mathrm{sech}^2(x/2) = 2\sigma'(x)`."""
    half = np.asarray(0.5, x.dtype)
    return half * _tanh_derivative(x * half)


bipolar_sigmoid = register(
    Activation(
        "bipolar_sigmoid",
        title="Bipolar Sigmoid",
        zh="双极性 S 型函数",
        family="sigmoidal",
        fn=_bipolar_sigmoid,
        deriv=_bipolar_sigmoid_derivative,
        sym=lambda x: (1 - sp.exp(-x)) / (1 + sp.exp(-x)),
        via_output=lambda y: (1 - y**2) / 2,
        aliases=("symmetrical_sigmoid", "bipolar_logistic"),
        frameworks={
            "pytorch": "torch.tanh(x / 2)  # = 2 * torch.sigmoid(x) - 1",
            "jax": "jax.numpy.tanh(x / 2)",
            "tensorflow": "tf.math.tanh(x / 2)",
        },
        references=("fausett1994fundamentals", "lecun2012efficient"),
        related=("sigmoid", "tanh"),
    )
)


# exp(-e^10) = exp(-22026) is 0 in every float format, so clamping x at 10 changes
# no result and keeps exp(x) from overflowing.
_LOG_LOG_CLAMP = 10.0


def _log_log(x: np.ndarray) -> np.ndarray:
    r""":math:`1 - \exp(-e^x)` as ``-expm1(-exp(x))``: for :math:`x \to -\infty`
    the value is about :math:`e^x` and ``1 - exp(...)`` would lose it."""
    xc = np.minimum(x, np.asarray(_LOG_LOG_CLAMP, x.dtype))
    return -np.expm1(-np.exp(xc))


def _log_log_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`e^{x}\exp(-e^{x}) = \exp(x - e^{x})`, 0 beyond the clamp."""
    xc = np.minimum(x, np.asarray(_LOG_LOG_CLAMP, x.dtype))
    return np.exp(xc - np.exp(xc))


class ExpNegExp(sp.Function):
    r""":math:`e^{-e^{x}}` as a SymPy function, for the log-log activation.

    Mathematically it is ``exp(-exp(x))`` (``rewrite(sp.exp)`` gives that form,
    and SymPy differentiates it as such). It exists for the mpmath reference:
    mpmath evaluates ``exp(-exp(x))`` exactly, with an exponent of about
    :math:`e^{x}` digits, which takes hours at :math:`x = 10^4`. Beyond
    :math:`x = 800` the value is below :math:`10^{-10^{347}}`, so far below the
    smallest float that 0 is an exact stand-in for every comparison made with it.
    """

    @classmethod
    def eval(cls, arg):
        if arg.is_Number or arg in (sp.oo, -sp.oo):
            return sp.exp(-sp.exp(arg))
        return None

    def fdiff(self, argindex=1):
        return -sp.exp(self.args[0]) * self

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return sp.exp(-sp.exp(arg))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    def _latex(self, printer):
        return r"e^{- e^{" + printer._print(self.args[0]) + "}}"

    @staticmethod
    def _imp_(t):
        if isinstance(t, mpmath.mpf | mpmath.mpc | int | float):
            if t > 800:
                return mpmath.mpf(0)
            return mpmath.exp(-mpmath.exp(t))
        t = np.asarray(t, dtype=float)
        return np.exp(-np.exp(np.minimum(t, _LOG_LOG_CLAMP)))


log_log = register(
    Activation(
        "log_log",
        title="Log-Log",
        zh="互补双对数函数(log-log)",
        family="sigmoidal",
        fn=_log_log,
        deriv=_log_log_derivative,
        sym=lambda x: 1 - ExpNegExp(x),
        via_output=lambda y: -(1 - y) * sp.log(1 - y),
        aliases=("cloglog", "complementary_log_log"),
        frameworks={
            "pytorch": "-torch.expm1(-torch.exp(x))  # no built-in",
            "jax": "-jax.numpy.expm1(-jax.numpy.exp(x))  # no built-in",
            "tensorflow": "-tf.math.expm1(-tf.math.exp(x))  # no built-in",
        },
        references=("mccullagh1989generalized", "gomes2011comparison"),
        related=("sigmoid", "normal_cdf"),
    )
)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    r""":math:`\Phi(x)` by W. J. Cody's rational approximation
    (:func:`activations._erf.ndtr`): :math:`\tfrac12\operatorname{erfc}(-x/\sqrt2)`,
    so that the left tail is not lost to ``(1 + erf(x/√2))/2`` cancelling, and
    :math:`e^{-x^2/2}` corrected for the rounding of :math:`x^2`, so that it is
    accurate down to the last subnormal."""
    x = _as_float(x)
    if x.dtype not in (np.float32, np.float64):
        return ndtr(x.astype(np.float64)).astype(x.dtype)
    return ndtr(x)


def _normal_cdf_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`, with the exponential
    computed as in :func:`_normal_cdf` (0 beyond |x| = 40 in every format)."""
    x = _as_float(x)
    if x.dtype not in (np.float32, np.float64):
        return ndtr_pdf(x.astype(np.float64), value=False)[1].astype(x.dtype)
    return ndtr_pdf(x, value=False)[1]


def _normal_cdf_pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both, sharing the exponential: bit for bit the two computed alone."""
    x = _as_float(x)
    if x.dtype not in (np.float32, np.float64):
        cdf, pdf = ndtr_pdf(x.astype(np.float64))
        return cdf.astype(x.dtype), pdf.astype(x.dtype)
    return ndtr_pdf(x)


normal_cdf = register(
    Activation(
        "normal_cdf",
        title="Normal CDF (probit)",
        zh="标准正态分布函数(probit)",
        family="sigmoidal",
        fn=_normal_cdf,
        deriv=_normal_cdf_derivative,
        both=_normal_cdf_pair,
        sym=lambda x: (1 + sp.erf(x / sp.sqrt(2))) / 2,
        aliases=("probit", "ndtr", "gaussian_cdf"),
        frameworks={
            "pytorch": "torch.special.ndtr",
            "jax": "jax.scipy.special.ndtr / jax.scipy.stats.norm.cdf",
            "tensorflow": "0.5 * tf.math.erfc(-x / sqrt(2)) / "
            "tfp.distributions.Normal(0., 1.).cdf",
        },
        references=("bliss1934method", "hendrycks2016gelu"),
        related=("sigmoid", "gelu", "log_log"),
    )
)


# The symbol the registry gives ``alpha`` (real, and nonnegative since its range
# starts above 0), for the identity f' = (1 - alpha y^2)^(3/2).
_ISRU_ALPHA = sp.Symbol("alpha", real=True, nonnegative=True)


def _isru_parts(x: np.ndarray, alpha: float):
    """``(m, t, r)`` with ``m = min(|x|, 1)``, ``t = 1/max(|x|, 1)`` and
    ``r = 1/sqrt(t^2 + alpha m^2)``.

    For ``|x| <= 1`` (``t = 1``, ``m = |x|``), ``r = 1/sqrt(1 + a x^2)``; for
    ``|x| > 1`` (``m = 1``), ``r = 1/sqrt(t^2 + a)``, the same quantity divided by
    ``|x|``, whose square cannot overflow. No branch is evaluated where it does
    not apply, so nothing overflows there either.
    """
    ax = np.abs(x)
    m = np.minimum(ax, 1)
    t = 1 / np.maximum(ax, 1)
    r = 1 / np.sqrt(t * t + alpha * m * m)
    return m, t, r


def _isru(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`x/\sqrt{1+\alpha x^2}`, or :math:`\mathrm{sign}(x)/\sqrt{x^{-2}+\alpha}`
    for :math:`|x| > 1` (``copysign(m, x)`` is x or ±1)."""
    m, _, r = _isru_parts(x, alpha)
    return np.copysign(m, x) * r


def _isru_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`(1+\alpha x^2)^{-3/2}`, or :math:`(t\,r)^3` for :math:`|x| > 1`
    (t is 1 otherwise)."""
    _, t, r = _isru_parts(x, alpha)
    s = t * r
    return s * s * s


isru = register(
    Activation(
        "isru",
        title="ISRU",
        zh="逆平方根单元",
        family="sigmoidal",
        fn=_isru,
        deriv=_isru_derivative,
        sym=lambda x, alpha: x / sp.sqrt(1 + alpha * x**2),
        via_output=lambda y: (1 - _ISRU_ALPHA * y**2) ** sp.Rational(3, 2),
        params={
            "alpha": Param(
                1.0, 0.01, 10.0,
                "the outputs lie in (-1/sqrt(alpha), 1/sqrt(alpha)) (paper: 1)",
                symbol="alpha",
            )
        },
        aliases=("inverse_square_root_unit",),
        frameworks={
            "pytorch": "x * torch.rsqrt(1 + alpha * x**2)  # no built-in",
            "jax": "x * jax.lax.rsqrt(1 + alpha * x**2)  # no built-in",
            "tensorflow": "x * tf.math.rsqrt(1 + alpha * x**2)  # no built-in",
        },
        references=("carlile2017improving",),
        related=("softsign", "tanh"),
    )
)


def _sparse_sigmoid(x: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{clip}((x+1)/2, 0, 1)`; ``x + 1`` is exact near -1."""
    half = np.asarray(0.5, x.dtype)
    return _clip_unit((x + np.asarray(1, x.dtype)) * half, 0.0, 1.0)


def _sparse_sigmoid_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`1/2` for :math:`|x| < 1`; 0 outside and at :math:`\pm 1`."""
    inside = np.abs(x) < 1
    out = np.where(inside, np.asarray(0.5, x.dtype), np.zeros_like(x))
    return _keep_nan(x, out)


_KINK_SPARSE_SIGMOID = {
    "pytorch": "no built-in; the torch.clamp one-liner gives 1/2 (clamp_backward "
    "keeps the gradient where min <= x <= max)",
    "jax": "1/4 (jnp.clip is max then min, which split the gradient at a tie)",
    "tensorflow": "no tf.nn op; Keras 3 delegates to its backend",
    "keras": "the backend's (1/4 on JAX)",
}

sparse_sigmoid = register(
    Activation(
        "sparse_sigmoid",
        title="Sparse Sigmoid",
        zh="稀疏 S 型函数",
        family="sigmoidal",
        fn=_sparse_sigmoid,
        deriv=_sparse_sigmoid_derivative,
        sym=lambda x: sp.Piecewise((0, x <= -1), (1, x >= 1), ((x + 1) / 2, True)),
        kinks=(
            Kink(-1.0, lambda: 0.0, _KINK_SPARSE_SIGMOID),
            Kink(1.0, lambda: 0.0, _KINK_SPARSE_SIGMOID),
        ),
        frameworks={
            "pytorch": "torch.clamp((x + 1) / 2, 0, 1)  # no built-in",
            "jax": "jax.nn.sparse_sigmoid",
            "tensorflow": "keras.activations.sparse_sigmoid  # no tf.nn op",
            "keras": "keras.activations.sparse_sigmoid / keras.ops.sparse_sigmoid",
        },
        references=("blondel2020learning", "martins2016softmax"),
        related=("sigmoid", "hard_sigmoid", "hard_tanh"),
    )
)


def _penalized_tanh(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\tanh x` for :math:`x > 0`, :math:`\alpha\tanh x` otherwise."""
    t = np.tanh(x)
    return np.where(x > 0, t, np.asarray(alpha, x.dtype) * t)


def _penalized_tanh_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\mathrm{sech}^2 x` for :math:`x > 0`, :math:`\alpha\,\mathrm{sech}^2 x`
    otherwise, so :math:`\alpha` at the kink (the branch ``x > 0`` fails at 0)."""
    d = _tanh_derivative(x)
    return np.where(x > 0, d, np.asarray(alpha, x.dtype) * d)


penalized_tanh = register(
    Activation(
        "penalized_tanh",
        title="Penalized Tanh",
        zh="惩罚双曲正切函数",
        family="sigmoidal",
        fn=_penalized_tanh,
        deriv=_penalized_tanh_derivative,
        sym=lambda x, alpha: sp.Piecewise(
            (sp.tanh(x), x > 0), (alpha * sp.tanh(x), True)
        ),
        params={
            "alpha": Param(
                0.25, 0.0, 1.0,
                "factor on the negative side (Xu et al.: 0.25); 1 gives tanh",
                symbol="alpha",
            )
        },
        aliases=("penalised_tanh", "ptanh"),
        kinks=(
            Kink(
                0.0,
                lambda alpha: alpha,
                {
                    "pytorch": "no built-in; torch.where(x > 0, t, alpha * t) "
                    "gives alpha",
                    "jax": "no built-in; jnp.where(x > 0, ...) gives alpha",
                    "tensorflow": "no built-in; tf.where(x > 0, ...) gives alpha",
                },
            ),
        ),
        frameworks={
            "pytorch": "torch.where(x > 0, torch.tanh(x), alpha * torch.tanh(x))"
            "  # no built-in",
            "jax": "jnp.where(x > 0, jnp.tanh(x), alpha * jnp.tanh(x))"
            "  # no built-in",
            "tensorflow": "tf.where(x > 0, tf.tanh(x), alpha * tf.tanh(x))"
            "  # no built-in",
        },
        references=("xu2016revise", "eger2018time"),
        related=("tanh", "leaky_relu"),
    )
)
