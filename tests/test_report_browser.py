"""The report in a real headless browser: nothing leaves the page, nothing fails, every picture shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import driverkit

from .conftest import ROOT

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (`chromium` on the PATH) to load the page in")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def open_report(html_file: Path, screenshot: Path, width: int = 900, print_media: bool = False) -> dict[str, list[str]]:
    """Load the page, refuse and record every request that is not the page itself or a data URI,
    and screenshot the whole page. Returns what was seen."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright drives the browser")
    seen: dict[str, list[str]] = {"outside": [], "errors": [], "broken": []}
    page_url = html_file.resolve().as_uri()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 1200})

            def route(r):  # type: ignore[no-untyped-def]
                url = r.request.url
                if url == page_url or url.startswith("data:"):
                    r.continue_()
                else:
                    seen["outside"].append(url)
                    r.abort()

            page.route("**/*", route)
            page.on("request", lambda req: None if req.url == page_url or req.url.startswith("data:") else seen["outside"].append(req.url))
            page.on("console", lambda msg: seen["errors"].append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
            page.goto(page_url, wait_until="load")
            if print_media:
                page.emulate_media(media="print")
            seen["broken"] = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt)")
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return seen


def test_the_maternity_report_loads_with_no_request_and_no_error(tmp_path: Path) -> None:
    html = tmp_path / "maternity-report.html"
    html.write_bytes(driverkit.render(driverkit.load(ROOT / "examples" / "maternity.yaml"), "html", view="report"))
    shot = tmp_path / "report.png"
    seen = open_report(html, shot)
    assert seen == {"outside": [], "errors": [], "broken": []}
    assert shot.stat().st_size > 50_000  # a page with a diagram and charts, not a blank


def test_hostile_text_stays_text_in_the_browser(tmp_path: Path) -> None:
    project = driverkit.loads("""
driverkit: 1
title: "<img src=https://example.invalid/x.png onerror=alert(1)>"
aim: {statement: "Reduce falls from 8 to 6 by 2026-12-31 <script>fetch('https://example.invalid')</script>"}
drivers:
  - {id: P1, text: "<iframe src=//example.invalid>", changes: [{id: C1, text: "x\\"><svg onload=alert(1)>"}]}
measures:
  - {id: M1, name: "<style>@import url(https://example.invalid/a.css)</style>", family: outcome, data: [{period: 2024-01, value: 1}, {period: 2024-02, value: 2}]}
""")
    html = tmp_path / "hostile.html"
    html.write_bytes(driverkit.render(project, "html", view="report"))
    seen = open_report(html, tmp_path / "hostile.png", print_media=True)
    assert seen == {"outside": [], "errors": [], "broken": []}
