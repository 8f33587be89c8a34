r"""Sine and cosine of a float64 array together, vectorised in NumPy.

NumPy's float64 ``np.sin`` and ``np.cos`` call the C library once per element
(its SIMD loops cover float32 only), about 13 ns each. :func:`sincos` computes
both from one range reduction in whole-array passes, in about a third of the
time of the two calls, and within one ulp (see the tests):

* **Reduction.** :math:`k = \operatorname{round}(x \cdot 512/\pi)` and
  :math:`r = x - k\pi/512`, :math:`|r| \le \pi/1024`. :math:`\pi/512` is split
  Cody–Waite fashion into a head :math:`P_1` of 30 significant bits and a tail
  :math:`P_2`; for :math:`|k| < 2^{23}` the product :math:`kP_1` is exact, and so
  is :math:`x - kP_1` (the two are within a factor of two), so r carries only
  the rounding of :math:`kP_2` and of the last subtraction. k is read off the
  bits of :math:`x\cdot512/\pi + 1.5\cdot2^{52}`, which rounds to an integer.
* **Polynomials.** On :math:`|r| \le \pi/1024` two Taylor terms each suffice:
  :math:`\sin r = r\,(1 + z(s_1 + z s_2))` and :math:`\cos r = 1 + z(c_1 + z c_2)`
  with :math:`z = r^2`; the first omitted terms are below :math:`2\cdot10^{-19}`
  and :math:`2\cdot10^{-18}` relative.
* **Table.** With :math:`a = k\pi/512`, :math:`\sin x = \sin a\cos r + \cos a\sin
  r` and :math:`\cos x = \cos a\cos r - \sin a\sin r`, where :math:`\sin a` and
  :math:`\cos a` come from a table of the 1024 values (k mod 1024: the table
  covers the whole period, so no quadrant logic), each correctly rounded.
  Its entry :math:`\sin 0` is stored as -0.0, so that :math:`\sin(\pm0) = \pm0`.

Beyond :math:`|x| = 2^{14}` (where :math:`|k|` nears :math:`2^{21.4}`) and at
:math:`\pm\infty`, the elements are handed to ``np.sin`` and ``np.cos``, whose
reduction is exact for every double; NaN at :math:`\pm\infty` without the
"invalid value" warning. Float32 and float16 use ``np.sin`` and ``np.cos``
themselves, which NumPy vectorises.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from . import core

STEPS = 512
"""The table's steps per :math:`\\pi`: :math:`a = k\\pi/512`."""

HEAD_BITS = 30
"""Significant bits of :math:`P_1`, the head of :math:`\\pi/512`."""

FAR = 2.0 ** 14
r"""Beyond this :math:`|x|` the elements go to NumPy (module docstring)."""


def _head(v: mpmath.mpf, bits: int) -> float:
    """``v`` truncated to its leading ``bits`` significant bits."""
    m, e = math.frexp(float(v))
    return math.ldexp(math.floor(m * 2**bits) / 2**bits, e)


def _constants():
    with mpmath.workdps(50):
        step = mpmath.pi / STEPS
        p1 = _head(step, HEAD_BITS)
        p2 = float(step - mpmath.mpf(p1))
        # sinpi and cospi: exactly 0 at the multiples of pi/2
        sin_t = [float(mpmath.sinpi(mpmath.mpf(k) / STEPS)) for k in range(2 * STEPS)]
        cos_t = [float(mpmath.cospi(mpmath.mpf(k) / STEPS)) for k in range(2 * STEPS)]
        s = [float((-1) ** j / mpmath.factorial(2 * j + 1)) for j in (1, 2)]
        c = [float((-1) ** j / mpmath.factorial(2 * j)) for j in (1, 2)]
        inv = float(STEPS / mpmath.pi)
    sin_t[0] = -0.0
    return p1, p2, np.array(sin_t), np.array(cos_t), s, c, inv


P1, P2, SIN_TABLE, COS_TABLE, S, C, INV_STEP = _constants()
"""The split of pi/512 (P1 + P2), the tables sin(k pi/512) and cos(k pi/512) for
k = 0..1023, the Taylor coefficients s_1, s_2 of sin r / r and c_1, c_2 of cos r
in powers of r^2, and 512/pi, each rounded to float64 from 50 digits."""

_F = {name: np.array(v) for name, v in
      (("inv", INV_STEP), ("p1", P1), ("p2", P2), ("one", 1.0),
       ("magic", 1.5 * 2.0 ** 52), ("s1", S[0]), ("s2", S[1]),
       ("c1", C[0]), ("c2", C[1]))}
"""The constants as 0-d float64 arrays, which a ufunc takes faster than floats."""
_MASK = np.int64(2 * STEPS - 1)


def _block(x, s_out, c_out, t, r, z, p, q, sa, idx):
    """One block: ``s_out`` := sin x, ``c_out`` := cos x (either may be None);
    the rest are block-sized scratch (float64, ``idx`` int64)."""
    f = _F
    np.multiply(x, f["inv"], out=t)
    np.add(t, f["magic"], out=t)                  # rounds x 512/pi to an integer
    np.bitwise_and(t.view(np.int64), _MASK, out=idx)   # k mod 1024
    np.subtract(t, f["magic"], out=t)             # k
    np.multiply(t, f["p1"], out=r)                # exact
    np.subtract(x, r, out=r)                      # exact
    np.multiply(t, f["p2"], out=t)
    np.subtract(r, t, out=r)                      # r = x - k pi/512
    np.multiply(r, r, out=z)
    np.multiply(z, f["s2"], out=p)                # sin r = r (1 + z (s1 + z s2))
    np.add(p, f["s1"], out=p)
    np.multiply(p, z, out=p)
    np.add(p, f["one"], out=p)
    np.multiply(p, r, out=p)
    np.multiply(z, f["c2"], out=q)                # cos r = 1 + z (c1 + z c2)
    np.add(q, f["c1"], out=q)
    np.multiply(q, z, out=q)
    np.add(q, f["one"], out=q)
    ca = z                                        # z is no longer needed
    np.take(SIN_TABLE, idx, out=sa)
    np.take(COS_TABLE, idx, out=ca)
    if s_out is not None:                         # sin a cos r + cos a sin r
        np.multiply(sa, q, out=s_out)
        np.multiply(ca, p, out=t)
        np.add(s_out, t, out=s_out)
    if c_out is not None:                         # cos a cos r - sin a sin r
        np.multiply(ca, q, out=c_out)
        np.multiply(sa, p, out=t)
        np.subtract(c_out, t, out=c_out)


def _kernel(x, s_out, c_out, t, r, z, p, q, sa, idx):
    # fmax and fmin skip a quiet NaN; a signalling one makes them NaN, and the
    # block is then computed as if something were far (its arithmetic on the
    # NaN raises "invalid")
    far = not (np.fmax.reduce(x, axis=None) <= FAR
               and np.fmin.reduce(x, axis=None) >= -FAR) if x.size else False
    if far:   # before the outputs are written: either may be x itself
        at = np.flatnonzero(np.abs(x) > FAR)
        xf = x[at]
    # r^2 and the like underflow for tiny x, as they are meant to; with far
    # elements, inf - inf and an overflow may happen there, replaced below
    with np.errstate(under="ignore", **({"over": "ignore", "invalid": "ignore"}
                                        if far else {})):
        _block(x, s_out, c_out, t, r, z, p, q, sa, idx)
    if not far:
        return
    with np.errstate(invalid="ignore"):                  # sin(inf) is NaN
        if s_out is not None:
            s_out[at] = np.sin(xf)
        if c_out is not None:
            c_out[at] = np.cos(xf)


def sincos(x: np.ndarray, sin: np.ndarray | None = None,
           cos: np.ndarray | None = None) -> None:
    r"""Write :math:`\sin x` into ``sin`` and :math:`\cos x` into ``cos`` (either
    may be None, either may be x itself), arrays of x's shape and dtype,
    C-ordered; NaN at :math:`\pm\infty` without a warning.

    >>> x = np.array([0.5, -3.0])
    >>> s, c = np.empty(2), np.empty(2)
    >>> sincos(x, s, c)
    >>> np.abs(s - np.sin(x)).max() <= 2e-16, np.abs(c - np.cos(x)).max() <= 2e-16
    (np.True_, np.True_)
    """
    if x.dtype != np.float64:
        with np.errstate(invalid="ignore"):
            if sin is not None:
                np.sin(x, out=sin)
            if cos is not None:
                np.cos(x, out=cos)
        return
    x = np.ascontiguousarray(x)
    scratch = (np.float64,) * 6 + (np.int64,)
    core.blockwise(_kernel, x, sin, cos, scratch=scratch)
