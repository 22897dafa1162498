"""The time of the balanced box ordering (`driverkit.documents.ordering`), and a check that another
version of the module orders every column exactly as this one does.

    python benchmarks/ordering_speed.py                          # time the ordering alone
    python benchmarks/ordering_speed.py --against OLD_ORDERING.py # and compare with an older copy

The diagrams: every project file under examples/ (the programme's members too) and
tests/data/dense-many-to-many.yaml, the generated dense diagrams of benchmarks/crossings.py
(`--seeds` of each shape), and 136 generated project files of about 100 elements
(`generate_project(100, seed=i)`, as in the batch of benchmarks/render_speed.py). Each diagram is
built once with `order: balanced` to record what `Layers` is given (columns, links, homes, fixed
columns, starting order); then the ordering alone is timed on those inputs, `--runs` times, the
old module and this one in turn, side by side. With --against, every diagram's columns must come
out the same from both (the script exits 1 otherwise) and the times of the two are printed with
their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, code_version  # noqa: E402

sys.path.insert(0, str(ROOT))
import driverkit  # noqa: E402
from driverkit.documents import diagram as diagram_module  # noqa: E402
from driverkit.documents import ordering  # noqa: E402
from driverkit.documents.diagram import ViewOptions, build_diagram  # noqa: E402

from crossings import SHAPES, dense_project  # noqa: E402
from generate import generate_diagram, generate_project  # noqa: E402

TRUSTS = 136
TRUST_ELEMENTS = 100


def recorded(project: driverkit.Project) -> tuple[tuple[Any, ...], list[list[str]]]:
    """What `build_diagram` gives `Layers` for the balanced order: its arguments and the start."""
    calls: list[tuple[tuple[Any, ...], list[list[str]]]] = []

    class Recording(ordering.Layers):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            self.args = args

        def balanced(self, start: Optional[Any] = None) -> list[list[str]]:
            calls.append((self.args, [list(column) for column in start]))
            return super().balanced(start)

    diagram_module.Layers = Recording  # type: ignore[misc]
    try:
        build_diagram(project, ViewOptions.for_project(project))
    finally:
        diagram_module.Layers = ordering.Layers  # type: ignore[misc]
    assert len(calls) == 1
    return calls[0]


def diagrams(seeds: int) -> list[tuple[str, tuple[tuple[Any, ...], list[list[str]]]]]:
    found = []
    files = sorted(p for p in (ROOT / "examples").rglob("*.yaml") if "invalid" not in p.parts)
    files.append(ROOT / "tests" / "data" / "dense-many-to-many.yaml")
    for path in files:
        found.append((str(path.relative_to(ROOT)), recorded(driverkit.load(path))))
    for shape, sizes in SHAPES.items():
        for seed in range(seeds):
            found.append((f"{shape}, seed {seed}", recorded(driverkit.loads(dense_project(*sizes, seed), "dense.yaml"))))
    found.append(("generate_diagram()", recorded(driverkit.loads(generate_diagram(), "large.yaml"))))
    for seed in range(TRUSTS):
        found.append((f"trust {seed:03d}", recorded(driverkit.loads(generate_project(TRUST_ELEMENTS, seed=seed), "trust.yaml"))))
    return found


def load_module(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("ordering_against", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def order(module: ModuleType, inputs: tuple[tuple[Any, ...], list[list[str]]]) -> tuple[float, list[list[str]]]:
    """The seconds one ordering takes (a fresh `Layers`, as build_diagram makes one) and its result."""
    args, start = inputs
    started = time.perf_counter()
    result = module.Layers(*args).balanced(start)
    return time.perf_counter() - started, result


def summary(times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"median {statistics.median(ms):6.2f}  mean {statistics.mean(ms):6.2f}  max {max(ms):7.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", help="path of another copy of driverkit/documents/ordering.py to compare with")
    parser.add_argument("--seeds", type=int, default=5, help="generated dense diagrams of each shape (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each diagram (default 3; the fastest counts)")
    args = parser.parse_args()
    print(f"driverkit ordering speed: {code_version()}")
    found = diagrams(args.seeds)
    modules = {"this": ordering}
    if args.against:
        modules = {"old": load_module(args.against), "this": ordering}
    best: dict[str, dict[str, float]] = {name: {} for name in modules}
    different = []
    for name, inputs in found:
        results = {}
        for _ in range(args.runs):
            for label, module in modules.items():  # side by side, in turn
                took, results[label] = order(module, inputs)
                best[label][name] = min(best[label].get(name, took), took)
        if len(set(map(repr, results.values()))) > 1:
            different.append(name)
    print(f"diagrams: {len(found)} ({TRUSTS} generated project files of {TRUST_ELEMENTS} elements); "
          f"the fastest of {args.runs} runs of each")
    groups = {"examples and dense diagrams": [n for n, _ in found if not n.startswith("trust ")],
              f"{TRUSTS} files of {TRUST_ELEMENTS} elements": [n for n, _ in found if n.startswith("trust ")]}
    for group, names in groups.items():
        print(f"-- {group}")
        for label in modules:
            print(f"  {label:5} {summary([best[label][n] for n in names])}")
        if "old" in modules:
            ratios = [best["this"][n] / best["old"][n] for n in names]
            print(f"  this / old: median {statistics.median(ratios):.2f}x  "
                  f"(total {sum(best['this'][n] for n in names) / sum(best['old'][n] for n in names):.2f}x)")
    if "old" in modules:
        if different:
            print(f"DIFFERENT orders on {len(different)} of {len(found)} diagrams: {', '.join(different[:10])}")
            return 1
        print(f"identical orders on all {len(found)} diagrams")
    return 0


if __name__ == "__main__":
    sys.exit(main())
