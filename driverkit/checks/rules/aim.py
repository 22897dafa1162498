"""Rules on the aim statement: how much, by when, for whom, from where; and its arithmetic."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Iterator, NamedTuple, Optional

from driverkit.project import aimtext
from driverkit.project.diagnostics import Severity
from driverkit.project.fields import Placeholder, ends_before, written_date
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context
    from driverkit.project.model import Aim

E, W = Severity.ERROR, Severity.WARNING
PERCENT_TOLERANCE = 1.0  # percentage points between a stated relative change and the arithmetic


def _statement_path(aim: Aim) -> tuple[str, ...]:
    return ("aim", "statement") if aim.statement else ("aim",)


def _at(aim: Aim) -> str:
    return "value" if aim.statement else "key"


@rule("DK301", "aim-without-number", W,
      "The aim does not say how much will improve.",
      "Give a target with `to:` (or `reduce_by:` / `increase_by:`), or put the number in the statement.",
      quiet_in_draft=True)
def aim_without_number(ctx: Context) -> Iterator[Finding]:
    """"How much?" is the first question the Model for Improvement asks of an aim. Without a
    number nobody can tell whether the project succeeded. A free-text statement passes when it
    holds a number other than a date."""
    aim = ctx.project.aim
    if aim.to is not None or aim.reduce_by or aim.increase_by:
        return
    if aim.statement and aimtext.has_number(aim.statement):
        return
    yield Finding(_statement_path(aim), "the aim has no number: how much will it improve?", at=_at(aim))


@rule("DK302", "aim-without-date", W,
      "The aim does not say by when.",
      "Add `by:` with the date the target should be reached, or put the date in the statement.",
      quiet_in_draft=True)
def aim_without_date(ctx: Context) -> Iterator[Finding]:
    """An aim without a date is a wish. A free-text statement passes when it names a year, a month
    and year, a date, or a span such as "within 12 months"."""
    aim = ctx.project.aim
    if aim.by is not None:
        return  # a placeholder is reported by placeholder-date
    if aim.statement and aimtext.has_date(aim.statement):
        return
    yield Finding(_statement_path(aim), "the aim has no date: by when will it improve?", at=_at(aim))


@rule("DK303", "aim-without-population", W,
      "The aim does not say for whom.",
      "Add `for:` with the population (e.g. 'women booking at Riverside maternity unit'), or name it in the statement.",
      quiet_in_draft=True)
def aim_without_population(ctx: Context) -> Iterator[Finding]:
    """An aim names the people whose care will improve, so that the measures count the right
    cases. A structured aim says it with `for:`; a free-text statement (or the `improve:` text)
    passes when it names a group of people ("for patients ...", "women booking ...", "across all
    residents ..."). A place alone ("on ward 7") is not a population."""
    aim = ctx.project.aim
    if aim.for_:
        return
    if any(aimtext.has_population(text) for text in (aim.statement, aim.improve) if text):
        return
    yield Finding(_statement_path(aim), "the aim does not say for whom: which population will benefit?", at=_at(aim))


@rule("DK304", "aim-without-baseline", W,
      "The aim has no baseline.",
      "Add `from:` with today's value (and `baseline_date:`), or say \"from <today's value>\" in the statement.",
      quiet_in_draft=True)
def aim_without_baseline(ctx: Context) -> Iterator[Finding]:
    """A target means little without the starting point: 3.3 per 1,000 is ambitious from 4.1 and
    no change at all from 3.3. A free-text statement passes when it says "from <number>" or names
    a baseline."""
    aim = ctx.project.aim
    if aim.from_ is not None:
        return
    if aim.statement and aimtext.has_baseline(aim.statement):
        return
    yield Finding(_statement_path(aim), "the aim has no baseline: where does the measure stand today?", at=_at(aim))


@rule("DK305", "placeholder-date", W,
      "A date is still a placeholder.",
      "Replace the placeholder with a real date (YYYY-MM-DD, YYYY-MM or YYYY).",
      quiet_in_draft=True)
def placeholder_date(ctx: Context) -> Iterator[Finding]:
    """Dates such as "TBC", "[insert date]" or "dd/mm/yyyy" are kept so the file loads, and reported
    here: an aim whose date is to be confirmed has no date yet."""
    for path, value in _dates(ctx):
        if isinstance(value, Placeholder):
            yield Finding(path, f"`{value}` is a placeholder, not a date")


@rule("DK306", "relative-change-mismatch", E,
      "The stated relative change disagrees with the baseline and the target.",
      "Correct the percentage or the numbers; they are often copied from different drafts.")
def relative_change_mismatch(ctx: Context) -> Iterator[Finding]:
    """With a baseline of 4.1 and a target of 3.3 the reduction is 19.5%: "20%" passes (within one
    percentage point), "30%" does not. A reduction whose target is above the baseline (or an increase
    below it) is reported too. The same arithmetic is applied to a free-text statement that says
    "from X to Y" and gives a percentage, and a statement whose "from X to Y" differs from the
    `from:` and `to:` fields beside it is reported."""
    aim = ctx.project.aim
    if aim.reduce_by and aim.increase_by:
        yield Finding(("aim", "increase_by"), "the aim gives both `reduce_by` and `increase_by`; keep one", at="key")
        return
    if aim.from_ is not None and aim.to is not None:
        stated = aim.reduce_by if aim.reduce_by else aim.increase_by
        key = "reduce_by" if aim.reduce_by else "increase_by"
        if stated:
            problem = _compare(aim.from_, aim.to, stated, reduce=bool(aim.reduce_by))
            if problem:
                yield Finding(("aim", key), problem)
    if aim.statement:
        problem = _statement_arithmetic(aim.statement)
        if problem:
            yield Finding(("aim", "statement"), problem)
        numbers = aimtext.baseline_and_target(aim.statement)
        if numbers and aim.from_ is not None and aim.to is not None and numbers != (aim.from_, aim.to):
            yield Finding(("aim", "statement"),
                          f"the statement says from {numbers[0]:g} to {numbers[1]:g}, but `from:` and `to:` say {aim.from_:g} to {aim.to:g}")


@rule("DK307", "dates-out-of-order", E,
      "A date comes before the date it should follow.",
      "Check the years: the target date follows the baseline date, the project end follows its start.")
def dates_out_of_order(ctx: Context) -> Iterator[Finding]:
    """The aim's target date (`by`) must come after its baseline date, a project's end after its
    start, and a wave's end after its start."""
    aim = ctx.project.aim
    if ends_before(aim.by, aim.baseline_date, allow_same=False):
        yield Finding(("aim", "by"), f"the target date {written_date(aim.by)} is not after the baseline date {written_date(aim.baseline_date)}")  # type: ignore[arg-type]
    dates = ctx.project.dates
    if dates and ends_before(dates.end, dates.start):
        yield Finding(("dates", "end"), f"the project ends ({written_date(dates.end)}) before it starts ({written_date(dates.start)})")  # type: ignore[arg-type]
    spread = ctx.project.spread
    for index, wave in enumerate(spread.waves if spread else []):
        if ends_before(wave.end, wave.start):
            yield Finding(("spread", "waves", index, "end"), f"wave {wave.number} ends ({written_date(wave.end)}) before it starts ({written_date(wave.start)})")  # type: ignore[arg-type]


@rule("DK308", "aim-names-a-solution", W,
      "The aim names a solution instead of an improvement.",
      "State the result for patients (a rate, a time, an experience); put the solution among the change ideas.")
def aim_names_a_solution(ctx: Context) -> Iterator[Finding]:
    """"Implement an electronic early-warning system" is a change idea, not an aim: it can succeed
    while patients see no benefit. An aim says what will be better, for whom, by how much."""
    aim = ctx.project.aim
    for key, text in (("statement", aim.statement), ("improve", aim.improve)):
        word = aimtext.names_solution(text) if text else None
        if word:
            yield Finding(("aim", key), f"the aim names a solution (\"{word}\"): aims state results, change ideas state solutions")
            return


@rule("DK309", "aim-direction-conflict", W,
      "The aim points two ways: its words, its numbers, its reduce_by / increase_by or its outcome measure's `better:` disagree.",
      "Make the aim say one direction: check the verb of the statement, the baseline and target, `reduce_by:` / `increase_by:`, and `better:` on the outcome measure.")
def aim_direction_conflict(ctx: Context) -> Iterator[Finding]:
    """An aim says which way its measure should move in up to four places: the verb its statement
    leads with ("Reduce", "Increase"), its baseline and target ("from 5% to 50%", in the statement
    or in `from:` and `to:`), `reduce_by:` or `increase_by:`, and `better:` on its outcome measure.
    When they disagree, one of them was written the wrong way round: "Reduce ... from 5% to 50%",
    a `reduce_by:` beside a statement that says "Increase", or an aim from 4.1 to 5.0 on an outcome
    measure where lower is better (an aim with several outcome measures is reported only when it
    moves none of them the better way). Only the leading verb is read ("Improve" says no direction),
    and a baseline and target that disagree with the percentage beside them are left to DK306."""
    aim = ctx.project.aim
    said = _said_directions(aim)
    lower = [s for s in said if s.going == "lower"]
    higher = [s for s in said if s.going == "higher"]
    covered = _left_to_306(aim)
    if any(frozenset((a.key, b.key)) not in covered for a in lower for b in higher):
        # Point at the side that stands alone (usually the slip); on a tie, at the statement.
        odd = lower if len(lower) < len(higher) else higher if len(higher) < len(lower) else said
        yield Finding(odd[0].path, f"the aim points two ways: lower by {_list(lower)}, higher by {_list(higher)}")
        return
    if not said:
        return
    movement = _movement(aim) or said[0].what  # a statement may say its direction in its verb alone
    going = said[0].going
    g = ctx.graph
    outcomes = []  # (index, id, better) of the aim's outcome measures that say which way is better
    for index, measure_id in enumerate(aim.measures):
        node = g.by_id.get(measure_id)
        measure = node.element if node is not None and node.kind == "measure" else None
        better = getattr(measure, "better", None)
        if getattr(measure, "family", None) == "outcome" and better:
            outcomes.append((index, measure_id, better))
    if any(better == going for _, _, better in outcomes):
        return  # the aim moves one of its outcomes the right way (a second outcome, such as mortality, may go down)
    for index, measure_id, better in outcomes:
        yield Finding(("aim", "measures", index),
                      f"the aim takes {measure_id} {going} ({movement}) but {measure_id} says {better} is better")


class Said(NamedTuple):
    """A place of the aim that says which way it goes."""

    key: str  # verb, numbers (of the statement), fields (from: and to:), percent (reduce_by: or increase_by:)
    what: str
    going: str  # lower or higher
    path: tuple[str, ...]


def _said_directions(aim: Aim) -> list[Said]:
    said: list[Said] = []
    statement = ("aim", "statement")
    if aim.statement:
        verb = aimtext.stated_direction(aim.statement)
        if verb:
            said.append(Said("verb", f"the statement's \"{verb[1]}\"", verb[0], statement))
    numbers = aimtext.baseline_and_target(aim.statement) if aim.statement else None
    if numbers is not None and numbers[0] != numbers[1]:
        said.append(Said("numbers", f"the statement's numbers (from {numbers[0]:g} to {numbers[1]:g})", _going(*numbers), statement))
    elif aim.from_ is not None and aim.to is not None and aim.from_ != aim.to:
        said.append(Said("fields", f"`from:` and `to:` ({aim.from_:g} to {aim.to:g})", _going(aim.from_, aim.to), ("aim", "to")))
    if aim.reduce_by and not aim.increase_by:
        said.append(Said("percent", f"`reduce_by: {aim.reduce_by:g}%`", "lower", ("aim", "reduce_by")))
    elif aim.increase_by and not aim.reduce_by:
        said.append(Said("percent", f"`increase_by: {aim.increase_by:g}%`", "higher", ("aim", "increase_by")))
    return said


def _left_to_306(aim: Aim) -> set[frozenset[str]]:
    """The disagreements DK306 reports already: a percentage against the baseline and target
    written beside it, in the fields or in the statement (whose percentage phrase often carries
    its verb: "reduce ... by 20%")."""
    covered = {frozenset(("fields", "percent"))}
    if aim.statement and _statement_arithmetic(aim.statement):
        covered.add(frozenset(("verb", "numbers")))
    return covered


def _going(start: float, end: float) -> str:
    return "higher" if end > start else "lower"


def _movement(aim: Aim) -> Optional[str]:
    """How the aim moves, in words, for the message about the outcome measure."""
    numbers = (aim.from_, aim.to) if aim.from_ is not None and aim.to is not None else None
    if numbers is None and aim.statement:
        numbers = aimtext.baseline_and_target(aim.statement)
    if numbers is not None and numbers[0] != numbers[1]:
        return f"from {numbers[0]:g} to {numbers[1]:g}"
    if aim.reduce_by or aim.increase_by:
        return f"by {aim.reduce_by or aim.increase_by:g}%"
    return None


def _list(said: list[Said]) -> str:
    names = [s.what for s in said]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _dates(ctx: Context) -> Iterator[tuple[tuple[str, ...], object]]:
    aim = ctx.project.aim
    yield ("aim", "by"), aim.by
    yield ("aim", "baseline_date"), aim.baseline_date
    if ctx.project.dates:
        yield ("dates", "start"), ctx.project.dates.start
        yield ("dates", "end"), ctx.project.dates.end
    for measure in ctx.project.measures:
        yield measure.path + ("baseline_date",), measure.baseline_date
    for change in ctx.project.all_changes():
        yield change.path + ("introduced",), change.introduced
    for cycle in ctx.project.pdsa:
        yield cycle.path + ("start",), cycle.start
        yield cycle.path + ("end",), cycle.end
    for index, wave in enumerate(ctx.project.spread.waves if ctx.project.spread else []):
        yield ("spread", "waves", index, "start"), wave.start
        yield ("spread", "waves", index, "end"), wave.end


def _compare(baseline: float, target: float, stated: float, reduce: bool, said: str = "") -> Optional[str]:
    """What is wrong with "a `stated`% reduction (or increase) from `baseline` to `target`", if anything."""
    word = "reduction" if reduce else "increase"
    claim = f"{said}a {stated:g}% {word}"
    if reduce and target > baseline:
        return f"{claim}, but the target {target:g} is above the baseline {baseline:g}"
    if not reduce and target < baseline:
        return f"{claim}, but the target {target:g} is below the baseline {baseline:g}"
    if baseline == 0:
        return None  # any change from zero is infinitely many per cent
    actual = abs(aimtext.relative_change(baseline, target))
    if not math.isfinite(actual) or abs(actual - stated) <= PERCENT_TOLERANCE:
        return None
    message = f"{claim}, but {baseline:g} to {target:g} is a {actual:.1f}% {word}"
    if math.isclose(abs(baseline - target), stated, rel_tol=1e-6):
        message += f" (a change of {stated:g} percentage points is not a {stated:g}% {word})"
    return message


_PERCENT = re.compile(
    r"(\d+(?:\.\d+)?)\s*%\s*(reduction|decrease|fall|drop|cut|increase|rise|improvement)"
    r"|\b(reduc\w*|decreas\w*|cut\w*|lower\w*|increas\w*|rais\w*)\b(?:[^%;.]|\.(?=\d)){0,120}?\bby\s+(\d+(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)


def _statement_arithmetic(statement: str) -> Optional[str]:
    numbers = aimtext.baseline_and_target(statement)
    percent = _PERCENT.search(statement)
    if not numbers or not percent:
        return None
    baseline, target = numbers
    if percent.group(1):
        stated, word = float(percent.group(1)), percent.group(2).lower()
    else:
        stated, word = float(percent.group(4)), percent.group(3).lower()
    reduce = not word.startswith(("increase", "rise", "rais", "improvement"))
    if word.startswith("improvement"):
        reduce = target < baseline
    return _compare(baseline, target, stated, reduce, said="the statement says ")
