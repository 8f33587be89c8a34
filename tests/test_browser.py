"""Headless Chromium over the built book, with every off-machine request blocked.

For every page in _toc.yml: nothing is requested off 127.0.0.1, the console stays
empty, math is typeset by the bundled MathJax 3, every widget renders from the
embedded state with the bundled widget manager, and sliders switch the pre-rendered
frames of kernel-free explorers; in the dark theme every output (plot, widget, table)
keeps a light backdrop and legible text. Full-page screenshots of each page, light and
dark, are saved to _build/screenshots/ for humans.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
LEFTOVER_TEX = ("\\(", "\\)", "\\[", "\\]", "\\begin{", "$$")
WIDGET_ERROR_TEXT = ("Loading widget", "Error", "Could not", "Failed")
TIMEOUT_MS = 30_000
# Known, harmless: the widget manager's bundled Ajv warns about its own JSON schema when
# it compiles it (upstream behaviour, not an error). Any other warning fails the test.
ALLOWED_WARNINGS = re.compile(
    r"warning: strict mode: use allowUnionTypes to allow union type keyword at .*"
    r"\(strictTypes\) \(\S*/_static/npm/html-manager/embed(-amd)?\.js\S*\)"
)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (.ci/run installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page load with the network fenced in to 127.0.0.1, and what it logged."""

    def __init__(self, browser, url: str, mode: str | None = None):
        self.off_machine: list[str] = []
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.http_errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        if mode:
            # the theme reads the reader's choice (the mode button) from localStorage
            self.context.add_init_script(f"localStorage.setItem('mode', '{mode}')")
        self.page = page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.on("websocket", self._websocket)
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.off_machine.append(url)
            route.abort()

    def _websocket(self, ws):
        if urlsplit(ws.url).hostname != "127.0.0.1":
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
        if urlsplit(request.url).hostname == "127.0.0.1":
            self.http_errors.append(f"failed: {request.url} ({request.failure})")

    def close(self):
        self.context.close()


SETTLE_MS = 15_000  # local assets: MathJax and the widgets take well under a second


def _settle(page) -> dict:
    """Wait for MathJax and the widget manager to finish; return what the page shows.

    A wait that times out is recorded under "timeouts" (and the checks fail on it)
    rather than raised, so one broken page costs one timeout, not one per test.
    """
    timeouts = []

    def wait(what, expression, arg=None):
        try:
            page.wait_for_function(expression, arg=arg, timeout=SETTLE_MS)
            return True
        except PlaywrightTimeoutError:
            timeouts.append(f"{what} (waited {SETTLE_MS / 1000:.0f} s)")
            return False

    n_math = page.locator("span.math, div.math").count()
    if n_math and wait(
        "MathJax did not load",
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
    ):
        page.evaluate(
            "() => { MathJax.startup.promise.then(() => { window.__mj = 1; }); }"
        )
        wait("MathJax did not finish typesetting", "() => window.__mj === 1")
    n_views = page.locator(WIDGET_VIEW).count()
    if n_views:
        # the manager inserts a .widget-subarea before each view tag and renders into it
        wait(
            "the widget manager did not render every widget view",
            """n => Array.from(document.querySelectorAll('.widget-subarea'))
                     .filter(a => a.querySelector('.jupyter-widgets')).length >= n""",
            n_views,
        )
        wait(
            "widget images did not finish loading",
            """() => Array.from(document.querySelectorAll('.widget-subarea img'))
                     .every(img => img.complete)""",
        )
    return page.evaluate(
        """() => {
            // prose only: code may legitimately show TeX source
            const main = (document.querySelector('article')
                          || document.querySelector('main') || document.body)
                .cloneNode(true);
            main.querySelectorAll(
                'pre, code, script, style, mjx-container, .widget-subarea'
            ).forEach(e => e.remove());
            const areas = Array.from(document.querySelectorAll('.widget-subarea'));
            return {
                mjx: document.querySelectorAll('mjx-container').length,
                text: main.textContent,
                areas: areas.map(a => ({
                    text: a.innerText,
                    rendered: a.querySelector('.jupyter-widgets') !== null,
                })),
                images: Array.from(document.querySelectorAll('.widget-subarea img'))
                    .map(img => ({src: img.src.slice(0, 60), width: img.naturalWidth})),
            };
        }"""
    ) | {"n_math": n_math, "n_views": n_views, "timeouts": timeouts}


_reports: dict[str, tuple[Visit, dict]] = {}


@pytest.fixture
def loaded(browser, http_server, toc_page):
    """Load a toc page once per module (every check below reads the same load)."""
    if toc_page not in _reports:
        visit = Visit(browser, f"{http_server}{toc_page}.html")
        try:
            facts = _settle(visit.page)
            shot = SCREENSHOTS / f"{toc_page}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            visit.page.screenshot(path=str(shot), full_page=True)
        finally:
            visit.close()
        _reports[toc_page] = (visit, facts)
    return _reports[toc_page]


@pytest.fixture(scope="module", autouse=True)
def _fresh_screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    yield
    _reports.clear()


def test_no_off_machine_request(loaded):
    visit, _ = loaded
    assert visit.off_machine == []


def test_console_clean(loaded):
    visit, _ = loaded
    assert visit.page_errors == []
    assert visit.console == []
    assert visit.http_errors == []


def test_math_typeset(loaded):
    _, facts = loaded
    assert not [t for t in facts["timeouts"] if "MathJax" in t], facts["timeouts"]
    if facts["n_math"]:
        assert facts["mjx"] > 0, "the page has math but MathJax rendered none"
    leftovers = [tex for tex in LEFTOVER_TEX if tex in facts["text"]]
    assert leftovers == [], f"raw TeX left in the article: {leftovers}"


def test_widgets_rendered(loaded):
    _, facts = loaded
    assert not [t for t in facts["timeouts"] if "widget" in t], facts["timeouts"]
    areas = facts["areas"]
    assert len(areas) == facts["n_views"], "not every widget view got a widget area"
    for area in areas:
        assert area["rendered"], f"empty widget area: {area['text'][:200]!r}"
        bad = [word for word in WIDGET_ERROR_TEXT if word in area["text"]]
        assert bad == [], f"widget area shows {bad}: {area['text'][:200]!r}"
    for image in facts["images"]:
        assert image["width"] > 0, f"widget image did not load: {image['src']}"


VISIBLE_IMAGE_SOURCES = """area => Array.from(area.querySelectorAll('img'))
    .filter(img => img.getClientRects().length > 0).map(img => img.src)"""


def _move_sliders_until_frame_changes(page, area, before):
    """Press arrow keys on each slider in turn; the new visible frames, or None."""
    handles = area.locator(".widget-slider .noUi-handle")
    for k in range(handles.count()):
        handle = handles.nth(k)
        at_max = handle.evaluate(
            "h => Number(h.getAttribute('aria-valuenow'))"
            " >= Number(h.getAttribute('aria-valuemax'))"
        )
        handle.focus()
        for _ in range(2):
            handle.press("ArrowLeft" if at_max else "ArrowRight")
        try:
            page.wait_for_function(
                f"([area, before]) => JSON.stringify(({VISIBLE_IMAGE_SOURCES})(area))"
                " !== JSON.stringify(before)",
                arg=[area.element_handle(), before],
                timeout=3_000,
            )
        except PlaywrightTimeoutError:
            continue
        return area.evaluate(VISIBLE_IMAGE_SOURCES)
    return None


def test_slider_switches_frames(browser, http_server, toc_page):
    """Moving a slider shows another pre-rendered frame (no kernel needed)."""
    visit = Visit(browser, f"{http_server}{toc_page}.html")
    try:
        page = visit.page
        if page.locator(WIDGET_VIEW).count() == 0:
            pytest.skip("no widgets on this page")
        facts = _settle(page)
        assert facts["timeouts"] == []
        explorers = (
            page.locator(".widget-subarea")
            .filter(has=page.locator(".widget-slider"))
            .filter(has=page.locator("img"))
        )
        if explorers.count() == 0:
            pytest.skip("no slider explorer on this page")
        for i in range(explorers.count()):
            area = explorers.nth(i)
            before = area.evaluate(VISIBLE_IMAGE_SOURCES)
            assert before, f"explorer {i}: no visible frame before moving a slider"
            after = _move_sliders_until_frame_changes(page, area, before)
            assert after, (
                f"explorer {i}: moving its sliders did not change the visible frame"
                " (in static HTML a slider must be jslink-ed to the Stack of frames)"
            )
            widths = page.evaluate(
                "srcs => Array.from(document.images).filter(i => srcs.includes(i.src))"
                ".map(i => i.naturalWidth)",
                after,
            )
            assert widths and min(widths) > 0, f"explorer {i}: new frame did not load"
        assert visit.page_errors == [] and visit.console == []
        assert visit.off_machine == []
    finally:
        visit.close()


def _activation_pages() -> list[str]:
    import activations as act

    return [f"book/activations/{a.family}/{a.name}" for a in act.all_activations()]


@pytest.mark.parametrize("page_path", _activation_pages())
def test_every_explorer_control_switches_frames(browser, http_server, page_path):
    """On every activation page each explorer control (slider or compare toggle)
    changes the visible plot in the static HTML, with no kernel."""
    visit = Visit(browser, f"{http_server}{page_path}.html")
    try:
        page = visit.page
        assert _settle(page)["timeouts"] == []
        explorers = page.locator(".activation-explorer")
        assert explorers.count() >= 1, "an activation page has an explorer"
        for i in range(explorers.count()):
            area = explorers.nth(i)
            toggles = area.locator(".widget-toggle-buttons button")
            sliders = area.locator(".widget-slider .noUi-handle")
            assert toggles.count() + sliders.count() > 0
            for k in range(toggles.count()):
                # the selected button (the first, or a parameter's default) is
                # already on screen; every other one must change the picture
                if "mod-active" in (toggles.nth(k).get_attribute("class") or ""):
                    continue
                before = area.evaluate(VISIBLE_IMAGE_SOURCES)
                toggles.nth(k).click()
                page.wait_for_function(
                    f"([a, b]) => JSON.stringify(({VISIBLE_IMAGE_SOURCES})(a))"
                    " !== JSON.stringify(b)",
                    arg=[area.element_handle(), before],
                    timeout=3_000,
                )
            if sliders.count():
                before = area.evaluate(VISIBLE_IMAGE_SOURCES)
                assert _move_sliders_until_frame_changes(page, area, before)
        assert visit.page_errors == [] and visit.console == []
        assert visit.off_machine == []
    finally:
        visit.close()


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


def test_dark_mode_outputs_stay_legible(browser, http_server, toc_page):
    """In the dark theme, output images keep a light backdrop and text stays legible."""
    visit = Visit(browser, f"{http_server}{toc_page}.html", mode="dark")
    try:
        page = visit.page
        assert _settle(page)["timeouts"] == []
        facts = page.evaluate(DARK_MODE_FACTS)
        shot = SCREENSHOTS / "dark" / f"{toc_page}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        assert facts["theme"] == "dark"
        dark_images = [
            i
            for i in facts["images"]
            if i["backdrop"] < MIN_BACKDROP_LUMINANCE or i["brightness"] < 0.7
        ]
        assert dark_images == []
        faint = [t for t in facts["texts"] if t["ratio"] < MIN_CONTRAST]
        assert faint == [], f"output text below {MIN_CONTRAST}:1 contrast: {faint}"
        assert visit.page_errors == [] and visit.console == []
        assert visit.off_machine == []
    finally:
        visit.close()
