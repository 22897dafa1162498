"""The logic model's picture in DOT, stages as columns left to right (the view itself is built by
`driverkit.documents.logic_model`)."""

from __future__ import annotations

from typing import Optional

import graphviz

from driverkit.documents.diagram import ViewOptions
from driverkit.documents.logic_model import TO_BE_WRITTEN, LogicBox, LogicView
from driverkit.output import escape
from driverkit.output.dot import (COLUMN_WIDTHS, MAX_BADGES, MAX_STRING, PADDING, aligned_columns, inches, label_lines, plain,
                                  rows_within, shortened, statement)
from driverkit.output.textwidth import Font, load_font, wrap
from driverkit.output.themes import THEMES, Theme

# Column widths in points at 10 pt, from the driver diagram's: activities are as wide as change
# ideas, the impact as the aim; outcomes a little wider than drivers, so that the longest header,
# "Medium-term outcomes", fits on one line.
_OUTCOME_WIDTH = COLUMN_WIDTHS["primary"] + 16.0
LOGIC_WIDTHS = {
    "inputs": 150.0,
    "activities": COLUMN_WIDTHS["change"],
    "outputs": 160.0,
    "outcomes.short": _OUTCOME_WIDTH,
    "outcomes.medium": _OUTCOME_WIDTH,
    "outcomes.long": _OUTCOME_WIDTH,
    "impact": COLUMN_WIDTHS["aim"],
}
# Which of the theme's driver fills each stage takes: the derived outcomes are drivers, and take
# the fills they have in the driver diagram (secondary for short term, primary for medium term).
_FILL_INDEX = {"inputs": 2, "activities": 2, "outputs": 2, "outcomes.short": 1, "outcomes.medium": 0, "outcomes.long": 0}


def logic_dot(view: LogicView, options: Optional[ViewOptions] = None) -> str:
    """DOT source of the logic model, stages as columns left to right: deterministic, the same text
    for the same view. `options` gives the theme, font, font size and whether ids are shown."""
    options = options or ViewOptions()
    theme = THEMES[options.theme]
    size = options.font_size
    scale = size / 10.0
    font = load_font(options.font_file)
    bold = load_font(bold=True) if not options.font_file else font
    small = size * 0.8

    dot = graphviz.Digraph("logic_model")
    title = f'<TR><TD ALIGN="LEFT"><B>{shortened(escape.label, "Logic model: " + view.title, MAX_STRING, "the title")}</B></TD></TR>'
    if view.derived:
        subtitle = escape.label(f"A draft derived from the driver diagram; inputs and outputs {TO_BE_WRITTEN}")
        title += f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{size:g}" COLOR="{theme.muted}">{subtitle}</FONT></TD></TR>'
    title = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0">{title}</TABLE>'
    dot.attr("graph", rankdir="LR", newrank="true", nodesep=f"{0.16 * scale:.3f}", ranksep=f"{0.55 * scale:.3f}",
             splines="spline", fontname=font.family, bgcolor="white", pad="0.25", outputorder="edgesfirst",
             label=f"<{title}>", labelloc="t", labeljust="l", fontsize=f"{size * 1.5:g}", fontcolor=theme.header)
    dot.attr("node", shape="box", style="rounded,filled", fontname=font.family, fontsize=f"{size:g}",
             margin=f"{0.1 * scale:.3f},{0.06 * scale:.3f}", penwidth="1", label="\\N", fontcolor=theme.text)
    dot.attr("edge", arrowhead="normal", arrowsize=f"{0.6:g}", color=theme.edge, penwidth="1.2")

    columns = view.drawn_stages
    column_of = {box.key: index for index, stage in enumerate(columns) for box in stage.items}
    note = bool(view.assumptions or view.external_factors)
    aligned = []
    for index, stage in enumerate(columns):
        width = LOGIC_WIDTHS[stage.key] * scale
        nodes = [(box.key, statement(box.key, _box_attributes(box, width, size, small, font, bold, theme, options.show_ids)))
                 for box in stage.items]
        if index == 0 and note:
            nodes.append(("notes", statement("notes", _note_attributes(view, width, size, font, bold, theme))))
        aligned.append((stage.title, width, nodes))
    aligned_columns(dot, aligned, size, bold, theme)
    if note and not columns:  # assumptions with no boxes: the note stands alone
        dot.body.append(statement("notes", _note_attributes(view, LOGIC_WIDTHS["inputs"] * scale, size, font, bold, theme)))

    for box in view.items():
        for target in box.leads_to:
            to = view.item(target.id)
            if to is None or box.key not in column_of or to.key not in column_of:
                continue
            attributes = {"id": plain(f"leads:{box.id}:{to.id}"), "tooltip": plain(f"{box.id} leads to {to.id}")}
            if column_of[to.key] <= column_of[box.key]:  # backwards or within a stage: drawn, but no say in the layout
                attributes["constraint"] = "false"
            dot.body.append(statement(f"{box.key} -> {to.key}", attributes))
    return dot.source


def _box_attributes(box: LogicBox, width: float, size: float, small: float, font: Font, bold: Font, theme: Theme,
                    show_ids: bool) -> dict[str, str]:
    text_width = width - 2 * PADDING * size / 10.0
    impact = box.stage == "impact"
    rows = []
    if show_ids:
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small:g}"><B>{label_lines(box.id, text_width, small, bold)}</B></FONT></TD></TR>')
    rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{label_lines(box.text, text_width, size, font, what=f"the text of {box.id}")}</TD></TR>')
    if show_ids and box.ties:
        colour = theme.aim_text if impact else theme.muted
        ties = label_lines("▸ " + "  ".join(t.id for t in box.ties), text_width, small, font, MAX_BADGES, f"the ties of {box.id}")
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="1"><FONT POINT-SIZE="{small:g}" COLOR="{colour}">{ties}</FONT></TD></TR>')
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0" WIDTH="{text_width:.0f}">{"".join(rows)}</TABLE>>'
    attributes = {"label": label, "width": inches(width), "tooltip": plain(box.tooltip, f"the tooltip of {box.id}"), "id": plain(box.id)}
    if impact:
        attributes.update(fillcolor=theme.aim_fill, color=theme.aim_border, fontcolor=theme.aim_text, penwidth="1.5")
    else:
        attributes.update(fillcolor=theme.driver_fills[_FILL_INDEX[box.stage]], color=theme.driver_border)
    return attributes


def _note_attributes(view: LogicView, width: float, size: float, font: Font, bold: Font, theme: Theme) -> dict[str, str]:
    """The assumptions and external factors, in a note box under the first column."""
    small = size * 0.9
    text_width = width - 2 * PADDING * size / 10.0
    bullet = font.width("•", small) + 4 * size / 10.0
    rows = []
    for heading, entries in (("Assumptions", view.assumptions), ("External factors", view.external_factors)):
        if not entries:
            continue
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT"><B>{label_lines(heading, text_width, size, bold)}</B></TD></TR>')
        for entry in entries:  # the bullet in a cell of its own, so that wrapped lines hang under the text
            lines = label_lines(entry, text_width - bullet, small, font, 2_000, f"an entry of {heading.lower()}")
            rows.append(f'<TR><TD ALIGN="LEFT" VALIGN="TOP" WIDTH="{bullet:.0f}"><FONT POINT-SIZE="{small:g}">•</FONT></TD>'
                        f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small:g}">{lines}</FONT></TD></TR>')
    rows = rows_within(rows, MAX_STRING, lambda n: f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="{small:g}">… and {n} more</FONT></TD></TR>',
                       "the note of assumptions and external factors")
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0" WIDTH="{text_width:.0f}">{"".join(rows)}</TABLE>>'
    tooltip = "\n".join([*(f"Assumption: {a}" for a in view.assumptions), *(f"External factor: {e}" for e in view.external_factors)])
    return {"label": label, "shape": "note", "style": "filled", "fillcolor": "white", "color": theme.frame,
            "width": inches(width), "fontcolor": theme.text, "tooltip": plain(tooltip, "the tooltip of the assumptions"), "id": "assumptions"}


def logic_estimated_size(view: LogicView, options: Optional[ViewOptions] = None) -> tuple[float, float]:
    """Roughly how large Graphviz will draw the logic model, in points (width, height): enough to
    choose a PNG resolution before drawing."""
    options = options or ViewOptions()
    size, scale = options.font_size, options.font_size / 10.0
    font = load_font(options.font_file)
    columns = view.drawn_stages
    width = sum(LOGIC_WIDTHS[s.key] * scale for s in columns) + 0.55 * 72 * scale * len(columns)
    height = 0.0
    for index, stage in enumerate(columns):
        text_width = LOGIC_WIDTHS[stage.key] * scale - 2 * PADDING * scale
        lines = sum(len(wrap(b.text, text_width, size, font)) + 2 * options.show_ids for b in stage.items)
        if index == 0:
            lines += sum(len(wrap("• " + e, text_width, size, font)) + 1 for e in view.assumptions + view.external_factors)
        height = max(height, lines * size * 1.25 + (len(stage.items) + 1) * (0.12 + 0.16 * scale) * 72)
    return width, height + 6 * size
