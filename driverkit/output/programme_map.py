"""The programme map: the programme's aim and drivers left to right, as in its driver diagram,
then who serves each driver, then the common ground that bridges the members.

The map stays legible however many members there are: each driver gets one box of its members
(their short names by wave when few, counts by wave when many), a driver nobody serves says so,
and only the largest groups of common ground are drawn, with a note of how many more there are.
Every text from a file goes through `escape.label` (labels) or `dot.plain` (tooltips, ids).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import graphviz
import networkx as nx

from driverkit.documents.diagram import ViewOptions, build_diagram
from driverkit.output import escape
from driverkit.output.dot import (COLUMN_WIDTHS, MAX_STRING, PADDING, _box_attributes, aligned_columns, inches, label_lines,
                                  plain, shortened, statement)
from driverkit.output.textwidth import Font, load_font, wrap
from driverkit.output.themes import THEMES, Theme
from driverkit.project.graph import AIM, project_graph
from driverkit.programme.analysis import Programme
from driverkit.programme.common import Cluster
from driverkit.programme.links import programme_ids_served
from driverkit.programme.members import MemberProject

MAP_FORMATS = ("svg", "png", "pdf", "dot")
MANY = 8  # a box names its members up to this many; beyond, it counts them by wave
MOST_CLUSTERS = 10  # groups of common ground drawn; the report lists them all
MEMBERS_WIDTH = 190.0  # points at 10 pt
CLUSTER_WIDTH = 200.0
CLUSTER_TEXT = 110  # characters of a group's text shown on the map
KINDS = {"change": "change idea", "driver": "driver", "measure": "measure"}


@dataclass(frozen=True)
class Accent:
    """The map's own colours beside the theme's: a driver nobody serves, and common ground."""

    gap: str
    gap_fill: str
    common_fill: str
    common_border: str


ACCENTS = {
    "default": Accent("#b91c1c", "#fff5f5", "#f4f1fb", "#8e7cc3"),
    "print": Accent("#000000", "#ffffff", "#f2f2f2", "#555555"),
    "colourblind": Accent("#d55e00", "#fdf0e6", "#f6e8f0", "#cc79a7"),  # Okabe-Ito vermillion and reddish purple
}


@dataclass
class _Bridge:
    cluster: Cluster
    targets: list[str]  # programme driver ids, the most specific only
    main: list[str]  # the targets joined to it by a line


@dataclass
class _Column:
    title: str
    width: float
    nodes: list[tuple[str, str]] = field(default_factory=list)
    lines: int = 0  # text lines in its boxes, for the size estimate


def programme_map_dot(programme: Programme, theme: str = "default") -> str:
    """DOT source of the programme map: deterministic, the same text for the same programme."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: use {', '.join(THEMES)}")
    dot, _ = _map(programme, theme)
    return dot


def programme_map(programme: Programme, fmt: str = "svg", backend: str = "auto", theme: str = "default") -> bytes:
    """The programme map as svg, png or pdf (drawn by Graphviz) or dot (its source), as bytes.
    Raises driverkit.RenderError when Graphviz is missing or fails, ValueError for another format."""
    from driverkit.output.engine import PNG_DPI, find_backend, png_dpi

    if fmt not in MAP_FORMATS:
        raise ValueError(f"the programme map is written as {', '.join(MAP_FORMATS)}, not {fmt!r}")
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: use {', '.join(THEMES)}")
    source, size = _map(programme, theme)
    if fmt == "dot":
        return source.encode("utf-8")
    dpi = png_dpi(*size) if fmt == "png" else PNG_DPI
    return find_backend(backend).render(source, fmt, (), dpi)


def short_names(members: Iterable[MemberProject]) -> dict[str, str]:
    """Each member's name as the map shows it: its file name without the extension, or its path
    without the extension when two members share a file name."""
    members = list(members)
    stems = [Path(m.name).stem for m in members]
    return {m.name: (stem if stems.count(stem) == 1 else str(Path(m.name).with_suffix("")))
            for m, stem in zip(members, stems)}


def wave_label(wave: Optional[int]) -> str:
    return f"wave {wave}" if wave is not None else "no wave"


def by_wave(names: Sequence[str], waves: dict[str, Optional[int]]) -> list[tuple[Optional[int], list[str]]]:
    """Names grouped by their wave, waves in order (no wave last), names sorted in each."""
    grouped: dict[Optional[int], list[str]] = {}
    for name in names:
        grouped.setdefault(waves.get(name), []).append(name)
    return [(wave, sorted(grouped[wave])) for wave in sorted(grouped, key=lambda w: (w is None, w or 0))]


def largest_clusters(clusters: Sequence[Cluster], most: int = MOST_CLUSTERS) -> list[Cluster]:
    """The `most` clusters shared by the most members (then the most items), in that order."""
    ranked = sorted(clusters, key=lambda c: (-len(c.members), -len(c.items), c.kind, c.label, c.items[0].member if c.items else ""))
    return ranked[:most]


# --- building the map ---------------------------------------------------------------------------


def _map(programme: Programme, theme_name: str) -> tuple[str, tuple[float, float]]:
    project = programme.project
    options = dataclasses.replace(ViewOptions.for_project(project, theme=theme_name), font_file=None, primary=None,
                                  statuses=(), tags=(), hide_abandoned=False, show_ids=True, legend=False)
    theme = THEMES[options.theme]
    accent = ACCENTS[options.theme]
    size = options.font_size
    scale = size / 10.0
    small = size * 0.8
    font = load_font()
    bold = load_font(bold=True)
    diagram = build_diagram(project, options)
    # The programme's own change ideas are not drawn: its members' are, as common ground.
    driver_columns = [c for c in diagram.columns if c.kind != "change"]
    boxes = {box.key: box for column in driver_columns for box in column.boxes}
    names = {key: _node_name("d", box.element_id) if box.kind == "driver" else "aim" for key, box in boxes.items()}
    by_id = {box.element_id: box for box in boxes.values() if box.kind == "driver"}

    short = short_names(programme.members)
    waves = {m.name: m.wave for m in programme.members}
    coverage = {c.driver: c for c in programme.coverage}
    under = _drivers_under(project)
    gaps = {c.driver for c in programme.links.uncovered}

    dot = graphviz.Digraph("programme_map")
    dot.attr("graph", rankdir="LR", newrank="true", nodesep=f"{0.16 * scale:.3f}", ranksep=f"{0.55 * scale:.3f}",
             splines="spline", fontname=font.family, bgcolor="white", pad="0.25", outputorder="edgesfirst",
             label=f"<{_title(programme, size, theme, short)}>", labelloc="t", labeljust="l", fontsize=f"{size * 1.5:g}",
             fontcolor=theme.header)
    dot.attr("node", shape="box", style="rounded,filled", fontname=font.family, fontsize=f"{size:g}",
             margin=f"{0.1 * scale:.3f},{0.06 * scale:.3f}", penwidth="1", label="\\N", fontcolor=theme.text)
    dot.attr("edge", arrowhead="none", color=theme.edge, penwidth="1.2")

    columns: list[_Column] = []
    for column in driver_columns:
        width = COLUMN_WIDTHS.get(column.kind, 170.0) * scale
        text_width = width - 2 * PADDING * scale
        drawn = _Column(column.header, width)
        for box in column.boxes:
            attributes = _box_attributes(box, width, size, font, bold, theme, show_ids=True)
            if box.kind == "driver" and box.element_id in gaps:
                attributes.update(color=accent.gap, style="rounded,filled,dashed", penwidth="1.8")
            drawn.nodes.append((names[box.key], statement(names[box.key], attributes)))
            drawn.lines += len(wrap(box.text, text_width, size, font)) + (box.kind == "driver") + bool(box.measures)
        if column.kind == "aim":
            drawn.nodes.append(("key", statement("key", _key(size, theme, accent))))
            drawn.lines += 6
        columns.append(drawn)

    # One box of members per driver that needs one: every driver with none under it, and any
    # driver served directly by members that serve none of the drivers under it.
    place = _places(diagram.connectors, driver_columns)
    member_boxes: dict[str, str] = {}  # programme driver id ("aim" for the aim) -> node name
    members_column = _Column("Members serving it", MEMBERS_WIDTH * scale)
    aim_only = sorted(m for m, ids in programme.links.served.items() if "aim" in ids and len(ids) == 1)
    rows: list[tuple[tuple[int, ...], str, str, list[str]]] = []  # (place, driver id, node, members)
    if aim_only:
        rows.append(((), "aim", "aim", aim_only))
    for driver_id, box in by_id.items():
        cover = coverage.get(driver_id)
        if cover is None:
            continue
        below = {m for other in under.get(driver_id, ()) if other in coverage for m in coverage[other].direct}
        shown = sorted(set(cover.direct) - below)
        if shown or not under.get(driver_id):
            rows.append((place.get(box.key, (10**6,)), driver_id, names[box.key], shown))
    for _, driver_id, parent, members in sorted(rows, key=lambda row: row[0]):
        node = _node_name("m", driver_id)
        member_boxes[driver_id] = node
        label, lines = _members_label(driver_id, bool(under.get(driver_id)), members, waves, short, members_column.width, size, small, font, bold, theme, accent)
        attributes = {"label": label, "width": inches(members_column.width), "fillcolor": "#ffffff" if not members else theme.driver_fills[-1],
                      "color": accent.gap if not members else theme.driver_border,
                      "tooltip": plain(_members_tooltip(driver_id, members), f"the members of {driver_id}"),
                      "id": plain(f"members:{driver_id}")}
        if not members:
            attributes.update(style="rounded,filled,dashed", penwidth="1.6")
        members_column.nodes.append((node, statement(node, attributes)))
        members_column.lines += lines
        dot.body.append(statement(f"{parent} -> {node}", {"id": plain(f"serves:{driver_id}")}))
    if members_column.nodes:
        columns.append(members_column)

    shown_bridges = _bridges(programme, largest_clusters(programme.clusters), under)
    hidden = len(programme.clusters) - len(shown_bridges)
    slot = {node: index for index, (node, _) in enumerate(members_column.nodes)}
    order = {driver_id: index for index, driver_id in enumerate(by_id)}

    def position(bridge: _Bridge) -> float:
        spots = [slot[member_boxes[t]] if t in member_boxes else order.get(t, 0) for t in bridge.main]
        return sum(spots) / len(spots) if spots else float("inf")

    shown_bridges.sort(key=lambda b: (position(b), -len(b.cluster.members), b.cluster.label))
    bridge_edges: list[str] = []
    if shown_bridges:
        bridge_column = _Column("Common ground", CLUSTER_WIDTH * scale)
        for number, bridge in enumerate(shown_bridges, 1):
            node = f"common_{number}"
            label, lines = _bridge_label(bridge, waves, short, bridge_column.width, size, small, font, bold, theme)
            bridge_column.nodes.append((node, statement(node, {
                "label": label, "width": inches(bridge_column.width), "fillcolor": accent.common_fill, "color": accent.common_border,
                "tooltip": plain(_bridge_tooltip(bridge), "the tooltip of a group of common ground"), "id": plain(f"common:{number}")})))
            bridge_column.lines += lines
            linked = [t for t in bridge.main if t in member_boxes] or [t for t in bridge.targets if t in member_boxes][:1]
            for target in linked:
                if target in member_boxes:
                    bridge_edges.append(statement(f"{member_boxes[target]} -> {node}", {
                        "style": "dashed", "color": accent.common_border, "id": plain(f"common:{number}:{target}")}))
        if hidden:
            more = hidden
            text = (f"… and {more} more group{'s' if more != 1 else ''} of common ground, "
                    f"each shared by fewer members: see the report")
            lines = wrap(text, bridge_column.width - 2 * PADDING * scale, small, font)
            broken = '<BR ALIGN="LEFT"/>'.join(escape.label(x) for x in lines)
            label = f'<<FONT POINT-SIZE="{small:g}" COLOR="{theme.muted}">{broken}<BR ALIGN="LEFT"/></FONT>>'
            bridge_column.nodes.append(("common_more", statement("common_more", {
                "label": label, "shape": "plaintext", "style": "", "width": inches(bridge_column.width), "id": "common:more"})))
            bridge_column.lines += len(lines)
        columns.append(bridge_column)

    aligned_columns(dot, [(c.title, c.width, c.nodes) for c in columns], size, bold, theme)
    for link in diagram.connectors:
        if link.parent in names and link.child in names:
            attributes = {"style": "dotted", "penwidth": "1.6"} if link.weak else {}
            attributes["id"] = plain(f"link:{boxes[link.child].element_id}:{boxes[link.parent].element_id}")
            dot.body.append(statement(f"{names[link.parent]} -> {names[link.child]}", attributes))
    dot.body.extend(bridge_edges)
    return dot.source, _estimated_size(columns, size, scale)


def _node_name(prefix: str, element_id: str) -> str:
    """A safe DOT identifier for an element id: letters and digits kept, anything else coded."""
    return f"{prefix}_" + "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in element_id)


def _drivers_under(project) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Programme driver id -> the ids of the drivers that contribute to it, directly or not."""
    graph = project_graph(project)
    found: dict[str, set[str]] = {}
    for driver in project.all_drivers():
        key = graph.node_of(driver).key
        found[str(driver.id)] = {str(graph.nodes[k].element.id) for k in nx.ancestors(graph.graph, key)  # type: ignore[union-attr]
                                 if graph.nodes[k].kind == "driver"}
    return found


def _places(connectors, columns) -> dict[str, tuple[int, ...]]:  # type: ignore[no-untyped-def]
    """Each box's place in a walk of the tree as drawn: a driver's place is its first parent's
    place, then its own row, so sorting by place puts each driver's boxes after its parent's."""
    row = {box.key: index for column in columns for index, box in enumerate(column.boxes)}
    parents: dict[str, list[str]] = {}
    for link in connectors:
        if link.parent in row and link.child in row:
            parents.setdefault(link.child, []).append(link.parent)
    places: dict[str, tuple[int, ...]] = {}

    def place_of(key: str, depth: int = 0) -> tuple[int, ...]:
        if key not in places:
            above = sorted(parents.get(key, []), key=lambda p: (row[p], p))
            base = place_of(above[0], depth + 1) if above and depth < 10 else ()
            places[key] = base + (row[key],)
        return places[key]

    for column in columns:
        for box in column.boxes:
            place_of(box.key)
    return places


def _bridges(programme: Programme, clusters: Sequence[Cluster], under: dict[str, set[str]]) -> list[_Bridge]:
    """Each cluster with the programme drivers its items serve (for a measure, what the elements it
    measures serve). Where a driver and one under it are both served, only the one under it is
    kept: it says more. The main targets are those served by at least half the cluster's members
    (at least the one served by most): only they are joined by a line, so that a change serving
    many drivers does not draw a web."""
    served: dict[tuple[str, str], set[str]] = {}
    for member in programme.members:
        if member.project is None:
            continue
        for element_id, ids in programme_ids_served(member.project, member.name, programme.links.links).items():
            served[(member.name, element_id)] = ids
    measured = _measured(programme)
    bridges = []
    for cluster in clusters:
        by_member: dict[str, set[str]] = {}
        for item in cluster.items:
            found = by_member.setdefault(item.member, set())
            if item.kind == "measure":
                # A measure of a member's aim measures all its work, not one driver: only the
                # drivers and change ideas it is attached to place it.
                for element_id in measured.get((item.member, item.id), ()):
                    if element_id != "aim":
                        found |= served.get((item.member, element_id), set())
            else:
                found |= set(item.serves) or served.get((item.member, item.id), set())
        targets = {t for found in by_member.values() for t in found if t in under}
        specific = sorted(t for t in targets if not (under[t] & targets))
        counts = {t: sum(1 for found in by_member.values() if t in found or under[t] & found) for t in specific}
        most = max(counts.values(), default=0)
        main = [t for t in specific if counts[t] == most or 2 * counts[t] >= len(by_member)]
        bridges.append(_Bridge(cluster, specific, main))
    return bridges


def _measured(programme: Programme) -> dict[tuple[str, str], list[str]]:
    """(member, measure id) -> the ids of the member's elements it measures ("aim" for the aim)."""
    found: dict[tuple[str, str], list[str]] = {}
    for member in programme.members:
        if member.project is None:
            continue
        graph = project_graph(member.project)
        for key, measures in graph.measured_by.items():
            node = graph.nodes.get(key)
            if node is None:
                continue
            element_id = "aim" if key == AIM else str(getattr(node.element, "id", "") or "")
            for measure_key in measures:
                measure = graph.nodes[measure_key].element
                if element_id and measure is not None:
                    found.setdefault((member.name, str(measure.id)), []).append(element_id)  # type: ignore[union-attr]
    return found


# --- labels -------------------------------------------------------------------------------------


def _row(text: str, width: float, size: float, font: Font, colour: Optional[str] = None, bold: bool = False,
         what: str = "a label") -> str:
    lines = label_lines(text, width, size, font, MAX_STRING // 4, what)
    inner = f"<B>{lines}</B>" if bold else lines
    colour_attribute = f' COLOR="{colour}"' if colour else ""
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{size:g}"{colour_attribute}>{inner}</FONT></TD></TR>'


def _table(rows: list[str], width: float) -> str:
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0" WIDTH="{width:.0f}">{"".join(rows)}</TABLE>>'


def _members_label(driver_id: str, whole: bool, members: list[str], waves: dict[str, Optional[int]], short: dict[str, str], width: float,
                   size: float, small: float, font: Font, bold: Font, theme: Theme, accent: Accent) -> tuple[str, int]:
    scale = size / 10.0
    text_width = width - 2 * PADDING * scale
    where = "the aim" if driver_id == "aim" else driver_id
    if not members:
        rows = [_row(f"{where}: no member yet", text_width, size, bold, accent.gap, bold=True, what=f"the members of {driver_id}")]
        return _table(rows, text_width), 1
    count = f"{len(members)} member{'s' if len(members) != 1 else ''} on {where}" + (" as a whole" if whole else "")
    rows = [_row(count, text_width, small, bold, theme.muted, bold=True, what=f"the members of {driver_id}")]
    lines = 1
    for wave, names in by_wave(members, waves):
        if len(members) <= MANY:
            text = f"{wave_label(wave)}: " + ", ".join(short.get(n, n) for n in names)
        else:
            text = f"{wave_label(wave)}: {len(names)} member{'s' if len(names) != 1 else ''}"
        rows.append(_row(text, text_width, size, font, what=f"the members of {driver_id}"))
        lines += len(wrap(text, text_width, size, font))
    return _table(rows, text_width), lines


def _members_tooltip(driver_id: str, members: list[str]) -> str:
    where = "the aim" if driver_id == "aim" else driver_id
    if not members:
        return f"No member serves {where} yet"
    return f"Serving {where}: " + ", ".join(members)


def _bridge_label(bridge: _Bridge, waves: dict[str, Optional[int]], short: dict[str, str], width: float, size: float,
                  small: float, font: Font, bold: Font, theme: Theme) -> tuple[str, int]:
    scale = size / 10.0
    text_width = width - 2 * PADDING * scale
    cluster = bridge.cluster
    members = list(cluster.members)
    head = f"{KINDS.get(cluster.kind, cluster.kind)} · {len(members)} members"
    text = " ".join(cluster.label.split())
    if len(text) > CLUSTER_TEXT:
        text = text[:CLUSTER_TEXT - 1].rstrip() + "…"
    rows = [_row(head, text_width, small, bold, theme.muted, bold=True, what="a group of common ground"),
            _row(text, text_width, size, font, what="a group of common ground")]
    lines = 1 + len(wrap(text, text_width, size, font))
    serves = ("serves " + ", ".join(bridge.targets)) if bridge.targets else "tied to no one driver"
    rows.append(_row(serves, text_width, small, font, theme.muted, what="a group of common ground"))
    lines += len(wrap(serves, text_width, small, font))
    if len(members) <= MANY:
        who = ", ".join(short.get(m, m) for m in members)
    else:
        who = _packed([f"{wave_label(wave)}: {len(names)}" for wave, names in by_wave(members, waves)], text_width, small, font)
    rows.append(_row(who, text_width, small, font, theme.muted, what="a group of common ground"))
    lines += len(wrap(who, text_width, small, font))
    return _table(rows, text_width), lines


def _packed(groups: list[str], width: float, size: float, font: Font) -> str:
    """Groups joined by "; " into lines of `width`, a group never split across lines."""
    lines: list[str] = []
    for group in groups:
        if lines and font.width(f"{lines[-1]}; {group}", size) <= width:
            lines[-1] = f"{lines[-1]}; {group}"
        else:
            lines.append(group)
    return "\n".join(lines)


def _bridge_tooltip(bridge: _Bridge) -> str:
    cluster = bridge.cluster
    lines = [f"The same {KINDS.get(cluster.kind, cluster.kind)} in {len(cluster.members)} members"
             + (f", serving {', '.join(bridge.targets)}" if bridge.targets else "") + ":"]
    lines += [f"{item.member} {item.id}: {item.text}" for item in cluster.items]
    return "\n".join(lines)


def _title(programme: Programme, size: float, theme: Theme, short: dict[str, str]) -> str:
    members = programme.members
    waves = programme.waves()
    counts = ", ".join(f"{wave_label(w)}: {len(ms)}" for w, ms in waves.items())
    total = len(programme.coverage)
    gaps = programme.links.uncovered
    parts = [f"{len(members)} member{'s' if len(members) != 1 else ''}" + (f" ({counts})" if counts else ""),
             f"{total - len(gaps)} of {total} drivers served"]
    if gaps:
        ids = [g.driver for g in gaps]
        parts.append("no member yet on " + ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else ""))
    failed = [m for m in members if not m.loaded]
    if failed:
        names = [short.get(m.name, m.name) for m in failed]
        parts.append(f"{len(failed)} do{'es' if len(failed) == 1 else ''} not load: " + ", ".join(names[:5])
                     + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
    title = shortened(escape.label, "Programme map: " + programme.project.title, MAX_STRING // 2, "the title")
    subtitle = shortened(escape.label, "; ".join(parts), MAX_STRING // 4, "the summary")
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0">'
            f'<TR><TD ALIGN="LEFT"><B>{title}</B></TD></TR>'
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{size:g}" COLOR="{theme.muted}">{subtitle}</FONT></TD></TR></TABLE>')


def _key(size: float, theme: Theme, accent: Accent) -> dict[str, str]:
    scale = size / 10.0
    small = f"{size * 0.85:g}"
    swatch = f'WIDTH="{round(24 * scale)}" HEIGHT="{round(13 * scale)}"'
    rows = [
        '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Key</B></TD></TR>',
        f'<TR><TD BGCOLOR="{theme.driver_fills[-1]}" BORDER="1" COLOR="{theme.driver_border}" STYLE="rounded" {swatch}></TD>'
        f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{small}">members serving a driver, by wave</FONT></TD></TR>',
        f'<TR><TD BGCOLOR="#ffffff" BORDER="2" COLOR="{accent.gap}" STYLE="rounded,dashed" {swatch}></TD>'
        f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{small}">a driver no member serves yet</FONT></TD></TR>',
        f'<TR><TD BGCOLOR="{accent.common_fill}" BORDER="1" COLOR="{accent.common_border}" STYLE="rounded" {swatch}></TD>'
        f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{small}">common ground: the same change,<BR/>driver or measure in 2+ members</FONT></TD></TR>',
    ]
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">{"".join(rows)}</TABLE>>'
    return {"label": label, "shape": "box", "style": "rounded", "color": theme.frame, "fontcolor": theme.text,
            "tooltip": "Key", "id": "key"}


def _estimated_size(columns: list[_Column], size: float, scale: float) -> tuple[float, float]:
    """Roughly how large Graphviz will draw the map, in points: enough to choose a PNG resolution."""
    width = sum(c.width for c in columns) + 0.55 * 72 * scale * len(columns)
    height = max((c.lines * size * 1.25 + len(c.nodes) * (0.12 + 0.16 * scale) * 72 for c in columns), default=0.0)
    return width, height + 6 * size


__all__ = ["MANY", "MAP_FORMATS", "MOST_CLUSTERS", "by_wave", "largest_clusters", "programme_map", "programme_map_dot",
           "short_names", "wave_label"]
