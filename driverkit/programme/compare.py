"""Comparing members on the programme's shared measures: who reports each, whose data can be
compared (a member that redefines the measure cannot), the programme's own series (numerators
and denominators summed period by period), and the totals of a window for a funnel plot. Also
the members' own measures that share a name but not a definition (DK808)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from driverkit.project.diagnostics import Diagnostic
from driverkit.project.model import DataPoint, Measure, Project
from driverkit.project.references import DEFINITION_KEYS, NAME_CONFLICT
from driverkit.programme.members import MemberProject
from driverkit.spc.series import Series, load_series, period_date

WINDOW = 12  # periods in a funnel plot by default: the last year of monthly data


@dataclass
class Use:
    """A member reporting a shared measure."""

    member: str
    measure: Measure  # the member's measure (its own id, data and chart)
    series: Series
    redefined: list[str]  # definition keys the member rewrote: its data are not comparable

    @property
    def comparable(self) -> bool:
        return not self.redefined


@dataclass
class SharedMeasure:
    measure: Measure  # the programme's definition
    uses: list[Use] = field(default_factory=list)

    @property
    def comparable(self) -> list[Use]:
        return [use for use in self.uses if use.comparable]


def shared_measures(programme: Project, members: list[MemberProject]) -> list[SharedMeasure]:
    """Each measure of the programme with the members that use it, in the programme's order."""
    home = Path(programme.file).resolve()
    found = {str(m.id): SharedMeasure(m) for m in programme.measures}
    for member in members:
        project = member.project
        if project is None:
            continue
        for measure in project.measures:
            shared = measure.shared_from
            if shared is None or shared.file != home or shared.target_id not in found:
                continue
            redefined = [key for key in DEFINITION_KEYS if project.is_written(measure.path + (key,))
                         and getattr(measure, key) != getattr(shared.target, key)]
            found[shared.target_id].uses.append(Use(member.name, measure, load_series(project, measure), redefined))
    return list(found.values())


@dataclass(frozen=True)
class Total:
    period: str
    numerator: float
    denominator: float
    members: int  # how many members reported this period


def programme_series(shared: SharedMeasure) -> list[Total]:
    """The comparable members' numerators and denominators summed period by period, in time order.
    Only periods that are dates are summed; a member's period counts once."""
    sums: dict[dt.date, list[float]] = {}
    names: dict[dt.date, str] = {}
    for use in shared.comparable:
        for point in use.series.points:
            when = period_date(point.period)
            if when is None or point.numerator is None or point.denominator is None or point.exclude:
                continue
            entry = sums.setdefault(when, [0.0, 0.0, 0])
            entry[0] += point.numerator
            entry[1] += point.denominator
            entry[2] += 1
            names.setdefault(when, point.period)
    return [Total(names[when], n, d, int(c)) for when, (n, d, c) in sorted(sums.items())]


def as_measure(shared: SharedMeasure, totals: list[Total]) -> Measure:
    """The programme's series as a measure with its data written in, for the SPC charts."""
    measure = shared.measure.model_copy(deep=True)
    measure.name = f"{measure.name}: the programme (members summed)"
    measure.data = [DataPoint(period=t.period, numerator=t.numerator, denominator=t.denominator,
                              note=None) for t in totals]
    measure.data_file = None
    return measure


@dataclass(frozen=True)
class WindowTotal:
    member: str
    numerator: float
    denominator: float
    periods: int


def window_totals(shared: SharedMeasure, last: int = WINDOW, start: Optional[str] = None,
                  end: Optional[str] = None) -> tuple[str, str, list[WindowTotal]]:
    """Each comparable member's numerator and denominator summed over a window of periods: from
    `start` to `end` (inclusive), or the last `last` periods of the programme's series. Returns the
    window's first and last periods and the totals of the members with data in it."""
    totals = programme_series(shared)
    if not totals:
        return "", "", []
    dates = [period_date(t.period) for t in totals]
    first = period_date(start) if start else dates[max(0, len(dates) - last)]
    final = period_date(end) if end else dates[-1]
    inside = [t.period for t, d in zip(totals, dates) if d is not None and first is not None and final is not None and first <= d <= final]
    result = []
    for use in shared.comparable:
        n = d = 0.0
        count = 0
        for point in use.series.points:
            when = period_date(point.period)
            if (when is None or point.numerator is None or point.denominator is None or point.exclude
                    or first is None or final is None or not first <= when <= final):
                continue
            n, d, count = n + point.numerator, d + point.denominator, count + 1
        if count:
            result.append(WindowTotal(use.member, n, d, count))
    return (inside[0], inside[-1], result) if inside else ("", "", result)


def name_conflicts(members: list[MemberProject]) -> list[Diagnostic]:
    """Members' own measures (not shared) with one name and different definitions.

    The measures of one name are grouped across all members; the definition most of them share
    (on a tie, the one met first) is the reference, and each measure defined otherwise is reported
    at its name, naming the first member with the reference definition. So the result does not
    depend on the order of the members, except to break a tie."""
    by_name: dict[str, list[tuple[MemberProject, Measure]]] = {}
    for member in members:
        if member.project is None:
            continue
        for measure in member.project.measures:
            if measure.shared_from is None:
                by_name.setdefault(" ".join(measure.name.lower().split()), []).append((member, measure))
    problems = []
    for group in by_name.values():
        if len({member.name for member, _ in group}) < 2:
            continue
        counts = Counter(_definition(measure) for _, measure in group)
        if len(counts) < 2:
            continue
        reference = max(counts, key=counts.__getitem__)  # the first of the most common, as Counter keeps order
        reference_member, reference_measure = next((m, x) for m, x in group if _definition(x) == reference)
        for member, measure in group:
            if _definition(measure) == reference or member is reference_member:
                continue
            differ = [key for key, mine, theirs in zip(_DEFINITION_KEYS, _definition(measure), reference) if mine != theirs]
            line, column = member.project.location(measure.path + ("name",))  # type: ignore[union-attr]
            problems.append(NAME_CONFLICT.diagnostic(
                f"measure {measure.id} \"{measure.name}\" has the name of {reference_measure.id} in {reference_member.name} "
                f"with another {', '.join(differ)}", member.project.file, line, column))  # type: ignore[union-attr]
    return problems


_DEFINITION_KEYS = tuple(key for key in DEFINITION_KEYS if key != "name")  # the name is what they share


def _definition(measure: Measure) -> tuple[str, ...]:
    return tuple(_plain(getattr(measure, key)) for key in _DEFINITION_KEYS)


def _plain(text: Optional[str]) -> str:
    return " ".join((text or "").lower().split())
