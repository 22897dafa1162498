"""The programme analysis in words: the summary `driverkit programme` prints."""

from __future__ import annotations

import shlex
from typing import Iterator

from driverkit.project.diagnostics import Severity
from driverkit.programme.analysis import THRESHOLD, Programme, decision_rows

MOST_LISTED = 10  # clusters and spread rows listed in the summary; the report and JSON have them all


def summary_lines(programme: Programme) -> Iterator[str]:
    project = programme.project
    waves = programme.waves()
    failed = [m for m in programme.members if not m.loaded]
    yield f"{project.title} ({programme.file})"
    by_wave = ", ".join(f"wave {wave}: {len(members)}" if wave is not None else f"no wave: {len(members)}"
                        for wave, members in waves.items())
    yield (f"{len(programme.members)} member{'s' if len(programme.members) != 1 else ''}"
           + (f" ({by_wave})" if by_wave else "") + (f"; {len(failed)} do not load: " + ", ".join(m.name for m in failed) if failed else ""))

    yield ""
    yield "Coverage of the programme's drivers (members working on each, directly or through the drivers below it):"
    for cover in programme.coverage:
        indent = "  " * cover.level
        count = len(cover.members)
        who = ", ".join(cover.members[:6]) + (f" and {count - 6} more" if count > 6 else "")
        yield f"{indent}{cover.driver} {_short(cover.text)}: " + (f"{count} ({who})" if count else "nobody")
    uncovered = programme.links.uncovered
    if uncovered:
        yield "  Nobody works on: " + "; ".join(f"{c.driver} {_short(c.text)}" for c in uncovered)

    clusters = programme.clusters
    yield ""
    confirmed = sum(1 for cluster in clusters if cluster.confirmed)
    yield (f"Common ground: {len(clusters)} group{'s' if len(clusters) != 1 else ''} of texts of several members that say the same "
           f"({confirmed} confirmed in the programme file, {len(clusters) - confirmed} suggested)")
    for cluster in sorted(clusters, key=lambda c: not c.confirmed)[:MOST_LISTED]:
        yield (f"  {'confirmed ' if cluster.confirmed else ''}{cluster.kind}: \"{_short(cluster.label, 70)}\": {len(cluster.members)} members, "
               f"{len({item.text for item in cluster.items})} wording{'s' if len({item.text for item in cluster.items}) != 1 else ''}")
        for item in cluster.items:
            yield f"    {item.member} {item.id}: {_short(item.text, 90)}"
        if not cluster.confirmed:
            yield f"    to confirm: - same: [{', '.join(f'{i.member}#{i.id}' for i in cluster.items)}]"
    if len(clusters) > MOST_LISTED:
        yield f"  ... and {len(clusters) - MOST_LISTED} more (see the report or --format json)"
    decisions = decision_rows(programme)
    if decisions:
        same = sum(1 for d in decisions if d["kind"] == "same")
        yield f"  Decisions in the programme file: {same} same, {len(decisions) - same} different"
        for d in decisions[:MOST_LISTED]:
            yield f"    {d['kind']}: {', '.join(d['references'])}" + (f" ({_short(d['note'], 90)})" if d["note"] else "")
        if len(decisions) > MOST_LISTED:
            yield f"    ... and {len(decisions) - MOST_LISTED} more (see the report)"
    named = programme.named_changes
    if named:
        yield (f"  The programme's own known changes: {len(named)}, "
               f"{sum(1 for change in named if not change.items)} named by no text")
        for change in named[:MOST_LISTED]:
            found = ", ".join(f"{i.member}#{i.id}" for i in change.items[:MOST_LISTED])
            more = f" and {len(change.items) - MOST_LISTED} more" if len(change.items) > MOST_LISTED else ""
            yield (f"    {_short(change.name, 70)}: " + (f"{len(change.items)} text{'s' if len(change.items) != 1 else ''} of "
                   f"{len(change.members)} member{'s' if len(change.members) != 1 else ''} ({found}{more})"
                   if change.items else "no text names it: are its phrases what the texts say?"))
        if len(named) > MOST_LISTED:
            yield f"    ... and {len(named) - MOST_LISTED} more (see the report)"
    if programme.review_from is not None:
        near = programme.near
        yield (f"  Near matches to review: {len(near)} pair{'s' if len(near) != 1 else ''} in no one group scoring "
               f"{programme.review_from:g} or more (the same or not: people decide)")
        for match in near[:MOST_LISTED]:
            pair = f"{match.a.member}#{match.a.id}, {match.b.member}#{match.b.id}"
            yield f"    {match.score:.0f}: {match.a.member} {match.a.id}: {_short(match.a.text, 90)}"
            yield f"        and {match.b.member} {match.b.id}: {_short(match.b.text, 90)}"
            yield f"        {match.why}"
            yield f"        if the same:  - same: [{pair}]"
            yield f"        if not:       - different: [{pair}]"
        if len(near) > MOST_LISTED:
            yield f"    ... and {len(near) - MOST_LISTED} more (see the report or --format json)"
        if near or any(not cluster.confirmed for cluster in clusters):
            threshold = "" if programme.threshold == THRESHOLD else f" --threshold {programme.threshold:g}"
            yield ("  To decide them one at a time, each answer written into the file: "
                   f"driverkit review {shlex.quote(programme.file)} --from {programme.review_from:g}{threshold}")

    behind = [row for row in programme.spread if row.not_yet]
    yield ""
    yield f"Spread: {len(programme.spread)} changes; {len(behind)} adopted in one wave and not yet tried by members of a later wave on the same drivers"
    for row in behind[:MOST_LISTED]:
        adopted = sorted({a.member for a in row.adoptions if a.status == "adopted"})
        yield f"  \"{_short(row.label, 70)}\" (adopted by {len(adopted)}; serves {', '.join(row.serves)}): not yet tried by {', '.join(row.not_yet)}"

    if programme.comparisons:
        yield ""
        yield "Shared measures:"
    for comparison in programme.comparisons:
        shared = comparison.shared
        redefined = [u for u in shared.uses if not u.comparable]
        yield (f"  {comparison.id} {shared.measure.name}: {len(shared.uses)} member{'s' if len(shared.uses) != 1 else ''} report it"
               + (", " + "; ".join(f"{u.member} redefines its {', '.join(u.redefined)} (not compared)" for u in redefined) if redefined else ""))
        f = comparison.funnel
        if f is not None:
            first, last = comparison.window
            outside = ", ".join(f.outliers) or "none"
            yield (f"    funnel {first} to {last}: programme value {f.target:.3g}{_unit(shared.measure.unit)} over "
                   f"{len(f.members)} members; outside the 99.8% limits: {outside}")

    if programme.links.overlaps:
        yield ""
        yield "Other programmes on the same work:"
        for o in programme.links.overlaps:
            linked = f"linked to {', '.join(o.linked)}" if o.linked else "NOT linked to this programme"
            yield (f"  {o.reference} \"{_short(o.text)}\" with {', '.join(o.here)}, by {', '.join(o.members)}: {linked}")

    if programme.links.beyond:
        yield ""
        yield "Links beyond this programme:"
        for link in programme.links.beyond:
            yield f"  {link.member} {link.source} serves {link.target_file}#{link.target}"

    errors = sum(1 for d in programme.diagnostics if d.severity == Severity.ERROR)
    warnings = sum(1 for d in programme.diagnostics if d.severity == Severity.WARNING)
    files = len({d.file for d in programme.diagnostics if d.severity != Severity.INFO})
    yield ""
    yield f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} in {files} file{'s' if files != 1 else ''}"


def _short(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _unit(unit: str | None) -> str:
    if not unit:
        return ""
    return unit if unit.strip() == "%" else f" {unit}"
