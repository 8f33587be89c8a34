"""Re-execute the pages when the package they import changes.

The jupyter cache is keyed on a page's code cells only: after an edit to
``src/activations``, a cached page would keep the outputs (and the verification
tables) of the old code, so a broken derivative could pass an incremental build.
This extension keeps a digest of every ``src/**/*.py`` next to the cache; when the
digest changes it empties the cache and marks every page outdated, so Sphinx reads
(and myst-nb executes) them all again.
"""

from __future__ import annotations

import hashlib
import shutil
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", invalidate_stale_cache)
    app.connect("env-get-outdated", reread_everything)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
