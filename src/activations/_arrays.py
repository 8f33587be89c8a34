"""Array helpers shared by the family modules: allocation and block-wise loops.

They exist for speed, not for accuracy: every formula is written by its own module
and evaluated here exactly as written, so a result does not depend on whether it
was computed in one pass, block by block, or into halves of one allocation.

Two costs shape them. A new array of a few megabytes (4 MB is a million float32
numbers) is not recycled by the allocator but mapped afresh from the system, and
touching its pages for the first time (page faults) costs about as much as the
arithmetic done in it; so fewer, larger allocations are made, and none for
temporaries that a block can hold.
And a formula of several cheap operations reads and writes memory more than it
computes; done a block at a time, the operands of the next operation are still
in the core's cache.
"""

from __future__ import annotations

import functools

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


def elementwise(fn):
    """Run ``fn`` on a 0-d input as on a one-element array (the in-place steps
    need arrays; NumPy turns 0-d results into scalars) and give back 0-d."""

    @functools.wraps(fn)
    def run(x: np.ndarray, *args, **kwargs):
        if x.ndim:
            return fn(x, *args, **kwargs)
        out = fn(x.reshape(1), *args, **kwargs)
        if isinstance(out, tuple):
            return tuple(o.reshape(()) for o in out)
        return out.reshape(())

    return run


def from_pair(pair):
    """``(fn, deriv, both)`` for the registry from one
    ``pair(x, *params, value=True, slope=True) -> (y, dy)``.

    ``pair`` computes what the value and the derivative share once and skips the
    half that is not asked for (returning None there), so the three functions
    perform the same operations on the same numbers: ``both`` is bit for bit the
    value and the derivative computed alone.
    """

    @elementwise
    def fn(x: np.ndarray, *args, **kwargs):
        return pair(x, *args, slope=False, **kwargs)[0]

    @elementwise
    def deriv(x: np.ndarray, *args, **kwargs):
        return pair(x, *args, value=False, **kwargs)[1]

    fn.__doc__ = deriv.__doc__ = pair.__doc__
    return fn, deriv, elementwise(pair)


def via_value(fn, slope_of):
    """``(deriv, both)`` for an activation whose derivative is read off its value:
    ``slope_of(y)`` with ``y = fn(x)`` (ReLU's is sign(y)). The derivative alone
    computes y first; the pair computes it once and uses it for both."""

    def deriv(x: np.ndarray, *args, **kwargs):
        return slope_of(fn(x, *args, **kwargs))

    def both(x: np.ndarray, *args, **kwargs):
        y = fn(x, *args, **kwargs)
        return y, slope_of(y)

    deriv.__doc__ = slope_of.__doc__
    return deriv, both


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


def ndtr(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF, by W. J. Cody's rational approximation
    (:func:`activations._erf.ndtr`), in x's dtype.

    It replaces ``scipy.special.ndtr``: in float32 SciPy takes 2.6 times as long
    (its loop computes in float64); in float64 it takes 0.7 times as long but loses
    up to 1000 ulp of the far left tail, and returns 0 from x = -37.5 down, where
    Phi is still a subnormal number.
    """
    from ._erf import ndtr as cody_ndtr  # _erf builds on this module

    return cody_ndtr(x)
