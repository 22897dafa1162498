"""The Markdown summary `driverkit check` adds to a GitHub Actions job page (GITHUB_STEP_SUMMARY):
the totals, the count of each rule and of each file, and the first problems at file:line.

Every text from a project file (file names, messages) goes through `escape.markdown`, so a
project cannot add links, mentions, HTML or table cells to the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from driverkit.checks.report import counts, summary
from driverkit.output.escape import markdown
from driverkit.project.diagnostics import Diagnostic, Severity

FIRST = 20  # the problems listed one by one; the rest are counted
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def shown_path(file: str, root: Optional[Path]) -> str:
    """A file as the summary names it: relative to the repository root when it lies inside it."""
    if root is None or file.startswith("<"):
        return file
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return file


def step_summary(results: dict[str, list[Diagnostic]], root: Optional[Path] = None) -> str:
    """The Markdown of one `check` run. `results` maps each file checked to its diagnostics."""
    everything = [d for ds in results.values() for d in ds]
    lines = ["## driverkit check", "", f"**{markdown(summary(results))}**", ""]
    if not everything:
        lines += ["No problems found.", ""]
        return "\n".join(lines) + "\n"

    by_rule: dict[tuple[str, str, Severity], int] = {}
    for d in everything:
        by_rule[(d.code, d.name, d.severity)] = by_rule.get((d.code, d.name, d.severity), 0) + 1
    lines += ["| rule | name | severity | count |", "| --- | --- | --- | ---: |"]
    for (code, name, severity), count in sorted(by_rule.items(), key=lambda item: (_ORDER[item[0][2]], item[0][0])):
        lines.append(f"| {markdown(code)} | {markdown(name)} | {severity.value} | {count} |")

    lines += ["", "| file | errors | warnings | notes |", "| --- | ---: | ---: | ---: |"]
    for file, diagnostics in results.items():
        found = counts(diagnostics)
        lines.append(f"| {markdown(shown_path(file, root))} | {found['errors']} | {found['warnings']} | {found['notes']} |")

    first = sorted(everything, key=lambda d: (_ORDER[d.severity],))[:FIRST]  # stable: file order within a severity
    lines += ["", "| place | severity | rule | message |", "| --- | --- | --- | --- |"]
    for d in first:
        place = f"{shown_path(d.file, root)}:{d.line}" if d.placed_in_file else d.place
        lines.append(f"| {markdown(place)} | {d.severity.value} | {markdown(d.code)} | {markdown(d.message)} |")
    if len(everything) > FIRST:
        lines += ["", f"and {len(everything) - FIRST} more: see the job's log or annotations."]
    return "\n".join(lines) + "\n\n"
