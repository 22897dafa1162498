"""The live preview: a local page that follows the project file as it is saved."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from driverkit.preview import serve
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path / "examples" / "sepsis.yaml"


@pytest.fixture
def preview(project: Path) -> Iterator[str]:
    """The address of a preview of the project, served on a free port for the test's length."""
    stop, ready = threading.Event(), []
    thread = threading.Thread(target=serve, args=([project], 0), kwargs={"ready": ready.append, "stop": stop, "backend": "embedded"})
    thread.start()
    deadline = time.monotonic() + 20
    while not ready and time.monotonic() < deadline:
        time.sleep(0.02)
    yield ready[0]
    stop.set()
    thread.join(10)
    assert not thread.is_alive(), "the preview did not stop when asked"


def _get(url: str, host: str | None = None) -> str:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.read().decode("utf-8")


def _save(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_the_page_shows_the_diagram_and_follows_each_save(preview: str, project: Path) -> None:
    page = _get(preview)
    assert "<svg" in page and "Sepsis" in page
    events = urllib.request.urlopen(preview + "events", timeout=20)
    assert events.readline() == b"data: 0\n"
    events.readline()
    _save(project, "\ntitle: ", "\ntitle: Edited ")
    started = time.monotonic()
    while (line := events.readline()) in (b"\n", b": still here\n"):
        pass
    assert line == b"data: 1\n" and time.monotonic() - started < 5
    assert "Edited" in _get(preview + "content")


def test_a_broken_save_keeps_the_last_picture_and_shows_where_the_errors_are(preview: str, project: Path) -> None:
    _save(project, "\ntitle: ", "\nowner: someone\ntitle: ")
    deadline = time.monotonic() + 10
    while "error" not in (content := _get(preview + "content")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "the pictures below are from the last version that loaded" in content
    assert "<svg" in content
    assert "sepsis.yaml:" in content and "DK003" in content  # the unknown key, at its place


def test_only_this_machine_by_its_own_names_is_answered(preview: str) -> None:
    assert preview.startswith("http://127.0.0.1:")
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(preview, host="attacker.example")
    assert refused.value.code == 403
    assert "<svg" in _get(preview, host="localhost")


def test_text_from_the_project_is_escaped_on_the_page(preview: str, project: Path) -> None:
    _save(project, "\ntitle: ", "\ntitle: <script>zqx(1)</script> ")
    deadline = time.monotonic() + 10
    while "zqx" not in (content := _get(preview + "content")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "&lt;script&gt;zqx(1)&lt;/script&gt;" in content and "<script>zqx" not in content


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (the system package `chromium`)")
def test_in_a_real_browser_the_page_changes_when_the_file_is_saved(preview: str, project: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("request", lambda request: requests.append(request.url))
            page.goto(preview)
            page.wait_for_selector("#content svg")
            page.wait_for_selector("body[data-live=yes]")  # listening for saves
            _save(project, "\ntitle: ", "\ntitle: Saved in an editor ")
            page.wait_for_function("() => document.body.innerText.includes('Saved in an editor')", timeout=5000)
            _save(project, "driverkit: 1", "driverkit: 1\nbogus: [")
            page.wait_for_selector(".status.bad", timeout=5000)
            assert page.locator("#content svg").count() >= 1  # the last good picture stays
            page.click("text=Measurement plan")
            page.wait_for_selector("iframe.page")
            assert errors == []
            assert all(url.startswith(preview) for url in requests), requests
        finally:
            browser.close()
