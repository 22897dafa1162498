"""Writing for people and for machines: diagnostics as text, parsable, json, json-v1, github and
sarif, and the one path every command prints through (`emit`), which makes text from a file safe
for a terminal."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Optional, TextIO

from driverkit.project.diagnostics import BIDI, Diagnostic, Severity, printable

FORMATS = ("text", "parsable", "json", "json-v1", "github", "sarif")

# The envelope of `--format json-v1`: its name and version. A change that could break a reader
# (a field removed or changing meaning) makes a new version, under a new format name.
ENVELOPE_FORMAT = "driverkit-diagnostics"
ENVELOPE_VERSION = 1

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"

_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff]")  # json.dumps escapes the C0 ones


def json_text(data: Any) -> str:
    """`data` as indented JSON, non-ASCII text written as itself except the characters `printable`
    escapes, which are written as \\u escapes (still the same JSON)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def emit(text: str = "", stream: Optional[TextIO] = None, end: str = "\n", safe: bool = False, lines: bool = True) -> None:
    """Write a message on standard output (or `stream`): every command prints through here.

    The text is passed through `printable` (with `lines`) unless `safe` says it was made safe piece
    by piece (coloured diagnostics). A stream that cannot encode a character gets it as an escape.
    """
    stream = stream or sys.stdout
    out = (text if safe else printable(text, lines)) + end
    try:
        stream.write(out)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(out.encode(encoding, "backslashreplace").decode(encoding))


GROUP_OVER = 3  # a rule that fires more often than this in one file is shown as one line in the text format
LISTED_IDS = 8  # the ids named on a grouped line; the rest are counted


def format_diagnostics(results: dict[str, list[Diagnostic]], fmt: str, colour: bool = False, group: bool = True,
                       root: Optional[Path] = None, version: Optional[str] = None) -> str:
    """All the diagnostics of the files checked, in one of FORMATS. `results` maps file to
    diagnostics. Text from the files (names, quoted values) is escaped as `printable` does, so the
    result is safe to print whatever the files hold. In the text format (with `group`) a rule
    that fires more than GROUP_OVER times in one file is one line; the other formats list each.
    `root` is the repository root that SARIF names files from; `version` the driverkit version
    that json-v1 and SARIF name (by default, the installed one)."""
    if fmt == "parsable":
        return "".join(f"{d}\n" for ds in results.values() for d in ds)
    if fmt == "json":
        return json_text([d.to_dict() for ds in results.values() for d in ds])
    if fmt == "json-v1":
        return json_text(envelope(results, version))
    if fmt == "sarif":
        from driverkit.checks.sarif import sarif_log

        return json_text(sarif_log(results, version or installed_version(), root))
    if fmt == "github":
        return "".join(_github(d) + "\n" for ds in results.values() for d in ds)
    return _text(results, colour, group)


def counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    """{"errors": n, "warnings": n, "notes": n}: notes are the info diagnostics."""
    found = {s: 0 for s in Severity}
    for d in diagnostics:
        found[d.severity] += 1
    return {"errors": found[Severity.ERROR], "warnings": found[Severity.WARNING], "notes": found[Severity.INFO]}


def installed_version() -> str:
    """The version of driverkit installed (this layer cannot import the package's own __version__)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("driverkit")
    except PackageNotFoundError:
        return "unknown"


def envelope(results: dict[str, list[Diagnostic]], version: Optional[str] = None) -> dict[str, Any]:
    """The versioned JSON document of `--format json-v1` (its fields are listed in the README)."""
    everything = [d for ds in results.values() for d in ds]
    return {
        "format": ENVELOPE_FORMAT,
        "version": ENVELOPE_VERSION,
        "driverkit": version or installed_version(),
        "summary": {**counts(everything), "files": len(results)},
        "files": [{"file": file, **counts(ds)} for file, ds in results.items()],
        "diagnostics": [{**d.to_dict(), "path": d.path, "element": d.element, "checked": file}
                        for file, ds in results.items() for d in ds],
    }


def _text(results: dict[str, list[Diagnostic]], colour: bool, group: bool = True) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    def hint(text: str) -> None:
        lines.append(f"  {'':<8} {'':<7} {paint('hint: ' + printable(text, lines=False), _DIM)}")

    lines: list[str] = []
    grouped, group_lines = 0, 0
    for file, diagnostics in results.items():
        # Under the file checked, then under each file it reads (a data CSV), each named as its header.
        by_file: dict[str, list[Diagnostic]] = {file: []}
        for d in diagnostics:
            by_file.setdefault(d.file or file, []).append(d)
        for name, found in by_file.items():
            if not found:
                continue
            lines.append(paint(printable(name, lines=False), _BOLD))
            by_code: dict[str, list[Diagnostic]] = {}
            for d in found:
                by_code.setdefault(d.code, []).append(d)
            for d in found:
                severity = paint(f"{d.severity.value:<7}", _COLOURS[d.severity])
                code, rule = printable(d.code, lines=False), paint(printable(f"[{d.name}]", lines=False), _DIM)
                same = by_code[d.code]
                if group and len(same) > GROUP_OVER:
                    if d is not same[0]:
                        continue  # shown on the line of the first
                    grouped, group_lines = grouped + len(same), group_lines + 1
                    # file:line:column of the first, so that an editor still jumps to it
                    place = printable(f"{d.file or name}:{d.line}:{d.column}" if d.placed_in_file else d.place, lines=False)
                    lines.append(f"  {place} {severity} {code}  {_group_message(same)}  {rule}")
                    hints = {x.hint for x in same}
                    if len(hints) == 1 and d.hint:
                        hint(d.hint)
                    continue
                place = f"{d.line}:{d.column}" if d.placed_in_file else printable(d.place.partition(":")[2], lines=False)
                lines.append(f"  {place:<8} {severity} {code}  {printable(d.message, lines=False)}  {rule}")
                if d.hint:
                    hint(d.hint)
            lines.append("")
    lines.append(summary(results) + (f" ({grouped} of them on {_plural(group_lines, 'grouped line')}; --all lists each)"
                                     if grouped else ""))
    return "\n".join(lines) + "\n"


def _group_message(same: list[Diagnostic]) -> str:
    """"A driver has no change ideas: 21 times, for P1, P2, ... and 13 more", escaped."""
    from driverkit.checks.rules import find_rule

    rule = find_rule(same[0].code)
    what = rule.summary.rstrip(".") if rule is not None else same[0].message
    ids = list(dict.fromkeys(d.element for d in same if d.element))
    listed = ", ".join(ids[:LISTED_IDS]) + (f" and {len(ids) - LISTED_IDS} more" if len(ids) > LISTED_IDS else "")
    return printable(f"{what}: {len(same)} times" + (f", for {listed}" if listed else ""), lines=False)


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
    props = f"file={_prop(d.file)},line={d.line},col={d.column}," if d.placed_in_file else ""
    props += f"title={_prop(d.code + ' ' + d.name)}"
    message = ("" if d.placed_in_file else d.place + ": ") + d.message + (f" (hint: {d.hint})" if d.hint else "")
    return f"::{level} {props}::{_data(message)}"


def _data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"), lines=False)


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
