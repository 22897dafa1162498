"""The rule registry: every diagnostic driverkit can report has a rule here.

A rule has a stable code (`DK101`), a kebab-case name, a severity, a one-line summary, a hint and
a longer explanation (its docstring). Rules in the DK0xx range are raised while the file is read
and validated; the others look at the validated project and its graph (see `driverkit.checker`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple

from driverkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from driverkit.checker import Context


class Finding(NamedTuple):
    """What a rule check yields: where (a path into the YAML document) and what."""

    path: tuple[str | int, ...]
    message: str
    at: str = "value"  # "value": point at the value; "key": point at the key naming it


CheckFunction = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    hint: str
    explanation: str
    check: CheckFunction | None = field(default=None, compare=False)

    @property
    def can_disable(self) -> bool:
        """Problems found while reading the file cannot be switched off: the file has no meaning."""
        return not self.code.startswith("DK0")

    def diagnostic(self, message: str, file: str, line: int, column: int, hint: str | None = None) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            file=file,
            line=line,
            column=column,
            hint=self.hint if hint is None else hint,
        )


RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def define(code: str, name: str, severity: Severity, summary: str, hint: str, explanation: str = "") -> Rule:
    """Register a rule raised by the loader (it has no check function)."""
    return _register(Rule(code, name, severity, summary, hint, textwrap.dedent(explanation).strip()))


def rule(code: str, name: str, severity: Severity, summary: str, hint: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function as a rule; its docstring is the rule's documentation."""

    def register(check: CheckFunction) -> CheckFunction:
        explanation = textwrap.dedent(check.__doc__ or "").strip()
        _register(Rule(code, name, severity, summary, hint, explanation, check))
        return check

    return register


def _register(new: Rule) -> Rule:
    if new.code in RULES or new.name in _BY_NAME:
        raise ValueError(f"rule {new.code} {new.name} is defined twice")
    RULES[new.code] = new
    _BY_NAME[new.name] = new
    return new


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by its code (`DK101`, any case) or its name (`dangling-reference`)."""
    _load_all()
    return RULES.get(code_or_name.upper()) or _BY_NAME.get(code_or_name.lower())


def all_rules() -> list[Rule]:
    """Every rule, in code order."""
    _load_all()
    return [RULES[code] for code in sorted(RULES)]


def iter_checks() -> Iterator[Rule]:
    """The rules that run on a validated project."""
    return (r for r in all_rules() if r.check is not None)


def _load_all() -> None:
    # Importing the modules registers their rules.
    from driverkit.rules import aim, loading, measures, structure, wording  # noqa: F401
