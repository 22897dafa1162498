"""The PDSA log: every Plan-Do-Study-Act cycle, grouped by the change idea it tests, in ramp order.

This is the one place that decides what the log says; the HTML and Markdown templates only lay it
out. Change ideas come in file order (only those with cycles), then one group for the cycles whose
`change:` names no change idea (DK101 or DK104 reports those).

Within a change idea the cycles form a ramp, linked by `next:`. The ramp is read by starting at
each cycle that no other cycle of the same change idea points to (the earliest start first, then
file order) and following `next:` from there. Cycles that cannot be reached that way, because their
`next:` links go round in a loop, are appended at the end, still following their links, and marked
`in_loop`; no cycle is ever left out. A `next:` naming a cycle of another change idea, or no cycle
at all, ends the chain there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from driverkit.project.fields import first_day, written_date
from driverkit.project.model import ChangeIdea, PdsaCycle, Project

# The fields of a cycle, in the order a reader meets them: (key, label).
FIELDS = (
    ("title", "Title"),
    ("objective", "Objective"),
    ("question", "Question"),
    ("prediction", "Prediction"),
    ("who", "Who"),
    ("what", "What"),
    ("when", "When"),
    ("where", "Where"),
    ("do", "Do"),
    ("study", "Study"),
    ("decision", "Decision"),
    ("start", "Start"),
    ("end", "End"),
    ("next", "Next cycle"),
    ("notes", "Notes"),
)


@dataclass
class CycleView:
    """One cycle, every value already text (empty when not given)."""

    cycle: PdsaCycle
    number: int  # its place in the change idea's ramp, from 1
    of: int  # how many cycles the ramp has
    values: dict[str, str]
    in_loop: bool = False  # reached only through a loop of `next:` links: its place is a guess
    next_outside: bool = False  # its `next:` names no cycle of this change idea

    @property
    def id(self) -> str:
        return str(self.cycle.id)

    @property
    def position(self) -> str:
        """"cycle 2 of 3"."""
        return f"cycle {self.number} of {self.of}"

    @property
    def dates(self) -> str:
        """"2026-01-05 to 2026-01-09", "from 2026-01", "to 2026-02", or empty."""
        start, end = self.values["start"], self.values["end"]
        if start and end:
            return start if start == end else f"{start} to {end}"
        if start:
            return f"from {start}"
        return f"to {end}" if end else ""

    @property
    def has_plan(self) -> bool:
        return any(self.values[key] for key in ("who", "what", "when", "where"))


@dataclass
class ChangeGroup:
    """The cycles of one change idea (or of the change ideas that do not exist), in ramp order."""

    change_id: str  # empty for the group of unknown change ideas
    change: Optional[ChangeIdea]
    cycles: list[CycleView] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.change is not None

    @property
    def text(self) -> str:
        return self.change.text if self.change is not None else ""

    @property
    def status(self) -> str:
        return self.change.status if self.change is not None else ""

    @property
    def owner(self) -> str:
        return (self.change.owner or "") if self.change is not None else ""

    @property
    def title(self) -> str:
        if self.change is None:
            return "Cycles of change ideas not in the diagram"
        return f"{self.change_id}: {self.change.text}"

    @property
    def anchor(self) -> str:
        return f"change-{self.change_id}" if self.change is not None else "change-unknown"

    @property
    def last(self) -> Optional[CycleView]:
        """The last cycle of the ramp, or None when the ramp's end is unknown (a loop)."""
        if not self.cycles or self.cycles[-1].in_loop:
            return None
        return self.cycles[-1]


@dataclass
class PdsaLog:
    title: str
    aim: str
    groups: list[ChangeGroup]

    @property
    def cycles(self) -> list[CycleView]:
        return [cycle for group in self.groups for cycle in group.cycles]


def build_pdsa_log(project: Project) -> PdsaLog:
    """The PDSA log of a project: cycles by change idea (file order), each change idea's in ramp order."""
    return PdsaLog(project.title, project.aim_statement, ramps(project))


def cycle_counts(project: Project) -> dict[str, int]:
    """How many PDSA cycles test each change idea: every change idea's id, in file order, with its
    count (0 when it has none). Cycles of ids that name no change idea are not counted."""
    counts = {str(change.id): 0 for change in _changes_in_file_order(project)}
    for cycle in project.pdsa:
        if cycle.change in counts:
            counts[cycle.change] += 1
    return counts


def ramps(project: Project) -> list[ChangeGroup]:
    """The groups of the log, for a project already indexed (rules call this; it does not reindex)."""
    changes: dict[str, ChangeIdea] = {}
    for change in _changes_in_file_order(project):
        changes.setdefault(str(change.id), change)
    by_change: dict[str, list[tuple[int, PdsaCycle]]] = {}
    unknown: list[tuple[int, PdsaCycle]] = []
    for index, cycle in enumerate(project.pdsa):
        if cycle.change in changes:
            by_change.setdefault(cycle.change, []).append((index, cycle))
        else:
            unknown.append((index, cycle))
    groups = [ChangeGroup(change_id, change) for change_id, change in changes.items() if change_id in by_change]
    for group in groups:
        group.cycles = _ordered(by_change[group.change_id])
    if unknown:
        groups.append(ChangeGroup("", None, _ordered(unknown)))
    return groups


def _changes_in_file_order(project: Project) -> list[ChangeIdea]:
    """Change ideas in the order they are written (top-level ones may come before the drivers)."""
    changes = project.all_changes()
    return sorted(changes, key=lambda c: project.location(c.path)) if project.source_map is not None else changes


def _start_key(cycle: PdsaCycle) -> tuple[Any, ...]:
    """Earliest start first; a cycle with no start date (or a placeholder) after those that have one."""
    if isinstance(cycle.start, dt.date):
        return (0, first_day(cycle.start), cycle.start)
    return (1,)


def _ordered(items: list[tuple[int, PdsaCycle]]) -> list[CycleView]:
    """The cycles of one group in ramp order (see the module's docstring)."""
    by_id: dict[str, int] = {}
    for position, (_, cycle) in enumerate(items):
        by_id.setdefault(str(cycle.id), position)
    pointed = set()
    for position, (_, cycle) in enumerate(items):
        target = by_id.get(cycle.next) if cycle.next else None
        if target is not None and target != position:
            pointed.add(target)
    roots = sorted((p for p in range(len(items)) if p not in pointed), key=lambda p: (_start_key(items[p][1]), items[p][0]))
    order: list[tuple[int, bool]] = []
    placed: set[int] = set()

    def follow(start: int, in_loop: bool) -> None:
        current: Optional[int] = start
        while current is not None and current not in placed:
            placed.add(current)
            order.append((current, in_loop))
            following = items[current][1].next
            current = by_id.get(following) if following else None

    for root in roots:
        follow(root, False)
    for position in range(len(items)):  # what is left goes round in a loop: keep it, in file order
        follow(position, True)
    total = len(order)
    views = []
    for number, (position, in_loop) in enumerate(order, start=1):
        cycle = items[position][1]
        outside = bool(cycle.next) and cycle.next not in by_id
        views.append(CycleView(cycle, number, total, _values(cycle), in_loop, outside))
    return views


def _values(cycle: PdsaCycle) -> dict[str, str]:
    def text(value: object) -> str:
        if value is None:
            return ""
        return written_date(value) if isinstance(value, dt.date) else str(value).strip()

    plan = cycle.plan
    values = {key: text(getattr(cycle, key, None)) for key, _ in FIELDS if key not in ("who", "what", "when", "where")}
    for key in ("who", "what", "when", "where"):
        values[key] = text(getattr(plan, key)) if plan is not None else ""
    values["change"] = cycle.change
    values["id"] = str(cycle.id)
    return values
