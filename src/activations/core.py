"""The numeric core every family module builds on: the kernel shape, array helpers,
and the numerics several activations share.

**The kernel shape.** Every elementwise activation is one function

    kernel(x, y, dy, **params) -> None

that writes f(x) into ``y`` and f'(x) into ``dy``. ``x`` is a float32 or float64
array of at least one dimension; ``y`` and ``dy`` are new C-ordered arrays of its
shape and dtype, or ``None`` for a half that is not wanted (then the kernel skips
the work only that half needs). The registry builds ``fn``, ``derivative`` and
``value_and_derivative`` from it (:func:`run`), so the three perform the same
operations on the same numbers: the pair is bit for bit the value and the
derivative computed alone. Parameters arrive as keywords, already checked against
their ranges. A family module imports this module and the registry's public API,
never another family module; an activation that uses another's function calls its
registered kernel (``get("silu").kernel``) or a kernel of this module.

**Array helpers.** They exist for speed, not for accuracy: every formula is written
by its own kernel and evaluated here exactly as written, so a result does not
depend on whether it was computed in one pass, block by block, or into halves of
one allocation.

Two costs shape them. A new array of a few megabytes (4 MB is a million float32
numbers) is not recycled by the allocator but mapped afresh from the system, and
touching its pages for the first time (page faults) costs about as much as the
arithmetic done in it; so fewer, larger allocations are made, and none for
temporaries that a block can hold.
And a formula of several cheap operations reads and writes memory more than it
computes; done a block at a time, the operands of the next operation are still
in the core's cache.

**Shared numerics.** The stable logistic sigmoid and its derivative
(:func:`sigmoid`), tanh with sech² (:func:`tanh`), the normal CDF and density
(:func:`ndtr`, :func:`ndtr_pdf`, :func:`erf`, by Cody's approximation in ``_erf``),
sine and cosine together (:func:`sincos`, in ``_trig``), and products
by a scalar that may not fit the dtype (:func:`times`, :func:`divide`).
"""

from __future__ import annotations

import numpy as np

BLOCK_BYTES = 1 << 18
"""Bytes per block in :func:`blockwise`, counted in the widest of its arrays (32Ki
float64 elements, 64Ki float32): small enough that a block of each operand and of
each temporary stays in the core's cache between the passes of a kernel, and that
the temporaries are small allocations the allocator keeps, not pages mapped afresh
on every call."""


def new(x: np.ndarray) -> np.ndarray:
    """A new, uninitialised C-ordered array shaped like ``x``, of its dtype."""
    return np.empty(x.shape, dtype=x.dtype)


def pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two new arrays shaped like x, for f and f', as halves of one allocation.

    One large block instead of two: the allocator then keeps it from call to call
    rather than returning it to the system and mapping fresh pages the next time,
    which costs about as much as the arithmetic itself.
    """
    both = np.empty((2, *x.shape), dtype=x.dtype)
    return both[0, ...], both[1, ...]


def blockwise(kernel, x: np.ndarray, *outs: np.ndarray | None, scratch=()):
    """Run ``kernel`` over x block by block and return ``outs``.

    ``kernel(xb, *outb, *tmp)`` gets a block ``xb`` of the flattened x, the matching
    blocks of ``outs`` (arrays shaped like x that it fills or updates in place,
    such as the halves of :func:`pair`; a ``None`` is passed on as ``None``) and
    one block-sized work array for each dtype in ``scratch``. A formula that
    needs several arrays of the input's size at once then allocates only the ones
    it returns, and its temporaries stay in cache (see :data:`BLOCK_BYTES`).

    The ``outs`` must be C-ordered (new arrays are), so that their flat views are
    themselves. The kernel must be elementwise: blocks are slices of the flat
    arrays, :data:`BLOCK_BYTES` of the widest of x and the work arrays (the last
    block shorter).
    """
    xf = x.reshape(-1)
    flat = [None if o is None else o.reshape(-1) for o in outs]
    n = xf.size
    widest = max([x.itemsize] + [np.dtype(dtype).itemsize for dtype in scratch])
    block = BLOCK_BYTES // widest
    tmp = [np.empty(min(block, n), dtype) for dtype in scratch]
    for i in range(0, n, block):
        j = min(i + block, n)
        kernel(xf[i:j], *(None if f is None else f[i:j] for f in flat),
               *(t[: j - i] for t in tmp))
    return outs


def fits(s: float, dtype) -> bool:
    """Whether the float64 scalar ``s`` is 0 or a normal number of ``dtype``, so
    that rounding it to the dtype costs at most half an ulp (neither 0 nor inf nor
    a subnormal with few digits left)."""
    info = np.finfo(dtype)
    return s == 0 or float(info.tiny) <= abs(s) <= float(info.max)


def _by_scalar(op, x: np.ndarray, s: float, out: np.ndarray | None) -> np.ndarray:
    if out is None:
        out = np.empty_like(x)
    with np.errstate(over="ignore"):
        if fits(s, x.dtype):
            return op(x, np.asarray(s, dtype=x.dtype), out=out)
        return op(x, s, dtype=np.float64, casting="same_kind", out=out)


def times(x: np.ndarray, s: float, out: np.ndarray | None = None) -> np.ndarray:
    """``x * s`` in x's dtype (into ``out``, which may be x), for a float64 scalar s.

    A scalar that :func:`fits` the dtype is rounded to it and multiplied.  Any
    other (a slope of 1e-50 is 0 in float32, a scale of 1e300 is inf there) is
    multiplied in float64 and the product rounded once, so it acts as the number it
    is: 1e-50 * -inf is -inf, not 0 * -inf = NaN, and 1e300 * 0 is 0.  A product
    beyond the dtype's range rounds to +-inf, its correctly rounded value.
    """
    return _by_scalar(np.multiply, x, s, out)


def divide(x: np.ndarray, s: float, out: np.ndarray | None = None) -> np.ndarray:
    """``x / s`` in x's dtype, for a float64 scalar s != 0, as :func:`times`."""
    return _by_scalar(np.divide, x, s, out)


def ndtr(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The standard normal CDF, by W. J. Cody's rational approximation
    (:func:`activations._erf.ndtr`), in x's dtype.

    It replaces ``scipy.special.ndtr``: in float32 SciPy takes 2.6 times as long
    (its loop computes in float64); in float64 it takes 0.7 times as long but loses
    up to 1000 ulp of the far left tail, and returns 0 from x = -37.5 down, where
    Phi is still a subnormal number.
    """
    from ._erf import ndtr as cody_ndtr  # _erf builds on this module

    return cody_ndtr(x, out=out)


def ndtr_pdf(x, value=True, density=True, times_x=False, out=None):
    """The normal CDF and density sharing one exponential
    (:func:`activations._erf.ndtr_pdf`), into the pair ``out`` if given."""
    from ._erf import ndtr_pdf as cody_ndtr_pdf  # _erf builds on this module

    return cody_ndtr_pdf(x, value=value, density=density, times_x=times_x, out=out)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function of a float array, in its dtype, by W. J. Cody's rational
    approximations (:func:`activations._erf.erf`): relative accuracy near 0, where
    ``1 - erfc(x)`` would cancel.

    >>> float(erf(np.array([0.5]))[0])
    0.5204998778130465
    """
    from ._erf import erf as cody_erf  # _erf builds on this module

    return cody_erf(x)


def gelu32(x: np.ndarray, y: np.ndarray | None = None,
           dy: np.ndarray | None = None, left: float = -np.inf):
    """GELU and its slope for float32 x in the fewest passes
    (:func:`activations._erf.gelu32`), into ``y`` and ``dy``; returns the
    indices below ``left``, which the caller recomputes (None if none)."""
    from ._erf import gelu32 as lean_gelu32  # _erf builds on this module

    return lean_gelu32(x, y, dy, left)


def sincos(x: np.ndarray, sin: np.ndarray | None = None,
           cos: np.ndarray | None = None) -> None:
    """Sine into ``sin`` and cosine into ``cos`` (either may be None), from one
    range reduction in float64 (:func:`activations._trig.sincos`, a third of the
    time of ``np.sin`` and ``np.cos``, whose float64 loops are not vectorised);
    NaN at +-inf without a warning."""
    from ._trig import sincos as table_sincos  # _trig builds on this module

    table_sincos(x, sin, cos)


# --- running a kernel ---------------------------------------------------------------


def as_float(x) -> np.ndarray:
    """``x`` as a floating-point array (0-d included) to compute in place."""
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def finish(out: np.ndarray, dtype: np.dtype) -> np.ndarray | np.floating:
    """A result in the caller's ``dtype``: float16 inputs are computed in float32
    and rounded once here; a 0-d result becomes a NumPy scalar. A result beyond
    float16's largest finite value (65504) correctly rounds to inf, which is not an
    error."""
    with np.errstate(over="ignore"):
        out = np.asarray(out).astype(dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def run(kernel, x: np.ndarray, params=None, *, f: bool = True, df: bool = True):
    """``(y, dy)`` from a kernel of the shape above, each None where not asked for:
    new outputs for ``x`` (halves of one allocation when both are wanted), the
    kernel called with ``params`` as keywords. A 0-d ``x`` gives 0-d results.

    >>> import numpy as np
    >>> y, dy = run(sigmoid, np.array([0.0, 2.0]))
    >>> y.round(4).tolist(), dy.round(4).tolist()
    ([0.5, 0.8808], [0.25, 0.105])
    """
    x = as_float(x)
    xs = x.reshape(1) if x.ndim == 0 else x
    if f and df:
        y, dy = pair(xs)
    else:
        y, dy = (new(xs) if f else None), (new(xs) if df else None)
    kernel(xs, y, dy, **(params or {}))
    if x.ndim == 0:
        y, dy = (None if y is None else y.reshape(()),
                 None if dy is None else dy.reshape(()))
    return y, dy


def value(kernel, x: np.ndarray, **params) -> np.ndarray:
    """f(x) alone from a kernel (a new array)."""
    return run(kernel, x, params, df=False)[0]


def slope(kernel, x: np.ndarray, **params) -> np.ndarray:
    """f'(x) alone from a kernel (a new array)."""
    return run(kernel, x, params, f=False)[1]


# --- a select on the bits ------------------------------------------------------

_UINT = {4: np.uint32, 8: np.uint64}
_INT = {4: np.int32, 8: np.int64}


def put(out: np.ndarray, value, mask: np.ndarray) -> None:
    r"""``out`` := ``value`` where ``mask``, bit for bit what ``np.copyto(out, value,
    where=mask)`` does (NaN payloads and signed zeros included), for a C-ordered
    ``out`` and a bool ``mask`` of its shape; ``value`` an array like ``out`` or a
    scalar.

    ``copyto`` with a mask branches on every element, about 10 ns each where
    the mask is an unpredictable mix (``x > 0`` of random data); this is a few
    passes of integer arithmetic on the bits, :math:`o \oplus ((o \oplus v)
    \wedge m)` with m all ones where the mask is set, several times faster.
    A mask that is almost never set (the infinities) is cheaper with ``copyto``.
    """
    uint = _UINT[out.itemsize]
    bits = out.view(uint)
    keep = np.negative(mask.view(np.int8)).astype(_INT[out.itemsize]).view(uint)
    diff = np.bitwise_xor(bits, np.asarray(value, dtype=out.dtype).view(uint))
    diff &= keep
    bits ^= diff


# --- NaN and the infinities ------------------------------------------------------


def indicator(compare, x: np.ndarray, t, out: np.ndarray) -> None:
    """``compare(x, t)``, a comparison, as 1.0 or +0.0 written straight into the
    float array ``out``, and NaN where ``x`` is NaN: every comparison fails
    there, so NaN is written back, only where there is any. One vectorised pass
    and no select.

    >>> out = np.empty(3)
    >>> indicator(np.greater_equal, np.array([-1.0, 0.0, np.nan]), 0, out)
    >>> out.tolist()
    [0.0, 1.0, nan]
    """
    compare(x, t, out=out)
    keep_nan(out, x, np.nan)


def keep_nan(out: np.ndarray, x: np.ndarray, value=None) -> None:
    """Put x's NaNs back into ``out`` (a value or slope chosen by comparisons, so
    0 or 1 at NaN), or ``value`` there if given.

    The maximum of x tells in one pass whether there is any NaN to restore
    (rarely); NumPy's maximum propagates NaN.
    """
    if x.size and np.isnan(np.max(x)):
        nan = np.isnan(x)
        out[nan] = x[nan] if value is None else value


def finite_into(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """x with its infinities replaced by 0, into ``out``; returns the mask of the
    infinities.

    ``np.sin(inf)`` is NaN *with* an "invalid value" warning; evaluating at 0
    instead and writing the answer at the infinities afterwards avoids it.
    """
    inf = np.isinf(x)
    np.copyto(out, x)
    np.copyto(out, 0, where=inf)
    return inf


# --- the sigmoid --------------------------------------------------------------------
#
# sigma(x) = num / d and sigma'(x) = e / d^2, with e = exp(-|x|) <= 1, d = 1 + e and
# num = 1 for x >= 0, e for x < 0. The three block kernels below perform the same
# operations on the same numbers, so the fused pair is bit for bit the value and
# the derivative computed alone.


def _exp_neg_abs_into(x, e):
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)


def _sigmoid_num_into(x, e, y):
    np.greater_equal(x, 0, out=y)  # 1 or 0 (0 for NaN)
    np.maximum(y, e, out=y)  # 1, or e for x < 0; NaN for NaN


def _sigmoid_both(x, y, dy, d):
    _exp_neg_abs_into(x, dy)
    np.add(dy, 1, out=d)
    _sigmoid_num_into(x, dy, y)
    y /= d
    d *= d
    dy /= d


def _sigmoid_value(x, y, e):
    _exp_neg_abs_into(x, e)
    _sigmoid_num_into(x, e, y)
    e += 1
    y /= e


def _sigmoid_slope(x, dy, d):
    _exp_neg_abs_into(x, dy)
    np.add(dy, 1, out=d)
    d *= d
    dy /= d


def sigmoid(x, y, dy):
    r"""The logistic sigmoid :math:`\sigma(x) = 1/(1+e^{-x})` and
    :math:`\sigma'(x)`, from one exponential :math:`e = e^{-|x|} \le 1`.

    With :math:`d = 1 + e`, :math:`\sigma(x) = 1/d` for :math:`x \ge 0` and
    :math:`e/d` for :math:`x < 0`: nothing overflows, and the left tail keeps full
    relative accuracy where ``1/(1+exp(-x))`` would first overflow. Both are
    ``num / d`` with ``num = max(e, [x >= 0])``, 1 or e, so no branch is taken
    per element.

    :math:`\sigma'(x) = e/d^2` (even in x) equals :math:`\sigma(1-\sigma)` without
    the cancellation of ``1 - σ`` for large positive x.
    """
    if y is not None and dy is not None:
        blockwise(_sigmoid_both, x, y, dy, scratch=(x.dtype,))
    elif y is not None:
        blockwise(_sigmoid_value, x, y, scratch=(x.dtype,))
    elif dy is not None:
        blockwise(_sigmoid_slope, x, dy, scratch=(x.dtype,))


# --- tanh and sech² -----------------------------------------------------------------


def _sech2(x, dy, scratch):
    """``dy = sech² x = 4e/(1+e)^2``, ``e = exp(-2|x|)``; ``scratch`` gets (1+e)^2."""
    np.abs(x, out=dy)
    # -2|x| is exact, or -inf beyond half the largest float, where exp gives 0,
    # the right result (sech² underflows long before).
    with np.errstate(over="ignore"):
        dy *= -2
    np.exp(dy, out=dy)
    np.add(dy, 1, out=scratch)
    scratch *= scratch
    dy *= 4
    dy /= scratch


def _tanh_both(x, y, dy):
    _sech2(x, dy, y)
    np.tanh(x, out=y)


def tanh(x, y, dy):
    r""":math:`\tanh x` (NumPy's) and :math:`\tanh'(x) = \mathrm{sech}^2 x =
    4e/(1+e)^2`, :math:`e=e^{-2|x|}`.

    ``1 - tanh(x)**2`` loses every digit once tanh rounds to 1 (|x| > 19 in
    float64); this form keeps its relative accuracy all the way to underflow.
    """
    if dy is None:
        np.tanh(x, out=y)
    elif y is None:
        blockwise(_sech2, x, dy, scratch=(x.dtype,))
    else:
        blockwise(_tanh_both, x, y, dy)
