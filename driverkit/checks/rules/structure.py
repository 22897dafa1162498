"""Rules on the shape of the driver diagram: references, ids, cycles, levels, orphans."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Iterator

import networkx as nx

from driverkit.project.diagnostics import Severity
from driverkit.project.graph import AIM, Node, ProjectGraph, Reference
from driverkit.project.model import LEVEL_NAMES, MAX_DRIVER_LEVEL
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context

E, W = Severity.ERROR, Severity.WARNING


@rule("DK101", "dangling-reference", E,
      "An id is referred to but no element has it.",
      "Check the id's spelling, or add the element it should refer to.")
def dangling_reference(ctx: Context) -> Iterator[Finding]:
    """A link (`also:`, `drivers:`) or a measure list (`measures:`) names an id that no element in
    the file carries. The link is left out of the diagram, so a change idea may lose its path to the
    aim. The message suggests the closest id of the right kind."""
    g = ctx.graph
    everything = list(g.by_id.values()) + list(g.others.values())
    for ref in g.references:
        if g.target(ref) is not None:
            continue
        wanted = _WANTED[ref.kind]
        candidates = [str(n.element.id) for n in everything if n.element is not None and _may_name(g, ref, n)]  # type: ignore[union-attr]
        close = difflib.get_close_matches(ref.target_id, candidates, n=1, cutoff=0.5)
        suggestion = f" (did you mean `{close[0]}`?)" if close else ""
        yield Finding(ref.path, f"no {_kind(wanted)} has the id `{ref.target_id}`{suggestion}")


def _may_name(g: ProjectGraph, ref: Reference, node: Node) -> bool:
    """Whether `ref` could name `node` without breaking another rule (DK104)."""
    if node.kind != _WANTED[ref.kind]:
        return False
    source = g.nodes.get(ref.source)
    if ref.kind == "parent" and source is not None and source.kind == "driver":
        return node.level == source.level - 1
    return True


# The kind of element a reference must name, by the kind of reference.
_WANTED = {"parent": "driver", "measure": "measure", "change": "change", "driver": "driver", "logic": "logic", "cycle": "cycle"}


@rule("DK102", "duplicate-id", E,
      "Two elements have the same id.",
      "Give each element its own id; ids are how links and measures find their element.")
def duplicate_id(ctx: Context) -> Iterator[Finding]:
    """Ids must be unique across drivers, change ideas and measures, or a reference could mean
    either element."""
    for second, first in ctx.graph.duplicates:
        line, _ = ctx.location(first.path + ("id",))
        yield Finding(second.path + ("id",), f"the id `{second.element.id}` is already used by the {_kind(first.kind)} at line {line}")  # type: ignore[union-attr]


@rule("DK103", "cycle", E,
      "Elements contribute to each other in a loop.",
      "A driver diagram reads left to right: remove the link that points back.")
def cycle(ctx: Context) -> Iterator[Finding]:
    """Following the links from an element leads back to it. A theory of change must end at the
    aim; a loop means a link was written the wrong way round."""
    if nx.is_directed_acyclic_graph(ctx.graph.graph):
        return
    seen: set[frozenset[str]] = set()
    for loop in nx.simple_cycles(ctx.graph.graph):
        members = frozenset(loop)
        if members in seen:
            continue
        seen.add(members)
        # Report the link that points back: one written by id rather than by nesting, the last in the file.
        edges = [(a, loop[(i + 1) % len(loop)]) for i, a in enumerate(loop)]
        back = max(edges, key=lambda e: (not ctx.graph.graph.edges[e]["nested"], ctx.location(ctx.graph.graph.edges[e]["path"])))
        i = loop.index(back[0])
        ordered = loop[i:] + loop[:i] + [back[0]]
        names = " -> ".join(ctx.graph.nodes[k].element.id for k in ordered)  # type: ignore[union-attr]
        yield Finding(ctx.graph.graph.edges[back]["path"], f"the links form a loop: {names}")
        if len(seen) >= 20:
            break


@rule("DK104", "wrong-level-link", E,
      "A link joins elements of the wrong columns.",
      "Link a driver to a driver one column to its left, a change idea to a driver, a measure list to measures.")
def wrong_level_link(ctx: Context) -> Iterator[Finding]:
    """Each column links to the one on its left: secondary drivers to primary drivers, tertiary
    to secondary, change ideas to drivers. A secondary driver linked to another secondary driver,
    a change idea linked to a change idea, or a measure id in a driver list break the reading of
    the diagram. Drivers nest at most three levels (primary, secondary, tertiary)."""
    g = ctx.graph
    for ref in g.references:
        target = g.target(ref)
        if target is None:
            continue
        if ref.kind != "parent":
            wanted = _WANTED[ref.kind]
            if target.kind != wanted:
                yield Finding(ref.path, f"`{ref.target_id}` is a {_kind(target.kind)}, not a {_kind(wanted)}")
            continue
        source = g.nodes[ref.source]
        if target.kind != "driver":
            yield Finding(ref.path, f"`{ref.target_id}` is a {_kind(target.kind)}; {source.label} can only be linked to drivers")
        elif source.kind == "driver" and target.level != source.level - 1:
            wanted = "the aim" if source.level == 1 else f"{_level(source.level - 1)} drivers"
            yield Finding(ref.path, f"{source.label} is a {_level(source.level)} driver, so it links to {wanted}; "
                                    f"`{ref.target_id}` is a {_level(target.level)} driver")
    for driver in ctx.project.all_drivers():
        if driver.level > MAX_DRIVER_LEVEL:
            yield Finding(driver.path, f"driver {driver.id} is nested {driver.level} levels deep; drivers nest at most "
                                       f"{MAX_DRIVER_LEVEL} levels (primary, secondary, tertiary)")


@rule("DK201", "change-idea-not-linked", W,
      "A change idea has no path to the aim.",
      "Nest the change idea under a driver, or list the drivers it serves with `drivers:`.")
def change_idea_not_linked(ctx: Context) -> Iterator[Finding]:
    """Every change idea should serve at least one driver, and through it the aim. A change idea
    with no such path is activity without a theory: either the driver it serves is missing from
    the diagram, or the change does not belong to this project."""
    g = ctx.graph
    reaches_aim = nx.ancestors(g.graph, AIM)
    for node in g.nodes.values():
        if node.kind == "change" and node.key not in reaches_aim:
            yield Finding(node.path, f"change idea {node.element.id} is not linked to any driver, so nothing ties it to the aim")  # type: ignore[union-attr]


@rule("DK202", "driver-without-change-ideas", W,
      "A driver has no change ideas.",
      "Add at least one change idea the team could test to move this driver.",
      quiet_in_draft=True)
def driver_without_change_ideas(ctx: Context) -> Iterator[Finding]:
    """A driver at the end of its branch (one that no other driver contributes to, by nesting or by
    a link) needs change ideas: without them the theory says what must change but not how the team
    will change it."""
    g = ctx.graph.graph
    for driver in ctx.project.all_drivers():
        key = ctx.graph.node_of(driver).key
        kinds = {g.nodes[k]["kind"] for k in g.predecessors(key)}
        if not kinds & {"driver", "change"}:
            yield Finding(driver.path, f"{_level(driver.level)} driver {driver.id} has no change ideas")


@rule("DK203", "primary-driver-count", W,
      "Fewer than 2 or more than 5 primary drivers.",
      "Most teams find 2 to 5 primary drivers; merge overlapping ones or split a driver that holds two ideas.")
def primary_driver_count(ctx: Context) -> Iterator[Finding]:
    """IHI guidance on driver diagrams keeps the primary drivers few: a single one adds nothing to
    the aim, and more than five are hard to hold in mind and to measure. In a draft project
    (`draft: true`) too few primary drivers are not reported yet; too many are."""
    count = len(ctx.project.drivers)
    if count < 2:
        path: tuple[str, ...] = ("drivers",) if ctx.project.is_written(("drivers",)) else ("aim",)
        yield Finding(path, f"the diagram has {count} primary driver{'s' if count != 1 else ''}; 2 to 5 is usual", at="key",
                      quiet_in_draft=True)  # a draft may not have them all yet; too many is another matter
    elif count > 5:
        yield Finding(("drivers",), f"the diagram has {count} primary drivers; 2 to 5 is usual", at="key")


@rule("DK209", "testing-without-owner", W,
      "A change idea is being tested but nobody owns it.",
      "Add `owner:` with the person who leads the tests.")
def testing_without_owner(ctx: Context) -> Iterator[Finding]:
    """A change under test needs a named person who plans the PDSA cycles and reports what they
    teach; without one, tests drift."""
    for change in ctx.project.all_changes():
        if change.status == "testing" and not change.owner:
            yield Finding(change.path + ("status",), f"change idea {change.id} is being tested but has no owner")


def _kind(kind: str) -> str:
    return {"change": "change idea", "logic": "logic-model item", "cycle": "PDSA cycle", "site": "site"}.get(kind, kind)


def _level(level: int) -> str:
    return LEVEL_NAMES.get(level, f"level-{level}")

