"""How reading and analysing a measure's data grows with the length of the series.

    python benchmarks/series_speed.py             # about a minute on 2 cores
    python benchmarks/series_speed.py --runs 3    # quicker, noisier

Two parts, each measured side by side in the same run:

1. One long series: a CSV of 1,000, 10,000 and 100,000 daily values (generate.py's `write_series`)
   read and analysed by `driverkit.spc.analyse(project, measure)` (the CSV read and checked, the
   limits, the rules), in one Python process after an untimed warm-up, the sizes taken in turn
   round after round. Printed: the median wall and CPU time of each size, the time per point, and
   the time per point over that at 1,000 points. Goals: 100,000 points in under 1 s; the time per
   point at 100,000 under 1.5x its value at 1,000 (a series is read in linear time).
2. `driverkit check` on a project with data against the same project without: generate.py's
   500-element project (100 measures), once with 1,000 points of data for every measure (in
   `data/<id>.csv`, 100,000 points in all) and once with none, each checked in fresh processes,
   interleaved A B / B A after an untimed warm-up. Goal: with data at most 2x without (the rules
   read every series, and a series of 1,000 points should cost little next to the project itself).

Child processes cache bytecode in a temporary folder of the run (PYTHONPYCACHEPREFIX), as in
check_startup.py. `--strict` exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_startup import bench_env, driverkit_command  # noqa: E402
from common import ROOT, code_version  # noqa: E402
from generate import generate_project, write_project, write_series  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
GOAL_LONGEST = 1.0  # seconds for 100,000 points
GOAL_PER_POINT = 1.5  # time per point at 100,000 over that at 1,000
GOAL_WITH_DATA = 2.0  # check with data over check without
PROJECT_ELEMENTS = 500  # 100 measures
POINTS_PER_MEASURE = 1_000


def long_series(folder: Path, points: int):  # type: ignore[no-untyped-def]
    import driverkit

    data = folder / f"series-{points}.csv"
    write_series(data, points, seed=points)
    project = folder / f"series-{points}.yaml"
    project.write_text("driverkit: 1\ntitle: A long series\naim: {improve: waiting times, measures: [M1]}\nmeasures:\n"
                       "  - id: M1\n    name: Minutes from arrival to triage\n    family: outcome\n    better: lower\n"
                       f"    chart: {{type: xmr}}\n    data_file: {data.name}\n", encoding="utf-8")
    loaded = driverkit.load(project)
    return loaded, loaded.measures[0]


def part_one(folder: Path, runs: int) -> dict[int, float]:
    from driverkit.spc import analyse

    cases = {points: long_series(folder, points) for points in SIZES}
    for project, measure in cases.values():  # warm-up: imports, first use of every code path
        assert not analyse(project, measure).data_problems
    wall: dict[int, list[float]] = {points: [] for points in SIZES}
    cpu: dict[int, list[float]] = {points: [] for points in SIZES}
    for round_ in range(runs):
        for points in (SIZES if round_ % 2 == 0 else SIZES[::-1]):
            project, measure = cases[points]
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            analyse(project, measure)
            wall[points].append(time.perf_counter() - start)
            cpu[points].append(time.process_time() - start_cpu)
    print(f"-- 1: analyse(project, measure) on a CSV of daily values (XmR), in one process; medians of {runs} rounds")
    base = statistics.median(wall[SIZES[0]]) / SIZES[0]
    for points in SIZES:
        median = statistics.median(wall[points])
        print(f"  {points:>7,} points   wall {median * 1000:8.1f} ms   CPU {statistics.median(cpu[points]) * 1000:8.1f} ms   "
              f"{median / points * 1e6:6.2f} us per point   {median / points / base:5.2f}x the time per point at {SIZES[0]:,}")
    return {points: statistics.median(wall[points]) for points in SIZES}


def time_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def part_two(folder: Path, runs: int) -> Optional[tuple[float, float, float]]:
    with_data = write_project(folder / "with-data", PROJECT_ELEMENTS, POINTS_PER_MEASURE)
    without = folder / "without-data" / "project.yaml"
    without.parent.mkdir()
    without.write_text(generate_project(PROJECT_ELEMENTS), encoding="utf-8")
    dk, _ = driverkit_command()
    env = bench_env(str(folder / "pycache"))
    commands = {"check, 100 measures with 1,000 points each": dk + ["check", str(with_data)],
                "check, the same project without data": dk + ["check", str(without)]}
    for cmd in commands.values():
        time_run(cmd, env)  # warm-up
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, set[int]] = {name: set() for name in commands}
    names = list(commands)
    for round_ in range(runs):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            elapsed, used, code = time_run(commands[name], env)
            wall[name].append(elapsed)
            cpu[name].append(used)
            codes[name].add(code)
    print(f"-- 2: a cold `driverkit check` of generate.py's {PROJECT_ELEMENTS}-element project (100 measures), "
          f"with and without data; {runs} interleaved rounds")
    for name in names:
        print(f"  {name:<46} wall median {statistics.median(wall[name]) * 1000:7.1f} ms   "
              f"CPU median {statistics.median(cpu[name]) * 1000:7.1f} ms   exit codes {sorted(codes[name])}")
    broken = [name for name in names if codes[name] - {0, 1}]  # 0: no errors, 1: errors in the file; others: a crash
    if broken:
        print(f"  NOT JUDGED: {', '.join(broken)} did not run to the end (exit codes above)")
        return None
    ours, theirs = wall[names[0]], wall[names[1]]
    paired = statistics.median(a / b for a, b in zip(ours, theirs))
    print(f"  with / without data: {statistics.median(ours) / statistics.median(theirs):.2f}x of the medians, "
          f"{paired:.2f}x paired (wall); {statistics.median(cpu[names[0]]) / statistics.median(cpu[names[1]]):.2f}x (CPU)")
    return paired, statistics.median(ours), statistics.median(theirs)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    print("== long series: reading and analysing, and `check` with data")
    print(f"code:    {code_version()}")
    print(f"python:  {sys.executable} ({sys.version.split()[0]}); {os.cpu_count()} cores; "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print()
    with tempfile.TemporaryDirectory(prefix="driverkit-bench-series-") as work:
        folder = Path(work)
        series = part_one(folder, max(1, args.runs))
        print()
        with_data = part_two(folder, max(1, args.runs))
    print()
    longest, first = series[SIZES[-1]], series[SIZES[0]]
    growth = (longest / SIZES[-1]) / (first / SIZES[0])
    goals = [(f"{SIZES[-1]:,} points read and analysed in under {GOAL_LONGEST:.0f} s", f"{longest:.2f} s (median wall)", longest < GOAL_LONGEST),
             (f"time per point at {SIZES[-1]:,} under {GOAL_PER_POINT}x that at {SIZES[0]:,}",
              f"{longest / SIZES[-1] * 1e6:.2f} us against {first / SIZES[0] * 1e6:.2f} us, {growth:.2f}x", growth < GOAL_PER_POINT)]
    goals.append((f"check with 100 x 1,000 points within {GOAL_WITH_DATA:.0f}x of check without data",
                  "not measured" if with_data is None else
                  f"{with_data[1] * 1000:.0f} ms against {with_data[2] * 1000:.0f} ms (medians), {with_data[0]:.2f}x paired",
                  with_data is not None and with_data[0] <= GOAL_WITH_DATA))
    print(f"== goals (load average at the end {' '.join(f'{v:.2f}' for v in os.getloadavg())})")
    for label, figure, met in goals:
        print(f"  {label}: {figure}: {'met' if met else 'MISSED'}")
    return 1 if args.strict and not all(met for _, _, met in goals) else 0


if __name__ == "__main__":
    raise SystemExit(main())
