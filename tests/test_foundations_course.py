"""The reading paths of the "Start here" page (activations.foundations.course)."""

from pathlib import Path

from conftest import toc_pages

import activations as act
from activations.foundations import course

ROOT = Path(__file__).resolve().parents[1]


def _toc_pages() -> set[str]:
    return {p.removeprefix("book/") for p in toc_pages()}


def test_every_page_the_paths_name_is_in_the_table_of_contents():
    missing = [p for p in course.pages() if p not in _toc_pages()]
    assert not missing


def test_titles_are_the_pages_headings():
    for page, title in course.TITLES.items():
        text = (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
        heading = next(line[2:].strip() for line in text.splitlines()
                       if line.startswith("# "))
        assert heading == title, page


def test_no_chapter_is_read_twice_and_the_classics_are_read():
    read = [p for w in course.WEEKS for p in w.read]
    assert len(read) == len(set(read))
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu",
                 "silu", "softmax", "swiglu"):
        assert course.chapter(name) in read


def test_unscheduled_chapters_and_scheduled_ones_make_the_catalogue():
    read = {p for w in course.WEEKS for p in w.read}
    scheduled = {n for n in act.names() if course.chapter(n) in read}
    assert scheduled.isdisjoint(course.unscheduled())
    assert scheduled | set(course.unscheduled()) == set(act.names())


def test_links_are_relative_to_the_start_page():
    html = course.course_table()._repr_html_()
    assert "<a href='activations/rectifier/relu.html'>ReLU</a>" in html
    assert html.count("<tr>") == len(course.WEEKS) + 1
