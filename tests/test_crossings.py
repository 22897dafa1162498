"""Ordering the boxes of each column: counting crossings, the balanced order against the written
one, boxes kept with what they are written under, determinism, and Graphviz drawing the order."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import driverkit
from driverkit.cli import main
from driverkit.documents.diagram import Diagram, ViewError, ViewOptions, build_diagram, count_crossings
from driverkit.documents.ordering import Layers
from driverkit.output.rendering import render
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + [ROOT / "tests" / "data" / "dense-many-to-many.yaml"]

# S2's second tertiary driver is also linked to S1: written after its sibling, its link to S1
# crosses the link from S2 to that sibling; written first, nothing crosses.
THREE_LEVELS = """\
driverkit: 1
title: Fewer falls
aim:
  statement: Reduce inpatient falls from 8.2 to 6 per 1,000 bed days by December 2026
drivers:
  - id: P1
    text: Falls risk is known for every patient
    drivers:
      - id: S1
        text: Reliable falls risk assessment on admission
        drivers:
          - id: T1
            text: The assessment is part of the admission checklist
            changes: [{text: Checklist with the assessment built in}]
      - id: S2
        text: Lying and standing blood pressure is measured
        drivers:
          - id: T2
            text: Machines that measure lying and standing are on every ward
            changes: [{text: One machine bought for each ward}]
          - id: T3
            text: Staff know when to measure
            also: [S1]
            changes: [{text: Prompt on the observation chart}]
"""


def diagram(text: str, **options: object) -> Diagram:
    project = driverkit.loads(text, "project.yaml")
    return build_diagram(project, ViewOptions.for_project(project, **options))


def ids(d: Diagram) -> list[list[str]]:
    """The ids of each column but the aim's, top to bottom."""
    return [[box.element_id for box in column.boxes] for column in d.columns[1:]]


# -- counting ---------------------------------------------------------------------------------------

def test_segments_cross_when_their_ends_are_in_opposite_orders() -> None:
    assert Layers([["a", "b"], ["x", "y"]], [("a", "y"), ("b", "x")]).crossings() == 1
    assert Layers([["a", "b"], ["x", "y"]], [("a", "x"), ("b", "y")]).crossings() == 0
    assert Layers([["a", "b"], ["x", "y"]], [("a", "x"), ("a", "y"), ("b", "y")]).crossings() == 0  # shared ends never cross
    assert Layers([["a", "b", "c"], ["x", "y", "z"]], [("a", "z"), ("b", "y"), ("c", "x")]).crossings() == 3


def test_a_link_across_a_column_is_counted_through_its_best_place_in_it() -> None:
    # a -> z passes the middle column; placed below m it crosses nothing, above it crosses m's links
    layers = Layers([["a", "b"], ["m"], ["y", "z"]], [("b", "m"), ("m", "y"), ("a", "z")])
    assert layers.crossings() == 1  # a above b, but z below y: one crossing wherever the point goes
    assert layers.crossings([["b", "a"], ["m"], ["y", "z"]]) == 0


def test_the_three_level_case_has_no_crossing_balanced_and_keeps_it_as_written() -> None:
    written = diagram(THREE_LEVELS, order="file")
    balanced = diagram(THREE_LEVELS)
    assert ids(written)[2] == ["T1", "T2", "T3"] and count_crossings(written) == 1
    assert ids(balanced)[2] == ["T1", "T3", "T2"] and count_crossings(balanced) == 0
    assert ids(balanced)[3] == ["C1.1.1.1", "C1.2.2.1", "C1.2.1.1"]  # the change ideas follow their drivers


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_balanced_never_crosses_more_than_the_file_or_the_one_pass_order(path: Path) -> None:
    project = driverkit.load(path)
    options = ViewOptions.for_project(project)
    found = {order: count_crossings(build_diagram(project, dataclasses.replace(options, order=order)))
             for order in ("file", "one-pass", "balanced")}
    assert found["balanced"] <= min(found["file"], found["one-pass"])


def test_the_examples_cross_much_less_than_before() -> None:
    """As written: maternity 40, school-attendance 1, sepsis 11, dense 96; the one-pass order
    before balanced: 33, 0, 3 and 103."""
    counts = {path.stem: count_crossings(build_diagram(driverkit.load(path))) for path in EXAMPLES}
    most = {"maternity": 4, "school-attendance": 0, "sepsis": 0, "dense-many-to-many": 71}
    assert all(counts[name] <= most[name] for name in most), counts


# -- what stays -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_box_stays_with_the_boxes_written_under_the_same_element(path: Path) -> None:
    project = driverkit.load(path)
    d = build_diagram(project)
    written = build_diagram(project, ViewOptions.for_project(project, order="file"))
    for column, as_written in zip(d.columns, written.columns):
        assert sorted(b.key for b in column.boxes) == sorted(b.key for b in as_written.boxes)  # the same boxes, reordered
        homes = [d.homes.get(box.key) for box in column.boxes]
        for index, home in enumerate(homes):
            if home is not None and home in homes[:index]:
                assert homes[index - 1] == home, (column.header, home)  # one unbroken run per home


def test_order_file_keeps_every_column_exactly_as_written() -> None:
    project = driverkit.load(ROOT / "examples" / "sepsis.yaml")
    d = build_diagram(project, ViewOptions.for_project(project, order="file"))
    assert ids(d)[0] == ["P1", "P2", "P3"]
    assert ids(d)[2] == ["T2.1.1", "T2.1.2"]
    assert ids(d)[3][-1] == "C1"  # the top-level change idea is written last


def test_the_order_is_set_in_the_file_overridden_on_the_command_line_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "falls.yaml"
    path.write_text(THREE_LEVELS + "render: {order: file}\n", encoding="utf-8")
    project = driverkit.load(path)
    assert ids(build_diagram(project))[2] == ["T1", "T2", "T3"]
    assert ids(build_diagram(project, ViewOptions.for_project(project, order="balanced")))[2] == ["T1", "T3", "T2"]
    with pytest.raises(ViewError, match="order"):
        ViewOptions.for_project(project, order="sideways")
    with pytest.raises(ViewError, match="unknown order"):
        build_diagram(project, ViewOptions(order="sideways"))
    for order, expected in (("balanced", ["T1", "T3", "T2"]), ("file", ["T1", "T2", "T3"])):
        out = tmp_path / order
        assert main(["render", str(path), "-o", str(out), "-f", "dot", "--order", order]) == 0
        source = (out / "falls.dot").read_text(encoding="utf-8")
        assert sorted(expected, key=lambda t: source.index(f'id="{t}"')) == expected


# -- determinism and Graphviz -------------------------------------------------------------------------

def test_the_order_is_the_same_in_every_process() -> None:
    code = ("import sys, driverkit; sys.stdout.write(driverkit.render(driverkit.load(sys.argv[1]), 'dot').decode())")
    path = str(ROOT / "tests" / "data" / "dense-many-to-many.yaml")
    outputs = {subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_graphviz_draws_each_column_in_the_order_chosen(path: Path) -> None:
    pygraphviz = pytest.importorskip("pygraphviz")
    project = driverkit.load(path)
    graph = pygraphviz.AGraph(string=render(project, "dot").decode())
    graph.layout(prog="dot")
    height = {graph.get_node(n).attr["id"]: float(graph.get_node(n).attr["pos"].split(",")[1]) for n in graph.nodes()
              if n.startswith("n_")}
    for column in build_diagram(project).columns[1:]:
        drawn = [height[box.element_id] for box in column.boxes]
        assert drawn == sorted(drawn, reverse=True), column.header  # top to bottom
