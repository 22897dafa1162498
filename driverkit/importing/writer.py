"""Writing an imported diagram as a driverkit project file, the way a person would write it.

Primary drivers hold their secondary drivers, which hold their change ideas; a second parent is
an `also:` link by id. A driver gets its id written (P2, S2.1, T2.1.3: the one driverkit would give
it from its place) only when such a link names it, and measures theirs (M4), which the elements
they measure name; change ideas get none, as in the examples. Where the importer made a choice, a comment says so.

Every value from the sheet is quoted by PyYAML, one scalar at a time, never pasted in by hand; the
comments are made printable on one line. The text written is then read back, and must give
exactly the values meant and load as a project, or the import stops.
"""

from __future__ import annotations

from typing import Any, Optional

import yaml

from driverkit.importing.diagram import Diagram, Item, Measure
from driverkit.importing.errors import ImportFailed
from driverkit.project.diagnostics import ProjectError, printable

_PREFIX = {"primary": "P", "secondary": "S", "tertiary": "T"}
_NEST_KEY = {"primary": "drivers", "secondary": "drivers", "tertiary": "drivers", "change": "changes"}


def scalar(value: Any) -> str:
    """One YAML scalar, quoted by PyYAML where it needs to be, always on one line."""
    def dump(**style: Any) -> str:
        text = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, **style)
        return text.removesuffix("\n...\n").removesuffix("\n")

    plain = dump()
    if isinstance(value, str) and (not value.isprintable() or "\n" in plain):
        return dump(default_style='"')  # line breaks and control characters as escapes
    return plain


def comment(text: str) -> str:
    return "# " + printable(text, lines=False)


def write_project(diagram: Diagram, filename: str = "<import>") -> str:
    """The project file's text. ImportFailed if it would not read back as meant (not expected)."""
    _number(diagram)
    lines: list[str] = [comment(f"Imported from {diagram.source} by driverkit import."),
                        comment("Comments mark the choices the importer made: check them, then delete them.")]
    lines += [comment(note) for note in diagram.notes]
    lines.append("")
    data: dict[str, Any] = {"driverkit": 1}
    lines.append("driverkit: 1")
    title = diagram.title or "Imported driver diagram"
    data["title"] = title
    note = diagram.title_note or ("" if diagram.title else "no title in the file: write one")
    lines.append(f"title: {scalar(title)}" + (f"  {comment(note)}" if note else ""))
    lines.append("")

    aim: dict[str, Any] = {}
    if diagram.aim is not None:
        aim["statement"] = diagram.aim
    if diagram.aim_measures:
        aim["measures"] = [m.id for m in diagram.aim_measures]
    data["aim"] = aim
    if aim:
        lines.append("aim:")
        if "statement" in aim:
            lines.append(f"  statement: {scalar(aim['statement'])}")
        if "measures" in aim:
            lines.append(f"  measures: {_ids(aim['measures'])}")
    else:
        lines.append(f"aim: {{}}  {comment('no aim in the file: write it here (what, for whom, how much, by when)')}")

    if diagram.columns:
        data["columns"] = dict(diagram.columns)
        lines += ["", "columns:"]
        lines += [f"  {key}: {scalar(value)}" for key, value in diagram.columns.items()]

    roots = [item for item in diagram.items if item.level == "primary"]
    data["drivers"] = []
    lines += ["", "drivers:"]
    for item in roots:
        data["drivers"].append(_item(diagram, item, 1, lines))

    if diagram.measures:
        data["measures"] = []
        lines += ["", "measures:"]
        for measure in diagram.measures:
            data["measures"].append(_measure(measure, lines))

    text = "\n".join(lines) + "\n"
    _verify(diagram, text, data, filename)
    return text


def _number(diagram: Diagram) -> None:
    """Nest each element under its first parent and give drivers and measures their ids."""
    for item in diagram.items:
        item.children = []
    for item in diagram.items:
        if item.level != "primary" and item.parents and item.parents[0] is not None:
            item.parents[0].children.append(item)
    primaries = [item for item in diagram.items if item.level == "primary"]

    def number(item: Item, digits: str) -> None:
        item.id = _PREFIX[item.level] + digits
        drivers = [child for child in item.children if child.level != "change"]
        for index, child in enumerate(drivers, start=1):
            number(child, f"{digits}.{index}")

    for index, item in enumerate(primaries, start=1):
        number(item, str(index))
    for index, measure in enumerate(diagram.measures, start=1):
        measure.id = f"M{index}"


def _item(diagram: Diagram, item: Item, depth: int, lines: list[str]) -> dict[str, Any]:
    pad = "  " * (2 * depth - 1)
    notes = list(item.notes)
    if diagram.joined_by_text and len(item.parents) > 1:
        under = " and ".join(f"{_name(p)} ({place})" for p, place in zip(item.parents, item.link_places))
        notes.append(f"duplicate text joined: appears under {under}")
    lines += [pad + comment(note) for note in notes]
    data: dict[str, Any] = {}
    first = True

    def put(key: str, value: Any, text: str, note: str = "") -> None:
        nonlocal first
        data[key] = value
        lines.append((pad + "- " if first else pad + "  ") + f"{key}: {text}" + (f"  {comment(note)}" if note else ""))
        first = False

    if item.level != "change" and any(item in other.parents[1:] for other in diagram.items):
        put("id", item.id, scalar(item.id))  # named by an `also:` link; elsewhere the place gives it
    put("text", item.text, scalar(item.text))
    if item.status is not None:
        put("status", item.status, scalar(item.status), item.status_note)
    if item.owner is not None:
        put("owner", item.owner, scalar(item.owner))
    also = [p.id for p in item.parents[1:] if p is not None]
    if also:
        put("also", also, _ids(also))
    if item.measures:
        ids = [m.id for m in item.measures]
        put("measures", ids, _ids(ids))
    for kind in ("drivers", "changes"):
        children = [c for c in item.children if _NEST_KEY[c.level] == kind]
        if children:
            lines.append(pad + f"  {kind}:")
            data[kind] = [_item(diagram, child, depth + 1, lines) for child in children]
    return data


def _measure(measure: Measure, lines: list[str]) -> dict[str, Any]:
    lines += ["  " + comment(note) for note in measure.notes]
    lines.append(f"  - id: {scalar(measure.id)}")
    lines.append(f"    name: {scalar(measure.name)}")
    lines.append(f"    family: {scalar(measure.family)}")
    return {"id": measure.id, "name": measure.name, "family": measure.family}


def _name(item: Optional[Item]) -> str:
    return item.id if item is not None else "the aim"


def _ids(ids: list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in ids) + "]"


def _verify(diagram: Diagram, text: str, data: dict[str, Any], filename: str) -> None:
    from driverkit.project.loader import loads

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there, for speed: the values are the same
    try:
        read_back = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        read_back = None
    if read_back != data:
        raise ImportFailed(diagram.source, "", "the YAML written does not read back as the values imported",
                           "This is a bug in driverkit: please report it with the file, if you can share it.")
    try:
        loads(text, filename)
    except ProjectError as exc:
        raise ImportFailed(diagram.source, "", f"the project written does not load: {exc.diagnostics[0].message}",
                           "This is a bug in driverkit: please report it with the file, if you can share it.") from None
