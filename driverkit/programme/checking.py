"""A project checked as `driverkit check` checks it: every rule of driverkit.checks and, for a
programme file with known changes of its own (`programme: known_changes:`), the phrases of them
that read as no word (DK811). Texts are read by this package, so these checks sit here; the
programme file alone shows them, though the rest of the programme's analysis needs its members.

These are the functions the library exports as `driverkit.check`, `driverkit.check_file` and
`driverkit.check_text`, and that the commands and the preview use: a project's problems are the
same whichever way it is checked."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from driverkit.checks import checker
from driverkit.checks.rules import find_rule
from driverkit.project.diagnostics import Diagnostic, ProjectError, sort_diagnostics
from driverkit.project.model import Project


def check(project: Project, disable: Iterable[str] = (), hold_back: bool = True) -> list[Diagnostic]:
    """Run every rule on a loaded project and return its diagnostics in file order.

    Rules switched off in the project's `rules: disable:` list, or named in `disable` (codes or
    names; a name that is not a rule raises ValueError), do not run. In a draft project
    (`draft: true`) the findings of rules about what a draft does not have yet are held back and
    counted in one DK402 note, unless `hold_back` is false. A programme file's own known changes
    are read as `driverkit.load_programme` reads them (DK811).
    """
    disable = [disable] if isinstance(disable, str) else list(disable)
    found = checker.check(project, disable, hold_back)
    if project.programme is None or not project.programme.known_changes:
        return found
    from driverkit.programme.analysis import known_change_problems  # numpy and the reading, only when needed

    codes = [rule.code for rule in map(find_rule, disable) if rule is not None]
    return sort_diagnostics(found + known_change_problems(project, codes))


def check_text(text: str, filename: str = "<string>", disable: Iterable[str] = (),
               allow: Iterable[str | Path] = (), hold_back: bool = True) -> list[Diagnostic]:
    """Load and check YAML text; problems that stop loading are returned as diagnostics too.
    `allow` names folders or files outside the project's folder that its data and font files may
    be read from (see driverkit.loads)."""
    from driverkit.project.loader import loads

    try:
        project = loads(text, filename, allow=allow)
    except ProjectError as exc:
        return exc.diagnostics
    return check(project, disable, hold_back)


def check_file(path: str | Path, disable: Iterable[str] = (), allow: Iterable[str | Path] = (),
               hold_back: bool = True) -> list[Diagnostic]:
    """Load and check a project file; never raises for a bad file, it reports it. `allow` is as
    for driverkit.load: places outside the project's repository or folder that the files it
    names may be read from."""
    return checked_file(path, disable, allow, hold_back)[1]


def checked_file(path: str | Path, disable: Iterable[str] = (), allow: Iterable[str | Path] = (),
                 hold_back: bool = True) -> tuple[Optional[Project], list[Diagnostic]]:
    """`check_file`, with the project loaded (None when it does not load)."""
    from driverkit.project.loader import load

    try:
        project = load(path, allow=allow)
    except ProjectError as exc:
        return None, exc.diagnostics
    return project, check(project, disable, hold_back)
