"""Name a computed value so the page's prose can quote it: ``{glue:text}`name```.

The book's pages state every number they compute by gluing it: a cell calls
``glue("elu-min", value, display=False)`` and the prose writes
``{glue:text}`elu-min:.3f```, so text and output cannot disagree. This is the
record myst-nb reads when it builds the book (a display output whose metadata
carries ``{"scrapbook": {"name": ..., "mime_prefix": ...}}``), written without
importing myst-nb: a reader's notebook runs where myst-nb is not installed, and
importing it costs every page about 1.5 s (it loads ``nbformat`` and
``jsonschema``'s format checkers) for five lines of work.

>>> from IPython.core.interactiveshell import InteractiveShell
>>> from IPython.utils.capture import capture_output
>>> _ = InteractiveShell.instance()
>>> with capture_output() as shown:
...     glue("answer", 0.5, display=False)
>>> out = shown.outputs[0]
>>> out.metadata["scrapbook"], out.data
({'name': 'answer', 'mime_prefix': 'application/papermill.record/'}, \
{'application/papermill.record/text/plain': '0.5'})
"""

from __future__ import annotations

from typing import Any

# what a glued value's MIME types start with when it is recorded, not shown
HIDDEN = "application/papermill.record/"


def glue(name: str, value: Any, display: bool = True) -> None:
    """Record ``value`` under ``name`` for the page's glue roles; show it too unless
    ``display`` is false. Outside a notebook (plain Python) nothing is shown.

    A NumPy scalar is recorded as the Python number it holds: its text,
    ``np.float64(0.25)``, is not a number that a role's format (``:.2f``) can
    take."""
    import numpy as np
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    if isinstance(value, np.generic):
        value = value.item()
    bundle, metadata = format_display_data(value)
    prefix = "" if display else HIDDEN
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show({prefix + mime: data for mime, data in bundle.items()}, raw=True,
         metadata=metadata)
