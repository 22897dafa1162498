"""Jinja templates for the HTML and Markdown outputs.

The templates ship in `templates/`. A user can pass a folder of their own: a template there with
the same name replaces the shipped one, the others are still found. HTML templates are
autoescaped, every printed text passing through driverkit.output.escape.html; Markdown templates
escape with the `md` filter; an undefined variable is an error, so a mistyped name in a template
fails loudly instead of printing nothing.

Templates run in Jinja's sandbox, as a folder of templates may come from anyone: a template can
read the values it is given and call their plain methods, but cannot reach Python's internals
(`__class__`, `__globals__`...), change the values, call the data models' own methods (which
could read files), or include a file outside its folder. It can still write any text into the
page, and still take a long time or much memory (the largest repetitions are refused).
"""

from __future__ import annotations

import operator
import os
from pathlib import Path
from typing import Any, Callable, Optional

import jinja2
import markupsafe
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from driverkit.output import escape
from driverkit.project.files import FileRefused, read_regular, resource_dir

MAX_TEMPLATE_BYTES = 1 << 20
MAX_REPEAT = 1_000_000  # characters or items a template may make by `*`
MAX_POWER_BITS = 100_000  # the size of a number a template may make by `**`


def _visible(value: Any) -> Any:
    """Every value a template prints loses the characters no page should hold; text already made
    safe (a macro's output, Markup) stays safe."""
    if isinstance(value, str):
        cleaned = escape.visible(value)
        return type(value)(cleaned) if type(value) is not str else cleaned
    return value


def _html(value: Any) -> Any:
    """In an HTML template, every piece of text a template prints is escaped by driverkit's own
    HTML helper (escape.html) before Jinja's autoescape sees it; text already made safe (a macro's
    output, Markup) stays as it is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return markupsafe.Markup(escape.html(value))
    return _visible(value)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox; besides, a data model shows its fields and properties only, and `*` and
    `**` cannot make huge values."""

    intercepted_binops = frozenset(["*", "**"])

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        from pydantic import BaseModel

        if not super().is_safe_attribute(obj, attr, value):
            return False
        model = obj if isinstance(obj, type) else type(obj)
        if issubclass(model, BaseModel):
            return not isinstance(obj, type) and (attr in model.model_fields or isinstance(getattr(model, attr, None), property))
        return True

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and left.bit_length() * right > MAX_POWER_BITS:
                raise SecurityError("a power this large is not allowed in a template")
            return operator.pow(left, right)
        count, item = (right, left) if isinstance(right, int) else (left, right)
        if isinstance(item, (str, list, tuple)) and isinstance(count, int) and len(item) * count > MAX_REPEAT:
            raise SecurityError(f"a repetition of over {MAX_REPEAT:,} is not allowed in a template")
        return operator.mul(left, right)


class _FolderLoader(jinja2.BaseLoader):
    """Templates from folders, first found first: each read as a regular file (size-capped) that
    lies inside its folder once symbolic links are followed."""

    def __init__(self, folders: list[Path]):
        self.folders = folders

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." and absolute names
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            root = folder.resolve()
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                raise ValueError(f"template {path}: it leads outside the templates folder {folder}")
            try:
                text = read_regular(resolved, MAX_TEMPLATE_BYTES).decode("utf-8")
            except FileRefused as exc:
                raise ValueError(f"template {path}: {exc.reason}") from None
            except UnicodeDecodeError:
                raise ValueError(f"template {path}: not UTF-8 text") from None
            return text, str(path), lambda: False
        raise jinja2.TemplateNotFound(template)


def render_template(name: str, context: dict[str, Any], templates: Optional[str | Path] = None) -> str:
    """The text of template `name` filled with `context`, from `templates` first when given."""
    folders = [Path(templates)] if templates else []
    if templates and not Path(templates).is_dir():
        raise ValueError(f"the templates folder {templates} does not exist")
    folders.append(resource_dir("templates"))
    page = name.endswith((".html.j2", ".html"))
    environment = _Sandbox(
        loader=_FolderLoader(folders),
        autoescape=lambda template: bool(template and template.endswith((".html.j2", ".html"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_html if page else _visible,
    )
    environment.filters["md"] = escape.markdown
    environment.filters["code"] = escape.markdown_code
    try:
        template = environment.get_template(name)
        return template.render(**context)
    except jinja2.TemplateError as exc:
        origin = getattr(exc, "filename", None) or (template.filename if "template" in locals() else name)
        where = f", line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        message = str(exc.message if getattr(exc, "message", None) else exc).replace("'driverkit.", "'")
        raise ValueError(f"template {origin}{where}: {message}") from None
