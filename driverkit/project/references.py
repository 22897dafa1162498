"""Links between project files: `serves:` (this aim or driver serves a programme's driver) and
`use:` (this measure is a programme's shared measure).

A reference names a file relative to the file it is written in, and an id in it:
`../national.yaml#S1.1`, or `#aim` for the file's aim. Files are read within the same boundary
as data files (the git working tree holding the project, or the places allowed), and each file
is loaded once per Workspace, however many members name it.
"""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional, Union

from driverkit.project.codes import Rule, define
from driverkit.project.diagnostics import ProjectError, Severity
from driverkit.project.files import FileRefused, resolve_named

if TYPE_CHECKING:
    from driverkit.project.model import Aim, Element, Project

E, W = Severity.ERROR, Severity.WARNING

UNRESOLVED = define(
    "DK801", "reference-unresolved", E,
    "A `serves:` or `use:` reference names a file that cannot be read as a project.",
    "Write the path relative to this file (`../national.yaml#P1`), and check the other file with `driverkit check`.",
    """
    The file must exist, be a project file that loads without errors, and lie inside the
    repository (or folder) holding this file, or in a place allowed with `--allow-path`. A `use:`
    that cannot be resolved stops the file from loading, since the measure has no definition.
    """,
)
UNKNOWN_TARGET = define(
    "DK802", "reference-unknown-id", E,
    "A `serves:` or `use:` reference names an id the other file does not have.",
    "Check the id in the other file; `#aim` names its aim.",
    """
    The file was found and loads, but none of its drivers, change ideas or measures has this id.
    Ids are compared exactly (`S1.1` is not `s1.1`); the message suggests the closest one.
    """,
)
WRONG_KIND = define(
    "DK803", "reference-wrong-kind", E,
    "A reference names the wrong kind of element: `serves:` names a driver or the aim, `use:` a measure.",
    "Point `serves:` at a driver (or `#aim`) of the programme, and `use:` at one of its measures.",
    """
    A project's aim or driver contributes to what a programme wants to move: its aim or one of its
    drivers, never a change idea or a measure. A measure can only be used from another measure.
    """,
)
LOOP = define(
    "DK804", "contribution-loop", E,
    "Contributions between files go round in a loop.",
    "Levels run one way: a trust serves a region or the nation, never the other way round as well.",
    """
    Following `serves:` from file to file (and each file's own drivers up to its aim) comes back to
    where it started, so no file is above the others. For `use:`, two files that take shared
    measures from each other cannot both be loaded first.
    """,
)
REDEFINED = define(
    "DK805", "shared-measure-redefined", W,
    "A measure used from a programme is given its own name, definition, numerator, denominator or unit.",
    "Remove the key to keep the programme's definition, or give the measure its own id and name: redefined data cannot be compared with the other members'.",
    """
    A shared measure is shared so that every member counts the same thing. Keys such as `family`,
    `chart`, `goal` or `notes` may differ by project; the operational definition may not.
    """,
)
CONTRIBUTES_NOTHING = define(
    "DK806", "member-contributes-nothing", W,
    "A member project serves nothing in its programme.",
    "Add `serves: [<programme file>#P1]` at the top of the member (its aim), or on the drivers that serve the programme's drivers.",
    """
    Raised by `driverkit programme`. A member whose aim and drivers serve nothing in the programme
    is not seen by its coverage: nobody can tell which of the programme's drivers it works on.
    """,
)
MEMBER_PROBLEM = define(
    "DK807", "programme-member-problem", E,
    "A programme's member is missing, is the programme itself, or is listed twice.",
    "List each member file once, relative to the programme file; a glob must match at least one file.",
    """
    Raised by `driverkit programme` at the member's entry: a file that does not exist, a glob that
    matches nothing, the programme file itself, or a file reached twice (by two entries or by
    two globs). Members that fail to load are reported with their own diagnostics.
    """,
)
NAME_CONFLICT = define(
    "DK808", "same-name-different-definition", W,
    "Members of a programme have measures of the same name with different definitions.",
    "Agree one definition and make it a shared measure of the programme (`use:`), or name the measures apart: their data cannot be compared.",
    """
    Raised by `driverkit programme`. Two teams that both report "Referral rate" but divide by
    different things will be compared as if they counted the same; the message names both
    files and what differs.
    """,
)

PROGRAMMES_UNLINKED = define(
    "DK809", "programmes-not-linked", W,
    "Members serve two programmes on the same thing, and the two programmes are not linked.",
    "Link the other programme's element (or its aim) to the driver of this programme it works on, with `serves:`; "
    "or, if they are different work, serve each from its own driver in the member.",
    """
    Raised by `driverkit programme` at the member's reference to the other programme. When one
    element of a member serves a driver of this programme and a driver of another programme (a
    regional scheme beside the national collaborative), both programmes work on the same thing
    through that member. If nothing in the other programme serves this one, the two programme
    teams may not know of each other: they will ask the same trusts for the same work twice, and
    neither sees the other's results. The message names the members and the drivers of both.
    """,
)

DECISIONS_CONTRADICT = define(
    "DK810", "decisions-contradict", W,
    "The programme file decides two elements are different, and also the same; or joins two elements of one member.",
    "Remove the decision that is wrong: the `different:` one, or the `same:` one (or the link of a chain of them) that joins the two.",
    """
    Raised by `driverkit programme` (and `driverkit review`) where a join that people's decisions
    ask for is not kept. Decisions on common ground are kept over every score: each `same:`
    decision, in file order, joins its elements of each kind one after the other, also in a chain
    (a with b, then b with c puts a with c); a `different:` decision keeps the elements it names
    apart. A join is not kept in two cases, and both are reported. At the `different:` decision,
    when a `same:` decision would join two elements it names (directly or through a chain): the
    elements are kept apart, so the group the `same:` decisions meant is not made, and the message
    names the decisions that would join them. And at the `same:` decision, when its join would put
    two elements of one member in one group (directly or through a chain: a trust's secondary
    driver decided the same as another trust's driver that was decided the same as the first
    trust's primary driver): a group holds one element of each member, and the message names the
    member's two elements.

    The groups, this check and `driverkit review` work these out in one place, so what is
    reported is exactly what the groups leave out.
    """,
)

CHANGE_PHRASE_UNREAD = define(
    "DK811", "change-phrase-unread", W,
    "A phrase of a change of the programme's own (`programme: known_changes:`) reads as no word, so no text can hold it.",
    "Write the words that say the change (`first hour`, not `the first`): small words (the, for, of) and anything but Latin letters and digits are not read (accents are dropped: `café` is `cafe`).",
    """
    Raised by `driverkit programme` and `driverkit check` of the programme file (and by
    `driverkit.check`, `check_file` and `check_text` in Python and by the preview; shown by
    `driverkit review`) at the phrase. A phrase of
    a programme's own known change is found in a text two ways: as read, the way texts are
    compared (lower case, singular, the vocabulary applied, small words dropped: "CO test" is found
    in "carbon monoxide monitoring"), and as written, its words one after the other once small
    words are left out ("first hour" in "in the first hour of life"). Only Latin letters and
    digits make words, their accents dropped. A phrase left with no word either way ("for the",
    "of them", a phrase in another script) could never be found; the message says whether its
    group still has a phrase that is found, or whether the change can never be named.
    """,
)

MAX_DEPTH = 16  # files loaded one inside the other through `use:` (a nation, regions, systems, trusts need 4)
DEFINITION_KEYS = ("name", "definition", "numerator", "denominator", "unit")  # what a member may not rewrite


class ReferenceProblem(Exception):
    """A reference that cannot be followed: the rule it breaks, what is wrong and how to fix it."""

    def __init__(self, rule: Rule, message: str, hint: Optional[str] = None):
        super().__init__(message)
        self.rule, self.message, self.hint = rule, message, hint


@dataclass(frozen=True)
class Resolved:
    """What a reference names: the file, its project and the element (or the aim)."""

    reference: str  # as written
    file: Path  # the other file, resolved
    project: Project
    target_id: str  # the id after '#'
    target: Union[Element, Aim]
    kind: str  # aim, driver, change or measure


def split(reference: str) -> tuple[str, str]:
    """`../national.yaml#P1` -> ("../national.yaml", "P1")."""
    file, _, target = reference.rpartition("#")
    return file, target


@dataclass
class Workspace:
    """The project files loaded together, each once, by resolved path. It remembers the files
    being loaded, so that two files taking measures from each other are stopped, not followed."""

    allow: tuple[str, ...] = ()
    _loaded: dict[Path, Union[Project, ProjectError]] = field(default_factory=dict)
    _loading: list[Path] = field(default_factory=list)
    _followed: dict[tuple[str, str, tuple[str, ...]], Union[Resolved, ReferenceProblem]] = field(default_factory=dict)

    @contextlib.contextmanager
    def loading(self, file: str) -> Iterator[None]:
        path = _key(file)
        if path is None:
            yield
            return
        self._loading.append(path)
        try:
            yield
        finally:
            self._loading.pop()

    def remember(self, file: str, result: Union[Project, ProjectError]) -> None:
        path = _key(file)
        if path is not None:
            self._loaded[path] = result

    def adopt(self, path: Path, result: Union[Project, ProjectError]) -> Union[Project, ProjectError]:
        """A file loaded in another process, kept as this workspace's; when this workspace has
        loaded the file already, its own copy is kept and returned, so that one file is one object."""
        if not isinstance(result, ProjectError):
            result._workspace = self
        return self._loaded.setdefault(path, result)

    def project(self, path: Path) -> Project:
        """The project in `path`, loaded once; ProjectError when it does not load, ReferenceProblem
        when it is already being loaded (a loop)."""
        if path in self._loading:
            chain = " -> ".join(p.name for p in self._loading[self._loading.index(path):]) + f" -> {path.name}"
            raise ReferenceProblem(LOOP, f"the files take measures from each other in a loop: {chain}")
        if path not in self._loaded and len(self._loading) >= MAX_DEPTH:
            raise ReferenceProblem(UNRESOLVED, f"shared measures are taken through more than {MAX_DEPTH} files, one from the next",
                                   "Take a shared measure from the programme that defines it, not through a chain of files.")
        if path not in self._loaded:
            from driverkit.project.loader import load  # the loader resolves `use:` through this workspace

            try:
                self._loaded[path] = load(_shown(path), allow=self.allow, workspace=self)
            except ProjectError as exc:
                self._loaded[path] = exc
        found = self._loaded[path]
        if isinstance(found, ProjectError):
            raise found
        return found

    def resolve(self, reference: str, from_file: str, allowed: Iterable[str] = ()) -> Resolved:
        """Follow a reference written in `from_file`; ReferenceProblem when it cannot be followed.
        Each reference is followed once: 136 members name the same programme drivers again and again."""
        key = (reference, str(Path(from_file).parent), tuple(allowed))
        if key not in self._followed:
            try:
                self._followed[key] = self._resolve(reference, from_file, allowed)
            except ReferenceProblem as problem:
                self._followed[key] = problem
        found = self._followed[key]
        if isinstance(found, ReferenceProblem):
            raise found
        return found

    def _resolve(self, reference: str, from_file: str, allowed: Iterable[str]) -> Resolved:
        name, target_id = split(reference)
        try:
            path = resolve_named(name, from_file, tuple(allowed) or self.allow, what="project file")
        except FileRefused as exc:
            raise ReferenceProblem(UNRESOLVED, exc.reason, exc.hint) from None
        if not path.is_file():
            raise ReferenceProblem(UNRESOLVED, f"the project file {name} does not exist" if not path.exists()
                                   else f"{name} is not a project file")
        try:
            project = self.project(path)
        except ProjectError as exc:
            errors = sum(1 for d in exc.diagnostics if d.severity == Severity.ERROR)
            raise ReferenceProblem(UNRESOLVED, f"the project file {name} does not load ({errors} error{'s' if errors != 1 else ''})",
                                   f"Run `driverkit check {name}` to see what is wrong with it.") from None
        if target_id == "aim":
            return Resolved(reference, path, project, target_id, project.aim, "aim")
        element = project.element(target_id)
        if element is None:
            ids = [e.id for e in project.elements() if e.id] + ["aim"]
            close = difflib.get_close_matches(target_id, ids, n=1)
            raise ReferenceProblem(UNKNOWN_TARGET, f"{name} has no element `{target_id}`"
                                   + (f" (did you mean `{close[0]}`?)" if close else ""))
        return Resolved(reference, path, project, target_id, element, kind_of(element))


def kind_of(element: object) -> str:
    from driverkit.project.model import ChangeIdea, Driver

    return "driver" if isinstance(element, Driver) else "change" if isinstance(element, ChangeIdea) else "measure"


KIND_NAMES = {"aim": "the aim", "driver": "a driver", "change": "a change idea", "measure": "a measure"}


def _shown(path: Path) -> str:
    """A path as messages name it: from the working folder when it is below it, else in full."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _key(file: str) -> Optional[Path]:
    """The key of a file in the workspace: its resolved path (None for text read with no file)."""
    if not file or file.startswith("<"):
        return None
    try:
        return Path(file).resolve()
    except (OSError, RuntimeError):
        return None


def workspace_of(project: Project) -> Workspace:
    """The workspace a project was loaded in (a new one for a project built in Python)."""
    if project._workspace is None:
        project._workspace = Workspace(project.allowed_paths)
        project._workspace.remember(project.file, project)
    return project._workspace  # type: ignore[no-any-return]


def serves_of(project: Project) -> Iterator[tuple[Optional[Element], str, tuple[str | int, ...]]]:
    """Every `serves:` reference of a project: (the driver that serves, or None for the aim; the
    reference; where it is written)."""
    for index, reference in enumerate(project.serves):
        yield None, reference, ("serves", index)
    for driver in project.all_drivers():
        for index, reference in enumerate(driver.serves):
            yield driver, reference, driver.path + ("serves", index)
