"""`load_programme`: a programme file and its members, loaded, checked and analysed at once.

The result holds plain objects (members, links, coverage, common ground, spread, comparisons)
for reports, pictures and other tools; `as_dict()` gives all of it as JSON-ready data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional

from driverkit.checks.checker import check
from driverkit.project.diagnostics import Diagnostic, ProjectError, Severity, sort_diagnostics
from driverkit.project.loader import load
from driverkit.project.model import Project
from driverkit.project.references import DECISIONS_CONTRADICT, UNKNOWN_TARGET, Workspace, split
from driverkit.programme.common import NEAR_LOWEST, Cluster, Key, find_clusters, near_matches, root_of
from driverkit.programme.likeness import Match, TextItem
from driverkit.programme.reading import normaliser
from driverkit.programme.compare import (
    SharedMeasure, Total, WindowTotal, name_conflicts, programme_series, shared_measures, window_totals,
)
from driverkit.programme.funnel import Funnel, FunnelMember, funnel
from driverkit.programme.links import Coverage, Link, Links, find_links, programme_ids_served
from driverkit.programme.members import MemberProject, Preparation, find_members
from driverkit.programme.spread import SpreadRow, spread_rows
from driverkit.spc.series import paused_collector

THRESHOLD = 80.0  # the score (0 to 100) from which two texts of two members are the same


@dataclass
class Comparison:
    """One shared measure across the members: the programme's series and a funnel of a window."""

    shared: SharedMeasure
    series: list[Total]
    window: tuple[str, str]
    totals: list[WindowTotal]
    funnel: Optional[Funnel]

    @property
    def id(self) -> str:
        return str(self.shared.measure.id)


@dataclass
class Programme:
    """A programme and its members, analysed."""

    file: str
    project: Project
    members: list[MemberProject]
    links: Links
    clusters: list[Cluster]
    spread: list[SpreadRow]
    comparisons: list[Comparison]
    diagnostics: list[Diagnostic] = field(default_factory=list)  # every file's, and the programme's own
    near: list[Match] = field(default_factory=list)
    """Pairs of texts in no one cluster that score `review_from` or more, for people to decide
    (empty unless `load_programme` was asked for them)."""
    review_from: Optional[float] = None
    threshold: float = THRESHOLD
    """The score from which the clusters were made."""
    vocabulary: dict[str, str] = field(default_factory=dict)
    """The words added to the shipped vocabulary: the programme file's own, and those given to
    `load_programme`."""

    @property
    def coverage(self) -> list[Coverage]:
        return self.links.coverage

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == Severity.ERROR)

    def waves(self) -> dict[Optional[int], list[MemberProject]]:
        grouped: dict[Optional[int], list[MemberProject]] = {}
        for member in self.members:
            grouped.setdefault(member.wave, []).append(member)
        return dict(sorted(grouped.items(), key=lambda item: (item[0] is None, item[0] or 0)))

    def as_dict(self) -> dict[str, Any]:
        return _as_dict(self)


def load_programme(path: str | Path, allow: Iterable[str | Path] = (), threshold: float = THRESHOLD,
                   vocabulary: Optional[Mapping[str, str]] = None, window: Optional[tuple[str, str]] = None,
                   jobs: Optional[int] = None, review_from: Optional[float] = None) -> Programme:
    """Load a programme file and the members its `programme: members:` lists, check every file and
    the links between them, and analyse the whole. Raises ProjectError only when the programme
    file itself does not load; a member that does not load is reported with its diagnostics and
    the others are analysed. `window` = (first, last) period of the funnel plots (by default the
    last 12 periods of each shared measure). `jobs` processes at most load the members (by default
    two for a large programme on a Linux machine with two cores or more; 1 loads them all in this
    one, as does a process running threads); the result does not depend on it. `review_from`, a
    score from 40 (`NEAR_LOWEST`) and below `threshold`: also list the pairs of texts scoring that or more that
    are in no one cluster (`Programme.near`), for people to confirm or reject; a slower search."""
    problem = review_range_problem(review_from, threshold)
    if problem:
        raise ValueError(f"review_from {problem}")
    # Everything built here stays alive in the Programme: the cyclic garbage collector would only
    # walk the members' projects again and again (a third of the time of 136 members).
    with paused_collector():
        return _load_programme(path, allow, threshold, vocabulary, window, jobs, review_from)


def review_range_problem(review_from: Optional[float], threshold: float) -> str:
    """What is wrong with a score to list near matches from, with `threshold` (empty when nothing)."""
    if review_from is None or NEAR_LOWEST <= review_from < threshold:
        return ""
    return f"{review_from:g}: near matches are listed from a score of {NEAR_LOWEST:g} up to below the threshold ({threshold:g})"


def _load_programme(path: str | Path, allow: Iterable[str | Path], threshold: float,
                    vocabulary: Optional[Mapping[str, str]], window: Optional[tuple[str, str]], jobs: Optional[int],
                    review_from: Optional[float] = None) -> Programme:
    # The programme's own folder is open to its members, which name the programme file (`use:`,
    # `serves:`) from a folder below it, in a git repository or not.
    allowed = tuple(str(place) for place in allow) + (str(Path(path).resolve().parent),)
    workspace = Workspace(allowed)
    project = load(path, allow=allowed, workspace=workspace)
    diagnostics = check(project)
    settings = project.programme
    words = {**(settings.vocabulary if settings else {}), **(vocabulary or {})}
    # Each member's texts are normalised for the common ground as soon as it is loaded, in the
    # process that loads it (a large programme is loaded by two).
    normalise = normaliser(words or None)
    preparation = Preparation(lambda member: [(text, normalise(text)) for _, _, text in _compared(member)], normalise.cache.update)
    members, problems = find_members(project, workspace, jobs, preparation)
    links = find_links(project, members, workspace)
    diagnostics += problems + links.diagnostics + name_conflicts(members)
    for member in members:
        diagnostics += member.diagnostics
    serves = _serves(members, links)
    same, different, unknown = _decisions(project, members)
    diagnostics += unknown
    items = _text_items(members, serves)
    clusters = find_clusters(items, threshold=threshold, vocabulary=words or None, same=same, different=different)
    near = near_matches(items, clusters, review_from, words or None, different) if review_from is not None else []
    spread = spread_rows(members, clusters, serves, links.served)
    comparisons = [_comparison(shared, window) for shared in shared_measures(project, members) if shared.uses]
    off = _switched_off(project)
    diagnostics = [d for d in diagnostics if not (d.file == project.file and d.code in off)]
    return Programme(str(path), project, members, links, clusters, spread, comparisons, sort_diagnostics(_unique(diagnostics)),
                     near, review_from, threshold, words)


def find_near_matches(programme: Programme, review_from: float) -> list[Match]:
    """The near matches from `review_from` of a programme loaded without them: the list that
    `load_programme(..., review_from=review_from)` gives as `Programme.near`, searched later (so
    that `driverkit review` asks about the groups while it is searched)."""
    problem = review_range_problem(review_from, programme.threshold)
    if problem:
        raise ValueError(f"review_from {problem}")
    _, different = decided(programme)
    items = _text_items(programme.members, _serves(programme.members, programme.links))
    with paused_collector():
        return near_matches(items, programme.clusters, review_from, programme.vocabulary or None, different)


def decided(programme: Programme) -> tuple[list[list[Key]], list[list[Key]]]:
    """The programme file's decisions on common ground, as (member, id) keys: its `same:` groups
    and its `different:` ones, less what names no member's element (reported as DK802)."""
    same, different, _ = _decisions(programme.project, programme.members)
    return same, different


def _serves(members: list[MemberProject], links: Links) -> dict[tuple[str, str], set[str]]:
    """The ids of the programme's drivers that each member's element serves, by (member, element)."""
    serves: dict[tuple[str, str], set[str]] = {}
    links_of: dict[str, list[Link]] = {}
    for link in links.links:
        links_of.setdefault(link.member, []).append(link)
    for member in members:
        if member.project is not None:
            for element_id, ids in programme_ids_served(member.project, member.name, links_of.get(member.name, [])).items():
                serves[(member.name, element_id)] = ids
    return serves


def _decisions(project: Project, members: list[MemberProject]) -> tuple[list[list[Key]], list[list[Key]], list[Diagnostic]]:
    """The programme file's decisions on common ground, as (member, id) keys; a reference to no
    member or to an id the member does not have is reported where it is written."""
    settings = project.programme
    if settings is None:
        return [], [], []
    folder = Path(project.file).resolve().parent
    by_file = {m.file.resolve(): m for m in members}
    same: list[list[Key]] = []
    different: list[list[Key]] = []
    same_at: list[int] = []  # the place of each in the file's list
    different_at: list[int] = []
    problems: list[Diagnostic] = []
    kinds: dict[str, dict[str, str]] = {}  # member -> its element ids -> "driver", "change" or "measure"
    for index, decision in enumerate(settings.decisions):
        kind = "same" if decision.same else "different"
        keys: list[Key] = []
        for place, reference in enumerate(decision.same or decision.different):
            file, element = split(reference)
            member = by_file.get((folder / file).resolve())
            if member is not None and member.project is not None and member.name not in kinds:
                kinds[member.name] = _kinds_of(member.project)
            known = member is not None and element in kinds.get(member.name, {})
            if member is None or not known:
                why = "is not a member of this programme" if member is None else f"has no element {element}"
                problems.append(UNKNOWN_TARGET.diagnostic(
                    f"the decision names {reference}, but {file} {why}", project.file,
                    *project.location(("programme", "decisions", index, kind, place)),
                    hint="Name a member's element as `trusts/file.yaml#C1.2`, relative to the programme file; "
                         "remove the decision if the element is gone."))
                continue
            keys.append((member.name, element))
        (same if kind == "same" else different).append(keys)
        (same_at if kind == "same" else different_at).append(index)
    return same, different, problems + _contradictions(project, same, same_at, different, different_at, kinds)


def _kinds_of(project: Project) -> dict[str, str]:
    """A project's element ids and their kinds, as the common ground names them."""
    return {**{str(d.id): "driver" for d in project.all_drivers()}, **{str(c.id): "change" for c in project.all_changes()},
            **{str(m.id): "measure" for m in project.measures}}


def _contradictions(project: Project, same: list[list[Key]], same_at: list[int], different: list[list[Key]],
                    different_at: list[int], kinds: dict[str, dict[str, str]]) -> list[Diagnostic]:
    """A `different:` decision naming two elements that `same:` decisions join, directly or in a
    chain, once for each such group; elements of two kinds are never joined (groups are of one kind)."""
    Node = tuple[str, Key]  # (kind, key)
    parent: dict[Node, Node] = {}
    joined_by: dict[Node, set[int]] = {}  # a group's root -> the decisions (their places) that joined it

    def root(node: Node) -> Node:
        return root_of(parent, node)

    def kind(key: Key) -> str:
        return kinds[key[0]][key[1]]

    for keys, index in zip(same, same_at):
        for of_kind in sorted({kind(key) for key in keys}):
            roots = {root((of_kind, key)) for key in keys if kind(key) == of_kind}
            if len(roots) < 2:
                continue  # joins nothing of this kind
            top = min(roots)
            made = {index}
            for other in roots:
                made |= joined_by.pop(other, set())
                parent[other] = top
            joined_by[top] = made
    problems: list[Diagnostic] = []
    for keys, index in zip(different, different_at):
        reported: set[Node] = set()
        for a, b in ((a, b) for i, a in enumerate(keys) for b in keys[i + 1:]):
            group = root((kind(a), a))
            if a == b or kind(a) != kind(b) or group != root((kind(b), b)) or group in reported:
                continue
            reported.add(group)
            lines = sorted({project.location(("programme", "decisions", at))[0] for at in joined_by[group]})
            which = f"decision at line {lines[0]} joins" if len(lines) == 1 else f"decisions at lines {', '.join(map(str, lines))} join"
            problems.append(DECISIONS_CONTRADICT.diagnostic(
                f"the decision says {a[0]}#{a[1]} and {b[0]}#{b[1]} are different, but the `same:` {which} them: "
                "they are kept apart", project.file, *project.location(("programme", "decisions", index, "different"))))
    return problems + _one_member_twice(project, same, same_at, kind)


def _one_member_twice(project: Project, same: list[list[Key]], same_at: list[int], kind: Callable[[Key], str]) -> list[Diagnostic]:
    """A `same:` decision that would put two elements of one member in a group, once for each
    decision. The clusters take the decisions in file order, each joining its elements of a kind
    one after the other, and leave out a join that would hold one member twice (a group holds
    one element of each member); so does this."""
    parent: dict[Key, Key] = {}
    held: dict[Key, dict[str, Key]] = {}  # a group's root -> its element of each member

    def twice(a: Key, b: Key) -> Optional[tuple[Key, Key]]:
        """Join a and b, or the two elements of one member that joining them would put together."""
        ra, rb = root_of(parent, a), root_of(parent, b)
        if ra == rb:
            return None
        here, there = held.get(ra, {a[0]: a}), held.get(rb, {b[0]: b})
        shared = sorted(here.keys() & there.keys())
        if shared:
            return here[shared[0]], there[shared[0]]
        parent[rb] = ra
        held[ra] = {**here, **there}
        return None

    problems: list[Diagnostic] = []
    for keys, index in zip(same, same_at):
        joins = [(a, b) for of_kind in sorted({kind(key) for key in keys})
                 for named in [[key for key in keys if kind(key) == of_kind]] for a, b in zip(named, named[1:])]
        reported = False
        for a, b in joins:  # all taken, as the clusters take them; the first that fails reported
            found = twice(a, b)
            if found and not reported:
                reported = True
                first, second = found
                problems.append(DECISIONS_CONTRADICT.diagnostic(
                    f"the decision joins {a[0]}#{a[1]} and {b[0]}#{b[1]}, which would put {first[0]}#{first[1]} and "
                    f"{second[0]}#{second[1]}, two elements of one member, in one group (with this or earlier `same:` "
                    "decisions): a group holds one element of each member, so this join is not kept",
                    project.file, *project.location(("programme", "decisions", index, "same"))))
    return problems


def _comparison(shared: SharedMeasure, window: Optional[tuple[str, str]]) -> Comparison:
    series = programme_series(shared)
    first, last, totals = window_totals(shared, start=window[0] if window else None, end=window[1] if window else None)
    plotted = None
    usable = [t for t in totals if t.denominator > 0]
    if len(usable) >= 2 and sum(t.denominator for t in usable) > 0:
        unit = (shared.measure.unit or "").strip().lower()
        percent = unit.startswith("%") or unit.startswith("per cent") or unit == "percent"
        kind = "proportion" if shared.measure.chart is None or shared.measure.chart.type in ("p", "p-prime", "run", "xmr") else "rate"
        if kind == "proportion" and any(t.numerator > t.denominator for t in usable):
            kind = "rate"
        plotted = funnel([FunnelMember(t.member, t.numerator, t.denominator) for t in usable], kind=kind,
                         scale=100.0 if percent else 1.0)
    return Comparison(shared, series, (first, last), totals, plotted)


def _text_items(members: list[MemberProject], serves: dict[tuple[str, str], set[str]]) -> list[TextItem]:
    items = []
    for member in members:
        if member.project is not None:
            for kind, element_id, text in _compared(member.project):
                served = () if kind == "measure" else tuple(sorted(serves.get((member.name, element_id), ())))
                items.append(TextItem(member.name, kind, element_id, text, served))
    return items


def _compared(project: Project) -> list[tuple[str, str, str]]:
    """The member's texts that common ground compares, as (kind, id, text): its drivers, its
    change ideas and its own measures (shared measures are the same by construction)."""
    return [*(("driver", str(d.id), d.text) for d in project.all_drivers()),
            *(("change", str(c.id), c.text) for c in project.all_changes()),
            *(("measure", str(m.id), m.name) for m in project.measures if m.shared_from is None)]


def _switched_off(project: Project) -> set[str]:
    from driverkit.checks.rules import find_rule

    codes = set()
    for name in project.rules.disable:
        rule = find_rule(name)
        if rule is not None:
            codes.add(rule.code)
    return codes


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[Diagnostic] = set()
    return [d for d in diagnostics if not (d in seen or seen.add(d))]  # type: ignore[func-returns-value]


def _as_dict(programme: Programme) -> dict[str, Any]:
    return {
        "programme": {"file": programme.file, "title": programme.project.title, "aim": programme.project.aim_statement},
        "members": [{"name": m.name, "title": m.title, "wave": m.wave, "loaded": m.loaded,
                     "errors": sum(1 for d in m.diagnostics if d.severity == Severity.ERROR)} for m in programme.members],
        "links": [vars(link) for link in programme.links.links],
        "beyond": [vars(link) for link in programme.links.beyond],
        "overlaps": [{**vars(o), "reference": o.reference} for o in programme.links.overlaps],
        "coverage": [{"driver": c.driver, "text": c.text, "level": c.level, "direct": c.direct, "below": c.below}
                     for c in programme.coverage],
        "uncovered": [c.driver for c in programme.links.uncovered],
        "clusters": [{"kind": c.kind, "label": c.label, "members": list(c.members), "confirmed": c.confirmed,
                      "items": [{"member": i.member, "id": i.id, "text": i.text} for i in c.items],
                      "matches": [_match_dict(m) for m in c.matches]} for c in programme.clusters],
        "decisions": decision_rows(programme),
        "review_from": programme.review_from,
        "near": [{"kind": m.a.kind, **_match_dict(m), "texts": [m.a.text, m.b.text]} for m in programme.near],
        "spread": [{"change": row.label, "serves": row.serves, "not_yet_tried_by": row.not_yet,
                    "adoptions": [vars(a) for a in row.adoptions]} for row in programme.spread],
        "comparisons": [_comparison_dict(c) for c in programme.comparisons],
        "diagnostics": [d.to_dict() for d in programme.diagnostics],
    }


def decision_rows(programme: Programme) -> list[dict[str, Any]]:
    """The programme file's decisions on common ground as written: kind, references, note."""
    settings = programme.project.programme
    return [{"kind": "same" if d.same else "different", "references": [str(r) for r in d.same or d.different],
             "note": d.note} for d in (settings.decisions if settings is not None else [])]


def _match_dict(match: Match) -> dict[str, Any]:
    return {"a": f"{match.a.member}#{match.a.id}", "b": f"{match.b.member}#{match.b.id}", "score": round(match.score, 1),
            "why": match.why}


def _comparison_dict(comparison: Comparison) -> dict[str, Any]:
    shared = comparison.shared
    result: dict[str, Any] = {
        "measure": comparison.id, "name": shared.measure.name,
        "members": [{"member": u.member, "points": len(u.series.points), "comparable": u.comparable, "redefines": u.redefined}
                    for u in shared.uses],
        "series": [vars(t) for t in comparison.series],
        "window": list(comparison.window),
    }
    if comparison.funnel is not None:
        f = comparison.funnel
        result["funnel"] = {"kind": f.kind, "method": f.method, "target": f.target, "outliers": list(f.outliers),
                            "members": [{"member": p.name, "numerator": p.numerator, "denominator": p.denominator,
                                         "value": p.value, "z": p.z, "position": p.position} for p in f.members]}
    return result


__all__ = ["Comparison", "Link", "Programme", "ProjectError", "load_programme"]
