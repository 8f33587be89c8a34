"""What every activation chapter holds, read from its source (CONTRIBUTING.md, "A
chapter"): links to at least three other pages and from at least one, a Derivation
that displays the derivative and derives it with SymPy in view, the kernel that the
Verification checks shown in the page, at least three exercises of which one asks
for an implementation."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

import activations as act

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"


@cache
def _pages() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in BOOK.rglob("*.md")}


@cache
def _label_pages() -> dict[str, Path]:
    return {m.group(1): p for p, t in _pages().items()
            for m in re.finditer(r"^\(([^)\s]+)\)=\s*$", t, re.M)}


def _linked_pages(text: str) -> set[Path]:
    """The pages the ``{ref}`` roles of ``text`` point to."""
    out = set()
    for m in re.finditer(r"\{ref\}`([^`]*)`", text):
        target = re.search(r"<([^>]+)>\s*$", m.group(1))
        label = target.group(1) if target else m.group(1).strip()
        if label in _label_pages():
            out.add(_label_pages()[label])
    return out


def _chapter(name: str) -> tuple[Path, str]:
    a = act.get(name)
    path = BOOK / "activations" / a.family / f"{a.name}.md"
    return path, _pages()[path]


def _section(text: str, title: str) -> str:
    m = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


@pytest.mark.parametrize("name", act.names())
def test_chapter_links_three_other_pages_and_is_linked(name):
    path, text = _chapter(name)
    assert len(_linked_pages(text) - {path}) >= 3
    assert any(path in _linked_pages(t) for p, t in _pages().items() if p != path)


@pytest.mark.parametrize("name", act.names())
def test_derivation_displays_the_derivative_and_calls_sympy(name):
    derivation = _section(_chapter(name)[1], "Derivation")
    assert "$$" in derivation
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", derivation, re.S)
    assert any(re.search(r"\bsp\.(diff|simplify|limit|piecewise_fold)\(|\.jacobian\(",
                         c) for c in cells)


@pytest.mark.parametrize("name", act.names())
def test_the_verified_kernel_is_shown(name):
    text = _chapter(name)[1]
    shown = re.findall(r"```\{literalinclude\} (\S+)\n:pyobject: (\S+)", text)
    assert shown
    for source, obj in shown:
        path = (BOOK / "activations" / act.get(name).family / source).resolve()
        assert re.search(rf"^def {re.escape(obj)}\(", path.read_text(encoding="utf-8"),
                         re.M), f"{obj} not in {path}"


@pytest.mark.parametrize("name", act.names())
def test_three_exercises_one_of_them_an_implementation(name):
    exercises = re.findall(r"```\{exercise\}(.*?)```", _chapter(name)[1], re.S)
    assert len(exercises) >= 3
    assert any(re.search(r"NumPy", e) for e in exercises)
