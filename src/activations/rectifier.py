"""Rectifiers: piecewise-linear activations that pass positive inputs through."""

from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import sympy as sp

from .core import blockwise, finish, times
from .registry import (
    Activation,
    Kink,
    Param,
    as_real_array,
    broadcast_real,
    compute,
    exact,
    register,
)

__all__ = ["relu", "leaky_relu"]


def _relu_value(x, y):
    r"""ReLU, :math:`f(x) = \max(0, x)`, into ``y``.

    ``np.clip`` with both bounds runs as one vectorised pass (``np.maximum`` with a
    scalar does not) and keeps NaN as NaN; it returns ``-0.0`` for ``-0.0``, so
    adding ``+0.0`` (exact for every other value) gives ``+0.0``, as
    :math:`\max(0, x)` does.
    """
    np.clip(x, 0.0, np.inf, out=y)
    y += 0.0


def _sign_of_block(value, x, y, dy, v=None):
    """A rectifier's ``value(x, y)`` into ``y`` (or into the work block ``v`` if y
    is not wanted) and its sign into ``dy``: the derivative of a rectifier with
    slope 1 or 0 is 1 for y > 0, 0 at 0 (so for every x <= 0) and NaN for NaN, in
    one pass with no mask. (The sign is written into another array: NumPy's
    ``np.sign`` in place is ten times slower.)"""
    if y is not None:
        v = y
    value(x, v)
    np.sign(v, out=dy)


def _relu_kernel(x, y, dy):
    r"""ReLU, :math:`f(x) = \max(0, x)` (:func:`_relu_value`), and :math:`f'(x)`,
    1 for x > 0, else 0 (0 at the kink, as PyTorch), read off the value
    (:func:`_sign_of_block`)."""
    if dy is None:
        _relu_value(x, y)
    else:
        blockwise(partial(_sign_of_block, _relu_value), x, y, dy,
                  scratch=() if y is not None else (x.dtype,))


relu = register(
    Activation(
        "relu",
        kernel=_relu_kernel,
        sym=lambda x: sp.Piecewise((x, x > 0), (0, True)),
        kinks=(
            Kink(
                0.0,
                lambda: 0.0,
                {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"},
            ),
        ),
    )
)


def _zero_slope_value(x, y):
    """The value for a slope of 0: x for x > 0, else the zeros ``0 * x`` gives
    (``-0.0`` left of 0), and 0 at -inf, where ``0 * x`` is NaN
    (:func:`_slope_kernel`)."""
    np.clip(x, -0.0, np.inf, out=y)


def _slope_kernel(x, y, dy, slope: float):
    r""":math:`x` for :math:`x > 0`, else :math:`a x`, for :math:`-1 \le a \le 1`,
    and its derivative, 1 for :math:`x > 0`, else :math:`a` (also at the kink), NaN
    for NaN: the kernel of Leaky ReLU, PReLU and RReLU's evaluation.

    **Value.** For such a slope the line through the origin lies above the identity
    on the left and below it on the right, so the value is :math:`\max(x, a x)`:
    one product (one rounding, as :math:`a x` alone) and one vectorised maximum
    instead of a select on a mask. The product is :func:`.core.times`: a slope that
    is normal in x's dtype is rounded to it and multiplied (two roundings); one
    below its smallest normal number (:math:`10^{-50}` in float32 is 0 there,
    :math:`10^{-40}` keeps three digits) is multiplied in float64 and the product
    rounded once, so it behaves as the true tiny slope, and :math:`a \cdot
    (-\infty)` is :math:`-\infty`, not :math:`0 \cdot (-\infty)` = NaN.

    A slope of 0 is not computed as :math:`0 \cdot x`: :math:`0 \cdot (-\infty)`
    would be NaN, while :math:`f(x) = 0` for every :math:`x < 0`, so also at
    :math:`-\infty`. Clipping below at ``-0.0`` gives the same zeros :math:`0
    \cdot x` gives (``-0.0`` left of 0) and 0 at :math:`-\infty`; its derivative
    is then ReLU's, the sign of that value (:func:`_sign_of_block`).

    **Derivative** (slope :math:`a \ne 0`). :math:`\lceil x \rceil` is at least 1
    for every :math:`x > 0` and at most 0 otherwise; clipping it to :math:`[a, 1]`
    gives 1 or :math:`a` exactly when :math:`0 < a \le 1` (NaN passes through
    both). A negative slope first maps the two sides to :math:`\pm 1`, which clip
    to 1 and :math:`a \ge -1`.
    """
    if slope == 0:
        if dy is None:
            _zero_slope_value(x, y)
        else:
            blockwise(partial(_sign_of_block, _zero_slope_value), x, y, dy,
                      scratch=() if y is not None else (x.dtype,))
        return
    if y is not None:
        times(x, slope, out=y)
        np.maximum(x, y, out=y)
    if dy is not None:
        np.ceil(x, out=dy)
        if slope < 0:
            np.clip(dy, 0.0, 1.0, out=dy)
            dy *= 2.0
            dy -= 1.0
        np.clip(dy, slope, 1.0, out=dy)


def _leaky_relu_kernel(x, y, dy, negative_slope: float):
    """Leaky ReLU (:func:`_slope_kernel`). The slope branch is taken at 0 (PyTorch's
    autograd); NaN stays NaN."""
    _slope_kernel(x, y, dy, negative_slope)


leaky_relu = register(
    Activation(
        "leaky_relu",
        kernel=_leaky_relu_kernel,
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
    )
)


# --- PReLU ------------------------------------------------------------------------


def _prelu_kernel(x, y, dy, alpha: float):
    r""":math:`x` for :math:`x > 0`, else :math:`\alpha x` (one rounding), and its
    derivative (:func:`_slope_kernel`). PyTorch's _prelu_kernel_backward keeps the
    gradient only where x > 0, so the slope alpha is returned at 0; NaN stays NaN."""
    _slope_kernel(x, y, dy, alpha)


def _prelu_partial_alpha(x: np.ndarray, alpha: float) -> np.ndarray:
    r""":math:`\partial f/\partial\alpha = \min(x, 0)`: 0 for x > 0, x otherwise."""
    return np.where(x > 0, np.zeros_like(x), x)


prelu = register(
    Activation(
        "prelu",
        kernel=_prelu_kernel,
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
            slope = broadcast_real(slope, arr.shape, self.name, "slope")
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


def _rrelu_kernel(x, y, dy, lower: float, upper: float):
    """Evaluation mode: Leaky ReLU with the mean slope (lower + upper)/2
    (:func:`_slope_kernel`). Training draws its slopes instead
    (:class:`RandomizedActivation`)."""
    _slope_kernel(x, y, dy, _rrelu_mean_slope(lower, upper))


rrelu = register(
    RandomizedActivation(
        "rrelu",
        kernel=_rrelu_kernel,
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
    )
)


# --- ReLU6 ------------------------------------------------------------------------


def _relu6_value(x, y):
    r""":math:`\min(\max(0, x), 6)` as one ``np.clip`` (NaN stays NaN); ``+0.0``
    turns the ``-0.0`` that clip returns for ``-0.0`` into ``+0.0``."""
    np.clip(x, 0.0, 6.0, out=y)
    y += 0.0


def _relu6_block(x, y, dy, v=None):
    """Value into ``y`` (or the work block ``v`` if y is None), and the slope read
    off it into ``dy``."""
    if y is not None:
        v = y
    _relu6_value(x, v)
    np.subtract(6.0, v, out=dy)
    dy *= v
    np.ceil(dy, out=dy)
    np.clip(dy, 0.0, 1.0, out=dy)


def _relu6_kernel(x, y, dy):
    r"""ReLU6, :math:`\min(\max(0, x), 6)`, and its slope, 1 inside
    :math:`0 < x < 6`, else 0, NaN for NaN.

    The slope is read off :math:`y` in :math:`[0, 6]`: :math:`y(6 - y)` is 0 at both
    corners and positive strictly between them (6 - y may round, but never to 0 for
    y < 6; a subnormal y times about 6 stays nonzero), so :math:`\lceil y(6 - y)
    \rceil` clipped to :math:`[0, 1]` is the indicator, without a mask or a select.
    Asked for alone, y is computed a block at a time in a work array.

    PyTorch computes relu6 as hardtanh(x, 0, 6), whose backward passes the
    gradient only for 0 < x < 6: 0 at both corners, as TF and jax.nn.relu6.
    (Hard Tanh with bounds 0 and 6 is the same function; it has its own kernel.)
    """
    if dy is None:
        _relu6_value(x, y)
    else:
        blockwise(_relu6_block, x, y, dy, scratch=(x.dtype,) if y is None else ())


relu6 = register(
    Activation(
        "relu6",
        kernel=_relu6_kernel,
        # The outer pieces come first so that each condition can be decided on
        # either side of a corner (see symbolic.one_sided).
        sym=lambda x: sp.Piecewise((0, x <= 0), (6, x >= 6), (x, True)),
        kinks=(
            Kink(0.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"}),
            Kink(6.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"}),
        ),
    )
)


# --- ReLU-n (Keras' general ReLU) ---------------------------------------------------


def _relu_n_block(x, y, dy, w, below, *, max_value, negative_slope, threshold):
    """One block of :func:`_relu_n_kernel`; ``w`` is x in float64 (x itself for a
    float64 x), ``below`` the mask of the left piece."""
    if x.dtype != np.float64:
        np.copyto(w, x)  # exact
    else:
        w = x
    np.less_equal(w, threshold, out=below)  # NaN fails it: it stays on the ramp
    if y is not None:
        v = np.minimum(w, max_value)  # NaN stays NaN
        if negative_slope == 0:
            v[below] = 0.0
        else:
            v[below] = negative_slope * (w[below] - threshold)
        v += 0.0  # -0.0 (at x = -0.0 on the ramp, threshold 0) becomes +0.0
        np.copyto(y, v)  # one rounding to x's dtype
    if dy is not None:
        np.less(w, max_value, out=dy, casting="unsafe")  # 1 below the cap, else 0
        np.copyto(dy, np.asarray(negative_slope, dtype=dy.dtype), where=below)
        np.copyto(dy, x, where=np.isnan(x))


def _relu_n_kernel(x, y, dy, max_value: float, negative_slope: float,
                   threshold: float):
    r"""Keras' general ReLU: :math:`\alpha(x - \theta)` for :math:`x \le \theta`,
    :math:`x` for :math:`\theta < x < n`, :math:`n` for :math:`x \ge n`; its slope
    :math:`\alpha`, 1 and 0 on the three pieces, NaN for NaN.

    At :math:`x = \theta` the left piece holds (value 0, slope :math:`\alpha`), as in
    Keras' code (``x * (x > threshold)``) and as PyTorch's leaky ReLU takes the
    slope at 0; at the cap the slope is 0, as PyTorch's and every framework's relu6.
    With the defaults (:math:`n = 6`, :math:`\alpha = \theta = 0`) this is ReLU6.

    Everything is computed in float64 and rounded once: x is widened exactly, so
    the thresholds are compared as the float64 numbers they are, and
    :math:`\alpha(x - \theta)` has two roundings before the last. A slope of 0 is
    not multiplied (:math:`0 \cdot (-\infty)` would be NaN): the left piece is 0.
    """
    blockwise(partial(_relu_n_block, max_value=max_value,
                      negative_slope=negative_slope, threshold=threshold),
              x, y, dy, scratch=(np.float64, np.bool_))


def _relu_n_expr(x, max_value, negative_slope, threshold):
    # The outer pieces first, so that each condition can be decided on either side
    # of a break point (see symbolic.one_sided), as for relu6.
    return sp.Piecewise(
        (negative_slope * (x - threshold), x <= threshold),
        (max_value, x >= max_value),
        (x, True),
    )


# What the calls of the catalogue return at both corners (n = 6, no slope or threshold).
_KINK_RELU_N = {
    "pytorch": "0 (F.hardtanh(x, 0, n), the form of F.relu6)",
    "jax": "0.5 (jnp.clip: the tied minimum and maximum split the gradient)",
    "tensorflow": "1 (tf.clip_by_value passes the gradient at both bounds)",
    "keras": "0 (relu(x, max_value=6) calls relu6)",
}

relu_n = register(
    Activation(
        "relu_n",
        kernel=_relu_n_kernel,
        sym=_relu_n_expr,
        # Keras' keyword names. The ranges keep threshold < 1 <= max_value, so the
        # pieces never cross; Keras' ReLU layer also refuses negative values of all
        # three.
        params={
            "max_value": Param(6.0, 1.0, 20.0,
                               "the cap n (ReLU6: 6; Deep Speech: 20; Keras: None, "
                               "no cap)", symbol="n"),
            "negative_slope": Param(0.0, 0.0, 1.0,
                                    "slope left of the threshold (Keras: 0)",
                                    symbol="alpha"),
            "threshold": Param(0.0, 0.0, 0.5,
                               "inputs at or below it take the sloped piece "
                               "(Keras: 0)", symbol="theta"),
        },
        kinks=(
            Kink(lambda max_value, negative_slope, threshold: threshold,
                 lambda max_value, negative_slope, threshold: negative_slope,
                 _KINK_RELU_N),
            Kink(lambda max_value, negative_slope, threshold: max_value,
                 lambda max_value, negative_slope, threshold: 0.0,
                 _KINK_RELU_N),
        ),
    )
)


# --- SReLU ------------------------------------------------------------------------


def _srelu_line(w: np.ndarray, t: float, a: float, out: np.ndarray) -> None:
    r""":math:`t + a(x - t)` into ``out``, computed as :math:`a x + (1 - a)t` from
    the float64 ``w`` = x.

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
    if a == 0:
        out.fill(t)
        return
    with np.errstate(over="ignore"):
        np.multiply(w, a, out=out)
    out += (1.0 - a) * t


def _srelu_block(x, y, dy, *work, t_left, a_left, t_right, a_right):
    """One block of :func:`_srelu_kernel`. ``work`` holds float64 blocks: if y is
    wanted, one for a line and, for a float32 x, one for the value before its
    rounding; last, for a float32 x, x widened."""
    wide = x.dtype == np.float64
    if wide:
        w = x
    else:
        w = work[-1]
        np.copyto(w, x)  # exact
    on_left = w <= t_left
    on_right = w >= t_right
    if y is not None:
        line = work[0]
        out = y if wide else work[1]
        np.copyto(out, w)
        _srelu_line(w, t_right, a_right, line)
        np.copyto(out, line, where=on_right)
        _srelu_line(w, t_left, a_left, line)  # the left piece holds where both do
        np.copyto(out, line, where=on_left)
        if not wide:
            with np.errstate(over="ignore"):  # a value beyond float32's range is inf
                np.copyto(y, out)
    if dy is not None:
        dt = x.dtype
        dy.fill(1.0)
        np.copyto(dy, np.asarray(a_right, dtype=dt), where=on_right)
        np.copyto(dy, np.asarray(a_left, dtype=dt), where=on_left)
        np.copyto(dy, x, where=np.isnan(x))


def _srelu_kernel(x, y, dy, t_left, a_left, t_right, a_right):
    r"""SReLU: three lines, :math:`t_l + a_l(x - t_l)` for :math:`x \le t_l`,
    :math:`x` between the thresholds, :math:`t_r + a_r(x - t_r)` for :math:`x \ge
    t_r` (each line as :func:`_srelu_line`, in float64), rounded once to the
    input's dtype; and the slope of the piece, NaN for NaN.

    The outer pieces hold their thresholds (x <= t_l, x >= t_r), as in the paper's
    case split: the slope is a_l at t_l and a_r at t_r. x is compared with the
    thresholds as the float64 numbers they are: t_l = -8e-121 is -0 in float16,
    and x = 0 lies right of it, on the middle piece. Computed a block at a time,
    so that the float64 lines of a float32 input stay in cache.
    """
    narrow = x.dtype != np.float64
    work = []
    if y is not None:
        work += ["line"] + ["value"] * narrow
    work += ["widened x"] * narrow
    blockwise(partial(_srelu_block, t_left=t_left, a_left=a_left, t_right=t_right,
                      a_right=a_right), x, y, dy, scratch=[np.float64] * len(work))


def _srelu_partial(side: str, what: str):
    """df/dt (1 - a on that side's piece) or df/da (x - t on that piece, in
    float64 and rounded once, so a float32 x is not first offset by a rounded t)."""

    def partial_derivative(x, t_left, a_left, t_right, a_right):
        t, a = (t_left, a_left) if side == "left" else (t_right, a_right)
        w = x.astype(np.float64, copy=False)
        on = w <= t if side == "left" else w >= t
        if what == "t":
            val = np.full_like(x, 1 - a)
        else:
            val = (x.astype(np.float64, copy=False) - t).astype(x.dtype)
        return np.where(np.isnan(x), x, np.where(on, val, np.zeros_like(x)))

    return partial_derivative


def _srelu_expr(x, t_left, a_left, t_right, a_right):
    return sp.Piecewise(
        (t_left + a_left * (x - t_left), x <= t_left),
        (t_right + a_right * (x - t_right), x >= t_right),
        (x, True),
    )


srelu = register(
    Activation(
        "srelu",
        kernel=_srelu_kernel,
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
        partials={
            "t_left": _srelu_partial("left", "t"),
            "a_left": _srelu_partial("left", "a"),
            "t_right": _srelu_partial("right", "t"),
            "a_right": _srelu_partial("right", "a"),
        },
    )
)


# --- Squared ReLU -----------------------------------------------------------------


def _squared_relu_kernel(x, y, dy):
    r""":math:`\max(0, x)^2`, one rounding, and its derivative :math:`2\max(0, x)`:
    continuous, 0 at 0 (every framework agrees). Beyond :math:`\sqrt{\max}` (and
    :math:`\max/2` for the derivative) the exact value exceeds the format and inf
    is the correctly rounded result. Both are made from one ReLU
    (:func:`_relu_value`, +0.0 at -0.0 as :math:`\max(0, x)`)."""
    r = dy if y is None else y
    _relu_value(x, r)
    with np.errstate(over="ignore"):
        if y is not None and dy is not None:
            np.multiply(r, 2, out=dy)
        if y is not None:
            y *= y
        else:
            dy *= 2


squared_relu = register(
    Activation(
        "squared_relu",
        kernel=_squared_relu_kernel,
        sym=lambda x: sp.Piecewise((x**2, x > 0), (0, True)),
        # f' exists at 0 (both sides 0); f'' jumps from 0 to 2 there. Listing the
        # break point makes the smoothness C^1 and keeps 0 out of the smooth grid.
        kinks=(
            Kink(0.0, lambda: 0.0,
                 {"pytorch": "0", "jax": "0", "tensorflow": "0", "keras": "0"}),
        ),
    )
)


# --- StarReLU ---------------------------------------------------------------------
STAR_RELU_SCALE = 2 / 5**0.5
r"""The paper's scale :math:`1/\sqrt{\operatorname{Var}[\mathrm{ReLU}(Z)^2]} =
1/\sqrt{5/4}` for a standard normal Z (0.8944...)."""
STAR_RELU_BIAS = -1 / 5**0.5
r"""The paper's bias :math:`-\mathbb E[\mathrm{ReLU}(Z)^2]\, s = -s/2` (-0.4472...)."""


def _star_relu_kernel(x, y, dy, scale: float, bias: float):
    r""":math:`s\,\max(0, x)^2 + b` and its slope :math:`2 s \max(0, x)`, NaN for NaN.

    Computed in float64 and rounded once to x's dtype. The square is formed as
    :math:`(s r) r` with :math:`r = \max(0, x)`, not :math:`s (r r)`: for a float64
    x above :math:`10^{154}` the product :math:`r r` would overflow although
    :math:`s r^2` may not (s < 1); where the true value exceeds the format, inf is
    the correctly rounded result. For x <= 0, r = +0 and the value is b exactly,
    the slope +0 (also at -inf); at 0 the slope is 0 from both sides.
    """
    r = np.clip(x.astype(np.float64, copy=False), 0.0, np.inf) + 0.0
    with np.errstate(over="ignore"):
        if y is not None:
            v = scale * r
            v *= r
            v += bias
            np.copyto(y, v)
        if dy is not None:
            np.copyto(dy, (2.0 * scale) * r)


def _star_relu_partial_scale(x, scale: float, bias: float):
    r""":math:`\partial f/\partial s = \max(0, x)^2` (inf where it overflows)."""
    r = np.clip(x.astype(np.float64, copy=False), 0.0, np.inf) + 0.0
    with np.errstate(over="ignore"):
        return (r * r).astype(x.dtype)


def _star_relu_partial_bias(x, scale: float, bias: float):
    r""":math:`\partial f/\partial b = 1` (NaN for NaN)."""
    return np.where(np.isnan(x), x, np.ones_like(x))


star_relu = register(
    Activation(
        "star_relu",
        kernel=_star_relu_kernel,
        sym=lambda x, scale, bias: sp.Piecewise((scale * x**2 + bias, x > 0),
                                                (bias, True)),
        params={
            "scale": Param(STAR_RELU_SCALE, 0.01, 2.0,
                           "learnable scale s; the paper's 1/sqrt(5/4) = 0.8944 "
                           "(timm and the authors' code initialise it to 1)",
                           symbol="s", learnable=True),
            "bias": Param(STAR_RELU_BIAS, -1.0, 1.0,
                          "learnable bias b; the paper's -s/2 = -0.4472 "
                          "(timm and the authors' code initialise it to 0)",
                          symbol="b", learnable=True),
        },
        # f' is continuous at 0 (0 from both sides); f'' jumps from 0 to 2s there,
        # as for squared_relu.
        kinks=(
            Kink(0.0, lambda scale, bias: 0.0,
                 {"pytorch": "no built-in (timm StarReLU: relu(x) ** 2, slope 0)",
                  "jax": "no built-in", "tensorflow": "no built-in"}),
        ),
        partials={"scale": _star_relu_partial_scale, "bias": _star_relu_partial_bias},
    )
)


# --- RePU (rectified power unit) --------------------------------------------------


def _repu_kernel(x, y, dy, p: float, wide=None):
    r""":math:`\max(0, x)^p` and its derivative :math:`p\max(0, x)^{p-1}`, for a
    real power :math:`p \ge 1`; p = 2 is :func:`_squared_relu_kernel`'s function.

    float32 is computed in float64, float64 in the platform's ``longdouble``
    (80-bit on x86-64, float64 itself on Windows and macOS on arm64; ``wide``
    overrides it), and each result rounded once: a power beyond the format's
    largest number rounds to +inf, its correctly rounded value, without a
    warning. For x < 1 the derivative is formed as :math:`(c\,x)^{p-1}` with
    :math:`c = p^{1/(p-1)}` rounded once from 40 digits (x first scaled by
    :math:`2^{54}`, exactly, and the power by :math:`2^{-54(p-1)}`, so that a
    subnormal x keeps its digits), not as p times :math:`x^{p-1}`: where the
    power is a subnormal number its rounding would be multiplied by p (4.9
    condition-scaled ULP at p = 16 in float64), and the rounding of
    :math:`c\,x` costs at most (p - 1)/2 ulp, within the condition number p of
    :math:`f'`. For x <= 0 (and -inf) both are +0: at 0
    the derivative is 0 for every p, PyTorch's ReLU'(0) when p = 1 and the
    limit from both sides when p > 1. NaN gives NaN.
    """
    if wide is None:
        wide = np.float64 if x.dtype == np.float32 else np.longdouble
    q, big_p, c, back = _repu_constants(p, wide)
    r = np.clip(x.astype(wide), 0.0, np.inf) + wide(0.0)   # NaN stays NaN
    with np.errstate(over="ignore", divide="ignore", under="ignore"):
        if y is not None:   # x x^(p-1): the exponent p - 1 carries no rounding of p
            np.copyto(y, r * np.power(r, q), casting="unsafe")
        if dy is not None:
            if p == 1:
                d = np.ones_like(r)
            else:
                low = np.minimum(r, 1) * wide(2.0**54)     # exact, and normal
                low = np.power(c * low, q) * back
                d = np.where(r < 1, low, np.power(r, q) * big_p)
            # r itself (+0 or NaN) where r is not positive
            np.copyto(dy, np.where(r > 0, d, r), casting="unsafe")


@lru_cache(maxsize=64)
def _repu_constants(p: float, wide):
    r""":math:`p - 1`, p, :math:`c = p^{1/(p-1)}` and :math:`2^{-54(p-1)}` in
    ``wide``, each rounded once from 40 digits of the number p stands for (the
    short fraction that rounds to it, as :func:`~activations.registry.exact`
    reads it: 1.00001 is 100001/100000). Near x = 0 the power is sensitive to
    its exponent, :math:`\ln x` times its error: the float 1.00001 differs from
    1.00001 by 6.6e-17, 104 ulp of :math:`x^p` at x = 1.1e-308."""
    import mpmath

    exact_p = exact(p)
    with mpmath.workdps(40):
        if exact_p.is_Rational:
            big_p = mpmath.mpf(int(exact_p.p)) / int(exact_p.q)
        else:
            big_p = mpmath.mpf(p)
        q = big_p - 1
        values = (q, big_p, big_p ** (1 / q) if q else mpmath.mpf(1),
                  mpmath.mpf(2) ** (-54 * q))
        return tuple(wide(mpmath.nstr(v, 30, min_fixed=1, max_fixed=0))
                     for v in values)


repu = register(
    Activation(
        "repu",
        kernel=_repu_kernel,
        sym=lambda x, p: sp.Piecewise((x**p, x > 0), (0, True)),
        params={
            "p": Param(3.0, 1.0, 16.0,
                       "the power p >= 1; 1 is ReLU, 2 squared ReLU, 3 (the default "
                       "here) the rectified cubic unit; Li, Tang & Yu study integer p",
                       symbol="p"),
        },
        # For p > 1, f' is continuous at 0 (0 from both sides) and a derivative of
        # higher order breaks there; for p = 1 f' itself jumps (ReLU). Either way 0
        # is a break point, and the derivative returned there is 0.
        kinks=(
            Kink(0.0, lambda p: 0.0,
                 {"pytorch": "0 (relu(x) ** p; at p = 1 ReLU'(0) = 0)",
                  "jax": "0", "tensorflow": "0"}),
        ),
    )
)


# --- Absolute value ---------------------------------------------------------------


def _absolute_kernel(x, y, dy):
    """:math:`|x|`, and its derivative sign(x), with sign(0) = 0 as PyTorch's and
    TensorFlow's autograd return (the midpoint of the subdifferential [-1, 1]);
    jax.grad(jnp.abs) returns 1 there."""
    if y is not None:
        np.abs(x, out=y)
    if dy is not None:
        np.sign(x, out=dy)


absolute = register(
    Activation(
        "absolute",
        kernel=_absolute_kernel,
        sym=lambda x: sp.Piecewise((x, x >= 0), (-x, True)),
        kinks=(
            Kink(0.0, lambda: 0.0,
                 {"pytorch": "0 (sgn(0))", "jax": "1 (select(x >= 0, g, -g))",
                  "tensorflow": "0 (sign(0))",
                  "keras": "the backend's (1 on JAX)"}),
        ),
    )
)

__all__ += ["prelu", "rrelu", "relu6", "relu_n", "star_relu", "srelu", "squared_relu",
            "repu",
            "absolute", "RandomizedActivation"]
