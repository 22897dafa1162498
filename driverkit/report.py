"""Writing diagnostics for people and for machines: text, parsable, json and github formats."""

from __future__ import annotations

import json
from driverkit.diagnostics import Diagnostic, Severity

FORMATS = ("text", "parsable", "json", "github")

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def format_diagnostics(results: dict[str, list[Diagnostic]], fmt: str, colour: bool = False) -> str:
    """All the diagnostics of the files checked, in one of FORMATS. `results` maps file to diagnostics."""
    if fmt == "parsable":
        return "".join(f"{d}\n" for ds in results.values() for d in ds)
    if fmt == "json":
        items = [d.to_dict() for ds in results.values() for d in ds]
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(_github(d) + "\n" for ds in results.values() for d in ds)
    return _text(results, colour)


def _text(results: dict[str, list[Diagnostic]], colour: bool) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines: list[str] = []
    for file, diagnostics in results.items():
        # Under the file checked, then under each file it reads (a data CSV), each named as its header.
        by_file: dict[str, list[Diagnostic]] = {file: []}
        for d in diagnostics:
            by_file.setdefault(d.file or file, []).append(d)
        for name, found in by_file.items():
            if not found:
                continue
            lines.append(paint(name, _BOLD))
            for d in found:
                place = f"{d.line}:{d.column}"
                severity = paint(f"{d.severity.value:<7}", _COLOURS[d.severity])
                lines.append(f"  {place:<8} {severity} {d.code}  {d.message}  {paint('[' + d.name + ']', _DIM)}")
                if d.hint:
                    lines.append(f"  {'':<8} {'':<7} {paint('hint: ' + d.hint, _DIM)}")
            lines.append("")
    lines.append(summary(results))
    return "\n".join(lines) + "\n"


def summary(results: dict[str, list[Diagnostic]]) -> str:
    """"2 errors, 1 warning, 3 info in 4 files"."""
    counts = {s: 0 for s in Severity}
    for ds in results.values():
        for d in ds:
            counts[d.severity] += 1
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning"), f"{counts[Severity.INFO]} info"]
    return f"{', '.join(parts)} in {_plural(len(results), 'file')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command, escaped as the runner expects."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[d.severity]
    props = f"file={_prop(d.file)},line={d.line},col={d.column},title={_prop(d.code + ' ' + d.name)}"
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return f"::{level} {props}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
