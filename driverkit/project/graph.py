"""The project as a directed graph: each element points to what it contributes to.

Edges run from a change idea to its drivers, from a secondary driver to its primary driver and from
a primary driver to the aim, so "does this change idea reach the aim?" is a path question. Measures
are kept beside the graph as attachments (measure -> the elements it measures).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

import networkx as nx

from driverkit.project.model import ChangeIdea, Driver, Element, Link, Linked, LinkedChangeIdea, Measure, Nested, NestedChangeIdea, PathKey, Project

AIM = "(aim)"  # the aim's node key; parentheses keep it apart from every valid id


@dataclass
class Node:
    key: str  # the node's key in the graph: its id, made unique for a duplicate id
    kind: str  # aim, driver, change, measure
    element: Optional[Union[Element, Project]]
    path: PathKey
    level: int = 0  # 0 for the aim, 1 to 3 for drivers, 0 otherwise

    @property
    def label(self) -> str:
        if self.kind == "aim":
            return "the aim"
        kind = {"driver": "driver", "change": "change idea", "measure": "measure"}[self.kind]
        return f"{kind} {self.element.id}"  # type: ignore[union-attr]


@dataclass
class Reference:
    """An id written in the file: a link to a parent, or a measure attached to an element."""

    source: str  # node key (or id) of what holds the reference
    target_id: str
    path: PathKey  # where the id is written
    kind: str  # what the id must name: "parent" (a driver to link to), "measure", "change", "driver", "logic", "cycle"
    link: Optional[Link] = None


@dataclass
class ProjectGraph:
    graph: nx.DiGraph
    nodes: dict[str, Node]
    by_id: dict[str, Node]  # the first element written with each id
    duplicates: list[tuple[Node, Node]] = field(default_factory=list)  # (second, first)
    references: list[Reference] = field(default_factory=list)
    others: dict[str, Node] = field(default_factory=dict)  # logic-model items and PDSA cycles, by id
    measured_by: dict[str, list[str]] = field(default_factory=dict)  # node key -> measure node keys
    _by_object: dict[int, Node] = field(default_factory=dict)

    def target(self, ref: Reference) -> Optional[Node]:
        """What a reference names, of any kind, or None when nothing has that id."""
        return self.by_id.get(ref.target_id) or self.others.get(ref.target_id)

    def node_of(self, element: Element) -> Node:
        """The node of an element of this project."""
        return self._by_object[id(element)]

    def measures_of(self, key: str) -> list[Measure]:
        found = [self.nodes[m].element for m in self.measured_by.get(key, [])]
        return [m for m in found if isinstance(m, Measure)]

    def contributors(self, key: str) -> set[str]:
        """Every node that contributes to this one, directly or through others."""
        return nx.ancestors(self.graph, key)


def project_graph(project: Project) -> ProjectGraph:
    """The graph of a loaded project, built once and kept on the project until `project.reindex()`
    runs again: every document, rule and analysis of one project shares it. Read it, never change it."""
    graph = project._graph
    if graph is None:
        graph = project._graph = build_graph(project)
    return graph


def build_graph(project: Project) -> ProjectGraph:
    """The contribution graph of a validated project; unresolved references are kept, not linked."""
    graph: nx.DiGraph = nx.DiGraph()
    nodes: dict[str, Node] = {}
    by_id: dict[str, Node] = {}
    result = ProjectGraph(graph, nodes, by_id)

    def add(node: Node) -> Node:
        graph.add_node(node.key, kind=node.kind, level=node.level)
        nodes[node.key] = node
        result._by_object[id(node.element)] = node
        return node

    aim = add(Node(AIM, "aim", project, ("aim",)))
    # In file order, so that of two elements with one id the one written second is the duplicate.
    for element in sorted(project.elements(), key=lambda e: project.location(e.path)):
        assert element.id is not None
        kind = "driver" if isinstance(element, Driver) else "change" if isinstance(element, ChangeIdea) else "measure"
        level = element.level if isinstance(element, Driver) else 0
        key = element.id
        if key in by_id:
            n = 2
            while f"{element.id}#{n}" in nodes:
                n += 1
            key = f"{element.id}#{n}"
        node = add(Node(key, kind, element, element.path, level))
        if element.id in by_id:
            result.duplicates.append((node, by_id[element.id]))
        else:
            by_id[element.id] = node

    _others(project, result)
    _nesting_edges(project, result, aim)
    for node in list(nodes.values()):
        _written_references(node, result)
    _other_references(project, result)
    for ref in result.references:
        target = by_id.get(ref.target_id)
        if target is None:
            continue
        if ref.kind == "measure" and target.kind == "measure":
            result.measured_by.setdefault(ref.source, []).append(target.key)
        elif ref.kind == "parent" and target.kind == "driver":
            link = ref.link
            graph.add_edge(ref.source, target.key, strength=link.strength if link else "strong",
                           evidence=link.evidence if link else None, path=ref.path, nested=False)
    return result


def _others(project: Project, result: ProjectGraph) -> None:
    """Logic-model items and PDSA cycles: not part of the diagram's graph, but their ids share its
    namespace, so duplicates and dangling references are found the same way."""
    items = [(item, "logic") for _, item in project.logic_items()] + [(cycle, "cycle") for cycle in project.pdsa]
    items += [(site, "site") for site in (project.spread.sites if project.spread else []) if site.id]
    for item, kind in items:
        path = item.path if kind != "site" else ("spread", "sites", project.spread.sites.index(item))  # type: ignore[union-attr]
        node = Node(str(item.id), kind, item, path)  # type: ignore[arg-type]
        first = result.by_id.get(node.key) or result.others.get(node.key)
        if first is not None:
            result.duplicates.append((node, first))
        else:
            result.others[node.key] = node


def _other_references(project: Project, result: ProjectGraph) -> None:
    """The ids written in the logic model (change ideas, drivers, next items), the PDSA cycles
    (the change idea tested, the next cycle) and the spread plan (change ideas adopted)."""
    add = result.references.append
    for _, item in project.logic_items():
        for key, kind in (("changes", "change"), ("drivers", "driver"), ("leads_to", "logic")):
            for i, target in enumerate(getattr(item, key)):
                add(Reference(str(item.id), target, item.path + (key, i), kind))
    for cycle in project.pdsa:
        add(Reference(str(cycle.id), cycle.change, cycle.path + ("change",), "change"))
        if cycle.next:
            add(Reference(str(cycle.id), cycle.next, cycle.path + ("next",), "cycle"))
    if project.spread:
        for s, site in enumerate(project.spread.sites):
            for change_id in site.adopts:
                add(Reference(site.id or site.name, change_id, ("spread", "sites", s, "adopts", change_id), "change"))


def _nesting_edges(project: Project, result: ProjectGraph, aim: Node) -> None:
    """The links that the nesting of the file expresses."""
    def link(child: Driver | NestedChangeIdea, parent_key: str) -> None:
        result.graph.add_edge(result.node_of(child).key, parent_key, strength=child.strength,
                              evidence=child.evidence, path=child.path, nested=True)

    for driver in project.all_drivers():
        if driver.level == 1:
            link(driver, aim.key)
        for sub in driver.drivers:
            link(sub, result.node_of(driver).key)
        for change in driver.changes:
            link(change, result.node_of(driver).key)


def _written_references(node: Node, result: ProjectGraph) -> None:
    element = node.element
    if node.kind == "aim":
        assert isinstance(element, Project)
        for i, measure_id in enumerate(element.aim.measures):
            result.references.append(Reference(node.key, measure_id, ("aim", "measures", i), "measure"))
        for i, objective in enumerate(element.aim.objectives):  # a measure of an objective measures the aim
            if objective.measure:
                result.references.append(Reference(node.key, objective.measure, ("aim", "objectives", i, "measure"), "measure"))
        return
    if isinstance(element, LinkedChangeIdea):
        for i, link in enumerate(element.drivers):
            result.references.append(Reference(node.key, link.to, element.path + ("drivers", i, "to"), "parent", link))
    if isinstance(element, Nested):
        for i, link in enumerate(element.also):
            result.references.append(Reference(node.key, link.to, element.path + ("also", i, "to"), "parent", link))
    if isinstance(element, Linked):
        for i, measure_id in enumerate(element.measures):
            result.references.append(Reference(node.key, measure_id, element.path + ("measures", i), "measure"))
