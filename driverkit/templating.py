"""Jinja templates for the HTML and Markdown outputs.

The templates ship in `templates/`. A user can pass a folder of their own: a template there with
the same name replaces the shipped one, the others are still found. HTML templates are
autoescaped; Markdown templates escape with the `md` filter; an undefined variable is an error,
so a mistyped name in a template fails loudly instead of printing nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from driverkit import escape
from driverkit.files import resource_dir


def _visible(value: Any) -> Any:
    """Every value a template prints loses the characters no page should hold; text already made
    safe (a macro's output, Markup) stays safe."""
    if isinstance(value, str):
        cleaned = escape.visible(value)
        return type(value)(cleaned) if type(value) is not str else cleaned
    return value


def render_template(name: str, context: dict[str, Any], templates: Optional[str | Path] = None) -> str:
    """The text of template `name` filled with `context`, from `templates` first when given."""
    import jinja2

    folders = [str(templates)] if templates else []
    if templates and not Path(templates).is_dir():
        raise ValueError(f"the templates folder {templates} does not exist")
    folders.append(str(resource_dir("templates")))
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=lambda template: bool(template and template.endswith((".html.j2", ".html"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    environment.filters["md"] = escape.markdown
    try:
        template = environment.get_template(name)
        return template.render(**context)
    except jinja2.TemplateError as exc:
        origin = getattr(exc, "filename", None) or (template.filename if "template" in locals() else name)
        where = f", line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        message = str(exc.message if getattr(exc, "message", None) else exc).replace("'driverkit.", "'")
        raise ValueError(f"template {origin}{where}: {message}") from None
