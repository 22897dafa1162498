"""A measure's data: written in the file or in a CSV beside it, every problem placed."""

from __future__ import annotations

from pathlib import Path

import driverkit
from driverkit.spc.series import load_series

PROJECT = """driverkit: 1
title: Fewer falls
aim: {statement: "Reduce falls for patients aged 65 and over from 8 to 6 per 1,000 bed days by 2026"}
measures:
  - id: M1
    name: Falls rate
    family: outcome
    data_file: data/falls.csv
"""


def write(tmp_path: Path, csv_text: str) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "falls.csv").write_text(csv_text, encoding="utf-8")
    project = tmp_path / "project.yaml"
    project.write_text(PROJECT, encoding="utf-8")
    return project


def test_a_csv_beside_the_project_is_read_relative_to_it(tmp_path: Path) -> None:
    project = driverkit.load(write(tmp_path, "period,numerator,denominator,note,exclude\n2024-01,8,1000,,\n2024-02,6,1200,huddles start,yes\n"))
    series = load_series(project, project.measures[0])
    assert series.problems == []
    assert [(p.period, round(p.value, 4), p.note, p.exclude) for p in series.points] == [
        ("2024-01", 0.008, None, False), ("2024-02", 0.005, "huddles start", True)]


def test_csv_problems_are_reported_at_their_row_in_the_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "period,numerator,denominator\n2024-01,3,400\n2024-02,x,400\n2024-03,2,-5\n2024-04,2,300\n2024-04,1,300\n")
    found = [(d.file, d.line, d.column, d.code) for d in driverkit.check_file(path) if d.code == "DK218"]
    csv_file = str(tmp_path / "data" / "falls.csv")
    assert found == [(csv_file, 3, 9, "DK218"), (csv_file, 4, 11, "DK218"), (csv_file, 6, 1, "DK218")]
    # The text report lists them under the CSV's own name, not under the project file's.
    from driverkit.checks.report import format_diagnostics

    text = format_diagnostics({str(path): driverkit.check_file(path)}, "text")
    assert text.index(csv_file + "\n  3:9 ") > text.index(str(path) + "\n")


def test_a_period_that_is_not_a_date_among_dates_is_a_bad_row(tmp_path: Path) -> None:
    path = write(tmp_path, "period,value\n2024-01,3\n2024-15,4\n2024-03,5\n2024-02,6\n2024-04,7\n")
    found = [(d.line, d.message) for d in driverkit.check_file(path) if d.code == "DK218"]
    assert found == [(3, "the period 2024-15 is not a real date, though the other periods are dates: write it as 2024-05 or 2024-05-31"),
                     (5, "the period 2024-02 does not come after the one before it: put the points in time order")]
    project = driverkit.load(path)
    assert [p.period for p in load_series(project, project.measures[0]).points] == ["2024-01", "2024-03", "2024-02", "2024-04"]
    labels = write(tmp_path, "period,value\nWeek 1,3\nWeek 2,4\n2024-03,5\n")  # mostly labels: all taken as written
    assert [d for d in driverkit.check_file(labels) if d.code == "DK218"] == []
    years = write(tmp_path, "period,value\n2016-17,3\n2017-18,4\n2018-19,5\n")  # financial years: labels
    assert [d for d in driverkit.check_file(years) if d.code == "DK218"] == []
    weeks = "".join(f"2024-{w:02d},{w}\n" for w in range(1, 21))  # year-weeks: labels, not months, past week 12 as before it
    project = driverkit.load(write(tmp_path, "period,value\n" + weeks))
    assert len(load_series(project, project.measures[0]).points) == 20


def test_missing_columns_and_missing_files(tmp_path: Path) -> None:
    path = write(tmp_path, "month,count\n2024-01,3\n")
    (problem,) = [d for d in driverkit.check_file(path) if d.code == "DK218"]
    assert problem.line == 1 and "needs the columns period, value" in problem.message
    (tmp_path / "data" / "falls.csv").unlink()
    (missing,) = [d for d in driverkit.check_file(path) if d.code == "DK218"]
    assert missing.file == str(path) and "data/falls.csv: no such file" in missing.message


def test_a_csv_that_is_not_utf8_is_refused_at_its_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    (tmp_path / "data" / "falls.csv").write_bytes(b"period,value\n2024-01,3\n2024-02,caf\xe9\n")
    (problem,) = [d for d in driverkit.check_file(path) if d.code == "DK218"]
    assert (problem.line, problem.column) == (3, 12) and "not UTF-8" in problem.message


def test_an_astronomical_column_marks_the_points_the_team_judged_astronomical(tmp_path: Path) -> None:
    from driverkit.spc import analyse

    rows = "".join(f"2024-{m:02d},{v},{'yes' if v == 40 else ''}\n" for m, v in enumerate([8, 7, 9, 40, 8, 7], 1))
    project = driverkit.load(write(tmp_path, "period,value,astronomical\n" + rows))
    assert [p.astronomical for p in load_series(project, project.measures[0]).points] == [False, False, False, True, False, False]
    from driverkit.project.model import ChartSettings

    project.measures[0].chart = ChartSettings(rules="ihi")
    a = analyse(project, project.measures[0])
    # No shift or trend in six points; the one the team marked is the only signal, named as its judgement.
    assert [(s.profile, s.rule, s.points, s.detail) for s in a.signals] == [("ihi", "astronomical", (3,), "1 point judged astronomical")]


def test_a_proportion_above_one_and_a_flag_that_is_neither_yes_nor_no_are_bad_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "period,numerator,denominator,exclude\n2024-01,3,40,off\n2024-02,50,44,\n2024-03,4,40,ture\n2024-04,5,40,0.0\n")
    text = path.read_text(encoding="utf-8").replace("family: outcome", "family: outcome\n    chart: {type: p}")
    path.write_text(text, encoding="utf-8")
    found = [(d.line, d.column, d.message) for d in driverkit.check_file(path) if d.code == "DK218"]
    assert found == [(3, 9, "the numerator of 2024-02 (50) is more than its denominator (44): a proportion cannot be above 1"),
                     (4, 14, "`ture` in column exclude is neither yes nor no")]
    project = driverkit.load(path)
    assert [p.period for p in load_series(project, project.measures[0]).points] == ["2024-01", "2024-04"]


def test_the_crossings_limit_of_a_long_series_is_the_exact_binomial_quantile() -> None:
    import math

    from driverkit.spc.runchart import crossings_min

    def exact(n: int) -> int:  # the definition: the smallest k with 20 * sum(C(m, i) for i <= k) >= 2**m
        m, total = n - 1, 0
        for k in range(m + 1):
            total += math.comb(m, k)
            if 20 * total >= 2**m:
                return k
        return m

    for n in [*range(1, 40), *range(995, 1010), 1500, 2500, 4001]:
        assert crossings_min(n) == exact(n), n
    assert crossings_min(100_000) == 49_739  # qbinom(0.05, 99999, 0.5)


def test_a_long_series_keeps_every_point_and_finds_a_period_written_twice(tmp_path: Path) -> None:
    import datetime

    days = [datetime.date(2000, 1, 1) + datetime.timedelta(days=i) for i in range(5000)]
    rows = "".join(f"{day},{i % 7}\n" for i, day in enumerate(days)) + f"{days[10]},3\n"
    project = driverkit.load(write(tmp_path, "period,value\n" + rows))
    series = load_series(project, project.measures[0])
    assert len(series.points) == 5000 and series.first_at_or_after("2000-02") == 31
    assert [(p.line, p.message) for p in series.problems] == [
        (5002, f"the period {days[10]} appears twice")]


def test_month_periods_are_read_as_the_project_file_reads_dates() -> None:
    from driverkit.project.fields import parse_date
    from driverkit.spc.series import period_date

    for period in ("2024-01", "2024-02", "2023-02", "1900-12", "2999-06", "1899-05", "3000-01", "2024-00", "2024-13"):
        try:
            expected = parse_date(period)
        except ValueError:
            expected = None
        found = period_date(period)
        assert found == expected
        assert getattr(found, "precision", None) == getattr(expected, "precision", None)


def test_reading_a_series_leaves_the_garbage_collector_as_it_was(tmp_path: Path) -> None:
    import gc

    project = driverkit.load(write(tmp_path, "period,value\n" + "".join(f"2024-{m:02d},{m}\n" for m in range(1, 13))))
    assert gc.isenabled()
    assert len(load_series(project, project.measures[0]).points) == 12
    assert gc.isenabled()
    gc.disable()
    try:
        load_series(project, project.measures[0])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_is_made_while_the_collector_is_paused_is_still_collected_and_nothing_stays_frozen() -> None:
    import gc
    import weakref

    from driverkit.spc.series import paused_collector

    class Node:
        pass

    with paused_collector():
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        alive = weakref.ref(cycle)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # handed to the oldest generation, so that the collector's next pass does not walk them all
    oldest = {id(thing) for thing in gc.get_objects(generation=2)}
    assert id(cycle) in oldest
    del cycle
    gc.collect()
    assert alive() is None
    # What a caller froze itself stays frozen.
    gc.freeze()
    try:
        kept = gc.get_freeze_count()
        with paused_collector():
            Node()
        # Unfrozen, the count would be 0; it may fall by a few, when a frozen object is freed
        # meanwhile (by a thread another test left running in this process, say).
        assert kept > 0 and gc.get_freeze_count() > kept - 100
    finally:
        gc.unfreeze()


def test_a_bad_cell_is_placed_at_its_column_whatever_the_order_of_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "note,exclude,period,value\nstart,,2024-01,5\na b,perhaps,2024-02,6\n,,2024-03,seven\n")
    project = driverkit.load(path)
    series = load_series(project, project.measures[0])
    assert [(p.line, p.column, p.message) for p in series.problems] == [
        (3, 5, "`perhaps` in column exclude is neither yes nor no"), (4, 11, "`seven` in column value is not a number")]
    assert [p.period for p in series.points] == ["2024-01"]
