"""Link matrices: the links between adjacent levels of the driver diagram, as tables.

A dense many-to-many diagram (a driver fed by nine others, some of them serving three drivers)
reads better as a table, which many teams keep beside the picture. There is one matrix per pair of
adjacent levels: secondary drivers by primary drivers, tertiary by secondary drivers where the
diagram has them, and change ideas by the drivers they serve. Rows are the lower level and
columns the upper, both in the order of the diagram (the same view options, so `--order`,
`--primary`, `--status`... apply); a cell is marked where the two are linked, with weak links
marked apart. Columns of the change-idea matrix are the drivers that have change ideas or no
drivers under them, in the diagram's outline order: each driver followed by those written under
it. Headers use each element's id and its text, shortened, and the column names of the file.

This is the one place that decides what the matrices say; the image, HTML and Markdown writers
only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from driverkit.documents.diagram import Box, Diagram, ViewOptions, build_diagram, in_sentence
from driverkit.project.graph import AIM
from driverkit.project.model import Project

MARKS = {"strong": "●", "weak": "○", "": ""}  # the mark of a cell, by the kind of link
SHORT = 80  # characters of an element's text in a row's header
BRIEF = 40  # and in a column's header, which is narrow


@dataclass(frozen=True)
class Heading:
    """A row or column of a matrix: an element of the diagram."""

    id: str
    text: str
    kind: str  # primary, secondary, tertiary, change
    url: Optional[str] = None  # the element's link, checked when the file was loaded
    description: Optional[str] = None

    @property
    def hint(self) -> str:
        """What a reader sees on hovering over the heading: the whole text, and the description."""
        return self.text + (f" — {self.description}" if self.description else "")

    @property
    def short(self) -> str:
        return short_text(self.text, SHORT)

    @property
    def brief(self) -> str:
        return short_text(self.text, BRIEF)


@dataclass
class MatrixRow:
    heading: Heading
    cells: list[str]  # per column: "strong", "weak" or "" (no link)

    @property
    def marks(self) -> list[str]:
        return [MARKS[cell] for cell in self.cells]


@dataclass
class Matrix:
    rows_header: str  # the column name of the rows' level, e.g. "Secondary drivers"
    columns_header: str
    columns: list[Heading]
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.rows_header} by {self.columns_header}"

    @property
    def totals(self) -> list[int]:
        """Links per column."""
        return [sum(bool(row.cells[index]) for row in self.rows) for index in range(len(self.columns))]

    @property
    def weak(self) -> bool:
        return any("weak" in row.cells for row in self.rows)


@dataclass
class LinkMatrices:
    title: str
    aim: str
    matrices: list[Matrix]
    options: ViewOptions
    change_header: str = "Change ideas"  # the file's name for the change ideas column

    @property
    def empty_note(self) -> str:
        """What a view with no links to show says, in the words of the file's `columns:`."""
        return f"The diagram has no links between drivers and {in_sentence(self.change_header)} to show."

    @property
    def marks(self) -> dict[str, str]:
        return dict(MARKS)


def short_text(text: str, limit: int) -> str:
    """`text` on one line, cut at a word before `limit` characters and ended with "…" when longer."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def build_matrices(project: Project, options: Optional[ViewOptions] = None, diagram: Optional[Diagram] = None) -> LinkMatrices:
    """The link matrices of the project's driver diagram, as drawn with `options`."""
    diagram = diagram or build_diagram(project, options)
    links = {(c.parent, c.child): ("weak" if c.weak else "strong") for c in diagram.connectors}
    headings = {box.key: _heading(diagram, box) for box in diagram.boxes()}
    drivers = [c for c in diagram.columns if c.kind not in ("aim", "change")]
    matrices = []
    for upper, lower in zip(drivers, drivers[1:]):
        matrices.append(_matrix(lower.header, upper.header, _kept(upper.boxes, lower.boxes, links), lower.boxes, headings, links))
    changes = next((c for c in diagram.columns if c.kind == "change"), None)
    if changes is not None and drivers:
        columns = _kept([box for box in _outline(diagram) if box.kind == "driver"], changes.boxes, links)
        header = " / ".join(diagram.columns[index].header for index in sorted({box.column for box in columns}))
        matrices.append(_matrix(changes.header, header, columns, changes.boxes, headings, links))
    return LinkMatrices(diagram.title, project.aim_statement, matrices, diagram.options, project.columns.change)


def _kept(columns: list[Box], rows: list[Box], links: dict[tuple[str, str], str]) -> list[Box]:
    """The columns of a matrix of `rows`: a column is left out when none of the rows is linked to
    it but something else is (a secondary driver with change ideas, in the matrix of tertiary
    drivers); a column linked to nothing below stays, empty, to show the gap."""
    below = {parent for parent, _ in links}
    keys = {row.key for row in rows}
    linked = {parent for parent, child in links if child in keys}
    return [box for box in columns if box.key in linked or box.key not in below]


def _matrix(rows_header: str, columns_header: str, columns: list[Box], rows: list[Box], headings: dict[str, Heading],
            links: dict[tuple[str, str], str]) -> Matrix:
    matrix = Matrix(rows_header, columns_header, [headings[box.key] for box in columns])
    for row in rows:
        matrix.rows.append(MatrixRow(headings[row.key], [links.get((column.key, row.key), "") for column in columns]))
    return matrix


def _heading(diagram: Diagram, box: Box) -> Heading:
    kind = box.kind if box.kind != "driver" else diagram.columns[box.column].kind
    return Heading(box.element_id, box.text, kind, box.url, box.description)


def _outline(diagram: Diagram) -> list[Box]:
    """Every box but the aim, each followed by the boxes written under it, in the diagram's order;
    boxes whose home is not drawn follow, in the diagram's order."""
    children: dict[Optional[str], list[Box]] = {}
    for column in diagram.columns[1:]:
        for box in column.boxes:
            children.setdefault(diagram.homes.get(box.key), []).append(box)
    outline: list[Box] = []

    def walk(key: Optional[str]) -> None:
        for child in children.get(key, []):
            outline.append(child)
            walk(child.key)

    walk(AIM)
    walk(None)
    return outline
