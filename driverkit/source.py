"""Reading a project file: bytes to text to plain data, keeping the line:column of every node.

The document is built from PyYAML's event stream (the C parser where available) with an explicit
stack, so that nothing is parsed twice, deep nesting cannot crash the process, and the YAML traps
are handled here once:

- every scalar stays a string, except plain `null`/`~`/empty (None); the model converts numbers,
  booleans and dates where it wants them, so `no` stays the text "no" and `2020-12-31` is parsed
  as a date only where a date is expected;
- duplicate keys, multiple documents, unknown tags, alias bombs and deep nesting are refused;
- binary files, non-UTF-8 text and files over the size limit are refused before parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from driverkit.diagnostics import Diagnostic, ProjectError
from driverkit.rules import loading

try:  # the C parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000

PathKey = tuple[Union[str, int], ...]
Position = tuple[int, int]  # line, column; both from 1

_NULLS = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass
class SourceMap:
    """Where each part of the document was written: a path like ("drivers", 0, "text") to a place."""

    file: str
    keys: dict[PathKey, Position] = field(default_factory=dict)
    values: dict[PathKey, Position] = field(default_factory=dict)

    def locate(self, path: PathKey, at: str = "value") -> Position:
        """The place of a path's value (or key); for a path not written, the nearest written parent."""
        table = self.keys if at == "key" else self.values
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if at == "key" and prefix in self.values:
                return self.values[prefix]
        return (1, 1)


def read_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """A file's text, or a ProjectError saying why it cannot be read as a UTF-8 text file."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            raise _error(loading.UNREADABLE_FILE, name, 1, 1, f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise _error(loading.UNREADABLE_FILE, name, 1, 1, "no such file") from None
    except IsADirectoryError:
        raise _error(loading.UNREADABLE_FILE, name, 1, 1, "this is a folder, not a project file") from None
    except OSError as exc:
        raise _error(loading.UNREADABLE_FILE, name, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    return decode(data, name, max_bytes)


def decode(data: bytes, file: str, max_bytes: int = MAX_BYTES) -> str:
    """Bytes to text: UTF-8 only (a leading byte-order mark is dropped), no NUL bytes, bounded size."""
    if len(data) > max_bytes:
        raise _error(loading.UNREADABLE_FILE, file, 1, 1, f"the file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _error(loading.UNREADABLE_FILE, file, 1, 1, "the file is UTF-16 text; driverkit reads UTF-8", "Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8).")
    nul = data.find(b"\x00")
    if nul != -1 and _looks_like_utf16(data):
        raise _error(loading.UNREADABLE_FILE, file, 1, 1, "the file looks like UTF-16 text; driverkit reads UTF-8", "Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8).")
    if nul != -1:
        line, column = _byte_position(data, nul)
        raise _error(loading.UNREADABLE_FILE, file, line, column, "the file contains NUL bytes: it looks like a binary file, not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise _error(loading.UNREADABLE_FILE, file, line, column, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)", "Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8).") from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str, file: str = "<string>") -> tuple[Any, SourceMap]:
    """YAML text to plain data (dicts, lists, strings, None) and its source map.

    Raises ProjectError with every problem found (all duplicate keys, for example, not only the first).
    """
    _refuse_forbidden_characters(text, file)
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise ProjectError(builder.problems + [_syntax_diagnostic(exc, file, text)]) from None
    except yaml.YAMLError as exc:  # a reader error without a mark
        raise ProjectError(builder.problems + [loading.YAML_SYNTAX.diagnostic(str(exc), file, 1, 1)]) from None
    except _Refused as exc:
        raise ProjectError(builder.problems + [exc.diagnostic]) from None
    if builder.problems:
        raise ProjectError(builder.problems)
    return builder.root, builder.source


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    size: int = 1
    anchor: str | None = None
    pending_key: str | None = None
    pending_key_position: Position | None = None


class _Builder:
    """Builds plain data from YAML events without recursion."""

    def __init__(self, file: str):
        self.file = file
        self.source = SourceMap(file)
        self.problems: list[Diagnostic] = []
        self.root: Any = None
        self.documents = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, node count)
        self.first_keys: dict[PathKey, Position] = {}
        self.alias_nodes = 0

    # -- events -------------------------------------------------------------------------------
    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                line, column = _position(event)
                raise _Refused(loading.MULTIPLE_DOCUMENTS.diagnostic("the file holds more than one YAML document", self.file, line, column))
        elif isinstance(event, yaml.ScalarEvent):
            self._check_tag(event)
            self._add(self._scalar(event), event, 1)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_tag(event)
            if len(self.stack) >= MAX_DEPTH:
                line, column = _position(event)
                raise _Refused(loading.TOO_COMPLEX.diagnostic(f"the document nests deeper than {MAX_DEPTH} levels", self.file, line, column))
            path = self._child_path(event)
            if path is None:
                return
            container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.source.values[path] = _position(event)
            self.stack.append(_Frame(container, path, anchor=event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self._attach(frame.container, frame.size)

    # -- building -----------------------------------------------------------------------------
    def _scalar(self, event: yaml.ScalarEvent) -> str | None:
        if not event.style and event.tag in (None, "!") and event.value in _NULLS:  # plain style: None or 
            return None
        if event.tag == "tag:yaml.org,2002:null":
            return None
        return event.value

    def _add(self, value: Any, event: yaml.NodeEvent, size: int) -> None:
        frame = self.stack[-1] if self.stack else None
        if isinstance(frame, _Frame) and isinstance(frame.container, dict) and frame.pending_key is None:
            self._take_key(frame, value, event)
            return
        path = self._child_path(event)
        if path is None:
            return
        self.source.values[path] = _position(event)
        if event.anchor:
            self.anchors[event.anchor] = (value, size)
        self._attach(value, size)

    def _take_key(self, frame: _Frame, key: Any, event: yaml.NodeEvent) -> None:
        position = _position(event)
        if key is None or not isinstance(key, str):
            key = "" if key is None else str(key)
        container = frame.container
        assert isinstance(container, dict)
        if key in container:
            first = self.first_keys.get(frame.path + (key,), (0, 0))
            self.problems.append(loading.DUPLICATE_KEY.diagnostic(
                f"`{key}` is already set at line {first[0]} of this mapping", self.file, *position))
        else:
            self.first_keys[frame.path + (key,)] = position
        if key == "<<":
            self.problems.append(loading.UNSUPPORTED_TAG.diagnostic(
                "merge keys (`<<`) are not supported", self.file, *position,
                hint="Write the keys out in full."))
        frame.pending_key = key
        frame.pending_key_position = position

    def _child_path(self, event: yaml.NodeEvent) -> PathKey | None:
        """The path of the node that starts with this event, or None when it is a complex key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return frame.path + (len(frame.container),)
        if frame.pending_key is None:  # a mapping or list used as a key
            line, column = _position(event)
            raise _Refused(loading.YAML_SYNTAX.diagnostic("a key must be plain text, not a list or a mapping", self.file, line, column))
        path = frame.path + (frame.pending_key,)
        assert frame.pending_key_position is not None
        self.source.keys[path] = frame.pending_key_position
        return path

    def _attach(self, value: Any, size: int) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            assert frame.pending_key is not None
            frame.container[frame.pending_key] = value
            frame.pending_key = None

    def _alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor not in self.anchors:
            line, column = _position(event)
            opened = any(frame.anchor == event.anchor for frame in self.stack)
            why = "refers to the node that contains it" if opened else "refers to an anchor that is not defined above it"
            raise _Refused(loading.YAML_SYNTAX.diagnostic(f"the alias `*{event.anchor}` {why}", self.file, line, column))
        value, size = self.anchors[event.anchor]
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            line, column = _position(event)
            raise _Refused(loading.TOO_COMPLEX.diagnostic(
                f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes", self.file, line, column))
        self._add(value, event, size)

    def _check_tag(self, event: yaml.NodeEvent) -> None:
        tag = getattr(event, "tag", None)
        if tag not in _STANDARD_TAGS:
            line, column = _position(event)
            written = tag.replace("tag:yaml.org,2002:", "!!") if isinstance(tag, str) else tag
            self.problems.append(loading.UNSUPPORTED_TAG.diagnostic(f"the tag `{written}` is not supported", self.file, line, column))


# What YAML forbids in a stream: control characters other than tab and line breaks, and
# non-characters. They arrive by copy and paste (a vertical tab is Word's line break).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _refuse_forbidden_characters(text: str, file: str) -> None:
    found = _FORBIDDEN.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = ord(found.group(0))
    if code == 0:
        raise _error(loading.UNREADABLE_FILE, file, line, column, "the text contains NUL characters: it looks like a binary file, not YAML text")
    raise ProjectError([loading.YAML_SYNTAX.diagnostic(
        f"the text holds the control character U+{code:04X}, which YAML does not allow", file, line, column,
        hint="It usually comes from pasting from a word processor: delete it, or retype the line.")])


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:200]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _byte_position(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return line, column


_SYNTAX_HINTS = [
    (re.compile(r"found character '\\t'|found a tab"), "YAML does not allow tabs for indentation: indent with spaces."),
    (re.compile(r"mapping values are not allowed"), "A colon followed by a space inside text starts a new key: put the whole text in quotes."),
    (re.compile(r"could not find expected ':'"), "A line is missing its `key:`, or a quoted text was not closed."),
        (re.compile(r"may not start with"), "Put the whole text in quotes."),
    (re.compile(r"never closed"), "Close the quote or bracket that opens here."),
    (re.compile(r"did not find expected '-' indicator|expected <block end>"), "A list item or key is indented differently from its siblings."),
]


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "the YAML cannot be parsed"
    if exc.context and exc.problem:
        problem = f"{problem} ({exc.context})"
    lines = text.splitlines()
    at_end = mark is not None and mark.line >= len(lines)
    if exc.context_mark is not None and at_end and exc.context_mark.line < len(lines):
        mark = exc.context_mark  # an unclosed quote or bracket: point where it opens
        what = "quote" if "quoted" in (exc.context or "") else "bracket" if "flow" in (exc.context or "") else "block"
        problem = f"this {what} is never closed"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = " ".join(problem.split())
    if 0 < line <= len(lines) and lines[line - 1][column - 1 : column] == "\t":
        problem = f"found a tab: {problem}"
    if 0 < line <= len(lines) and lines[line - 1][column - 1 : column] in ("@", "`"):
        problem = f"text may not start with `{lines[line - 1][column - 1]}`: {problem}"
    hint = next((h for pattern, h in _SYNTAX_HINTS if pattern.search(problem)), None)
    return loading.YAML_SYNTAX.diagnostic(problem, file, line, column, hint=hint)


def _error(rule: Any, file: str, line: int, column: int, message: str, hint: str | None = None) -> ProjectError:
    return ProjectError([rule.diagnostic(message, file, line, column, hint=hint)])
