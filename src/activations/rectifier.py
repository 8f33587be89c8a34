"""Rectifiers: piecewise-linear activations that pass positive inputs through."""

from __future__ import annotations

import numpy as np
import sympy as sp

from .core import finish, times, via_value
from .registry import (
    Activation,
    Kink,
    Param,
    as_real_array,
    compute,
    register,
)

__all__ = ["relu", "leaky_relu"]


def _relu(x: np.ndarray) -> np.ndarray:
    r"""ReLU, :math:`f(x) = \max(0, x)`.

    ``np.clip`` with both bounds runs as one vectorised pass (``np.maximum`` with a
    scalar does not) and keeps NaN as NaN; it returns ``-0.0`` for ``-0.0``, so
    adding ``+0.0`` (exact for every other value) gives ``+0.0``, as
    :math:`\max(0, x)` does.
    """
    y = np.clip(x, 0.0, np.inf, out=np.empty_like(x))
    y += 0.0
    return y


def _relu_derivative_of(y: np.ndarray) -> np.ndarray:
    """:math:`f'(x) = 1` for x > 0, else 0 (0 at the kink, as PyTorch), read off
    ``y = relu(x)``: ``sign(y)`` is 1 for y > 0, 0 at 0 (so for every x <= 0) and
    NaN for NaN, in one pass with no mask."""
    return np.sign(y, out=np.empty_like(y))


_relu_derivative, _relu_both = via_value(_relu, _relu_derivative_of)


relu = register(
    Activation(
        "relu",
        title="ReLU",
        zh="线性整流函数(修正线性单元)",
        family="rectifier",
        fn=_relu,
        deriv=_relu_derivative,
        both=_relu_both,
        sym=lambda x: sp.Piecewise((x, x > 0), (0, True)),
        aliases=("rectifier", "rectified_linear_unit"),
        kinks=(
            Kink(
                0.0,
                lambda: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.relu / torch.nn.ReLU",
            "jax": "jax.nn.relu",
            "tensorflow": "tf.nn.relu",
            "keras": "keras.activations.relu / keras.layers.ReLU",
        },
        references=("nair2010relu", "glorot2011deep", "he2015delving"),
        related=("leaky_relu", "gelu"),
    )
)


def _slope_value(x: np.ndarray, slope: float) -> np.ndarray:
    r""":math:`x` for :math:`x > 0`, else :math:`a x`, for :math:`-1 \le a \le 1`.

    For such a slope the line through the origin lies above the identity on the
    left and below it on the right, so the value is :math:`\max(x, a x)`: one
    product (one rounding, as :math:`a x` alone) and one vectorised maximum instead
    of a select on a mask. A slope of 0 is not computed as :math:`0 \cdot x`:
    :math:`0 \cdot (-\infty)` would be NaN, while :math:`f(x) = 0` for every
    :math:`x < 0`, so also at :math:`-\infty`. Clipping below at ``-0.0`` gives the
    same zeros :math:`0 \cdot x` gives (``-0.0`` left of 0) and 0 at :math:`-\infty`.
    """
    if slope == 0:
        return np.clip(x, -0.0, np.inf, out=np.empty_like(x))
    y = _times_slope(x, slope)
    return np.maximum(x, y, out=y)


def _times_slope(x: np.ndarray, slope: float) -> np.ndarray:
    r""":math:`a x` in x's dtype, for a slope :math:`a \ne 0` given as a float64.

    A slope that is normal in x's dtype is rounded to it and multiplied (two
    roundings).  One below its smallest normal number (:math:`10^{-50}` in float32
    is 0 there, :math:`10^{-40}` keeps three digits) is multiplied in float64 and
    the product rounded once (:func:`.core.times`): it then behaves as the true
    tiny slope, and :math:`a \cdot (-\infty)` is :math:`-\infty`, not
    :math:`0 \cdot (-\infty)` = NaN.
    """
    return times(x, slope)


def _slope_derivative(x: np.ndarray, slope: float) -> np.ndarray:
    r"""1 for :math:`x > 0`, else the slope :math:`a` (also at the kink), NaN for NaN.

    :math:`\lceil x \rceil` is at least 1 for every :math:`x > 0` and at most 0
    otherwise; clipping it to :math:`[a, 1]` gives 1 or :math:`a` exactly when
    :math:`0 < a \le 1` (NaN passes through both). A negative slope first maps the
    two sides to :math:`\pm 1`, which clip to 1 and :math:`a \ge -1`.
    """
    if slope == 0:
        return _relu_derivative_of(_slope_value(x, 0.0))
    d = np.ceil(x, out=np.empty_like(x))
    if slope < 0:
        np.clip(d, 0.0, 1.0, out=d)
        d *= 2.0
        d -= 1.0
    return np.clip(d, slope, 1.0, out=d)


def _slope_both(x: np.ndarray, slope: float) -> tuple[np.ndarray, np.ndarray]:
    if slope == 0:
        y = _slope_value(x, 0.0)
        return y, _relu_derivative_of(y)
    return _slope_value(x, slope), _slope_derivative(x, slope)


def _leaky_relu(x: np.ndarray, negative_slope: float) -> np.ndarray:
    return _slope_value(x, negative_slope)


def _leaky_relu_derivative(x: np.ndarray, negative_slope: float) -> np.ndarray:
    # The slope branch is taken at 0 (PyTorch's autograd); NaN stays NaN.
    return _slope_derivative(x, negative_slope)


def _leaky_relu_both(x: np.ndarray, negative_slope: float):
    return _slope_both(x, negative_slope)


leaky_relu = register(
    Activation(
        "leaky_relu",
        title="Leaky ReLU",
        zh="带泄露线性整流函数",
        family="rectifier",
        fn=_leaky_relu,
        deriv=_leaky_relu_derivative,
        both=_leaky_relu_both,
        sym=lambda x, negative_slope: sp.Piecewise(
            (x, x > 0), (negative_slope * x, True)
        ),
        params={
            "negative_slope": Param(
                0.01,
                0.0,
                1.0,
                "slope for negative inputs (PyTorch, JAX: 0.01; Keras 3: 0.2)",
                symbol="alpha",
            )
        },
        aliases=("lrelu", "leakyrelu"),
        kinks=(
            Kink(
                0.0,
                lambda negative_slope: negative_slope,
                {
                    "pytorch": "negative_slope",
                    "jax": "1",
                    "tensorflow": "alpha rounded to float32, even in float64: "
                    "≈ 0.0099999998 for alpha = 0.01",
                    "keras": "the backend's: alpha (TF), 1 (JAX), "
                    "negative_slope (PyTorch)",
                },
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.leaky_relu(x, negative_slope=0.01) / "
            "torch.nn.LeakyReLU(negative_slope=0.01)",
            "jax": "jax.nn.leaky_relu(x, negative_slope=0.01)",
            "tensorflow": "tf.nn.leaky_relu(x, alpha=0.2)",
            "keras": "keras.activations.leaky_relu(x, negative_slope=0.2) / "
            "keras.layers.LeakyReLU(negative_slope=0.3)",
        },
        references=("maas2013rectifier", "he2015delving", "xu2015empirical"),
        related=("relu",),
    )
)


# --- PReLU ------------------------------------------------------------------------


def _prelu(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`x` for :math:`x > 0`, else :math:`\alpha x` (one rounding)."""
    return _slope_value(x, alpha)


def _prelu_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    # PyTorch's _prelu_kernel_backward keeps the gradient only where x > 0, so
    # the slope alpha is returned at 0; NaN stays NaN.
    return _slope_derivative(x, alpha)


def _prelu_both(x: np.ndarray, alpha: float):
    return _slope_both(x, alpha)


def _prelu_partial_alpha(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\partial f/\partial\alpha = \min(x, 0)`: 0 for x > 0, x otherwise."""
    return np.where(x > 0, np.zeros_like(x), x)


prelu = register(
    Activation(
        "prelu",
        title="PReLU",
        zh="参数化线性整流函数",
        family="rectifier",
        fn=_prelu,
        deriv=_prelu_derivative,
        both=_prelu_both,
        sym=lambda x, alpha: sp.Piecewise((x, x > 0), (alpha * x, True)),
        params={
            "alpha": Param(
                0.25,
                -1.0,
                1.0,
                "learned slope for negative inputs, initialised to 0.25 "
                "(PyTorch, He et al.); Keras initialises it to 0",
                symbol="alpha",
                learnable=True,
            )
        },
        aliases=("parametric_relu", "parametric_rectified_linear_unit"),
        kinks=(
            Kink(
                0.0,
                lambda alpha: alpha,
                {
                    "pytorch": "alpha (the weight)",
                    "jax": "1 (flax.linen.PReLU tests x >= 0)",
                    "tensorflow": "0 (keras.layers.PReLU: relu(x) - alpha relu(-x))",
                    "keras": "0 (relu(x) - alpha relu(-x); relu'(0) = 0)",
                },
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.PReLU(num_parameters=1, init=0.25) / "
            "torch.nn.functional.prelu(x, weight)",
            "jax": "flax.linen.PReLU(negative_slope_init=0.01)  # not in jax.nn",
            "tensorflow": "keras.layers.PReLU(alpha_initializer='zeros')",
            "keras": "keras.layers.PReLU(alpha_initializer='Zeros', shared_axes=None)",
        },
        references=("he2015delving", "xu2015empirical"),
        related=("leaky_relu", "relu", "rrelu"),
        partials={"alpha": _prelu_partial_alpha},
    )
)


# --- RReLU ------------------------------------------------------------------------


class RandomizedActivation(Activation):
    """A leaky rectifier whose negative slope is random while training (RReLU).

    Evaluation (``training=False``, the default, and what every generic tool in
    the book calls) is deterministic: the slope is the mean ``(lower + upper)/2``.
    In training each element draws its own slope from U[lower, upper):

    * ``a(x, training=True, rng=g)`` returns ``(y, slope)``, the values and the
      slope drawn for every element (the same shape as ``x``);
    * ``a.derivative(x, training=True, slope=slope)`` is df/dx for those draws;
      ``a.derivative(x, training=True, rng=g)`` draws them itself, exactly as a
      call with a generator in the same state would;
    * ``a.value_and_derivative(x, training=True, rng=g)`` returns ``(y, dy)``
      computed with the same draws (dy is the slope drawn where x < 0).

    All three take ``training``, ``rng`` and ``slope`` (given slopes instead of
    drawn ones). ``rng`` is a :class:`numpy.random.Generator` (a fresh
    ``default_rng()`` if None); evaluation ignores it.
    """

    def bind(self, params):
        bound = super().bind(params)
        lo, hi = bound["lower"], bound["upper"]
        if lo > hi:
            raise ValueError(
                f"{self.name}: parameters 'lower' = {lo!r} and 'upper' = {hi!r} "
                "must satisfy 0 <= lower <= upper <= 1"
            )
        return bound

    def _generator(self, rng):
        if rng is None:
            return np.random.default_rng()
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"{self.name}: rng must be a numpy.random.Generator or None, "
                f"got {type(rng).__name__}"
            )
        return rng

    def sample_slopes(self, shape, rng=None, **params) -> np.ndarray:
        """Slopes drawn uniformly from [lower, upper), float64, of ``shape``."""
        p = self.bind(params)
        return self._generator(rng).uniform(p["lower"], p["upper"], size=shape)

    def _training_slope(self, arr, dtype, slope, rng, params):
        if slope is None:
            slope = self.sample_slopes(arr.shape, rng, **params)
        else:
            self.bind(params)
            s, _ = as_real_array(slope, self.name, "slope")
            try:
                slope = np.broadcast_to(s.astype(np.float64), arr.shape)
            except ValueError:
                raise ValueError(f"{self.name}: slope of shape {s.shape} does not "
                                 f"broadcast to x's shape {arr.shape}") from None
        # Round to the output dtype first, so the values use exactly the slopes
        # that are returned.
        return np.asarray(slope).astype(dtype).astype(arr.dtype)

    def _evaluation(self, slope):
        if slope is not None:
            raise ValueError(
                f"{self.name}: slope= applies to training=True only; "
                "evaluation uses the mean slope (lower + upper)/2"
            )

    def __call__(self, x, *, training: bool = False, rng=None, slope=None, **params):
        if not training:
            self._evaluation(slope)
            return super().__call__(x, **params)
        arr, dtype = as_real_array(x, self.name)
        s = self._training_slope(arr, dtype, slope, rng, params)

        def draw(a):
            return finish(np.where(a > 0, a, s * a), dtype), finish(s, dtype)

        return compute(draw, arr)

    def derivative(self, x, *, training: bool = False, rng=None, slope=None,
                   **params):
        if not training:
            self._evaluation(slope)
            return super().derivative(x, **params)
        arr, dtype = as_real_array(x, self.name)
        s = self._training_slope(arr, dtype, slope, rng, params)
        return compute(lambda a: finish(self._training_derivative(a, s), dtype), arr)

    def value_and_derivative(self, x, *, training: bool = False, rng=None,
                             slope=None, **params):
        if not training:
            self._evaluation(slope)
            return super().value_and_derivative(x, **params)
        arr, dtype = as_real_array(x, self.name)
        s = self._training_slope(arr, dtype, slope, rng, params)

        def both(a):
            return (finish(np.where(a > 0, a, s * a), dtype),
                    finish(self._training_derivative(a, s), dtype))

        return compute(both, arr)

    @staticmethod
    def _training_derivative(arr, s):
        return np.where(arr > 0, np.ones_like(arr), np.where(np.isnan(arr), arr, s))


def _rrelu_mean_slope(lower: float, upper: float) -> float:
    return (lower + upper) / 2


def _rrelu(x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """Evaluation mode: Leaky ReLU with the mean slope (lower + upper)/2."""
    return _leaky_relu(x, _rrelu_mean_slope(lower, upper))


def _rrelu_derivative(x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    return _leaky_relu_derivative(x, _rrelu_mean_slope(lower, upper))


def _rrelu_both(x: np.ndarray, lower: float, upper: float):
    return _slope_both(x, _rrelu_mean_slope(lower, upper))


rrelu = register(
    RandomizedActivation(
        "rrelu",
        title="RReLU",
        zh="随机带泄露线性整流函数",
        family="rectifier",
        fn=_rrelu,
        deriv=_rrelu_derivative,
        both=_rrelu_both,
        sym=lambda x, lower, upper: sp.Piecewise(
            (x, x > 0), ((lower + upper) / 2 * x, True)
        ),
        params={
            # Each range stops at the other's default, so either bound can be
            # moved alone; together they must satisfy lower <= upper (bind).
            "lower": Param(
                1 / 8,
                0.0,
                1 / 3,
                "smallest negative slope drawn in training (PyTorch: 1/8)",
                symbol="l",
            ),
            "upper": Param(
                1 / 3,
                1 / 8,
                1.0,
                "largest negative slope drawn in training (PyTorch: 1/3)",
                symbol="u",
            ),
        },
        aliases=("randomized_relu", "randomized_leaky_relu"),
        kinks=(
            Kink(
                0.0,
                _rrelu_mean_slope,
                {
                    "pytorch": "(lower + upper)/2 in eval; the drawn slope in training",
                    "jax": "no built-in",
                    "tensorflow": "no built-in "
                    "(TensorFlow Addons had tfa.activations.rrelu)",
                },
            ),
        ),
        frameworks={
            "pytorch": "torch.nn.RReLU(lower=1/8, upper=1/3) / "
            "torch.nn.functional.rrelu(x, lower, upper, training=False)",
            "jax": "none (jax.nn.leaky_relu(x, (lower + upper)/2) in evaluation)",
            "tensorflow": "none (tfa.activations.rrelu in the retired "
            "TensorFlow Addons)",
        },
        references=("xu2015empirical",),
        related=("leaky_relu",),
    )
)


# --- ReLU6 ------------------------------------------------------------------------


def _relu6(x: np.ndarray) -> np.ndarray:
    r""":math:`\min(\max(0, x), 6)` as one ``np.clip`` (NaN stays NaN); ``+0.0``
    turns the ``-0.0`` that clip returns for ``-0.0`` into ``+0.0``."""
    y = np.clip(x, 0.0, 6.0, out=np.empty_like(x))
    y += 0.0
    return y


def _relu6_derivative_of(y: np.ndarray) -> np.ndarray:
    r"""1 inside :math:`0 < y < 6`, else 0, NaN for NaN, read off :math:`y` in
    :math:`[0, 6]`.

    :math:`y(6 - y)` is 0 at both corners and positive strictly between them (6 - y
    may round, but never to 0 for y < 6; a subnormal y times about 6 stays nonzero), so
    :math:`\lceil y(6 - y) \rceil` clipped to :math:`[0, 1]` is the indicator,
    without a mask or a select.

    PyTorch computes relu6 as hardtanh(x, 0, 6), whose backward passes the
    gradient only for 0 < x < 6: 0 at both corners, as TF and jax.nn.relu6.
    """
    d = np.subtract(6.0, y, out=np.empty_like(y))
    d *= y
    np.ceil(d, out=d)
    return np.clip(d, 0.0, 1.0, out=d)


_relu6_derivative, _relu6_both = via_value(_relu6, _relu6_derivative_of)


relu6 = register(
    Activation(
        "relu6",
        title="ReLU6",
        zh="ReLU6(上限为 6 的线性整流函数)",
        family="rectifier",
        fn=_relu6,
        deriv=_relu6_derivative,
        both=_relu6_both,
        # The outer pieces come first so that each condition can be decided on
        # either side of a corner (see symbolic.one_sided).
        sym=lambda x: sp.Piecewise((0, x <= 0), (6, x >= 6), (x, True)),
        aliases=("relu_6",),
        kinks=(
            Kink(0.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"}),
            Kink(6.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"}),
        ),
        frameworks={
            "pytorch": "torch.nn.functional.relu6 / torch.nn.ReLU6",
            "jax": "jax.nn.relu6",
            "tensorflow": "tf.nn.relu6",
            "keras": "keras.activations.relu6 / keras.layers.ReLU(max_value=6)",
        },
        references=("krizhevsky2010convolutional", "howard2017mobilenets",
                    "sandler2018mobilenetv2"),
        related=("relu", "leaky_relu"),
    )
)


# --- SReLU ------------------------------------------------------------------------


def _srelu_line(x: np.ndarray, t: float, a: float) -> np.ndarray:
    r""":math:`t + a(x - t)`, computed as :math:`a x + (1 - a)t` in float64.

    The textbook form cancels: with :math:`a = 1` and :math:`|x| \ll |t|`, the
    difference :math:`x - t` drops x, and :math:`t + (x - t)` returns 0 for
    :math:`x = 10^{-20}`, :math:`t = 1`.  In :math:`a x + (1 - a)t` each of the two
    products and the sum is rounded once (:math:`1 - a` is exact for
    :math:`1/2 \le a \le 2`, and within half an ulp otherwise), so the error is at
    most about :math:`3u(|a x| + |(1 - a)t|)` with u the unit roundoff: a few ulps
    times the condition number of the line in its data x, a, t.  Both slope and
    threshold are used as the float64 numbers they are: a float32 input is widened
    (exactly), so a slope like 0.9999 does not first round to float32, which would
    change :math:`1 - a` in its fourth digit, nor a slope of :math:`10^{-50}` to 0
    (which would make :math:`0 \cdot (-\infty)` a NaN).  A slope of 0 gives the
    constant t, also at infinite x; a product beyond the range rounds to inf.
    """
    w = x.astype(np.float64, copy=False)
    if a == 0:
        return np.full_like(w, t)
    with np.errstate(over="ignore"):
        out = np.multiply(w, a)
    out += (1.0 - a) * t
    return out


def _srelu(x, t_left, a_left, t_right, a_right):
    r"""Three lines: :math:`t_l + a_l(x - t_l)` for :math:`x \le t_l`, :math:`x`
    between the thresholds, :math:`t_r + a_r(x - t_r)` for :math:`x \ge t_r`
    (each line as :func:`_srelu_line`), rounded once to the input's dtype."""
    left = _srelu_line(x, t_left, a_left)
    right = _srelu_line(x, t_right, a_right)
    w = x.astype(np.float64, copy=False)
    out = np.where(w <= t_left, left, np.where(w >= t_right, right, w))
    with np.errstate(over="ignore"):  # a value beyond float32's range is inf
        return out.astype(x.dtype, copy=False)


def _srelu_derivative(x, t_left, a_left, t_right, a_right):
    # The outer pieces hold their thresholds (x <= t_l, x >= t_r), as in the
    # paper's case split: a_l at t_l and a_r at t_r. x is compared with the
    # thresholds as the float64 numbers they are: t_l = -8e-121 is -0 in float16,
    # and x = 0 lies right of it, on the middle piece.
    dt = x.dtype
    w = x.astype(np.float64, copy=False)
    d = np.where(w <= t_left, np.asarray(a_left, dtype=dt),
                 np.where(w >= t_right, np.asarray(a_right, dtype=dt),
                          np.ones_like(x)))
    return np.where(np.isnan(x), x, d)


def _srelu_partial(side: str, what: str):
    """df/dt (1 - a on that side's piece) or df/da (x - t on that piece, in
    float64 and rounded once, so a float32 x is not first offset by a rounded t)."""

    def partial(x, t_left, a_left, t_right, a_right):
        t, a = (t_left, a_left) if side == "left" else (t_right, a_right)
        w = x.astype(np.float64, copy=False)
        on = w <= t if side == "left" else w >= t
        if what == "t":
            val = np.full_like(x, 1 - a)
        else:
            val = (x.astype(np.float64, copy=False) - t).astype(x.dtype)
        return np.where(np.isnan(x), x, np.where(on, val, np.zeros_like(x)))

    return partial


def _srelu_expr(x, t_left, a_left, t_right, a_right):
    return sp.Piecewise(
        (t_left + a_left * (x - t_left), x <= t_left),
        (t_right + a_right * (x - t_right), x >= t_right),
        (x, True),
    )


srelu = register(
    Activation(
        "srelu",
        title="SReLU",
        zh="S 形线性整流函数",
        family="rectifier",
        fn=_srelu,
        deriv=_srelu_derivative,
        sym=_srelu_expr,
        # Defaults: Keras-contrib's initialisers (t_left = 0, a_right = 1) and
        # the means of its random ones (a_left ~ U(0, 1), t_right ~ U(0, 5)).
        # The ranges keep t_left <= 1 <= t_right, so the thresholds never cross.
        params={
            "t_left": Param(0.0, -5.0, 1.0, "left threshold (Keras-contrib: 0)",
                            symbol="t_l", learnable=True),
            "a_left": Param(0.5, 0.0, 2.0,
                            "slope left of t_left (Keras-contrib: U(0, 1), mean 0.5)",
                            symbol="a_l", learnable=True),
            "t_right": Param(2.5, 1.0, 5.0,
                             "right threshold (Keras-contrib: t_left + |U(0, 5)|, "
                             "mean 2.5)",
                             symbol="t_r", learnable=True),
            "a_right": Param(1.0, 0.0, 2.0, "slope right of t_right (Keras-contrib: 1)",
                             symbol="a_r", learnable=True),
        },
        aliases=("s_shaped_relu",),
        kinks=(
            Kink(lambda t_left, a_left, t_right, a_right: t_left,
                 lambda t_left, a_left, t_right, a_right: a_left,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in (keras_contrib.layers.SReLU)"}),
            Kink(lambda t_left, a_left, t_right, a_right: t_right,
                 lambda t_left, a_left, t_right, a_right:
                 a_right if t_right > t_left else a_left,
                 {"pytorch": "no built-in", "jax": "no built-in",
                  "tensorflow": "no built-in (keras_contrib.layers.SReLU)"}),
        ),
        frameworks={
            "pytorch": "none (a module with four nn.Parameter tensors)",
            "jax": "none",
            "tensorflow": "none (keras_contrib.layers.SReLU, Keras 2 only)",
        },
        references=("jin2016deep",),
        related=("leaky_relu",),
        partials={
            "t_left": _srelu_partial("left", "t"),
            "a_left": _srelu_partial("left", "a"),
            "t_right": _srelu_partial("right", "t"),
            "a_right": _srelu_partial("right", "a"),
        },
    )
)


# --- Squared ReLU -----------------------------------------------------------------


def _squared_relu(x: np.ndarray) -> np.ndarray:
    r""":math:`\max(0, x)^2`, one rounding; beyond :math:`\sqrt{\max}` the exact
    value exceeds the format and inf is the correctly rounded result."""
    r = np.maximum(x, 0)
    with np.errstate(over="ignore"):
        return r * r


def _squared_relu_derivative(x: np.ndarray) -> np.ndarray:
    r""":math:`2\max(0, x)`: continuous, 0 at 0 (every framework agrees)."""
    with np.errstate(over="ignore"):
        return 2 * np.maximum(x, 0)


squared_relu = register(
    Activation(
        "squared_relu",
        title="Squared ReLU",
        zh="平方线性整流函数",
        family="rectifier",
        fn=_squared_relu,
        deriv=_squared_relu_derivative,
        sym=lambda x: sp.Piecewise((x**2, x > 0), (0, True)),
        aliases=("relu_squared", "relu2", "sqrelu"),
        # f' exists at 0 (both sides 0); f'' jumps from 0 to 2 there. Listing the
        # break point makes the smoothness C^1 and keeps 0 out of the smooth grid.
        kinks=(
            Kink(0.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"}),
        ),
        frameworks={
            "pytorch": "torch.square(torch.relu(x))  # no built-in",
            "jax": "jnp.square(jax.nn.relu(x))  # no built-in",
            "tensorflow": "tf.square(tf.nn.relu(x))  # no built-in",
        },
        references=("so2021primer",),
        related=("relu", "gelu"),
    )
)


# --- Absolute value ---------------------------------------------------------------


def _absolute_derivative(x: np.ndarray) -> np.ndarray:
    # sign(x), with sign(0) = 0 as PyTorch's and TensorFlow's autograd return (the
    # midpoint of the subdifferential [-1, 1]); jax.grad(jnp.abs) returns 1 there.
    return np.sign(x)


absolute = register(
    Activation(
        "absolute",
        title="Absolute value",
        zh="绝对值函数",
        family="rectifier",
        fn=np.abs,
        deriv=_absolute_derivative,
        sym=lambda x: sp.Piecewise((x, x >= 0), (-x, True)),
        aliases=("abs", "absolute_value"),
        kinks=(
            Kink(0.0, lambda: 0.0,
                 {"pytorch": "0 (sgn(0))", "jax": "1 (select(x >= 0, g, -g))",
                  "tensorflow": "0 (sign(0))",
                  "keras": "the backend's (1 on JAX)"}),
        ),
        frameworks={
            "pytorch": "torch.abs",
            "jax": "jax.numpy.abs",
            "tensorflow": "tf.math.abs",
            "keras": "keras.ops.abs",
        },
        references=("jarrett2009what",),
        related=("relu", "prelu", "leaky_relu"),
    )
)

__all__ += ["prelu", "rrelu", "relu6", "srelu", "squared_relu", "absolute",
            "RandomizedActivation"]
