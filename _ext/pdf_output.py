"""The book as a PDF (``make pdf``): explorers give way to their static figures.

An explorer is an ipywidgets output; a PDF can only show its text form
(``VBox(children=(...``). For the LaTeX builder only, this post-transform replaces each
widget output with a one-line note. Every Explore section also carries a static
figure (a parameter sweep), which the PDF shows as usual.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOTE = "An interactive explorer: use it in the web book or in a running notebook."


def _is_mime_bundle(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


class WidgetsAsNote(SphinxPostTransform):
    # before myst-nb's SelectMimeType (4) would pick the widget's text/plain form
    default_priority = 3
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for bundle in list(self.document.findall(_is_mime_bundle)):
            if any(c.get("mime_type") == WIDGET_VIEW for c in bundle.children):
                bundle.replace_self(nodes.paragraph("", "", nodes.emphasis(text=NOTE)))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(WidgetsAsNote)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
