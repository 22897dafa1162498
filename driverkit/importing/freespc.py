"""The CSV file that the FreeSPC driver diagram tool exports (its "Download CSV" button).

The layout is the one written by `downloadCsv()` in driver.js of the FreeSPC-nhs/driver-diagram-tool
repository on GitHub (read at commit 1baf7b7, March 2026): a header row, then one row per box,

    id, level, parent_id, text, color, auto_size, extra_parents, box_height, vertical_gap,
    font_size, font_family, font_bold, title_aim, title_primary, title_secondary, title_change,
    palette_json, measures_json

where `level` is aim, primary, secondary or change, `parent_id` the id of the box it is drawn
from, `extra_parents` the ids of further parents separated by `;`, `title_*` the column headers
(the same on every row) and `measures_json` a JSON list of `{"type": ..., "text": ...}`, the type
outcome, process, balancing or none. Earlier versions of the tool wrote only the first six
columns; both are read. As in the tool, a row without an id, a level or a text is skipped, and
an extra parent that is not in the file is left out. Colours and layout settings are not part of
a driverkit project and are not imported.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from driverkit.importing.diagram import LEVEL_WORDS, Diagram, Item, Measure
from driverkit.importing.errors import shorten
from driverkit.importing.sheets import MAX_CELL_CHARS, Grid

REQUIRED = ("id", "level", "parent_id", "text")
_LEVELS = ("aim", "primary", "secondary", "change")
_FAMILIES = ("outcome", "process", "balancing")
CELL_CAP = 100_000  # measures_json holds every measure of a box; text cells keep the usual limit


def is_freespc(grid: Grid) -> bool:
    """True when the first row is the header the FreeSPC tool writes."""
    header = {(c.text.lower() if c else "") for c in (grid.rows[0] if grid.rows else [])}
    return all(name in header for name in REQUIRED)


def read_freespc(grid: Grid, diagram: Diagram) -> None:
    columns = {c.text.lower(): n for n, c in enumerate(grid.rows[0], start=1) if c is not None}

    def get(row: int, name: str) -> Optional[str]:
        return grid.text(row, columns[name]) if name in columns else None

    rows: dict[str, int] = {}  # id -> row
    skipped = []
    for row in range(2, grid.height + 1):
        node = get(row, "id")
        if node is None or get(row, "level") is None or get(row, "text") is None:
            if any(c is not None for c in grid.rows[row - 1]):
                skipped.append(str(row))
            continue
        if node in rows:
            raise grid.fail(row, columns["id"], f"the id {shorten(node)!r} is also on row {rows[node]}",
                            "Each box of the FreeSPC file has its own id: export the file again from the tool.")
        level = get(row, "level").lower()
        if level not in _LEVELS:
            raise grid.fail(row, columns["level"], f"the level {shorten(get(row, 'level'))!r} is not one FreeSPC writes",
                            "Write aim, primary, secondary or change.")
        text = get(row, "text")
        if len(text) > MAX_CELL_CHARS:
            raise grid.fail(row, columns["text"], f"the cell holds {len(text):,} characters; the limit is {MAX_CELL_CHARS:,}",
                            "Shorten the text: a box of a driver diagram says one thing.")
        rows[node] = row
    if skipped:
        diagram.notes.append(f"Rows skipped, as the FreeSPC tool skips them (no id, level or text): {', '.join(skipped)}.")
    if not rows:
        raise grid.fail(1, None, "the file has a FreeSPC header but no boxes under it")

    items: dict[str, Item] = {}
    aim_row = None
    for node, row in rows.items():
        level, text = get(row, "level").lower(), get(row, "text")
        if level == "aim":
            if aim_row is not None:
                raise grid.fail(row, columns["text"], f"a second aim (the first is on row {aim_row})",
                                "A driverkit project has one aim: keep one, or split the diagram into two projects.")
            diagram.aim, aim_row = text, row
            continue
        item = diagram.add(Item(level, text, grid.place(row, columns["text"])))
        item.notes.append(f"FreeSPC id {shorten(node, 20)}")
        items[node] = item

    for node, row in rows.items():
        item = items.get(node)
        parent_id = get(row, "parent_id")
        if item is not None:
            _link(grid, row, columns["parent_id"], item, parent_id, items, rows, get)
            for extra in re.split(r"[;,]", get(row, "extra_parents") or ""):
                extra = extra.strip()
                if not extra or extra == parent_id:
                    continue
                if extra not in rows:
                    item.notes.append(f"extra parent {shorten(extra, 20)} is not in the file: left out")
                    continue
                _link(grid, row, columns["extra_parents"], item, extra, items, rows, get)
        _measures(grid, row, columns.get("measures_json"), get(row, "measures_json"), diagram, item)

    titles = next(({lvl: get(r, f"title_{lvl}") for lvl in _LEVELS} for r in rows.values()
                   if any(get(r, f"title_{lvl}") for lvl in _LEVELS)), {})
    defaults = {"aim": "Aim", "primary": "Primary drivers", "secondary": "Secondary drivers", "change": "Change ideas"}
    for level in _LEVELS:
        if titles.get(level) and titles[level] != defaults[level]:
            diagram.columns[level] = titles[level]
    if any(get(r, "color") for r in rows.values()):
        diagram.notes.append("Box colours and layout settings are not imported.")


def _link(grid: Grid, row: int, column: int, item: Item, parent_id: Optional[str], items: dict[str, Item],
          rows: dict[str, int], get: Any) -> None:
    if not parent_id:
        if item.level != "primary":
            raise grid.fail(row, column, f"a {LEVEL_WORDS[item.level]} with no parent",
                            "Connect it to the box it serves in the FreeSPC tool, and export the file again.")
        item.link(None, item.place)
        return
    if parent_id not in rows:
        raise grid.fail(row, column, f"the parent {shorten(parent_id, 20)!r} is not in the file",
                        "Connect it to a box of the diagram in the FreeSPC tool, and export the file again.")
    parent = items.get(parent_id)  # None: the aim
    parent_level = parent.level if parent is not None else "aim"
    allowed = {"primary": ("aim",), "secondary": ("primary",), "change": ("primary", "secondary")}[item.level]
    if parent_level not in allowed:
        raise grid.fail(row, column, f"a {LEVEL_WORDS[item.level]} drawn from a {LEVEL_WORDS[parent_level]} "
                        f"(row {rows[parent_id]}): driverkit reads the columns left to right",
                        f"Connect it to a {' or a '.join(LEVEL_WORDS[a] for a in allowed)}.")
    item.link(parent, grid.place(row, column))


def _measures(grid: Grid, row: int, column: Optional[int], raw: Optional[str], diagram: Diagram, item: Optional[Item]) -> None:
    if raw is None or column is None:
        return
    try:
        entries = json.loads(raw)
    except (ValueError, RecursionError):
        raise grid.fail(row, column, "the measures cannot be read (not the JSON list the tool writes)") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise grid.fail(row, column, "the measures cannot be read (not the JSON list the tool writes)")
    known = {(m.name, m.family): m for m in diagram.measures}
    for entry in entries:
        name = entry.get("text")
        if not isinstance(name, str) or not name.strip():
            continue
        name = name.strip()
        if len(name) > MAX_CELL_CHARS:
            raise grid.fail(row, column, f"a measure's name holds {len(name):,} characters; the limit is {MAX_CELL_CHARS:,}")
        kind = str(entry.get("type") or "").strip().lower()
        family = kind if kind in _FAMILIES else ("outcome" if item is None else "process")
        measure = known.get((name, family))
        if measure is None:
            measure = Measure(name, family)
            if kind not in _FAMILIES:
                measure.notes.append(f"family {family} assumed: the measure has no type in the FreeSPC file")
            diagram.measures.append(measure)
            known[(name, family)] = measure
        if item is None:
            diagram.attach_to_aim(measure)
        else:
            item.attach(measure)

