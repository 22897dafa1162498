"""Rendering driver diagrams: `render(project, "svg")` returns the bytes, `render_to_file` writes them.

Formats: svg, png and pdf (drawn by Graphviz), dot (the Graphviz source, for people who
post-process) and mermaid (a flowchart that GitHub and GitLab draw inside Markdown).
"""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from driverkit.diagram import ViewOptions, build_diagram
from driverkit.files import write_atomic
from driverkit.model import Project

FORMATS = ("svg", "png", "pdf", "dot", "mermaid")
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd"}


def render(project: Project, format: str = "svg", *, backend: str = "auto", **view: Any) -> bytes:
    """The driver diagram of `project` in `format`.

    `view` overrides the project's `render:` block and filters the diagram: theme, font_size,
    font_file, show_ids, show_measures, hide_abandoned, legend, primary (an id), statuses and tags
    (sequences). Raises driverkit.RenderError when Graphviz is missing or fails, and ValueError
    for an unknown format or a view that names something the project does not have.
    """
    from driverkit.dot import estimated_size, to_dot
    from driverkit.engine import PNG_DPI, RenderWarning, find_backend, png_dpi

    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}: use {', '.join(FORMATS)}")
    options = ViewOptions.for_project(project, **view)
    font_dirs: list[str] = []
    if options.font_file:
        font = Path(options.font_file)
        if not font.is_absolute():
            font = Path(project.file).parent / font
        if not font.is_file():
            raise ValueError(f"the font file {font} does not exist")
        options = dataclasses.replace(options, font_file=str(font.resolve()))
        font_dirs.append(str(font.resolve().parent))
    diagram = build_diagram(project, options)
    if diagram.omitted:
        shown = ", ".join(diagram.omitted[:5]) + (f" and {len(diagram.omitted) - 5} more" if len(diagram.omitted) > 5 else "")
        warnings.warn(RenderWarning(f"{len(diagram.omitted)} link(s) written in the file are not drawn: {shown}; "
                                    "`driverkit check` explains each"), stacklevel=2)
    if format == "mermaid":
        from driverkit.mermaid import to_mermaid

        return to_mermaid(diagram).encode("utf-8")
    source = to_dot(diagram)
    if format == "dot":
        return source.encode("utf-8")
    dpi = PNG_DPI
    if format == "png":
        dpi = png_dpi(*estimated_size(diagram))
        if dpi < 72:
            warnings.warn(RenderWarning(
                f"this diagram is too large for a sharp PNG (drawn at {dpi} dpi to stay within the "
                f"largest bitmap Graphviz can make): use SVG or PDF, or a view such as --primary"), stacklevel=2)
    return find_backend(backend).render(source, format, font_dirs, dpi)


_SUFFIXES = {**{ext: name for name, ext in EXTENSIONS.items()}, "mermaid": "mermaid", "gv": "dot"}


def render_to_file(project: Project, path: str | Path, format: Optional[str] = None, **options: Any) -> Path:
    """Render to `path` (the format from its suffix when not given), written atomically."""
    target = Path(path)
    by_suffix = _SUFFIXES.get(target.suffix.lstrip(".").lower())
    fmt = format or by_suffix
    if fmt is None:
        raise ValueError(f"cannot tell the format from the file name {target.name}: use a suffix such as .svg, "
                         f"or pass format= ({', '.join(FORMATS)})")
    if by_suffix and fmt != by_suffix:
        raise ValueError(f"{target.name} names a {by_suffix} file, but the format asked for is {fmt}")
    data = render(project, fmt, **options)
    write_atomic(target, data)
    return target


@dataclass
class Rendered:
    """What happened to one project file in a batch."""

    source: str
    outputs: list[str]
    problems: list[str]  # why it was not rendered; empty when it was
    warnings: list[str] = dataclasses.field(default_factory=list)


def output_stems(files: Sequence[str], suffix: str = "") -> list[str]:
    """The output name (without extension) of each file: its stem, or, where two files share a
    stem, its path below the folder they have in common (`a/project`, `b/project`)."""
    safe_suffix = re.sub(r"[^A-Za-z0-9._+-]+", "_", suffix)
    stems = [Path(f).stem for f in files]
    if len(set(stems)) == len(stems):
        return [stem + safe_suffix for stem in stems]
    paths = [Path(f).resolve().with_suffix("") for f in files]
    common = Path(os.path.commonpath([p.parent for p in paths]))
    return [str(p.relative_to(common)) + safe_suffix for p in paths]


def render_files(files: Sequence[str], out_dir: str | Path, formats: Sequence[str], *, jobs: int = 0,
                 suffix: str = "", **options: Any) -> list[Rendered]:
    """Render many project files into `out_dir`, one process per core when there are several."""
    jobs = jobs or min(len(files), os.cpu_count() or 1)
    tasks = [(f, str(out_dir), tuple(formats), stem, options) for f, stem in zip(files, output_stems(files, suffix))]
    if jobs <= 1 or len(files) <= 1:
        return [_render_one(*task) for task in tasks]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_render_one_task, tasks, chunksize=max(1, len(tasks) // (jobs * 4))))


def _render_one_task(task: tuple[Any, ...]) -> Rendered:
    return _render_one(*task)


def _render_one(file: str, out_dir: str, formats: tuple[str, ...], stem: str, options: dict[str, Any]) -> Rendered:
    try:
        return _render_file(file, out_dir, formats, stem, options)
    except Exception as exc:  # one broken file must not stop the others; say what happened to it
        return Rendered(file, [], [f"{file}: internal error while drawing ({type(exc).__name__}: {exc}); please report it"])


def _render_file(file: str, out_dir: str, formats: tuple[str, ...], stem: str, options: dict[str, Any]) -> Rendered:
    from driverkit.diagnostics import ProjectError, Severity
    from driverkit.engine import RenderError
    from driverkit.loader import load

    try:
        project = load(file)
    except ProjectError as exc:
        return Rendered(file, [], [str(d) for d in exc.diagnostics if d.severity == Severity.ERROR])
    outputs = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for fmt in formats:
                target = Path(out_dir) / f"{stem}.{EXTENSIONS[fmt]}"
                render_to_file(project, target, fmt, **options)
                outputs.append(str(target))
        except (RenderError, ValueError, OSError) as exc:
            return Rendered(file, outputs, [f"{file}: {exc}"])
    notes = list(dict.fromkeys(f"{file}: {w.message}" for w in caught if issubclass(w.category, UserWarning)))
    return Rendered(file, outputs, [], notes)
