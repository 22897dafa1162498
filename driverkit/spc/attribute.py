"""Control limits for attribute data: p, u, Laney P' and U', c, g and T charts.

Pure functions on values in time order; results are frozen dataclasses with the centre line and,
for every point, the charted value, sigma and the lower and upper 3-sigma limits (tuples, one entry
per point, even where the limits are the same for every point).

* `p_chart`: proportions x_i / n_i. Centre p = sum(x) / sum(n); sigma_i = sqrt(p (1 - p) / n_i),
  so the limits change with the denominator. Limits are clamped to [0, 1].
* `u_chart`: rates c_i / n_i (counts per unit of exposure). Centre u = sum(c) / sum(n);
  sigma_i = sqrt(u / n_i). Lower limits are clamped at 0.
* `p_prime_chart`, `u_prime_chart`: Laney's P' and U' (D. B. Laney, "Improved control charts for
  attributes", Quality Engineering 14(4), 2002), for large denominators where the binomial or
  Poisson sigma is too narrow. z_i = (value_i - centre) / sigma_i; sigma_z = mean moving range of
  the z_i / 1.128; limits = centre +/- 3 sigma_i sigma_z. The same clamping as the p and u charts.
* `c_chart`: counts with equal areas of opportunity. Centre c = mean(c); limits c +/- 3 sqrt(c),
  lower clamped at 0.
* `g_chart`: Benneyan's g chart of the number of cases (opportunities) between rare events, a
  geometric count starting at 0. Centre g = mean; sigma = sqrt(g (g + 1)) (the geometric standard
  deviation with p estimated as 1 / (g + 1)); UCL = g + 3 sigma, LCL = max(0, g - 3 sigma).
  `centre` is the mean the limits are built around; `median` (about 0.69 g for a geometric
  distribution) is the centre line drawn: runs rules need a line with half the points on each side,
  which the mean of a skewed distribution is not (driverkit.spc.analysis draws and reads runs
  against the median, as qicharts2 and PowerBI-SPC do).
* `t_chart`: the T chart of times between rare events. y = t ** (1 / 3.6) makes the (exponential)
  times roughly symmetric; XmR limits on y (mean +/- 3 sigma, sigma = mean moving range / 1.128,
  with the moving ranges of y screened as an I chart's when `screening` is asked) are turned back
  with y ** 3.6. A lower limit below 0 on the y
  scale is clamped at 0 before turning back. The centre line is mean(y) ** 3.6.

Every function takes an optional `baseline`: the centre line (and, for P', U' and T, the spread)
come from the first `baseline` points only, and the limits are drawn for every point, as a baseline
is extended over the data that follow it.

Every function checks its input and raises ValueError with a message saying what is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from driverkit.spc.xmr import D2, THREE_SIGMA, Limits, xmr_limits

T_POWER = 3.6  # the T chart charts t ** (1 / 3.6)


@dataclass(frozen=True)
class AttributeLimits:
    """The centre line and the per-point limits of one attribute chart."""

    chart: str  # "p", "u", "c" or "g" (and "p_prime", "u_prime", "t" in the subclasses)
    centre: float
    values: tuple[float, ...]  # the charted value of each point (e.g. x_i / n_i)
    sigma: tuple[float, ...]  # sigma of each point
    lower: tuple[float, ...]  # lower 3-sigma limit of each point, clamped
    upper: tuple[float, ...]  # upper 3-sigma limit of each point, clamped


@dataclass(frozen=True)
class LaneyLimits(AttributeLimits):
    """A Laney P' or U' chart. `sigma` is the adjusted sigma, sigma_i x sigma_z."""

    z: tuple[float, ...]  # (value_i - centre) / sigma_i
    sigma_z: float  # mean moving range of z / 1.128
    within_sigma: tuple[float, ...]  # sigma_i, the binomial or Poisson sigma before adjustment


@dataclass(frozen=True)
class GLimits(AttributeLimits):
    """A g chart; the centre line is the mean (see the module notes)."""

    median: float


@dataclass(frozen=True)
class TLimits(AttributeLimits):
    """A T chart. `sigma` is on the transformed scale y = t ** (1 / 3.6)."""

    transformed: Limits  # the XmR limits of y


def _numbers(values: Iterable[float], name: str) -> list[float]:
    xs = [float(v) for v in values]
    if not xs:
        raise ValueError(f"{name} is empty: a chart needs at least one point")
    for i, x in enumerate(xs):
        if not math.isfinite(x):
            raise ValueError(f"{name}[{i}] is {x}: every value must be a finite number")
        if x < 0:
            raise ValueError(f"{name}[{i}] is {x:g}: it cannot be negative")
    return xs


def _pairs(top: Iterable[float], bottom: Iterable[float], top_name: str, bottom_name: str,
           at_most_one: bool) -> tuple[list[float], list[float]]:
    xs = _numbers(top, top_name)
    ns = _numbers(bottom, bottom_name)
    if len(xs) != len(ns):
        raise ValueError(f"{top_name} has {len(xs)} values but {bottom_name} has {len(ns)}: "
                         "they must have one value per point")
    for i, (x, n) in enumerate(zip(xs, ns)):
        if n <= 0:
            raise ValueError(f"{bottom_name}[{i}] is {n:g}: it must be above zero")
        if at_most_one and x > n:
            raise ValueError(f"{top_name}[{i}] is {x:g}, more than its {bottom_name[:-1]} {n:g}: "
                             "a proportion cannot be above 1")
    return xs, ns


def _limits(centre: float, sigma: Sequence[float], top: float = math.inf) -> tuple[tuple[float, ...], tuple[float, ...]]:
    lower = tuple(max(0.0, centre - 3 * s) for s in sigma)
    upper = tuple(min(top, centre + 3 * s) for s in sigma)
    return lower, upper


def _first(values: list[float], baseline: Optional[int], least: int = 1) -> int:
    """How many points, from the first, the centre line is computed from."""
    if baseline is None:
        return len(values)
    if not least <= baseline <= len(values):
        raise ValueError(f"a baseline of {baseline} points needs between {least} and {len(values)} points")
    return baseline


def _sigma_z(z: Sequence[float]) -> float:
    ranges = [abs(b - a) for a, b in zip(z, z[1:])]
    return sum(ranges) / len(ranges) / D2


def p_chart(numerators: Iterable[float], denominators: Iterable[float], baseline: Optional[int] = None) -> AttributeLimits:
    """p chart of numerators x_i out of denominators n_i: centre sum(x) / sum(n), limits per point."""
    xs, ns = _pairs(numerators, denominators, "numerators", "denominators", at_most_one=True)
    k = _first(xs, baseline)
    p = sum(xs[:k]) / sum(ns[:k])
    sigma = tuple(math.sqrt(p * (1 - p) / n) for n in ns)
    lower, upper = _limits(p, sigma, top=1.0)
    return AttributeLimits("p", p, tuple(x / n for x, n in zip(xs, ns)), sigma, lower, upper)


def u_chart(counts: Iterable[float], exposures: Iterable[float], baseline: Optional[int] = None) -> AttributeLimits:
    """u chart of counts c_i over exposures n_i: centre sum(c) / sum(n), limits per point."""
    cs, ns = _pairs(counts, exposures, "counts", "exposures", at_most_one=False)
    k = _first(cs, baseline)
    u = sum(cs[:k]) / sum(ns[:k])
    sigma = tuple(math.sqrt(u / n) for n in ns)
    lower, upper = _limits(u, sigma)
    return AttributeLimits("u", u, tuple(c / n for c, n in zip(cs, ns)), sigma, lower, upper)


def _laney(base: AttributeLimits, chart: str, top: float, baseline: Optional[int]) -> LaneyLimits:
    if len(base.values) < 2:
        raise ValueError(f"a {chart} chart needs at least two points (it uses moving ranges)")
    k = _first(list(base.values), baseline, least=2)
    if base.sigma[0] == 0:  # centre 0 (no events) or, for p, 1 (all events)
        raise ValueError(f"a {chart} chart needs a centre line strictly inside its range "
                         f"(it is {base.centre:g}): the z-scores are undefined")
    z = tuple((v - base.centre) / s for v, s in zip(base.values, base.sigma))
    sigma_z = _sigma_z(z[:k])
    sigma = tuple(s * sigma_z for s in base.sigma)
    lower, upper = _limits(base.centre, sigma, top)
    return LaneyLimits(chart, base.centre, base.values, sigma, lower, upper, z, sigma_z, base.sigma)


def p_prime_chart(numerators: Iterable[float], denominators: Iterable[float], baseline: Optional[int] = None) -> LaneyLimits:
    """Laney's P' chart: p chart limits widened (or narrowed) by sigma_z."""
    return _laney(p_chart(numerators, denominators, baseline), "p_prime", 1.0, baseline)


def u_prime_chart(counts: Iterable[float], exposures: Iterable[float], baseline: Optional[int] = None) -> LaneyLimits:
    """Laney's U' chart: u chart limits widened (or narrowed) by sigma_z."""
    return _laney(u_chart(counts, exposures, baseline), "u_prime", math.inf, baseline)


def c_chart(counts: Iterable[float], baseline: Optional[int] = None) -> AttributeLimits:
    """c chart: centre mean(c), limits c +/- 3 sqrt(c), lower clamped at 0."""
    cs = _numbers(counts, "counts")
    k = _first(cs, baseline)
    c = sum(cs[:k]) / k
    sigma = (math.sqrt(c),) * len(cs)
    lower, upper = _limits(c, sigma)
    return AttributeLimits("c", c, tuple(cs), sigma, lower, upper)


def g_chart(opportunities_between_events: Iterable[float], baseline: Optional[int] = None) -> GLimits:
    """Benneyan's g chart: centre the mean g, sigma sqrt(g (g + 1)), LCL clamped at 0."""
    gs = _numbers(opportunities_between_events, "opportunities_between_events")
    k = _first(gs, baseline)
    g = sum(gs[:k]) / k
    sigma = (math.sqrt(g * (g + 1)),) * len(gs)
    lower, upper = _limits(g, sigma)
    ordered = sorted(gs[:k])
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return GLimits("g", g, tuple(gs), sigma, lower, upper, median)


def t_transform(time: float) -> float:
    """The T chart's y = t ** (1 / 3.6)."""
    return float(time) ** (1 / T_POWER)


def t_back_transform(y: float) -> float:
    """Turn y back into a time: y ** 3.6 (y below 0 is taken as 0)."""
    return max(0.0, y) ** T_POWER


def t_chart(times_between_events: Iterable[float], baseline: Optional[int] = None, screening: bool = False) -> TLimits:
    """T chart: XmR limits on t ** (1 / 3.6), turned back with ** 3.6; lower limit clamped at 0.
    `screening` leaves out moving ranges of y above 3.267 x their mean, as `xmr_limits` does."""
    ts = _numbers(times_between_events, "times_between_events")
    if len(ts) < 2:
        raise ValueError("a T chart needs at least two times (it uses moving ranges)")
    k = _first(ts, baseline, least=2)
    limits = xmr_limits((t_transform(t) for t in ts[:k]), screening=screening, factor=THREE_SIGMA)
    n = len(ts)
    return TLimits(
        "t",
        t_back_transform(limits.mean),
        tuple(ts),
        (limits.sigma,) * n,
        (t_back_transform(limits.lower),) * n,
        (t_back_transform(limits.upper),) * n,
        limits,
    )
