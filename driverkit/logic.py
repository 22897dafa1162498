"""The logic model (the execution theory) as a view, and its picture in DOT.

`build_logic_model(project)` is the one place that decides what the logic model says; the DOT
writer and the HTML and Markdown templates only lay it out. The stages run left to right: inputs,
activities, outputs, outcomes (short, medium and long term) and impact, with the assumptions and
external factors beside them. Each item says what it leads to (resolved to the items themselves;
an id that names no item is left out, as `driverkit check` reports it) and which change ideas and
drivers it is tied to.

A project with no `logic_model:` section gets a draft derived from its driver diagram
(`derived=True`): the change ideas being tested or adopted are the activities, the secondary
drivers the short-term outcomes, the primary drivers the medium-term outcomes and the aim the
impact, linked as the diagram links them. Inputs and outputs are not in a driver diagram, so the
draft leaves them to be written rather than invent them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import graphviz

from driverkit import escape
from driverkit.diagram import ViewOptions
from driverkit.dot import (COLUMN_WIDTHS, MAX_BADGES, MAX_STRING, PADDING, aligned_columns, inches, label_lines, plain,
                           rows_within, shortened, statement)
from driverkit.graph import build_graph
from driverkit.model import ChangeIdea, Driver, Project
from driverkit.textwidth import Font, load_font, wrap
from driverkit.themes import THEMES, Theme

# The stages in order: (key, title). The keys are those of Project.LOGIC_STAGES.
STAGES = (
    ("inputs", "Inputs"),
    ("activities", "Activities"),
    ("outputs", "Outputs"),
    ("outcomes.short", "Short-term outcomes"),
    ("outcomes.medium", "Medium-term outcomes"),
    ("outcomes.long", "Long-term outcomes"),
    ("impact", "Impact"),
)
assert tuple(key for key, _ in STAGES) == tuple(key for key, _ in Project.LOGIC_STAGES)

# What one item of each stage is called in a sentence.

TO_BE_WRITTEN = "to be written"

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


@dataclass(frozen=True)
class Ref:
    """Something an item points to: another item (kind "logic"), a change idea or a driver."""

    id: str
    text: str
    kind: str  # logic, change, driver
    stage: str = ""  # for an item: its stage key

    @property
    def label(self) -> str:
        """How the target is named in a sentence: "change idea C1", "driver S1.2", "OS1"."""
        return {"change": "change idea ", "driver": "driver "}.get(self.kind, "") + self.id


@dataclass
class LogicBox:
    """One item of the logic model."""

    key: str  # unique in the view: "s<stage>_<index>"
    id: str
    stage: str
    text: str
    leads_to: list[Ref] = field(default_factory=list)
    changes: list[Ref] = field(default_factory=list)
    drivers: list[Ref] = field(default_factory=list)
    aim: bool = False
    notes: Optional[str] = None

    @property
    def ties(self) -> list[Ref]:
        """The change ideas and drivers the item is tied to."""
        return self.changes + self.drivers

    @property
    def tooltip(self) -> str:
        parts = [self.text]
        if self.aim:
            parts.append("(the project's aim)")
        if self.ties:
            parts.append("Tied to " + "; ".join(f"{t.label}: {t.text}" for t in self.ties))
        if self.notes:
            parts.append(self.notes)
        return "\n".join(parts)


@dataclass
class Stage:
    key: str  # inputs, activities, outputs, outcomes.short, outcomes.medium, outcomes.long, impact
    title: str
    items: list[LogicBox] = field(default_factory=list)

    @property
    def placeholder(self) -> str:
        """What an empty stage shows: "to be written"; empty when the stage has items."""
        return "" if self.items else TO_BE_WRITTEN



@dataclass
class LogicView:
    title: str
    aim: str
    stages: list[Stage]  # all seven, in order, empty ones too
    assumptions: list[str]
    external_factors: list[str]
    derived: bool  # True when drafted from the driver diagram: the file has no `logic_model:`
    source_note: str = ""  # how a derived model was drafted, in a sentence or two

    def items(self) -> list[LogicBox]:
        return [item for stage in self.stages for item in stage.items]

    def item(self, item_id: str) -> Optional[LogicBox]:
        """The first item with this id, or None."""
        return next((item for item in self.items() if item.id == item_id), None)

    def stage(self, key: str) -> Stage:
        return next(stage for stage in self.stages if stage.key == key)

    @property
    def drawn_stages(self) -> list[Stage]:
        """The stages that have items: the columns of the picture."""
        return [stage for stage in self.stages if stage.items]

    @property
    def outcome_stages(self) -> list[Stage]:
        return [stage for stage in self.stages if stage.key.startswith("outcomes.")]


def build_logic_model(project: Project) -> LogicView:
    """The logic model of a project: as written in `logic_model:`, or drafted from its driver
    diagram when the file has none."""
    project.reindex()
    if project.logic_model is None:
        return _derive(project)
    return _written(project)


def _written(project: Project) -> LogicView:
    assert project.logic_model is not None
    elements: dict[str, object] = {}
    for element in project.elements():  # the first element written with an id is the one it names
        elements.setdefault(str(element.id), element)
    stage_index = {key: i for i, (key, _) in enumerate(STAGES)}
    stages = [Stage(key, title) for key, title in STAGES]
    pairs: list[tuple[LogicBox, object]] = []
    by_id: dict[str, LogicBox] = {}
    for stage_key, item in project.logic_items():  # in stage order
        stage = stages[stage_index[stage_key]]
        box = LogicBox(f"s{stage_index[stage_key]}_{len(stage.items)}", str(item.id), stage_key, item.text,
                       aim=item.aim, notes=item.notes)
        box.changes = _ties(item.changes, elements, ChangeIdea, "change")
        box.drivers = _ties(item.drivers, elements, Driver, "driver")
        stage.items.append(box)
        by_id.setdefault(box.id, box)
        pairs.append((box, item))
    for box, item in pairs:
        targets = [by_id[t] for t in dict.fromkeys(item.leads_to) if t in by_id]  # type: ignore[attr-defined]
        box.leads_to = [Ref(t.id, t.text, "logic", t.stage) for t in targets]
    model = project.logic_model
    return LogicView(project.title, project.aim_statement, stages, list(model.assumptions), list(model.external_factors), False)


def _ties(ids: list[str], elements: dict[str, object], kind: type, name: str) -> list[Ref]:
    """The change ideas or drivers named by id; an id that names nothing, or something else, is
    left out (`driverkit check` reports it)."""
    found = [elements.get(i) for i in dict.fromkeys(ids)]
    return [Ref(str(e.id), e.text, name) for e in found if isinstance(e, kind)]  # type: ignore[attr-defined]


def _derive(project: Project) -> LogicView:
    """A draft from the driver diagram: activities from the change ideas being tested or adopted,
    outcomes from the drivers, the impact from the aim."""
    graph = build_graph(project)
    g = graph.graph
    drivers = project.all_drivers()
    secondary = [d for d in drivers if d.level == 2]
    primary = [d for d in drivers if d.level == 1]
    stages = {key: Stage(key, title) for key, title in STAGES}

    def add(stage_key: str, prefix: str, text: str, **kwargs: object) -> LogicBox:
        stage = stages[stage_key]
        index = [key for key, _ in STAGES].index(stage_key)
        box = LogicBox(f"s{index}_{len(stage.items)}", f"{prefix}{len(stage.items) + 1}", stage_key, text, **kwargs)  # type: ignore[arg-type]
        stage.items.append(box)
        return box

    def driver_ref(driver: Driver) -> Ref:
        return Ref(str(driver.id), driver.text, "driver")

    outcome_of: dict[str, LogicBox] = {}  # graph node key of a driver -> its outcome
    short_drivers = secondary or primary
    for driver in short_drivers:
        outcome_of[graph.node_of(driver).key] = add("outcomes.short", "OS", driver.text, drivers=[driver_ref(driver)])
    if secondary:
        for driver in primary:
            outcome_of[graph.node_of(driver).key] = add("outcomes.medium", "OM", driver.text, drivers=[driver_ref(driver)])
    impact = add("impact", "IM", project.aim_statement, aim=True)

    def parents(key: str) -> list[str]:
        """The drivers a node links to, in the order the links were written."""
        return sorted((p for p in g.successors(key) if graph.nodes[p].kind == "driver"),
                      key=lambda p: project.location(g.edges[key, p]["path"]))

    def outcomes_for(key: str, seen: frozenset[str] = frozenset()) -> list[LogicBox]:
        """The outcomes a driver stands for: its own, or for a tertiary driver (or one deeper) the
        outcomes of the drivers it feeds."""
        if key in outcome_of:
            return [outcome_of[key]]
        found: list[LogicBox] = []
        for parent in parents(key):
            if parent not in seen and graph.nodes[parent].level < graph.nodes[key].level:
                found += outcomes_for(parent, seen | {key})
        return found

    for driver in short_drivers:
        box = outcome_of[graph.node_of(driver).key]
        if secondary:
            targets = [outcome_of[p] for p in parents(graph.node_of(driver).key) if graph.nodes[p].level == 1 and p in outcome_of]
        else:
            targets = [impact]
        box.leads_to = _refs(targets)
    for box in stages["outcomes.medium"].items:
        box.leads_to = _refs([impact])

    activities: list[tuple[ChangeIdea, list[LogicBox]]] = []
    for change in project.all_changes():
        if change.status not in ("testing", "adopted"):
            continue
        served: list[LogicBox] = []
        for parent in parents(graph.node_of(change).key):
            served += outcomes_for(parent)
        activities.append((change, _unique(served)))
    # Activities in the order of the outcomes they lead to (then of the file), which keeps the
    # arrows from crossing where the file lists change ideas away from their drivers.
    row = {id(box): i for i, box in enumerate(stages["outcomes.short"].items + stages["outcomes.medium"].items)}
    activities.sort(key=lambda pair: min((row[id(b)] for b in pair[1]), default=len(row)))
    for change, served in activities:
        verb = "Test" if change.status == "testing" else "Spread"
        box = add("activities", "A", f"{verb}: {change.text}", changes=[Ref(str(change.id), change.text, "change")])
        box.leads_to = _refs(served)

    if secondary:
        how = "the secondary drivers are the short-term outcomes and the primary drivers the medium-term outcomes"
    else:
        how = "the primary drivers are the short-term outcomes"
    note = (f"Drafted from the driver diagram, as the file has no logic_model section: the change ideas being tested or "
            f"adopted are the activities, {how}, and the aim is the impact. Inputs and outputs are not in a driver "
            f"diagram: they are {TO_BE_WRITTEN}.")
    return LogicView(project.title, project.aim_statement, [stages[key] for key, _ in STAGES], [], [], True, note)


def _unique(boxes: list[LogicBox]) -> list[LogicBox]:
    seen: set[int] = set()
    out = []
    for box in boxes:
        if id(box) not in seen:
            seen.add(id(box))
            out.append(box)
    return out


def _refs(boxes: list[LogicBox]) -> list[Ref]:
    return [Ref(b.id, b.text, "logic", b.stage) for b in _unique(boxes)]


# -- the picture ----------------------------------------------------------------------------------

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
