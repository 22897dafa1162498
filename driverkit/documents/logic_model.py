"""The logic model (the execution theory) as a view: plain data, drawn by
`driverkit.output.logic_dot` and the HTML and Markdown templates.

`build_logic_model(project)` is the one place that decides what the logic model says; the DOT
writer and the templates only lay it out. The stages run left to right: inputs,
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

import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from driverkit.project.graph import project_graph
from driverkit.project.model import ChangeIdea, Driver, Project

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

@dataclass(frozen=True)
class Ref:
    """Something an item points to: another item (kind "logic"), a change idea or a driver."""

    id: str
    text: str
    kind: str  # logic, change, driver
    stage: str = ""  # for an item: its stage key
    noun: str = ""  # what the file's `columns:` call one of its kind ("action"); the default when empty
    url: Optional[str] = None  # the element's link, for a change idea or a driver

    @property
    def label(self) -> str:
        """How the target is named in a sentence: "change idea C1", "driver S1.2", "OS1"."""
        if self.kind in ("change", "driver"):
            return f"{self.noun or ('change idea' if self.kind == 'change' else 'driver')} {self.id}"
        return self.id


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
    view = _derive(project) if project.logic_model is None else _written(project)
    _name_ties(project, view)
    return view


def _name_ties(project: Project, view: LogicView) -> None:
    """Each change idea and driver an item is tied to, named as the file's `columns:` name its
    column ("action A3" where the change ideas are called Actions), with its link."""
    from driverkit.documents.diagram import in_sentence, singular

    names = project.columns
    headers = {1: names.primary, 2: names.secondary, 3: names.tertiary}
    elements: dict[str, object] = {}
    for element in project.elements():
        elements.setdefault(str(element.id), element)

    def named(ref: Ref) -> Ref:
        element = elements.get(ref.id)
        if ref.kind == "change":
            header = names.change
        elif ref.kind == "driver" and isinstance(element, Driver):
            header = headers.get(element.level, "drivers")
        else:
            return ref
        return dataclasses.replace(ref, noun=in_sentence(singular(header)), url=getattr(element, "url", None))

    for stage in view.stages:
        for box in stage.items:
            box.changes = [named(r) for r in box.changes]
            box.drivers = [named(r) for r in box.drivers]


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
    graph = project_graph(project)
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
