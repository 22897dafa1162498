"""A project written back as YAML a person would write.

`dumps(project)` gives the keys in the order of the format, leaves out every value that is the
default (an empty list, `status: idea`, a generated id), writes a measure that uses a shared one as
`use:` and only the keys written beside it, and puts text of several lines in block style. Loaded
again, the YAML gives an equal project with the same diagnostics.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from driverkit.project.files import write_atomic
from driverkit.project.model import Measure, PathKey, Project


def dumps(project: Project) -> str:
    """The project as YAML text (UTF-8 characters kept as they are)."""
    data = project.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    data = {"driverkit": 1, **data}  # the version is what a reader looks for first
    for element in project.elements():
        held = _at(data, element.path)
        if held is None:
            continue
        if element.id_generated:
            held.pop("id", None)
        for key in ("also", "drivers"):  # a link with nothing but its target is written as the id
            if isinstance(held.get(key), list):
                held[key] = [link["to"] if isinstance(link, dict) and set(link) == {"to"} else link for link in held[key]]
        for key in ("description", "tags", "notes"):  # written last, after what the element says
            if key in held:
                held[key] = held.pop(key)
        if isinstance(element, Measure) and element.shared_from is not None:
            _only_own_keys(held, element)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def dump(project: Project, path: str | Path) -> None:
    """Write the project's YAML to `path`, atomically (a reader never sees half a file)."""
    write_atomic(path, dumps(project))


def _at(data: Any, path: PathKey) -> dict[str, Any] | None:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, dict) else None


def _only_own_keys(held: dict[str, Any], measure: Measure) -> None:
    """The loader copies a shared measure's keys into the member's; keep those that differ."""
    shared = measure.shared_from.target.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for key in list(held):
        if key not in ("use", "id", "data", "data_file") and held[key] == shared.get(key):
            del held[key]


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Dumper(yaml.SafeDumper):
    """Safe YAML, lists indented under their key, text of several lines as a `|` block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _DAY.fullmatch(value):  # a date as a person writes it; YAML reads it back as that date
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    # A block cannot hold trailing spaces or most control characters faithfully; quote those.
    lines = value.split("\n")
    if len(lines) > 1 and all(line == line.rstrip() and line.isprintable() for line in lines):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Short lists of ids and tags on one line: `measures: [M1, M2]`.
    short = all(isinstance(item, str) and "\n" not in item for item in value) and sum(len(item) + 2 for item in value) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)

__all__ = ["dump", "dumps"]
