"""XmR (individuals and moving range) charts and the NHS England Making Data Count (MDC) rules.

Pure functions on values in time order; results are frozen dataclasses.

* `xmr_limits` gives the mean, the mean moving range, sigma (mean moving range / 1.128) and the
  1-, 2- and 3-sigma lines; the process limits are mean +/- 2.66 x mean moving range, the rounded
  3 / 1.128 of Making Data Count and NHSRplotthedots, or, with ``factor=THREE_SIGMA``, exactly
  3 sigma (3 / 1.128 = 2.6596, as qicharts2 and the anhoej profile draw them).
  With ``screening=True`` moving ranges above 3.267 x the mean moving range are left out and the
  mean moving range is worked out again, once (the NHSRplotthedots default; the MDC Excel tool
  does not screen).
* `mdc` applies the MDC special-cause rules to every point and gives each one a variation class:
  "common", "improvement", "concern" or "neither" (special cause where no direction is better).
  The rules: a point beyond a process limit; a shift of `shift` points on one side of the mean (a
  point exactly on the mean breaks it); a trend of `trend` points all rising or all falling (a tie
  breaks it; it may cross the mean); two of three consecutive points beyond 2 sigma, all three on
  the same side of the mean (points beyond 3 sigma count only when asked). A point that is both an
  improvement and a concern counts as an improvement. Limits and signals need
  `min_points_for_limits` points (13) in the whole series. A partition whose moving ranges are all 0
  has no spread: its limits fall on its mean, so no point is judged beyond them or beyond 2 sigma
  (shifts and trends are still read) and it gives no assurance icon. With `recalculate_from` the series is
  cut into partitions, each with its own mean and limits; each point is judged against its own
  partition, but shifts, trends and two-of-three may run across a cut.

The small helpers `run_ends`, `trend_ends`, `spread_back` and `two_of_three_windows` are public so
the rules can be checked one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

D2 = 1.128  # bias constant d2 for moving ranges of two points
E2 = 2.66  # 3 / d2 rounded, as Making Data Count writes it: limits = mean +/- E2 x mean moving range
THREE_SIGMA = 3 / D2  # the same, unrounded: limits at exactly 3 sigma
SCREEN = 3.267  # D4 for n = 2: upper range limit used to screen moving ranges

IMPROVEMENTS = ("increase", "decrease", "neither")


@dataclass(frozen=True)
class Limits:
    """The centre line and limits of one XmR chart (or one partition of it)."""

    n: int  # points the limits were computed from
    mean: float
    mean_moving_range: float
    sigma: float  # mean_moving_range / 1.128
    upper: float  # upper natural process limit, mean + 3 sigma
    lower: float  # lower natural process limit, mean - 3 sigma
    upper_two_sigma: float
    lower_two_sigma: float
    upper_one_sigma: float
    lower_one_sigma: float
    screened_out: int = 0  # moving ranges left out by screening


@dataclass(frozen=True)
class MdcPoint:
    """One point of an MDC analysis."""

    index: int  # 0-based position in the series
    value: float
    partition: int  # 0-based partition number
    limits: Optional[Limits]  # its partition's limits; None when there are too few points
    rules: tuple[str, ...]  # "beyond_limit", "shift", "trend", "two_of_three" that flag it
    high: bool  # flagged as special cause on the high side
    low: bool  # flagged as special cause on the low side
    variation: str  # "common", "improvement", "concern" or "neither"
    high_rules: tuple[str, ...] = ()  # the rules that flag it on the high side (a rising trend, a shift above)
    low_rules: tuple[str, ...] = ()  # and on the low side


@dataclass(frozen=True)
class MdcAnalysis:
    """The MDC reading of a whole series."""

    improvement: str
    points: tuple[MdcPoint, ...]
    partitions: tuple[Limits, ...]  # one per partition; empty when there are too few points
    variation_icon: Optional[str]  # of the latest point, e.g. "improvement_high"; None if too few
    assurance_icon: Optional[str]  # "pass", "fail", "hit_and_miss"; None without target or limits


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def xmr_limits(values: Iterable[float], screening: bool = False, factor: float = E2) -> Limits:
    """Mean, mean moving range, sigma and the 1-, 2- and 3-sigma lines of `values` (2 or more);
    the limits are mean +/- `factor` x mean moving range."""
    xs = [float(v) for v in values]
    if len(xs) < 2:
        raise ValueError("an XmR chart needs at least two values")
    mean = _mean(xs)
    ranges = [abs(b - a) for a, b in zip(xs, xs[1:])]
    mr = _mean(ranges)
    screened_out = 0
    if screening:
        kept = [r for r in ranges if r <= SCREEN * mr]
        screened_out = len(ranges) - len(kept)
        mr = _mean(kept) if kept else mr
    sigma = mr / D2
    return Limits(
        n=len(xs),
        mean=mean,
        mean_moving_range=mr,
        sigma=sigma,
        upper=mean + factor * mr,
        lower=mean - factor * mr,
        upper_two_sigma=mean + 2 * sigma,
        lower_two_sigma=mean - 2 * sigma,
        upper_one_sigma=mean + sigma,
        lower_one_sigma=mean - sigma,
        screened_out=screened_out,
    )


def run_ends(sides: Sequence[int], length: int) -> list[int]:
    """Mark (with the side, +1 or -1) each point that is at least the `length`-th of a run on one
    side; a 0 (a point on the mean) breaks a run."""
    out: list[int] = []
    run = 0
    for i, s in enumerate(sides):
        run = run + 1 if s != 0 and i > 0 and s == sides[i - 1] else (1 if s != 0 else 0)
        out.append(s if run >= length else 0)
    return out


def trend_ends(values: Sequence[float], length: int) -> list[int]:
    """Mark (+1 rising, -1 falling) each point that is at least the `length`-th point of a run
    of points all rising or all falling; a tie breaks the run."""
    out: list[int] = []
    run, step = 1, 0
    for i, v in enumerate(values):
        if i == 0:
            out.append(0)
            continue
        d = (v > values[i - 1]) - (v < values[i - 1])
        run = run + 1 if d != 0 and d == step else (2 if d != 0 else 1)
        step = d
        out.append(d if run >= length else 0)
    return out


def spread_back(ends: Sequence[int], length: int) -> list[int]:
    """1 for every point in the `length` points ending at a marked (non-zero) point, else 0."""
    out = [0] * len(ends)
    for i, e in enumerate(ends):
        if e:
            for j in range(max(0, i - length + 1), i + 1):
                out[j] = 1
    return out


def two_of_three_windows(near: Sequence[int], sides: Sequence[int]) -> list[int]:
    """1 for every point in a window of three consecutive points that are all on the same side of
    the mean and of which at least two are `near` (beyond 2 sigma), else 0."""
    out = [0] * len(near)
    for i in range(len(near) - 2):
        w = range(i, i + 3)
        if sides[i] != 0 and all(sides[j] == sides[i] for j in w) and sum(near[j] for j in w) >= 2:
            for j in w:
                out[j] = 1
    return out


def _partition_starts(n: int, recalculate_from: Optional[Iterable[int] | int]) -> list[int]:
    if recalculate_from is None:
        cuts: list[int] = []
    elif isinstance(recalculate_from, int):
        cuts = [recalculate_from]
    else:
        cuts = sorted(set(recalculate_from))
    if any(c <= 0 or c >= n for c in cuts):
        raise ValueError("recalculate_from must be indexes inside the series (not the first point)")
    return [0] + cuts


def mdc(
    values: Iterable[float],
    improvement: str = "increase",
    shift: int = 6,
    trend: int = 6,
    two_of_three_count_beyond_3_sigma: bool = False,
    baseline_points: Optional[int] = None,
    recalculate_from: Optional[Iterable[int] | int] = None,
    min_points_for_limits: int = 13,
    target: Optional[float] = None,
    screening: bool = False,
) -> MdcAnalysis:
    """Apply the Making Data Count XmR rules to `values` (in time order).

    `improvement`: "increase", "decrease" or "neither". `recalculate_from`: the 0-based index (or
    indexes) where a new partition starts. `baseline_points`: the first partition's limits come
    from its first k points and are extended over the rest of it. `target` gives the assurance
    icon, from the latest partition's limits: "pass" when the whole process range is on the good
    side of the target (a limit equal to the target counts as on the good side), "fail" when it is
    all on the bad side, "hit_and_miss" when the target lies strictly between the limits.
    `screening` screens moving ranges as `xmr_limits` does (off, as in the MDC tool).
    """
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, not {improvement!r}")
    xs = [float(v) for v in values]
    n = len(xs)
    starts = _partition_starts(n, recalculate_from)
    bounds = list(zip(starts, starts[1:] + [n]))
    part_of = [k for k, (a, b) in enumerate(bounds) for _ in range(a, b)]

    if n < min_points_for_limits:
        points = tuple(
            MdcPoint(i, x, part_of[i], None, (), False, False, "common") for i, x in enumerate(xs)
        )
        return MdcAnalysis(improvement, points, (), None, None)

    parts = []
    for k, (a, b) in enumerate(bounds):
        end = a + baseline_points if (k == 0 and baseline_points) else b
        parts.append(xmr_limits(xs[a:min(end, b)], screening=screening))
    lim = [parts[part_of[i]] for i in range(n)]

    sides = [(x > L.mean) - (x < L.mean) for x, L in zip(xs, lim)]
    # A partition whose moving ranges are all 0 has its limits on the mean: no point is judged against them.
    beyond = [0 if L.mean_moving_range == 0 else (x > L.upper) - (x < L.lower) for x, L in zip(xs, lim)]
    count_3_sigma = two_of_three_count_beyond_3_sigma
    near = [
        int((x > L.upper_two_sigma or x < L.lower_two_sigma) and (count_3_sigma or not b) and L.mean_moving_range > 0)
        for x, L, b in zip(xs, lim, beyond)
    ]
    shift_ends = run_ends(sides, shift)
    trends = trend_ends(xs, trend)
    windows = two_of_three_windows(near, sides)

    high: dict[int, list[str]] = {}  # the rules flagging a point on the high side, by its index
    low: dict[int, list[str]] = {}

    def mark(name: str, flags: Sequence[int], side: int) -> None:
        for i, f in enumerate(flags):
            if f:
                (high if side > 0 else low).setdefault(i, []).append(name)

    for side in (1, -1):
        mark("beyond_limit", [b == side for b in beyond], side)
        mark("shift", spread_back([e == side for e in shift_ends], shift), side)
        mark("trend", spread_back([t == side for t in trends], trend), side)
        flagged = [w and nr and s == side for w, nr, s in zip(windows, near, sides)]
        mark("two_of_three", flagged, side)

    points = []
    for i, x in enumerate(xs):
        if i not in high and i not in low:  # most points: common cause
            points.append(MdcPoint(i, x, part_of[i], lim[i], (), False, False, "common"))
            continue
        high_rules, low_rules = tuple(dict.fromkeys(high.get(i, ()))), tuple(dict.fromkeys(low.get(i, ())))
        is_high, is_low = bool(high_rules), bool(low_rules)
        if improvement == "neither":
            variation = "neither"
        elif (is_high and improvement == "increase") or (is_low and improvement == "decrease"):
            variation = "improvement"  # also when it is a concern at the same time
        else:
            variation = "concern"
        rules = tuple(dict.fromkeys(high_rules + low_rules))
        points.append(MdcPoint(i, x, part_of[i], lim[i], rules, is_high, is_low, variation, high_rules, low_rules))

    last = points[-1]
    if last.variation == "common":
        icon = "common_cause"
    elif last.variation == "improvement":
        icon = "improvement_" + ("high" if improvement == "increase" else "low")
    elif last.variation == "concern":
        icon = "concern_" + ("low" if improvement == "increase" else "high")
    else:
        icon = "neither_" + ("high" if last.high else "low")

    assured = assurance(parts[-1], target, improvement) if parts[-1].mean_moving_range > 0 else None
    return MdcAnalysis(improvement, tuple(points), tuple(parts), icon, assured)


def assurance(limits: Limits, target: Optional[float], improvement: str) -> Optional[str]:
    """The assurance icon of `target` against `limits`: "pass", "fail" or "hit_and_miss"; None
    without a target or when no direction is better."""
    if target is None or improvement == "neither":
        return None
    if improvement == "increase":
        if limits.lower >= target:
            return "pass"
        if limits.upper < target:
            return "fail"
    else:
        if limits.upper <= target:
            return "pass"
        if limits.lower > target:
            return "fail"
    return "hit_and_miss"
