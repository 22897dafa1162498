"""The run-chart rules in driverkit.spc.runchart: the Anhøj limits against their published table, and
hand-made series whose expected results are worked out in each test's docstring."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from driverkit.spc.runchart import anhoej, crossings_min, ihi, longest_run_max, median

# Critical values for the longest run and the number of crossings, n_useful = 10 to 100, as
# published in the qicharts2 documentation (anhoej/qicharts2, vignettes/qicharts2.Rmd, "Appendix 2:
# Critical values for longest run and number of crossings"). Each entry: "n_useful max min".
# Copied from tests/data/spc/anhoej_critical_values.csv (the published table) into the test itself;
# test_embedded_table_matches_reference_csv checks the copy when that file is present.
ANHOEJ_TABLE = [
    "10 6 2", "11 6 2", "12 7 3", "13 7 3", "14 7 4", "15 7 4",
    "16 7 4", "17 7 5", "18 7 5", "19 7 6", "20 7 6", "21 7 6",
    "22 7 7", "23 8 7", "24 8 8", "25 8 8", "26 8 8", "27 8 9",
    "28 8 9", "29 8 10", "30 8 10", "31 8 11", "32 8 11", "33 8 11",
    "34 8 12", "35 8 12", "36 8 13", "37 8 13", "38 8 14", "39 8 14",
    "40 8 14", "41 8 15", "42 8 15", "43 8 16", "44 8 16", "45 8 17",
    "46 9 17", "47 9 17", "48 9 18", "49 9 18", "50 9 19", "51 9 19",
    "52 9 20", "53 9 20", "54 9 21", "55 9 21", "56 9 21", "57 9 22",
    "58 9 22", "59 9 23", "60 9 23", "61 9 24", "62 9 24", "63 9 25",
    "64 9 25", "65 9 25", "66 9 26", "67 9 26", "68 9 27", "69 9 27",
    "70 9 28", "71 9 28", "72 9 29", "73 9 29", "74 9 29", "75 9 30",
    "76 9 30", "77 9 31", "78 9 31", "79 9 32", "80 9 32", "81 9 33",
    "82 9 33", "83 9 34", "84 9 34", "85 9 34", "86 9 35", "87 9 35",
    "88 9 36", "89 9 36", "90 9 37", "91 10 37", "92 10 38", "93 10 38",
    "94 10 39", "95 10 39", "96 10 39", "97 10 40", "98 10 40", "99 10 41",
    "100 10 41",
]
ROWS = [tuple(int(x) for x in entry.split()) for entry in ANHOEJ_TABLE]
REFERENCE_CSV = Path(__file__).parent / "data" / "spc" / "anhoej_critical_values.csv"


def test_embedded_table_matches_reference_csv() -> None:
    """The embedded rows are the reference CSV's rows, n = 10 to 100 (skipped without the file)."""
    if not REFERENCE_CSV.exists():
        pytest.skip("reference CSV not present on this machine")
    with REFERENCE_CSV.open(newline="", encoding="utf-8") as f:
        published = [(int(r["n_useful"]), int(r["exp_longest_run_max"]), int(r["exp_n_crossings_min"]))
                     for r in csv.DictReader(f)]
    assert published == ROWS
    assert [n for n, _, _ in ROWS] == list(range(10, 101))


@pytest.mark.parametrize(("n", "run_max", "cross_min"), ROWS)
def test_limits_equal_published_critical_values(n: int, run_max: int, cross_min: int) -> None:
    """Source: qicharts2 documentation, "Appendix 2: Critical values for longest run and number of
    crossings" (Anhøj and Olesen 2014: round(log2(n) + 3) and qbinom(0.05, n - 1, 0.5)). The
    limits are checked directly and through anhoej() on an alternating series of n useful points
    around centre 0 (n - 1 crossings, longest run 1)."""
    assert longest_run_max(n) == run_max
    assert crossings_min(n) == cross_min
    result = anhoej([(-1) ** i for i in range(n)], centre=0)
    assert (result.n_useful, result.longest_run_max, result.crossings_min) == (n, run_max, cross_min)


def test_small_limits_by_hand() -> None:
    """n = 1: log2(1) + 3 = 3; Binomial(0, 0.5) is 0 with certainty, so the 5th percentile is 0.
    n = 6: log2(6) + 3 = 5.585 -> 6; Binomial(5, 0.5): P(X <= 0) = 1/32 = 0.031 < 0.05,
    P(X <= 1) = 6/32 = 0.19 >= 0.05, so 1. n = 0 has no limits."""
    assert (longest_run_max(1), crossings_min(1)) == (3, 0)
    assert (longest_run_max(6), crossings_min(6)) == (6, 1)
    with pytest.raises(ValueError):
        longest_run_max(0)
    with pytest.raises(ValueError):
        crossings_min(0)


def test_median() -> None:
    """Odd count: the middle of 1, 3, 9 is 3. Even count: the mean of 2 and 3 is 2.5. Time order
    does not matter."""
    assert median([9, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        median([1.0, float("nan")])


def test_points_on_the_median_are_ignored() -> None:
    """1, 2, 3, 4, 5: the median is 3, so point 2 is on it; 4 useful points, below (0, 1) then
    above (3, 4): two runs of 2 and one crossing (1 -> 3 counts once)."""
    result = anhoej([1, 2, 3, 4, 5])
    assert (result.centre, result.n, result.n_useful) == (3, 5, 4)
    assert (result.longest_run, result.crossings) == (2, 1)


def test_a_point_on_the_centre_neither_adds_to_nor_breaks_a_run() -> None:
    """Centre 5: 1, 1, 5, 1, 1, 9, 9. Point 2 is on the centre; points 0, 1, 3, 4 are one run of
    4 below (not two runs of 2, not a run of 5), then 5, 6 above. n_useful = 6, crossings = 1;
    limits for 6: max 6, min 1, so no signal."""
    result = anhoej([1, 1, 5, 1, 1, 9, 9], centre=5)
    assert (result.n_useful, result.longest_run, result.crossings) == (6, 4, 1)
    assert (result.longest_run_max, result.crossings_min, result.signal) == (6, 1, False)


def test_run_of_six_against_a_limit_of_six_does_not_signal() -> None:
    """Centre 0: six points above, then -1, 1, -1, 1, -1. n_useful = 11, limit round(log2(11) +
    3) = round(6.46) = 6 (table row 11: 6, 2). The longest run is 6, not more than 6: no shift.
    Crossings: 5 (after point 5, then between each alternating pair), not fewer than 2."""
    result = anhoej([1] * 6 + [-1, 1, -1, 1, -1], centre=0)
    assert (result.n_useful, result.longest_run, result.longest_run_max) == (11, 6, 6)
    assert (result.crossings, result.crossings_min) == (5, 2)
    assert not result.shift_signal and not result.crossings_signal and not result.signal
    assert result.signal_runs == ()


def test_run_of_seven_against_a_limit_of_six_signals() -> None:
    """Centre 0: seven points above, then -1, 1, -1, 1. n_useful = 11 again (limit 6). The run
    of 7 (points 0 to 6) is longer than 6: a shift signal, and those are the points reported.
    Crossings: 4, not fewer than 2."""
    result = anhoej([1] * 7 + [-1, 1, -1, 1], centre=0)
    assert (result.longest_run, result.longest_run_max, result.crossings) == (7, 6, 4)
    assert result.shift_signal and not result.crossings_signal and result.signal
    assert result.signal_runs == ((0, 1, 2, 3, 4, 5, 6),)


def test_where_runs_start_and_end_and_two_longest_runs() -> None:
    """Centre 0: eight points above (0-7), eight below (8-15). n_useful = 16: table row 16 gives
    max 7 and min 4. Both runs have 8 points (> 7), so both are reported; the second starts at
    point 8, the first below the centre. One crossing, fewer than 4: crossings signal too."""
    result = anhoej([1] * 8 + [-1] * 8, centre=0)
    assert result.signal_runs == (tuple(range(0, 8)), tuple(range(8, 16)))
    assert (result.crossings, result.crossings_min) == (1, 4)
    assert result.shift_signal and result.crossings_signal


def test_crossings_counted_with_the_median_as_centre() -> None:
    """1 to 10: median 5.5; points 0-4 below, 5-9 above. n_useful = 10 (max 6, min 2). Longest
    run 5, not > 6; one crossing, fewer than 2: a crossings signal only."""
    result = anhoej(list(range(1, 11)))
    assert (result.centre, result.longest_run, result.crossings) == (5.5, 5, 1)
    assert not result.shift_signal and result.crossings_signal and result.signal


def test_crossings_skip_points_on_the_centre() -> None:
    """Centre 0: 1, 0, -1, 0, 0, 1, 1, 0, 1. Useful points: + (0), - (2), + (5), + (6), + (8).
    Crossings: 0 -> 2 and 2 -> 5, so 2; a point on the centre between sides is one crossing, and
    touching the centre (6 -> 7 -> 8) is none."""
    result = anhoej([1, 0, -1, 0, 0, 1, 1, 0, 1], centre=0)
    assert (result.n_useful, result.crossings, result.longest_run) == (5, 2, 3)


def test_all_points_on_the_centre() -> None:
    """5, 5, 5: every point is on the median, so nothing is useful: no runs, no limits, no
    signal."""
    result = anhoej([5, 5, 5])
    assert (result.n_useful, result.longest_run, result.crossings) == (0, 0, 0)
    assert (result.longest_run_max, result.crossings_min, result.signal) == (None, None, False)


def test_ihi_shift_of_six_and_not_five() -> None:
    """Centre 0: 1, 1, 1, 0, 1, 1, 1, -1. Point 3 is on the centre and neither breaks nor adds:
    points 0, 1, 2, 4, 5, 6 are six above, a shift. Dropping one of them leaves five: no shift."""
    result = ihi([1, 1, 1, 0, 1, 1, 1, -1], centre=0)
    assert result.shifts == ((0, 1, 2, 4, 5, 6),)
    assert result.shift_signal and result.signal
    result = ihi([1, 1, 1, 0, 1, 1, -1], centre=0)
    assert result.shifts == () and not result.shift_signal


def test_ihi_shifts_against_the_median() -> None:
    """12, 11, 13, 10, 14, 9, 1, 3, 2, 4, 0, 5: median (5 + 9) / 2 = 7; points 0-5 are above
    (six: a shift), 6-11 below (six: a shift). No trend: the values zigzag. Two runs."""
    result = ihi([12, 11, 13, 10, 14, 9, 1, 3, 2, 4, 0, 5])
    assert result.centre == 7
    assert result.shifts == (tuple(range(0, 6)), tuple(range(6, 12)))
    assert (result.runs, result.trends, result.trend_signal) == (2, (), False)


def test_ihi_trend_of_five_and_not_four() -> None:
    """1, 2, 3, 4, 5: five points going up, a trend. 1, 2, 3, 4: four, no trend. 5, 4, 3, 2, 1 is
    a trend going down."""
    assert ihi([1, 2, 3, 4, 5]).trends == ((0, 1, 2, 3, 4),)
    assert ihi([1, 2, 3, 4]).trends == ()
    assert ihi([5, 4, 3, 2, 1]).trends == ((0, 1, 2, 3, 4),)


def test_ihi_tie_neither_breaks_nor_adds_to_a_trend() -> None:
    """1, 2, 2, 3, 4, 5: the second 2 (point 2) repeats the previous value and is skipped, leaving
    1, 2, 3, 4, 5 at points 0, 1, 3, 4, 5: five going up, a trend (the tie did not break it).
    1, 2, 2, 3, 4: skipping point 2 leaves four points: no trend (the tie did not add one)."""
    assert ihi([1, 2, 2, 3, 4, 5]).trends == ((0, 1, 3, 4, 5),)
    assert ihi([1, 2, 2, 3, 4]).trends == ()


def test_ihi_trends_share_a_turning_point() -> None:
    """5, 4, 3, 2, 1, 2, 3, 4, 5: down over points 0-4, up over 4-8; point 4 ends one and starts
    the other. 5, 4, 3, 2, 1, 1, 2, 3, 4: the tie at point 5 is skipped; down over 0-4 (five, a
    trend), up over 4, 6, 7, 8 (four, no trend)."""
    assert ihi([5, 4, 3, 2, 1, 2, 3, 4, 5]).trends == ((0, 1, 2, 3, 4), (4, 5, 6, 7, 8))
    assert ihi([5, 4, 3, 2, 1, 1, 2, 3, 4]).trends == ((0, 1, 2, 3, 4),)


def test_ihi_reports_no_astronomical_point() -> None:
    """1, 2, 1, 2, 100: point 4 is far out, but an astronomical point is a judgement left to the
    analyst, so none is reported. Median 2: points 1 and 3 are on it; useful points 0 (-), 2 (-),
    4 (+): two runs."""
    result = ihi([1, 2, 1, 2, 100])
    assert result.astronomical == ()
    assert (result.n_useful, result.runs, result.signal) == (3, 2, False)
