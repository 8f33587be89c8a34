r"""The complementary error function and the normal CDF, vectorised in NumPy.

:func:`ndtr` (:math:`\Phi`), :func:`ndtr_pdf` (:math:`\Phi` and :math:`\varphi`
sharing one exponential, for GELU and its derivative) and :func:`erfc` evaluate
W. J. Cody's rational Chebyshev approximations,

    W. J. Cody, "Rational Chebyshev approximations for the error function",
    Math. Comp. 23 (1969) 631-637,

with the coefficients of his Fortran routine CALERF (netlib ``specfun/erf``,
1990). For :math:`y = |z|`:

* :math:`y < 0.46875`: :math:`\operatorname{erf}(z) = z\,A(y^2)/B(y^2)`, degrees 4/4;
* :math:`0.46875 \le y \le 4`: :math:`\operatorname{erfc}(y) = e^{-y^2}\,C(y)/D(y)`,
  degrees 8/8;
* :math:`y > 4`: :math:`\operatorname{erfc}(y) = \frac{e^{-y^2}}{y}\bigl(1/\sqrt\pi
  - y^{-2} P(y^{-2})/Q(y^{-2})\bigr)`, degrees 5/5.

CALERF's 18-digit coefficients approximate to about 18 significant digits (the
middle ratio to 1.2e-18); rounded to float64, each ratio is still within
:math:`2^{-53}` (the tests check each interval).

Float32 needs far fewer digits, and one ratio of lower degree covers the whole
range: :math:`e^{y^2}\operatorname{erfc}(y) \approx P(y)/Q(y)` with P of degree 4
and Q monic of degree 5 (``_P32``, ``_Q32``), within 6.7e-9 relative of the truth
(a tenth of float32's rounding unit) for every y from 0 to 10.61, where float32's
:math:`\Phi` has underflowed to 0. Its coefficients were fitted for this module the
way Cody's were, to the least maximum relative error (by Lawson's iteratively
reweighted least squares on 20,001 points, with P(0) = Q(0) so that the ratio
is exactly 1 at 0); the tests check the error against mpmath. All of them are
positive, so for :math:`y \ge 0` Horner's rule adds positive terms and cannot
cancel. Float32 evaluates this one ratio, in float32,
with no branch at all: 17 array passes where Cody's 8/8 took 33.

GELU in float32 (:func:`gelu32`) goes further: it takes the exponential of
:math:`\mathrm{fl}(x^2)` as it is, without the correction below. Its error,
:math:`x^2/2` times the rounding unit (up to 44 ulp near x = -13), is within
GELU's own condition number there (about :math:`x^2`), so the book's measure
(condition-scaled ULP) stays near 1; :func:`ndtr` keeps the correction, and
with it a relative error of a few ulp down to the smallest subnormal.

The Gaussian factor :math:`e^{-t^2}` (:math:`t^2 = y^2`, or :math:`x^2/2` for
:math:`\Phi`) is where accuracy is lost: the exponential magnifies the rounding error
of :math:`s = \mathrm{fl}(t^2)` by :math:`t^2`, about 700 ulp near the end of float64's
range. So the rounding error :math:`r = t^2 - s` is computed exactly enough (t split
into a head of half the digits, whose square is exact, and a tail), and
:math:`e^{-t^2} = e^{-s}\,e^{-r} \approx e^{-s}(1 - r)` since :math:`|r|` is below
one ulp of s. This is Cody's splitting :math:`t^2 = h^2 + (t - h)(t + h)` done with one
exponential instead of two; the left tail is then accurate down to underflow.
Where :math:`e^{-x^2/2}` is itself subnormal, :math:`\varphi` and :math:`x\varphi`
are not products of it (its error, up to half a spacing, would be multiplied by
:math:`|x|/\sqrt{2\pi}`): they are rounded once (:func:`_subnormal_pdf`), and only
those elements pay.

Float16 is computed in float32 and rounded once.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from . import core

# Coefficients of CALERF (Cody 1969, the 18-digit approximations), lowest degree first
# where the Horner loops below take them; A[4], C[8], P[5] lead.
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)
_P32 = (17.107922254469816, 21.222570140927797, 12.5520794080801,
        3.9378052735017324, 0.5641958192587554)
_Q32 = (17.107922254469816, 40.52680050632854, 41.173612726159774,
        22.74089225773074, 6.980005109270275)
"""Float32's ratio (module docstring), lowest degree first: :math:`P(y) =
\\sum_{j \\le 4} P_j y^j`, :math:`Q(y) = y^5 + \\sum_{j \\le 4} Q_j y^j`."""
_Y32 = 10.61
"""The end of the interval fitted for float32: beyond it :math:`\\Phi` and
:math:`e^{-y^2}` are 0 in float32."""
_SQRPI = 5.6418958354775628695e-1
"""1/sqrt(pi)."""
_THRESH = 0.46875
_FOUR = 4.0

_INV_SQRT2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)

_CLAMP = {np.dtype(np.float32): 15.0, np.dtype(np.float64): 40.0}
"""|t| beyond which e^{-t^2/2} is 0 in the format (and Phi 0 or 1): clamping there
keeps t^2 finite and the rational functions away from inf / inf."""

_EDGE = {d: math.sqrt(-2 * math.log(float(np.finfo(d).tiny))) for d in _CLAMP}
"""|x| beyond which e^{-x^2/2} is subnormal (or 0): 13.2 in float32, 37.6 in
float64."""

_SPLIT = {np.dtype(np.float32): (np.uint32, np.uint32(0xFFFFF000)),
          np.dtype(np.float64): (np.uint64, np.uint64(0xFFFFFFFFF8000000))}
"""Bit masks that keep the leading 12 of float32's 24 significant bits and 26 of
float64's 53: the head h of t, whose square is then exact."""


@functools.cache
def _mid(dtype):
    r"""Cody's middle-interval coefficients as 0-d arrays of ``dtype`` (a ufunc
    takes them faster than Python floats), for evaluating :math:`C(y)/D(y)` by
    Horner's rule. Each is a column ``[[numerator's], [denominator's]]``, so
    that one ufunc call steps both polynomials: ``((C[8], 1), [(C[i], D[i]) for
    i < 7], (C[7], D[7]))``.
    """
    def rows(c, d):
        return np.array([[c], [d]], dtype=dtype)

    # num = C8 y^8 + C0 y^7 + ... + C6 y + C7, den = y^8 + D0 y^7 + ... + D7.
    pairs = [rows(_C[i], _D[i]) for i in range(7)]
    return rows(_C[8], 1.0), pairs, rows(_C[7], _D[7])


@functools.cache
def _const(dtype, value: float):
    """``value`` as a 0-d array of ``dtype``."""
    return np.array(value, dtype=dtype)


def _horner_mid(y, acc):
    r""":math:`C(y)/D(y)`, Cody's middle interval, into ``acc[0]``. ``acc``
    holds two rows like y, the numerator and the denominator, stepped together
    by Horner's rule."""
    lead, pairs, last = _mid(y.dtype)
    np.multiply(lead, y, out=acc)
    for cd in pairs:
        np.add(acc, cd, out=acc)
        np.multiply(acc, y, out=acc)
    np.add(acc, last, out=acc)
    return np.divide(acc[0], acc[1], out=acc[0])


@functools.cache
def _coefs32(scale: float, factor: float):
    r"""Float32's ratio at :math:`y = \text{scale}\cdot a`, times ``factor``,
    as coefficients in a (0-d float32 arrays): numerator
    :math:`\text{factor}\cdot P_j\,\text{scale}^{j-5}`, denominator
    :math:`Q_j\,\text{scale}^{j-5}`, which leaves it monic."""
    def c(v):
        return np.array(v, dtype=np.float32)

    num = [c(factor * p * scale ** (j - 5)) for j, p in enumerate(_P32)]
    den = [c(q * scale ** (j - 5)) for j, q in enumerate(_Q32)]
    return num, den


def _ratio32(a, num, den, scale=1.0, factor=1.0):
    r""":math:`\text{factor}\cdot e^{y^2}\operatorname{erfc}(y)` at
    :math:`y = \text{scale}\cdot a` by float32's ratio, into ``num`` (``den`` is
    scratch); a float32, :math:`a \ge 0`, and :math:`\text{scale}\cdot a` at
    most a little beyond ``_Y32``."""
    p, q = _coefs32(scale, factor)
    np.multiply(a, p[4], out=num)
    np.add(a, q[4], out=den)
    for j in (3, 2, 1):
        np.add(num, p[j], out=num)
        np.multiply(num, a, out=num)
        np.multiply(den, a, out=den)
        np.add(den, q[j], out=den)
    np.add(num, p[0], out=num)
    np.multiply(den, a, out=den)
    np.add(den, q[0], out=den)
    return np.divide(num, den, out=num)


def _far_ratio(y):
    r""":math:`e^{y^2}\operatorname{erfc}(y) = (1/\sqrt\pi - w P(w)/Q(w))/y`,
    :math:`w = 1/y^2`, for y > 4 (Cody's third interval; w never underflows as
    y is clamped)."""
    w = 1 / (y * y)
    num = _P[5] * w
    den = w.copy()
    for p, q in zip(_P[:4], _Q[:4], strict=True):
        num += p
        num *= w
        den += q
        den *= w
    num += _P[4]
    den += _Q[4]
    num *= w
    num /= den
    np.subtract(_SQRPI, num, out=num)
    num /= y
    return num


def _erf_small(z):
    r""":math:`\operatorname{erf}(z) = z A(z^2)/B(z^2)` for |z| < 0.46875 (Cody's
    first interval)."""
    w = z * z
    num = _A[4] * w
    den = w.copy()
    for a, b in zip(_A[:3], _B[:3], strict=True):
        num += a
        num *= w
        den += b
        den *= w
    num += _A[3]
    den += _B[3]
    num /= den
    num *= z
    return num


def _beyond_edge(a):
    r"""Where :math:`a > ` ``_EDGE`` (indices), so that :math:`e^{-a^2/2}` is
    subnormal, or None: the usual case, found by one reduction (which skips
    NaN)."""
    edge = _EDGE[a.dtype]
    if not np.fmax.reduce(a, axis=None) > edge:
        return None
    return np.flatnonzero(a > edge)


def _subnormal_pdf(x, a, g, times_x):
    r""":math:`\varphi(x)`, or :math:`x\varphi(x)` with ``times_x``, where
    :math:`s = e^{-a^2/2}` is subnormal (beyond ``_EDGE``), rounded once; a is
    |x| clamped, g the kernel's f (``times_x``) or :math:`1 + kr`, all of x's
    block gathered at those elements.

    The kernel's product of the factor and the rounded s carries s's rounding
    error, up to half a subnormal spacing, times the factor: :math:`c|x|`, 15
    for :math:`x\varphi(x)` near x = 38 in float64 (off by 8 spacings there,
    and by 9 ulp near 37.7 where it is still normal), 5.6 near 14 in float32.

    * float64: :math:`e^{ks} = (e^{ks/2})^2` with :math:`e^{ks/2}` normal
      (:math:`ks/2` exact): the factor, as the kernel computes it, multiplies
      the first; the last product is the only rounding into the subnormals.
    * float32: in float64, where :math:`a^2` is exact and :math:`e^{-a^2/2}`
      normal, rounded to float32 once when stored.
    """
    dtype = a.dtype
    if dtype == np.float32:
        t = a.astype(np.float64)
        e = np.exp(np.multiply(t, t) * -0.5)
        e *= _INV_SQRT_2PI
        if times_x:
            e *= np.copysign(t, x)
        return e
    if times_x:   # the kernel's factor, the same operations
        fac = np.multiply(a, _const(dtype, -2 * _INV_SQRT_2PI))
        fac *= g
    else:
        fac = np.multiply(g, _const(dtype, _INV_SQRT_2PI))
    half = np.multiply(a, a)
    half *= _const(dtype, -0.25)       # k s / 2, exact
    np.exp(half, out=half)
    fac *= half
    fac *= half
    return fac


def _kernel(x, out, pdf, work, *, normal, times_x=False):
    r"""One block: ``out`` := :math:`\Phi(x)` (``normal``) or
    :math:`\operatorname{erfc}(x)`, and ``pdf`` := :math:`\varphi(x)`, or
    :math:`x\varphi(x)` with ``times_x`` (``normal`` only); either may be None.
    ``work`` is scratch: 8 rows the length of x, of its dtype."""
    dtype = x.dtype
    a, s, h, y, step, f = work[:6]
    acc = work[6:]
    k = _const(dtype, -0.5 if normal else -1.0)    # e^{k a^2}
    one = _const(dtype, 1.0)
    np.abs(x, out=a)
    np.clip(a, _const(dtype, 0.0), _const(dtype, _CLAMP[dtype]), out=a)  # NaN stays
    # e^{k a^2} = e^{k s} (1 + k r), s = fl(a^2), r = a^2 - s (module docstring).
    uint, mask = _SPLIT[dtype]
    np.bitwise_and(a.view(uint), mask, out=h.view(uint))    # head: its square is exact
    np.multiply(a, a, out=s)
    np.subtract(a, h, out=y)                       # tail, exact
    np.add(a, h, out=f)
    np.multiply(y, f, out=y)                       # a^2 - head^2
    np.multiply(h, h, out=h)
    np.subtract(h, s, out=h)                       # exact
    np.add(h, y, out=h)                            # r
    np.multiply(h, k, out=h)
    np.add(h, one, out=h)                          # the correction factor 1 + k r
    np.multiply(s, k, out=s)
    np.exp(s, out=s)                               # may underflow: it is meant to
    # Phi(x) = pos + (1/2 - pos) R e with pos = [x > 0], erfc(x) = 2 neg + (1 - 2 neg)
    # R e with neg = [x < 0]: f := (1/2 - pos or 1 - 2 neg) (1 + k r), step := the
    # step. Every factor multiplies f before e does, so that a result in the
    # subnormals is rounded there once. Where e is subnormal itself, its own
    # rounding is scaled by R f, a few hundredths for Phi and erfc there; phi and
    # x phi, whose factors are larger, are recomputed (_subnormal_pdf).
    if normal:
        np.greater(x, 0, out=step, casting="unsafe")
        np.subtract(_const(dtype, 0.5), step, out=f)
    else:
        np.less(x, 0, out=step, casting="unsafe")
        np.multiply(step, _const(dtype, -2.0), out=f)
        np.add(f, one, out=f)
        np.add(step, step, out=step)
    np.multiply(f, h, out=f)
    if pdf is not None:
        if times_x:   # x phi(x) = -2 (1/2 - pos) |x| phi(x)
            np.multiply(a, _const(dtype, -2 * _INV_SQRT_2PI), out=pdf)
            np.multiply(pdf, f, out=pdf)
        else:
            np.multiply(h, _const(dtype, _INV_SQRT_2PI), out=pdf)
        np.multiply(pdf, s, out=pdf)
        far = _beyond_edge(a)
        if far is not None:
            pdf[far] = _subnormal_pdf(x[far], a[far], (f if times_x else h)[far],
                                      times_x)
    if out is None:
        return
    if dtype == np.float32:
        # float32's one ratio, at y = a/sqrt(2) for Phi (module docstring)
        ratio = _ratio32(a, acc[0], acc[1], _INV_SQRT2 if normal else 1.0)
    else:
        if normal:
            np.multiply(a, _const(dtype, _INV_SQRT2), out=y)
        else:
            np.copyto(y, a)
        np.clip(y, _const(dtype, _THRESH), _const(dtype, _FOUR), out=a)
        ratio = _horner_mid(a, acc)
        far = np.flatnonzero(y > _FOUR)
        if far.size:
            ratio[far] = _far_ratio(y[far])
    np.multiply(ratio, f, out=out)
    np.multiply(out, s, out=out)
    np.add(out, step, out=out)
    if dtype == np.float64:
        near = np.flatnonzero(y < _THRESH)
        if near.size:
            z = x[near]
            if normal:
                e = _erf_small(z * _INV_SQRT2)
                e *= 0.5
                e += 0.5
            else:
                e = _erf_small(z)
                np.subtract(1, e, out=e)
            out[near] = e


def _run(x, normal, value=True, density=False, times_x=False, outs=None):
    x = np.asarray(x)
    if x.dtype == np.float16 and outs is None:
        got = _run(x.astype(np.float32), normal, value, density, times_x)
        return tuple(None if g is None else g.astype(np.float16) for g in got)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    if not x.flags.c_contiguous:
        x = x.copy()
    if outs is not None:  # given arrays of x's shape and dtype, C-ordered
        out, pdf = (o if want else None
                    for o, want in zip(outs, (value, density), strict=True))
    elif value and density:
        out, pdf = core.pair(x)
    else:
        out = core.new(x) if value else None
        pdf = core.new(x) if density else None
    for _, xb, (ob, pb), work in _blocks(x, (out, pdf), 8):
        _kernel(xb, ob, pb, work, normal=normal, times_x=times_x)
    return out, pdf


def _blocks(x, outs, rows):
    """``(start, x block, out blocks, work)`` for each block of the flattened
    C-ordered x (see :func:`activations.core.blockwise`), the ``outs`` (arrays
    like x, or None) cut alike, and ``rows`` scratch rows of the block's length,
    one allocation for all of them."""
    xf = x.reshape(-1)
    flat = [None if o is None else o.reshape(-1) for o in outs]
    n = xf.size
    block = core.BLOCK_BYTES // x.itemsize
    work = np.empty((rows, min(block, n)), dtype=x.dtype)
    for i in range(0, n, block):
        j = min(i + block, n)
        cut = [None if f is None else f[i:j] for f in flat]
        yield i, xf[i:j], cut, work[:, : j - i]


_GELU32_FAR = 15.0
"""Beyond x = 15, GELU is x and its slope 1 in float32 (1 - Phi(15) = 4e-51)."""


def _gelu32_block(x, y, dy, a, e, q, den):
    f32 = np.float32
    np.abs(x, out=a)
    np.multiply(a, a, out=e)
    np.multiply(e, _const(f32, -0.5 * math.log2(math.e)), out=e)
    np.exp2(e, out=e)       # e^{-x^2/2} = 2^(-x^2 log2(e)/2), may underflow
    _ratio32(a, q, den, _INV_SQRT2, 0.5)              # e^{x^2/2} Phi(-|x|)
    np.multiply(q, e, out=q)                          # Phi(-|x|)
    # Phi(x): 1 - q where x's sign bit is clear, q where it is set, chosen on the
    # bits: p ^ ((p ^ q) & m) with m all ones where x's sign is set
    p, m = den, a.view(np.int32)
    np.subtract(_const(f32, 1.0), q, out=p)
    np.right_shift(x.view(np.int32), 31, out=m)
    pb, qb = p.view(np.int32), q.view(np.int32)
    np.bitwise_xor(qb, pb, out=qb)
    np.bitwise_and(qb, m, out=qb)
    np.bitwise_xor(pb, qb, out=pb)                    # p = Phi(x)
    if y is not None:
        np.multiply(x, p, out=y)
    if dy is not None:
        np.multiply(x, e, out=e)
        np.multiply(e, _const(f32, _INV_SQRT_2PI), out=e)
        np.add(p, e, out=dy)                          # Phi(x) + x phi(x)
    # x > 15: x and 1 (where x^2 overflowed, or inf * 0 made NaN). A signalling
    # NaN makes fmax NaN, and then the elements are looked for.
    if not np.fmax.reduce(x, axis=None) <= _GELU32_FAR:
        at = np.flatnonzero(x > _GELU32_FAR)
        if y is not None:
            y[at] = x[at]
        if dy is not None:
            dy[at] = 1.0


def gelu32(x, y=None, dy=None, left=-math.inf):
    r"""GELU, :math:`x\Phi(x)`, into ``y`` and its slope :math:`\Phi(x) +
    x\varphi(x)` into ``dy`` (either may be None), for a C-ordered float32 x, in
    the fewest array passes: float32's ratio (module docstring) for
    :math:`\Phi(-|x|)`, and the exponential of :math:`\mathrm{fl}(x^2)` without
    the correction that :func:`ndtr` applies, taken as a power of 2 (NumPy's
    float32 ``exp2`` takes half the time of its ``exp``; the rounded factor
    :math:`\log_2 e/2` adds an error of the same size as that of
    :math:`\mathrm{fl}(x^2)`, inside GELU's condition number).

    Returns the flat indices of the elements below ``left`` (None if there are
    none), found block by block while each is in cache: where
    :math:`e^{-x^2/2}` is subnormal (below x = -13.2) the values are not
    accurate, and at :math:`-\infty` they are NaN, so the caller recomputes
    them there.
    """
    found = []
    with np.errstate(invalid="ignore", under="ignore", over="ignore"):
        for i, xb, (yb, dyb), work in _blocks(x, (y, dy), 4):
            _gelu32_block(xb, yb, dyb, *work)
            if not np.fmin.reduce(xb, axis=None) >= left:   # NaN: look
                at = np.flatnonzero(xb < left)
                if at.size:
                    found.append(at + i)
    return np.concatenate(found) if found else None


def ndtr(x, out=None):
    r"""The standard normal CDF :math:`\Phi(x) = \tfrac12\operatorname{erfc}(-x/\sqrt2)`
    of a float array, in its dtype (float16 and float32 kept, others float64);
    written into ``out`` (float32/float64 x only) if given."""
    return _run(x, True, outs=None if out is None else (out, None))[0]


def ndtr_pdf(x, value=True, density=True, times_x=False, out=None):
    r"""``(Phi(x), phi(x))``, the normal CDF and density sharing the one
    exponential; either may be skipped (None) with ``value`` / ``density``
    False. With ``times_x`` the second is :math:`x\varphi(x)` (0, not NaN, at
    :math:`x = \pm\infty`), the term GELU's derivative adds to :math:`\Phi`.
    Where :math:`e^{-x^2/2}` is subnormal (|x| > 37.6 in float64, 13.2 in
    float32) the second is rounded once from a value a few eps from the truth,
    not a product of the rounded exponential (:func:`_subnormal_pdf`). ``out``,
    a pair of arrays shaped like x (float32/float64), receives the two instead of
    new arrays (an entry not asked for may be None)."""
    return _run(x, True, value, density, times_x, outs=out)


def erfc(x):
    r"""The complementary error function :math:`1 - \operatorname{erf}(x)`, accurate
    in relative terms into the right tail, where it underflows."""
    return _run(x, False)[0]


def erf(x):
    r"""The error function of a float array, in its dtype (float16 and float32 kept,
    others float64): Cody's first interval :math:`z A(z^2)/B(z^2)` for
    :math:`|z| < 0.46875`, which keeps the relative accuracy of tiny arguments, and
    :math:`\operatorname{sign}(z)(1 - \operatorname{erfc}|z|)` beyond, where
    :math:`\operatorname{erfc}|z| < 0.51` and the difference cannot cancel."""
    x = np.asarray(x)
    if x.dtype not in (np.float16, np.float32, np.float64):
        x = x.astype(np.float64)
    if x.dtype == np.float16:
        return erf(x.astype(np.float32)).astype(np.float16)
    a = np.abs(x)
    out = erfc(a)
    np.subtract(1, out, out=out)
    np.copysign(out, x, out=out)
    small = a < 0.46875
    if np.any(small):
        out[small] = _erf_small(x[small])
    return out


def ndtr_errors(x) -> np.ndarray:
    r"""The error of :func:`ndtr` at each point of ``x`` (float32 or float64), in
    condition-scaled ULP (see :mod:`activations.verify`) against mpmath's
    :math:`\Phi` at 50 digits. For the appendix page that shows the error curve."""
    import mpmath

    from .verify import _scaled_ulp

    x = np.asarray(x)
    info = np.finfo(x.dtype)
    with mpmath.workdps(50):
        ts = [mpmath.mpf(float(t)) for t in x]
        ref = [mpmath.ncdf(t) for t in ts]
        dref = [mpmath.npdf(t) for t in ts]
    return _scaled_ulp(ndtr(x), ref, dref, x, float(info.eps),
                       float(info.smallest_subnormal))


def middle_interval_error(ys) -> np.ndarray:
    r"""The relative error of Cody's middle-interval ratio :math:`C(y)/D(y)` as an
    approximation of :math:`e^{y^2}\operatorname{erfc}(y)`, both evaluated exactly
    (mpmath, 50 digits) at each y: the approximation's own error, without any
    rounding of float arithmetic. For the appendix page."""
    import mpmath

    out = []
    with mpmath.workdps(50):
        for y in np.asarray(ys, dtype=np.float64):
            t = mpmath.mpf(float(y))
            num, den = mpmath.mpf(_C[8]) * t, t
            for c, d in zip(_C[:7], _D[:7], strict=True):
                num, den = (num + c) * t, (den + d) * t
            exact = mpmath.erfc(t) * mpmath.exp(t * t)
            out.append(float((num + _C[7]) / (den + _D[7]) / exact - 1))
    return np.array(out)
