"""Re-execute the pages when the package they import changes.

The jupyter cache is keyed on a page's code cells only: after an edit to
``src/activations``, a cached page would keep the outputs (and the verification
tables) of the old code, so a broken derivative could pass an incremental build.
This extension keeps a digest of every ``src/**/*.py`` next to the cache; when the
digest changes it empties the cache and marks every page outdated, so Sphinx reads
(and myst-nb executes) them all again.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import shutil
import threading
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _digest(src: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(src.rglob("*.py")):
        h.update(path.relative_to(src).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def invalidate_stale_cache(app: Sphinx, config: Config) -> None:
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent /
                 ".jupyter_cache")
    stamp = cache.parent / ".src-digest"
    digest = _digest(Path(app.srcdir) / "src")
    if stamp.is_file() and stamp.read_text() == digest:
        _create(cache)
        return
    app.src_changed = True
    if cache.exists():
        logger.info("src_cache: src/ changed, re-executing every page")
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    _create(cache)


def _create(cache: Path) -> None:
    """Create the cache folder and its database here, in the main process: pages
    read in parallel would otherwise race to create them (FileExistsError)."""
    from jupyter_cache import get_cache

    get_cache(str(cache)).db  # noqa: B018 - the property creates the database


def reread_everything(app: Sphinx, env, added, changed, removed) -> list[str]:
    return sorted(env.found_docs) if getattr(app, "src_changed", False) else []


_held = threading.local()


def _one_at_a_time(method):
    """Run a cache method under an exclusive lock on a file in the cache folder.

    Pages are read by parallel worker processes, each of which records its
    executed notebook in the cache (a database row, then a file) and reads rows
    back; a row seen before its file is written made the build fail with
    "Notebook file does not exist for cache record". Calls nested in a locked
    one (a match inside a merge) run under the lock already held."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if getattr(_held, "depth", 0):
            return method(self, *args, **kwargs)
        with open(self.path / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            _held.depth = 1
            try:
                return method(self, *args, **kwargs)
            finally:
                _held.depth = 0

    return run


def _serialise_cache() -> None:
    from jupyter_cache.cache.main import JupyterCacheBase

    for name in ("cache_notebook_bundle", "match_cache_notebook",
                 "merge_match_into_notebook", "get_cache_bundle", "add_nb_to_project",
                 "truncate_caches", "remove_cache"):
        method = getattr(JupyterCacheBase, name)
        if not getattr(method, "_one_at_a_time", False):
            locked = _one_at_a_time(method)
            locked._one_at_a_time = True
            setattr(JupyterCacheBase, name, locked)


def setup(app: Sphinx) -> dict[str, Any]:
    _serialise_cache()
    app.connect("config-inited", invalidate_stale_cache)
    app.connect("env-get-outdated", reread_everything)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
