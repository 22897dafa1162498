"""The aim's objectives and date, links (`url:`), descriptions and notes, column names, and the
titles of filtered views, as a reader of the outputs sees them."""

from __future__ import annotations

import io
import re
import shutil
import warnings

import pypdf
import pytest

import driverkit
from driverkit.documents.diagram import ViewOptions, build_diagram
from driverkit.documents.matrix import build_matrices
from driverkit.documents.plan import build_plan
from driverkit.output.dot import to_dot
from driverkit.output.rendering import render

FRAILTY = """\
driverkit: 1
title: Frailty in the community
aim:
  statement: Older people living with frailty in Northvale are identified and supported earlier.
  by: {by}
  url: https://example.org/aim?a=1&b="2"
  objectives:
    - text: More people over 65 identified earlier
      measure: M1
    - People report positive experiences of care
    - text: Teams report improved integrated working
      measure: {objective_measure}
columns:
  change: Actions
drivers:
  - id: P1
    text: Proactive identification
    description: Find people at risk before a crisis, using the electronic frailty index.
    url: docs/identification.html
    changes:
      - text: Run the eFI search monthly in every practice
        status: testing
        measures: M1
  - id: P2
    text: Joined-up teams
    tags: [teams]
    changes:
      - text: Weekly multidisciplinary meeting
        status: idea
        url: https://example.org/mdt
measures:
  - id: M1
    name: People over 65 with a frailty score recorded
    family: process
    notes: Counted from the practice systems on the first of the month.
    url: https://example.org/m1
  - id: M2
    name: Staff survey score on joint working
    family: outcome
"""


def frailty(by: str = "2026-03", objective_measure: str = "M2", **extra: str) -> driverkit.Project:
    text = FRAILTY.format(by=by, objective_measure=objective_measure)
    for key, value in extra.items():
        text += f"{key}: {value}\n"
    return driverkit.loads(text, "frailty.yaml")


def _errors(text: str) -> list[str]:
    return [str(d) for d in driverkit.check_text(text, "frailty.yaml") if d.severity == driverkit.Severity.ERROR]


# -- objectives -------------------------------------------------------------------------------

def test_objectives_are_read_as_text_or_with_a_measure() -> None:
    project = frailty()
    assert [(o.text, o.measure) for o in project.aim.objectives] == [
        ("More people over 65 identified earlier", "M1"),
        ("People report positive experiences of care", None),
        ("Teams report improved integrated working", "M2"),
    ]
    schema = driverkit.json_schema()
    assert "objectives" in schema["definitions"]["Aim"]["properties"]


def test_an_objective_naming_an_unknown_measure_is_a_dangling_reference_at_its_place() -> None:
    errors = _errors(FRAILTY.format(by="2026-03", objective_measure="M9"))
    assert errors == ["frailty.yaml:12:16: error DK101 no measure has the id `M9` (did you mean `M2`?)"]


def test_objectives_are_drawn_in_the_aim_box_with_their_measures() -> None:
    source = render(frailty(), "dot").decode()
    aim = next(line for line in source.splitlines() if line.lstrip().startswith("aim ["))
    for text in ("More people over 65 identified earlier", "People report positive experiences of care", "▸ M2"):
        assert text in aim
    assert "M2" in re.search(r'id="legend"|Measures.*', source, re.S).group(0)  # the key names it too


def test_the_plan_says_which_measure_serves_which_objective() -> None:
    plan = build_plan(frailty())
    assert [(o.text, o.measure.id if o.measure else None) for o in plan.objectives] == [
        ("More people over 65 identified earlier", "M1"),
        ("People report positive experiences of care", None),
        ("Teams report improved integrated working", "M2"),
    ]
    html = render(frailty(), "html", view="measurement-plan").decode()
    assert "Objectives of the aim (3)" in html and "no measure yet" in html
    md = render(frailty(), "md", view="measurement-plan").decode()
    assert "| People report positive experiences of care | *no measure yet* |" in md
    m2 = next(row for row in plan.rows if row.measure.id == "M2")
    assert m2.what == ["objective of the aim: Teams report improved integrated working"]


# -- the aim's date ---------------------------------------------------------------------------

def test_the_date_of_a_written_statement_is_shown_in_the_box_and_the_plan() -> None:
    project = frailty(by="2026-03")
    assert "By March 2026" in render(project, "dot").decode()
    assert "<strong>By:</strong> March 2026" in render(project, "html", view="measurement-plan").decode()


@pytest.mark.parametrize("written", ["TBC", "'[date]'", "[insert date]"])
def test_a_placeholder_date_is_flagged_never_shown_as_a_date(written: str) -> None:
    project = frailty(by=written)
    dot = render(project, "dot").decode()
    assert "<I>By: date to be set" in dot
    assert "date to be set" in render(project, "md", view="measurement-plan").decode()


def test_a_composed_statement_leaves_out_a_placeholder_date() -> None:
    project = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: falls, for: inpatients, from: 8, to: 6, by: TBC}\n")
    box = next(b for b in build_diagram(project).boxes() if b.kind == "aim")
    assert "TBC" not in box.text and box.date_line == "By: date to be set (TBC)" and box.date_to_set


# -- links ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                                 "//evil.example", "vbscript:x"])
def test_a_link_other_than_http_or_relative_is_refused_at_its_line(url: str) -> None:
    text = FRAILTY.format(by="2026-03", objective_measure="M2").replace("url: docs/identification.html", f"url: '{url}'")
    errors = _errors(text)
    assert len(errors) == 1 and errors[0].startswith("frailty.yaml:19:10: error DK004 `url`:"), errors


def test_links_are_clickable_in_svg_and_escaped() -> None:
    svg = render(frailty(), "svg").decode()
    hrefs = re.findall(r'xlink:href="([^"]*)"', svg)
    assert "docs/identification.html" in hrefs and "https://example.org/mdt" in hrefs
    assert "https://example.org/aim?a=1&amp;b=%222%22" in hrefs  # a quote cannot end the attribute


@pytest.mark.parametrize("backend", [
    "embedded", pytest.param("system", marks=pytest.mark.skipif(shutil.which("dot") is None, reason="needs the system Graphviz"))])
def test_links_are_clickable_in_pdf_over_their_boxes(backend: str) -> None:
    page = pypdf.PdfReader(io.BytesIO(render(frailty(), "pdf", backend=backend))).pages[0]
    texts: list[tuple[float, float, str]] = []

    def seen(text: str, cm: list[float], tm: list[float], *_: object) -> None:  # where each piece of text is drawn
        texts.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=seen)
    boxes = {}
    for annotation in page["/Annots"]:
        link = annotation.get_object()
        x1, y1, x2, y2 = (float(v) for v in link["/Rect"])
        left, right, bottom, top = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
        boxes[link["/A"]["/URI"]] = "".join(t for x, y, t in texts if left <= x <= right and bottom <= y <= top)
    if backend == "embedded":  # the system Graphviz writes the URL as the DOT holds it, escaped for SVG
        assert "Older people living with frailty" in boxes["https://example.org/aim?a=1&b=%222%22"]
    assert "Proactive identi" in boxes["docs/identification.html"]
    assert "Weekly multidisciplinary meeting" in boxes["https://example.org/mdt"]


def test_links_are_followed_from_the_pages() -> None:
    project = frailty()
    plan = render(project, "html", view="measurement-plan").decode()
    assert '<a href="https://example.org/m1">People over 65 with a frailty score recorded</a>' in plan
    matrix = render(project, "html", view="matrix").decode()
    assert '<a href="https://example.org/mdt">' in matrix
    md = render(project, "md", view="matrix").decode()
    assert "](<https://example.org/mdt>)" in md and "](<docs/identification.html>)" in md


# -- descriptions and notes -------------------------------------------------------------------

def _node_height(svg: str, node_id: str) -> float:
    group = re.search(rf'<g id="{node_id}" class="node">.*?<path[^>]* d="([^"]*)"', svg, re.S).group(1)
    ys = [float(y) for y in re.findall(r"[\d.]+,(-?[\d.]+)", group)]
    return max(ys) - min(ys)


def test_descriptions_are_drawn_as_a_second_line_when_asked_and_the_box_grows() -> None:
    project = frailty()
    plain, described = render(project, "svg").decode(), render(project, "svg", descriptions=True).decode()
    assert "electronic frailty index" not in re.sub(r'xlink:title="[^"]*"', "", plain)  # a tooltip only
    assert re.search(r"<text[^>]*>using the electronic frailty index\.</text>|electronic frailty index\.</text>", described)
    assert _node_height(described, "P1") > _node_height(plain, "P1") + 3  # the box holds the two lines more


def test_the_render_setting_turns_descriptions_on() -> None:
    def labels(project: driverkit.Project) -> str:
        return re.sub(r'tooltip="[^"]*"', "", to_dot(build_diagram(project)))  # the boxes' text, not their tooltips

    assert "Find people at risk" not in labels(frailty())
    assert re.search(r'<FONT POINT-SIZE="8" COLOR="#[0-9a-f]+">Find people at risk', labels(frailty(render="{descriptions: true}")))


def test_the_plan_shows_each_measures_notes() -> None:
    project = frailty()
    assert "Counted from the practice systems" in render(project, "html", view="measurement-plan").decode()
    assert "*Notes:* Counted from the practice systems" in render(project, "md", view="measurement-plan").decode()


# -- column names -----------------------------------------------------------------------------

def test_every_word_naming_a_column_follows_columns() -> None:
    project = frailty()
    dot = render(project, "dot").decode()
    assert "Action status" in dot and "Change idea" not in dot
    plan = build_plan(project)
    m1 = next(row for row in plan.rows if row.measure.id == "M1")
    assert "action C1.1: Run the eFI search monthly in every practice" in m1.what
    empty = build_matrices(project, ViewOptions.for_project(project, statuses=("abandoned",)))
    assert empty.empty_note == "The diagram has no links between drivers and actions to show."


# -- filtered views ---------------------------------------------------------------------------

@pytest.mark.parametrize("options, title", [
    ({}, "Frailty in the community"),
    ({"primary": "P2"}, "Frailty in the community — primary driver P2: Joined-up teams"),
    ({"statuses": ("testing",)}, "Frailty in the community — actions being tested"),
    ({"tags": ("teams",)}, "Frailty in the community — tagged teams"),
])
def test_a_filtered_view_says_what_it_shows(options: dict, title: str) -> None:
    project = frailty()
    diagram = build_diagram(project, ViewOptions.for_project(project, **options))
    assert diagram.title == title
    assert f"<B>{title}</B>" in to_dot(diagram)


def test_an_empty_view_can_be_told() -> None:
    project = frailty()
    assert not build_diagram(project).is_empty
    assert build_diagram(project, ViewOptions.for_project(project, statuses=("abandoned",))).is_empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert render(project, "svg", statuses=("abandoned",)).startswith(b"<?xml")


def test_the_sepsis_example_uses_objectives() -> None:
    from tests.conftest import ROOT

    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    assert [o.measure for o in project.aim.objectives] == ["M4", "M1", "M2"]
    assert [str(d) for d in driverkit.check(project) if d.severity != driverkit.Severity.INFO] == []


def test_a_column_header_is_made_singular_as_people_write_it() -> None:
    from driverkit.documents.diagram import singular

    assert [singular(h) for h in ("Primary drivers (clinical aims)", "Actions", "Activities", "Processes",
                                  "Approaches", "Boxes", "Changes", "Process", "Change ideas")] == [
        "Primary driver (clinical aims)", "Action", "Activity", "Process", "Approach", "Box", "Change", "Process", "Change idea"]


LINKED = """\
driverkit: 1
title: Sepsis in ED
aim:
  statement: Increase antibiotics within the hour from 54% to 90% by March 2027
columns:
  secondary: Contributing factors
drivers:
  - id: P1
    text: Sepsis is recognised early
    drivers:
      - id: S1
        text: Observations at triage
        drivers:
          - id: T1
            text: Handheld devices at the door
            changes:
              - {id: C1, text: Devices charged every shift, status: testing}
        changes:
          - {id: C2, text: NEWS2 in the triage record, status: testing}
      - id: S2
        text: Screening tool in use
        also: P2
        changes:
          - {id: C3, text: Screening prompt, status: idea, also: S3}
  - id: P2
    text: Antibiotics are given without delay
    drivers:
      - id: S3
        text: Drugs at the bedside
        changes:
          - {id: C4, text: Sepsis grab bags, status: adopted}
"""


@pytest.mark.parametrize("driver, shown", [
    ("S1", {"aim", "P1", "S1", "T1", "C1", "C2"}),  # what feeds it, down to the tertiary's change ideas
    ("T1", {"aim", "P1", "S1", "T1", "C1"}),  # its path up to the aim, and nothing beside it
    ("S2", {"aim", "P1", "P2", "S2", "C3"}),  # a second parent is on its path too; C3's other driver is not
    ("P2", {"aim", "P2", "S2", "S3", "C3", "C4"}),  # any level: a primary driver as `primary` shows it
])
def test_a_driver_view_keeps_the_driver_what_feeds_it_and_its_path_to_the_aim(driver: str, shown: set) -> None:
    project = driverkit.loads(LINKED)
    diagram = build_diagram(project, ViewOptions.for_project(project, driver=driver))
    assert {box.element_id for box in diagram.boxes()} == shown
    keys = {box.key for box in diagram.boxes()}
    assert all(c.parent in keys and c.child in keys for c in diagram.connectors)
    assert len(diagram.connectors) == len(shown) - 1 + (driver == "S2") + (driver == "P2")  # S2 and C3 each have two parents drawn


def test_a_driver_view_and_a_primary_view_of_one_primary_driver_agree() -> None:
    project = driverkit.loads(LINKED)
    by_driver = build_diagram(project, ViewOptions.for_project(project, driver="P1"))
    by_primary = build_diagram(project, ViewOptions.for_project(project, primary="P1"))
    assert [[b.element_id for b in c.boxes] for c in by_driver.columns] == [[b.element_id for b in c.boxes] for c in by_primary.columns]


@pytest.mark.parametrize("driver, title", [
    ("S3", "Sepsis in ED — contributing factor S3: Drugs at the bedside"),  # in the words of `columns:`
    ("T1", "Sepsis in ED — tertiary driver T1: Handheld devices at the door"),
    ("P2", "Sepsis in ED — primary driver P2: Antibiotics are given without delay"),
])
def test_a_driver_view_says_which_driver_it_shows(driver: str, title: str) -> None:
    project = driverkit.loads(LINKED)
    diagram = build_diagram(project, ViewOptions.for_project(project, driver=driver))
    assert diagram.title == title
    assert f"<B>{title}</B>" in to_dot(diagram)


@pytest.mark.parametrize("driver", ["S9", "C1", "aim", "M1"])
def test_a_driver_view_of_an_unknown_driver_is_refused(driver: str) -> None:
    from driverkit.documents.diagram import ViewError

    project = driverkit.loads(LINKED)
    with pytest.raises(ViewError, match=f"there is no driver with the id `{driver}`"):
        build_diagram(project, ViewOptions.for_project(project, driver=driver))
    with pytest.raises(ViewError):
        render(project, "svg", driver=driver)


def test_a_diagram_may_leave_its_title_out_and_is_otherwise_the_same() -> None:
    project = driverkit.load("examples/sepsis.yaml")
    with_title = to_dot(build_diagram(project, ViewOptions.for_project(project)))
    without = to_dot(build_diagram(project, ViewOptions.for_project(project, title=False)))
    assert project.title in with_title and project.title not in without
    first, rest = with_title.split("\n", 2)[1], with_title.split("\n", 2)[2]
    # The graph's own line loses the title and its font; every box and link stays as it was.
    for attribute in (r'fontcolor="#[0-9a-f]+" ', r"fontsize=[\d.]+ ", r"label=<<B>.*?</B>> ", r"labeljust=l ", r"labelloc=t "):
        first = re.sub(attribute, "", first, count=1)
    assert without.split("\n", 2)[1:] == [first, rest]
