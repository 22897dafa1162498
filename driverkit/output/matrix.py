"""The link matrices as a picture, in Graphviz's DOT language (the matrices themselves are built by
`driverkit.documents.matrix`).

Each matrix is a table (a Graphviz HTML-like label): a row per element of the lower level, a column
per element of the upper level, a mark where they are linked, and the number of links under each
column. Graphviz reads no label over 16,384 bytes, so a long matrix is drawn as several tables one
under the other, the header row repeated, and a wide one in slices of COLUMNS_PER_TABLE columns.
Every column of a matrix has one width and every row header another, so the pieces line up. All
text is wrapped with the font Graphviz draws with and goes through `escape.label`.
"""

from __future__ import annotations

from typing import Optional

import graphviz

from driverkit.documents.diagram import ViewOptions
from driverkit.documents.matrix import MARKS, LinkMatrices, Matrix
from driverkit.output import escape
from driverkit.output.dot import MAX_STRING, label_lines, shortened, statement
from driverkit.output.textwidth import Font, load_font, wrap
from driverkit.output.themes import THEMES, Theme

ROW_HEADER = 240.0  # points at 10 pt
CELL = 76.0
COLUMNS_PER_TABLE = 20


class _Style:
    """What every table of one drawing shares: sizes, fonts and colours."""

    def __init__(self, options: ViewOptions):
        self.size = options.font_size
        self.scale = self.size / 10.0
        self.small = self.size * 0.8
        self.font = load_font(options.font_file)
        self.bold = load_font(bold=True) if not options.font_file else self.font
        self.theme: Theme = THEMES[options.theme]
        self.row_header = ROW_HEADER * self.scale
        self.cell = CELL * self.scale
        self.padding = 4 * self.scale  # inside each cell
        self.pad = self.padding + 1  # the room left of the text, and right

    def heading(self, element_id: str, text: str, width: float, size: float) -> str:
        """An element's id in bold, then its short text, wrapped to `width`."""
        inner = width - 2 * self.pad
        return (f"<B>{label_lines(element_id, inner, size, self.bold, 2_000, 'an id in a matrix')}</B><BR/>"
                f"{label_lines(text, inner, size, self.font, 2_000, 'a header of a matrix')}")


def matrix_dot(matrices: LinkMatrices, options: Optional[ViewOptions] = None) -> str:
    """DOT source of the link matrices, one table under the other: deterministic, the same text
    for the same matrices."""
    style = _Style(options or matrices.options)
    theme = style.theme
    dot = graphviz.Digraph("link_matrices")
    title = shortened(escape.label, f"Link matrices: {matrices.title}", MAX_STRING, "the title")
    dot.attr("graph", rankdir="TB", newrank="true", nodesep="0.1", ranksep=f"{0.3 * style.scale:.3f}", fontname=style.font.family,
             bgcolor="white", pad="0.25", label=f"<<B>{title}</B>>", labelloc="t", labeljust="l",
             fontsize=f"{style.size * 1.5:g}", fontcolor=theme.header)
    dot.attr("node", shape="plaintext", fontname=style.font.family, fontsize=f"{style.size:g}", fontcolor=theme.text, margin="0")
    names = []
    for number, matrix in enumerate(matrices.matrices, 1):
        if not matrix.rows or not matrix.columns:
            continue
        for part, label in enumerate(_tables(matrix, style)):
            name = f"matrix_{number}_{part + 1}"
            dot.body.append(statement(name, {"label": label, "id": name.replace("_", "-"), "tooltip": "Link matrix"}))
            names.append(name)
    if not names:
        note = escape.label(matrices.empty_note)
        dot.body.append(statement("empty", {"label": f"<{note}>"}))
    for upper, lower in zip(names, names[1:]):  # one under the other, left sides in line (ports on cells)
        dot.body.append(statement(f"{upper}:foot:sw -> {lower}:top:nw", {"style": "invis"}))
    return dot.source


def _tables(matrix: Matrix, style: _Style) -> list[str]:
    """The HTML-like labels of one matrix: slices of its columns, each cut into as many tables
    as its rows need, the title and the header row on each, the totals and the key under the last."""
    tables = []
    slices = range(0, len(matrix.columns), COLUMNS_PER_TABLE)
    for start in slices:
        columns = list(range(start, min(start + COLUMNS_PER_TABLE, len(matrix.columns))))
        caption = matrix.title
        if len(slices) > 1:
            caption += f" (columns {start + 1} to {columns[-1] + 1} of {len(matrix.columns)})"
        head = _header_row(matrix, columns, style)
        foot = _foot_rows(matrix, columns, style)
        chunks = _chunks(_body_rows(matrix, columns, style), MAX_STRING - len(head.encode("utf-8")) - len(foot.encode("utf-8")) - 1_000)
        for part, chunk in enumerate(chunks):
            title = label_lines(caption + (" (continued)" if part else ""), style.row_header + len(columns) * style.cell,
                                style.size * 1.15, style.bold, 2_000, "the title of a matrix")
            top = f'<TR><TD PORT="top" COLSPAN="{len(columns) + 1}" BORDER="0" ALIGN="LEFT" CELLPADDING="2"><B>{title}</B></TD></TR>'
            body = chunk + ([foot] if part == len(chunks) - 1 else [])
            body[-1] = body[-1].replace("<TD", '<TD PORT="foot"', 1)  # the left end of the last row
            tables.append(f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="{style.padding:.0f}" '
                          f'COLOR="{style.theme.frame}">{top}{head}{"".join(body)}</TABLE>>')
    return tables


def _header_row(matrix: Matrix, columns: list[int], style: _Style) -> str:
    """The name of the rows' level, then each column's id and brief text."""
    fill = style.theme.driver_fills[1]
    name = label_lines(matrix.rows_header, style.row_header - 2 * style.pad, style.size, style.bold, 2_000, "a header of a matrix")
    cells = [f'<TD BGCOLOR="{fill}" ALIGN="LEFT" VALIGN="BOTTOM" WIDTH="{style.row_header:.0f}"><B>{name}</B></TD>']
    for index in columns:
        column = matrix.columns[index]
        cells.append(f'<TD BGCOLOR="{fill}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="BOTTOM" WIDTH="{style.cell:.0f}">'
                     f'<FONT POINT-SIZE="{style.small:g}">{style.heading(column.id, column.brief, style.cell, style.small)}</FONT></TD>')
    return f'<TR>{"".join(cells)}</TR>'


def _body_rows(matrix: Matrix, columns: list[int], style: _Style) -> list[str]:
    """A row per element of the lower level, every other one shaded, a mark where it is linked."""
    rows = []
    for number, row in enumerate(matrix.rows):
        shade = f' BGCOLOR="{style.theme.driver_fills[2]}"' if number % 2 else ""
        cells = [f'<TD ALIGN="LEFT" BALIGN="LEFT"{shade}>{style.heading(row.heading.id, row.heading.short, style.row_header, style.size)}</TD>']
        for index in columns:
            kind = row.cells[index]
            mark = f'<FONT POINT-SIZE="{style.size * 1.2:g}" COLOR="{style.theme.header}">{MARKS[kind]}</FONT>' if kind else ""
            cells.append(f'<TD{shade}>{mark}</TD>')
        rows.append(f'<TR>{"".join(cells)}</TR>')
    return rows


def _foot_rows(matrix: Matrix, columns: list[int], style: _Style) -> str:
    """The links under each column, then the key of the marks."""
    muted = style.theme.muted
    totals = matrix.totals
    key = f"{MARKS['strong']} a link" + (f"     {MARKS['weak']} a weak link" if matrix.weak else "")
    return (f'<TR><TD ALIGN="LEFT"><FONT COLOR="{muted}">Links</FONT></TD>'
            + "".join(f'<TD><FONT COLOR="{muted}">{totals[index]}</FONT></TD>' for index in columns) + "</TR>"
            f'<TR><TD COLSPAN="{len(columns) + 1}" BORDER="0" ALIGN="LEFT"><FONT POINT-SIZE="{style.small:g}" COLOR="{muted}">{key}</FONT></TD></TR>')


def _chunks(rows: list[str], budget: int) -> list[list[str]]:
    """`rows` cut into runs of at most `budget` bytes (at least one row a run)."""
    chunks: list[list[str]] = [[]]
    used = 0
    for row in rows:
        size = len(row.encode("utf-8"))
        if chunks[-1] and used + size > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(row)
        used += size
    return chunks


def matrix_estimated_size(matrices: LinkMatrices, options: Optional[ViewOptions] = None) -> tuple[float, float]:
    """Roughly how large Graphviz will draw the matrices, in points (width, height): enough to
    choose a PNG resolution before drawing."""
    style = _Style(options or matrices.options)
    line = style.size * 1.3
    width = height = 0.0
    for matrix in matrices.matrices:
        shown = min(len(matrix.columns), COLUMNS_PER_TABLE)
        width = max(width, style.row_header + shown * style.cell)
        slices = -(-len(matrix.columns) // COLUMNS_PER_TABLE)
        header = max((_lines(c.brief, style.cell - 2 * style.pad, style.small, style.font) for c in matrix.columns), default=1) + 1
        body = sum(max(2, _lines(r.heading.short, style.row_header - 2 * style.pad, style.size, style.font) + 1) for r in matrix.rows)
        height += slices * ((header + 4) * line + body * line + 12 * style.scale * len(matrix.rows))
    return width + 36, height + 4 * style.size


def _lines(text: str, width: float, size: float, font: Font) -> int:
    return len(wrap(text, width, size, font))
