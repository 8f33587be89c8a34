"""Headless Chromium over the built book: one visit per page of ``_toc.yml``.

Each page is loaded once, with every host but 127.0.0.1 unresolvable, and that one
visit proves everything the browser can show about it:

- nothing is requested off 127.0.0.1 (attempts are recorded, and fail);
- no console error or warning, no uncaught exception, no HTTP error;
- MathJax (the bundled copy) typeset the math, and no raw TeX is left in the prose;
- every widget rendered from its embedded state, with no error text, every image
  loaded;
- every control of every explorer (each slider, each comparison button) switches
  the visible frame, with no kernel, and the new frame loads; every activation page
  has an explorer;
- after switching the theme to dark in place (the theme's own button), every output
  image keeps a light backdrop and no output text falls below 4.5:1 contrast.

A failing page leaves a full-page screenshot in ``_build/screenshots/``;
``BOOK_SCREENSHOTS=1`` keeps one of every page, light and dark.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import activations as act

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
KEEP_SCREENSHOTS = os.environ.get("BOOK_SCREENSHOTS") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # the fence: no host resolves but the one the book is served from
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
LEFTOVER_TEX = ("\\(", "\\)", "\\[", "\\]", "\\begin{", "$$")
WIDGET_ERROR_TEXT = ("Loading widget", "Error", "Could not", "Failed")
TIMEOUT_MS = 30_000
SETTLE_MS = 15_000  # local assets: MathJax and the widgets take well under a second
FRAME_MS = 3_000  # a frame switch is a class change in the page
# Known, harmless: the widget manager's bundled Ajv warns about its own JSON schema when
# it compiles it (upstream behaviour, not an error). Any other warning fails the test.
ALLOWED_WARNINGS = re.compile(
    r"warning: strict mode: use allowUnionTypes to allow union type keyword at .*"
    r"\(strictTypes\) \(\S*/_static/npm/html-manager/embed(-amd)?\.js\S*\)"
)
ACTIVATION_PAGES = {
    f"book/activations/{a.family}/{a.name}" for a in act.all_activations()
}


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser):
    """One context for every page: each page is a fresh tab with its own log."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


class Visit:
    """One page load, what it logged, and the problems found while looking at it."""

    def __init__(self, context, url: str):
        self.problems: list[str] = []
        self.off_machine: list[str] = []
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.http_errors: list[str] = []
        self.page = page = context.new_page()
        page.on("request", self._request)
        page.on("websocket", self._websocket)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.goto(url, wait_until="load")

    @staticmethod
    def _leaves(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and (
            parts.hostname != "127.0.0.1"
        )

    def _request(self, request):
        if self._leaves(request.url):
            self.off_machine.append(request.url)

    def _websocket(self, ws):
        if self._leaves(ws.url):
            self.off_machine.append(ws.url)

    def _console(self, msg):
        if msg.type in ("error", "warning", "assert"):
            line = f"{msg.type}: {msg.text} ({msg.location.get('url', '')})"
            if not ALLOWED_WARNINGS.fullmatch(line):
                self.console.append(line)

    def _response(self, response):
        if response.status >= 400:
            self.http_errors.append(f"{response.status} {response.url}")

    def _request_failed(self, request):
        if not self._leaves(request.url):
            self.http_errors.append(f"failed: {request.url} ({request.failure})")

    def wait(self, what: str, expression: str, arg=None, timeout=SETTLE_MS) -> bool:
        """Wait for a condition; a timeout is a problem of the page, not an error."""
        try:
            self.page.wait_for_function(expression, arg=arg, timeout=timeout)
            return True
        except PlaywrightTimeoutError:
            self.problems.append(f"{what} (waited {timeout / 1000:g} s)")
            return False

    def check(self, what: str, found) -> None:
        """Record ``found`` (a list of offending items, or False) as a problem."""
        if found is False or (found is not True and found):
            self.problems.append(what if found is False else f"{what}: {found}")

    def screenshot(self, name: str) -> None:
        shot = SCREENSHOTS / f"{name}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(shot), full_page=True)


def test_page(context, http_server, toc_page, browser_visits):
    """Everything the browser shows of one page, from one visit (see the module)."""
    visit = Visit(context, f"{http_server}{toc_page}.html")
    try:
        _math_typeset(visit)
        _widgets_rendered(visit)
        if KEEP_SCREENSHOTS:
            visit.screenshot(toc_page)
        explorers = _every_control_switches_frames(visit)
        visit.check(
            "an activation page has an explorer",
            explorers > 0 or toc_page not in ACTIVATION_PAGES,
        )
        _dark_mode_outputs_stay_legible(visit)
        if KEEP_SCREENSHOTS:
            visit.screenshot(f"dark/{toc_page}")
        visit.check("requests that leave 127.0.0.1", visit.off_machine)
        visit.check("uncaught exceptions", visit.page_errors)
        visit.check("console errors and warnings", visit.console)
        visit.check("HTTP errors", visit.http_errors)
        browser_visits[toc_page] = explorers
        if visit.problems:
            visit.screenshot(toc_page)
        assert visit.problems == [], f"{toc_page}:\n  " + "\n  ".join(visit.problems)
    finally:
        visit.page.close()


def _math_typeset(visit: Visit) -> None:
    page = visit.page
    if page.locator("span.math, div.math").count() and visit.wait(
        "MathJax did not load",
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
    ):
        page.evaluate("() => MathJax.startup.promise.then(() => { window.__mj = 1; })")
        if visit.wait("MathJax did not finish typesetting", "() => window.__mj === 1"):
            visit.check(
                "the page has math but MathJax rendered none",
                page.locator("mjx-container").count() > 0,
            )
    # prose only: code may legitimately show TeX source
    text = page.evaluate(
        """() => {
            const main = (document.querySelector('article')
                          || document.querySelector('main') || document.body)
                .cloneNode(true);
            main.querySelectorAll(
                'pre, code, script, style, mjx-container, .widget-subarea'
            ).forEach(e => e.remove());
            return main.textContent;
        }"""
    )
    visit.check("raw TeX left in the article", [t for t in LEFTOVER_TEX if t in text])


def _widgets_rendered(visit: Visit) -> None:
    page = visit.page
    n_views = page.locator(WIDGET_VIEW).count()
    if not n_views:
        return
    # the manager inserts a .widget-subarea before each view tag and renders into it
    visit.wait(
        "the widget manager did not render every widget view",
        """n => Array.from(document.querySelectorAll('.widget-subarea'))
                 .filter(a => a.querySelector('.jupyter-widgets')).length >= n""",
        n_views,
    )
    visit.wait(
        "widget images did not finish loading",
        """() => Array.from(document.querySelectorAll('.widget-subarea img'))
                 .every(img => img.complete)""",
    )
    facts = page.evaluate(
        """() => ({
            areas: Array.from(document.querySelectorAll('.widget-subarea')).map(a => ({
                text: a.innerText,
                rendered: a.querySelector('.jupyter-widgets') !== null,
            })),
            unloaded: Array.from(document.querySelectorAll('.widget-subarea img'))
                .filter(img => img.naturalWidth === 0).map(img => img.src.slice(0, 60)),
        })"""
    )
    areas = facts["areas"]
    visit.check(
        f"{len(areas)} widget areas for {n_views} widget views", len(areas) == n_views
    )
    for area in areas:
        visit.check(f"empty widget area: {area['text'][:200]!r}", area["rendered"])
        bad = [word for word in WIDGET_ERROR_TEXT if word in area["text"]]
        visit.check(f"widget area shows error text {area['text'][:200]!r}", bad)
    visit.check("widget images that did not load", facts["unloaded"])


VISIBLE_IMAGE_SOURCES = """area => Array.from(area.querySelectorAll('img'))
    .filter(img => img.getClientRects().length > 0).map(img => img.src)"""


def _frame_changed(visit: Visit, area, before, what: str) -> bool:
    """Wait until the visible frame of ``area`` differs from ``before`` and loads."""
    return visit.wait(
        what,
        f"""([area, before]) => {{
            const now = ({VISIBLE_IMAGE_SOURCES})(area);
            return JSON.stringify(now) !== JSON.stringify(before) && now.length > 0
                && Array.from(area.querySelectorAll('img'))
                    .filter(img => now.includes(img.src))
                    .every(img => img.complete && img.naturalWidth > 0);
        }}""",
        [area.element_handle(), before],
        timeout=FRAME_MS,
    )


def _every_control_switches_frames(visit: Visit) -> int:
    """Click every comparison button and move every slider of every explorer.

    An explorer is a widget area with pre-rendered frames and at least one control;
    each control must change the visible frame (in static HTML a control is
    ``jslink``-ed to a ``Stack`` of images). Returns the number of explorers.
    """
    page = visit.page
    explorers = (
        page.locator(".widget-subarea")
        .filter(has=page.locator("img"))
        .filter(has=page.locator(".widget-slider, .widget-toggle-buttons"))
    )
    n = explorers.count()
    for i in range(n):
        area = explorers.nth(i)
        if not area.evaluate(VISIBLE_IMAGE_SOURCES):
            visit.problems.append(f"explorer {i}: no visible frame")
            continue
        toggles = area.locator(".widget-toggle-buttons button")
        for k in range(toggles.count()):
            button = toggles.nth(k)
            # the selected button is already on screen; every other one must change it
            if "mod-active" in (button.get_attribute("class") or ""):
                continue
            before = area.evaluate(VISIBLE_IMAGE_SOURCES)
            button.click()
            label = button.inner_text()
            _frame_changed(
                visit, area, before,
                f"explorer {i}: button {label!r} did not change the frame",
            )
        handles = area.locator(".widget-slider .noUi-handle")
        for k in range(handles.count()):
            handle = handles.nth(k)
            at_max = handle.evaluate(
                "h => Number(h.getAttribute('aria-valuenow'))"
                " >= Number(h.getAttribute('aria-valuemax'))"
            )
            before = area.evaluate(VISIBLE_IMAGE_SOURCES)
            handle.focus()
            handle.press("ArrowLeft" if at_max else "ArrowRight")
            _frame_changed(
                visit, area, before,
                f"explorer {i}: slider {k} did not change the frame",
            )
    return n


# Luminance and contrast as WCAG 2 defines them; the backdrop of an element is the
# first ancestor-or-self background that is mostly opaque.
DARK_MODE_FACTS = """() => {
    const rgba = s => {
        const m = s.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = c => {
        const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const backdrop = el => {
        for (let e = el; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0.5) return c;
        }
        return rgba(getComputedStyle(document.body).backgroundColor);
    };
    const shown = el => el.getClientRects().length > 0;
    const images = Array.from(document.querySelectorAll(
        'article .cell_output img, article figure img')).filter(shown).map(img => {
            const b = getComputedStyle(img).filter.match(/brightness\\(([\\d.]+)\\)/);
            return {src: img.src.slice(-50), backdrop: lum(backdrop(img)),
                    brightness: b ? Number(b[1]) : 1};
        });
    const texts = [];
    document.querySelectorAll('article .cell_output *').forEach(el => {
        const ownText = Array.from(el.childNodes)
            .some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!ownText || !shown(el) || el.closest('mjx-assistive-mml')) return;
        const [a, b] = [lum(rgba(getComputedStyle(el).color)), lum(backdrop(el))];
        texts.push({text: el.textContent.trim().slice(0, 40),
                    ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
    });
    return {theme: document.documentElement.dataset.theme, images, texts};
}"""
MIN_BACKDROP_LUMINANCE = 0.5  # Matplotlib's black ink needs a light ground
MIN_CONTRAST = 4.5  # WCAG AA for body text


def _dark_mode_outputs_stay_legible(visit: Visit) -> None:
    """Switch to the dark theme with the theme's button, as a reader would."""
    page = visit.page
    button = page.locator(".theme-switch-button").first
    for _ in range(3):  # the button cycles light -> auto -> dark
        if page.evaluate("() => document.documentElement.dataset.theme") == "dark":
            break
        button.click()
    facts = page.evaluate(DARK_MODE_FACTS)
    visit.check("the theme button did not reach dark mode", facts["theme"] == "dark")
    visit.check(
        "output images without a light backdrop in dark mode",
        [i for i in facts["images"]
         if i["backdrop"] < MIN_BACKDROP_LUMINANCE or i["brightness"] < 0.7],
    )
    visit.check(
        f"output text below {MIN_CONTRAST}:1 contrast in dark mode",
        [t for t in facts["texts"] if t["ratio"] < MIN_CONTRAST],
    )
