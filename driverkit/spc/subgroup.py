"""Xbar and S charts: a measure collected as subgroups (several values per period), whose sizes
may differ from period to period.

Pure functions; results are frozen dataclasses with one entry per subgroup.

Source of the method and the constants: D. C. Montgomery, Introduction to Statistical Quality
Control, chapter 6 ("Control charts for x-bar and s", and "with variable sample size"), and its
appendix table of factors for constructing variables control charts.

* c4(n) = sqrt(2 / (n - 1)) x Gamma(n / 2) / Gamma((n - 1) / 2), the bias of the sample standard
  deviation: E(s) = c4 sigma.
* A3(n) = 3 / (c4 sqrt(n)); B3(n) = max(0, 1 - 3 sqrt(1 - c4^2) / c4); B4(n) = 1 + 3 sqrt(1 - c4^2) / c4.
* The centre line of the Xbar chart is the grand mean weighted by size, sum(n_i xbar_i) / sum(n_i);
  the pooled standard deviation s-bar = sqrt(sum((n_i - 1) s_i^2) / sum(n_i - 1)) (with equal sizes
  Montgomery uses the plain mean of the s_i instead; `pooled=False` gives that).
* Xbar chart: limits x-double-bar +/- A3(n_i) s-bar, one pair per subgroup.
* S chart: centre s-bar; limits B3(n_i) s-bar and B4(n_i) s-bar.

A `baseline` takes the centre line and s-bar from the first k subgroups and extends them. Every
subgroup needs 2 values or more (a standard deviation of one value does not exist).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence


def c4(n: int) -> float:
    """The bias constant of the sample standard deviation for subgroups of n (2 or more)."""
    _size(n)
    # Through log-gamma: the gamma function itself overflows beyond n = 343.
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def a3(n: int) -> float:
    """Xbar chart factor for limits from s-bar: 3 / (c4 sqrt(n))."""
    return 3 / (c4(n) * math.sqrt(n))


def b3(n: int) -> float:
    """S chart lower-limit factor: 1 - 3 sqrt(1 - c4^2) / c4, not below 0."""
    c = c4(n)
    return max(0.0, 1 - 3 * math.sqrt(1 - c * c) / c)


def b4(n: int) -> float:
    """S chart upper-limit factor: 1 + 3 sqrt(1 - c4^2) / c4."""
    c = c4(n)
    return 1 + 3 * math.sqrt(1 - c * c) / c


def _size(n: int) -> None:
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"a subgroup needs at least 2 values, not {n!r}")


@dataclass(frozen=True)
class Subgroup:
    """One subgroup summarised: its size, mean and sample standard deviation (n - 1 divisor)."""

    n: int
    mean: float
    sd: float


def summarise(values: Iterable[float]) -> Subgroup:
    """The size, mean and sample standard deviation of one subgroup's values (2 or more, finite)."""
    xs = [float(v) for v in values]
    _size(len(xs))
    if not all(math.isfinite(x) for x in xs):
        raise ValueError("every value of a subgroup must be a finite number")
    mean = math.fsum(xs) / len(xs)
    return Subgroup(len(xs), mean, math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (len(xs) - 1)))


@dataclass(frozen=True)
class XbarSLimits:
    """The Xbar and S charts of a series of subgroups."""

    n: tuple[int, ...]  # the size of each subgroup
    xbar: tuple[float, ...]  # each subgroup's mean: the points of the Xbar chart
    s: tuple[float, ...]  # each subgroup's standard deviation: the points of the S chart
    centre: float  # x-double-bar, the grand mean weighted by size
    s_bar: float  # the centre line of the S chart
    sigma: tuple[float, ...]  # sigma of each subgroup's mean, A3(n_i) s-bar / 3
    xbar_lower: tuple[float, ...]
    xbar_upper: tuple[float, ...]
    s_lower: tuple[float, ...]
    s_upper: tuple[float, ...]


def xbar_s_chart(subgroups: Sequence[Subgroup | Sequence[float]], baseline: Optional[int] = None,
                 pooled: bool = True) -> XbarSLimits:
    """Xbar and S charts of `subgroups` (each a `Subgroup` or its raw values), the centre and s-bar
    from the first `baseline` of them (all by default); `pooled=False` takes s-bar as the plain
    mean of the standard deviations, as for equal sizes. Raises ValueError on bad input."""
    groups = [g if isinstance(g, Subgroup) else summarise(g) for g in subgroups]
    if not groups:
        raise ValueError("an Xbar and S chart needs at least one subgroup")
    for g in groups:
        _size(g.n)
        if not (math.isfinite(g.mean) and math.isfinite(g.sd)) or g.sd < 0:
            raise ValueError(f"a subgroup's mean and standard deviation must be finite, and the deviation not negative: {g}")
    k = len(groups) if baseline is None else baseline
    if not 1 <= k <= len(groups):
        raise ValueError(f"a baseline of {baseline} subgroups needs between 1 and {len(groups)} subgroups")
    basis = groups[:k]
    centre = math.fsum(g.n * g.mean for g in basis) / sum(g.n for g in basis)
    if pooled:
        s_bar = math.sqrt(math.fsum((g.n - 1) * g.sd ** 2 for g in basis) / sum(g.n - 1 for g in basis))
    else:
        s_bar = math.fsum(g.sd for g in basis) / len(basis)
    spread = tuple(a3(g.n) * s_bar for g in groups)
    return XbarSLimits(
        n=tuple(g.n for g in groups),
        xbar=tuple(g.mean for g in groups),
        s=tuple(g.sd for g in groups),
        centre=centre,
        s_bar=s_bar,
        sigma=tuple(w / 3 for w in spread),
        xbar_lower=tuple(centre - w for w in spread),
        xbar_upper=tuple(centre + w for w in spread),
        s_lower=tuple(b3(g.n) * s_bar for g in groups),
        s_upper=tuple(b4(g.n) * s_bar for g in groups),
    )
