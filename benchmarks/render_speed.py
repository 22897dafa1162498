"""How long `driverkit render` takes, next to Graphviz's own `dot` on the DOT that driverkit emits.

    python benchmarks/render_speed.py            # about 2 to 3 minutes on 2 cores
    python benchmarks/render_speed.py --quick    # every case once (after the untimed warm-ups)
    python benchmarks/render_speed.py --strict   # exit 1 when a goal is missed

Three comparisons, each measured side by side in the same run:

1. One diagram: `driverkit render FILE -f svg --backend system` in a fresh process against
   `dot -Tsvg` on the DOT that driverkit emits for that file (made beforehand, untimed, with
   `driverkit render -f dot`), for examples/maternity.yaml and for the large generated diagram
   (generate.py's `generate_diagram()`: 620 boxes, namely 20 primary drivers, 100 secondary and 500
   change ideas, 30% of them linked to a second driver). Driverkit's overhead is its time above dot's, as a percentage
   of dot's. Goal: under 20% on the large diagram. `dot` is also timed with driverkit's fontconfig
   file (its fonts folder added to the system's configuration), which is what driverkit really
   runs, and `driverkit --version` gives the floor of any cold driverkit command.
   The same is then timed inside one Python process, `render(project, "svg", backend="system")`
   (the whole call, nothing subtracted) against `dot -Tsvg` run by subprocess from that process,
   so that start-up (interpreter, imports, reading the file: cold minus in-process; `render` does
   not run the checks)
   and the per-diagram overhead (view, wrapped text, DOT text, fontconfig file, tidying) are seen
   apart.
2. The embedded backend (the Graphviz inside pygraphviz's wheel, run in-process) against the system
   one on the same inputs: svg for both diagrams, png for maternity; cold process and in-process.
   The two are different Graphviz versions (both printed): this compares what a user gets.
3. A batch: 136 project files (one per maternity trust: `generate_project(100, seed=i)`, 100
   elements each) in ONE `driverkit render DIR -o OUT -f svg --backend system` call (default
   --jobs: one process per core) against a bash loop of `dot -Tsvg` over the 136 DOT files (made
   beforehand by one `driverkit render -f dot` call; only the loop is timed), in wall-clock time
   and in CPU time (user + system of the command and of every process it waited for: the loop's
   `dot`s, driverkit's workers and the one `dot` each worker hands its diagrams to). Goal: at most
   0.6x the loop's time, wall and CPU, with `--backend system` and with `--backend embedded`.

Method, as in check_startup.py: one untimed warm-up of every command (page cache, .pyc files,
fontconfig caches), then timed runs interleaved A B C, C B A, ... so that the shared machine's
load at any moment falls on all alike. Figures are medians, with min and max; ratios are given of
the medians and as the median of the per-round ratios (the steadier on a noisy machine, and the
one the goals are judged on). Slow cases get fewer runs: --runs (default 11) for maternity,
--large-runs (5) for the large diagram, --batch-runs (3) for the batch. Child processes cache
bytecode in a temporary folder of the run (PYTHONPYCACHEPREFIX, with PYTHONDONTWRITEBYTECODE unset
for them), filled by the warm-ups; the repository gets no __pycache__. The in-process figures come
from one fresh child per diagram. The load average is printed at the start and the end, and how
busy the cores were in the second before measuring: someone else's work on a 2-core machine halves
what `--jobs` can gain in part 3.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from check_startup import driverkit_command
from common import code_version, timed_process
from generate import generate_diagram, generate_project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MATERNITY = ROOT / "examples" / "maternity.yaml"
TRUSTS = 136  # one project file per maternity trust
TRUST_ELEMENTS = 100
GOAL_OVERHEAD = 20.0  # percent above dot's own time, on the large diagram
GOAL_BATCH = 0.6  # the batch's time over the loop's, wall and CPU, on either backend

ENV: dict[str, str] = dict(os.environ)  # the children's environment, set in main()
CPU_TIMES: dict[str, list[float]] = {}  # CPU seconds of every timed run, by command name

# One fresh child per diagram: the library called as a program would call it, timed inside.
# argv: project file, runs, dot program, "png" or "" (also time png).
CHILD = r"""
import json, os, subprocess, sys, time, warnings
warnings.simplefilter("ignore")
plain_env = dict(os.environ)  # before the embedded backend sets FONTCONFIG_FILE in this process
path, runs, dot, png = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "png"
once = {}  # what a fresh process pays once, in the order `driverkit render` pays it
t = time.perf_counter()
from driverkit import load, render  # the public API (`driverkit render` does not run check)
from driverkit.output.engine import fontconfig_file
once["imports"] = time.perf_counter() - t
t = time.perf_counter(); project = load(path); once["first load()"] = time.perf_counter() - t
t = time.perf_counter(); source = render(project, "dot"); once['first render(p, "dot")'] = time.perf_counter() - t
fc_env = dict(plain_env, FONTCONFIG_FILE=str(fontconfig_file()))

def run_dot(env):
    done = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, env=env)
    assert done.returncode == 0 and done.stdout, done.stderr[-300:]

cases = {
    "load": lambda: load(path),
    "render dot": lambda: render(project, "dot"),
    "dot plain": lambda: run_dot(plain_env),
    "dot fc": lambda: run_dot(fc_env),
    "svg system": lambda: render(project, "svg", backend="system"),
    "svg embedded": lambda: render(project, "svg", backend="embedded"),
}
if png:
    cases["png system"] = lambda: render(project, "png", backend="system")
    cases["png embedded"] = lambda: render(project, "png", backend="embedded")
first = {}
for name, call in cases.items():  # warm-up: the first call of each, timed apart
    t = time.perf_counter(); call(); first[name] = time.perf_counter() - t
times = {name: [] for name in cases}
names = list(cases)
for i in range(runs):
    for name in (names if i % 2 == 0 else names[::-1]):
        t = time.perf_counter(); cases[name](); times[name].append(time.perf_counter() - t)
sizes = {"dot": len(source), "svg": len(render(project, "svg", backend="system"))}
print(json.dumps({"elements": len(project.elements()), "sizes": sizes, "once": once, "first": first, "times": times}))
"""


# -- running and describing ----------------------------------------------------------------------

# A command is its argument list, optionally preceded by a dict of variables added to its environment.
Command = list


def time_run(cmd: Command) -> tuple[float, float, int, str]:
    """Wall-clock seconds of one run, its CPU seconds (user + system, of the process and of every
    process it waited for: driverkit's workers and their `dot`, bash's `dot`s), its exit code and
    the end of its output. Run from the repository (paths are absolute), so that `python -m
    driverkit` runs this checkout."""
    env = ENV
    if cmd and isinstance(cmd[0], dict):
        env, cmd = {**ENV, **cmd[0]}, cmd[1:]
    return timed_process(cmd, env)


def warm_up(commands: dict[str, Command]) -> None:
    for name, cmd in commands.items():
        _, _, code, output = time_run(cmd)
        if code != 0:
            print(f"  note: {name} exited {code} in its warm-up run; its output ends with:\n{output}")


def interleaved(commands: dict[str, Command], runs: int) -> tuple[dict[str, list[float]], dict[str, str]]:
    """`runs` timed rounds over all commands, A B C then C B A, ...; and, per command that failed in
    any run, how often and the last line it wrote (a failed run's time is no figure: see failure_note).
    The CPU times of the runs are kept in CPU_TIMES, by command name."""
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    failed: dict[str, list[str]] = {name: [] for name in names}
    for i in range(runs):
        for name in (names if i % 2 == 0 else names[::-1]):
            elapsed, cpu, code, output = time_run(commands[name])
            times[name].append(elapsed)
            CPU_TIMES.setdefault(name, []).append(cpu)
            if code != 0:
                last = (output.strip().splitlines() or [""])[-1][-160:]
                failed[name].append(f"exit {code}: {last}")
    return times, {name: f"FAILED in {len(f)} of {runs} runs ({f[-1]})" for name, f in failed.items() if f}


def code_fingerprint() -> str:
    """Names, sizes and modification times of driverkit's source files: other people edit them while
    this runs, and a figure measured across an edit is of no one version."""
    parts = []
    for path in sorted((ROOT / "driverkit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            parts.append(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def row(label: str, times: list[float], note: str = "", width: int = 46) -> str:
    return (f"  {label:<{width}} median {ms(statistics.median(times))} ms  min {ms(min(times))}  max {ms(max(times))}"
            + (f"   {note}" if note else ""))


def overhead(ours: list[float], ref: list[float]) -> tuple[float, float, float]:
    """Percent above the reference: of the medians, median of the per-round figures; and ms above."""
    of_medians = (statistics.median(ours) / statistics.median(ref) - 1) * 100
    paired = statistics.median(a / b - 1 for a, b in zip(ours, ref)) * 100
    return of_medians, paired, statistics.median(ours) - statistics.median(ref)


def ratio(ours: list[float], ref: list[float]) -> tuple[float, float]:
    return statistics.median(ours) / statistics.median(ref), statistics.median(a / b for a, b in zip(ours, ref))


def overhead_note(ours: list[float], ref: list[float], ref_name: str = "dot") -> str:
    pct, paired, extra = overhead(ours, ref)
    return f"{extra * 1000:+.1f} ms = {pct:+.0f}% of {ref_name} (paired {paired:+.0f}%)"


def ratio_note(ours: list[float], ref: list[float], ref_name: str) -> str:
    of_medians, paired = ratio(ours, ref)
    return f"{of_medians:.2f}x {ref_name} (paired {paired:.2f}x)"


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def cpu_busy(seconds: float = 1.0) -> tuple[float, str]:
    """How busy all the cores were over `seconds`, from /proc/stat (Linux): other people's work shows here."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)  # total, idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0, "how busy the cores were is unknown (no /proc/stat)"
    busy = 1 - (idle1 - idle0) / max(1, total1 - total0)
    return busy, f"{busy * 100:.0f}% of all cores busy over {seconds:.0f} s before measuring (about {busy * (os.cpu_count() or 1):.1f} cores)"


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def child_json(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=ENV, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": (done.stderr or done.stdout).strip()[-600:] or f"exit code {done.returncode}, no output"}


def probe(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return done.stdout.strip() if done.returncode == 0 else f"unknown ({(done.stderr.strip().splitlines() or ['failed'])[-1]})"


# -- the three parts -----------------------------------------------------------------------------

def one_diagram(label: str, file: Path, runs: int, png: bool, dk: list[str], dot: str, fc_file: str, work: Path,
                with_version: bool) -> dict[str, float]:
    """Part 1 and 2 for one file: cold processes, then one in-process child. Returns the figures the goals need."""
    out = work / f"out-{file.stem}"
    dot_dir = work / f"dot-{file.stem}"
    out.mkdir()
    dot_dir.mkdir()
    _, _, code, output = time_run(dk + ["render", str(file), "-o", str(dot_dir), "-f", "dot"])  # also a warm-up
    dot_file = dot_dir / f"{file.stem}.dot"
    if code != 0 or not dot_file.exists():
        print(f"  `driverkit render -f dot` failed (exit {code}): {output}")
        return {}
    fc_dot = [{"FONTCONFIG_FILE": fc_file}, dot, "-Tsvg", str(dot_file), "-o", str(out / "dot-fc.svg")]
    commands = {
        "dot -Tsvg": [dot, "-Tsvg", str(dot_file), "-o", str(out / "dot.svg")],
        "dot -Tsvg, driverkit's fontconfig": fc_dot,
    }
    for fmt in ("svg", "png") if png else ("svg",):
        for backend in ("system", "embedded"):
            commands[f"render -f {fmt} --backend {backend}"] = dk + ["render", str(file), "-o", str(out / f"{fmt}-{backend}"),
                                                                     "-f", fmt, "--backend", backend]
    if with_version:
        commands["driverkit --version"] = dk + ["--version"]
    warm_up(commands)
    times, failures = interleaved(commands, runs)

    inproc = child_json(CHILD, str(file), str(runs), dot, "png" if png else "")
    size_note = ""
    if "sizes" in inproc:
        size_note = (f"{inproc['elements']} elements; DOT {inproc['sizes']['dot'] / 1024:.0f} KiB, "
                     f"SVG {inproc['sizes']['svg'] / 1024:.0f} KiB; ")
    print(f"-- {label}: {shown(file)}  ({size_note}{runs} rounds)")
    print("  cold processes, wall-clock time of one run")
    dot_t, sys_t = times["dot -Tsvg"], times["render -f svg --backend system"]
    for name in commands:
        t = times[name]
        if name == "dot -Tsvg":
            note = "Graphviz alone (the reference)"
        elif name.startswith("dot -Tsvg,"):
            note = overhead_note(t, dot_t)
        elif name == "render -f svg --backend system":
            note = "overhead " + overhead_note(t, dot_t)
        elif name == "render -f png --backend embedded":
            note = ratio_note(t, times["render -f png --backend system"], "png system")
        elif "embedded" in name:
            note = ratio_note(t, sys_t, "system")
        elif name == "driverkit --version":
            note = "the floor: interpreter start + command-line imports"
        else:
            note = ""
        if name in failures:
            note = failures[name]
        print(row(("driverkit " + name) if name.startswith("render") else name, t, note))

    result = {"cold_overhead": overhead(sys_t, dot_t)[0], "cold_paired": overhead(sys_t, dot_t)[1],
              "cold_ms": statistics.median(sys_t), "dot_ms": statistics.median(dot_t),
              "failed": float("dot -Tsvg" in failures or "render -f svg --backend system" in failures)}
    if "driverkit --version" in times:
        result["version_ms"] = statistics.median(times["driverkit --version"])
    if "error" in inproc:
        print(f"  in-process child failed: {inproc['error']}")
        return result
    it, first = inproc["times"], inproc["first"]
    labels = {
        "dot plain": "dot -Tsvg by subprocess (the reference)",
        "dot fc": "dot -Tsvg by subprocess, driverkit's fontconfig",
        "load": "load() (reading the file, as a cold run does)",
        "render dot": 'render(p, "dot"): view + DOT text, no Graphviz',
        "svg system": 'render(p, "svg", backend="system")',
        "svg embedded": 'render(p, "svg", backend="embedded")',
        "png system": 'render(p, "png", backend="system")',
        "png embedded": 'render(p, "png", backend="embedded")',
    }
    print(f"  in one Python process (fresh child; first call timed apart, then {runs} interleaved rounds)")
    ref = it["dot plain"]
    for key in ("dot plain", "dot fc", "load", "render dot", "svg system", "svg embedded", "png system", "png embedded"):
        if key not in it:
            continue
        t = it[key]
        note = f"next call {first[key] * 1000:7.1f} ms" if key == "render dot" else f"first call {first[key] * 1000:7.1f} ms"
        if key == "dot fc":
            note += "; " + overhead_note(t, ref)
        elif key == "render dot":
            note += f"; {statistics.median(t) / statistics.median(ref) * 100:.0f}% of dot"
        elif key == "svg system":
            note += "; overhead " + overhead_note(t, ref)
        elif key == "svg embedded":
            note += "; " + ratio_note(t, it["svg system"], "system")
        elif key == "png embedded":
            note += "; " + ratio_note(t, it["png system"], "png system")
        print(row(labels[key], t, note))
    print("  one-off costs of that fresh process, before the calls above: "
          + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in inproc["once"].items()))
    inproc_sys = statistics.median(it["svg system"])
    startup = statistics.median(sys_t) - inproc_sys
    per_diagram = inproc_sys - statistics.median(ref)
    print(f"  split of the cold overhead ({(statistics.median(sys_t) - statistics.median(dot_t)) * 1000:.0f} ms above dot): "
          f"start-up, imports and reading the file {startup * 1000:.0f} ms (cold run minus in-process render); "
          f"per-diagram work {per_diagram * 1000:.0f} ms (in-process render minus dot)")
    result.update({"inproc_overhead": overhead(it["svg system"], ref)[0], "startup_ms": startup, "per_diagram_ms": per_diagram,
                   "render_dot_ms": statistics.median(it["render dot"]), "inproc_dot_ms": statistics.median(ref)})
    return result


def batch(runs: int, dk: list[str], dot: str, work: Path) -> Optional[dict[str, tuple[float, float, bool]]]:
    """Part 3: 136 files in one driverkit call against a bash loop of dot. Returns, per backend and for
    wall and CPU time, the ratio driverkit / loop paired (the median of the per-round ratios), of the
    medians, and whether either command failed in a run."""
    src = work / "trusts"
    src.mkdir()
    for i in range(TRUSTS):
        (src / f"trust-{i:03d}.yaml").write_text(generate_project(TRUST_ELEMENTS, seed=i), encoding="utf-8")
    dots = work / "trusts-dot"
    _, _, code, output = time_run(dk + ["render", str(src), "-o", str(dots), "-f", "dot"])
    made = sorted(dots.glob("*.dot"))
    if code != 0 or len(made) != TRUSTS:
        print(f"  `driverkit render -f dot` made {len(made)} of {TRUSTS} DOT files (exit {code}): {output}")
        return None
    mean_kib = sum(p.stat().st_size for p in made) / len(made) / 1024
    # Warm-up of the batch path (process pool, workers' imports) on two files only: the rest of the
    # code and dot itself were warmed by parts 1 and 2.
    small = work / "trusts-warm"
    small.mkdir()
    for p in sorted(src.glob("*.yaml"))[:2]:
        shutil.copy(p, small / p.name)
    loop = f'for f in *.dot; do {shlex.quote(dot)} -Tsvg "$f" -o "${{f%.dot}}.svg"; done'
    def batch_render(folder: Path, backend: str) -> list[str]:
        return dk + ["render", str(folder), "-o", str(work / f"trusts-{backend}"), "-f", "svg", "--backend", backend]

    commands = {
        "bash loop of dot -Tsvg": ["bash", "-c", f"cd {shlex.quote(str(dots))} && {loop}"],
        "driverkit render DIR -f svg --backend system": batch_render(src, "system"),
        "driverkit render DIR -f svg --backend embedded": batch_render(src, "embedded"),
    }
    warm_up({f"batch warm-up ({backend})": batch_render(small, backend) for backend in ("system", "embedded")})
    times, failures = interleaved(commands, runs)
    print(f"-- batch: {TRUSTS} generated project files of {TRUST_ELEMENTS} elements (DOT {mean_kib:.0f} KiB each on average); "
          f"{runs} rounds; driverkit with default --jobs ({min(TRUSTS, os.cpu_count() or 1)} processes here)")
    print(f"  loop: bash -c 'cd DOTDIR && {loop}'")
    loop = "bash loop of dot -Tsvg"
    for kind, measured in (("wall", times), ("CPU", CPU_TIMES)):
        print(f"  {kind} time{' (user + system, of the command and every process it waited for)' if kind == 'CPU' else ''}")
        for name in commands:
            t = measured[name]
            per_file = f"{statistics.median(t) / TRUSTS * 1000:5.1f} ms per file"
            note = per_file + ("" if name == loop else "; " + ratio_note(t, measured[loop], "the loop"))
            if name in failures:
                note = failures[name]
            print(row(name, t, note))
    for backend in ("system", "embedded"):
        svgs = len(list((work / f"trusts-{backend}").glob("*.svg")))
        if svgs != TRUSTS:
            print(f"  note: driverkit wrote {svgs} SVG files with the {backend} backend, not {TRUSTS}")
    result = {}
    for backend in ("system", "embedded"):
        name = f"driverkit render DIR -f svg --backend {backend}"
        failed = name in failures or loop in failures
        for kind, measured in (("wall", times), ("CPU", CPU_TIMES)):
            of_medians, paired = ratio(measured[name], measured[loop])
            result[f"{backend} {kind}"] = (paired, of_medians, failed)
    return result


# -- main ----------------------------------------------------------------------------------------

def main(argv: Optional[list[str]] = None) -> int:
    with tempfile.TemporaryDirectory(prefix="driverkit-bench-render-") as work:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(Path(work) / "pycache")
        return _main(argv, Path(work))


def _main(argv: Optional[list[str]], work: Path) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="timed rounds for examples/maternity.yaml (default 11)")
    parser.add_argument("--large-runs", type=int, default=5, help="timed rounds for the large diagram (default 5)")
    parser.add_argument("--batch-runs", type=int, default=3, help="timed rounds for the 136-file batch (default 3)")
    parser.add_argument("--quick", action="store_true", help="one timed run of everything (warm-ups are kept)")
    parser.add_argument("--skip-batch", action="store_true", help="leave out part 3")
    parser.add_argument("--batch-only", action="store_true", help="part 3 alone")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = args.large_runs = args.batch_runs = 1
    if min(args.runs, args.large_runs, args.batch_runs) < 1:
        parser.error("runs must be at least 1")

    started = time.perf_counter()
    fingerprint = code_fingerprint()
    dot = os.environ.get("DRIVERKIT_DOT") or shutil.which("dot")
    if not dot:
        print("no `dot` on PATH: install Graphviz (e.g. `apt-get install graphviz`); nothing to compare against")
        return 1
    dk, dk_desc = driverkit_command()
    version = subprocess.run([dot, "-V"], capture_output=True, text=True)
    system_version = (version.stderr or version.stdout).strip()
    embedded_version = probe("import pygraphviz; print(pygraphviz.__graphviz_version__, 'via pygraphviz', pygraphviz.__version__)")
    fc_file = probe("from driverkit.output.engine import fontconfig_file; print(fontconfig_file())")
    cores = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores

    print("== driverkit render: speed next to Graphviz's own dot")
    print(f"code:        {code_version()}")
    print(f"python:      {sys.executable} ({sys.version.split()[0]})")
    print(f"driverkit:   {dk_desc}")
    print(f"graphviz:    system {dot}: {system_version}")
    print(f"             embedded: Graphviz {embedded_version}")
    print(f"machine:     {cores} cores ({usable} usable by this process); load average at start {load_text()}")
    busy, busy_text = cpu_busy()
    print(f"             {busy_text}")
    if busy > 0.25:
        print("             the machine is busy: the absolute times are inflated, the side-by-side ratios less so")
    print(f"runs:        maternity {args.runs}, large diagram {args.large_runs}, batch {args.batch_runs}"
          f"{' (--quick)' if args.quick else ''}; each after 1 untimed warm-up, interleaved")
    print("bytecode:    cached (PYTHONPYCACHEPREFIX in a temporary folder, filled by the warm-ups)")
    print(f"fontconfig:  driverkit's file {fc_file}")
    print()

    large = work / "large-620-boxes.yaml"
    large.write_text(generate_diagram(primaries=20, secondaries=100, changes=500, cross_links=0.3, seed=0), encoding="utf-8")

    figures: dict[str, dict[str, float]] = {}
    if not args.batch_only:
        print("== 1 + 2: one diagram, driverkit against dot, and the embedded backend against the system one")
        figures["maternity"] = one_diagram("maternity", MATERNITY, args.runs, True, dk, dot, fc_file, work, True)
        print()
        figures["large"] = one_diagram("large diagram: 620 boxes (20 primary, 100 secondary, 500 change ideas; 30% cross-linked)", large,
                                       args.large_runs, False, dk, dot, fc_file, work, False)
        print(f"  (load average now {load_text()})")
        print()

    batch_ratio = None
    if not args.skip_batch:
        print("== 3: many files in one call, against a shell loop of dot")
        batch_ratio = batch(args.batch_runs, dk, dot, work)
        print()

    print(f"== goals   (load average at the end {load_text()}; {time.perf_counter() - started:.0f} s in all)")
    ok = True
    lg = figures.get("large", {})
    # As in check_startup.py, a goal is judged on the paired figure (the median of the per-round ones).
    if "cold_overhead" in lg:
        met = lg["cold_paired"] < GOAL_OVERHEAD and not lg["failed"]
        ok &= met
        print(f"  driverkit's overhead above dot on the large diagram < {GOAL_OVERHEAD:.0f}% (cold `driverkit render`): "
              f"{lg['cold_paired']:+.0f}% paired ({lg['cold_overhead']:+.0f}% of the medians): "
              f"{'NOT JUDGED (runs failed, see above)' if lg['failed'] else 'met' if met else 'MISSED'}")
        if "inproc_overhead" in lg:
            print(f"    of which start-up, imports and load {lg['startup_ms'] * 1000:.0f} ms; per-diagram work in "
                  f"render() {lg['per_diagram_ms'] * 1000:.0f} ms ({lg['inproc_overhead']:+.0f}% of dot in-process), "
                  f"of which view + DOT text {lg['render_dot_ms'] * 1000:.0f} ms")
    mt = figures.get("maternity", {})
    if "cold_overhead" in mt:
        print(f"  (maternity, no goal: {mt['cold_overhead']:+.0f}% cold"
              + (f", {mt['inproc_overhead']:+.0f}% in-process" if "inproc_overhead" in mt else "")
              + (f"; `driverkit --version` alone takes {mt['version_ms'] * 1000:.0f} ms" if "version_ms" in mt else "") + ")")
    if batch_ratio is not None:
        for what, (paired, of_medians, failed) in batch_ratio.items():
            met = paired <= GOAL_BATCH and not failed
            ok &= met
            print(f"  {TRUSTS} files in one `driverkit render --backend {what.split()[0]}` <= {GOAL_BATCH}x the dot loop's "
                  f"{what.split()[1]} time: {paired:.2f}x paired ({of_medians:.2f}x of the medians): "
                  f"{'NOT JUDGED (runs failed, see above)' if failed else 'met' if met else 'MISSED'}")
    if code_fingerprint() != fingerprint:
        ok = False
        print("  WARNING: files in driverkit/ changed while this ran (someone edited them): the figures mix two versions")
        print(f"           of the code; run again. Now: {code_version()}")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
