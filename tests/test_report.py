"""The one-page project report: what a board member reads, printed on A4, drawn once per call."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.documents.report import RECENT_DAYS, recent_cycles, spread_status
from driverkit.output import report as report_module

from .conftest import ROOT

MATERNITY = ROOT / "examples" / "maternity.yaml"

BARE = """
driverkit: 1
title: "Falls <script>alert('x')</script> & more"
aim: {statement: "Reduce falls from 8 to 6 per 1,000 bed days by 2026-12-31", measures: [M1]}
drivers:
  - id: P1
    text: "Safe <b>mobility</b>"
    changes:
      - {id: C1, text: "Night-time checks \\"hourly\\""}
measures:
  - {id: M1, name: Falls rate, family: outcome}
"""


@pytest.fixture(scope="module")
def maternity() -> driverkit.Project:
    return driverkit.load(MATERNITY)


@pytest.fixture(scope="module")
def maternity_html(maternity: driverkit.Project) -> str:
    return driverkit.render(maternity, "html", view="report").decode("utf-8")


def _text(html: str) -> str:
    """The page's words, tags and styles removed, spaces joined."""
    html = re.sub(r"(?s)<style>.*?</style>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_report_says_where_the_aim_stands(maternity_html: str) -> None:
    text = _text(maternity_html)
    assert "Reduce the stillbirth rate for babies born in England from 4.1" in text
    # baseline, target with its date, latest value and period of the outcome measure, and the reading
    assert re.search(r"Baseline Target Latest value Centre line now Progress 4\.1 per 1,000 births 3\.3 by 31 December 2020 "
                     r"[\d.]+ 2020-12 [\d.]+ \d+% of the way", text), text[:2000]
    assert re.search(r"Outcome measure M1 Stillbirth rate ?: no signal: the variation is what the rules expect by chance", text)


def test_each_measure_with_data_has_its_chart_and_reading(maternity: driverkit.Project, maternity_html: str) -> None:
    with_data = [m for m in maternity.measures if m.data or m.data_file]
    charts = re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,', maternity_html)
    assert len(charts) == len(with_data) == 4
    text = _text(maternity_html)
    for measure in with_data:
        assert f"{measure.id} {measure.name}" in text
    assert "C1.1.1 introduced 2017-03-31" in text  # a change idea placed on M1's chart
    assert "No data yet for 19 measures: M2 Neonatal mortality rate;" in text


def test_the_page_is_self_contained(maternity_html: str) -> None:
    assert re.findall(r'\bsrc="([^"]*)"', maternity_html)
    assert all(src.startswith("data:image/") for src in re.findall(r'\bsrc="([^"]*)"', maternity_html))
    assert not re.search(r"""(href|src)=["']?(https?:)?//|url\(|@import""", maternity_html)
    assert "<script" not in maternity_html.lower()


def test_recent_cycles_are_the_last_period_before_the_latest_cycle(maternity: driverkit.Project, maternity_html: str) -> None:
    recent = recent_cycles(maternity)
    latest = max(dt.date.fromisoformat(str(c.end or c.start)) for c in maternity.pdsa)
    assert recent.end == latest and (recent.end - recent.start).days == RECENT_DAYS - 1
    assert 0 < len(recent.cycles) < recent.total == len(maternity.pdsa)
    for cycle in maternity.pdsa:
        start, end = dt.date.fromisoformat(str(cycle.start)), dt.date.fromisoformat(str(cycle.end or cycle.start))
        inside = end >= recent.start and start <= recent.end
        assert inside == any(r.view.cycle is cycle for r in recent.cycles), cycle.id
    text = _text(maternity_html)
    assert f"{len(recent.cycles)} of {recent.total} cycles ran in the 90 days up to the latest cycle date ({recent.period})" in text


def test_spread_by_wave_and_site(maternity: driverkit.Project, maternity_html: str) -> None:
    status = spread_status(maternity)
    assert [w.title for w in status.waves][:2] == ["Wave 1", "Wave 2"]
    first = status.waves[0].sites[0]
    assert first.name == "Northfield Hospitals NHS Foundation Trust"
    assert first.counts["adopted"] == 2 and first.counts["testing"] == 4
    assert "Northfield Hospitals NHS Foundation Trust 2 4 0 0" in _text(maternity_html)


def test_a_bare_project_gets_short_honest_lines_and_escaped_text() -> None:
    html = driverkit.render(driverkit.loads(BARE), "html", view="report").decode("utf-8")
    text = _text(html)
    assert "No measure has data yet" in text
    assert "No outcome measure has data yet, so progress towards the aim cannot be shown." in text
    assert "No PDSA cycles are recorded yet." in text
    assert "No spread plan yet." in text
    assert "<tbody>\n</tbody>" not in html and "<ul></ul>" not in html  # no empty boxes
    # project text goes through escape.html: no markup of its own reaches the page
    assert "<script>" not in html and "<b>mobility" not in html
    assert "Falls &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    assert "warning" in text  # the diagnostics that stand (no balancing measure, etc.)


def test_the_diagnostics_that_stand_are_listed() -> None:
    project = driverkit.loads(BARE)
    standing = [d for d in driverkit.check(project) if d.severity.value in ("error", "warning")]
    assert standing
    text = _text(driverkit.render(project, "html", view="report").decode("utf-8"))
    for d in standing:
        assert f"{d.severity.value} {d.code} line {d.line}:" in text


def test_each_chart_is_drawn_once_per_render_call(tmp_path: Path, monkeypatch, capsys) -> None:
    from driverkit.spc import analysis, charts

    drawn: list[str] = []
    read: list[str] = []
    real_chart, real_analyse = charts.chart, analysis.analyse

    def counting_chart(project, measure, format="svg", analysis=None):  # type: ignore[no-untyped-def]
        drawn.append(f"{measure.id}.{format}")
        return real_chart(project, measure, format, analysis)

    def counting_analyse(project, measure, graph=None, **kw):  # type: ignore[no-untyped-def]
        if kw.get("with_events", True):  # `check`, run for the report's diagnostics, reads without events
            read.append(str(getattr(measure, "id", measure)))
        return real_analyse(project, measure, graph, **kw)

    monkeypatch.setattr(charts, "chart", counting_chart)
    monkeypatch.setattr(analysis, "analyse", counting_analyse)
    code = main(["render", str(MATERNITY), "-o", str(tmp_path), "--view", "measurement-plan,report,measure-data",
                 "-f", "html,md,csv,xlsx", "--jobs", "1"])
    assert code == 0, capsys.readouterr().err
    assert sorted(drawn) == ["M1.svg", "M15.svg", "M3.svg", "M7.svg"]  # HTML plan, Markdown plan's files and report share them
    assert (tmp_path / "maternity-report.html").exists() and (tmp_path / "maternity-measurement-plan.md").exists()
    assert sorted(read) == ["M1", "M15", "M3", "M7"]  # and each measure's data read once for all the views


def _pdf_pages(data: bytes) -> list[tuple[float, float]]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


@pytest.mark.parametrize("engine", ["chromium", "xhtml2pdf"])
def test_pdf_is_a4_portrait_and_byte_identical(maternity: driverkit.Project, engine: str) -> None:
    if engine == "chromium" and report_module.find_chromium() is None:
        pytest.skip("no Chromium on the PATH")
    if engine == "xhtml2pdf":
        pytest.importorskip("xhtml2pdf", reason="the pure-Python PDF engine is not installed")
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    first = driverkit.render(project, "pdf", view="report", pdf_engine=engine)
    assert first.startswith(b"%PDF") and first == driverkit.render(project, "pdf", view="report", pdf_engine=engine)
    pages = _pdf_pages(first)
    assert pages and all(abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 for w, h in pages)
    import pypdf

    words = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(first)).pages)
    assert "Antibiotics within the hour" in " ".join(words.split())


def test_without_chromium_the_pdf_comes_from_xhtml2pdf(monkeypatch) -> None:
    pytest.importorskip("xhtml2pdf", reason="the pure-Python PDF engine is not installed")
    monkeypatch.setattr(report_module, "find_chromium", lambda: None)
    data = driverkit.render(driverkit.loads(BARE), "pdf", view="report")
    assert data.startswith(b"%PDF") and b"D:20000101000000" in data  # reportlab's invariant dates
    with pytest.raises(ValueError, match="no Chromium found"):
        driverkit.render(driverkit.loads(BARE), "pdf", view="report", pdf_engine="chromium")


def test_pdf_dates_are_fixed_without_moving_any_byte() -> None:
    sample = b"<< /CreationDate (D:20261206001500+00'00') /ModDate (D:20261206001500+00'00') >>\n/ID [<ABCDEF12> <34567890>]"
    fixed = report_module.fix_pdf_dates(sample)
    assert len(fixed) == len(sample)
    assert b"2026" not in fixed and b"<00000000> <00000000>" in fixed


def test_the_page_is_the_same_bytes_run_to_run(maternity: driverkit.Project, maternity_html: str) -> None:
    assert driverkit.render(maternity, "html", view="report").decode("utf-8") == maternity_html
