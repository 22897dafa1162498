"""Hostile data files: files outside the project, pipes and devices, files that are not CSV, and
CSV content that used to crash (bare CR, huge cells, nan, overflow) or to be drawn as TeX."""

from __future__ import annotations

import base64
import json
import os
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.spc.series import MAX_POINTS, load_series

PROJECT = """driverkit: 1
title: Fewer falls
aim: {improve: falls, measures: [M1]}
measures:
  - id: M1
    name: Falls
    family: outcome
    data_file: DATA
"""
SECRET = "root:x:0:0:SECRET-TOKEN-4f9a:/root:/bin/bash"


def repo(tmp_path: Path, data_file: str, csv_text: str | None = None, csv_name: str = "falls.csv") -> Path:
    """A project in a git working tree (tmp/repo) naming `data_file`; `csv_text` is written in the tree."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True, exist_ok=True)
    if csv_text is not None:
        (root / csv_name).write_text(csv_text, encoding="utf-8", newline="")
    project = root / "project.yaml"
    project.write_text(PROJECT.replace("DATA", json.dumps(data_file)), encoding="utf-8")
    return project


def data_problems(project_file: Path, **options: object) -> list[driverkit.Diagnostic]:
    return [d for d in driverkit.check_file(project_file, **options) if d.code == "DK218"]  # type: ignore[arg-type]


def finishes(call, seconds: float = 20):  # type: ignore[no-untyped-def]
    """The result of `call()`, failing the test if it does not return in time (a read that blocks)."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, "the call did not finish: a read blocked"
    return result[0]


def test_an_absolute_path_outside_the_project_is_refused_at_the_data_file_key(tmp_path: Path) -> None:
    project = repo(tmp_path, "/etc/passwd")
    (problem,) = data_problems(project)
    assert (problem.file, problem.line, problem.column) == (str(project), 8, 16)
    assert "the data file /etc/passwd is outside the project's folder" in problem.message
    assert "--allow-path" in problem.hint  # the refusal says how to allow the place
    assert "root:" not in problem.message


def test_a_path_climbing_out_of_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.csv").write_text("period,value\n2024-01,3\n", encoding="utf-8")
    project = repo(tmp_path, "../outside.csv")
    (problem,) = data_problems(project)
    assert "outside the project's folder" in problem.message and problem.file == str(project)


def test_a_symlink_pointing_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    project = repo(tmp_path, "falls.csv")
    (project.parent / "falls.csv").symlink_to(tmp_path / "secret.txt")
    (problem,) = data_problems(project)
    assert "outside the project's folder" in problem.message
    assert "SECRET" not in problem.message


def test_allow_lets_a_project_read_an_outside_file(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "falls.csv").write_text("period,value\n2024-01,3\n2024-02,4\n", encoding="utf-8")
    project = repo(tmp_path, str(shared / "falls.csv"))
    assert data_problems(project)  # refused by default
    assert data_problems(project, allow=[shared]) == []
    loaded = driverkit.load(project, allow=[shared])
    assert [p.value for p in load_series(loaded, loaded.measures[0]).points] == [3, 4]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv")
    os.mkfifo(project.parent / "falls.csv")
    (problem,) = finishes(lambda: data_problems(project))
    assert "not a regular file" in problem.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_even_where_allowed(tmp_path: Path) -> None:
    project = repo(tmp_path, "/dev/zero")
    (outside,) = finishes(lambda: data_problems(project))
    assert "outside the project's folder" in outside.message
    (device,) = finishes(lambda: data_problems(project, allow=["/dev/zero"]))
    assert "not a regular file" in device.message


@pytest.mark.parametrize("content", [
    SECRET + "\nbin:x:1:1::/bin:/usr/sbin/nologin\n",  # a system file
    "SECRET-TOKEN-4f9a\n",  # one word
    "SECRET-TOKEN-4f9a,another-SECRET-value-that-is-long-enough-to-be-no-column\n",
    "# SECRET-TOKEN-4f9a: some config\nkey = value\n",
])
def test_the_content_of_a_file_that_is_not_a_data_file_is_never_echoed(tmp_path: Path, content: str, capsys) -> None:
    project = repo(tmp_path, "falls.csv", content)
    (problem,) = data_problems(project)
    assert problem.line == 1 and "needs the columns period, value" in problem.message
    assert "SECRET" not in problem.message and "root" not in problem.message
    main(["check", str(project)])
    assert "SECRET" not in capsys.readouterr().out


def test_a_real_header_is_named_when_columns_are_missing(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv", "month,count,note\n2024-01,3,\n")
    (problem,) = data_problems(project)
    assert problem.message == "the data file needs the columns period, value (its header has: month, count, note)"


def test_a_binary_file_is_refused_as_not_csv_text(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv")
    (project.parent / "falls.csv").write_bytes(b"period,value\n2024-01,3\n\x00\x01SECRET\x02")
    (problem,) = data_problems(project)
    assert "not CSV text" in problem.message and "YAML" not in problem.message and "SECRET" not in problem.message
    assert problem.file == str(project.parent / "falls.csv") and problem.line == 3


def test_bare_carriage_returns_end_lines(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv", "period,value\r2024-01,3\r2024-02,x\r2024-03,5\r")
    assert [(d.line, d.column) for d in data_problems(project)] == [(3, 9)]
    loaded = driverkit.load(project)
    assert [p.period for p in load_series(loaded, loaded.measures[0]).points] == ["2024-01", "2024-03"]
    mixed = repo(tmp_path, "falls.csv", "period,value\r\n2024-01,3\n2024-02,x\r2024-03,y\r\n")
    assert [d.line for d in data_problems(mixed)] == [3, 4]


def test_a_note_over_several_lines_keeps_the_rows_after_it_at_their_lines(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv", 'period,value,note\n2024-01,3,"one\ntwo\nthree"\n2024-02,x,\n')
    (problem,) = data_problems(project)
    assert problem.line == 5


def test_a_huge_cell_is_a_bad_row_and_the_other_rows_are_read(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv", "period,value,note\n2024-01,3,\n2024-02,4," + "n" * 200_000 + "\n2024-03,5,\n")
    (problem,) = data_problems(project)
    assert problem.line == 3 and "over 131,072 characters" in problem.message and "nnnn" not in problem.message
    loaded = driverkit.load(project)
    assert [p.period for p in load_series(loaded, loaded.measures[0]).points] == ["2024-01", "2024-03"]
    long_period = repo(tmp_path, "falls.csv", "period,value\n" + "7" * 100_000 + ",3\n" + "7" * 100_000 + ",4\n")
    (twice,) = data_problems(long_period)
    assert len(twice.message) < 200  # the period is quoted cut short


@pytest.mark.parametrize("word", ["nan", "NaN", "inf", "-inf", "Infinity", "-nan"])
def test_nan_and_infinity_are_not_numbers(tmp_path: Path, word: str) -> None:
    project = repo(tmp_path, "falls.csv", f"period,value\n2024-01,3\n2024-02,{word}\n2024-03,5\n")
    (problem,) = data_problems(project)
    assert (problem.line, problem.message) == (3, f"`{word}` in column value is not a number")


@pytest.mark.parametrize("row, column", [
    ("2024-02,1e400,10", "numerator"),
    ("2024-02,1," + "9" * 400, "denominator"),
    ("2024-02,-1e400,10", "numerator"),
    ("2024-02,1e16,1e14", "numerator"),
])
def test_numbers_too_large_are_bad_rows(tmp_path: Path, row: str, column: str) -> None:
    project = repo(tmp_path, "falls.csv", f"period,numerator,denominator\n2024-01,1,10\n{row}\n2024-03,2,10\n")
    (problem,) = data_problems(project)
    assert problem.line == 3 and f"in column {column} is too large to chart" in problem.message


def test_a_tiny_denominator_giving_a_value_too_large_is_a_bad_row(tmp_path: Path) -> None:
    project = repo(tmp_path, "falls.csv", "period,numerator,denominator\n2024-01,1,10\n2024-02,5,1e-300\n2024-03,2,10\n")
    (problem,) = data_problems(project)
    assert problem.line == 3 and "too large to chart" in problem.message


def test_the_chart_command_never_crashes_on_hostile_rows(tmp_path: Path) -> None:
    rows = ["2024-01,1,10", "2024-02,nan,10", "2024-03,1e400,10", "2024-04,1,1e-300", "2024-05,3,inf",
            "2024-06,2," + "9" * 5000, "2024-07,4,10", "2024-08,5,10"]
    for kind in ("run", "xmr", "p", "p-prime", "u", "u-prime", "c", "g", "t"):
        text = PROJECT.replace("data_file", f"chart: {{type: {kind}}}\n    data_file")
        project = repo(tmp_path, "falls.csv", "period,numerator,denominator\n" + "\n".join(rows) + "\n")
        project.write_text(text.replace("DATA", "falls.csv"), encoding="utf-8")
        assert main(["chart", str(project), "-o", str(tmp_path / "out")]) in (0, 1), kind


MATH = ["Pay $5 and $6 per day", "$\\undefinedmacro$", "$" + "\\sqrt{" * 300 + "x" + "}" * 300 + "$", "$x^{$", "\\$ $$ $\\frac{1}{0}$"]


def math_project(text: str) -> driverkit.Project:
    q = json.dumps
    points = "\n".join(f"      - {{period: {q(f'{text} {i}')}, value: {v}, note: {q(text)}}}" for i, v in enumerate([3, 4, 5, 4, 6, 5, 7, 6]))
    return driverkit.loads(
        f"driverkit: 1\ntitle: {q(text)}\naim: {{improve: falls, measures: [M1]}}\nmeasures:\n  - id: M1\n    name: {q(text)}\n"
        f"    family: outcome\n    unit: {q(text)}\n    goal: 5\n"
        f"    chart: {{type: xmr, moving_range: true, phases: [{{from: {q(f'{text} 4')}, note: {q(text)}}}]}}\n    data:\n{points}\n")


def svg_text(svg: bytes) -> str:
    texts = ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    return " ".join(" ".join(t.itertext()) for t in texts).replace("\u00a0", " ")


@pytest.mark.filterwarnings("ignore:constrained_layout not applied")  # a title thousands of characters long
@pytest.mark.parametrize("text", MATH)
def test_dollars_and_backslashes_are_drawn_as_written_never_as_tex(text: str) -> None:
    pytest.importorskip("matplotlib")
    from driverkit.spc.charts import chart

    project = math_project(text)
    svg = chart(project, "M1", "svg")
    chart(project, "M1", "png")
    if len(text) < 100:
        assert text in svg_text(svg)


def test_pay_five_and_six_dollars_is_written_literally() -> None:
    pytest.importorskip("matplotlib")
    from driverkit.spc.charts import chart

    assert "Pay $5 and $6 per day" in svg_text(chart(math_project("Pay $5 and $6 per day"), "M1", "svg"))


def test_the_chart_svg_has_no_doctype_and_is_the_same_every_time() -> None:
    pytest.importorskip("matplotlib")
    from driverkit.spc.charts import chart

    project = math_project("Falls")
    svg = chart(project, "M1", "svg")
    assert b"<!DOCTYPE" not in svg and b".dtd" not in svg
    assert svg.startswith(b'<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<svg ')
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
    assert chart(project, "M1", "svg") == svg


def test_notes_with_markup_are_escaped_in_the_chart_and_the_plan(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from driverkit.spc.charts import chart

    note = "<script>alert(1)</script> & <b>co</b>"
    project_file = repo(tmp_path, "falls.csv", "period,value,note\n2024-01,3,\n2024-02,4,\"" + note + "\"\n2024-03,5,\n")
    project = driverkit.load(project_file)
    svg = chart(project, "M1", "svg")
    assert b"<script>" not in svg and b"&lt;script&gt;" in svg and b"&amp; &lt;b&gt;co" in svg
    assert note in svg_text(svg)
    page = driverkit.render(project, "html", view="measurement-plan").decode("utf-8")
    assert "<script>" not in page
    (src,) = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    embedded = base64.b64decode(src)
    assert embedded == svg and note in svg_text(embedded)


def test_a_series_past_the_row_cap_is_cut_at_the_first_row_over_with_a_hint(tmp_path: Path) -> None:
    # A 14 MB daily file took 6 s and 700 MB to check before the cap; rows past it are not read.
    rows = "".join(f"{day},{day % 7}\n" for day in range(1, MAX_POINTS + 3))
    project = repo(tmp_path, "falls.csv", "period,value\n" + rows)
    loaded = driverkit.load(project)
    series = load_series(loaded, loaded.measures[0])
    assert len(series.points) == MAX_POINTS
    (problem,) = series.problems
    assert problem.line == MAX_POINTS + 2 and "more than 100,000 rows" in problem.message
    assert "by week or month" in problem.hint


def test_inline_data_past_the_row_cap_is_cut_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("driverkit.spc.series.MAX_POINTS", 3)
    project = driverkit.loads(PROJECT.replace("data_file: DATA", "data: [" + ", ".join(
        f"{{period: 2024-0{month}, value: {month}}}" for month in range(1, 6)) + "]"))
    series = load_series(project, project.measures[0])
    assert [point.value for point in series.points] == [1, 2, 3]
    (problem,) = series.problems
    assert problem.path[-2:] == ("data", 3) and "more than 3 rows" in problem.message
