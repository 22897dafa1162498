"""Writing people's decisions on common ground into the programme file.

A decision is added at the end of the file's `programme: decisions:` list (the list is made when
there is none), and nothing else in the file changes: its comments, its order and its spacing stay
as written. The text is edited, not dumped again: the place to write is found from where the YAML
parser saw the nodes end, each value is quoted by PyYAML, and the new text must read back as the
same data with exactly these decisions added, or nothing is written. The file is replaced
atomically.

    >>> from driverkit.project.model import Decision
    >>> record_decisions("national.yaml", [Decision(same=["trusts/a.yaml#C1.1", "trusts/b.yaml#C2.3"])])  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from driverkit.importing.writer import scalar
from driverkit.project.diagnostics import DriverkitError, ProjectError
from driverkit.project.files import FileRefused, read_regular, write_atomic
from driverkit.project.model import Decision
from driverkit.project.source import decode, parse, read_text

# Line ends YAML reads that the edit would not keep apart from the text around them.
_ODD_LINE_ENDS = ("\x85", "\u2028", "\u2029")
_LINE = 100  # the longest line a decision is written on, when its elements fit


class NotRecorded(DriverkitError):
    """The decisions could not be written into the file; the file is unchanged. `line` and
    `column` (from 1) place the part of the file in the way, when one is (0 otherwise)."""

    def __init__(self, file: str, message: str, hint: str = "", line: int = 0, column: int = 0) -> None:
        self.file, self.message, self.hint, self.line, self.column = file, message, hint, line, column
        super().__init__(f"{self.where}: {message}")

    @property
    def where(self) -> str:
        """`file:line:column`, or the file alone."""
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


def decision_lines(decision: Decision, indent: str, newline: str = "\n") -> str:
    """One decision as an item of a block list, each value quoted as YAML needs: the elements on
    its line when they fit in about 100 characters, else one a line (diffs stay readable)."""
    kind = "same" if decision.same else "different"
    references = [str(reference) for reference in (decision.same or decision.different)]
    listed = yaml.safe_dump(references, default_flow_style=True, allow_unicode=True, width=1 << 30).strip()
    if len(indent) + len(kind) + len(listed) + 4 <= _LINE:
        text = f"{indent}- {kind}: {listed}{newline}"
    else:
        text = f"{indent}- {kind}:{newline}" + "".join(
            f"{indent}    - {scalar(reference)}{newline}" for reference in references)
    if decision.note:
        text += f"{indent}  note: {scalar(decision.note)}{newline}"
    return text


def with_decisions(text: str, decisions: Sequence[Decision], file: str = "<string>") -> str:
    """The programme file's text with `decisions` added at the end of its `programme: decisions:`.

    Raises NotRecorded when the file is not a programme written in block style, or when the text
    made would not read back as the file's data with exactly these decisions added; ProjectError
    when the text does not read as YAML in the first place."""
    before, _ = parse(text, file)  # also refuses what driverkit refuses to read (size, depth, aliases)
    if not decisions:
        return text
    if any(mark in text for mark in _ODD_LINE_ENDS) or "\r" in text.replace("\r\n", ""):
        raise NotRecorded(file, "the file has line ends other than \\n and \\r\\n, where decisions cannot be added safely",
                          hint="Save the file with ordinary line ends and run again, or add the decisions by hand.")
    try:  # marks count characters of this text, with either parser
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise NotRecorded(file, f"the file could not be read to find where decisions go ({' '.join(str(exc).split())})",
                          hint="Add the decisions by hand under `programme: decisions:`.") from None
    programme = _value(root, "programme")
    if not isinstance(programme, yaml.MappingNode) or programme.flow_style or not programme.value:
        raise NotRecorded(file, "decisions are written under `programme:`, and this file has no `programme:` section "
                                "written one key a line", "Run this on the programme's file; if it is, write its "
                                "`programme:` section one key a line (`members:` on a line of its own), then run again.",
                          *_place(programme))
    listed = _value(programme, "decisions")
    items = listed.value if isinstance(listed, yaml.SequenceNode) else []
    empty = isinstance(listed, yaml.SequenceNode) and not items or isinstance(listed, yaml.ScalarNode) and not listed.style \
        and listed.value in ("", "~", "null", "Null", "NULL")
    if listed is not None and not empty and (not isinstance(listed, yaml.SequenceNode) or listed.flow_style):
        raise NotRecorded(file, "`programme: decisions:` is not a list written one item a line",
                          "Write it as `decisions:` followed by lines `- same: [...]`, then run again.", *_place(listed))
    if items:  # after the last item, at the column of its dash
        column = _line_column(text, listed.start_mark.index)
        at, prefix = _after(text, _end(items[-1])), ""
    elif listed is None:  # a new key after the section's last value, at the column of its keys
        column = _line_column(text, programme.value[0][0].start_mark.index)
        at, prefix = _after(text, _end(programme)), " " * column + "decisions:{newline}"
        column += 2
    else:  # `decisions:` with no value, `decisions: []` or `decisions: null`: the list goes on the lines below
        key = next(k for k, value in programme.value if value is listed)
        column = _line_column(text, key.start_mark.index) + 2
        if listed.end_mark.index > listed.start_mark.index:  # the written value and the blanks before it go
            start = len(text[:listed.start_mark.index].rstrip(" \t"))
            end = listed.end_mark.index
            if text[start - 1:start] == "\n" and text[end:end + 1] in ("\n", "\r"):  # and its line, when alone on it
                end += 2 if text[end:end + 2] == "\r\n" else 1
            text = text[:start] + text[end:]
        at, prefix = _after(text, key.end_mark.index), ""
    # The line end of the line before: a file with mixed ends gets the one of its neighbour.
    newline = "\r\n" if text[max(0, at - 2):at] == "\r\n" or at > len(text) and "\r\n" in text else "\n"
    if at > len(text):
        text, at = text + newline, len(text) + len(newline)
    added = prefix.format(newline=newline) + "".join(decision_lines(decision, " " * column, newline) for decision in decisions)
    written = text[:at] + added + text[at:]
    _verify(before, written, decisions, file)
    return written


def record_decisions(path: str | Path, decisions: Sequence[Decision]) -> tuple[str, str]:
    """Add `decisions` to the programme file at `path` (see `with_decisions`) and write it
    atomically, with the permissions it had. Returns the text before and the text written, to
    undo with `restore`."""
    text = file_text(path)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    written = bom + with_decisions(text.removeprefix(bom), decisions, str(path))
    if written != text:
        if file_text(path) != text:  # changed by hand while this was worked out: not lost
            raise NotRecorded(str(path), "the file was changed while the decision was being added", hint="Run again.")
        write_atomic(path, written, keep_mode=True)
    return text, written


def check_recordable(path: str | Path) -> None:
    """Raises NotRecorded (or ProjectError) when decisions could not be added to the file at
    `path`; writes nothing. To ask before people give answers that could not be kept."""
    if Path(path).is_symlink():
        raise NotRecorded(str(path), "the file is a symbolic link, which driverkit does not replace",
                          hint=f"Run this on the file it points to: {Path(path).resolve()}.")
    probe = Decision(same=["a.yaml#P1", "b.yaml#P1"])
    with_decisions(file_text(path).removeprefix("\ufeff"), [probe], str(path))


def restore(path: str | Path, before: str, written: str) -> None:
    """Put back the text a `record_decisions` replaced, if the file still holds what it wrote.
    Raises NotRecorded, changing nothing, when the file was changed since."""
    if file_text(path) != written:
        raise NotRecorded(str(path), "the file was changed since that answer was written",
                          hint="Take the decision out of `programme: decisions:` by hand.")
    write_atomic(path, before, keep_mode=True)


def file_text(path: str | Path) -> str:
    """The file's text (a regular file, within the size cap), with its byte-order mark if it has
    one: `with_decisions` is given the text without it, and it is written back as it was."""
    try:
        data = read_regular(path)
    except FileRefused:
        return read_text(path)  # raises the ProjectError that says why, as for every project file
    text = decode(data, str(path))
    return "\ufeff" + text if data.startswith(b"\xef\xbb\xbf") else text


def _place(node: Optional[yaml.Node]) -> tuple[int, int]:
    """A node's line and column from 1; (0, 0) without a node."""
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)


def _value(node: Any, key: str) -> Optional[yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for k, value in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends. A block list or mapping is said to end where the next token
    starts (after comments and blank lines), so its last value's end is taken instead."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _after(text: str, index: int) -> int:
    """The start of the line after the one holding `index` (its comment included); past the end
    of the text when that line has no line end. A block of text ends at a line start: that one."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) + 1 if found == -1 else found + 1


def _line_column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)


def _verify(before: Any, text: str, decisions: Sequence[Decision], file: str) -> None:
    """The text written reads as the data before with exactly `decisions` added, or NotRecorded."""
    try:
        after, _ = parse(text, file)
    except ProjectError:
        after = None
    expected = [decision.model_dump(exclude_none=True, exclude_defaults=True) for decision in decisions]
    if not isinstance(before, dict) or not isinstance(after, dict):
        raise NotRecorded(file, "the decisions could not be added without changing the rest of the file",
                          hint="Add them by hand under `programme: decisions:`.")
    old, new = dict(before), dict(after)
    old_programme, new_programme = dict(old.pop("programme") or {}), dict(new.pop("programme") or {})
    old_listed, new_listed = old_programme.pop("decisions", None) or [], new_programme.pop("decisions", None) or []
    if old != new or old_programme != new_programme or new_listed != list(old_listed) + expected:
        raise NotRecorded(file, "the decisions could not be added without changing the rest of the file",
                          hint="Add them by hand under `programme: decisions:`.")
