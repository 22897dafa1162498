"""A measure's data over time: written in the project file (`data:`) or in a CSV beside it
(`data_file:`), read into one series with every problem found and placed.

A problem in a CSV is reported at the CSV's own file and line, so an editor jumps to the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from driverkit.diagnostics import ProjectError
from driverkit.fields import parse_date
from driverkit.model import Measure, PathKey, Project
from driverkit.source import decode

# A CSV's yes and no: YAML's words (as the same flags under `data:` take them), spreadsheet numbers, and a mark.
TRUE_WORDS = {"1", "1.0", "true", "t", "yes", "y", "on", "x"}
FALSE_WORDS = {"0", "0.0", "false", "f", "no", "n", "off", "-"}
DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?$")  # among dates, 2024-13 is a date mistyped


@dataclass(frozen=True)
class Point:
    period: str
    value: float  # the value charted: the value itself, or numerator / denominator
    numerator: Optional[float] = None
    denominator: Optional[float] = None
    note: Optional[str] = None
    exclude: bool = False
    astronomical: bool = False  # the team's judgement, read by the ihi rules


@dataclass(frozen=True)
class Problem:
    """Something wrong with the data: where it is and what it is."""

    message: str
    file: Optional[str] = None  # a CSV file; None for the project file
    line: int = 1
    column: int = 1
    path: PathKey = ()  # the place in the project file, for data written there


Place = Callable[[str, Optional[str]], Problem]  # (message, column or key) -> the problem, placed


@dataclass
class Series:
    measure: Measure
    points: list[Point] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""  # the CSV file, or "" for data written in the project file
    places: list[Place] = field(default_factory=list, repr=False)  # where each point was written

    @property
    def scale(self) -> float:
        """100 for a percentage measure, so numerator / denominator reads in its unit."""
        unit = (self.measure.unit or "").strip().lower()
        return 100.0 if unit.startswith("%") or unit.startswith("per cent") or unit == "percent" else 1.0


def load_series(project: Project, measure: Measure) -> Series:
    """The measure's data as a series; `problems` lists what is wrong (the points kept are usable).

    A value computed from a numerator and a denominator is a fraction, shown as a percentage when
    the measure's unit is "%" (a denominator written "per 1,000" is already scaled by its writer).
    """
    series = Series(measure)
    if measure.data and measure.data_file:
        series.problems.append(Problem("the measure has both `data:` and `data_file:`; keep one", path=measure.path + ("data_file",)))
        return series
    if measure.data_file:
        _read_csv(project, measure, series)
    else:
        for index, point in enumerate(measure.data):
            where = measure.path + ("data", index)
            _add(series, point.period, point.value, point.numerator, point.denominator, point.note, point.exclude,
                 lambda message, key, where=where: Problem(message, path=where + ((key,) if key else ())), point.astronomical)
    _check_order(series)
    return series


def _read_csv(project: Project, measure: Measure, series: Series) -> None:
    path = Path(str(measure.data_file))
    if not path.is_absolute() and project.file not in ("<string>", ""):
        path = Path(project.file).parent / path
    series.source = str(path)
    try:
        text = decode(path.read_bytes(), str(path))
    except FileNotFoundError:
        series.problems.append(Problem(f"the data file {path} does not exist", path=measure.path + ("data_file",)))
        return
    except OSError as exc:
        series.problems.append(Problem(f"the data file {path} cannot be read: {exc.strerror or exc}", path=measure.path + ("data_file",)))
        return
    except ProjectError as exc:
        first = exc.diagnostics[0]
        series.problems.append(Problem(first.message, str(path), first.line, first.column))
        return
    reader = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(reader, [])]
    columns = {name: index for index, name in enumerate(header)}
    needed = "period and value" if "value" in columns or "numerator" not in columns else "period, numerator and denominator"
    missing = [name for name in ("period", *(("value",) if needed == "period and value" else ("numerator", "denominator")))
               if name not in columns]
    if missing:
        series.problems.append(Problem(f"the data file needs the column{'s' if len(missing) > 1 else ''} "
                                       f"{', '.join(missing)} (its header has: {', '.join(header) or 'nothing'})", str(path), 1, 1))
        return
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str) -> Optional[str]:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) and row[index].strip() else None

        def problem(message: str, name: Optional[str], line: int = line_number, row: list[str] = row) -> Problem:
            column = 1 + sum(len(c) + 1 for c in row[: columns[name]]) if name in columns else 1
            return Problem(message, str(path), line, column)

        numbers: dict[str, Optional[float]] = {}
        bad = False
        for name in ("value", "numerator", "denominator"):
            raw = cell(name)
            try:
                numbers[name] = float(raw.replace(",", "")) if raw is not None else None
            except ValueError:
                series.problems.append(problem(f"`{raw}` in column {name} is not a number", name))
                bad = True
        for name in ("exclude", "astronomical"):
            flag = (cell(name) or "").lower()
            if flag and flag not in TRUE_WORDS | FALSE_WORDS:
                series.problems.append(problem(f"`{cell(name)}` in column {name} is neither yes nor no", name))
                bad = True
        if bad:
            continue
        _add(series, cell("period") or "", numbers["value"], numbers["numerator"], numbers["denominator"],
             cell("note"), (cell("exclude") or "").lower() in TRUE_WORDS, problem,
             (cell("astronomical") or "").lower() in TRUE_WORDS)


def _add(series: Series, period: str, value: Optional[float], numerator: Optional[float], denominator: Optional[float],
         note: Optional[str], exclude: bool, report: Place, astronomical: bool = False) -> None:
    """Check one point and keep it when it can be charted."""
    if not period:
        series.problems.append(report("a point has no period", "period"))
        return
    if denominator is not None and denominator <= 0:
        series.problems.append(report(f"the denominator of {period} is {denominator:g}: it must be above zero", "denominator"))
        return
    if numerator is not None and numerator < 0:
        series.problems.append(report(f"the numerator of {period} is negative", "numerator"))
        return
    chart = series.measure.chart
    if numerator is not None and denominator is not None and numerator > denominator and chart and chart.type in ("p", "p-prime"):
        series.problems.append(report(f"the numerator of {period} ({numerator:g}) is more than its denominator ({denominator:g}): "
                                      "a proportion cannot be above 1", "numerator"))
        return
    if value is None:
        if numerator is None or denominator is None:
            series.problems.append(report(f"{period} has no value (nor a numerator and a denominator)", "value"))
            return
        value = numerator / denominator * series.scale
    if any(p.period == period for p in series.points):
        series.problems.append(report(f"the period {period} appears twice", "period"))
        return
    series.points.append(Point(period, value, numerator, denominator, note, exclude, astronomical))
    series.places.append(report)


def _check_order(series: Series) -> None:
    """Periods that are dates must run forward in time (labels such as "Week 3" are taken as
    written). Where more than three in four periods are dates, one that is not (2024-15, a typo)
    is a bad row: it is reported and left out, so that the others are still read as dates."""
    dates: list[object] = []
    for point in series.points:
        try:
            dates.append(parse_date(point.period))
        except ValueError:
            dates.append(None)
    real = [isinstance(d, dt.date) for d in dates]
    if (len(real) - sum(real)) * 4 >= len(real):
        return  # labels (Week 12, 2016-17, 2024-13 for a week), taken as written, even where some look like dates
    bad = [index for index in range(len(dates)) if not real[index]]
    for index in bad:
        period = series.points[index].period
        what = "a real date" if DATE_SHAPE.match(period) else "a date"
        series.problems.append(series.places[index](f"the period {period} is not {what}, though the other periods are dates: "
                                                    "write it as 2024-05 or 2024-05-31", "period"))
    for index in reversed(bad):
        del series.points[index], series.places[index], dates[index]
    for index in range(1, len(dates)):
        previous, current = dates[index - 1], dates[index]
        if current <= previous:  # type: ignore[operator]
            point = series.points[index]
            series.problems.append(series.places[index](f"the period {point.period} does not come after the one before it: "
                                                        "put the points in time order", "period"))
            return
