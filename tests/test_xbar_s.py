"""Xbar and S charts end to end: subgroups written in the project file or in a CSV, read, analysed,
summarised and drawn.

Published values (quoted from memory, as tests/test_subgroup.py does): D. C. Montgomery,
Introduction to Statistical Quality Control, chapter 6, the piston-ring examples. With 25 subgroups
of 5, x-double-bar 74.001 and s-bar 0.0094 give Xbar limits 73.988 to 74.014 and S chart limits 0
to 0.0196; with variable sizes, s-bar 0.0103 gives Xbar limits 73.986 to 74.016 for n = 5 and
73.981 to 74.021 for n = 3, and S chart upper limits 0.022 (n = 5) and 0.026 (n = 3). The subgroups
below are built to have those summaries (the book's raw diameters are not reproduced here).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import driverkit
from driverkit.spc import analyse
from driverkit.spc.charts import chart
from driverkit.spc.series import load_series

ROOT = Path(__file__).resolve().parent.parent

HEAD = """driverkit: 1
title: Faster antibiotics
aim: {statement: "Reduce the minutes from arrival to antibiotics for adults with sepsis from 80 to 60 by 2026"}
measures:
  - id: M1
    name: Minutes to antibiotics
    family: outcome
"""


def with_data(lines: str, settings: str = "{type: xbar-s}") -> driverkit.Project:
    return driverkit.loads(HEAD + "    data:\n" + lines + f"    chart: {settings}\n", "p.yaml")


def with_csv(tmp_path: Path, csv_text: str, settings: str = "{type: xbar-s}") -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "minutes.csv").write_text(csv_text, encoding="utf-8")
    path = tmp_path / "project.yaml"
    path.write_text(HEAD + f"    data_file: data/minutes.csv\n    chart: {settings}\n", encoding="utf-8")
    return path


def test_montgomery_piston_rings_through_a_csv_of_summaries(tmp_path: Path) -> None:
    # 25 subgroups of 5 whose means alternate about 74.001 (weighted mean 74.001) and whose sd is 0.0094.
    means = [74.001 + (0.002 if k % 2 else -0.002) for k in range(24)] + [74.001]
    rows = "".join(f"Sample {k + 1},5,{m:.3f},0.0094\n" for k, m in enumerate(means))
    project = driverkit.load(with_csv(tmp_path, "period,n,mean,sd\n" + rows))
    a = analyse(project, "M1")
    assert a.data_problems == [] and a.chart == "xbar-s" and len(a.values) == 25
    assert a.phases[0].centre == pytest.approx(74.001) and a.phases[0].s_bar == pytest.approx(0.0094)
    assert {(round(low, 3), round(high, 3)) for low, high in zip(a.lower, a.upper)} == {(73.988, 74.014)}
    assert {(round(low, 4), round(high, 4)) for low, high in zip(a.s_lower, a.s_upper)} == {(0.0, 0.0196)}
    assert a.subgroup_size == [5] * 25 and a.s == [0.0094] * 25
    assert "limits 73.99 to 74.01" in a.summary()[1] and "S chart: s-bar 0.0094, limits 0 to 0.0196" in a.summary()[1]


def test_montgomery_variable_sizes_give_stepped_limits_per_subgroup() -> None:
    sizes = [5, 3, 5, 4, 3]
    lines = "".join(f"      - {{period: 2024-0{k + 1}, n: {n}, mean: 74.001, sd: 0.0103}}\n" for k, n in enumerate(sizes))
    a = analyse(with_data(lines), "M1")
    assert (round(a.lower[0], 3), round(a.upper[0], 3)) == (73.986, 74.016)
    assert (round(a.lower[1], 3), round(a.upper[1], 3)) == (73.981, 74.021)
    assert (round(a.s_upper[0], 3), round(a.s_upper[1], 3)) == (0.022, 0.026)
    assert "limits vary from point to point with the subgroup size" in a.summary()[1]
    assert "S chart: s-bar 0.0103, limits vary with the subgroup size" in a.summary()[1]


def test_raw_values_inline_are_summarised_and_the_means_are_charted() -> None:
    a = analyse(with_data("      - {period: 2024-01, values: [1, 2, 3]}\n      - {period: 2024-02, values: [4, 6]}\n"
                          "      - {period: 2024-03, values: [10, 10, 13, 13]}\n"), "M1")
    assert a.values == [2.0, 5.0, 11.5] and a.subgroup_size == [3, 2, 4]
    assert a.s == pytest.approx([1.0, math.sqrt(2), math.sqrt(3)])
    assert a.centre[0] == pytest.approx((3 * 2 + 2 * 5 + 4 * 11.5) / 9)  # weighted by size


def test_a_csv_of_one_row_per_value_groups_the_rows_of_each_period(tmp_path: Path) -> None:
    text = ("period,value,note,exclude\n2024-01-01,62,,\n2024-01-01,75,,\n2024-01-01,81,,\n"
            "2024-01-08,58,bank holiday,\n2024-01-08,70,,yes\n2024-01-15,64,,\n2024-01-15,66,,\n")
    path = with_csv(tmp_path, text)
    assert [d for d in driverkit.check_file(path) if d.code == "DK218"] == []
    project = driverkit.load(path)
    series = load_series(project, project.measures[0])
    assert [(p.period, p.n, round(p.value, 3), p.note, p.exclude) for p in series.points] == [
        ("2024-01-01", 3, 72.667, None, False), ("2024-01-08", 2, 64.0, "bank holiday", True), ("2024-01-15", 2, 65.0, None, False)]
    assert series.points[2].sd == pytest.approx(math.sqrt(2))


def test_bad_subgroups_in_a_csv_are_reported_at_their_line_and_column(tmp_path: Path) -> None:
    csv_file = str(tmp_path / "data" / "minutes.csv")
    path = with_csv(tmp_path, "period,n,mean,sd\n2024-01,5,70,9\n2024-02,1,66,0\n2024-03,4,68,-1\n2024-04,4.5,60,3\n2024-05,6,64,\n")
    found = [(d.file, d.line, d.column, d.message) for d in driverkit.check_file(path) if d.code == "DK218"]
    assert found == [
        (csv_file, 3, 9, "the subgroup of 2024-02 has n 1: an S chart needs 2 or more values a period"),
        (csv_file, 4, 14, "the standard deviation of 2024-03 is -1: it cannot be negative"),
        (csv_file, 5, 9, "the subgroup size of 2024-04 is 4.5: it is a whole number"),
        (csv_file, 6, 14, "the subgroup of 2024-05 has no sd: a summary needs n, mean and sd")]
    rows = with_csv(tmp_path, "period,value\n2024-01,10\n2024-01,12\n2024-02,9\n2024-03,11\n2024-03,13\n2024-01,14\n")
    found = [(d.line, d.column, d.message) for d in driverkit.check_file(rows) if d.code == "DK218"]
    assert found == [(4, 9, "the subgroup of 2024-02 has 1 value (1 row): an S chart needs 2 or more a period"),
                     (7, 1, "the rows of 2024-01 are not together: put each period's rows one after another")]


def test_subgroups_and_single_values_each_need_their_own_chart_type(tmp_path: Path) -> None:
    path = with_csv(tmp_path, "period,n,mean,sd\n2024-01,5,70,9\n", settings="{type: xmr}")
    [found] = [d for d in driverkit.check_file(path) if d.code == "DK218"]
    assert (found.line, found.column) == (2, 9)
    assert "only an xbar-s chart reads, not this xmr chart" in found.message
    plain = with_data("      - {period: 2024-01, values: [3, 4]}\n      - {period: 2024-02, value: 5}\n")
    [found] = [d for d in driverkit.check(plain) if d.code == "DK218"]
    assert found.line == 10 and "an xbar-s chart reads a subgroup a period" in found.message


def test_the_means_are_read_with_runs_and_limits_and_the_deviations_with_the_s_limits() -> None:
    lines = "".join(f"      - {{period: 2024-{k + 1:02d}, n: 5, mean: {10 + (0.5 if k % 2 else -0.5)}, sd: 2}}\n" for k in range(20))
    lines += "      - {period: 2024-21, n: 5, mean: 16, sd: 2}\n"  # a mean far above the limits
    lines += "      - {period: 2024-22, n: 5, mean: 10, sd: 6}\n"  # a spread far above the S chart's limit
    a = analyse(with_data(lines), "M1")
    rules = {s.rule: s.points for s in a.signals}
    assert rules["beyond limit"] == (20,) and rules["s beyond limit"] == (21,)
    runs = analyse(with_data("".join(f"      - {{period: 2024-{k + 1:02d}, n: 4, mean: {8 if k < 10 else 12}, sd: 3}}\n"
                                     for k in range(20))), "M1")
    assert any(s.rule == "longest run" for s in runs.signals)  # the runs rules read the means against their centre


def test_phases_and_a_baseline_work_as_on_other_charts() -> None:
    lines = "".join(f"      - {{period: 2024-{k + 1:02d}, values: [{v}, {v + 2}, {v + 4}]}}\n"
                    for k, v in enumerate([10, 11, 10, 11, 20, 21, 20, 21]))
    a = analyse(with_data(lines, "{type: xbar-s, phases: [{from: 2024-05, note: new pathway}]}"), "M1")
    assert [ph.centre for ph in a.phases] == [pytest.approx(12.5), pytest.approx(22.5)]
    assert [ph.s_bar for ph in a.phases] == [pytest.approx(2.0), pytest.approx(2.0)]
    base = analyse(with_data(lines, "{type: xbar-s, baseline: 4}"), "M1")
    assert base.phases[0].centre == pytest.approx(12.5) and base.phases[0].baseline == 4
    assert all(base.values[i] > base.upper[i] for i in range(4, 8))


def test_subgroups_with_no_spread_give_no_limits_and_say_why() -> None:
    a = analyse(with_data("      - {period: 2024-01, values: [3, 3]}\n      - {period: 2024-02, values: [4, 4]}\n"), "M1")
    assert a.upper == [None, None] and a.s_upper == [None, None]
    assert a.phases[0].degenerate == "every subgroup's standard deviation is 0"


def test_both_panels_are_in_the_plain_data_and_the_dataframe() -> None:
    a = analyse(with_data("      - {period: 2024-01, values: [1, 2, 3]}\n      - {period: 2024-02, n: 4, mean: 5, sd: 1.5}\n"), "M1")
    data = json.loads(json.dumps(a.as_dict()))
    assert data["chart"] == "xbar-s" and data["subgroup_size"] == [3, 4] and data["s"] == [1.0, 1.5]
    assert data["s_upper"][0] == pytest.approx(2.568 * data["phases"][0]["s_bar"], rel=1e-3)  # B4(3)
    pytest.importorskip("pandas")
    frame = a.to_dataframe()
    assert list(frame["n"]) == [3, 4] and list(frame["s"]) == [1.0, 1.5]


def test_the_chart_draws_the_s_panel_under_the_means_the_same_each_time() -> None:
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    a = analyse(project, "M12")
    assert a.data_problems == [] and len(a.values) == 26 and all(n >= 3 for n in a.subgroup_size)
    svg = chart(project, "M12", "svg", a)
    assert svg == chart(project, "M12", "svg")
    text = svg.decode()
    assert "Xbar and S chart" in text and "standard deviation" in text and "mean of each subgroup" in text
    assert chart(project, "M12", "png", a).startswith(b"\x89PNG")


def test_the_readme_shows_what_the_example_xbar_s_chart_prints() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n(M12 .*?)```", readme, re.S).group(1).rstrip("\n").splitlines()  # type: ignore[union-attr]
    assert shown == analyse(driverkit.load(ROOT / "examples" / "sepsis.yaml"), "M12").summary()
    block = re.search(r"```yaml\n(    data:\n      - \{period: 2026-01-05, values.*?)```", readme, re.S).group(1)  # type: ignore[union-attr]
    project = driverkit.loads(HEAD + block, "p.yaml")
    assert analyse(project, "M1").data_problems == [] and analyse(project, "M1").subgroup_size == [4, 6]


def test_the_measure_data_export_gives_each_subgroup_its_size_and_s_figures() -> None:
    import csv
    import io

    lines = "".join(f"      - {{period: 2024-{k + 1:02d}, values: [{40 + k}, {44 + k}, {47 + k}, {50 + k}]}}\n" for k in range(12))
    project = with_data(lines)
    a = analyse(project, "M1")
    rows = list(csv.DictReader(io.StringIO(driverkit.render(project, "csv", view="measure-data").decode("utf-8-sig"))))
    assert [int(r["Subgroup size"]) for r in rows] == a.subgroup_size == [4] * 12
    assert [float(r["S"]) for r in rows] == pytest.approx(a.s)
    assert [float(r["S upper limit"]) for r in rows] == pytest.approx(a.s_upper)
    assert all(r["Moving range"] == "" for r in rows)  # an xbar-s chart has no moving range
