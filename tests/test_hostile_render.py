"""Rendering hostile input: fonts with scripts in their names, fonts that are folders, pipes or
outside the project, a planted cache folder, texts longer than Graphviz reads, URLs and control
characters in user text, and templates that try to leave the sandbox."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import time
import warnings
import zipfile
from pathlib import Path

import pytest

import driverkit
from driverkit.output import engine, escape
from driverkit.cli import main
from driverkit.output.engine import RenderError, RenderWarning
from driverkit.output.rendering import render
from tests.conftest import ROOT, STARTER

pytest.importorskip("pygraphviz", reason="the embedded Graphviz (pygraphviz) is not installed")

HAS_SYSTEM_DOT = shutil.which("dot") is not None
BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("system", id="system", marks=pytest.mark.skipif(not HAS_SYSTEM_DOT, reason="no system Graphviz (`dot` is not on PATH)")),
]
HOSTILE_NAME = 'x"/><script>alert(document.domain)</script><text x="'
DEJAVU = ROOT / "driverkit" / "fonts" / "DejaVuSans.ttf"
HTML_VIEWS = ("measurement-plan", "logic-model", "pdsa", "spread")


def renamed_font(target: Path, name: str) -> Path:
    """A copy of the shipped DejaVu Sans whose every name record says `name`."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(DEJAVU))
    table = font["name"]
    for record in list(table.names):
        table.setName(name, record.nameID, record.platformID, record.platEncID, record.langID)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


def project_with_font(folder: Path, font_file: str, extra: str = "") -> driverkit.Project:
    path = folder / "project.yaml"
    path.write_text(STARTER.read_text(encoding="utf-8") + extra + f"render: {{font_file: {font_file!r}}}\n", encoding="utf-8")
    return driverkit.load(path)


# -- 1. a font's name ------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_a_font_named_like_a_script_is_refused_and_never_reaches_an_output(tmp_path: Path, backend: str) -> None:
    renamed_font(tmp_path / "fonts" / "Evil.ttf", HOSTILE_NAME)
    project = project_with_font(tmp_path, "fonts/Evil.ttf")
    for view in ("driver-diagram", "logic-model"):
        with pytest.raises(ValueError, match="cannot be passed to Graphviz safely") as caught:
            render(project, "svg", view=view, backend=backend)
        assert "<script" not in str(caught.value)  # the name is not echoed either
    out = tmp_path / "out"
    assert main(["render", str(tmp_path / "project.yaml"), "-o", str(out), "--backend", backend, "--view", "all",
                 "-f", "svg,png,html,md", "-j", "1"]) == 1
    written = list(out.iterdir())
    assert any(p.suffix == ".html" for p in written)
    for path in written:
        assert b"<script" not in path.read_bytes(), path.name


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_font_with_a_plain_name_still_draws(tmp_path: Path, backend: str) -> None:
    renamed_font(tmp_path / "fonts" / "House.ttf", "House Sans-2.0_b")
    project = project_with_font(tmp_path, "fonts/House.ttf")
    data = render(project, "svg", backend=backend)
    assert b'font-family="House Sans-2.0_b"' in data and b"<script" not in data


def test_only_plain_font_names_are_accepted(tmp_path: Path) -> None:
    from driverkit.output.textwidth import font_from_bytes

    for name in (HOSTILE_NAME, "Evil & Co", "a<b", "Tab\there", "x" * 101, "-starts with a dash", "Comma, Sans"):
        with pytest.raises(ValueError, match="plain name"):
            font_from_bytes(renamed_font(tmp_path / "f.ttf", name).read_bytes())
    assert font_from_bytes(renamed_font(tmp_path / "g.ttf", "Frutiger Bold").read_bytes()).family == "Frutiger Bold"


# -- 2. where a font file may come from -------------------------------------------------------------

def test_a_font_file_outside_the_project_is_refused_unless_allowed(tmp_path: Path) -> None:
    outside = renamed_font(tmp_path / "elsewhere" / "House.ttf", "House Sans")
    folder = tmp_path / "project"
    folder.mkdir()
    for name in (str(outside), "../elsewhere/House.ttf"):
        with pytest.raises(ValueError, match="outside the project's folder"):
            render(project_with_font(folder, name), "dot")
    (folder / "link.ttf").symlink_to(outside)
    with pytest.raises(ValueError, match="outside the project's folder"):
        render(project_with_font(folder, "link.ttf"), "dot")
    path = folder / "project.yaml"
    allowed = driverkit.load(path, allow=[tmp_path / "elsewhere"])
    assert b"House Sans" in render(allowed, "dot")


def test_a_font_file_that_is_a_folder_a_pipe_or_not_a_font_says_so(tmp_path: Path) -> None:
    (tmp_path / "folder.ttf").mkdir()
    os.mkfifo(tmp_path / "pipe.ttf")
    (tmp_path / "secret.ttf").write_text("SECRET-TOKEN-1234 is not a font", encoding="utf-8")
    cases = {"folder.ttf": "a folder, not a file", "pipe.ttf": "not a regular file", "missing.ttf": "does not exist",
             "secret.ttf": "not a TrueType or OpenType font"}
    for name, message in cases.items():
        started = time.monotonic()
        with pytest.raises(ValueError, match=message) as caught:
            render(project_with_font(tmp_path, name), "svg")
        assert time.monotonic() - started < 10  # the pipe is never waited on
        assert "SECRET" not in str(caught.value) and name in str(caught.value)


# -- 3. Graphviz sees a private copy of the font, never its folder -----------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_graphviz_gets_a_private_copy_of_the_font_not_its_folder(tmp_path: Path, backend: str, monkeypatch) -> None:
    (tmp_path / "fonts").mkdir()
    shutil.copy(ROOT / "driverkit" / "fonts" / "DejaVuSans-Bold.ttf", tmp_path / "fonts" / "House.ttf")
    os.mkfifo(tmp_path / "fonts" / "stall.ttf")  # fontconfig would wait on it for minutes
    (tmp_path / "fonts" / "other.ttf").write_bytes(b"junk")
    project = project_with_font(tmp_path, "fonts/House.ttf")
    seen: list[tuple[str, list[str]]] = []
    real = engine.Backend.render

    def spy(self, source, fmt, font_dirs=(), dpi=engine.PNG_DPI):  # type: ignore[no-untyped-def]
        seen.append((self.name, [sorted(os.listdir(d)) for d in font_dirs]))
        for folder in font_dirs:
            assert Path(folder).resolve() != (tmp_path / "fonts").resolve()
        return real(self, source, fmt, font_dirs, dpi)

    monkeypatch.setattr(engine.Backend, "render", spy)
    started = time.monotonic()
    data = render(project, "svg", backend=backend)
    assert time.monotonic() - started < 60
    assert b'font-family="DejaVu Sans Bold"' in data
    assert seen == [(backend, [["font.ttf"]])]


def test_the_private_font_folder_is_removed_afterwards(tmp_path: Path, monkeypatch) -> None:
    renamed_font(tmp_path / "project" / "House.ttf", "House Sans")
    project = project_with_font(tmp_path / "project", "House.ttf")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    render(project, "svg", backend="embedded")
    assert list(scratch.iterdir()) == []


# -- 4. the cache folder -----------------------------------------------------------------------------

@pytest.mark.parametrize("plant", ["symlink", "shared", "file"])
def test_a_planted_cache_folder_in_the_temporary_directory_is_not_used(tmp_path: Path, monkeypatch, plant: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the user's cache cannot be made
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    monkeypatch.setattr(engine, "_private_cache", None)
    victim = tmp_path / "victim"
    victim.mkdir()
    planted = temp / f"driverkit-{os.getuid()}"
    if plant == "symlink":
        planted.symlink_to(victim)
    elif plant == "shared":
        planted.mkdir()
        planted.chmod(0o777)
    else:
        planted.write_text("x", encoding="utf-8")
    cache = engine._cache_dir()
    assert cache != planted and not cache.resolve().is_relative_to(victim) and cache.resolve() != planted.resolve()
    conf = engine.fontconfig_file()
    assert conf.parent == cache and list(victim.iterdir()) == []
    if plant == "shared":
        assert list(planted.iterdir()) == []


def test_a_fresh_cache_folder_in_the_temporary_directory_is_private(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    cache = engine._cache_dir()
    assert cache == tmp_path / f"driverkit-{os.getuid()}"
    assert not cache.is_symlink() and cache.stat().st_mode & 0o777 == 0o700


# -- 5. texts longer than Graphviz reads, and diagrams too large to write -----------------------------

LONG = """\
driverkit: 1
title: "{amp}"
aim: {{statement: "Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026", measures: [M1]}}
drivers:
  - id: P1
    text: "{amp}"
    description: "{words}"
    drivers:
      - id: S1
        text: Secondary
        measures: [{measure_ids}]
        changes:
          - text: Change
            status: testing
            owner: Ward sister
changes:
  - text: Huddle
    drivers: [{{to: S1, evidence: "{amp}"}}]
measures:
{measures}
logic_model:
  inputs: [{{id: IN1, text: "{amp}", leads_to: [A1]}}]
  activities: [{{id: A1, text: Training, leads_to: [OS1]}}]
  outcomes:
    short: [{{id: OS1, text: Huddles held, leads_to: [IM1]}}]
  impact: [{{id: IM1, text: Fewer falls, aim: true}}]
  assumptions: [{assumptions}]
"""


def long_project() -> driverkit.Project:
    amp = "&" * 5000
    measures = "\n".join(f"  - {{id: M{i}, name: \"{amp}\", family: {'outcome' if i == 1 else 'process'}}}" for i in range(1, 40))
    text = LONG.format(amp=amp, words="word " * 4000, measures=measures, measure_ids=", ".join(f"M{i}" for i in range(2, 40)),
                       assumptions=", ".join(f'"{amp}"' for _ in range(20)))
    return driverkit.loads(text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_texts_longer_than_graphviz_reads_are_drawn_cut_short_with_a_warning(backend: str) -> None:
    project = long_project()
    for view in ("driver-diagram", "logic-model"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = render(project, "svg", view=view, backend=backend)
        messages = [str(w.message) for w in caught if issubclass(w.category, RenderWarning)]
        assert any("cut short" in m for m in messages), messages
        assert "…".encode() in data and data.rstrip().endswith(b"</svg>")
        with pytest.warns(RenderWarning):
            dot = render(project, "dot", view=view)
        for string in re.findall(rb'"[^"]*"', dot):
            assert len(string) < 16_384
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(project, "svg", backend=backend)
    messages = " ".join(str(w.message) for w in caught)
    assert "the tooltip of P1" in messages and "the evidence of the link C1 -> S1" in messages
    assert "the title" in messages and "the legend" in messages


def test_a_long_text_on_the_command_line_warns_and_draws(tmp_path: Path, capsys) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(STARTER.read_text(encoding="utf-8").replace(
        "    text: Falls risk is known for every patient\n",
        f"    text: Falls risk is known for every patient\n    description: \"{'word ' * 4000}\"\n", 1), encoding="utf-8")
    assert "description:" in path.read_text(encoding="utf-8")
    assert main(["render", str(path), "-o", str(tmp_path / "out"), "-f", "svg,png", "-j", "1"]) == 0
    assert "cut short" in capsys.readouterr().err


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_diagram_too_large_to_write_is_refused_before_drawing(monkeypatch, backend: str) -> None:
    project = driverkit.load(ROOT / "examples" / "maternity.yaml")
    monkeypatch.setattr(engine, "MAX_OUTPUT_BYTES", 100_000)
    monkeypatch.setattr(engine.SystemBackend, "_render", lambda *a: pytest.fail("Graphviz was run"))
    monkeypatch.setattr(engine.EmbeddedBackend, "_render", lambda *a: pytest.fail("Graphviz was run"))
    with pytest.raises(RenderError, match="too large for Graphviz to draw.*--primary"):
        render(project, "svg", backend=backend)


# -- 6. every output's escaping, values read from files included --------------------------------------

NASTY = "=HYPERLINK(\\\"http://evil.example\\\") <script>alert(1)</script> www.evil.example a@evil.example \\0 \\x1b[31m ]]"
HOSTILE_PROJECT = f"""\
driverkit: 1
title: "{NASTY}"
aim: {{statement: "Reduce falls by 20% for patients over 65 on ward 7 by December 2026 {NASTY}", measures: [M1]}}
drivers:
  - id: P1
    text: "{NASTY}"
    description: "{NASTY}"
    drivers:
      - id: S1
        text: "{NASTY}"
        changes:
          - {{text: "{NASTY}", status: testing, owner: "{NASTY}"}}
measures:
  - {{id: M1, name: "{NASTY}", family: outcome, definition: "{NASTY}", owner: "+{NASTY}", source: "@{NASTY}", numerator: "-{NASTY}",
      data_file: data.csv}}
pdsa:
  - {{id: PDSA1, change: C1.1.1, objective: "{NASTY}", prediction: "{NASTY}", do: "{NASTY}", study: "{NASTY}", decision: adapt}}
spread:
  sites: [{{name: "{NASTY}", adopts: {{C1.1.1: adopted}}}}]
"""


def test_every_output_escapes_hostile_text_read_from_the_project_and_its_files(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_text(HOSTILE_PROJECT, encoding="utf-8")
    rows = "".join(f"2024-{m:02d},{m},\"{'<script>x</script> http://evil.example a@evil.example' if m == 1 else ''}\"\n" for m in range(1, 13))
    (tmp_path / "data.csv").write_text("period,value,note\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["render", str(path), "-o", str(out), "--backend", "embedded", "--view", "all", "-f",
                 "svg,dot,mermaid,html,md,csv,xlsx", "-j", "1"])
    assert code == 0
    outputs = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"project.svg", "project.mmd", "project-measurement-plan.md", "project-measurement-plan.csv"} <= set(outputs)
    for name, data in outputs.items():
        if name.endswith(".xlsx"):
            continue
        assert b"\x00" not in data and b"\x1b" not in data, name
        if name.endswith((".svg", ".html")):
            assert b"<script" not in data, name
        if name.endswith(".md"):
            text = data.decode("utf-8")
            assert not re.search(r"(?<!\\)<script", text) and "http://" not in text and "a@evil" not in text and "www.evil" not in text, name
        if name.endswith(".mmd"):  # the title is a YAML string, which Mermaid shows as plain text
            front, body = data.split(b"\n---\n", 1)
            assert front.count(b"\n") == 1 and b"<script" not in body, name
    table = list(csv.reader(io.StringIO(outputs["project-measurement-plan.csv"].decode("utf-8-sig"))))
    for cell in (c for row in table[1:] for c in row):
        assert not cell.startswith(("=", "+", "-", "@")), cell
    with zipfile.ZipFile(io.BytesIO(outputs["project-measurement-plan.xlsx"])) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert "<f>" not in sheet and "<script" not in sheet


def test_the_mermaid_title_loses_control_characters() -> None:
    project = driverkit.loads(HOSTILE_PROJECT.replace("data_file: data.csv", "baseline: 1"))
    first = render(project, "mermaid").decode("utf-8").splitlines()[1]
    assert "\x00" not in first and "\x1b" not in first and first.startswith('title: "') and first.endswith('"')
    assert escape.mermaid_title('a\0b "q" \\ \ufeff\n  c') == 'ab \\"q\\" \\\\ c'


def test_a_markdown_code_span_shows_any_text_exactly_and_cannot_be_closed_early() -> None:
    # for the lines to paste: a backslash in a code span would be shown, and a backtick would end it
    assert escape.markdown_code("- same: [trusts/hill_crest.yaml#C1]") == "`- same: [trusts/hill_crest.yaml#C1]`"
    assert escape.markdown_code("a`b") == "``a`b``"
    assert escape.markdown_code("`x") == "`` `x ``"
    assert escape.markdown_code("line\none\x07") == "`line one`"


def test_markdown_never_makes_a_link_of_user_text() -> None:
    text = "see http://evil.example/x, HTTPS://X.Y, www.evil.example, (WWW.a.b), ward7@nhs.example and @octocat"
    escaped = escape.markdown(text)
    assert "://" not in escaped.replace("\\://", "") and "www." not in escaped.lower()
    assert re.search(r"@[A-Za-z0-9]", escaped) is None
    assert escaped.replace("\\", "").replace("&#8203;", "") == text  # reads the same once rendered


# -- 7. templates run in the sandbox -----------------------------------------------------------------

@pytest.fixture
def maternity() -> driverkit.Project:
    return driverkit.load(ROOT / "examples" / "maternity.yaml")


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ plan.__class__.__init__.__globals__ }}",
    "{{ charts[0].measure.parse_file('/etc/passwd') }}",
    "{{ charts[0].measure.model_validate_json('{}') }}",
    "{{ charts[0].measure.__class__.parse_file('/etc/passwd') }}",
    "{{ plan.rows.append(1) }}",
    "{{ 'x' * 10 ** 9 }}",
    "{{ 7 ** 99999999 }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.system('echo pwned') }}",
])
def test_a_template_cannot_leave_the_sandbox(tmp_path: Path, maternity: driverkit.Project, body: str) -> None:
    (tmp_path / "measurement-plan.md.j2").write_text(body, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ValueError, match="template"):
        render(maternity, "md", view="measurement-plan", templates=tmp_path)
    assert time.monotonic() - started < 30


def test_a_template_cannot_include_a_file_outside_its_folder(tmp_path: Path, maternity: driverkit.Project) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "leak.j2").symlink_to(secret)
    os.mkfifo(folder / "pipe.j2")
    for body in ("{% include 'leak.j2' %}", "{% include '../secret.txt' %}", "{% include '/etc/hostname' %}", "{% include 'pipe.j2' %}"):
        (folder / "pdsa.md.j2").write_text(body, encoding="utf-8")
        with pytest.raises(ValueError) as caught:
            render(maternity, "md", view="pdsa", templates=folder)
        assert "SECRET" not in str(caught.value)


def test_a_template_may_still_include_its_neighbours_and_read_its_values(tmp_path: Path, maternity: driverkit.Project) -> None:
    (tmp_path / "part.j2").write_text("{{ plan.title | md }}: {{ plan.rows | length }} measures", encoding="utf-8")
    (tmp_path / "measurement-plan.md.j2").write_text("{% include 'part.j2' %}\n", encoding="utf-8")
    page = render(maternity, "md", view="measurement-plan", templates=tmp_path).decode("utf-8")
    assert page.startswith(escape.markdown(maternity.title)) and "measures" in page


def test_the_shipped_templates_give_the_same_pages_from_a_copied_folder(tmp_path: Path, maternity: driverkit.Project) -> None:
    for template in (ROOT / "templates").glob("*.j2"):
        shutil.copy(template, tmp_path / template.name)
    for view in HTML_VIEWS:
        for fmt in ("html", "md"):
            assert render(maternity, fmt, view=view, templates=tmp_path) == render(maternity, fmt, view=view), (view, fmt)
