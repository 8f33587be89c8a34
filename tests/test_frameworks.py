"""The registry's claims about frameworks against what the frameworks returned.

``make frameworks`` runs PyTorch, JAX, Keras and TensorFlow and records, among other
things, the derivative each returns at every kink in
``src/activations/data/frameworks.json``. These tests need no framework: they hold
every ``Kink.frameworks`` claim of the registry to that record.
"""

from __future__ import annotations

import copy
import math

import mpmath
import pytest

import activations as act
from activations import tables

DATA = tables.framework_data()
COMPARISONS = tables._kink_comparisons(DATA)


def test_the_record_names_versions_and_covers_every_elementwise_activation():
    assert {"pytorch", "jax", "keras"} <= set(DATA["versions"])
    assert DATA["date"] and DATA["machine"]
    assert set(act.names(elementwise=True)) <= set(DATA["activations"])


def test_enough_claims_are_compared():
    # a parser that read no claim would let every claim through
    assert len(COMPARISONS) >= 40
    assert {c["framework"] for c in COMPARISONS} >= {"pytorch", "jax", "keras"}


@pytest.mark.parametrize(
    "c", COMPARISONS, ids=lambda c: f"{c['activation']}-{c['framework']}-{c['at']:g}")
def test_kink_claim_equals_the_measured_value(c):
    assert c["agrees"], (
        f"{c['activation']} at x={c['at']:g}: the registry says {c['framework']} "
        f"returns {c['claimed']!r}, it returned {c['measured']}")


def test_every_name_the_registry_gives_exists_in_the_framework():
    assert DATA["names"]["checked"] >= 100
    assert DATA["names"]["missing"] == []


@pytest.mark.parametrize(("claim", "name", "expected"), [
    ("0 (sgn(0))", "absolute", 0.0),
    ("1 (select(x >= 0, g, -g))", "absolute", 1.0),
    ("negative_slope", "leaky_relu", 0.01),
    ("alpha (the weight)", "prelu", 0.25),
    ("(lower + upper)/2 in eval; the drawn slope in training", "rrelu",
     (1 / 8 + 1 / 3) / 2),
    ("1/4 (jnp.clip is max then min)", "sparse_sigmoid", 0.25),
    ("no built-in; the torch.clamp one-liner gives 1/2 (clamp_backward)",
     "sparse_sigmoid", 0.5),
    ("the backend's: alpha (TF), 1 (JAX), negative_slope (PyTorch)", "leaky_relu", 1.0),
    ("the backend's (1 on JAX, 0 on PyTorch)", "hard_tanh", 1.0),
    ("the backend's (0 on JAX and PyTorch)", "hard_sigmoid", 0.0),
])
def test_claims_are_read_as_numbers(claim, name, expected):
    value, tol = tables.claimed_kink_value(claim, name)
    assert math.isclose(value, expected, rel_tol=1e-15, abs_tol=tol)


def test_selu_claim_uses_the_published_constants():
    # the constants as Klambauer et al. (2017) publish them
    lam = mpmath.mpf("1.0507009873554804934193349852946")
    alpha = mpmath.mpf("1.6732632423543772848170429916717")
    value, _ = tables.claimed_kink_value("lambda * alpha", "selu")
    assert math.isclose(value, float(lam * alpha), rel_tol=1e-15)


def test_approximate_and_error_claims():
    assert tables.claimed_kink_value("(1 + σ'(x0))/2 ≈ 0.612 at a tie", "maxsig") == (
        0.612, 0.0005)
    assert tables.claimed_kink_value("error: no derivative", "step") == ("error", 0.0)
    for text in ("no built-in", "none built in", "the backend's",
                 "no tf.nn op; Keras 3 delegates to its backend"):
        assert tables.claimed_kink_value(text, "relu") is None


def test_a_claim_the_measurement_contradicts_is_reported():
    data = copy.deepcopy(DATA)
    kink = data["activations"]["relu"]["pytorch"]["kinks"][0]
    kink["float64"]["derivative"] = 0.5
    before = tables.kink_disagreements(DATA)
    bad = [b for b in tables.kink_disagreements(data) if b not in before]
    assert [(b["activation"], b["framework"], b["measured"]) for b in bad] == [
        ("relu", "pytorch", 0.5)]


def test_the_chapter_table_shows_the_measured_value(monkeypatch):
    data = copy.deepcopy(DATA)
    data["activations"]["relu"]["jax"]["kinks"][0]["float64"]["derivative"] = 0.75
    monkeypatch.setattr(tables, "framework_data", lambda: data)
    t = tables.frameworks("relu")
    jax_row = next(r for r in t.rows if r[0].startswith("JAX"))
    assert jax_row[-1] == "0.75"
    assert DATA["versions"]["jax"] in jax_row[0] and DATA["date"] in t.caption


def test_accuracy_table_has_every_measured_activation():
    for dtype in ("float32", "float64"):
        for of, what in (("f", "value"), ("df", "derivative")):
            t = tables.framework_accuracy(dtype, of)
            assert len(t.rows) == len(DATA["activations"])
            assert t.header[-1] == "this book"
            assert dtype in t.caption and what in t.caption
    with pytest.raises(ValueError, match="'f'"):
        tables.framework_accuracy("float32", "d2f")


def test_framework_facts_are_the_recorded_measurements():
    """What a chapter glues is the data file's float64 derivative, key by key."""
    for name in ("relu", "leaky_relu", "hard_swish", "absolute"):
        facts = tables.framework_facts(name)
        points = act.get(name).kink_points()
        rec = DATA["activations"][name]
        for key in ("pytorch", "jax", "keras", "tensorflow"):
            kinks = rec.get(key, {}).get("kinks", [])
            for i, at in enumerate(points):
                got = next((k for k in kinks if k["at"] == at), None)
                if got is None:
                    assert f"{key}_kink{i}" not in facts
                else:
                    assert facts[f"{key}_kink{i}"] == got["float64"]["derivative"]
                    assert DATA["versions"][key].startswith(facts[f"{key}_version"])
    assert tables.framework_facts("leaky_relu")["jax_kink0"] == 1.0


def test_defaults_and_probes_are_the_recorded_measurements():
    """Framework defaults come from the installed signatures recorded in the data
    file, and the probed slopes from its probe records; the chapters glue these."""
    defaults = DATA["defaults"]
    facts = tables.framework_facts("leaky_relu")
    for name in ("torch.nn.functional.leaky_relu", "tf.nn.leaky_relu",
                 "keras.layers.LeakyReLU"):
        for param, value in defaults[name].items():
            assert facts[f"{name}.{param}"] == value
    # every dotted name the data recorded defaults for is one the registry names
    named = {n for a in act.all_activations() for call in a.frameworks.values()
             for n in tables.dotted_names(call)}
    named |= {n for names in DATA["context_names"].values() for n in names}
    assert set(defaults) <= named
    probes = DATA["activations"]["gelu_tanh"]["jax"]["probes"]["float32"]
    facts = tables.framework_facts("gelu_tanh")
    for p in probes["points"]:
        assert facts[f"jax_float32_df_rel({p['x']:g})"] == p["df_rel"]
    assert facts["jax_float32_df_zero_from"] == probes["df_zero_from"]
    # the book's own slope is still accurate where JAX's returns 0
    book = DATA["activations"]["gelu_tanh"]["book"]["probes"]["float32"]
    assert all(p["df_rel"] < 1e-5 for p in book["points"])


def test_required_parameters_context_names_and_variants_are_glued_as_recorded():
    facts = tables.framework_facts("threshold")
    for name in ("torch.nn.Threshold", "keras.activations.threshold"):
        assert facts[f"{name}.required"] == ", ".join(DATA["required"][name])
    assert "threshold" in facts["torch.nn.Threshold.required"]
    facts = tables.framework_facts("tanh")
    for name in DATA["context_names"]["tanh"]:
        for param, value in DATA["defaults"][name].items():
            assert facts[f"{name}.{param}"] == value
    facts = tables.framework_facts("hard_swish")
    variants = DATA["activations"]["hard_swish"]["pytorch"]["variants"]
    for j, variant in enumerate(variants):
        for i, k in enumerate(variant["kinks"]):
            assert facts[f"pytorch_variant{j}_kink{i}"] == k["float64"]["derivative"]


def test_vector_activations_are_measured_and_tabulated():
    vector = DATA["vector"]
    assert set(act.names(elementwise=False)) <= set(vector)
    for dtype in ("float32", "float64"):
        t = tables.framework_vector_accuracy(dtype)
        assert len(t.rows) == len(vector) and dtype in t.caption
    for name, rec in vector.items():
        facts = tables.framework_facts(name)
        for key, r in rec.items():
            for dtype in ("float32", "float64"):
                assert facts[f"{key}_{dtype}_vjp_ulp"] == tables._ulp_value(
                    r[dtype]["vjp"][0])
        # this book's value and VJP, measured by the same code as the frameworks'
        assert all(tables._ulp_value(rec["book"][d][q][0]) <= 4
                   for d in ("float32", "float64") for q in ("f", "vjp"))


def _frameworks_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "frameworks.py"
    spec = importlib.util.spec_from_file_location("frameworks_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vector_calls_name_what_the_registry_names():
    """Every built-in vector function the script measures is the one the
    activation's framework string names."""
    script = _frameworks_script()
    for key, calls in script.VECTOR_CALLS.items():
        for name, (builtin, text) in calls.items():
            a = act.get(name)
            assert not a.elementwise
            if builtin:
                named = {n for call in a.frameworks.values()
                         for n in tables.dotted_names(call)}
                assert set(tables.dotted_names(text)) <= named, (key, name, text)
