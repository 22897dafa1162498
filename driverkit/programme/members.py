"""A programme's member projects: found from the `programme: members:` list of the programme file
(files and globs relative to it), loaded in one workspace and checked, each on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from driverkit.checks.checker import check
from driverkit.project.diagnostics import Diagnostic, ProjectError
from driverkit.project.files import FileRefused, resolve_named
from driverkit.project.loader import load
from driverkit.project.model import Project
from driverkit.project.references import MEMBER_PROBLEM, Workspace

GLOB_CHARACTERS = set("*?[")


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


def find_members(programme: Project, workspace: Workspace) -> tuple[list[MemberProject], list[Diagnostic]]:
    """The members listed by the programme, loaded and checked in file order of the list (a glob's
    files sorted), with the problems of the list itself (DK807)."""
    problems: list[Diagnostic] = []
    members: list[MemberProject] = []
    if programme.programme is None:
        return members, problems
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
            members.append(_loaded(_shown(path, folder), path, entry.wave, workspace))
    return members, problems


def _loaded(name: str, path: Path, wave: Optional[int], workspace: Workspace) -> MemberProject:
    try:
        project = workspace.project(path)
    except ProjectError as exc:
        return MemberProject(name, path, wave, None, list(exc.diagnostics))
    return MemberProject(name, path, wave, project, check(project))


def _shown(path: Path, folder: Path) -> str:
    """The member's name in reports: its path from the programme's folder. Two members with the same
    file name in different folders keep their folders, so they never read as one."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)

