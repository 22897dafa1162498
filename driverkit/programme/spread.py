"""The spread of change ideas across a programme: each member's change ideas with their status, by
wave, and the changes adopted in one wave that members of the next wave working on the same
programme drivers have not tried yet. "The same change" is a cluster of common ground.

Only the next wave is named: it is the one a programme team prepares, and naming every later
member would make the lists grow with the square of the programme (a change of one wave-1 trust
"not yet tried" by every later trust)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from driverkit.programme.common import Cluster
from driverkit.programme.members import MemberProject

TRIED = ("testing", "adopted")


@dataclass(frozen=True)
class Adoption:
    member: str
    wave: Optional[int]
    change: str  # the change idea's id in the member
    text: str
    status: str


@dataclass
class SpreadRow:
    """One change (a cluster of the same change across members, or a change of one member only)."""

    label: str
    adoptions: list[Adoption]
    serves: list[str]  # the programme ids the change serves, in any member
    not_yet: list[str] = field(default_factory=list)  # members of the next wave, on the same drivers, without it

    def by_wave(self) -> dict[Optional[int], dict[str, int]]:
        """Wave -> status -> number of members."""
        table: dict[Optional[int], dict[str, int]] = {}
        for adoption in self.adoptions:
            counts = table.setdefault(adoption.wave, {})
            counts[adoption.status] = counts.get(adoption.status, 0) + 1
        return table


def spread_rows(members: list[MemberProject], clusters: list[Cluster],
                serves: dict[tuple[str, str], set[str]], served: dict[str, set[str]]) -> list[SpreadRow]:
    """The spread matrix, one row per change shared by two or more members (its clusters), then
    the changes of one member, each with the members of the next wave that have not tried it.

    `serves` gives (member, element id) -> programme ids served; `served` member -> ids served."""
    spread = _Spread(members, served)
    changes = {(m.name, str(c.id)): c for m in members if m.project for c in m.project.all_changes()}
    rows: list[SpreadRow] = []
    clustered: set[tuple[str, str]] = set()
    for cluster in clusters:
        if cluster.kind != "change":
            continue
        keys = [(item.member, item.id) for item in cluster.items if (item.member, item.id) in changes]
        clustered.update(keys)
        rows.append(spread.row(cluster.label, keys, changes, serves))
    for key in sorted(set(changes) - clustered):
        rows.append(spread.row(changes[key].text, [key], changes, serves))
    return rows


class _Spread:
    def __init__(self, members: list[MemberProject], served: dict[str, set[str]]) -> None:
        self.wave = {m.name: m.wave for m in members}
        waves = sorted({w for w in self.wave.values() if w is not None})
        self.next_wave = dict(zip(waves, waves[1:]))
        # (wave, programme id) -> the members of that wave serving it
        self.serving: dict[tuple[int, str], set[str]] = {}
        for member, joined in self.wave.items():
            if joined is not None:
                for target in served.get(member, set()):
                    self.serving.setdefault((joined, target), set()).add(member)

    def row(self, label: str, keys: list[tuple[str, str]], changes: dict,
            serves: dict[tuple[str, str], set[str]]) -> SpreadRow:
        adoptions = [Adoption(member, self.wave.get(member), change_id, changes[(member, change_id)].text,
                              changes[(member, change_id)].status) for member, change_id in keys]
        targets = sorted({t for key in keys for t in serves.get(key, set())} - {"aim"})
        row = SpreadRow(label, adoptions, targets)
        adopted_waves = [a.wave for a in adoptions if a.status == "adopted" and a.wave is not None]
        following = self.next_wave.get(min(adopted_waves)) if adopted_waves else None
        if following is not None and targets:
            having = {a.member for a in adoptions if a.status in TRIED}
            candidates = set().union(*(self.serving.get((following, t), set()) for t in targets))
            row.not_yet = sorted(candidates - having)
        return row
