"""Rendering driver diagrams: `render(project, "svg")` returns the bytes, `render_to_file` writes them.

Formats: svg, png and pdf (drawn by Graphviz), dot (the Graphviz source, for people who
post-process) and mermaid (a flowchart that GitHub and GitLab draw inside Markdown). The other
views (measurement plan, logic model, PDSA log, spread plan, link matrices, the project report,
the measures' data) are written here too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence
from urllib.parse import quote

from driverkit.documents.diagram import ViewOptions, build_diagram
from driverkit.output.chart_cache import ChartCache
from driverkit.project.files import write_atomic
from driverkit.project.model import Project

# Each view of a project and the formats it can be written in; the first is its default.
VIEWS = {
    "driver-diagram": ("svg", "png", "pdf", "dot", "mermaid"),
    "measurement-plan": ("html", "md", "csv", "xlsx"),
    "logic-model": ("svg", "png", "pdf", "dot", "html", "md"),
    "pdsa": ("html", "md", "csv", "xlsx"),
    "spread": ("html", "md", "csv", "xlsx"),
    "matrix": ("svg", "png", "pdf", "html", "md"),
    "report": ("html", "pdf"),
    "measure-data": ("csv", "xlsx"),
    "deck": ("pptx",),
}
# Options that only one view takes; the others leave them aside when given every option at once.
OWN_OPTIONS = {"pdf_engine": "report", "pptx_template": "deck"}
FORMATS = tuple(dict.fromkeys(f for formats in VIEWS.values() for f in formats))
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd",
              "html": "html", "md": "md", "csv": "csv", "xlsx": "xlsx", "pptx": "pptx"}


def render(project: Project, format: str = "svg", *, view: Optional[str] = None, backend: str = "auto",
           templates: Optional[str | Path] = None, **options: Any) -> bytes:
    """One view of `project` in `format`, as bytes.

    Views (see VIEWS for their formats): `driver-diagram`, `measurement-plan`, `logic-model`,
    `pdsa`, `spread`, `matrix` (the links between adjacent levels of the driver diagram, as
    tables), `report` (the one-page project report, driverkit.output.report; it takes the
    diagram's options but its filters, and `pdf_engine`: auto, chromium or xhtml2pdf) and
    `measure-data` (each measure's data with its chart's figures) and `deck` (a PowerPoint deck:
    driverkit.output.pptx; it takes the diagram's options and `pptx_template`, a .pptx whose
    layouts and theme it uses); without `view`, the driver diagram, or the first view that writes `format`. For the
    two diagrams and the matrix, `options` override the project's `render:` block: theme,
    font_size, font_file, show_ids, show_measures, hide_abandoned, legend, order; the driver
    diagram and the matrix also take the filters primary (an id), driver (an id at any level),
    statuses and tags, and the driver diagram `title` (False leaves the view's title out). The
    measurement plan in Markdown gives each measure's chart reading, and takes `chart_images`,
    the path of each chart's image relative to the Markdown with `{id}` for the measure's id
    (e.g. "charts/project-{id}.svg", as written by `driverkit chart`), to show the charts too.
    HTML and Markdown come from templates; `templates` names a folder whose templates replace
    the shipped ones of the same name. Raises
    driverkit.RenderError when Graphviz is missing or fails, ValueError for an unknown view or
    format or a view that names something the project does not have, and TypeError for an option
    the view does not take.
    """
    project.reindex()  # a project changed in place is drawn as it now is
    return _render(project, format, view=view, backend=backend, templates=templates, **options)


def _render(project: Project, format: str = "svg", *, view: Optional[str] = None, backend: str = "auto",
            templates: Optional[str | Path] = None, charts: Optional[ChartCache] = None, **options: Any) -> bytes:
    """`render` of a project as it was last indexed, its graph built once for all its views; `charts`
    keeps the measures' analyses and charts across the views of one call (each is drawn once)."""
    charts = charts if charts is not None and charts.project is project else ChartCache(project)
    if view is None:
        view = next((name for name, formats in VIEWS.items() if format in formats), "driver-diagram")
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use {', '.join(VIEWS)}")
    if format not in VIEWS[view]:
        raise ValueError(f"the {view} cannot be written as {format!r}: use {', '.join(VIEWS[view])}")
    allowed = _options_for(view, options)
    if allowed != options:
        extra = sorted(set(options) - set(allowed))
        raise TypeError(f"the {view} takes no option {', '.join(extra)}")
    if view == "measurement-plan":
        return _render_plan(project, format, templates, options.get("chart_images"), charts)
    if view == "report":
        from driverkit.output.report import render_report

        return render_report(project, format, charts, backend=backend, templates=templates, **options)
    if view == "measure-data":
        from driverkit.output.spreadsheet import measure_data_csv, measure_data_xlsx

        return (measure_data_csv if format == "csv" else measure_data_xlsx)(project.title, [charts.analysis(m) for m in charts.measures()])
    if view == "deck":
        from driverkit.output.pptx import deck

        options = dict(options)
        return deck(project, template=options.pop("pptx_template", None), backend=backend, **options)
    if view == "logic-model":
        return _render_logic(project, format, backend, templates, options)
    if view in ("pdsa", "spread"):
        return _render_page(project, view, format, templates)
    if view == "matrix":
        return _render_matrix(project, format, backend, templates, options)
    return _render_diagram(project, format, backend, options)


def _render_page(project: Project, view: str, format: str, templates: Optional[str | Path]) -> bytes:
    from driverkit.output.templating import render_template

    if view == "pdsa":
        from driverkit.documents.pdsa import build_pdsa_log

        log = build_pdsa_log(project)
        if format in ("csv", "xlsx"):
            from driverkit.output.spreadsheet import pdsa_csv, pdsa_xlsx

            return (pdsa_csv if format == "csv" else pdsa_xlsx)(log)
        context: dict[str, Any] = {"log": log}
    else:
        from driverkit.documents.spread import build_spread

        spread = build_spread(project)
        if format in ("csv", "xlsx"):
            from driverkit.output.spreadsheet import spread_csv, spread_xlsx

            return (spread_csv if format == "csv" else spread_xlsx)(spread)
        context = {"spread": spread}
    return render_template(f"{view}.{format}.j2", context, templates).encode("utf-8")


def _render_matrix(project: Project, format: str, backend: str, templates: Optional[str | Path], view: dict[str, Any]) -> bytes:
    from driverkit.documents.matrix import build_matrices

    if format in ("html", "md"):  # no font file to read for a page
        from driverkit.output.templating import render_template

        matrices = build_matrices(project, ViewOptions.for_project(project, **view))
        return render_template(f"matrix.{format}.j2", {"matrices": matrices}, templates).encode("utf-8")
    from driverkit.output.engine import PNG_DPI, find_backend, png_dpi
    from driverkit.output.matrix import matrix_dot, matrix_estimated_size

    with _view_options(project, view) as (options, font_dirs):
        matrices = build_matrices(project, options)
        dpi = png_dpi(*matrix_estimated_size(matrices)) if format == "png" else PNG_DPI
        return find_backend(backend).render(matrix_dot(matrices), format, font_dirs, dpi)


def _render_logic(project: Project, format: str, backend: str, templates: Optional[str | Path], view: dict[str, Any]) -> bytes:
    from driverkit.output.engine import PNG_DPI, find_backend, png_dpi
    from driverkit.documents.logic_model import build_logic_model
    from driverkit.output.logic_dot import logic_dot, logic_estimated_size

    logic = build_logic_model(project)
    if format in ("html", "md"):
        from driverkit.output.templating import render_template

        return render_template(f"logic-model.{format}.j2", {"logic": logic}, templates).encode("utf-8")
    with _view_options(project, view) as (options, font_dirs):
        source = logic_dot(logic, options)
        if format == "dot":
            return source.encode("utf-8")
        dpi = png_dpi(*logic_estimated_size(logic, options)) if format == "png" else PNG_DPI
        return find_backend(backend).render(source, format, font_dirs, dpi)


@contextlib.contextmanager
def _view_options(project: Project, view: dict[str, Any]) -> Iterator[tuple[ViewOptions, list[str]]]:
    """The view's options, and the font folders Graphviz is given. A project's own font file is
    read within the project's boundary and copied into a private temporary folder, which is all
    Graphviz sees of it (never the folder the font came from); the folder is removed afterwards."""
    options = ViewOptions.for_project(project, **view)
    if not options.font_file:
        yield options, []
        return
    data = _read_font(project, options.font_file)
    folder = Path(tempfile.mkdtemp(prefix="driverkit-font-"))
    try:
        suffix = Path(options.font_file).suffix.lower()
        font = folder / "fonts" / ("font" + (suffix if suffix in (".ttf", ".otf", ".ttc") else ".ttf"))
        font.parent.mkdir()
        font.write_bytes(data)
        yield dataclasses.replace(options, font_file=str(font)), [str(font.parent)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _read_font(project: Project, name: str) -> bytes:
    """The bytes of the project's font file, checked to be a font with a name Graphviz can take."""
    from driverkit.project.files import FileRefused, read_named, resolve_named
    from driverkit.output.textwidth import font_from_bytes

    try:
        path = resolve_named(name, project.file, project.allowed_paths, "font file")
        if not os.path.lexists(path):
            raise ValueError(f"the font file {path} does not exist")
        _, data = read_named(name, project.file, project.allowed_paths, "font file")
    except FileRefused as exc:
        raise ValueError(exc.reason + (f" ({exc.hint})" if exc.hint else "")) from None
    try:
        font_from_bytes(data)
    except ValueError as exc:
        raise ValueError(f"the font file {name} {exc}") from None
    return data


def _render_plan(project: Project, format: str, templates: Optional[str | Path], chart_images: Optional[str],
                 cache: ChartCache) -> bytes:
    from driverkit.documents.plan import build_plan

    plan = build_plan(project)
    if format == "csv":
        from driverkit.output.spreadsheet import plan_csv

        return plan_csv(plan)
    if format == "xlsx":
        from driverkit.output.spreadsheet import plan_xlsx

        return plan_xlsx(plan)
    from driverkit.output.templating import render_template

    charts = _plan_charts(cache, format, chart_images)
    return render_template(f"measurement-plan.{format}.j2", {"plan": plan, "charts": charts}, templates).encode("utf-8")


def _plan_charts(cache: ChartCache, format: str, chart_images: Optional[str]) -> list[dict[str, Any]]:
    """Each measure with data, its reading in words and its picture: in HTML an SVG data URI (an
    image of its own, so that the ids inside one chart cannot clash with another's); in Markdown a
    link to the image file, when `chart_images` says where the images are."""
    charts = []
    for measure in cache.measures():
        analysis = cache.analysis(measure)
        src = None
        if format == "html":  # matplotlib is loaded only for pages that have charts to show
            import base64

            picture = base64.b64encode(cache.picture(measure, "svg")).decode("ascii")
            src = f"data:image/svg+xml;base64,{picture}"
        elif chart_images:
            src = chart_images.replace("{id}", quote(str(measure.id)))
        charts.append({"measure": measure, "src": src, "summary": analysis.summary()[1:]})
    return charts


def _render_diagram(project: Project, format: str, backend: str, view: dict[str, Any]) -> bytes:
    from driverkit.output.dot import estimated_size, to_dot
    from driverkit.output.engine import PNG_DPI, RenderWarning, find_backend, png_dpi

    with _view_options(project, view) as (options, font_dirs):
        diagram = build_diagram(project, options)
        if diagram.omitted:
            shown = ", ".join(diagram.omitted[:5]) + (f" and {len(diagram.omitted) - 5} more" if len(diagram.omitted) > 5 else "")
            warnings.warn(RenderWarning(f"{len(diagram.omitted)} link(s) written in the file are not drawn: {shown}; "
                                        "`driverkit check` explains each"), stacklevel=2)
        if format == "mermaid":
            from driverkit.output.mermaid import to_mermaid

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


_SUFFIXES = {**{ext: name for name, ext in EXTENSIONS.items()}, "mermaid": "mermaid", "gv": "dot", "markdown": "md", "htm": "html"}


def render_to_file(project: Project, path: str | Path, format: Optional[str] = None, **options: Any) -> Path:
    """Render to `path` (the format from its suffix when not given), written atomically."""
    project.reindex()  # a project changed in place is drawn as it now is
    return _render_to_file(project, path, format, **options)


def _render_to_file(project: Project, path: str | Path, format: Optional[str] = None, **options: Any) -> Path:
    target = Path(path)
    by_suffix = _SUFFIXES.get(target.suffix.lstrip(".").lower())
    fmt = format or by_suffix
    if fmt is None:
        raise ValueError(f"cannot tell the format from the file name {target.name}: use a suffix such as .svg, "
                         f"or pass format= ({', '.join(FORMATS)})")
    if by_suffix and fmt != by_suffix:
        raise ValueError(f"{target.name} names a {by_suffix} file, but the format asked for is {fmt}")
    data = _render(project, fmt, **options)
    write_atomic(target, data)
    return target


@dataclass
class Rendered:
    """What happened to one project file in a batch."""

    source: str
    outputs: list[str]
    problems: list[str]  # why it was not rendered; empty when it was
    warnings: list[str] = dataclasses.field(default_factory=list)
    unwritable: list[str] = dataclasses.field(default_factory=list)  # outputs that could not be written, and why


def output_stems(files: Sequence[str], suffix: str = "") -> list[str]:
    """The output name (without extension) of each file: its stem, or, where two files share a
    stem, its path below the folder they have in common (`a/project`, `b/project`); then `suffix`
    made safe for a file name."""
    safe_suffix = safe_name(suffix)
    stems = [Path(f).stem for f in files]
    if len(set(stems)) == len(stems):
        return [stem + safe_suffix for stem in stems]
    paths = [Path(f).resolve().with_suffix("") for f in files]
    common = Path(os.path.commonpath([p.parent for p in paths]))
    return [str(p.relative_to(common)) + safe_suffix for p in paths]


def safe_name(text: str) -> str:
    """Text for a file name: no separators, nothing a shell or a folder would read."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text)


def render_files(files: Sequence[str], out_dir: str | Path, outputs: Sequence[tuple[str, str]], *, jobs: int = 0,
                 suffix: str = "", **options: Any) -> list[Rendered]:
    """Render many project files into `out_dir`, one process per core when there are several.

    `outputs` lists (view, format) pairs. A driver diagram is written as `<name>.<ext>`, another
    view as `<name>-<view>.<ext>` (the filters of a view of the diagram, `suffix`, are added to the
    names of the diagram and of its matrix). `options` are the views' options, and `templates` (a folder) and
    `allow` (places outside a project's folder that its files may be read from, as for `load`).
    """
    jobs = jobs or min(len(files), os.cpu_count() or 1)
    stems = output_stems(files)
    tasks = [(f, str(out_dir), tuple(outputs), stem, safe_name(suffix), options) for f, stem in zip(files, stems)]
    if jobs <= 1 or len(files) <= 1:
        return [_render_one(*task) for task in tasks]
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    # matplotlib's fonts cannot cross a fork (FreeType state is shared with the parent): once this
    # process has drawn a chart, the workers start from a fresh interpreter instead.
    fresh = "matplotlib" in sys.modules and "forkserver" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver") if fresh else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(_render_one_task, tasks, chunksize=max(1, len(tasks) // (jobs * 4))))


def _render_one_task(task: tuple[Any, ...]) -> Rendered:
    return _render_one(*task)


def _render_one(file: str, out_dir: str, outputs: tuple[tuple[str, str], ...], stem: str, suffix: str,
                options: dict[str, Any]) -> Rendered:
    try:
        return _render_file(file, out_dir, outputs, stem, suffix, options)
    except Exception as exc:  # one broken file must not stop the others; say what happened to it
        return Rendered(file, [], [f"{file}: internal error while drawing ({type(exc).__name__}: {exc}); please report it"])


def _render_file(file: str, out_dir: str, outputs: tuple[tuple[str, str], ...], stem: str, suffix: str,
                 options: dict[str, Any]) -> Rendered:
    from driverkit.project.diagnostics import ProjectError, Severity
    from driverkit.output.engine import RenderError
    from driverkit.project.loader import load

    try:
        project = load(file, allow=options.get("allow", ()))
    except ProjectError as exc:
        return Rendered(file, [], [str(d) for d in exc.diagnostics if d.severity == Severity.ERROR])
    written: list[str] = []
    problems: list[str] = []
    unwritable: list[str] = []
    charts = ChartCache(project)  # every chart drawn once, whatever the views
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for view, fmt in outputs:  # one output that fails does not stop the others
            # filters name the views they apply to: the diagram and its matrix
            name = stem + suffix if view == "driver-diagram" else f"{stem}-{view}" + (suffix if view in ("matrix", "deck") else "")
            target = Path(out_dir) / f"{name}.{EXTENSIONS[fmt]}"
            try:
                chosen = _options_for(view, {k: v for k, v in options.items() if k not in ("templates", "allow")})
                if (view, fmt) == ("measurement-plan", "md"):  # its charts beside it, named as `driverkit chart` names them
                    written += _write_charts(charts, target.parent, Path(stem).name)
                    chosen["chart_images"] = quote(Path(stem).name) + "-{id}.svg"  # relative to the Markdown
                _render_to_file(project, target, fmt, view=view, templates=options.get("templates"), charts=charts, **chosen)
                written.append(str(target))
            except (RenderError, ValueError) as exc:
                problems.append(f"{file}: {view} as {fmt}: {exc}")
            except OSError as exc:
                unwritable.append(f"{file}: {view} as {fmt}: {exc}")
    notes = list(dict.fromkeys(f"{file}: {w.message}" for w in caught if issubclass(w.category, UserWarning)))
    return Rendered(file, written, problems, notes, unwritable)


def _write_charts(cache: ChartCache, out_dir: Path, stem: str) -> list[str]:
    """The SVG chart of every measure with data, written to `<stem>-<id>.svg` in `out_dir`."""
    written = []
    for measure in cache.measures():
        target = out_dir / f"{stem}-{measure.id}.svg"
        write_atomic(target, cache.picture(measure, "svg"))
        written.append(str(target))
    return written


def _options_for(view: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options that apply to a view: the driver diagram and its link matrix take them all, the
    logic model all but the diagram's filters, the pages none (their templates folder is a separate
    argument)."""
    options = {k: v for k, v in options.items() if OWN_OPTIONS.get(k, view) == view}
    if view in ("driver-diagram", "matrix", "deck"):
        return dict(options)
    if view == "logic-model":
        return {k: v for k, v in options.items() if k not in ("primary", "statuses", "tags")}
    if view == "measurement-plan":
        return {k: v for k, v in options.items() if k == "chart_images"}
    if view == "report":  # the report's driver diagram is drawn as the diagram view would draw it
        return {k: v for k, v in options.items() if k not in ("primary", "statuses", "tags")}
    return {}
