"""Attribute control charts (driverkit.spc.attribute): p, u, Laney P' and U', c, g and T.

Published worked examples: D. C. Montgomery, Introduction to Statistical Quality Control,
chapter 7 (Control Charts for Attributes):
* p chart, orange juice cans: 30 samples of n = 50, 347 nonconforming cans,
  p = 347 / 1500 = 0.2313, UCL = 0.4102, LCL = 0.0524 (samples 15 and 23 above the UCL).
* c chart, printed circuit boards: 26 samples, 516 nonconformities, c = 19.85, UCL = 33.22,
  LCL = 6.48 (sample 6 below the LCL, sample 20 above the UCL).
* u chart, personal computers: 20 samples of n = 5 computers, 193 nonconformities, u = 1.93,
  UCL = 3.79, LCL = 0.07.
The published figures are rounded (to 4 or 2 decimals), so they are compared to that precision.
Laney's P' and U', the G and the T chart are checked against values published with their data by
others (see the section below). The other cases are small data sets worked by hand in the comments.
"""

from __future__ import annotations

import math

import pytest

from driverkit.spc.attribute import (
    T_POWER,
    c_chart,
    g_chart,
    p_chart,
    p_prime_chart,
    t_back_transform,
    t_chart,
    t_transform,
    u_chart,
    u_prime_chart,
)

ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
CIRCUIT_BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16,
                  19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15]
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]


def approx(x: float) -> object:
    return pytest.approx(x, rel=1e-9, abs=1e-12)


# --- published examples ----------------------------------------------------------------------

def test_p_chart_montgomery_orange_juice_cans() -> None:
    assert sum(ORANGE_JUICE) == 347 and len(ORANGE_JUICE) == 30
    chart = p_chart(ORANGE_JUICE, [50] * 30)
    assert chart.centre == approx(347 / 1500)
    assert round(chart.centre, 4) == 0.2313
    # sigma = sqrt(0.2313 x 0.7687 / 50) = 0.0596; 3 sigma = 0.1789
    assert all(round(u, 4) == 0.4102 for u in chart.upper)
    assert all(round(lo, 4) == 0.0524 for lo in chart.lower)
    above = [i + 1 for i, (v, u) in enumerate(zip(chart.values, chart.upper)) if v > u]
    assert above == [15, 23]  # 22 / 50 = 0.44 and 24 / 50 = 0.48


def test_c_chart_montgomery_circuit_boards() -> None:
    assert sum(CIRCUIT_BOARDS) == 516 and len(CIRCUIT_BOARDS) == 26
    chart = c_chart(CIRCUIT_BOARDS)
    assert chart.centre == approx(516 / 26)
    assert round(chart.centre, 2) == 19.85
    # 19.846 +/- 3 sqrt(19.846) = 19.846 +/- 13.365; the book rounds c to 19.85 first, giving
    # 33.22 and 6.48, so compare within 0.01
    assert chart.upper[0] == pytest.approx(33.22, abs=0.01)
    assert chart.lower[0] == pytest.approx(6.48, abs=0.01)
    outside = [i + 1 for i, (v, lo, u) in enumerate(zip(chart.values, chart.lower, chart.upper))
               if v < lo or v > u]
    assert outside == [6, 20]  # 5 below the LCL, 39 above the UCL


def test_u_chart_montgomery_personal_computers() -> None:
    assert sum(COMPUTERS) == 193 and len(COMPUTERS) == 20
    chart = u_chart(COMPUTERS, [5] * 20)
    # u = 193 / 100 = 1.93; 1.93 +/- 3 sqrt(1.93 / 5) = 1.93 +/- 1.864
    assert chart.centre == approx(1.93)
    assert all(round(u, 2) == 3.79 for u in chart.upper)
    assert all(round(lo, 2) == 0.07 for lo in chart.lower)


# --- p and P' ----------------------------------------------------------------------------------

def test_p_chart_limits_per_point_with_varying_denominators() -> None:
    chart = p_chart([1, 6, 3], [20, 50, 30])
    # p = (1 + 6 + 3) / (20 + 50 + 30) = 10 / 100 = 0.1; p(1 - p) = 0.09
    assert chart.chart == "p"
    assert chart.centre == approx(0.1)
    assert chart.values == (approx(0.05), approx(0.12), approx(0.1))
    # sigma_i = sqrt(0.09 / n_i): n = 20 -> 0.0670820, n = 50 -> 0.0424264, n = 30 -> 0.0547723
    assert chart.sigma == (approx(math.sqrt(0.09 / 20)), approx(math.sqrt(0.09 / 50)),
                           approx(math.sqrt(0.09 / 30)))
    assert chart.sigma[0] == pytest.approx(0.0670820, abs=1e-7)
    # UCL_i = 0.1 + 3 sigma_i = 0.3012461, 0.2272792, 0.2643168
    assert chart.upper == (pytest.approx(0.3012461, abs=1e-7), pytest.approx(0.2272792, abs=1e-7),
                           pytest.approx(0.2643168, abs=1e-7))
    # 0.1 - 3 sigma_i = -0.101, -0.027, -0.064: all clamped at 0
    assert chart.lower == (0.0, 0.0, 0.0)


def test_p_chart_upper_limit_clamped_at_one() -> None:
    chart = p_chart([9, 10], [10, 10])
    # p = 19 / 20 = 0.95; sigma = sqrt(0.95 x 0.05 / 10) = sqrt(0.00475) = 0.0689202
    # 0.95 + 3 x 0.0689202 = 1.1568 -> clamped at 1; LCL = 0.95 - 0.2067607 = 0.7432393
    assert chart.centre == approx(0.95)
    assert chart.upper == (1.0, 1.0)
    assert chart.lower[0] == pytest.approx(0.7432393, abs=1e-7)


def test_p_chart_with_no_events_has_zero_width_limits() -> None:
    chart = p_chart([0, 0], [10, 20])
    assert chart.centre == 0.0
    assert chart.lower == (0.0, 0.0) and chart.upper == (0.0, 0.0)


def test_p_prime_chart_laney_z_scores_and_limits() -> None:
    chart = p_prime_chart([1, 6, 3], [20, 50, 30])
    # p = 0.1 and sigma_i as in the p chart above
    # z_1 = (0.05 - 0.1) / 0.0670820 = -0.7453560
    # z_2 = (0.12 - 0.1) / 0.0424264 = 0.4714045
    # z_3 = (0.10 - 0.1) / 0.0547723 = 0
    assert chart.chart == "p_prime"
    assert chart.z == (pytest.approx(-0.7453560, abs=1e-7), pytest.approx(0.4714045, abs=1e-7),
                       0.0)
    # moving ranges 1.2167605 and 0.4714045, mean 0.8440825; sigma_z = 0.8440825 / 1.128 = 0.7483001
    assert chart.sigma_z == pytest.approx(0.7483001, abs=1e-7)
    assert chart.within_sigma == p_chart([1, 6, 3], [20, 50, 30]).sigma
    for s, s_i, u in zip(chart.sigma, chart.within_sigma, chart.upper):
        assert s == approx(s_i * chart.sigma_z)
        assert u == approx(0.1 + 3 * s_i * chart.sigma_z)
    # n = 20: 0.1 + 3 x 0.0670820 x 0.7483001 = 0.1 + 0.1505925 = 0.2505925
    assert chart.upper[0] == pytest.approx(0.2505925, abs=1e-7)
    # n = 50: 0.1 - 3 x 0.0424264 x 0.7483001 = 0.1 - 0.0952431 = 0.0047569 (not clamped)
    assert chart.lower[1] == pytest.approx(0.0047569, abs=1e-7)
    # n = 20: 0.1 - 0.1505925 < 0 -> clamped at 0
    assert chart.lower[0] == 0.0


def test_p_prime_chart_clamps_at_zero_and_one() -> None:
    chart = p_prime_chart([2, 9, 10], [10, 10, 10])
    # p = 21 / 30 = 0.7; sigma = sqrt(0.7 x 0.3 / 10) = 0.1449138
    # z = (0.2 - 0.7) / 0.1449138 = -3.4503278, (0.9 - 0.7) / ... = 1.3801311, (1.0 - 0.7) / ... = 2.0701967
    # moving ranges 4.8304589, 0.6900656; mean 2.7602622; sigma_z = 2.4470409
    # 0.7 +/- 3 x 0.1449138 x 2.4470409 = 0.7 +/- 1.0638: clamped to 0 and 1
    assert chart.sigma_z == pytest.approx(2.4470409, abs=1e-6)
    assert chart.lower == (0.0, 0.0, 0.0)
    assert chart.upper == (1.0, 1.0, 1.0)


# --- u and U' ----------------------------------------------------------------------------------

def test_u_chart_limits_per_point() -> None:
    chart = u_chart([30, 50, 40], [10, 20, 10])
    # u = 120 / 40 = 3; values 3.0, 2.5, 4.0
    assert chart.centre == approx(3.0)
    assert chart.values == (approx(3.0), approx(2.5), approx(4.0))
    # sigma_i = sqrt(3 / n_i): n = 10 -> 0.5477226, n = 20 -> 0.3872983
    # n = 10: 3 +/- 1.6431677 -> 1.3568323, 4.6431677
    # n = 20: 3 +/- 1.1618950 -> 1.8381050, 4.1618950
    assert chart.lower == (pytest.approx(1.3568323, abs=1e-7), pytest.approx(1.8381050, abs=1e-7),
                           pytest.approx(1.3568323, abs=1e-7))
    assert chart.upper == (pytest.approx(4.6431677, abs=1e-7), pytest.approx(4.1618950, abs=1e-7),
                           pytest.approx(4.6431677, abs=1e-7))


def test_u_chart_lower_limit_clamped_at_zero() -> None:
    chart = u_chart([3, 8, 4], [2, 4, 2])
    # u = 15 / 8 = 1.875; n = 2: 1.875 - 3 sqrt(0.9375) = -1.03 -> 0; n = 4: 1.875 - 2.054 -> 0
    assert chart.centre == approx(1.875)
    assert chart.lower == (0.0, 0.0, 0.0)
    assert chart.upper[0] == approx(1.875 + 3 * math.sqrt(1.875 / 2))  # 4.7797


def test_u_prime_chart_laney() -> None:
    chart = u_prime_chart([30, 50, 40], [10, 20, 10])
    # z = (3 - 3) / 0.5477226 = 0, (2.5 - 3) / 0.3872983 = -1.2909944, (4 - 3) / 0.5477226 = 1.8257419
    assert chart.chart == "u_prime"
    assert chart.z == (0.0, pytest.approx(-1.2909944, abs=1e-7), pytest.approx(1.8257419, abs=1e-7))
    # moving ranges 1.2909944, 3.1167363; mean 2.2038654; sigma_z = 2.2038654 / 1.128 = 1.9537814
    assert chart.sigma_z == pytest.approx(1.9537814, abs=1e-7)
    # n = 10: 3 + 3 x 0.5477226 x 1.9537814 = 3 + 3.2103904 = 6.2103904; 3 - 3.2103904 < 0 -> 0
    assert chart.upper[0] == pytest.approx(6.2103904, abs=1e-6)
    assert chart.lower[0] == 0.0
    # n = 20: 3 - 3 x 0.3872983 x 1.9537814 = 3 - 2.2700888 = 0.7299112
    assert chart.lower[1] == pytest.approx(0.7299112, abs=1e-6)


# --- c, g and T --------------------------------------------------------------------------------

def test_c_chart_small_counts_clamped_at_zero() -> None:
    chart = c_chart([1, 2, 0, 1])
    # c = 4 / 4 = 1; 1 +/- 3 sqrt(1) = -2 -> 0 and 4
    assert chart.centre == 1.0
    assert chart.sigma == (1.0,) * 4
    assert chart.lower == (0.0,) * 4 and chart.upper == (4.0,) * 4


def test_g_chart() -> None:
    chart = g_chart([10, 30, 5, 15])
    # g = 60 / 4 = 15; sigma = sqrt(15 x 16) = sqrt(240) = 15.4919334
    # UCL = 15 + 46.4758002 = 61.4758002; LCL = 15 - 46.48 < 0 -> 0
    assert chart.chart == "g"
    assert chart.centre == 15.0
    assert chart.sigma[0] == pytest.approx(15.4919334, abs=1e-7)
    assert chart.upper == (pytest.approx(61.4758002, abs=1e-7),) * 4
    assert chart.lower == (0.0,) * 4
    assert chart.median == 12.5  # (10 + 15) / 2, given but not the centre line


def test_g_chart_positive_lower_limit_is_impossible() -> None:
    # g - 3 sqrt(g (g + 1)) < g - 3 g < 0 for any g > 0, so the LCL is always 0
    assert g_chart([1000, 1000]).lower == (0.0, 0.0)


def test_t_transform_round_trip() -> None:
    assert T_POWER == 3.6
    for t in (0.0, 0.5, 1.0, 7.0, 42.25, 365.0):
        assert t_back_transform(t_transform(t)) == pytest.approx(t, rel=1e-12, abs=1e-12)
    assert t_transform(2 ** 3.6) == approx(2.0)
    assert t_back_transform(-0.5) == 0.0


def test_t_chart_lower_limit_clamped_at_zero() -> None:
    ys = [2, 3, 2, 4, 3]
    chart = t_chart([y ** 3.6 for y in ys])
    # on the y scale: mean = 14 / 5 = 2.8; moving ranges 1, 1, 2, 1 -> mean 1.25
    # sigma = 1.25 / 1.128 = 1.1081560; limits 2.8 +/- 3 sigma = 2.8 +/- 3.3244681
    # -> -0.5244681 (clamped at 0) and 6.1244681
    assert chart.transformed.mean == approx(2.8)
    assert chart.transformed.mean_moving_range == approx(1.25)
    assert chart.centre == approx(2.8 ** 3.6)  # 40.716
    assert chart.upper[0] == pytest.approx(681.469, abs=1e-3)  # 6.1244681 ** 3.6
    assert chart.lower == (0.0,) * 5
    assert chart.sigma[0] == approx(1.25 / 1.128)  # on the y scale


def test_t_chart_positive_lower_limit() -> None:
    chart = t_chart([y ** 3.6 for y in (10, 11, 10, 12)])
    # mean y = 43 / 4 = 10.75; moving ranges 1, 1, 2 -> 4 / 3; 3 sigma = 3 x (4 / 3) / 1.128 = 3.5460993
    # limits 7.2039007 and 14.2960993 on the y scale -> 7.2039007 ** 3.6 = 1222.486, 14.2960993 ** 3.6 = 14413.956
    assert chart.lower[0] == pytest.approx(1222.486, abs=1e-3)
    assert chart.upper[0] == pytest.approx(14413.956, abs=1e-3)
    assert chart.values == (approx(10 ** 3.6), approx(11 ** 3.6), approx(10 ** 3.6), approx(12 ** 3.6))


# --- Laney P' and U', G and T against values computed by others ----------------------------------
# Data: weekly NHS accident and emergency attendances and those seen within 4 hours, 20 weeks, from
# Mohammed MA, Panesar JS, Laney DB, Wilson R, "Statistical process control charts for attribute
# data involving very large sample sizes", BMJ Qual Saf 2013;22:362-8, as tabled in J. Anhøj's book
# "SPC for health care" (anhoej/spc4hc, chapter "Prime charts for very large subgroups").
# Expected limits, and the G and T data with their expected lines: the reference outputs of the
# PowerBI-SPC project (AUS-DOH-Safety-and-Quality/PowerBI-SPC, test/fixtures/golden/pp, up, g and t,
# commit 662780f), computed there in R with the formulas stated in driverkit.spc.attribute (for G, the
# centre drawn at the median; for T, no moving-range screening).
AE_SEEN = [266501, 264225, 276532, 281461, 269071, 261215, 270409, 279778, 270483, 270320,
           267923, 271478, 255353, 256820, 261835, 259144, 255910, 260863, 264465, 260989]
AE_ATTENDANCES = [280443, 276823, 291681, 296155, 282343, 275888, 283867, 295251, 284468, 282529,
                  279618, 283932, 266629, 268091, 276803, 271578, 266005, 273520, 278574, 273772]
AE_UPPER = [0.96567, 0.965753, 0.965421, 0.965326, 0.965627, 0.965775, 0.965593, 0.965345, 0.965579, 0.965623,
            0.965689, 0.965591, 0.965996, 0.965961, 0.965753, 0.965877, 0.966012, 0.96583, 0.965713, 0.965824]
AE_LOWER = [0.94013, 0.940046, 0.940378, 0.940473, 0.940173, 0.940025, 0.940207, 0.940454, 0.94022, 0.940177,
            0.940111, 0.940208, 0.939803, 0.939839, 0.940046, 0.939923, 0.939788, 0.939969, 0.940087, 0.939975]
BETWEEN_EVENTS = [23, 39, 15, 34, 1, 49, 98, 29, 27, 13, 45, 7, 10, 27, 24, 14, 20, 38, 44, 11, 10, 3, 113, 183,
                  3, 47, 18, 18, 33, 15, 2, 38, 27, 27, 1, 52, 23, 7, 26, 82, 5, 49, 5, 17, 24, 44, 26, 2, 27, 46,
                  55, 97, 22, 22, 20, 4, 60, 51, 7, 21, 66, 36, 25, 72, 15, 5, 3]
TIMES_BETWEEN = [16, 20, 5, 13, 1, 26, 46, 12, 12, 5, 19, 4, 3, 15, 14, 9, 8, 15, 21, 6, 3, 1, 56, 117, 1, 33,
                 9, 9, 19, 12, 1, 16, 13, 18, 1, 35, 16, 5, 21, 38, 3, 25, 3, 11, 13, 20, 9, 3, 8, 21, 24, 38, 8,
                 13, 9, 1, 30, 23, 3, 7, 22, 19, 11, 31, 6, 1, 1]


def test_p_prime_chart_accident_and_emergency_four_hours() -> None:
    chart = p_prime_chart(AE_SEEN, AE_ATTENDANCES)
    assert round(chart.centre, 4) == 0.9529
    assert [round(u, 6) for u in chart.upper] == AE_UPPER
    assert [round(lo, 6) for lo in chart.lower] == AE_LOWER
    # With samples this large the p chart's limits are far too narrow: 16 of the 20 weeks fall
    # outside them (all but weeks 5, 7, 18 and 20), and none outside the P' limits.
    plain = p_chart(AE_SEEN, AE_ATTENDANCES)
    outside = [i + 1 for i, (v, lo, u) in enumerate(zip(plain.values, plain.lower, plain.upper)) if not lo <= v <= u]
    assert len(outside) == 16 and set(range(1, 21)) - set(outside) == {5, 7, 18, 20}
    assert all(lo <= v <= u for v, lo, u in zip(chart.values, chart.lower, chart.upper))


def test_u_prime_chart_has_the_p_prime_limits_on_the_same_data() -> None:
    # sigma_i x sigma_z does not depend on the p (1 - p) or u factor, which cancels: the reference
    # U' limits equal the P' ones, though sigma_z differs (10.64 against 2.31).
    chart = u_prime_chart(AE_SEEN, AE_ATTENDANCES)
    assert [round(u, 6) for u in chart.upper] == AE_UPPER
    assert [round(lo, 6) for lo in chart.lower] == AE_LOWER
    assert round(chart.sigma_z, 2) == 2.31 and round(p_prime_chart(AE_SEEN, AE_ATTENDANCES).sigma_z, 2) == 10.64


def test_g_chart_reference_limits_and_median() -> None:
    chart = g_chart(BETWEEN_EVENTS)
    assert len(BETWEEN_EVENTS) == 67
    assert chart.median == 24  # the reference draws its centre line here
    assert round(chart.upper[0], 4) == 128.1749  # mean 31.6716 + 3 sqrt(31.6716 x 32.6716)
    assert round(chart.centre + 2 * chart.sigma[0], 4) == 96.0072 and round(chart.centre + chart.sigma[0], 4) == 63.8394
    assert set(chart.lower) == {0.0}


def test_t_chart_reference_limits() -> None:
    chart = t_chart(TIMES_BETWEEN)
    assert (round(chart.centre, 4), round(chart.upper[0], 4), round(chart.lower[0], 4)) == (11.2051, 106.0418, 0.0079)
    y = chart.transformed
    assert [round(t_back_transform(v), 4) for v in (y.upper_two_sigma, y.upper_one_sigma, y.lower_one_sigma)] == [57.8835, 27.9446, 3.2824]
    assert round(t_back_transform(y.lower_two_sigma), 3) == 0.502


# --- a baseline: the centre from the first k points, the limits drawn over every point ---------

def test_p_chart_baseline_centre_from_the_first_points_limits_for_all() -> None:
    chart = p_chart([2, 6, 9], [20, 40, 30], baseline=2)
    # p = (2 + 6) / (20 + 40) = 0.1333333; the third point's n = 30:
    # sigma_3 = sqrt(0.1333333 x 0.8666667 / 30) = 0.0620633; UCL_3 = 0.1333333 + 0.1861899 = 0.3195232
    assert chart.centre == approx(8 / 60)
    assert chart.upper[2] == pytest.approx(0.3195232, abs=1e-7)
    assert len(chart.lower) == 3 and chart.values[2] == approx(0.3)


def test_c_chart_baseline_flags_the_point_after_it() -> None:
    chart = c_chart([4, 6, 8, 20], baseline=3)
    # c = 18 / 3 = 6; UCL = 6 + 3 sqrt(6) = 13.3485, so the fourth count, 20, is above it
    assert chart.centre == 6.0
    assert chart.upper[3] == pytest.approx(13.3485, abs=1e-4)
    assert chart.values[3] > chart.upper[3]


def test_laney_baseline_takes_sigma_z_from_the_baseline_z_scores_only() -> None:
    chart = p_prime_chart([1, 6, 3, 20], [20, 50, 30, 40], baseline=3)
    whole = p_prime_chart([1, 6, 3], [20, 50, 30])
    # The first three points are the worked P' example above: p = 0.1, sigma_z = 0.7483001.
    assert chart.centre == approx(0.1) and chart.sigma_z == approx(whole.sigma_z)
    # The fourth point (20 / 40 = 0.5) gets a z-score and limits, but does not widen them.
    assert chart.z[3] == approx((0.5 - 0.1) / math.sqrt(0.1 * 0.9 / 40))
    assert chart.upper[3] == approx(0.1 + 3 * math.sqrt(0.1 * 0.9 / 40) * whole.sigma_z)


def test_g_and_t_charts_baseline() -> None:
    assert g_chart([10, 20, 30, 400], baseline=3).centre == 20.0  # mean of 10, 20, 30
    assert g_chart([10, 20, 30, 400], baseline=3).upper[3] == pytest.approx(20 + 3 * math.sqrt(20 * 21))
    times = [8.0, 27.0, 64.0, 1000.0]
    assert t_chart(times, baseline=3).transformed == t_chart(times[:3]).transformed
    assert u_chart([2, 4, 30], [10, 10, 10], baseline=2).centre == approx(0.3)
    assert u_prime_chart([2, 4, 3, 30], [10, 10, 10, 10], baseline=3).centre == approx(0.3)


# --- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: p_chart([1, 2], [10]), "one value per point"),
    (lambda: p_chart([1, 2], [10, 0]), r"denominators\[1\] is 0: it must be above zero"),
    (lambda: p_chart([11], [10]), "more than its denominator"),
    (lambda: p_chart([-1], [10]), "cannot be negative"),
    (lambda: p_chart([], []), "empty"),
    (lambda: p_chart([float("nan")], [10]), "finite"),
    (lambda: u_chart([1, 2, 3], [1, 2]), "one value per point"),
    (lambda: u_chart([1], [-2]), "cannot be negative"),
    (lambda: u_chart([1], [0]), "above zero"),
    (lambda: p_prime_chart([1], [10]), "at least two points"),
    (lambda: p_prime_chart([0, 0], [10, 10]), "z-scores are undefined"),
    (lambda: p_prime_chart([10, 10], [10, 10]), "z-scores are undefined"),
    (lambda: u_prime_chart([0, 0], [1, 2]), "z-scores are undefined"),
    (lambda: c_chart([]), "empty"),
    (lambda: c_chart([3, -1]), r"counts\[1\] is -1"),
    (lambda: g_chart([4, -2]), "cannot be negative"),
    (lambda: t_chart([5.0]), "at least two times"),
    (lambda: t_chart([5.0, -1.0]), "cannot be negative"),
    (lambda: t_chart([5.0, float("inf")]), "finite"),
    (lambda: c_chart([1, 2], baseline=3), "a baseline of 3 points needs between 1 and 2 points"),
    (lambda: t_chart([1.0, 2.0, 3.0], baseline=1), "needs between 2 and 3 points"),
])
def test_validation_errors(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_results_are_frozen() -> None:
    chart = c_chart([1, 2, 3])
    with pytest.raises(AttributeError):
        chart.centre = 5.0  # type: ignore[misc]


def test_montgomery_revised_p_chart_leaves_the_two_explained_samples_out() -> None:
    """Montgomery, example 7.1: samples 15 and 23 have assignable causes and are left out; the
    revised limits are p = 0.2150, UCL = 0.3893, LCL = 0.0407. Through the analysis of a measure,
    the two samples are marked `exclude` and stay on the chart."""
    import driverkit
    from driverkit.spc import analyse

    rows = "\n".join(f"      - {{period: Sample {i}, numerator: {x}, denominator: 50"
                     + (", exclude: true" if i in (15, 23) else "") + "}"
                     for i, x in enumerate(ORANGE_JUICE, 1))
    project = driverkit.loads("driverkit: 1\ntitle: Cans\naim: {improve: cans}\nmeasures:\n  - name: Nonconforming cans\n"
                              f"    family: process\n    chart: {{type: p}}\n    data:\n{rows}\n")
    a = analyse(project, project.measures[0])
    assert a.problems == []
    assert round(a.phases[0].centre, 4) == 0.2150 and a.phases[0].n == 28
    assert {round(u, 4) for u in a.upper if u is not None} == {0.3893}
    assert {round(lo, 4) for lo in a.lower if lo is not None} == {0.0407}
    assert len(a.values) == 30 and a.values[14] == 0.44
