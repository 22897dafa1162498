"""How long a run chart or SPC chart takes, next to matplotlib drawing the bare series.

    python benchmarks/chart_speed.py            # about a minute on 2 cores
    python benchmarks/chart_speed.py --runs 3   # quicker, noisier

For each case, in one Python process (imports done, fonts cached by an untimed warm-up):

- `analyse`: driverkit.spc.analyse(project, measure), the reading alone (series, limits, rules,
  events);
- `driverkit svg` / `driverkit png`: driverkit.spc.charts.chart(project, measure, fmt), reading and
  drawing, as `driverkit chart` does per measure;
- `bare svg` / `bare png`: the reference, measured side by side: a matplotlib Figure of the same
  size with the same values drawn as a line and points, and nothing else, saved in the same
  format. It is the floor of any matplotlib chart of that series.

Cases: the four measures of examples/maternity.yaml with data (48 to 72 monthly points), and two
generated long series: 500 daily values on an XmR chart read with the mdc rules (5 phases), and
300 weekly proportions on a P chart with a baseline. Runs are interleaved (driverkit, bare,
driverkit, ...) so the shared machine's load falls on both alike. Figures are medians in ms, with
the ratio driverkit / bare of the medians.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, code_version  # noqa: E402

import driverkit  # noqa: E402
from driverkit.spc.charts import chart  # noqa: E402
from driverkit.spc import analyse  # noqa: E402


def long_xmr() -> driverkit.Project:
    rng = random.Random(1)
    rows = []
    for day in range(500):
        level = 40 - 4 * (day // 100)  # a step down every 100 days
        rows.append(f"      - {{period: Day {day + 1}, value: {level + rng.gauss(0, 3):.2f}}}")
    phases = ", ".join(f"{{from: Day {start + 1}, note: step {start // 100}}}" for start in range(100, 500, 100))
    return driverkit.loads("driverkit: 1\ntitle: Long XmR\naim: {improve: waits, measures: [M1]}\nmeasures:\n"
                           "  - id: M1\n    name: Minutes to triage\n    family: outcome\n    better: lower\n    goal: 25\n"
                           f"    chart: {{type: xmr, rules: mdc, phases: [{phases}]}}\n    data:\n" + "\n".join(rows) + "\n")


def long_p() -> driverkit.Project:
    rng = random.Random(2)
    rows = []
    for week in range(300):
        n = rng.randint(80, 160)
        rows.append(f"      - {{period: Week {week + 1}, numerator: {sum(rng.random() < 0.3 for _ in range(n))}, denominator: {n}}}")
    return driverkit.loads("driverkit: 1\ntitle: Long P\naim: {improve: falls, measures: [M1]}\nmeasures:\n"
                           "  - id: M1\n    name: Risk assessed on admission\n    family: process\n    unit: '%'\n"
                           "    chart: {type: p, baseline: 20}\n    data:\n" + "\n".join(rows) + "\n")


def bare(values: list[float], fmt: str) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4.6), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.plot(range(len(values)), values)
    axes.scatter(range(len(values)), values, s=18)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=144 if fmt == "png" else 100)
    return buffer.getvalue()


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"driverkit chart speed, {code_version()}, {args.runs} runs, load average {os.getloadavg()[0]:.2f}")
    maternity = driverkit.load(ROOT / "examples" / "maternity.yaml")
    cases = [(maternity, m) for m in maternity.measures if m.data or m.data_file]
    cases += [(p, p.measures[0]) for p in (long_xmr(), long_p())]
    print(f"{'case':<42}{'points':>7}{'analyse':>9}{'svg':>8}{'bare svg':>10}{'ratio':>7}{'png':>8}{'bare png':>10}{'ratio':>7}")
    for project, measure in cases:
        values = analyse(project, measure).values
        chart(project, measure, "svg"), chart(project, measure, "png"), bare(values, "svg"), bare(values, "png")  # warm-up
        times: dict[str, list[float]] = {k: [] for k in ("analyse", "svg", "bare svg", "png", "bare png")}
        for _ in range(args.runs):
            times["analyse"].append(timed(lambda: analyse(project, measure)))
            for fmt in ("svg", "png"):
                times[fmt].append(timed(lambda: chart(project, measure, fmt)))
                times[f"bare {fmt}"].append(timed(lambda: bare(values, fmt)))
        med = {k: statistics.median(v) for k, v in times.items()}
        name = f"{Path(project.file).stem if project.file != '<string>' else project.title}: {measure.id} {measure.chart.type if measure.chart else 'run'}"
        print(f"{name[:41]:<42}{len(values):>7}{med['analyse']:>9.1f}{med['svg']:>8.1f}{med['bare svg']:>10.1f}"
              f"{med['svg'] / med['bare svg']:>7.2f}{med['png']:>8.1f}{med['bare png']:>10.1f}{med['png'] / med['bare png']:>7.2f}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}; times in ms, medians; ratio = driverkit / bare")


if __name__ == "__main__":
    main()
