"""The measurement plan as a CSV file and as an Excel workbook.

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
import re
import zipfile

from driverkit.documents.plan import COLUMNS, MeasurementPlan

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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header in COLUMNS])
    for row in _rows(plan):
        writer.writerow(["'" + value if _is_formula(value) else value for value in row])
    return out.getvalue().encode("utf-8-sig")


def plan_xlsx(plan: MeasurementPlan) -> bytes:
    """The plan as an Excel workbook: every measure on the first sheet, then a sheet per family."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.properties.title = _clean(plan.title)
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    sheets = [("Measurement plan", plan.rows)]
    sheets += [(group.family.capitalize(), group.rows) for group in plan.groups]
    for index, (name, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        sheet.append([header for _, header in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row_number, row in enumerate(rows, start=2):
            for column, (key, _) in enumerate(COLUMNS, start=1):
                value = _clean(row.values.get(key, ""))
                if not value:
                    continue
                cell = sheet.cell(row_number, column)
                cell.value = value
                cell.data_type = "s"  # openpyxl makes "=..." a formula: force text
                if _is_formula(value):
                    cell.quotePrefix = True  # Excel's own "typed with an apostrophe" mark
                cell.alignment = Alignment(vertical="top", wrap_text=key in _WIDE)
        for column, (key, _) in enumerate(COLUMNS, start=1):
            width = _WIDE.get(key) or _WIDTHS.get(key, _NARROW)
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue())


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
