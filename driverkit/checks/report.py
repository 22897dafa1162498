"""Writing for people and for machines: diagnostics as text, parsable, json and github, and the one
path every command prints through (`emit`), which makes text from a file safe for a terminal."""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Optional, TextIO

from driverkit.project.diagnostics import BIDI, Diagnostic, Severity, printable

FORMATS = ("text", "parsable", "json", "github")

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


def format_diagnostics(results: dict[str, list[Diagnostic]], fmt: str, colour: bool = False) -> str:
    """All the diagnostics of the files checked, in one of FORMATS. `results` maps file to
    diagnostics. Text from the files (names, quoted values) is escaped as `printable` does, so the
    result is safe to print whatever the files hold."""
    if fmt == "parsable":
        return "".join(f"{d}\n" for ds in results.values() for d in ds)
    if fmt == "json":
        return json_text([d.to_dict() for ds in results.values() for d in ds])
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
            lines.append(paint(printable(name, lines=False), _BOLD))
            for d in found:
                place = f"{d.line}:{d.column}"
                severity = paint(f"{d.severity.value:<7}", _COLOURS[d.severity])
                message, rule = printable(d.message, lines=False), printable(f"[{d.name}]", lines=False)
                lines.append(f"  {place:<8} {severity} {printable(d.code, lines=False)}  {message}  {paint(rule, _DIM)}")
                if d.hint:
                    lines.append(f"  {'':<8} {'':<7} {paint('hint: ' + printable(d.hint, lines=False), _DIM)}")
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
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"), lines=False)


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
