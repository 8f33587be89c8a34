"""The reading paths of the "Start here" page: a course of eight weeks, a
practitioner's hour and reference use, as data the page renders and the tests check
against the table of contents (every page named exists; every activation chapter is
read in some week or listed for reference).

Pages are named by their path under ``book/`` without the suffix, as in ``_toc.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import all_activations, get
from ..tables import HTMLTable, Link

__all__ = ["WEEKS", "HOUR", "REFERENCE", "Week", "chapter", "course_table",
           "hour_table", "TITLES", "link", "pages", "reference_table",
           "unscheduled"]


def chapter(name: str) -> str:
    """The page of an activation chapter.

    >>> chapter("relu")
    'activations/rectifier/relu'
    """
    a = get(name)
    return f"activations/{a.family}/{a.name}"


@dataclass(frozen=True)
class Week:
    """One week of the course: its theme, the pages to read, the experiment pages to
    run, and what to hand in (the exercises of the pages read, plus a task)."""

    theme: str
    read: tuple[str, ...]
    run: tuple[str, ...]
    task: str


WEEKS: tuple[Week, ...] = (
    Week("Why activations; the first functions",
         ("start_here", "foundations/nonlinearity", chapter("identity"),
          chapter("step"), chapter("sign"), chapter("threshold")),
         (),
         "the exercises of the nonlinearity page; show with SymPy that three "
         "stacked linear layers are one"),
    Week("Derivatives and backpropagation; the sigmoid and tanh",
         ("foundations/backprop", chapter("sigmoid"), chapter("tanh"),
          chapter("hard_sigmoid"), chapter("hard_tanh")),
         (),
         "write a reverse-mode pass for a 2-3-1 network and check it with "
         "finite differences"),
    Week("Floating point; computing a function well",
         ("foundations/floating_point", chapter("softplus"),
          chapter("log_sigmoid"), chapter("normal_cdf"), "appendix/erf"),
         (),
         "a stable log-sum-exp, tested against mpmath"),
    Week("Rectifiers and dead units",
         (chapter("relu"), chapter("leaky_relu"), chapter("prelu"), chapter("rrelu"),
          chapter("relu6")),
         ("gradients/dead_relu",),
         "reproduce one figure of the dead-ReLU page with another seed and "
         "explain what changed"),
    Week("Depth: initialisation and vanishing gradients",
         ("foundations/initialisation", chapter("elu"), chapter("selu"),
          chapter("celu")),
         ("gradients/vanishing", "gradients/selu"),
         "derive He initialisation for Leaky ReLU with slope a"),
    Week("Smooth gates: GELU, SiLU, Mish",
         (chapter("gelu"), chapter("gelu_tanh"), chapter("silu"), chapter("mish"),
          chapter("hard_swish")),
         ("gradients/circles",),
         "compare three activations on the circles data set and report "
         "accuracy and loss over epochs"),
    Week("Outputs, probabilities and gates",
         ("foundations/output_layers", chapter("softmax"), chapter("log_softmax"),
          chapter("sparsemax"), chapter("glu"), chapter("swiglu")),
         (),
         "derive the gradient p - y of softmax with cross-entropy by hand, then "
         "check it with SymPy"),
    Week("Choosing and comparing",
         ("guide/choosing", "guide/comparison", "guide/formulas_checked"),
         (),
         "pick a network you use and argue for its activations with the "
         "book's pages and experiments"),
)
"""The course: about three to five hours a week, each week's pages in order."""

HOUR: tuple[tuple[str, str, int], ...] = (
    ("guide/choosing", "which activation for which layer, and why", 15),
    ("guide/comparison", "every activation side by side", 5),
    (chapter("relu"), "the default, and its failure", 10),
    (chapter("gelu"), "the transformer's activation, exact and tanh forms", 10),
    (chapter("swiglu"), "the gated unit of current language models", 5),
    ("gradients/dead_relu", "dead units, measured", 10),
    ("gradients/vanishing", "vanishing gradients, measured", 5),
)
"""A practitioner's hour: (page, why, minutes)."""

REFERENCE: tuple[tuple[str, str], ...] = (
    ("guide/comparison", "properties and cost of every activation in one table"),
    ("guide/glossary", "English and Chinese terms"),
    ("guide/notation", "the symbols the book uses"),
    ("guide/formulas_checked", "formulas as they circulate, checked"),
    ("appendix/framework_accuracy", "how accurate the frameworks are"),
    ("appendix/running_locally", "the pages as notebooks on your machine"),
)
"""Reference use: (page, what it answers). Every chapter answers by name too."""


def link(page: str, text: str, here: str = "start_here") -> Link:
    """A link from the page ``here`` to ``page``, both paths under ``book/``.

    >>> link("activations/rectifier/relu", "ReLU").href
    'activations/rectifier/relu.html'
    >>> link("guide/choosing", "Choosing", here="foundations/backprop").href
    '../guide/choosing.html'
    """
    depth = here.count("/")
    return Link(text, "../" * depth + page + ".html")


def pages() -> list[str]:
    """Every page the reading paths name, in order of first mention."""
    named = [p for w in WEEKS for p in (*w.read, *w.run)]
    named += [p for p, _, _ in HOUR] + [p for p, _ in REFERENCE]
    return list(dict.fromkeys(named))


TITLES: dict[str, str] = {
    "start_here": "Start here",
    "foundations/nonlinearity": "Why nonlinearity",
    "foundations/backprop": "Derivatives and backpropagation",
    "foundations/floating_point": "Floating point and numerical stability",
    "foundations/output_layers": "Output layers and losses",
    "foundations/initialisation": "Initialisation and symmetry breaking",
    "guide/choosing": "Choosing an activation",
    "guide/comparison": "Comparison table",
    "guide/formulas_checked": "Formulas as they circulate, checked",
    "guide/glossary": "Glossary (English / 中文)",
    "guide/notation": "Notation",
    "gradients/vanishing": "Vanishing and exploding gradients",
    "gradients/dead_relu": "Dead ReLUs",
    "gradients/selu": "Self-normalisation (SELU)",
    "gradients/circles": "Activations in action: concentric circles",
    "appendix/erf": "How erf is computed",
    "appendix/framework_accuracy": "How accurate are the frameworks?",
    "appendix/running_locally": "Running locally",
}
"""The title of every page the paths name that is not an activation chapter (the
tests check each against the page's heading)."""


def _title(page: str) -> str:
    if page.startswith("activations/"):
        return get(page.rsplit("/", 1)[-1]).title
    return TITLES[page]


def course_table() -> HTMLTable:
    """The eight weeks as a table: week, theme, pages to read, experiments, task."""
    rows = []
    for i, w in enumerate(WEEKS, 1):
        rows.append([str(i), w.theme,
                     [link(p, _title(p)) for p in w.read],
                     [link(p, _title(p)) for p in w.run] or "—",
                     w.task])
    return HTMLTable(["week", "theme", "read", "run", "hand in"], rows)


def hour_table() -> HTMLTable:
    """The practitioner's hour: minutes, page, why."""
    return HTMLTable(["minutes", "page", "why"],
                     [[str(m), link(p, _title(p)), why] for p, why, m in HOUR])


def reference_table() -> HTMLTable:
    """Reference use: page, what it answers."""
    return HTMLTable(["page", "answers"],
                     [[link(p, _title(p)), what] for p, what in REFERENCE])


def unscheduled() -> list[str]:
    """The activations whose chapter no week reads: the reference part of the
    catalogue, read by name when needed.

    >>> "relu" in unscheduled()
    False
    """
    read = {p for w in WEEKS for p in w.read}
    return sorted(a.name for a in all_activations()
                  if f"activations/{a.family}/{a.name}" not in read)
