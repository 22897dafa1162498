"""Rules on wording: repeated text, drivers phrased as solutions, change ideas too vague to test."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Iterator

from driverkit.project import aimtext
from driverkit.project.diagnostics import Severity
from pydantic import BaseModel

from driverkit.project.model import Element, Project
from driverkit.checks.rules import Finding, rule

if TYPE_CHECKING:
    from driverkit.checks.checker import Context

W, I = Severity.WARNING, Severity.INFO


_PUNCTUATION = re.compile(r"[^\w\s]")


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


@rule("DK207", "duplicate-text", W,
      "Two elements say the same thing.",
      "Merge them into one element and link it to both places with `also:` or `drivers:`.")
def duplicate_text(ctx: Context) -> Iterator[Finding]:
    """The same driver or change idea written twice (ignoring case, punctuation and spacing) is
    usually one element that serves two places: write it once and link it, so its status and
    measures are kept in one place. Two measures with the same name are reported too."""
    seen: dict[str, Element] = {}
    items: list[tuple[Element, str, str]] = [(e, "text", getattr(e, "text")) for e in ctx.project.all_drivers() + ctx.project.all_changes()]
    items += [(m, "name", m.name) for m in ctx.project.measures]
    items.sort(key=lambda item: ctx.location(item[0].path))  # the one written second is the repeat
    for element, key, text in items:
        normal = _normal(text)
        if not normal:
            continue  # punctuation only ("???"): nothing to compare
        norm = f"{type(element).__name__ == 'Measure'}:{normal}"
        first = seen.get(norm)
        if first is None:
            seen[norm] = element
            continue
        _, line, _, where = ctx.place(first.path + (key,))
        # A project built in code has no lines: its path says where the first one is.
        yield Finding(element.path + (key,), f"{element.id} says the same as {first.id} ({f'line {line}' if line else where})")


@rule("DK210", "driver-names-a-solution", W,
      "A driver is phrased as a solution to implement.",
      "Phrase a driver as a condition of the system (\"reliable CO testing at booking\"); solutions are change ideas.")
def driver_names_a_solution(ctx: Context) -> Iterator[Finding]:
    """Drivers describe what must be true of the system for the aim to be met; change ideas
    describe what the team will do. "Implement a new CTG training package" is a change idea placed
    in a driver column, the most common criticism reviewers make of driver diagrams."""
    for driver in ctx.project.all_drivers():
        word = aimtext.names_solution(driver.text)
        if word:
            yield Finding(driver.path + ("text",), f"driver {driver.id} names a solution (\"{word}\"); that is a change idea")


# Imperatives and gerunds only: "Reduced fetal movements leaflet" names a condition, not an intention.
_VAGUE = re.compile(
    r"^\s*(improve|improving|increase|increasing|reduce|reducing|enhance|enhancing|optimi[sz]e|optimi[sz]ing|"
    r"strengthen|strengthening|raise|raising|boost|boosting|promote|promoting|encourage|encouraging)\b",
    re.IGNORECASE,
)


@rule("DK211", "vague-change-idea", I,
      "A change idea states an intention, not something to test.",
      "Write what the team will do, by whom and where (\"pharmacist reviews every discharge on ward 7\").")
def vague_change_idea(ctx: Context) -> Iterator[Finding]:
    """A change idea that starts with "Improve", "Increase" or "Reduce" names a result, not an
    action: nobody can plan a PDSA cycle for "Improve communication". Such text is often a driver
    in the wrong column."""
    for change in ctx.project.all_changes():
        found = _VAGUE.match(change.text)
        if found:
            yield Finding(change.path + ("text",), f"change idea {change.id} starts with \"{found.group(1)}\": what exactly will be done?")


_HIDDEN = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


@rule("DK212", "hidden-characters", W,
      "Text holds invisible control characters.",
      "Retype the text, or delete the invisible characters (an editor that shows them helps).")
def hidden_characters(ctx: Context) -> Iterator[Finding]:
    """Bidirectional overrides (U+202A to U+202E, U+2066 to U+2069), zero-width spaces and control
    characters do not show on screen but change how text is displayed, compared and searched: two
    labels that look identical may differ, and a reviewer may read something other than what is
    written. They usually arrive by copy and paste from a web page or a slide."""
    if not _may_hide(ctx.project):
        return
    for path, text in _strings(ctx.project, ()):
        found = _HIDDEN.search(text)
        if found:
            yield Finding(path, f"the text holds an invisible character U+{ord(found.group(0)):04X}")


# In the project as JSON, control characters are escaped (`\u0001`, `\r`) and the others stay as they are.
_ESCAPED_CONTROL = re.compile(r"\\(?:[bfr]|u00[01])")


def _may_hide(project: Project) -> bool:
    """A quick look at the whole project, before the walk that says where: most projects hold no
    hidden character at all. It may say yes wrongly (an escaped backslash), never no. A file of
    plain ASCII cannot hold one, unless it takes a measure's words from another file (`use:`);
    another project is serialised once and searched."""
    source = project.source_map
    if source is not None and source.plain_ascii and all(m.shared_from is None for m in project.measures):
        return False
    text = project.model_dump_json()
    return _HIDDEN.search(text) is not None or _ESCAPED_CONTROL.search(text) is not None


def _strings(node: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings(item, path + (index,))
    elif isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            yield from _strings(getattr(node, name), path + (field.alias or name,))


@rule("DK213", "text-cut-by-comment", W,
      "Text was cut short by a ` #` that YAML reads as the start of a comment.",
      "Put the whole text in quotes, or write `No. 7` instead of `#7`.")
def text_cut_by_comment(ctx: Context) -> Iterator[Finding]:
    """In YAML, a space followed by `#` starts a comment, so `text: Call from the nurse #within 72
    hours` loads as "Call from the nurse" and the rest is silently lost. Comments are usually
    written `# like this`, with a space; a `#` directly followed by a word is reported here."""
    source = ctx.project.source_map
    for path, position in source.cut_by_comment if source is not None else []:
        yield Finding(path, "the text stops here: YAML reads ` #` and the rest of the line as a comment", position=position)
