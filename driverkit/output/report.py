"""The one-page project report, as HTML and as PDF, for a board member to read in five minutes.

It says where the project stands: the aim with its date and progress (baseline, target, the
latest value of the outcome measure and what its chart says), the driver diagram, each measure
with its chart and its reading in words, the PDSA cycles of the last period, the spread by site
and wave, and the diagnostics of `driverkit check` that still stand. A section with nothing to say
is left out, or says in one line that there is nothing yet.

The HTML is one self-contained file: CSS inline, pictures inline as data URIs, nothing fetched.
Every value from the project reaches the page through the sandboxed template (autoescaped by
driverkit.output.escape.html).

The PDF is printed from that page on A4 portrait. With a system Chromium (found on the PATH) the
page itself is printed: the same HTML, the best fidelity. Without one, xhtml2pdf (pure Python, from
PyPI) lays the same template out; it cannot draw SVG from Graphviz, so there the pictures are PNG.
Either way the PDF's dates and document id are fixed, so the same project gives the same bytes
with the same engine.
"""

from __future__ import annotations

import base64
import math
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from driverkit.documents.aim import aim_view
from driverkit.documents.report import RECENT_DAYS, recent_cycles, spread_status
from driverkit.output.chart_cache import ChartCache
from driverkit.project.model import Measure, Project
from driverkit.spc.analysis import Analysis, icon_words

PDF_ENGINES = ("auto", "chromium", "xhtml2pdf")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FAMILY_ORDER = {"outcome": 0, "process": 1, "balancing": 2}
# The printable frame of A4 portrait with 12 mm margins, in points, for xhtml2pdf's pictures.
FRAME_WIDTH_PT = (210 - 24) / 25.4 * 72
FRAME_HEIGHT_PT = (297 - 24) / 25.4 * 72 - 60  # room for a heading above a tall diagram
FIXED_PDF_DATE = b"D:20000101000000Z"


@dataclass
class MeasureReading:
    """One measure with data: its chart and what the chart says, in words."""

    measure: Measure
    src: str  # the chart as a data URI
    headline: str  # one sentence: latest value, and what the rules see
    lines: list[str]  # the full reading (Analysis.summary without its title line)
    events: list[str] = field(default_factory=list)  # change ideas and cycles placed on the chart
    width: float = 0.0  # the picture's size in points (xhtml2pdf only)
    height: float = 0.0


@dataclass
class Progress:
    """The aim's figures and where the outcome measure stands."""

    baseline: Optional[float]
    target: Optional[float]
    unit: str
    measure: Optional[Measure]  # the outcome measure with data, when there is one
    latest: Optional[float] = None
    latest_period: str = ""
    centre: Optional[float] = None  # the centre line of the chart's last phase
    reading: str = ""  # what its chart says

    @property
    def share(self) -> Optional[int]:
        """How far the centre line has moved from the baseline to the target, in percent, or None."""
        if self.baseline is None or self.target is None or self.centre is None or self.baseline == self.target:
            return None
        return round(100 * (self.baseline - self.centre) / (self.baseline - self.target))


def _number(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.4g}"


def reading_words(analysis: Analysis) -> str:
    """What a chart says, in one sentence a board member reads."""
    if not analysis.values:
        return "no data could be read" + (f" ({analysis.problems[0]})" if analysis.problems else "")
    if analysis.variation_icon or analysis.assurance_icon:
        words = [icon_words(i) for i in (analysis.variation_icon, analysis.assurance_icon) if i]
        return "Making Data Count: " + "; ".join(w for w in words if w)
    if analysis.signals:
        details = [s.detail for s in analysis.signals[:3]]
        more = f" and {len(analysis.signals) - 3} more" if len(analysis.signals) > 3 else ""
        return f"{len(analysis.signals)} signal(s) of non-random variation: " + "; ".join(details) + more
    if analysis.phases and all(ph.useful < 2 for ph in analysis.phases):
        return "not read yet: too few points off the centre line"
    return "no signal: the variation is what the rules expect by chance"


def _latest(analysis: Analysis) -> tuple[Optional[float], str, Optional[float]]:
    """The latest kept value, its period, and the centre line there."""
    for i in range(len(analysis.values) - 1, -1, -1):
        if not analysis.excluded[i]:
            centre = analysis.centre[i] if i < len(analysis.centre) else None
            return analysis.values[i], analysis.periods[i], centre
    return None, "", None


def _data_uri(data: bytes, kind: str) -> str:
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _fit(size: tuple[int, int], width: float, height: float) -> tuple[float, float]:
    """A picture of `size` scaled to fit `width` x `height` points, keeping its shape."""
    scale = min(width / max(size[0], 1), height / max(size[1], 1))
    return math.floor(size[0] * scale), math.floor(size[1] * scale)


def build_report(project: Project, charts: ChartCache, diagram: bytes, pictures: str = "svg") -> dict[str, Any]:
    """The report's context for its template. `diagram` is the driver diagram in `pictures` (svg or png)."""
    from driverkit.programme.checking import check
    from driverkit.project.diagnostics import Severity

    kind = "image/svg+xml" if pictures == "svg" else "image/png"
    measures = sorted(charts.measures(), key=lambda m: FAMILY_ORDER.get(m.family, 3))
    readings = []
    for measure in measures:
        analysis = charts.analysis(measure)
        picture = charts.picture(measure, pictures)
        latest, period, _ = _latest(analysis)
        headline = (f"Latest {_number(latest)}{' ' + measure.unit if measure.unit else ''} ({period}). " if latest is not None else "")
        events = [f"{e.id} {'introduced' if e.kind == 'change' else 'started'} {e.date.isoformat()} (at {analysis.periods[e.index]}): {e.text}"
                  for e in analysis.events]
        words = reading_words(analysis)
        reading = MeasureReading(measure, _data_uri(picture, kind), headline + words[:1].upper() + words[1:] + ".",
                                 [line.strip() for line in analysis.summary()[1:] if not _is_event_line(line, analysis)], events)
        if pictures == "png":
            reading.width, reading.height = _fit(_png_size(picture), FRAME_WIDTH_PT, FRAME_HEIGHT_PT / 2)
        readings.append(reading)
    diagram_size = _fit(_png_size(diagram), FRAME_WIDTH_PT, FRAME_HEIGHT_PT) if pictures == "png" else (0, 0)
    diagnostics = check(project)
    standing = [d for d in diagnostics if d.severity in (Severity.ERROR, Severity.WARNING)]
    return {
        "title": project.title,
        "description": project.description or "",
        "aim": aim_view(project),
        "progress": _progress(project, charts),
        "diagram": _data_uri(diagram, kind),
        "diagram_size": diagram_size,
        "readings": readings,
        "no_data": [m for m in project.measures if not (m.data or m.data_file)],
        "recent": recent_cycles(project),
        "recent_days": RECENT_DAYS,
        "spread": spread_status(project),
        "diagnostics": standing,
        "notes": sum(1 for d in diagnostics if d.severity == Severity.INFO),
        "file": os.path.basename(project.file) if project.file else "",
        "pictures": pictures,
    }


def _is_event_line(line: str, analysis: Analysis) -> bool:
    """The summary's lines about change ideas and cycles, which the report lists apart."""
    return any(line.strip().startswith(f"{e.id} ") for e in analysis.events)


def _progress(project: Project, charts: ChartCache) -> Progress:
    aim = project.aim
    named = {str(m.id): m for m in project.measures}
    candidates = [named[i] for i in aim.measures if i in named] + [m for m in project.measures if m.family == "outcome"]
    outcome = next((m for m in candidates if m.family == "outcome" and (m.data or m.data_file)), None)
    progress = Progress(aim.baseline, aim.target, aim.unit or "", outcome)
    if outcome is not None:
        analysis = charts.analysis(outcome)
        progress.latest, progress.latest_period, progress.centre = _latest(analysis)
        progress.reading = reading_words(analysis)
    return progress


def render_report(project: Project, format: str, charts: ChartCache, *, backend: str = "auto",
                  templates: Optional[str | Path] = None, pdf_engine: str = "auto", **view: Any) -> bytes:
    """The report as HTML or PDF bytes. `view` holds the driver diagram's options (theme, show_ids...);
    `pdf_engine` is auto (a system Chromium when there is one, else xhtml2pdf), chromium or xhtml2pdf."""
    if pdf_engine not in PDF_ENGINES:
        raise ValueError(f"unknown PDF engine {pdf_engine!r}: use {', '.join(PDF_ENGINES)}")
    chromium = find_chromium() if pdf_engine in ("auto", "chromium") else None
    if pdf_engine == "chromium" and chromium is None:
        raise ValueError("no Chromium found on the PATH (chromium, chromium-browser, google-chrome): install one, "
                         "or use the xhtml2pdf engine")
    pictures = "png" if format == "pdf" and chromium is None else "svg"
    html = report_html(project, charts, pictures, backend, templates, view)
    if format == "html":
        return html.encode("utf-8")
    if chromium is not None:
        return chromium_pdf(html, chromium)
    return xhtml2pdf_pdf(html)


def report_html(project: Project, charts: ChartCache, pictures: str, backend: str,
                templates: Optional[str | Path], view: dict[str, Any]) -> str:
    from driverkit.output.rendering import _render_diagram
    from driverkit.output.templating import render_template

    diagram = _render_diagram(project, pictures, backend, view)
    return render_template("report.html.j2", build_report(project, charts, diagram, pictures), templates)


def find_chromium() -> Optional[str]:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_pdf(html: str, chromium: str, timeout: float = 120) -> bytes:
    """The page printed by a headless Chromium, from a private folder, with its dates and id fixed."""
    from driverkit.output.engine import RenderError

    folder = Path(tempfile.mkdtemp(prefix="driverkit-report-"))
    try:
        page, pdf = folder / "report.html", folder / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                   f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RenderError(f"Chromium did not print the report within {timeout:.0f} seconds") from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise RenderError(f"Chromium could not print the report (exit {done.returncode}: {said[0]})")
        return fix_pdf_dates(pdf.read_bytes())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\()D:[0-9]{14}[^)]*(\))")
_PDF_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)")


def fix_pdf_dates(data: bytes) -> bytes:
    """The same PDF with its creation and modification dates and its document id fixed. Each is
    replaced by text of exactly the same length, so every byte offset in the file stays right."""
    def date(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = match.group(1) + FIXED_PDF_DATE + match.group(2)
        return new.ljust(len(old), b" ")[:len(old)] if len(new) <= len(old) else old

    def ident(match: re.Match[bytes]) -> bytes:
        return match.group(1) + b"0" * len(match.group(2)) + match.group(3) + b"0" * len(match.group(4)) + match.group(5)

    return _PDF_ID.sub(ident, _PDF_DATE.sub(date, data))


def xhtml2pdf_pdf(html: str) -> bytes:
    """The page laid out by xhtml2pdf (pure Python), with reportlab's fixed dates and document id."""
    import io

    from driverkit.output.engine import RenderError

    try:
        from reportlab import rl_config
        from xhtml2pdf import pisa
    except ImportError:
        raise RenderError("a PDF report needs xhtml2pdf (`pip install xhtml2pdf`) or a system Chromium") from None
    import logging

    out = io.BytesIO()
    invariant = rl_config.invariant
    rl_config.invariant = 1  # reportlab's own switch for byte-identical files: fixed dates and id
    quiet = logging.getLogger("xhtml2pdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # it logs CSS it does not know (e.g. print-only rules) as errors
    try:
        result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=_no_links)
    finally:
        rl_config.invariant = invariant
        quiet.setLevel(level)
    if result.err:
        raise RenderError(f"xhtml2pdf could not lay the report out ({result.err} error(s))")
    return out.getvalue()


def _no_links(uri: str, rel: str) -> str:
    """What xhtml2pdf may open for the page: its data URIs and the shipped DejaVu fonts, nothing else."""
    if uri.startswith("data:"):
        return uri
    if uri in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        return str(Path(__file__).resolve().parent.parent / "fonts" / uri)
    return ""
