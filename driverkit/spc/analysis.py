"""Reading a measure's data over time: centre lines, limits and signals, phase by phase.

`analyse(project, measure)` joins the measure's series (driverkit.spc.series), its chart settings and
a rules profile, and returns everything as data: for other tools, for the charts, for a summary.

Profiles (the conventions users know; every parameter is explicit in the modules named):
- `anhoej` (driverkit.spc.runchart): points on the centre are ignored; a signal is a run longer than
  round(log2(n) + 3) or fewer crossings than the 5th percentile of Binomial(n - 1, 0.5); with
  control limits, also a point beyond 3 sigma. The default for run charts.
- `ihi` (driverkit.spc.runchart): a shift of 6 or more points on one side of the median, a trend of 5
  or more points going one way, too few or too many runs (the published table, driverkit.spc.ihi_runs,
  for 10 to 60 useful points; outside it the summary says the rule does not apply).
- `mdc` (driverkit.spc.xmr): NHS England's Making Data Count on an XmR chart: a point beyond a limit, a
  shift or a trend of 6, two of three points beyond 2 sigma; limits only from 13 points. The
  default for XmR charts.

Phases are deliberate: a new centre line (and limits) starts only where `chart: phases:` says so;
where a sustained shift suggests one, `suggestions` says so and the team decides.
Excluded points are plotted but left out of every calculation; under `anhoej` they are still judged
against the limits, as qicharts2 does (a signal of their own). A `baseline` of N counts kept points.
The anhoej profile also reads the moving-range chart of an XmR chart (a range above 3.267 x its
mean). An xbar-s chart (driverkit.spc.subgroup) is read as an I chart whose limits vary with the
subgroup size: the subgroup means against the weighted grand mean (runs and limits), and the S
chart of their standard deviations against its own limits, B3 and B4 x s-bar. Data with no spread give no limits (limits on the centre line would flag every point).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import re
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, Optional

from driverkit.spc import runchart, xmr
from driverkit.project.fields import first_day, written_date
from driverkit.project.model import ChartSettings, Measure, Project
from driverkit.spc.series import Problem, Series, load_series, paused_collector, period_date

if TYPE_CHECKING:
    from driverkit.project.graph import ProjectGraph

PROFILES = ("anhoej", "ihi", "mdc")
SUPPORTED_CHARTS = ("run", "xmr", "xbar-s", "p", "p-prime", "u", "u-prime", "c", "g", "t")
ATTRIBUTE_CHARTS = ("p", "p-prime", "u", "u-prime", "c", "g", "t")


@dataclass(frozen=True)
class Signal:
    profile: str  # the profile whose rule fired
    rule: str  # "longest run", "few crossings", "shift", "trend", "beyond limit", "two of three"
    points: tuple[int, ...]  # indexes into the series
    detail: str  # e.g. "longest run 9 > 7"


@dataclass(frozen=True)
class PhaseSummary:
    label: str
    first: int  # index of its first point
    last: int  # index of its last point
    n: int  # points in the phase, excluded ones left out
    useful: int  # points not on the centre line
    centre: Optional[float]
    lower: Optional[float]
    upper: Optional[float]
    longest_run: Optional[int]
    longest_run_max: Optional[int]
    crossings: Optional[int]
    crossings_min: Optional[int]
    signals: int
    runs: Optional[int] = None  # runs of useful points (crossings + 1), for the IHI runs table
    baseline: Optional[int] = None  # the centre (and limits) come from this many of its first kept points, extended
    baseline_last: Optional[int] = None  # index of the last of those points
    runs_fewest: Optional[int] = None  # ihi: fewer runs are too few (Perla et al. Table 1); None outside 10 to 60 useful points
    runs_most: Optional[int] = None  # ihi: more runs are too many
    mean: Optional[float] = None  # g chart: the mean the limits come from (the centre line is the median)
    degenerate: Optional[str] = None  # why no limits can be computed (the data have no spread), when so
    s_bar: Optional[float] = None  # xbar-s: the pooled standard deviation, the S chart's centre line


@dataclass(frozen=True)
class Suggestion:
    """A new phase the data suggest (a sustained shift begins there): never applied, only said."""

    index: int  # the first point of the shift
    period: str
    profile: str  # the profile whose rule found the shift
    reason: str  # the signal's detail, e.g. "longest run 9 > 7 (above the centre line)"
    yaml: str  # the entry to add under the measure's `chart: phases:` to accept it


@dataclass(frozen=True)
class Event:
    """A change idea introduced or a PDSA cycle started, placed at a point of the chart."""

    kind: str  # "change" (a change idea became routine practice) or "cycle" (a PDSA cycle started)
    id: str
    text: str  # the change idea's text, or the cycle's title (its change idea's text when it has none)
    date: datetime.date
    index: int  # the first point at or after the date


# What the Making Data Count icons say, in words.
MDC_WORDS = {"common_cause": "common cause variation", "pass": "the process will meet the goal",
             "fail": "the process will not meet the goal", "hit_and_miss": "the process may or may not meet the goal"}


def icon_words(icon: Optional[str]) -> Optional[str]:
    """A Making Data Count icon in words: "improvement_low" gives "special cause improvement (low)"."""
    if not icon:
        return None
    if icon in MDC_WORDS:
        return MDC_WORDS[icon]
    kind, _, side = icon.partition("_")
    kind = "variation" if kind == "neither" else kind  # no direction is better: special cause, neither good nor bad
    return f"special cause {kind}" + (f" ({side})" if side else "")


@dataclass
class Analysis:
    measure: Measure
    chart: str
    profile: str
    periods: list[str]
    values: list[float]
    excluded: list[bool]
    notes: list[Optional[str]]
    centre: list[Optional[float]] = field(default_factory=list)
    lower: list[Optional[float]] = field(default_factory=list)
    upper: list[Optional[float]] = field(default_factory=list)
    phases: list[PhaseSummary] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why part of the analysis could not be made
    data_problems: list[Problem] = field(default_factory=list)  # bad rows or points, with their places, also in problems
    setting_problems: list[tuple[tuple[str | int, ...], str]] = field(default_factory=list)  # (path under `chart:`, message), also in problems
    variation: list[Optional[str]] = field(default_factory=list)  # mdc: common, improvement, concern or neither, per point
    variation_icon: Optional[str] = None  # mdc: of the latest point, e.g. "improvement_low"
    assurance_icon: Optional[str] = None  # mdc: "pass", "fail" or "hit_and_miss" against the goal
    events: list[Event] = field(default_factory=list)  # change ideas introduced and PDSA cycles started, in time order
    moving_range: list[Optional[float]] = field(default_factory=list)  # xmr: |x - the point before| within a phase, excluded points skipped
    moving_range_centre: list[Optional[float]] = field(default_factory=list)  # xmr: the mean moving range the limits come from
    moving_range_upper: list[Optional[float]] = field(default_factory=list)  # xmr: the upper range limit, 3.267 x that mean
    suggestions: list[Suggestion] = field(default_factory=list)  # new phases the data suggest, for the team to accept or not
    subgroup_size: list[Optional[int]] = field(default_factory=list)  # xbar-s: n of each point's subgroup (the values are their means)
    s: list[Optional[float]] = field(default_factory=list)  # xbar-s: each subgroup's standard deviation, the S chart's points
    s_centre: list[Optional[float]] = field(default_factory=list)  # xbar-s: s-bar of the point's phase
    s_lower: list[Optional[float]] = field(default_factory=list)  # xbar-s: B3(n) x s-bar
    s_upper: list[Optional[float]] = field(default_factory=list)  # xbar-s: B4(n) x s-bar

    @property
    def target(self) -> Optional[float]:
        return self.measure.goal

    def setting_problem(self, setting: str | tuple[str | int, ...], message: str) -> None:
        """A chart setting the data do not allow, named (or given by its path under `chart:`) so
        that `check` can point at it."""
        self.problems.append(message)
        self.setting_problems.append(((setting,) if isinstance(setting, str) else setting, message))

    def setting_path(self, setting: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """Where a setting named in `setting_problems` is in the project file."""
        return self.measure.path + ("chart",) + setting

    def signal_points(self) -> set[int]:
        return {i for s in self.signals for i in s.points}

    def summary(self) -> list[str]:
        """The analysis in plain lines: the chart, each phase's figures, then each signal."""
        lines = [f"{self.measure.id} {self.measure.name}: {self.chart} chart, {self.profile} rules, {_count(len(self.values), 'point')}"]
        for ph in self.phases:
            figures = [f"{self.periods[ph.first]} to {self.periods[ph.last]}",
                       _count(ph.n, "point") + (f" ({ph.useful} off the centre line)" if ph.useful != ph.n else "")]
            if ph.centre is not None:
                centre = f"centre {ph.centre:.4g}" if ph.mean is None else f"centre line the median {ph.centre:.4g} (limits from the mean {ph.mean:.4g})"
                figures.append(centre + (f" ({self._baseline_words(ph)}, extended)" if ph.baseline else ""))
            if ph.degenerate:
                figures.append(f"no limits: {ph.degenerate}")
            limits = {(self.lower[i], self.upper[i]) for i in range(ph.first, ph.last + 1) if self.upper[i] is not None}
            if len(limits) == 1:
                low, high = limits.pop()
                figures.append(f"limits {low:.4g} to {high:.4g}" if low is not None else f"upper limit {high:.4g}")
            elif limits:
                figures.append(f"limits vary from point to point with the {'subgroup size' if self.chart == 'xbar-s' else 'denominator'}")
            if ph.s_bar is not None:
                bounds = {(self.s_lower[i], self.s_upper[i]) for i in range(ph.first, ph.last + 1) if self.s_upper[i] is not None}
                words = f"S chart: s-bar {ph.s_bar:.4g}"
                if len(bounds) == 1:
                    low, high = bounds.pop()
                    words += f", limits {low:.4g} to {high:.4g}"  # type: ignore[str-format]
                elif bounds:
                    words += ", limits vary with the subgroup size"
                figures.append(words)
            ranges = {r for r in self.moving_range_centre[ph.first:ph.last + 1] if r is not None}
            if len(ranges) == 1:
                figures.append(f"mean moving range {ranges.pop():.4g}")
            if ph.useful == 0 and ph.longest_run is not None:
                figures.append("no point off the centre line, so no runs to read")
            elif self.profile == "ihi" and ph.runs is not None and ph.runs_fewest is not None:
                figures.append(f"{ph.runs} runs ({ph.runs_fewest} to {ph.runs_most} expected for {ph.useful} useful points)")
            elif self.profile == "ihi" and ph.runs is not None:  # the published table covers 10 to 60 useful points only
                figures.append(f"{ph.runs} runs (the IHI runs rule does not apply: its table covers 10 to 60 useful points, not {ph.useful})")
            elif ph.longest_run is not None and ph.longest_run_max is not None:
                figures.append(f"longest run {ph.longest_run} (up to {ph.longest_run_max} expected)")
                figures.append(f"crossings {ph.crossings} (at least {ph.crossings_min} expected)")
            figures.append(f"{ph.signals} point(s) flagged" if self.profile == "mdc" else f"{ph.signals} signal(s)")
            lines.append(f"  {ph.label}: " + ", ".join(figures))
        for sig in self.signals:
            lines.append(f"  signal ({sig.profile}): {sig.detail}, {self._spans(sig.points)}")
        for hint in self.suggestions:
            lines.append(f"  suggestion: a new phase from {hint.period}, where a sustained shift begins ({hint.profile}: {hint.reason});"
                         f" if a change to the process explains it, add `{hint.yaml}` under the measure's `chart: phases:`")
        if self.profile == "mdc" and self.phases and all(ph.upper is None and not ph.degenerate for ph in self.phases):
            lines.append("  not read yet: Making Data Count draws limits and reads signals from 13 points")
        elif not self.signals and self.phases and all(ph.useful < 2 for ph in self.phases):
            lines.append("  not read: too few points off the centre line")
        elif not self.signals and self.phases:
            lines.append("  no signal: the variation is what the rules expect by chance")
        if self.variation_icon or self.assurance_icon:
            icons = [icon_words(i) for i in (self.variation_icon, self.assurance_icon) if i]
            lines.append("  making data count: " + "; ".join(i for i in icons if i))
        for event in self.events:
            what, when, at = "introduced" if event.kind == "change" else "started", written_date(event.date), self.periods[event.index]
            lines.append(f"  {event.id} {what} {when}" + ("" if at == when else f" (at {at})") + f": {event.text}")
        return lines

    def _baseline_words(self, ph: PhaseSummary) -> str:
        """Which points a phase's baseline is: "from its first 12 points, 2024-01 to 2024-12", and the
        excluded points among them, which it does not count."""
        last = ph.baseline_last if ph.baseline_last is not None else ph.last
        words = f"from its first {ph.baseline} points, {self.periods[ph.first]} to {self.periods[last]}"
        skipped = sum(1 for i in range(ph.first, last + 1) if self.excluded[i])
        return words + (f", the {_count(skipped, 'excluded point')} among them not counted" if skipped else "")

    def as_dict(self) -> dict[str, Any]:
        """The analysis as plain data (numbers, text, lists), ready for JSON: the measure by its id,
        dates as written (2024-03, 2024-03-15)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "measure"}
        data = json.loads(json.dumps(data, default=_plain))
        return {"measure": self.measure.id, **data}

    def to_dataframe(self) -> Any:
        """One row a point, as a pandas DataFrame: period (as written), value, excluded, centre,
        lower and upper (the limits, None where there are none), signal (the point is part of a
        signal) and signals (the rules that flagged it, "; "-separated). pandas is needed here only."""
        pandas = require_pandas("Analysis.to_dataframe()")
        flagged: dict[int, list[str]] = {}
        for signal in self.signals:
            for i in signal.points:
                if signal.rule not in flagged.setdefault(i, []):
                    flagged[i].append(signal.rule)
        columns = {
            "period": self.periods, "value": self.values, "excluded": self.excluded,
            "centre": self.centre, "lower": self.lower, "upper": self.upper,
            "signal": [i in flagged for i in range(len(self.periods))],
            "signals": ["; ".join(flagged.get(i, [])) for i in range(len(self.periods))],
        }
        if self.chart == "xbar-s":  # the value is the subgroup's mean; its size and the S chart beside it
            columns.update({"n": self.subgroup_size, "s": self.s, "s_centre": self.s_centre, "s_lower": self.s_lower, "s_upper": self.s_upper})
        frame = pandas.DataFrame(columns)
        for name in ("centre", "lower", "upper") + (("s_centre", "s_lower", "s_upper") if self.chart == "xbar-s" else ()):
            frame[name] = frame[name].astype("float64")  # None (no limit) reads as NaN
        return frame

    def _repr_html_(self) -> Optional[str]:
        """Jupyter shows an analysis as a table of its reading and its chart, drawn by the hook
        `analysis_html` of driverkit.project.display, which `import driverkit` sets (the page's
        escaping and the chart's inlining live above this layer)."""
        from driverkit.project import display

        hook = getattr(display, "analysis_html", None)
        return hook(self) if hook is not None else None

    def _spans(self, points: tuple[int, ...], most: int = 6) -> str:
        """Flagged points as periods, consecutive ones joined: "2024-02, 2024-04 to 2024-09"."""
        spans: list[list[int]] = []
        for i in points:
            if spans and i == spans[-1][1] + 1:
                spans[-1][1] = i
            else:
                spans.append([i, i])
        words = [self.periods[a] + (f" to {self.periods[b]}" if b > a else "") for a, b in spans[:most]]
        return ", ".join(words) + (f" and {len(spans) - most} more" if len(spans) > most else "")


def require_pandas(what: str) -> Any:
    """pandas, imported on first use; an ImportError that says how to get it when it is missing."""
    try:
        import pandas
    except ImportError:
        raise ImportError(f"{what} needs pandas, which is not installed: pip install pandas") from None
    return pandas


def _plain(value: object) -> object:
    if isinstance(value, datetime.date):
        return written_date(value)  # 2024-03 stays a month, as it was written
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"{type(value).__name__} is not plain data")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def analyse(project: Project, measure: Measure | str, graph: Optional[ProjectGraph] = None, *,
            with_events: bool = True) -> Analysis:
    """The analysis of one measure's data (its `problems` say what the data or settings prevent);
    the measure is given as itself or by its id. `graph` is the project's graph,
    by default the one kept on the project (driverkit.project.graph.project_graph);
    `with_events=False` leaves the change ideas and cycles unplaced, for a reader that only wants
    the problems. Raises ValueError for an id that names no measure."""
    with paused_collector():  # a long series makes many objects that all stay alive
        return _analyse(project, measure, graph, with_events)


def _analyse(project: Project, measure: Measure | str, graph: Optional[ProjectGraph], with_events: bool) -> Analysis:
    measure = find_measure(project, measure)
    settings = measure.chart or ChartSettings()
    profile = settings.rules or ("mdc" if settings.type == "xmr" else "anhoej")
    series = load_series(project, measure)
    analysis = Analysis(measure, settings.type, profile, [p.period for p in series.points], [p.value for p in series.points],
                        [p.exclude for p in series.points], [p.note for p in series.points])
    analysis.data_problems = list(series.problems)
    analysis.problems = [p.message for p in series.problems]
    n = len(series.points)
    analysis.centre, analysis.lower, analysis.upper = [None] * n, [None] * n, [None] * n
    if analysis.chart == "xmr":
        analysis.moving_range, analysis.moving_range_centre, analysis.moving_range_upper = [None] * n, [None] * n, [None] * n
    if analysis.chart == "xbar-s":
        analysis.subgroup_size, analysis.s = [p.n for p in series.points], [p.sd for p in series.points]
        analysis.s_centre, analysis.s_lower, analysis.s_upper = [None] * n, [None] * n, [None] * n
    if analysis.profile == "mdc" and analysis.chart != "xmr":  # Making Data Count reads XmR charts only
        analysis.setting_problem("rules", f"the mdc rules read XmR charts; this {analysis.chart} chart is read with the anhoej rules")
        analysis.profile = "anhoej"
    _misplaced_settings(analysis, settings)
    if n == 0:
        return analysis
    if with_events:
        analysis.events = events(project, measure, analysis.periods, graph, series.dates)
    phases = _joined(analysis, _phases(analysis, series, settings), settings)
    if analysis.profile != "ihi" and any(point.astronomical for point in series.points):
        analysis.setting_problem("rules", f"points marked astronomical are read by the ihi rules only; this chart is read with the {analysis.profile} rules")
    written = settings.baseline
    if isinstance(settings.baseline, str):  # a period: the points before it, excluded ones left out
        end = series.first_at_or_after(settings.baseline)
        if end is None and not (period_date(settings.baseline) is not None and all(date is not None for date in series.dates)):
            analysis.setting_problem("baseline", f"baseline {settings.baseline}: no point has that period; the whole first phase is used")
        elif end is None:
            analysis.setting_problem("baseline", f"baseline {settings.baseline}: every point is before it; the whole first phase is used")
        before = sum(1 for i in range(len(series.points) if end is None else end) if not analysis.excluded[i])
        if end is None:
            before = 0  # reported above
        elif before < 2:
            analysis.setting_problem("baseline", f"baseline {settings.baseline}: fewer than 2 points before it; the whole first phase is used")
        settings = settings.model_copy(update={"baseline": before if before >= 2 else None})
    _, first, last = phases[0]
    in_first = last + 1 - first - sum(analysis.excluded[first:last + 1])
    if isinstance(settings.baseline, int) and settings.baseline >= in_first:  # nothing left to extend it over
        if settings.baseline > in_first:
            year = " (a plain number counts points: for the points before a year, write 2025-01)" if isinstance(written, int) and written >= 1000 else ""
            analysis.setting_problem("baseline", f"baseline {written}: the first phase has {_count(in_first, 'point')}; all are used{year}")
        settings = settings.model_copy(update={"baseline": None})
    if analysis.profile == "mdc":
        _mdc(analysis, phases, settings)
    else:
        for label, first, last in phases:
            _phase(analysis, series, label, first, last, settings, settings.baseline if first == 0 else None)  # type: ignore[arg-type]
    analysis.suggestions = _suggestions(analysis)
    return analysis


PERIOD_AS_YAML = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?")


def _suggestions(analysis: Analysis) -> list[Suggestion]:
    """A new phase where the latest sustained shift (a long run, a shift) of each phase begins,
    unless that is the phase's own start: said, never applied, since only the team knows whether
    the process changed. Only the latest: with a step in the data both levels make long runs
    around a median between them, and the earlier one is the old level."""
    shifts = [signal for signal in analysis.signals if signal.rule in ("longest run", "shift")]
    if not shifts:
        return []
    kept = [i for i, excluded in enumerate(analysis.excluded) if not excluded]
    position = {index: j for j, index in enumerate(kept)}
    latest: dict[int, tuple[int, Signal]] = {}  # by phase number: the latest start of a shift
    for signal in shifts:
        # Each stretch of points consecutive among the kept ones is one shift (mdc lists a side's shifts together).
        for j, i in enumerate(signal.points):
            if j == 0 or position[i] != position[signal.points[j - 1]] + 1:
                number = next(k for k, ph in enumerate(analysis.phases) if ph.first <= i <= ph.last)
                if number not in latest or i > latest[number][0]:
                    latest[number] = (i, signal)
    suggestions = []
    for number, (i, signal) in sorted(latest.items()):
        phase = analysis.phases[number]
        if all(analysis.excluded[k] for k in range(phase.first, i)):
            continue  # the shift begins with the phase: a new phase there is the one it has
        period = analysis.periods[i]
        written = period if PERIOD_AS_YAML.fullmatch(period) else json.dumps(period)  # JSON strings are YAML strings
        suggestions.append(Suggestion(i, period, signal.profile, signal.detail, f"- {{from: {written}, note: what changed}}"))
    return suggestions


def find_measure(project: Project, measure: Measure | str) -> Measure:
    """The measure itself, or the project's measure with that id (ValueError when there is none)."""
    if isinstance(measure, Measure):
        return measure
    found = next((m for m in project.measures if m.id == measure), None)
    if found is None:
        raise ValueError(f"the project has no measure {measure!r} (its measures: {', '.join(str(m.id) for m in project.measures) or 'none'})")
    return found


def events(project: Project, measure: Measure, periods: list[str], graph: Optional[ProjectGraph] = None,
           dates: Optional[list[Optional[datetime.date]]] = None) -> list[Event]:
    """The change ideas introduced and the PDSA cycles started while the measure's data ran, each
    at the first point at or after its date (none when the periods are labels, not dates).

    A change idea is marked on the charts of the measures attached to it, to a driver it serves
    (directly or through others) or to the aim: the measures it should move. A PDSA cycle is a
    test on a small scale, so it is marked on the same charts but for the aim's: that keeps an
    outcome chart readable. A measure that is not one of the project's own has no events. `dates`
    are the periods' dates, when they have been read already (`Series.dates`)."""
    from driverkit.project.graph import AIM, project_graph

    ends = [period_date(period) for period in periods] if dates is None else dates
    if not ends or any(end is None for end in ends):
        return []
    start = first_day(ends[0])  # type: ignore[arg-type]
    reach = list(itertools.accumulate(ends, max))  # the latest end up to each point: rising, so searchable

    def place(when: object) -> Optional[int]:
        if not isinstance(when, datetime.date) or when < start:
            return None  # no date, or over before the data begin
        index = bisect.bisect_left(reach, first_day(when))  # the first point that ends on or after it begins
        return index if index < len(reach) else None

    graph = graph or project_graph(project)
    node = graph.by_id.get(str(measure.id))
    if node is None or (node.element is not measure and node.element != measure):
        return []  # a measure made apart from the project, or added to it after it was loaded
    watched = [other for other, measured in graph.measured_by.items() if node.key in measured]
    moved, tested = set(), set()  # node keys of the change ideas to mark, and of those whose cycles to mark
    for key in watched:
        changes = {other for other in graph.contributors(key) | {key} if graph.nodes[other].kind == "change"}
        moved |= changes
        tested |= changes if key != AIM else set()
    found = []
    for key in sorted(moved):  # only the change ideas found above: a measure's events cost what its part of the diagram does
        change = graph.nodes[key].element
        index = place(change.introduced)  # type: ignore[union-attr]
        if index is not None:
            found.append(Event("change", str(change.id), change.text, change.introduced, index))  # type: ignore[union-attr, arg-type]
    tested_ids = {str(graph.nodes[key].element.id) for key in tested}  # type: ignore[union-attr]
    for cycle in project.pdsa:
        if cycle.change in tested_ids:
            index = place(cycle.start)
            if index is not None:  # untitled, a cycle is named by its change idea (the first of a duplicated id, as linked)
                text = cycle.title or graph.by_id[cycle.change].element.text  # type: ignore[union-attr]
                found.append(Event("cycle", str(cycle.id), text, cycle.start, index))  # type: ignore[arg-type]
    return sorted(found, key=lambda e: (e.index, first_day(e.date), e.kind, e.id))


def _phases(analysis: Analysis, series: Series, settings: ChartSettings) -> list[tuple[str, int, int, Optional[int]]]:
    """(label, first index, last index, number of its entry under `phases:` or None) of each phase;
    a phase starts at the first point at or after its `from` period (dates compared as dates,
    labels as written)."""
    starts: list[tuple[int, str, Optional[int]]] = [(0, "Phase 1", None)]
    for number, phase in enumerate(settings.phases):
        index = series.first_at_or_after(phase.start)
        if index is None:
            analysis.setting_problem(("phases", number, "from"), f"the phase from {phase.start}: no point is at or after it; it is left out")
        elif index == 0:  # the data begin with this phase: it names the first
            starts[0] = (0, "Phase 1" + (f": {phase.note}" if phase.note else ""), number)
        elif index > starts[-1][0]:
            starts.append((index, f"Phase {len(starts) + 1}" + (f": {phase.note}" if phase.note else ""), number))
        else:
            analysis.setting_problem(("phases", number, "from"), f"the phase from {phase.start} starts at the same point as the phase "
                                     "before it, or earlier; it is left out")
    bounds = [start for start, _, _ in starts[1:]] + [len(series.points)]
    return [(label, start, end - 1, number) for (start, label, number), end in zip(starts, bounds)]


def _joined(analysis: Analysis, phases: list[tuple[str, int, int, Optional[int]]],
            settings: ChartSettings) -> list[tuple[str, int, int]]:
    """The phases, a phase of fewer than 2 points (kept ones) joined to the one before it, or the
    first to the one after it, which names it: a centre line and limits, and a moving range, need
    two points. Each join is reported at the `from` of the phase that caused it."""
    def size(first: int, last: int) -> int:
        return sum(1 for i in range(first, last + 1) if not analysis.excluded[i])

    def report(number: int, message: str) -> None:
        analysis.setting_problem(("phases", number, "from"), f"the phase from {settings.phases[number].start} {message}")

    joined: list[tuple[str, int, int, Optional[int]]] = []
    for label, first, last, number in phases:
        if joined and size(first, last) < 2:
            joined[-1] = (joined[-1][0], joined[-1][1], last, joined[-1][3])
            report(number, "has fewer than 2 points; it is joined to the phase before it")  # type: ignore[arg-type]
        else:
            joined.append((label, first, last, number))
    if len(joined) > 1 and size(joined[0][1], joined[0][2]) < 2:
        first_number, next_number = joined[0][3], joined[1][3]
        if first_number is None:
            report(next_number, "has fewer than 2 points before it; they are joined to it")  # type: ignore[arg-type]
        else:
            report(first_number, "has fewer than 2 points; it is joined to the phase after it")
        joined[:2] = [(joined[1][0], joined[0][1], joined[1][2], next_number)]
    if len(joined) == len(phases):
        return [(label, first, last) for label, first, last, _ in joined]
    notes = [label.partition(": ")[2] for label, _, _, _ in joined]  # numbered again, each keeping its note
    return [(f"Phase {k}" + (f": {note}" if note else ""), first, last) for k, (note, (_, first, last, _)) in enumerate(zip(notes, joined), 1)]


def _misplaced_settings(analysis: Analysis, settings: ChartSettings) -> None:
    """Settings written for another type of chart or another profile: said, not silently ignored."""
    written = {name for name in settings.model_fields_set if getattr(settings, name) is not False}  # `false` asks for nothing
    for name in ("screening", "moving_range"):
        if name in written and analysis.chart != "xmr" and not (name == "screening" and analysis.chart == "t"):
            also = " (of the other charts, only a T chart screens its moving ranges)" if name == "screening" else ""
            analysis.setting_problem(name, f"{name} applies to XmR charts; this is a {analysis.chart} chart{also}")
    for name in ("shift", "trend", "two_of_three_beyond_3_sigma"):
        if name in written and analysis.profile != "mdc":
            analysis.setting_problem(name, f"{name} is a setting of the mdc rules; this chart is read with the {analysis.profile} rules")


def _phase(analysis: Analysis, series: Series, label: str, first: int, last: int, settings: ChartSettings,
           baseline: Optional[int]) -> None:
    """A run, XmR or attribute chart read with the anhoej or ihi rules, for one phase."""
    kept = [i for i in range(first, last + 1) if not analysis.excluded[i]]
    if not kept:
        return
    values = [analysis.values[i] for i in kept]
    basis = values[:baseline] if baseline else values
    limits = xmr.xmr_limits(basis, screening=settings.screening, factor=xmr.THREE_SIGMA) if analysis.chart == "xmr" and len(basis) >= 2 else None
    per_point = _attribute(analysis, series, first, last, baseline, settings.screening) if analysis.chart in ATTRIBUTE_CHARTS \
        else _subgroups(analysis, series, first, last, baseline) if analysis.chart == "xbar-s" else None
    centre = limits.mean if limits else per_point.centre if per_point else runchart.median(basis)
    flat = _flat(analysis.chart, basis, limits, per_point, kept, settings.screening)
    if per_point and per_point.s_bar is not None:  # xbar-s: the spread is within the subgroups
        flat = None if per_point.s_bar > 0 else "every subgroup's standard deviation is 0"
    if flat:
        analysis.problems.append(f"{label}: limits cannot be computed from data that do not vary ({flat}); no point is judged against them")
        limits, per_point = None, (per_point and _PerPoint(per_point.centre, {}, {}, per_point.mean, per_point.s_bar))
    every = last + 1 - first  # each point of the phase, excluded ones too
    analysis.centre[first:last + 1] = [centre] * every
    if limits:
        analysis.lower[first:last + 1], analysis.upper[first:last + 1] = [limits.lower] * every, [limits.upper] * every
    if analysis.chart == "xmr":
        _moving_ranges(analysis, first, last, limits)
    if per_point:
        for i in per_point.upper:
            analysis.lower[i], analysis.upper[i] = per_point.lower[i], per_point.upper[i]
        for i, (s_low, s_high) in per_point.s_limits.items():
            analysis.s_centre[i], analysis.s_lower[i], analysis.s_upper[i] = per_point.s_bar, s_low, s_high
    signals = []
    runs = runchart.anhoej(values, centre)
    reading = runchart.ihi(values, centre) if analysis.profile == "ihi" else None
    if reading:
        side = {True: "above", False: "below"}
        signals += [Signal("ihi", "shift", tuple(kept[j] for j in s), f"shift of {len(s)} points {side[values[s[0]] > centre]} the centre line")
                    for s in reading.shifts]
        signals += [Signal("ihi", "trend", tuple(kept[j] for j in t), f"trend of {len(t)} points {'up' if values[t[-1]] > values[t[0]] else 'down'}")
                    for t in reading.trends]
        if reading.few_runs_signal or reading.many_runs_signal:
            few = reading.few_runs_signal
            signals.append(Signal("ihi", "too few runs" if few else "too many runs", tuple(kept),
                                  f"{reading.runs} runs {'<' if few else '>'} {reading.runs_fewest if few else reading.runs_most}"
                                  f" for {reading.n_useful} useful points (IHI runs table)"))
        judged = tuple(i for i in range(first, last + 1) if series.points[i].astronomical)
        if judged:  # a judgement the IHI leaves to people; driverkit reports what the team marked
            signals.append(Signal("ihi", "astronomical", judged, f"{_count(len(judged), 'point')} judged astronomical"))
    else:
        if runs.shift_signal:
            signals += [Signal("anhoej", "longest run", tuple(kept[j] for j in r), f"longest run {runs.longest_run} > {runs.longest_run_max}"
                               + f" ({'above' if values[r[0]] > centre else 'below'} the centre line)") for r in runs.signal_runs]
        if runs.crossings_signal:
            signals.append(Signal("anhoej", "few crossings", tuple(kept), f"crossings {runs.crossings} < {runs.crossings_min}"))
        if limits or per_point:
            beyond = [i for i in range(first, last + 1) if analysis.upper[i] is not None and analysis.lower[i] is not None
                      and (analysis.values[i] > analysis.upper[i] or analysis.values[i] < analysis.lower[i])]  # type: ignore[operator]
            counted = tuple(i for i in beyond if not analysis.excluded[i])
            if counted:
                signals.append(Signal("anhoej", "beyond limit", counted, f"{len(counted)} point(s) beyond 3 sigma"))
            dropped = tuple(i for i in beyond if analysis.excluded[i])
            if dropped:  # as qicharts2: left out of the calculations, still judged against the limits
                signals.append(Signal("anhoej", "excluded beyond limit", dropped, f"{len(dropped)} excluded point(s) beyond 3 sigma"))
        if analysis.chart == "xmr" and limits:
            high = tuple(i for i in range(first, last + 1) if analysis.moving_range[i] is not None
                         and analysis.moving_range[i] > analysis.moving_range_upper[i])  # type: ignore[operator]
            if high:
                signals.append(Signal("anhoej", "moving range", high, f"{len(high)} moving range(s) above the upper range limit "
                                      f"{analysis.moving_range_upper[high[0]]:.4g}"))
        if per_point and per_point.s_limits:
            signals += _s_signals(analysis, first, last)
    analysis.signals += signals
    uniform = (limits.lower, limits.upper) if limits else (None, None)
    analysis.phases.append(PhaseSummary(label, first, last, len(kept), runs.n_useful, centre, uniform[0], uniform[1],
                                        runs.longest_run, runs.longest_run_max, runs.crossings, runs.crossings_min, len(signals),
                                        runs.crossings + 1 if runs.n_useful else 0, baseline, kept[baseline - 1] if baseline else None,
                                        reading.runs_fewest if reading else None, reading.runs_most if reading else None,
                                        per_point.mean if per_point else None, flat, per_point.s_bar if per_point else None))


def _flat(chart: str, basis: list[float], limits: Optional[xmr.Limits], per_point: Optional[_PerPoint], kept: list[int],
          screening: bool) -> Optional[str]:
    """Why the limits collapse onto the centre line (the data have no spread), or None when they do not."""
    if limits is not None and limits.mean_moving_range == 0:
        pass
    elif per_point is None or not per_point.upper or any(per_point.upper[i] != per_point.lower[i] for i in kept):
        return None
    if len(set(basis)) == 1:
        return f"every value {'of its baseline ' if len(basis) < len(kept) else ''}is {basis[0]:g}"
    return "every moving range left after screening is 0" if screening else "every moving range is 0"


def _moving_ranges(analysis: Analysis, first: int, last: int, limits: Optional[xmr.Limits]) -> None:
    """The moving ranges of one phase of an XmR chart (none across a phase's start or an excluded
    point), with the mean moving range of its limits and the upper range limit."""
    excluded, values = analysis.excluded, analysis.values  # a long series: each list looked up once
    ranges, centres, uppers = analysis.moving_range, analysis.moving_range_centre, analysis.moving_range_upper
    centre, upper = (limits.mean_moving_range, xmr.SCREEN * limits.mean_moving_range) if limits else (None, None)
    previous = None
    for i in range(first, last + 1):
        if excluded[i]:
            continue
        if previous is not None:
            ranges[i] = abs(values[i] - values[previous])
        if limits:
            centres[i], uppers[i] = centre, upper
        previous = i


@dataclass(frozen=True)
class _PerPoint:
    """An attribute chart's centre line and its limits by point index (excluded points included)."""

    centre: float
    lower: dict[int, float]
    upper: dict[int, float]
    mean: Optional[float] = None  # g chart: the mean the limits come from; the centre line is the median
    s_bar: Optional[float] = None  # xbar-s: the S chart's centre line
    s_limits: dict[int, tuple[float, float]] = field(default_factory=dict)  # xbar-s: the S chart's limits by point index


def _attribute(analysis: Analysis, series: Series, first: int, last: int, baseline: Optional[int],
               screening: bool) -> Optional[_PerPoint]:
    """The centre and the per-point limits of a p, u, P', U', c, g or t chart over one phase, in the
    unit the values are shown in: the centre (and spread) from its kept points (the first `baseline`
    of them), limits for the excluded points too, so they can be judged. None (with the reason in
    `problems`) when the data do not fit the chart."""
    from driverkit.spc import attribute

    kept = [i for i in range(first, last + 1) if not analysis.excluded[i]]
    dropped = [i for i in range(first, last + 1) if analysis.excluded[i]]
    if dropped and len(kept) >= 2:  # the kept points first, as the basis; the excluded ones after, only given limits
        order, basis = kept + dropped, baseline or len(kept)
    else:
        order, basis = kept, baseline  # type: ignore[assignment]
    points = [series.points[i] for i in order]
    try:
        if analysis.chart in ("p", "p-prime", "u", "u-prime"):
            if any(p.numerator is None or p.denominator is None for p in points):
                raise ValueError(f"a {analysis.chart} chart needs a numerator and a denominator for every point")
            make = {"p": attribute.p_chart, "p-prime": attribute.p_prime_chart, "u": attribute.u_chart, "u-prime": attribute.u_prime_chart}
            result = make[analysis.chart]([p.numerator for p in points], [p.denominator for p in points], basis)  # type: ignore[misc]
            scale = series.scale
        elif analysis.chart == "t":
            result = attribute.t_chart([p.value for p in points], basis, screening=screening)
            scale = 1.0
        else:
            make2 = {"c": attribute.c_chart, "g": attribute.g_chart}
            result = make2[analysis.chart]([p.value for p in points], basis)
            scale = 1.0
    except ValueError as exc:
        analysis.setting_problem("type", f"{exc}: the data are read as a run chart")
        return None
    lower = {i: v * scale for i, v in zip(order, result.lower)}
    upper = {i: v * scale for i, v in zip(order, result.upper)}
    if isinstance(result, attribute.GLimits):  # as qicharts2 and PowerBI-SPC: the median as the centre line, runs read against it
        return _PerPoint(result.median, lower, upper, result.centre)
    return _PerPoint(result.centre * scale, lower, upper)


def _subgroups(analysis: Analysis, series: Series, first: int, last: int, baseline: Optional[int]) -> Optional[_PerPoint]:
    """The Xbar chart's centre and limits, and the S chart's, of an xbar-s chart over one phase:
    from its kept subgroups (the first `baseline` of them), with limits for the excluded ones too."""
    from driverkit.spc import subgroup

    kept = [i for i in range(first, last + 1) if not analysis.excluded[i]]
    order = kept + [i for i in range(first, last + 1) if analysis.excluded[i]]
    points = [series.points[i] for i in order]
    try:
        result = subgroup.xbar_s_chart([subgroup.Subgroup(p.n, p.value, p.sd) for p in points],  # type: ignore[arg-type]
                                       baseline or len(kept))
    except ValueError as exc:  # the series lets no bad subgroup through; said rather than raised all the same
        analysis.setting_problem("type", f"{exc}: the data are read as a run chart")
        return None
    return _PerPoint(result.centre, dict(zip(order, result.xbar_lower)), dict(zip(order, result.xbar_upper)),
                     s_bar=result.s_bar, s_limits={i: (low, high) for i, low, high in zip(order, result.s_lower, result.s_upper)})


def _s_signals(analysis: Analysis, first: int, last: int) -> list[Signal]:
    """The S chart's points beyond its limits, in one phase: a subgroup whose spread is unusual
    (a lower limit of 0 flags nothing)."""
    beyond = [i for i in range(first, last + 1) if analysis.s_upper[i] is not None
              and (analysis.s[i] > analysis.s_upper[i] or analysis.s[i] < analysis.s_lower[i])]  # type: ignore[operator]
    signals = []
    counted = tuple(i for i in beyond if not analysis.excluded[i])
    if counted:
        signals.append(Signal("anhoej", "s beyond limit", counted, f"{len(counted)} standard deviation(s) beyond the S chart's limits"))
    dropped = tuple(i for i in beyond if analysis.excluded[i])
    if dropped:
        signals.append(Signal("anhoej", "excluded s beyond limit", dropped,
                              f"{len(dropped)} excluded standard deviation(s) beyond the S chart's limits"))
    return signals


def _mdc(analysis: Analysis, phases: list[tuple[str, int, int]], settings: ChartSettings) -> None:
    """An XmR chart read with the Making Data Count rules, phases as its recalculations."""
    kept = [i for i, excluded in enumerate(analysis.excluded) if not excluded]
    values = [analysis.values[i] for i in kept]
    position = {index: j for j, index in enumerate(kept)} if len(phases) > 1 else {}  # where each later phase starts among them
    starts = [next(position[i] for i in range(first, last + 1) if i in position) for _, first, last in phases[1:]]
    better = analysis.measure.better
    reading = xmr.mdc(values, improvement={"higher": "increase", "lower": "decrease"}.get(better or "", "neither"),
                      baseline_points=settings.baseline, recalculate_from=starts or None, target=analysis.measure.goal,  # type: ignore[arg-type]
                      shift=settings.shift, trend=settings.trend, screening=settings.screening,
                      two_of_three_count_beyond_3_sigma=settings.two_of_three_beyond_3_sigma)
    by_rule: dict[tuple[str, str], list[int]] = {}
    analysis.variation = [None] * len(analysis.values)
    analysis.variation_icon, analysis.assurance_icon = reading.variation_icon, reading.assurance_icon
    variation, centre, lower, upper = analysis.variation, analysis.centre, analysis.lower, analysis.upper  # a long series: one look-up
    for point in reading.points:
        index = kept[point.index]
        variation[index] = point.variation
        limits = point.limits
        if limits:
            centre[index], lower[index], upper[index] = limits.mean, limits.lower, limits.upper
        if point.rules:  # most points are flagged by no rule
            for side, rules in (("high", point.high_rules), ("low", point.low_rules)):  # a shift up and a shift down are two signals
                for rule in rules:
                    by_rule.setdefault((rule, side), []).append(index)
    names = {"beyond_limit": "beyond limit", "shift": "shift", "trend": "trend", "two_of_three": "two of three"}
    analysis.signals = [Signal("mdc", names.get(rule, rule), tuple(points), f"{names.get(rule, rule)} ({side}): {len(points)} point(s)")
                        for (rule, side), points in by_rule.items()]
    if not reading.partitions:
        analysis.problems.append("fewer than 13 points: Making Data Count draws no limits yet")
    marked = sorted({i for s in analysis.signals for i in s.points})  # the points any signal flags
    for (label, first, last), limits in zip(phases, reading.partitions or [None] * len(phases)):
        in_phase = [i for i in range(first, last + 1) if not analysis.excluded[i]]
        baseline = settings.baseline if first == 0 else None
        basis = [analysis.values[i] for i in in_phase[:baseline or len(in_phase)]]
        flat = None
        if limits and limits.mean_moving_range == 0:
            flat = f"every value {'of its baseline ' if len(basis) < len(in_phase) else ''}is {basis[0]:g}" if len(set(basis)) == 1 \
                else "every moving range left after screening is 0" if settings.screening else "every moving range is 0"
            analysis.problems.append(f"{label}: limits cannot be computed from data that do not vary ({flat}); no point is judged against them")
            for i in in_phase:
                analysis.lower[i] = analysis.upper[i] = None
        _moving_ranges(analysis, first, last, None if flat else limits)
        mean = limits.mean if limits else sum(basis) / len(basis) if basis else None  # under 13 points: the mean alone, no limits
        for i in in_phase:
            centre[i] = mean
        flagged = bisect.bisect_right(marked, last) - bisect.bisect_left(marked, first)
        analysis.phases.append(PhaseSummary(label, first, last, len(in_phase), len(in_phase), mean,
                                            limits.lower if limits and not flat else None,
                                            limits.upper if limits and not flat else None, None, None, None, None, flagged,
                                            baseline=baseline, baseline_last=in_phase[baseline - 1] if baseline else None,
                                            degenerate=flat))
