"""Funnel plots of member organisations on a shared proportion or rate (driverkit.programme.funnel)
and their drawing (driverkit.output.funnel_chart).

References the numbers come from:

* Normal-approximation limits: the test data of the R package PHEindicatormethods (Public Health
  England / UKHSA, the method of the PHE Fingertips technical guidance),
  tests/testthat/testdata_funnel_prop_outputs.csv, the expected output of `phe_funnels()`: for a
  baseline of 80.642448% it gives, at each "Population", the 95% limits ("Lower2s0025limit",
  "Upper2s0025limit", z = qnorm(0.975)) and the 99.8% limits ("Lower3s0001limit",
  "Upper3s0001limit", z = qnorm(0.999)), in percent to six decimals, clamped to [0, 100]. Its
  formula (`sigma_adjustment`, the Wilson score limits solved for the proportion) is algebraically
  theta +/- z sqrt(theta (1 - theta) / n), our method "normal".
* Exact limits: Spiegelhalter, Statistics in Medicine 2005;24:1185-1202, appendix A.1.1, as
  transcribed in R. Wicklin, "Funnel plots for proportions", The DO Loop (SAS blog), 23 Nov 2011,
  and in the R package funnelplot (github.com/oizin/funnelplot, `contAdjustBin`, "see #4 of
  A.1.1"): r = the p-quantile of Binomial(n, theta), alpha = (F(r) - p) / (F(r) - F(r - 1)),
  limit (r - alpha) / n, for the lower and the upper tail alike. No published table of these
  limits was found, so they are checked against a direct summation of the binomial and Poisson
  probabilities written out here, against the hand-worked value below, and against the PHE
  normal limits where n is large.
* The planted example: examples/programme/README.md, "planted overlap 9" (invented data).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from driverkit.programme.funnel import Funnel, FunnelMember, funnel, level_label

PLANTED = [FunnelMember("northgate", 21, 190), FunnelMember("eastfield", 20, 176), FunnelMember("westmoor", 42, 126),
           FunnelMember("hillcrest", 15, 144), FunnelMember("lakeside", 19, 141)]

# PHEindicatormethods tests/testthat/testdata_funnel_prop_outputs.csv (a selection of its rows):
# Population, Lower2s0025limit, Upper2s0025limit, Lower3s0001limit, Upper3s0001limit; Baseline 80.642448.
PHE_BASELINE = 0.80642448
PHE_ROWS = [
    (1, 3.204264, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (125, 73.716166, 87.56873, 69.721931, 91.562965),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (9998, 79.867989, 81.416907, 79.421375, 81.863521),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


def phe_funnel(method: str) -> Funnel:
    """Members with the PHE baseline as their own value, one at each published population."""
    members = [FunnelMember(str(n), PHE_BASELINE * n, n) for n, *_ in PHE_ROWS]
    return funnel(members, scale=100, method=method)


def binomial_limit(p: float, n: int, theta: float) -> float:
    """Spiegelhalter's interpolated binomial limit by summing the probabilities from 0."""
    cdf = 0.0
    for r in range(n + 1):
        mass = math.comb(n, r) * theta ** r * (1 - theta) ** (n - r)
        cdf += mass
        if cdf >= p:
            return max(0.0, (r - (cdf - p) / mass) / n)
    return 1.0


def poisson_limit(p: float, exposure: float, rate: float) -> float:
    """The same for a Poisson count of mean rate * exposure, as a rate."""
    mean = rate * exposure
    mass = math.exp(-mean)
    cdf, r = mass, 0
    while cdf < p:
        r += 1
        mass *= mean / r
        cdf += mass
    return max(0.0, (r - (cdf - p) / mass) / exposure)


def test_normal_limits_match_the_phe_published_test_data_to_six_decimals() -> None:
    f = phe_funnel("normal")
    assert f.target == pytest.approx(80.642448, abs=1e-9)
    for n, lower95, upper95, lower998, upper998 in PHE_ROWS:
        point = f.member(str(n))
        assert point.limit(0.95).lower == pytest.approx(lower95, abs=1e-6)
        assert point.limit(0.95).upper == pytest.approx(upper95, abs=1e-6)
        assert point.limit(0.998).lower == pytest.approx(lower998, abs=1e-6)
        assert point.limit(0.998).upper == pytest.approx(upper998, abs=1e-6)


def test_exact_limits_approach_the_normal_ones_as_the_denominator_grows() -> None:
    exact = phe_funnel("exact")
    for n, lower95, upper95, lower998, upper998 in PHE_ROWS:
        if n < 9998:
            continue
        point = exact.member(str(n))
        for got, published in ((point.limit(0.95).lower, lower95), (point.limit(0.95).upper, upper95),
                               (point.limit(0.998).lower, lower998), (point.limit(0.998).upper, upper998)):
            assert got == pytest.approx(published, abs=0.02)  # percentage points


def test_exact_binomial_limits_are_spiegelhalters_interpolated_quantiles() -> None:
    f = funnel(PLANTED)
    theta = 117 / 777
    assert f.target == theta
    for point in f.members:
        n = int(point.denominator)
        for level in (0.95, 0.998):
            limits = point.limit(level)
            assert limits.lower == pytest.approx(binomial_limit((1 - level) / 2, n, theta), abs=1e-12)
            assert limits.upper == pytest.approx(binomial_limit((1 + level) / 2, n, theta), abs=1e-12)
    # Worked by hand for westmoor (n = 126): the 0.999 quantile of Binomial(126, 117/777) is
    # r = 32, with P(R <= 32) - 0.999 = 0.18387 P(R = 32), so the limit is (32 - 0.18387) / 126.
    assert f.member("westmoor").limit(0.998).upper == pytest.approx((32 - 0.18387) / 126, abs=1e-6)
    # Limits at a denominator that is not a whole number lie between those either side.
    between = funnel([FunnelMember("a", 20, 150.5), FunnelMember("b", 20, 150), FunnelMember("c", 20, 151)])
    low, mid, high = (between.member(name).limit(0.95).upper for name in ("b", "a", "c"))
    assert mid == pytest.approx((low + high) / 2, abs=1e-15)


def test_exact_poisson_limits_for_rates() -> None:
    members = [FunnelMember("ward 1", 12, 4000.0), FunnelMember("ward 2", 30, 5200.0), FunnelMember("ward 3", 4, 1500.0),
               FunnelMember("ward 4", 41, 3900.0)]
    f = funnel(members, kind="rate", scale=1000)
    rate = 87 / 14600.0
    assert f.target == pytest.approx(rate * 1000)
    for point in f.members:
        for level in (0.95, 0.998):
            assert point.limit(level).lower == pytest.approx(poisson_limit((1 - level) / 2, point.denominator, rate) * 1000, abs=1e-9)
            assert point.limit(level).upper == pytest.approx(poisson_limit((1 + level) / 2, point.denominator, rate) * 1000, abs=1e-9)
    assert f.member("ward 4").position == "above 99.8%" and f.outliers == ("ward 4",)
    assert f.member("ward 4").z == pytest.approx((41 / 3900 - rate) / math.sqrt(rate / 3900))
    normal = funnel(members, kind="rate", method="normal")
    assert normal.member("ward 1").limit(0.95).upper == pytest.approx(rate + 1.959964 * math.sqrt(rate / 4000), rel=1e-6)


def test_the_planted_outlier_westmoor_is_above_the_998_limit_and_the_rest_inside_95() -> None:
    for method in ("exact", "normal"):
        f = funnel(PLANTED, scale=100, method=method)
        assert round(f.target, 1) == 15.1
        assert f.outliers == ("westmoor",)
        westmoor = f.member("westmoor")
        assert westmoor.position == "above 99.8%" and westmoor.value == pytest.approx(100 * 42 / 126)
        assert westmoor.z > 5
        for name in ("northgate", "eastfield", "hillcrest", "lakeside"):
            point = f.member(name)
            assert point.position == "inside"
            assert point.limit(0.95).lower < point.value < point.limit(0.95).upper
    # The README's 24.9% at 126 admissions is the normal approximation; the exact limit is 25.3%.
    assert round(funnel(PLANTED, scale=100, method="normal").member("westmoor").limit(0.998).upper, 1) == 24.9
    assert round(funnel(PLANTED, scale=100).member("westmoor").limit(0.998).upper, 1) == 25.3


def test_the_curves_are_sampled_on_a_log_spaced_grid_around_the_denominators() -> None:
    f = funnel(PLANTED, scale=100)
    grid = f.denominators
    assert len(grid) == 200
    assert grid[0] == pytest.approx(0.9 * 126) and grid[-1] == pytest.approx(1.1 * 190)
    ratios = [b / a for a, b in zip(grid, grid[1:])]
    assert max(ratios) == pytest.approx(min(ratios))
    assert [c.level for c in f.curves] == [0.95, 0.998]
    for curve in f.curves:
        assert len(curve.lower) == len(curve.upper) == 200
        assert all(lo < f.target < hi for lo, hi in zip(curve.lower, curve.upper))
    wide, narrow = f.curve(0.998), f.curve(0.95)
    assert all(w < n for w, n in zip(wide.lower, narrow.lower)) and all(w > n for w, n in zip(wide.upper, narrow.upper))
    assert funnel(PLANTED, scale=100) == f  # deterministic
    assert level_label(0.998) == "99.8%" and level_label(0.95) == "95%"


def test_positions_name_the_widest_limit_a_member_is_beyond() -> None:
    # Target 5250 / 10500 = 0.5; at n = 100 the exact limits are 0.3968 and 0.5932 (95%) and
    # 0.3412 and 0.6488 (99.8%).
    members = [FunnelMember("big", 5000, 10000), FunnelMember("high", 70, 100), FunnelMember("bit high", 62, 100),
               FunnelMember("low", 38, 100), FunnelMember("very low", 30, 100), FunnelMember("middling", 50, 100)]
    f = funnel(members)
    assert f.target == 0.5
    assert {p.name: p.position for p in f.members} == {
        "big": "inside", "high": "above 99.8%", "bit high": "above 95%", "low": "below 95%", "very low": "below 99.8%",
        "middling": "inside"}
    assert f.outliers == ("high", "very low")
    assert f.member("high").z == pytest.approx(4.0) and f.member("low").z == pytest.approx(-2.4)
    assert funnel([FunnelMember("only", 0, 10), FunnelMember("other", 0, 20)]).member("only").position == "inside"


@pytest.mark.parametrize(("members", "kind", "message"), [
    ([FunnelMember("northgate", 21, 190), FunnelMember("empty ward", 0, 0)], "proportion", "member 'empty ward': the denominator"),
    ([FunnelMember("minus", 1, -5)], "rate", "member 'minus': the denominator"),
    ([FunnelMember("nan", 1, float("nan"))], "proportion", "member 'nan': the denominator"),
    ([FunnelMember("too many", 12, 10)], "proportion", "member 'too many': the numerator 12 is more than the denominator 10"),
    ([FunnelMember("negative", -1, 10)], "rate", "member 'negative': the numerator"),
    ([FunnelMember("twice", 1, 10), FunnelMember("twice", 2, 10)], "proportion", "member 'twice' is listed twice"),
    ([], "proportion", "at least one member"),
    (PLANTED, "ratio", "proportion or rate"),
])
def test_bad_input_is_refused_naming_the_member(members: list[FunnelMember], kind: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        funnel(members, kind=kind)


def test_bad_levels_and_methods_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        funnel(PLANTED, levels=(95, 99.8))
    with pytest.raises(ValueError, match="exact or normal"):
        funnel(PLANTED, method="wilson")


def svg_text(svg: bytes) -> str:
    texts = ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    return " ".join(" ".join(t.itertext()) for t in texts).replace("\u00a0", " ")


def test_the_chart_is_deterministic_and_names_the_members_and_the_outlier() -> None:
    pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
    from driverkit.output.funnel_chart import funnel_chart, funnel_png, funnel_svg

    f = funnel(PLANTED, scale=100)
    svg = funnel_svg(f, "M7 Hypothermia on admission, 2020", "%", "babies admitted")
    assert svg == funnel_svg(f, "M7 Hypothermia on admission, 2020", "%", "babies admitted")
    assert b"<!DOCTYPE" not in svg
    text = svg_text(svg)
    for name in ("northgate", "eastfield", "westmoor", "hillcrest", "lakeside"):
        assert name in text
    assert "Outside the 99.8% limits: westmoor" in text
    assert "95% limits" in text and "99.8% limits" in text and "target 15.1%" in text
    png = funnel_png(f, "M7 Hypothermia on admission, 2020", "%")
    assert png.startswith(b"\x89PNG") and png == funnel_png(f, "M7 Hypothermia on admission, 2020", "%")
    with pytest.raises(ValueError, match="svg or png"):
        funnel_chart(f, "t", format="pdf")


def test_dollar_signs_in_names_and_titles_are_drawn_as_written() -> None:
    pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
    from driverkit.output.funnel_chart import funnel_svg

    members = [FunnelMember("$5 Trust", 30, 100), FunnelMember("Pay $5 and $6", 10, 120), FunnelMember("plain", 12, 110)]
    text = svg_text(funnel_svg(funnel(members, scale=100), "Costs in $ and $x^2$", "%"))
    assert "$5 Trust" in text and "Pay $5 and $6" in text and "Costs in $ and $x^2$" in text


def test_many_outliers_are_named_on_lines_that_fit_the_chart() -> None:
    pytest.importorskip("matplotlib", reason="charts are drawn with matplotlib")
    from driverkit.output.funnel_chart import OUTLIER_LINES, TITLE_WIDTH, funnel_svg

    # 40 trusts around 10%, and 30 far above or below: far more names than one line holds.
    members = [FunnelMember(f"trusts/trust-{i:04d}.yaml", 100 + (i % 3), 1000) for i in range(40)]
    members += [FunnelMember(f"trusts/outlier-{i:04d}.yaml", 300 if i % 2 else 5, 1000) for i in range(30)]
    f = funnel(members, scale=100)
    assert len(f.outliers) == 30
    titles = [t for t in ET.fromstring(funnel_svg(f, "M3 Smoking at time of delivery " * 6, "%")).iter("{http://www.w3.org/2000/svg}text")
              if "".join(t.itertext()).startswith(("Outside", "M3", "trusts/outlier"))]
    lines = ["".join(t.itertext()).replace("\u00a0", " ") for t in titles]
    named = [line for line in lines if "outlier-" in line and "," in line or line.startswith("Outside")]
    assert named and all(len(line) <= TITLE_WIDTH for line in lines)
    assert len(named) <= OUTLIER_LINES and named[-1].rstrip().endswith("more")
