"""The measurement plan: HTML and Markdown from templates (with hostile text), overriding a
template, and the command line's views. CSV and XLSX are tested in test_spreadsheet.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.documents.plan import build_plan
from tests.conftest import Elements, ROOT

HOSTILE = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"y\")", "a | b", "quote \" and ' and \\", "line 1\nline 2",
           "*bold* _it_ `code` [link](http://x)", "emoji 😀 and עברית", "{{ not a template }}", "{% raw %}"]




def hostile_project() -> driverkit.Project:
    fields = ["name", "definition", "numerator", "denominator", "unit", "source", "collection", "sampling", "frequency", "owner"]
    measures = "".join(f"  - id: M{i + 1}\n    family: process\n" + "".join(
        f"    {field}: {json.dumps(text + ' ' + field, ensure_ascii=False)}\n" for field in fields)
        for i, text in enumerate(HOSTILE))
    text = ("driverkit: 1\ntitle: " + json.dumps("<b>Plan</b> & {{ x }}") + "\naim:\n  statement: " + json.dumps("Reduce <i>falls</i> | 8 to 6 by 2026")
            + "\n  measures: [M1]\ndrivers:\n  - text: " + json.dumps("Driver <u>one</u>") + "\n    measures: [M2]\nmeasures:\n" + measures)
    return driverkit.loads(text)


def test_plan_groups_by_family_and_says_what_each_measures() -> None:
    plan = build_plan(driverkit.load(ROOT / "examples" / "maternity.yaml"))
    assert [g.family for g in plan.groups] == ["outcome", "process", "balancing"]
    first = plan.groups[0].rows[0]
    assert first.values["name"] == "Stillbirth rate" and first.what == ["the aim"]
    assert any(w.startswith("primary driver (clinical aims) P1: ") for row in plan.rows for w in row.what)


def test_html_shows_every_measure_and_escapes_hostile_text() -> None:
    project = hostile_project()
    page = driverkit.render(project, "html", view="measurement-plan").decode()
    parser = Elements()
    parser.feed(page)
    assert "script" not in parser.tags and "b" not in parser.tags and "i" not in parser.tags and "u" not in parser.tags
    text = "".join(parser.text)
    for hostile in HOSTILE:
        assert hostile.replace("\n", " ").split()[0] in text.replace("\n", " ")
    assert "<b>Plan</b> & {{ x }}" in text  # shown as text, not markup, not a template
    assert "@page" in page and "A4 landscape" in page  # prints cleanly


def test_markdown_tables_keep_one_row_per_measure_whatever_the_text() -> None:
    project = hostile_project()
    markdown = driverkit.render(project, "md", view="measurement-plan").decode()
    rows = [line for line in markdown.splitlines() if line.startswith("| **")]
    assert len(rows) == len(HOSTILE)
    for row in rows:  # a row has exactly 6 cells: every | inside a value is escaped
        cells = [c for c in row.replace("\\|", "").split("|")[1:-1]]
        assert len(cells) == 6, row
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "line 1<br>line 2" in markdown


def test_a_template_folder_replaces_one_template_and_keeps_the_others(tmp_path: Path) -> None:
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    (tmp_path / "measurement-plan.html.j2").write_text(
        "<h1>{{ plan.title }}</h1>{% for row in plan.rows %}<p>{{ row.values.name }}</p>{% endfor %}\n", encoding="utf-8")
    page = driverkit.render(project, "html", view="measurement-plan", templates=tmp_path).decode()
    assert page.startswith("<h1>Antibiotics within the hour") and page.count("<p>") == len(project.measures)
    markdown = driverkit.render(project, "md", view="measurement-plan", templates=tmp_path).decode()
    assert markdown.startswith("# Measurement plan:")  # the shipped one, still found
    (tmp_path / "measurement-plan.html.j2").write_text("{{ plan.no_such_thing }}", encoding="utf-8")
    with pytest.raises(ValueError, match="measurement-plan.html.j2"):
        driverkit.render(project, "html", view="measurement-plan", templates=tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        driverkit.render(project, "html", view="measurement-plan", templates=tmp_path / "missing")


def test_plan_outputs_are_deterministic() -> None:
    project = driverkit.load(ROOT / "examples" / "maternity.yaml")
    for fmt in ("html", "md", "csv", "xlsx"):
        assert driverkit.render(project, fmt, view="measurement-plan") == driverkit.render(project, fmt, view="measurement-plan")


def test_views_and_formats_must_match() -> None:
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    with pytest.raises(ValueError, match="cannot be written as 'svg'"):
        driverkit.render(project, "svg", view="measurement-plan")
    with pytest.raises(ValueError, match="unknown view"):
        driverkit.render(project, "svg", view="gantt")


def test_cli_writes_every_view(tmp_path: Path, capsys) -> None:
    source = str(ROOT / "examples" / "sepsis.yaml")
    assert main(["render", source, "-o", str(tmp_path), "--view", "all"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "sepsis-deck.pptx", "sepsis-logic-model.svg", "sepsis-matrix.svg", "sepsis-measure-data.csv", "sepsis-measurement-plan.html",
        "sepsis-pdsa.html", "sepsis-report.html", "sepsis-spread.html", "sepsis.svg"]
    out = tmp_path / "plan"
    assert main(["render", source, "-o", str(out), "--view", "measurement-plan", "-f", "html,md,csv,xlsx"]) == 0
    # The Markdown links the charts of the two measures with data (M11, M12), written beside them.
    assert sorted(p.name for p in out.iterdir()) == ["sepsis-M11.svg", "sepsis-M12.svg", "sepsis-measurement-plan.csv", "sepsis-measurement-plan.html",
                                                    "sepsis-measurement-plan.md", "sepsis-measurement-plan.xlsx"]
    assert main(["render", source, "-o", str(out), "--view", "measurement-plan", "-f", "svg"]) == 2
    assert main(["render", source, "-o", str(out), "--view", "gantt"]) == 2
    assert "unknown view gantt" in capsys.readouterr().err


def test_one_view_that_fails_does_not_stop_the_others(tmp_path: Path, capsys) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pdsa.html.j2").write_text("{{ log.no_such_thing }}", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["render", str(ROOT / "examples" / "sepsis.yaml"), "-o", str(out), "--view", "all", "--templates", str(templates)])
    assert code == 1 and "pdsa as html" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [
        "sepsis-deck.pptx", "sepsis-logic-model.svg", "sepsis-matrix.svg", "sepsis-measure-data.csv", "sepsis-measurement-plan.html",
        "sepsis-report.html", "sepsis-spread.html", "sepsis.svg"]
