"""Every registered activation in one sortable, filterable table (the guide page
"Comparison table", label ``comparison``).

The table is computed: properties from :func:`activations.properties.properties`,
frameworks from each activation's ``frameworks`` record, and the cost relative to
ReLU timed on the machine that executes the page. Its HTML carries a small
self-contained script (sorting on a header click, a text filter, a family select),
so the static page needs no server and fetches nothing.
"""

from __future__ import annotations

import html
import itertools
import math
import timeit
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ..properties import properties
from ..registry import Activation, get, names

__all__ = ["ComparisonTable", "builtin", "chapter_url", "costs", "framework_labels",
           "table"]

LABELS = {"pytorch": "PyTorch", "jax": "JAX", "tensorflow": "TF", "keras": "Keras"}
"""Short labels of the frameworks, in the order the table lists them."""

DASH = "—"

COLUMNS = ["activation", "family", "range", "monotonic", "smoothness",
           "zero-centred", "bounded", "saturates", "f(0)", "f′(0)", "cost × ReLU",
           "frameworks"]


def builtin(call: str) -> bool:
    """Whether a registry framework string names a built-in of that framework.

    A string that opens with "no"/"none" ("none built in", "no built-in: ...",
    "no jax.nn function; ...") or that notes "no built-in" (a one-line composition
    such as ``1.7159 * torch.tanh(2 * x / 3)  # no built-in``) does not.

    >>> builtin("torch.nn.functional.relu / torch.nn.ReLU")
    True
    >>> builtin("x * torch.rsqrt(1 + alpha * x**2)  # no built-in")
    False
    """
    text = call.strip().lower()
    return not (text.startswith("no") or "no built-in" in text
                or "none built in" in text)


def framework_labels(activation: str | Activation) -> list[str]:
    """The frameworks with a built-in for the activation, by their short labels.

    >>> framework_labels("relu")
    ['PyTorch', 'JAX', 'TF', 'Keras']
    """
    a = get(activation)
    keys = sorted(a.frameworks, key=lambda k: list(LABELS).index(k)
                  if k in LABELS else len(LABELS))
    return [LABELS.get(k, k) for k in keys if builtin(a.frameworks[k])]


def chapter_url(activation: str | Activation) -> str:
    """The built chapter's URL relative to the guide pages (``book/guide/``).

    >>> chapter_url("relu")
    '../activations/rectifier/relu.html'
    """
    a = get(activation)
    return f"../activations/{a.family}/{a.name}.html"


def _best(fn, repeat: int, number: int) -> float:
    return min(timeit.repeat(fn, repeat=repeat, number=number)) / number


def costs(activations: Iterable[str] | None = None, *, n: int = 10**5,
          vector_shape: tuple[int, int] = (10**4, 8), repeat: int = 3,
          number: int = 2, seed: int = 0) -> dict[str, float]:
    """Run time relative to ReLU, best of ``repeat`` timings of ``number`` calls.

    An elementwise activation is timed on ``value_and_derivative`` of ``n`` float32
    standard normal numbers and divided by ReLU's time on the same call; a vector
    activation on its value ``a(x)`` of a ``vector_shape`` float32 array (the last
    axis is the vector), divided by ReLU's value on the same array.

    >>> costs(["relu", "tanh"], n=1000)["relu"]
    1.0
    """
    rng = np.random.default_rng(seed)
    flat = rng.standard_normal(n).astype(np.float32)
    rows = rng.standard_normal(vector_shape).astype(np.float32)
    relu = get("relu")
    base_flat = _best(lambda: relu.value_and_derivative(flat), repeat, number)
    base_rows = _best(lambda: relu(rows), repeat, number)
    out = {}
    for name in names() if activations is None else activations:
        a = get(name)
        if a.name == "relu":
            out[a.name] = 1.0
        elif a.elementwise:
            out[a.name] = _best(lambda a=a: a.value_and_derivative(flat),
                                repeat, number) / base_flat
        else:
            out[a.name] = _best(lambda a=a: a(rows), repeat, number) / base_rows
    return out


def _num(v: float) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:.4g}".replace("-", "−")


def _cost(c: float) -> str:
    return f"{c:.0f}" if c >= 10 else f"{c:.2g}"


def _yes(b: bool) -> str:
    return "yes" if b else "no"


def _bounded(p) -> str:
    return {(True, True): "both", (True, False): "below", (False, True): "above",
            (False, False): "no"}[(p.bounded_below, p.bounded_above)]


def _cells(a: Activation, p) -> list[tuple[str, str | float]]:
    """(text, sort key) of the property columns, range to f′(0)."""
    rng = (p.range.replace("inf", "∞").replace("-", "−"), p.range_low)
    if a.elementwise:
        sat = {(True, True): "both sides", (True, False): "left",
               (False, True): "right", (False, False): "no"}[
                   (p.saturates_left, p.saturates_right)]
        return [rng, (p.monotonic, p.monotonic), (p.smoothness, p.smoothness),
                (_yes(p.zero_centred), _yes(p.zero_centred)),
                (_bounded(p), _bounded(p)), (sat, sat),
                (_num(p.f0), p.f0), (_num(p.df0), p.df0)]
    f0 = set(p.f0)
    f0_text = (f"{_num(p.f0[0])} each" if len(f0) == 1
               else "(" + ", ".join(_num(v) for v in p.f0) + ")")
    return [rng, (DASH, ""), (p.smoothness, p.smoothness), (DASH, ""),
            (_bounded(p), _bounded(p)), (_yes(p.saturates), _yes(p.saturates)),
            (f0_text, p.f0[0]), (DASH, "")]


@dataclass(frozen=True)
class Row:
    """One activation's row: its name, family and (text, sort key) cells."""

    name: str
    title: str
    family: str
    cells: tuple[tuple[str, str | float], ...]


_ids = itertools.count()

_SCRIPT = """
(function () {
  var box = document.getElementById(%(id)s);
  if (!box) return;
  var table = box.querySelector('table'), body = table.tBodies[0];
  var text = box.querySelector('input'), family = box.querySelector('select');
  var shown = box.querySelector('output');
  function filter() {
    var q = text.value.trim().toLowerCase(), f = family.value, k = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var ok = (!f || r.dataset.family === f) &&
               (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) k += 1;
    });
    shown.textContent = k + ' of ' + body.rows.length + ' shown';
  }
  function key(r, i) {
    var s = r.cells[i].dataset.sort;
    return s === undefined ? r.cells[i].textContent : s;
  }
  function sort(i, th) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (r) {
      var s = key(r, i); return s === '' || !isNaN(Number(s));
    });
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      if (x === '' || y === '') return (x === '') - (y === '');
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    th.querySelector('button').addEventListener('click', function () {
      sort(i, th);
    });
  });
  text.addEventListener('input', filter);
  family.addEventListener('change', filter);
  filter();
})();
"""


def _key(v: str | float) -> str:
    if isinstance(v, str):
        return v
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "1e308" if v > 0 else "-1e308"
    return repr(float(v))


class ComparisonTable:
    """The rows, displayed as an HTML table with a filter box, a family select and
    sortable columns (click a header; again for the reverse order)."""

    def __init__(self, rows: list[Row]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def families(self) -> list[str]:
        return sorted({r.family for r in self.rows})

    def _repr_html_(self) -> str:
        ident = f"comparison-table-{next(_ids)}"
        esc = html.escape
        head = "".join(
            f"<th scope='col'><button type='button' class='comparison-sort' "
            f"style='all: unset; cursor: pointer; font-weight: bold'>{esc(c)}"
            f"</button></th>" for c in COLUMNS)
        body = []
        for r in self.rows:
            first = (f"<th scope='row' data-sort='{esc(r.title)}'><a href="
                     f"'{esc(chapter_url(r.name))}'>{esc(r.title)}</a></th>")
            fam = f"<td>{esc(r.family.replace('_', '-'))}</td>"
            cells = "".join(f"<td data-sort='{esc(_key(k))}'>{esc(t)}</td>"
                            for t, k in r.cells)
            body.append(f"<tr data-family='{esc(r.family)}'>{first}{fam}{cells}</tr>")
        options = "".join(f"<option value='{esc(f)}'>{esc(f.replace('_', '-'))}"
                          "</option>" for f in self.families())
        controls = (
            "<p><label>Filter rows <input type='search' size='24' "
            "placeholder='e.g. tanh, C^∞, Keras'></label> "
            "<label>family <select><option value=''>all</option>"
            f"{options}</select></label> <output>{len(self.rows)} shown</output></p>")
        script = _SCRIPT % {"id": repr(ident)}
        return (f"<div class='comparison-table' id='{ident}'>{controls}"
                f"<div style='overflow-x: auto'><table class='registry-table'>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
                f"</table></div><script>{script}</script></div>")

    def __repr__(self) -> str:
        lines = [" | ".join(COLUMNS)]
        lines += [" | ".join([r.title, r.family, *(t for t, _ in r.cells)])
                  for r in self.rows]
        return "\n".join(lines)


def table(props: Mapping[str, object] | None = None,
          cost: Mapping[str, float] | None = None) -> ComparisonTable:
    """The comparison table of every registered activation.

    ``props`` maps names to :func:`~activations.properties.properties` records and
    ``cost`` to :func:`costs` ratios; what is not given is computed (the properties
    of all activations take several seconds).

    >>> t = table({"relu": properties("relu")}, {"relu": 1.0})
    >>> len(t)
    1
    """
    props = dict(props) if props is not None else {n: properties(n) for n in names()}
    cost = dict(cost) if cost is not None else costs(props)
    rows = []
    for name, p in props.items():
        a = get(name)
        c = cost.get(a.name)
        fw = framework_labels(a)
        cells = (*_cells(a, p),
                 (DASH, "") if c is None else (_cost(c), c),
                 (", ".join(fw) or DASH, len(fw)))
        rows.append(Row(a.name, a.title, a.family, cells))
    rows.sort(key=lambda r: (r.family, r.title))
    return ComparisonTable(rows)
