"""driverkit in Jupyter: an analysis as a table and a chart, DataFrames, HTML views shown inline,
and a real notebook run through a kernel."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import driverkit
from tests.conftest import ROOT

MATERNITY = ROOT / "examples" / "maternity.yaml"


@pytest.fixture(scope="module")
def project() -> driverkit.Project:
    return driverkit.load(MATERNITY)


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_an_analysis_shows_as_its_reading_and_its_chart(project) -> None:
    analysis = driverkit.analyse(project, "M7")
    shown = analysis._repr_html_()
    assert shown.startswith('<div class="driverkit-analysis"><strong>M7 Hypothermia on admission')
    assert "<th>centre</th>" in shown and "<td>2016-01 to 2017-12</td>" in shown
    for line in analysis.summary():
        assert line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;") in shown
    assert "<?xml" not in shown and shown.count("<svg") == 1


def test_two_charts_in_one_notebook_share_no_id(project) -> None:
    first, second = driverkit.analyse(project, "M7")._repr_html_(), driverkit.analyse(project, "M7")._repr_html_()
    assert ids(first) and not set(ids(first)) & set(ids(second))
    for page in (first, second):  # every reference still finds its target
        names = set(ids(page))
        assert names >= set(re.findall(r"url\(#([^)]+)\)", page)) | set(re.findall(r'href="#([^"]+)"', page))


def test_the_charts_stylesheet_cannot_restyle_the_notebook(project) -> None:
    shown = driverkit.analyse(project, "M7")._repr_html_()
    for css in re.findall(r"<style[^>]*>(.*?)</style>", shown, re.S):
        for selector in re.findall(r"([^{}]+)\{", css):
            assert all(s.strip().startswith("svg.dk") for s in selector.split(",")), selector


def test_text_from_the_project_is_escaped_in_the_analysis() -> None:
    text = MATERNITY.read_text(encoding="utf-8")
    project = driverkit.loads(text.replace("Hypothermia on admission", "<script>alert(1)</script> Hypothermia on admission"),
                              str(MATERNITY))
    shown = driverkit.analyse(project, "M7")._repr_html_()
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_an_analysis_as_a_dataframe(project) -> None:
    analysis = driverkit.analyse(project, "M7")
    frame = analysis.to_dataframe()
    assert list(frame.columns) == ["period", "value", "excluded", "centre", "lower", "upper", "signal", "signals"]
    assert len(frame) == len(analysis.periods) and frame["period"].tolist() == analysis.periods
    assert frame["centre"].iloc[0] == pytest.approx(analysis.centre[0])
    flagged = analysis.signal_points()
    assert set(frame.index[frame["signal"]]) == flagged
    assert all(bool(rules) == (i in flagged) for i, rules in enumerate(frame["signals"]))


def test_diagnostics_as_a_dataframe(project) -> None:
    found = driverkit.check_text("driverkit: 1\ntitle: T\naim: {improve: x}\nowner: me\n", "bad.yaml")
    frame = driverkit.diagnostics_frame(found)
    assert frame.to_dict("records")[0] | {"hint": ""} == {
        "code": "DK003", "name": "unknown-key", "severity": "error", "message": "unknown key `owner`", "file": "bad.yaml",
        "line": 4, "column": 1, "hint": "", "path": "owner", "element": ""}
    assert len(driverkit.diagnostics_frame({"a.yaml": found, "b.yaml": found})) == 2


def test_a_clear_error_without_pandas(project, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"needs pandas, which is not installed: pip install pandas"):
        driverkit.analyse(project, "M7").to_dataframe()
    with pytest.raises(ImportError, match="pip install pandas"):
        driverkit.diagnostics_frame([])


class _Frames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


@pytest.mark.parametrize("view", ["measurement-plan", "pdsa", "spread", "matrix"])
def test_an_html_view_shows_inline_in_a_sandboxed_frame(project, view: str) -> None:
    shown = driverkit.show(project, view)
    page = driverkit.render(project, "html", view=view).decode("utf-8")
    parser = _Frames()
    parser.feed(shown._repr_html_())
    assert parser.tags == ["div", "iframe"]  # nothing of the page (its <style> above all) reaches the notebook itself
    frame = parser.frames[0]
    assert frame["srcdoc"] == page and frame["sandbox"] == ""  # the page as render made it, and no scripts
    assert shown.page == page


def test_a_hostile_title_cannot_leave_the_frame(project) -> None:
    hostile = project.model_copy(update={"title": '"></iframe><script>alert(1)</script>'})
    shown = driverkit.show(hostile, "pdsa")._repr_html_()
    assert "<script>" not in shown and shown.count("<iframe") == 1


# -- a notebook, run -------------------------------------------------------------------------

def test_the_notebook_runs_and_shows_diagram_chart_frame_and_plan(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    # A kernel spec of this interpreter, in a folder of the test's own: no kernel is installed for
    # the user, and the notebook runs in the environment the tests run in.
    spec = tmp_path / "kernels" / "driverkit-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        '{"argv": [%s, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "driverkit test", "language": "python"}'
        % __import__("json").dumps(sys.executable), encoding="utf-8")
    manager = KernelManager(kernel_name="driverkit-test", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))

    notebook = nbformat.read(ROOT / "tests" / "data" / "notebook.ipynb", as_version=4)
    client = nbclient.NotebookClient(notebook, km=manager, timeout=180, resources={"metadata": {"path": str(ROOT)}})
    client.execute()

    outputs = [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]
    errors = [o for cell in outputs for o in cell if o["output_type"] == "error"]
    assert errors == []
    diagram, chart, second, frame, counts, plan = ([o for o in cell if o["output_type"] == "execute_result"][0]["data"] for cell in outputs)
    assert diagram["image/svg+xml"].lstrip().startswith(("<?xml", "<svg", "<!--"))
    assert '<div class="driverkit-analysis"><strong>M7 ' in chart["text/html"] and "<svg" in chart["text/html"]
    assert not set(ids(chart["text/html"])) & set(ids(second["text/html"]))  # two charts, no id in common
    assert "<table" in frame["text/html"] and "centre" in frame["text/html"] and "2016-01" in frame["text/html"]
    assert "DK301" in counts["text/html"] and "draft.yaml" not in counts["text/html"]  # the columns chosen
    assert plan["text/html"].startswith('<div class="driverkit-view"><iframe') and "Measurement plan" in plan["text/html"]
