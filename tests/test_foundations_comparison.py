"""The comparison table of the guide (book/guide/comparison.md): which framework
strings count as a built-in, the chapter links, the timing, the HTML."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import activations as act
from activations.foundations import comparison
from activations.properties import properties

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("call, expected", [
    ("torch.nn.functional.relu / torch.nn.ReLU", True),
    ("flax.linen.PReLU(negative_slope_init=0.01)  # not in jax.nn", True),
    ("keras.activations.hard_tanh  # no tf.nn op", True),
    ("none built in; a * torch.nn.functional.gelu(b)", False),
    ("none (keras_contrib.layers.SReLU, Keras 2 only)", False),
    ("no built-in: torch.cos(x) - x", False),
    ("no jax.nn function; x - jnp.tanh(x)", False),
    ("1.7159 * torch.tanh(2 * x / 3)  # no built-in", False),
    ("x * torch.rsqrt(1 + alpha * x**2)  # no built-in", False),
])
def test_builtin_reads_the_registry_wording(call, expected):
    assert comparison.builtin(call) is expected


def test_framework_labels_by_hand():
    # read off src/activations/data/catalogue.toml
    assert comparison.framework_labels("relu") == ["PyTorch", "JAX", "TF", "Keras"]
    assert comparison.framework_labels("cube") == []
    assert comparison.framework_labels("rrelu") == ["PyTorch"]


@pytest.mark.parametrize("name", act.names())
def test_chapter_link_points_at_a_chapter(name):
    url = comparison.chapter_url(name)
    assert url.startswith("../activations/") and url.endswith(".html")
    source = (ROOT / "book" / "guide" / url).resolve().with_suffix(".md")
    assert source.is_file(), source
    assert f"({act.get(name).name})=" in source.read_text(encoding="utf-8")


def test_costs_relative_to_relu():
    c = comparison.costs(["relu", "gelu", "softmax"], n=20_000,
                         vector_shape=(2000, 8))
    assert c["relu"] == 1.0
    assert all(math.isfinite(v) and v > 0 for v in c.values())
    # GELU's erfc costs several times ReLU's comparison (measured ~7x at 10^5)
    assert c["gelu"] > 1


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.links, self.srcs, self.scripts = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1
        elif tag == "a":
            self.links.append(a["href"])
        elif tag == "script":
            self.scripts += 1
            assert "src" not in a
        if "src" in a:
            self.srcs.append(a["src"])


@pytest.fixture(scope="module")
def small():
    props = {n: properties(n) for n in ("relu", "tanh", "softmax", "elu")}
    return comparison.table(props, {"relu": 1.0, "tanh": 3.5, "softmax": 30.0})


def test_table_html_has_a_row_per_activation_and_nothing_fetched(small):
    page = small._repr_html_()
    p = _Cells()
    p.feed(page)
    assert p.rows == [len(comparison.COLUMNS)] * 5  # header + 4 rows
    assert sorted(p.links) == sorted(comparison.chapter_url(n)
                                     for n in ("relu", "tanh", "softmax", "elu"))
    assert p.scripts == 1 and p.srcs == []
    assert not re.search(r"https?://|fetch\(|XMLHttpRequest|import\(", page)


def test_table_cells(small):
    rows = {r.name: r for r in small.rows}
    text = dict(zip(comparison.COLUMNS[2:], (t for t, _ in rows["tanh"].cells),
                    strict=True))
    # tanh: range (-1, 1), odd, f'(0) = 1, cheap, in PyTorch, JAX and TF
    assert text["range"] == "(−1, 1)"
    assert text["zero-centred"] == "yes" and text["bounded"] == "both"
    assert text["f(0)"] == "0" and text["f′(0)"] == "1"
    assert text["cost × ReLU"] == "3.5"
    assert text["frameworks"] == "PyTorch, JAX, TF"
    soft = dict(zip(comparison.COLUMNS[2:], (t for t, _ in rows["softmax"].cells),
                    strict=True))
    assert soft["monotonic"] == comparison.DASH and soft["f′(0)"] == comparison.DASH
    assert soft["f(0)"] == "0.25 each"  # 1/4 of each of 4 inputs
    elu = dict(zip(comparison.COLUMNS[2:], (t for t, _ in rows["elu"].cells),
                   strict=True))
    assert elu["cost × ReLU"] == comparison.DASH  # not timed: not given


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_script_is_valid_javascript(small, tmp_path):
    page = small._repr_html_()
    script = page.split("<script>")[1].split("</script>")[0]
    (tmp_path / "s.js").write_text(script, encoding="utf-8")
    subprocess.run(["node", "--check", str(tmp_path / "s.js")], check=True)
