"""``activations.glue`` writes what myst-nb's own ``glue`` writes, without myst-nb."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from activations.glue import glue

ROOT = Path(__file__).resolve().parents[1]


def _record(function, *args, **kwargs) -> list:
    InteractiveShell.instance()
    with capture_output() as shown:
        function(*args, **kwargs)
    return [(o.data, o.metadata) for o in shown.outputs]


@pytest.mark.parametrize("value", [0.27846, -3, "tanh", [1.0, 2.5], {"a": 1}])
@pytest.mark.parametrize("display", [True, False])
def test_the_record_is_myst_nbs(value, display: bool) -> None:
    myst_glue = pytest.importorskip("myst_nb").glue
    assert _record(glue, "k", value, display=display) == _record(
        myst_glue, "k", value, display=display)


def test_no_page_needs_myst_nb_to_run() -> None:
    # a reader's environment (requirements.txt) has no myst-nb
    pages = [p for p in (ROOT / "book").rglob("*.md")
             if "myst_nb" in p.read_text(encoding="utf-8")]
    assert not pages, [str(p.relative_to(ROOT)) for p in pages]


@pytest.mark.parametrize("value", [np.float64(0.25), np.float32(-1.5), np.int64(7),
                                   np.bool_(True)])
def test_a_numpy_scalar_is_glued_as_its_python_number(value) -> None:
    # myst-nb formats the text/plain of the record: "np.float64(0.25)" is no number
    (data, _), = _record(glue, "k", value, display=False)
    assert data == {"application/papermill.record/text/plain": repr(value.item())}


def test_importing_it_stays_light() -> None:
    code = ("import sys, activations.glue; "
            "print(sorted(m for m in ('nbformat', 'jsonschema', 'myst_nb') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(ROOT / "src")})
    assert out.stdout.strip() == "[]"
