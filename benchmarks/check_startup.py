"""How long one `driverkit check` takes as a cold process, next to check-jsonschema on the same file.

    python benchmarks/check_startup.py               # 15 runs of each
    python benchmarks/check_startup.py --runs 31 FILE

A person or a pre-commit hook runs `driverkit check` on one small file, so what they wait for is
the start of a fresh interpreter, the imports and the check. The peer is check-jsonschema with the
project's JSON Schema: it only validates the schema, so driverkit, which also reads places,
validates and runs its rules, should be faster (goal: ratio 0.8 or less). A cold `driverkit render
FILE -f svg` (start-up, reading, the diagram, Graphviz) is timed in the same rounds, against the
cold `check` (goal: 2.0x or less). Wall-clock and CPU times are both printed; goals are judged on
the wall-clock time.

The two commands are run interleaved (A B, then B A, ...) after one untimed warm-up run each, so
that the machine's load at any moment falls on both alike. The figures are medians; the paired
ratio is the median of the per-round ratios, the steadier figure on a noisy machine.

Then `python -X importtime -m driverkit check FILE` tells which modules `check` imports: jinja2 and
graphviz (used only to render) must not be among them, and the top imports by self time say where
start-up goes.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from common import code_version, timed_process
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "driverkit.schema.json"
PREFERRED = ROOT / "examples" / "maternity.yaml"
FALLBACK = ROOT / "templates" / "starter.yaml"
MUST_STAY_LAZY = ("jinja2", "graphviz")


def _bin_dir() -> Path:
    return Path(sys.executable).parent


def driverkit_command() -> tuple[list[str], str]:
    """The command that runs `driverkit check` with this interpreter and this checkout's code.

    The `driverkit` console script beside the interpreter is used when it runs this checkout (an
    editable install, as `make bench` makes); otherwise `python -m driverkit` from the repository.
    """
    script = _bin_dir() / "driverkit"
    if script.exists():
        probe = subprocess.run([sys.executable, "-c", "import driverkit; print(driverkit.__file__)"],
                               capture_output=True, text=True, cwd=tempfile.gettempdir())
        where = probe.stdout.strip()
        if probe.returncode == 0 and Path(where).resolve().is_relative_to(ROOT.resolve()):
            return [str(script)], f"{script} (console script)"
    return [sys.executable, "-m", "driverkit"], f"{sys.executable} -m driverkit (from {ROOT})"


def peer_command() -> tuple[Optional[list[str]], str]:
    """check-jsonschema run by this interpreter if it can (its console script, or -m), else from PATH.

    A command from PATH may be a wrapper (a pyenv shim is a bash script that starts pyenv first),
    whose own start-up would be counted against the peer; the output says when that is the case.
    """
    local = _bin_dir() / "check-jsonschema"
    if local.exists():
        return [str(local)], f"{local}"
    if importlib.util.find_spec("check_jsonschema") is not None:
        return [sys.executable, "-m", "check_jsonschema"], f"{sys.executable} -m check_jsonschema"
    found = shutil.which("check-jsonschema")
    if found:
        return [found], f"{found} (from PATH, not this interpreter's: a wrapper's start-up may count against it)"
    return None, ""


def bench_env(pycache: str) -> dict[str, str]:
    """The environment of the timed processes: bytecode cached in a folder of this run.

    With PYTHONDONTWRITEBYTECODE set (as on the project's machines) a checkout's modules would be
    compiled from source in every run, while installed packages such as check-jsonschema have their
    .pyc files from pip: an unfair and unrealistic handicap (an installed driverkit has its .pyc
    too). So the children write and read bytecode under PYTHONPYCACHEPREFIX, a temporary folder
    that the warm-up runs fill, for both commands alike; the repository gets no __pycache__.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


ENV: dict[str, str] = dict(os.environ)


GOAL_PEER = 0.8  # driverkit check / check-jsonschema
GOAL_RENDER = 2.0  # a cold `render -f svg` / a cold `check`, same file


def time_run(cmd: list[str]) -> tuple[float, int, str, float]:
    """Wall-clock seconds of one run, its exit code, the end of its output and its CPU seconds (user +
    system, with the processes it waited for: the `dot` of `render`)."""
    elapsed, cpu, code, text = timed_process(cmd, ENV)
    return elapsed, code, text, cpu


def describe(name: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return (f"  {name:<24} median {statistics.median(ms):7.1f} ms   min {min(ms):7.1f}   max {max(ms):7.1f}"
            f"   (n={len(ms)})")


def import_profile(file: Path, runs: int) -> tuple[dict[str, list[int]], dict[str, list[int]], int]:
    """Per module: self and cumulative import times (µs) over `runs` runs of -X importtime."""
    selfs: dict[str, list[int]] = {}
    cumul: dict[str, list[int]] = {}
    code = 0
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "driverkit", "check", str(file)],
                              cwd=ROOT, env=ENV, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        code = done.returncode
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "[us]" in line:
                continue
            try:
                _, self_us, cumulative_us, name = (part.strip() for part in line.replace("import time:", "|", 1).split("|"))
                selfs.setdefault(name.strip(), []).append(int(self_us))
                cumul.setdefault(name.strip(), []).append(int(cumulative_us))
            except ValueError:
                continue
    return selfs, cumul, code


def main(argv: Optional[list[str]] = None) -> int:
    with tempfile.TemporaryDirectory(prefix="driverkit-bench-pyc-") as pycache:
        ENV.clear()
        ENV.update(bench_env(pycache))
        return _main(argv)


def _main(argv: Optional[list[str]]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="project file (default: examples/maternity.yaml, else templates/starter.yaml)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--importtime-runs", type=int, default=3, help="runs of -X importtime to take medians over (default 3)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed (a ratio above its goal, or jinja2/graphviz imported)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    if args.file:
        file = Path(args.file).resolve()
        note = ""
    elif PREFERRED.exists():
        file, note = PREFERRED, ""
    else:
        file, note = FALLBACK, f" ({PREFERRED.relative_to(ROOT)} does not exist yet: using the starter template instead)"
    shown = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file
    dk_cmd, dk_desc = driverkit_command()
    peer, peer_desc = peer_command()

    print("== driverkit check: cold-process start-up")
    print(f"file:        {shown}  ({file.stat().st_size:,} bytes){note}")
    print(f"python:      {sys.executable} ({sys.version.split()[0]})")
    print(f"code:        {code_version()}")
    print(f"driverkit:   {dk_desc} check FILE")
    if peer:
        print(f"peer:        {peer_desc} --schemafile {SCHEMA.relative_to(ROOT)} FILE")
    else:
        print("peer:        check-jsonschema is not installed: only driverkit's own figures follow.")
        print("             Install it with `pip install check-jsonschema` (it is in the project's `bench` extra:")
        print("             `pip install -e '.[bench]'`; `make bench` does this).")
    print(f"machine:     {os.cpu_count()} cores; runs interleaved, {args.runs} timed runs each after 1 warm-up")
    print("bytecode:    cached for both (PYTHONPYCACHEPREFIX in a temporary folder, filled by the warm-up)")
    print()

    commands: dict[str, list[str]] = {"driverkit": dk_cmd + ["check", str(file)]}
    if peer:
        commands["check-jsonschema"] = peer + ["--schemafile", str(SCHEMA), str(file)]
    out = tempfile.mkdtemp(prefix="driverkit-bench-svg-")
    commands["driverkit render -f svg"] = dk_cmd + ["render", str(file), "-o", out, "-f", "svg"]

    # Warm-up: fills the page cache and writes the .pyc files, so the first timed run is like the rest.
    for name, cmd in commands.items():
        _, code, output, _ = time_run(cmd)
        if code != 0:
            print(f"note: {name} exited {code} on this file; its output ends with:\n{output}")

    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, set[int]] = {name: set() for name in commands}
    names = list(commands)
    for i in range(args.runs):
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            elapsed, code, _, used = time_run(commands[name])
            times[name].append(elapsed)
            cpu[name].append(used)
            codes[name].add(code)

    shutil.rmtree(out, ignore_errors=True)
    ratio_ok = True
    for kind, measured in (("wall-clock", times), ("CPU (user + system)", cpu)):
        print(f"{kind} time of one cold process")
        for name in names:
            print(describe(name, measured[name]) + (f"   exit codes {sorted(codes[name])}" if codes[name] != {0} else ""))
        pairs = [("driverkit check / check-jsonschema", "driverkit", "check-jsonschema", GOAL_PEER)] if peer else []
        pairs.append(("driverkit render -f svg / driverkit check", "driverkit render -f svg", "driverkit", GOAL_RENDER))
        for label, ours, theirs, goal in pairs:
            ratio = statistics.median(measured[ours]) / statistics.median(measured[theirs])
            paired = statistics.median(a / b for a, b in zip(measured[ours], measured[theirs]))
            met = paired <= goal
            if kind == "wall-clock":  # the goals are judged on the wall-clock time a person waits for
                ratio_ok &= met
            print(f"  {label}: {ratio:.2f} (of the medians), {paired:.2f} (median of paired runs)"
                  + (f"   goal <= {goal:.2f}: {'met' if met else 'MISSED'}" if kind == "wall-clock" else ""))
        print()

    print(f"== imports of `python -X importtime -m driverkit check` (median of {args.importtime_runs} runs)")
    selfs, cumul, code = import_profile(file, max(1, args.importtime_runs))
    if not selfs:
        print(f"  no -X importtime output was read (exit code {code})")
        return 1 if args.strict else 0
    median_self = {name: statistics.median(v) for name, v in selfs.items()}
    median_cumul = {name: statistics.median(v) for name, v in cumul.items()}
    lazy_ok = True
    for package in MUST_STAY_LAZY:
        hits = sorted(n for n in selfs if n == package or n.startswith(package + "."))
        if hits:
            lazy_ok = False
            print(f"  {package:<9} IMPORTED ({len(hits)} modules, {median_cumul.get(package, 0) / 1000:.1f} ms): check must stay lazy")
        elif importlib.util.find_spec(package) is None:
            print(f"  {package:<9} not imported, but it is not installed for this interpreter either, so this run cannot tell")
        else:
            print(f"  {package:<9} not imported (good: check stays lazy)")
    print(f"  modules imported: {len(selfs)}; all imports together: "
          f"{sum(median_self.values()) / 1000:.1f} ms of self time")
    print("  top 5 by self time:")
    for name, us in sorted(median_self.items(), key=lambda kv: -kv[1])[:5]:
        print(f"    {us / 1000:7.2f} ms  {name}")
    roots = {n: us for n, us in median_cumul.items() if "." not in n}
    print("  top 5 top-level packages by cumulative time:")
    for name, us in sorted(roots.items(), key=lambda kv: -kv[1])[:5]:
        print(f"    {us / 1000:7.2f} ms  {name}")

    if args.strict and not (ratio_ok and lazy_ok):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
