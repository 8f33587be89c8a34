"""Glued numbers in scientific notation, typeset as a reader writes them.

A page glues a computed value and formats it in the prose, ``{glue:text}`k:.1e```,
which Python spells ``4.5e-05``. This extension rewrites each such pasted value into
inline math, :math:`4.5 \\times 10^{-5}`, after the page is read, so the prose
shows the same notation as its formulas (HTML and PDF alike). Any other pasted
text is left as it is.
"""

from __future__ import annotations

import re

from docutils import nodes

_SCIENTIFIC = re.compile(r"^(?P<mantissa>[-+]?\d+(?:\.\d+)?)e(?P<exponent>[-+]\d+)$")


def as_latex(text: str) -> str | None:
    """The LaTeX for a number in Python's ``e`` notation, or None for other text.

    >>> as_latex("4.5e-05"), as_latex("-1.3e+154"), as_latex("1e-300")
    ('4.5 \\\\times 10^{-5}', '-1.3 \\\\times 10^{154}', '10^{-300}')
    >>> as_latex("0.25") is None, as_latex("tanh") is None
    (True, True)
    """
    m = _SCIENTIFIC.match(text.strip())
    if m is None:
        return None
    mantissa = m["mantissa"].lstrip("+")
    power = f"10^{{{int(m['exponent'])}}}"
    if mantissa in ("1", "-1"):
        return power if mantissa == "1" else "-" + power
    return rf"{mantissa} \times {power}"


def typeset(app, doctree: nodes.document) -> None:
    """Replace each pasted value (myst-nb's ``pasted-text`` inline) in e notation."""
    for node in list(doctree.findall(nodes.inline)):
        if "pasted-text" in node.get("classes", []):
            latex = as_latex(node.astext())
            if latex is not None:
                node.replace_self(nodes.math(latex, latex))


def setup(app):
    app.connect("doctree-read", typeset)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
