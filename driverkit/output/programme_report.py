"""The programme report, in HTML or Markdown: members by wave, who covers which driver, common
ground, spread, the comparison of shared measures and the diagnostics of every file.

The page is a template (`programme.html.j2`, `programme.md.j2`) filled with plain values built
here, so the templates only lay them out. HTML is autoescaped by the template environment and
Markdown escaped with its `md` filter. Pictures are passed in already drawn: in HTML each becomes an
image of its own (an SVG data URI, as the measurement plan shows its charts, so nothing inside a
picture can run or clash with the page); in Markdown each is a link to the picture's file.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, Mapping, Optional
from urllib.parse import quote

from driverkit.output.programme_map import MANY, by_wave, largest_clusters, wave_label
from driverkit.project.diagnostics import Severity
from driverkit.project.fields import written_date
from driverkit.programme.analysis import Comparison, Programme, decision_problems, decision_rows
from driverkit.programme.funnel import level_label

REPORT_FORMATS = ("html", "md")
MOST_MATCHES = 12  # joins explained per group; a large group repeats the same few reasons
MOST_NEAR = 200  # near matches shown in the report; the JSON has them all
KINDS = {"change": "change idea", "driver": "driver", "measure": "measure"}


def programme_report(programme: Programme, fmt: str = "html", *, pictures: Optional[Mapping[str, bytes | str]] = None,
                     templates: Optional[str | Path] = None) -> str:
    """The report of an analysed programme as HTML or Markdown text.

    `pictures` shows the programme's pictures in the page, by key: "map", and for each shared
    measure "{id}-programme" (its chart), "{id}-members" (small multiples) and "{id}-funnel". In HTML
    a value is the picture itself (SVG or PNG bytes, or SVG text; see `programme_pictures`); in
    Markdown it is the path of the picture's file relative to the page (see `picture_files`).
    `templates` names a folder whose templates replace the shipped ones of the same name."""
    from driverkit.output.templating import render_template

    if fmt not in REPORT_FORMATS:
        raise ValueError(f"the programme report is written as {' or '.join(REPORT_FORMATS)}, not {fmt!r}")
    report = build_report(programme, _sources(pictures or {}, fmt))
    return render_template(f"programme.{fmt}.j2", {"report": report}, templates)


def programme_pictures(programme: Programme, backend: str = "auto", fmt: str = "svg") -> dict[str, bytes]:
    """Every picture of the report as SVG (or PNG), by the keys `programme_report` reads. The map is
    left out when Graphviz cannot draw it (the charts need no Graphviz)."""
    from driverkit.output.engine import RenderError
    from driverkit.output.funnel_chart import funnel_chart
    from driverkit.output.programme_map import programme_map
    from driverkit.output.small_multiples import small_multiples
    from driverkit.programme.compare import as_measure
    from driverkit.spc.charts import chart

    found: dict[str, bytes] = {}
    try:
        found["map"] = programme_map(programme, fmt, backend)
    except RenderError:
        pass
    for comparison in programme.comparisons:
        measure = comparison.shared.measure
        if comparison.series:
            found[f"{measure.id}-programme"] = chart(programme.project, as_measure(comparison.shared, comparison.series), fmt)
        if comparison.shared.comparable:
            found[f"{measure.id}-members"] = small_multiples(comparison, fmt)
        if comparison.funnel is not None:
            first, last = comparison.window
            found[f"{measure.id}-funnel"] = funnel_chart(comparison.funnel, f"{measure.id} {measure.name}, {first} to {last}",
                                                         measure.unit or "", measure.denominator or "denominator", format=fmt)
    return found


def picture_files(programme: Programme, fmt: str = "svg") -> dict[str, str]:
    """The file names `driverkit programme -o DIR` gives the pictures, by the keys of
    `programme_report`: for a Markdown report written beside them."""
    stem = Path(programme.file).stem
    files = {"map": f"{stem}-map.{fmt}"}
    for comparison in programme.comparisons:
        measure_id = comparison.id
        if comparison.series:
            files[f"{measure_id}-programme"] = f"{stem}-{measure_id}-programme.{fmt}"
        if comparison.shared.comparable:
            files[f"{measure_id}-members"] = f"{stem}-{measure_id}-members.{fmt}"
        if comparison.funnel is not None:
            files[f"{measure_id}-funnel"] = f"{stem}-{measure_id}-funnel.{fmt}"
    return files


def _sources(pictures: Mapping[str, bytes | str], fmt: str) -> dict[str, str]:
    """Each picture as the page refers to it: a data URI in HTML, a quoted relative path in Markdown."""
    found = {}
    for key, value in pictures.items():
        if fmt == "html":
            data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            kind = "image/png" if data.startswith(b"\x89PNG") else "image/svg+xml"
            found[key] = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
        elif isinstance(value, str):
            found[key] = quote(value.replace("\\", "/"), safe="/")
    return found


# --- the values of the page ---------------------------------------------------------------------


def build_report(programme: Programme, pictures: Optional[Mapping[str, str]] = None) -> dict[str, Any]:
    """The report as plain values (strings, numbers, lists, dicts) for the templates."""
    pictures = pictures or {}
    project = programme.project
    waves = {m.name: m.wave for m in programme.members}
    counts = _diagnostic_counts(programme)
    wave_counts = ", ".join(f"{wave_label(w)}: {len(ms)}" for w, ms in programme.waves().items())
    gaps = programme.links.uncovered
    total = len(programme.coverage)
    return {
        "title": project.title,
        "aim": project.aim_statement,
        "file": programme.file,
        "map": pictures.get("map"),
        "summary": {
            "members": len(programme.members),
            "waves": wave_counts,
            "failed": sum(1 for m in programme.members if not m.loaded),
            "drivers": total,
            "covered": total - len(gaps),
            "errors": sum(1 for d in programme.diagnostics if d.severity == Severity.ERROR),
            "warnings": sum(1 for d in programme.diagnostics if d.severity == Severity.WARNING),
        },
        "waves": _waves(programme, counts),
        "coverage": [_coverage_row(c, waves) for c in programme.coverage],
        "uncovered": [{"driver": c.driver, "text": c.text} for c in gaps],
        "clusters": sorted((_cluster(c) for c in largest_clusters(programme.clusters, len(programme.clusters))),
                           key=lambda c: not c["confirmed"]),  # decided by people first, then suggestions
        "decisions": decision_rows(programme),
        "decision_problems": [{"line": d.line, "code": d.code, "message": d.message} for d in decision_problems(programme)],
        "known_changes": [{"name": c.name, "members": len(c.members),
                           "texts": [{"ref": f"{i.member}#{i.id}", "text": i.text} for i in c.items]}
                          for c in programme.named_changes],
        "near": [_near(m) for m in programme.near[:MOST_NEAR]],
        "near_total": len(programme.near),
        "review_from": None if programme.review_from is None else f"{programme.review_from:g}",
        "spread": _spread(programme),
        "comparisons": [_comparison(c, pictures) for c in programme.comparisons],
        "overlaps": [{"reference": o.reference, "text": o.text, "here": o.here, "members": o.members, "linked": o.linked}
                     for o in programme.links.overlaps],
        "beyond": [{"member": link.member, "source": link.source, "target": f"{link.target_file}#{link.target}"}
                   for link in programme.links.beyond],
        "diagnostics": [{"file": file, **numbers} for file, numbers in counts.items()],
        "many": MANY,
    }


def _shown_file(file: str, folder: Path) -> str:
    try:
        return str(Path(file).resolve().relative_to(folder))
    except (ValueError, OSError):
        return file


def _diagnostic_counts(programme: Programme) -> dict[str, dict[str, int]]:
    """File (as the report shows it) -> errors, warnings and notes; the programme file first, then
    the members in their order, then any other file."""
    folder = Path(programme.file).resolve().parent
    order = [_shown_file(programme.file, folder)] + [m.name for m in programme.members]
    counts: dict[str, dict[str, int]] = {name: {"errors": 0, "warnings": 0, "notes": 0} for name in order}
    names = {str(m.file): m.name for m in programme.members}
    for d in programme.diagnostics:
        shown = names.get(str(Path(d.file).resolve()), None) or _shown_file(d.file, folder)
        entry = counts.setdefault(shown, {"errors": 0, "warnings": 0, "notes": 0})
        key = {Severity.ERROR: "errors", Severity.WARNING: "warnings"}.get(d.severity, "notes")
        entry[key] += 1
    return counts


def _waves(programme: Programme, counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    settings = programme.project.programme
    starts = {w.number: w.start for w in settings.waves} if settings is not None else {}
    served = programme.links.served
    order = {c.driver: i for i, c in enumerate(programme.coverage)}
    found = []
    for wave, members in programme.waves().items():
        start = starts.get(wave) if wave is not None else None
        rows = []
        for m in members:
            problem = next((d.message for d in m.diagnostics if d.severity == Severity.ERROR), None) if not m.loaded else None
            ids = sorted(served.get(m.name, set()), key=lambda i: (i != "aim", order.get(i, len(order)), i))
            rows.append({"name": m.name, "title": m.title if m.loaded else "", "loaded": m.loaded, "problem": problem,
                         "serves": ", ".join(ids), **counts.get(m.name, {"errors": 0, "warnings": 0, "notes": 0})})
        found.append({"title": wave_label(wave).capitalize(), "start": written_date(start) if start else "", "members": rows})
    return found


def _names(names: list[str], waves: dict[str, Optional[int]]) -> dict[str, Any]:
    """A list of members as the report shows it: every name, and by wave with their counts."""
    grouped = by_wave(names, waves)
    return {"names": sorted(names), "count": len(names), "many": len(names) > MANY,
            "by_wave": [{"wave": wave_label(w), "names": ns, "count": len(ns)} for w, ns in grouped],
            "counts": ", ".join(f"{wave_label(w)}: {len(ns)}" for w, ns in grouped)}


def _coverage_row(cover: Any, waves: dict[str, Optional[int]]) -> dict[str, Any]:
    return {"driver": cover.driver, "text": cover.text, "level": cover.level, "uncovered": not cover.members,
            "direct": _names(cover.direct, waves), "below": _names(cover.below, waves), "total": len(cover.members)}


def _cluster(cluster: Any) -> dict[str, Any]:
    return {"kind": KINDS.get(cluster.kind, cluster.kind), "label": cluster.label, "members": list(cluster.members),
            "confirmed": cluster.confirmed, "references": [f"{i.member}#{i.id}" for i in cluster.items],
            "texts": [{"member": i.member, "id": i.id, "text": i.text} for i in cluster.items],
            "matches": [{"a": f"{m.a.member} {m.a.id}", "b": f"{m.b.member} {m.b.id}", "score": f"{m.score:.0f}", "why": m.why}
                        for m in cluster.matches[:MOST_MATCHES]],
            "more_matches": max(0, len(cluster.matches) - MOST_MATCHES)}


def _near(match: Any) -> dict[str, Any]:
    return {"score": f"{match.score:.0f}", "why": match.why, "references": [f"{i.member}#{i.id}" for i in (match.a, match.b)],
            "texts": [{"member": i.member, "id": i.id, "text": i.text} for i in (match.a, match.b)]}


def _spread(programme: Programme) -> dict[str, Any]:
    waves = {m.name: m.wave for m in programme.members}
    numbers = list(programme.waves())
    shared, single = [], []
    for row in programme.spread:
        table = row.by_wave()
        cells = [", ".join(f"{status} {count}" for status, count in sorted(table.get(w, {}).items())) for w in numbers]
        entry = {"label": row.label, "serves": ", ".join(row.serves), "cells": cells, "not_yet": _names(row.not_yet, waves),
                 "members": len({a.member for a in row.adoptions}),
                 "adoptions": [{"member": a.member, "change": a.change, "status": a.status} for a in row.adoptions]}
        (shared if entry["members"] > 1 or row.not_yet else single).append(entry)
    return {"waves": [wave_label(w) for w in numbers], "shared": shared, "single": single,
            "behind": sum(1 for row in programme.spread if row.not_yet)}


def _number(value: float, unit: str) -> str:
    text = f"{value:.3g}"
    if not unit:
        return text
    return text + unit if unit.strip().startswith("%") else f"{text} {unit}"


def _crossed(point: Any) -> float:
    """The limit a member outside the funnel is beyond: of the level its position names."""
    for limits in reversed(point.limits):
        if point.position.endswith(" " + level_label(limits.level)):
            return limits.upper if point.position.startswith("above") else limits.lower
    return point.value


def _comparison(comparison: Comparison, pictures: Mapping[str, str]) -> dict[str, Any]:
    shared = comparison.shared
    measure = shared.measure
    unit = measure.unit or ""
    first, last = comparison.window
    result: dict[str, Any] = {
        "id": comparison.id, "name": measure.name, "unit": unit, "definition": measure.definition or "",
        "reporters": [u.member for u in shared.uses],
        "comparable": [u.member for u in shared.comparable],
        "redefined": [{"member": u.member, "fields": ", ".join(u.redefined)} for u in shared.uses if not u.comparable],
        "window": f"{first} to {last}" if first else "",
        "periods": len(comparison.series),
        "funnel": None,
        "pictures": [{"key": key, "src": pictures[f"{comparison.id}-{key}"], "caption": caption}
                     for key, caption in (("programme", "The programme's series: the comparable members summed"),
                                          ("members", "Each comparable member, same scales"),
                                          ("funnel", f"Funnel plot, {first} to {last}"))
                     if f"{comparison.id}-{key}" in pictures],
    }
    f = comparison.funnel
    if f is not None:
        points = sorted(f.members, key=lambda p: (-abs(p.z), p.name))
        outside = [{"member": p.name, "value": _number(p.value, unit), "numerator": f"{p.numerator:g}",
                    "denominator": f"{p.denominator:g}", "position": p.position, "outlier": p.name in f.outliers,
                    "limit": _number(_crossed(p), unit)}
                   for p in points if p.position != "inside"]
        result["funnel"] = {"target": _number(f.target, unit), "members": len(f.members),
                            "method": "exact" if f.method == "exact" else "normal approximation",
                            "kind": f.kind, "outliers": list(f.outliers), "outside": outside,
                            "inside": sum(1 for p in f.members if p.position == "inside"),
                            "levels": " and ".join(level_label(level) for level in f.levels)}
    return result


__all__ = ["REPORT_FORMATS", "build_report", "picture_files", "programme_pictures", "programme_report"]
