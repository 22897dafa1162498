"""Reading a sheet (CSV or XLSX) into a grid of text cells, within bounds.

The file comes from whoever wrote it, so it is read the way driverkit reads every file (a regular
file, up to a size cap: `driverkit.project.files.read_regular`), and a workbook is unpacked only
when its parts add up to a bounded size. Cells are read as text. A formula is never run: openpyxl
gives the result the spreadsheet program saved with the file, and a formula saved without one is
reported, not worked out. Merged cells are read as their top cell repeated down the rows they span.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from driverkit.importing.errors import ImportFailed
from driverkit.project.files import FileRefused, read_regular

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # all the parts of a workbook, unpacked (a zip bomb is tiny)
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 5000  # the longest text the file format takes


@dataclass
class Cell:
    text: str
    merged_from: Optional[int] = None  # the row of the merged cell's top, when it is not this row
    formula: bool = False  # the text is the saved result of a formula


class Grid:
    """One sheet: rows of cells (None where blank), counted from 1 as a spreadsheet does."""

    def __init__(self, file: str, sheet: Optional[str], rows: list[list[Optional[Cell]]]):
        self.file = file
        self.sheet = sheet
        self.rows = rows
        # Formulas saved without their result: blank in `rows`, an error when the importer reads one
        # (a formula in a column it leaves out does no harm).
        self.unsaved: set[tuple[int, int]] = set()

    @property
    def height(self) -> int:
        return len(self.rows)

    def cell(self, row: int, column: int) -> Optional[Cell]:
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return cells[column - 1] if 0 < column <= len(cells) else None

    def text(self, row: int, column: int) -> Optional[str]:
        """The cell's text, None when blank."""
        if (row, column) in self.unsaved:
            raise self.fail(row, column, "a formula with no saved result: driverkit never works formulas out",
                            "Open the workbook in your spreadsheet program and save it (that stores the results), "
                            "or type the text in instead of the formula.")
        found = self.cell(row, column)
        return found.text if found else None

    def place(self, row: int, column: Optional[int] = None) -> str:
        """`Sheet1!C7` in a workbook, `C7` in a CSV file (`row 7` without a column)."""
        where = f"{column_letter(column)}{row}" if column else f"row {row}"
        if self.sheet is None:
            return where
        name = self.sheet if re.fullmatch(r"\w+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
        return f"{name}!{where}"

    def fail(self, row: int, column: Optional[int], message: str, hint: str = "") -> ImportFailed:
        return ImportFailed(self.file, self.place(row, column), message, hint)


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_file(path: str | Path) -> bytes:
    """The bytes of the file to import; ImportFailed when it is not a regular file or too big."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except FileRefused as exc:
        raise ImportFailed(str(path), "", exc.reason, exc.hint) from None


def _check_text(text: str, fail: Any, cap: int = MAX_CELL_CHARS) -> Optional[str]:
    if len(text) > cap:
        raise fail(f"the cell holds {len(text):,} characters; the limit is {cap:,}",
                   "Shorten the text: a box of a driver diagram says one thing.")
    text = text.strip()
    return text or None


# -- CSV ----------------------------------------------------------------------------------------

def read_csv(file: str, data: bytes, delimiter: Optional[str] = None, cap: int = MAX_CELL_CHARS) -> Grid:
    """A CSV (or tab-separated) file as a grid. The separator is the one the header line uses most
    (comma, semicolon or tab) unless given; no cell may hold more than `cap` characters."""
    if b"\x00" in data:
        raise ImportFailed(file, "", "this is a binary file, not a CSV file",
                           "Export the sheet as CSV (UTF-8) from your spreadsheet program.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(file, "", f"the file is not UTF-8 text (byte {exc.start + 1:,} cannot be read)",
                           "Save it as 'CSV UTF-8' from your spreadsheet program.") from None
    if delimiter is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Optional[Cell]]] = []
    grid = Grid(file, None, rows)
    try:
        for record in reader:
            row = len(rows) + 1
            if row > MAX_ROWS:
                raise grid.fail(row, None, f"the file has more than {MAX_ROWS:,} rows", "Split it into smaller files.")
            if len(record) > MAX_COLUMNS:
                raise grid.fail(row, None, f"the row has {len(record):,} columns; the limit is {MAX_COLUMNS}")
            cells: list[Optional[Cell]] = []
            for column, value in enumerate(record, start=1):
                kept = _check_text(value, lambda message, hint="": grid.fail(row, column, message, hint), cap)
                cells.append(Cell(kept) if kept is not None else None)
            rows.append(cells)
    except csv.Error as exc:
        raise ImportFailed(file, f"line {reader.line_num}", f"this line cannot be read as CSV ({exc})",
                           "Check the quotes on this line: a quoted cell must end with a quote.") from None
    return grid


def check_cells(grid: Grid, cap: int = MAX_CELL_CHARS) -> None:
    """Fail at the first cell over `cap` characters (for a grid read with a larger cap)."""
    for row, cells in enumerate(grid.rows, start=1):
        for column, cell in enumerate(cells, start=1):
            if cell is not None:
                _check_text(cell.text, lambda message, hint="": grid.fail(row, column, message, hint), cap)


# -- XLSX ---------------------------------------------------------------------------------------

def read_workbook(file: str, data: bytes, sheet: Optional[str] = None) -> list[Grid]:
    """The worksheets of an XLSX workbook as grids (only `sheet` when it is named)."""
    _check_package(file, data)
    values = _open_workbook(file, data, data_only=True)
    formulas = _open_workbook(file, data, data_only=False)
    names = [ws.title for ws in values.worksheets]
    if sheet is not None and sheet not in names:
        listed = ", ".join(names) or "none"
        raise ImportFailed(file, "", f"the workbook has no sheet named {sheet!r} (its sheets: {listed})",
                           "Name one of its sheets with --sheet.")
    return [_grid(file, ws, formulas[ws.title]) for ws in values.worksheets if sheet is None or ws.title == sheet]


def _check_package(file: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFailed(file, "", "this is not an XLSX workbook",
                           "Save it as an Excel workbook (.xlsx), or export the sheet as CSV.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFailed(file, "", f"the workbook unpacks to more than {MAX_UNPACKED_BYTES:,} bytes",
                           "Keep only the sheet of the driver diagram in the workbook, or export it as CSV.")


def _open_workbook(file: str, data: bytes, data_only: bool) -> Any:
    import openpyxl

    try:
        with warnings.catch_warnings():  # openpyxl warns about features it drops (validation, styles)
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False)
    except Exception as exc:  # a damaged workbook can fail in many ways inside openpyxl
        raise ImportFailed(file, "", f"the workbook cannot be read ({type(exc).__name__})",
                           "Open it in your spreadsheet program and save it again as .xlsx, or export the sheet as CSV.") from None


def _grid(file: str, ws: Any, formulas: Any) -> Grid:
    rows: list[list[Optional[Cell]]] = []
    grid = Grid(file, ws.title, rows)
    cells = _written_cells(ws)
    formula_cells = {key for key, cell in _written_cells(formulas).items() if cell.data_type == "f"}
    height = max((r for r, _ in [*cells, *formula_cells]), default=0)
    width = max((c for _, c in [*cells, *formula_cells]), default=0)
    if height > MAX_ROWS:
        raise grid.fail(height, None, f"the sheet has more than {MAX_ROWS:,} rows", "Split it into smaller sheets.")
    if width > MAX_COLUMNS:
        raise grid.fail(1, width, f"the sheet has more than {MAX_COLUMNS} columns")
    rows.extend([None] * width for _ in range(height))
    for (row, column), cell in sorted(cells.items()):
        value = _as_text(cell.value)
        if value is None:
            continue
        kept = _check_text(value, lambda message, hint="": grid.fail(row, column, message, hint))
        if kept is not None:
            rows[row - 1][column - 1] = Cell(kept, formula=(row, column) in formula_cells)
    for row, column in sorted(formula_cells):
        saved = cells.get((row, column))
        if rows[row - 1][column - 1] is None and (saved is None or _as_text(saved.value) is None):
            grid.unsaved.add((row, column))
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= height and merged.min_col <= width else None
        if top is None:
            continue
        # Down the first column only: a merge across columns spans cells that are meant to be empty.
        for row in range(merged.min_row + 1, min(merged.max_row, height) + 1):
            rows[row - 1][merged.min_col - 1] = Cell(top.text, merged_from=merged.min_row, formula=top.formula)
    return grid


def _written_cells(ws: Any) -> dict[tuple[int, int], Any]:
    """The cells the sheet holds, by (row, column). A sheet formatted down to its last row has a
    huge `max_row` but few cells, so the sheet's own store of cells is read, not the whole range."""
    store = getattr(ws, "_cells", None)
    if store is None:  # not expected with openpyxl 3.1; the public, slower way
        store = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    return {key: cell for key, cell in store.items() if cell.value is not None}


def _as_text(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
