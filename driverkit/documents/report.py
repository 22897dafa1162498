"""The parts of the one-page project report that need nothing but the project file.

The report (driverkit.output.report) puts together the aim, the driver diagram, the measures'
charts, the recent PDSA cycles, the spread and the diagnostics that still stand. What is decided
here, from the file alone:

- the recent PDSA cycles: those of the last `RECENT_DAYS` days up to the latest date any cycle
  gives (its start or end). The period ends at the latest cycle, not at today, so that a report
  of a finished project (or re-made years later) shows its last period of work, and the same file
  always gives the same report. A cycle is in the period when its dates overlap it.
- the spread by site and wave: each site's adoption counts, wave by wave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from driverkit.documents.pdsa import ChangeGroup, CycleView, ramps
from driverkit.documents.spread import ADOPTIONS, SpreadView, WaveGroup, build_spread
from driverkit.project.fields import first_day
from driverkit.project.model import PdsaCycle, Project

RECENT_DAYS = 90


@dataclass
class RecentCycle:
    view: CycleView
    group: ChangeGroup

    @property
    def decision(self) -> str:
        return self.view.values.get("decision", "")


@dataclass
class RecentCycles:
    start: Optional[dt.date]  # the first day of the period, None when no cycle has a date
    end: Optional[dt.date]  # the latest date a cycle gives
    cycles: list[RecentCycle] = field(default_factory=list)
    total: int = 0  # every cycle of the project
    undated: int = 0  # cycles with no date, which no period can hold

    @property
    def period(self) -> str:
        """"2017-12-08 to 2018-03-07"."""
        if self.start is None or self.end is None:
            return ""
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def decisions(self) -> dict[str, int]:
        """How many recent cycles ended in each decision (adopt, adapt, abandon), and with none yet."""
        counts: dict[str, int] = {}
        for cycle in self.cycles:
            key = cycle.decision or "no decision yet"
            counts[key] = counts.get(key, 0) + 1
        return counts


def _span(cycle: PdsaCycle) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """The first and last day a cycle gives (a month-only date counts from its first day)."""
    start = first_day(cycle.start) if isinstance(cycle.start, dt.date) else None
    end = first_day(cycle.end) if isinstance(cycle.end, dt.date) else None
    return start or end, end or start


def recent_cycles(project: Project, days: int = RECENT_DAYS) -> RecentCycles:
    """The PDSA cycles of the last `days` days up to the latest cycle date, in ramp order."""
    groups = ramps(project)
    spans = {id(view.cycle): _span(view.cycle) for group in groups for view in group.cycles}
    dated = [span for span in spans.values() if span[1] is not None]
    total = sum(len(group.cycles) for group in groups)
    undated = total - len(dated)
    if not dated:
        return RecentCycles(None, None, [], total, undated)
    end = max(span[1] for span in dated)  # type: ignore[type-var]
    start = end - dt.timedelta(days=days - 1)
    recent = [RecentCycle(view, group) for group in groups for view in group.cycles
              if spans[id(view.cycle)][1] is not None
              and spans[id(view.cycle)][1] >= start and spans[id(view.cycle)][0] <= end]  # type: ignore[operator]
    return RecentCycles(start, end, recent, total, undated)


@dataclass
class SiteStatus:
    name: str
    id: str
    counts: dict[str, int]  # status -> how many of its change ideas
    changes: int  # change ideas it names

    @property
    def words(self) -> str:
        """"2 adopted, 3 testing"."""
        return ", ".join(f"{n} {status}" for status, n in self.counts.items() if n) or "no change ideas named"


@dataclass
class WaveStatus:
    title: str
    dates: str
    sites: list[SiteStatus]

    @property
    def adopted(self) -> int:
        return sum(site.counts.get("adopted", 0) for site in self.sites)

    @property
    def named(self) -> int:
        return sum(site.changes for site in self.sites)


@dataclass
class SpreadStatus:
    view: SpreadView
    waves: list[WaveStatus]

    @property
    def has_sites(self) -> bool:
        return bool(self.waves)


def spread_status(project: Project) -> SpreadStatus:
    """Each site's adoption counts, wave by wave (waves in number order, sites with no wave last)."""
    view = build_spread(project)
    return SpreadStatus(view, [_wave_status(group) for group in view.groups])


def _wave_status(group: WaveGroup) -> WaveStatus:
    sites = []
    for row in group.rows:
        cells = [cell for cell in row.cells if cell]
        sites.append(SiteStatus(row.name, row.id, {status: cells.count(status) for status in ADOPTIONS}, len(cells)))
    return WaveStatus(group.title, group.dates, sites)
