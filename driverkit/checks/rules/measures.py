"""Rules on measures: the outcome measure of the aim, balancing measures, attachments, names."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Iterator

from driverkit.project.diagnostics import Severity
from driverkit.project.model import Measure
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context

W, I = Severity.WARNING, Severity.INFO


@rule("DK204", "aim-without-outcome-measure", W,
      "The aim has no outcome measure.",
      "Attach the measure that tells whether the aim is met: `measures: [M1]` under `aim:`, with M1 of family outcome.",
      quiet_in_draft=True)
def aim_without_outcome_measure(ctx: Context) -> Iterator[Finding]:
    """The outcome measure is how the team will know the aim is met. It is attached to the aim
    with `measures:` and has `family: outcome`."""
    aim_measures = ctx.graph.measures_of(_aim_key())
    if any(m.family == "outcome" for m in aim_measures):
        return
    if aim_measures:
        families = ", ".join(sorted({m.family for m in aim_measures}))
        yield Finding(("aim", "measures"), f"the aim's measures are {families}; none is an outcome measure", at="key")
    else:
        yield Finding(("aim",), "the aim has no outcome measure attached", at="key")


@rule("DK205", "no-balancing-measure", W,
      "The project has no balancing measure.",
      "Add a measure of family balancing: what might get worse as the changes take hold?",
      quiet_in_draft=True)
def no_balancing_measure(ctx: Context) -> Iterator[Finding]:
    """Changes to one part of a system can hurt another: a faster discharge may bring more
    readmissions. A project with no balancing measure cannot see that, and reviewers call it
    incomplete."""
    if any(m.family == "balancing" for m in ctx.project.measures):
        return
    path = ("measures",) if ctx.project.is_written(("measures",)) else ("aim",)
    yield Finding(path, "the project has no balancing measure", at="key")


@rule("DK206", "measure-not-attached", W,
      "A measure is attached to nothing.",
      "List its id under `measures:` of the aim, driver or change idea it measures.")
def measure_not_attached(ctx: Context) -> Iterator[Finding]:
    """Each measure tells about some part of the theory: the aim (outcome), a driver or a change
    idea (process), or the wider system (balancing, usually attached to the aim). A measure that
    nothing lists is either missing its attachment or not needed."""
    attached = {m for keys in ctx.graph.measured_by.values() for m in keys}
    # A misspelt reference (`m3` for M3) is reported once, as a dangling reference, not here too.
    dangling = [r.target_id for r in ctx.graph.references if r.kind == "measure" and r.target_id not in ctx.graph.by_id]
    for node in ctx.graph.nodes.values():
        if node.kind == "measure" and node.key not in attached:
            if any(_same_id(name, str(node.element.id)) for name in dangling):  # type: ignore[union-attr]
                continue
            measure = node.element
            assert isinstance(measure, Measure)
            yield Finding(node.path, f"measure {measure.id} ({measure.name}) is not attached to the aim, a driver or a change idea")


# A direction is a verb or noun of change ("Reduce falls", "Increase in uptake", "Improving flow"),
# not a past participle that names a condition ("Reduced fetal movements", "Increased BMI"), nor
# an adjective that is part of the measure ("Lower limb amputations", "Higher-risk patients").
_DIRECTION = re.compile(
    r"^\s*(increase|increasing|reduce|reducing|reduction|decrease|decreasing|improve|improved|improving|improvement|"
    r"minimi[sz]e|minimi[sz]ing|maximi[sz]e|maximi[sz]ing|eliminate|eliminating|elimination|prevent|preventing|"
    r"fewer)\b"
    r"|\b(reduction|increase|decrease|improvement)\s+in\b|\b(reducing|increasing|improving|minimi[sz]ing|maximi[sz]ing)\b",
    re.IGNORECASE,
)


@rule("DK208", "measure-name-has-direction", W,
      "A measure's name says which way it should move.",
      "Name what is measured (\"Stillbirth rate\"); the direction belongs in `better:` and the aim.")
def measure_name_has_direction(ctx: Context) -> Iterator[Finding]:
    """A measure is a neutral instrument: "Reduction in falls" cannot be plotted, "Falls per 1,000
    occupied bed days" can. Putting the direction in the name also reads oddly once the data move
    the wrong way."""
    for measure in ctx.project.measures:
        found = _DIRECTION.search(measure.name)
        if found:
            yield Finding(measure.path + ("name",), f"the measure name \"{measure.name}\" carries a direction (\"{found.group(0)}\")")


# "per 1,000 births", "per thousand", "falls/1000", "%", "proportion": a ratio of two counts.
# "per term" is a count in a period; "heart rate" and "flow rate" are not ratios of counts.
_RATE = re.compile(
    r"%|\bper\s+([\d,.]+|hundred|thousand|million)\b|/\s*[\d,]+|\b(proportion|percentage|percent|ratio)\b"
    r"|\b(?<!heart )(?<!pulse )(?<!respiratory )(?<!breathing )(?<!flow )(?<!infusion )(?<!drip )rates?\b",
    re.IGNORECASE,
)


@rule("DK214", "rate-without-numerator-or-denominator", W,
      "A rate or proportion does not say what it counts and divides by.",
      "Add `numerator:` and `denominator:`: two teams counting the same rate should get the same number.",
      quiet_in_draft=True)
def rate_without_numerator_or_denominator(ctx: Context) -> Iterator[Finding]:
    """A measure whose unit or name makes it a rate or a proportion ("%", "per 1,000 births",
    "rate", "proportion") needs both its numerator and its denominator written out; they are the
    heart of its operational definition."""
    for measure in ctx.project.measures:
        if not _RATE.search(f"{measure.unit or ''} {measure.name}"):
            continue
        missing = [key for key in ("numerator", "denominator") if not _written(getattr(measure, key))]
        if missing:
            yield Finding(measure.path + ("name",), f"measure {measure.id} is a rate or proportion with no {' and no '.join(missing)}")


@rule("DK215", "incomplete-operational-definition", W,
      "A measure has no operational definition, owner or frequency.",
      "Write what exactly is counted (`definition:`), who reports it (`owner:`) and how often (`frequency:`).",
      quiet_in_draft=True)
def incomplete_operational_definition(ctx: Context) -> Iterator[Finding]:
    """A measurement plan is only useful if each measure says exactly what is counted, who collects
    it and how often: without these, data from two months or two sites cannot be compared, and
    nobody is sure to collect them."""
    for measure in ctx.project.measures:
        missing = [key for key in ("definition", "owner", "frequency") if not _written(getattr(measure, key))]
        if missing:
            yield Finding(measure.path + ("name",), f"measure {measure.id} has no {', no '.join(missing)}")


@rule("DK216", "family-of-measures-size", W,
      "The family of measures has fewer than 3 or more than 8 measures.",
      "Keep the few measures that tell you whether the aim is met, the changes are happening, and nothing got worse.")
def family_of_measures_size(ctx: Context) -> Iterator[Finding]:
    """IHI guidance describes a family of measures of about 3 to 8: at least an outcome, a process
    and a balancing measure, and few enough that the team collects them all, every time. A national
    programme may carry more; switch the rule off there. In a draft project (`draft: true`) too
    few measures are not reported yet; too many are."""
    count = len(ctx.project.measures)
    if count < 3 or count > 8:
        path = ("measures",) if ctx.project.is_written(("measures",)) else ("aim",)
        yield Finding(path, f"the family of measures has {count} measure{'s' if count != 1 else ''}; 3 to 8 is usual", at="key",
                      quiet_in_draft=count < 3)  # a draft may not have its measures yet


@rule("DK217", "too-many-outcome-measures", W,
      "More than 2 outcome measures.",
      "An aim with many outcomes is several aims: narrow it, or split the project.")
def too_many_outcome_measures(ctx: Context) -> Iterator[Finding]:
    """An aim is usually judged by one outcome measure, two at most. More outcome measures mean the
    aim is too wide to be a single project's."""
    outcomes = [m for m in ctx.project.measures if m.family == "outcome"]
    if len(outcomes) > 2:
        yield Finding(outcomes[2].path + ("family",), f"the project has {len(outcomes)} outcome measures; 2 at most is usual")


@rule("DK218", "measure-data-problem", Severity.ERROR,
      "A measure's data cannot be charted as written.",
      "Fix the row or point named: a period and a number in every row, denominators above zero, periods once each, real dates in time order, yes or no in the flag columns; on an xbar-s chart, a subgroup of 2 or more values a period, and on any other chart, one value.")
def measure_data_problem(ctx: Context) -> Iterator[Finding]:
    """A measure's data, written under `data:` or in the CSV named by `data_file:`, must have a
    period and a value (or a numerator and a denominator above zero, and no larger on a P chart)
    for every point, each period once, and dates in time order. Where more than three in four
    periods are dates, one that is not (2024-15) is a bad row. In a CSV, `exclude` and `astronomical` are yes or no (true,
    1, x ... or false, 0, - ...). An xbar-s chart reads a subgroup a period, its `values` or its
    `n` (2 or more), `mean` and `sd` (0 or more), not both; any other chart reads one value a
    period, not a subgroup. A bad row is left out of the chart, and a problem in a CSV file is
    reported at its line in that file."""
    for measure in ctx.project.measures:
        if not measure.data and not measure.data_file:
            continue
        for problem in ctx.analysis(measure).data_problems:
            hint = problem.hint or None  # a refused file says how to fix it
            if problem.file:
                yield Finding(measure.path + ("data_file",), problem.message, position=(problem.line, problem.column),
                              file=problem.file, hint=hint)
            else:
                yield Finding(problem.path or measure.path, problem.message, hint=hint)


@rule("DK219", "chart-setting-problem", W,
      "A measure's chart settings do not fit its data.",
      "Change the setting named to fit the data: a baseline period in the data (a year as 2025-01), rules that read this type of chart, phases that start within the data and have 2 points or more, settings of this type of chart only.")
def chart_setting_problem(ctx: Context) -> Iterator[Finding]:
    """A chart setting that the data do not allow is not an error in the file, but the chart will
    not be what the team asked for: a baseline period that no point has, the Making Data Count rules
    on a chart that is not XmR, a P chart without denominators, a phase of fewer than 2 points
    (joined to the phase next to it) or starting after the data, a setting of XmR charts or of the mdc rules on another chart, points
    judged astronomical on a chart not read with the ihi rules."""
    for measure in ctx.project.measures:
        if measure.data or measure.data_file:
            analysis = ctx.analysis(measure)
            for setting, message in analysis.setting_problems:
                yield Finding(analysis.setting_path(setting), message)


@rule("DK401", "driver-without-process-measure", I,
      "A driver has no process measure.",
      "Attach a process measure that shows whether the changes under this driver are happening.",
      quiet_in_draft=True)
def driver_without_process_measure(ctx: Context) -> Iterator[Finding]:
    """Process measures tell whether the changes are happening, long before the outcome moves.
    A driver with no process measure attached to it, to the drivers under it or to its change
    ideas cannot show progress."""
    g = ctx.graph
    # Everything a process-measured element contributes to, in one pass over the graph. Elements
    # holding a dangling measure id count as measured: that id is reported once, as DK101.
    sources = [key for key in g.nodes if any(m.family == "process" for m in g.measures_of(key))]
    sources += [r.source for r in g.references if r.kind == "measure" and r.target_id not in g.by_id]
    covered = set(sources)
    stack = list(sources)
    while stack:
        for parent in g.graph.successors(stack.pop()):
            if parent not in covered:
                covered.add(parent)
                stack.append(parent)
    for driver in ctx.project.all_drivers():
        if g.node_of(driver).key not in covered:
            yield Finding(driver.path + ("text",), f"driver {driver.id} has no process measure, directly or through its change ideas")


def _written(value: object) -> bool:
    """A value that says something: not missing, not blank."""
    return bool(str(value).strip()) if value is not None else False


def _same_id(written: str, real: str) -> bool:
    return written.lower() == real.lower() or bool(difflib.get_close_matches(written, [real], n=1, cutoff=0.8))


def _aim_key() -> str:
    from driverkit.project.graph import AIM

    return AIM
