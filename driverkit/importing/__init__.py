"""Importing a driver diagram kept elsewhere (a spreadsheet, the FreeSPC tool) as a project file.

    >>> from driverkit.importing import import_file, write_import
    >>> text = import_file("examples/import/outline.xlsx")          # the YAML, as text
    >>> write_import("outline.csv", "project.yaml")                 # written atomically

Two layouts are read:

- the outline (XLSX or CSV): one column per level (aim, primary drivers, secondary drivers,
  change ideas), with optional columns for measures, measure types, status and owner; see
  `driverkit.importing.outline`;
- the CSV export of the FreeSPC driver diagram tool; see `driverkit.importing.freespc`.

The project written is nested as a person would write it, with comments where the importer made a
choice, and is checked to load before it is returned. A file that cannot be imported raises
`ImportFailed`, whose message names the file and the cell (`outline.xlsx: Sheet1!C7: ...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from driverkit.importing.diagram import Diagram
from driverkit.importing.errors import ImportFailed
from driverkit.importing.freespc import CELL_CAP, is_freespc, read_freespc
from driverkit.importing.outline import HEADER_SEARCH_ROWS, read_outline
from driverkit.importing.sheets import MAX_CELL_CHARS, Grid, check_cells, read_csv, read_file, read_workbook
from driverkit.importing.writer import write_project

__all__ = ["ImportFailed", "import_file", "import_freespc", "import_outline", "summary", "write_import"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_OTHER_FORMATS = {".xls": "an Excel 97-2003 workbook", ".ods": "an OpenDocument spreadsheet",
                  ".numbers": "a Numbers spreadsheet", ".xlsb": "an Excel binary workbook"}


def import_file(path: str | Path, sheet: Optional[str] = None, title: Optional[str] = None,
                filename: Optional[str] = None) -> str:
    """The project file (YAML text) for the driver diagram in `path`, its layout told by its name
    and header: an XLSX workbook or a CSV file in the outline layout, or a FreeSPC CSV export.

    `sheet` names the worksheet of a workbook (by default the first with a recognisable header);
    `title` sets the project's title (by default the text above the header, else the file's name);
    `filename` is the name the project will be saved as, used when checking that it loads.
    """
    suffix = Path(path).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return import_outline(path, sheet, title, filename)
    if suffix in CSV_SUFFIXES:
        grid = _csv_grid(path, suffix)
        if is_freespc(grid):
            return _finish(path, grid, None, title, filename, freespc=True)
        check_cells(grid)
        return _finish(path, grid, None, title, filename)
    if suffix in _OTHER_FORMATS:
        raise ImportFailed(str(path), "", f"this is {_OTHER_FORMATS[suffix]}, which driverkit does not read",
                           "Save it as an Excel workbook (.xlsx) or export the sheet as CSV (UTF-8).")
    raise ImportFailed(str(path), "", "driverkit imports .xlsx and .csv files",
                       "Save the driver diagram as an Excel workbook (.xlsx) or export it as CSV (UTF-8).")


def import_outline(path: str | Path, sheet: Optional[str] = None, title: Optional[str] = None,
                   filename: Optional[str] = None) -> str:
    """The project file (YAML text) for a driver diagram written as an outline, one column per
    level, in an XLSX workbook or a CSV file (any name but .xlsx and .xlsm is read as CSV)."""
    if Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return _finish(path, _csv_grid(path, Path(path).suffix.lower(), MAX_CELL_CHARS), None, title, filename)
    grids = read_workbook(str(path), read_file(path), sheet)
    for candidate in grids:
        diagram = _diagram(path, candidate)
        if read_outline(candidate, diagram):
            return _finish(path, candidate, diagram, title, filename)
    if sheet is not None or len(grids) == 1:
        return _finish(path, grids[0], None, title, filename)  # says why this sheet cannot be read
    names = ", ".join(g.sheet or "" for g in grids)
    raise ImportFailed(str(path), "", f"no sheet has a recognisable header (its sheets: {names})", _HEADER_HINT)


def import_freespc(path: str | Path, title: Optional[str] = None, filename: Optional[str] = None) -> str:
    """The project file (YAML text) for a CSV file exported by the FreeSPC driver diagram tool."""
    grid = _csv_grid(path, Path(path).suffix.lower(), CELL_CAP)
    if not is_freespc(grid):
        raise ImportFailed(str(path), grid.place(1) if grid.rows else "",
                           "this is not a FreeSPC export: its first row has no id, level, parent_id and text columns",
                           "Export the diagram again with the tool's CSV button, or import it as an outline.")
    return _finish(path, grid, None, title, filename, freespc=True)


def write_import(path: str | Path, output: str | Path, sheet: Optional[str] = None, title: Optional[str] = None,
                 overwrite: bool = False) -> str:
    """Import `path` and write the project to `output`, atomically; the text written is returned.
    An existing `output` is replaced only with `overwrite`."""
    from driverkit.project.files import write_atomic

    if not overwrite and (Path(output).exists() or Path(output).is_symlink()):
        raise ImportFailed(str(output), "", "the file exists already", "Name another file, or pass --force to replace it.",
                           output=True)
    text = import_file(path, sheet, title, filename=str(output))
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise ImportFailed(str(output), "", f"cannot be written: {exc.strerror or exc}", "Check the folder and its permissions.",
                           output=True) from None
    return text


def summary(text: str) -> str:
    """What an imported project holds, in words: `5 primary drivers, 10 secondary drivers, ...`."""
    from driverkit.project.loader import loads

    project = loads(text)
    drivers = project.all_drivers()
    counts = [(sum(1 for d in drivers if d.level == level), word) for level, word in
              ((1, "primary driver"), (2, "secondary driver"), (3, "tertiary driver"))]
    counts += [(len(project.all_changes()), "change idea"), (len(project.measures), "measure")]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts if n or word != "tertiary driver")


_HEADER_HINT = ("Start the sheet with a header row naming its columns, such as Aim, Primary drivers, "
                "Secondary drivers, Change ideas (see the README, 'Importing from a spreadsheet').")


def _csv_grid(path: str | Path, suffix: str, cap: int = CELL_CAP) -> Grid:
    return read_csv(str(path), read_file(path), "\t" if suffix == ".tsv" else None, cap)


def _diagram(path: str | Path, grid: Grid) -> Diagram:
    name = Path(path).name
    return Diagram(source=f"{name} (sheet {grid.sheet})" if grid.sheet is not None else name)


def _finish(path: str | Path, grid: Grid, diagram: Optional[Diagram], title: Optional[str],
            filename: Optional[str], freespc: bool = False) -> str:
    if not any(cell is not None for row in grid.rows for cell in row):
        raise ImportFailed(str(path), f"sheet {grid.sheet}" if grid.sheet is not None else "",
                           "the sheet is empty" if grid.sheet is not None else "the file is empty", _HEADER_HINT)
    if diagram is None:
        diagram = _diagram(path, grid)
        if freespc:
            read_freespc(grid, diagram)
        elif not read_outline(grid, diagram):
            where = f"sheet {grid.sheet}" if grid.sheet is not None else ""
            raise ImportFailed(str(path), where, f"no recognisable header in the first {HEADER_SEARCH_ROWS} rows", _HEADER_HINT)
    if title is not None and title.strip():
        diagram.title, diagram.title_note = title.strip(), ""
    elif not diagram.title:
        diagram.title, diagram.title_note = Path(path).stem, "from the file name"
    return write_project(diagram, filename or str(Path(path).with_suffix(".yaml")))
