"""A programme's member projects: found from the `programme: members:` list of the programme file
(files and globs relative to it), loaded in one workspace and checked, each on its own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from driverkit.checks.checker import check
from driverkit.project.diagnostics import Diagnostic, ProjectError
from driverkit.project.files import FileRefused, resolve_named
from driverkit.project.model import Project
from driverkit.project.references import MEMBER_PROBLEM, Workspace
from driverkit.programme import forked

GLOB_CHARACTERS = set("*?[")
# Below this many members a second process costs more than it saves.
PARALLEL_FROM = 24


@dataclass
class MemberProject:
    """One member of a programme: where it is, its wave, and the project (None when it does not load)."""

    name: str  # the file relative to the programme file, as reports show it (`trusts/riverside.yaml`)
    file: Path  # resolved
    wave: Optional[int]
    project: Optional[Project]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.project.title if self.project is not None else self.name

    @property
    def loaded(self) -> bool:
        return self.project is not None


@dataclass(frozen=True)
class Preparation:
    """Work on each member as soon as it is loaded, in the process that loads it: `make(project)`
    there, then `take(what it made)` in this one (sent back from a forked process)."""

    make: Callable[[Project], Any]
    take: Callable[[Any], None]


def find_members(programme: Project, workspace: Workspace, jobs: Optional[int] = None,
                 preparation: Optional[Preparation] = None) -> tuple[list[MemberProject], list[Diagnostic]]:
    """The members listed by the programme, loaded and checked in file order of the list (a glob's
    files sorted), with the problems of the list itself (DK807).

    `jobs` processes share the loading (None: two where the machine has two cores or more and the
    programme is large enough to gain from it); the result is the same whatever the number.
    `preparation` is done on each member that loads."""
    problems: list[Diagnostic] = []
    listed: list[tuple[str, Path, Optional[int]]] = []
    if programme.programme is None:
        return [], problems
    home = Path(programme.file).resolve()
    folder = home.parent
    seen: dict[Path, int] = {}
    for index, entry in enumerate(programme.programme.members):
        where = programme.location(("programme", "members", index, "file"))

        def problem(message: str, hint: Optional[str] = None) -> None:
            problems.append(MEMBER_PROBLEM.diagnostic(message, programme.file, *where, hint=hint))

        written = entry.file
        if GLOB_CHARACTERS & set(written):
            names = sorted(str(p.relative_to(folder)) for p in folder.glob(written) if p.is_file())
            if not names:
                problem(f"no file matches {written}")
                continue
        else:
            names = [written]
        for name in names:
            try:
                path = resolve_named(name, programme.file, programme.allowed_paths, what="member file")
            except FileRefused as exc:
                problem(exc.reason, exc.hint)
                continue
            if path == home:
                problem(f"the programme lists itself as a member ({name})", "A programme's members are other project files.")
                continue
            if not path.is_file():
                problem(f"the member file {name} does not exist" if not path.exists() else f"the member {name} is not a file")
                continue
            if path in seen:
                problem(f"{name} is already a member (item {seen[path] + 1} of `members`)")
                continue
            seen[path] = index
            listed.append((_shown(path, folder), path, entry.wave))
    loaded = _load_all([path for _, path, _ in listed], workspace, jobs, preparation)
    members = [MemberProject(name, path, wave, project, diagnostics)
               for (name, path, wave), (project, diagnostics) in zip(listed, loaded)]
    return members, problems


_Loaded = tuple[Optional[Project], list[Diagnostic]]


def _load_one(path: Path, workspace: Workspace) -> _Loaded:
    try:
        project = workspace.project(path)
    except ProjectError as exc:
        return None, list(exc.diagnostics)
    return project, check(project)


def _load_all(paths: list[Path], workspace: Workspace, jobs: Optional[int], preparation: Optional[Preparation]) -> list[_Loaded]:
    """Each member loaded and checked. In a large programme a forked process loads the last part
    of the list while this one loads the first (see driverkit.programme.forked); the projects come
    back pickled and are adopted by this workspace, the same as if they had been loaded here."""
    processes = forked.available(jobs) if len(paths) >= (2 if jobs else PARALLEL_FROM) else 1
    if processes < 2:
        loaded = [_load_one(path, workspace) for path in paths]
        if preparation is not None:
            for project, _ in loaded:
                if project is not None:
                    preparation.take(preparation.make(project))
        return loaded
    parts = _parts(paths, processes)
    here = os.getpid()
    shipped = forked.forked_map(lambda part: [_shipped(path, workspace, preparation, os.getpid() != here) for path in part], parts)
    # Every project is adopted before a reference is followed again, so that a member naming
    # another member finds the copy that the programme lists. A member that did not load is
    # loaded again here, once the others are adopted: where files name each other, what fails
    # depends on which were loaded first, and here they were loaded in the order of the list.
    received = [(path, item) for part, results in zip(parts, shipped) for path, item in zip(part, results)]
    adopted: dict[Path, Project] = {}
    for path, (project, _, _, prepared) in received:
        if project is None:
            continue
        found = workspace.adopt(path, project)
        if isinstance(found, Project):
            adopted[path] = found
            if preparation is not None:
                preparation.take(prepared)
    loaded: list[_Loaded] = []
    for path, (project, diagnostics, references, _) in received:
        found = adopted.get(path)
        if found is None:
            loaded.append(_load_one(path, workspace))
            if preparation is not None and loaded[-1][0] is not None:
                preparation.take(preparation.make(loaded[-1][0]))
            continue
        if found is not project:  # this process had loaded the file already, for another member
            loaded.append((found, check(found)))
            continue
        for measure, reference in zip(found.measures, references):
            if reference is not None and measure._shared is None:
                measure._shared = workspace.resolve(reference, found.file, found._allowed)
        loaded.append((found, diagnostics))
    return loaded


# A forked process also pickles what it loaded, and this one unpickles it: each forked process
# takes this share of the bytes, this process the rest.
FORKED_SHARE = 0.46


def _parts(paths: list[Path], processes: int) -> list[list[Path]]:
    """The list cut in `processes` consecutive parts by bytes: each forked process takes
    `FORKED_SHARE` of them at most (an equal share when there are more processes), this one the rest."""
    sizes = []
    for path in paths:
        try:
            sizes.append(max(1, path.stat().st_size))
        except OSError:
            sizes.append(1)
    total = sum(sizes)
    share = min(FORKED_SHARE, 1.0 / processes)
    ends = [total * (1.0 - share * (processes - 1 - k)) for k in range(processes)]  # where each part ends
    parts: list[list[Path]] = [[] for _ in range(processes)]
    done, k = 0, 0
    for path, size in zip(paths, sizes):
        while k < processes - 1 and done + size / 2 > ends[k]:
            k += 1
        parts[k].append(path)
        done += size
    return [part for part in parts if part]


# A member as loaded, with the references of its measures taken from other files, and what the
# preparation made. Sent from a forked process, the project leaves behind its workspace and what
# its measures' references resolved to (the other files' projects stay where they were loaded);
# both are tied again where it is adopted.
_Shipped = tuple[Optional[Project], list[Diagnostic], list[Optional[str]], Any]


def _shipped(path: Path, workspace: Workspace, preparation: Optional[Preparation], sent: bool) -> _Shipped:
    project, diagnostics = _load_one(path, workspace)
    references: list[Optional[str]] = []
    prepared = None
    if project is not None:
        if preparation is not None:
            prepared = preparation.make(project)
        references = [m._shared.reference if m._shared is not None else None for m in project.measures]
        if sent:
            project._workspace = None
            for measure in project.measures:
                measure._shared = None
    return project, diagnostics, references, prepared


def _shown(path: Path, folder: Path) -> str:
    """The member's name in reports: its path from the programme's folder. Two members with the same
    file name in different folders keep their folders, so they never read as one."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
