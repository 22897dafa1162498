"""The links between a programme and its members: what each member serves, which programme
drivers are covered and by whom, and the links that reach beyond the programme (other programmes
the members serve as well). Where one element of a member serves this programme and another
programme, the two programmes work on the same thing: an `Overlap`, warned about (DK809) when
nothing in the other programme leads to this one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import networkx as nx

from driverkit.project.diagnostics import Diagnostic
from driverkit.project.graph import AIM, project_graph
from driverkit.project.model import Driver, Project
from driverkit.project.references import (
    CONTRIBUTES_NOTHING, PROGRAMMES_UNLINKED, ReferenceProblem, Resolved, Workspace, serves_of,
)
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
class Overlap:
    """An element of another programme that members serve from elements that serve this programme
    too: the two programmes work on the same thing through these members."""

    file: str  # the other programme's file, as the programme shows it
    target: str  # the id served there, or "aim"
    text: str  # its text (its aim statement for "aim")
    members: list[str]  # the members whose elements serve both
    here: list[str]  # the ids of this programme those elements serve
    linked: list[str]  # the ids of this programme the other element leads to by its own `serves:`; [] when none

    @property
    def reference(self) -> str:
        return f"{self.file}#{self.target}"


@dataclass
class Links:
    links: list[Link]  # every link to the programme file
    beyond: list[Link]  # links from members to other files (another programme, another member)
    coverage: list[Coverage]  # every programme driver, in file order
    served: dict[str, set[str]]  # member name -> programme ids it serves (driver ids, "aim")
    diagnostics: list[Diagnostic]
    overlaps: list[Overlap] = field(default_factory=list)  # other programmes working on the same things

    @property
    def uncovered(self) -> list[Coverage]:
        """The programme's drivers nobody works on, directly or below."""
        return [c for c in self.coverage if not c.members]


def find_links(programme: Project, members: list[MemberProject], workspace: Workspace) -> Links:
    home = Path(programme.file).resolve()
    folder = home.parent
    links: list[Link] = []
    beyond: list[Link] = []
    followed: list[tuple[MemberProject, Link, Resolved, tuple[str | int, ...]]] = []  # the links beyond, followed
    served: dict[str, set[str]] = {}
    problems: list[Diagnostic] = []
    for member in members:
        project = member.project
        if project is None:
            continue
        served[member.name] = set()
        for driver, reference, path in serves_of(project):
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
                followed.append((member, link, resolved, path))
        if not served[member.name]:
            where = project.location(("serves",), at="key") if project.is_written(("serves",)) else (1, 1)
            problems.append(CONTRIBUTES_NOTHING.diagnostic(
                f"{member.name} is a member of {home.name} but serves nothing in it", project.file, *where,
                hint=f"Add `serves: [{_relative(home, member.file)}#P1]` (a driver of {home.name}, or #aim) at the top of "
                     "the file, or on the drivers that serve the programme's drivers."))
    overlaps = _overlaps(home, folder, {m.file.resolve() for m in members}, followed, links, workspace)
    for overlap, (member, path) in overlaps:
        if not overlap.linked:
            where = member.project.location(path) if member.project is not None else (1, 1)
            problems.append(PROGRAMMES_UNLINKED.diagnostic(
                f"{', '.join(overlap.members)} serve{'s' if len(overlap.members) == 1 else ''} {overlap.reference} and "
                f"{', '.join(overlap.here)} of {home.name} from the same elements, but nothing in {Path(overlap.file).name} "
                f"leads to {home.name}", str(member.file), *where))
    return Links(links, beyond, _coverage(programme, links), served, problems, [overlap for overlap, _ in overlaps])


def _overlaps(home: Path, folder: Path, member_files: set[Path],
              followed: list[tuple[MemberProject, Link, Resolved, tuple[str | int, ...]]], links: list[Link],
              workspace: Workspace) -> list[tuple[Overlap, tuple[MemberProject, tuple[str | int, ...]]]]:
    """Elements of other programmes (not members of this one) served by member elements that serve
    this programme too, each with where the first member names it."""
    found: dict[tuple[Path, str], tuple[Overlap, tuple[MemberProject, tuple[str | int, ...]]]] = {}
    ids_of: dict[str, dict[str, set[str]]] = {}
    for member, link, resolved, path in followed:
        if resolved.file.resolve() in member_files or member.project is None:
            continue  # one member serving another is a dependency inside the programme, listed with the links
        if member.name not in ids_of:
            ids_of[member.name] = programme_ids_served(member.project, member.name, links)
        if link.source == "aim":
            here = {l.target for l in links if l.member == member.name and l.source == "aim"}
        else:
            here = ids_of[member.name].get(link.source, set())
        if not here:
            continue
        key = (resolved.file, resolved.target_id)
        if key not in found:
            text = resolved.project.aim_statement if resolved.kind == "aim" else str(getattr(resolved.target, "text", ""))
            found[key] = (Overlap(_shown(resolved.file, folder), resolved.target_id, text, [], [],
                                  sorted(_leads_to(resolved, home, workspace))), (member, path))
        overlap = found[key][0]
        overlap.members = sorted(set(overlap.members) | {member.name})
        overlap.here = sorted(set(overlap.here) | here)
    return [found[key] for key in sorted(found, key=lambda k: (str(k[0]), k[1]))]


def _leads_to(start: Resolved, home: Path, workspace: Workspace) -> set[str]:
    """The ids of the file `home` that an element of another file leads to: through the drivers
    above it and its aim, and the `serves:` of each, from file to file."""
    reached: set[str] = set()
    waiting = [start]
    seen: set[tuple[Path, str]] = set()
    while waiting:
        current = waiting.pop()
        if (current.file, current.target_id) in seen:
            continue
        seen.add((current.file, current.target_id))
        project = current.project
        graph = project_graph(project)
        node = AIM if current.kind == "aim" else graph.node_of(current.target).key  # type: ignore[arg-type]
        above = nx.descendants(graph.graph, node) | {node}  # what it contributes to, in its own file
        for driver, reference, _ in serves_of(project):
            source = graph.node_of(driver).key if driver is not None else AIM
            if source not in above:
                continue
            try:
                resolved = workspace.resolve(reference, project.file, project.allowed_paths)
            except ReferenceProblem:
                continue
            if resolved.file == home:
                reached.add(resolved.target_id)
            elif resolved.kind in ("aim", "driver"):
                waiting.append(resolved)
    return reached


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
