"""The activation registry: every activation is defined once, in its family module.

An :class:`Activation` bundles the numeric forward pass, its hand-written derivative,
the SymPy expression the book derives from, and the facts a chapter needs (parameters
with valid ranges, kinks and their conventions). Its descriptive facts (title, Chinese
name, family, aliases, framework spellings, references, related activations) are
data, read from ``data/catalogue.toml`` by name (:func:`catalogue`).
"""

from __future__ import annotations

import difflib
import functools
import math
import numbers
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp

from . import core
from .core import finish

__all__ = ["Activation", "Param", "Kink", "register", "get", "names", "all_activations",
           "x", "y", "exact"]

x = sp.Symbol("x", real=True)
"""The input variable of every expression."""

y = sp.Symbol("y", real=True)
"""Stands for the output f(x) in identities such as sigmoid' = y (1 - y)."""


def exact(value: float) -> sp.Expr:
    """A float as an exact SymPy number; short decimals become rationals.

    ±inf become ``±sp.oo`` (Threshold's ``value`` may be infinite) and NaN
    ``sp.nan``; neither has a fraction.

    >>> exact(0.25), exact(-2.0), exact(float("inf"))
    (1/4, -2, oo)
    >>> exact(0.1 + 0.2)  # no short fraction: a Float of 17 digits
    0.30000000000000004
    """
    if isinstance(value, sp.Basic):  # already exact (a SymPy Float or Rational)
        return value
    if math.isinf(value):
        return sp.oo if value > 0 else -sp.oo
    if math.isnan(value):
        return sp.nan
    frac = Fraction(value).limit_denominator(10**6)
    if float(frac) == value:
        return sp.Rational(frac.numerator, frac.denominator)
    return sp.Float(value, 17)


_REGISTRY: dict[str, Activation] = {}
_LOOKUP: dict[str, str] = {}


@dataclass(frozen=True)
class Param:
    """A scalar parameter of an activation, with its valid range ``[low, high]``.

    An infinite end of the range is open unless ``infinite`` is set: no formula is
    written for an infinite parameter unless the activation says so.

    >>> slope = Param(0.01, 0.0, 1.0, doc="slope for negative inputs")
    >>> slope.default, slope.valid_range(), slope.check("slope", 0.2, "leaky_relu")
    (0.01, '[0.0, 1.0]', 0.2)
    """

    default: float
    low: float = -math.inf
    high: float = math.inf
    doc: str = ""
    symbol: str | None = None
    """SymPy/LaTeX name used in ``expr`` (``"alpha"`` renders as :math:`\\alpha`)."""
    learnable: bool = False
    infinite: bool = False
    """Whether ±inf is a valid value (Threshold's ``value`` is copied as it is)."""

    def valid_range(self) -> str:
        """The range as it is written in error messages, ``[0, inf)`` say.

        An infinite end is open unless ``infinite`` is set.

        >>> Param(1.0, 0.0).valid_range(), Param(0.0, infinite=True).valid_range()
        ('[0.0, inf)', '[-inf, inf]')
        """
        open_low = math.isinf(self.low) and not self.infinite
        open_high = math.isinf(self.high) and not self.infinite
        return (f"{'(' if open_low else '['}{self.low}, {self.high}"
                f"{')' if open_high else ']'}")

    def check(self, name: str, value: Any, owner: str) -> float:
        """Return ``value`` as a float, or raise naming the parameter and its range.

        A Python or NumPy integer or float is accepted. Anything else is a
        ``TypeError``: a bool, a string, None, an array, a complex number (its
        imaginary part would be dropped), a ``timedelta64`` (NumPy counts it as an
        integer, but it is a duration in some unit), a ``Fraction`` or ``Decimal``
        (pass ``float(value)``). A value outside the range, NaN, or an integer too
        large for a float is a ``ValueError``.

        >>> p = Param(0.01, 0.0, 1.0)
        >>> p.check("negative_slope", 1, "leaky_relu")
        1.0
        >>> p.check("negative_slope", 2.0, "leaky_relu")
        Traceback (most recent call last):
        ValueError: leaky_relu: parameter 'negative_slope' = 2.0 is outside ... 1.0]
        """
        if (isinstance(value, bool | np.bool_ | np.timedelta64)
                or not isinstance(value, int | float | np.integer | np.floating)):
            exact_number = (isinstance(value, numbers.Real | Decimal)
                            and not isinstance(value, bool | np.generic))
            hint = "; pass float(value)" if exact_number else ""
            raise TypeError(
                f"{owner}: parameter {name!r} must be a real number (an int or "
                f"float) in {self.valid_range()}, got {type(value).__name__}{hint}"
            )
        try:
            v = float(value)
        except OverflowError:  # an int beyond the largest float (about 1.8e308)
            raise ValueError(
                f"{owner}: parameter {name!r} is an integer of "
                f"{len(str(abs(value)))} digits, too large for a float and outside "
                f"its valid range {self.valid_range()}"
            ) from None
        if not ((self.infinite or math.isfinite(v)) and self.low <= v <= self.high):
            raise ValueError(
                f"{owner}: parameter {name!r} = {v!r} is outside its valid range "
                f"{self.valid_range()}"
            )
        return v


@dataclass(frozen=True)
class Kink:
    """A point where f' does not exist, and the value ``derivative`` returns there.

    ``value`` is given as a function of the parameters (a kink's convention may be a
    parameter, as Leaky ReLU's slope is), and ``frameworks`` records what PyTorch,
    JAX and TensorFlow return there.

    >>> k = get("leaky_relu").kinks[0]
    >>> k.where(negative_slope=0.1), k.value(negative_slope=0.1)  # f'(0) is the slope
    (0.0, 0.1)
    >>> k.frameworks["pytorch"]
    'negative_slope'
    """

    at: float | Callable[..., float]
    """The location, or a function of the parameters (Hard Tanh's ``min_val``)."""
    value: Callable[..., float]
    frameworks: Mapping[str, str] = field(default_factory=dict)

    def where(self, **params: float) -> float:
        """The location of the kink for these (bound) parameters.

        >>> lower, upper = get("hard_tanh").kinks
        >>> bounds = {"min_val": -2.0, "max_val": 1.0}
        >>> lower.where(**bounds), upper.where(**bounds)
        (-2.0, 1.0)
        """
        return float(self.at(**params)) if callable(self.at) else float(self.at)


_NUMERIC_KINDS = "fiub"


def broadcast_real(value: Any, shape: tuple[int, ...], owner: str,
                   arg: str) -> np.ndarray:
    """A given array of the random draws of a stochastic activation (RReLU's
    slopes, Gumbel-softmax's noise), validated as :func:`as_real_array` does and
    broadcast in float64 to the input's ``shape``; an error names ``owner``, ``arg``
    and both shapes.

    >>> broadcast_real(0.25, (2, 3), "rrelu", "slope").shape
    (2, 3)
    >>> broadcast_real([1.0, 2.0], (3,), "rrelu", "slope")
    Traceback (most recent call last):
    ValueError: rrelu: slope of shape (2,) does not broadcast to x's shape (3,)
    """
    arr, _ = as_real_array(value, owner, arg)
    try:
        return np.broadcast_to(arr.astype(np.float64), shape)
    except ValueError:
        raise ValueError(f"{owner}: {arg} of shape {arr.shape} does not broadcast "
                         f"to x's shape {shape}") from None


def as_real_array(x: Any, owner: str, arg: str = "x") -> tuple[np.ndarray, np.dtype]:
    """Validate ``x`` and return ``(array to compute with, dtype to return)``.

    float32 and float64 are computed in place; float16 is computed in float32 and
    rounded once at the end; integers and booleans give float64. Byte order is
    normalised to the machine's; a long double wider than float64, or a masked
    array, is refused with a ``TypeError``; nested lists of unequal lengths with a
    ``ValueError``. Errors name ``owner`` (the activation) and ``arg`` (the
    argument: ``x``, or ``g`` for a vector-Jacobian product).

    >>> as_real_array([1, 2], "relu")  # integers give float64
    (array([1., 2.]), dtype('float64'))
    >>> arr, dtype = as_real_array(np.ones(2, np.float16), "relu")
    >>> arr.dtype, dtype  # computed in float32, returned in float16
    (dtype('float32'), dtype('float16'))
    >>> as_real_array("1", "relu")
    Traceback (most recent call last):
    TypeError: relu: x must be a real number or array, got a string
    """
    if x is None:
        raise TypeError(f"{owner}: {arg} must be a real number or array, got None")
    if isinstance(x, str | bytes):
        raise TypeError(f"{owner}: {arg} must be a real number or array, got a string")
    if isinstance(x, np.ma.MaskedArray):
        # computing on the data would let a masked entry (a NaN, say) reach the
        # unmasked ones (softmax sums along an axis) and drop the mask from the result
        raise TypeError(
            f"{owner}: masked arrays are not supported; pass {arg}.filled(value) or "
            f"{arg}.compressed()"
        )
    try:
        arr = np.asarray(x)
    except ValueError as e:  # a ragged nested list, [[1, 2], [3]], in particular
        raise ValueError(
            f"{owner}: {arg} cannot be made an array of numbers; a nested sequence "
            f"needs rows of equal length (NumPy: {e})"
        ) from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{owner}: complex {arg} is not supported (dtype {arr.dtype}); "
            "pass the real part explicitly"
        )
    if kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"{owner}: {arg} must hold real numbers, got an array of dtype {arr.dtype}"
        )
    if kind == "f" and not arr.dtype.isnative:  # big-endian data: same numbers
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.dtype == np.longdouble and np.finfo(np.longdouble).eps < np.finfo(
            np.float64).eps:
        raise TypeError(
            f"{owner}: dtype {arr.dtype} (long double) is not supported: it would be "
            "computed in float64 and lose its extra precision; pass "
            f"{arg}.astype(np.float64)"
        )
    if arr.dtype in (np.float32, np.float64):
        return arr, arr.dtype
    if arr.dtype == np.float16:
        return arr.astype(np.float32), arr.dtype
    return arr.astype(np.float64), np.dtype(np.float64)


def compute(fn: Callable[..., Any], *arrays: np.ndarray) -> Any:
    """``fn(*arrays)`` in the floating-point state every kernel runs in.

    * Underflow is ignored: gradual underflow to a subnormal or to 0 is the
      correctly rounded result (a tail of the normal CDF, say), not an error,
      whatever the caller's ``np.errstate`` says.
    * A signalling NaN in the input raises the "invalid" flag in the first
      operation it meets, although NaN in gives NaN out is the right answer.  The
      kernel runs with "invalid" reported to a flag instead; only if it was
      raised is it run again, on the arrays with their NaNs made quiet (times 1:
      every number, -0.0 included, is unchanged), in the caller's state.  So the
      usual call costs no extra pass over the data, and an "invalid" that a
      kernel makes from ordinary numbers still reaches the caller.
    * Overflow and divide are left as the caller set them: a kernel never
      triggers them (where inf is the correctly rounded result it says so
      locally), and the tests run every kernel with them raising.

    >>> with np.errstate(under="raise"):  # 1e-310 is a subnormal: no error
    ...     compute(lambda a: a * 1e-300, np.array([1e-10]))
    array([1.e-310])
    """
    flagged: list[str] = []
    with np.errstate(under="ignore", invalid="call",
                     call=lambda err, flag: flagged.append(err)):
        out = fn(*arrays)
    if not flagged:
        return out
    with np.errstate(invalid="ignore"):
        quiet = [np.multiply(a, np.asarray(1, dtype=a.dtype)) for a in arrays]
    with np.errstate(under="ignore"):
        return fn(*quiet)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "_", name.strip().lower())


class Activation:
    """One activation function: numeric, derivative, symbolic and facts.

    Parameters
    ----------
    name
        Canonical snake_case name. Its entry in ``data/catalogue.toml`` gives the
        attributes ``title``, ``zh``, ``family`` (the module and the folder under
        ``book/activations``), ``aliases``, ``frameworks``, ``references`` and
        ``related``.
    kernel
        ``kernel(x, y, dy, **params)``, the one shape of every elementwise
        activation (:mod:`activations.core`): it writes f(x) into ``y`` and f'(x)
        into ``dy``, skipping a half given as None. The value, the derivative and
        the pair are built from it, so they are the same numbers.
    fn, deriv, both
        Instead of a kernel (vector activations): ``fn(x, **params)``,
        ``deriv(x, **params)`` and an optional ``both(x, **params) -> (fn(x),
        deriv(x))`` that returns exactly what the two return.
    sym
        ``sym(x, **symbols)`` builds the SymPy expression.

    Examples
    --------
    >>> relu = get("relu")
    >>> relu, relu.title, relu.family
    (<Activation relu>, 'ReLU', 'rectifier')
    >>> relu([-1.0, 2.0]).tolist(), relu.derivative([-1.0, 2.0]).tolist()
    ([0.0, 2.0], [0.0, 1.0])
    """

    def __init__(
        self,
        name: str,
        *,
        sym: Callable[..., sp.Expr],
        params: Mapping[str, Param] | None = None,
        kinks: tuple[Kink, ...] = (),
        via_output: Callable[..., sp.Expr] | None = None,
        elementwise: bool = True,
        partials: Mapping[str, Callable[..., np.ndarray]] | None = None,
        kernel: Callable[..., None] | None = None,
        fn: Callable[..., np.ndarray] | None = None,
        deriv: Callable[..., np.ndarray] | None = None,
        both: Callable[..., tuple[np.ndarray, np.ndarray]] | None = None,
    ):
        if _key(name) != name:
            raise ValueError(f"canonical name {name!r} must be snake_case")
        self.name = name
        entry = catalogue().get(name)
        if entry is None:
            raise ValueError(f"{name}: no entry [{name}] in data/catalogue.toml")
        self.title: str = entry["title"]
        self.family: str = entry["family"]
        self.zh: str = entry["zh"]
        # read-only: a caller changing it would change the activation for every caller
        self.params: Mapping[str, Param] = MappingProxyType(dict(params or {}))
        self.aliases = tuple(entry.get("aliases", ()))
        self.kinks = tuple(kinks)
        self.frameworks = dict(entry.get("frameworks", {}))
        self.references = tuple(entry.get("references", ()))
        self.related = tuple(entry.get("related", ()))
        self.elementwise = elementwise
        if (kernel is None) == (fn is None or deriv is None):
            raise ValueError(f"{name}: give a kernel, or fn and deriv, not both")
        self.kernel = kernel
        """The kernel ``kernel(x, y, dy, **params)`` (None for a vector activation):
        another activation built on this one calls it (:func:`core.run`)."""
        if kernel is not None:
            def fn(x, **p):
                return core.run(kernel, x, p, df=False)[0]

            def deriv(x, **p):
                return core.run(kernel, x, p, f=False)[1]

            def both(x, **p):
                return core.run(kernel, x, p)
        self._fn = fn
        self._deriv = deriv
        self._both = both
        self._sym = sym
        self._via_output = via_output
        self._partials = dict(partials or {})
        missing = [k for k, p in self.params.items()
                   if p.learnable and k not in self._partials]
        if missing:
            raise ValueError(f"{name}: learnable parameter(s) {missing} need partials")

    def __repr__(self) -> str:
        return f"<Activation {self.name}>"

    def bind(self, params: Mapping[str, Any]) -> dict[str, float]:
        """Defaults overlaid with ``params``, each checked against its range.

        >>> get("elu").bind({}), get("leaky_relu").bind({"negative_slope": 0.2})
        ({'alpha': 1.0}, {'negative_slope': 0.2})
        >>> get("elu").bind({"beta": 1.0})
        Traceback (most recent call last):
        ValueError: elu: unknown parameter(s) beta; valid parameters: alpha
        """
        unknown = set(params) - set(self.params)
        if unknown:
            valid = ", ".join(self.params) or "none"
            raise ValueError(
                f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                f"valid parameters: {valid}"
            )
        bound = {k: p.default for k, p in self.params.items()}
        for k, v in params.items():
            bound[k] = self.params[k].check(k, v, self.name)
        return bound

    def __call__(self, x: Any, **params: Any):
        """The forward pass ``f(x)``; keeps shape, and float16/32/64 dtype.

        >>> get("relu")(-1.0), get("relu")(np.float32(3))
        (np.float64(0.0), np.float32(3.0))
        >>> get("leaky_relu")([-2.0, 2.0], negative_slope=0.1).tolist()
        [-0.2, 2.0]
        """
        arr, dtype = as_real_array(x, self.name)
        bound = self.bind(params)
        return compute(lambda a: finish(self._fn(a, **bound), dtype), arr)

    def derivative(self, x: Any, **params: Any):
        """``df/dx`` in closed form; at a kink, the value of :attr:`kinks`.

        >>> get("sigmoid").derivative(0.0)  # sigmoid'(0) = 1/2 (1 - 1/2) = 1/4
        np.float64(0.25)
        >>> get("relu").derivative([-1.0, 0.0, 1.0]).tolist()  # 0 at the kink
        [0.0, 0.0, 1.0]
        """
        arr, dtype = as_real_array(x, self.name)
        bound = self.bind(params)
        return compute(lambda a: finish(self._deriv(a, **bound), dtype), arr)

    def value_and_derivative(self, x: Any, **params: Any):
        """``(f(x), f'(x))`` in one call, as a training step needs them.

        Equal to ``(self(x), self.derivative(x))``, element for element; for many
        activations it costs little more than the forward pass alone, because the
        two share their expensive part (PyTorch's autograd saves it between the
        forward and backward pass for the same reason).

        >>> f, df = get("tanh").value_and_derivative([0.0, 1.0])
        >>> f.round(4).tolist(), df.round(4).tolist()  # tanh' = 1 - tanh^2
        ([0.0, 0.7616], [1.0, 0.42])
        """
        arr, dtype = as_real_array(x, self.name)
        bound = self.bind(params)

        def both(a):
            if self._both is None:
                y, dy = self._fn(a, **bound), self._deriv(a, **bound)
            else:
                y, dy = self._both(a, **bound)
            return finish(y, dtype), finish(dy, dtype)

        return compute(both, arr)

    @property
    def learnable(self) -> tuple[str, ...]:
        """Names of the parameters a network learns (PReLU's ``alpha``).

        >>> get("prelu").learnable, get("relu").learnable
        (('alpha',), ())
        """
        return tuple(k for k, p in self.params.items() if p.learnable)

    def partial(self, x: Any, wrt: str, **params: Any):
        """``df/d(wrt)``, the hand-written partial derivative w.r.t. a learnable
        parameter, elementwise in ``x``.

        >>> get("prelu").partial([-2.0, 3.0], "alpha").tolist()  # alpha x for x < 0
        [-2.0, 0.0]
        """
        if wrt not in self._partials:
            valid = ", ".join(self._partials) or "none"
            raise ValueError(
                f"{self.name}: no partial derivative with respect to {wrt!r}; "
                f"learnable parameters: {valid}"
            )
        arr, dtype = as_real_array(x, self.name)
        bound = self.bind(params)

        def call(a: np.ndarray) -> np.ndarray:
            # a partial, like a kernel (core.run), sees at least one dimension
            out = self._partials[wrt](a.reshape(1) if a.ndim == 0 else a, **bound)
            return finish(np.reshape(out, a.shape), dtype)

        return compute(call, arr)

    def kink_points(self, **params: Any) -> list[float]:
        """Where the kinks are for these parameters (defaults for those not given).

        >>> get("hard_tanh").kink_points(), get("hard_tanh").kink_points(min_val=-2.0)
        ([-1.0, 1.0], [-2.0, 1.0])
        """
        bound = self.bind(params)
        return [k.where(**bound) for k in self.kinks]

    # --- symbolic side -------------------------------------------------------------
    def symbols(self) -> dict[str, sp.Symbol]:
        """The SymPy symbol of each parameter (named by ``Param.symbol``).

        >>> get("leaky_relu").symbols()
        {'negative_slope': alpha}
        """
        # A range that reaches below 0 says nothing about the sign: nonnegative=False
        # would tell SymPy the symbol is negative, and |b| would become -b.
        return {
            k: sp.Symbol(p.symbol or k, real=True,
                         nonnegative=True if p.low >= 0 else None)
            for k, p in self.params.items()
        }

    def expr(self, **params: Any) -> sp.Expr:
        """The SymPy expression in :data:`x`.

        Parameters passed are substituted (floats become exact rationals where they
        are short decimals); parameters not passed stay symbols.

        >>> get("leaky_relu").expr()
        Piecewise((x, x > 0), (alpha*x, True))
        >>> get("leaky_relu").expr(negative_slope=0.1)
        Piecewise((x, x > 0), (x/10, True))
        """
        bound = self.bind(params)
        syms = self.symbols()
        args = {k: (exact(bound[k]) if k in params else syms[k]) for k in self.params}
        return self._sym(x, **args)

    def via_output(self, y: sp.Expr) -> sp.Expr | None:
        """f'(x) written through y = f(x), where such an identity exists.

        >>> get("sigmoid").via_output(y), get("relu").via_output(y)
        (y*(1 - y), None)
        """
        return None if self._via_output is None else self._via_output(y)


@functools.cache
def catalogue() -> Mapping[str, Mapping[str, Any]]:
    """The descriptive record of every activation, from ``data/catalogue.toml``
    (its header explains each field), keyed by canonical name.

    >>> catalogue()["relu"]["title"]
    'ReLU'
    """
    text = resources.files("activations").joinpath("data/catalogue.toml").read_text(
        encoding="utf-8")
    return MappingProxyType(tomllib.loads(text))


def register(activation: Activation) -> Activation:
    """Add an activation to the registry; names and aliases must be unique.

    >>> register(get("relu"))
    Traceback (most recent call last):
    ValueError: 'relu' is already registered as 'relu'
    """
    for label in (activation.name, *activation.aliases):
        key = _key(label)
        if key in _LOOKUP:
            raise ValueError(f"{label!r} is already registered as {_LOOKUP[key]!r}")
        _LOOKUP[key] = activation.name
    _REGISTRY[activation.name] = activation
    return activation


def names(*, elementwise: bool | None = None) -> list[str]:
    """Sorted canonical names of every registered activation.

    ``elementwise=True`` keeps the functions of one real variable, ``False`` the
    vector-valued ones (softmax, the GLU family, maxout, ...); ``None`` keeps all.

    >>> "relu" in names(elementwise=True), "softmax" in names(elementwise=False)
    (True, True)
    >>> len(names()) == len(names(elementwise=True)) + len(names(elementwise=False))
    True
    """
    if elementwise is None:
        return sorted(_REGISTRY)
    return sorted(n for n, a in _REGISTRY.items() if a.elementwise is elementwise)


def all_activations() -> list[Activation]:
    """Every registered activation, sorted by name.

    >>> [a.name for a in all_activations()] == names()
    True
    """
    return [_REGISTRY[n] for n in names()]


def get(name: str | Activation) -> Activation:
    """Look an activation up by canonical name or alias.

    Case, spaces, ``-`` and ``_`` are ignored (``"Leaky-ReLU"`` finds ``leaky_relu``).
    An unknown name raises ``KeyError`` listing the closest known names.

    >>> get("leaky relu").name, get("LReLU").name
    ('leaky_relu', 'leaky_relu')
    >>> get("relu")(-1.0)
    np.float64(0.0)
    >>> get("rellu")
    Traceback (most recent call last):
    KeyError: "unknown activation 'rellu'; did you mean 'relu', ...?"
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation name must be a string, got {type(name).__name__}")
    key = _key(name)
    if key in _LOOKUP:
        return _REGISTRY[_LOOKUP[key]]
    close = difflib.get_close_matches(key, list(_LOOKUP), n=3, cutoff=0.5)
    suggestions = dict.fromkeys(repr(_LOOKUP[c]) for c in close)
    hint = (
        "did you mean " + ", ".join(suggestions) + "?"
        if close
        else "known activations: " + ", ".join(names())
    )
    raise KeyError(f"unknown activation {name!r}; {hint}")
