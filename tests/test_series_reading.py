"""Reading a long CSV quickly: a file of plain rows is read column by column, and whatever the way a
file is read, the points kept and the problems found (their line, column and words) are the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import driverkit
from driverkit.spc import series as series_module
from driverkit.spc.series import load_series


def project_with(folder: Path, csv_text: str, chart: str = "run", unit: str = "%") -> Path:
    (folder / "data.csv").write_bytes(csv_text.encode("utf-8"))
    project = folder / "project.yaml"
    project.write_text("driverkit: 1\ntitle: T\naim: {improve: falls, measures: [M1]}\nmeasures:\n  - id: M1\n    name: Falls\n"
                       f"    family: outcome\n    unit: '{unit}'\n    chart: {{type: {chart}}}\n    data_file: data.csv\n", encoding="utf-8")
    return project


def reading(project_file: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[object]]:
    """The points, the problems with their places, and the dates of the one measure's series."""
    project = driverkit.load(project_file)
    series = load_series(project, project.measures[0])
    problems = [(p.message, p.line, p.column, p.hint) for p in series.problems]
    # Where each point was written, as a problem in its value or its period would be placed.
    places = [(place("", "value").line, place("", "value").column, place("", "period").column) for place in series.places]
    return [tuple(point) for point in series.points] + places, problems, list(series.dates)


def row_by_row(monkeypatch: pytest.MonkeyPatch, project_file: Path) -> tuple[object, ...]:
    """The reading of every row through the checks that word each problem: no quick path."""
    with monkeypatch.context() as patch:
        patch.setattr(series_module, "_quick", lambda series, known: False)
        return reading(project_file)


cells = st.sampled_from(["", " ", "0", "1", "-1", "-0", "2.5", " 7 ", "12", "40", "1,200", "1e16", "1e400", "nan", "inf", "1_000",
                         "yes", "no", "x", "Y", "-", "maybe", "a note", "\u00a03\u00a0"])
periods = st.sampled_from(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-13", "", " ", "Week 1",
                           "2024-01-05", "2024-02-30", "May 2024", "1899-12-31"])
rows = st.lists(st.tuples(periods, st.lists(cells, max_size=5)).map(lambda row: ",".join([row[0], *row[1]])), max_size=25)
headers = st.sampled_from(["period,value", "period,numerator,denominator", "period,value,note,exclude,astronomical",
                           "Period , Value", "note,period,value,exclude", "period,value,numerator,denominator", "period,value,n",
                           "period,numerator,denominator,astronomical"])
texts = st.builds(lambda header, body, end, last: end.join([header, *body]) + (end if last else ""),
                  headers, rows, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts, st.sampled_from(["run", "xmr", "p", "u", "xbar-s"]), st.sampled_from(["%", "minutes"]))
def test_the_quick_reading_keeps_and_reports_what_reading_row_by_row_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         text: str, chart: str, unit: str) -> None:
    project_file = project_with(tmp_path, text, chart, unit)
    assert reading(project_file) == row_by_row(monkeypatch, project_file)


def days(count: int, start: dt.date = dt.date(2020, 1, 1)) -> list[str]:
    return [(start + dt.timedelta(days=i)).isoformat() for i in range(count)]


def test_a_long_plain_series_is_read_whole_with_its_problems_at_their_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = days(5_000)
    lines = [f"{day},{i % 17}.5" for i, day in enumerate(written)]
    lines[2_000] = "2021-02-30,3"  # not a real date, among days: left out
    lines[3_000], lines[3_001] = lines[3_001], lines[3_000]  # two days swapped: out of order
    project_file = project_with(tmp_path, "period,value\r\n" + "\r\n".join(lines) + "\r\n")
    points, problems, dates = reading(project_file)
    assert problems == [
        ("the period 2021-02-30 is not a real date, though the other periods are dates: write it as 2024-05 or 2024-05-31", 2_002, 1, ""),
        (f"the period {written[3_000]} does not come after the one before it: put the points in time order", 3_003, 1, "")]
    assert len(dates) == 4_999 and dates[0] == dt.date(2020, 1, 1)
    assert (points, problems, dates) == row_by_row(monkeypatch, project_file)
    lines[2_000] = f"{written[2_000]},3"  # every period a real day
    project_file = project_with(tmp_path, "period,value\n" + "\n".join(lines))
    assert reading(project_file)[1:] == row_by_row(monkeypatch, project_file)[1:] == (
        [(f"the period {written[3_000]} does not come after the one before it: put the points in time order", 3_003, 1, "")],
        [dt.date.fromisoformat(day) for day in written[:3_000] + [written[3_001], written[3_000]] + written[3_002:]])


def test_a_plain_series_with_a_bad_row_reports_it_and_keeps_every_other_row(tmp_path: Path) -> None:
    written = days(300)
    lines = [f"{day},{i % 20},{20 + i % 7}" for i, day in enumerate(written)]
    for bad, message, column in ((f"{written[150]},21,20", "the numerator of 2020-05-30 (21) is more than its denominator (20): "
                                  "a proportion cannot be above 1", 12),
                                 (f"{written[150]},1,200,20", "the numerator of 2020-05-30 (1) is more than its denominator (0.2)", 0)):
        rows = lines[:150] + [bad] + lines[151:]
        points, problems, _ = reading(project_with(tmp_path, "period,numerator,denominator\n" + "\n".join(rows) + "\n", chart="p"))
        if column:
            assert problems == [(message, 152, column, "")]
            assert len(points) == 2 * 299  # every other point kept, and its place
        else:  # `1,200` is two cells here (no quotes): 1 over 200, a cell too many, read as the row-by-row reading reads it
            assert problems == [] and len(points) == 2 * 300


def test_days_past_the_last_year_a_date_can_have_are_not_dates(tmp_path: Path) -> None:
    written = days(50, dt.date(2999, 11, 22))  # 40 days of 2999, then 10 of 3000
    points, problems, dates = reading(project_with(tmp_path, "period,value\n" + "".join(f"{day},{i}\n" for i, day in enumerate(written))))
    assert [line for _, line, _, _ in problems] == list(range(42, 52))  # 3000-01-01 onwards
    assert problems[0][0] == "the period 3000-01-01 is not a real date, though the other periods are dates: write it as 2024-05 or 2024-05-31"
    assert dates == [dt.date.fromisoformat(day) for day in written[:40]] and len(points) == 2 * 40


def test_a_file_with_quotes_reads_as_the_same_file_without_them(tmp_path: Path) -> None:
    body = "".join(f"{day},{i % 5},\n" for i, day in enumerate(days(40)))
    plain = reading(project_with(tmp_path, "period,value,note\n" + body + "2020-02-10,x,late\n"))
    quoted = reading(project_with(tmp_path, '"period",value,note\n' + body + '2020-02-10,x,"late"\n'))
    assert plain == quoted
    assert plain[1] == [("`x` in column value is not a number", 42, 12, "")]


@pytest.mark.parametrize("cell, column", [("nan", "numerator"), ("inf", "numerator"), ("-1", "numerator"), ("1e16", "numerator"),
                                          ("0", "denominator"), ("-inf", "denominator"), ("nan", "denominator"), ("x", "denominator"),
                                          ("maybe", "exclude"), ("", "numerator")])
@pytest.mark.parametrize("chart", ["p", "u"])
def test_one_bad_cell_in_a_long_file_is_found_however_the_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       cell: str, column: str, chart: str) -> None:
    header = ["period", "numerator", "denominator", "exclude"]
    rows = [[day, str(i % 9), str(10 + i % 4), "no" if i % 50 else "yes"] for i, day in enumerate(days(2_000))]
    rows[1_234][header.index(column)] = cell
    body = "".join(",".join(row) + "\n" for row in rows)
    plain = project_with(tmp_path, ",".join(header) + "\n" + body, chart=chart)
    read = reading(plain)
    assert len(read[1]) == 1 and read[1][0][1] == 1_236 and len(read[0]) == 2 * 1_999
    assert read == row_by_row(monkeypatch, plain) == reading(project_with(tmp_path, '"period",' + ",".join(header[1:]) + "\n" + body, chart=chart))


@pytest.mark.parametrize("periods, problems", [(["2024-01", "Week 2", "2024-03", "2024-04"], 0),  # one in four: labels all
                                               (["2024-01", "Week 2", "2024-03", "2024-04", "2024-05"], 1)])  # fewer: a bad row
def test_a_series_with_a_label_in_four_or_more_is_read_as_labels(tmp_path: Path, periods: list[str], problems: int) -> None:
    assert len(reading(project_with(tmp_path, "period,value\n" + "".join(f"{p},1\n" for p in periods)))[1]) == problems
