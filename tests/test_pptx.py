"""Slide decks: the slides in order with their titles, tables and pictures, a long diagram split
per primary driver and then per secondary driver until its text can be read, a template's master
and layouts used, byte-identical output, and templates that cannot be used refused with a clear
error."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import driverkit
from driverkit.output import pptx as slides
from driverkit.output.pptx import TemplateError, deck
from driverkit.spc.analysis import analyse
from tests.conftest import ROOT

pytest.importorskip("pygraphviz", reason="the embedded Graphviz (pygraphviz) is not installed")
Presentation = pytest.importorskip("pptx").Presentation
PICTURE = pytest.importorskip("pptx.enum.shapes").MSO_SHAPE_TYPE.PICTURE

BACKEND = "embedded"  # works without a system Graphviz
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def project_text(primaries: int = 2, secondaries: int = 1, changes: int = 1, title: str = "Fewer falls on Ward 7") -> str:
    drivers = []
    for p in range(1, primaries + 1):
        drivers.append(f"  - id: P{p}\n    text: Primary driver {p} keeps patients steady on their feet\n    drivers:")
        for s in range(1, secondaries + 1):
            drivers.append(f"      - id: S{p}.{s}\n        text: Secondary driver {p}.{s}, written at a length teams write\n"
                           "        changes:")
            drivers += [f"          - {{id: C{p}.{s}.{c}, text: Change idea {p}.{s}.{c} tested on the ward, status: testing}}"
                        for c in range(1, changes + 1)]
    points = "\n".join(f"      - {{period: {2024 + i // 12}-{i % 12 + 1:02d}, value: {v}}}"
                       for i, v in enumerate([8, 9, 7, 8, 9, 8, 7, 9, 8, 8, 6, 5, 6, 5, 4, 5, 5, 4, 6, 5]))
    return (
        f'driverkit: 1\ntitle: "{title}"\n'
        "aim:\n  statement: Reduce falls on ward 7 from 8 to 6 per 1,000 bed days by March 2026\n"
        "  by: 2026-03-31\n  measures: [M1]\n"
        "drivers:\n" + "\n".join(drivers) + "\n"
        "measures:\n"
        "  - id: M1\n    name: Falls rate\n    family: outcome\n    definition: Falls per 1,000 occupied bed days\n"
        "    numerator: Inpatient falls\n    denominator: Occupied bed days\n    frequency: monthly\n    better: lower\n"
        "    data:\n" + points + "\n"
        "  - id: M2\n    name: Risk assessment within 6 hours\n    family: process\n"
        "    definition: Patients assessed within 6 hours of admission\n    frequency: weekly\n"
        "spread:\n  waves: [{number: 1, start: 2025-01}]\n  sites:\n"
        "    - {id: W7, name: Ward 7, wave: 1, adopts: {C1.1.1: adopted}}\n"
        "    - {id: W9, name: Ward 9, wave: 1, adopts: {C1.1.1: testing, C2.1.1: planned}}\n")


def load_deck(data: bytes) -> Any:
    return Presentation(io.BytesIO(data))


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text_frame.text if slide.shapes.title is not None else "" for slide in prs.slides]


def table_of(slide: Any) -> list[list[str]]:
    table = next(shape for shape in slide.shapes if shape.has_table).table
    return [[cell.text_frame.text for cell in row.cells] for row in table.rows]


def pictures(slide: Any) -> list[Any]:
    return [shape for shape in slide.shapes if shape.shape_type == 13]


def text_points(picture: Any, font_size: float = 10.0) -> float:
    """The size the diagram's text shows at on the slide: its font size times the picture's scale
    (pictures are drawn at 144 dpi, so a pixel is half a point)."""
    drawn_width = int.from_bytes(picture.image.blob[16:20], "big") * slides.EMU_PER_INCH / slides.PICTURE_DPI
    return font_size * picture.width / drawn_width


def diagram_slides(prs: Any) -> list[tuple[str, Any]]:
    """The slides showing a part of the driver diagram on its own (not an overview), with their titles."""
    return [(name, slide) for name, slide in zip(titles(prs), prs.slides)
            if name.startswith("Driver diagram") and not name.endswith("(overview)")]


def linked_slides(slide: Any) -> list[Any]:
    """The slides the body's paragraphs 2, 3, ... open when their first word is clicked."""
    (body,) = [s for s in slide.placeholders if s.placeholder_format.idx == 1]
    targets = []
    for paragraph in body.text_frame.paragraphs[1:]:
        link = paragraph.runs[0]._r.find(f"{A_NS}rPr/{A_NS}hlinkClick")
        assert link.get("action") == "ppaction://hlinksldjump"
        targets.append(slide.part.related_part(link.get(f"{R_NS}id")))
    return targets


@pytest.fixture(scope="module")
def small() -> driverkit.Project:
    return driverkit.loads(project_text())


@pytest.fixture(scope="module")
def small_deck(small: driverkit.Project) -> bytes:
    return deck(small, backend=BACKEND)


# -- the slides ------------------------------------------------------------------------------------

def test_deck_has_its_slides_in_order_in_16_by_9(small_deck: bytes) -> None:
    prs = load_deck(small_deck)
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
    assert titles(prs) == ["Fewer falls on Ward 7", "Driver diagram", "Measurement plan", "M1 Falls rate", "Spread plan"]
    assert [s.slide_layout.name for s in prs.slides] == ["Title Slide", "Title Only", "Title Only", "Title and Content", "Title Only"]


def test_the_default_decks_master_and_layouts_are_drawn_again_for_16_by_9(small_deck: bytes) -> None:
    prs, old = load_deck(small_deck), Presentation()  # python-pptx's own default, 4:3
    assert (old.slide_width, old.slide_height) == (9_144_000, 6_858_000)
    across, down = prs.slide_width / old.slide_width, prs.slide_height / old.slide_height
    owners = [(prs.slide_master, old.slide_master), *zip(prs.slide_layouts, old.slide_layouts)]
    placed = 0
    for new, before in owners:
        for shape, original in zip(new.placeholders, before.placeholders):
            if original._element.xfrm is None:  # takes the master's place
                continue
            assert abs(shape.left - original.left * across) <= 1 and abs(shape.width - original.width * across) <= 1
            assert abs(shape.top - original.top * down) <= 1 and abs(shape.height - original.height * down) <= 1
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height
            placed += 1
    assert placed >= 20  # the master's five and the layouts' own
    title = prs.slides[1].shapes.title  # on a slide: centred across the wide slide, not left at 4:3
    assert title.left == prs.slide_width - title.left - title.width


def test_title_slide_holds_the_aim_and_its_date_in_placeholders(small_deck: bytes) -> None:
    slide = load_deck(small_deck).slides[0]
    texts = {shape.placeholder_format.type.name: shape.text_frame.text for shape in slide.placeholders}
    assert texts["CENTER_TITLE"] == "Fewer falls on Ward 7"
    assert texts["SUBTITLE"].splitlines() == ["Reduce falls on ward 7 from 8 to 6 per 1,000 bed days by March 2026", "By 2026-03-31"]
    assert all(shape.is_placeholder for shape in slide.shapes)  # no free text boxes


def test_diagram_is_a_picture_fitted_to_the_slide_keeping_its_shape(small_deck: bytes) -> None:
    prs = load_deck(small_deck)
    (picture,) = pictures(prs.slides[1])
    png = picture.image.blob
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert abs(picture.width / picture.height - width / height) < 0.01
    assert 0 <= picture.left and picture.left + picture.width <= prs.slide_width
    assert picture.top >= prs.slides[1].shapes.title.top + prs.slides[1].shapes.title.height
    assert picture.top + picture.height <= prs.slide_height
    assert width >= 1000  # sharp enough to read when projected
    assert "Driver diagram of Fewer falls on Ward 7" in etree.tostring(picture._element).decode()  # alt text


def test_measurement_plan_is_a_native_table_of_the_plans_columns(small_deck: bytes) -> None:
    rows = table_of(load_deck(small_deck).slides[2])
    assert rows[0] == ["Measure", "Family", "Operational definition", "Numerator", "Denominator", "Frequency"]  # no owner given: no column
    assert rows[1] == ["M1 Falls rate", "outcome", "Falls per 1,000 occupied bed days", "Inpatient falls", "Occupied bed days", "monthly"]
    assert rows[2] == ["M2 Risk assessment within 6 hours", "process", "Patients assessed within 6 hours of admission", "", "", "weekly"]


def test_chart_slide_has_the_chart_and_its_reading_as_text(small: driverkit.Project, small_deck: bytes) -> None:
    slide = load_deck(small_deck).slides[3]
    assert len(pictures(slide)) == 1
    body = [s for s in slide.placeholders if s.placeholder_format.idx == 1]
    assert body, "the reading goes into the layout's body placeholder"
    reading = [line.strip() for line in analyse(small, "M1").summary()[1:]]
    assert body[0].text_frame.text.splitlines() == reading
    picture = pictures(slide)[0]
    assert picture.left + picture.width <= body[0].left  # side by side, not on top of each other


def test_a_measure_whose_data_cannot_be_read_says_why_instead_of_a_chart(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_text("driverkit: 1\ntitle: Falls\naim:\n  statement: Reduce falls from 8 to 6 by 2026\n"
                    "measures:\n  - {id: M1, name: Falls, family: outcome, data_file: nothing.csv}\n", encoding="utf-8")
    slide = load_deck(deck(driverkit.load(path), backend=BACKEND)).slides[-1]
    assert slide.shapes.title.text_frame.text == "M1 Falls"
    assert not pictures(slide)
    assert [s.text_frame.text for s in slide.placeholders if s.placeholder_format.idx == 1] == [
        "Not read: the data file nothing.csv: no such file"]


def test_spread_matrix_is_a_native_table_with_totals(small_deck: bytes) -> None:
    rows = table_of(load_deck(small_deck).slides[4])
    assert rows[0][:2] == ["Site", "Wave"]
    assert rows[0][2].startswith("C1.1.1 Change idea 1.1.1") and rows[0][3].startswith("C2.1.1")
    assert rows[1:] == [["Ward 7", "Wave 1", "adopted", ""], ["Ward 9", "Wave 1", "testing", "planned"], ["Adopted", "", "1 of 2", "0 of 2"]]


def test_a_project_with_nothing_but_an_aim_gives_a_title_and_a_diagram() -> None:
    project = driverkit.loads("driverkit: 1\ntitle: Minimal\naim:\n  statement: Reduce falls from 8 to 6 by 2026\n")
    assert titles(load_deck(deck(project, backend=BACKEND))) == ["Minimal", "Driver diagram"]


def test_a_diagram_too_tall_to_read_is_split_into_an_overview_and_a_slide_per_primary_driver() -> None:
    project = driverkit.loads(project_text(primaries=7, secondaries=3, changes=2))
    prs = load_deck(deck(project, backend=BACKEND))
    names = titles(prs)
    primaries = [f"Driver diagram: P{p} Primary driver {p} keeps patients steady on their feet" for p in range(1, 8)]
    assert names[:9] == ["Fewer falls on Ward 7", "Driver diagram (overview)", *primaries]
    assert names[9] == "Measurement plan"
    overview = prs.slides[1]
    (body,) = [s for s in overview.placeholders if s.placeholder_format.idx == 1]
    assert body.text_frame.text.splitlines() == [
        "Aim: Reduce falls on ward 7 from 8 to 6 per 1,000 bed days by March 2026",
        *(f"P{p} Primary driver {p} keeps patients steady on their feet" for p in range(1, 8))]
    assert [p.level for p in body.text_frame.paragraphs] == [0] + [1] * 7
    assert pictures(overview)[0].left + pictures(overview)[0].width <= body.left
    for paragraph, target in zip(body.text_frame.paragraphs[1:], list(prs.slides)[2:9]):  # a click opens the primary's slide
        assert paragraph.runs[0].text == target.shapes.title.text_frame.text.split()[2]  # the id is the link
        link = paragraph.runs[0]._r.find(f"{A_NS}rPr/{A_NS}hlinkClick")
        assert link.get("action") == "ppaction://hlinksldjump"
        assert overview.part.related_part(link.get(f"{R_NS}id")) is target.part
    for slide in list(prs.slides)[1:9]:
        (picture,) = pictures(slide)
        assert picture.top + picture.height <= prs.slide_height and picture.left + picture.width <= prs.slide_width
    blobs = [pictures(slide)[0].image.blob for slide in list(prs.slides)[1:9]]
    assert len(set(blobs)) == 8  # each primary driver's own view
    assert all(text_points(pictures(slide)[0]) >= slides.MIN_TEXT_POINTS for _, slide in diagram_slides(prs))


def test_a_primary_driver_still_too_tall_gets_a_slide_per_secondary_driver() -> None:
    project = driverkit.loads(project_text(primaries=2, secondaries=4, changes=3))
    prs = load_deck(deck(project, backend=BACKEND))
    names = titles(prs)
    by_primary = [[f"Driver diagram: P{p} Primary driver {p} keeps patients steady on their feet (overview)"]
                  + [f"Driver diagram: S{p}.{s} Secondary driver {p}.{s}, written at a length teams write" for s in range(1, 5)]
                  for p in (1, 2)]
    assert names[1:12] == ["Driver diagram (overview)", *by_primary[0], *by_primary[1]]
    assert names[12] == "Measurement plan"
    slide_list = list(prs.slides)
    assert linked_slides(slide_list[1]) == [slide_list[2].part, slide_list[7].part]  # the overview opens each primary driver
    for first in (2, 7):  # the primary driver's slide: its own view beside its secondary drivers, each a link
        primary = slide_list[first]
        (body,) = [s for s in primary.placeholders if s.placeholder_format.idx == 1]
        p = 1 if first == 2 else 2
        assert body.text_frame.text.splitlines() == [f"P{p} Primary driver {p} keeps patients steady on their feet",
                                                     *(f"S{p}.{s} Secondary driver {p}.{s}, written at a length teams write" for s in range(1, 5))]
        assert [paragraph.level for paragraph in body.text_frame.paragraphs] == [0, 1, 1, 1, 1]
        assert linked_slides(primary) == [slide.part for slide in slide_list[first + 1:first + 5]]
        assert text_points(pictures(primary)[0]) < slides.MIN_TEXT_POINTS  # why it was split
    shown = diagram_slides(prs)
    assert [name.split()[2] for name, _ in shown] == ["S1.1", "S1.2", "S1.3", "S1.4", "S2.1", "S2.2", "S2.3", "S2.4"]
    for name, slide in shown:
        (picture,) = pictures(slide)
        assert text_points(picture) >= slides.MIN_TEXT_POINTS, name
        assert picture.top >= slide.shapes.title.top + slide.shapes.title.height
        assert picture.left >= 0 and picture.left + picture.width <= prs.slide_width
        assert picture.top + picture.height <= prs.slide_height
        driver = name.split()[2]
        assert f"Secondary driver {driver}: Secondary driver" in etree.tostring(picture._element).decode()  # alt text
    assert len({pictures(slide)[0].image.blob for _, slide in shown}) == 8  # each secondary driver's own view


def test_a_diagram_split_for_a_primary_view_is_not_split_again() -> None:
    project = driverkit.loads(project_text(primaries=7, secondaries=4, changes=2))
    names = titles(load_deck(deck(project, backend=BACKEND, primary="P3")))
    assert names[1:3] == ["Driver diagram", "Measurement plan"]


@pytest.fixture(scope="module")
def maternity_deck() -> Any:
    return load_deck(deck(driverkit.load(ROOT / "examples" / "maternity.yaml"), backend=BACKEND))


def test_maternity_example_makes_a_full_deck(maternity_deck: Any) -> None:
    project = driverkit.load(ROOT / "examples" / "maternity.yaml")
    prs = maternity_deck
    names = titles(prs)
    assert names[0] == project.title
    assert names[1] == "Driver diagram (overview)"
    assert linked_slides(prs.slides[1]) == [slide.part for slide in prs.slides if slide.shapes.title.text_frame.text.startswith("Driver diagram: P")]
    assert [n.split(" ")[2] for n in names if n.startswith("Driver diagram: P")] == ["P1", "P2", "P3", "P4", "P5"]
    assert any(n.startswith("Measurement plan (1 of") for n in names)
    charted = [f"{m.id} {m.name}" for m in project.measures if m.data or m.data_file]
    assert [n for n in names if n in charted] == charted
    assert names[-1].startswith("Spread plan")
    plan_rows = [row[0] for slide in prs.slides if slide.shapes.title.text_frame.text.startswith("Measurement plan")
                 for row in table_of(slide)[1:]]
    assert plan_rows == [f"{m.id} {m.name}" for group in ("outcome", "process", "balancing")
                         for m in project.measures if m.family == group]


@pytest.mark.parametrize("example", ["maternity", "sepsis"])
def test_every_part_of_an_examples_diagram_is_shown_with_text_large_enough_to_read(example: str, maternity_deck: Any) -> None:
    prs = maternity_deck if example == "maternity" else load_deck(deck(driverkit.load(ROOT / "examples" / f"{example}.yaml"), backend=BACKEND))
    shown = diagram_slides(prs)
    assert len(shown) >= (17 if example == "maternity" else 4)
    widest = prs.slide_width - 2 * (slides.EMU_PER_INCH // 4)  # the room a picture has across the slide
    too_wide = []
    for name, slide in shown:
        (picture,) = pictures(slide)
        if text_points(picture) < slides.MIN_TEXT_POINTS:
            # Only a view as wide as the slide, whose columns alone make its text small: in the
            # sepsis example, a secondary driver with tertiary drivers, five columns across.
            assert picture.width >= widest - 1, name
            too_wide.append(name.split()[2])
    assert too_wide == ([] if example == "maternity" else ["S2.1"])


# -- text from the project -------------------------------------------------------------------------

def test_control_characters_are_dropped_and_markup_stays_text() -> None:
    project = driverkit.loads(project_text(title="Falls <b>&amp;</b> \\u0001harm"))
    prs = load_deck(deck(project, backend=BACKEND))
    assert titles(prs)[0] == "Falls <b>&amp;</b> harm"


# -- determinism -----------------------------------------------------------------------------------

def test_same_project_gives_byte_identical_decks(small: driverkit.Project, small_deck: bytes) -> None:
    again = deck(small, backend=BACKEND)
    assert again == small_deck
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = load_deck(again).core_properties
    assert props.title == "Fewer falls on Ward 7"
    assert (props.created, props.modified, props.revision) == (slides.FIXED_TIME, slides.FIXED_TIME, 1)
    assert props.last_modified_by == "driverkit"


# -- templates -------------------------------------------------------------------------------------

def make_template(path: Path) -> Path:
    """A template (4:3) with its own title font on the master and two slides of its own."""
    prs = Presentation()
    style = prs.slide_master._element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}titleStyle")
    default = style.find(f"{A_NS}lvl1pPr/{A_NS}defRPr")
    latin = default.find(f"{A_NS}latin")
    (latin if latin is not None else etree.SubElement(default, f"{A_NS}latin")).set("typeface", "Georgia")
    for text in ("OLD SLIDE ONE", "OLD SLIDE TWO"):
        prs.slides.add_slide(prs.slide_layouts[1]).shapes.title.text = text
    first = prs.slides._sldIdLst[0].get("id")
    prs.part._element.append(etree.fromstring(  # a section that names the first slide, as PowerPoint writes it
        f'<p:extLst xmlns:p="{P_NS[1:-1]}"><p:ext uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}">'
        '<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
        f'<p14:section name="Old" id="{{00000000-0000-0000-0000-000000000001}}"><p14:sldIdLst><p14:sldId id="{first}"/>'
        "</p14:sldIdLst></p14:section></p14:sectionLst></p:ext></p:extLst>"))
    prs.save(path)
    with zipfile.ZipFile(path) as source:  # PowerPoint lists the slides' titles in the extended properties
        parts = {name: source.read(name) for name in source.namelist()}
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(b"</Properties>", b"<Notes>OLD SLIDE ONE</Notes></Properties>")
    with zipfile.ZipFile(path, "w") as target:
        for name, blob in parts.items():
            target.writestr(name, blob)
    return path


def test_a_template_gives_its_master_and_layouts_and_loses_its_slides(small: driverkit.Project, tmp_path: Path) -> None:
    template = make_template(tmp_path / "trust.pptx")
    data = deck(small, backend=BACKEND, template=template)
    prs = load_deck(data)
    assert titles(prs) == ["Fewer falls on Ward 7", "Driver diagram", "Measurement plan", "M1 Falls rate", "Spread plan"]
    style = prs.slide_master._element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}titleStyle")
    assert style.find(f"{A_NS}lvl1pPr/{A_NS}defRPr/{A_NS}latin").get("typeface") == "Georgia"
    assert all(slide.slide_layout.slide_master == prs.slide_master for slide in prs.slides)
    assert (prs.slide_width, prs.slide_height) == (9_144_000, 6_858_000)  # the template's own slide size
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert sum(n.startswith("ppt/slides/slide") for n in names) == 5
        assert not any(b"OLD SLIDE" in archive.read(n) for n in names)
        assert b"sectionLst" not in archive.read("ppt/presentation.xml")  # no section names a slide that is gone
        assert b"<Slides>5</Slides>" in archive.read("docProps/app.xml")
    assert deck(small, backend=BACKEND, template=template) == data


def test_a_template_with_other_layout_names_is_used_by_its_placeholders(small: driverkit.Project, tmp_path: Path) -> None:
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = "Custom " + layout.name.replace(" ", "")
    prs.save(tmp_path / "renamed.pptx")
    made = load_deck(deck(small, backend=BACKEND, template=tmp_path / "renamed.pptx"))
    assert titles(made)[0] == "Fewer falls on Ward 7"
    assert made.slides[0].slide_layout.name == "Custom TitleSlide"  # the layout with a centred title
    assert made.slides[3].slide_layout.name == "Custom TitleandContent"
    assert (made.slide_width, made.slide_height) == (prs.slide_width, prs.slide_height)  # the template's own size


@pytest.mark.parametrize("kind", ["folder", "missing", "text", "zip", "potx"])
def test_templates_that_cannot_be_used_are_refused_clearly(small: driverkit.Project, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"template-{kind}.pptx"
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("not a presentation\n", encoding="utf-8")
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "a zip, but no presentation inside")
    elif kind == "potx":
        make_template(path)
        with zipfile.ZipFile(path) as source:
            parts = {n: source.read(n) for n in source.namelist()}
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
        with zipfile.ZipFile(path, "w") as archive:
            for name, blob in parts.items():
                archive.writestr(name, blob)
    with pytest.raises(TemplateError) as caught:
        deck(small, backend=BACKEND, template=path)
    message = str(caught.value)
    assert str(path) in message
    expected = {"folder": "folder", "missing": "no such file", "text": "not a PowerPoint file",
                "zip": "cannot be opened", "potx": "save it as a .pptx"}[kind]
    assert expected in message
    assert isinstance(caught.value, ValueError)  # what the command line reports as a problem


def test_a_template_over_the_size_limits_is_refused(small: driverkit.Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = make_template(tmp_path / "big.pptx")
    monkeypatch.setattr(slides, "TEMPLATE_MAX_BYTES", 1000)
    with pytest.raises(TemplateError, match="over the size limit of 1,000 bytes"):
        deck(small, backend=BACKEND, template=template)
    monkeypatch.setattr(slides, "TEMPLATE_MAX_BYTES", 32 * 1024 * 1024)
    monkeypatch.setattr(slides, "TEMPLATE_MAX_UNPACKED", 10_000)  # as a zip bomb would claim
    with pytest.raises(TemplateError, match="unpacks to more than 10,000 bytes"):
        deck(small, backend=BACKEND, template=template)


def test_render_writes_a_deck_from_the_command_line(tmp_path: Path) -> None:
    from pptx import Presentation

    from driverkit.cli import main

    assert main(["render", str(ROOT / "examples" / "sepsis.yaml"), "-f", "pptx", "-o", str(tmp_path), "--backend", "embedded"]) == 0
    deck_file = tmp_path / "sepsis-deck.pptx"
    titles = [s.shapes.title.text for s in Presentation(str(deck_file)).slides if s.shapes.title is not None]
    assert titles and "Antibiotics within the hour" in titles[0]
    folder = tmp_path / "not-a-template"
    folder.mkdir()
    assert main(["render", str(ROOT / "examples" / "sepsis.yaml"), "-f", "pptx", "-o", str(tmp_path / "b"),
                 "--pptx-template", str(folder), "--backend", "embedded"]) == 1


def test_a_diagram_drawn_without_its_legend_has_the_key_in_words_under_it(maternity_deck: Any) -> None:
    keyed = 0
    for slide in maternity_deck.slides:
        keys = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Key:")]
        if not keys:
            continue
        keyed += 1
        picture = next(s for s in slide.shapes if s.shape_type == PICTURE)
        key = keys[0]
        assert "dashed, an idea" in key.text_frame.text and "thick, adopted" in key.text_frame.text
        assert key.top >= picture.top + picture.height and key.top + key.height <= maternity_deck.slide_height
    assert keyed >= 1
