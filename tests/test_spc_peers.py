"""The analysis of a measure's data against what the published peers state: the IHI runs table,
qicharts2 (excluded points, baseline, G chart, moving-range chart), PowerBI-SPC (G chart),
Making Data Count (fewer than 13 points), and the cases no peer reads well (data with no spread).

Reference data: /work/shared/spc-reference (see its README), copied here where a test needs it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import driverkit
from driverkit.spc import analyse
from driverkit.spc.attribute import t_chart, t_transform
from driverkit.spc.ihi_runs import RUNS_TABLE, runs_limits
from driverkit.spc.runchart import ihi
from driverkit.spc.xmr import THREE_SIGMA, mdc, xmr_limits
from tests.test_attribute import BETWEEN_EVENTS, TIMES_BETWEEN

REF = Path("/work/shared/spc-reference")


def measure_project(chart: str, values: list[float], *, excluded: tuple[int, ...] = (), extra_changes: str = "") -> driverkit.Project:
    """A project with one measure M1 of monthly values from 2024-01; `excluded` are 0-based positions."""
    points = "\n".join(f"      - {{period: {2024 + i // 12}-{i % 12 + 1:02d}, value: {v}{', exclude: true' if i in excluded else ''}}}"
                       for i, v in enumerate(values))
    changes = extra_changes or "      - {id: C1, text: Huddle, status: testing, owner: x, measures: [M1]}\n"
    return driverkit.loads(
        "driverkit: 1\ntitle: Waits\naim: {improve: waits, measures: [M1]}\n"
        f"drivers:\n  - text: Flow\n    changes:\n{changes}"
        f"measures:\n  - id: M1\n    name: Waiting time\n    family: outcome\n    better: lower\n    chart: {chart}\n    data:\n{points}\n")


# --- 1. the IHI runs rule: Perla, Provost and Murray, BMJ Qual Saf 2011;20:46-51, Table 1 ------------


def test_the_ihi_runs_table_is_the_published_one() -> None:
    # ihi_runs_table.csv: Table 1 transcribed row by row (10 to 60 useful points).
    assert (runs_limits(10), runs_limits(20), runs_limits(30), runs_limits(60)) == ((3, 9), (6, 16), (11, 21), (24, 38))
    assert runs_limits(9) is None and runs_limits(61) is None  # outside the table the rule does not apply
    if (REF / "ihi_runs_table.csv").is_file():
        with open(REF / "ihi_runs_table.csv", newline="", encoding="utf-8") as f:
            published = {int(r["useful_points"]): (int(r["too_few_below"]), int(r["too_many_above"])) for r in csv.DictReader(f)}
        assert RUNS_TABLE == published


def test_too_many_and_too_few_runs_against_the_table() -> None:
    # 20 useful points: fewer than 6 runs are too few, more than 16 too many (Table 1, row 20).
    zigzag = ihi([1, -1] * 10, centre=0)  # 20 runs
    assert (zigzag.runs, zigzag.runs_fewest, zigzag.runs_most, zigzag.many_runs_signal, zigzag.few_runs_signal) == (20, 6, 16, True, False)
    step = ihi([1] * 10 + [-1] * 10, centre=0)  # 2 runs (and two shifts)
    assert (step.runs, step.few_runs_signal, step.many_runs_signal) == (2, True, False)
    edge = ihi([1, 1, 1, -1, -1, -1] * 3 + [1, -1], centre=0)  # 8 runs: inside 6 to 16
    assert (edge.runs, edge.few_runs_signal, edge.many_runs_signal) == (8, False, False)
    six = ihi([-1, -1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1], centre=0)  # 6 runs: exactly the fewest
    assert (six.runs, six.few_runs_signal) == (6, False)


def test_the_summary_says_when_the_ihi_runs_rule_does_not_apply() -> None:
    p = measure_project("{type: run, rules: ihi}", [5, 7, 4, 8, 3, 9, 5, 7, 4])  # median 5: 7 useful points, below the table
    line = analyse(p, "M1").summary()[1]
    assert "the IHI runs rule does not apply: its table covers 10 to 60 useful points, not 7" in line
    p = measure_project("{type: run, rules: ihi}", [5, 7] * 10)  # 20 runs of 20 useful points: too many
    a = analyse(p, "M1")
    assert [s.rule for s in a.signals] == ["too many runs"]
    assert "  signal (ihi): 20 runs > 16 for 20 useful points (IHI runs table), 2024-01 to 2025-08" in a.summary()
    assert a.as_dict()["phases"][0]["runs_most"] == 16


# --- 2. excluded points are still judged (qicharts2 `qic(exclude = )`) ------------------------------


SPIKE = [10, 11, 9, 10, 12, 10, 9, 11, 10, 40, 10, 11, 9, 10]


def test_an_excluded_point_beyond_the_limits_is_drawn_against_them_and_named() -> None:
    # qicharts2: an excluded point is left out of the centre line and limits but still plotted against
    # them, and flagged when it falls outside. The 13 kept points: mean 132 / 13, moving ranges (none
    # across the excluded point) 1, 2, 1, 2, 2, 1, 2, 1, 0, 1, 2, 1, mean 16 / 12; limits at 3 sigma
    # (13.70 above); 40 is far above.
    p = measure_project("{type: xmr, rules: anhoej}", SPIKE, excluded=(9,))
    a = analyse(p, "M1")
    assert a.upper[9] == pytest.approx(a.upper[0]) and a.upper[9] == pytest.approx(132 / 13 + THREE_SIGMA * 16 / 12)
    assert [(s.rule, s.points) for s in a.signals] == [("excluded beyond limit", (9,))]
    assert "  signal (anhoej): 1 excluded point(s) beyond 3 sigma, 2024-10" in a.summary()
    # Making Data Count has no such reading: an excluded point is neither drawn against limits nor flagged.
    b = analyse(measure_project("{type: xmr, rules: mdc}", SPIKE, excluded=(9,)), "M1")
    assert b.upper[9] is None and b.signals == []


def test_an_excluded_point_of_an_attribute_chart_has_its_own_limits() -> None:
    counts = [4, 6, 5, 3, 5, 4, 6, 5, 30, 4, 5, 6]
    a = analyse(measure_project("{type: c}", counts, excluded=(8,)), "M1")
    centre = sum(c for i, c in enumerate(counts) if i != 8) / 11  # 53 / 11
    assert a.centre[0] == pytest.approx(centre) and a.upper[8] == pytest.approx(centre + 3 * centre ** 0.5)
    assert [(s.rule, s.points) for s in a.signals] == [("excluded beyond limit", (8,))]


# --- 3. `baseline: N` counts kept points; the summary says which ----------------------------------


def test_a_baseline_counts_kept_points_and_the_summary_says_which() -> None:
    values = [10, 11, 9, 10, 12, 10, 9, 11, 10, 40, 10, 11, 9, 10, 20, 21, 19, 20]
    a = analyse(measure_project("{type: run, baseline: 12}", values, excluded=(9,)), "M1")
    # qicharts2's `freeze = 12` would take positions 1 to 12 (11 kept points); driverkit takes 12 kept
    # points, positions 1 to 13, and says so.
    assert a.phases[0].baseline == 12 and a.phases[0].baseline_last == 12
    assert "centre 10 (from its first 12 points, 2024-01 to 2025-01, the 1 excluded point among them not counted, extended)" in a.summary()[1]
    # The qicharts2 reading: the points before a period.
    b = analyse(measure_project("{type: run, baseline: 2025-01}", values, excluded=(9,)), "M1")
    assert b.phases[0].baseline == 11 and "from its first 11 points, 2024-01 to 2024-12, the 1 excluded point" in b.summary()[1]


# --- 4. G chart: the median as centre line, limits from the mean (qicharts2, PowerBI-SPC) --------


def test_a_g_chart_draws_the_median_and_reads_runs_against_it() -> None:
    # PowerBI-SPC golden output for these 67 counts (tests/test_attribute.py): centre line 24 (the
    # median), upper limit 128.1749 from the mean 31.6716.
    a = analyse(measure_project("{type: g}", BETWEEN_EVENTS), "M1")
    assert a.centre[0] == 24 and a.phases[0].mean == pytest.approx(31.6716, abs=1e-4)
    assert round(a.upper[0], 4) == 128.1749 and a.lower[0] == 0
    assert "centre line the median 24 (limits from the mean 31.67)" in a.summary()[1]
    above = sum(v > 24 for v in BETWEEN_EVENTS)
    below = sum(v < 24 for v in BETWEEN_EVENTS)
    assert a.phases[0].useful == above + below == 65  # runs read against the median: the two 24s left out
    assert {s.rule for s in a.signals} == {"beyond limit"} and a.signals[0].points == (23,)  # 183 > 128.17


# --- 5. T chart screening --------------------------------------------------------------------


def test_a_t_chart_screens_its_transformed_moving_ranges_when_asked() -> None:
    screened, plain = t_chart(TIMES_BETWEEN, screening=True), t_chart(TIMES_BETWEEN)
    y = [t_transform(t) for t in TIMES_BETWEEN]
    assert screened.transformed == xmr_limits(y, screening=True, factor=THREE_SIGMA)  # as for an I chart
    assert screened.transformed.screened_out >= 1 and screened.upper[0] < plain.upper[0]
    a = analyse(measure_project("{type: t, screening: true}", TIMES_BETWEEN), "M1")
    assert a.problems == [] and a.upper[0] == pytest.approx(screened.upper[0])


# --- 6. Making Data Count under 13 points: the mean, no limits, no icons ---------------------------


def test_under_13_points_making_data_count_shows_the_mean_only() -> None:
    # MDC XmR Testing, "Process limits - 10": mean 22.10, no limits (fewer than 13 points).
    values = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28]
    if (REF / "mdc_xmr_testing.csv").is_file():
        with open(REF / "mdc_xmr_testing.csv", newline="", encoding="utf-8") as f:
            values = [float(r["value"]) for r in csv.DictReader(f) if r["metric"] == "Process limits - 10"]
    a = analyse(measure_project("{type: xmr}", values), "M1")
    assert [round(c, 2) for c in a.centre] == [22.10] * 10 and set(a.upper) == {None}
    assert a.variation_icon is None and a.assurance_icon is None
    assert "centre 22.1" in a.summary()[1]
    assert "  not read yet: Making Data Count draws limits and reads signals from 13 points" in a.summary()
    assert json.loads(json.dumps(a.as_dict()))["phases"][0]["centre"] == pytest.approx(22.1)


# --- 7. the moving-range chart is read (qicharts2 reads its MR chart for points above the limit) ----


def test_a_moving_range_above_its_upper_limit_is_a_signal() -> None:
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 3, 4, 3, 4]
    # Moving ranges: fourteen of 1 and one of 8 (11 to 3): mean 22 / 15 = 1.4667, upper range limit
    # 3.267 x 1.4667 = 4.79; the range of 8 at 2025-01 is above it.
    a = analyse(measure_project("{type: xmr, rules: anhoej, moving_range: true}", values), "M1")
    moving = [s for s in a.signals if s.rule == "moving range"]
    assert [s.points for s in moving] == [(12,)]
    assert a.moving_range_upper[0] == pytest.approx(3.267 * 22 / 15)
    assert "  signal (anhoej): 1 moving range(s) above the upper range limit 4.792, 2025-01" in a.summary()
    assert any(s["rule"] == "moving range" for s in a.as_dict()["signals"])
    pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
    from driverkit.spc.charts import chart
    from tests.test_charts import svg_text

    assert "moving range above its upper limit" in svg_text(chart(measure_project("{type: xmr, rules: anhoej, moving_range: true}", values), "M1"))


# --- 8. data with no spread: no limits rather than a wall of signals --------------------------------


def test_limits_cannot_be_computed_from_data_that_do_not_vary() -> None:
    a = analyse(measure_project("{type: xmr, rules: anhoej, baseline: 6}", [5, 5, 5, 5, 5, 5, 6, 4, 7, 5]), "M1")
    assert set(a.upper) == {None} and not any(s.rule == "beyond limit" for s in a.signals)
    assert "Phase 1: limits cannot be computed from data that do not vary (every value of its baseline is 5); no point is judged against them" in a.problems
    assert "no limits: every value of its baseline is 5" in a.summary()[1]
    b = analyse(measure_project("{type: xmr, baseline: 15}", [5] * 15 + [6]), "M1")  # mdc: 15 equal values, then one higher
    assert set(b.upper) == {None} and b.signals == [] and b.assurance_icon is None
    assert "no limits: every value of its baseline is 5" in b.summary()[1]
    c = analyse(measure_project("{type: c}", [0] * 12), "M1")  # no event at all: a c chart has no spread
    assert set(c.upper) == {None} and c.signals == []
    assert mdc([5] * 14 + [9], baseline_points=14).points[-1].rules == ()  # limits on the mean judge nothing


# --- 9. a sustained shift suggests a new phase; it is never applied ---------------------------------


STEP = [9, 8, 9.5, 8.5, 9, 8.8, 9.2, 8.7, 9.1, 8.9, 9.3, 8.6, 6, 6.5, 5.8, 6.2, 6.1, 5.9, 6.3, 6.4, 5.7, 6.6]


def test_a_sustained_shift_suggests_where_a_new_phase_could_start() -> None:
    text = measure_project("{type: run}", STEP)
    a = analyse(text, "M1")
    assert [(h.period, h.yaml) for h in a.suggestions] == [("2025-01", "- {from: 2025-01, note: what changed}")]
    assert a.centre[-1] == a.centre[0]  # suggested, not applied
    assert ("  suggestion: a new phase from 2025-01, where a sustained shift begins (anhoej: longest run 10 > 7 (below the centre line));"
            " if a change to the process explains it, add `- {from: 2025-01, note: what changed}` under the measure's `chart: phases:`") in a.summary()
    # Accepting it as written: the phase starts there and the shift is explained.
    accepted = analyse(measure_project("{type: run, phases: [" + a.suggestions[0].yaml[2:] + "]}", STEP), "M1")
    assert len(accepted.phases) == 2 and accepted.suggestions == [] and accepted.signals == []
    mdc_reading = analyse(measure_project("{type: xmr}", STEP), "M1")
    assert [h.period for h in mdc_reading.suggestions] == ["2025-01"] and mdc_reading.as_dict()["suggestions"][0]["index"] == 12


# --- 10. the charts: a change idea's line in words; a legend of what is drawn -------------------------


def test_a_change_idea_line_is_labelled_with_its_words_drawn_as_written() -> None:
    pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
    from driverkit.spc.charts import chart
    from tests.test_charts import svg_text

    change = ("      - {id: C1, text: 'Pay $5 and $6 for a taxi home when   the wait passes four hours', status: adopted,"
              " owner: x, measures: [M1], introduced: 2024-07}\n")
    p = measure_project("{type: run}", STEP, extra_changes=change)
    text = svg_text(chart(p, "M1"))
    assert "Pay $5 and $6 for a…" in text  # shortened at a word, dollars as written (no mathtext)
    assert "C1 introduced 2024-07: Pay $5 and $6 for a taxi home when the wait passes four hours" in text  # in full below


def test_the_legend_shows_a_marker_only_for_what_is_drawn() -> None:
    pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
    from matplotlib.figure import Figure

    from driverkit.spc.charts import _draw, _style

    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 3, 4, 3, 4]
    a = analyse(measure_project("{type: xmr, rules: anhoej}", STEP), "M1")
    b = analyse(measure_project("{type: xmr, rules: anhoej}", values), "M1")  # a moving-range signal, no panel drawn
    with _style():
        for analysis in (a, b):
            axes = Figure().add_subplot()
            _draw(axes, analysis, ranges=False)
            handles, labels = axes.get_legend_handles_labels()
            for handle, label in zip(handles, labels):
                if label.startswith(("anhoej: crossings", "anhoej: 1 moving range")):  # nothing marked on the chart
                    assert handle.get_marker() in ("none", "None"), label
    assert any(s.rule == "few crossings" for s in a.signals) and any(s.rule == "moving range" for s in b.signals)
