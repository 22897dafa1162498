"""The rules that look at a validated project and its graph, and access to every rule by code or
name. What a rule is, and the registry, live in `driverkit.project.codes` (the loader raises the
DK0xx rules while it reads a file); this package adds the check functions of the others.
"""

from __future__ import annotations

import textwrap
from typing import Callable, Iterator

from driverkit.project.codes import RULES, BY_NAME, CheckFunction, Finding, Rule, attach, define, one_line, register
from driverkit.project.diagnostics import Severity

__all__ = ["RULES", "CheckFunction", "Finding", "Rule", "all_rules", "checks", "define", "find_rule", "iter_checks", "one_line", "rule"]


def rule(code: str, name: str, severity: Severity, summary: str, hint: str,
         quiet_in_draft: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function as a rule; its docstring is the rule's documentation.
    `quiet_in_draft`: the rule is about what an early draft does not have yet, and is held back
    in a project with `draft: true`."""

    def add(check: CheckFunction) -> CheckFunction:
        explanation = textwrap.dedent(check.__doc__ or "").strip()
        register(Rule(code, name, severity, summary, hint, explanation, check, quiet_in_draft))
        return check

    return add


def checks(defined: Rule) -> Callable[[CheckFunction], CheckFunction]:
    """Give a rule defined elsewhere (by the loader, which raises it too) its check function."""

    def add(check: CheckFunction) -> CheckFunction:
        attach(defined.code, check)
        return check

    return add


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by its code (`DK101`, any case) or its name (`dangling-reference`)."""
    _load_all()
    return RULES.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


def all_rules() -> list[Rule]:
    """Every rule, in code order."""
    _load_all()
    return [RULES[code] for code in sorted(RULES)]


def iter_checks() -> Iterator[Rule]:
    """The rules that run on a validated project."""
    return (r for r in all_rules() if r.check is not None)


def _load_all() -> None:
    # Importing the modules registers their rules.
    from driverkit.checks.rules import aim, draft, links, logic_model, measures, pdsa, spread, structure, wording  # noqa: F401
    from driverkit.project import loading_codes  # noqa: F401
