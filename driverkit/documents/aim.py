"""The aim as every output shows it: its statement, its date, and its objectives with their measures.

The diagram's aim box, the measurement plan and the outline all take the aim from here, so they
cannot disagree. The date is shown beside a written statement (a statement composed from the
fields already holds it); a placeholder date ("TBC", "[date]") is never printed as if it were a
date: it is shown as "date to be set", flagged, whatever the statement says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from driverkit.project.fields import Placeholder, WrittenDate
from driverkit.project.graph import project_graph
from driverkit.project.model import Measure, Project

DATE_TO_BE_SET = "date to be set"


@dataclass(frozen=True)
class ObjectiveLine:
    """One objective of the aim and the measure that shows it."""

    text: str
    measure_id: Optional[str] = None  # as written; None when the objective names no measure
    measure: Optional[Measure] = None  # None when it names none, or an id no measure has

    @property
    def measured(self) -> bool:
        return self.measure is not None


@dataclass(frozen=True)
class AimView:
    statement: str
    date: str = ""  # "31 March 2026", DATE_TO_BE_SET, or "" when the aim gives no `by:`
    date_to_set: bool = False  # the `by:` date is a placeholder
    placeholder: str = ""  # the placeholder as written ("TBC")
    date_in_statement: bool = False  # the statement already says the date (composed from the fields, or in its words)
    objectives: list[ObjectiveLine] = field(default_factory=list)
    url: Optional[str] = None
    notes: Optional[str] = None

    @property
    def date_line(self) -> str:
        """The date as a line of its own ("By 31 March 2026", "By: date to be set (TBC)"), or ""
        when the statement already says it."""
        if self.date_to_set:
            return f"By: {DATE_TO_BE_SET}" + (f" ({self.placeholder})" if self.placeholder else "")
        if self.date and not self.date_in_statement:
            return f"By {self.date}"
        return ""


def human_date(value: dt.date) -> str:
    if isinstance(value, WrittenDate):
        return value.human()
    return f"{value.day} {value.strftime('%B %Y')}"


def aim_view(project: Project) -> AimView:
    """The aim of `project` as the outputs show it."""
    from driverkit.project.aimtext import compose_statement

    aim = project.aim
    date, to_set, placeholder = "", False, ""
    if isinstance(aim.by, Placeholder):
        date, to_set, placeholder = DATE_TO_BE_SET, True, str(aim.by).strip()
    elif isinstance(aim.by, dt.date):
        date = human_date(aim.by)
    if aim.statement:
        statement = aim.statement
    else:  # composed without a placeholder date, which the date line flags instead
        statement = compose_statement(aim.model_copy(update={"by": None}) if to_set else aim)
    graph = project_graph(project)
    objectives = []
    for objective in aim.objectives:
        node = graph.by_id.get(objective.measure) if objective.measure else None
        measure = node.element if node is not None and isinstance(node.element, Measure) else None
        objectives.append(ObjectiveLine(objective.text, objective.measure, measure))
    # a composed statement holds the date; a written one may say it in the same words
    said = bool(date) and not to_set and (not aim.statement or date.lower() in " ".join(aim.statement.split()).lower())
    return AimView(statement, date, to_set, placeholder, said, objectives, aim.url, aim.notes)
