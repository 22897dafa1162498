"""Rules on the spread plan: its waves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from driverkit.project.diagnostics import Severity
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context


@rule("DK701", "wave-problem", Severity.WARNING,
      "Two waves share a number, or a site joins a wave that is not listed.",
      "Number the waves 1, 2, 3 once each under `waves:`, and give each site one of those numbers.")
def wave_problem(ctx: Context) -> Iterator[Finding]:
    """The spread matrix groups sites by wave. Two waves with one number would count the same
    sites twice, and a site in a wave that `waves:` does not list has no dates to spread by."""
    spread = ctx.project.spread
    if spread is None:
        return
    numbers: set[int] = set()
    for index, wave in enumerate(spread.waves):
        if wave.number in numbers:
            yield Finding(("spread", "waves", index, "number"), f"wave {wave.number} is listed twice")
        numbers.add(wave.number)
    if not numbers:
        return
    for index, site in enumerate(spread.sites):
        if site.wave is not None and site.wave not in numbers:
            yield Finding(("spread", "sites", index, "wave"), f"{site.name} joins wave {site.wave}, which `waves:` does not list")
