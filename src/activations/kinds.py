"""Kinds of activation, and the one place where the tools tell them apart.

An activation is of one of two kinds. An elementwise one (:class:`registry.Activation`)
is a function of one real variable with a derivative; a vector-valued one
(:class:`activations.vector.VectorActivation`) maps a vector to a vector and has a
Jacobian. Each kind is checked, drawn, measured and explored in its own way.

The generic tools the chapters call (:func:`activations.verify.verify`,
:func:`activations.plotting.sweep`, :func:`activations.properties.properties`,
:func:`activations.widgets.explorer`, ...) are marked :func:`generic`: the function
itself is the elementwise implementation, and an activation of a kind registered
with :func:`register_kind` is handed instead to the function of the same name in the
module of the same name of that kind's package (``activations.vector.verify.verify``
for ``activations.verify.verify``). So no tool carries code of another kind, and a
kind's modules are imported only when one of its activations first needs them (its
figures need matplotlib, its explorer ipywidgets).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from .registry import Activation, get

__all__ = ["generic", "implementation", "register_kind"]

_PACKAGES: dict[type, str] = {}

F = TypeVar("F", bound=Callable[..., Any])


def register_kind(cls: type[Activation], package: str) -> None:
    """Give the activations of class ``cls`` (and of its subclasses) the tools of
    ``package``: its modules ``verify``, ``plotting``, ``properties`` and
    ``widgets`` implement the generic functions of the modules of those names.

    >>> from activations import verify
    >>> from activations.vector import VectorActivation
    >>> register_kind(VectorActivation, "activations.vector")  # as that package does
    >>> implementation(get("softmax"), verify.verify).__module__
    'activations.vector.verify'
    """
    _PACKAGES[cls] = package


def implementation(a: Activation, fn: Callable[..., Any]) -> Callable[..., Any]:
    """The function that does what the generic ``fn`` does for ``a``'s kind.

    >>> from activations import verify
    >>> implementation(get("relu"), verify.verify) is verify.verify  # elementwise
    True
    >>> implementation(get("softmax"), verify.verify).__module__
    'activations.vector.verify'
    """
    tool = fn.__module__.rpartition(".")[2]
    for cls in type(a).__mro__:
        if cls in _PACKAGES:
            module = importlib.import_module(f"{_PACKAGES[cls]}.{tool}")
            own = getattr(module, fn.__name__, None)
            if own is None:
                raise TypeError(f"{a.name}: {tool}.{fn.__name__} has no implementation "
                                f"for its kind (none in {module.__name__})")
            return own
    return fn


def generic(fn: F) -> F:
    """Make ``fn(activation, ...)``, the elementwise implementation, a tool of every
    kind: the activation (a name or a record) is looked up once and handed, with
    the other arguments as they were given, to its kind's implementation.

    >>> @generic
    ... def title(a, suffix=""):
    ...     return a.title + suffix
    >>> title("leaky relu", suffix="!"), title(get("relu"))
    ('Leaky ReLU!', 'ReLU')
    """

    @functools.wraps(fn)
    def dispatch(activation: str | Activation, *args: Any, **kwargs: Any) -> Any:
        a = get(activation)
        return implementation(a, fn)(a, *args, **kwargs)

    return dispatch  # type: ignore[return-value]
