"""The registry contract of CONTRIBUTING.md ("One source of truth: the registry"),
for every registered activation."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import activations as act
from activations.symbolic import x

ROOT = Path(__file__).resolve().parents[1]
NAMES = act.names()
ELEMENTWISE = act.names(elementwise=True)



def test_names_sorted_snake_case_and_unique():
    assert NAMES == sorted(set(NAMES))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in NAMES)


def test_names_split_into_elementwise_and_vector():
    vector = act.names(elementwise=False)
    assert sorted(ELEMENTWISE + vector) == NAMES
    assert all(act.get(n).elementwise for n in ELEMENTWISE)
    assert vector and not any(act.get(n).elementwise for n in vector)


@pytest.mark.parametrize("name", NAMES)
def test_lookup_ignores_case_dashes_and_underscores(name):
    a = act.get(name)
    assert a.name == name
    assert act.get(name.upper().replace("_", "-")) is a
    assert act.get(f"  {name.title()} ") is a


@pytest.mark.parametrize("name", NAMES)
def test_aliases_resolve_to_their_activation(name):
    a = act.get(name)
    for alias in a.aliases:
        assert act.get(alias) is a


def test_leaky_relu_spelled_as_in_frameworks():
    assert act.get("Leaky-ReLU").name == "leaky_relu"
    assert act.get("lrelu").name == "leaky_relu"


@pytest.mark.parametrize("name", NAMES)
def test_unknown_name_suggests_the_closest(name):
    with pytest.raises(KeyError, match=re.escape(repr(name))):
        act.get(name + "q")


def test_unknown_name_far_from_everything_lists_known():
    with pytest.raises(KeyError, match="known activations"):
        act.get("zzzzzzzz")


@pytest.mark.parametrize("name", NAMES)
def test_descriptive_fields(name):
    a = act.get(name)
    assert a.title and a.family and a.zh
    assert (ROOT / "book" / "activations" / a.family).is_dir()
    if a.elementwise is not True:  # vector-valued (CONTRIBUTING.md)
        assert a.elementwise is False
        assert callable(a.jacobian) and callable(a.vjp)
    assert {"pytorch", "jax", "tensorflow"} <= set(a.frameworks)
    assert all(r in act.names() for r in a.related)


@pytest.mark.parametrize("name", NAMES)
def test_params_have_defaults_inside_their_ranges(name):
    for pname, p in act.get(name).params.items():
        assert isinstance(p, act.Param)
        assert p.low <= p.default <= p.high, pname
        assert p.doc


@pytest.mark.parametrize("name", NAMES)
def test_expr_keeps_unset_params_as_symbols(name):
    a = act.get(name)
    if not a.elementwise:  # a Matrix in the input symbols x_1..x_n
        e = a.expr()
        assert isinstance(e, sp.MatrixBase)
        assert e.free_symbols == set(a.input_symbols())
        return
    syms = set(a.symbols().values())
    assert a.expr().free_symbols == {x} | syms
    defaults = {k: p.default for k, p in a.params.items()}
    assert a.expr(**defaults).free_symbols == {x}


def test_expr_substitutes_exact_rationals():
    e = act.get("leaky_relu").expr(negative_slope=0.01)
    assert e.subs(x, -100) == -1
    assert e.subs(x, -1) == sp.Rational(-1, 100)


def _bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


@pytest.mark.parametrize("name", NAMES)
def test_references_are_in_the_bibliography(name):
    a = act.get(name)
    assert a.references
    missing = set(a.references) - _bib_keys()
    assert not missing


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize(
    "value", [0.5, [0.5, -1.0], np.zeros((2, 3, 4)), np.float32(1.0)]
)
def test_shape_is_kept(name, value):
    a = act.get(name)
    for out in (a(value), a.derivative(value)):
        assert np.shape(out) == np.shape(value)


def test_scalar_in_scalar_out():
    out = act.get("tanh")(0.5)
    assert np.ndim(out) == 0 and isinstance(out, np.floating)


def test_catalogue_and_registry_hold_the_same_names():
    # data/catalogue.toml describes exactly the registered activations
    assert sorted(act.catalogue()) == act.names()


def test_an_activation_without_a_catalogue_entry_is_refused():
    relu = act.get("relu")
    with pytest.raises(ValueError, match=r"no entry \[not_catalogued\]"):
        act.Activation("not_catalogued", kernel=relu.kernel, sym=lambda x: x)


def test_register_rejects_a_taken_name():
    with pytest.raises(ValueError, match="already registered"):
        act.register(act.get("relu"))


@pytest.mark.parametrize("name", NAMES)
def test_every_activation_has_a_page_in_the_toc(name):
    a = act.get(name)
    page = f"book/activations/{a.family}/{a.name}"
    assert (ROOT / f"{page}.md").is_file()
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert re.search(rf"file:\s*{re.escape(page)}\s*$", toc, re.M)


def test_params_cannot_be_changed_by_a_caller():
    # every caller shares one Activation: a mutable mapping would let one caller
    # change the range or default for all the others
    a = act.get("leaky_relu")
    with pytest.raises(TypeError):
        a.params["negative_slope"] = act.Param(default=0.5)
    assert a.params["negative_slope"].default == 0.01
