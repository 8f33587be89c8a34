"""Serve the book's third-party JavaScript from the built site, so it works offline.

MathJax 3 and the ipywidgets HTML manager come from ``node_modules``
(``npm ci`` with the committed ``package-lock.json``; nothing third-party is
committed). This extension copies the parts the pages load into a staging folder
``_build/.vendor/static/npm/`` and adds ``_build/.vendor/static`` to
``html_static_path``, so Sphinx publishes it as ``_static/npm/``. It is deliberately
*not* a ``_static`` folder at the book root: Jupyter Book adds every .js/.css found
there to every page. ``_config.yml`` points ``mathjax_path`` and ``nb_ipywidgets_js``
at these files.

It also works around a Sphinx 7.4 bug (fixed in 8.2) that writes inline scripts
added with ``app.add_js_file(None, body=...)`` twice (``THEBE_JS_URL`` has already
been declared), and passes the book's explorer mode (``activations_explorers`` in
``_config.yml``: ``frames``, pre-rendered and kernel-free) to the notebook kernels
the build starts, through ``activations.widgets.MODE_VARIABLE``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

# destination (under _static/npm/) -> source (under node_modules/)
VENDOR_FILES = {
    "mathjax/tex-chtml.js": "mathjax/es5/tex-chtml.js",
    # components MathJax loads on demand: extensions (\boldsymbol), fonts, menu, speech
    **{
        f"mathjax/{d}": f"mathjax/es5/{d}"
        for d in ("input", "output", "a11y", "sre", "ui", "adaptors")
    },
    # the standalone bundle: built-in widgets (all the explorers use), no require.js,
    # about half the bytes of embed-amd.js
    "html-manager/embed.js": "@jupyter-widgets/html-manager/dist/embed.js",
}
# the widget manager's fonts (Font Awesome) sit next to its bundles
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")
PACKAGES = ("mathjax", "@jupyter-widgets/html-manager")


def _node_modules(app: Sphinx) -> Path:
    default = Path(app.srcdir, "node_modules")
    root = Path(os.environ.get("ACTIVATIONS_NODE_MODULES", default))
    missing = [p for p in PACKAGES if not (root / p / "package.json").is_file()]
    if missing:
        raise ExtensionError(
            f"offline_assets: {', '.join(missing)} not found in {root}. "
            "Run `npm ci` in the repository root (or `make book`)."
        )
    return root


def _versions(node_modules: Path) -> dict[str, str]:
    return {
        p: json.loads((node_modules / p / "package.json").read_text())["version"]
        for p in PACKAGES
    }


def stage_vendor_files(app: Sphinx) -> None:
    """Copy the vendored assets to the staging folder (once per package version)."""
    if app.builder.format != "html":
        return
    node_modules = _node_modules(app)
    staging = Path(app.outdir).parent / ".vendor" / "static"
    vendor = staging / "npm"
    stamp = staging.parent / "versions.json"
    wanted = json.dumps(
        {"files": VENDOR_FILES, "versions": _versions(node_modules)}, sort_keys=True
    )
    if not (stamp.is_file() and stamp.read_text() == wanted and vendor.is_dir()):
        shutil.rmtree(staging.parent, ignore_errors=True)
        for dest, src in VENDOR_FILES.items():
            src_path, dest_path = node_modules / src, vendor / dest
            dest_path.parent.mkdir(parents=True, exist_ok=True)
            if src_path.is_dir():
                shutil.copytree(src_path, dest_path)
            else:
                shutil.copy2(src_path, dest_path)
        dist = node_modules / "@jupyter-widgets/html-manager/dist"
        for font in dist.iterdir():
            if font.suffix in FONT_SUFFIXES:
                shutil.copy2(font, vendor / "html-manager" / font.name)
        stamp.write_text(wanted)
        logger.info(
            "offline_assets: staged %s",
            ", ".join(f"{k}@{v}" for k, v in _versions(node_modules).items()),
        )
    # Sphinx copies each html_static_path entry's *contents* into _static/
    if str(staging) not in app.config.html_static_path:
        app.config.html_static_path.append(str(staging))


def dedupe_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop repeated <script>/<link> entries (Sphinx 7.4 registers inline ones twice).

    An inline script is registered once with filename None (app.add_js_file(None))
    and once with '' (when the builder re-reads the registry); both render the same.
    """
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not isinstance(assets, list):
            continue
        seen, unique = set(), []
        for asset in assets:
            ident = (
                os.fspath(getattr(asset, "filename", None) or ""),
                tuple(sorted(getattr(asset, "attributes", {}).items())),
            )
            if ident not in seen:
                seen.add(ident)
                unique.append(asset)
        assets[:] = unique


def pass_explorer_mode(app: Sphinx, config) -> None:
    """Kernels started by the build inherit the environment: with ``frames`` the
    explorers are pre-rendered frames linked in the browser, no kernel needed."""
    from activations import widgets

    if config.activations_explorers not in widgets.MODES:
        raise ExtensionError(
            f"activations_explorers must be one of {', '.join(widgets.MODES)}, "
            f"not {config.activations_explorers!r}")
    os.environ[widgets.MODE_VARIABLE] = config.activations_explorers


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("activations_explorers", "frames", "env")
    app.connect("config-inited", pass_explorer_mode)
    # builder-inited: after Sphinx has validated html_static_path, before it copies it
    app.connect("builder-inited", stage_vendor_files)
    # run after every other handler has added its scripts
    app.connect("html-page-context", dedupe_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
