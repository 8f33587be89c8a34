"""The activation chapters state no computed number by hand.

A number in a chapter's prose that restates a result of a computation (a minimum,
a crossing point, an error, a count of correct digits, a value a framework
returns) must be glued from the cell that computes it (``{glue:text}``), so that
text and output cannot disagree. CONTRIBUTING.md ("Numbers in the prose") states
the rule.

The check reads the prose as ``test_experiment_prose`` does (code cells, display
math, roles, inline code and directive options blanked) and allows, without a
list:

* 0 and 1, and years (1900-2099: the citations);
* a number that also occurs in the page's code cells or its display math: the
  formula's constants, the parameters' defaults and the inputs the page evaluates
  at are written there, and a result is not.

Every other number, and every inline math that is only a number, must lie inside
one of the chapter's allowed phrases below, each a definition, a setting or a
published constant, never a result. An entry beginning with ``$`` allows that
inline math exactly (such as ``$-1$``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from test_experiment_prose import _NUMBER, typed_numbers

BOOK = Path(__file__).resolve().parents[1] / "book" / "activations"
_YEAR = re.compile(r"(19|20)\d\d")

SIGMOIDAL_LINEAR_SHRINKAGE: dict[str, list[str]] = {
    "sigmoidal/arctan.md": [],
    "sigmoidal/bipolar_sigmoid.md": [],
    "sigmoidal/hard_sigmoid.md": [],
    "sigmoidal/hard_tanh.md": [],
    "sigmoidal/isru.md": [],
    "sigmoidal/lecun_tanh.md": [],
    "sigmoidal/log_log.md": [],
    "sigmoidal/normal_cdf.md": [],
    "sigmoidal/penalized_tanh.md": [],
    "sigmoidal/sigmoid.md": [],
    "sigmoidal/softsign.md": [],
    "sigmoidal/sparse_sigmoid.md": [],
    "sigmoidal/tanh.md": [],
    "linear/exponential.md": [],
    "linear/identity.md": [],
    "linear/sign.md": [],
    "linear/step.md": [],
    "linear/threshold.md": [],
    "shrinkage/hardshrink.md": [],
    "shrinkage/softshrink.md": [],
    "shrinkage/tanhshrink.md": [],
}


RECTIFIER_EXPONENTIAL_PERIODIC_SEARCHED: dict[str, list[str]] = {
    "rectifier/absolute.md": [],
    "rectifier/leaky_relu.md": [],
    "rectifier/prelu.md": [],
    "rectifier/relu.md": [],
    "rectifier/relu6.md": [],
    "rectifier/rrelu.md": [],
    "rectifier/squared_relu.md": [],
    "rectifier/srelu.md": [],
    "exponential/celu.md": [],
    "exponential/elu.md": [],
    "exponential/isrlu.md": [],
    "exponential/selu.md": [],
    "periodic/cos.md": [],
    "periodic/gaussian.md": [],
    "periodic/sin.md": [],
    "periodic/sinc.md": [],
    "periodic/snake.md": [],
    "searched/cosper.md": [],
    "searched/cube.md": [],
    "searched/maxsig.md": [],
    "searched/maxtanh.md": [],
    "searched/minsin.md": [],
}


SELF_GATED_SOFT_RECTIFIER_VECTOR: dict[str, list[str]] = {
    "self_gated/gelu.md": [
        "Keras 3",
        "$-0.75$",  # the starting guess of nsolve
        "$-1$",  # the value erf approaches
        "$1.1 \\times 10^{-16}$",  # the float64 spacing near 1
        "$-10$",  # an input the page evaluates at
        "$10^{-12}$",  # the exercise's tolerance
    ],
    "self_gated/gelu_tanh.md": [
        "60-digit",  # the reference precision
        "$0.044715$",  # the published constant
        "$0.0445$", "$0.0449$",  # the range scanned
        "$1.702$",  # the published sigmoid constant
        "$-1$",  # the value tanh rounds to
        "$10^{-16}$",  # the float64 spacing near 1
        "$10^{-12}$",  # the exercise's tolerance
    ],
    "self_gated/hard_swish.md": [
        "$-3$", "$3$",  # the breakpoints of the definition
        "$10^{-9}$",  # how close the test grid comes to the kinks
    ],
    "self_gated/mish.md": [
        "$-20$", "$-40$", "$-10$",  # inputs of the table
    ],
    "self_gated/silu.md": [
        "$-95$",  # an input of the table
    ],
    "soft_rectifier/bent_identity.md": [
        "some 400 activation functions",  # the size of the cited survey
        "$10^{-16}$",  # the square of the input 10^-8
        "$10^{-8}$",  # the exercise's smallest input
    ],
    "soft_rectifier/log_sigmoid.md": [
        "$1.1 \\times 10^{-16}$",  # half the float64 spacing below 1
        "$-800$", "$800$",  # the exercise's range
    ],
    "soft_rectifier/softplus.md": [
        "$20$",  # PyTorch's default threshold
        "threshold such as 40",  # a suggested setting
        "$1.1 \\times 10^{-16}$",  # half the float64 spacing near 1
        "$10^{-3}$",  # the exercise's tolerance
        "$2$",  # an input the exercise reads the slope at
    ],
    "soft_rectifier/sparse_plus.md": [
        "$-1$",  # a breakpoint of the definition
        "$10^{-9}$",  # how close the test grid comes to the breakpoints
    ],
    "soft_rectifier/squareplus.md": [
        "$-10^{6}$", "$-10^{8}$",  # inputs of the table
        "$3 \\times 10^{19}$",  # an input of the table
        "$10^{-6}$",  # an example of a small scale
        "$10^{-12}$",  # the exercise's tolerance
    ],
    "vector/geglu.md": [],
    "vector/glu.md": [
        "WikiText-103",  # a benchmark's name
        "Keras 3",
    ],
    "vector/log_softmax.md": [],
    "vector/maxout.md": [
        "CIFAR-10", "CIFAR-100",  # benchmarks' names
        "$-1$",  # a corner of the exercise's pieces
    ],
    "vector/reglu.md": [],
    "vector/softmax.md": [
        "spread of about 80",  # how the test vectors are drawn
        "agree to 25 digits",  # the reference's stopping rule
        "$10^{-300}$",  # the case the reference must resolve
        "$-1$",  # the limit of s_y - 1
        "$-2$", "$4$",  # the exercise's sweep
    ],
    "vector/softmin.md": [],
    "vector/sparsemax.md": [
        "issue 23425", "after 3.15.1", "request 23469",  # the bug report, the version and the fix
    ],
    "vector/swiglu.md": [],
}

ALLOWED = {**SIGMOIDAL_LINEAR_SHRINKAGE, **RECTIFIER_EXPONENTIAL_PERIODIC_SEARCHED,
           **SELF_GATED_SOFT_RECTIFIER_VECTOR}


def constants(text: str) -> set[str]:
    """The numbers written in the page's code cells and display math.

    >>> sorted(constants("```{code-cell} ipython3\\nx = 1.702\\n```\\n$$ 0.5x $$ and 7"))
    ['0.5', '1.702']
    """
    found: set[str] = set()
    for pattern in (r"```\{code-cell\}.*?```", r"\$\$.*?\$\$"):
        for m in re.finditer(pattern, text, re.S):
            found |= set(_NUMBER.findall(m.group()))
    return found


def unexplained(text: str, allowed: list[str]) -> list[str]:
    """Typed numbers of the prose that neither the page's code nor the list explains.

    >>> page = "```{code-cell} ipython3\\nf(-3)\\n```\\nAt -3 it is 0.0474, since 2016."
    >>> [f.split(" | ")[0] for f in unexplained(page, [])]
    ['4: 0.0474']
    >>> unexplained(page, ["it is 0.0474"])
    []
    """
    phrases = [a for a in allowed if not a.startswith("$")]
    math = {a.strip("$") for a in allowed if a.startswith("$")}
    known = constants(text)
    out = []
    for finding in typed_numbers(text, phrases, math):
        number = finding.split(": ", 1)[1].split(" ", 1)[0]
        if "(a number in math)" in finding or not (number in known
                                                   or _YEAR.fullmatch(number)):
            out.append(finding)
    return out


@pytest.mark.parametrize("chapter", sorted(ALLOWED))
def test_no_typed_results(chapter: str) -> None:
    text = (BOOK / chapter).read_text(encoding="utf-8")
    found = unexplained(text, ALLOWED[chapter])
    assert not found, (f"{chapter}: numbers typed in the prose (glue them from the "
                       "cell that computes them, or, for a definition or a setting, "
                       "add the phrase to ALLOWED):\n" + "\n".join(found))


def test_every_chapter_is_checked() -> None:
    chapters = {p.relative_to(BOOK).as_posix() for p in BOOK.rglob("*.md")}
    assert chapters == set(ALLOWED)


def test_a_typed_minimum_is_caught() -> None:
    # gelu.md before its minimum was glued
    old = ("- **Range.** GELU is bounded below by its minimum, about $-0.17$, "
           "reached at $x \\approx -0.75$, and unbounded above.")
    assert [f.split(" | ")[0] for f in unexplained(old, [])] == [
        "1: $-0.17$ (a number in math)"]


if __name__ == "__main__":  # list what a chapter still types: python tests/test_chapter_prose.py rectifier/relu.md
    for chapter in sys.argv[1:] or sorted(ALLOWED):
        found = unexplained((BOOK / chapter).read_text(encoding="utf-8"),
                            ALLOWED.get(chapter, []))
        print(f"{chapter}: {len(found)}")
        for f in found:
            print("   ", f[:220])
