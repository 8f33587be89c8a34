"""Shared fixtures for the book tests: build the book once, serve it locally.

The suite runs on every core (pytest-xdist, ``-n auto`` in pyproject.toml). The test
that first needs the book is sent first, so one worker builds it while the others
run the unit tests; the pages come last, shared between the workers.

- ``built_book``: runs ``jupyter-book build . -W -n --keep-going`` (pages read and
  executed in parallel, see ``_ext/build_book.py``) once per run, whatever the number
  of workers, and returns ``_build/html``. Set ``ACTIVATIONS_SKIP_BUILD=1`` to reuse
  an existing build.
- ``http_server``: serves ``_build/html`` on 127.0.0.1 (free port); yields the base URL.
- ``toc_page``: any test that takes it is parametrized over every page in ``_toc.yml``;
  ``notebook_page`` over those of them that hold code.
- ``chromium``: the browser the browser tests drive. When they are selected and none is
  found, the run stops at once with one line saying how to get one: a browser test
  is never skipped.

It also holds the few helpers that unit tests in more than one file share; they
import them as plain names (``from conftest import strict``):

- ``strict()``: every floating-point warning an error under np.errstate(all="raise").
- ``REFERENCES`` and ``ulps``: mpmath references of the soft rectifiers, SiLU and
  Mish, written independently of the registry, and an error counted in ULPs.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import mpmath
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import notebooks  # noqa: E402 - lives in _ext/, not an installed package

HTML = ROOT / "_build" / "html"


@functools.cache
def toc_pages() -> tuple[str, ...]:
    """Docnames (e.g. ``book/intro``) of every page in ``_toc.yml``, in toc order."""
    return tuple(notebooks.toc_pages(ROOT))


NO_CHROMIUM = (
    "No Chromium for the browser tests: install one (Debian/Ubuntu: apt-get install "
    "chromium; elsewhere .venv/bin/playwright install chromium) or point CHROMIUM= at "
    "it; make test-fast runs everything but the book and the browser."
)


@functools.cache
def find_chromium() -> str | None:
    """``$CHROMIUM``, a Chromium on the PATH, or Playwright's own download."""
    if given := os.environ.get("CHROMIUM"):
        return given if Path(given).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        own = pw.chromium.executable_path
    return own if Path(own).is_file() else None


def _browser_tests_requested(config) -> bool:
    """Whether the run asks for test_browser.py (a workers' run collects in the
    workers, too late to stop cleanly, so the controller decides from the command)."""
    if "not browser" in (config.option.markexpr or ""):
        return False
    target = ROOT / "tests" / "test_browser.py"
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == target or path in target.parents:
            return True
    return False


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput"):
        return
    # once, in the controller
    shutil.rmtree(HTML.parent / "screenshots", ignore_errors=True)
    if _browser_tests_requested(session.config) and find_chromium() is None:
        pytest.exit(NO_CHROMIUM, returncode=4)


def pytest_collection_modifyitems(items):
    """Unit tests first, then the book, then the pages; but the first test that needs
    the book goes to the front, so that its build starts at once beside the rest."""
    def rank(item):
        return 2 if item.get_closest_marker("browser") else (
            1 if item.get_closest_marker("book") else 0)

    items.sort(key=rank)
    first = next((i for i in items if "built_book" in i.fixturenames), None)
    if first is not None:
        items.remove(first)
        items.insert(0, first)


def pytest_collection_finish(session):
    # without workers (-n 0) the selection is known here; in a worker, the
    # ``chromium`` fixture fails each browser test with the same message
    if hasattr(session.config, "workerinput"):
        return
    if any(item.get_closest_marker("browser") for item in session.items):
        if find_chromium() is None:
            pytest.exit(NO_CHROMIUM, returncode=4)


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    """A test that sets ``mpmath.mp.dps`` (600 digits for a tail of erf) leaves
    the next test on the same worker at its own precision, not at that one."""
    prec = mpmath.mp.prec
    yield
    mpmath.mp.prec = prec


@pytest.fixture(scope="session")
def chromium() -> str:
    found = find_chromium()
    assert found, NO_CHROMIUM
    return found


_VISITS: dict[str, int] = {}


@pytest.fixture(scope="session")
def browser_visits() -> dict[str, int]:
    """Pages visited in the browser (docname -> explorers exercised)."""
    return _VISITS


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # an xdist worker: tell the controller
        session.config.workeroutput["browser_visits"] = json.dumps(_VISITS)


def pytest_testnodedown(node, error):
    _VISITS.update(json.loads(getattr(node, "workeroutput", {}).get(
        "browser_visits", "{}")))


def pytest_terminal_summary(terminalreporter):
    if _VISITS:
        terminalreporter.write_line(
            f"browser: visited {len(_VISITS)} of the {len(toc_pages())} pages in "
            f"_toc.yml; exercised every control of {sum(_VISITS.values())} explorers"
        )


@functools.cache
def notebook_pages() -> tuple[str, ...]:
    """The toc pages that hold code (a MyST notebook, with a kernelspec)."""
    return tuple(
        p for p in toc_pages()
        if (ROOT / f"{p}.md").is_file()
        and "\nkernelspec:" in (ROOT / f"{p}.md").read_text(encoding="utf8")
    )


def pytest_generate_tests(metafunc):
    for name, pages in (("toc_page", toc_pages), ("notebook_page", notebook_pages)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, pages(), ids=pages())


def _build_book() -> dict:
    cmd = [sys.executable, str(ROOT / "_ext" / "build_book.py"), "build", ".",
           "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    log = ROOT / "_build" / "build.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf8")
    return {"returncode": proc.returncode, "message": (
        f"{' '.join(cmd)} exited {proc.returncode} (full log: {log}):\n"
        + (proc.stdout + proc.stderr)[-6000:])}


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The HTML book, built once per run with warnings as errors."""
    skip = os.environ.get("ACTIVATIONS_SKIP_BUILD") == "1"
    if skip and (HTML / "index.html").exists():
        return HTML
    if "PYTEST_XDIST_WORKER" not in os.environ:
        result = _build_book()
    else:
        # the workers share the parent of their temporary folders: the first to
        # take the lock builds, the others wait and read its result
        shared = tmp_path_factory.getbasetemp().parent
        with open(shared / "book.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = shared / "book.json"
            if not done.exists():
                done.write_text(json.dumps(_build_book()))
            result = json.loads(done.read_text())
    assert result["returncode"] == 0, result["message"]
    assert (HTML / "index.html").exists()
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def http_server(built_book: Path):
    """Serve the built book on 127.0.0.1 at a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# --- helpers the unit tests import ---------------------------------------------------


@contextlib.contextmanager
def strict():
    """Every floating-point warning an error, and the caller's np.errstate set to
    raise on everything: the promise holds under any np.errstate."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


# name -> mpmath reference f(x, **params), written independently of the registry
REFERENCES = {
    "softplus": lambda t, beta=1.0: mpmath.log1p(mpmath.exp(beta * t)) / beta,
    "squareplus": lambda t, b=4.0: (t + mpmath.sqrt(t * t + b)) / 2,
    "log_sigmoid": lambda t: -mpmath.log1p(mpmath.exp(-t)),
    "bent_identity": lambda t: (mpmath.sqrt(t * t + 1) - 1) / 2 + t,
    "silu": lambda t, beta=1.0: t / (1 + mpmath.exp(-beta * t)),
    "mish": lambda t: t * mpmath.tanh(mpmath.log1p(mpmath.exp(t))),
}


def ulps(got: float, ref, dtype) -> float:
    info = np.finfo(dtype)
    ref_f = float(ref)
    if ref_f == 0.0 or abs(ref_f) < info.tiny:
        # Subnormal or underflowing results: count units of the smallest subnormal.
        unit = mpmath.mpf(float(info.smallest_subnormal))
        return float(abs(mpmath.mpf(got) - ref) / unit)
    return float(abs(mpmath.mpf(got) - ref) / (abs(ref) * float(info.eps)))
