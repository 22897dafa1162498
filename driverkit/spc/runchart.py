"""Run-chart rules: the Anhøj rules and the IHI run-chart rules, as pure functions.

Every function takes the values in time order (a list of numbers) and returns a frozen dataclass.
Point indexes are 0-based positions in that list. A point is "on the centre" when it equals the
centre line exactly; such points are not "useful": they belong to no run, and they neither add to
nor break a run or a shift.

- `anhoej`: Anhøj J, Olesen AV. Run charts revisited: a simulation study of run chart rules for
  detection of non-random variation in health care processes. PLoS ONE 2014;9(11):e113825.
  A signal is an unusually long run (longer than round(log2(n) + 3)) or unusually few crossings
  (fewer than the 5th percentile of Binomial(n - 1, 0.5)), n being the number of useful points.
- `ihi`: Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from
  variation in healthcare processes. BMJ Qual Saf 2011;20:46-51. Shift (6 or more points on one
  side of the median), trend (5 or more points all going up or all going down), and too few or too
  many runs, read from the paper's Table 1 (driverkit.spc.ihi_runs) for 10 to 60 useful points;
  outside that range the runs rule does not apply and is not extrapolated. An astronomical point is
  a judgement, not a formula (see `ihi`): `driverkit.spc` reports the points a team marks
  `astronomical: true`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

from driverkit.spc.ihi_runs import runs_limits

SHIFT_LENGTH = 6  # IHI: a shift is 6 or more consecutive useful points on one side of the median
TREND_LENGTH = 5  # IHI: a trend is 5 or more consecutive points all going up or all going down


@dataclass(frozen=True)
class RunAnalysis:
    """The Anhøj runs analysis of one series (see `anhoej`)."""

    n: int  # all points
    n_useful: int  # points not on the centre line
    centre: float
    longest_run: int  # useful points in the longest run (0 when no point is useful)
    longest_run_max: Optional[int]  # a longer run signals; None when no point is useful
    crossings: int  # times consecutive useful points lie on different sides
    crossings_min: Optional[int]  # fewer crossings signal; None when no point is useful
    shift_signal: bool  # longest_run > longest_run_max
    crossings_signal: bool  # crossings < crossings_min
    signal: bool  # shift_signal or crossings_signal
    signal_runs: tuple[tuple[int, ...], ...]  # indexes of each longest run, when shift_signal


@dataclass(frozen=True)
class IhiAnalysis:
    """The IHI run-chart analysis of one series (see `ihi`)."""

    n: int  # all points
    n_useful: int  # points not on the median
    centre: float
    runs: int  # runs of useful points on one side (crossings + 1; 0 when no point is useful)
    shifts: tuple[tuple[int, ...], ...]  # indexes of the useful points of each shift
    trends: tuple[tuple[int, ...], ...]  # indexes of the counted points of each trend
    astronomical: tuple[int, ...]  # always empty: a judgement left to the team (driverkit.spc reads their marks)
    shift_signal: bool
    trend_signal: bool
    signal: bool  # shift_signal, trend_signal, few_runs_signal or many_runs_signal
    runs_fewest: Optional[int] = None  # fewer runs are too few (IHI table); None outside 10 to 60 useful points
    runs_most: Optional[int] = None  # more runs are too many
    few_runs_signal: bool = False
    many_runs_signal: bool = False


def median(values: Sequence[float]) -> float:
    """The median: the middle value once sorted, or the mean of the two middle values when the
    count is even. Raises ValueError for an empty list or a NaN."""
    ordered = sorted(_checked(values))
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def longest_run_max(n_useful: int) -> int:
    """Anhøj's upper limit for the longest run: log2(n_useful) + 3 rounded half up (as the
    published table is; Python's round() rounds half to even). n_useful must be at least 1."""
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    return math.floor(math.log2(n_useful) + 3 + 0.5)


def crossings_min(n_useful: int) -> int:
    """Anhøj's lower limit for crossings: the smallest k with P(X <= k) >= 0.05 for
    X ~ Binomial(n_useful - 1, 0.5), i.e. R's qbinom(0.05, n_useful - 1, 0.5).

    Worked in exact integers up to 1,000 points (20 * sum(C(m, i) for i <= k) >= 2**m,
    m = n_useful - 1). Beyond, in floats from the normal approximation's guess, summing only the
    terms that count, a few steps each, so a long series costs no more than a short one; a sum
    too close to 0.05 for floats to decide is worked out exactly."""
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    m = n_useful - 1
    if m <= 1000:
        return _crossings_min_exact(m)
    k = int(m / 2 - 1.6448536269514722 * math.sqrt(m) / 2)  # the normal approximation's 5th percentile
    while _binomial_cdf(m, k) >= 0.05:
        k -= 1
    while _binomial_cdf(m, k) < 0.05:
        k += 1
    if any(abs(_binomial_cdf(m, j) - 0.05) < 1e-7 for j in (k - 1, k)):
        return _crossings_min_exact(m)
    return k


def _crossings_min_exact(m: int) -> int:
    target, term, total = 2**m, 1, 0
    for k in range(m + 1):
        total += term  # the sum of C(m, i) for i <= k
        if 20 * total >= target:
            return k
        term = term * (m - k) // (k + 1)
    return m  # not reached: the sum reaches 2**m at k = m


def _binomial_cdf(m: int, k: int) -> float:
    """P(X <= k) for X ~ Binomial(m, 0.5) and k below m / 2, in floats: the terms from k down, while
    they still add to the sum (they shrink faster than geometrically)."""
    term = math.exp(math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) - m * math.log(2))
    total = 0.0
    while k >= 0 and term > total * 1e-17:
        total += term
        term *= k / (m - k + 1)
        k -= 1
    return total


def anhoej(values: Sequence[float], centre: Optional[float] = None) -> RunAnalysis:
    """The Anhøj rules. Points equal to the centre (the median unless given) are ignored. A run is
    a maximal sequence of consecutive useful points on the same side of the centre; a crossing is
    a pair of consecutive useful points on different sides (a point on the centre between them
    does not count twice, and touching the centre is not a crossing). A signal is a longest run
    longer than `longest_run_max(n_useful)` or fewer crossings than `crossings_min(n_useful)`;
    `signal_runs` lists the indexes of every run of the longest length when that run signalled."""
    values = _checked(values)
    cl = median(values) if centre is None else float(centre)
    runs = _runs(values, cl)
    n_useful = sum(len(run) for run in runs)
    longest = max((len(run) for run in runs), default=0)
    crossings = max(len(runs) - 1, 0)
    if n_useful == 0:
        run_max, cross_min = None, None
        shift = cross = False
    else:
        run_max, cross_min = longest_run_max(n_useful), crossings_min(n_useful)
        shift, cross = longest > run_max, crossings < cross_min
    signal_runs = tuple(run for run in runs if len(run) == longest) if shift else ()
    return RunAnalysis(
        n=len(values), n_useful=n_useful, centre=cl, longest_run=longest, longest_run_max=run_max,
        crossings=crossings, crossings_min=cross_min, shift_signal=shift, crossings_signal=cross,
        signal=shift or cross, signal_runs=signal_runs,
    )


def ihi(values: Sequence[float], centre: Optional[float] = None) -> IhiAnalysis:
    """The IHI run-chart rules (Perla, Provost and Murray 2011). A shift is a run of 6 or more
    useful points on one side of the centre (the median unless given); points on the centre
    neither add to nor break it and are not listed. A trend is 5 or more points all going up or all
    going down, counted over every point; a value equal to the previous counted one (a tie) neither
    adds to nor breaks the trend and is not listed. Two trends may share their turning point.
    Too few or too many runs are read from the IHI table for 10 to 60 useful points
    (`runs_fewest`, `runs_most`; None outside the table, where the rule does not apply). No
    astronomical point is found here: the paper defines it as a point any observer would agree is unusual, a judgement
    with no formula, so it is left to the team, who mark it on the data point."""
    values = _checked(values)
    cl = median(values) if centre is None else float(centre)
    runs = _runs(values, cl)
    shifts = tuple(run for run in runs if len(run) >= SHIFT_LENGTH)
    trends = _trends(values)
    n_useful = sum(len(run) for run in runs)
    fewest, most = runs_limits(n_useful) or (None, None)
    few = fewest is not None and len(runs) < fewest
    many = most is not None and len(runs) > most
    return IhiAnalysis(
        n=len(values), n_useful=n_useful, centre=cl, runs=len(runs),
        shifts=shifts, trends=trends, astronomical=(), shift_signal=bool(shifts),
        trend_signal=bool(trends), signal=bool(shifts or trends or few or many),
        runs_fewest=fewest, runs_most=most, few_runs_signal=few, many_runs_signal=many,
    )


def _checked(values: Sequence[float]) -> list[float]:
    values = list(values)
    if not values:
        raise ValueError("no values")
    if any(math.isnan(v) for v in values):
        raise ValueError("values contain NaN")
    return values


def _runs(values: list[float], centre: float) -> list[tuple[int, ...]]:
    """Indexes of the useful points, grouped into runs on one side of the centre."""
    runs: list[list[int]] = []
    last_side = 0
    for i, v in enumerate(values):
        side = (v > centre) - (v < centre)
        if side == 0:
            continue
        if side == last_side:
            runs[-1].append(i)
        else:
            runs.append([i])
            last_side = side
    return [tuple(run) for run in runs]


def _trends(values: list[float]) -> tuple[tuple[int, ...], ...]:
    """Maximal stretches of strictly rising or falling counted points, ties skipped."""
    kept = [0]
    for i in range(1, len(values)):
        if values[i] != values[kept[-1]]:
            kept.append(i)
    trends: list[tuple[int, ...]] = []
    start = 0  # position in `kept` where the current stretch begins
    for j in range(2, len(kept) + 1):
        if j == len(kept) or _rises(values, kept, j) != _rises(values, kept, j - 1):
            if j - start >= TREND_LENGTH:
                trends.append(tuple(kept[start:j]))
            start = j - 1  # the turning point begins the next stretch
    return tuple(trends)


def _rises(values: list[float], kept: list[int], j: int) -> bool:
    return values[kept[j]] > values[kept[j - 1]]
