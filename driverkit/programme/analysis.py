"""`load_programme`: a programme file and its members, loaded, checked and analysed at once.

The result holds plain objects (members, links, coverage, common ground, spread, comparisons)
for reports, pictures and other tools; `as_dict()` gives all of it as JSON-ready data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from driverkit.checks.checker import check, place
from driverkit.project.diagnostics import Diagnostic, ProjectError, Severity, sort_diagnostics
from driverkit.project.loader import load
from driverkit.project.model import Project
from driverkit.project.references import CHANGE_PHRASE_UNREAD, DECISIONS_CONTRADICT, UNKNOWN_TARGET, Workspace, split
from driverkit.programme.common import NEAR_LOWEST, Cluster, find_clusters, near_matches
from driverkit.programme.decisions import Key, Settled, settle
from driverkit.programme.likeness import Match, TextItem
from driverkit.programme.reading import KnownChanges, Normaliser, known_change_groups, normaliser
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


@dataclass(frozen=True)
class NamedChange:
    """A known change of the programme's own (`programme: known_changes:`), with the texts of its
    members that name it: a check that its phrases find what the team meant."""

    name: str
    items: tuple[TextItem, ...]
    """By member, then element."""

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({item.member for item in self.items}))


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
    known_changes: dict[str, list[list[str]]] = field(default_factory=dict)
    """The changes added to the shipped known changes of the field: the programme file's own, and those
    given to `load_programme`."""
    named_changes: list[NamedChange] = field(default_factory=list)
    """Each of `known_changes`, with the texts that name it."""

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
                   jobs: Optional[int] = None, review_from: Optional[float] = None,
                   known_changes: Optional[KnownChanges] = None) -> Programme:
    """Load a programme file and the members its `programme: members:` lists, check every file and
    the links between them, and analyse the whole. Raises ProjectError only when the programme
    file itself does not load; a member that does not load is reported with its diagnostics and
    the others are analysed. `window` = (first, last) period of the funnel plots (by default the
    last 12 periods of each shared measure). `jobs` processes at most load the members (by default
    two for a large programme on a Linux machine with two cores or more; 1 loads them all in this
    one, as does a process running threads); the result does not depend on it. `review_from`, a
    score from 40 (`NEAR_LOWEST`) and below `threshold`: also list the pairs of texts scoring that or more that
    are in no one cluster (`Programme.near`), for people to confirm or reject; a slower search.
    `vocabulary` and `known_changes` are added to the programme file's own (`programme:
    vocabulary:` and `known_changes:`) for reading its texts (see driverkit.programme.reading.Normaliser)."""
    problem = review_range_problem(review_from, threshold)
    if problem:
        raise ValueError(f"review_from {problem}")
    # Everything built here stays alive in the Programme: the cyclic garbage collector would only
    # walk the members' projects again and again (a third of the time of 136 members).
    with paused_collector():
        return _load_programme(path, allow, threshold, vocabulary, window, jobs, review_from, known_changes)


def review_range_problem(review_from: Optional[float], threshold: float) -> str:
    """What is wrong with a score to list near matches from, with `threshold` (empty when nothing)."""
    if review_from is None or NEAR_LOWEST <= review_from < threshold:
        return ""
    return f"{review_from:g}: near matches are listed from a score of {NEAR_LOWEST:g} up to below the threshold ({threshold:g})"


def _load_programme(path: str | Path, allow: Iterable[str | Path], threshold: float,
                    vocabulary: Optional[Mapping[str, str]], window: Optional[tuple[str, str]], jobs: Optional[int],
                    review_from: Optional[float] = None, known_changes: Optional[KnownChanges] = None) -> Programme:
    # The programme's own folder is open to its members, which name the programme file (`use:`,
    # `serves:`) from a folder below it, in a git repository or not.
    allowed = tuple(str(place) for place in allow) + (str(Path(path).resolve().parent),)
    workspace = Workspace(allowed)
    project = load(path, allow=allowed, workspace=workspace)
    diagnostics = check(project)
    settings = project.programme
    words = {**(settings.vocabulary if settings else {}), **(vocabulary or {})}
    own = known_change_groups({**(settings.known_changes if settings else {}), **(known_changes or {})})
    # Each member's texts are normalised for the common ground as soon as it is loaded, in the
    # process that loads it (a large programme is loaded by two).
    normalise = normaliser(words or None, own or None)
    preparation = Preparation(lambda member: [(text, normalise(text)) for _, _, text in _compared(member)], normalise.cache.update)
    members, problems = find_members(project, workspace, jobs, preparation)
    links = find_links(project, members, workspace)
    diagnostics += problems + links.diagnostics + name_conflicts(members)
    for member in members:
        diagnostics += member.diagnostics
    serves = _serves(members, links)
    same, different, unknown = _decisions(project, members)
    items = _text_items(members, serves)
    diagnostics += unknown + _contradictions(project, settle(same, different, _kinds(items)))
    diagnostics += _unread_phrases(project, normalise.unread, set(known_changes or {}))
    clusters = find_clusters(items, threshold=threshold, vocabulary=words or None, same=same, different=different,
                             known_changes=own or None)
    near = (near_matches(items, clusters, review_from, words or None, different, known_changes=own or None)
            if review_from is not None else [])
    spread = spread_rows(members, clusters, serves, links.served)
    comparisons = [_comparison(shared, window) for shared in shared_measures(project, members) if shared.uses]
    off = _switched_off(project)
    diagnostics = [d for d in diagnostics if not (d.file == project.file and d.code in off)]
    return Programme(str(path), project, members, links, clusters, spread, comparisons, sort_diagnostics(_unique(diagnostics)),
                     near, review_from, threshold, words, own, _named_changes(own, items, normalise))


def find_near_matches(programme: Programme, review_from: float) -> list[Match]:
    """The near matches from `review_from` of a programme loaded without them: the list that
    `load_programme(..., review_from=review_from)` gives as `Programme.near`, searched later (so
    that `driverkit review` asks about the groups while it is searched)."""
    problem = review_range_problem(review_from, programme.threshold)
    if problem:
        raise ValueError(f"review_from {problem}")
    _, different, _ = _decisions(programme.project, programme.members)
    items = _text_items(programme.members, _serves(programme.members, programme.links))
    with paused_collector():
        return near_matches(items, programme.clusters, review_from, programme.vocabulary or None, different,
                            known_changes=programme.known_changes or None)


def decisions_of(programme: Programme) -> tuple[list[list[Key]], list[list[Key]], dict[Key, str]]:
    """The programme file's decisions on common ground, `same:` and `different:`, as (member, id)
    keys, and the kind of each element whose text is compared: what `settle` takes (see
    driverkit.programme.decisions)."""
    same, different, _ = _decisions(programme.project, programme.members)
    return same, different, _kinds(_text_items(programme.members, {}))


def _kinds(items: list[TextItem]) -> dict[Key, str]:
    return {(item.member, item.id): item.kind for item in items}


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


DECISION_NAMES = "the decision names "  # how a DK802 about a decision begins


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
                    f"{DECISION_NAMES}{reference}, but {file} {why}", project.file,
                    *project.location(("programme", "decisions", index, kind, place)),
                    hint="Name a member's element as `trusts/file.yaml#C1.2`, relative to the programme file; "
                         "remove the decision if the element is gone."))
                continue
            keys.append((member.name, element))
        (same if kind == "same" else different).append(keys)
    return same, different, problems


def _kinds_of(project: Project) -> dict[str, str]:
    """A project's element ids and their kinds, as the common ground names them."""
    return {**{str(d.id): "driver" for d in project.all_drivers()}, **{str(c.id): "change" for c in project.all_changes()},
            **{str(m.id): "measure" for m in project.measures}}


def known_change_problems(project: Project, disable: Iterable[str] = ()) -> list[Diagnostic]:
    """The problems of a programme file's own known changes that the file alone shows (DK811),
    unless switched off there or by `disable` (codes): what `driverkit check` adds for a programme."""
    settings = project.programme
    if settings is None or not settings.known_changes:
        return []
    off = _switched_off(project) | set(disable)
    problems = _unread_phrases(project, normaliser(settings.vocabulary or None, settings.known_changes).unread, set())
    return [d for d in problems if d.code not in off]


def _unread_phrases(project: Project, unread: list[tuple[str, int, str, int]], given: set[str]) -> list[Diagnostic]:
    """The phrases of the programme's own known changes that read as no word (DK811), where
    written; those of a change `given` to `load_programme` at the programme's `programme:`."""
    settings = project.programme
    written = settings.known_changes if settings else {}
    problems = []
    for name, number, phrase, empty in unread:
        group = written[name][number] if name in written and name not in given and number < len(written[name]) else []
        path = ("programme", "known_changes", name, number, group.index(phrase)) if phrase in group else ("programme",)
        at = "value" if phrase in group else "key"
        why = ("the other phrases of its group still name it" if empty < 0
               else f"no phrase of its group {empty + 1} is read, so the change is never named" if empty == number
               else f"and no phrase of its group {empty + 1} is read, so the change is never named")
        file, line, column, where = place(project, path, at)  # a project built in code: by its path
        problems.append(CHANGE_PHRASE_UNREAD.diagnostic(
            f"the phrase {phrase!r} of the known change {name!r} reads as no word: no text can hold it; {why}",
            file, line, column, path=where))
    return problems


def _contradictions(project: Project, settled: Settled) -> list[Diagnostic]:
    """The joins people's decisions ask for and the groups do not keep (DK810): at the `different:`
    decision that keeps two groups apart, once for each `same:` decision it stops, or at the
    `same:` decision whose join would put two elements of one member in a group, once each."""
    settings = project.programme
    if settings is None:
        return []
    same_at = [index for index, decision in enumerate(settings.decisions) if decision.same]
    different_at = [index for index, decision in enumerate(settings.decisions) if not decision.same]
    problems: list[Diagnostic] = []
    reported: set[tuple[int, int]] = set()
    for dropped in settled.dropped:
        at = (dropped.different, dropped.decision) if dropped.why == "different" else (-1, dropped.decision)
        if at in reported:
            continue
        reported.add(at)
        if dropped.why == "different":
            a, b = sorted(dropped.apart, key=lambda key: (key[0], key[1]))
            lines = sorted({project.location(("programme", "decisions", same_at[place]))[0] for place in dropped.joined_by})
            which = f"decision at line {lines[0]} joins" if len(lines) == 1 else f"decisions at lines {', '.join(map(str, lines))} join"
            problems.append(DECISIONS_CONTRADICT.diagnostic(
                f"the decision says {a[0]}#{a[1]} and {b[0]}#{b[1]} are different, but the `same:` {which} them: "
                "they are kept apart", project.file, *project.location(("programme", "decisions", different_at[dropped.different], "different"))))
        else:
            first, second = dropped.twice
            problems.append(DECISIONS_CONTRADICT.diagnostic(
                f"the decision joins {dropped.a[0]}#{dropped.a[1]} and {dropped.b[0]}#{dropped.b[1]}, which would put "
                f"{first[0]}#{first[1]} and {second[0]}#{second[1]}, two elements of one member, in one group (with this or "
                "earlier `same:` decisions): a group holds one element of each member, so this join is not kept",
                project.file, *project.location(("programme", "decisions", same_at[dropped.decision], "same"))))
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


def _named_changes(own: dict[str, list[list[str]]], items: list[TextItem], normalise: Normaliser) -> list[NamedChange]:
    """The programme's own known changes, in the order written, each with the texts that name it."""
    naming: dict[str, list[TextItem]] = {name: [] for name in own}
    for item in items:
        for name in normalise(item.text).changes & naming.keys():
            naming[name].append(item)
    return [NamedChange(name, tuple(sorted(found, key=lambda item: (item.member, item.kind, item.id))))
            for name, found in naming.items()]


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
        "known_changes": [{"name": named.name, "members": list(named.members),
                           "items": [{"member": i.member, "id": i.id, "text": i.text} for i in named.items]}
                          for named in programme.named_changes],
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


def decision_problems(programme: Programme) -> list[Diagnostic]:
    """What the programme file's decisions name that is not there (DK802), the joins they ask for
    that the groups do not keep (DK810), and the phrases of its known changes that are never
    found (DK811)."""
    return [d for d in programme.diagnostics if d.file == programme.project.file and
            (d.code in (DECISIONS_CONTRADICT.code, CHANGE_PHRASE_UNREAD.code)
             or d.code == UNKNOWN_TARGET.code and d.message.startswith(DECISION_NAMES))]


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


__all__ = ["Comparison", "Link", "NamedChange", "Programme", "ProjectError", "load_programme"]
