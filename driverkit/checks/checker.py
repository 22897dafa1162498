"""Running the rules over a project: `check(project)` returns its diagnostics."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Optional

from driverkit.project.diagnostics import IN_CODE, Diagnostic, Severity, path_text, sort_diagnostics
from driverkit.project.graph import ProjectGraph, project_graph
from driverkit.project.model import Measure, PathKey, Project
from driverkit.checks.rules import Rule, find_rule, iter_checks
from driverkit.checks.rules.draft import HELD_BACK
from driverkit.project import loading_codes as loading

if TYPE_CHECKING:
    from driverkit.spc.analysis import Analysis


@dataclass
class Context:
    """What a rule sees: the validated project and its graph."""

    project: Project
    graph: ProjectGraph
    _analyses: dict[int, Analysis] = field(default_factory=dict)

    def location(self, path: PathKey, at: str = "value") -> tuple[int, int]:
        return self.project.location(path, at)

    def place(self, path: PathKey, at: str = "value") -> tuple[str, int, int, str]:
        """File, line, column and document path of a path: the file's place for a project read from
        a file; for a project built in code, `<project>`, 0, 0 and the path (`drivers[0]`)."""
        return place(self.project, path, at)

    def analysis(self, measure: Measure) -> Analysis:
        """The analysis of a measure's data, made once however many rules ask (its data may be a large CSV)."""
        from driverkit.spc.analysis import analyse

        if id(measure) not in self._analyses:
            self._analyses[id(measure)] = analyse(self.project, measure, self.graph, with_events=False)  # rules read no events
        return self._analyses[id(measure)]


def place(project: Project, path: PathKey, at: str = "value") -> tuple[str, int, int, str]:
    """See Context.place."""
    if project.source_map is None:
        return IN_CODE, 0, 0, path_text(path)
    line, column = project.location(path, at)
    return project.file, line, column, path_text(path)


def check(project: Project, disable: Iterable[str] = (), hold_back: bool = True) -> list[Diagnostic]:
    """Run every rule on a loaded project and return its diagnostics in file order.

    Rules switched off in the project's `rules: disable:` list, or named in `disable` (codes or
    names; a name that is not a rule raises ValueError), do not run. In a draft project
    (`draft: true`) the findings of rules about what a draft does not have yet are held back and
    counted in one DK402 note, unless `hold_back` is false.
    """
    settings, off = _disabled(project, [disable] if isinstance(disable, str) else disable)
    found: list[Diagnostic] = list(settings)
    project.reindex()
    context = Context(project, project_graph(project))
    elements = _element_ids(context.graph)
    drafting = hold_back and project.draft
    held: dict[str, int] = {}
    for rule in iter_checks():
        if rule.code in off:
            continue
        assert rule.check is not None
        for finding in rule.check(context):
            quiet = rule.quiet_in_draft if finding.quiet_in_draft is None else finding.quiet_in_draft
            if drafting and quiet and rule.severity != Severity.ERROR:
                held[rule.code] = held.get(rule.code, 0) + 1
                continue
            file, line, column, where = context.place(finding.path, finding.at)
            if finding.file:  # a data file: its own place
                file, (line, column) = finding.file, finding.position or (line, column)
            elif finding.position and line:
                line, column = finding.position
            found.append(rule.diagnostic(finding.message, file, line, column, finding.hint,
                                         element=_element_of(finding.path, elements), path=where))
    if held and HELD_BACK.code not in off:
        file, line, column, where = context.place(("draft",), "key")
        counts = ", ".join(f"{code}: {n}" for code, n in sorted(held.items()))
        total = sum(held.values())
        found.append(HELD_BACK.diagnostic(f"the project is a draft: {total} finding{'s' if total != 1 else ''} about what "
                                          f"a draft does not have yet held back ({counts})", file, line, column, path=where))
    return sort_diagnostics(found)


def _element_ids(graph: ProjectGraph) -> dict[PathKey, str]:
    """The id of each element, by the path where it is written."""
    nodes = list(graph.nodes.values()) + list(graph.others.values())
    return {tuple(n.path): str(n.element.id) for n in nodes  # type: ignore[union-attr]
            if n.kind != "aim" and getattr(n.element, "id", None) is not None}


def _element_of(path: PathKey, elements: dict[PathKey, str]) -> str:
    """The id of the innermost element whose path starts `path` ("" for the aim, the settings...)."""
    for end in range(len(path), 0, -1):
        found = elements.get(tuple(path[:end]))
        if found is not None:
            return found
    return ""


def _disabled(project: Project, extra: Iterable[str]) -> tuple[list[Diagnostic], set[str]]:
    """The codes switched off, and a diagnostic for each name in `rules: disable:` that is not a rule."""
    problems: list[Diagnostic] = []
    off: set[str] = set()
    for index, name in enumerate(project.rules.disable):
        rule = find_rule(name)
        if rule is None or not rule.can_disable:
            file, line, column, where = place(project, ("rules", "disable", index))
            problems.append(loading.UNKNOWN_RULE.diagnostic(_unknown_rule_message(name, rule), file, line, column, path=where))
        else:
            off.add(rule.code)
    for name in extra:
        rule = find_rule(name)
        if rule is None:
            raise ValueError(_unknown_rule_message(name, None))
        if not rule.can_disable:
            raise ValueError(_unknown_rule_message(name, rule))
        off.add(rule.code)
    return problems, off


def _unknown_rule_message(name: str, rule: Optional[Rule]) -> str:
    if rule is not None:
        return f"{rule.code} ({rule.name}) cannot be switched off: it reports a file that cannot be read"
    from driverkit.checks.rules import all_rules

    words = [r.code for r in all_rules()] + [r.name for r in all_rules()]
    close = difflib.get_close_matches(name, words, n=1)
    return f"there is no rule `{name}`" + (f" (did you mean `{close[0]}`?)" if close else "")
