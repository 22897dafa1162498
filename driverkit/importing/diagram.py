"""What an importer reads out of a sheet, before it is written as YAML.

Both readers (the outline sheet and the FreeSPC export) fill the same small model: the aim, the
elements of each column with their links, the measures, and the notes that say where the importer
made a choice. The writer turns it into a project file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# The columns of a driver diagram, left to right; the three driver levels are those of the format.
LEVELS = ("aim", "primary", "secondary", "tertiary", "change")
DRIVER_LEVELS = ("primary", "secondary", "tertiary")
LEVEL_WORDS = {"aim": "aim", "primary": "primary driver", "secondary": "secondary driver",
               "tertiary": "tertiary driver", "change": "change idea"}


@dataclass
class Measure:
    name: str
    family: str  # outcome | process | balancing
    notes: list[str] = field(default_factory=list)
    id: str = ""  # given by the writer


@dataclass
class Item:
    """A driver or a change idea. `parents[0]` is the element it is written under; the others
    become `also:` links. A primary driver's parent is the aim (None)."""

    level: str
    text: str
    place: str  # where it was first read, e.g. "Sheet1!C7"
    parents: list[Optional["Item"]] = field(default_factory=list)
    link_places: list[str] = field(default_factory=list)  # where each link was read
    status: Optional[str] = None
    status_note: str = ""  # written beside the status
    owner: Optional[str] = None
    measures: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # written as comments above the element
    id: str = ""  # given by the writer
    children: list["Item"] = field(default_factory=list)  # filled by the writer

    def link(self, parent: Optional["Item"], place: str) -> bool:
        """Add a parent, read at `place`; False when it was already one."""
        if any(p is parent for p in self.parents):
            return False
        self.parents.append(parent)
        self.link_places.append(place)
        return True

    def attach(self, measure: Measure) -> None:
        if not any(m is measure for m in self.measures):
            self.measures.append(measure)


@dataclass
class Diagram:
    source: str  # the file's name, for the comment at the top
    title: str = ""
    title_note: str = ""
    aim: Optional[str] = None
    aim_measures: list[Measure] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # level -> header as written
    items: list[Item] = field(default_factory=list)  # in the order first read
    measures: list[Measure] = field(default_factory=list)  # in the order first read
    notes: list[str] = field(default_factory=list)  # written as comments at the top
    joined_by_text: bool = False  # elements with several parents were joined by their text

    def add(self, item: Item) -> Item:
        self.items.append(item)
        return item

    def attach_to_aim(self, measure: Measure) -> None:
        if not any(m is measure for m in self.aim_measures):
            self.aim_measures.append(measure)
