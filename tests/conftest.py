"""Shared fixtures for the book tests: build the book once, serve it locally.

- ``built_book``: runs ``jupyter-book build . -W -n --keep-going`` (pages read and
  executed in parallel, see ``_ext/build_book.py``) once per session and returns
  ``_build/html``. Set ``ACTIVATIONS_SKIP_BUILD=1`` to reuse an existing build.
- ``http_server``: serves ``_build/html`` on 127.0.0.1 (free port); yields the base URL.
- ``toc_page``: any test that takes it is parametrized over every page in ``_toc.yml``.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import notebooks  # noqa: E402 - lives in _ext/, not an installed package

HTML = ROOT / "_build" / "html"


@functools.cache
def toc_pages() -> tuple[str, ...]:
    """Docnames (e.g. ``book/intro``) of every page in ``_toc.yml``, in toc order."""
    return tuple(notebooks.toc_pages(ROOT))


def pytest_generate_tests(metafunc):
    if "toc_page" in metafunc.fixturenames:
        pages = toc_pages()
        metafunc.parametrize("toc_page", pages, ids=pages)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The HTML book, built once per session with warnings as errors."""
    skip = os.environ.get("ACTIVATIONS_SKIP_BUILD") == "1"
    if skip and (HTML / "index.html").exists():
        return HTML
    cmd = [sys.executable, str(ROOT / "_ext" / "build_book.py"), "build", ".",
           "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    log = ROOT / "_build" / "build.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf8")
    assert proc.returncode == 0, (
        f"{' '.join(cmd)} exited {proc.returncode} (full log: {log}):\n"
        + (proc.stdout + proc.stderr)[-6000:]
    )
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
