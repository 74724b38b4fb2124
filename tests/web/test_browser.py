"""The pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright): a reader's
way through them, right-to-left layout, no horizontal overflow at phone width, the charts drawn,
hostile articles shown as text, and a screenshot of every page (into the test's temporary folder,
and into ``$MARSAD_SCREENSHOTS`` when it is set).

Without Chromium these tests are skipped, unless ``MARSAD_REQUIRE_BROWSER=1`` (as in CI): then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

CHROMIUM = os.environ.get("MARSAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: every kind of page, by a name for its screenshot
PAGES = {
    "home": "/",
    "search-empty": "/search",
    "search": "/search?q=" + quote("الربط الكهربائي"),
    "search-filtered": "/search?q=" + quote("وزارة") + "&topic=economy",
    "article": "/articles/mashriq-2024-04-08-power-link",
    "article-en": "/articles/gulf-observer-2024-04-09-energy",
    "cluster": "/clusters/mashriq-2024-04-08-power-link",
    "entity": "/entities/" + quote("سامر الحديدي", safe=""),
    "sources": "/sources",
    "docs": "/docs",
    "error": "/articles/no-such-article",
}


def _no_browser(why: str) -> None:
    if os.environ.get("MARSAD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MARSAD_REQUIRE_BROWSER=1 and {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _no_browser(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    dirs = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("MARSAD_SCREENSHOTS"):
        extra = Path(os.environ["MARSAD_SCREENSHOTS"])
        extra.mkdir(parents=True, exist_ok=True)
        dirs.append(extra)
    return dirs


def screenshot(page: Any, dirs: list[Path], name: str) -> None:
    png = page.screenshot(full_page=True)
    for d in dirs:
        (d / f"{name}.png").write_bytes(png)


class Watch:
    """A page's dialogs, console errors (a CSP violation is one) and failed requests."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="ar")
    p = context.new_page()
    p.watch = Watch(p)
    try:
        yield p
    finally:
        context.close()


# ---------------------------------------------------------------- every page, phone and desktop

@pytest.mark.parametrize("name", PAGES)
def test_page_at_phone_and_desktop_width(server: Any, browser: Any, shots: list[Path], name: str) -> None:
    for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
        context = browser.new_context(viewport=size, locale="ar")
        try:
            page = context.new_page()
            watch = Watch(page)
            response = page.goto(server.url + PAGES[name])
            assert response.status == (404 if name == "error" else 200)
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
            assert page.evaluate("document.documentElement.dir") == "rtl"
            assert page.evaluate("document.documentElement.lang") == "ar"
            # the stylesheet loaded (the Arabic font stack is set), and no request or script failed
            assert "Noto Naskh Arabic" in page.evaluate("getComputedStyle(document.body).fontFamily")
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= size["width"], f"{name} is {wide}px wide at {size['width']}px"
            too_wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1 || e.getBoundingClientRect().left < -1)
                .filter(e => !e.closest('.table-wrap'))
                .map(e => e.tagName + '.' + e.className).slice(0, 5)""", size["width"])
            assert not too_wide, f"{name}: elements outside the page at {size['width']}px: {too_wide}"
            errors = watch.errors[1:] if name == "error" else watch.errors  # the page's own 404 is the first
            assert not errors and not watch.dialogs, (watch.errors, watch.dialogs)
            screenshot(page, shots, f"{name}-{label}")
        finally:
            context.close()


def test_pages_work_with_javascript_off(server: Any, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        page.fill(".big-find input[name=q]", "صفاقس")
        page.press(".big-find input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"/search\?q="))
        assert page.locator(".hits .hit").count() == 2
        assert page.locator("svg.chart .pt").count() > 0  # the charts are the server's SVG
    finally:
        context.close()


# ---------------------------------------------------------------- a reader's way through

def test_search_article_entity_chart(server: Any, page: Any, shots: list[Path]) -> None:
    page.goto(server.url + "/")
    box = page.locator(".big-find input[name=q]")
    box.fill("الربط الكهربائي")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("h1").inner_text() == "البحث"
    hits = page.locator(".hits .hit a.title")
    assert hits.count() == 2
    assert page.locator(".hits mark").count() > 0  # the matched words are highlighted
    assert page.locator(".facets a").count() > 0
    screenshot(page, shots, "journey-1-search")

    first = hits.first.inner_text()
    hits.first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.locator("article h1").inner_text() == first
    screenshot(page, shots, "journey-2-article")

    person = page.locator("article .body a.ent-PER").first
    name = person.inner_text()
    assert name
    person.click()
    page.wait_for_url(re.compile(r"/entities/"))
    assert page.locator("h1").inner_text() in (name, "سامر الحديدي")
    points = page.locator("section.trend svg.chart .pt")
    assert points.count() >= 2
    counts = [int(c) for c in points.evaluate_all("els => els.map(e => e.dataset.count)")]
    assert sum(counts) > 0 and max(counts) > 0
    # the points are drawn: each has a size on the screen, a point with more articles stands higher
    boxes = points.evaluate_all("els => els.map(e => e.getBoundingClientRect())")
    assert all(b["width"] > 0 and b["height"] > 0 for b in boxes)
    top = max(range(len(counts)), key=lambda i: counts[i])
    low = min(range(len(counts)), key=lambda i: counts[i])
    if counts[top] > counts[low]:
        assert boxes[top]["y"] < boxes[low]["y"]
    assert page.locator(".entities a").count() > 0  # the names that come with it
    screenshot(page, shots, "journey-3-entity")
    assert not page.watch.dialogs and not page.watch.errors


def test_story_timeline_from_the_article(server: Any, page: Any) -> None:
    page.goto(server.url + "/articles/sahil-2024-04-08-1177")
    page.get_by_role("link", name="الخط الزمني للقصة").click()
    page.wait_for_url(re.compile(r"/clusters/"))
    items = page.locator("ol.timeline > li")
    assert items.count() == 4
    assert "original" in (items.first.get_attribute("class") or "")
    assert "وكالة أنباء المشرق" in items.first.inner_text()
    assert "نشر أولاً" in items.first.inner_text()
    assert all("بعد" in items.nth(i).inner_text() for i in range(1, 4))  # who followed, and how much later


# ---------------------------------------------------------------- hostile articles

def _hostile_pages(server: Any) -> list[str]:
    word = quote(server.hostile_word)
    return ([f"/articles/{quote(i, safe='')}" for i in server.hostile_ids]
            + [f"/search?q={word}", f"/search?q={word}&sort=date", "/clusters/hostile-1", "/", "/sources",
               "/entities/" + quote("سامر الحديدي", safe=""), "/entities/" + quote("صفاقس", safe=""),
               f"/search?q={word}&source=" + quote("<img src=x onerror=alert(1)>")])


INJECTED = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    scripts: document.querySelectorAll('script').length,
    imgs: document.querySelectorAll('img, iframe, object, embed, style, textarea, base').length,
    svgs: [...document.querySelectorAll('svg')].filter(s => !s.classList.contains('chart')).length,
    handlers: all.flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    badLinks: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
      .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction'))
      .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)),
    text: document.body.innerText,
  };
}"""


def test_hostile_articles_stay_text(server: Any, page: Any, shots: list[Path]) -> None:
    for path in _hostile_pages(server):
        response = page.goto(server.url + path)
        assert response.status == 200, path
        # move over the titles and text: an injected onmouseover would fire
        for box in page.locator("main h1, main .title, main .snippet, main .body p").all()[:8]:
            if box.is_visible():
                box.hover(timeout=2000)
        page.wait_for_timeout(50)
        found = page.evaluate(INJECTED)
        assert found["scripts"] == 0 and found["imgs"] == 0 and found["svgs"] == 0, (path, found)
        assert not found["handlers"] and not found["badLinks"], (path, found)
        assert not page.watch.dialogs, (path, page.watch.dialogs)
        text = found["text"]
        if path.startswith("/articles/"):
            assert "<script>" in text or "<img src=x onerror=alert(1)>" in text or '"><svg onload=alert(1)>' in text, path
        if path == "/sources":
            assert "<img src=x onerror=alert(1)>" in text
        if "search" in path:
            assert server.hostile_word in text
    page.goto(server.url + "/articles/hostile-1")
    assert page.locator("article h1").inner_text() == "<script>alert(1)</script> زعفرانية عاجلة"
    assert "<img src=x onerror=alert(1)>" in page.locator("article .meta").inner_text()  # the author
    assert page.locator(".source-link a").count() == 0  # a javascript: URL is not a link
    assert "javascript:alert(1)" in page.locator(".source-link").inner_text()
    body = page.locator("article .body").inner_text()
    assert "</textarea><script>alert(2)</script>" in body and '"><svg onload=alert(1)>' in body
    screenshot(page, shots, "hostile-article")
    page.goto(server.url + "/search?q=" + quote(server.hostile_word))
    screenshot(page, shots, "hostile-search")
    assert not page.watch.dialogs
