"""Crossing links in driver diagrams: the orderings before and after `order: balanced`.

    python benchmarks/crossings.py             # every example and the generated dense diagrams
    python benchmarks/crossings.py --drawn     # also lay the examples out with Graphviz and check them
    python benchmarks/crossings.py --seeds 10  # more generated diagrams of each shape

For every project file under examples/ (the programme's members too) and for generated dense
many-to-many diagrams, prints the crossings (`driverkit.documents.diagram.count_crossings`) of the
diagram with its columns ordered three ways:

- file: every column in the order its boxes are written (`order: file`);
- one pass: the ordering driverkit used before `balanced` (each column ordered once, from the
  left, each box with the element it is written under, leaning toward its other parents), which
  is where the balanced ordering starts;
- balanced: the default (`order: balanced`), with the time it took.

The generated diagrams are seeded, so every run prints the same counts: each secondary driver is
written under one primary driver and linked to up to two more; each change idea is written under
one driver and linked to up to two more; a few change ideas are listed at the top level with two
or three drivers; the three-level shape puts tertiary drivers under some secondary drivers. The
large diagram of benchmarks/generate.py (`generate_diagram()`) is counted too.

With --drawn, each example is laid out by Graphviz (the system `dot`, else the embedded one) from
the DOT that driverkit writes, and the script checks that every column is drawn top to bottom in
the order driverkit chose, and counts the links that cross in the drawing: pairs of links, with
no box in common, whose drawn paths intersect.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, code_version  # noqa: E402

sys.path.insert(0, str(ROOT))
import driverkit  # noqa: E402
from driverkit.documents.diagram import Diagram, ViewOptions, build_diagram, count_crossings  # noqa: E402

ORDERS = ("file", "one-pass", "balanced")
# name: (primary drivers, secondary drivers, change ideas, secondary drivers with tertiary ones)
SHAPES = {
    "dense": (4, 12, 30, 0),
    "dense, larger": (5, 25, 80, 0),
    "dense, three levels": (4, 10, 36, 4),
}


def dense_project(primaries: int, secondaries: int, changes: int, with_tertiary: int, seed: int) -> str:
    """A valid project file of a dense many-to-many driver diagram; the text depends only on the
    arguments."""
    rng = random.Random(seed)
    primary_ids = [f"P{p + 1}" for p in range(primaries)]
    homes = {f"S{s + 1}": primary_ids[s * primaries // secondaries] for s in range(secondaries)}
    tertiary: dict[str, list[str]] = {}
    for s in rng.sample(sorted(homes), with_tertiary):
        tertiary[s] = [f"T{s[1:]}.{t + 1}" for t in range(rng.randint(1, 3))]
    leaves = [t for s in homes for t in tertiary.get(s, [s])]
    placed: dict[str, list[tuple[str, list[str]]]] = {leaf: [] for leaf in leaves}
    top_level = []
    for c in range(changes):
        others = rng.sample(leaves, rng.choice((0, 0, 1, 1, 2)))
        if rng.random() < 0.1:
            top_level.append((f"C{c + 1}", sorted(set(others) | set(rng.sample(leaves, 2)))))
        else:
            home = rng.choice(leaves)
            placed[home].append((f"C{c + 1}", sorted(set(others) - {home})))

    def change_lines(indent: str, leaf: str) -> list[str]:
        lines = [f"{indent}changes:"] if placed[leaf] else []
        for change_id, also in placed[leaf]:
            lines += [f"{indent}  - id: {change_id}", f"{indent}    text: Change idea {change_id}"]
            lines += [f"{indent}    also: [{', '.join(also)}]"] if also else []
        return lines

    lines = ["driverkit: 1", f"title: Dense diagram {primaries}-{secondaries}-{changes} seed {seed}",
             "aim: {statement: Increase the share of patients discharged before noon from 14% to 33% by December 2026}",
             "drivers:"]
    for p in primary_ids:
        lines += [f"  - id: {p}", f"    text: Primary driver {p}", "    drivers:"]
        for s, home in homes.items():
            if home != p:
                continue
            also = sorted(set(rng.sample(primary_ids, rng.choice((0, 1, 1, 2)))) - {p})
            lines += [f"      - id: {s}", f"        text: Secondary driver {s}"] + ([f"        also: [{', '.join(also)}]"] if also else [])
            if s in tertiary:
                lines.append("        drivers:")
                for t in tertiary[s]:
                    lines += [f"          - id: {t}", f"            text: Tertiary driver {t}"] + change_lines("            ", t)
            else:
                lines += change_lines("        ", s)
    if top_level:
        lines.append("changes:")
        for change_id, drivers in top_level:
            lines += [f"  - id: {change_id}", f"    text: Change idea {change_id}", f"    drivers: [{', '.join(drivers)}]"]
    return "\n".join(lines) + "\n"


def counts(project: driverkit.Project) -> tuple[dict[str, int], float, Diagram]:
    """The crossings under each ordering, the time of the balanced one (s) and its diagram."""
    options = ViewOptions.for_project(project)
    found, took, diagram = {}, 0.0, None
    for order in ORDERS:
        started = time.perf_counter()
        diagram = build_diagram(project, dataclasses.replace(options, order=order))
        took = time.perf_counter() - started
        found[order] = count_crossings(diagram)
    assert diagram is not None
    return found, took, diagram


def drawn(project: driverkit.Project, diagram: Diagram) -> tuple[bool, int]:
    """Whether Graphviz draws every column in the diagram's order, and the crossings it draws."""
    from driverkit.output.dot import node_name, to_dot
    from driverkit.output.engine import find_backend

    plain = find_backend("auto").render(to_dot(diagram), "plain").decode("utf-8")
    where: dict[str, tuple[float, float]] = {}
    paths: list[tuple[str, str, list[tuple[float, float]]]] = []
    for line in plain.splitlines():
        fields = line.split()
        if fields[:1] == ["node"]:
            where[fields[1]] = (float(fields[2]), float(fields[3]))
        elif fields[:1] == ["edge"] and "invis" not in fields:
            count = int(fields[3])
            numbers = [float(v) for v in fields[4:4 + 2 * count]]
            paths.append((fields[1], fields[2], list(zip(numbers[::2], numbers[1::2]))))
    in_order = all(
        all(where[node_name(a)][1] > where[node_name(b)][1] for a, b in zip(column.boxes, column.boxes[1:]))
        for column in diagram.columns)
    crossings = 0
    for index, (tail, head, path) in enumerate(paths):
        for other_tail, other_head, other in paths[index + 1:]:
            if {tail, head} & {other_tail, other_head}:
                continue
            crossings += any(_intersect(a, b, c, d) for a, b in zip(path, path[1:]) for c, d in zip(other, other[1:]))
    return in_order, crossings


def _intersect(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]) -> bool:
    """Whether the segments ab and cd cross (touching at an end does not count)."""
    def side(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="generated diagrams of each shape (default 5)")
    parser.add_argument("--drawn", action="store_true", help="also lay the examples out with Graphviz and count what it draws")
    args = parser.parse_args()
    print(f"driverkit crossings: {code_version()}")
    header = f"{'diagram':52} {'boxes':>5} {'links':>5} {'file':>7} {'one pass':>8} {'balanced':>8} {'ms':>7}"
    if args.drawn:
        header += f" {'in order':>8} {'drawn':>6}"
    print(header)
    total = {order: 0 for order in ORDERS}

    def report(name: str, project: driverkit.Project, draw: bool) -> None:
        found, took, diagram = counts(project)
        for order in ORDERS:
            total[order] += found[order]
        line = (f"{name:52} {sum(len(c.boxes) for c in diagram.columns):5} {len(diagram.connectors):5} {found['file']:7} "
                f"{found['one-pass']:8} {found['balanced']:8} {took * 1000:7.1f}")
        if draw:
            in_order, crossings = drawn(project, diagram)
            line += f" {'yes' if in_order else 'NO':>8} {crossings:6}"
        print(line)

    files = sorted(p for p in (ROOT / "examples").rglob("*.yaml") if "invalid" not in p.parts)
    files.append(ROOT / "tests" / "data" / "dense-many-to-many.yaml")
    for path in files:
        report(str(path.relative_to(ROOT)), driverkit.load(path), args.drawn)
    for shape, (primaries, secondaries, changes, with_tertiary) in SHAPES.items():
        for seed in range(args.seeds):
            text = dense_project(primaries, secondaries, changes, with_tertiary, seed)
            report(f"{shape} ({primaries}/{secondaries}/{changes}), seed {seed}", driverkit.loads(text, "dense.yaml"), False)
    from generate import generate_diagram

    report("generate_diagram() (20/100/500, 30% cross-linked)", driverkit.loads(generate_diagram(), "large.yaml"), False)
    print(f"{'total':64} {total['file']:7} {total['one-pass']:8} {total['balanced']:8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
