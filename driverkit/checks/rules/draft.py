"""A draft project (`draft: true`): the rules about what an early draft does not have yet are held
back, and this rule says how many findings were, so that nothing is hidden silently."""

from __future__ import annotations

from driverkit.project.codes import define
from driverkit.project.diagnostics import Severity

HELD_BACK = define(
    "DK402", "draft-findings-held-back", Severity.INFO,
    "The project is a draft: findings about what a draft does not have yet are held back.",
    "Remove `draft: true` once the project is past its first draft, or run `driverkit check --all` to see them now.",
    """
    With `draft: true` at the top of a project, the rules about what an early draft does not have
    yet stay quiet: drivers without change ideas (DK202), too few primary drivers (DK203), no
    outcome or balancing measure (DK204, DK205), measures without a full definition (DK214, DK215),
    too few measures (DK216), an aim without a number, a date, a population or a baseline (DK301
    to DK304), placeholder dates (DK305) and drivers without a process measure (DK401). Errors
    are never held back. This note, at the `draft:` key, counts what was held back, by rule.
    """,
)
