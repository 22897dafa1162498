"""The diagnostic: one problem found in a project file, at a file:line:column."""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable


# What a terminal would act on rather than show: C0 and C1 controls (ESC among them), DEL, the
# bidirectional controls that reorder a line, line and paragraph separators, and lone surrogates
# (bytes of a file name that are not UTF-8), which no terminal can be sent.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff]")
_UNSAFE_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def printable(text: str, lines: bool = True) -> str:
    """`text` made safe to show on a terminal: every character that would move the cursor, change
    colours, retitle the window or reorder the line is shown as an escape instead (`\\x1b`,
    `\\u202e`). Line breaks and tabs are kept, unless `lines` is false (then `\\n` is shown)."""
    return (_UNSAFE_IN_LINES if lines else _UNSAFE).sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


class Severity(str, enum.Enum):
    """How serious a diagnostic is. Errors fail `driverkit check`; warnings fail it with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=False)
class Diagnostic:
    """A problem at a place in a file, with a stable rule code and a hint on how to fix it.

    `line` and `column` count from 1, columns in characters (not bytes).
    """

    code: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    hint: str = ""
    # The id of the element the problem is about, when there is one: text output lists the
    # elements of a rule that fires many times. Not part of the machine formats.
    element: str = field(default="", compare=False)
    # Where in the document the problem is, as `drivers[0].changes[1]`: what places a problem of a
    # project built in code, which has no file (then `line` and `column` are 0).
    path: str = field(default="", compare=False)

    @property
    def placed_in_file(self) -> bool:
        """True when `line` and `column` point into a file; false for a project built in code."""
        return self.line > 0

    @property
    def place(self) -> str:
        """`file:line:column`, or for a project built in code `<project>:drivers[0].changes[1] (C1.2)`."""
        if self.placed_in_file:
            return f"{self.file}:{self.line}:{self.column}"
        where = f"{self.file}:{self.path or '(top level)'}"
        return where + (f" ({self.element})" if self.element else "")

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        # The path orders (and tells apart) the problems of a project built in code, all at line 0.
        return (self.file, self.line, self.column, "" if self.placed_in_file else self.path, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON-ready dict: code, name, severity, message, file, line, column, hint; and
        for a project built in code (line and column 0) the `path` and `element` that place it."""
        data = asdict(self)
        if self.placed_in_file:
            del data["element"], data["path"]
        data["severity"] = self.severity.value
        return data

    def __str__(self) -> str:
        """`file:line:column: severity CODE message` on one line, safe to print on a terminal
        (`<project>:drivers[0] (P1): ...` for a project built in code)."""
        return printable(f"{self.place}: {self.severity.value} {self.code} {self.message}", lines=False)


def path_text(path: Iterable[str | int]) -> str:
    """A path into the document as it reads: ("drivers", 0, "changes", 1) -> "drivers[0].changes[1]"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# A project built in code (not read from a file) is named so in its diagnostics.
IN_CODE = "<project>"


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file order, duplicates removed."""
    unique = {(d.sort_key(), d.name, d.severity): d for d in diagnostics}
    return sorted(unique.values(), key=Diagnostic.sort_key)


class DriverkitError(Exception):
    """The base of every error driverkit raises on purpose (a file it cannot load, a view it cannot
    draw, a render that fails, a file it refuses to read, an import it cannot make). `code` is the
    rule code (DK...) that applies, or "" when none does. Anything else that escapes driverkit is
    a bug."""

    code: str = ""


class OptionError(DriverkitError, ValueError):
    """An argument a function was called with that names nothing driverkit has: a view or a format
    `render` does not know, a format that does not fit the view. A ValueError, as before."""


class ProjectError(DriverkitError, ValueError):
    """A project that could not be loaded or built; `diagnostics` says every reason, with its place.

    A ValueError too, as pydantic's ValidationError is: code that built a `Project(...)` in a
    `try: ... except ValueError` still catches a wrong value."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sort_diagnostics(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = str(first) if first else "the project could not be loaded"
        more = len(self.diagnostics) - 1
        if more > 0:
            summary += f" (and {more} more)"
        super().__init__(summary)

    @property
    def code(self) -> str:  # type: ignore[override]
        """The rule code of the first problem."""
        return self.diagnostics[0].code if self.diagnostics else ""
