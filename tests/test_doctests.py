"""The examples in the docstrings run, and give what they show.

Every module of the package is collected (``pkgutil.walk_packages``) and its
doctests run with ``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``, one test per module.
The modules of the public API (:data:`DOCUMENTED`) must also carry an example in
the docstring of every public function, class, method and property they define,
so that a new function without one fails here rather than in review.
"""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest

import activations

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

MODULES = sorted([activations.__name__] + [
    m.name for m in pkgutil.walk_packages(activations.__path__, "activations.")
])
"""Every module of the package, the package itself included."""

DOCUMENTED = (
    "activations",
    "activations.kinds",
    "activations.plotting",
    "activations.properties",
    "activations.registry",
    "activations.symbolic",
    "activations.tables",
    "activations.verify",
    "activations.widgets",
    *(m for m in MODULES if m == "activations.nn" or m.startswith("activations.nn.")),
)
"""The modules whose public functions, classes and methods each show an example.

The family modules, ``core``, ``_erf`` and ``activations.vector`` are not (yet)
held to it; their existing examples run all the same."""

EXEMPT: dict[str, str] = {
    # "module.qualified.name": "why it has no example",
}
"""Public objects of :data:`DOCUMENTED` allowed a docstring without an example,
each with its reason. None at present."""


def _run(module: ModuleType) -> tuple[doctest.TestResults, str]:
    """Run the module's doctests; return the counts and the failure report."""
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    for test in finder.find(module, module.__name__):
        runner.run(test, out=report.append)
    return runner.summarize(verbose=False), "".join(report)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    results, report = _run(importlib.import_module(name))
    assert results.failed == 0, (
        f"{results.failed} of {results.attempted} examples failed:\n{report}")


def test_every_module_is_collected():
    # a walk that silently found nothing would make every other test here vacuous
    assert {"activations", "activations.core", "activations.registry",
            "activations.nn.network", "activations.vector.verify"} <= set(MODULES)
    assert set(DOCUMENTED) <= set(MODULES)


def _own_doc(obj) -> str | None:
    """The docstring written for ``obj``: not inherited, and not the signature a
    dataclass gives itself when it has none."""
    if inspect.isclass(obj):
        doc = vars(obj).get("__doc__")
        if doc and dataclasses.is_dataclass(obj) and doc.startswith(obj.__name__ + "("):
            return None
        return doc
    return obj.__doc__


def _public(module: ModuleType) -> Iterator[tuple[str, object]]:
    """(qualified name, object) of each public function and class defined in
    ``module``, and of the public methods and properties defined in those classes
    (not inherited ones, nor those Matplotlib generates for a Figure subclass)."""
    for name, obj in vars(module).items():
        defined = inspect.isfunction(obj) or inspect.isclass(obj)
        if name.startswith("_") or not defined:
            continue
        if obj.__module__ != module.__name__:  # imported, or re-exported
            continue
        yield f"{module.__name__}.{name}", obj
        if not inspect.isclass(obj):
            continue
        for attr, member in vars(obj).items():
            if isinstance(member, staticmethod | classmethod):
                member = member.__func__
            if isinstance(member, property):
                member = member.fget
            if (not attr.startswith("_") and inspect.isfunction(member)
                    and member.__module__ == module.__name__):
                yield f"{module.__name__}.{name}.{attr}", member


@pytest.mark.parametrize("name", DOCUMENTED)
def test_public_api_has_examples(name):
    module = importlib.import_module(name)
    missing = [qualname for qualname, obj in _public(module) if qualname not in EXEMPT
               and (doc := _own_doc(obj)) and ">>>" not in doc]
    assert not missing, f"docstrings without a >>> example: {missing}"
    if hasattr(module, "__path__"):  # a package: its docstring opens with a tour
        assert ">>>" in (module.__doc__ or ""), f"{name}'s docstring has no example"


def test_exemptions_are_current():
    """Each exemption names a documented object that still has no example."""
    found = {qualname: obj for name in DOCUMENTED
             for qualname, obj in _public(importlib.import_module(name))}
    for qualname in EXEMPT:
        assert qualname in found, f"{qualname} is exempt but no longer exists"
        assert ">>>" not in (_own_doc(found[qualname]) or ""), (
            f"{qualname} has an example now: drop its exemption")
