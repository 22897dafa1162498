"""Slide decks: a project as an editable PowerPoint deck (16:9), written with python-pptx.

The deck holds a title slide (the project's title and aim), the driver diagram as a picture (one
overview and a slide per primary driver when the whole diagram would be too small to read on one
slide, and a slide per secondary driver under a primary driver still too small to read), the
measurement plan and the spread matrix as native tables, and a slide per measure with data: its
chart, and its reading in words as slide text. Titles and text go into the layouts' own
placeholders, so that a team's template (its fonts, colours and master slide) decides the look.

The pictures and tables come from the same functions as the other outputs (`render`, `build_plan`,
`build_spread`, `analyse`, `chart`): a deck cannot disagree with the diagram or the plan.

A template is a file from whoever runs driverkit: it is read only if it is a regular file under a
size cap, its zip is checked for its unpacked size before python-pptx opens it, and anything wrong
with it is a TemplateError (a ValueError) that names the file and says why.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Pt

from driverkit.output.escape import visible
from driverkit.project.model import Project

TEMPLATE_MAX_BYTES = 32 * 1024 * 1024
TEMPLATE_MAX_UNPACKED = 256 * 1024 * 1024  # a zip that unpacks to more than this is refused (a zip bomb)
TEMPLATE_MAX_ENTRIES = 10_000
PICTURE_DPI = 144  # the resolution diagrams and charts are drawn at
MAX_ENLARGEMENT = 1.5
MIN_TEXT_POINTS = 9.0  # diagram text smaller than this on a slide is too small to read: split the diagram
WIDE = (12_192_000, 6_858_000)  # 13.333 x 7.5 inches, in EMU: PowerPoint's 16:9
FIXED_TIME = dt.datetime(2000, 1, 1)  # the deck's created/modified dates, so the same input gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EMU_PER_POINT = 12_700
EMU_PER_INCH = 914_400

# The columns of the measurement plan on a slide (keys of driverkit.documents.plan.COLUMNS), with
# their relative widths. Columns empty for every measure are left out.
PLAN_COLUMNS = (("name", 2.2), ("family", 1.0), ("definition", 3.2), ("numerator", 2.2), ("denominator", 2.2),
                ("frequency", 1.35), ("owner", 1.6))
TABLE_POINTS = 11.0  # text size in tables
TITLE_POINTS = 40.0  # a title that fits at this size keeps the template's size; a longer one is made smaller
TITLE_SIZES = (36, 32, 28, 24, 20, 18)
SPREAD_CHANGES_PER_SLIDE = 8


class TemplateError(ValueError):
    """A slide template that cannot be used; the message names the file and says why."""


@dataclass
class _Table:
    """A table's text: a header row, the rows, a footer row (totals) if any; relative column widths."""

    header: list[str]
    rows: list[list[str]]
    weights: Sequence[float]
    footer: Optional[list[str]] = None


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


def deck(project: Project, *, template: Optional[str | Path] = None, backend: str = "auto", **options: Any) -> bytes:
    """The project as a PowerPoint deck, as bytes (the same bytes for the same input).

    `template` is a .pptx whose master, layouts, theme and slide size the deck takes (its slides
    are dropped); without one, python-pptx's plain default made 16:9. `backend` picks the Graphviz
    that draws the diagram, and `options` are the driver diagram's view options, as for `render`
    (theme, font_size, show_ids, ...; a `primary` or `driver` draws only that driver). Raises
    TemplateError for a template that cannot be used, and what `render` raises for the diagram.
    """
    project.reindex()
    prs = _open_template(template) if template is not None else _default_presentation()
    layouts = _Layouts(prs, open_below_title=template is None)
    builder = _Builder(prs, layouts)
    builder.title_slide(project)
    builder.diagram_slides(project, backend, options)
    builder.plan_slides(project)
    builder.chart_slides(project)
    builder.spread_slides(project)
    for slide in prs.slides:
        _drop_empty_placeholders(slide)
    _fix_properties(prs, project)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _normalised_zip(buffer.getvalue())


# -- the template ----------------------------------------------------------------------------------

def _default_presentation() -> Any:
    """python-pptx's default presentation, made 16:9: its master and layouts were drawn for 4:3
    (10 x 7.5 inches), so their shapes are moved and resized in proportion to the new slide."""
    prs = Presentation()
    across, down = WIDE[0] / prs.slide_width, WIDE[1] / prs.slide_height
    prs.slide_width, prs.slide_height = WIDE
    for shapes in [prs.slide_master.shapes, *(layout.shapes for layout in prs.slide_layouts)]:
        for shape in shapes:  # a layout's placeholder without its own position takes the master's
            if getattr(shape._element, "xfrm", None) is not None and None not in (shape.left, shape.top, shape.width, shape.height):
                shape.left, shape.width = round(shape.left * across), round(shape.width * across)
                shape.top, shape.height = round(shape.top * down), round(shape.height * down)
    return prs


def read_template(path: str | Path) -> bytes:
    """The bytes of a template file, read as the project's own files are read (a regular file, under
    a size cap); TemplateError when it cannot be."""
    from driverkit.project.files import FileRefused, read_regular

    try:
        return read_regular(path, TEMPLATE_MAX_BYTES)
    except FileRefused as exc:
        raise TemplateError(f"the slide template {path}: {exc.reason}" + (f" ({exc.hint})" if exc.hint else "")) from None


def _open_template(path: str | Path) -> Any:
    """The template as a python-pptx Presentation with its slides removed."""
    data = read_template(path)
    refuse = f"the slide template {path}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TemplateError(f"{refuse} is not a PowerPoint file (.pptx): it is not a zip archive") from None
    if len(entries) > TEMPLATE_MAX_ENTRIES or sum(e.file_size for e in entries) > TEMPLATE_MAX_UNPACKED:
        raise TemplateError(f"{refuse} unpacks to more than {TEMPLATE_MAX_UNPACKED:,} bytes or "
                            f"{TEMPLATE_MAX_ENTRIES:,} parts; use a smaller template")
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises many kinds for a damaged package; none should escape as a traceback
        why = "a template (.potx) or macro file: save it as a .pptx" if "content type" in str(exc) else "damaged or not a .pptx"
        raise TemplateError(f"{refuse} cannot be opened as a PowerPoint presentation ({why})") from None
    if not len(prs.slide_layouts):
        raise TemplateError(f"{refuse} has no slide layouts")
    _remove_slides(prs)
    return prs


def _remove_slides(prs: Any) -> None:
    """Drop the template's own slides, and the lists that name them (sections, custom shows), which
    PowerPoint would otherwise offer to repair."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)
    root = prs.part._element
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.endswith("}sectionLst") or tag.endswith("}custShowLst"):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    for ext_list in root.findall("{http://schemas.openxmlformats.org/presentationml/2006/main}extLst"):
        for ext in list(ext_list):
            if len(ext) == 0:  # an extension emptied of its section list
                ext_list.remove(ext)


class _Layouts:
    """The three layouts a deck uses, found by their usual names, else by what placeholders they have."""

    def __init__(self, prs: Any, open_below_title: bool = False) -> None:
        layouts = list(prs.slide_layouts)
        by_name = {(layout.name or "").strip().lower(): layout for layout in layouts}
        self.title = by_name.get("title slide") or _first(layouts, lambda l: _has(l, "CENTER_TITLE")) or layouts[0]
        self.content = by_name.get("title and content") or _first(
            layouts, lambda l: _has(l, "TITLE") and _body_of(l) is not None) or self.title
        self.title_only = by_name.get("title only") or _first(
            layouts, lambda l: _has(l, "TITLE") and _body_of(l) is None) or self.content
        self.area = self._content_area(prs)
        # Where a diagram goes on a slide of its own. The default deck has nothing on its slides
        # but the title, so a diagram may take all the room below it: its text then shows larger.
        # A template's slides may carry a logo or a footer there, so its content area is kept.
        self.picture_area = self._below_title(prs, EMU_PER_INCH // 4) if open_below_title else self.area

    def _content_area(self, prs: Any) -> Box:
        """Where pictures and tables go: the body placeholder of the content layout, else the slide
        below its title, with margins."""
        body = _body_of(self.content)
        if body is not None and body.width and body.height:
            return Box(body.left, body.top, body.width, body.height)
        return self._below_title(prs, EMU_PER_INCH // 2)

    def _below_title(self, prs: Any, margin: int) -> Box:
        """The slide below the title of the title-only layout, with margins."""
        title = _placeholder(self.title_only, "TITLE")
        gap = EMU_PER_INCH // 6
        top = (title.top + title.height + gap) if title is not None and title.height else int(prs.slide_height * 0.2)
        return Box(margin, top, prs.slide_width - 2 * margin, prs.slide_height - top - margin)


def _first(items: Iterable[Any], test: Any) -> Any:
    return next((item for item in items if test(item)), None)


def _type_name(placeholder: Any) -> str:
    """The kind of a placeholder (TITLE, BODY, ...), or "" for a kind python-pptx does not know."""
    try:
        return str(getattr(placeholder.placeholder_format.type, "name", "") or "")
    except (ValueError, KeyError, AttributeError):
        return ""


def _placeholder(owner: Any, kind: str) -> Any:
    return _first(owner.placeholders, lambda p: _type_name(p) == kind)


def _has(layout: Any, kind: str) -> bool:
    return _placeholder(layout, kind) is not None


def _body_of(owner: Any) -> Any:
    """The main text placeholder of a layout or slide: index 1 if it holds text, else the first
    body, content or subtitle placeholder."""
    kinds = ("BODY", "OBJECT", "SUBTITLE")
    first = _first(owner.placeholders, lambda p: p.placeholder_format.idx == 1 and _type_name(p) in kinds)
    return first or _first(owner.placeholders, lambda p: _type_name(p) in kinds)


# -- the slides ------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, prs: Any, layouts: _Layouts) -> None:
        self.prs = prs
        self.layouts = layouts
        self.driver_slides: dict[str, Any] = {}  # a secondary driver's id -> its slide

    def new_slide(self, layout: Any, title: str) -> Any:
        slide = self.prs.slides.add_slide(layout)
        title_shape = slide.shapes.title
        if title_shape is not None:
            title_shape.text_frame.text = visible(title)
            box = Box(title_shape.left or 0, title_shape.top or 0, title_shape.width or 0, title_shape.height or 0)
            if box.width and box.height and _estimated_height([title], box.width, TITLE_POINTS) > box.height:
                # too long for a title at its usual size: the largest size that fits (else the template's)
                size = next((s for s in TITLE_SIZES if _estimated_height([title], box.width, s) <= box.height), TITLE_SIZES[-1])
                for run in title_shape.text_frame.paragraphs[0].runs:
                    run.font.size = Pt(size)
        else:  # a layout with no title placeholder: the title as a text box at the top
            area = self.layouts.area
            box = slide.shapes.add_textbox(area.left, EMU_PER_INCH // 4, area.width, max(area.top - EMU_PER_INCH // 4, EMU_PER_INCH // 2))
            box.text_frame.text = visible(title)
        return slide

    def title_slide(self, project: Project) -> None:
        from driverkit.project.fields import written_date

        slide = self.new_slide(self.layouts.title, project.title)
        lines = [project.aim_statement]
        if project.aim.by is not None:
            lines.append(f"By {written_date(project.aim.by)}")
        body = _body_of(slide)
        box = Box(body.left, body.top, body.width, body.height) if body is not None else self.layouts.area
        if body is None:
            body = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        if not _fill(body, lines, box, sizes=(24, 20, 18, 16, 14, 12), cut="… (the aim in full is in the notes)"):
            _notes(slide, lines)

    # The driver diagram --------------------------------------------------------------------------
    def diagram_slides(self, project: Project, backend: str, options: dict[str, Any]) -> None:
        drawer = _Drawer(project, backend, options)
        area = self.layouts.picture_area
        width, height = drawer.size()
        scale = _fit_scale((width, height), area)
        picture = drawer.picture(quiet=False)
        # A view per primary driver is as wide as the whole diagram, only shorter: it helps only
        # when the height is what makes the text too small.
        tall = height / width > area.height / area.width
        split = (drawer.font_size * scale < MIN_TEXT_POINTS and tall and not options.get("primary")
                 and not options.get("driver") and len(_primaries(project)) > 1)
        description = f"Driver diagram of {project.title}"
        if not split:
            self.picture_slide("Driver diagram", picture, area, description)
            return
        # The overview: the whole diagram, too small to read but showing its shape, beside the aim
        # and the primary drivers in words; then each primary driver on a slide of its own.
        lines = [f"Aim: {project.aim_statement}"] + [f"{d.id} {d.text}" for d in _primaries(project)]
        overview = self.picture_and_text_slide("Driver diagram (overview)", picture, description, lines, 0.45,
                                               levels=[0] + [1] * (len(lines) - 1))
        _link_to_slides(overview, [self.primary_slides(drawer, driver) for driver in _primaries(project)])

    def primary_slides(self, drawer: _Drawer, driver: Any) -> Any:
        """A primary driver's slide, and returns it. When its text would still be too small to
        read, the slide shows its view beside its secondary drivers in words, each a link to a
        slide of its own: that secondary driver, what feeds it and its path to the aim."""
        area = self.layouts.picture_area
        title = f"Driver diagram: {driver.id} {driver.text}"
        picture, points, key = drawer.best(area, primary=driver.id)
        secondaries = drawer.secondaries(driver.id)
        if points >= MIN_TEXT_POINTS or len(secondaries) < 2:
            return self.picture_slide(title, picture, area, drawer.describe(driver.id), key)
        lines = [f"{driver.id} {driver.text}"] + [f"{box.element_id} {box.text}" for box in secondaries]
        slide = self.picture_and_text_slide(f"{title} (overview)", picture, drawer.describe(driver.id), lines, 0.45,
                                            levels=[0] + [1] * len(secondaries))
        targets = []
        for box in secondaries:  # a secondary driver that feeds two primary drivers has one slide, linked from both
            if box.element_id not in self.driver_slides:
                picture, _, key = drawer.best(area, driver=box.element_id)
                self.driver_slides[box.element_id] = self.picture_slide(
                    f"Driver diagram: {box.element_id} {box.text}", picture, area, drawer.describe(box.element_id), key)
            targets.append(self.driver_slides[box.element_id])
        _link_to_slides(slide, targets)
        return slide

    def picture_slide(self, title: str, png: bytes, area: Box, description: str, key: Optional[str] = None) -> Any:
        """A slide of one picture; `key`, a line under it (in the slide's margin, never over it)."""
        slide = self.new_slide(self.layouts.title_only, title)
        _add_picture(slide, png, area, description)
        if key:
            top = area.top + area.height
            box = slide.shapes.add_textbox(area.left, top, area.width, max(self.prs.slide_height - top, EMU_PER_POINT * 12))
            frame = box.text_frame
            frame.word_wrap = True
            frame.margin_top = frame.margin_bottom = frame.margin_left = frame.margin_right = 0
            run = frame.paragraphs[0].add_run()
            run.text = visible(key)
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x4B, 0x55, 0x63)
        return slide

    # The measurement plan ------------------------------------------------------------------------
    def plan_slides(self, project: Project) -> None:
        if not project.measures:
            return
        from driverkit.documents import plan as plan_module

        plan = plan_module.build_plan(project)
        headers = dict(getattr(plan_module, "COLUMNS", ()))
        rows = [row.values for row in plan.rows]
        columns = [(key, weight) for key, weight in PLAN_COLUMNS if any(r.get(key) for r in rows)]
        if not columns or not rows:
            return
        header = [headers.get(key, key.capitalize()) for key, _ in columns]
        cells = [[_plan_cell(key, values) for key, _ in columns] for values in rows]
        self.table_slides("Measurement plan", [_Table(header, cells, [w for _, w in columns])])

    def table_slides(self, title: str, tables: list[_Table]) -> None:
        """Tables over as many slides as they need, the header (and footer) row on each; the
        slides numbered in the title when there are several."""
        area = self.layouts.area
        pages = [(table, page) for table in tables for page in _pages(table, area)]
        for number, (table, page) in enumerate(pages, 1):
            suffix = f" ({number} of {len(pages)})" if len(pages) > 1 else ""
            slide = self.new_slide(self.layouts.title_only, title + suffix)
            _add_table(slide, table, page, area)

    # Charts ---------------------------------------------------------------------------------------
    def chart_slides(self, project: Project) -> None:
        measures = [m for m in project.measures if m.data or m.data_file]
        if not measures:
            return
        from driverkit.project.graph import project_graph
        from driverkit.spc.analysis import analyse
        from driverkit.spc.charts import chart

        graph = project_graph(project)
        for measure in measures:
            analysis = analyse(project, measure, graph)
            reading = [line.strip() for line in analysis.summary()[1:] if line.strip()]
            reading += [f"Not read: {problem}" for problem in getattr(analysis, "problems", [])]
            # no chart for data that could not be read: the text says why
            png = chart(project, measure, "png", analysis) if analysis.values else None
            self.picture_and_text_slide(f"{measure.id} {measure.name}", png, f"Chart of {measure.id} {measure.name}",
                                        reading or ["No reading: see the chart."], 2 / 3)

    def picture_and_text_slide(self, title: str, png: Optional[bytes], description: str, lines: list[str],
                               share: float, levels: Optional[Sequence[int]] = None) -> Any:
        """A picture on the left (at most `share` of the width) and text in the body placeholder
        beside it; the text in the notes too when it does not all fit."""
        slide = self.new_slide(self.layouts.content, title)
        area = text_box = self.layouts.area
        if png is not None:
            width, height = _png_size(png)
            fitted = min(int(area.width * share), int(area.height * width / max(height, 1)))
            picture_box = Box(area.left, area.top, fitted, area.height)
            _add_picture(slide, png, picture_box, description)
            gap = EMU_PER_INCH // 6
            text_box = Box(area.left + fitted + gap, area.top, area.width - fitted - gap, area.height)
        body = _body_of(slide)
        if body is None:
            body = slide.shapes.add_textbox(text_box.left, text_box.top, text_box.width, text_box.height)
        else:
            body.left, body.top, body.width, body.height = text_box.left, text_box.top, text_box.width, text_box.height
        if not _fill(body, lines, text_box, levels=levels):
            _notes(slide, lines)
        return slide

    # The spread plan ------------------------------------------------------------------------------
    def spread_slides(self, project: Project) -> None:
        if project.spread is None:
            return
        from driverkit.documents.spread import build_spread

        spread = build_spread(project)
        if not spread.columns or not spread.rows:
            return
        rows = [(group.title, row) for group in spread.groups for row in group.rows]
        tables = []
        for first in range(0, len(spread.columns), SPREAD_CHANGES_PER_SLIDE):
            columns = spread.columns[first:first + SPREAD_CHANGES_PER_SLIDE]
            header = ["Site", "Wave"] + [f"{c.id} {c.text}".strip() for c in columns]
            cells = [[row.name, wave] + row.cells[first:first + len(columns)] for wave, row in rows]
            footer = ["Adopted", ""] + [c.total for c in columns]
            tables.append(_Table(header, cells, [2.0, 1.0] + [1.25] * len(columns), footer))
        self.table_slides("Spread plan", tables)


def _link_to_slides(overview: Any, targets: list[Any]) -> None:
    """The id of each driver listed on an overview (paragraphs 2, 3, ...) opens its own slide when
    clicked in a slide show. Only the id is the link: a long linked text may be broken in mid-word
    by some viewers."""
    from pptx.opc.constants import RELATIONSHIP_TYPE

    body = _body_of(overview)
    if body is None:
        return
    for paragraph, target in zip(body.text_frame.paragraphs[1:], targets):
        if not paragraph.runs:
            continue
        first = paragraph.runs[0]
        name, space, rest = first.text.partition(" ")
        if rest:
            first.text = name
            tail = paragraph.add_run()
            tail.text = space + rest
            tail.font.size = first.font.size
        rel = overview.part.relate_to(target.part, RELATIONSHIP_TYPE.SLIDE)
        first._r.get_or_add_rPr().add_hlinkClick(rel).set("action", "ppaction://hlinksldjump")


def _drop_empty_placeholders(slide: Any) -> None:
    """Text placeholders a slide left empty (a layout used for a picture or a table): they would
    show "Click to add text" while the deck is edited."""
    for placeholder in list(slide.placeholders):
        if _type_name(placeholder) in ("BODY", "OBJECT", "SUBTITLE") and not placeholder.text_frame.text.strip():
            placeholder._element.getparent().remove(placeholder._element)


class _Drawer:
    """The driver diagram's views for the deck, drawn with the deck's backend and view options."""

    def __init__(self, project: Project, backend: str, options: dict[str, Any]) -> None:
        from driverkit.documents.diagram import ViewOptions

        # The slide's own title says what the picture shows: the picture leaves its title out.
        self.project, self.backend, self.options = project, backend, {**options, "title": False}
        view = ViewOptions.for_project(project, **options)
        self.font_size, self.legend = view.font_size, view.legend

    def _render(self, format: str, view: dict[str, Any], quiet: bool = True) -> bytes:
        from driverkit.output.rendering import render

        with warnings.catch_warnings():
            if quiet:  # a part of the diagram repeats the whole one's warnings
                warnings.simplefilter("ignore")
            return render(self.project, format, backend=self.backend, **{**self.options, **view})

    def size(self, **view: Any) -> tuple[float, float]:
        """The drawn size of a view, in points."""
        return _svg_points(self._render("svg", view, quiet=not view))

    def picture(self, quiet: bool = True, **view: Any) -> bytes:
        return self._render("png", view, quiet)

    def best(self, area: Box, **view: Any) -> tuple[bytes, float, Optional[str]]:
        """A view's picture, the size its text shows at in the area, and the key in words when the
        picture leaves out its legend: the view as asked if that reads at MIN_TEXT_POINTS or more,
        else without its legend if that does (the key to the statuses and measures under the aim is
        often what makes a part of the diagram tall), else whichever of the two shows the text larger."""
        tries = [view] + ([{**view, "legend": False}] if self.legend else [])
        shown = [self.font_size * _fit_scale(self.size(**v), area) for v in tries]  # drawing an SVG is quick
        for chosen, points in zip(tries, shown):
            if points >= MIN_TEXT_POINTS:
                png = self.picture(**chosen)
                placed = _text_points(png, area, self.font_size)  # as the picture will be placed
                if placed >= MIN_TEXT_POINTS:
                    return png, placed, self._key_unless_drawn(chosen)
        chosen = tries[shown.index(max(shown))]
        png = self.picture(**chosen)
        return png, _text_points(png, area, self.font_size), self._key_unless_drawn(chosen)

    def _key_unless_drawn(self, view: dict[str, Any]) -> Optional[str]:
        return self.key() if view.get("legend") is False else None

    def key(self) -> str:
        """The legend in words, for a picture drawn without it: border styles are the same in
        every theme."""
        from driverkit.documents.diagram import in_sentence

        changes = in_sentence(self.project.columns.change)
        return (f"Key: {changes} by border: dashed, an idea; solid, being tested; thick, adopted; dotted, abandoned. "
                "\u25b8 M1 names a measure of the measurement plan.")

    def secondaries(self, primary: str) -> list[Any]:
        """The boxes of the secondary drivers in a primary driver's view, in the order drawn."""
        from driverkit.documents.diagram import ViewOptions, build_diagram

        diagram = build_diagram(self.project, ViewOptions.for_project(self.project, **{**self.options, "primary": primary}))
        return [box for column in diagram.columns if column.kind == "secondary" for box in column.boxes]

    def describe(self, driver_id: str) -> str:
        """A driver's view in words, for the picture's alt text: "Secondary driver S1.2: <text>"."""
        from driverkit.documents.diagram import driver_header, singular
        from driverkit.project.graph import project_graph

        node = project_graph(self.project).by_id[driver_id]
        return f"{singular(driver_header(self.project, node.level))} {driver_id}: {getattr(node.element, 'text', '')}"


def _primaries(project: Project) -> list[Any]:
    """The primary drivers a view can be drawn of: those with an id."""
    return [d for d in project.drivers if d.id]


def _plan_cell(key: str, values: dict[str, str]) -> str:
    if key == "name" and values.get("id"):
        return f"{values['id']} {values.get('name', '')}".strip()
    return values.get(key, "")


# -- pictures --------------------------------------------------------------------------------------

def _svg_points(svg: bytes) -> tuple[float, float]:
    """The drawn size of an SVG from Graphviz, in points."""
    found = re.search(rb'<svg[^>]*?width="([\d.]+)(pt|px)?"[^>]*?height="([\d.]+)(pt|px)?"', svg)
    if not found:
        return (1.0, 1.0)
    width, height = float(found.group(1)), float(found.group(3))
    per_point = 0.75 if found.group(2) == b"px" else 1.0
    return width * per_point, height * per_point


def _fit_scale(size_points: tuple[float, float], area: Box) -> float:
    """How much a picture of this size (points) is scaled to fit the area, keeping its shape."""
    width, height = (max(s, 1.0) * EMU_PER_POINT for s in size_points)
    return min(area.width / width, area.height / height)


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError("the picture to put on a slide is not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _picture_scale(png: bytes, area: Box) -> float:
    """EMU per pixel of a picture placed in the area: fitted to it, but a small picture is not
    blown up past 1.5 times the size it was drawn at (pictures are drawn at 144 dpi)."""
    width, height = _png_size(png)
    return min(area.width / max(width, 1), area.height / max(height, 1), MAX_ENLARGEMENT * EMU_PER_INCH / PICTURE_DPI)


def _text_points(png: bytes, area: Box, font_size: float) -> float:
    """The size a diagram's text, drawn at `font_size`, shows at once its picture is placed in the area."""
    return font_size * _picture_scale(png, area) * PICTURE_DPI / EMU_PER_INCH


def _add_picture(slide: Any, png: bytes, area: Box, description: str) -> Any:
    """The picture fitted into the area keeping its shape, centred; its description as alt text."""
    width, height = _png_size(png)
    scale = _picture_scale(png, area)
    shown = (round(width * scale), round(height * scale))
    left = area.left + (area.width - shown[0]) // 2
    top = area.top + (area.height - shown[1]) // 2
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top, shown[0], shown[1])
    picture._element.nvPicPr.cNvPr.set("descr", visible(description))
    return picture


# -- text ------------------------------------------------------------------------------------------

def _estimated_height(lines: Sequence[str], width_emu: int, points: float, spacing: float = 0.4, margins: float = 10) -> int:
    """Roughly how tall these paragraphs are at this size in a box this wide (EMU): a character is
    taken as half the size wide, a line as 1.2 times the size, plus `spacing` (times the size)
    between paragraphs and `margins` points above and below."""
    chars = max(1, int((width_emu / EMU_PER_POINT - 14) / (points * 0.5)))
    count = sum(max(1, -(-len(line) // chars)) for line in lines)
    return int((count * points * 1.2 + len(lines) * points * spacing + margins) * EMU_PER_POINT)


def _fill(shape: Any, lines: Sequence[str], box: Box, sizes: Sequence[float] = (16, 14, 12, 11, 10, 9),
          cut: str = "… (the full reading is in the notes)", levels: Optional[Sequence[int]] = None) -> bool:
    """The lines as the shape's paragraphs, at the largest size that fits the box; False when even
    the smallest does not, and the last lines gave way to `cut`."""
    lines = [visible(line) for line in lines]
    points = next((s for s in sizes if _estimated_height(lines, box.width, s) <= box.height), sizes[-1])
    shown, complete = list(lines), True
    while len(shown) > 1 and _estimated_height(shown, box.width, points) > box.height:
        shown.pop()
        complete = False
    if not complete:
        shown[-1] = cut
    frame = shape.text_frame
    frame.word_wrap = True
    for index, line in enumerate(shown):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.level = levels[index] if levels and index < len(levels) else 0
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(points)
    return complete


def _notes(slide: Any, lines: Sequence[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(visible(line) for line in lines)


# -- tables ----------------------------------------------------------------------------------------

def _column_widths(weights: Sequence[float], total: int) -> list[int]:
    widths = [int(total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _row_height(cells: Sequence[str], widths: Sequence[int]) -> int:
    """Roughly how tall a table row is at TABLE_POINTS: its tallest cell, with the cell margins."""
    return max(_estimated_height(str(cell).splitlines() or [""], width, TABLE_POINTS, 0.0, 9) for cell, width in zip(cells, widths))


def _pages(table: _Table, area: Box) -> list[list[list[str]]]:
    """The table's rows in pages that fit the area below the header (and above the footer); a row
    taller than a page gets a page of its own."""
    widths = _column_widths(table.weights, area.width)
    fixed = [table.header] + ([table.footer] if table.footer else [])
    room = area.height - sum(_row_height(r, widths) for r in fixed)
    pages: list[list[list[str]]] = [[]]
    used = 0
    for row in table.rows:
        need = _row_height(row, widths)
        if pages[-1] and used + need > room:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += need
    return pages


def _add_table(slide: Any, table: _Table, rows: list[list[str]], area: Box) -> Any:
    widths = _column_widths(table.weights, area.width)
    body = [table.header, *rows] + ([table.footer] if table.footer else [])
    heights = [_row_height(r, widths) for r in body]
    shape = slide.shapes.add_table(len(body), len(table.header), area.left, area.top, area.width, min(sum(heights), area.height))
    grid = shape.table
    for index, width in enumerate(widths):
        grid.columns[index].width = width
    for row_index, (values, height) in enumerate(zip(body, heights)):
        grid.rows[row_index].height = height
        total = table.footer is not None and row_index == len(body) - 1
        for column_index, value in enumerate(values):
            frame = grid.cell(row_index, column_index).text_frame
            for line_index, line in enumerate(str(value).splitlines() or [""]):
                paragraph = frame.paragraphs[0] if line_index == 0 else frame.add_paragraph()
                run = paragraph.add_run()
                run.text = visible(line)
                run.font.size = Pt(TABLE_POINTS)
                run.font.bold = True if total else None
    return shape


# -- determinism -----------------------------------------------------------------------------------

def _fix_properties(prs: Any, project: Project) -> None:
    """Core properties that do not change from run to run (python-pptx would stamp the time)."""
    props = prs.core_properties
    props.title = visible(project.title)[:255]
    props.subject = ""
    props.description = ""
    props.last_modified_by = "driverkit"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    if props.last_printed is not None:
        props.last_printed = FIXED_TIME


APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<Application>driverkit</Application><Slides>{slides}</Slides></Properties>')


def _normalised_zip(data: bytes) -> bytes:
    """The package rewritten with every entry dated 1980-01-01 (zipfile stamps the current time),
    and the extended properties written afresh: a template's would still count and name its own
    slides."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        slides = sum(1 for name in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            blob = APP_XML.format(slides=slides).encode("utf-8") if name == "docProps/app.xml" else source.read(name)
            target.writestr(info, blob)
    return out.getvalue()
