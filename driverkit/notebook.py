"""driverkit in Jupyter: how an analysis shows itself, the HTML views shown inline, and
diagnostics as a pandas DataFrame.

- An `Analysis` shows as a table of its reading and its chart (inline SVG whose ids are made
  unique, so two charts in one notebook never take each other's clip paths or markers).
- `show(project, view)` returns an object Jupyter displays: the HTML page of a view (measurement
  plan, PDSA log, spread plan, matrix) in a sandboxed `<iframe srcdoc>`. The page keeps its own
  stylesheet and the notebook keeps its: neither can restyle the other, whatever selectors the
  (possibly user-supplied) templates use, and the page's ids cannot clash with the notebook's.
- `diagnostics_frame(diagnostics)`: one row a diagnostic. pandas is imported only when asked.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Iterable, Mapping, Optional, Union

from driverkit.output.escape import html
from driverkit.project.diagnostics import Diagnostic
from driverkit.spc.analysis import Analysis, require_pandas

VIEWS = ("measurement-plan", "pdsa", "spread", "matrix", "logic-model")

_charts = itertools.count(1)  # numbers the charts shown in this process: their ids' prefix


def diagnostics_frame(diagnostics: Union[Iterable[Diagnostic], Mapping[str, Iterable[Diagnostic]]]) -> Any:
    """Diagnostics as a pandas DataFrame, one row each: code, name, severity, message, file, line,
    column, hint, path and element (the last two place the problems of a project built in code).
    Takes a list (as `check` returns) or a mapping of file to list."""
    pandas = require_pandas("driverkit.diagnostics_frame()")
    found = [d for ds in diagnostics.values() for d in ds] if isinstance(diagnostics, Mapping) else list(diagnostics)
    columns = ["code", "name", "severity", "message", "file", "line", "column", "hint", "path", "element"]
    rows = [[d.code, d.name, d.severity.value, d.message, d.file, d.line, d.column, d.hint, d.path, d.element] for d in found]
    return pandas.DataFrame(rows, columns=columns)


class HTMLView:
    """An HTML page shown inline in Jupyter. `page` is the whole page, as `render` made it."""

    def __init__(self, page: str, title: str = "", height: int = 600):
        self.page = page
        self.title = title
        self.height = height

    def _repr_html_(self) -> str:
        # No allow-scripts in the sandbox: a page made from someone's templates cannot run code.
        return (f'<div class="driverkit-view"><iframe title="{html(self.title)}" sandbox="" '
                f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #d1d5db; resize: vertical" '
                f'srcdoc="{html(self.page)}"></iframe></div>')

    def __repr__(self) -> str:
        return f"<HTMLView {self.title or 'page'}: {len(self.page)} characters>"


def show(project: Any, view: str = "measurement-plan", height: int = 600, **options: Any) -> HTMLView:
    """A view of a project as HTML that Jupyter shows inline (`options` as for `driverkit.render`)."""
    from driverkit.output.rendering import render

    page = render(project, "html", view=view, **options).decode("utf-8")
    return HTMLView(page, f"{view}: {project.title}", height)


# -- an Analysis in Jupyter -------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')


def unique_ids(svg: str, prefix: str) -> str:
    """An SVG with every id, and every reference to one (`url(#x)`, `href="#x"`), prefixed."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}{name}" if name in ids else match.group(0)

    svg = re.sub(r'(\bid=")([^"]+)(?=")', rename, svg)
    svg = re.sub(r"(url\(#)([^)]+)(?=\))", rename, svg)
    return re.sub(r'(href="#)([^"]+)(?=")', rename, svg)


def chart_svg(analysis: Analysis, prefix: Optional[str] = None) -> str:
    """The chart of an analysis as SVG text to put inside HTML: no XML prologue, unique ids."""
    from driverkit.spc.charts import chart

    # The analysis is at hand, so the chart needs no project to read the data from.
    svg = chart(None, analysis.measure, "svg", analysis).decode("utf-8")  # type: ignore[arg-type]
    svg = svg[svg.index("<svg"):]
    prefix = prefix or f"dk{next(_charts)}-"
    # Its root gets a class of its own, and the rules of its stylesheet (matplotlib writes `*{...}`)
    # are scoped to it: a <style> inside inline SVG applies to the whole notebook page.
    root = f"{prefix}chart"
    svg = svg.replace("<svg ", f'<svg class="{root}" style="max-width: 100%; height: auto" ', 1)
    svg = re.sub(r"(<style[^>]*>)(.*?)(</style>)", lambda m: m.group(1) + _scoped(m.group(2), f"svg.{root}") + m.group(3),
                 svg, flags=re.S)
    return unique_ids(svg, prefix)


def _scoped(css: str, scope: str) -> str:
    """Plain CSS rules (no at-rules) with each selector put under `scope`."""
    def rule(match: re.Match[str]) -> str:
        selectors = [s.strip() for s in match.group(1).split(",")]
        return ", ".join(f"{scope} {s}" for s in selectors if s) + " {"

    return re.sub(r"([^{}]+)\{", rule, css)


def _number(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.4g}"


def analysis_html(analysis: Analysis) -> str:
    """An analysis as HTML: the measure, the reading of each phase in a table, the reading in
    words, and the chart. Every text from the project is escaped."""
    measure = analysis.measure
    title = f"{measure.id} {measure.name}" if getattr(measure, "name", None) else str(measure.id)
    parts = [f'<div class="driverkit-analysis"><strong>{html(title)}</strong> '
             f"<span>({html(analysis.chart)} chart, {html(analysis.profile)} rules)</span>"]
    if analysis.phases:
        parts.append("<table><thead><tr><th>phase</th><th>periods</th><th>points</th><th>centre</th>"
                     "<th>lower</th><th>upper</th><th>signals</th></tr></thead><tbody>")
        for phase in analysis.phases:
            periods = f"{analysis.periods[phase.first]} to {analysis.periods[phase.last]}"
            cells = [phase.label, periods, str(phase.n), _number(phase.centre), _number(phase.lower),
                     _number(phase.upper), str(phase.signals)]
            parts.append("<tr>" + "".join(f"<td>{html(str(cell))}</td>" for cell in cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("<ul>" + "".join(f"<li>{html(line)}</li>" for line in analysis.summary()) + "</ul>")
    if analysis.periods:
        parts.append(f'<div class="driverkit-chart">{chart_svg(analysis)}</div>')
    parts.append("</div>")
    return "\n".join(parts)
