"""The experiment pages state no computed number by hand.

Every number in the prose of the four experiment pages (book/gradients/) that
restates a result of the page's computation must be glued (``{glue:text}``), so
that it cannot drift from what the page computes. This test reads the Markdown
prose, outside code cells, math, roles (glue, ref, cite, eq), inline code,
directive option lines and labels, and fails on any number there that is not in
the page's allow-list of settings and definitions below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book" / "gradients"

# 0 and 1 may stand anywhere: limits, slopes, the fixed point (0, 1), "tends to 1".
ANYWHERE = {"0", "1"}

# Every other typed number must lie inside one of its page's phrases: settings the
# page chooses and constants of its mathematics, never results. A phrase allows
# its numbers only where the phrase itself occurs, so "depth 50" (a setting) does
# not allow a "50%" or a "depth 20" that a result would need.
ALLOWED: dict[str, list[str]] = {
    "vanishing.md": [
        "10 to 50 layers", "depth 10, 20, 30, 40 or 50",  # the depths
        "width 64", "widths 16 and 64", "width 16", "64 inputs",  # the widths
        "batch of 60 points",  # the batch
        "49 steps from layer 50 down to layer", "50-layer", "49th root",
        "over 49 layers", "49 random",  # 49 steps in a 50-layer network
        "a factor of 4 or more", "by more than 4",  # the slope bound 1/4
        "close to 2, not",  # the norm of a square random matrix, a known limit
    ],
    "dead_relu.md": [
        "three hidden layers of 32 units on 300 points", "mini-batches of 32",
        "30 epochs", "epoch 30",  # the training set-up
        "(0.05, 0.3 and", "learning rate 1", "learning rate 0.3",
        "learning rates 0.05 and 0.3", "(0.05 is", "learning rate of 0.3",  # rates
        "slope 0.01", "above 0.01", "slope of 0.1",  # Leaky ReLU slopes
        "draws 2000", "depth up to 50", "at depth 50",  # the born-dead simulation
        "width 2", "width 5", "width 10",  # its widths
        "more than 99%",  # the threshold called "almost surely"
        "5 coordinates",  # an exercise's input
    ],
    "selu.md": [
        "through 50 layers", "width 256 and depth 50", "batch of 500",  # set-up
        "layer 50", "50-layer", "over 50 layers",
        "40 significant digits", "32-digit", "32 significant digits",  # precision
        "within 10%",  # the tolerance called "settled"
        "(0.25)", "(4)",  # two of the starting variances
        "factor 2",  # He's weight variance over LeCun's
    ],
    "circles.md": [
        "400 points: 200 on the unit circle and 200",  # the data
        "deviation 0.1", "learning rate 0.03", "seed 0",  # the set-up
        "after 30, 100 and 300 epochs", "after 300 epochs", "300 epochs",
        "30 epochs", "between 30 and 300 epochs",  # the checkpoints
        "layer of 1 to 32 units, and 1 to 6 hidden layers of 8 units",
        "1 to 32 units, then 6 layers of 8",  # the architectures
        "width-2 row", "width 3", "width-3", "the 3 units", "the 4 are",
        "width 8", "layers of 8 units", "layer of 8 units", "depth 6", "6-layer",
        "3 units with seeds 0 to 5", "the 6 seeds",  # architectures named
        "90%",  # the threshold called "solved"
        "8, 16, 32 and 8", "Keras 3", "learning rate 0.001", "mini-batches of 32",
        "50 epochs", "500 points", "30 full-batch epochs",  # the Keras-style set-up
        "30 times smaller",  # 0.03 / 0.001, the two set-ups' learning rates
    ],
}
# Inline math that is only a number (such as $0.97$) is checked too, against:
ALLOWED_MATH: dict[str, set[str]] = {
    "vanishing.md": set(),
    "dead_relu.md": {"-10", "-1", "10^5"},  # the killing biases; an exercise's size
    "selu.md": {"5 \\times 10^{-32}"},  # half a unit of the 32nd digit
    "circles.md": {"-0.17", "-0.75"},  # GELU's minimum and where it lies
}

_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_CODE = re.compile(r"`[^`\n]*`")
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
_INLINE_MATH = re.compile(r"\$[^$\n]+\$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?")
# inline math that is nothing but a number, like $0.97$ or $10^{-31}$: a result
# typed as math to hide it from the number check
_NUMERIC_MATH = re.compile(
    r"\$(?=[^$]*\d)\s*-?(?:[\d.]+)?\s*(?:\\times\s*)?(?:10\^\{?-?\d+\}?)?\s*\$")


def prose(text: str) -> list[str]:
    """The page's prose, line by line (line numbers kept), everything else blanked.

    >>> prose("A $1.5$ b `2` {glue:text}`k:.0%` 3\\n```{code-cell} ipython3\\n4\\n```")
    ['A   b     3', '', '', '']
    """
    lines = text.split("\n")
    if lines and lines[0] == "---":  # front matter
        end = lines.index("---", 1)
        lines = [""] * (end + 1) + lines[end + 1:]
    out: list[str] = []
    fence = None
    for line in lines:
        s = line.strip()
        if fence is not None:
            out.append("")
            if s == fence:
                fence = None
            continue
        opening = re.match(r"^(`{3,})\{code-cell\}", s)
        if opening:
            fence = opening.group(1)
            out.append("")
            continue
        if (s.startswith("```") or re.match(r"^:[\w-]+:", s)
                or re.match(r"^\([\w-]+\)=$", s)):
            out.append("")  # directive fences, option lines, labels
            continue
        out.append(re.sub(r"^(\s*)\d+\.\s", r"\1", line))  # list numbering
    joined = "\n".join(out)
    joined = _DISPLAY_MATH.sub(lambda m: "\n" * m.group().count("\n"), joined)
    joined = _ROLE.sub(" ", joined)
    joined = _CODE.sub(" ", joined)
    joined = _INLINE_MATH.sub(" ", joined)
    return joined.split("\n")


def typed_numbers(text: str, phrases: list[str], math: set[str] = frozenset()
                  ) -> list[str]:
    """Numbers in the prose that are not allowed, as ``line: number | context``.

    >>> typed_numbers("Width 64 gives 93% accuracy at width 64.", ["width 64"])
    ['1: 64 | Width 64 gives 93% accuracy at width 64.', \
'1: 93% | Width 64 gives 93% accuracy at width 64.']
    >>> typed_numbers("It is $0.97$ per layer.", [])
    ['1: $0.97$ (a number in math) | It is $0.97$ per layer.']
    """
    found = []
    raw = text.split("\n")
    for i, line in enumerate(prose(text)):
        covered = [m.span() for phrase in phrases
                   for m in re.finditer(re.escape(phrase), line)]
        for m in _NUMBER.finditer(line):
            if m.group() in ANYWHERE or any(a <= m.start() and m.end() <= b
                                            for a, b in covered):
                continue
            found.append(f"{i + 1}: {m.group()} | {raw[i].strip()[:160]}")
    in_code = _code_lines(text)
    for i, line in enumerate(raw):
        if i in in_code:
            continue
        for m in _NUMERIC_MATH.finditer(line):
            if m.group().strip("$ ") not in math | ANYWHERE:
                found.append(f"{i + 1}: {m.group()} (a number in math) | "
                             f"{line.strip()[:160]}")
    return found


def _code_lines(text: str) -> set[int]:
    """Indices of the lines inside code cells, fences included."""
    inside, fence = set(), None
    for i, line in enumerate(text.split("\n")):
        s = line.strip()
        if fence is None:
            opening = re.match(r"^(`{3,})\{code-cell\}", s)
            if opening:
                fence = opening.group(1)
                inside.add(i)
        else:
            inside.add(i)
            if s == fence:
                fence = None
    return inside


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_no_typed_results(page: str) -> None:
    text = (BOOK / page).read_text(encoding="utf-8")
    found = typed_numbers(text, ALLOWED[page], ALLOWED_MATH[page])
    assert not found, (f"{page}: numbers typed in the prose (glue them, or add a "
                       "setting to ALLOWED with a comment):\n" + "\n".join(found))


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_glue_keys_carry_the_page_label(page: str) -> None:
    text = (BOOK / page).read_text(encoding="utf-8")
    label = re.search(r"^\(([\w-]+)\)=$", text, re.M).group(1)
    keys = set(re.findall(r"\{glue:text\}`([^`:]+)", text))
    assert keys, page
    assert all(k.startswith(label + "-") for k in keys), sorted(
        k for k in keys if not k.startswith(label + "-"))


def test_the_check_sees_what_it_should() -> None:
    page = "\n".join([
        "---", "title: 3", "---", "(label-7)=", "# Title",
        "Accuracy 93% at width 64 (64 units); slope $0.25$ and {glue:text}`k:.2f`.",
        ":label: x-9",
        "```{code-cell} ipython3", "print(12345)", "```",
        "$$", "x = 42", "$$", "1. First, see {ref}`fig-3` and `np.ones(8)`.",
        "It lost $10^{-31}$ of it; $x_2 = 1$ is math.",
    ])
    found = [f.split(" | ")[0] for f in typed_numbers(page, ["width 64"])]
    assert found == ["6: 93%", "6: 64", "6: $0.25$ (a number in math)",
                     "15: $10^{-31}$ (a number in math)"]


def test_a_typed_result_next_to_allowed_settings_is_caught() -> None:
    # the sentence dead_relu.md had before its depths were glued: "width 2" is a
    # setting, the depths 5 and 20 are read off the simulation
    old = ("A network of width 2 is born dead more often than not from depth 5 on, "
           "and almost surely from depth 20; at width 5 ...")
    found = typed_numbers(old, ALLOWED["dead_relu.md"])
    assert [f.split(" | ")[0] for f in found] == ["1: 5", "1: 20"]
