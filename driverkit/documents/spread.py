"""The spread plan: who hears what (dissemination), the waves, and which site adopts which change.

This is the one place that decides what the spread page says; the HTML and Markdown templates only
lay it out. The spread matrix has a row per site, grouped by wave (in wave-number order, sites in
file order within a wave; sites with no wave last), and a column per change idea that any site
adopts, in the order the change ideas are written. A site's `adopts:` may name an id that is no
change idea (DK101 or DK104 reports it): such ids get columns of their own at the end, so nothing
written is hidden. Each column counts the sites that have adopted the change, out of all sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from driverkit.project.fields import written_date
from driverkit.project.model import ChangeIdea, Project, Site, Wave

ADOPTIONS = ("planned", "testing", "adopted", "not-adopting")


def _text(value: object) -> str:
    if value is None:
        return ""
    return written_date(value) if not isinstance(value, str) else value  # type: ignore[arg-type]


def _period(start: str, end: str) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""


@dataclass
class DisseminationRow:
    audience: str
    messages: list[str]
    channels: list[str]
    timing: str
    owner: str


@dataclass
class WaveView:
    number: int
    start: str
    end: str
    notes: str
    declared: bool = True  # False for a wave that sites name but `waves:` does not list
    sites: int = 0  # how many sites join in this wave

    @property
    def dates(self) -> str:
        return _period(self.start, self.end)

    @property
    def title(self) -> str:
        return f"Wave {self.number}"


@dataclass
class SpreadColumn:
    """A change idea of the matrix, with how far it has spread."""

    id: str
    change: Optional[ChangeIdea]  # None for an id that names no change idea
    adopted: int = 0  # sites that have adopted it
    sites: int = 0  # all the sites of the matrix
    counts: dict[str, int] = field(default_factory=dict)  # status -> sites

    @property
    def text(self) -> str:
        return self.change.text if self.change is not None else ""

    @property
    def known(self) -> bool:
        return self.change is not None

    @property
    def total(self) -> str:
        """"3 of 5"."""
        return f"{self.adopted} of {self.sites}"


@dataclass
class SiteRow:
    site: Site
    cells: list[str]  # the status at this site of each column's change idea, or ""

    @property
    def id(self) -> str:
        return self.site.id or ""

    @property
    def name(self) -> str:
        return self.site.name

    @property
    def notes(self) -> str:
        return self.site.notes or ""


@dataclass
class WaveGroup:
    wave: Optional[WaveView]  # None for the sites with no wave
    rows: list[SiteRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.wave is None:
            return "No wave"
        return self.wave.title if self.wave.declared else f"{self.wave.title} (not in the list of waves)"

    @property
    def dates(self) -> str:
        return self.wave.dates if self.wave is not None else ""


@dataclass
class SpreadView:
    title: str
    aim: str
    dissemination: list[DisseminationRow]
    waves: list[WaveView]
    columns: list[SpreadColumn]
    groups: list[WaveGroup]

    @property
    def rows(self) -> list[SiteRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def has_plan(self) -> bool:
        return bool(self.dissemination or self.waves or self.groups)


def build_spread(project: Project) -> SpreadView:
    """The spread page of a project (empty lists when it has no `spread:` section)."""
    spread = project.spread
    dissemination = [DisseminationRow(d.audience, list(d.messages), list(d.channels), d.timing or "", d.owner or "")
                     for d in (spread.dissemination if spread else [])]
    waves = sorted((_wave(w) for w in (spread.waves if spread else [])), key=lambda w: w.number)
    sites = list(spread.sites) if spread else []
    columns = _columns(project, sites)
    groups = _groups(waves, sites, columns)
    for wave in waves:
        wave.sites = sum(1 for site in sites if site.wave == wave.number)
    for column_index, column in enumerate(columns):
        column.sites = len(sites)
        statuses = [row.cells[column_index] for group in groups for row in group.rows]
        column.counts = {status: statuses.count(status) for status in ADOPTIONS}
        column.adopted = column.counts["adopted"]
    return SpreadView(project.title, project.aim_statement, dissemination, waves, columns, groups)


def _wave(wave: Wave) -> WaveView:
    return WaveView(wave.number, _text(wave.start), _text(wave.end), wave.notes or "")


def _columns(project: Project, sites: list[Site]) -> list[SpreadColumn]:
    adopted = {change_id for site in sites for change_id in site.adopts}
    changes = project.all_changes()
    if project.source_map is not None:
        changes = sorted(changes, key=lambda c: project.location(c.path))
    columns: dict[str, SpreadColumn] = {}
    for change in changes:
        if change.id in adopted and change.id not in columns:
            columns[str(change.id)] = SpreadColumn(str(change.id), change)
    for site in sites:  # ids that name no change idea: at the end, in the order first written
        for change_id in site.adopts:
            if change_id not in columns:
                columns[change_id] = SpreadColumn(change_id, None)
    return list(columns.values())


def _groups(waves: list[WaveView], sites: list[Site], columns: list[SpreadColumn]) -> list[WaveGroup]:
    declared: dict[int, WaveView] = {}
    for wave in waves:
        declared.setdefault(wave.number, wave)
    by_wave: dict[Optional[int], list[SiteRow]] = {}
    for site in sites:
        row = SiteRow(site, [site.adopts.get(column.id, "") for column in columns])
        by_wave.setdefault(site.wave, []).append(row)
    numbers = sorted(n for n in by_wave if n is not None)
    groups = [WaveGroup(declared.get(n) or WaveView(n, "", "", "", declared=False, sites=len(by_wave[n])), by_wave[n]) for n in numbers]
    if None in by_wave:
        groups.append(WaveGroup(None, by_wave[None]))
    return groups
