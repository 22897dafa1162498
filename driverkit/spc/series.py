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
import operator
import re
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Optional, Sequence, overload

from driverkit.project.diagnostics import ProjectError
from driverkit.project.fields import FIRST_YEAR, LAST_YEAR, WrittenDate, first_day, parse_date
from driverkit.project.files import FileRefused, read_named
from driverkit.project.model import Measure, PathKey, Project
from driverkit.project.source import decode
from driverkit.spc.subgroup import Subgroup, summarise

# A CSV's yes and no: YAML's words (as the same flags under `data:` take them), spreadsheet numbers, and a mark.
TRUE_WORDS = {"1", "1.0", "true", "t", "yes", "y", "on", "x"}
FALSE_WORDS = {"0", "0.0", "false", "f", "no", "n", "off", "-"}
FLAG_WORDS = TRUE_WORDS | FALSE_WORDS
DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?$")  # among dates, 2024-13 is a date mistyped
YEAR = re.compile(r"^\s*\d{4}|\d{4}\s*$")  # every date begins or ends with its year
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
PLAIN_COLUMN = re.compile(r"[^\W\d][\w .%()-]{0,31}")  # a column name as people write one
KNOWN_COLUMNS = ("period", "value", "numerator", "denominator", "n", "mean", "sd", "note", "exclude", "astronomical")
QUICK_COLUMNS = ("period", "value", "numerator", "denominator", "note", "exclude", "astronomical")  # a row of plain numbers
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
    places: Sequence[Place] = field(default_factory=list, repr=False)  # where each point was written
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
    collector runs as usual afterwards.

    The objects made meanwhile are handed to the collector's oldest generation (freeze, then
    unfreeze: two list splices), as if they had survived its earlier passes; else its next pass
    would walk every one of them at once (a tenth of a second after a 136-member programme).
    They are still collected, by its next full pass. Not when the caller keeps objects frozen
    itself (`gc.freeze()` before a fork): those stay as they are."""
    if not gc.isenabled():
        yield
        return
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if not frozen:
            gc.freeze()
            gc.unfreeze()
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
    lines = _single_lines(text)
    if lines is not None:  # the common file: each row on its own line, numbered as it comes
        reader = csv.reader(lines)
        first = next(reader, [])
        rows: Iterator[tuple[int, list[str]]] = enumerate(reader, 2)
    else:
        # Universal newlines: a bare CR (old Excel for Mac) ends a line as LF and CRLF do.
        reader = csv.reader(io.StringIO(text, newline=None))
        try:
            first = next(reader, [])
        except csv.Error:
            first = []
        rows = _numbered_rows(reader, series, str(shown))
    header = [cell.strip().lower() for cell in first]
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
    if lines is None or not _read_columns(series, lines[1:], known, len(first)):
        _read_rows(series, rows, known)
    if series.observations is not None:
        _group(series)


def _single_lines(text: str) -> Optional[list[str]]:
    """The lines of a CSV where each line is one row, as the csv module would read them: no quote
    (a quoted cell may hold commas and line breaks) and no line long enough to hold a cell over the
    csv module's limit. None for any other file, which is read row by row instead, as is a file of
    far more lines than a series may have rows (its rows past the limit are never read)."""
    if '"' in text or text.count("\n") + text.count("\r") > 2 * MAX_POINTS:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # universal newlines
    return lines if max(map(len, lines)) < csv.field_size_limit() else None


def _numbered_rows(reader: Iterator[list[str]], series: Series, file: str) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted note may run over several lines); a row that
    is not well-formed CSV is reported and left out."""
    last_line = reader.line_num  # type: ignore[attr-defined]
    while True:
        line_number = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            series.problems.append(Problem(f"the row cannot be read as CSV: {_csv_error(exc)}", file, line_number, 1))
            last_line = reader.line_num  # type: ignore[attr-defined]
            continue
        last_line = reader.line_num  # type: ignore[attr-defined]
        yield line_number, row


def _quick(series: Series, known: tuple[int, ...]) -> bool:
    """Whether the rows hold one value, or a numerator and a denominator, each: rows that a quick
    reading can take. Subgroups (the columns n, mean and sd, an xbar-s chart) are read row by row."""
    chart = series.measure.chart
    return series.observations is None and not (chart is not None and chart.type == "xbar-s") \
        and known[KNOWN_COLUMNS.index("n")] == known[KNOWN_COLUMNS.index("mean")] == known[KNOWN_COLUMNS.index("sd")] == -1


def _read_columns(series: Series, lines: list[str], known: tuple[int, ...], width: int) -> bool:
    """Read the lines after the header of a file of one row a line (see `_single_lines`) column by
    column, when every row is a point and nothing is wrong: each line has the header's cells and a
    period no other line has, every number is plainly written and in range, every flag plainly yes
    or no. Then the series holds them all and the answer is True. At the first thing that is not so,
    nothing is kept and the answer is False: the rows are then read one by one, which finds and
    words every problem. A series of 100,000 points is read here in a fraction of the time."""
    if lines and not lines[-1]:
        lines = lines[:-1]  # the line break that ends the file
    if not lines or len(lines) > MAX_POINTS or not _quick(series, known):
        return False
    # With no quote in the file a comma always ends a cell: a line of the header's cells has one
    # comma fewer, and the lines joined by commas are the cells of every row, row after row.
    if set(map(str.count, lines, repeat(","))) != {width - 1}:
        return False  # a row longer or shorter than the header
    cells = ",".join(lines).split(",")
    period, value, numerator, denominator, note, exclude, astronomical = (
        cells[index::width] if index >= 0 else None for index in (known[KNOWN_COLUMNS.index(name)] for name in QUICK_COLUMNS))
    periods = list(map(str.strip, period))  # type: ignore[arg-type]
    if not all(periods) or len(set(periods)) < len(periods):
        return False  # a blank row, a row with no period or a period twice: said row by row
    try:  # an empty cell or a number written with words or commas is read row by row
        values = None if value is None else list(map(float, value))
        tops = None if numerator is None else list(map(float, numerator))
        bottoms = None if denominator is None else list(map(float, denominator))
    except ValueError:
        return False
    if tops is not None and not _within(tops, 0, LARGEST) or bottoms is not None and not _within(bottoms, 0, LARGEST, above=True):
        return False
    chart = series.measure.chart
    if tops is not None and bottoms is not None:
        if chart is not None and chart.type in ("p", "p-prime") and any(map(operator.gt, tops, bottoms)):
            return False  # a proportion above 1
        if values is None:
            scale = series.scale
            values = [top / bottom * scale for top, bottom in zip(tops, bottoms)]
    if values is None or not _within(values, -LARGEST, LARGEST):
        return False
    notes = repeat(None) if note is None else [cell or None for cell in map(str.strip, note)]
    flags = []
    for column in (exclude, astronomical):
        written = None if column is None else list(map(str.lower, map(str.strip, column)))
        if written is not None and not all(not flag or flag in FLAG_WORDS for flag in written):
            return False
        flags.append(repeat(False) if written is None else [flag in TRUE_WORDS for flag in written])
    # Each point and place made from a tuple of its fields, as NamedTuple._make does, with no call
    # of Python code a point: this is most of the time of reading a long series.
    fields = zip(periods, values, tops or repeat(None), bottoms or repeat(None), notes, *flags, repeat(None), repeat(None))
    series.points = list(map(tuple.__new__, repeat(Point), fields))
    series.periods = dict(zip(periods, range(len(periods))))
    series.places = _LinePlaces(series.source, known, lines)
    return True


def _within(numbers: list[float], low: float, high: float, above: bool = False) -> bool:
    """Whether every number is from `low` to `high` (above `low`, not at it, when `above`); never
    for nan or infinity. A sum is nan or infinite when any of its numbers is: the least and the
    greatest then say the rest, without a comparison a number."""
    if not numbers or not math.isfinite(sum(numbers)):
        return False
    least, greatest = min(numbers), max(numbers)
    return (least > low if above else least >= low) and greatest <= high


def _read_rows(series: Series, rows: Iterator[tuple[int, list[str]]], known: tuple[int, ...]) -> None:
    """Read the rows of a CSV into the series, one by one. A row of plain numbers is checked and
    kept in this loop; any other row (a problem, a flag not plainly yes or no, a subgroup) goes
    through `_csv_row`, which finds and words every problem. The loop keeps only what `_csv_row`
    would keep, the same way."""
    file = series.source
    chart = series.measure.chart
    proportion = chart is not None and chart.type in ("p", "p-prime")
    quick = _quick(series, known)
    wanted = tuple(known[KNOWN_COLUMNS.index(name)] for name in QUICK_COLUMNS)
    widest = max(wanted)  # a row shorter than the header's columns takes `_csv_row`
    cells = operator.itemgetter(*wanted)  # an absent column (-1) reads the "" added at the row's end
    scale = series.scale
    points, places, periods = series.points, series.places, series.periods
    assert isinstance(places, list)  # a new series: its places are a list
    count = 0
    for line, row in rows:
        if not "".join(row).strip():
            continue  # blank rows are skipped
        count += 1
        if count > MAX_POINTS:
            series.problems.append(_too_many(Problem("", file, line, 1)))
            return
        written = tuple(row)
        if quick and len(row) > widest:
            row.append("")
            period, value, numerator, denominator, note, exclude, astronomical = cells(row)
            period, value, numerator, denominator = period.strip(), value.strip(), numerator.strip(), denominator.strip()
            try:
                number = float(value) if value else None
                top = float(numerator) if numerator else None
                bottom = float(denominator) if denominator else None
            except ValueError:  # words, or 1,200: read cell by cell
                _csv_row(series, written, known, file, line)
                continue
            exclude, astronomical = exclude.strip().lower(), astronomical.strip().lower()
            if period and period not in periods and (not exclude or exclude in FLAG_WORDS) \
                    and (not astronomical or astronomical in FLAG_WORDS) \
                    and (top is None or 0 <= top <= LARGEST) and (bottom is None or 0 < bottom <= LARGEST) \
                    and not (proportion and top is not None and bottom is not None and top > bottom):
                if number is None and top is not None and bottom is not None:
                    number = top / bottom * scale
                if number is not None and -LARGEST <= number <= LARGEST:  # not nan, inf or huge
                    periods[period] = len(points)
                    points.append(Point(period, number, top, bottom, note.strip() or None,
                                        exclude in TRUE_WORDS, astronomical in TRUE_WORDS))
                    places.append(_CsvPlace(file, line, known, written))
                    continue
        _csv_row(series, written, known, file, line)


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


class _LinePlaces(Sequence[Place]):
    """The place of each point of a file read column by column (`_read_columns`), point i on line
    i + 2: made when a problem asks for it, rather than one for each of 100,000 points."""

    def __init__(self, file: str, known: tuple[int, ...], lines: list[str]) -> None:
        self.file, self.known, self.lines = file, known, lines

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, index: int) -> Place: ...

    @overload
    def __getitem__(self, index: slice) -> list[Place]: ...

    def __getitem__(self, index: int | slice) -> Place | list[Place]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        line = self.lines[index]  # an IndexError as a list gives
        number = index + 2 if index >= 0 else len(self.lines) + index + 2
        return _CsvPlace(self.file, number, self.known, tuple(line.split(",")))


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
    assert isinstance(series.places, list)  # a file read column by column adds no point one by one
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


@functools.lru_cache(maxsize=8192)  # series of many measures or members write the same periods again and again
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


def _dates(periods: list[str]) -> list[Optional[dt.date]]:
    """The date of each period, as `period_date` gives it; a long series of days (2024-03-15), the
    commonest long series, read all at once."""
    if periods and all(map(ISO_DAY.fullmatch, periods)):
        try:
            days = list(map(dt.date.fromisoformat, periods))
        except ValueError:  # 2024-02-30: not a date, which period_date says
            pass
        else:
            if FIRST_YEAR <= min(days).year and max(days).year <= LAST_YEAR:
                return days  # type: ignore[return-value]
    return [period_date(period) for period in periods]


def _check_order(series: Series) -> None:
    """Periods that are dates must run forward in time (labels such as "Week 3" are taken as
    written). Where more than three in four periods are dates, one that is not (2024-15, a typo)
    is a bad row: it is reported and left out, so that the others are still read as dates."""
    dates = series.dates = _dates([point.period for point in series.points])
    labels = dates.count(None)
    if labels * 4 >= len(dates):
        return  # labels (Week 12, 2016-17, 2024-13 for a week), taken as written, even where some look like dates
    bad = [index for index, date in enumerate(dates) if date is None] if labels else []
    for index in bad:
        period = _shortened(series.points[index].period)
        what = "a real date" if DATE_SHAPE.match(period) else "a date"
        series.problems.append(series.places[index](f"the period {period} is not {what}, though the other periods are dates: "
                                                    "write it as 2024-05 or 2024-05-31", "period"))
    if bad:
        keep = [index for index, date in enumerate(dates) if date is not None]
        series.points[:] = [series.points[index] for index in keep]
        series.places = [series.places[index] for index in keep]
        dates = series.dates = [dates[index] for index in keep]
        series.periods = {point.period: index for index, point in enumerate(series.points)}
    backwards = list(map(operator.le, dates[1:], dates[:-1]))  # each date on or before the one before it
    if True in backwards:
        index = backwards.index(True) + 1
        point = series.points[index]
        series.problems.append(series.places[index](f"the period {_shortened(point.period)} does not come after the one before it: "
                                                    "put the points in time order", "period"))
