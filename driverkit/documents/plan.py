"""The measurement plan: every measure with its operational definition, grouped by family.

This is the one place that decides what the plan says; the HTML, Markdown, CSV and XLSX writers
only lay it out. Each measure also says what it measures (the aim, drivers, change ideas, by name),
taken from the `measures:` lists of the file, so the plan cannot disagree with the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from driverkit.documents.aim import AimView, ObjectiveLine, aim_view
from driverkit.documents.diagram import in_sentence, singular
from driverkit.project.fields import written_date
from driverkit.project.graph import AIM, project_graph
from driverkit.project.model import Measure, Project

FAMILIES = ("outcome", "process", "balancing")

# The columns of the plan, in order: (key, header). The spreadsheet and the tables use them all.
COLUMNS = (
    ("id", "Id"),
    ("name", "Measure"),
    ("family", "Family"),
    ("definition", "Operational definition"),
    ("numerator", "Numerator"),
    ("denominator", "Denominator"),
    ("unit", "Unit"),
    ("source", "Data source"),
    ("collection", "Collection method"),
    ("sampling", "Sampling"),
    ("frequency", "Frequency"),
    ("owner", "Owner"),
    ("baseline", "Baseline"),
    ("goal", "Goal"),
    ("better", "Better when"),
    ("measures", "Measures what"),
    ("shared", "Shared from"),  # a programme's measure used here (`use:`), defined there
)
# Besides the columns, each row's values hold "notes" and "url" (the pages show them).


@dataclass
class PlanRow:
    """One measure, every value already text (empty when not given)."""

    measure: Measure
    values: dict[str, str]
    what: list[str] = field(default_factory=list)  # what the measure measures, one entry each


@dataclass
class FamilyGroup:
    family: str
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return {"outcome": "Outcome measures", "process": "Process measures", "balancing": "Balancing measures"}[self.family]


@dataclass
class MeasurementPlan:
    title: str
    aim: str
    groups: list[FamilyGroup]
    aim_view: Optional[AimView] = None  # the aim's date and objectives, each with its measure

    @property
    def objectives(self) -> list[ObjectiveLine]:
        """The aim's objectives, each with the measure that serves it (None: no measure yet)."""
        return self.aim_view.objectives if self.aim_view else []

    @property
    def rows(self) -> list[PlanRow]:
        return [row for group in self.groups for row in group.rows]


def build_plan(project: Project) -> MeasurementPlan:
    """The measurement plan of a project, measures in file order within each family."""
    graph = project_graph(project)
    measured: dict[str, list[str]] = {}
    for ref in graph.references:
        target = graph.by_id.get(ref.target_id)
        if ref.kind != "measure" or target is None or target.kind != "measure":
            continue
        measured.setdefault(target.key, []).append(_what(project, graph, ref.source, ref.path))
    groups = [FamilyGroup(family) for family in FAMILIES]
    for measure in project.measures:
        node = graph.node_of(measure)
        group = next(g for g in groups if g.family == measure.family)
        what = list(dict.fromkeys(measured.get(node.key, [])))
        group.rows.append(PlanRow(measure, _values(measure, what), what))
    aim = aim_view(project)
    return MeasurementPlan(project.title, aim.statement, [g for g in groups if g.rows], aim)


def _what(project: Project, graph: object, key: str, path: tuple[object, ...] = ()) -> str:
    """What a measure measures, in the words of the file's `columns:` ("change idea C1: ...")."""
    if key == AIM:
        if path[:2] == ("aim", "objectives"):
            return f"objective of the aim: {project.aim.objectives[path[2]].text}"  # type: ignore[index]
        return "the aim"
    node = graph.nodes[key]  # type: ignore[attr-defined]
    element = node.element
    names = project.columns
    header = names.change if node.kind == "change" else {1: names.primary, 2: names.secondary, 3: names.tertiary}.get(node.level, "drivers")
    return f"{in_sentence(singular(header))} {element.id}: {element.text}"


def _values(measure: Measure, what: list[str]) -> dict[str, str]:
    def text(value: Optional[object]) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return str(value)

    baseline = text(measure.baseline)
    if measure.baseline_date is not None and baseline:
        baseline += f" ({written_date(measure.baseline_date)})"
    values = {key: text(getattr(measure, key, None)) for key, _ in COLUMNS if key not in ("measures", "baseline", "shared")}
    values["shared"] = measure.use or ""
    values["notes"] = measure.notes or ""
    values["url"] = measure.url or ""
    values["baseline"] = baseline
    values["measures"] = "; ".join(what)
    return values
