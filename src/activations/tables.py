"""Small tables a page displays, read from the registry."""

from __future__ import annotations

import html

from .registry import Activation, get

__all__ = ["HTMLTable", "catalogue", "frameworks"]

_FRAMEWORK_NAMES = {
    "pytorch": "PyTorch", "jax": "JAX", "tensorflow": "TensorFlow", "keras": "Keras 3"
}


class HTMLTable:
    """Rows of strings that display as an HTML table in a notebook."""

    def __init__(self, header: list[str], rows: list[list[str]]):
        self.header, self.rows = header, rows

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self.rows
        )
        return f"<table class='registry-table'><tr>{head}</tr>{body}</table>"

    def __repr__(self) -> str:
        return "\n".join(" | ".join(r) for r in [self.header, *self.rows])


def frameworks(activation: str | Activation) -> HTMLTable:
    """The framework calls of an activation, and what each returns at every kink."""
    a = get(activation)
    kink_cols = [f"f′({at:g}) returned" for at in a.kink_points()]
    rows = []
    for key, call in a.frameworks.items():
        conv = [k.frameworks.get(key, "?") for k in a.kinks]
        rows.append([_FRAMEWORK_NAMES.get(key, key), call, *conv])
    if a.kinks:
        rows.append(["this book", f"activations.get({a.name!r})",
                     *[f"{k.value(**a.bind({})):g}" for k in a.kinks]])
    return HTMLTable(["framework", "call", *kink_cols], rows)


def catalogue() -> HTMLTable:
    """Every registered activation: names, family, parameters, PyTorch call."""
    from .registry import all_activations

    rows = [
        [a.title, a.name, a.zh, a.family.replace("_", "-"),
         ", ".join(f"{k}={p.default:g}" for k, p in a.params.items()) or "-",
         a.frameworks.get("pytorch", "-").split("  #")[0]]
        for a in sorted(all_activations(), key=lambda a: (a.family, a.name))
    ]
    return HTMLTable(["activation", "name", "中文", "family", "parameters", "PyTorch"],
                     rows)
