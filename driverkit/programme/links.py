"""The links between a programme and its members: what each member serves, which programme
drivers are covered and by whom, and the links that reach beyond the programme (other programmes
the members serve as well)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import networkx as nx

from driverkit.project.diagnostics import Diagnostic
from driverkit.project.graph import AIM, project_graph
from driverkit.project.model import Driver, Project
from driverkit.project.references import CONTRIBUTES_NOTHING, ReferenceProblem, Workspace, serves_of
from driverkit.programme.members import MemberProject


@dataclass(frozen=True)
class Link:
    """A member's aim or driver serving an element of another file."""

    member: str  # the member's name
    source: str  # the member's driver id, or "aim"
    target_file: str  # the file served, as the programme shows it
    target: str  # the id served there, or "aim"
    reference: str  # as written


@dataclass
class Coverage:
    """Who works on one driver of the programme."""

    driver: str  # the programme driver's id
    text: str
    level: int
    direct: list[str] = field(default_factory=list)  # members linked to this driver
    below: list[str] = field(default_factory=list)  # members linked only to drivers under it

    @property
    def members(self) -> list[str]:
        return sorted(set(self.direct) | set(self.below))


@dataclass
class Links:
    links: list[Link]  # every link to the programme file
    beyond: list[Link]  # links from members to other files (another programme, another member)
    coverage: list[Coverage]  # every programme driver, in file order
    served: dict[str, set[str]]  # member name -> programme ids it serves (driver ids, "aim")
    diagnostics: list[Diagnostic]

    @property
    def uncovered(self) -> list[Coverage]:
        """The programme's drivers nobody works on, directly or below."""
        return [c for c in self.coverage if not c.members]


def find_links(programme: Project, members: list[MemberProject], workspace: Workspace) -> Links:
    home = Path(programme.file).resolve()
    folder = home.parent
    links: list[Link] = []
    beyond: list[Link] = []
    served: dict[str, set[str]] = {}
    problems: list[Diagnostic] = []
    for member in members:
        project = member.project
        if project is None:
            continue
        served[member.name] = set()
        for driver, reference, _ in serves_of(project):
            try:
                resolved = workspace.resolve(reference, project.file, project.allowed_paths)
            except ReferenceProblem:
                continue  # the member's own check reports it
            source = driver.id if isinstance(driver, Driver) and driver.id else "aim"
            link = Link(member.name, source, _shown(resolved.file, folder), resolved.target_id, reference)
            if resolved.file == home:
                links.append(link)
                served[member.name].add(resolved.target_id)
            else:
                beyond.append(link)
        if not served[member.name]:
            where = project.location(("serves",), at="key") if project.is_written(("serves",)) else (1, 1)
            problems.append(CONTRIBUTES_NOTHING.diagnostic(
                f"{member.name} is a member of {home.name} but serves nothing in it", project.file, *where,
                hint=f"Add `serves: [{_relative(home, member.file)}#P1]` (a driver of {home.name}, or #aim) at the top of "
                     "the file, or on the drivers that serve the programme's drivers."))
    return Links(links, beyond, _coverage(programme, links), served, problems)


def _coverage(programme: Project, links: list[Link]) -> list[Coverage]:
    graph = project_graph(programme)
    by_driver: dict[str, set[str]] = {}
    for link in links:
        by_driver.setdefault(link.target, set()).add(link.member)
    found = []
    for driver in programme.all_drivers():
        key = graph.node_of(driver).key
        below = {m for node in nx.ancestors(graph.graph, key) for m in by_driver.get(node, ())}  # what contributes to it
        direct = by_driver.get(str(driver.id), set())
        found.append(Coverage(str(driver.id), driver.text, driver.level, sorted(direct), sorted(below - direct)))
    return found


def programme_ids_served(project: Project, member: str, links: list[Link]) -> dict[str, set[str]]:
    """For each element of a member (by id), the programme ids it serves: what its own drivers
    serve, passed down to everything under them; the aim's links for elements under no such driver."""
    graph = project_graph(project)
    mine = [link for link in links if link.member == member]
    result: dict[str, set[str]] = {}
    for link in mine:
        if link.source == "aim":
            continue
        node: Optional[str] = link.source if link.source in graph.nodes else None
        if node is None:
            continue
        for key in nx.ancestors(graph.graph, node) | {node}:
            element = graph.nodes[key].element
            if element is not None and getattr(element, "id", None):
                result.setdefault(str(element.id), set()).add(link.target)
    at_aim = {link.target for link in mine if link.source == "aim"}
    if at_aim:
        for key in nx.ancestors(graph.graph, AIM):
            element = graph.nodes[key].element
            element_id = getattr(element, "id", None)
            if element_id and element_id not in result:
                result[str(element_id)] = set(at_aim)
    return result


def _shown(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def _relative(target: Path, from_file: Path) -> str:
    import os

    return os.path.relpath(target, from_file.parent)
