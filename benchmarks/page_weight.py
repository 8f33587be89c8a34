"""Page weight of the built book: what a reader's browser downloads for each page.

Serves ``_build/html`` on 127.0.0.1, opens every page of ``_toc.yml`` in headless
Chromium with an empty cache (a first visit), waits until MathJax and the widgets have
finished loading, and adds up every response the page needed: the HTML, its styles and
scripts, fonts, images and the components MathJax loads on demand. Each response is
counted raw and gzip-compressed (level 6, what a gzip-serving host such as GitHub Pages
transfers for text; PNG and WOFF2 barely shrink).

    python benchmarks/page_weight.py            # a table, heaviest page first
    python benchmarks/page_weight.py --json     # the same numbers for a script

The budget is 2.5 MB gzipped for the heaviest page; the exit status is 1 above it.
Build the book first (``make book``): this script only reads ``_build/html``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import notebooks  # noqa: E402 - lives in _ext/, not an installed package

HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BUDGET_MB = 2.5
MB = 1e6


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def _serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _wait_until_settled(page) -> None:
    """MathJax typeset and every widget image loaded: nothing more will be fetched."""
    if page.locator("span.math, div.math").count():
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
        )
        page.evaluate("() => MathJax.startup.promise")
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]')
    if views.count():
        page.wait_for_function(
            """n => document.querySelectorAll('.widget-subarea .jupyter-widgets')
                   .length >= n""",
            arg=views.count(),
        )
    page.wait_for_load_state("networkidle")


def measure(browser, url: str) -> dict:
    """Bytes of every response the page at ``url`` loads, raw and gzipped."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # a page of this book must not need the network; refuse anything that is not local
    context.route(
        "**/*",
        lambda route: route.continue_()
        if urlsplit(route.request.url).hostname == "127.0.0.1"
        else route.abort(),
    )
    responses = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(url, wait_until="load")
        _wait_until_settled(page)
        files = {}
        for response in responses:
            if response.status == 200 and response.url not in files:
                files[response.url] = response.body()
    finally:
        context.close()
    raw = sum(len(body) for body in files.values())
    gz = sum(len(gzip.compress(body, compresslevel=6)) for body in files.values())
    largest = max(files, key=lambda u: len(files[u]))
    return {
        "requests": len(files),
        "raw_bytes": raw,
        "gzip_bytes": gz,
        "largest": urlsplit(largest).path,
    }


def measure_site(html: Path = HTML) -> dict:
    """Every page of the toc in ``html``: ``{"summary": ..., "pages": {page: ...}}``."""
    from playwright.sync_api import sync_playwright

    server, base = _serve(html)
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for page in notebooks.toc_pages(ROOT):
                results[page] = measure(browser, f"{base}{page}.html")
            browser.close()
    finally:
        server.shutdown()

    sizes = [r["gzip_bytes"] for r in results.values()]
    heaviest = max(results, key=lambda p: results[p]["gzip_bytes"])
    summary = {
        "pages": len(results),
        "heaviest_page": heaviest,
        "heaviest_gzip_mb": round(max(sizes) / MB, 3),
        "median_gzip_mb": round(statistics.median(sizes) / MB, 3),
        "budget_mb": BUDGET_MB,
    }
    return {"summary": summary, "pages": results}


def table(site: dict, top: int | None = None) -> str:
    """A Markdown table, heaviest page first (the ``top`` heaviest if given)."""
    summary, results = site["summary"], site["pages"]
    lines = ["| page | requests | raw MB | gzip MB |", "|---|---:|---:|---:|"]
    ranked = sorted(results.items(), key=lambda kv: -kv[1]["gzip_bytes"])
    for page, r in ranked[:top]:
        lines.append(f"| {page} | {r['requests']} | {r['raw_bytes'] / MB:.2f} | "
                     f"{r['gzip_bytes'] / MB:.2f} |")
    lines.append(
        f"\n{summary['pages']} pages; heaviest {summary['heaviest_gzip_mb']:.2f} MB"
        f" ({summary['heaviest_page']}), median {summary['median_gzip_mb']:.2f} MB"
        f" gzipped; budget {BUDGET_MB} MB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--html", type=Path, default=HTML, help="the built site")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        parser.error(f"{args.html} has no index.html: build the book first")
    site = measure_site(args.html)
    print(json.dumps(site, indent=2) if args.json else table(site))
    return 0 if site["summary"]["heaviest_gzip_mb"] <= BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
