"""The rule registry: every diagnostic driverkit can report has a rule here.

A rule has a stable code (`DK101`), a kebab-case name, a severity, a one-line summary, a hint and
a longer explanation (its docstring). Rules in the DK0xx range are raised while the file is read
and validated; the others look at the validated project and its graph (see `driverkit.checks.checker`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, NamedTuple

from driverkit.project.diagnostics import Diagnostic, Severity

class Finding(NamedTuple):
    """What a rule check yields: where (a path into the YAML document) and what."""

    path: tuple[str | int, ...]
    message: str
    at: str = "value"  # "value": point at the value; "key": point at the key naming it
    position: tuple[int, int] | None = None  # an exact line and column, when the path is not precise enough
    file: str | None = None  # another file than the project file (a CSV of data)
    hint: str | None = None  # a hint for this finding, in place of the rule's own
    # Held back in a draft project? None: as the rule says (Rule.quiet_in_draft). A rule that
    # counts ("fewer than 2 or more than 5") holds back only its "too few" findings.
    quiet_in_draft: bool | None = None


# A check is called with a `driverkit.checks.checker.Context`.
CheckFunction = Callable[[Any], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    hint: str
    explanation: str
    check: CheckFunction | None = field(default=None, compare=False)
    # A rule about what an early draft does not have yet (change ideas, measures, a baseline, a
    # date): quiet in a project with `draft: true`. Never an error: errors are never held back.
    quiet_in_draft: bool = False

    def __post_init__(self) -> None:
        if self.quiet_in_draft and self.severity == Severity.ERROR:
            raise ValueError(f"rule {self.code} is an error and cannot be quiet in a draft")

    @property
    def can_disable(self) -> bool:
        """Problems found while reading the file cannot be switched off: the file has no meaning."""
        return not self.code.startswith("DK0")

    def diagnostic(self, message: str, file: str, line: int, column: int, hint: str | None = None,
                   element: str = "", path: str = "") -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=one_line(message),
            file=one_line(file),
            line=line,
            column=column,
            hint=self.hint if hint is None else hint,
            element=one_line(element),
            path=one_line(path),
        )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text safe to print on one output line: control characters and line breaks shown escaped,
    so that text quoted from a file can never start a diagnostic line of its own."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


RULES: dict[str, Rule] = {}
BY_NAME: dict[str, Rule] = {}


def define(code: str, name: str, severity: Severity, summary: str, hint: str, explanation: str = "") -> Rule:
    """Register a rule raised by the loader (it has no check function)."""
    return register(Rule(code, name, severity, summary, hint, textwrap.dedent(explanation).strip()))


def attach(code: str, check: CheckFunction) -> Rule:
    """Give a rule defined with `define` a check function as well (a rule the loader raises for one
    kind of reference and a check raises for another)."""
    rule = RULES[code]
    if rule.check is not None:
        raise ValueError(f"rule {code} has a check already")
    RULES[code] = BY_NAME[rule.name] = attached = Rule(rule.code, rule.name, rule.severity, rule.summary, rule.hint,
                                                       rule.explanation, check, rule.quiet_in_draft)
    return attached


def register(new: Rule) -> Rule:
    if new.code in RULES or new.name in BY_NAME:
        raise ValueError(f"rule {new.code} {new.name} is defined twice")
    RULES[new.code] = new
    BY_NAME[new.name] = new
    return new
