"""Loading a project: text -> plain data with places -> validated Project.

Every validation error is reported at the line:column of the offending key (unknown key) or value
(bad value), with a did-you-mean where a close match exists.
"""

from __future__ import annotations

import types
import typing
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from pydantic import BaseModel, ValidationError

from driverkit.project.diagnostics import IN_CODE, Diagnostic, ProjectError, path_text
from driverkit.project.model import Project
from driverkit.project import loading_codes as loading
from driverkit.project.references import KIND_NAMES, WRONG_KIND, ReferenceProblem, Resolved, Workspace
from driverkit.project.source import MAX_BYTES, SourceMap, parse, read_text


def load(path: str | Path, max_bytes: int = MAX_BYTES, allow: Iterable[str | Path] = (),
         workspace: Optional[Workspace] = None) -> Project:
    """Read and validate a project file. Raises ProjectError listing every problem found.

    Files the project names (`data_file:`, `font_file:`) are read only inside the git working tree
    that holds the file (or its folder outside a repository); `allow` names other folders or files
    that may be read too.

    Other project files it names (`serves:`, `use:`) are loaded in `workspace`, once each; pass
    one workspace to load many files that name the same ones.
    """
    return loads(read_text(path, max_bytes), filename=str(path), allow=allow, workspace=workspace)


def loads(text: str, filename: str = "<string>", allow: Iterable[str | Path] = (),
          workspace: Optional[Workspace] = None) -> Project:
    """Validate a project from YAML text. Raises ProjectError listing every problem found.

    `allow` and `workspace` are as for `load`; a project read from text with no file name names
    files relative to the working folder."""
    allowed = tuple(str(place) for place in allow)
    workspace = workspace if workspace is not None else Workspace(allowed)
    with workspace.loading(filename):
        try:
            project = _validated(text, filename, allowed, workspace)
        except ProjectError as exc:
            workspace.remember(filename, exc)
            raise
    workspace.remember(filename, project)
    return project


def _validated(text: str, filename: str, allowed: tuple[str, ...], workspace: Workspace) -> Project:
    data, source = parse(text, filename)
    if data is None:
        raise ProjectError([loading.MISSING_KEY.diagnostic(
            "the file is empty: a project needs at least `driverkit: 1`, `title` and `aim`", filename, 1, 1)])
    if not isinstance(data, dict):
        raise ProjectError([loading.INVALID_VALUE.diagnostic(
            "a project file must be a mapping of keys (`driverkit:`, `title:`, `aim:` ...), not a single value or a list",
            filename, 1, 1)])
    shared, problems = _shared_measures(data, source, filename, allowed, workspace)
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        raise ProjectError(problems + _diagnostics(exc, data, source)) from None
    if problems:
        raise ProjectError(problems)
    project._file = filename
    project._allowed = allowed
    project._source = source
    project._workspace = workspace
    for index, resolved in shared.items():
        project.measures[index]._shared = resolved
    return project


def _shared_measures(data: dict[str, Any], source: SourceMap, filename: str, allowed: tuple[str, ...],
                     workspace: Workspace) -> tuple[dict[int, Resolved], list[Diagnostic]]:
    """Fill each `use:` measure in `data` with the keys of the shared measure it names (keys written
    beside `use:` win; the data are the member's own). Returns the resolved references by index of
    the measure, and a diagnostic for each that cannot be followed."""
    found: dict[int, Resolved] = {}
    problems: list[Diagnostic] = []
    measures = data.get("measures")
    if not isinstance(measures, list):
        return found, problems
    for index, measure in enumerate(measures):
        reference = measure.get("use") if isinstance(measure, dict) else None
        if not isinstance(reference, str) or "#" not in reference:
            continue  # not a reference: the model reports a malformed one
        try:
            resolved = workspace.resolve(reference.strip(), filename, allowed)
            if resolved.kind != "measure":
                raise ReferenceProblem(WRONG_KIND, f"`use:` names {KIND_NAMES[resolved.kind]} ({resolved.target_id}), not a measure")
        except ReferenceProblem as problem:
            line, column = source.locate(("measures", index, "use"))
            problems.append(problem.rule.diagnostic(problem.message, filename, line, column, problem.hint))
            measure.setdefault("name", reference)  # so that the rest of the file is still checked
            measure.setdefault("family", "process")
            continue
        inherited = resolved.target.model_dump(by_alias=True, exclude_unset=True, exclude={"use", "data", "data_file"})
        inherited["id"] = resolved.target_id
        measures[index] = {**inherited, **measure}
        found[index] = resolved
    return found, problems


# -- pydantic errors to diagnostics -------------------------------------------------------------

def _diagnostics(exc: ValidationError, data: Any, source: SourceMap) -> list[Diagnostic]:
    errors = [(error, _data_path(tuple(error["loc"]), data)) for error in exc.errors(include_url=False)]
    unknown = {path for error, path in errors if error["type"] == "extra_forbidden"}
    found = []
    for error, path in errors:
        if error["type"] == "missing" and _misspelt(path, unknown):
            continue  # "unknown key `txt` (did you mean `text`?)" already says it
        found.append(_diagnostic(error, path, source))
    return found


def _misspelt(missing: tuple[Any, ...], unknown: set[tuple[Any, ...]]) -> bool:
    siblings = [str(p[-1]) for p in unknown if p[:-1] == missing[:-1]]
    import difflib  # only when a file has a mistake: not a cost of every start-up

    return bool(difflib.get_close_matches(str(missing[-1]), siblings, n=1, cutoff=0.6))


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The part of a pydantic error location that exists in the document (drops validator names)."""
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part == loc[-1]:
            path.append(part)  # a missing key: keep its name for the message
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _diagnostic(error: dict[str, Any], path: tuple[Any, ...], source: SourceMap) -> Diagnostic:
    found = _placed(error, path, source)
    where = path[:-1] if error["type"] == "missing" else path  # a missing key: the mapping it is missing from
    return replace(found, path=path_text(where))


def code_error(exc: ValidationError, data: dict[str, Any]) -> ProjectError:
    """The ProjectError for a project built in code (`Project(title=..., drivers=[...])`) with
    wrong values: each problem with its rule code, placed at its path in the document
    (`<project>:drivers[0]`), as `check` places the problems of a project built in code."""
    found = _diagnostics(exc, data, SourceMap(IN_CODE))
    return ProjectError([replace(d, line=0, column=0) for d in found])


def _placed(error: dict[str, Any], path: tuple[Any, ...], source: SourceMap) -> Diagnostic:
    kind = error["type"]
    file = source.file
    key = _describe(path)
    value = error.get("input")
    if path == ("driverkit",) or (kind == "missing" and tuple(error["loc"]) == ("driverkit",)):
        line, column = source.locate(path) if kind != "missing" else (1, 1)
        got = ("it is missing" if kind == "missing" else "it is empty" if value is None
               else f"`{_short(value)}` is not a version this driverkit reads")
        return loading.UNSUPPORTED_VERSION.diagnostic(f"the file format version must be `driverkit: 1`; {got}", file, line, column)
    if kind == "extra_forbidden":
        line, column = source.locate(path, at="key")
        name = str(path[-1])
        known = _known_keys(path[:-1])
        message = f"unknown key `{name}`" + _did_you_mean(name, known)
        hint = _unknown_key_hint(path, known)
        return loading.UNKNOWN_KEY.diagnostic(message, file, line, column, hint=hint)
    if kind == "missing":
        parent = path[:-1]
        line, column = source.locate(parent)
        where = f" in {_describe(parent)}" if parent else ""
        return loading.MISSING_KEY.diagnostic(f"`{path[-1]}` is required{where}", file, line, column)
    if error["loc"] and error["loc"][-1] == "[key]":  # a key of a mapping of names (`known_changes:`)
        line, column = source.locate(path, at="key")
        key = f"a name in {_describe(path[:-1])}"
        value = path[-1]
    else:
        line, column = source.locate(path)
    hint = _INVALID_HINTS.get(kind, "")
    return loading.INVALID_VALUE.diagnostic(_invalid_message(kind, error, key, value), file, line, column, hint=hint)


_INVALID_HINTS = {
    "float_parsing": "Write the number alone, without its unit (the unit has its own key, `unit:`).",
    "list_type": "A list is written `[a, b]` on one line, or as one `- item` per line.",
    "string_type": "Put the text in quotes if it looks like something else.",
    "string_pattern_mismatch": "Use short ids such as P1, S2.1, C7 or smoke-free.",
}


def _invalid_message(kind: str, error: dict[str, Any], key: str, value: Any) -> str:
    got = f"`{_short(value)}`" if value is not None else "nothing"
    if kind == "literal_error":
        choices = [c.strip(" '") for c in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return f"{key} must be one of {', '.join(choices)}; got {got}" + _did_you_mean(str(value), choices)
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "finite_number"):
        return f"{key} must be a number; got {got}"
    if kind in ("string_type",):
        return f"{key} must be text; got {'a list' if isinstance(value, list) else 'a mapping' if isinstance(value, dict) else got}"
    if kind == "list_type":
        return f"{key} must be a list (`[a, b]`, or one `- item` per line); got {'a mapping' if isinstance(value, dict) else got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{key} must be a mapping of keys and values; got {'a list' if isinstance(value, list) else got}"
    if kind == "string_pattern_mismatch":
        return f"{got} is not a valid id: an id starts with a letter and holds only letters, digits, '.', '-' and '_'"
    if kind == "string_too_short":
        return f"{key} must not be empty"
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return f"{key} needs at least {least} item{'s' if least != 1 else ''}; got none"
    if kind == "too_long":
        ctx = error.get("ctx", {})
        found = ctx.get("actual_length") or (len(value) if isinstance(value, (list, dict)) else None)
        return f"{key} holds at most {ctx.get('max_length')} items" + (f"; got {found}" if found is not None else "")
    if kind == "string_too_long":
        return f"{key} is too long ({error['ctx'].get('max_length')} characters at most)"
    message = str(error.get("msg", "invalid value"))
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"{key}: {message}"


def _describe(path: tuple[Any, ...]) -> str:
    """("drivers", 0, "changes", 1, "status") -> "`status` of drivers[1].changes[2]" (items from 1)."""
    if not path:
        return "the project"
    keys = [p for p in path if isinstance(p, str)]
    last = path[-1]
    if isinstance(last, int):
        return f"item {last + 1} of `{keys[-1] if keys else 'list'}`"
    return f"`{last}`"


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.lower() == word.lower()]
    return f" (did you mean `{close[0]}`?)" if close else ""


def _unknown_key_hint(path: tuple[Any, ...], known: list[str]) -> str:
    name = path[-1]
    if name == "drivers" and "also" in known:
        return "Inside a driver, link a nested change idea to further drivers with `also:`; `drivers:` is for change ideas listed at the top level."
    return "Keys here: " + ", ".join(known) + "." if known else "This place takes no keys."


def _known_keys(path: tuple[Any, ...]) -> list[str]:
    model: Any = Project
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        model = _inner_model(field.annotation)
        if model is None:
            return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside Optional[...], list[...] and friends."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, Union, types.UnionType, typing.Annotated) or origin is not None:
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if inner is not None:
                return inner
    return None
