"""The guide pages (choosing, glossary, notation) and their module.

Expected values come from hand computation (the sigmoid's slope at 0 is 1/4, 4**10 is
1048576), finite differences, and the files of the book itself (the chapters on disk,
the labels the pages define), never from the module's own output.
"""

from __future__ import annotations

import html.parser
import pathlib
import re

import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import tables
from activations.foundations import glossary

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
PAGES = ["guide/choosing.md", "guide/glossary.md", "guide/notation.md"]
# Labels that pages written alongside these define; drop a label from this set once
# its page is in the book.
PENDING: set[str] = set()


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.cells = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.cells.append(data)


def _parse(table):
    p = _Links()
    p.feed(table._repr_html_())
    return p


def test_one_row_per_chapter_on_disk():
    # every chapter of an activation, named after it; the one page of a family
    # that is about several (adaptive/contextual.md) has no row of its own
    chapters = {p.stem for p in BOOK.glob("activations/*/*.md")} - {"contextual"}
    assert chapters == set(act.names())
    assert len(glossary.names_table()) == len(chapters)


def test_every_link_reaches_a_chapter_from_the_guide_folder():
    hrefs = _parse(glossary.names_table()).hrefs
    assert len(hrefs) == len(set(hrefs)) == len(act.names())
    for href in hrefs:
        # relative to book/guide/glossary.html; the chapter's source has the same stem
        target = (BOOK / "guide" / href).resolve().with_suffix(".md")
        assert target.is_file(), href


@pytest.mark.parametrize("title, chinese", [
    ("ReLU", "线性整流函数"), ("Tanh", "双曲正切"), ("Leaky ReLU", "带泄露线性整流"),
    ("ELU", "指数线性单元"), ("GLU", "门控线性单元"), ("Softmax", "归一化指数函数"),
])
def test_standard_chinese_terms_are_in_the_row_of_their_activation(title, chinese):
    rows = {str(r[0]): r[1] for r in glossary.names_table().rows}
    assert chinese in rows[title]


def test_cells_are_escaped():
    table = tables.HTMLTable(["English", "中文", "family"],
                             [[tables.Link("a<b", "x.html"), "c&d", "e"]])
    p = _parse(table)
    assert "a<b" in p.cells and "c&d" in p.cells
    assert "<b" not in table._repr_html_().replace("<br", "")


def test_rows_are_alphabetical():
    titles = [str(r[0]).casefold() for r in glossary.names_table().rows]
    assert titles == sorted(titles)


def test_sigmoid_max_slope_is_a_quarter_and_finite_differences_agree():
    assert glossary.max_slope("sigmoid") == sp.Rational(1, 4)
    h = 1e-6
    sig = act.get("sigmoid")
    fd = (sig(np.array([h])) - sig(np.array([-h])))[0] / (2 * h)
    assert fd == pytest.approx(0.25, abs=1e-9)
    grid = np.linspace(-20, 20, 4001)
    assert np.max(sig.derivative(grid)) <= 0.25


def test_tanh_max_slope_is_one():
    assert glossary.max_slope("tanh") == 1


def test_depth_bound_by_hand():
    assert glossary.depth_bound("sigmoid", 10) == sp.Rational(1, 1048576)
    assert glossary.depth_bound("tanh", 50) == 1


def test_chapter_href():
    href = glossary.chapter_href("Leaky-ReLU")
    assert href == "../activations/rectifier/leaky_relu.html"


def _labels():
    found = set()
    for md in BOOK.rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        found |= set(re.findall(r"^\(([\w-]+)\)=\s*$", text, flags=re.M))
        found |= set(re.findall(r"^:label: ([\w-]+)\s*$", text, flags=re.M))
    return found


def _keys():
    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))


@pytest.mark.parametrize("page", PAGES)
def test_every_reference_of_a_guide_page_exists(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    refs = re.findall(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`", text)
    assert refs
    missing = set(refs) - _labels() - PENDING
    assert not missing, missing
    cites = re.findall(r"\{cite:[tp]\}`([^`]+)`", text)
    keys = {k.strip() for c in cites for k in c.split(",")}
    assert not keys - _keys(), keys - _keys()


@pytest.mark.parametrize("page", PAGES)
def test_glue_keys_carry_the_page_label(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    label = re.search(r"^\(([\w-]+)\)=", text, flags=re.M).group(1)
    for key in re.findall(r'glue\("([^"]+)"', text):
        assert key.startswith((label + "_", label + "-")), key
