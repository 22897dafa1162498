"""The diagram in Graphviz's DOT language.

Each column is a rank of its own (`rank=same`) headed by its header, and the boxes of a column are
chained by invisible edges in the order the diagram decided, so Graphviz can neither move a box
out of its column nor reorder a column. Headers are chained with heavy invisible edges so they
line up in one row. Every label is an HTML-like label built from text that went through
`escape.label`, and every box is exactly as wide as its column: its text was wrapped to that width
with the font Graphviz draws with.
"""

from __future__ import annotations

import warnings
from typing import Callable, Sequence

import graphviz

from driverkit.output import escape
from driverkit.documents.diagram import Box, Diagram, ViewOptions, singular
from driverkit.output.textwidth import Font, load_font, wrap
from driverkit.output.themes import THEMES, Theme

COLUMN_WIDTHS = {"aim": 210.0, "primary": 170.0, "secondary": 170.0, "tertiary": 160.0, "change": 200.0}  # points at 10 pt
PADDING = 9.0  # points between a box's border and its text, left and right
BULLET = 1.0  # the width of an objective's bullet column, in ems of its small text
# Graphviz reads no quoted or HTML-like string over 16,384 bytes. Text is cut short (ending in
# "…", with a warning) to stay within these budgets, in bytes of escaped text: a whole label or
# tooltip, a box's text, and its badges.
MAX_STRING = 15_000
MAX_TEXT = 10_000
MAX_BADGES = 2_500


def to_dot(diagram: Diagram) -> str:
    """DOT source of the diagram: deterministic, the same text for the same diagram."""
    options = diagram.options
    theme = THEMES[options.theme]
    size = options.font_size
    scale = size / 10.0
    font = _font(options)
    bold = load_font(bold=True) if not options.font_file else font
    family = font.family

    dot = graphviz.Digraph("driver_diagram")
    # Straight links (bent only to pass a column) from the middle of a box's right side to the
    # middle of the next box's left side: they meet the rounded outline where it is straight, and
    # many links of one box fan out from one point instead of bundling into curves.
    graph = {"rankdir": "LR", "newrank": "true", "nodesep": f"{0.16 * scale:.3f}", "ranksep": f"{rank_gap(diagram) / 72:.3f}",
             "splines": "polyline", "fontname": family, "bgcolor": "white", "pad": "0.25", "outputorder": "edgesfirst"}
    if diagram.options.title:
        graph.update(label=f"<<B>{_title_lines(diagram, size, bold)}</B>>", labelloc="t", labeljust="l",
                     fontsize=f"{size * 1.5:g}", fontcolor=theme.header)
    dot.attr("graph", **graph)
    dot.attr("node", shape="box", style="rounded,filled", fontname=family, fontsize=f"{size:g}",
             margin=f"{0.1 * scale:.3f},{0.06 * scale:.3f}", penwidth="1", label="\\N", fontcolor=theme.text)
    dot.attr("edge", arrowhead="none", color=theme.edge, penwidth="1.2")

    names = {box.key: node_name(box) for box in diagram.boxes()}
    columns = []
    for index, column in enumerate(diagram.columns):
        width = COLUMN_WIDTHS.get(column.kind, 170.0) * scale
        nodes = [(names[box.key], statement(names[box.key], _box_attributes(box, width, size, font, bold, theme, options.show_ids, options.descriptions)))
                 for box in column.boxes]
        if index == 0 and options.legend and (diagram.statuses or diagram.measure_key):
            nodes.append(("legend", node_line("legend", **_legend(diagram, width, size, font, bold, theme))))
        columns.append((column.header, width, nodes))
    aligned_columns(dot, columns, size, bold, theme)

    boxes = {box.key: box for box in diagram.boxes()}
    for link in diagram.connectors:
        attributes = {"tailport": "e", "headport": "w"}  # east and west of the drawing, whatever rankdir says
        if link.weak:
            attributes.update(style="dotted", penwidth="1.6")
        if link.evidence:
            attributes["tooltip"] = plain(link.evidence, f"the evidence of the link {boxes[link.child].element_id} -> {boxes[link.parent].element_id}")
        attributes["id"] = plain(f"link:{boxes[link.child].element_id}:{boxes[link.parent].element_id}")
        dot.body.append(statement(f"{names[link.parent]} -> {names[link.child]}", attributes))
    return dot.source


def _title_lines(diagram: Diagram, size: float, bold: Font) -> str:
    """The title wrapped to the width of the columns, so that a long one (a view's title names the
    driver it shows) does not widen the picture; its lines start at the left."""
    widths = [COLUMN_WIDTHS.get(column.kind, 170.0) * size / 10.0 for column in diagram.columns]
    width = max(sum(widths) + rank_gap(diagram) * (len(widths) - 1), 200.0)
    lines = label_lines(diagram.title, width, size * 1.5, bold, MAX_STRING, "the title")
    return lines.replace("<BR/>", '<BR ALIGN="LEFT"/>') + ('<BR ALIGN="LEFT"/>' if "<BR/>" in lines else "")


def aligned_columns(dot: graphviz.Digraph, columns: Sequence[tuple[str, float, list[tuple[str, str]]]], size: float, bold: Font,
                    theme: Theme) -> None:
    """Columns side by side, each its header above its nodes, held in line: one `rank=same` group
    per column, invisible edges down each column and across the headers. `columns` gives each
    column's title, width and nodes, a node as its name and its DOT statement."""
    headers = []
    for index, (title, width, nodes) in enumerate(columns):
        header = f"column_{index}"
        headers.append(header)
        with dot.subgraph() as rank:
            rank.attr(rank="same")
            column_header(rank, header, title, width, size, bold, theme)
            chain = [header]
            for name, line in nodes:
                rank.body.append(line)
                chain.append(name)
            for upper, lower in zip(chain, chain[1:]):
                rank.body.append(statement(f"{upper} -> {lower}", {"style": "invis"}))
    for left, right in zip(headers, headers[1:]):
        dot.edge(left, right, style="invis", weight="100")


def node_line(name: str, **attributes: str) -> str:
    """The DOT statement of a node, quoted by the graphviz package (as `Digraph.node` writes it)."""
    scratch = graphviz.Digraph()
    scratch.node(name, **attributes)
    return scratch.body[0]


def column_header(rank: graphviz.Digraph, name: str, title: str, width: float, size: float, bold: Font, theme: Theme) -> None:
    """The header node of a column: bold, wrapped to the column's width."""
    lines = label_lines(title, width - 2 * PADDING * size / 10.0, size * 1.25, bold, MAX_STRING, "a column header")
    rank.node(name, label="<<B>" + lines + "</B>>",
              shape="plaintext", style="", fontsize=f"{size * 1.25:g}", fontcolor=theme.header, width=inches(width))


def rank_gap(diagram: Diagram) -> float:
    """The gap between columns, in points: 36 points (at 10 pt), widened where many links meet one
    column, up to double at two links or more per box, so that links meeting at a box stay apart."""
    into: dict[int, int] = {}
    column_of = {box.key: box.column for box in diagram.boxes()}
    for link in diagram.connectors:
        into[column_of[link.child]] = into.get(column_of[link.child], 0) + 1
    extra = max((count / len(diagram.columns[column].boxes) - 1 for column, count in into.items()), default=0.0)
    return 36.0 * diagram.options.font_size / 10.0 * (1 + min(1.0, max(0.0, extra)))


def _font(options: ViewOptions) -> Font:
    return load_font(options.font_file)


def estimated_size(diagram: Diagram) -> tuple[float, float]:
    """Roughly how large Graphviz will draw the diagram, in points (width, height): enough to
    choose a PNG resolution before drawing."""
    options = diagram.options
    size, scale = options.font_size, options.font_size / 10.0
    font = _font(options)
    width = sum(COLUMN_WIDTHS.get(c.kind, 170.0) * scale for c in diagram.columns) + rank_gap(diagram) * len(diagram.columns)
    height = 0.0
    for column in diagram.columns:
        text_width = COLUMN_WIDTHS.get(column.kind, 170.0) * scale - 2 * PADDING * scale
        lines = sum(len(wrap(b.text, text_width, size, font)) + bool(b.measures) + options.show_ids
                    + 0.8 * (len(wrap(b.description, text_width, size * 0.8, font)) if b.description and options.descriptions else 0)
                    + 0.8 * (bool(b.date_line) + sum(len(wrap(o, text_width - round(BULLET * size * 0.8) - 6, size * 0.8, font)) for o in b.objectives))
                    for b in column.boxes)
        extra = len(diagram.measure_key) + len(diagram.statuses) + 4 if column.kind == "aim" and options.legend else 0
        height = max(height, (lines + extra) * size * 1.25 + len(column.boxes) * (0.12 + 0.16 * scale) * 72)
    return width, height + 4 * size


def node_name(box: Box) -> str:
    """The node's name in DOT: a safe identifier derived from its unique key."""
    return "aim" if box.kind == "aim" else "n_" + "".join(c if c.isalnum() else f"_{ord(c):x}_" for c in box.key)


def plain(text: str, what: str = "a tooltip") -> str:
    """A plain-text attribute value, cut short if Graphviz could not read it. `nohtml` makes the
    graphviz package quote it even when it looks like `<...>`, which it would otherwise pass
    through as an HTML-like label."""
    return graphviz.nohtml(shortened(escape.dot_string, text, MAX_STRING, what))


def shortened(write: Callable[[str], str], text: str, budget: int, what: str) -> str:
    """`write(text)`, or, when that is over `budget` bytes, `write` of the longest start of `text`
    (ending in "…") within it, with a warning that says so."""
    result = write(text)
    if len(result.encode("utf-8")) <= budget:
        return result
    keep = len(text)
    while keep and len(result.encode("utf-8")) > budget:
        keep = keep * 9 // 10
        result = write(text[:keep].rstrip() + "…")
    from driverkit.output.engine import RenderWarning

    warnings.warn(RenderWarning(f"{what} is too long to draw ({len(text):,} characters): it is cut short, ending in “…”"),
                  stacklevel=2)
    return result


def rows_within(rows: list[str], budget: int, more: Callable[[int], str], what: str) -> list[str]:
    """The rows of a label that fit in `budget` bytes, then `more(n)`, a row that says how many
    were left out (with a warning), when they do not all fit."""
    sizes = [len(row.encode("utf-8")) for row in rows]
    if sum(sizes) <= budget:
        return rows
    kept, used = 0, len(more(len(rows)).encode("utf-8"))
    while kept < len(rows) and used + sizes[kept] <= budget:
        used += sizes[kept]
        kept += 1
    from driverkit.output.engine import RenderWarning

    warnings.warn(RenderWarning(f"{what} is too long to draw: {len(rows) - kept} of its {len(rows)} lines are left out"),
                  stacklevel=2)
    return rows[:kept] + [more(len(rows) - kept)]


def statement(subject: str, attributes: dict[str, str]) -> str:
    """One node or edge statement for the graph's body, quoted here rather than by the graphviz
    package (its general quoting is half the time of a large diagram). `label` is always an
    HTML-like label built from escaped text; every other value is already a safe DOT string."""
    parts = [f"{key}={value}" if key == "label" else f'{key}="{value}"' for key, value in attributes.items()]
    return f"\t{subject} [{' '.join(parts)}]\n"


def inches(points: float) -> str:
    return f"{points / 72:.3f}"


def label_lines(text: str, width: float, size: float, font: Font, budget: int = MAX_TEXT, what: str = "a label") -> str:
    """Text wrapped to `width` points and escaped, lines joined for an HTML-like label, cut short
    to stay within `budget` bytes."""
    return shortened(lambda t: "<BR/>".join(escape.label(line) for line in wrap(t, width, size, font)), text, budget, what)


def _box_attributes(box: Box, width: float, size: float, font: Font, bold: Font, theme: Theme, show_ids: bool,
                    descriptions: bool = False) -> dict[str, str]:
    text_width = width - 2 * PADDING * size / 10.0
    small = size * 0.8
    rows = []
    if show_ids and box.kind != "aim":
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small:g}"><B>{label_lines(box.element_id, text_width, small, bold)}</B></FONT></TD></TR>')
    rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{label_lines(box.text, text_width, size, font, what=f"the text of {box.element_id}")}</TD></TR>')
    colour = theme.aim_text if box.kind == "aim" else theme.muted
    if box.description and descriptions:
        lines = label_lines(box.description, text_width, small, font, what=f"the description of {box.element_id}")
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small:g}" COLOR="{colour}">{lines}</FONT></TD></TR>')
    if box.date_line:
        lines = label_lines(box.date_line, text_width, small, bold)
        # a date still to be set is flagged: bold and italic, where a real date is plain
        flagged = f"<I>{lines}</I>" if box.date_to_set else lines
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small:g}"><B>{flagged}</B></FONT></TD></TR>')
    bullet = round(BULLET * small)
    for objective in box.objectives:
        lines = label_lines(objective, text_width - bullet - 6, small, font, 2_000, "an objective of the aim")
        rows.append(f'<TR><TD ALIGN="LEFT" VALIGN="TOP" WIDTH="{bullet:.0f}" CELLPADDING="1"><FONT POINT-SIZE="{small:g}">•</FONT></TD>'
                    f'<TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="1"><FONT POINT-SIZE="{small:g}">{lines}</FONT></TD></TR>')
    if box.measures or box.cycles:
        parts = (["▸ " + "  ".join(box.measures)] if box.measures else []) + ([f"↻ {box.cycles} PDSA"] if box.cycles else [])
        badges = label_lines("   ".join(parts), text_width, small, font, MAX_BADGES, f"the measures of {box.element_id}")
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="1"><FONT POINT-SIZE="{small:g}" COLOR="{colour}">{badges}</FONT></TD></TR>')
    if box.objectives:  # two columns: the bullets and the objectives; every other row spans both
        rows = [row if "•</FONT></TD>" in row else row.replace("<TR><TD ", '<TR><TD COLSPAN="2" ', 1) for row in rows]
    # The table is as wide as the text may be, so every box's text starts at the same left edge.
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0" WIDTH="{text_width:.0f}">{"".join(rows)}</TABLE>>'
    attributes = {"label": label, "width": inches(width), "tooltip": plain(box.tooltip, f"the tooltip of {box.element_id}"), "id": plain(box.element_id)}
    if box.url:  # checked when the file was loaded: http(s) or relative; SVG and PDF make the box a link
        attributes.update(URL=plain(box.url, f"the url of {box.element_id}"), target="_top")
    if box.kind == "aim":
        attributes.update(fillcolor=theme.aim_fill, color=theme.aim_border, fontcolor=theme.aim_text, penwidth="1.5")
    elif box.kind == "driver":
        fills = theme.driver_fills
        attributes.update(fillcolor=fills[min(box.column, len(fills)) - 1], color=theme.driver_border)
    else:
        style = theme.statuses[box.status or "idea"]
        attributes.update(fillcolor=style.fill, color=style.border, fontcolor=style.text, penwidth=f"{style.width:g}",
                          style=f"rounded,filled,{style.style}" if style.style != "solid" else "rounded,filled")
    return attributes


def _legend(diagram: Diagram, width: float, size: float, font: Font, bold: Font, theme: Theme) -> dict[str, str]:
    scale = size / 10.0
    small = f"{size * 0.85:g}"
    swatch_width, swatch_height = round(24 * scale), round(13 * scale)
    rows = []
    if diagram.statuses:
        title = escape.label(f"{singular(diagram.columns[-1].header) if diagram.columns[-1].kind == 'change' else 'Change idea'} status")
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{title}</B></TD></TR>')
        for status in diagram.statuses:
            style = theme.statuses[status]
            cell_style = "rounded" if style.style in ("solid", "bold") else f"rounded,{style.style}"
            swatch = (f'<TD BGCOLOR="{style.fill}" BORDER="{2 if style.style == "bold" else 1}" COLOR="{style.border}" '
                      f'STYLE="{cell_style}" WIDTH="{swatch_width}" HEIGHT="{swatch_height}"></TD>')
            rows.append(f'<TR>{swatch}<TD ALIGN="LEFT"><FONT POINT-SIZE="{small}">{status}</FONT></TD></TR>')
    if any(c.weak for c in diagram.connectors):
        rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Links</B></TD></TR>')
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{small}" COLOR="{theme.edge}">· · · ·</FONT></TD>'
                    f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{small}">weak link</FONT></TD></TR>')
    if diagram.measure_key:
        rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Measures</B></TD></TR>')
        key_width = width - 2 * PADDING * scale - 34 * scale  # less the id column
        for measure in diagram.measure_key:
            text = f"{measure.name} ({measure.family})"
            measure_id = label_lines(str(measure.id), 2 * swatch_width, size * 0.85, bold)
            entry = label_lines(text, key_width, size * 0.85, font, 2_000, f"the name of {measure.id} in the key")
            rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP"><FONT POINT-SIZE="{small}"><B>{measure_id}</B></FONT></TD>'
                        f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small}">{entry}</FONT></TD></TR>')
    rows = rows_within(rows, MAX_STRING, lambda n: f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="{small}">… and {n} more</FONT></TD></TR>',
                       "the legend")
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">{"".join(rows)}</TABLE>>'
    return {"label": label, "shape": "box", "style": "rounded", "color": theme.frame, "width": inches(width),
            "fontcolor": theme.text, "tooltip": "Legend", "id": "legend"}
