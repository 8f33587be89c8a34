"""Self-gated activations: the input scaled by a smooth gate of itself, x * g(x)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy.special import erfc

from .registry import Activation, Kink, Param, register
from .sigmoidal import _sigmoid, _sigmoid_derivative

__all__ = ["gelu", "gelu_tanh", "silu", "mish", "hard_swish"]

_INV_SQRT2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_TAIL = 40.0
"""Beyond |x| = 40, Phi(x) is 0 or 1 and x*phi(x) is 0 in every float format."""


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    # erfc keeps the left tail (Phi(-10) = 7.6e-24) where 1 + erf(x) would be 0.
    return 0.5 * erfc(-x * _INV_SQRT2)


def _gelu(x: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{GELU}(x) = x\Phi(x) = \tfrac{x}{2}\,\mathrm{erfc}(-x/\sqrt2)`.

    Below -40 the product underflows to 0; clamping there keeps ``-inf * 0`` out.
    """
    xc = np.maximum(x, -_TAIL)
    return xc * _normal_cdf(xc)


def _gelu_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)`.

    The clamp keeps ``x**2`` from overflowing; the term it changes is 0 there anyway.
    """
    xc = np.clip(x, -_TAIL, _TAIL)
    return _normal_cdf(x) + xc * (_INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


_C = math.sqrt(2 / math.pi)
_K = 0.044715
_TANH_TAIL = 100.0
"""Beyond |x| = 100 the tanh gate is exactly 0 or 1 (its argument exceeds 7e4)."""


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    r""":math:`\tfrac{x}{2}(1+\tanh u) = x\,\sigma(2u)`.

    Here :math:`u=\sqrt{2/\pi}\,(x+0.044715x^3)`.

    ``1 + tanh(u)`` cancels in the left tail; ``2 * sigmoid(2u)`` is the same number
    computed without the cancellation.
    """
    xc = np.clip(x, -_TANH_TAIL, _TANH_TAIL)
    gate = _sigmoid(2 * _C * (xc + _K * xc * xc * xc))
    return np.where(x > _TANH_TAIL, x, xc * gate)


def _gelu_tanh_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(2u) + 2x\,u'(x)\,\sigma'(2u)`."""
    xc = np.clip(x, -_TANH_TAIL, _TANH_TAIL)
    x2 = xc * xc
    two_u = 2 * _C * (xc + _K * x2 * xc)
    two_du = 2 * _C * (1 + 3 * _K * x2)
    return _sigmoid(two_u) + xc * two_du * _sigmoid_derivative(two_u)


gelu = register(
    Activation(
        "gelu",
        title="GELU",
        zh="高斯误差线性单元",
        family="self_gated",
        fn=_gelu,
        deriv=_gelu_derivative,
        sym=lambda x: x / 2 * (1 + sp.erf(x / sp.sqrt(2))),
        aliases=("gaussian_error_linear_unit", "gelu_exact", "gelu_erf"),
        frameworks={
            "pytorch": "torch.nn.functional.gelu(x)  # approximate='none' (default)",
            "jax": "jax.nn.gelu(x, approximate=False)  # JAX's default is True",
            "tensorflow": "tf.nn.gelu(x)  # approximate=False (default)",
        },
        references=("hendrycks2016gelu", "devlin2019bert", "dosovitskiy2021image"),
        related=("gelu_tanh", "relu"),
    )
)

gelu_tanh = register(
    Activation(
        "gelu_tanh",
        title="GELU (tanh approximation)",
        zh="高斯误差线性单元（tanh 近似）",
        family="self_gated",
        fn=_gelu_tanh,
        deriv=_gelu_tanh_derivative,
        sym=lambda x: x
        / 2
        * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3))),
        aliases=("gelu_approx", "gelu_new", "approximate_gelu"),
        frameworks={
            "pytorch": "torch.nn.functional.gelu(x, approximate='tanh')",
            "jax": "jax.nn.gelu(x)  # approximate=True is JAX's default",
            "tensorflow": "tf.nn.gelu(x, approximate=True)",
        },
        references=("hendrycks2016gelu", "radford2018improving", "radford2019language"),
        related=("gelu",),
    )
)


# --- SiLU / Swish --------------------------------------------------------------------


def _scaled(x: np.ndarray, beta: float) -> np.ndarray:
    """``beta * x``; with beta = 0 it is 0 even at x = +-inf (NaN stays NaN)."""
    if beta == 0:
        return np.where(np.isnan(x), x, np.zeros_like(x))
    # A product beyond the float range rounds to +-inf, which the gate handles.
    with np.errstate(over="ignore"):
        return np.asarray(beta, dtype=x.dtype) * x


def _left_tail(x: np.ndarray, t: np.ndarray):
    """``(mask, |x|, t)`` where ``e^t`` is subnormal (t below log of the smallest
    normal float: -87.3 in float32, -708.4 in float64) and x is finite; elsewhere
    the stand-ins 1 and 0 keep ``log`` and ``exp`` quiet.

    There ``x * e^t`` would multiply by an ``e^t`` that has already lost most of
    its significant bits; ``exp(t + log|x|)`` rounds the tiny product only once.
    (Above that point the direct product is the more accurate of the two: the
    sum ``t + log|x|`` carries an absolute rounding error of about |t| eps.)
    """
    edge = np.log(np.finfo(x.dtype).tiny)
    mask = (t < edge) & np.isfinite(t) & np.isfinite(x)
    return mask, np.where(mask, np.abs(x), 1), np.where(mask, t, 0)


def _silu(x: np.ndarray, beta: float) -> np.ndarray:
    r""":math:`x\,\sigma(\beta x)`.

    Where the gate underflows to 0 the product is 0 too; replacing x by 0 there
    keeps ``-inf * 0`` out.  Where :math:`e^t` is subnormal, :math:`x\sigma(t)`
    is :math:`-e^{t + \log|x|}/(1+e^t)`.
    """
    t = _scaled(x, beta)
    gate = _sigmoid(t)
    direct = np.where(gate == 0, np.zeros_like(x), x) * gate
    tail, ax, tt = _left_tail(x, t)
    far = -np.exp(tt + np.log(ax)) / (1 + np.exp(tt))
    return np.where(tail, far, direct)


def _silu_derivative(x: np.ndarray, beta: float) -> np.ndarray:
    r""":math:`\sigma(t) + t\,\sigma'(t)` with :math:`t = \beta x`.

    The term :math:`t\,\sigma'(t)` is 0 in every format once :math:`|t| > 10^4`;
    clamping t there keeps ``inf * 0`` out.  Where :math:`e^t` is subnormal it
    is :math:`-e^{t + \log|t|}/(1+e^t)^2`, rounded once.
    """
    t = _scaled(x, beta)
    tc = np.clip(t, -1e4, 1e4)
    tail, _, tt = _left_tail(x, t)
    at = np.where(tail, np.abs(tt), 1)
    e = np.exp(tt)
    far = -np.exp(tt + np.log(at)) / ((1 + e) * (1 + e))
    return _sigmoid(t) + np.where(tail, far, tc * _sigmoid_derivative(tc))


def _silu_partial_beta(x: np.ndarray, beta: float) -> np.ndarray:
    r""":math:`\partial f/\partial\beta = x^2\,\sigma'(\beta x)`.

    Where :math:`\sigma'` underflows, x is replaced by 0 so that ``x * x`` cannot
    overflow into ``inf * 0``; with beta = 0 the exact :math:`x^2/4` may round to
    inf for |x| > 1e154, which is the correctly rounded result.
    """
    s = _sigmoid_derivative(_scaled(x, beta))
    xs = np.where(s == 0, np.zeros_like(x), x)
    with np.errstate(over="ignore"):
        return xs * xs * s


silu = register(
    Activation(
        "silu",
        title="SiLU (Swish)",
        zh="S 型加权线性单元(Swish)",
        family="self_gated",
        fn=_silu,
        deriv=_silu_derivative,
        sym=lambda x, beta: x / (1 + sp.exp(-beta * x)),
        params={
            "beta": Param(
                1.0,
                0.0,
                math.inf,
                "gate sharpness, learnable in Swish: f = x sigmoid(beta x); beta = 0 "
                "gives x/2, beta -> inf gives ReLU (TensorFlow: 1.0; PyTorch, JAX, "
                "Keras: beta = 1 only)",
                symbol="beta",
                learnable=True,
            )
        },
        partials={"beta": _silu_partial_beta},
        aliases=("swish", "sigmoid_weighted_linear_unit", "swish1"),
        frameworks={
            "pytorch": "torch.nn.functional.silu / torch.nn.SiLU  # beta = 1 only",
            "jax": "jax.nn.silu / jax.nn.swish  # beta = 1 only",
            "tensorflow": "tf.nn.silu(x, beta=1.0) / tf.nn.swish",
            "keras": "keras.activations.silu / keras.activations.swish  # beta = 1",
        },
        references=("ramachandran2017searching", "elfwing2018sigmoid",
                    "hendrycks2016gelu", "tan2019efficientnet"),
        related=("gelu", "relu"),
    )
)


# --- Mish ----------------------------------------------------------------------------

_MISH_TAIL = 1000.0
"""Beyond |x| = 1000, e^{-|x|} is 0 in every float format: the gate is exactly 0
(left) or 1 (right), and x g'(x) is 0."""


def _mish_parts(x: np.ndarray):
    r"""The gate :math:`g = \tanh(\operatorname{softplus} x)`, and
    :math:`g' = \operatorname{sech}^2(\operatorname{softplus} x)\,\sigma(x)`.

    With :math:`u = e^{-|x|} \le 1` (never overflows) and
    :math:`e^{\operatorname{softplus}(x)} = 1 + e^x`:

    * :math:`x < 0`: :math:`g = \dfrac{u^2+2u}{u^2+2u+2}`,
      :math:`g' = \dfrac{4(1+u)^2}{((1+u)^2+1)^2}\cdot\dfrac{u}{1+u}`;
    * :math:`x \ge 0`: :math:`g = \dfrac{1+2u}{1+2u+2u^2}`,
      :math:`g' = \dfrac{4(1+u)^2u^2}{((1+u)^2+u^2)^2}\cdot\dfrac{1}{1+u}`.

    No form subtracts nearly equal numbers: the left tail :math:`g \approx u`
    keeps full relative accuracy, where ``tanh(log1p(exp(x)))`` does too but
    ``1 - tanh**2`` would not.
    """
    u = np.exp(-np.abs(x))
    neg = x < 0
    p = u * (u + 2)
    g = np.where(neg, p / (p + 2), (1 + 2 * u) / (1 + 2 * u + 2 * u * u))
    q = (1 + u) * (1 + u)
    dg = np.where(
        neg,
        4 * q / ((q + 1) * (q + 1)) * (u / (1 + u)),
        4 * q * (u * u) / ((q + u * u) * (q + u * u)) / (1 + u),
    )
    return g, dg


def _mish(x: np.ndarray) -> np.ndarray:
    r""":math:`x\tanh(\operatorname{softplus}(x))`.

    The clamp keeps ``-inf * 0`` out where the gate is exactly 0.  Where
    :math:`e^x` is subnormal, :math:`x g = -e^{x + \log|x|}\,(u+2)/(u^2+2u+2)`:
    the tiny factor :math:`x e^x` is rounded once instead of twice.
    """
    xc = np.maximum(x, -_MISH_TAIL)
    g, _ = _mish_parts(xc)
    tail, ax, tt = _left_tail(x, x)
    u = np.exp(tt)
    far = -np.exp(tt + np.log(ax)) * ((u + 2) / (u * (u + 2) + 2))
    return np.where(tail, far, xc * g)


def _mish_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`g(x) + x\,g'(x)`; where :math:`e^x` is subnormal the product
    :math:`x g'` is :math:`-e^{x + \log|x|}\cdot 4q/\bigl((q+1)^2(1+u)\bigr)`,
    :math:`q=(1+u)^2`."""
    xc = np.clip(x, -_MISH_TAIL, _MISH_TAIL)
    g, dg = _mish_parts(x)
    tail, ax, tt = _left_tail(x, x)
    u = np.exp(tt)
    q = (1 + u) * (1 + u)
    far = -np.exp(tt + np.log(ax)) * (4 * q / ((q + 1) * (q + 1) * (1 + u)))
    return g + np.where(tail, far, xc * dg)


def _mish_expr(x: sp.Symbol) -> sp.Expr:
    r""":math:`x\tanh(\log(1+e^x))` with the tanh of a logarithm written out:
    :math:`\tanh\log s = (s^2-1)/(s^2+1)`, :math:`s = 1+e^x`.

    The same function; in this form a high-precision evaluation of the left
    tail does not cancel (``log(1 + e^x)`` is 0 at 60 digits for x < -140).
    """
    e = sp.exp(x)
    return x * (e**2 + 2 * e) / (e**2 + 2 * e + 2)


mish = register(
    Activation(
        "mish",
        title="Mish",
        zh="Mish 激活函数",
        family="self_gated",
        fn=_mish,
        deriv=_mish_derivative,
        sym=_mish_expr,
        aliases=(),
        frameworks={
            "pytorch": "torch.nn.functional.mish / torch.nn.Mish",
            "jax": "jax.nn.mish(x)",
            "tensorflow": "keras.activations.mish (tfa.activations.mish in the "
            "discontinued TF Addons)",
            "keras": "keras.activations.mish(x)",
        },
        references=("misra2020mish", "bochkovskiy2020yolov4"),
        related=("silu", "gelu", "relu"),
    )
)


# --- Hard Swish ----------------------------------------------------------------------


def _hard_swish(x: np.ndarray) -> np.ndarray:
    r""":math:`x\,\mathrm{ReLU6}(x+3)/6`: 0 for :math:`x \le -3`,
    :math:`x(x+3)/6` between, x for :math:`x \ge 3`.  ``x + 3`` is exact near -3
    (Sterbenz); the middle branch is clamped so that nothing overflows."""
    xm = np.clip(x, -3, 3)
    mid = xm * (xm + 3) / 6
    return np.where(x <= -3, np.zeros_like(x), np.where(x >= 3, x, mid))


def _hard_swish_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`0`, :math:`(2x+3)/6`, :math:`1`; at the kinks PyTorch's choice,
    the middle branch: :math:`-1/2` at -3 and :math:`3/2` at 3."""
    mid = (2 * np.clip(x, -3, 3) + 3) / 6
    out = np.where(x < -3, np.zeros_like(x), np.where(x > 3, np.ones_like(x), mid))
    return np.where(np.isnan(x), x, out)


hard_swish = register(
    Activation(
        "hard_swish",
        title="Hard Swish",
        zh="硬 Swish 函数(h-swish)",
        family="self_gated",
        fn=_hard_swish,
        deriv=_hard_swish_derivative,
        # The middle branch last: each condition is then decidable just beside
        # either breakpoint, which the one-sided limits rely on.
        sym=lambda x: sp.Piecewise(
            (0, x <= -3), (x, x >= 3), (x * (x + 3) / 6, True)
        ),
        aliases=("hard_silu", "hardswish", "h_swish"),
        kinks=(
            Kink(-3.0, lambda: -0.5,
                 {"pytorch": "-0.5", "jax": "0", "tensorflow": "0",
                  "keras": "the backend's: -0.5 (PyTorch), 0 (JAX, TF)"}),
            Kink(3.0, lambda: 1.5,
                 {"pytorch": "1.5", "jax": "1", "tensorflow": "1",
                  "keras": "the backend's: 1.5 (PyTorch), 1 (JAX, TF)"}),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.hardswish / torch.nn.Hardswish",
            "jax": "jax.nn.hard_swish / jax.nn.hard_silu",
            "tensorflow": "no tf.nn op; x * tf.nn.relu6(x + 3) / 6",
            "keras": "keras.activations.hard_silu / keras.activations.hard_swish",
        },
        references=("howard2019searching", "ramachandran2017searching"),
        related=("silu", "relu"),
    )
)
