"""The driver diagram as a picture sees it: columns of boxes, connectors, a legend.

This is the one place that decides what is drawn and in which order; the DOT and Mermaid writers
only translate it. Columns run left to right (aim, primary, secondary, tertiary where used,
change ideas). With `order: balanced` (the default) the boxes of each column, primary drivers
included, are ordered to cross as few links as possible, each kept with the boxes written under
the same element (`driverkit.documents.ordering`); with `order: file` every column keeps the
order its boxes are written in.
"""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass, field
from typing import Iterable, Optional

from driverkit.documents.aim import aim_view
from driverkit.documents.ordering import Layers
from driverkit.project.diagnostics import DriverkitError
from driverkit.project.graph import AIM, ProjectGraph, project_graph
from driverkit.project.model import ChangeIdea, Driver, Measure, Project, RenderSettings
from driverkit.project.model import STATUSES


@dataclass(frozen=True)
class ViewOptions:
    """What to draw and how: the project's `render:` block, then any overrides, then the filters."""

    theme: str = "default"
    font_size: float = 10.0
    font_file: Optional[str] = None
    show_ids: bool = False
    show_measures: bool = True
    hide_abandoned: bool = False
    legend: bool = True
    primary: Optional[str] = None  # one primary driver and everything that feeds it
    driver: Optional[str] = None  # one driver at any level, everything that feeds it and its path to the aim
    statuses: tuple[str, ...] = ()  # only change ideas with these statuses (and their drivers)
    tags: tuple[str, ...] = ()  # only elements with these tags (and what ties them to the aim)
    order: str = "balanced"  # see ORDERS
    descriptions: bool = False  # draw each element's description as a smaller second line in its box
    title: bool = True  # draw the view's title above the columns (a slide shows it as its own title)

    @classmethod
    def for_project(cls, project: Project, **overrides: object) -> ViewOptions:
        """The options of the project's `render:` block with `overrides` on top, checked like the
        block itself (a theme that exists, a font size from 6 to 24 points)."""
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(overrides) - set(names))
        if unknown:
            raise TypeError(f"unknown view option {', '.join(unknown)}; the options are {', '.join(names)}")
        settings: RenderSettings = project.render
        block = {k: v for k, v in overrides.items() if k in RenderSettings.model_fields and v is not None}
        try:
            settings = RenderSettings.model_validate({**settings.model_dump(), **block})
        except ValueError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in getattr(exc, "errors", lambda: [])())
            raise ViewError(problems or str(exc)) from None
        base = {name: getattr(settings, name) for name in names if name in RenderSettings.model_fields}
        for key in ("primary", "driver", "statuses", "tags"):
            value = overrides.get(key)
            base[key] = (value,) if isinstance(value, str) and key in ("statuses", "tags") else value
        if overrides.get("title") is not None:
            base["title"] = bool(overrides["title"])
        base["statuses"] = tuple(base.get("statuses") or ())
        base["tags"] = tuple(base.get("tags") or ())
        return cls(**base)  # type: ignore[arg-type]


@dataclass
class Box:
    key: str  # unique node name
    element_id: str
    kind: str  # aim, driver, change
    column: int
    text: str
    tooltip: str
    status: Optional[str] = None
    measures: list[str] = field(default_factory=list)
    cycles: int = 0  # PDSA cycles that test this change idea
    url: Optional[str] = None  # where the box links to (checked when the file was loaded)
    description: Optional[str] = None  # the element's; drawn under the text when the view's `descriptions` is on
    date_line: str = ""  # the aim's: its date, when the statement does not say it
    date_to_set: bool = False  # the aim's date is still a placeholder: the date line is flagged
    objectives: list[str] = field(default_factory=list)  # the aim's objectives, each with its measure


@dataclass(frozen=True)
class Connector:
    parent: str
    child: str
    weak: bool
    evidence: Optional[str]


@dataclass
class Column:
    kind: str  # aim, primary, secondary, tertiary, change
    header: str
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Diagram:
    title: str
    columns: list[Column]
    connectors: list[Connector]
    statuses: list[str]  # statuses present, for the legend
    measure_key: list[Measure]  # measures shown as badges, for the key
    options: ViewOptions
    omitted: list[str] = field(default_factory=list)  # links written in the file but not drawn, and why
    homes: dict[str, str] = field(default_factory=dict)  # box key -> the key of the drawn box it is written under

    def boxes(self) -> Iterable[Box]:
        for column in self.columns:
            yield from column.boxes

    @property
    def is_empty(self) -> bool:
        """True when the view draws nothing but the aim (a filter that matched no driver or change idea)."""
        return all(box.kind == "aim" for box in self.boxes())


FIXED = (0,)  # the aim's column (one box, and the legend)
# How the boxes of each column are ordered: balanced (fewest crossings, each near what it is
# written under), file (as written), or one-pass (the ordering before balanced, where balanced
# starts from; kept to compare the two, see benchmarks/crossings.py).
ORDERS = ("balanced", "file", "one-pass")


class ViewError(DriverkitError, ValueError):
    """A view that cannot be drawn: an unknown primary driver, driver, status or tag."""


def build_diagram(project: Project, options: Optional[ViewOptions] = None) -> Diagram:
    options = options or ViewOptions.for_project(project)
    if options.order not in ORDERS:
        raise ViewError(f"unknown order {options.order!r}: use balanced or file")
    graph = project_graph(project)
    visible = _visible(project, graph, options)
    order = _file_order(project, graph)
    columns = _columns(project, graph, visible, order)
    column_of = {box.key: index for index, column in enumerate(columns) for box in column.boxes}

    connectors = []
    for child, parent, data in graph.graph.edges(data=True):
        if child in column_of and parent in column_of and _drawn(graph, child, parent):
            connectors.append(Connector(parent, child, data["strength"] == "weak", data.get("evidence")))

    boxes = {key: _box(project, graph, key, column_of[key], options) for key in column_of}
    from driverkit.documents.pdsa import cycle_counts

    cycles = cycle_counts(project)
    for box in boxes.values():
        if box.kind == "change":
            box.cycles = cycles.get(box.element_id, 0)
    homes = {c.child: c.parent for c in connectors if graph.graph.edges[c.child, c.parent].get("nested")}
    for column in columns:
        column.boxes = [boxes[box.key] for box in column.boxes]
    written = [[b.key for b in c.boxes] for c in columns]
    if options.order != "file":
        _one_pass(columns, boxes, connectors, homes, order)
    if options.order == "balanced":
        layers = Layers(written, [(c.parent, c.child) for c in connectors], homes, FIXED)
        for column, keys in zip(columns, layers.balanced([[b.key for b in c.boxes] for c in columns])):
            column.boxes = [boxes[k] for k in keys]
    row = {box.key: index for column in columns for index, box in enumerate(column.boxes)}
    connectors.sort(key=lambda c: (column_of[c.parent], row[c.parent], row[c.child]))

    statuses = sorted({b.status for b in boxes.values() if b.status}, key=STATUSES.index)
    shown = {m for b in boxes.values() for m in b.measures}
    if options.show_measures:  # the measures named beside the aim's objectives
        shown |= {o.measure for o in project.aim.objectives if o.measure}
    measure_key = [m for m in project.measures if m.id in shown]
    return Diagram(view_title(project, graph, options), columns, connectors, statuses, measure_key, options,
                   _omitted(graph, column_of), homes)


def singular(header: str) -> str:
    """A column's header for one of its elements: "Primary drivers" -> "Primary driver",
    "Actions" -> "Action", "Processes" -> "Process"; a header that is not a plain plural stays as it is."""
    words, bracket, rest = header.rstrip().partition(" (")  # "Primary drivers (clinical aims)"
    if words.endswith("ies") and len(words) > 4:
        words = words[:-3] + "y"
    elif words.endswith(("sses", "ches", "shes", "xes")) and len(words) > 4:
        words = words[:-2]
    elif words.endswith("s") and not words.endswith("ss") and len(words) > 2:
        words = words[:-1]
    return words + bracket + rest


def in_sentence(header: str) -> str:
    """A header inside a sentence: its first letter lower case, unless it starts an acronym (QI)."""
    if len(header) > 1 and header[0].isupper() and not header[1].isupper():
        return header[0].lower() + header[1:]
    return header


def driver_header(project: Project, level: int) -> str:
    """The header of the column of drivers at this level (1 primary, 2 secondary, 3 tertiary), in
    the words of the file's `columns:`."""
    names = project.columns
    return {1: names.primary, 2: names.secondary, 3: names.tertiary}.get(level, f"Level {level} drivers")


TITLE_TEXT = 80  # characters of a driver's text in a view's title
STATUS_PHRASES = {"idea": "not yet tested", "testing": "being tested", "adopted": "adopted", "abandoned": "abandoned"}


def view_title(project: Project, graph: ProjectGraph, options: ViewOptions) -> str:
    """The project's title, then what a filtered view shows: "… — primary driver P2: <its text>",
    "… — secondary driver S2.1: <its text>", "… — change ideas being tested", "… — tagged x", in
    the words of the file's `columns:`."""
    names = project.columns
    parts = []
    for driver_id in (options.primary, options.driver):
        if driver_id:
            node = graph.by_id.get(driver_id)
            text = getattr(node.element, "text", "") if node is not None else ""
            text = textwrap.shorten(text, TITLE_TEXT, placeholder="…")  # the title is one line
            header = driver_header(project, node.level if node is not None else 1)
            parts.append(f"{in_sentence(singular(header))} {driver_id}: {text}")
    if options.statuses:
        chosen = " or ".join(STATUS_PHRASES.get(s, s) for s in STATUSES if s in options.statuses)
        parts.append(f"{in_sentence(names.change)} {chosen}")
    if options.tags:
        parts.append("tagged " + " or ".join(options.tags))
    if options.hide_abandoned and "abandoned" not in options.statuses:
        parts.append(f"abandoned {in_sentence(names.change)} hidden")
    return project.title + (" — " + "; ".join(parts) if parts else "")


def count_crossings(diagram: Diagram) -> int:
    """How many pairs of links cross in the diagram as ordered: pairs of segments between adjacent
    columns whose ends are in opposite orders, a link across several columns passing each column
    between at the place where it crosses fewest others (see `driverkit.documents.ordering`)."""
    layers = Layers([[b.key for b in c.boxes] for c in diagram.columns], [(c.parent, c.child) for c in diagram.connectors])
    return layers.crossings()


def _omitted(graph: ProjectGraph, column_of: dict[str, int]) -> list[str]:
    """The links of visible elements that the picture leaves out: to an id nobody has, or across
    the wrong columns. `driverkit check` reports each of them as an error."""
    omitted = []
    for ref in graph.references:
        if ref.kind != "parent" or ref.source not in column_of:
            continue
        source = graph.nodes[ref.source].element.id  # type: ignore[union-attr]
        target = graph.by_id.get(ref.target_id)
        if target is None:
            omitted.append(f"{source} -> {ref.target_id} (no such element)")
        elif target.key in column_of and not _drawn(graph, ref.source, target.key):
            omitted.append(f"{source} -> {ref.target_id} (wrong column)")
    return omitted


def _visible(project: Project, graph: ProjectGraph, options: ViewOptions) -> set[str]:
    g = graph.graph
    keys = {k for k, n in graph.nodes.items() if n.kind in ("aim", "driver", "change")}
    if options.hide_abandoned:
        keys -= {k for k in keys if _status(graph, k) == "abandoned"}
    if options.primary:
        node = graph.by_id.get(options.primary)
        if node is None or node.kind != "driver" or node.level != 1:
            raise ViewError(f"there is no primary driver with the id `{options.primary}`")
        keys &= {AIM, node.key} | _ancestors(g, node.key)
    if options.driver:
        node = graph.by_id.get(options.driver)
        if node is None or node.kind != "driver":
            raise ViewError(f"there is no driver with the id `{options.driver}`")
        keys &= {node.key} | _ancestors(g, node.key) | _descendants(g, node.key)
    if options.statuses:
        unknown = set(options.statuses) - set(STATUSES)
        if unknown:
            raise ViewError(f"unknown status {', '.join(sorted(unknown))}: use {', '.join(STATUSES)}")
        chosen = {k for k in keys if _status(graph, k) in options.statuses}
        keys &= chosen | {AIM} | {d for k in chosen for d in _descendants(g, k)}
    if options.tags:
        tagged = {k for k in keys if set(getattr(graph.nodes[k].element, "tags", []) or []) & set(options.tags)}
        if not tagged:
            raise ViewError(f"no element has the tag {', '.join(options.tags)}")
        below = {a for k in tagged if graph.nodes[k].kind == "driver" for a in _ancestors(g, k)}
        keys &= tagged | below | {AIM} | {d for k in tagged for d in _descendants(g, k)}
    return keys


def _ancestors(g: object, key: str) -> set[str]:
    import networkx as nx

    return nx.ancestors(g, key)  # type: ignore[arg-type]


def _descendants(g: object, key: str) -> set[str]:
    import networkx as nx

    return nx.descendants(g, key)  # type: ignore[arg-type]


def _status(graph: ProjectGraph, key: str) -> Optional[str]:
    element = graph.nodes[key].element
    return element.status if isinstance(element, ChangeIdea) else None


def _drawn(graph: ProjectGraph, child: str, parent: str) -> bool:
    """Only links the rules accept are drawn: a driver to a driver one level up (or the aim), a
    change idea to any driver. A wrong-level link is reported by `check`, not drawn."""
    child_node, parent_node = graph.nodes[child], graph.nodes[parent]
    if child_node.kind == "change":
        return parent_node.kind == "driver"
    if parent_node.kind == "aim":
        return child_node.level == 1
    return parent_node.kind == "driver" and parent_node.level == child_node.level - 1


def _file_order(project: Project, graph: ProjectGraph) -> dict[str, int]:
    """Each node's place in the file: by line and column where the project was read from a file,
    else in the order of the document's structure."""
    walk = {id(e): i for i, e in enumerate(project.elements())}
    def key(k: str) -> tuple[tuple[int, int], int]:
        node = graph.nodes[k]
        place = project.location(node.path) if project.source_map is not None else (0, 0)
        return place, -1 if node.kind == "aim" else walk[id(node.element)]
    return {k: i for i, k in enumerate(sorted(graph.nodes, key=key))}


def _columns(project: Project, graph: ProjectGraph, visible: set[str], order: dict[str, int]) -> list[Column]:
    names = project.columns
    ordered = sorted(visible, key=order.__getitem__)
    levels = sorted({graph.nodes[k].level for k in visible if graph.nodes[k].kind == "driver"})
    headers = {1: names.primary, 2: names.secondary, 3: names.tertiary}
    kinds = {1: "primary", 2: "secondary", 3: "tertiary"}
    columns = [Column("aim", names.aim, [Box(AIM, "aim", "aim", 0, "", "")])]
    for level in range(1, (levels[-1] if levels else 0) + 1):
        column = Column(kinds.get(level, f"level-{level}"), headers.get(level, f"Level {level} drivers"))
        column.boxes = [Box(k, "", "driver", len(columns), "", "") for k in ordered
                        if graph.nodes[k].kind == "driver" and graph.nodes[k].level == level]
        columns.append(column)
    changes = [k for k in ordered if graph.nodes[k].kind == "change"]
    if changes:
        columns.append(Column("change", names.change, [Box(k, "", "change", len(columns), "", "") for k in changes]))
    return columns


def _box(project: Project, graph: ProjectGraph, key: str, column: int, options: ViewOptions) -> Box:
    node = graph.nodes[key]
    if node.kind == "aim":
        measures = [r.target_id for r in graph.references if r.source == AIM and r.path[:2] == ("aim", "measures")
                    and r.target_id in graph.by_id and graph.by_id[r.target_id].kind == "measure"] if options.show_measures else []
        # (the measures of the objectives are shown beside them, not again as badges)
        aim = aim_view(project)
        shown = options.show_measures
        objectives = [o.text + (f"  ▸ {o.measure_id}" if o.measure_id and shown else "") for o in aim.objectives]
        tooltip = "\n".join([aim.statement, *([aim.date_line] if aim.date_line else []), *("• " + o for o in objectives)])
        return Box(key, "aim", "aim", column, aim.statement, tooltip, measures=measures, url=aim.url,
                   date_line=aim.date_line, date_to_set=aim.date_to_set, objectives=objectives)
    element = node.element
    assert isinstance(element, (Driver, ChangeIdea)) and element.id is not None
    measures = [m for m in element.measures if m in graph.by_id and graph.by_id[m].kind == "measure"] if options.show_measures else []
    status = element.status if isinstance(element, ChangeIdea) else None
    tooltip = element.description or element.text
    if isinstance(element, ChangeIdea):
        tooltip += f" (status: {element.status}" + (f"; owner: {element.owner})" if element.owner else ")")
    return Box(key, element.id, node.kind, column, element.text, tooltip, status, measures, url=element.url,
               description=element.description)


def _one_pass(columns: list[Column], boxes: dict[str, Box], connectors: list[Connector], homes: dict[str, str],
              order: dict[str, int]) -> None:
    """Order each column once, from the left: the starting point of the balanced order.

    A box goes with the parent it is written under (its home); boxes of one home are ordered by the
    mean position of all their parents (so a box linked across the diagram leans toward its other
    parents), then by their place in the file. Positions are fractions of a column's height, so
    parents in different columns (a change idea under a secondary driver, another under a tertiary
    one) compare by where they stand on the page.
    """
    parents: dict[str, list[str]] = {}
    for c in connectors:
        parents.setdefault(c.child, []).append(c.parent)
    position: dict[str, float] = {}
    for column in columns:
        keys = [b.key for b in column.boxes]

        def sort_key(k: str) -> tuple[float, float, int]:
            placed = [position[p] for p in parents.get(k, []) if p in position]
            home = homes.get(k) or next(iter(parents.get(k, [])), None)
            home_position = position.get(home, min(placed, default=0.0)) if home else min(placed, default=0.0)
            mean = sum(placed) / len(placed) if placed else home_position
            return (home_position, mean, order[k])

        keys.sort(key=sort_key)
        column.boxes = [boxes[k] for k in keys]
        span = max(len(keys) - 1, 1)
        position.update({k: (i + 0.5) / (span + 1) for i, k in enumerate(keys)})
