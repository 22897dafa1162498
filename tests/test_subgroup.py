"""Xbar and S charts for subgroups of varying size (driverkit.spc.subgroup).

Published values: D. C. Montgomery, Introduction to Statistical Quality Control, appendix table
"Factors for constructing variables control charts" (c4, A3, B3, B4, rounded to 4 and 3 decimals),
and chapter 6's piston-ring examples: with subgroups of 5, x-double-bar 74.001 and s-bar 0.0094
give Xbar limits 73.988 to 74.014 and an S chart upper limit of 0.0196 (lower 0); with variable
sizes, s-bar 0.0103 gives Xbar limits 73.986 to 74.016 for n = 5 and 73.981 to 74.021 for n = 3, and
S chart upper limits 0.022 (n = 5) and 0.026 (n = 3).
"""

from __future__ import annotations

import math

import pytest

from driverkit.spc.subgroup import Subgroup, a3, b3, b4, c4, summarise, xbar_s_chart

# n: (c4, A3, B3, B4), Montgomery's appendix table.
CONSTANTS = {
    2: (0.7979, 2.659, 0.000, 3.267), 3: (0.8862, 1.954, 0.000, 2.568), 4: (0.9213, 1.628, 0.000, 2.266),
    5: (0.9400, 1.427, 0.000, 2.089), 6: (0.9515, 1.287, 0.030, 1.970), 7: (0.9594, 1.182, 0.118, 1.882),
    8: (0.9650, 1.099, 0.185, 1.815), 9: (0.9693, 1.032, 0.239, 1.761), 10: (0.9727, 0.975, 0.284, 1.716),
    15: (0.9823, 0.789, 0.428, 1.572), 20: (0.9869, 0.680, 0.510, 1.490), 25: (0.9896, 0.606, 0.565, 1.435),
}


@pytest.mark.parametrize("n", sorted(CONSTANTS))
def test_the_constants_are_the_published_ones(n: int) -> None:
    assert (round(c4(n), 4), round(a3(n), 3), round(b3(n), 3), round(b4(n), 3)) == CONSTANTS[n]


def test_constants_for_large_subgroups_do_not_overflow() -> None:
    assert 0.999 < c4(1000) < 1 and b3(1000) > 0.9


def subgroups_with(centre: float, s_bar: float, sizes: list[int]) -> list[Subgroup]:
    """Subgroups whose weighted mean is `centre` and whose pooled deviation is `s_bar`."""
    return [Subgroup(n, centre, s_bar) for n in sizes]


def test_montgomery_piston_rings_equal_sizes() -> None:
    chart = xbar_s_chart(subgroups_with(74.001, 0.0094, [5] * 25))
    assert (round(chart.xbar_lower[0], 3), round(chart.xbar_upper[0], 3)) == (73.988, 74.014)
    assert (round(chart.s_lower[0], 4), round(chart.s_upper[0], 4)) == (0.0, 0.0196)


def test_montgomery_piston_rings_variable_sizes_give_limits_per_subgroup() -> None:
    chart = xbar_s_chart(subgroups_with(74.001, 0.0103, [5, 3, 5, 4, 3]))
    assert (round(chart.xbar_lower[0], 3), round(chart.xbar_upper[0], 3)) == (73.986, 74.016)
    assert (round(chart.xbar_lower[1], 3), round(chart.xbar_upper[1], 3)) == (73.981, 74.021)
    assert (round(chart.s_upper[0], 3), round(chart.s_upper[1], 3)) == (0.022, 0.026)
    assert chart.s_bar == pytest.approx(0.0103) and chart.centre == pytest.approx(74.001)


def test_centre_is_weighted_by_size_and_s_bar_is_pooled() -> None:
    # Worked by hand: (1, 2, 3) mean 2, s 1; (4, 6) mean 5, s sqrt(2); (10, 10, 13, 13) mean 11.5, s sqrt(3).
    chart = xbar_s_chart([[1, 2, 3], [4, 6], [10, 10, 13, 13]])
    assert chart.n == (3, 2, 4) and chart.xbar == (2.0, 5.0, 11.5)
    assert chart.s == pytest.approx((1.0, math.sqrt(2), math.sqrt(3)))
    assert chart.centre == pytest.approx((3 * 2 + 2 * 5 + 4 * 11.5) / 9)
    assert chart.s_bar == pytest.approx(math.sqrt((2 * 1 + 1 * 2 + 3 * 3) / 6))  # sum((n - 1) s^2) / sum(n - 1)
    assert chart.xbar_upper[1] == pytest.approx(chart.centre + a3(2) * chart.s_bar)
    plain = xbar_s_chart([[1, 2, 3], [4, 6], [10, 10, 13, 13]], pooled=False)
    assert plain.s_bar == pytest.approx((1 + math.sqrt(2) + math.sqrt(3)) / 3)


def test_a_baseline_takes_the_centre_and_s_bar_from_the_first_subgroups() -> None:
    chart = xbar_s_chart([[1, 2, 3], [2, 3, 4], [30, 40, 50]], baseline=2)
    assert chart.centre == pytest.approx(2.5) and chart.s_bar == pytest.approx(1.0)
    assert chart.xbar[2] > chart.xbar_upper[2] and chart.s[2] > chart.s_upper[2]


@pytest.mark.parametrize("call, message", [
    (lambda: xbar_s_chart([]), "at least one subgroup"),
    (lambda: xbar_s_chart([[1, 2], [3]]), "at least 2 values"),
    (lambda: xbar_s_chart([[1, 2], [3, float("nan")]]), "finite"),
    (lambda: xbar_s_chart([[1, 2], [3, 4]], baseline=3), "between 1 and 2"),
    (lambda: c4(1), "at least 2 values"),
])
def test_bad_input_is_refused_with_a_reason(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_summarise_gives_the_sample_standard_deviation() -> None:
    assert summarise([2, 4, 4, 4, 5, 5, 7, 9]) == Subgroup(8, 5.0, pytest.approx(math.sqrt(32 / 7)))
