"""A measure's data over time: written in the project file (`data:`) or in a CSV beside it
(`data_file:`), read into one series with every problem found and placed.

A problem in a CSV is reported at the CSV's own file and line, so an editor jumps to the row.

An xbar-s chart reads subgroups: each point is a period's values (`values: [12, 15, 9]`) or their
summary (`n`, `mean`, `sd`). A CSV gives them as columns period, n, mean and sd, or as columns period
and value with one row for each value, the rows of one period together (a note or an `exclude` on
any of them is the subgroup's).
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import csv
import functools
import gc
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Optional

from driverkit.project.diagnostics import ProjectError
from driverkit.project.fields import FIRST_YEAR, LAST_YEAR, WrittenDate, first_day, parse_date
from driverkit.project.files import FileRefused, read_named
from driverkit.project.model import Measure, PathKey, Project
from driverkit.project.source import decode
from driverkit.spc.subgroup import Subgroup, summarise

# A CSV's yes and no: YAML's words (as the same flags under `data:` take them), spreadsheet numbers, and a mark.
TRUE_WORDS = {"1", "1.0", "true", "t", "yes", "y", "on", "x"}
FALSE_WORDS = {"0", "0.0", "false", "f", "no", "n", "off", "-"}
DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?$")  # among dates, 2024-13 is a date mistyped
YEAR = re.compile(r"^\s*\d{4}|\d{4}\s*$")  # every date begins or ends with its year
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
PLAIN_COLUMN = re.compile(r"[^\W\d][\w .%()-]{0,31}")  # a column name as people write one
KNOWN_COLUMNS = ("period", "value", "numerator", "denominator", "n", "mean", "sd", "note", "exclude", "astronomical")
LARGEST = 1e15  # a number beyond this is a typo or a hostile file; sums and limits of such numbers overflow
MAX_POINTS = 100_000  # rows a series may have: 270 years of days; past it a file is a mistake or hostile
TOO_MANY_HINT = ("A run chart or SPC chart reads best with 20 to a few hundred points: "
                 "sum the rows by week or month, or chart a shorter stretch of time")


class Point(NamedTuple):
    """One point of a series. A named tuple: a tuple of plain values is left alone by Python's
    garbage collector, which would otherwise walk 100,000 points again and again while a long
    series is read."""

    period: str
    value: float  # the value charted: the value itself, or numerator / denominator
    numerator: Optional[float] = None
    denominator: Optional[float] = None
    note: Optional[str] = None
    exclude: bool = False
    astronomical: bool = False  # the team's judgement, read by the ihi rules
    n: Optional[int] = None  # xbar-s: the size of the subgroup whose mean is the value
    sd: Optional[float] = None  # xbar-s: its sample standard deviation


@dataclass(frozen=True)
class Problem:
    """Something wrong with the data: where it is and what it is."""

    message: str
    file: Optional[str] = None  # a CSV file; None for the project file
    line: int = 1
    column: int = 1
    path: PathKey = ()  # the place in the project file, for data written there
    hint: str = ""  # how to fix it, when the problem has its own hint (a file refused)


Place = Callable[[str, Optional[str]], Problem]  # (message, column or key) -> the problem, placed


@dataclass
class Series:
    measure: Measure
    points: list[Point] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""  # the CSV file, or "" for data written in the project file
    places: list[Place] = field(default_factory=list, repr=False)  # where each point was written
    periods: dict[str, int] = field(default_factory=dict, repr=False)  # each point's period: its index
    dates: list[Optional[dt.date]] = field(default_factory=list, repr=False)  # each point's date, None for a label
    _reach: Optional[list[dt.date]] = field(default=None, init=False, repr=False, compare=False)
    # xbar-s from a CSV of one row per value: (period, value, note, exclude, place) of each row, grouped once read
    observations: Optional[list[tuple[str, float, Optional[str], bool, Place]]] = field(default=None, repr=False)

    def first_at_or_after(self, period: str) -> Optional[int]:
        """The first point at or after the start of `period` (2024-07 starts on 1 July): the point of
        that period, or an earlier one dated on or after that day; None when there is none."""
        index = self.periods.get(period)
        when = period_date(period)
        if when is not None:
            if self._reach is None:  # the latest date up to each point: it only rises, so it can be searched
                latest, self._reach = dt.date.min, []
                for date in self.dates:
                    latest = date if date is not None and date > latest else latest
                    self._reach.append(latest)
            found = bisect.bisect_left(self._reach, first_day(when))
            if found < len(self._reach) and (index is None or found < index):
                index = found
        return index

    @functools.cached_property
    def scale(self) -> float:
        """100 for a percentage measure, so numerator / denominator reads in its unit."""
        unit = (self.measure.unit or "").strip().lower()
        return 100.0 if unit.startswith("%") or unit.startswith("per cent") or unit == "percent" else 1.0


def load_series(project: Project, measure: Measure) -> Series:
    """The measure's data as a series; `problems` lists what is wrong (the points kept are usable).

    A value computed from a numerator and a denominator is a fraction, shown as a percentage when
    the measure's unit is "%" (a denominator written "per 1,000" is already scaled by its writer).
    """
    with paused_collector():
        return _load_series(project, measure)


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """Python's cyclic garbage collector paused: a long series is read into 100,000 small objects
    that hold no cycles, and the collector, run every few hundred new objects, would walk all of
    them again and again (a third of the time of reading 100,000 points). Nothing is lost: the
    collector runs as usual afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _load_series(project: Project, measure: Measure) -> Series:
    series = Series(measure)
    if measure.data and measure.data_file:
        series.problems.append(Problem("the measure has both `data:` and `data_file:`; keep one", path=measure.path + ("data_file",)))
        return series
    if measure.data_file:
        _read_csv(project, measure, series)
    else:
        for index, point in enumerate(measure.data):
            where = measure.path + ("data", index)
            if index == MAX_POINTS:
                series.problems.append(_too_many(Problem("", path=where)))
                break
            _add(series, point.period, point.value, point.numerator, point.denominator, point.note, point.exclude,
                 _DataPlace(where), point.astronomical, (point.values, point.n, point.mean, point.sd))
    _check_order(series)
    return series


def _read_csv(project: Project, measure: Measure, series: Series) -> None:
    written = str(measure.data_file)
    shown = Path(written)  # the name problems are reported under: as the project writes it, from the project's folder
    if not shown.is_absolute() and project.file not in ("<string>", ""):
        shown = Path(project.file).parent / shown
    series.source = str(shown)
    try:
        _, data = read_named(written, project.file, project.allowed_paths, what="data file")
        text = decode(data, str(shown), kind="data")
    except FileRefused as exc:
        series.problems.append(Problem(exc.reason, path=measure.path + ("data_file",), hint=exc.hint))
        return
    except ProjectError as exc:
        first = exc.diagnostics[0]
        series.problems.append(Problem(first.message, str(shown), first.line, first.column, hint=first.hint))
        return
    # Universal newlines: a bare CR (old Excel for Mac) ends a line as LF and CRLF do.
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error:
        header = []
    columns = {column: index for index, column in enumerate(header)}
    if "mean" in columns or "sd" in columns:
        needed: tuple[str, ...] = ("period", "n", "mean", "sd")
    elif "value" in columns or "numerator" not in columns:
        needed = ("period", "value")
    else:
        needed = ("period", "numerator", "denominator")
    missing = [column for column in needed if column not in columns]
    if missing:
        # The header is named only when it looks like one: the file may be anything (never quote a secret).
        has = f" (its header has: {', '.join(header)})" if _plain_header(header) else ""
        series.problems.append(Problem(f"the data file needs the column{'s' if len(missing) > 1 else ''} "
                                       f"{', '.join(missing)}{has}", str(shown), 1, 1))
        return
    # Each known column's index, -1 for a column the file does not have.
    known = tuple(columns.get(name, -1) for name in KNOWN_COLUMNS)
    chart = measure.chart
    if chart is not None and chart.type == "xbar-s" and "mean" not in columns and "value" in columns:
        series.observations = []  # one row per value: the rows of a period make its subgroup
    last_line = reader.line_num
    rows = 0
    while True:
        line_number = last_line + 1  # where the row starts (a quoted note may run over several lines)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            series.problems.append(Problem(f"the row cannot be read as CSV: {_csv_error(exc)}", str(shown), line_number, 1))
            last_line = reader.line_num
            continue
        last_line = reader.line_num
        if "".join(row).strip():  # blank rows are skipped
            rows += 1
            if rows > MAX_POINTS:
                series.problems.append(_too_many(Problem("", str(shown), line_number, 1)))
                return
            _csv_row(series, tuple(row), known, series.source, line_number)
    if series.observations is not None:
        _group(series)


def _too_many(place: Problem) -> Problem:
    """The problem at the first row past MAX_POINTS; the rows before it are kept."""
    return replace(place, message=f"the series has more than {MAX_POINTS:,} rows: the rows from here on are not read",
                               hint=TOO_MANY_HINT)


class _CsvPlace(NamedTuple):
    """Where a row of a CSV was written: called with a message and a column name, the problem there.
    A tuple of strings, which the garbage collector need not walk: a long series keeps one per row."""

    file: str
    line: int
    known: tuple[int, ...]  # the index of each of KNOWN_COLUMNS in the row, -1 when absent
    row: tuple[str, ...]

    def __call__(self, message: str, name: Optional[str]) -> Problem:
        index = self.known[KNOWN_COLUMNS.index(name)] if name in KNOWN_COLUMNS else -1
        column = 1 + sum(len(cell) + 1 for cell in self.row[:index]) if index >= 0 else 1
        return Problem(message, self.file, self.line, column)


class _DataPlace(NamedTuple):
    """Where a point written under `data:` is: called with a message and a key, the problem there."""

    path: PathKey

    def __call__(self, message: str, key: Optional[str]) -> Problem:
        return Problem(message, path=self.path + ((key,) if key else ()))


def _csv_row(series: Series, row: tuple[str, ...], known: tuple[int, ...], file: str, line: int) -> None:
    """Check one row of a CSV and add its point; `known` gives the index of each of KNOWN_COLUMNS (-1: absent).
    A long series is read here row by row, so the cells are taken by index, not through a dict."""
    width = len(row)
    period, value, numerator, denominator, size, mean, sd, note, exclude, astronomical = [
        row[index].strip() if 0 <= index < width else "" for index in known]
    place = _CsvPlace(file, line, known, row)
    bad = False
    try:  # most rows: plain numbers, read at once; anything else is read cell by cell below, to say what is wrong
        numbers = [float(raw) if raw else None for raw in (value, numerator, denominator, size, mean, sd)]
        if all(number is None or -LARGEST <= number <= LARGEST for number in numbers):  # not nan, inf or huge
            return _checked_flags(series, place, period, numbers, note, exclude, astronomical)
    except ValueError:
        pass
    numbers = []
    for name, raw in (("value", value), ("numerator", numerator), ("denominator", denominator), ("n", size), ("mean", mean), ("sd", sd)):
        number = _number(raw) if raw else None
        numbers.append(number)
        if not raw:
            continue
        if number is None:
            series.problems.append(place(f"`{_shortened(raw)}` in column {name} is not a number", name))
            bad = True
        elif not -LARGEST <= number <= LARGEST:
            series.problems.append(place(f"`{_shortened(raw)}` in column {name} is too large to chart (over {LARGEST:g})", name))
            bad = True
    # the flags are checked even in a bad row, so that every problem of the row is reported
    _checked_flags(series, place, period, None if bad else numbers, note, exclude, astronomical)


def _checked_flags(series: Series, place: _CsvPlace, period: str, numbers: Optional[list[Optional[float]]], note: str,
                   exclude: str, astronomical: str) -> None:
    """Check a row's yes-or-no cells, then add its point when nothing is wrong (`numbers` None: something is)."""
    if exclude or astronomical:
        written = {"exclude": exclude, "astronomical": astronomical}
        exclude, astronomical = exclude.lower(), astronomical.lower()
        for name, flag in (("exclude", exclude), ("astronomical", astronomical)):
            if flag and flag not in TRUE_WORDS and flag not in FALSE_WORDS:
                series.problems.append(place(f"`{_shortened(written[name])}` in column {name} is neither yes nor no", name))
                numbers = None
    if numbers is not None:
        size = numbers[3]
        if size is not None and size != int(size):
            series.problems.append(place(f"the subgroup size of {_shortened(period)} is {size:g}: it is a whole number", "n"))
            return
        summary = (None, None if size is None else int(size), numbers[4], numbers[5])
        _add(series, period, numbers[0], numbers[1], numbers[2], note or None, exclude in TRUE_WORDS, place,
             astronomical in TRUE_WORDS, summary)


def _number(text: str) -> Optional[float]:
    """The number written in a cell (1,200 and 1200 alike), or None: nan and inf are not numbers.
    A number too large for a float (1e400) is read as infinite, for the caller to refuse."""
    try:
        number = float(text.replace(",", "") if "," in text else text)
    except ValueError:
        return None
    if math.isnan(number) or (math.isinf(number) and not any(c.isdigit() for c in text)):
        return None
    return number


def _shortened(text: str, most: int = 40) -> str:
    """A cell quoted in a message, cut short: a cell may hold a whole file."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _plain_header(header: list[str]) -> bool:
    """Whether a first line reads as a CSV header: two or more short plain column names."""
    names = [name for name in header if name]
    return len(names) >= 2 and len(header) <= 20 and all(PLAIN_COLUMN.fullmatch(name) for name in names)


def _csv_error(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a cell is over {csv.field_size_limit():,} characters"
    return "it is not well-formed"


SubgroupFields = tuple[Optional[list[float]], Optional[int], Optional[float], Optional[float]]  # values, n, mean, sd
NO_SUBGROUP: SubgroupFields = (None, None, None, None)


def _add(series: Series, period: str, value: Optional[float], numerator: Optional[float], denominator: Optional[float],
         note: Optional[str], exclude: bool, report: Place, astronomical: bool = False,
         subgroup: SubgroupFields = NO_SUBGROUP) -> None:
    """Check one point and keep it when it can be charted."""
    if not period:
        series.problems.append(report("a point has no period", "period"))
        return
    chart = series.measure.chart
    grouped = chart is not None and chart.type == "xbar-s"
    summary: Optional[Subgroup] = None
    if any(part is not None for part in subgroup):
        summary = _subgroup(series, period, value, subgroup, report)
        if summary is None:
            return
        if not grouped:
            key = "values" if subgroup[0] is not None else "n"
            series.problems.append(report(f"{_shortened(period)} is a subgroup ({'values' if key == 'values' else 'n, mean and sd'}), "
                                          f"which only an xbar-s chart reads, not this {chart.type if chart else 'run'} chart: "
                                          "write `chart: {type: xbar-s}`, or one value a period", key))
            return
        value = summary.mean
    elif grouped and series.observations is None and value is not None:
        series.problems.append(report(f"{_shortened(period)} has one value; an xbar-s chart reads a subgroup a period: "
                                      "`values: [...]`, or `n`, `mean` and `sd`", "value"))
        return
    if denominator is not None and denominator <= 0:
        series.problems.append(report(f"the denominator of {_shortened(period)} is {denominator:g}: it must be above zero", "denominator"))
        return
    if numerator is not None and numerator < 0:
        series.problems.append(report(f"the numerator of {_shortened(period)} is negative", "numerator"))
        return
    if numerator is not None and denominator is not None and numerator > denominator and chart and chart.type in ("p", "p-prime"):
        series.problems.append(report(f"the numerator of {_shortened(period)} ({numerator:g}) is more than its denominator ({denominator:g}): "
                                      "a proportion cannot be above 1", "numerator"))
        return
    if value is None:
        if numerator is None or denominator is None:
            wanted = "values, nor n, mean and sd" if grouped else "nor a numerator and a denominator"
            series.problems.append(report(f"{_shortened(period)} has no value ({wanted})", "values" if grouped and series.observations is None else "value"))
            return
        value = numerator / denominator * series.scale
        if not abs(value) <= LARGEST:
            series.problems.append(report(f"the value of {_shortened(period)} (numerator / denominator) is too large to chart", "numerator"))
            return
    if not abs(value) <= LARGEST:
        series.problems.append(report(f"the value of {_shortened(period)} is too large to chart (over {LARGEST:g})", "value"))
        return
    if series.observations is not None and summary is None:  # one value of a subgroup, grouped once the file is read
        series.observations.append((period, value, note, exclude, report))
        return
    if period in series.periods:
        series.problems.append(report(f"the period {_shortened(period)} appears twice", "period"))
        return
    series.periods[period] = len(series.points)
    series.points.append(Point(period, value, numerator, denominator, note, exclude, astronomical,
                               summary.n if summary else None, summary.sd if summary else None))
    series.places.append(report)


def _subgroup(series: Series, period: str, value: Optional[float], fields: SubgroupFields, report: Place) -> Optional[Subgroup]:
    """A point's subgroup, from its values or its n, mean and sd; None, with the problem said, when
    it cannot be read."""
    values, size, mean, sd = fields
    name = _shortened(period)
    if values is not None and any(part is not None for part in (size, mean, sd)):
        series.problems.append(report(f"{name} has both `values` and a summary (n, mean, sd): keep one", "values"))
        return None
    if value is not None:
        series.problems.append(report(f"{name} has both a value and a subgroup: keep one", "value"))
        return None
    if values is not None:
        if len(values) < 2:
            series.problems.append(report(f"the subgroup of {name} has {len(values)} value{'' if len(values) == 1 else 's'}: "
                                          "an S chart needs 2 or more a period", "values"))
            return None
        if not all(abs(v) <= LARGEST for v in values):
            series.problems.append(report(f"a value of {name} is too large to chart (over {LARGEST:g})", "values"))
            return None
        return summarise(values)
    missing = [key for key, part in (("n", size), ("mean", mean), ("sd", sd)) if part is None]
    if missing:
        series.problems.append(report(f"the subgroup of {name} has no {' and no '.join(missing)}: a summary needs n, mean and sd", missing[0]))
        return None
    assert size is not None and mean is not None and sd is not None
    if size < 2:
        series.problems.append(report(f"the subgroup of {name} has n {size}: an S chart needs 2 or more values a period", "n"))
        return None
    if sd < 0:
        series.problems.append(report(f"the standard deviation of {name} is {sd:g}: it cannot be negative", "sd"))
        return None
    if not (abs(mean) <= LARGEST and sd <= LARGEST):
        series.problems.append(report(f"the subgroup of {name} is too large to chart (over {LARGEST:g})", "mean" if abs(mean) > LARGEST else "sd"))
        return None
    return Subgroup(size, mean, sd)


def _group(series: Series) -> None:
    """The values read from a CSV of one row per value, made into one subgroup per period: the rows
    of a period come together; a note or an `exclude` on any of them is the subgroup's."""
    rows, series.observations = series.observations or [], None
    start, seen = 0, set()
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end][0] == rows[start][0]:
            end += 1
        period, _, _, _, place = rows[start]
        group = rows[start:end]
        if period in seen:
            series.problems.append(place(f"the rows of {_shortened(period)} are not together: put each period's rows one after another", "period"))
        elif len(group) < 2:
            series.problems.append(place(f"the subgroup of {_shortened(period)} has 1 value (1 row): an S chart needs 2 or more a period", "value"))
        else:
            note = "; ".join(dict.fromkeys(row[2] for row in group if row[2])) or None
            _add(series, period, None, None, None, note, any(row[3] for row in group), place,
                 subgroup=([row[1] for row in group], None, None, None))
        seen.add(period)
        start = end


def period_date(period: str) -> Optional[dt.date]:
    """The date a period stands for, as `parse_date` reads it, or None for a label. A day written
    2024-03-15 is read directly, and text with no year of four digits is not tried: a long
    series of days or of labels is read quickly."""
    if ISO_DAY.fullmatch(period):
        try:
            day = dt.date.fromisoformat(period)
        except ValueError:
            return None
        return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
    if ISO_MONTH.fullmatch(period):  # 2024-05, the commonest period, read as parse_date reads it
        year, month = int(period[:4]), int(period[5:])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return WrittenDate(year, month, calendar.monthrange(year, month)[1], "month")
    if not YEAR.search(period):
        return None
    try:
        date = parse_date(period)
    except ValueError:
        return None
    return date if isinstance(date, dt.date) else None


def _check_order(series: Series) -> None:
    """Periods that are dates must run forward in time (labels such as "Week 3" are taken as
    written). Where more than three in four periods are dates, one that is not (2024-15, a typo)
    is a bad row: it is reported and left out, so that the others are still read as dates."""
    dates = series.dates = [period_date(point.period) for point in series.points]
    real = [d is not None for d in dates]
    if (len(real) - sum(real)) * 4 >= len(real):
        return  # labels (Week 12, 2016-17, 2024-13 for a week), taken as written, even where some look like dates
    bad = [index for index in range(len(dates)) if not real[index]]
    for index in bad:
        period = _shortened(series.points[index].period)
        what = "a real date" if DATE_SHAPE.match(period) else "a date"
        series.problems.append(series.places[index](f"the period {period} is not {what}, though the other periods are dates: "
                                                    "write it as 2024-05 or 2024-05-31", "period"))
    if bad:
        keep = [index for index in range(len(dates)) if real[index]]
        series.points[:] = [series.points[index] for index in keep]
        series.places[:] = [series.places[index] for index in keep]
        dates = series.dates = [dates[index] for index in keep]
        series.periods = {point.period: index for index, point in enumerate(series.points)}
    for index in range(1, len(dates)):
        previous, current = dates[index - 1], dates[index]
        if current <= previous:  # type: ignore[operator]
            point = series.points[index]
            series.problems.append(series.places[index](f"the period {_shortened(point.period)} does not come after the one before it: "
                                                        "put the points in time order", "period"))
            return
