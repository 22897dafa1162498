"""Reading a project file: bytes to text to plain data, keeping the line:column of every node.

The document is built from PyYAML's event stream (the C parser where available) with an explicit
stack, so that nothing is parsed twice, deep nesting cannot crash the process, and the YAML traps
are handled here once:

- every scalar stays a string, except plain `null`/`~`/empty (None); the model converts numbers
  and dates where it wants them, so `no` stays the text "no" and `2020-12-31` is parsed as a date
  only where a date is expected;
- duplicate keys, multiple documents, unknown tags, alias bombs and deep nesting are refused;
- binary files, non-UTF-8 text, characters YAML forbids and files over the size limit are refused
  before parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import yaml

from driverkit.project.diagnostics import Diagnostic, ProjectError
from driverkit.project.files import MAX_BYTES, FileRefused, read_regular
from driverkit.project import loading_codes as loading

try:  # the C parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000
# What aliases may add, counted in characters: a node count alone lets a few thousand aliases of
# one long string expand a small file into gigabytes.
MAX_ALIAS_CHARACTERS = 1_000_000

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
_SAVE_AS_UTF8 = "Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)."


@dataclass
class SourceMap:
    """Where each part of the document was written: a path like ("drivers", 0, "text") to a place."""

    file: str
    keys: dict[PathKey, Position] = field(default_factory=dict)
    values: dict[PathKey, Position] = field(default_factory=dict)
    # Plain text followed on its line by ` #word`: YAML reads the rest as a comment, and the text is cut.
    cut_by_comment: list[tuple[PathKey, Position]] = field(default_factory=list)
    # The text is ASCII with no backslash, so no text in it can hold a control, bidirectional or
    # zero-width character (YAML refuses the other controls before parsing).
    plain_ascii: bool = False

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
    """A file's text, or a ProjectError saying why it cannot be read as a UTF-8 text file.

    Only a regular file is read (a pipe or a device is refused, never waited on), up to the limit.
    """
    name = str(path)
    try:
        data = read_regular(path, max_bytes)
    except FileRefused as exc:
        if exc.reason.startswith("this is a folder"):
            raise _error(loading.UNREADABLE_FILE, name, 1, 1, "this is a folder, not a project file",
                         "Name the project files, or pass the folder to `driverkit check` to check the project files in it.") from None
        raise _error(loading.UNREADABLE_FILE, name, 1, 1, exc.reason, exc.hint) from None
    return decode(data, name, max_bytes)


def decode(data: bytes, file: str, max_bytes: int = MAX_BYTES, kind: str = "project") -> str:
    """Bytes to text: UTF-8 only (a leading byte-order mark is dropped), no NUL bytes, bounded size.

    `kind` says what is read, for the messages: "project" (a YAML project file) or "data" (a CSV).
    """
    text_kind, file_kind = ("YAML text", "project file") if kind == "project" else ("CSV text", "data file")
    if len(data) > max_bytes:
        raise _error(loading.UNREADABLE_FILE, file, 1, 1, f"the file is over the size limit of {max_bytes:,} bytes",
                     f"Split the {'project' if kind == 'project' else 'data'} into several files.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:200] and _looks_like_utf16(data)):
        raise _error(loading.UNREADABLE_FILE, file, 1, 1, "the file is UTF-16 text; driverkit reads UTF-8", _SAVE_AS_UTF8)
    nul = data.find(b"\x00")
    if nul != -1:
        line, column = _byte_position(data, nul)
        raise _error(loading.UNREADABLE_FILE, file, line, column, f"the file contains NUL bytes: it looks like a binary file, not {text_kind}",
                     f"Check that this is the {file_kind} you meant.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise _error(loading.UNREADABLE_FILE, file, line, column,
                     f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)", _SAVE_AS_UTF8) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str, file: str = "<string>") -> tuple[Any, SourceMap]:
    """YAML text to plain data (dicts, lists, strings, None) and its source map.

    Raises ProjectError with every problem found (all duplicate keys, for example, not only the first).
    """
    _refuse_forbidden_characters(text, file)
    builder = _Builder(file, text)
    loader = _Loader(text)
    try:
        # get_event alone, without yaml.parse's check_event before each: half the calls into the parser.
        next_event, feed = loader.get_event, builder.feed
        while True:
            event = next_event()
            if event is None or type(event) is yaml.StreamEndEvent:
                break
            feed(event)
    except yaml.MarkedYAMLError as exc:
        raise ProjectError(builder.problems + [_syntax_diagnostic(exc, file, text)]) from None
    except yaml.YAMLError as exc:  # a reader error without a mark
        message = " ".join(str(exc).split())
        raise ProjectError(builder.problems + [loading.YAML_SYNTAX.diagnostic(message, file, 1, 1)]) from None
    except _Refused as exc:
        raise ProjectError(builder.problems + [exc.diagnostic]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise ProjectError(builder.problems)
    builder.source.plain_ascii = text.isascii() and "\\" not in text
    return builder.root, builder.source


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


@dataclass(slots=True)
class _Built:
    """A value with what it costs: its node count and its height (levels of nesting)."""

    value: Any
    size: int = 1
    height: int = 0
    characters: int = 0


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    size: int = 1
    height: int = 1
    characters: int = 0
    anchor: str | None = None
    pending_key: str | None = None
    pending_key_position: Position | None = None
    pending_path: PathKey = ()  # the path of the pending key's value


class _Builder:
    """Builds plain data from YAML events without recursion."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.text = text
        self.source = SourceMap(file)
        self.problems: list[Diagnostic] = []
        self.root: Any = None
        self.documents = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Built] = {}
        self.first_keys: dict[PathKey, Position] = {}
        self.alias_nodes = 0
        self.alias_characters = 0
        self.comment_starts: Optional[dict[int, int]] = None

    def feed(self, event: yaml.Event) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.tag not in _STANDARD_TAGS:
                self._check_tag(event)
            value = self._scalar(event)
            stack = self.stack
            if stack:
                frame = stack[-1]
                container = frame.container
                if type(container) is dict:
                    key = frame.pending_key
                    if key is None:  # a key of a mapping is taken at once: most scalars are keys
                        if value is None or value in container or value == "<<":
                            self._take_key(frame, value, event)  # which reports what is wrong
                            return
                        # `_take_key` written out for a new key, the common case
                        mark = event.start_mark
                        position = (mark.line + 1, mark.column + 1)
                        path = frame.path + (value,)
                        self.first_keys[path] = position
                        frame.pending_key, frame.pending_key_position, frame.pending_path = value, position, path
                        frame.characters += len(value)
                        return
                    if not event.anchor:  # the value of a key, the next most common: `_add` written out
                        path = frame.pending_path
                        self.source.keys[path] = frame.pending_key_position  # type: ignore[assignment]
                        mark = event.start_mark
                        self.source.values[path] = (mark.line + 1, mark.column + 1)
                        frame.size += 1
                        if value:
                            frame.characters += len(value)
                        container[key] = value
                        frame.pending_key = None
                        return
            self._add(_Built(value, 1, 0, len(value) if value else 0), event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._check_tag(event)
            self._check_depth(len(self.stack) + 1, event)
            path = self._child_path(event)
            container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
            self.source.values[path] = _position(event)
            self.stack.append(_Frame(container, path, anchor=event.anchor))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = self.stack.pop()
            built = _Built(frame.container, frame.size, frame.height, frame.characters)
            if frame.anchor:
                self.anchors[frame.anchor] = built
            self._attach(built)
        elif kind is yaml.AliasEvent:
            self._alias(event)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _Refused(loading.MULTIPLE_DOCUMENTS.diagnostic("the file holds more than one YAML document", self.file, *_position(event)))

    def _scalar(self, event: yaml.ScalarEvent) -> str | None:
        plain = not event.style  # the C parser says '' for plain, the Python one None
        if plain and event.tag in (None, "!") and event.value in _NULLS:
            return None
        if event.tag == "tag:yaml.org,2002:null":
            return None
        if plain and self.stack and self.comment_starts != {}:  # {}: the text has no ` #word` at all
            self._note_cut_comment(event)
        return event.value

    def _note_cut_comment(self, event: yaml.ScalarEvent) -> None:
        """Plain text followed by ` #word` on the same line lost its end to a comment."""
        if self.comment_starts is None:
            self.comment_starts = _comments_after_text(self.text)
        length = self.comment_starts.get(event.end_mark.index)
        frame = self.stack[-1]
        if length and event.value and not (isinstance(frame.container, dict) and frame.pending_key is None):
            path = frame.path + ((len(frame.container),) if isinstance(frame.container, list) else (frame.pending_key,))  # type: ignore[operator]
            self.source.cut_by_comment.append((path, (event.end_mark.line + 1, event.end_mark.column + length)))

    def _add(self, built: _Built, event: yaml.NodeEvent) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.pending_key is None:
            self._take_key(frame, built.value, event)
            return
        path = self._child_path(event)
        self.source.values[path] = _position(event)
        if event.anchor:
            self.anchors[event.anchor] = built
        self._attach(built)

    def _take_key(self, frame: _Frame, key: Any, event: yaml.NodeEvent) -> None:
        position = _position(event)
        if not isinstance(key, str) or isinstance(event, yaml.AliasEvent):
            raise _Refused(loading.YAML_SYNTAX.diagnostic(
                "a key must be plain text" if key is not None else "a key cannot be empty", self.file, *position))
        container = frame.container
        assert isinstance(container, dict)
        path = frame.path + (key,)
        if key in container:
            first = self.first_keys.get(path, (0, 0))
            self.problems.append(loading.DUPLICATE_KEY.diagnostic(
                f"`{key}` is already set at line {first[0]}", self.file, *position))
        else:
            self.first_keys[path] = position
        if key == "<<":
            self.problems.append(loading.UNSUPPORTED_TAG.diagnostic(
                "merge keys (`<<`) are not supported", self.file, *position, hint="Write the keys out in full."))
        frame.pending_key = key
        frame.pending_key_position = position
        frame.pending_path = path
        frame.characters += len(key)

    def _child_path(self, event: yaml.NodeEvent) -> PathKey:
        """The path of the node that starts with this event."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return frame.path + (len(frame.container),)
        if frame.pending_key is None:  # a mapping or a list used as a key
            raise _Refused(loading.YAML_SYNTAX.diagnostic("a key must be plain text, not a list or a mapping", self.file, *_position(event)))
        path = frame.pending_path
        assert frame.pending_key_position is not None
        self.source.keys[path] = frame.pending_key_position
        return path

    def _attach(self, built: _Built) -> None:
        if not self.stack:
            self.root = built.value
            return
        frame = self.stack[-1]
        frame.size += built.size
        frame.characters += built.characters
        if built.height >= frame.height:
            frame.height = built.height + 1
        if isinstance(frame.container, list):
            frame.container.append(built.value)
        else:
            assert frame.pending_key is not None
            frame.container[frame.pending_key] = built.value
            frame.pending_key = None

    def _alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor not in self.anchors:
            opened = any(frame.anchor == event.anchor for frame in self.stack)
            why = "refers to the node that contains it" if opened else "refers to an anchor that is not defined above it"
            raise _Refused(loading.YAML_SYNTAX.diagnostic(f"the alias `*{event.anchor}` {why}", self.file, *_position(event),
                                                          hint="Define the anchor (`&name`) before the alias (`*name`) that uses it."))
        built = self.anchors[event.anchor]
        self.alias_nodes += built.size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _Refused(loading.TOO_COMPLEX.diagnostic(f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes", self.file, *_position(event)))
        self.alias_characters += built.characters
        if self.alias_characters > MAX_ALIAS_CHARACTERS:
            raise _Refused(loading.TOO_COMPLEX.diagnostic(
                f"aliases expand to more than {MAX_ALIAS_CHARACTERS:,} characters of text", self.file, *_position(event),
                hint="Write the repeated text out where it is needed, or shorten it: "
                     "aliases may copy at most a million characters in all."))
        self._check_depth(len(self.stack) + built.height, event)
        self._add(built, event)

    def _check_depth(self, depth: int, event: yaml.Event) -> None:
        if depth > MAX_DEPTH:
            raise _Refused(loading.TOO_COMPLEX.diagnostic(f"the document nests deeper than {MAX_DEPTH} levels", self.file, *_position(event)))

    def _check_tag(self, event: yaml.NodeEvent) -> None:
        tag = getattr(event, "tag", None)
        if tag not in _STANDARD_TAGS:
            written = tag.replace("tag:yaml.org,2002:", "!!") if isinstance(tag, str) else tag
            self.problems.append(loading.UNSUPPORTED_TAG.diagnostic(f"the tag `{written}` is not supported", self.file, *_position(event)))


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
def _blank(character: str) -> bool:
    """White space that is not a line break."""
    return character.isspace() and character != "\n"


def _comments_after_text(text: str) -> dict[int, int]:
    """Every ` #word` of the text: where its blanks start -> their length up to and with the `#`.
    Found from each `#`, which is much faster than a pattern trying every blank of the text."""
    found: dict[int, int] = {}
    at = text.find("#")
    while at != -1:
        if at + 1 < len(text) and not text[at + 1].isspace() and at > 0 and _blank(text[at - 1]):
            start = at - 1
            while start > 0 and _blank(text[start - 1]):
                start -= 1
            found[start] = at + 1 - start
        at = text.find("#", at + 1)
    return found


def line_column(text: str, index: int) -> Position:
    """The line and column (from 1) of a character, counting \\n, \\r\\n and a lone \\r as line ends."""
    starts = [m.end() for m in _LINE_BREAK.finditer(text, 0, index)]
    line_start = starts[-1] if starts else 0
    return len(starts) + 1, index - line_start + 1


def _byte_position(data: bytes, offset: int) -> Position:
    text = data[:offset].decode("utf-8", errors="replace")
    return line_column(text, len(text))


# What YAML forbids in a stream (control characters other than tab and line ends, surrogates,
# non-characters), and the three characters YAML reads as line breaks though editors do not
# (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR): they would shift every line number after them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_CHARACTER_NAMES = {0x0B: "a vertical tab", 0x0C: "a form feed", 0x85: "a next-line character (NEL)",
                    0x2028: "a line separator", 0x2029: "a paragraph separator"}


def _refuse_forbidden_characters(text: str, file: str) -> None:
    found = _FORBIDDEN.search(text)
    if found is None:
        return
    line, column = line_column(text, found.start())
    code = ord(found.group(0))
    if code == 0:
        raise _error(loading.UNREADABLE_FILE, file, line, column, "the text contains NUL characters: it looks like a binary file, not YAML text")
    name = _CHARACTER_NAMES.get(code, "a control character")
    raise ProjectError([loading.YAML_SYNTAX.diagnostic(
        f"the text holds {name} (U+{code:04X}), which YAML does not allow here", file, line, column,
        hint="It usually comes from pasting from a word processor or a web page: delete it, or retype the line.")])


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 text without a byte-order mark: it decodes to mostly printable text."""
    sample = data[:400]
    sample = sample[: len(sample) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
        if text and printable / len(text) > 0.95 and sum(ch.isascii() for ch in text) / len(text) > 0.5:
            return True
    return False


# libyaml's words, in the words of the person who wrote the file. Patterns, compiled (and cached by
# `re`) only when a file has a syntax error: not a cost of every start-up.
_PLAIN_WORDS = [
    (r"found character '\\t'|tab character", "a tab is used for indentation",
     "YAML does not allow tabs for indentation: indent with spaces."),
    (r"mapping values are not allowed", "a colon followed by a space in the middle of a value starts a new key here",
     "Put the whole text in quotes, e.g. text: \"Risk: high\"."),
    (r"mapping keys are not allowed", "a `?` at the start of a value starts a key here",
     "Put the whole text in quotes."),
    (r"could not find expected ':'", "a line is missing its `key:`, or a quoted text is not closed",
     "Check this line and the one before it."),
    (r"did not find expected key|expected <block end>", "this line is not indented like the lines around it",
     "Line it up with its siblings: keys of one mapping, and the dashes of one list, start in the same column."),
    (r"did not find expected '-' indicator", "this list item is not indented like the items before it",
     "Line up the dashes of one list in the same column."),
    (r"found unexpected ':'", "a colon is out of place",
     "Put text containing a colon in quotes."),
]


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, file: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    original = " ".join((exc.problem or exc.context or "the YAML cannot be parsed").split())
    lines = text.splitlines()
    at_end = mark is not None and mark.line >= len(lines)
    if exc.context_mark is not None and at_end and exc.context_mark.line < len(lines):
        mark = exc.context_mark  # an unclosed quote or bracket: point where it opens
        what = "quote" if "quoted" in (exc.context or "") else "bracket" if "flow" in (exc.context or "") else "block"
        return loading.YAML_SYNTAX.diagnostic(f"this {what} is never closed", file, mark.line + 1, mark.column + 1,
                                              hint=f"Close the {what} that opens here.")
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    here = lines[line - 1][column - 1: column] if 0 < line <= len(lines) else ""
    if here == "\t":
        return loading.YAML_SYNTAX.diagnostic("a tab is used for indentation", file, line, column,
                                              hint="YAML does not allow tabs for indentation: indent with spaces.")
    if ("mapping values are not allowed" in original and column > 1024 and ": " not in lines[line - 1][: column - 1].lstrip(" -")
            and _a_key_may_start(lines, line - 1)):
        # YAML reads a key of one line only up to 1,024 characters, quoted or not
        return loading.YAML_SYNTAX.diagnostic("this key is longer than YAML reads (1,024 characters)", file, line, column,
                                              hint="Give it a shorter name.")
    if here in ("@", "`", "%", "|", ">") and "cannot start any token" in original:
        return loading.YAML_SYNTAX.diagnostic(f"text may not start with `{here}`", file, line, column, hint="Put the whole text in quotes.")
    for pattern, message, hint in _PLAIN_WORDS:
        if re.search(pattern, original):
            return loading.YAML_SYNTAX.diagnostic(message, file, line, column, hint=hint)
    return loading.YAML_SYNTAX.diagnostic(original, file, line, column)


def _a_key_may_start(lines: list[str], index: int) -> bool:
    """Whether line `index` may begin a key: the line before opens a mapping (`key:`), or is a
    sibling at the same indentation; not when it goes on with the value of the line before."""
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    for before in reversed(lines[:index]):
        if before.strip() and not before.lstrip().startswith("#"):
            return before.rstrip().endswith(":") or len(before) - len(before.lstrip(" ")) == indent
    return True


def _error(rule: Any, file: str, line: int, column: int, message: str, hint: str | None = None) -> ProjectError:
    return ProjectError([rule.diagnostic(message, file, line, column, hint=hint)])
