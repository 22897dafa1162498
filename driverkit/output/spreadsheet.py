"""Spreadsheets: the measurement plan, the PDSA log, the spread matrix and the measures' data with
their charts' figures, as CSV files and Excel workbooks.

In a workbook a number is a number cell (the baseline, the goal, the data, the limits), so that
an analyst can sort, filter and chart it; all other values are text cells.

A spreadsheet runs any cell that starts with `=`, `+`, `-` or `@` as a formula, so a measure
definition such as `=HYPERLINK("http://evil.example", "click")` would become a live link, or
worse, in the hands of whoever opens the plan ("CSV injection"). Every such value is therefore
written as plain text: with a leading apostrophe in the CSV (the OWASP defence), as a text cell
in the workbook. Characters XML cannot hold (control characters other than tab, newline and
carriage return) are dropped. The same plan always gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Sequence, Union

from driverkit.documents.pdsa import FIELDS, PdsaLog
from driverkit.documents.plan import COLUMNS, MeasurementPlan, PlanRow
from driverkit.documents.spread import ADOPTIONS, SpreadView
from driverkit.project.fields import written_date

if TYPE_CHECKING:
    from driverkit.spc.analysis import Analysis

# Values a spreadsheet would execute as a formula (OWASP list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids: C0 controls other than tab, newline and carriage return, etc.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Column widths in characters: wide for the long text columns, which also wrap.
_WIDE = {"definition": 50, "source": 40, "collection": 40, "measures": 40}
_WIDTHS = {"id": 8, "name": 30, "family": 11, "numerator": 30, "denominator": 30}
_NARROW = 14
_HEADER_FILL = "DDEBF7"
_FIXED_TIME = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _clean(value: str) -> str:
    return _ILLEGAL.sub("", value)


_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def _is_formula(value: str) -> bool:
    """A value a spreadsheet would run; a plain negative number such as -5 is not one."""
    return value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value)


def _rows(plan: MeasurementPlan) -> list[list[str]]:
    return [[_clean(row.values.get(key, "")) for key, _ in COLUMNS] for row in plan.rows]


def plan_csv(plan: MeasurementPlan) -> bytes:
    """The plan as CSV: UTF-8 with a BOM, CRLF line ends, a header row, one row per measure."""
    return _csv([header for _, header in COLUMNS], _rows(plan))


# The workbook's columns: the plan's, with the baseline as a number and its date beside it.
XLSX_COLUMNS = tuple(column for key, header in COLUMNS
                     for column in ([(key, header), ("baseline_date", "Baseline date")] if key == "baseline" else [(key, header)]))


def _plan_cells(row: PlanRow) -> list[Cell]:
    """One measure's cells: text as written, the baseline and the goal as numbers."""
    measure = row.measure
    numbers = {"baseline": measure.baseline, "goal": measure.goal}
    cells: list[Cell] = []
    for key, _ in XLSX_COLUMNS:
        if key in numbers:
            cells.append(_number(numbers[key]))
        elif key == "baseline_date":
            cells.append(written_date(measure.baseline_date) if measure.baseline_date is not None else None)
        else:
            cells.append(row.values.get(key, ""))
    return cells


def plan_xlsx(plan: MeasurementPlan) -> bytes:
    """The plan as an Excel workbook: every measure on the first sheet, then a sheet per family."""
    headers = [header for _, header in XLSX_COLUMNS]
    widths = [_WIDE.get(key) or _WIDTHS.get(key, _NARROW) for key, _ in XLSX_COLUMNS]
    wrap = [key in _WIDE for key, _ in XLSX_COLUMNS]
    sheets = [Sheet("Measurement plan", headers, [_plan_cells(row) for row in plan.rows], widths, wrap)]
    sheets += [Sheet(group.family.capitalize(), headers, [_plan_cells(row) for row in group.rows], widths, wrap)
               for group in plan.groups]
    return workbook_bytes(plan.title, sheets)


# -- writing any table ---------------------------------------------------------------------------

Cell = Union[str, int, float, bool, None]


@dataclass
class Sheet:
    """One sheet of a workbook: a header row, then rows of text and numbers."""

    name: str
    headers: list[str]
    rows: list[list[Cell]]
    widths: list[float] = field(default_factory=list)  # in characters; _NARROW when not given
    wrap: list[bool] = field(default_factory=list)  # which columns wrap their text


def _number(value: Optional[float]) -> Optional[float]:
    """A number for a cell: whole numbers as integers, so that 4 is shown 4, not 4.0."""
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    value = _clean(value)
    return "'" + value if _is_formula(value) else value


def _csv(headers: list[str], rows: list[list[Cell]]) -> bytes:
    """CSV as spreadsheets read it: UTF-8 with a BOM, CRLF line ends, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def workbook_bytes(title: str, sheets: list[Sheet]) -> bytes:
    """A workbook of `sheets`, the same bytes for the same sheets: numbers as number cells, text as
    text cells (never a formula), a bold filled header row, frozen, with a filter."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.properties.title = _clean(title)
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    for index, spec in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = _sheet_name(spec.name, [s.name for s in sheets[:index]])
        sheet.append([_clean(h) for h in spec.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row_number, row in enumerate(spec.rows, start=2):
            for column, value in enumerate(row, start=1):
                wrap = column <= len(spec.wrap) and spec.wrap[column - 1]
                if value is None or value == "":
                    continue
                cell = sheet.cell(row_number, column)
                if isinstance(value, (bool, int, float)):
                    cell.value = value  # a number cell (a yes/no as a boolean one)
                else:
                    text = _clean(value)
                    cell.value = text
                    cell.data_type = "s"  # openpyxl makes "=..." a formula: force text
                    if _is_formula(text):
                        cell.quotePrefix = True  # Excel's own "typed with an apostrophe" mark
                cell.alignment = Alignment(vertical="top", wrap_text=wrap)
        for column in range(1, len(spec.headers) + 1):
            width = spec.widths[column - 1] if column <= len(spec.widths) else _NARROW
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.headers))}{len(spec.rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _sheet_name(name: str, taken: list[str]) -> str:
    """A name Excel accepts: no []:*?/\\, at most 31 characters, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", _clean(name)).strip("' ")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in (t.lower() for t in taken):
        suffix = f" ({number})"
        candidate, number = base[:31 - len(suffix)] + suffix, number + 1
    return candidate


# -- the PDSA log --------------------------------------------------------------------------------

PDSA_COLUMNS = (("change", "Change idea id"), ("change_text", "Change idea"), ("id", "Cycle id"), ("number", "Cycle"),
                ("of", "Cycles in ramp")) + tuple((key, label) for key, label in FIELDS)
_PDSA_WIDE = {"change_text", "objective", "question", "prediction", "what", "do", "study", "notes"}


def _pdsa_rows(log: PdsaLog) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for group in log.groups:
        for cycle in group.cycles:
            values: dict[str, Cell] = {**cycle.values, "change_text": group.text, "number": cycle.number, "of": cycle.of}
            rows.append([values.get(key, "") for key, _ in PDSA_COLUMNS])
    return rows


def pdsa_csv(log: PdsaLog) -> bytes:
    """The PDSA log as CSV: one row per cycle, each change idea's cycles in ramp order."""
    return _csv([label for _, label in PDSA_COLUMNS], _pdsa_rows(log))


def pdsa_xlsx(log: PdsaLog) -> bytes:
    """The PDSA log as a workbook: one row per cycle, its place in the ramp as numbers."""
    widths = [40 if key in _PDSA_WIDE else 12 if key in ("number", "of") else _NARROW for key, _ in PDSA_COLUMNS]
    wrap = [key in _PDSA_WIDE for key, _ in PDSA_COLUMNS]
    return workbook_bytes(log.title, [Sheet("PDSA log", [label for _, label in PDSA_COLUMNS], _pdsa_rows(log), widths, wrap)])


# -- the spread matrix ---------------------------------------------------------------------------

def _spread_table(spread: SpreadView) -> tuple[list[str], list[list[Cell]]]:
    headers = ["Wave", "Site id", "Site"] + [column.id for column in spread.columns] + ["Notes"]
    rows: list[list[Cell]] = []
    for group in spread.groups:
        wave: Cell = group.wave.number if group.wave is not None else None
        for row in group.rows:
            rows.append([wave, row.id, row.name, *row.cells, row.notes])
    return headers, rows


def spread_csv(spread: SpreadView) -> bytes:
    """The spread matrix as CSV: a row per site (wave by wave), a column per change idea, each cell
    the site's status for it (planned, testing, adopted, not-adopting) or empty."""
    return _csv(*_spread_table(spread))


def spread_xlsx(spread: SpreadView) -> bytes:
    """The spread matrix, then a sheet of the change ideas with how many sites are at each status."""
    headers, rows = _spread_table(spread)
    matrix = Sheet("Spread matrix", headers, rows, [8, 10, 40] + [13] * len(spread.columns) + [40],
                   [False, False, True] + [False] * len(spread.columns) + [True])
    ideas = Sheet("Change ideas", ["Change idea id", "Change idea", *(s.capitalize() for s in ADOPTIONS), "Sites"],
                  [[c.id, c.text, *(c.counts.get(s, 0) for s in ADOPTIONS), c.sites] for c in spread.columns],
                  [14, 50] + [13] * (len(ADOPTIONS) + 1), [False, True])
    return workbook_bytes(spread.title, [matrix, ideas])


# -- the measures' data with their charts' figures --------------------------------------------------

MEASURE_DATA_HEADERS = ["Measure id", "Measure", "Chart", "Rules", "Phase", "Period", "Value", "Centre", "Lower limit",
                        "Upper limit",
                        # the lower panel of an XmR chart, and of an Xbar-S chart with each subgroup's size
                        "Moving range", "Moving range centre", "Moving range upper limit",
                        "Subgroup size", "S", "S centre", "S lower limit", "S upper limit",
                        "Excluded", "Signals", "Note"]


def _measure_rows(analyses: Sequence[Analysis]) -> list[list[Cell]]:
    """A row per point: the value and the chart's figures there, the rules that flag it."""
    rows: list[list[Cell]] = []
    for analysis in analyses:
        flagged: dict[int, list[str]] = {}
        for signal in analysis.signals:
            for index in signal.points:
                flagged.setdefault(index, [])
                if signal.rule not in flagged[index]:
                    flagged[index].append(signal.rule)
        phase_of = {i: ph.label for ph in analysis.phases for i in range(ph.first, ph.last + 1)}
        for i, period in enumerate(analysis.periods):
            def at(values: list[Optional[float]]) -> Cell:
                return _number(values[i]) if i < len(values) else None

            rows.append([str(analysis.measure.id), analysis.measure.name, analysis.chart, analysis.profile, phase_of.get(i, ""),
                         period, _number(analysis.values[i]), at(analysis.centre), at(analysis.lower), at(analysis.upper),
                         at(analysis.moving_range), at(analysis.moving_range_centre), at(analysis.moving_range_upper),
                         at(analysis.subgroup_size), at(analysis.s), at(analysis.s_centre), at(analysis.s_lower), at(analysis.s_upper),
                         analysis.excluded[i], "; ".join(flagged.get(i, [])), analysis.notes[i] or ""])
    return rows


def measure_data_csv(title: str, analyses: Sequence[Analysis]) -> bytes:
    """Every measure's data, a row per point, with its chart's centre, limits and signals."""
    return _csv(MEASURE_DATA_HEADERS, _measure_rows(analyses))


def measure_data_xlsx(title: str, analyses: Sequence[Analysis]) -> bytes:
    """The same as the CSV on one sheet (numbers as numbers, to filter and pivot), then each
    measure's reading in words."""
    widths = [10, 30, 8, 8, 24, 11] + [10] * 12 + [9, 24, 40]
    data = Sheet("Measure data", MEASURE_DATA_HEADERS, _measure_rows(analyses), widths,
                 [False, True] + [False] * (len(MEASURE_DATA_HEADERS) - 3) + [True])
    readings = Sheet("Readings", ["Measure id", "Reading"],
                     [[str(a.measure.id), line.strip()] for a in analyses for line in a.summary()], [10, 120], [False, True])
    return workbook_bytes(title, [data, readings])


def _normalise_zip(data: bytes) -> bytes:
    """The same archive with fixed times, entries in name order and one compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist()):
            content = source.read(name)
            if name == "docProps/core.xml":  # save() stamps the current time as modified
                content = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*",
                                 rb"\g<1>2000-01-01T00:00:00Z", content)
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, content)
    return out.getvalue()
