"""Funnel plots: member organisations compared on one shared proportion or rate.

The method is D. J. Spiegelhalter, "Funnel plots for comparing institutional performance",
Statistics in Medicine 2005;24:1185-1202. Each member's value (numerator / denominator) is
plotted against its denominator; the target is the pooled value sum(numerators) /
sum(denominators), and control limits around it narrow as the denominator grows.

* kind "proportion": the numerator is a count of the denominator's cases (0 <= x <= n); under the
  target theta a member's count is Binomial(n, theta).
* kind "rate": the numerator is a count over an exposure (bed days, births, person-years); under the
  target the count is Poisson(theta * n).

Limits, method "exact" (the default; the paper's appendix A.1.1): for a tail probability p
(0.025 and 0.975 for 95% limits, 0.001 and 0.999 for 99.8%), r_p is the smallest count with
P(R <= r_p) >= p, alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1)), and the limit is
(r_p - alpha) / n. The interpolation makes the limits smooth in n instead of stepping with the
integer quantile. The same formula serves both tails, as the paper writes it: it treats the
probability of count r as spread over (r - 1, r], so both limits sit about half a count lower than
a spread centred on r would put them (for a target of 0.5 and n = 100 the 95% limits are 0.3968
and 0.5932). A binomial needs a whole number of trials, so at a denominator that is not whole the
limit is interpolated linearly between the limits at the whole numbers either side.

Method "normal": theta +/- z sqrt(theta (1 - theta) / n) for proportions and
theta +/- z sqrt(theta / n) for rates, z the standard normal quantile of the level (1.960 for 95%,
3.090 for 99.8%). Proportion limits are clamped to [0, 1] and rate limits at 0 under either method.

The z-score of a member is (value - theta) / sigma with the sigma of the normal method, whichever
method draws the limits; the position of a member (above or below which limit) comes from the
limits themselves. A value exactly on a limit is inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Callable, Iterable, Optional, TypeVar

KINDS = ("proportion", "rate")
METHODS = ("exact", "normal")
GRID_POINTS = 200
GRID_MARGIN = 0.1  # the curves run from 10% under the smallest denominator to 10% over the largest
_STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True)
class FunnelMember:
    """One member organisation's figures: a numerator over a denominator."""

    name: str
    numerator: float
    denominator: float


@dataclass(frozen=True)
class Limits:
    """The lower and upper control limits of one level (0.95 for 95%) at one denominator."""

    level: float
    lower: float
    upper: float


@dataclass(frozen=True)
class FunnelPoint:
    """A member on the funnel: its value (times the scale), z-score, position and limits."""

    name: str
    numerator: float
    denominator: float
    value: float
    z: float
    position: str  # "above 99.8%", "above 95%", "inside", "below 95%" or "below 99.8%"
    limits: tuple[Limits, ...]  # one per level, narrowest first, at this member's denominator

    def limit(self, level: float) -> Limits:
        """The limits of one level at this member's denominator."""
        return _find_level(self.limits, level)


@dataclass(frozen=True)
class LimitCurve:
    """One level's limits sampled at `Funnel.denominators`, for drawing."""

    level: float
    lower: tuple[float, ...]
    upper: tuple[float, ...]


_Leveled = TypeVar("_Leveled", Limits, LimitCurve)


@dataclass(frozen=True)
class Funnel:
    """The funnel of a set of members: target, points, limit curves and outliers.

    Values, the target and every limit are multiplied by `scale` (100 for percentages); the
    denominators and z-scores are not."""

    kind: str
    method: str
    scale: float
    levels: tuple[float, ...]  # narrowest first
    target: float
    members: tuple[FunnelPoint, ...]
    denominators: tuple[float, ...]  # the grid the curves are sampled on, log-spaced
    curves: tuple[LimitCurve, ...]  # one per level, narrowest first
    outliers: tuple[str, ...]  # names of the members beyond the widest limits, in input order

    def member(self, name: str) -> FunnelPoint:
        """The point of the member of that name."""
        for point in self.members:
            if point.name == name:
                return point
        raise KeyError(name)

    def curve(self, level: float) -> LimitCurve:
        """The limit curve of one level."""
        return _find_level(self.curves, level)


def level_label(level: float) -> str:
    """A level as people write it: 0.95 -> "95%", 0.998 -> "99.8%"."""
    return f"{round(level * 100, 6):g}%"


def funnel(members: Iterable[FunnelMember], kind: str = "proportion", scale: float = 1.0,
           levels: Iterable[float] = (0.95, 0.998), method: str = "exact") -> Funnel:
    """The funnel of `members` on a shared proportion or rate, the target their pooled value.

    Raises ValueError, naming the member, for a denominator that is not more than 0, a negative
    or non-finite numerator, or (for proportions) a numerator above its denominator; and for no
    members, repeated names, an unknown kind or method, or a level outside (0, 1)."""
    if kind not in KINDS:
        raise ValueError(f"a funnel is of kind {' or '.join(KINDS)}, not {kind!r}")
    if method not in METHODS:
        raise ValueError(f"funnel limits are {' or '.join(METHODS)}, not {method!r}")
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"the scale must be a number more than 0, not {scale!r}")
    chosen = tuple(sorted(set(levels)))
    if not chosen or any(not (isinstance(v, (int, float)) and 0 < v < 1) for v in chosen):
        raise ValueError(f"levels are probabilities between 0 and 1 (0.95 for 95%), not {tuple(levels)!r}")
    members = tuple(members)
    _check(members, kind)
    theta = sum(m.numerator for m in members) / sum(m.denominator for m in members)
    limit = _limit_function(kind, method, theta)

    def limits_at(n: float) -> tuple[Limits, ...]:
        return tuple(Limits(level, limit((1 - level) / 2, n), limit((1 + level) / 2, n)) for level in chosen)

    points = []
    for m in members:
        value = m.numerator / m.denominator
        at = limits_at(m.denominator)
        points.append(FunnelPoint(m.name, m.numerator, m.denominator, value * scale, _z_score(kind, theta, value, m.denominator),
                                  _position(value, at), tuple(_scaled(x, scale) for x in at)))
    grid = _grid(kind, [m.denominator for m in members])
    sampled = [limits_at(n) for n in grid]
    curves = tuple(LimitCurve(level, tuple(row[i].lower * scale for row in sampled), tuple(row[i].upper * scale for row in sampled))
                   for i, level in enumerate(chosen))
    widest = level_label(chosen[-1])
    outliers = tuple(p.name for p in points if p.position in (f"above {widest}", f"below {widest}"))
    return Funnel(kind, method, scale, chosen, theta * scale, tuple(points), grid, curves, outliers)


def _check(members: tuple[FunnelMember, ...], kind: str) -> None:
    if not members:
        raise ValueError("a funnel needs at least one member")
    seen: set[str] = set()
    for m in members:
        if m.name in seen:
            raise ValueError(f"member {m.name!r} is listed twice")
        seen.add(m.name)
        n, x = m.denominator, m.numerator
        if not (isinstance(n, (int, float)) and math.isfinite(n) and n > 0):
            raise ValueError(f"member {m.name!r}: the denominator must be a number more than 0, not {n!r}")
        if not (isinstance(x, (int, float)) and math.isfinite(x) and x >= 0):
            raise ValueError(f"member {m.name!r}: the numerator must be a number of 0 or more, not {x!r}")
        if kind == "proportion" and x > n:
            raise ValueError(f"member {m.name!r}: the numerator {x:g} is more than the denominator {n:g}, "
                             "which a proportion cannot be")


def _limit_function(kind: str, method: str, theta: float) -> Callable[[float, float], float]:
    """limit(p, n): the p-th control limit at denominator n, unscaled."""
    if method == "normal":
        def normal(p: float, n: float) -> float:
            value = theta + _STANDARD_NORMAL.inv_cdf(p) * _sigma(kind, theta, n)
            return min(1.0, max(0.0, value)) if kind == "proportion" else max(0.0, value)
        return normal
    if kind == "rate":
        return lambda p, n: _poisson_limit(p, theta * n) / n

    def binomial(p: float, n: float) -> float:
        low = max(1, math.floor(n))
        high = max(1, math.ceil(n))
        at_low = _binomial_limit(p, low, theta) / low
        if high == low:
            return at_low
        at_high = _binomial_limit(p, high, theta) / high
        return at_low + (at_high - at_low) * (n - low)
    return binomial


def _sigma(kind: str, theta: float, n: float) -> float:
    return math.sqrt((theta * (1 - theta) if kind == "proportion" else theta) / n)


def _z_score(kind: str, theta: float, value: float, n: float) -> float:
    sigma = _sigma(kind, theta, n)
    # sigma is 0 only when the target is 0 (or 1): then every member's value equals it
    return (value - theta) / sigma if sigma > 0 else 0.0


def _position(value: float, limits: tuple[Limits, ...]) -> str:
    for limit in reversed(limits):  # the widest first
        if value > limit.upper:
            return f"above {level_label(limit.level)}"
        if value < limit.lower:
            return f"below {level_label(limit.level)}"
    return "inside"


def _scaled(limits: Limits, scale: float) -> Limits:
    return Limits(limits.level, limits.lower * scale, limits.upper * scale)


def _grid(kind: str, denominators: list[float]) -> tuple[float, ...]:
    low = min(denominators) * (1 - GRID_MARGIN)
    high = max(denominators) * (1 + GRID_MARGIN)
    if kind == "proportion":  # a binomial needs one trial at least
        low = max(low, 1.0)
        high = max(high, low)
    step = (math.log(high) - math.log(low)) / (GRID_POINTS - 1)
    return tuple(math.exp(math.log(low) + i * step) for i in range(GRID_POINTS))


def _find_level(items: tuple[_Leveled, ...], level: float) -> _Leveled:
    for item in items:
        if math.isclose(item.level, level, rel_tol=0, abs_tol=1e-12):
            return item
    raise KeyError(level_label(level))


@lru_cache(maxsize=4096)
def _binomial_limit(p: float, n: int, theta: float) -> float:
    """r_p - alpha for Binomial(n, theta), clamped to [0, n]."""
    if theta <= 0.0 or theta >= 1.0:  # all the mass on one count: the limits are the target itself
        return theta * n
    log_choose = math.lgamma(n + 1)
    log_theta, log_other = math.log(theta), math.log1p(-theta)

    def pmf(k: int) -> float:
        return math.exp(log_choose - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_theta + (n - k) * log_other)

    odds = theta / (1 - theta)

    def ratio(k: int) -> float:  # pmf(k + 1) / pmf(k)
        return (n - k) / (k + 1) * odds

    mean = n * theta
    start = round(mean + _STANDARD_NORMAL.inv_cdf(p) * math.sqrt(mean * (1 - theta)))
    return _interpolated_quantile(p, pmf, ratio, mean, min(n, max(0, start)), n)


@lru_cache(maxsize=4096)
def _poisson_limit(p: float, mean: float) -> float:
    """r_p - alpha for Poisson(mean), clamped at 0."""
    if mean <= 0.0:
        return 0.0
    log_mean = math.log(mean)

    def pmf(k: int) -> float:
        return math.exp(k * log_mean - mean - math.lgamma(k + 1))

    def ratio(k: int) -> float:  # pmf(k + 1) / pmf(k)
        return mean / (k + 1)

    start = round(mean + _STANDARD_NORMAL.inv_cdf(p) * math.sqrt(mean))
    return _interpolated_quantile(p, pmf, ratio, mean, max(0, start), None)


def _interpolated_quantile(p: float, pmf: Callable[[int], float], ratio: Callable[[int], float], mean: float,
                           start: int, top: Optional[int]) -> float:
    """r_p - alpha (Spiegelhalter's appendix A.1.1) for a unimodal distribution on 0..top
    (top None: unbounded), walking from `start`, a guess near the quantile. `ratio(k)` is
    pmf(k + 1) / pmf(k): the walks step from term to term by it instead of computing each anew."""
    r = start
    term = pmf(r)
    cdf = _cdf(r, term, ratio, mean, top)
    if cdf >= p:
        while r > 0 and cdf - term >= p:
            cdf -= term
            r -= 1
            term = pmf(r)
    else:
        while cdf < p and (top is None or r < top):
            r += 1
            term = pmf(r)
            cdf += term
    alpha = (cdf - p) / term
    return max(0.0, r - alpha)


def _cdf(k: int, at_k: float, ratio: Callable[[int], float], mean: float, top: Optional[int]) -> float:
    """P(R <= k), from pmf(k) = `at_k`, summing the tail on k's side of the mean, where the terms
    fall away from the mode, so the sum stops once they no longer count."""
    total = 0.0
    if k < mean:
        term = at_k
        for j in range(k, -1, -1):
            total += term
            if term <= total * 1e-17 or j == 0:
                break
            term /= ratio(j - 1)
        return total
    term = at_k
    j = k + 1
    while top is None or j <= top:
        term *= ratio(j - 1)
        total += term
        if term <= total * 1e-17:
            break
        j += 1
    return 1.0 - total
