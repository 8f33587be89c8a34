"""Small tables a page displays, read from the registry and from measurements."""

from __future__ import annotations

import functools
import html
import json
import math
import re
import warnings
from importlib import resources
from typing import NamedTuple

from .registry import Activation, all_activations, get

__all__ = ["HTMLTable", "Link", "Math", "catalogue", "claimed_kink_value",
           "framework_accuracy",
           "framework_accuracy_summary", "framework_data", "framework_facts",
           "framework_failures", "framework_vector_accuracy", "frameworks",
           "dotted_names",
           "kink_disagreements"]

_FRAMEWORK_NAMES = {
    "pytorch": "PyTorch", "jax": "JAX", "tensorflow": "TensorFlow", "keras": "Keras"
}
_MEASURED = ("pytorch", "jax", "keras", "tensorflow")


class Link(NamedTuple):
    """A table cell that links to another page of the book: ``href`` relative to the
    page showing the table.

    >>> str(Link("ReLU", "../activations/rectifier/relu.html"))
    'ReLU'
    """

    text: str
    href: str

    def __str__(self) -> str:
        return self.text


class Math(NamedTuple):
    """A table cell of inline LaTeX, typeset by MathJax on the page.

    >>> print(Math(r"\\sigma(x)"))
    \\sigma(x)
    """

    latex: str

    def __str__(self) -> str:
        return self.latex


def _cell(c: str | Link | Math | list) -> str:
    if isinstance(c, list):  # several entries, one per line
        return "<br>".join(_cell(e) for e in c)
    if isinstance(c, Math):
        return (f"<span class='math notranslate nohighlight'>\\("
                f"{html.escape(c.latex, quote=False)}\\)</span>")
    if isinstance(c, Link):
        return f"<a href='{html.escape(c.href)}'>{html.escape(c.text)}</a>"
    return html.escape(c)


class HTMLTable:
    """Rows of strings (or :class:`Link` cells, or lists of them shown one per line)
    that display as an HTML table in a notebook.

    >>> t = HTMLTable(["x", "relu(x)"], [["-1", "0"], ["2", "2"]], caption="ReLU")
    >>> print(repr(t))
    ReLU
    x | relu(x)
    -1 | 0
    2 | 2
    >>> t._repr_html_().startswith("<table class='registry-table'><caption>ReLU")
    True
    >>> t = HTMLTable(["name", "page"], [["ReLU", Link("relu", "relu.html")]])
    >>> t._repr_html_().count("<a href='relu.html'>relu</a>")
    1
    """

    def __init__(self, header: list[str], rows: list[list[str | Link | Math]],
                 caption: str = ""):
        self.header, self.rows, self.caption = header, rows, caption

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>"
            for row in self.rows
        )
        cap = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f"<table class='registry-table'>{cap}<tr>{head}</tr>{body}</table>"

    def __repr__(self) -> str:
        lines = [" | ".join(", ".join(map(str, c)) if isinstance(c, list) else str(c)
                            for c in r) for r in [self.header, *self.rows]]
        return "\n".join([self.caption, *lines] if self.caption else lines)


# --- what the frameworks were measured to return ------------------------------------


@functools.cache
def framework_data() -> dict:
    """The measurements of ``benchmarks/frameworks.py`` (``make frameworks``): the
    versions, date and machine, and per activation and framework the worst errors
    against mpmath and the value and derivative returned at every kink.

    >>> relu = framework_data()["activations"]["relu"]["pytorch"]
    >>> relu["call"], relu["kinks"][0]["at"], relu["kinks"][0]["float64"]["derivative"]
    ('F.relu(x)', 0.0, 0.0)
    """
    text = resources.files("activations").joinpath("data/frameworks.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def _versions(data: dict) -> str:
    v = data.get("versions", {})
    parts = [f"{_FRAMEWORK_NAMES[k]} {v[k]}" for k in _MEASURED if k in v]
    return ", ".join(parts)


def _kink_record(data: dict, name: str, framework: str, at: float) -> dict | None:
    rec = data.get("activations", {}).get(name, {}).get(framework)
    if not rec or "kinks" not in rec:
        return None
    for k in rec["kinks"]:
        if k["at"] == at:
            return k
    return None


_BACKEND_LABELS = {"jax": "JAX", "torch": "PyTorch", "tensorflow": "TF"}


def claimed_kink_value(claim: str, activation: str | Activation,
                       backend: str = "jax") -> tuple[float | str, float] | None:
    """The number a registry ``Kink.frameworks`` string says a framework returns.

    Returns ``(value, tolerance)``, ``("error", 0)`` for a claim that the
    framework raises, or ``None`` for a claim that names no value ("no built-in",
    "the backend's"). A leading number or expression in the activation's parameter
    names counts ("0 (sgn(0))", "alpha", "(lower + upper)/2 in eval", "lambda *
    alpha" for SELU's constants); so does "... gives X"; "≈ 0.612" is read to the
    digits given; of "the backend's: ... 1 (JAX) ..." the part for ``backend``.

    >>> claimed_kink_value("negative_slope", "leaky_relu")  # its default, 0.01
    (0.01, 1e-14)
    >>> claimed_kink_value("error: no derivative", "step")
    ('error', 0.0)
    >>> claimed_kink_value("the backend's (1 on JAX, 0 on PyTorch)", "hard_tanh")
    (1.0, 1e-12)
    """
    a = get(activation)
    s = claim.strip()
    if s.lower().startswith("error"):
        return "error", 0.0
    if s.startswith("the backend's"):
        lab = _BACKEND_LABELS.get(backend, backend)
        m = (re.search(rf"([-\w/.*]+) \((?:[\w ]*, )*{lab}\b", s)
             or re.search(rf"([-\w/.*]+) on {lab}\b", s))
        if not m:
            return None
        s = m.group(1)
    if "≈" in s:
        num = re.search(r"≈\s*(-?\d+(?:\.(\d+))?)", s)
        if num:
            decimals = len(num.group(2) or "")
            return float(num.group(1)), 0.5 * 10.0 ** -decimals
    names = dict(a.bind({}))
    if a.name == "selu":
        from .exponential import SELU_ALPHA, SELU_LAMBDA

        names.update(lambda_=float(SELU_LAMBDA), alpha=float(SELU_ALPHA))
    for text in (s, *re.findall(r"\bgives (.+)$", s)):
        tokens = re.sub(r"\blambda\b", "lambda_", text).split()
        for n in range(len(tokens), 0, -1):
            try:
                with warnings.catch_warnings():  # "0 (sgn(0))" is a call of 0
                    warnings.simplefilter("ignore", SyntaxWarning)
                    v = eval(" ".join(tokens[:n]), {"__builtins__": {}}, names)
            except Exception:
                continue
            if isinstance(v, int | float) and not isinstance(v, bool):
                return float(v), 1e-12 * abs(float(v))
    return None


def kink_disagreements(data: dict | None = None) -> list[dict]:
    """Every kink claim of the registry that a measured framework contradicts.

    A claim is compared with the derivative measured in float64 at the kink (at
    default parameters); claims that name no value, and frameworks not measured,
    are left out (see :func:`claimed_kink_value`).

    >>> data = json.loads(json.dumps(framework_data()))  # a copy to change
    >>> relu = data["activations"]["relu"]["pytorch"]["kinks"][0]["float64"]
    >>> relu["derivative"] = 0.5  # PyTorch gives 0, as the registry says
    >>> [(d["activation"], d["framework"]) for d in kink_disagreements(data)]
    [('relu', 'pytorch')]
    """
    return [c for c in _kink_comparisons(data) if not c["agrees"]]


def _kink_comparisons(data: dict | None = None) -> list[dict]:
    data = framework_data() if data is None else data
    backend = data.get("versions", {}).get("keras", "backend jax")
    backend = backend.rsplit("backend ", 1)[-1].rstrip(")")
    out = []
    for a in all_activations():
        if not a.elementwise:
            continue
        for k in a.kinks:
            at = k.where(**a.bind({}))
            for fw, claim in k.frameworks.items():
                claimed = claimed_kink_value(claim, a, backend)
                rec = _kink_record(data, a.name, fw, at)
                if claimed is None or rec is None:
                    continue
                got = rec["float64"]
                value, tol = claimed
                if "error" in got:
                    measured, agrees = got["error"], value == "error"
                else:
                    measured = got["derivative"]
                    agrees = (value != "error" and not isinstance(measured, str)
                              and abs(measured - value) <= tol)
                out.append({"activation": a.name, "at": at, "framework": fw,
                            "claimed": claim, "measured": measured, "agrees": agrees})
    return out


def _fmt_kink(got: dict) -> str:
    if "error" in got:
        return "error: " + got["error"].split(":")[0]
    d = got["derivative"]
    # 12 digits: a slope rounded to float32 (0.00999999977648) shows as such
    return d if isinstance(d, str) else f"{d:.12g}"


def framework_facts(activation: str | Activation) -> dict[str, float | str | None]:
    """What the frameworks were measured to return, for a chapter's prose to glue
    instead of typing it (``make frameworks`` measured it; :func:`framework_data`).

    - ``{key}_version``: the version measured (``"2.13.0+cpu"``) of every
      framework run (``pytorch``, ``jax``, ``keras``, ``tensorflow``), and
      ``{key}_kink{i}``: the float64 derivative returned at the ``i``-th kink (a
      float; ``"error: ..."`` where the framework raised), for every framework key
      of the registry run on this activation;
    - ``{name}.{parameter}``: the default of a keyword parameter of every
      framework name in the registry's strings of this activation, read from the
      installed framework's signature (``"tf.nn.leaky_relu.alpha"``);
    - where ``benchmarks/frameworks.py`` probes this activation, for every
      framework and this book (key ``book``) and dtype:
      ``{key}_{dtype}_f({x:g})`` and ``{key}_{dtype}_df({x:g})`` the value and
      slope returned at ``x``, ``..._f_true(...)`` and ``..._df_true(...)`` the
      true ones (mpmath, rounded to float64), ``{key}_{dtype}_df_rel({x:g})`` the
      relative error of the slope, and
      ``{key}_{dtype}_df_zero_from``: where the slope returned in the tail becomes
      exactly 0 and stays 0, and ``..._df_zero_from_true`` the true slope there;
    - ``{name}.required``: the parameters such a name requires (no default),
      joined by ", " (``"threshold, value"``), or ``"none"``;
    - the same defaults and requirements of the names the data file lists under
      ``context_names`` for this activation (``"torch.nn.RNN.nonlinearity"``);
    - ``{key}_variant{j}_kink{i}``: the float64 derivative at the ``i``-th kink of
      the ``j``-th hand-written form measured for framework ``key``;
    - for a vector activation: ``{key}_{dtype}_f_ulp`` and ``{key}_{dtype}_vjp_ulp``,
      the worst condition-scaled errors of the value and of the VJP, for every
      framework measured and this book, and ``..._f_at``, ``..._vjp_at`` the
      largest magnitude of an entry of the input where each is worst;
      ``{key}_f({x1}, {x2}, ...)``: the output for a probed input, to three
      digits (``(0.25, 0.0)``), and ``{key}_vjp({x1}, ...)`` the VJP there
      with a cotangent of ones (where measured); and
      ``{key}_no_dim({n}d)``, ``{key}_no_dim_warning`` where a call without an
      axis was measured (the dimension normalised for an ``n``-dimensional input),
      and ``{key}_{name}`` for every other measurement ``name`` recorded under
      ``extra`` (``pytorch_tie_index`` of ``gumbel_softmax``).

    >>> facts = framework_facts("relu")
    >>> facts["pytorch_kink0"], facts["jax_kink0"]
    (0.0, 0.0)
    >>> framework_facts("leaky_relu")["torch.nn.functional.leaky_relu.negative_slope"]
    0.01
    """
    a = get(activation)
    data = framework_data()
    versions = data.get("versions", {})
    out: dict[str, float | str | None] = {
        f"{key}_version": v.split(" (")[0] for key, v in versions.items()
        if key in (*_MEASURED, "tf_keras")}
    for key, call in a.frameworks.items():
        for i, at in enumerate(a.kink_points()):
            rec = _kink_record(data, a.name, key, at)
            if rec is None:
                continue
            got = rec["float64"]
            out[f"{key}_kink{i}"] = ("error: " + got["error"].split(":")[0]
                                     if "error" in got else got["derivative"])
        for name in dotted_names(call):
            out.update(_signature_facts(data, name))
    for name in data.get("context_names", {}).get(a.name, ()):
        out.update(_signature_facts(data, name))
    for key, rec in data.get("activations", {}).get(a.name, {}).items():
        for dtype, probe in rec.get("probes", {}).items():
            for p in probe.get("points", ()):
                for q in ("f", "f_true", "df", "df_true", "df_rel"):
                    if q in p:
                        out[f"{key}_{dtype}_{q}({p['x']:g})"] = _probe_value(p[q])
            for name in ("df_zero_from", "df_zero_from_true"):
                if name in probe:
                    out[f"{key}_{dtype}_{name}"] = probe[name]
        for j, variant in enumerate(rec.get("variants", ())):
            for i, k in enumerate(variant["kinks"]):
                out[f"{key}_variant{j}_kink{i}"] = k["float64"].get("derivative")
    for key, rec in data.get("vector", {}).get(a.name, {}).items():
        for dtype in ("float32", "float64"):
            for q in ("f", "vjp"):
                if dtype in rec:
                    out[f"{key}_{dtype}_{q}_ulp"] = _ulp_value(rec[dtype][q][0])
                    out[f"{key}_{dtype}_{q}_at"] = rec[dtype][q][1]
        for v in rec.get("values", ()):
            args = ", ".join(f"{float(t):g}" for t in v["x"])
            for q in ("f", "vjp"):
                if q in v:
                    out[f"{key}_{q}({args})"] = (
                        v[q] if isinstance(v[q], str) else
                        tuple(float(f"{float(t):.3g}") for t in v[q]))
        for ndim, dim in rec.get("no_dim", {}).items():
            out[f"{key}_no_dim({ndim}d)"] = dim
        if "no_dim_warning" in rec:
            out[f"{key}_no_dim_warning"] = rec["no_dim_warning"]
        for name, value in rec.get("extra", {}).items():
            out[f"{key}_{name}"] = value
    return out


def _probe_value(v):
    return float(v) if isinstance(v, str) else v  # "inf", "nan" as floats


def _signature_facts(data: dict, name: str) -> dict:
    out = {f"{name}.{param}": default
           for param, default in (data.get("defaults", {}).get(name) or {}).items()}
    if name in data.get("required", {}):
        out[f"{name}.required"] = ", ".join(data["required"][name]) or "none"
    return out


def dotted_names(call: str) -> list[str]:
    """The framework names in a registry string (benchmarks/frameworks.py checks
    that each exists), before any '#' comment; what is said of Keras 2 is left out.

    >>> dotted_names("torch.nn.ReLU; jax.nn.relu  # tf.nn.relu, in a comment")
    ['torch.nn.ReLU', 'jax.nn.relu']
    >>> dotted_names("keras.activations.relu; Keras 2: keras.layers.ReLU")
    ['keras.activations.relu']
    """
    text = ";".join(part for part in call.split("#")[0].split(";")
                    if "Keras 2" not in part)
    return re.findall(r"\b(?:torch|jax|jnp|keras|tf)(?:\.[A-Za-z_]\w*)+", text)


def frameworks(activation: str | Activation) -> HTMLTable:
    """The framework calls of an activation, and what each returns at every kink.

    The kink columns are the derivatives measured by ``make frameworks`` in float64
    (:func:`framework_data`); a framework that was not run shows the registry's
    claim, marked as not measured.

    >>> t = frameworks("relu")
    >>> t.header, t.rows[-1]
    (['framework', 'call', 'f′(0) returned'],
     ['this book', "activations.get('relu')", '0'])
    >>> t.rows[0][0].startswith("PyTorch"), t.rows[0][-1]  # measured: relu'(0) = 0
    (True, '0')
    """
    a = get(activation)
    data = framework_data()
    points = a.kink_points()
    kink_cols = [f"f′({at:g}) returned" for at in points]
    versions = data.get("versions", {})
    rows = []
    for key, call in a.frameworks.items():
        label = _FRAMEWORK_NAMES.get(key, key)
        if key in versions:
            label += " " + versions[key].split(" (")[0]
        cells = []
        for k, at in zip(a.kinks, points, strict=True):
            rec = _kink_record(data, a.name, key, at)
            if rec is not None:
                cells.append(_fmt_kink(rec["float64"]))
            else:
                cells.append(f"{k.frameworks.get(key, '?')} (not measured)")
        rows.append([label, call, *cells])
    if a.kinks:
        rows.append(["this book", f"activations.get({a.name!r})",
                     *[f"{k.value(**a.bind({})):g}" for k in a.kinks]])
    caption = ""
    if a.kinks:
        caption = (f"f′ at each kink as returned in float64 by {_versions(data)} "
                   f"(measured {data.get('date', '?')} by make frameworks).")
        notrun = [_FRAMEWORK_NAMES.get(k, k) for k in data.get("not_run", {})
                  if k in a.frameworks]
        if notrun:
            caption += f" Not installed, not measured: {', '.join(notrun)}."
    return HTMLTable(["framework", "call", *kink_cols], rows, caption)


def _ulp_value(v) -> float:
    return math.inf if v == "inf" else float(v)


def _worst(row: dict, q: str) -> list:
    """[error, x] of quantity ``q`` ("f" or "df"): the worse of grid and far tails."""
    return max(row[f"{q}_grid"], row[f"{q}_far"], key=lambda e: _ulp_value(e[0]))


def _fmt_ulp(v) -> str:
    if v == "inf":
        return "∞"
    if v < 10:
        return f"{v:.2g}"
    if v < 1e4:
        return f"{v:.0f}"
    return f"{v:.1e}".replace("e+0", "e").replace("e+", "e")


def framework_accuracy(dtype: str = "float64", of: str = "f") -> HTMLTable:
    """Per activation, the worst condition-scaled ULP error of the value
    (``of="f"``) or the derivative (``of="df"``) of each framework and of this book
    against mpmath in ``dtype``, over the verification grid and the far tails
    (:func:`framework_data`).

    "—" means the framework has no such function; a † marks a one-line composition
    of built-in operations (the form the registry gives) rather than a built-in.

    >>> t = framework_accuracy("float64", of="df")
    >>> t.header[0], t.header[-1]
    ('activation', 'this book')
    >>> set(next(r for r in t.rows if r[0] == "ReLU")[1:])  # exact everywhere
    {'0'}
    """
    if of not in ("f", "df"):
        raise ValueError(
            f"of must be 'f' (the value) or 'df' (the derivative), got {of!r}")
    what = "value f" if of == "f" else "derivative f′"
    return _accuracy_table("activations", dtype, f"the {what}",
                           lambda rec: _fmt_ulp(_worst(rec, of)[0]))


def framework_vector_accuracy(dtype: str = "float64") -> HTMLTable:
    """Per vector activation, the worst condition-scaled ULP errors of the value
    and of the vector-Jacobian product (``f / vjp``) of each framework and of this
    book against mpmath in ``dtype``, at the test vectors of
    :func:`activations.vector.verify.verify`.

    >>> t = framework_vector_accuracy()
    >>> t.header[-1], "Softmax" in [r[0] for r in t.rows], "of the VJP" in t.caption
    ('this book', True, True)
    """
    return _accuracy_table(
        "vector", dtype, "the value / of the VJP",
        lambda rec: f"{_fmt_ulp(rec['f'][0])} / {_fmt_ulp(rec['vjp'][0])}")


def _accuracy_table(section: str, dtype: str, what: str, cell) -> HTMLTable:
    """One row per activation of the data file's ``section``, one column per
    framework measured and this book: ``cell(record of dtype)``, "—" where not
    measured, † for a composition."""
    data = framework_data()
    cols = [k for k in _MEASURED if k in data.get("versions", {})] + ["book"]
    header = ["activation"] + [_FRAMEWORK_NAMES.get(k, "this book") for k in cols]
    rows = []
    for name, entry in sorted(data.get(section, {}).items()):
        row = [get(name).title]
        for k in cols:
            rec = entry.get(k, {})
            mark = "" if rec.get("builtin", True) else " †"
            row.append(cell(rec[dtype]) + mark if dtype in rec else "—")
        rows.append(row)
    caption = (f"Worst error of {what} in condition-scaled ULP, {dtype}: "
               f"{_versions(data)}, measured {data.get('date', '?')}.")
    return HTMLTable(header, rows, caption)


def _measured(data: dict):
    """(framework key, activation name, record) of every measured function."""
    keys = [k for k in _MEASURED if k in data.get("versions", {})] + ["book"]
    for name, entry in sorted(data.get("activations", {}).items()):
        for k in keys:
            rec = entry.get(k, {})
            if "float64" in rec:
                yield k, name, rec


def framework_accuracy_summary(tolerance: float = 4.0) -> dict:
    """Counts for the prose of the accuracy page, per framework key (and "book").

    ``{key}_n``: functions measured (built in or composed); ``{key}_builtin``: of
    them built in; ``{key}_ok``: within ``tolerance`` condition-scaled ULP for the
    value and the derivative, float32 and float64, everywhere measured;
    ``{key}_ok_grid``: the same on the verification grid alone (|x| ≤ 1e4);
    ``{key}_bad_df``: derivative beyond ``tolerance`` somewhere.

    >>> s = framework_accuracy_summary()
    >>> s["book_ok"] == s["book_n"], s["book_bad_df"]  # the book: all within 4
    (True, 0)
    """
    out: dict = {}
    for k, _, rec in _measured(framework_data()):
        for field in ("n", "builtin", "ok", "ok_grid", "bad_df"):
            out.setdefault(f"{k}_{field}", 0)
        out[f"{k}_n"] += 1
        out[f"{k}_builtin"] += bool(rec.get("builtin", True))
        rows = [rec[d] for d in ("float32", "float64")]
        out[f"{k}_ok"] += all(_ulp_value(_worst(r, c)[0]) <= tolerance
                              for r in rows for c in ("f", "df"))
        out[f"{k}_ok_grid"] += all(_ulp_value(r[c][0]) <= tolerance
                                   for r in rows for c in ("f_grid", "df_grid"))
        out[f"{k}_bad_df"] += any(_ulp_value(_worst(r, "df")[0]) > tolerance
                                  for r in rows)
    return out


def framework_failures(tolerance: float = 4.0) -> HTMLTable:
    """Every function with an error beyond ``tolerance`` condition-scaled ULP: per
    framework and activation, the worst error of f and f′ in float32 and float64
    and the input where it occurs (empty where within ``tolerance``).

    >>> t = framework_failures()
    >>> t.header[2:], [row for row in t.rows if row[0] == "this book"]
    (['float32 f', 'float32 f′', 'float64 f', 'float64 f′'], [])
    """
    data = framework_data()
    rows = []
    for k, name, rec in _measured(data):
        cells = []
        for dtype in ("float32", "float64"):
            for q in ("f", "df"):
                err, at = _worst(rec[dtype], q)
                if _ulp_value(err) <= tolerance:
                    cells.append("")
                elif q == "df" and "df_error" in rec[dtype]:
                    cells.append("no derivative")
                else:
                    cells.append(f"{_fmt_ulp(err)} at {at:.3g}")
        if any(cells):
            mark = "" if rec.get("builtin", True) else " †"
            rows.append([_FRAMEWORK_NAMES.get(k, "this book"),
                         get(name).title + mark, *cells])
    caption = (f"Errors above {tolerance:g} condition-scaled ULP, and the input x "
               f"where each is worst ({_versions(data)}, measured "
               f"{data.get('date', '?')}).")
    return HTMLTable(["framework", "activation", "float32 f", "float32 f′",
                      "float64 f", "float64 f′"], rows, caption)


def catalogue() -> HTMLTable:
    """Every registered activation: names, family, parameters, PyTorch call.

    >>> t = catalogue()
    >>> len(t.rows) == len(all_activations())
    True
    >>> next(row for row in t.rows if row[1] == "elu")[3:5]  # family, parameters
    ['exponential', 'alpha=1']
    """
    rows = [
        [a.title, a.name, a.zh, a.family.replace("_", "-"),
         ", ".join(f"{k}={p.default:g}" for k, p in a.params.items()) or "-",
         a.frameworks.get("pytorch", "-").split("  #")[0]]
        for a in sorted(all_activations(), key=lambda a: (a.family, a.name))
    ]
    return HTMLTable(["activation", "name", "中文", "family", "parameters", "PyTorch"],
                     rows)
