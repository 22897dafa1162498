"""The outline layout: a driver diagram kept in a sheet, one column per level.

    Aim | Primary drivers | Secondary drivers | Change ideas | Status | Owner | Measure | Measure type

The header row is found among the first rows (a title may stand above it) by its names, matched
case-insensitively with common synonyms. Below it each row reads left to right, from the aim to a
change idea. A parent is written once and merged down the rows of its children, repeated on every
row, or left blank ("same as above"): a blank cell is read as the cell above it when the cells to
its left continue the same branch and something is written to its right. The same text in one
column is one element: a secondary driver written under two primary drivers is one secondary
driver with two links, as is a change idea written under two drivers.

A measure belongs to the element of the nearest level column to its left (the aim when there is
none): a measure column beside the secondary drivers measures them. A measure type column belongs
to the measure column before it; without one, a measure of the aim is taken as an outcome measure
and the others as process measures, unless the header says which (`Balancing measures`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from driverkit.importing.diagram import DRIVER_LEVELS, LEVEL_WORDS, LEVELS, Diagram, Item, Measure
from driverkit.importing.errors import shorten
from driverkit.importing.sheets import Grid, column_letter

HEADER_SEARCH_ROWS = 20

# Header names, compared after `_key` (lower case, words only, each word's plural `s` dropped, a
# part in brackets left out): "Primary drivers (clinical aims)" reads as "primary driver".
SYNONYMS = {
    "aim": ["aim", "aim statement", "overall aim", "project aim", "our aim", "goal", "smart aim", "global aim"],
    "primary": ["primary driver", "primary", "key driver", "main driver", "driver", "primary factor"],
    "secondary": ["secondary driver", "secondary", "secondary factor", "sub driver"],
    "tertiary": ["tertiary driver", "tertiary", "tertiary factor"],
    "change": ["change idea", "change", "idea", "idea for change", "change idea to test", "action", "intervention",
               "change concept", "test of change", "specific change idea"],
    "measure": ["measure", "measure name", "measurement", "metric", "indicator", "kpi",
                "outcome measure", "process measure", "balancing measure"],
    "family": ["measure type", "type of measure", "measure family", "family", "type", "measure kind"],
    "status": ["status", "change status", "stage", "progress", "pdsa status"],
    "owner": ["owner", "lead", "change owner", "who", "responsible", "led by"],
}
FAMILIES = {"outcome": "outcome", "process": "process", "balancing": "balancing", "balance": "balancing",
            "o": "outcome", "p": "process", "b": "balancing"}
STATUSES = {"idea": "idea", "not started": "idea", "planned": "idea", "to do": "idea", "proposed": "idea", "new": "idea",
            "testing": "testing", "test": "testing", "in progress": "testing", "being tested": "testing",
            "pdsa": "testing", "started": "testing", "ongoing": "testing",
            "adopted": "adopted", "adopt": "adopted", "implemented": "adopted", "done": "adopted",
            "complete": "adopted", "completed": "adopted", "embedded": "adopted",
            "abandoned": "abandoned", "abandon": "abandoned", "stopped": "abandoned", "dropped": "abandoned",
            "rejected": "abandoned"}


def _key(text: str) -> str:
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text.lower())
    words = re.findall(r"[a-z]+", text)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


_ROLES = {_key(name): role for role, names in SYNONYMS.items() for name in names}


@dataclass
class _Column:
    role: str
    number: int  # 1 for column A
    header: str
    anchor: str = "aim"  # for a measure: the level it measures
    family: Optional[str] = None  # for a measure: the family its header names
    measure: Optional[int] = None  # for a measure type: its measure column


@dataclass
class _Resolved:
    text: str
    row: int  # where the text was written
    how: str  # "written", "merged" or "blank"


def find_header(grid: Grid) -> Optional[tuple[int, dict[int, _Column], list[tuple[int, str]]]]:
    """The header row, its columns by number and the columns it does not know; None without one."""
    for row in range(1, min(grid.height, HEADER_SEARCH_ROWS) + 1):
        cells = grid.rows[row - 1]
        roles = {n: _ROLES.get(_key(c.text)) for n, c in enumerate(cells, start=1) if c is not None}
        if sum(1 for r in roles.values() if r in LEVELS) < 2:
            continue
        columns: dict[int, _Column] = {}
        seen: dict[str, int] = {}
        unknown = []
        for number, role in roles.items():
            header = grid.text(row, number) or ""
            if role is None:
                unknown.append((number, header))
                continue
            if role in seen and role not in ("measure", "family"):
                raise grid.fail(row, number, f"a second {header!r} column (the first is column {column_letter(seen[role])})",
                                "Keep one column per level; put other text in a column with another name.")
            seen.setdefault(role, number)
            columns[number] = _Column(role, number, header)
        _place_measures(columns)
        return row, columns, unknown
    return None


def _place_measures(columns: dict[int, _Column]) -> None:
    last_level, last_measure = "aim", None
    for number in sorted(columns):
        column = columns[number]
        if column.role in LEVELS:
            last_level = column.role
        elif column.role == "measure":
            column.anchor = last_level
            column.family = next((f for f in ("outcome", "process", "balancing") if f in _key(column.header)), None)
            last_measure = number
        elif column.role == "family":
            column.measure = last_measure
    measures = [n for n in sorted(columns) if columns[n].role == "measure"]
    for column in columns.values():  # a type column before any measure column goes with the first
        if column.role == "family" and column.measure is None and measures:
            column.measure = measures[0]


def read_outline(grid: Grid, diagram: Diagram) -> bool:
    """Fill `diagram` from the sheet; False when the sheet has no recognisable header."""
    found = find_header(grid)
    if found is None:
        return False
    header_row, columns, unknown = found
    by_role: dict[str, _Column] = {}
    for column in columns.values():
        by_role.setdefault(column.role, column)
    if "primary" not in by_role:
        raise grid.fail(header_row, None, "the header has no column of primary drivers",
                        "Name the column of primary drivers 'Primary drivers' (or 'Key drivers').")
    for level in LEVELS:
        if level in by_role and by_role[level].header != _DEFAULT_HEADERS[level]:
            diagram.columns[level] = by_role[level].header
    if unknown:
        listed = ", ".join(f"{shorten(h, 30)} ({column_letter(n)})" for n, h in unknown)
        diagram.notes.append(f"Columns not imported: {listed}.")
    for row in range(1, header_row):
        for number, cell in enumerate(grid.rows[row - 1], start=1):
            if cell is not None and not diagram.title:
                diagram.title = cell.text
                diagram.title_note = f"from cell {grid.place(row, number)}"
    diagram.joined_by_text = True
    _Reader(grid, diagram, by_role, columns).read(header_row)
    if not any(item.level == "primary" for item in diagram.items):
        raise grid.fail(header_row, by_role["primary"].number, "no primary driver is written under this header",
                        "Write the driver diagram under the header row, one row per change idea.")
    return True


_DEFAULT_HEADERS = {"aim": "Aim", "primary": "Primary drivers", "secondary": "Secondary drivers",
                    "tertiary": "Tertiary drivers", "change": "Change ideas"}


class _Reader:
    def __init__(self, grid: Grid, diagram: Diagram, by_role: dict[str, _Column], columns: dict[int, _Column]):
        self.grid = grid
        self.diagram = diagram
        self.by_role = by_role
        self.columns = columns
        self.levels = [level for level in DRIVER_LEVELS if level in by_role]
        self.items: dict[tuple[str, str], Item] = {}
        self.measures: dict[str, tuple[Measure, Optional[str], str]] = {}  # name -> measure, family given, where
        self.aim_place = ""

    def text(self, row: int, role: str) -> Optional[str]:
        column = self.by_role.get(role)
        return self.grid.text(row, column.number) if column else None

    def read(self, header_row: int) -> None:
        previous: dict[str, Optional[_Resolved]] = {}
        for row in range(header_row + 1, self.grid.height + 1):
            resolved = self.resolve(row, previous)
            if resolved is None:
                continue
            chain = self.build(row, resolved)
            self.extras(row, chain)
            if chain:
                previous = resolved

    def resolve(self, row: int, previous: dict[str, Optional[_Resolved]]) -> Optional[dict[str, Optional[_Resolved]]]:
        """The text of each driver level on this row, blanks read as the cell above where they
        continue the branch; None for a row with nothing in the diagram's columns."""
        aim = self.text(row, "aim")
        if aim is not None:
            column = self.by_role["aim"].number
            if self.diagram.aim is None:
                self.diagram.aim, self.aim_place = aim, self.grid.place(row, column)
            elif aim != self.diagram.aim:
                raise self.grid.fail(row, column, f"a second aim (the first is in {self.aim_place})",
                                     "A project has one aim: keep one, or import each aim's rows as a project of its own.")
        written = {level: self.text(row, level) for level in [*self.levels, "change"]}
        if all(text is None for text in written.values()) and aim is None and not self.has_extras(row):
            return None
        # Levels that something on this row hangs from: a change idea, or a measure of that level.
        measured = {c.anchor for n, c in self.columns.items() if c.role == "measure" and self.grid.text(row, n) is not None}
        resolved: dict[str, Optional[_Resolved]] = {}
        order = [*self.levels, "change"]
        for index, level in enumerate(self.levels):
            text = written[level]
            if text is not None:
                cell = self.grid.cell(row, self.by_role[level].number)
                merged = cell.merged_from if cell else None
                resolved[level] = _Resolved(text, merged or row, "merged" if merged else "written")
                continue
            later = any(written[other] is not None or other in measured for other in order[index:])
            above = previous.get(level)
            same_branch = all(_same(resolved.get(l), previous.get(l)) for l in self.levels[:index])
            resolved[level] = _Resolved(above.text, above.row, "blank") if later and above and same_branch else None
        return resolved

    def has_extras(self, row: int) -> bool:
        return any(self.grid.text(row, n) is not None for n, c in self.columns.items() if c.role not in LEVELS)

    def build(self, row: int, resolved: dict[str, Optional[_Resolved]]) -> dict[str, Item]:
        chain: dict[str, Item] = {}
        parent: Optional[Item] = None
        parent_how: Optional[_Resolved] = None
        for level in self.levels:
            found = resolved.get(level)
            if found is None:
                continue
            if parent is None and level != "primary" or parent is not None and _depth(parent.level) != _depth(level) - 1:
                missing = self.levels[self.levels.index(level) - 1]
                raise self.grid.fail(row, self.by_role[level].number,
                                     f"a {LEVEL_WORDS[level]} with no {LEVEL_WORDS[missing]}: the {self.by_role[missing].header!r} "
                                     "cell is empty and there is none above it to carry down",
                                     f"Write its {LEVEL_WORDS[missing]} in column {column_letter(self.by_role[missing].number)}.")
            item = self.element(level, found.text, row, self.by_role[level].number, parent, parent_how)
            chain[level] = item
            parent, parent_how = item, found
        change = self.text(row, "change")
        if change is not None:
            column = self.by_role["change"].number
            if parent is None:
                raise self.grid.fail(row, column, "a change idea with no parent: no driver is written on this row or carried down from above",
                                     "Write the driver it serves on the same row, or on a row above with the cells between left blank.")
            item = self.element("change", change, row, column, parent, parent_how)
            if parent.level != self.levels[-1] and item.parents[0] is parent:
                nearest = self.levels[self.levels.index(parent.level) + 1]
                item.notes.append(f"no {LEVEL_WORDS[nearest]} on row {row}: serves the {LEVEL_WORDS[parent.level]} directly")
            chain["change"] = item
        return chain

    def element(self, level: str, text: str, row: int, column: int, parent: Optional[Item],
                parent_how: Optional[_Resolved]) -> Item:
        item = self.items.get((level, text))
        if item is None:
            item = self.diagram.add(Item(level, text, self.grid.place(row, column)))
            self.items[(level, text)] = item
            item.link(parent, self.grid.place(row, column))
            cell = self.grid.cell(row, column)
            if cell is not None and cell.formula:
                item.notes.append(f"text from the result saved with the formula in {self.grid.place(row, column)}")
            if parent_how is not None and parent_how.row != row and parent_how.how != "written":
                kind = "merged cell" if parent_how.how == "merged" else "blank cell read as the one above"
                item.notes.append(f"{kind}: parent taken from row {parent_how.row}")
        else:
            item.link(parent, self.grid.place(row, column))
        return item

    def extras(self, row: int, chain: dict[str, Item]) -> None:
        """Status, owner and measures written on this row."""
        change = chain.get("change") if self.text(row, "change") is not None else None
        for role in ("status", "owner"):
            column = self.by_role.get(role)
            value = self.grid.text(row, column.number) if column else None
            if value is None:
                continue
            if change is None:
                raise self.grid.fail(row, column.number, f"a {role} with no change idea on this row",
                                     f"Write the {role} on the row of the change idea it belongs to.")
            if role == "status":
                status = STATUSES.get(" ".join(re.findall(r"[a-z]+", value.lower())))
                if status is None:
                    raise self.grid.fail(row, column.number, f"the status {shorten(value)!r} is not one driverkit knows",
                                         "Write idea, testing, adopted or abandoned.")
                self.set_once(change, "status", status, row, column.number)
                if status != value.strip().lower():
                    change.status_note = f"written {shorten(value)!r} in {self.grid.place(row, column.number)}"
            else:
                self.set_once(change, "owner", value, row, column.number)
        for number, column in sorted(self.columns.items()):
            if column.role != "measure":
                continue
            name = self.grid.text(row, number)
            if name is None:
                continue
            measure = self.measure(row, column, name)
            if column.anchor == "aim":
                self.diagram.attach_to_aim(measure)
                continue
            target = chain.get(column.anchor)
            if target is None:
                raise self.grid.fail(row, number, f"a measure with no {LEVEL_WORDS[column.anchor]} on this row to measure",
                                     f"A measure in this column measures the {LEVEL_WORDS[column.anchor]} written on its row.")
            target.attach(measure)

    def set_once(self, item: Item, key: str, value: str, row: int, column: int) -> None:
        before = getattr(item, key)
        if before is not None and before != value:
            raise self.grid.fail(row, column, f"this change idea already has the {key} {shorten(before)!r} (from an earlier row)",
                                 "A change idea written on several rows must have the same value on each.")
        setattr(item, key, value)

    def measure(self, row: int, column: _Column, name: str) -> Measure:
        given = None
        for number, other in self.columns.items():
            if other.role == "family" and other.measure == column.number:
                text = self.grid.text(row, number)
                if text is not None:
                    given = FAMILIES.get(text.strip().lower().removesuffix(" measure"))
                    if given is None:
                        raise self.grid.fail(row, number, f"the measure type {shorten(text)!r} is not one driverkit knows",
                                             "Write outcome, process or balancing.")
        family = given or column.family
        place = self.grid.place(row, column.number)
        known = self.measures.get(name)
        if known is not None:
            measure, known_family, where = known
            if family and known_family and family != known_family:
                raise self.grid.fail(row, column.number, f"the measure {shorten(name)!r} is a {known_family} measure in {where}",
                                     "Give a measure one type wherever it is written.")
            if family and not known_family:
                measure.family, measure.notes = family, []
                self.measures[name] = (measure, family, place)
            return measure
        assumed = family or ("outcome" if column.anchor == "aim" else "process")
        measure = Measure(name, assumed)
        if family is None:
            measure.notes.append(f"family {assumed} assumed: the sheet gives no measure type")
        self.measures[name] = (measure, family, place)
        self.diagram.measures.append(measure)
        return measure


def _same(a: Optional[_Resolved], b: Optional[_Resolved]) -> bool:
    return (a.text if a else None) == (b.text if b else None)


def _depth(level: str) -> int:
    return DRIVER_LEVELS.index(level) + 1

