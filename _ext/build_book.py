"""``jupyter-book build`` with Sphinx's parallel reading: pages execute side by side.

Jupyter Book 1 passes ``jobs=1`` to Sphinx and has no option for it; executing the
pages dominates a clean build, and each page executes while it is read, so reading
in parallel divides the build time by up to the number of jobs. Every extension the
book uses declares itself safe for parallel reading except sphinx-multitoc-numbering,
which sphinx-external-toc always loads; it only renumbers numbered toctrees (this
book has none) once the environment is merged, so it is declared safe here.

    python _ext/build_book.py build . -W -n --keep-going        # jobs = CPUs + 1
    BOOK_JOBS=1 python _ext/build_book.py build . ...            # serial

One job more than there are cores: a page's worker is idle while its kernel starts
and while it waits for each cell, and the Sphinx side of a page (parsing, glue,
the doctree) runs while the other pages execute. A clean build on 2 cores took
5 min 3 s with 2 jobs, 4 min 24 s with 3 and 4 min 41 s with 4.

Kernels talk over Unix sockets with a name of their own instead of TCP ports:
two pages starting their kernels at the same moment in two processes could
otherwise both be handed the same free port, and one kernel dies on start
("Address already in use").
"""

from __future__ import annotations

import os
import tempfile
import uuid

import jupyter_book.sphinx
import jupyter_client
import sphinx.builders
import sphinx_multitoc_numbering
from jupyter_book.cli.main import main

JOBS = int(os.environ.get("BOOK_JOBS") or (os.cpu_count() or 1) + 1)
_build_sphinx = jupyter_book.sphinx.build_sphinx


def _parallel_build_sphinx(*args, **kwargs):
    kwargs["jobs"] = JOBS
    return _build_sphinx(*args, **kwargs)


def _chunks(docnames, nproc, maxbatch=10):
    """Two chunks of pages per worker, dealt out in turn, slowest kinds first.

    Sphinx hands its workers consecutive runs of pages in name order (20 of this
    book's 134 with 3 jobs), and the last run held the gradient experiments and
    the comparison guide, the slowest pages (12 to 34 s each), so one worker ran on
    alone at the end. Dealing the pages out like cards, the guides and experiments
    first, gives every chunk a share of the slow pages and of the chapters. Each
    chunk costs a pickle of the whole environment, so they stay few: chunks of two
    pages made the build 5 min 24 s; Sphinx's runs, 4 min 24 s; these, 4 min 11 s
    (2 cores, 3 jobs).
    """
    first = sorted(d for d in docnames if not d.startswith("book/activations/"))
    rest = sorted(d for d in docnames if d.startswith("book/activations/"))
    ordered = first + rest
    k = max(1, min(len(ordered), 2 * nproc))
    return [ordered[i::k] for i in range(k)]


def _multitoc_setup(app):
    meta = _multitoc_original_setup(app) or {}
    return {**meta, "parallel_read_safe": True, "parallel_write_safe": True}


def _ipc_kernel_manager_init(self, *args, **kwargs):
    kwargs.setdefault("transport", "ipc")
    name = f"kernel-{uuid.uuid4().hex}"
    kwargs.setdefault("ip", os.path.join(tempfile.gettempdir(), name))
    _kernel_manager_init(self, *args, **kwargs)


_kernel_manager_init = jupyter_client.KernelManager.__init__
jupyter_client.KernelManager.__init__ = _ipc_kernel_manager_init
_multitoc_original_setup = sphinx_multitoc_numbering.setup
sphinx_multitoc_numbering.setup = _multitoc_setup
jupyter_book.sphinx.build_sphinx = _parallel_build_sphinx
sphinx.builders.make_chunks = _chunks

if __name__ == "__main__":
    main()
