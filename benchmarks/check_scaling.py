"""How `check` grows with the size of the project: time, peak memory and cost per element.

    python benchmarks/check_scaling.py                       # 100, 1,000, 10,000 and 100,000 elements
    python benchmarks/check_scaling.py --sizes 1000 10000 --runs 9

For each size a project is generated (benchmarks/generate.py, fixed seed) and checked in fresh
child processes, each doing what `driverkit check FILE` does through the library: import driverkit,
`driverkit.load()` (parse + validate), `driverkit.check()` (the rules) and the text report. The
child times load and rules with time.perf_counter; the parent times the whole process (start-up
included) and reads the child's peak memory (ru_maxrss) from os.wait4 for that one child, so no
size inherits another's peak.

Runs go round-robin over the sizes (100, 1,000, 10,000, 100,000, then again) so that a slow moment
of the shared machine does not fall on one size only; large sizes get fewer runs. The figures are
medians. The reference is the 1,000-element project measured in the same run: "per element vs
1,000" is the cost of one element (load + rules) relative to its cost there. If checking grows
linearly that figure stays near 1.0; 10x larger means cost grows with the square of the size.

Last, one extra child times each rule separately on one size (--per-rule, default 10,000), to show
whether a single rule dominates.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate_project  # noqa: E402

REFERENCE = 1000

# The child: what `driverkit check FILE` does, through the public API, with timings.
CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import driverkit
from driverkit.report import format_diagnostics
t1 = time.perf_counter()
path = sys.argv[1]
try:
    project = driverkit.load(path)
except driverkit.ProjectError as exc:
    print(json.dumps({"error": [str(d) for d in exc.diagnostics[:10]]}))
    sys.exit(1)
t2 = time.perf_counter()
diagnostics = driverkit.check(project)
t3 = time.perf_counter()
text = format_diagnostics({path: diagnostics}, "text", False)
t4 = time.perf_counter()
counts = {}
for d in diagnostics:
    counts[d.severity.value] = counts.get(d.severity.value, 0) + 1
print(json.dumps({
    "import": t1 - t0, "load": t2 - t1, "rules": t3 - t2, "report": t4 - t3,
    "elements": len(project.elements()), "counts": counts,
    "codes": sorted({d.code for d in diagnostics}),
    "maxrss_self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""

# The per-rule child: builds the graph and runs each rule alone. It uses driverkit's internals
# (checker.Context, graph.build_graph, rules.iter_checks); if they change, it says so and stops.
PER_RULE_CHILD = r"""
import json, sys, time
import driverkit
try:
    from driverkit.checker import Context
    from driverkit.graph import build_graph
    from driverkit.rules import iter_checks
except ImportError as exc:
    print(json.dumps({"error": f"driverkit's internals changed ({exc})"}))
    sys.exit(0)
project = driverkit.load(sys.argv[1])
t = time.perf_counter()
graph = build_graph(project)
times = {"(build the graph)": time.perf_counter() - t}
context = Context(project, graph)
for rule in iter_checks():
    t = time.perf_counter()
    for finding in rule.check(context):
        context.location(finding.path, finding.at)
    times[f"{rule.code} {rule.name}"] = time.perf_counter() - t
print(json.dumps({"times": times}))
"""


def runs_for(size: int, base: int) -> int:
    """Fewer runs for the big sizes: base up to 1,000 elements, then about half, then 1."""
    if size <= 1_000:
        return base
    if size <= 10_000:
        return max(3, base // 2)
    if size <= 30_000:
        return max(2, base // 3)
    return max(1, base // 5)


def run_child(code: str, path: Path, timeout: float) -> dict[str, Any]:
    """Run one fresh child; its wall time, peak RSS (this child only, via wait4) and JSON result."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    result: dict[str, Any] = {"wall": wall, "maxrss_kib": usage.ru_maxrss, "exit": proc.returncode}
    if proc.returncode < 0:
        result["error"] = f"killed after {timeout:.0f} s (timeout)" if wall >= timeout else f"killed by signal {-proc.returncode}"
        return result
    try:
        result.update(json.loads(stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        result["error"] = (stderr or stdout).strip()[-600:] or f"exit code {proc.returncode}, no output"
    return result


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000],
                        help="project sizes in elements (default: 100 1000 10000 100000)")
    parser.add_argument("--runs", type=int, default=7,
                        help="runs for sizes up to 1,000 elements; larger sizes get fewer (default 7)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a child is stopped (default 900)")
    parser.add_argument("--per-rule", type=int, default=10_000, metavar="SIZE",
                        help="time each rule separately on this size (default 10000; 0 to skip)")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated projects in DIR")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    if any(s < 1 for s in sizes) or args.runs < 1:
        parser.error("sizes and --runs must be at least 1")

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="driverkit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print("== driverkit check: scaling with project size")
    print(f"python:  {sys.executable} ({sys.version.split()[0]}); driverkit from {ROOT}")
    print(f"machine: {os.cpu_count()} cores; each run is a fresh child process; runs round-robin over the sizes")
    print()

    files: dict[int, Path] = {}
    print("generated projects (benchmarks/generate.py, seed %d):" % args.seed)
    for size in sizes:
        start = time.perf_counter()
        text = generate_project(size, args.seed)
        path = workdir / f"project-{size}.yaml"
        path.write_text(text, encoding="utf-8")
        files[size] = path
        print(f"  {size:>9,} elements  {len(text.encode()):>12,} bytes  {text.count(chr(10)):>10,} lines"
              f"   generated in {fmt_ms(time.perf_counter() - start)}")
    print()

    planned = {size: runs_for(size, args.runs) for size in sizes}
    results: dict[int, list[dict[str, Any]]] = {size: [] for size in sizes}
    failed: dict[int, str] = {}
    for round_ in range(max(planned.values())):
        for size in sizes:
            if size in failed or len(results[size]) >= planned[size]:
                continue
            result = run_child(CHILD, files[size], args.timeout)
            if "error" in result:
                failed[size] = str(result["error"])
                continue
            results[size].append(result)
        print(f"  round {round_ + 1} of {max(planned.values())} done", file=sys.stderr, flush=True)

    med: dict[int, dict[str, float]] = {}
    for size in sizes:
        rs = results[size]
        if not rs:
            continue
        med[size] = {key: statistics.median(r[key] for r in rs)
                     for key in ("wall", "import", "load", "rules", "report", "maxrss_kib")}
        med[size]["elements"] = rs[0]["elements"]

    print("time (medians; wall is the whole child process, start-up and imports included)")
    print(f"  {'elements':>9}  {'runs':>4}  {'wall':>10}  {'(min-max)':>19}  {'import':>8}  {'load':>10}  {'rules':>10}"
          f"  {'report':>8}  {'rules share':>11}")
    for size in sizes:
        if size not in med:
            continue
        m, rs = med[size], results[size]
        walls = [r["wall"] for r in rs]
        spread = f"{min(walls):.2f}-{max(walls):.2f} s"
        share = m["rules"] / (m["load"] + m["rules"]) if m["load"] + m["rules"] else 0.0
        print(f"  {int(m['elements']):>9,}  {len(rs):>4}  {fmt_ms(m['wall']):>10}  {spread:>19}  {fmt_ms(m['import']):>8}"
              f"  {fmt_ms(m['load']):>10}  {fmt_ms(m['rules']):>10}  {fmt_ms(m['report']):>8}  {share:>10.0%}")
    print()

    ref = med.get(REFERENCE)
    print(f"cost per element (load + rules); relative figures against the {REFERENCE:,}-element project of this run")
    if ref is None:
        print(f"  (no {REFERENCE:,}-element run: relative figures are left out; add {REFERENCE} to --sizes)")
    print(f"  {'elements':>9}  {'elements/s':>11}  {'load µs/el':>10}  {'rules µs/el':>11}  {'load vs ref':>11}"
          f"  {'rules vs ref':>12}  {'total vs ref':>12}  {'peak RSS':>10}  {'RSS above smallest':>18}")
    smallest = med[min(med)] if med else None
    for size in sizes:
        if size not in med:
            continue
        m = med[size]
        n = m["elements"]
        work = m["load"] + m["rules"]
        load_pe, rules_pe = m["load"] / n, m["rules"] / n
        if ref:
            rel_load = f"{load_pe / (ref['load'] / ref['elements']):.2f}x"
            rel_rules = f"{rules_pe / (ref['rules'] / ref['elements']):.2f}x"
            rel_total = f"{(work / n) / ((ref['load'] + ref['rules']) / ref['elements']):.2f}x"
        else:
            rel_load = rel_rules = rel_total = "-"
        rss_mib = m["maxrss_kib"] / 1024
        if smallest is not None and n > smallest["elements"]:
            per = (m["maxrss_kib"] - smallest["maxrss_kib"]) / (n - smallest["elements"])
            above = f"{per:.1f} KiB/el"
        else:
            above = "(baseline)"
        print(f"  {int(n):>9,}  {n / work:>11,.0f}  {load_pe * 1e6:>10.1f}  {rules_pe * 1e6:>11.1f}  {rel_load:>11}"
              f"  {rel_rules:>12}  {rel_total:>12}  {rss_mib:>7.1f} MiB  {above:>18}")
    print()

    for size in sizes:
        if size in med:
            first = results[size][0]
            counts = ", ".join(f"{v} {k}" for k, v in sorted(first["counts"].items())) or "none"
            print(f"  {size:>9,} elements: diagnostics {counts}; codes {', '.join(first['codes']) or '-'}")
    for size, why in failed.items():
        print(f"  {size:>9,} elements: NOT MEASURED: {why}")
    print()

    if ref:
        verdicts = []
        for size in sizes:
            if size in med and size > REFERENCE:
                m = med[size]
                for part in ("load", "rules"):
                    rel = (m[part] / m["elements"]) / (ref[part] / ref["elements"])
                    if rel > 1.5:
                        verdicts.append(f"{part} per element is {rel:.1f}x its cost at {REFERENCE:,} at {size:,} elements")
        if verdicts:
            print("NOT LINEAR: " + "; ".join(verdicts) + ".")
        else:
            print("Linear: the cost per element stays within 1.5x of the reference at every larger size.")
        print()

    if args.per_rule:
        size = args.per_rule
        path = files.get(size)
        if path is None:
            path = workdir / f"project-{size}.yaml"
            path.write_text(generate_project(size, args.seed), encoding="utf-8")
        result = run_child(PER_RULE_CHILD, path, args.timeout)
        print(f"time per rule on the {size:,}-element project (one run)")
        if "error" in result:
            print(f"  not measured: {result['error']}")
        else:
            times = result["times"]
            total = sum(times.values())
            for name, seconds in sorted(times.items(), key=lambda kv: -kv[1])[:8]:
                print(f"  {fmt_ms(seconds):>10}  {seconds / total:>4.0%}  {name}")
            rest = sorted(times.values(), reverse=True)[8:]
            if rest:
                print(f"  {fmt_ms(sum(rest)):>10}  {sum(rest) / total:>4.0%}  the other {len(rest)} rules")
            print(f"  {fmt_ms(total):>10}        in all (graph + rules)")

    if not args.keep:
        for path in workdir.glob("project-*.yaml"):
            path.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
