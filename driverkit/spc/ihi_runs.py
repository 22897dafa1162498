"""The IHI rule on too few or too many runs, from its published table.

Source: Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from
variation in healthcare processes. BMJ Qual Saf 2011;20:46-51, Table 1, "Checking for too many or
too few runs on a run chart" (about a 5% risk of failing the test for random patterns; adapted from
Swed and Eisenhart). The table is embedded as published, not computed: it is the rule as the IHI
teaches it. It covers 10 to 60 useful points (points not on the median); outside that range the
rule does not apply and nothing is extrapolated.

A run is one or more consecutive useful points on the same side of the median.
"""

from __future__ import annotations

from typing import Optional

FEWEST_POINTS, MOST_POINTS = 10, 60

# useful points: (too few runs: fewer than this, too many runs: more than this)
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16),
    22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 20), 30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23),
    34: (12, 24), 35: (12, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (15, 27), 42: (16, 28), 43: (16, 28), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (21, 34), 54: (21, 35), 55: (22, 35), 56: (22, 35), 57: (23, 36),
    58: (23, 37), 59: (24, 38), 60: (24, 38),
}


def runs_limits(useful_points: int) -> Optional[tuple[int, int]]:
    """(fewest runs expected, most runs expected) for this many useful points: fewer runs than the
    first are too few, more than the second too many. None outside the table's 10 to 60 points."""
    return RUNS_TABLE.get(useful_points)
