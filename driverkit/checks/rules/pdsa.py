"""Rules on the PDSA cycles: changes under test without a cycle, tests without a prediction,
decisions that contradict the diagram, dates out of order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from driverkit.project.diagnostics import Severity
from driverkit.project.fields import ends_before, written_date
from driverkit.project.model import PdsaCycle
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context

E, W = Severity.ERROR, Severity.WARNING


@rule("DK601", "testing-without-cycle", W,
      "A change idea is being tested but no PDSA cycle tests it.",
      "Add the cycle under `pdsa:` with `change:` naming this change idea, or set its status to what it is.")
def testing_without_cycle(ctx: Context) -> Iterator[Finding]:
    """A change idea with `status: testing` is, by its status, being tried in small PDSA cycles.
    When the project keeps its PDSA log in the file (at least one cycle under `pdsa:`), each change
    under test should have a cycle there; one without is either not being tested yet (status
    idea) or its tests are going unrecorded. Projects that keep no PDSA log in the file are not
    asked for one."""
    if not ctx.project.pdsa:
        return
    tested = {cycle.change for cycle in ctx.project.pdsa}
    for change in ctx.project.all_changes():
        if change.status == "testing" and change.id not in tested:
            yield Finding(change.path + ("status",), f"change idea {change.id} is being tested but no PDSA cycle tests it")


@rule("DK602", "cycle-without-prediction", W,
      "A PDSA cycle has no prediction.",
      "Write under `prediction:` what the team expects to happen, before the test runs.")
def cycle_without_prediction(ctx: Context) -> Iterator[Finding]:
    """A test without a prediction teaches nothing: the learning of a PDSA cycle comes from
    comparing what happened with what the team expected, in the Study step. Writing the prediction
    down before the test also stops hindsight from rewriting it."""
    for cycle in ctx.project.pdsa:
        if not (cycle.prediction or "").strip():
            yield Finding(cycle.path + ("prediction",), f"PDSA cycle {cycle.id} has no prediction")


@rule("DK603", "decision-contradicts-status", W,
      "The last PDSA cycle of a change idea decides the opposite of its status.",
      "Update the change idea's `status:`, or add the cycle that led to it.")
def decision_contradicts_status(ctx: Context) -> Iterator[Finding]:
    """The decision of the last cycle of a change idea's ramp (in the order its `next:` links give)
    is where the team stands on it. A ramp that ends in `abandon` while the change idea is marked
    adopted, or in `adopt` while it is marked abandoned, means the diagram or the log is out of
    date. A ramp whose end is unknown (its `next:` links form a loop) is not judged."""
    from driverkit.documents.pdsa import ramps

    for group in ramps(ctx.project):
        last = group.last
        if group.change is None or last is None:
            continue
        decision, status = last.cycle.decision, group.change.status
        if (decision, status) in (("abandon", "adopted"), ("adopt", "abandoned")):
            yield Finding(last.cycle.path + ("decision",),
                          f"the last PDSA cycle of change idea {group.change_id}, {last.id}, decides {decision}, "
                          f"but the change idea is {status}")


@rule("DK604", "cycle-dates-out-of-order", E,
      "A PDSA cycle ends before it starts, or starts before the cycle before it ended.",
      "Check the `start:` and `end:` dates; a later cycle of a ramp starts once the one before it has ended.")
def cycle_dates_out_of_order(ctx: Context) -> Iterator[Finding]:
    """A cycle cannot end before it starts, and the next cycle of a ramp (the one its `next:`
    names) builds on what the one before it taught, so it cannot start before that one ended. Dates
    are periods: a cycle from 2026-03 to 2026-03-10 is in order, and a next cycle may start on the
    day the one before it ended. Placeholders such as TBC are not compared."""
    cycles = ctx.graph.others
    for cycle in ctx.project.pdsa:
        if ends_before(cycle.end, cycle.start):
            yield Finding(cycle.path + ("end",), f"PDSA cycle {cycle.id} ends ({written_date(cycle.end)}) "  # type: ignore[arg-type]
                                                 f"before it starts ({written_date(cycle.start)})")  # type: ignore[arg-type]
        node = cycles.get(cycle.next) if cycle.next else None
        following = node.element if node is not None else None
        if isinstance(following, PdsaCycle) and following is not cycle and ends_before(following.start, cycle.end):
            yield Finding(following.path + ("start",),
                          f"PDSA cycle {following.id} starts ({written_date(following.start)}) before the cycle "  # type: ignore[arg-type]
                          f"before it, {cycle.id}, ends ({written_date(cycle.end)})")  # type: ignore[arg-type]



@rule("DK605", "pdsa-ramp-broken", W,
      "A PDSA cycle's `next:` does not continue its ramp.",
      "Point `next:` at the following cycle that tests the same change idea, once; a ramp never loops.")
def pdsa_ramp_broken(ctx: Context) -> Iterator[Finding]:
    """A ramp is a chain of cycles of one change idea, each `next:` naming the one that builds on
    it. A `next:` that names the cycle itself, that leads back round to an earlier cycle, that
    names a cycle testing another change idea, or that two cycles both name, breaks the chain."""
    by_id = {cycle.id: cycle for cycle in ctx.project.pdsa}
    named: dict[str, str] = {}
    for cycle in ctx.project.pdsa:
        if not cycle.next or cycle.next not in by_id:
            continue  # a dangling id is reported by DK101
        following = by_id[cycle.next]
        where = cycle.path + ("next",)
        if following is cycle:
            yield Finding(where, f"PDSA cycle {cycle.id} names itself as its next cycle")
            continue
        if following.change != cycle.change:
            yield Finding(where, f"PDSA cycle {cycle.id} tests {cycle.change}, but its next cycle {following.id} tests {following.change}")
        if cycle.next in named:
            yield Finding(where, f"PDSA cycles {named[cycle.next]} and {cycle.id} both name {cycle.next} as their next cycle")
        named.setdefault(cycle.next, str(cycle.id))
        seen, step = {cycle.id}, following
        while step.next in by_id and step.id not in seen:
            seen.add(step.id)
            step = by_id[step.next]
        if step.id == cycle.id:
            yield Finding(where, f"the ramp from PDSA cycle {cycle.id} loops back to it")


@rule("DK606", "introduced-while-an-idea", W,
      "A change idea has a date of introduction but is still an idea.",
      "Set its status to what it is (testing or adopted), or leave `introduced:` out until the change is in routine practice.")
def introduced_while_an_idea(ctx: Context) -> Iterator[Finding]:
    """`introduced:` says when a change became part of routine practice, and the charts mark it
    there. A change idea with that date and `status: idea` has, by its status, not even been
    tested: one of the two is out of date, and the chart would mark a change that was never made."""
    for change in ctx.project.all_changes():
        if change.introduced is not None and change.status == "idea":
            yield Finding(change.path + ("introduced",),
                          f"change idea {change.id} was introduced ({written_date(change.introduced)}) but its status is idea")  # type: ignore[arg-type]
