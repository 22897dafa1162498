"""The link matrices (`--view matrix`): the marks, the order of rows and columns, the headers, the
escaping of hostile text in HTML, Markdown and the picture, long matrices, and determinism."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.documents.diagram import ViewOptions, build_diagram
from driverkit.documents.matrix import build_matrices, short_text
from driverkit.output.rendering import VIEWS, render
from tests.conftest import ROOT, Elements

BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("system", id="system", marks=pytest.mark.skipif(shutil.which("dot") is None, reason="no system Graphviz")),
]

SMALL = """\
driverkit: 1
title: Fewer falls
aim: {statement: "Reduce inpatient falls from 8.2 to 6 per 1,000 bed days by December 2026"}
columns: {primary: Key drivers, secondary: Contributing drivers, change: Interventions}
drivers:
  - {id: P1, text: Falls risk is known for every patient, drivers: [
      {id: S1, text: Reliable falls risk assessment on admission, changes: [
        {id: C1, text: Falls risk assessment built into the admission checklist, also: [{to: S2, strength: weak}]}]}]}
  - {id: P2, text: Patients can move safely, drivers: [
      {id: S2, text: Walking aids and footwear within reach, also: [P1], changes: [
        {id: C2, text: Bedside mobility card updated at every physiotherapy review}]}]}
changes:
  - {id: C3, text: Falls huddle at every shift handover, drivers: [S1, S2]}
"""


def project(text: str = SMALL) -> driverkit.Project:
    return driverkit.loads(text, "falls.yaml")


def marks(matrix) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each row's marks, one character a column ("." for none)."""
    return {row.heading.id: "".join(mark or "." for mark in row.marks) for row in matrix.rows}


def test_a_small_project_has_the_expected_marks() -> None:
    matrices = build_matrices(project()).matrices
    assert [m.title for m in matrices] == ["Contributing drivers by Key drivers", "Interventions by Contributing drivers"]
    drivers, changes = matrices
    assert [c.id for c in drivers.columns] == ["P1", "P2"]
    assert marks(drivers) == {"S1": "●.", "S2": "●●"}
    assert [c.id for c in changes.columns] == ["S1", "S2"]
    assert marks(changes) == {"C1": "●○", "C2": ".●", "C3": "●●"}
    assert changes.totals == [2, 3] and changes.weak and not drivers.weak


def test_rows_and_columns_follow_the_diagram_order() -> None:
    path = ROOT / "tests" / "data" / "dense-many-to-many.yaml"
    loaded = driverkit.load(path)
    for order in ("balanced", "file"):
        options = ViewOptions.for_project(loaded, order=order)
        diagram = build_diagram(loaded, options)
        secondaries, changes = build_matrices(loaded, options).matrices
        assert [r.heading.id for r in secondaries.rows] == [b.element_id for b in diagram.columns[2].boxes]
        assert [c.id for c in secondaries.columns] == [b.element_id for b in diagram.columns[1].boxes]
        assert [r.heading.id for r in changes.rows] == [b.element_id for b in diagram.columns[3].boxes]


def test_three_levels_give_a_matrix_for_each_pair_of_adjacent_levels() -> None:
    matrices = build_matrices(driverkit.load(ROOT / "examples" / "sepsis.yaml")).matrices
    assert [m.title for m in matrices] == ["Secondary drivers by Key drivers", "Contributing factors by Secondary drivers",
                                           "Interventions by Secondary drivers / Contributing factors"]
    assert [c.id for c in matrices[1].columns] == ["S2.1"]  # the secondary drivers with tertiary ones under them
    # change ideas by the drivers they serve, each driver followed by those written under it
    assert [c.id for c in matrices[2].columns] == ["S1.1", "S1.2", "T2.1.2", "T2.1.1", "S2.2", "S3.1", "S3.2"]


def test_a_driver_with_nothing_under_it_keeps_an_empty_column() -> None:
    text = SMALL.replace("{id: S2,", "{id: S3, text: Staff trained in safe moving}, {id: S2,")
    changes = build_matrices(project(text)).matrices[1]
    assert [c.id for c in changes.columns] == ["S1", "S2", "S3"] and changes.totals == [2, 3, 0]


def test_headers_use_the_short_text_and_the_id() -> None:
    assert short_text("Falls risk assessment built into the admission checklist", 30) == "Falls risk assessment built…"
    assert short_text("  Short   text ", 30) == "Short text"
    page = render(project(), "md", view="matrix").decode()
    assert "| **S1** Reliable falls risk assessment on admission |" in page
    assert "**P1** Falls risk is known for every patient" in page


def test_the_html_escapes_a_hostile_label() -> None:
    hostile = SMALL.replace("Walking aids and footwear within reach", '"<script>alert(1)</script> & <b>bold</b>"')
    page = render(project(hostile), "html", view="matrix").decode()
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    parsed = Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "<script>alert(1)</script> & <b>bold</b>" in "".join(parsed.text)


def test_the_markdown_escapes_pipes_and_markup() -> None:
    hostile = SMALL.replace("Walking aids and footwear within reach", '"Aids | footwear <script>x</script>"')
    page = render(project(hostile), "md", view="matrix").decode()
    row = next(line for line in page.splitlines() if line.startswith("| **S2**"))
    assert "Aids \\| footwear \\<script\\>x\\</script\\>" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # three cells: the header and two marks
    assert not re.search(r"(?<!\\)<script", page)


def test_the_picture_escapes_a_hostile_label() -> None:
    hostile = SMALL.replace("Walking aids and footwear within reach", '"<script>alert(1)</script> \\\\N {x}"')
    source = render(project(hostile), "svg", view="matrix", backend="embedded").decode()
    assert "<script" not in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source


@pytest.mark.parametrize("fmt", VIEWS["matrix"])
def test_outputs_are_byte_identical_run_to_run(fmt: str) -> None:
    loaded = driverkit.load(ROOT / "tests" / "data" / "dense-many-to-many.yaml")
    first = render(loaded, fmt, view="matrix", backend="embedded")
    assert first == render(loaded, fmt, view="matrix", backend="embedded")
    assert first


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_long_matrix_is_cut_into_tables_that_graphviz_can_read(backend: str) -> None:
    many = ", ".join(f"{{id: C{n}, text: Change idea number {n} with a rather long description of what is done}}" for n in range(1, 181))
    loaded = project(SMALL.split("changes:\n  - {id: C3")[0].replace(
        "{id: C2, text: Bedside mobility card updated at every physiotherapy review}", many))
    from driverkit.output.matrix import matrix_dot

    source = matrix_dot(build_matrices(loaded))
    labels = re.findall(r"label=<(<TABLE.*?</TABLE>)>", source)
    assert len(labels) > 2 and max(len(label.encode()) for label in labels) < 16_384
    svg = render(loaded, "svg", view="matrix", backend=backend).decode()
    assert all(f">C{n}<" in svg for n in (1, 90, 180)) and "(continued)" in svg


def test_the_cli_writes_the_matrix_named_after_the_view_and_its_filters(tmp_path: Path) -> None:
    source = str(ROOT / "examples" / "sepsis.yaml")
    assert main(["render", source, "-o", str(tmp_path), "--view", "matrix", "-f", "svg,html,md", "--primary", "P2"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "sepsis-matrix-primary-P2.html", "sepsis-matrix-primary-P2.md", "sepsis-matrix-primary-P2.svg"]
    page = (tmp_path / "sepsis-matrix-primary-P2.md").read_text(encoding="utf-8")
    assert "**S2.1**" in page and "**S1.1**" not in page  # the filter applies
    assert main(["render", source, "-o", str(tmp_path), "--view", "matrix", "-f", "csv"]) == 2


def test_a_project_without_links_says_so() -> None:
    from tests.conftest import MINIMAL

    bare = driverkit.loads(MINIMAL, "bare.yaml")
    for fmt in ("svg", "html", "md"):
        assert b"no links between drivers and change ideas" in render(bare, fmt, view="matrix", backend="embedded")
