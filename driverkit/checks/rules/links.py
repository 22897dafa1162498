"""Rules on the links to other project files: what the aim and the drivers serve (`serves:`), and
the measures used from a programme (`use:`, resolved by the loader)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import networkx as nx

from driverkit.checks.rules import Finding, checks
from driverkit.project.codes import Rule
from driverkit.project.graph import AIM, project_graph
from driverkit.project.model import Project
from driverkit.project.references import (
    DEFINITION_KEYS, KIND_NAMES, LOOP, REDEFINED, UNKNOWN_TARGET, UNRESOLVED, WRONG_KIND, ReferenceProblem, Resolved,
    Workspace, serves_of, workspace_of,
)

if TYPE_CHECKING:
    from driverkit.checks.checker import Context


def _followed(project: Project) -> Iterator[tuple[tuple[str | int, ...], str, Optional[Resolved], Optional[ReferenceProblem]]]:
    """Each `serves:` reference, followed: (where, reference, what it names or None, the problem or None)."""
    workspace = workspace_of(project)
    for _, reference, path in serves_of(project):
        try:
            resolved = workspace.resolve(reference, project.file, project.allowed_paths)
        except ReferenceProblem as problem:
            yield path, reference, None, problem
            continue
        if resolved.kind not in ("aim", "driver"):
            yield path, reference, resolved, ReferenceProblem(
                WRONG_KIND, f"`serves:` names {KIND_NAMES[resolved.kind]} ({resolved.target_id}); it names a driver or `#aim`")
        else:
            yield path, reference, resolved, None


def _problems_of(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for path, _, _, problem in _followed(ctx.project):
        if problem is not None and problem.rule.code == rule.code:
            yield Finding(path, problem.message, hint=problem.hint)


@checks(UNRESOLVED)
def reference_unresolved(ctx: Context) -> Iterator[Finding]:
    yield from _problems_of(UNRESOLVED, ctx)


@checks(UNKNOWN_TARGET)
def reference_unknown_id(ctx: Context) -> Iterator[Finding]:
    yield from _problems_of(UNKNOWN_TARGET, ctx)


@checks(WRONG_KIND)
def reference_wrong_kind(ctx: Context) -> Iterator[Finding]:
    yield from _problems_of(WRONG_KIND, ctx)


@checks(LOOP)
def contribution_loop(ctx: Context) -> Iterator[Finding]:
    """Follows `serves:` from file to file, with each file's drivers contributing up to its aim, and
    reports a reference of this file from which the contributions come back to it."""
    project = ctx.project
    if not _comes_back(project, workspace_of(project)):
        return
    graph = contribution_graph(project, workspace_of(project))
    here = _file_key(project)
    for path, reference, resolved, problem in _followed(project):
        if resolved is None or problem is not None:
            continue
        start = (str(resolved.file), _node_key(resolved))
        route = _route_back(graph, start, here)
        if route:
            yield Finding(path, f"following `serves:` from {reference} comes back to this file: "
                                + " -> ".join([Path(here).name, *route]))


@checks(REDEFINED)
def shared_measure_redefined(ctx: Context) -> Iterator[Finding]:
    for measure in ctx.project.measures:
        shared = measure.shared_from
        if shared is None:
            continue
        for key in DEFINITION_KEYS:
            if ctx.project.is_written(measure.path + (key,)) and getattr(measure, key) != getattr(shared.target, key):
                yield Finding(measure.path + (key,), f"measure {measure.id} redefines the `{key}` of {shared.target_id} "
                                                     f"in {shared.file.name} ({_quoted(getattr(shared.target, key))})")


def _quoted(value: object) -> str:
    text = "none" if value is None else str(value)
    return f"`{text if len(text) <= 60 else text[:59] + '…'}`"


def contribution_graph(project: Project, workspace: Workspace) -> nx.DiGraph:
    """The contributions of a project and of every file it serves, directly or not: nodes are
    (file, element key), edges go from what contributes to what it serves."""
    graph: nx.DiGraph = nx.DiGraph()
    waiting, seen = [project], {_file_key(project)}
    while waiting:
        current = waiting.pop()
        file = _file_key(current)
        own = project_graph(current)
        graph.add_edges_from(((file, a), (file, b)) for a, b in own.graph.edges)
        for driver, reference, _ in serves_of(current):
            try:
                resolved = workspace.resolve(reference, current.file, current.allowed_paths)
            except ReferenceProblem:
                continue
            if resolved.kind not in ("aim", "driver"):
                continue
            source = own.node_of(driver).key if driver is not None else AIM
            graph.add_edge((file, source), (str(resolved.file), _node_key(resolved)))
            if str(resolved.file) not in seen:
                seen.add(str(resolved.file))
                waiting.append(resolved.project)
    return graph


def _comes_back(project: Project, workspace: Workspace) -> bool:
    """Whether following `serves:` from file to file can lead back to this file: a cheap test on
    files alone, so that the graph of elements is built only where a loop is possible (a trust
    serving its programme, which serves nothing, never needs it)."""
    here = _file_key(project)
    waiting, seen = [project], {here}
    while waiting:
        current = waiting.pop()
        for _, reference, _ in serves_of(current):
            try:
                resolved = workspace.resolve(reference, current.file, current.allowed_paths)
            except ReferenceProblem:
                continue
            file = str(resolved.file)
            if file == here:
                return True
            if file not in seen:
                seen.add(file)
                waiting.append(resolved.project)
    return False


def _node_key(resolved: Resolved) -> str:
    if resolved.kind == "aim":
        return AIM
    return project_graph(resolved.project).node_of(resolved.target).key  # type: ignore[arg-type]


def _file_key(project: Project) -> str:
    file = project.file
    return str(Path(file).resolve()) if file and not file.startswith("<") else file


def _route_back(graph: nx.DiGraph, start: tuple[str, str], home: str) -> list[str]:
    """The files passed from `start` to any node of `home`, or [] when the contributions never come back."""
    if start not in graph:
        return []
    for node in sorted(nx.descendants(graph, start) | {start}):
        if node[0] == home:
            path = nx.shortest_path(graph, start, node)
            files: list[str] = []
            for file, _ in path:
                if not files or files[-1] != Path(file).name:
                    files.append(Path(file).name)
            return files
    return []
