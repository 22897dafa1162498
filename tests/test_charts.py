"""Reading a measure's data (driverkit.spc) and drawing its chart (driverkit.spc.charts)."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.spc import analyse

pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
from driverkit.spc.charts import chart  # noqa: E402

BEFORE = [8, 9, 8.5, 9.2, 8.8, 9.1, 8.7, 9.0, 8.9, 8.6, 9.3, 8.4]
AFTER = [7, 6.8, 6.5, 6.9, 6.6, 6.4, 6.7, 6.3, 6.5, 6.6]


def project(chart_settings: str, values: list[float] = BEFORE + AFTER, extra: str = "") -> driverkit.Project:
    return driverkit.loads(project_text(chart_settings, values, extra))


def project_text(chart_settings: str, values: list[float] = BEFORE + AFTER, extra: str = "") -> str:
    points = "\n".join(f"      - {{period: {2024 + i // 12}-{i % 12 + 1:02d}, value: {v}}}" for i, v in enumerate(values))
    return (
        "driverkit: 1\ntitle: Fewer falls\naim: {improve: falls, measures: [M1]}\n"
        "drivers:\n  - text: Risk known\n    changes:\n      - {id: C1, text: Huddle, status: testing, owner: x, measures: [M1]}\n"
        f"{extra}measures:\n  - id: M1\n    name: Inpatient falls rate\n    family: outcome\n    better: lower\n    goal: 6\n"
        f"    chart: {chart_settings}\n    data:\n{points}\n")


def svg_text(svg: bytes) -> str:
    """Every text the SVG shows, non-breaking spaces read as spaces."""
    texts = ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    return " ".join(" ".join(t.itertext()) for t in texts).replace("\u00a0", " ")


def test_a_run_chart_read_with_the_anhoej_rules_finds_the_step_down() -> None:
    p = project("{type: run}")
    a = analyse(p, p.measures[0])
    assert a.profile == "anhoej" and a.phases[0].centre == 8.2  # median of the 22 values: (8.0 + 8.4) / 2
    rules = {s.rule for s in a.signals}
    assert rules == {"longest run", "few crossings"}
    assert a.phases[0].longest_run == 11 and a.phases[0].longest_run_max == 7  # 22 useful points: round(log2(22) + 3) = 7


def test_phases_give_each_period_its_own_centre_and_no_signal_when_the_step_is_explained() -> None:
    p = project("{type: run, phases: [{from: 2025-01, note: huddles}]}")
    a = analyse(p, p.measures[0])
    assert [round(ph.centre, 2) for ph in a.phases] == [8.85, 6.6]
    assert a.centre[0] == pytest.approx(8.85) and a.centre[-1] == pytest.approx(6.6)
    assert a.signals == []
    # Worked by hand: before, the signs alternate but for one pair (longest run 2, 10 crossings); after,
    # the two points on the median 6.6 are left out, leaving 8 useful points (limits: 6 and 1).
    assert a.summary()[1:] == [
        "  Phase 1: 2024-01 to 2024-12, 12 points, centre 8.85, longest run 2 (up to 7 expected), crossings 10 (at least 3 expected), 0 signal(s)",
        "  Phase 2: huddles: 2025-01 to 2025-10, 10 points (8 off the centre line), centre 6.6, longest run 2 (up to 6 expected), crossings 5 (at least 1 expected), 0 signal(s)",
        "  no signal: the variation is what the rules expect by chance"]


def test_ihi_and_mdc_profiles_are_named_on_their_signals() -> None:
    p = project("{type: run, rules: ihi}")
    a = analyse(p, p.measures[0])
    assert {s.profile for s in a.signals} == {"ihi"}
    # One low point, eleven high, ten low: three runs. Perla, Provost and Murray, BMJ Qual Saf 2011,
    # Table 1, 22 useful points: fewer than 7 runs are too few, more than 17 too many.
    assert a.phases[0].runs == 3 and "3 runs (7 to 17 expected for 22 useful points)" in a.summary()[1]
    assert "  signal (ihi): 3 runs < 7 for 22 useful points (IHI runs table), 2024-01 to 2025-10" in a.summary()
    p = project("{type: xmr}")
    a = analyse(p, p.measures[0])
    assert a.profile == "mdc" and {s.profile for s in a.signals} == {"mdc"}
    assert a.upper[0] is not None and a.lower[0] is not None


def test_excluded_points_are_kept_out_of_the_centre_line() -> None:
    values = [5, 5, 5, 5, 50, 5, 5, 5, 5, 5]
    text_points = "\n".join(f"      - {{period: W{i + 1}, value: {v}{', exclude: true' if v == 50 else ''}}}" for i, v in enumerate(values))
    p = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\nmeasures:\n  - name: Waits\n    family: process\n"
                        "    chart: {type: xmr, rules: anhoej}\n    data:\n" + text_points + "\n")
    a = analyse(p, p.measures[0])
    assert a.phases[0].centre == 5 and a.phases[0].n == 9


def test_attribute_charts_have_limits_per_point_and_say_when_the_data_do_not_fit() -> None:
    p = project("{type: p}")
    a = analyse(p, p.measures[0])
    assert a.upper[0] is None and "needs a numerator and a denominator" in a.problems[0]
    points = "\n".join(f"      - {{period: 2024-{m:02d}, numerator: {x}, denominator: {n}}}" for m, x, n in
                       [(1, 10, 100), (2, 12, 120), (3, 30, 100), (4, 9, 90), (5, 11, 110)])
    q = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\nmeasures:\n  - name: Share\n    family: process\n"
                        "    unit: \"%\"\n    chart: {type: p}\n    data:\n" + points + "\n")
    b = analyse(q, q.measures[0])
    assert b.centre[0] == pytest.approx(72 / 520 * 100)  # p-bar = sum x / sum n, shown in %
    assert b.upper[0] != b.upper[1]  # limits per point: the denominators differ
    assert {s.rule for s in b.signals} == {"beyond limit"} and 2 in b.signals[0].points  # 30 of 100 is far out


def test_svg_chart_is_deterministic_and_shows_the_measure_signals_and_cycles() -> None:
    extra = "pdsa:\n  - {id: PDSA1, change: C1, prediction: p, start: 2025-01-06}\n"
    p = project("{type: run}", extra=extra)
    svg = chart(p, p.measures[0], "svg")
    assert svg == chart(p, p.measures[0], "svg")
    text = svg_text(svg)
    for words in ("Inpatient falls rate", "anhoej: longest run 11 > 7", "goal 6", "PDSA1"):
        assert words in text, words


def test_png_chart() -> None:
    p = project("{type: xmr}")
    assert chart(p, p.measures[0], "png").startswith(b"\x89PNG")


def test_chart_command_writes_one_file_per_measure_and_prints_the_analysis(tmp_path: Path, capsys) -> None:
    p = project("{type: run}")
    path = tmp_path / "falls.yaml"
    points = "\n".join(f"      - {{period: {2024 + i // 12}-{i % 12 + 1:02d}, value: {v}}}" for i, v in enumerate(BEFORE + AFTER))
    path.write_text("driverkit: 1\ntitle: Fewer falls\naim: {improve: falls, measures: [M1]}\nmeasures:\n  - id: M1\n"
                    "    name: Falls rate\n    family: outcome\n    data:\n" + points + "\n", encoding="utf-8")
    assert main(["chart", str(path), "-o", str(tmp_path / "out"), "-f", "svg,png", "--json"]) == 0
    captured = capsys.readouterr()
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == ["falls-M1.png", "falls-M1.svg"]
    report = json.loads(captured.out)  # the JSON alone: the files written are named on stderr
    assert "falls-M1.png" in captured.err
    assert report[0]["measure"] == "M1" and report[0]["signals"][0]["profile"] == "anhoej"
    assert main(["chart", str(path), "--measure", "M9"]) == 2
    assert p.measures[0].id == "M1"


def test_mdc_chart_colours_points_by_variation_and_writes_the_icons_in_words() -> None:
    p = project("{type: xmr}")
    a = analyse(p, p.measures[0])
    # Falls rate, lower is better: the high first year is a concern, the low second year an improvement.
    assert a.variation == ["concern"] * 12 + ["improvement"] * 10
    assert (a.variation_icon, a.assurance_icon) == ("improvement_low", "fail")  # the limits (6.6 to 9.0) lie wholly above the goal of 6
    svg = chart(p, p.measures[0], "svg")
    text = svg_text(svg)
    for words in ("special cause improvement (low)", "the process will not meet the goal", "special cause: concern"):
        assert words in text, words


def test_chart_command_prints_each_phase_and_signal_in_words(tmp_path: Path, capsys) -> None:
    points = "\n".join(f"      - {{period: {2024 + i // 12}-{i % 12 + 1:02d}, value: {v}}}" for i, v in enumerate(BEFORE + AFTER))
    path = tmp_path / "falls.yaml"
    path.write_text("driverkit: 1\ntitle: Fewer falls\naim: {improve: falls, measures: [M1]}\nmeasures:\n  - id: M1\n"
                    "    name: Falls rate\n    family: outcome\n    better: lower\n    chart: {type: xmr}\n    data:\n" + points + "\n",
                    encoding="utf-8")
    assert main(["chart", str(path), "-o", str(tmp_path), "-f", "svg"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "M1 Falls rate: xmr chart, mdc rules, 22 points"
    assert lines[2] == "  Phase 1: 2024-01 to 2025-10, 22 points, centre 7.809, limits 6.618 to 9, mean moving range 0.4476, 22 point(s) flagged"
    assert "  signal (mdc): shift (high): 12 point(s), 2024-01 to 2024-12" in lines  # two shifts, not one of 22
    assert "  signal (mdc): shift (low): 10 point(s), 2025-01 to 2025-10" in lines
    assert "  signal (mdc): two of three (low): 3 point(s), 2025-01 to 2025-02, 2025-04" in lines
    assert lines[-1] == "  making data count: special cause improvement (low)"  # no goal, so no assurance


def test_notes_are_numbered_on_their_points_and_written_out_under_the_chart() -> None:
    p = project("{type: run}")
    p.measures[0].data[12].note = "Safety huddle starts on every ward, after PDSA1 showed it takes five minutes"
    text = svg_text(chart(p, p.measures[0], "svg"))
    assert "(1) 2025-01: Safety huddle starts on every ward, after PDSA1 showed it takes five minutes" in text


def test_mdc_shift_length_and_moving_range_screening_are_settings() -> None:
    # Six points (8.6 to 9.1) below the mean of 10.45: a shift at the default of 6, none at 7.
    values = [10, 12, 10, 12, 10, 12, 10, 12, 10.5, 8.6, 9, 8.8, 9.2, 8.7, 9.1, 12, 10, 12, 10, 12, 11.5]
    p = project("{type: xmr}", values)
    assert [(s.rule, s.points) for s in analyse(p, p.measures[0]).signals] == [("shift", (9, 10, 11, 12, 13, 14))]
    p = project("{type: xmr, shift: 7}", values)
    assert analyse(p, p.measures[0]).signals == []
    # Mean 190 / 16 = 11.875; moving ranges sum to 58 over 15, so the upper limit is 11.875 + 2.66 x 3.867 = 22.16.
    # Screening drops the ranges 19 and 20 (above 3.267 x 3.867 = 12.63): 19 / 13 = 1.462, upper 15.76.
    values = [10, 11, 10, 12, 10, 11, 10, 12, 10, 11, 30, 10, 11, 10, 12, 10]
    p = project("{type: xmr}", values)
    assert analyse(p, p.measures[0]).upper[0] == pytest.approx(22.16, abs=0.005)
    p = project("{type: xmr, screening: true}", values)
    assert analyse(p, p.measures[0]).upper[0] == pytest.approx(15.763, abs=0.001)


def test_a_baseline_is_a_count_of_points_or_the_points_before_a_period() -> None:
    by_count, by_period = project("{type: run, baseline: 12}"), project("{type: run, baseline: 2025-01}")
    assert analyse(by_count, by_count.measures[0]).centre == analyse(by_period, by_period.measures[0]).centre
    assert analyse(by_count, by_count.measures[0]).centre[-1] == pytest.approx(8.85)  # the first year's median, extended
    with pytest.raises(driverkit.ProjectError, match="at least 2 points"):
        project("{type: run, baseline: 1}")


def test_points_beyond_3_sigma_count_towards_two_of_three_only_when_asked() -> None:
    # Mean 11.07, 2 sigma at 13.51, 3 sigma at 14.74: in 11.5, 14, 17 only 14 lies between 2 and 3 sigma.
    values = [10, 11] * 8 + [11.5, 14, 17, 11.5, 10.4]
    rules = {}
    for switch in ("false", "true"):
        p = project(f"{{type: xmr, two_of_three_beyond_3_sigma: {switch}}}", values)
        rules[switch] = {s.rule: s.points for s in analyse(p, p.measures[0]).signals}
    assert "two of three" not in rules["false"] and rules["true"]["two of three"] == (17, 18)
    assert rules["false"]["beyond limit"] == rules["true"]["beyond limit"] == (18,)


def test_many_notes_are_all_listed_and_the_baseline_and_phases_start_on_the_first_day_of_their_period() -> None:
    p = project("{type: run}")
    for i, point in enumerate(p.measures[0].data):
        point.note = f"Note {i + 1} on what happened on the ward that month, long enough to need shortening"
    text = svg_text(chart(p, p.measures[0], "svg"))
    assert all(f"({n}) " in text for n in range(1, 23))
    # Weekly data from 6 May 2024; July begins at the ninth point, so the baseline is the first eight.
    values = [10, 12, 11, 13, 10, 12, 11, 13, 20, 21, 22, 20, 21, 22, 20, 21]
    weeks = "\n".join(f"      - {{period: {datetime.date(2024, 5, 6) + datetime.timedelta(weeks=i)}, value: {v}}}"
                       for i, v in enumerate(values))
    p = driverkit.loads("driverkit: 1\ntitle: T\naim: {improve: x}\nmeasures:\n  - name: Waits\n    family: process\n"
                        "    chart: {type: run, baseline: 2024-07, phases: [{from: 2024-05, note: first week}]}\n    data:\n" + weeks + "\n")
    a = analyse(p, p.measures[0])
    assert a.periods[8] == "2024-07-01" and a.centre[0] == 11.5  # the median of the eight points before July
    assert [ph.label for ph in a.phases] == ["Phase 1: first week"]


def test_the_summary_does_not_claim_a_reading_it_could_not_make() -> None:
    p = project("{type: run}", [5] * 15)
    assert analyse(p, p.measures[0]).summary()[1:] == [
        "  Phase 1: 2024-01 to 2025-03, 15 points (0 off the centre line), centre 5, no point off the centre line,"
        " so no runs to read, 0 signal(s)", "  not read: too few points off the centre line"]
    p = project("{type: xmr}", [5, 6, 7, 5, 6, 7, 5, 6, 7, 5])
    assert analyse(p, p.measures[0]).summary()[-1] == "  not read yet: Making Data Count draws limits and reads signals from 13 points"


def test_the_measurement_plan_page_shows_each_chart_with_its_summary() -> None:
    import base64
    import re

    p = project("{type: run}")
    page = driverkit.render(p, "html", view="measurement-plan").decode("utf-8")
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(images) == 1 and b"Inpatient falls rate" in base64.b64decode(images[0])
    assert "signal (anhoej): longest run 11 &gt; 7 (above the centre line), 2024-02 to 2024-12" in page  # the summary, escaped
    assert page == driverkit.render(p, "html", view="measurement-plan").decode("utf-8")



def test_the_markdown_plan_gives_each_reading_and_links_the_charts_when_told_where_they_are(tmp_path: Path) -> None:
    p = project("{type: run}")
    plain = driverkit.render(p, "md", view="measurement-plan").decode("utf-8")
    assert "## Run charts and SPC charts" in plain and "### M1 Inpatient falls rate" in plain
    assert "- signal (anhoej): longest run 11 \\> 7 (above the centre line), 2024-02 to 2024-12" in plain  # escaped for Markdown
    assert "![" not in plain  # no image without a place for it
    linked = driverkit.render(p, "md", view="measurement-plan", chart_images="charts/falls-{id}.svg").decode("utf-8")
    assert "![M1 Inpatient falls rate](charts/falls-M1.svg)" in linked
    # From the command line, the charts are written beside the Markdown and linked by name.
    source = tmp_path / "falls.yaml"
    source.write_text(project_text("{type: run}"), encoding="utf-8")
    assert main(["render", str(source), "--view", "measurement-plan", "-f", "md", "-o", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "falls-measurement-plan.md").read_text(encoding="utf-8")
    assert "![M1 Inpatient falls rate](falls-M1.svg)" in page
    assert (tmp_path / "out" / "falls-M1.svg").read_bytes() == chart(p, p.measures[0], "svg")
    # Two wards' files of one name go to folders of their own, each plan linking its own charts.
    for ward in ("ward 7", "ward 9"):
        (tmp_path / ward).mkdir()
        (tmp_path / ward / "plan.yaml").write_text(project_text("{type: run}"), encoding="utf-8")
    assert main(["render", str(tmp_path / "ward 7" / "plan.yaml"), str(tmp_path / "ward 9" / "plan.yaml"),
                 "--view", "measurement-plan", "-f", "md", "-o", str(tmp_path / "wards")]) == 0
    for page_file in (tmp_path / "wards").rglob("*.md"):
        link = page_file.read_text(encoding="utf-8").split("](")[1].split(")")[0]
        assert (page_file.parent / link).is_file(), link


EVENTS = """driverkit: 1
title: Fewer falls
aim: {improve: falls, measures: [M1]}
drivers:
  - id: P1
    text: Risk known
    measures: [M2]
    changes:
      - {id: C1, text: Falls risk assessment at admission, status: adopted, introduced: 2024-07}
      - {id: C2, text: Bed rails reviewed daily, status: adopted, introduced: 2023-06}
  - id: P2
    text: Staff present
    changes:
      - {id: C3, text: Bay nursing, status: adopted, introduced: 2024-09}
pdsa:
  - {id: PDSA1, change: C1, title: One ward for a week, start: 2024-05-13}
  - {id: PDSA2, change: C3, start: 2024-04-02}
measures:
"""


def events_project(periods: list[str]) -> driverkit.Project:
    data = "".join(f"      - {{period: '{period}', value: {i % 3}}}\n" for i, period in enumerate(periods))
    return driverkit.loads(EVENTS + "".join(f"  - id: {m}\n    name: Falls {m}\n    family: outcome\n    data:\n{data}" for m in ("M1", "M2")))


def test_change_ideas_introduced_and_cycles_started_are_placed_on_the_charts_of_the_measures_they_move() -> None:
    p = events_project([f"2024-{m:02d}" for m in range(1, 13)])
    on_aim, on_driver = (analyse(p, m).events for m in p.measures)
    # The aim's measure shows every change idea introduced while its data ran (C2, in 2023, is before
    # the data begin), but no PDSA cycle: small tests would crowd an outcome chart.
    assert [(e.kind, e.id, p.measures[0].data[e.index].period) for e in on_aim] == [("change", "C1", "2024-07"), ("change", "C3", "2024-09")]
    # P1's measure shows what serves P1: C1 and its cycle, each at the month it falls in; not C3 nor PDSA2 (P2's).
    assert [(e.kind, e.id, e.index) for e in on_driver] == [("cycle", "PDSA1", 4), ("change", "C1", 6)]
    summary = analyse(p, p.measures[1]).summary()
    assert "  PDSA1 started 2024-05-13 (at 2024-05): One ward for a week" in summary
    assert "  C1 introduced 2024-07: Falls risk assessment at admission" in summary
    text = svg_text(chart(p, p.measures[1]))
    for words in ("change idea introduced", "PDSA cycle started", "C1 introduced 2024-07: Falls risk assessment at admission",
                  "PDSA1 started 2024-05: One ward for a week"):
        assert words in text
    assert "C3" not in text


def test_events_need_dated_periods_and_the_analysis_is_plain_data() -> None:
    labelled = events_project([f"Week {w}" for w in range(1, 9)])
    assert analyse(labelled, labelled.measures[1]).events == []
    p = events_project([f"2024-{m:02d}" for m in range(1, 13)])
    data = analyse(p, p.measures[1]).as_dict()
    assert data["measure"] == "M2" and data["events"][0] == {
        "kind": "cycle", "id": "PDSA1", "text": "One ward for a week", "date": "2024-05-13", "index": 4}
    assert json.loads(json.dumps(data)) == data


def test_events_are_placed_whatever_the_granularity_and_dated_as_written() -> None:
    # Weekly data from the middle of March: a change introduced "2024-03" is at the first week.
    weeks = [f"2024-03-{d}" for d in (10, 17, 24, 31)]
    text = EVENTS.replace("introduced: 2024-07", "introduced: 2024-03").replace("introduced: 2024-09", "introduced: 2024-03-20")
    data = "".join(f"      - {{period: '{w}', value: {i}}}\n" for i, w in enumerate(weeks))
    q = driverkit.loads(text + f"  - id: M1\n    name: Falls\n    family: outcome\n    data:\n{data}")
    found = analyse(q, q.measures[0])
    assert [(e.id, e.index) for e in found.events] == [("C1", 0), ("C3", 2)]
    assert [e["date"] for e in found.as_dict()["events"]] == ["2024-03", "2024-03-20"]  # as written, not the month's end


def test_a_measure_from_elsewhere_is_analysed_without_events() -> None:
    p = events_project([f"2024-{m:02d}" for m in range(1, 13)])
    extra = driverkit.Measure(id="X1", name="Ad hoc", family="process", data=p.measures[1].data)
    assert analyse(p, extra).events == [] and len(analyse(p, extra).values) == 12
    copy = p.model_copy(deep=True)
    assert analyse(copy, p.measures[1]).events == analyse(p, p.measures[1]).events



def test_an_xmr_chart_can_show_its_moving_ranges_phase_by_phase() -> None:
    values = [10, 12, 11, 14, 13, 30, 9, 8, 10, 9]
    p = project("{type: xmr, rules: anhoej, moving_range: true, phases: [{from: 2024-07, note: new rota}]}", values)
    p.measures[0].data[2].exclude = True
    a = analyse(p, p.measures[0])
    # Phase 1 (Jan to Jun, March excluded): 10, 12, 14, 13, 30 -> ranges 2, 2, 1, 17 (mean 5.5);
    # phase 2 starts afresh at July: 9, 8, 10, 9 -> ranges 1, 2, 1 (mean 4 / 3).
    assert a.moving_range == [None, 2, None, 2, 1, 17, None, 1, 2, 1]
    assert a.moving_range_centre[0] == 5.5 and a.moving_range_upper[0] == pytest.approx(3.267 * 5.5)
    assert a.moving_range_centre[-1] == pytest.approx(4 / 3)
    assert "mean moving range 5.5" in a.summary()[1]
    text = svg_text(chart(p, p.measures[0]))
    assert "moving range" in text and "moving range above its upper limit" not in text  # 17 < 17.97
    assert "moving range" not in svg_text(chart(project("{type: xmr}", values), project("{type: xmr}", values).measures[0]))


def test_an_mdc_trend_is_named_by_its_direction_not_by_the_side_of_the_mean_its_points_are_on() -> None:
    # A falling trend of 7 (points 13 to 19) begins above the mean, inside a shift above it: it is one
    # trend down, not a trend "up" for its first points and "down" for the rest.
    values = [5, 6, 5, 6, 5, 6, 5, 9, 9.5, 9.1, 9.6, 9.3, 9.7, 9.0, 8, 6.5, 4, 3, 2, 5, 6, 5]
    p = project("{type: xmr, rules: mdc}", values)
    trends = [(s.detail, s.points) for s in analyse(p, p.measures[0]).signals if s.rule == "trend"]
    assert trends == [("trend (low): 7 point(s)", (12, 13, 14, 15, 16, 17, 18))]


def test_a_baseline_is_said_in_the_summary_and_shaded_on_the_chart(tmp_path: Path, capsys) -> None:
    p = project("{type: run, baseline: 12}")
    a = analyse(p, p.measures[0])
    assert a.phases[0].baseline == 12 and "centre 8.85 (from its first 12 points, 2024-01 to 2024-12, extended)" in a.summary()[1]
    assert "baseline: centre line from these 12 points" in svg_text(chart(p, "M1"))
    source = tmp_path / "falls.yaml"
    source.write_text(project_text("{type: run}") + "  - {id: M2, name: Falls with harm, family: outcome}\n", encoding="utf-8")
    assert main(["chart", str(source), "--measure", "M2", "-o", str(tmp_path)]) == 2
    assert "no data for M2" in capsys.readouterr().err


def test_the_chart_command_places_each_problem_as_check_does(tmp_path: Path, capsys) -> None:
    (tmp_path / "falls.csv").write_text("period,value\n2024-01,3\n2024-02,x\n2024-03,4\n", encoding="utf-8")
    source = tmp_path / "falls.yaml"
    source.write_text("driverkit: 1\ntitle: Falls\naim: {improve: falls}\nmeasures:\n  - id: M1\n    name: Falls\n"
                      "    family: outcome\n    data_file: falls.csv\n    chart: {type: run, screening: true}\n", encoding="utf-8")
    assert main(["chart", str(source), "-o", str(tmp_path / "out")]) == 1  # a bad row is an error; the chart is drawn without it
    assert (tmp_path / "out" / "falls-M1.svg").is_file()
    err = capsys.readouterr().err
    assert f"{tmp_path / 'falls.csv'}:3:9: M1: `x` in column value is not a number" in err
    assert f"{source}:9:35: M1: screening applies to XmR charts; this is a run chart" in err


def test_settings_are_read_even_when_no_row_of_data_can_be_used() -> None:
    p = driverkit.loads("driverkit: 1\ntitle: Falls\naim: {improve: falls}\nmeasures:\n  - id: M1\n    name: Falls\n"
                        "    family: outcome\n    chart: {type: p, rules: mdc, screening: true}\n    data:\n"
                        "      - {period: 2024-01, numerator: 2}\n")
    a = analyse(p, "M1")
    assert a.values == [] and a.profile == "anhoej"
    assert [setting for setting, _ in a.setting_problems] == [("rules",), ("screening",)]


def test_a_first_phase_of_one_point_is_joined_to_the_next_under_the_mdc_rules_too() -> None:
    values = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 8, 8, 7, 8]
    p = project("{type: xmr, rules: mdc, phases: [{from: 2024-02, note: huddles}]}", values)
    a = analyse(p, "M1")  # a one-point partition used to stop the reading with an error
    assert [(ph.label, ph.first, ph.last) for ph in a.phases] == [("Phase 1: huddles", 0, 13)]  # named by the phase it joins
    assert a.setting_problems == [(("phases", 0, "from"), "the phase from 2024-02 has fewer than 2 points before it; they are joined to it")]
    assert a.centre[0] is not None


def test_the_chart_command_takes_several_files_and_folders(tmp_path: Path, capsys) -> None:
    for ward in ("ward 7", "ward 9"):
        (tmp_path / ward).mkdir()
        (tmp_path / ward / "falls.yaml").write_text(project_text("{type: run}"), encoding="utf-8")
    assert main(["chart", str(tmp_path), "-o", str(tmp_path / "out"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(Path(r["file"]).parent.name, r["measure"]) for r in report] == [("ward 7", "M1"), ("ward 9", "M1")]
    # Files of one name keep apart: each chart under the path that tells them apart.
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.svg")) == [
        "ward 7/falls-M1.svg", "ward 9/falls-M1.svg"]


def test_the_chart_command_charts_a_file_once_however_named_and_refuses_standard_input(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "falls.yaml").write_text(project_text("{type: run}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["chart", "falls.yaml", "./falls.yaml", str(tmp_path / "falls.yaml"), "-o", "out", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["chart", "-"]) == 2
    assert "not standard input" in capsys.readouterr().err
    # A label series: a baseline written as a date is a period no point has.
    weeks = driverkit.loads(project_text("{type: run, baseline: 2024-06}").replace("period: 202", "period: Week 202"))
    assert analyse(weeks, "M1").setting_problems[0][1].startswith("baseline 2024-06: no point has that period")
