"""The diagnostic: one problem found in a project file, at a file:line:column."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any, Iterable


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

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON-ready dict."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def __str__(self) -> str:
        """`file:line:column: severity CODE message` on one line, safe to print on a terminal."""
        from driverkit.report import printable

        return printable(f"{self.file}:{self.line}:{self.column}: {self.severity.value} {self.code} {self.message}", lines=False)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file order, duplicates removed."""
    unique = {(d.sort_key(), d.name, d.severity): d for d in diagnostics}
    return sorted(unique.values(), key=Diagnostic.sort_key)


class ProjectError(Exception):
    """A project file that could not be loaded; `diagnostics` says every reason, with its place."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sort_diagnostics(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = str(first) if first else "the project could not be loaded"
        more = len(self.diagnostics) - 1
        if more > 0:
            summary += f" (and {more} more)"
        super().__init__(summary)
